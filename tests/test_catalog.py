"""Unit tests for ks_data.catalog: the Om data page's tables, sentences and export files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ks_data import catalog
from ks_data import reconcile as r
from ks_data import schema as s
from ks_data.dictionary import render_markdown
from ks_data.errors import WARNING, Problem
from ks_data.viewtable import format_table
from tests.helpers import DATA_DIR, real_frames, real_table


def _numeric_columns(table: str) -> list[str]:
    return [f.name for f in s.SCHEMAS[table] if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]


@pytest.mark.parametrize("table", s.TABLES)
def test_csv_parses_back_to_the_same_numbers(table: str) -> None:
    """The CSV read the Swedish-Excel way (';', decimal ',', UTF-8 with BOM) gives the table's numbers back."""
    df = real_table(table)
    data = catalog.write_csv(df, table)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == list(df.columns)
    assert len(back) == len(df)
    for col in _numeric_columns(table):
        expected = pd.to_numeric(df[col]).astype("float64").to_numpy()
        got = pd.to_numeric(back[col]).astype("float64").to_numpy()
        assert got == pytest.approx(expected, nan_ok=True), col


@pytest.mark.parametrize(("value", "text"), [(1.5, "1,5"), (-0.25, "-0,25"), (None, "")])
def test_csv_writes_decimal_commas(value, text: str) -> None:
    """Decimals are written with a comma and empty cells stay empty."""
    df = real_table(s.INDICATORS).head(1).copy()
    df[s.VALUE] = pd.Series([value], dtype="float64")
    raw = pd.read_csv(io.BytesIO(catalog.write_csv(df, s.INDICATORS)), sep=";", encoding="utf-8-sig", dtype=str,
                      keep_default_na=False)
    assert raw.loc[0, s.VALUE] == text


def test_csv_keeps_integers_whole_when_a_cell_is_empty() -> None:
    """A nullable whole-number column with an empty cell is written as '-90034', not '-90034,0'."""
    df = real_table(s.OPERATING)
    df[s.OUTCOME_PREV] = pd.Series([-90034.0] + [None] * (len(df) - 1), dtype="float64")
    text = catalog.write_csv(df, s.OPERATING).decode("utf-8-sig")
    assert ";-90034;" in text and "-90034,0" not in text


def _zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return zf.namelist()


def test_zip_holds_every_parquet_file_and_the_dictionary() -> None:
    """The dataset zip has all 9 Parquet files (byte for byte), docs/data.md and a README naming the source."""
    folder = catalog.read_data_folder(DATA_DIR)
    data = catalog.write_dataset_zip(folder, "Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun")
    names = _zip_names(data)
    expected = {f"data/{s.get_file_name(t)}" for t in s.TABLES}
    assert expected <= set(names) and len(expected) == 9
    assert "docs/data.md" in names and "README.txt" in names
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for table in s.TABLES:
            name = s.get_file_name(table)
            assert zf.read(f"data/{name}") == (DATA_DIR / name).read_bytes()
        assert zf.read("docs/data.md").decode("utf-8") == render_markdown()
        readme = zf.read("README.txt").decode("utf-8")
    assert "Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun" in readme
    assert all(s.get_file_name(t) in readme for t in s.TABLES)
    assert catalog.calc_fingerprint(folder.files) in readme


def test_zip_is_deterministic_and_docs_match_the_repository() -> None:
    """The same data gives the same zip bytes; the zipped dictionary equals docs/data.md."""
    folder = catalog.read_data_folder(DATA_DIR)
    assert catalog.write_dataset_zip(folder, "x") == catalog.write_dataset_zip(folder, "x")
    docs = Path(DATA_DIR).parent / "docs" / "data.md"
    assert docs.read_text(encoding="utf-8") == render_markdown()


def test_zip_of_a_folder_with_a_missing_file(tmp_path: Path) -> None:
    """A file that is missing is left out; the rest is still zipped."""
    for table in s.TABLES[1:]:
        name = s.get_file_name(table)
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    folder = catalog.read_data_folder(tmp_path)
    names = _zip_names(catalog.write_dataset_zip(folder, "x"))
    assert f"data/{s.get_file_name(s.TABLES[0])}" not in names
    assert len([n for n in names if n.endswith(".parquet")]) == 8


@pytest.mark.parametrize("table", s.TABLES)
def test_source_table_lists_every_table_with_its_sections(table: str) -> None:
    """Each table has a row naming its report sections, row count, years and file."""
    frames = real_frames()
    src = format_table(catalog.get_source_data(frames), "sv")
    assert list(src["Fil"]) == [s.get_file_name(t) for t in s.TABLES]
    row = src[src["Fil"] == s.get_file_name(table)].iloc[0]
    for section in frames[table][s.SECTION].unique():
        assert section in row["Avsnitt i rapporten"]
    assert row["Rader"] == str(len(frames[table]))
    assert row["År"] == "2020"
    assert row["Tabell"] == catalog.get_table_name(table)
    assert row["Beskrivning"] == s.get_description(table)


