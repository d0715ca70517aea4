"""Loading data/*.parquet: unusable files give a DataError in Swedish that names the file; good files load."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ks_data import schema as s
from ks_data.errors import DataError
from ks_data.load import load_table, load_tables
from tests.helpers import DATA_DIR, copy_data


def _replace_column(table: pa.Table, name: str, array: pa.Array) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, pa.field(name, array.type), array)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(2048))


def _drop_title(path: Path) -> None:
    pq.write_table(pq.read_table(path).drop_columns([s.TITLE]), path)


def _title_as_numbers(path: Path) -> None:
    t = pq.read_table(path)
    pq.write_table(_replace_column(t, s.TITLE, pa.array(range(t.num_rows), pa.int64())), path)


def _year_out_of_range(path: Path) -> None:
    t = pq.read_table(path)
    pq.write_table(_replace_column(t, s.YEAR, pa.array([100_000] * t.num_rows, pa.int64())), path)


def _null_title_in_row_3(path: Path) -> None:
    t = pq.read_table(path)
    titles = t.column(s.TITLE).to_pylist()
    titles[2] = None
    pq.write_table(_replace_column(t, s.TITLE, pa.array(titles, pa.string())), path)


# (id, how to break goals.parquet, words in the Swedish message, column named or None)
BROKEN_FILES = [
    ("missing file", lambda p: p.unlink(), ["filen saknas", "python -m ks_data build"], None),
    ("empty file", lambda p: p.write_bytes(b""), ["filen är tom", "0 byte"], None),
    ("random bytes", _random_bytes, ["inte en läsbar Parquet-fil", "Bygg om"], None),
    ("truncated file", _truncate, ["inte en läsbar Parquet-fil", "avklippt"], None),
    ("text instead of parquet", lambda p: p.write_text("goal_id;title\n1.3;Mål\n", encoding="utf-8"),
     ["inte en läsbar Parquet-fil"], None),
    ("missing column", _drop_title, ["kolumnen saknas i filen"], s.TITLE),
    ("wrong column type", _title_as_numbers, ["kolumnen har typen int64", "ska vara string"], s.TITLE),
    ("values out of range", _year_out_of_range, ["värdena passar inte kolumnens typ"], "year"),
    ("null in required column", _null_title_in_row_3, ["värde saknas men krävs"], s.TITLE),
]


@pytest.mark.parametrize(("breaker", "words", "column"), [pytest.param(*c[1:], id=c[0]) for c in BROKEN_FILES])
def test_unusable_file_gives_data_error_naming_the_file(tmp_path, breaker, words, column):
    data = copy_data(tmp_path)
    path = data / "goals.parquet"
    breaker(path)
    with pytest.raises(DataError) as info:
        load_table(s.GOALS, data)
    problems = info.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert p.file == str(path)
    assert p.table == s.GOALS
    assert p.column == column
    for word in words:
        assert word in p.message
    # The exception's own text (what a log or the app shows) names the file.
    assert str(path) in str(info.value)
    assert f"fil {path}" in p.describe()


def test_broken_file_does_not_stop_the_other_tables(tmp_path):
    data = copy_data(tmp_path)
    _truncate(data / "net_costs.parquet")
    (data / "activities.parquet").unlink()
    frames, problems = load_tables(data)
    assert set(frames) == set(s.TABLES) - {s.NET_COSTS, s.ACTIVITIES}
    assert sorted(p.table for p in problems) == [s.ACTIVITIES, s.NET_COSTS]
    assert {p.file for p in problems} == {str(data / "net_costs.parquet"), str(data / "activities.parquet")}


def test_several_schema_problems_in_one_file_are_all_reported(tmp_path):
    data = copy_data(tmp_path)
    path = data / "net_costs.parquet"
    t = pq.read_table(path).drop_columns([s.BUDGET])
    t = _replace_column(t, s.DEVIATION, pa.array([str(v) for v in t[s.DEVIATION].to_pylist()]))
    pq.write_table(t, path)
    with pytest.raises(DataError) as info:
        load_table(s.NET_COSTS, data)
    messages = {p.column: p.message for p in info.value.problems}
    assert set(messages) == {s.BUDGET, s.DEVIATION}
    assert messages[s.BUDGET] == "kolumnen saknas i filen"
    assert messages[s.DEVIATION] == "kolumnen har typen string men ska vara int64"


@pytest.mark.parametrize("table", s.TABLES)
def test_good_file_loads_with_the_schemas_columns_and_types(table):
    df = load_table(table, DATA_DIR)
    schema = s.SCHEMAS[table]
    assert list(df.columns) == schema.names
    assert len(df) > 0
    assert set(df[s.YEAR]) == {2020}
    assert str(df[s.YEAR].dtype) == "int16"
    for field in schema:
        if pa.types.is_string(field.type):
            assert df[field.name].map(lambda v: isinstance(v, str) or v != v).all(), field.name


def test_extra_columns_are_dropped_and_order_restored(tmp_path):
    data = copy_data(tmp_path)
    path = data / "investments.parquet"
    t = pq.read_table(path)
    t = t.append_column("kommentar", pa.array(["x"] * t.num_rows))
    t = t.select(list(reversed(t.column_names)))
    pq.write_table(t, path)
    df = load_table(s.INVESTMENTS, data)
    assert list(df.columns) == s.SCHEMAS[s.INVESTMENTS].names
    assert df[s.BUDGET].tolist() == [1000, 0, 11000, 200, 500, 12700]


def test_narrower_integer_type_is_accepted_and_widened(tmp_path):
    data = copy_data(tmp_path)
    path = data / "investments.parquet"
    t = pq.read_table(path)
    pq.write_table(_replace_column(t, s.BUDGET, t[s.BUDGET].cast(pa.int32())), path)
    df = load_table(s.INVESTMENTS, data)
    assert str(df[s.BUDGET].dtype) == "int64"
    assert df[s.BUDGET].sum() == 25400


@pytest.mark.parametrize(("written", "read"), [
    ("Färdtjänst,\u2028antal enkelresor", "Färdtjänst, antal enkelresor"),  # a line separator
    ("Färdtjänst\u2029", "Färdtjänst "),                                      # a paragraph separator
    ("Rad ett\nrad två", "Rad ett\nrad två"),                                 # a line break stays: Markdown shows it
])
def test_a_text_reaches_the_app_without_separators_that_break_a_chart(tmp_path, written, read):
    data = copy_data(tmp_path)
    path = data / s.get_file_name(s.COMPARISONS)
    t = pq.read_table(path)
    metrics = t.column(s.METRIC).to_pylist()
    metrics[0] = written
    pq.write_table(_replace_column(t, s.METRIC, pa.array(metrics, pa.string())), path)
    df = load_table(s.COMPARISONS, data)
    assert df[s.METRIC].iloc[0] == read
    assert df[s.METRIC].iloc[1:].tolist() == metrics[1:]  # the other rows as written
