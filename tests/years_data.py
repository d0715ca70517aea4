"""A second report year for the tests, made by the real import (never committed as data).

``make_two_year_data`` copies data/ (Parquet and source/2020) into a temporary folder, writes a 2021 source folder
from the 2020 one with a few changed figures (below), and imports it with ``python -m ks_data import … --year 2021``
into that copy. The session fixture ``two_year_data`` does this once per test run; ``two_years`` points the app
(KS_DATA_DIR) at it.

What 2021 changes against 2020 (everything else is 2020's, one year on):
- Näringslivskontor spends 1 000 tkr more: net costs' and the operating statement's outcome and deviation follow,
  so the sums still add up (net result −105 869 tkr against budget −105 546, deviation −323; 2020: −104 869, +677);
  last year's outcome is 2020's.
- Goal 1.3's composite indicator is 82 % (2020: 80 %); every indicator period is a year later ("hösten 2021").
- The comparison figures cover 2019–2021 (each measure year one on).
- The year's summary ("Årets verksamhet") opens with another sentence (RECOVERY_WORD is only in 2021).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ks_data import schema as s
from ks_data.__main__ import main
from tests.helpers import DATA_DIR, SOURCE_DIR

OLD_YEAR, NEW_YEAR = 2020, 2021
# Net result (operating statement's sum row), tkr: (budget, outcome, deviation) per year.
NET_RESULT = {2020: (-105546, -104869, 677), 2021: (-105546, -105869, -323)}
COMPOSITE = "Sammanvägt mätvärde: livskvalitet, service och klimatsmart"
COMPOSITE_VALUE = {2020: 80.0, 2021: 82.0}
RECOVERY_WORD = "återhämtningen"

# (file, printed text in 2020, text in 2021): each must occur exactly once.
EDITS = (
    ("net_costs.toml", "outcome = -8736\ndeviation = -356", "outcome = -9736\ndeviation = -1356"),
    ("net_costs.toml", "outcome = -104869\ndeviation = 677", "outcome = -105869\ndeviation = -323"),
    ("operating.toml", "outcome_prev = 104395", "outcome_prev = 36014"),
    ("operating.toml", "outcome = -140883\ndeviation = -5417\noutcome_prev = -194430",
     "outcome = -141883\ndeviation = -6417\noutcome_prev = -140883"),
    ("operating.toml", "outcome = -104869\ndeviation = 677\noutcome_prev = -90034",
     "outcome = -105869\ndeviation = -323\noutcome_prev = -104869"),
    ("indicators.toml", f'name = "{COMPOSITE}"\nunit = "%"\nvalue = 80.0',
     f'name = "{COMPOSITE}"\nunit = "%"\nvalue = 82.0'),
    ("narrative.toml", "Timrå kommun är hårt påverkad av pandemihanteringen",
     f"Timrå kommun är fortsatt påverkad av pandemin och {RECOVERY_WORD}"),
)


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _shift_years(folder: Path, file: str, key: str) -> None:
    """Move every year in the lines ``key = …`` of ``file`` one year on."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    shifted = re.sub(rf"(?m)^{key} = .*$",
                     lambda line: re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", lambda y: str(int(y.group()) + 1), line.group()),
                     text)
    path.write_text(shifted, encoding="utf-8")


def write_source_2021(out: Path) -> Path:
    """Write the 2021 source folder (2020's with the changes above) to ``out`` and return it."""
    shutil.copytree(SOURCE_DIR / str(OLD_YEAR), out)
    for file, old, new in EDITS:
        _edit(out, file, old, new)
    _edit(out, "operating.toml", _note_line(out / "operating.toml"), "")
    _shift_years(out, "indicators.toml", "period")
    _shift_years(out, "comparisons.toml", "measure_year")
    return out


def _note_line(path: Path) -> str:
    """Return the operating statement's footnote line (2020's remark on 2019), which 2021 does not print."""
    match = re.search(r"(?m)^note = .*\n", path.read_text(encoding="utf-8"))
    assert match, "operating.toml has no note"
    return match.group()


def make_two_year_data(root: Path) -> Path:
    """Return a copy of data/ under ``root`` into which 2021 has been imported by ``python -m ks_data import``."""
    data = root / "data"
    data.mkdir(parents=True)
    for table in s.TABLES:
        shutil.copyfile(DATA_DIR / s.get_file_name(table), data / s.get_file_name(table))
    shutil.copytree(SOURCE_DIR, data / "source")
    folder = write_source_2021(root / "inlamning" / str(NEW_YEAR))
    assert main(["import", str(folder), "--year", str(NEW_YEAR), "--data", str(data)]) == 0
    return data


@pytest.fixture(scope="session")
def two_year_data(tmp_path_factory) -> Path:
    """A data folder with the report years 2020 and 2021 (2021 imported by the real import), made once per run."""
    return make_two_year_data(tmp_path_factory.mktemp("two_years"))


@pytest.fixture
def two_years(two_year_data, monkeypatch) -> Path:
    """Point the app at the two-year data folder for one test."""
    monkeypatch.setenv("KS_DATA_DIR", str(two_year_data))
    return two_year_data
