"""The Excel template and the import of a new year: Swedish sheets, all-or-nothing, every problem at once.

The second year (2021) is made by the import itself, from the template of the 2020 data, in a temporary copy of
data/; nothing here writes to the repository's data.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ks_data import labels
from ks_data import schema as s
from ks_data.__main__ import main
from ks_data.build import STAGING_PREFIX, build, remove_stale_staging
from ks_data.fmt import format_number
from ks_data.load import load_tables
from ks_data.outputs.workbook import (
    INSTRUCTIONS,
    PAUSE_AFTER_TEMP_WRITES,
    PAUSE_BEFORE_SWITCH,
    PAUSE_ENV,
    PAUSE_MARKER,
    TKR_FORMAT,
    cell_value,
    import_year,
    parse_number,
    sheet_columns,
    write_template,
)
from ks_data.source import get_source_years, read_source_year
from tests.helpers import DATA_DIR, REPO_ROOT, SOURCE_DIR

NEW_YEAR = 2021


# --- helpers --------------------------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of data/ (Parquet files and source/2020) that the import may change."""
    out = tmp_path / "data"
    out.mkdir()
    for table in s.TABLES:
        shutil.copyfile(DATA_DIR / s.get_file_name(table), out / s.get_file_name(table))
    shutil.copytree(SOURCE_DIR, out / "source")
    return out


@pytest.fixture(scope="module")
def template_2020(tmp_path_factory) -> Path:
    """The template written from the committed 2020 source (shared, never modified; tests copy it)."""
    return write_template(tmp_path_factory.mktemp("template") / "mall.xlsx", SOURCE_DIR, 2020)


@pytest.fixture
def workbook(template_2020, tmp_path) -> Path:
    """A private copy of the 2020 template that a test may break."""
    path = tmp_path / "rapport.xlsx"
    shutil.copyfile(template_2020, path)
    return path


def checksums(folder: Path) -> dict[str, str]:
    """Return sha256 per file under ``folder`` (hidden ones too), by path relative to it."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def visible(folder: Path) -> set[str]:
    """Return the paths under ``folder`` that no part of marks hidden (the build and the loader only see these)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def run_import(workbook: Path, data_dir: Path, *extra: str) -> int:
    return main(["import", str(workbook), "--year", str(NEW_YEAR), "--data", str(data_dir), *extra])


def column_of(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no header {header!r} on sheet {ws.title!r}")


def set_cell(wb, sheet: str, row: int, header: str, value) -> None:
    ws = wb[sheet]
    ws.cell(row, column_of(ws, header)).value = value


def get_cell(wb, sheet: str, row: int, header: str):
    ws = wb[sheet]
    return ws.cell(row, column_of(ws, header)).value


# --- names ----------------------------------------------------------------------------------------------------------


def test_every_sheet_column_and_code_has_a_swedish_name():
    names = [labels.get_sheet_name(t) for t in s.TABLES]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    for table in s.TABLES:
        headers = [labels.get_header(table, c) for c in sheet_columns(table)]
        assert len(set(h.casefold() for h in headers)) == len(headers), table
        assert not set(sheet_columns(table)) & set(s.DERIVED_AT_BUILD)
    for (table, column), codes in s.CODES.items():
        words = labels.get_code_words(table, column)
        assert list(words) == list(codes)
        assert len(set(words.values())) == len(words)


def test_tkr_columns_show_their_unit_in_the_header():
    assert labels.get_header(s.OPERATING, s.BUDGET) == "Budget (tkr)"
    assert labels.get_header(s.INDICATORS, s.VALUE) == "Värde"


@pytest.mark.parametrize(("value", "table", "column", "expected"), [
    ("1 000", s.OPERATING, s.BUDGET, 1000),
    ("\u2212105\u00a0546", s.OPERATING, s.BUDGET, -105546),
    (-837.0, s.NET_COSTS, s.DEVIATION, -837),
    ("12,5", s.INDICATORS, s.VALUE, 12.5),
    (80, s.INDICATORS, s.VALUE, 80.0),
    (1.3, s.GOALS, s.GOAL_ID, "1.3"),
    (500, s.ACTIVITIES, s.INVESTMENT, "500"),
    ("  DELVIS   uppfyllt ", s.GOALS, s.ASSESSMENT, "partly"),
    ("partly", s.GOALS, s.ASSESSMENT, "partly"),
    ("intervall", s.INDICATORS, s.TARGET_OP, "range"),
    (">=", s.INDICATORS, s.TARGET_OP, ">="),
    ("Kommunalt bolag", s.ORGANISATION, s.ORG_TYPE, "municipal_company"),
    ("   ", s.GOALS, s.COMMENT, None),
])
def test_cell_values_are_read_leniently(value, table, column, expected):
    assert cell_value(value, table, column) == (expected, None)


@pytest.mark.parametrize(("value", "table", "column", "fragment"), [
    ("ungefär 100", s.OPERATING, s.BUDGET, "ska vara ett heltal i tkr"),
    (12.5, s.OPERATING, s.BUDGET, "ska vara ett heltal"),
    (True, s.OPERATING, s.BUDGET, "SANT"),
    ("1,000.5", s.INDICATORS, s.VALUE, "ska vara ett tal"),
    (pd.Timestamp("2021-03-01").to_pydatetime(), s.GOALS, s.GOAL_ID, "datum"),
    ("varav", s.OPERATING, s.ROW_KIND, "tillåtna värden: post, summa"),
    (99999, s.COMPARISONS, s.MEASURE_YEAR, "utanför det tillåtna intervallet"),
])
def test_bad_cell_values_get_a_swedish_reason(value, table, column, fragment):
    got, error = cell_value(value, table, column)
    assert got is None and fragment in error


@settings(deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12))
def test_numbers_formatted_the_swedish_way_parse_back(n):
    assert parse_number(format_number(n)) == n
    assert parse_number(format_number(n / 10, 1)) == pytest.approx(round(n / 10, 1))


