"""AppTest tests of the Om data page (pages/5_om_data.py), opened through the entrypoint app.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ks_data import schema as s
from tests import apptest_util

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/5_om_data.py"
SELECT_KEY = "about.tabell"


def open_page(tabell: str | None = None, lang: str | None = None) -> AppTest:
    """Run app.py, then switch to the Om data page with ?tabell=<tabell> (and ?lang=<lang>)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.query_params.clear()
    if tabell is not None:
        at.query_params["tabell"] = tabell
    if lang is not None:
        at.query_params["lang"] = lang
    at.switch_page(PAGE).run()
    return at


def _plain(df: pd.DataFrame) -> str:
    """All cells and headers of a shown table as one text, with the Markdown escapes removed."""
    cells = [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]
    return "\n".join(cells).replace("\\", "")


def _all_tables(at: AppTest) -> str:
    return "\n".join(_plain(t) for t in apptest_util.get_tables(at))


def _page_downloads(at: AppTest) -> list[str]:
    """The labels of the page's own downloads (data, zip, PDF report), not those under each table (keys "dl_...")."""
    return [b.proto.label for b in at.get("download_button") if not (b.key or "").startswith("dl_")]


def _dictionary_columns(at: AppTest) -> list[str]:
    """The Kolumn column of the data dictionary shown on the page."""
    for table in apptest_util.get_tables(at):
        if list(table.columns[:2]) == ["Kolumn", "Typ"]:
            return list(table["Kolumn"])
    raise AssertionError("no data dictionary shown")


@pytest.fixture
def good_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the bundled data folder."""
    monkeypatch.delenv("KS_DATA_DIR", raising=False)


def test_good_data_shows_everything_without_errors(good_data) -> None:
    """No exception, no error; source line, all nine tables, 7 mismatches with Swedish numbers, two downloads."""
    at = open_page("investments")
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert at.title[0].value == "Om data"
    text = "\n".join(m.value for m in at.markdown)
    assert "Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun" in text
    assert "32 kontroller, 7 skillnader" in text
    assert "Så läser du siffrorna" in [h.value for h in at.subheader]
    tables = _all_tables(at)
    for table in s.TABLES:
        assert s.get_file_name(table) in tables
    assert "Ekonomi › Driftredovisning" in tables
    assert "\u221290\u00a0034\u00a0tkr" in tables
    assert "Utfall föregående år" in tables
    assert any("0 fel, 0 varningar" in x.value for x in at.success)
    assert _page_downloads(at) == ["CSV för Excel: Investeringsredovisning", "Hela datamängden (zip)", "Rapport (PDF)"]
    assert at.query_params["tabell"] in ("investments", ["investments"])


def test_mismatch_table_has_seven_rows(good_data) -> None:
    """The reconciliation table lists exactly the 7 differences."""
    at = open_page()
    mismatches = [t for t in apptest_util.get_tables(at) if "Skillnad" in t.columns]
    assert len(mismatches) == 1 and len(mismatches[0]) == 7


def test_table_selector_changes_the_dictionary(good_data) -> None:
    """The dictionary follows ?tabell= and the selector; the CSV button follows too."""
    at = open_page("investments")
    assert at.selectbox(key=SELECT_KEY).value == "investments"
    assert "project" in _dictionary_columns(at)
    at.selectbox(key=SELECT_KEY).set_value("indicators").run()
    assert not at.exception
    columns = _dictionary_columns(at)
    assert "target_op" in columns and "project" not in columns
    assert _page_downloads(at)[0] == "CSV för Excel: Styrtal och mätvärden"


def test_default_table_is_goals(good_data) -> None:
    """Without ?tabell= the first table, goals, is shown."""
    at = open_page()
    assert at.selectbox(key=SELECT_KEY).value == "goals"
    assert "goal_id" in _dictionary_columns(at)


def test_english_dictionary_describes_the_columns_in_english(good_data) -> None:
    """With ?lang=en the dictionary's headers and its column descriptions are English, not the schema's Swedish."""
    at = open_page("investments", lang="en")
    assert not at.exception
    dictionaries = [t for t in apptest_util.get_tables(at) if list(t.columns[:2]) == ["Column", "Type"]]
    assert len(dictionaries) == 1
    text = _plain(dictionaries[0])
    assert "Description" in text
    assert "Printed deviation = budget − outcome; positive = lower spending than budget" in text
    assert "The investment's name as in the report" in text
    assert "Tryckt avvikelse" not in text and "Investeringens namn" not in text


@pytest.mark.parametrize("bad", ["xyz", "<script>", "Goals"])
def test_invalid_table_param_gives_a_notice(good_data, bad: str) -> None:
    """An unknown ?tabell= shows a warning notice and falls back to goals."""
    at = open_page(bad)
    assert not at.exception
    assert any('"tabell"' in w.value for w in at.warning)
    assert at.selectbox(key=SELECT_KEY).value == "goals"
    assert [e.value for e in at.error] == []


@pytest.fixture
def broken_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Factory: a copy of data/ with one table's Parquet file overwritten by random bytes, set as KS_DATA_DIR."""

    def make(table: str) -> Path:
        data = tmp_path / "data"
        data.mkdir()
        for name in s.TABLES:
            shutil.copy2(ROOT / "data" / s.get_file_name(name), data / s.get_file_name(name))
        (data / s.get_file_name(table)).write_bytes(os.urandom(2048))
        monkeypatch.setenv("KS_DATA_DIR", str(data))
        return data

    return make


@pytest.mark.parametrize(("broken", "selected"), [(s.GOALS, s.INVESTMENTS), (s.OPERATING, s.OPERATING)])
def test_broken_file_is_listed_and_the_rest_still_shows(broken_dir, broken: str, selected: str) -> None:
    """A Parquet file of random bytes is a Swedish error (file, table, message); the other tables still show."""
    data = broken_dir(broken)
    at = open_page(selected)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("1 fel" in e for e in errors)
    tables = _all_tables(at)
    assert str(data / s.get_file_name(broken)) in tables
    assert "inte en läsbar Parquet-fil" in tables
    assert "Kan inte läsas" in tables
    for table in s.TABLES:
        assert s.get_file_name(table) in tables
    assert "Verksamhetsberättelse 2020, Kommunstyrelsen, Timrå kommun" in "\n".join(m.value for m in at.markdown)
    assert _dictionary_columns(at)[0] == "year"
    if broken == selected:
        assert any(f'Tabellen "{broken}" kan inte visas' in e for e in errors)
        assert _page_downloads(at) == ["Hela datamängden (zip)", "Rapport (PDF)"]
    else:
        assert len(_page_downloads(at)) == 3
        assert "32 kontroller, 7 skillnader" in "\n".join(m.value for m in at.markdown)
