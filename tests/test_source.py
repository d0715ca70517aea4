"""Reading the editable TOML source: every mistake a clerk can make is named by file, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ks_data import schema as s
from ks_data.errors import DataError
from ks_data.source import convert_rows, get_source_years, read_source_table, read_source_year
from tests.helpers import SOURCE_DIR

HEADER = 'section = "Ekonomi › Investeringsredovisning"\n\n'
GOOD_ROW = '[[rows]]\nproject = "IT mm"\nrow_kind = "post"\nbudget = 11000\noutcome = 9057\ndeviation = 1943\n\n'


def _write(tmp_path: Path, body: str, name: str = "investments.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _problems(path: Path, table: str = s.INVESTMENTS):
    with pytest.raises(DataError) as info:
        read_source_table(path, table, 2020)
    return info.value.problems


def test_good_rows_become_a_table_with_year_position_and_section(tmp_path):
    path = _write(tmp_path, GOOD_ROW + GOOD_ROW.replace("IT mm", "Exploatering"))
    t = read_source_table(path, s.INVESTMENTS, 2020)
    assert t.schema == s.SCHEMAS[s.INVESTMENTS]
    assert t.column(s.YEAR).to_pylist() == [2020, 2020]
    assert t.column(s.POSITION).to_pylist() == [1, 2]
    assert t.column(s.SECTION).to_pylist() == ["Ekonomi › Investeringsredovisning"] * 2
    assert t.column(s.PROJECT).to_pylist() == ["IT mm", "Exploatering"]


@pytest.mark.parametrize(("body", "row", "column", "words"), [
    pytest.param(GOOD_ROW + GOOD_ROW.replace("budget = 11000", "budgett = 11000"), 2, "budgett",
                 ["okänd kolumn", "stavningen"], id="unknown column"),
    pytest.param(GOOD_ROW.replace("budget = 11000", 'budget = "abc"'), 1, s.BUDGET, ["'abc'", "heltal"],
                 id="text for an integer"),
    pytest.param(GOOD_ROW.replace("budget = 11000", "budget = 11000.5"), 1, s.BUDGET, ["11000.5", "heltal"],
                 id="decimal for an integer"),
    pytest.param(GOOD_ROW.replace("budget = 11000", "budget = true"), 1, s.BUDGET, ["True", "heltal"],
                 id="boolean for an integer"),
    pytest.param(GOOD_ROW.replace('project = "IT mm"', "project = 12"), 1, s.PROJECT, ["12", "text"],
                 id="number for a text"),
    pytest.param(GOOD_ROW.replace('project = "IT mm"', 'project = "   "'), 1, s.PROJECT, ["saknas", "krävs"],
                 id="blank required text"),
    pytest.param(GOOD_ROW + GOOD_ROW.replace("outcome = 9057\n", ""), 2, s.OUTCOME, ["saknas", "krävs"],
                 id="missing required field"),
])
def test_bad_value_is_named_by_file_row_and_column(tmp_path, body, row, column, words):
    path = _write(tmp_path, body)
    problems = _problems(path)
    hit = [p for p in problems if (p.row, p.column) == (row, column)]
    assert len(hit) == 1, [p.describe() for p in problems]
    p = hit[0]
    assert (p.file, p.table) == (str(path), s.INVESTMENTS)
    for word in words:
        assert word in p.message
    assert f"fil {path}" in p.describe() and f"rad {row}" in p.describe() and f"kolumn {column}" in p.describe()


def test_misspelt_column_reports_both_the_unknown_and_the_missing_column(tmp_path):
    path = _write(tmp_path, GOOD_ROW.replace("budget = 11000", "Budget = 11000"))
    assert sorted((p.row, p.column) for p in _problems(path)) == [(1, "Budget"), (1, s.BUDGET)]


def test_float_columns_accept_integers(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text('section = "Mål"\n[[rows]]\ngoal_id = "3.1"\nname = "Ärenden"\nunit = "%"\nvalue = 91\n'
                    'target_op = ">="\ntarget = 96\n', encoding="utf-8")
    t = read_source_table(path, s.INDICATORS, 2020)
    assert t.column(s.VALUE).to_pylist() == [91.0]
    assert t.column(s.TARGET).to_pylist() == [96.0]


def test_unquoted_date_is_not_accepted_as_text(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text('section = "Mål"\n[[rows]]\ngoal_id = "1.5"\nname = "Bredband"\nunit = "%"\nvalue = 91\n'
                    "period = 2019-10-01\n", encoding="utf-8")
    [p] = _problems(path, s.INDICATORS)
    assert (p.row, p.column) == (1, s.PERIOD)
    assert "ska vara text" in p.message


def test_toml_syntax_error_names_the_file_and_the_line(tmp_path):
    path = _write(tmp_path, GOOD_ROW + '[[rows]]\nproject = "Exploatering\nbudget = 200\n')
    [p] = _problems(path)
    assert (p.file, p.table) == (str(path), s.INVESTMENTS)
    assert "går inte att läsa som TOML" in p.message
    assert "line 11" in p.message  # the unterminated string is on line 11 of the file
    assert str(path) in p.describe()


@pytest.mark.parametrize(("content", "words"), [
    pytest.param(b"\xff\xfe not utf-8", ["UTF-8"], id="not utf-8"),
    pytest.param(b'section = "x"\nrows = 5\n', ["'rows'", "lista"], id="rows not a list"),
])
def test_unreadable_file_structure(tmp_path, content, words):
    path = tmp_path / "investments.toml"
    path.write_bytes(content)
    [p] = _problems(path)
    assert p.file == str(path)
    for word in words:
        assert word in p.message


def test_row_that_is_not_a_table(tmp_path):
    path = tmp_path / "investments.toml"
    path.write_text('section = "x"\nrows = [1]\n', encoding="utf-8")
    [p] = _problems(path)
    assert (p.row, p.column) == (1, None)
    assert "inte en tabell" in p.message


def test_missing_file(tmp_path):
    [p] = _problems(tmp_path / "investments.toml")
    assert p.file == str(tmp_path / "investments.toml")
    assert "filen saknas" in p.message


def test_goal_area_is_derived_from_goal_id():
    rows = [{"goal_id": "4.2", "title": "Mål"}, {"goal_id": "12.1", "title": "Mål"}]
    t = convert_rows(rows, s.GOALS, 2020, "Måluppföljning", "goals.toml")
    assert t.column(s.AREA).to_pylist() == [4, 12]


def test_goal_id_that_gives_no_area_points_at_goal_id_not_area():
    with pytest.raises(DataError) as info:
        convert_rows([{"goal_id": "A.4", "title": "Mål"}], s.GOALS, 2020, "Måluppföljning", "goals.toml")
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == ("goals.toml", 1, s.GOAL_ID)
    assert "'A.4'" in p.message


def test_missing_goal_id_is_reported_once():
    with pytest.raises(DataError) as info:
        convert_rows([{"title": "Mål"}], s.GOALS, 2020, "Måluppföljning", "goals.toml")
    assert [(p.row, p.column) for p in info.value.problems] == [(1, s.GOAL_ID)]


def test_missing_section_everywhere_is_an_error():
    with pytest.raises(DataError) as info:
        convert_rows([{"name": "KLK", "org_type": "office"}], s.ORGANISATION, 2020, None, "organisation.toml")
    assert [(p.row, p.column) for p in info.value.problems] == [(1, s.SECTION)]


def test_a_year_folder_reports_problems_of_every_file(tmp_path):
    year = tmp_path / "2020"
    shutil.copytree(SOURCE_DIR / "2020", year)
    (year / "comparisons.toml").unlink()
    gp = year / "goals.toml"
    gp.write_text(gp.read_text(encoding="utf-8").replace('goal_id = "2.2"', "goal_id = 2.2"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_source_year(year)
    got = sorted((Path(p.file).name, p.row, p.column) for p in info.value.problems)
    assert got == [("comparisons.toml", None, None), ("goals.toml", 5, s.GOAL_ID)]


def test_real_source_reads_every_table():
    tables = read_source_year(SOURCE_DIR / "2020")
    assert set(tables) == set(s.TABLES)
    assert tables[s.GOALS].num_rows == 11
    assert tables[s.ACTIVITIES].num_rows == 8


def test_source_years(tmp_path):
    assert get_source_years(SOURCE_DIR) == [2020]
    for name in ("2021", "2019", "mallar"):
        (tmp_path / name).mkdir()
    (tmp_path / "2022").write_text("not a folder", encoding="utf-8")
    assert get_source_years(tmp_path) == [2019, 2021]
    assert get_source_years(tmp_path / "saknas") == []