# --- the template ---------------------------------------------------------------------------------------------------


def test_template_has_instructions_and_a_sheet_per_table_with_swedish_headers_and_2020_rows(template_2020):
    wb = openpyxl.load_workbook(template_2020)
    assert wb.sheetnames == [INSTRUCTIONS] + [labels.get_sheet_name(t) for t in s.TABLES]
    source = read_source_year(SOURCE_DIR / "2020")
    for table in s.TABLES:
        ws = wb[labels.get_sheet_name(table)]
        headers = [c.value for c in ws[1]]
        assert headers == [labels.get_header(table, c) for c in sheet_columns(table)]
        assert not {"year", "position", "area", "År", "Ordning", "Målområde"} & set(headers)
        assert ws.max_row - 1 == source[table].num_rows, table
        assert ws.freeze_panes == "A2"
    assert get_cell(wb, "Mål", 2, "Målnummer") == "1.3"
    assert get_cell(wb, "Mål", 3, "Bedömning") == "ej bedömt"
    assert get_cell(wb, "Styrtal", 2, "Jämförelse") == "minst"
    assert get_cell(wb, "Styrtal", 2, "Bättre är") == "högre"
    assert get_cell(wb, "Organisation", 2, "Typ av organ") == "kontor"
    assert get_cell(wb, "Löptext", 2, "Typ") == "stycke"
    assert get_cell(wb, "Driftredovisning", 4, "Budget (tkr)") == -105546
    ws = wb["Driftredovisning"]
    for header in ("Budget (tkr)", "Utfall (tkr)", "Avvikelse (tkr)", "Utfall föregående år (tkr)"):
        assert ws.cell(2, column_of(ws, header)).number_format == TKR_FORMAT
    ws = wb["Mål"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(column_of(ws, "Bedömning"))
    assert lists[f"{letter}2"] == '"uppfyllt,delvis uppfyllt,ej uppfyllt,ej bedömt"'
    instructions = "\n".join(str(c.value) for row in wb[INSTRUCTIONS].iter_rows() for c in row if c.value)
    for fragment in ("python -m ks_data import rapport.xlsx --year 2021", "--replace", "Teckenkonvention",
                     "Avvikelse = utfall − budget", "Avvikelse = budget − utfall", "Lämna en cell tom",
                     "Driftredovisning", "delvis uppfyllt"):
        assert fragment in instructions


def test_template_cli_writes_the_latest_year_and_leaves_no_temporary_file(tmp_path, capsys):
    assert main(["template", str(tmp_path / "mall.xlsx"), "--source", str(SOURCE_DIR)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mall.xlsx"]
    assert get_cell(openpyxl.load_workbook(tmp_path / "mall.xlsx"), "Mål", 2, "Målnummer") == "1.3"
    assert main(["template", str(tmp_path / "x.xlsx"), "--source", str(SOURCE_DIR), "--year", "1999"]) == 1
    assert "året 1999 finns inte" in capsys.readouterr().err


# --- the import: round trip -----------------------------------------------------------------------------------------


def test_round_trip_template_then_import_gives_2020_again_as_2021(workbook, data_dir, capsys):
    before = checksums(data_dir)
    assert run_import(workbook, data_dir) == 0, capsys.readouterr().err
    after = checksums(data_dir)
    assert {k: v for k, v in after.items() if k.startswith("source/2020/")} == \
        {k: v for k, v in before.items() if k.startswith("source/2020/")}
    assert get_source_years(data_dir / "source") == [2020, NEW_YEAR]
    assert sorted(visible(data_dir / "source" / str(NEW_YEAR))) == sorted(f"{t}.toml" for t in s.TABLES)
    assert not [p for p in data_dir.rglob(".*")], "no temporary files may be left"

    frames, problems = load_tables(data_dir)
    assert problems == []
    originals, _ = load_tables(DATA_DIR)
    for table, df in frames.items():
        old = df[df[s.YEAR] == 2020].reset_index(drop=True)
        new = df[df[s.YEAR] == NEW_YEAR].reset_index(drop=True)
        pd.testing.assert_frame_equal(old, originals[table], obj=table)
        pd.testing.assert_frame_equal(new.drop(columns=s.YEAR), old.drop(columns=s.YEAR), obj=table)

    # The Parquet files are exactly what a plain build of the new source gives.
    build(data_dir / "source", data_dir.parent / "rebuilt")
    assert checksums(data_dir.parent / "rebuilt") == {k: v for k, v in after.items() if "/" not in k}

    # The year now exists: without --replace nothing changes, with it the same workbook gives the same bytes.
    assert run_import(workbook, data_dir) == 1
    assert "året 2021 finns redan; lägg till --replace" in capsys.readouterr().err
    assert checksums(data_dir) == after
    assert run_import(workbook, data_dir, "--replace") == 0
    assert checksums(data_dir) == after


def test_changed_values_in_the_workbook_reach_the_new_year(workbook, data_dir):
    wb = openpyxl.load_workbook(workbook)
    set_cell(wb, "Mål", 2, "Bedömning", "Uppfyllt")
    set_cell(wb, "Investeringar", 2, "Budget (tkr)", "1 500")
    set_cell(wb, "Investeringar", 2, "Avvikelse (tkr)", 1500)
    set_cell(wb, "Investeringar", 7, "Budget (tkr)", 13200)  # the sum row follows its parts
    set_cell(wb, "Investeringar", 7, "Avvikelse (tkr)", 1605)
    set_cell(wb, "Mål", 2, "Kommentar", "Första stycket.\r\n\r\nAndra stycket.")
    wb.save(workbook)
    result = import_year(workbook, NEW_YEAR, data_dir / "source", data_dir)
    assert result.year == NEW_YEAR
    frames, _ = load_tables(data_dir)
    goals = frames[s.GOALS].set_index([s.YEAR, s.GOAL_ID])
    assert goals.loc[(NEW_YEAR, "1.3"), s.ASSESSMENT] == "fulfilled"
    assert pd.isna(goals.loc[(2020, "1.3"), s.ASSESSMENT])
    assert goals.loc[(NEW_YEAR, "1.3"), s.COMMENT] == "Första stycket.\n\nAndra stycket."
    inv = frames[s.INVESTMENTS].set_index([s.YEAR, s.PROJECT])
    assert inv.loc[(NEW_YEAR, "Strategiska markköp"), s.BUDGET] == 1500


def test_a_source_folder_can_be_imported_as_the_new_year(data_dir, tmp_path, capsys):
    folder = tmp_path / "inlamning"
    shutil.copytree(SOURCE_DIR / "2020", folder)
    assert main(["import", str(folder), "--year", str(NEW_YEAR), "--data", str(data_dir)]) == 0
    # The import takes the tables; the report text and its README beside them stay with the folder they came in.
    tables = {name: digest for name, digest in checksums(folder).items() if name.endswith(".toml")}
    assert checksums(data_dir / "source" / str(NEW_YEAR)) == tables
    # A folder named after another year is refused, and so is a broken one, with file, row and column.
    other = tmp_path / "2019"
    shutil.copytree(folder, other)
    path = other / "net_costs.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("budget = -8380", 'budget = "-8 380"'), encoding="utf-8")
    before = checksums(data_dir)
    assert main(["import", str(other), "--year", "2022", "--data", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "mappen heter 2019 men --year är 2022" in err
    assert "net_costs.toml, tabell net_costs, rad 4, kolumn budget" in err
    assert checksums(data_dir) == before


def test_the_year_folder_itself_can_be_validated_and_built(data_dir, tmp_path, capsys):
    folder = data_dir / "source" / "2020"
    before = checksums(data_dir)
    assert main(["import", str(folder), "--data", str(data_dir)]) == 0, capsys.readouterr().err
    assert checksums(data_dir) == before  # same source, same deterministic build


# --- the import: broken workbooks -----------------------------------------------------------------------------------


def _missing_sheet(wb):
    del wb["Styrtal"]


def _unknown_header(wb):
    wb["Styrtal"].cell(1, column_of(wb["Styrtal"], "Målvärde")).value = "Målvärdet"


def _text_in_tkr(wb):
    set_cell(wb, "Driftredovisning", 2, "Budget (tkr)", "ungefär 30 000")


def _unknown_word(wb):
    set_cell(wb, "Mål", 3, "Bedömning", "klart")


def _empty_required(wb):
    set_cell(wb, "Mål", 4, "Rubrik", None)


def _duplicate_key(wb):
    set_cell(wb, "Organisation", 3, "Organ", get_cell(wb, "Organisation", 2, "Organ"))


def _unknown_goal(wb):
    set_cell(wb, "Styrtal", 2, "Målnummer", "9.9")


def _bad_deviation(wb):
    set_cell(wb, "Nettokostnad", 5, "Avvikelse (tkr)", 9999)


BROKEN = {
    "missing sheet": (_missing_sheet, ["blad 'Styrtal': bladet saknas"]),
    "unknown header": (_unknown_header, ["blad 'Styrtal', rad 1, kolumn 'Målvärdet': okänd kolumnrubrik",
                                         "blad 'Styrtal', rad 1, kolumn 'Målvärde': kolumnen saknas"]),
    "text in a tkr column": (_text_in_tkr, ["blad 'Driftredovisning', rad 2, kolumn 'Budget (tkr)': värdet "
                                            "'ungefär 30 000' ska vara ett heltal i tkr"]),
    "unknown status word": (_unknown_word, ["blad 'Mål', rad 3, kolumn 'Bedömning': okänt värde 'klart'; "
                                            "tillåtna värden: uppfyllt, delvis uppfyllt, ej uppfyllt, ej bedömt"]),
    "empty required cell": (_empty_required, ["blad 'Mål', rad 4, kolumn 'Rubrik': värde saknas men krävs"]),
    "duplicate key": (_duplicate_key, ["blad 'Organisation', rad 3: samma nyckel (Organ=Kommunledningskontoret) "
                                       "som rad 2"]),
    "indicator with unknown goal": (_unknown_goal, ["blad 'Styrtal', rad 2, kolumn 'Målnummer': målet 9.9 finns "
                                                    "inte på bladet 'Mål' för år 2021"]),
    "deviation beyond rounding": (_bad_deviation, ["blad 'Nettokostnad', rad 5, kolumn 'Avvikelse (tkr)': "
                                                   "avvikelsen 9999 tkr stämmer inte"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_workbook_writes_nothing_and_names_sheet_row_and_column(case, workbook, data_dir, capsys):
    breaker, expected = BROKEN[case]
    wb = openpyxl.load_workbook(workbook)
    breaker(wb)
    wb.save(workbook)
    before = checksums(data_dir)
    assert run_import(workbook, data_dir) == 1
    err = capsys.readouterr().err
    assert "inga filer skrevs" in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} missing from:\n{err}"
    listed = [line for line in err.splitlines() if line.startswith("  - ")]
    assert listed and all("blad '" in line and "tabell" not in line and "goal_id" not in line for line in listed), \
        "the clerk sees sheets and Swedish headers, not tables and column names"
    assert checksums(data_dir) == before


def test_every_problem_is_reported_at_once(workbook, data_dir, capsys):
    wb = openpyxl.load_workbook(workbook)
    for breaker, _ in BROKEN.values():
        if breaker not in (_missing_sheet, _unknown_header):  # those two would hide the Styrtal checks
            breaker(wb)
    wb.save(workbook)
    before = checksums(data_dir)
    assert run_import(workbook, data_dir) == 1
    err = capsys.readouterr().err
    for breaker, expected in BROKEN.values():
        if breaker not in (_missing_sheet, _unknown_header):
            for fragment in expected:
                assert fragment in err, f"{fragment!r} missing from:\n{err}"
    assert "Rätta följande 6 fel" in err, err
    assert checksums(data_dir) == before


def test_an_unreadable_file_is_one_clear_problem(tmp_path, data_dir, capsys):
    bad = tmp_path / "rapport.xlsx"
    bad.write_text("inte en arbetsbok", encoding="utf-8")
    before = checksums(data_dir)
    assert run_import(bad, data_dir) == 1
    assert "går inte att läsa som en Excel-arbetsbok" in capsys.readouterr().err
    assert main(["import", str(bad), "--data", str(data_dir)]) == 1
    assert "--year" in capsys.readouterr().err
    assert checksums(data_dir) == before


def test_a_formula_without_a_saved_value_is_a_problem(workbook, data_dir, capsys):
    wb = openpyxl.load_workbook(workbook)
    set_cell(wb, "Driftredovisning", 4, "Budget (tkr)", "=B2+B3")
    wb.save(workbook)
    assert run_import(workbook, data_dir) == 1
    assert "blad 'Driftredovisning', rad 4, kolumn 'Budget (tkr)': cellen innehåller en formel utan sparat värde" \
        in capsys.readouterr().err


# --- the import: interrupted ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("point", [
    PAUSE_AFTER_TEMP_WRITES,  # every new file written, nothing renamed
    PAUSE_BEFORE_SWITCH,      # the new data folder made beside the old one, not yet swapped in
])
def test_an_import_killed_midway_changes_no_existing_file(workbook, data_dir, point):
    before = checksums(data_dir)
    shown = visible(data_dir)
    env = os.environ | {PAUSE_ENV: point, "PYTHONPATH": str(REPO_ROOT)}
    cmd = [sys.executable, "-m", "ks_data", "import", str(workbook), "--year", str(NEW_YEAR), "--data", str(data_dir)]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        seen = []
        while not (seen and seen[-1].startswith(PAUSE_MARKER)):
            line = proc.stderr.readline()
            assert line, "the import ended before its pause point:\n" + "".join(seen)
            seen.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()

    # Killed after every temporary file was written and before any rename:
    after = checksums(data_dir)
    assert {k: after.get(k) for k in before} == before, "every existing file is byte-identical"
    staged = [k for k in after if k not in before]
    assert staged and all(any(part.startswith(STAGING_PREFIX) for part in Path(k).parts) for k in staged)
    assert any(k.endswith(".parquet") for k in staged) and any(k.endswith(".toml") for k in staged)
    assert visible(data_dir) == shown, "the temporary files are hidden from the build and the loader"
    assert get_source_years(data_dir / "source") == [2020]
    frames, problems = load_tables(data_dir)
    assert problems == [] and all((df[s.YEAR] == 2020).all() for df in frames.values())
    build(data_dir / "source", data_dir.parent / "rebuilt")

    beside = [p.name for p in data_dir.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert len(beside) == (1 if point == PAUSE_BEFORE_SWITCH else 0), beside

    # The next import cleans up after the killed one and succeeds.
    assert run_import(workbook, data_dir) == 0
    assert not [p for p in data_dir.rglob("*") if p.name.startswith(".")]
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert get_source_years(data_dir / "source") == [2020, NEW_YEAR]


def test_the_new_year_replaces_the_old_data_in_one_step(workbook, data_dir, monkeypatch):
    # The data folder is swapped whole for one holding the new year (nine files renamed one by one would show a mix
    # of old and new in between, and did: a kill between two renames in the random-kill test below).
    from ks_data import build as build_module

    swaps = []
    exchange = build_module._exchange
    monkeypatch.setattr(build_module, "_exchange", lambda a, b: swaps.append(b) or exchange(a, b))
    old_folder = os.stat(data_dir).st_ino
    assert run_import(workbook, data_dir) == 0
    assert swaps == [data_dir] and os.stat(data_dir).st_ino != old_folder
    assert get_source_years(data_dir / "source") == [2020, NEW_YEAR]
    frames, problems = load_tables(data_dir)
    assert problems == [] and sorted(set(frames[s.GOALS][s.YEAR])) == [2020, NEW_YEAR]
    assert not [p for p in data_dir.rglob("*") if p.name.startswith(".")]
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_where_folders_cannot_be_swapped_the_files_are_renamed_one_by_one(workbook, data_dir, monkeypatch):
    from ks_data import build as build_module

    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)
    assert run_import(workbook, data_dir) == 0
    assert get_source_years(data_dir / "source") == [2020, NEW_YEAR]
    frames, problems = load_tables(data_dir)
    assert problems == [] and sorted(set(frames[s.GOALS][s.YEAR])) == [2020, NEW_YEAR]
    assert not [p for p in data_dir.rglob("*") if p.name.startswith(".")]
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]


@pytest.mark.parametrize("command", ["import", "build"])
def test_a_second_import_or_build_of_the_folder_waits_for_the_first_and_says_so(workbook, data_dir, command):
    # Two at once would each swap in a folder made from what it held before: the second would drop the first's year.
    from ks_data.build import LOCK_PREFIX

    before = checksums(data_dir)
    args = (["import", str(workbook), "--year", str(NEW_YEAR), "--data", str(data_dir)] if command == "import"
            else ["build", "--source", str(data_dir / "source"), "--out", str(data_dir)])
    with open(data_dir.parent / f"{LOCK_PREFIX}{data_dir.name}", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the first one, still writing
        proc = subprocess.Popen([sys.executable, "-m", "ks_data", *args], cwd=REPO_ROOT,
                                env=os.environ | {"PYTHONPATH": str(REPO_ROOT)}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        try:
            line = proc.stderr.readline()
            assert line.startswith(f"Väntar på att en annan import eller ett annat bygge av {data_dir}"), line
            assert proc.poll() is None and checksums(data_dir) == before
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    try:
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    finally:
        watchdog.cancel()
        proc.stderr.close()
    assert get_source_years(data_dir / "source") == ([2020, NEW_YEAR] if command == "import" else [2020])


KILLS = 20


def _import_process(workbook: Path, data_dir: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "ks_data", "import", str(workbook), "--year", str(NEW_YEAR), "--data", str(data_dir)]
    return subprocess.Popen(cmd, cwd=REPO_ROOT, env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _shown_checksums(folder: Path) -> dict[str, str]:
    """Checksums of the files the build and the loader see (no hidden staging folder)."""
    shown = visible(folder)
    return {k: v for k, v in checksums(folder).items() if k in shown}


def test_an_import_killed_at_20_random_moments_leaves_data_byte_identical(workbook, data_dir, tmp_path):
    """`python -m ks_data import` killed with SIGKILL at random moments of its run (start-up, reading, checking,
    writing, building): every time, each file the app reads is byte-identical to before (a kill after the last
    rename leaves the whole new year instead, and does not count); what a kill leaves behind is only hidden staging
    folders, which the next import removes, after which data/ is byte-identical to before, hidden files included."""
    before, before_shown = checksums(data_dir), _shown_checksums(data_dir)
    pristine = tmp_path / "pristine"
    shutil.copytree(data_dir, pristine)
    # One run to the end: how long an import takes here, and what a completed one leaves.
    start = time.monotonic()
    finished = _import_process(workbook, data_dir)
    assert finished.wait(timeout=120) == 0
    duration = time.monotonic() - start
    completed = _shown_checksums(data_dir)
    assert completed != before_shown

    def restore() -> None:
        shutil.rmtree(data_dir)
        shutil.copytree(pristine, data_dir)

    restore()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    kills, late = [], 0
    while len(kills) < KILLS:
        assert late < KILLS, f"the import ended before {late} kills (seed {seed}, run {duration:.2f} s)"
        moment = rng.uniform(0.0, duration)
        started = time.monotonic()
        proc = _import_process(workbook, data_dir)
        try:
            proc.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
        code = proc.wait(timeout=60)
        if code == 0:
            # The first run was slower than this one (a busy machine): aim the next kills within a run's real length.
            duration = min(duration, time.monotonic() - started)
        shown = _shown_checksums(data_dir)
        where = f"kill at {moment:.2f} s of {duration:.2f} s (seed {seed})"
        if code == 0 or shown == completed:
            assert shown == completed, where  # finished before the kill: the whole new year, nothing torn
            late += 1
            restore()
            continue
        assert code == -signal.SIGKILL, where
        assert shown == before_shown, f"{where}: " + ", ".join(
            sorted(k for k in set(shown) | set(before_shown) if shown.get(k) != before_shown.get(k)))
        kills.append(moment)
    assert len(kills) == KILLS
    for folder in (data_dir, data_dir / "source", data_dir.parent):
        remove_stale_staging(folder)  # as the next import does first
    assert checksums(data_dir) == before
    assert not [p for p in data_dir.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
