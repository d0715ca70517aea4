"""Every store the app keeps between runs, and the keys they are found by.

Inventory (what it holds · its key · its bound · how it is invalidated):

- ``_load_cached`` (st.cache_resource): a table as read and schema-checked, or its DataError · (table, data folder,
  file mtime) · 64 · a new mtime is a new key.
- ``_TABLES``: the same results as a plain dict (a Streamlit lookup costs ~0.3 ms, pages read up to 18 tables a run)
  · (table, data folder, mtime) · 256 versions, then all three dicts below start over · new mtime.
- ``_TABLE_KEYS``: id(shared frame) -> (frame, its cache key): the frames are read-only, so their identity is their
  key in ResultCache (no pickling) · id of a frame it keeps alive · with ``_TABLES``.
- ``_YEAR_ROWS``: (id(table), year) -> (table, its rows of that year), so by-year tables are neither filtered nor
  pickled again on every run · with ``_TABLES``.
- ``_check_folder_cached`` (st.cache_resource): the readable tables, the unreadable ones' problems and the
  validation problems · (data folder, every file's mtime) · 16 · new mtimes.
- ``_validate_cached`` (lru_cache): the validation problems by table · (data folder, mtimes) · 16 · new mtimes.
- ``_check_cached`` (st.cache_data): validation and reconciliation for Om data and the PDF · (folder, mtimes) · 16.
- ``_folder_cached`` (st.cache_resource): the Parquet files' bytes (downloads, fingerprint) · (folder, mtimes) · 8.
- ``_years_cached`` (lru_cache): the report years in the data · (folder, mtimes) · 16; also kept for one run in
  the run context (ui.context), since every link asks for them.
- ``VIEW_RESULTS`` (ResultCache): results of pure ks_data view functions (get_cached, the cached modules of
  ``views``) and presentation screens, pickled (frames also kept as frames, handed out as shallow copies) ·
  (function, pickled arguments; shared frames by identity, a handed-out frame by its pickle) · 4096 · never
  (pure functions of their arguments; a new data version is a new frame, so a new key).

Which view modules answer through VIEW_RESULTS is decided here alone, in ``VIEW_MODULES`` (each with its reason);
pages take their modules from ``ui.views`` (``economy = ui.views.economy``) and never choose for themselves.
- ``CHART_SPECS`` (ResultCache): finished Vega-Lite specs of charts (ui.chart.get_chart) · (builder, arguments) ·
  1024 · never.
- ``SHOWN_TABLES`` (ResultCache): small view tables as HTML, large ones formatted for st.dataframe · (table,
  language, name) · 1024 · never.
- ``ui.assets.read_asset`` (functools.cache): the CSS/JS files, minified · file name · six files · a restart.

Not stored here: the session's own state (ui.state.SESSION_KEYS) and the run context (ui.context).
"""

from __future__ import annotations

import functools
import inspect
import io
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pandas as pd
import streamlit as st
from pandas.api.extensions import ExtensionArray

from ks_data import calc, catalog, dictionary, paths, statements, years
from ks_data import schema as s
from ks_data.check import check_tables
from ks_data.errors import DataError, Problem
from ks_data.load import load_table
from ks_data.reconcile import calc_reconciliation
from ks_data.views import activities, common, comparisons, economy, goals, overview, search, waterfall
from ui.context import get_run


def get_data_dir() -> Path:
    """Return the data folder: $KS_DATA_DIR if set (tests, other years), else the bundled data/."""
    return Path(os.environ.get("KS_DATA_DIR", paths.DATA_DIR))


def _stat_mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _mtime(path: Path) -> int:
    known = get_run().mtimes
    if known is None:
        return _stat_mtime(path)
    mtime = known.get(path)
    if mtime is None:
        mtime = known[path] = _stat_mtime(path)
    return mtime


def get_mtimes(data_dir: Path) -> tuple[int, ...]:
    """Return the modification time (ns) of every table's file in ``data_dir``, 0 for a missing one: the version key
    of the folder's stores."""
    return tuple(_mtime(data_dir / s.get_file_name(table)) for table in s.TABLES)


@st.cache_resource(show_spinner=False, max_entries=64)
def _load_cached(table: str, data_dir: str, mtime_ns: int) -> pd.DataFrame | DataError:
    """Read one table once per process and file version; a failure is cached as its DataError."""
    try:
        return load_table(table, Path(data_dir))
    except DataError as exc:
        return exc


_TABLES: dict[tuple[str, str, int], pd.DataFrame | DataError] = {}
_TABLE_KEYS: dict[int, tuple[pd.DataFrame, bytes]] = {}
_YEAR_ROWS: dict[tuple[int, int | None], tuple[pd.DataFrame, pd.DataFrame]] = {}
MAX_TABLE_VERSIONS = 256


