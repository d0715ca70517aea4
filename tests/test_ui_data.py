"""ui/data.py: the tables as pages get them. A broken or empty table raises the error a page turns into a Swedish
message naming file and table, and the other tables are still read."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

import ui
import ui.data
from ks_data import schema as s
from ks_data.errors import DataError, Problem
from tests.helpers import copy_data


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = copy_data(tmp_path)
    monkeypatch.setenv("KS_DATA_DIR", str(folder))
    return folder


def test_an_unreadable_table_names_its_file_and_the_others_are_still_read(data_dir):
    (data_dir / s.get_file_name(s.NARRATIVE)).write_bytes(b"not parquet at all")
    with pytest.raises(DataError) as caught:
        ui.get_table(s.NARRATIVE)
    assert any(s.get_file_name(s.NARRATIVE) in p.describe() for p in caught.value.problems)
    loaded = ui.get_loaded_tables()
    assert s.NARRATIVE not in loaded and s.GOALS in loaded and not loaded[s.GOALS].empty


def test_a_table_without_rows_is_empty_not_broken(data_dir):
    path = data_dir / s.get_file_name(s.ACTIVITIES)
    pq.write_table(pq.read_table(path).slice(0, 0), path)
    with pytest.raises(ui.EmptyTableError) as caught:
        ui.get_table(s.ACTIVITIES)
    assert not isinstance(caught.value, ui.YearMissingError)
    assert ui.get_table(s.GOALS, by_year=True)[s.YEAR].nunique() == 1


def test_a_problem_is_shown_as_inert_markdown_and_cut_when_very_long():
    problem = Problem("data/goals.parquet", s.GOALS, "**fet** " + "x" * 1000, row=3, column="title")
    text = ui.data.format_problem(problem)
    assert text.endswith("…") and "\\*\\*fet\\*\\*" in text
    assert len(text) < ui.data.MAX_PROBLEM_CHARS + 40  # the escapes add a few characters
