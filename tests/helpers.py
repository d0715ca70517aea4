"""Shared helpers for the ks_data unit tests: paths, the committed data and the source report."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ks_data import schema as s
from ks_data.load import load_tables

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
SOURCE_DIR = DATA_DIR / "source"
FIXTURES_DIR = Path(__file__).resolve().parent / "data"
# The source report lives in the repository beside the data made from it, so a clone alone passes every test.
REPORT_PATH = SOURCE_DIR / "2020" / "verksamhetsberattelse-ks-2020.txt"


@functools.cache
def _committed_frames() -> dict[str, pd.DataFrame]:
    frames, problems = load_tables(DATA_DIR)
    assert not problems, "the committed data/*.parquet must load:\n" + "\n".join(p.describe() for p in problems)
    assert set(frames) == set(s.TABLES)
    return frames


def real_frames() -> dict[str, pd.DataFrame]:
    """Return fresh copies of every committed table, so a test may change them freely."""
    return {name: df.copy(deep=True) for name, df in _committed_frames().items()}


def real_table(table: str) -> pd.DataFrame:
    """Return a fresh copy of one committed table."""
    return _committed_frames()[table].copy(deep=True)


@functools.cache
def report_text() -> str:
    """Return the source report's text; fail (never skip) when it is missing."""
    if not REPORT_PATH.is_file():
        pytest.fail(f"The source report is missing: expected it at {REPORT_PATH}.", pytrace=False)
    return REPORT_PATH.read_text(encoding="utf-8")


def copy_data(tmp_path: Path, name: str = "data") -> Path:
    """Copy the committed data/*.parquet into ``tmp_path/name`` (without the source) and return that folder."""
    out = tmp_path / name
    out.mkdir()
    for table in s.TABLES:
        shutil.copyfile(DATA_DIR / s.get_file_name(table), out / s.get_file_name(table))
    return out