def read_table(table: str) -> pd.DataFrame:
    """Return a table as read and schema-checked (not validated); raise DataError if it cannot be read."""
    data_dir = get_data_dir()
    key = (table, str(data_dir), _mtime(data_dir / s.get_file_name(table)))
    result = _TABLES.get(key)
    if result is None:
        result = _load_cached(*key)
        if len(_TABLES) >= MAX_TABLE_VERSIONS:  # many data folders (tests): start over rather than grow
            _TABLES.clear()
            _TABLE_KEYS.clear()
            _YEAR_ROWS.clear()
        _TABLES[key] = result
        if isinstance(result, pd.DataFrame):
            _TABLE_KEYS[id(result)] = (result, repr(key).encode())
    if isinstance(result, DataError):
        raise DataError(result.problems)  # a fresh exception: the cached one must not collect tracebacks
    return result


def get_year_rows(df: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Return the rows of report year ``year`` of a table (years.get_year_rows), shared and kept once per shared
    table and year."""
    known = _YEAR_ROWS.get((id(df), year))
    if known is not None and known[0] is df:
        return known[1]
    rows = years.get_year_rows(df, year)
    table = _TABLE_KEYS.get(id(df))
    if rows is not df and table is not None and table[0] is df:
        _YEAR_ROWS[(id(df), year)] = (df, rows)
        _TABLE_KEYS[id(rows)] = (rows, table[1] + f"@{year}".encode())
    return rows


# A plain memo, not st.cache_resource: a page asks for the problems once per table it reads, on every run, and a
# Streamlit cache lookup costs ~0.3 ms where this answers in microseconds.
@functools.lru_cache(maxsize=16)
def _validate_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> dict[str, tuple[Problem, ...]]:
    """Validate every readable table once per version of the folder's files; return the problems by table.

    Cross-table checks (an indicator's goal, a year another table has) use whichever tables can be read,
    so a broken goals file does not also fail the indicators.
    """
    by_table: dict[str, list[Problem]] = {table: [] for table in s.TABLES}
    for problem in _check_folder_cached(data_dir, mtimes_ns)[2]:
        by_table.setdefault(problem.table, []).append(problem)
    return {table: tuple(problems) for table, problems in by_table.items()}


@st.cache_resource(show_spinner=False, max_entries=16)
def _check_folder_cached(data_dir: str, mtimes_ns: tuple[int, ...]
                         ) -> tuple[dict[str, pd.DataFrame], tuple[Problem, ...], tuple[Problem, ...]]:
    """Validate the readable tables once per version of the folder's files (shared by get_table_problems and
    get_data_check, which used to validate the folder a second time); return the tables, the problems of those that
    cannot be read, and the validation problems (shared, read-only)."""
    frames, unreadable = {}, []
    for table, mtime in zip(s.TABLES, mtimes_ns, strict=True):
        result = _load_cached(table, data_dir, mtime)
        if isinstance(result, DataError):
            unreadable.extend(result.problems)
        else:
            frames[table] = result
    return frames, tuple(unreadable), tuple(check_tables(frames, Path(data_dir)))


def get_table_problems(table: str) -> tuple[Problem, ...]:
    """Return the validation errors and warnings of a readable table (empty if it cannot be read)."""
    data_dir = get_data_dir()
    return _validate_cached(str(data_dir), get_mtimes(data_dir)).get(table, ())


@st.cache_data(show_spinner=False, max_entries=16)
def _check_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> tuple[list[Problem], pd.DataFrame]:
    """Load, validate and reconcile a data folder once per version of its files."""
    frames, unreadable, problems = _check_folder_cached(data_dir, mtimes_ns)
    return [*unreadable, *problems], calc_reconciliation(frames)


def get_data_check() -> tuple[list[Problem], pd.DataFrame]:
    """Return the validation problems (tables that fail to load included) and the reconciliation of the data folder."""
    data_dir = get_data_dir()
    return _check_cached(str(data_dir), get_mtimes(data_dir))


@st.cache_resource(show_spinner=False, max_entries=8)
def _folder_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> catalog.DataFolder:
    """Read the data folder's files once per version of them (shared, read-only)."""
    return catalog.read_data_folder(Path(data_dir))


def get_data_folder() -> catalog.DataFolder:
    """Return the bytes of the data folder's Parquet files, read once per process and file version."""
    data_dir = get_data_dir()
    return _folder_cached(str(data_dir), get_mtimes(data_dir))


# A plain memo, not st.cache_resource: every link asks for the years (frame default, pinned year), dozens of times a
# run, and Streamlit's cache lookup (~0.3 ms each) made that ~15 ms of every page's run.
@functools.lru_cache(maxsize=16)
def _years_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> tuple[int, ...]:
    """Return the report years of every readable table, once per version of the folder's files."""
    frames = [_load_cached(table, data_dir, mtime) for table, mtime in zip(s.TABLES, mtimes_ns, strict=True)]
    return tuple(years.get_years(f for f in frames if not isinstance(f, DataError)))


def get_years() -> tuple[int, ...]:
    """Return the report years in the data (any readable table's), ascending."""
    run = get_run()
    if run.years is None:
        data_dir = get_data_dir()
        run.years = _years_cached(str(data_dir), get_mtimes(data_dir))
    return run.years


class _KeyPickler(pickle.Pickler):
    """A pickler whose bytes are equal for equal frames: pandas 3.1 leaves ``_readonly = False`` (its class's default)
    in the state of an array that went through some operations and not of one made afresh, so a frame built anew
    on a visitor's first run and the same frame on the next had other pickles, and every chart drawn from it was
    built a second time."""

    def reducer_override(self, obj):
        if not isinstance(obj, ExtensionArray) or getattr(obj, "__dict__", {}).get("_readonly", True) is not False:
            return NotImplemented
        reduced = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        if not isinstance(reduced, tuple) or len(reduced) < 3 or not isinstance(reduced[2], dict):
            return NotImplemented  # a state of another shape: pickled as it is (at worst, one more cache entry)
        func, args, state, *rest = reduced
        return (func, args, {k: v for k, v in state.items() if k != "_readonly"}, *rest)


def dump_key(value) -> bytes:
    """Return ``value`` pickled (highest protocol), the same bytes for equal frames (``_KeyPickler``)."""
    buffer = io.BytesIO()
    _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _pickle_frame(df: pd.DataFrame) -> bytes:
    table = _TABLE_KEYS.get(id(df))
    if table is not None and table[0] is df:
        return table[1]
    # A page passes the same frame (e.g. the statement's rows) to a dozen view functions: make its key once per run.
    run = get_run()
    if run.page is None:
        return dump_key(df)
    known = run.frame_keys.get(id(df))
    if known is not None and known[0] is df:
        return known[1]
    key = dump_key(df)
    run.frame_keys[id(df)] = (df, key)  # the frame is kept, so its id is not reused during this run
    return key


def _keep_frame_key(result, blob: bytes):
    """Return ``result``; a frame's pickle is kept as its key for the rest of the run, since a page passes a view's
    frame on to the next view function (Mål: the statuses to the filter, the filtered goals to the list), which would
    otherwise pickle it again for its key (~0.2 ms for 11 goals)."""
    if isinstance(result, pd.DataFrame):
        run = get_run()
        if run.page is not None:
            run.frame_keys[id(result)] = (result, blob)
    return result


def _get_key(value):
    """Return a cache key of an argument: equal keys only for equal values (frames: columns, values, index, attrs)."""
    if isinstance(value, float) and value != value:
        return ("float", "nan")  # NaN is not equal to itself: as a key it would never be found again
    if value is None or isinstance(value, str | bytes | int | float):
        return (type(value).__name__, value)  # the type too: 1, 1.0 and True are equal dict keys
    if isinstance(value, pd.DataFrame):
        return ("frame", _pickle_frame(value))
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(_get_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_get_key(k), _get_key(v)) for k, v in value.items()))
    if inspect.isfunction(value) and "<" not in value.__qualname__:
        return ("function", _name(value))  # a module's function (a chart builder); never a lambda or closure
    if callable(value):
        raise TypeError("a function is no cache key")
    return ("pickle", dump_key(value))


