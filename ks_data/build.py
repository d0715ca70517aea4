"""Building data/*.parquet from the editable source, deterministically and atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ks_data import schema as s
from ks_data.check import check_tables
from ks_data.errors import ERROR, DataError, Problem
from ks_data.source import SOURCE_SUFFIX, get_source_years, read_source_year


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` via a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        # Fixed options: the same input must give the same bytes.
        pq.write_table(table, tmp, compression="zstd", compression_level=9, write_statistics=False)
        # mkstemp makes the file private (0600); data files must be readable by the app's user too.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_all_sources(source_root: Path) -> dict[str, pa.Table]:
    """Read every year's source folder and stack the years per table, oldest first."""
    years = get_source_years(source_root)
    per_table: dict[str, list[pa.Table]] = {t: [] for t in s.TABLES}
    problems = []
    for year in years:
        try:
            tables = read_source_year(source_root / str(year))
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        for name, table in tables.items():
            per_table[name].append(table)
    if problems:
        raise DataError(problems)
    return {name: pa.concat_tables(parts) if parts else s.SCHEMAS[name].empty_table()
            for name, parts in per_table.items()}


def _in_source(problem: Problem, frames: dict, source_root: Path) -> Problem:
    """Point a problem found in the stacked tables at its source file and its row there."""
    df = frames.get(problem.table)
    if problem.row is None or df is None or not 0 < problem.row <= len(df):
        return problem
    r = df.iloc[problem.row - 1]
    file = source_root / str(int(r[s.YEAR])) / f"{problem.table}{SOURCE_SUFFIX}"
    return replace(problem, file=str(file), row=int(r[s.POSITION]))


def build(source_root: Path, out_dir: Path) -> dict[str, Path]:
    """Validate all sources, then write one Parquet file per table; write nothing if any error is found."""
    tables = read_all_sources(source_root)
    frames = {name: t.to_pandas() for name, t in tables.items()}
    errors = [_in_source(p, frames, source_root) for p in check_tables(frames, data_dir=source_root)
              if p.severity == ERROR]
    if errors:
        raise DataError(errors)
    written = {}
    for name, table in tables.items():
        path = out_dir / s.get_file_name(name)
        write_parquet_atomic(table, path)
        written[name] = path
    return written