def test_source_table_marks_a_table_that_could_not_be_loaded() -> None:
    """A table missing from the loaded frames is listed as unreadable, not dropped."""
    frames = real_frames()
    del frames[s.INVESTMENTS]
    src = format_table(catalog.get_source_data(frames), "sv").set_index("Fil")
    assert src.loc["investments.parquet", "Rader"] == "–"
    assert "Kan inte läsas" in src.loc["investments.parquet", "Avsnitt i rapporten"]
    assert src.loc["goals.parquet", "Rader"] == "11"


@pytest.mark.parametrize(("years", "text"), [([2020], "2020"), ([2020, 2019, 2020], "2019–2020"),
                                             ([2018, 2020], "2018, 2020"), ([], "–")])
def test_format_years(years, text: str) -> None:
    """Years read as one year, a range, or a list."""
    assert catalog.format_years(years) == text


def test_report_line_names_the_source_report() -> None:
    """The source line names the report and takes its year from the data."""
    line = catalog.get_report_line(real_frames())
    assert "Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun" in line


def test_reconciliation_summary_and_mismatches_in_swedish() -> None:
    """32 checks, 7 differences, each told with Swedish table and column names and Swedish numbers."""
    rec = r.calc_reconciliation(real_frames())
    assert catalog.format_reconciliation_summary(rec) == "32 kontroller, 7 skillnader"
    table = format_table(catalog.get_mismatch_data(rec), "sv")
    assert list(table.columns) == ["År", "Tabell", "Rad", "Kolumn", "Kontroll", "Tryckt", "Beräknat", "Skillnad"]
    assert len(table) == 7
    first = table.iloc[0]
    assert first["Tabell"] == "Driftredovisning"
    assert first["Kolumn"] == "Utfall föregående år"
    assert first["Tryckt"] == "\u221290\u00a0034\u00a0tkr"
    assert first["Beräknat"] == "\u221290\u00a0035\u00a0tkr"
    assert first["Skillnad"] == "+1\u00a0tkr"
    assert set(table["Tabell"]) <= {"Driftredovisning", "Nettokostnad per verksamhet", "Investeringsredovisning"}


@pytest.mark.parametrize(("problems", "status", "summary"), [
    ([], catalog.STATUS_OK, "Validering: 0 fel, 0 varningar."),
    ([Problem("f", "goals", "x", severity=WARNING)], catalog.STATUS_WARNING, "Validering: 0 fel, 1 varningar."),
    ([Problem("f", "goals", "x"), Problem("f", "goals", "y", severity=WARNING)], catalog.STATUS_ERROR,
     "Validering: 1 fel, 1 varningar."),
])
def test_check_status_and_summary(problems, status: str, summary: str) -> None:
    """Errors outrank warnings; the summary counts both."""
    assert catalog.get_check_status(problems) == status
    assert catalog.format_check_summary(problems).startswith(summary)


def test_problem_table_names_file_table_row_and_column() -> None:
    """Each problem becomes a row: Typ, Fil, Tabell, Rad, Kolumn, Problem."""
    table = format_table(catalog.get_problem_data([Problem("data/goals.parquet", "goals", "värde saknas men krävs", row=3,
                                               column="title")]), "sv")
    assert table.iloc[0].to_dict() == {"Typ": "Fel", "Fil": "data/goals.parquet", "Tabell": "goals", "Rad": "3",
                                       "Kolumn": "title", "Problem": "värde saknas men krävs"}


@pytest.mark.parametrize("table", s.TABLES)
def test_table_names_and_dictionary_caption(table: str) -> None:
    """Every table has a Swedish name, a selector option with its code, and a caption naming file and key."""
    assert catalog.format_table_option(table).endswith(f"({table})")
    caption = catalog.get_dictionary_caption(table)
    assert s.get_file_name(table) in caption and s.get_key(table)[1] in caption


def test_build_line_names_folder_and_fingerprint(tmp_path: Path) -> None:
    """The build line names the folder, the file count and a fingerprint; an empty folder says so."""
    folder = catalog.read_data_folder(DATA_DIR)
    line = catalog.format_build_line(folder)
    assert "Datamappen: data ·" in line and "9 Parquet-filer" in line and catalog.calc_fingerprint(folder.files) in line
    assert str(DATA_DIR.parent) not in line  # the server's own path stays on the server
    assert "inga läsbara" in catalog.format_build_line(catalog.read_data_folder(tmp_path))