def _name(func: Callable) -> str:
    # id: a reloaded module's function is another one.
    return f"{func.__module__}.{func.__qualname__}#{id(func)}"


class ResultCache:
    """The results of pure functions by function and arguments, kept pickled and frames also as frames (each caller
    gets its own copy); the least recently used go first.

    Not st.cache_data: a Streamlit cache lookup costs 0.3-1 ms (signature binding, hashing, bookkeeping), and a page
    asks for ~30 view results a run; a lookup here costs a few microseconds plus the pickle of each new frame (~0.1 ms).

    A frame result is also kept as a frame, and each caller gets a shallow copy of it instead of an unpickled one
    (~5× cheaper): under pandas' Copy-on-Write (pandas 3) a write to the copy copies what it writes, so the kept
    frame never changes. Not for a frame with an object column, whose cells may be mutable objects a shallow copy
    would share.
    """

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def call(self, func: Callable, args: tuple, kwargs: dict):
        """Return ``func(*args, **kwargs)``, computed once for equal arguments (an argument that is no key, e.g. a
        format_func, makes it a plain call)."""
        try:
            key = (_name(func), _get_key(args), _get_key(kwargs))
        except Exception:  # noqa: BLE001 - anything pickle cannot take is simply not cached
            return func(*args, **kwargs)
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
        if item is not None:
            blob, frame = item
            return _keep_frame_key(pickle.loads(blob) if frame is None else frame.copy(deep=False), blob)
        result = func(*args, **kwargs)
        try:
            blob = dump_key(result)
        except Exception:  # noqa: BLE001 - a result pickle cannot take is not cached
            return result
        # The cache keeps a copy of its own, so the caller may have the original.
        frame = result.copy(deep=False) if _is_shareable(result) else None
        with self._lock:
            self._items[key] = (blob, frame)
            while len(self._items) > self._max_entries:
                self._items.popitem(last=False)
        return _keep_frame_key(result, blob)

    def clear(self) -> None:
        """Forget every result (tests)."""
        with self._lock:
            self._items.clear()


