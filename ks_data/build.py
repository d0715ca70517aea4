"""Building data/*.parquet from the editable source, deterministically and atomically: each file is written whole
before it is renamed, and the nine replace the old ones in one step (replace_at_once, also used by the import)."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ks_data import schema as s
from ks_data.check import check_tables
from ks_data.errors import ERROR, DataError, Problem
from ks_data.source import SOURCE_SUFFIX, get_source_years, read_source_year

# Hidden folders a build or an import stages its files in, beside or inside the data folder: never read by the build
# or the loader, and removed by the next build or import when the process that made them is gone.
STAGING_PREFIX = ".ks-import-"


LOCK_PREFIX = ".ks-lock-"
WAITING = "Väntar på att en annan import eller ett annat bygge av {folder} blir klart …"


@contextmanager
def hold_data_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's lock (a file beside it) while a build or an import writes it; wait, saying so, while
    another holds it. One at a time: the second's swap, made from the folder as it was, would drop the first's year."""
    try:
        fd = os.open(data_dir.parent / f"{LOCK_PREFIX}{data_dir.name}", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        fd = None  # nowhere to keep a lock beside the folder (read-only parent): as before, without one
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(WAITING.format(folder=data_dir), file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # and with it the lock


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove staging folders that a killed build or import left in ``folder``; return those removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        pid = entry.name[len(STAGING_PREFIX):].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue  # another build or import is running
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap paths ``a`` and ``b`` in one step; return False where the system or file system cannot."""
    # No Python binding of renameat2 in the standard library; ctypes reaches glibc's (2.28 or newer).
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _mirror(src: Path, dst: Path) -> None:
    """Make folder ``dst`` hold what folder ``src`` holds, its files as hard links (staging folders left out)."""
    dst.mkdir()
    shutil.copystat(src, dst)
    for entry in os.scandir(src):
        if entry.name.startswith(STAGING_PREFIX):
            continue
        target = dst / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            _mirror(Path(entry.path), target)
        else:
            os.link(entry.path, target)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_staging_name() -> str:
    """Return a fresh name for a staging folder of this process (hidden; remove_stale_staging knows it by its pid)."""
    return f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"


def replace_at_once(folder: Path, files: dict[Path, Path], before_switch: Callable[[], None] | None = None) -> bool:
    """Put each staged file (a value) at its place (its key, a path inside ``folder``) in one step: a hidden sibling
    of ``folder`` is made a copy of it with hard links, the staged files are linked into their places there, and the
    two folders are exchanged; the old folder is then removed. Return False, with nothing in ``folder`` changed, where
    that cannot be done (no hard links, no folder exchange, a place outside ``folder`` or behind a link out of it)."""
    remove_stale_staging(folder.parent)  # what a killed build or import left beside the folder
    swap = folder.parent / f"{new_staging_name()}-{folder.name}"
    root = folder.resolve()
    try:
        try:
            _mirror(folder, swap)
            for target, staged in files.items():
                # Resolved: a place reached through a link out of the folder would change the folder in use.
                place = swap / target.resolve().relative_to(root)
                place.parent.mkdir(parents=True, exist_ok=True)
                place.unlink(missing_ok=True)
                os.link(staged, place)
        except (OSError, ValueError):
            return False
        if before_switch is not None:
            before_switch()
        if not _exchange(swap, folder):
            return False
        _sync_folder(folder.parent)
        return True
    finally:
        shutil.rmtree(swap, ignore_errors=True)  # a partial copy, or after the exchange the old folder


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


def build(source_root: Path, out_dir: Path, at_once: bool = True) -> dict[str, Path]:
    """Validate all sources, then write one Parquet file per table; write nothing if any error is found. The files
    replace those in ``out_dir`` in one step (replace_at_once), so a reader or a killed build never leaves a mix of
    old and new tables; ``at_once=False`` writes each file in place (a staging folder no one reads)."""
    tables = read_all_sources(source_root)
    frames = {name: t.to_pandas() for name, t in tables.items()}
    errors = [_in_source(p, frames, source_root) for p in check_tables(frames, data_dir=source_root)
              if p.severity == ERROR]
    if errors:
        raise DataError(errors)
    written = {name: out_dir / s.get_file_name(name) for name in tables}
    if not at_once or not out_dir.is_dir():  # a staging folder, or a new one: no reader to keep from a mix
        for name, table in tables.items():
            write_parquet_atomic(table, written[name])
        return written
    with hold_data_lock(out_dir):
        remove_stale_staging(out_dir)
        stage = out_dir / new_staging_name()
        try:
            stage.mkdir()
            files = {}
            for name, table in tables.items():
                write_parquet_atomic(table, stage / written[name].name)
                files[written[name]] = stage / written[name].name
            if not replace_at_once(out_dir, files):
                for target, staged in files.items():  # the file system cannot swap folders: one by one
                    os.replace(staged, target)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return written