def _is_shareable(result) -> bool:
    return isinstance(result, pd.DataFrame) and not any(map(pd.api.types.is_object_dtype, result.dtypes))


# A page's view is a few dozen results of a few kilobytes; these bound the memory to a few tens of MB.
VIEW_RESULTS, CHART_SPECS, SHOWN_TABLES = ResultCache(4096), ResultCache(1024), ResultCache(1024)


def get_cached(func: Callable, *args, **kwargs):
    """Return ``func(*args, **kwargs)`` of a pure ks_data function, computed once per process for equal arguments
    (frames compared by content); each call gets its own copy of the result."""
    return VIEW_RESULTS.call(func, args, kwargs)


class CachedModule:
    """A ks_data module whose functions answer through get_cached; its constants and classes are passed through."""

    def __init__(self, module) -> None:
        self._module = module

    def __getattr__(self, name: str):
        value = getattr(self._module, name)
        if not inspect.isfunction(value):
            return value
        return functools.wraps(value)(functools.partial(get_cached, value))


def get_cached_module(module) -> CachedModule:
    """Return ``module`` (pure ks_data view functions) with every function's results cached per process for equal
    arguments: a page's view is computed once, not on every rerun (docs/performance.md)."""
    return CachedModule(module)


@dataclass(frozen=True)
class ViewModule:
    """One ks_data module pages compute their views with: whether its functions answer through VIEW_RESULTS, and why."""

    module: ModuleType
    cached: bool
    why: str


# Per module, measured (µs per call on the committed data, direct / through VIEW_RESULTS): a cache lookup pickles its
# arguments and unpickles the result (~6 µs for a scalar), so it pays for views made of frames, not for lookups.
VIEW_MODULES: dict[str, ViewModule] = {
    "calc": ViewModule(calc, True, "every goal's and indicator's status, recomputed on each rerun of Mål och styrtal"),
    "overview": ViewModule(overview, True, "Översikt's summaries and counts: frames built from four tables per run"),
    "goals": ViewModule(goals, True, "the goal list, indicator tables and chart frames: frames per goal and language"),
    "economy": ViewModule(economy, True, "a statement's rows, tables, chart frames and reconciliation on every rerun"),
    "waterfall": ViewModule(waterfall, True, "the waterfall's steps, table and caption from a statement's rows"),
    "comparisons": ViewModule(comparisons, True, "changes, index and chart frames of every measure on every rerun"),
    "activities": ViewModule(activities, True, "counts, options and the filtered list over all activities"),
    "years": ViewModule(years, True, "the comparisons between report years: frames over every year's rows"),
    "catalog": ViewModule(catalog, True, "the folder's sources, check summaries and files (zip, CSV) for Om data"),
    "dictionary": ViewModule(dictionary, True, "a table's data dictionary from its schema: 248 / 86 µs, 2 languages × "
                                               "9 tables at most"),
    "common": ViewModule(common, False, "scalar helpers called per cell (has_text 0.2 / 6 µs, format_status 0.4 / 7 "
                                        "µs) and get_latest, which costs the same either way (128 / 124 µs)"),
    "statements": ViewModule(statements, False, "a dict lookup and a text per call (format_statement 0.2 / 6 µs)"),
    "search": ViewModule(search, False, "each query is new text a visitor types: a hit only on the same words again, "
                                        "while typed queries would push pages' views out of VIEW_RESULTS's bound; a "
                                        "search over all texts takes ~9 ms"),
}

# The modules as pages use them (ui.views.economy): cached or as they are, as VIEW_MODULES says.
views = SimpleNamespace(**{name: get_cached_module(entry.module) if entry.cached else entry.module
                           for name, entry in VIEW_MODULES.items()})
