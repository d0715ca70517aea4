"""The one place where Streamlit meets ks_data: caching, page frame, URL state, display and errors.

Every page script starts with ``page = ui.setup_page(KEY)``, reads its widgets through
``page.select`` / ``page.slider`` / ``page.toggle`` (which seed from the URL and validate it),
and ends with ``ui.run_page(page, render)``, which runs the page's content as a fragment (a widget change
redraws only that) and writes the whole view into the URL after every run. Pages run
standalone (Streamlit's classic ``pages/`` mode, no ``st.navigation``), so a deep link
opened as the very first request after a server start renders the same frame.
"""

from __future__ import annotations

import functools
import html
import inspect
import json
import os
import pickle
import re
import threading
import traceback
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ks_data import catalog, export, fmt, paths, presentation, report_pdf, years
from ks_data import schema as s
from ks_data.check import MAX_TEXT_CHARS, check_tables
from ks_data.errors import ERROR, DataError, Problem
from ks_data.fmt import format_number, get_locale
from ks_data.load import load_table
from ks_data.reconcile import calc_reconciliation
from ks_data.texts import DEFAULT_LANG, LANGUAGES, get_text
from ks_data.viewtable import TABLE_CLASS, format_html_table, format_table, is_typed

# (page key, script path relative to the app root, URL path, navigation text key)
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("overview", "app.py", "", "nav.overview"),
    ("goals", "pages/1_mal.py", "mal", "nav.goals"),
    ("economy", "pages/2_ekonomi.py", "ekonomi", "nav.economy"),
    ("comparisons", "pages/3_jamforelsetal.py", "jamforelsetal", "nav.comparisons"),
    ("activities", "pages/4_aktiviteter.py", "aktiviteter", "nav.activities"),
    ("about", "pages/5_om_data.py", "om_data", "nav.about"),
    ("search", "pages/7_sok.py", "sok", "nav.search"),
    ("accessibility", "pages/6_tillganglighet.py", "tillganglighet", "nav.accessibility"),
)
PAGE_BY_KEY = {p[0]: p for p in PAGES}
# Streamlit's own parameters: any page accepts them and the frame leaves them alone.
GLOBAL_PARAMS = ("embed", "embed_options")
REMEMBERED = "_ks_params"
# Frame parameters hold for the whole session (language, presentation mode, year): a link sets them, they then
# survive page changes, and every link the app makes (menu, page links, share link) carries the non-default ones.
# param -> (default, check of a URL value: returns the value to keep or raises ValueError). Features add theirs.
FRAME_STATE = "_ks_frame"


def _check_choice(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(value)
        return value
    return check


# A default may be a callable (asked on each use), e.g. the latest year in the data.
FRAME_PARAMS: dict[str, tuple[str | Callable[[], str], Callable[[str], str]]] = {
    "lang": (DEFAULT_LANG, _check_choice(*LANGUAGES)),
    # "1": every page shows presentation mode's screens instead (ui.render_presentation) until the user ends it.
    "presentation": ("0", _check_choice("0", "1")),
}
# param -> predicate: while it holds, links carry the param even at its default. A dynamic default (the latest year)
# would otherwise make an old link show another view once the default moves (a new year imported).
FRAME_PINNED: dict[str, Callable[[], bool]] = {}
MAX_PARAM_SHOWN = 40

STATUS_BADGE_COLORS = {"fulfilled": "green", "met": "green", "partly": "orange", "near": "orange",
                       "not_fulfilled": "red", "missed": "red"}


def get_data_dir() -> Path:
    """Return the data folder: $KS_DATA_DIR if set (tests, other years), else the bundled data/."""
    return Path(os.environ.get("KS_DATA_DIR", paths.DATA_DIR))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_resource(show_spinner=False, max_entries=64)
def _load_cached(table: str, data_dir: str, mtime_ns: int) -> pd.DataFrame | DataError:
    """Read one table once per process and file version; a failure is cached as its DataError."""
    try:
        return load_table(table, Path(data_dir))
    except DataError as exc:
        return exc


class EmptyTableError(DataError):
    """Raised by get_table for a table that is readable and valid but has no rows; pages show a notice, not an error."""


class YearMissingError(EmptyTableError):
    """Raised by get_table(by_year=True) for a table with no rows for the shown report year (it has other years')."""


# (table, data folder, mtime) -> the shared frame (or DataError) of _load_cached, and id(frame) -> (frame, cache key):
# a plain dict answers in microseconds where a Streamlit cache lookup takes ~0.3 ms, and pages read up to 18 tables a
# run; the frames are read-only, so their identity is their key in ResultCache (no pickling).
_TABLES: dict[tuple[str, str, int], pd.DataFrame | DataError] = {}
_TABLE_KEYS: dict[int, tuple[pd.DataFrame, bytes]] = {}
# (id(table), year) -> (table, its rows of that year): shared and keyed by identity like the tables themselves, so a
# page's by-year tables are neither filtered nor pickled (as cache keys) again on every run.
_YEAR_ROWS: dict[tuple[int, int | None], tuple[pd.DataFrame, pd.DataFrame]] = {}
MAX_TABLE_VERSIONS = 256


def _read_table(table: str) -> pd.DataFrame:
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


def _get_mtimes(data_dir: Path) -> tuple[int, ...]:
    return tuple(_mtime(data_dir / s.get_file_name(table)) for table in s.TABLES)


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
    return _validate_cached(str(data_dir), _get_mtimes(data_dir)).get(table, ())


def get_table(table: str, by_year: bool = False) -> pd.DataFrame:
    """Return a loaded and validated table (shared, read-only: never mutate it); with ``by_year``, only the rows of
    the report year the pages show (ui.get_year).

    Raises DataError, naming file, table, row and column, if the table cannot be read or fails validation;
    EmptyTableError if it has no rows (YearMissingError if it has none for the shown year). Validation warnings
    (e.g. an overly long text, a year with no rows) become a notice at the top of the page, and the table is returned.
    """
    df = _read_table(table)
    problems = get_table_problems(table)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise DataError(errors)
    warnings = [p for p in problems if p.severity != ERROR]
    _show_warnings(warnings)
    if df.empty:
        raise EmptyTableError(warnings or [Problem(str(get_data_dir() / s.get_file_name(table)), table,
                                                   t("data.no_rows"))])
    if by_year:
        df = _get_year_rows(df, get_year())
        if df.empty:
            raise YearMissingError([Problem(str(get_data_dir() / s.get_file_name(table)), table,
                                            t("years.no_rows", year=get_year()))])
    return df


def _get_year_rows(df: pd.DataFrame, year: int | None) -> pd.DataFrame:
    known = _YEAR_ROWS.get((id(df), year))
    if known is not None and known[0] is df:
        return known[1]
    rows = years.get_year_rows(df, year)
    table = _TABLE_KEYS.get(id(df))
    if rows is not df and table is not None and table[0] is df:
        _YEAR_ROWS[(id(df), year)] = (df, rows)
        _TABLE_KEYS[id(rows)] = (rows, table[1] + f"@{year}".encode())
    return rows


def get_loaded_tables() -> dict[str, pd.DataFrame]:
    """Return every table that can be read, valid or not (shared, read-only: never mutate them); unreadable ones are
    left out."""
    out = {}
    for table in s.TABLES:
        try:
            out[table] = _read_table(table)
        except DataError:
            continue
    return out


@st.cache_data(show_spinner=False, max_entries=16)
def _check_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> tuple[list[Problem], pd.DataFrame]:
    """Load, validate and reconcile a data folder once per version of its files."""
    frames, unreadable, problems = _check_folder_cached(data_dir, mtimes_ns)
    return [*unreadable, *problems], calc_reconciliation(frames)


def get_data_check() -> tuple[list[Problem], pd.DataFrame]:
    """Return the validation problems (tables that fail to load included) and the reconciliation of the data folder."""
    data_dir = get_data_dir()
    return _check_cached(str(data_dir), _get_mtimes(data_dir))


@st.cache_resource(show_spinner=False, max_entries=8)
def _folder_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> catalog.DataFolder:
    """Read the data folder's files once per version of them (shared, read-only)."""
    return catalog.read_data_folder(Path(data_dir))


def get_data_folder() -> catalog.DataFolder:
    """Return the bytes of the data folder's Parquet files, read once per process and file version."""
    data_dir = get_data_dir()
    return _folder_cached(str(data_dir), _get_mtimes(data_dir))


def warm_up() -> None:
    """Read, validate and reconcile the data folder and load the number formats before the first visitor needs them
    (serve.py calls this on a background thread as the server starts listening: ~1 s less for the first page)."""
    for table in s.TABLES:
        get_table_problems(table)  # reads every table once and validates the folder
    get_data_check()
    get_data_folder()
    for lang in LANGUAGES:
        fmt.format_tkr(-1234.5, fmt.get_locale(lang))  # babel loads its locale data on first use


# --- years ---
YEAR_PARAM = "ar"
YEAR_SELECT_KEY = "_ks_year_select"


# A plain memo, not st.cache_resource: every link asks for the years (frame default, pinned year), dozens of times a
# run, and Streamlit's cache lookup (~0.3 ms each) made that ~15 ms of every page's run.
@functools.lru_cache(maxsize=16)
def _years_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> tuple[int, ...]:
    """Return the report years of every readable table, once per version of the folder's files."""
    frames = [_load_cached(table, data_dir, mtime) for table, mtime in zip(s.TABLES, mtimes_ns, strict=True)]
    return tuple(years.get_years(f for f in frames if not isinstance(f, DataError)))


def get_years() -> tuple[int, ...]:
    """Return the report years in the data (any readable table's), ascending."""
    # Asked for every link a page draws: once per script run (setup_page forgets it) instead of nine stat calls each.
    known = getattr(_current, "years", None)
    if known is None:
        data_dir = get_data_dir()
        known = _current.years = _years_cached(str(data_dir), _get_mtimes(data_dir))
    return known


def has_several_years() -> bool:
    """Return True when the data holds two or more report years (then the year selector shows)."""
    return len(get_years()) > 1


def _get_default_year() -> str:
    found = get_years()
    return str(found[-1]) if found else ""


def _check_year(value: str) -> str:
    if value not in {str(y) for y in get_years()}:
        raise ValueError(value)
    return value


FRAME_PARAMS[YEAR_PARAM] = (_get_default_year, _check_year)
FRAME_PINNED[YEAR_PARAM] = has_several_years


def get_year() -> int | None:
    """Return the report year the pages show: the selector's or the link's, else the latest; None without data."""
    found = get_years()
    if not found:
        return None
    value = get_frame(YEAR_PARAM)
    return int(value) if value.isdigit() and int(value) in found else found[-1]


def get_previous_year() -> int | None:
    """Return the report year before the shown one if the data holds it, else None."""
    return years.get_previous_year(get_years(), get_year())


def _select_year() -> None:
    set_frame(YEAR_PARAM, str(st.session_state[YEAR_SELECT_KEY]))


def render_year_select() -> None:
    """Show the report year selector in the sidebar, only when the data holds two or more years; a change re-renders
    the page for that year."""
    found = get_years()
    stored = st.session_state.get(FRAME_STATE, {}).get(YEAR_PARAM)
    if stored is not None and stored not in {str(y) for y in found}:
        # A year chosen earlier in the session that the data no longer holds: back to the latest.
        del st.session_state[FRAME_STATE][YEAR_PARAM]
    if len(found) < 2:
        return
    # Seeded from the frame on every run, so a link's ?ar= and a choice on another page both show here.
    st.session_state[YEAR_SELECT_KEY] = get_year()
    with st.sidebar:
        st.selectbox(t("years.select"), found[::-1], key=YEAR_SELECT_KEY, on_change=_select_year,
                     help=t("years.select.help"))


def get_year_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return each table's rows of the shown report year (shared, read-only for the shared tables)."""
    year = get_year()
    return {table: _get_year_rows(df, year) for table, df in frames.items()}


def t(key: str, **values) -> str:
    """Return the UI text for ``key`` in the session's language."""
    return get_text(key, get_lang(), **values)


def get_lang() -> str:
    """Return the session's UI language code."""
    return get_frame("lang")


def get_frame_default(param: str) -> str:
    """Return the default of frame parameter ``param`` (a callable default, such as the latest year, is asked now)."""
    default = FRAME_PARAMS[param][0]
    return default() if callable(default) else default


def is_frame_carried(param: str, value: str) -> bool:
    """Return True if links must carry ``param``: its value differs from the default, or the param is pinned."""
    pinned = FRAME_PINNED.get(param)
    return value != get_frame_default(param) or (pinned is not None and pinned())


def get_frame(param: str) -> str:
    """Return the session's value of frame parameter ``param`` (its default until a link or the user sets it)."""
    value = st.session_state.get(FRAME_STATE, {}).get(param)
    return get_frame_default(param) if value is None else value


def set_frame(param: str, value: str) -> None:
    """Set frame parameter ``param`` for the rest of the session (e.g. from the language switch), and in the URL."""
    st.session_state.setdefault(FRAME_STATE, {})[param] = value
    # The URL must agree at once: the next run reads the frame from it (read_frame_params) before finish() writes it.
    if not is_frame_carried(param, value):
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != [value]:
        st.query_params[param] = value


def get_frame_params() -> dict[str, list[str]]:
    """Return the frame parameters that differ from their defaults (or are pinned), as URL parameters for links."""
    return {param: [get_frame(param)] for param in FRAME_PARAMS if is_frame_carried(param, get_frame(param))}


def read_frame_params() -> list[tuple[str, str]]:
    """Take the frame parameters a link carries into the session; return (param, value) of each invalid one."""
    invalid = []
    for param, (_, check) in FRAME_PARAMS.items():
        raw = st.query_params.get_all(param)
        if not raw:
            continue
        try:
            if len(raw) != 1:
                raise ValueError(raw)
            set_frame(param, check(raw[0]))
        except (ValueError, TypeError):
            invalid.append((param, ", ".join(raw)))
    return invalid


def clean_text(value: str) -> str:
    """Return ``value`` with control characters (tabs, line breaks, NUL) as spaces and invisible format
    characters (zero-width, text-direction overrides) removed."""
    out = []
    for char in str(value):
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category not in ("Cf", "Cs"):
            out.append(char)
    return "".join(out)


def _shorten(value: str) -> str:
    return value if len(value) <= MAX_PARAM_SHOWN else value[:MAX_PARAM_SHOWN] + "…"


@dataclass
class Page:
    """The frame of one page run: its URL parameters, notices and data errors."""

    key: str
    notices: st.delta_generator.DeltaGenerator
    params: dict[str, list[str] | None] = field(default_factory=dict)
    shown_problems: set[Problem] = field(default_factory=set)

    def __post_init__(self) -> None:
        # The page of this script run, so data warnings found by get_table land in its notices.
        _current.page = self

    def _state_key(self, param: str) -> str:
        return f"{self.key}.{param}"

    def _seed(self, param: str, parse: Callable[[list[str]], object], default) -> str:
        """Put the URL's value (or the default, with a notice if the URL's is invalid) into session state."""
        key = self._state_key(param)
        if key not in st.session_state:
            raw = st.query_params.get_all(param)
            value = default
            if raw:
                try:
                    value = parse(raw)
                except (ValueError, TypeError):
                    self.notice(t("notice.bad_param", param=param, value=escape_markdown(_shorten(", ".join(raw)))))
            st.session_state[key] = value
        return key

    def notice(self, text: str) -> None:
        """Show a notice at the top of the page (Markdown without HTML: escape whatever comes from a link or the data)."""
        self.notices.warning(text)

    def select(self, param: str, options: Sequence, default, label: str, format_func: Callable = str,
               where=None, horizontal: bool = False, segmented: bool = False, omit: object = None, **kwargs):
        """Return the chosen option of a selectbox (a radio when ``horizontal``, a segmented control that always keeps
        one option when ``segmented``) bound to URL parameter ``param``.

        Options must not be None (Streamlit shows None as "no choice"); use a sentinel string such as "alla".
        The parameter is left out of the URL when the value equals ``omit`` (e.g. no goal opened).
        """
        by_text = {self.serialize(o): o for o in options}

        def parse(raw: list[str]):
            if len(raw) != 1 or raw[0] not in by_text:
                raise ValueError(raw)
            return by_text[raw[0]]

        key = self._seed(param, parse, default)
        if st.session_state[key] not in options:
            st.session_state[key] = default
        box = where or st
        widget = box.segmented_control if segmented else box.radio if horizontal else box.selectbox
        extra = {"required": True} if segmented else {"horizontal": True} if horizontal else {}
        value = widget(label, options, key=key, format_func=format_func, **extra, **kwargs)
        self.params[param] = None if omit is not None and value == omit else [self.serialize(value)]
        return value

    def slider(self, param: str, min_value: int, max_value: int, default, label: str, step: int = 1,
               where=None, **kwargs):
        """Return a slider's value (a number, or a (low, high) tuple when ``default`` is a tuple) bound to ``param``."""
        is_range = isinstance(default, tuple)

        def parse_one(text: str) -> int:
            number = int(text)
            # Only the form the app writes ("5", not " 5", "+5", "05", "5_0" or other scripts' digits).
            if str(number) != text or not min_value <= number <= max_value or (number - min_value) % step:
                raise ValueError(text)
            return number

        def parse(raw: list[str]):
            if len(raw) != 1:
                raise ValueError(raw)
            if is_range:
                low, high = (parse_one(p) for p in raw[0].split("-", 1))
                if low > high:
                    raise ValueError(raw)
                return (low, high)
            return parse_one(raw[0])

        key = self._seed(param, parse, default)
        held = st.session_state[key]
        if not all(min_value <= v <= max_value for v in (held if is_range else (held,))):
            st.session_state[key] = default  # the bounds moved (another report year): start from the default
        value = (where or st).slider(label, min_value, max_value, key=key, step=step, **kwargs)
        self.params[param] = [f"{value[0]}-{value[1]}" if is_range else str(value)]
        return value

    def toggle(self, param: str, default: bool, label: str, where=None, **kwargs) -> bool:
        """Return a toggle's value bound to URL parameter ``param`` ("1" or "0")."""

        def parse(raw: list[str]) -> bool:
            if len(raw) != 1 or raw[0] not in ("0", "1"):
                raise ValueError(raw)
            return raw[0] == "1"

        key = self._seed(param, parse, default)
        value = (where or st).toggle(label, key=key, **kwargs)
        self.params[param] = ["1" if value else "0"]
        return value

    def text(self, param: str, default: str, label: str, max_chars: int = 200, where=None, **kwargs) -> str:
        """Return a text input's value bound to URL parameter ``param`` (left out of the URL when empty).

        The URL's value is cleaned, not rejected: control characters are removed and a value longer
        than ``max_chars`` is cut, each with a notice. The returned text never holds control characters.
        """
        key = self._state_key(param)
        if key not in st.session_state:
            raw = st.query_params.get_all(param)
            value = raw[0] if raw else default
            cleaned = clean_text(value)
            if cleaned != value:
                self.notice(t("notice.text_control", param=param))
            if len(cleaned) > max_chars:
                self.notice(t("notice.text_long", param=param, n=format_number(len(cleaned), 0, get_locale(get_lang())),
                                   max=max_chars))
                cleaned = cleaned[:max_chars]
            st.session_state[key] = cleaned
        value = clean_text((where or st).text_input(label, key=key, max_chars=max_chars, **kwargs))[:max_chars]
        self.params[param] = [value] if value.strip() else None
        return value

    def leave_out(self, param: str) -> None:
        """Keep ``param`` out of the URL, without an "unknown parameter" notice, when this view hides its widget."""
        self.params[param] = None

    def keep(self, *params: str) -> None:
        """Keep ``params`` in the URL as they are while this view hides their widgets (another part of the page is
        shown), so a link still holds them and the part shows them again when it is opened."""
        for param in params:
            if param not in self.params and param in st.query_params:
                self.params[param] = st.query_params.get_all(param)
            # Streamlit keeps a hidden widget's state but the browser draws it anew from its default when it comes
            # back (a threshold of 30 % shown as 0 %): the URL holds the value meanwhile and seeds the widget again.
            st.session_state.pop(self._state_key(param), None)

    def set_value(self, param: str, value) -> None:
        """Set a bound widget's value from a button callback (e.g. "Öppna mål")."""
        st.session_state[self._state_key(param)] = value

    @staticmethod
    def serialize(value) -> str:
        """Return the URL text of an option value."""
        return str(value)

    def finish(self) -> None:
        """Write the view's state into the URL, drop unknown parameters, and remember the view for the menu."""
        for param in list(st.query_params.keys()):
            if param not in self.params and param not in GLOBAL_PARAMS and param not in FRAME_PARAMS:
                self.notice(t("notice.unknown_param", param=escape_markdown(_shorten(param))))
                del st.query_params[param]
        frame = get_frame_params()
        for param in FRAME_PARAMS:
            if param not in frame and param in st.query_params:
                del st.query_params[param]
        for param, values in (self.params | frame).items():
            if values is None:
                if param in st.query_params:
                    del st.query_params[param]
            elif st.query_params.get_all(param) != values:
                st.query_params[param] = values
        remembered = st.session_state.setdefault(REMEMBERED, {})
        remembered[self.key] = {p: v for p, v in self.params.items() if v is not None}

    def show_share_link(self) -> None:
        """Show the share link of this view in the sidebar (once per page run; the page keeps it in step with the
        address bar when a widget change redraws only the page's content)."""
        with st.sidebar:
            st.markdown(f"**{t('share.label')}**", help=t("share.help"))
            st.html(get_share_html(get_share_url(self.key, self.params), get_lang()), unsafe_allow_javascript=True)


_current = threading.local()


def _show_warnings(problems: list[Problem]) -> None:
    """Show each data warning once per page run as a notice at the top of the page; the page carries on."""
    page = getattr(_current, "page", None)
    for problem in problems:
        if page is not None and problem in page.shown_problems:
            continue
        if page is not None and is_fragment_rerun():
            # The data changed since the page was drawn; its notices sit outside the page's content, which a
            # widget change redraws alone: run the whole page again, which shows the warning in its place.
            st.rerun()
        text = t("notice.data_warning", problem=format_problem(problem))
        if page is None:
            st.warning(text)
        else:
            page.shown_problems.add(problem)
            page.notice(text)


def get_share_url(page_key: str, params: dict[str, list[str] | None]) -> str:
    """Return the absolute link to ``page_key`` with ``params``, based on the address the browser used."""
    base = st.context.url or "http://localhost:8501/"
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    current = PAGE_BY_KEY[page_key][2]
    known = {p[2] for p in PAGES if p[2]}
    # Strip the current page's own segment so a baseUrlPath in front is kept.
    segments = [seg for seg in path.split("/") if seg]
    if segments and segments[-1] in known:
        segments = segments[:-1]
    new_path = "/" + "/".join(segments + ([current] if current else []))
    query = urlencode([(k, v) for k, vs in (params | get_frame_params()).items() if vs is not None for v in vs])
    return urlunsplit((parts.scheme, parts.netloc, new_path, query, ""))


# The share link as a plain link with a copy button of our own. Not st.code: its copy button comes with Streamlit's
# 1.5 MB syntax highlighter, which every page then fetched and compiled on first load (docs/performance.md).
# The clipboard API exists only on https and localhost; an internal http server gets the textarea fallback.
SHARE_HTML = """<div class="ks-share" data-ks-share>
<a class="ks-share-url" href="%(url)s">%(url)s</a>
<button type="button" class="ks-share-copy" data-ks-copy="%(url)s">%(copy)s</button>
<span class="ks-share-status" role="status" data-ok="%(ok)s" data-failed="%(failed)s"></span>
</div>
<style>
.ks-share-url { display: block; font-family: "Source Code Pro", monospace; font-size: 0.85rem; overflow-wrap: anywhere;
  color: inherit; padding: 0.5rem 0.75rem; background: rgba(0, 0, 0, 0.04); border-radius: 0.5rem; }
.ks-share-copy { margin-top: 0.5rem; font: inherit; font-size: 0.9rem; padding: 0.25rem 0.75rem; cursor: pointer;
  color: inherit; background: #ffffff; border: 1px solid rgba(49, 51, 63, 0.3); border-radius: 0.5rem; }
.ks-share-copy:hover { border-color: #1f5f8b; color: #1f5f8b; }
.ks-share-copy:focus-visible, .ks-share-url:focus-visible { outline: 2px solid #1f5f8b; outline-offset: 2px; }
.ks-share-status { display: block; font-size: 0.85rem; margin-top: 0.25rem; }
</style>
<script>
(() => {
  if (window.__ksShareCopy) return;
  window.__ksShareCopy = true;
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) { /* http: no clipboard API */ }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  };
  // A widget change redraws only the page's content, not this link (ui.run_page): keep the link in step with the
  // address bar, which Streamlit updates through the History API after each run.
  const sync = () => {
    const url = window.location.href;
    document.querySelectorAll("[data-ks-share]").forEach((box) => {
      const link = box.querySelector(".ks-share-url");
      const button = box.querySelector("[data-ks-copy]");
      if (!link || !button || button.dataset.ksCopy === url) return;
      link.href = url;
      link.textContent = url;
      button.dataset.ksCopy = url;
      const status = box.querySelector(".ks-share-status");
      if (status) status.textContent = "";
    });
  };
  ["pushState", "replaceState"].forEach((name) => {
    const original = window.history[name];
    window.history[name] = function (...args) {
      const result = original.apply(this, args);
      sync();
      return result;
    };
  });
  window.addEventListener("popstate", sync);
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-ks-copy]");
    if (!button) return;
    const done = await copy(button.dataset.ksCopy);
    const status = button.parentElement.querySelector(".ks-share-status");
    if (status) status.textContent = done ? status.dataset.ok : status.dataset.failed;
  });
})();
</script>"""


def get_share_html(url: str, lang: str) -> str:
    """Return the share link as HTML: the link itself (escaped; only an http(s) address becomes a link target) and a
    button that copies it."""
    if urlsplit(url).scheme not in ("http", "https"):
        url = ""
    texts_lang = lang if lang in LANGUAGES else DEFAULT_LANG
    return SHARE_HTML % {"url": html.escape(url, quote=True),
                         "copy": html.escape(get_text("share.copy", texts_lang)),
                         "ok": html.escape(get_text("share.copied", texts_lang), quote=True),
                         "failed": html.escape(get_text("share.copy_failed", texts_lang), quote=True)}


def setup_page(page_key: str) -> Page:
    """Set up the frame of a page: page config, navigation, heading area for notices; return the Page."""
    _current.years = None  # a new run: the data may have changed since the last one
    invalid = read_frame_params()
    if get_frame("presentation") == "1":
        render_presentation(page_key, invalid)  # a screen instead of the page; stops the run
    st.set_page_config(page_title=f"{t(PAGE_BY_KEY[page_key][3])} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="expanded")
    render_navigation(page_key)
    render_language_switch()
    render_year_select()
    render_document_fixes(get_lang())
    notices = st.container()
    page = Page(key=page_key, notices=notices)
    for param, value in invalid:
        page.notice(t("notice.bad_param", param=param, value=escape_markdown(_shorten(value))))
    return page


# BCP 47 tag of each UI language, for <html lang>.
DOCUMENT_LANGS = {"sv": "sv", "en": "en"}
# Runs in the page itself (st.html, not an iframe). Streamlit hard-codes <html lang="en"> (streamlit#8399,
# #15726), so the document's language is set from the session's UI language. A wide view table that overflows
# its column must be reachable by keyboard (WCAG 2.1.1, axe "scrollable-region-focusable"), so a scroll box that
# scrolls gets tabindex, role and a name (the table's own, or a generic one).
# The sidebar's collapse button and the share link's copy button appear only on mouse hover; the style keeps
# them shown, so Tab reaches them.
DOCUMENT_SCRIPT = """<script>
(() => {
  document.documentElement.lang = %(lang)s;
  window.__ksTableLabel = %(table_label)s;
  if (window.__ksDocumentFixes) return;
  window.__ksDocumentFixes = true;
  const fix = () => {
    // Each language's name in the switch is in that language (WCAG 3.1.2 Language of Parts).
    document.querySelectorAll('.st-key-%(switch_key)s [role="radio"]').forEach((option, i) => {
      if (%(switch_langs)s[i] && option.lang !== %(switch_langs)s[i]) option.lang = %(switch_langs)s[i];
    });
    document.querySelectorAll('.%(table_class)s').forEach((box) => {
      [box, box.querySelector("table")].forEach((node) => {
        if (node && !watched.has(node)) { watched.add(node); sizes.observe(node); }
      });
    });
  };
  // Whether a box scrolls is read when a box or its table has changed size, after the browser's own layout:
  // reading scrollWidth from a DOM change instead forced an extra layout on every redraw (~10 ms a change).
  const watched = new WeakSet();
  const check = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const table = box.querySelector("table");
      box.tabIndex = 0;
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", (table && table.getAttribute("aria-label")) || window.__ksTableLabel);
      box.dataset.ksScroll = "1";
    } else if (!scrolls && box.dataset.ksScroll) {
      ["tabindex", "role", "aria-label", "data-ks-scroll"].forEach((name) => box.removeAttribute(name));
    }
  };
  const sizes = new ResizeObserver((entries) => {
    new Set(entries.map((entry) => entry.target.closest('.%(table_class)s'))).forEach((box) => {
      if (box) check(box);
    });
  });
  let queued = false;
  const schedule = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(); }); }
  };
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  schedule();
})();
</script>
<style>
[data-ks-scroll]:focus-visible { outline: 2px solid #1f5f8b; outline-offset: 2px; }
/* Small view tables (viewtable.format_html_table), drawn like st.table; a wide one scrolls in its box. */
.%(table_class)s { border: 1px solid rgba(26, 26, 26, 0.1); border-radius: 0.5rem; overflow: auto; max-width: 100%%; }
.%(table_class)s table { border-collapse: separate; border-spacing: 0; min-width: 100%%; font-size: 0.875rem;
  line-height: 1.5; margin: 0; }
.%(table_class)s th, .%(table_class)s td { padding: 0.25rem 0.375rem; text-align: left; vertical-align: middle;
  border-bottom: 1px solid rgba(26, 26, 26, 0.1); border-right: 1px solid rgba(26, 26, 26, 0.1); }
.%(table_class)s th { color: rgba(26, 26, 26, 0.7); font-weight: 400; }
.%(table_class)s tr > :last-child { border-right: 0; }
.%(table_class)s tbody tr:last-child > * { border-bottom: 0; }
.%(table_class)s .num { text-align: right; white-space: nowrap; }
.%(sr_only)s { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%%); white-space: nowrap; border: 0; }
/* Key figures: an English amount ("−105,546 SEK k") is wider than a Swedish one; below ~1600 px the value shrinks a
little, and a row of key figures wraps (ui.card_row) instead of cutting it to "−105,546 …". */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div { font-size: clamp(1.5rem, 2vw, 2.25rem); }
/* A card (ui.card) keeps room for a small chart: at 1024 px with the menu open, three cards in a row squeezed each
chart's year labels and values on top of each other; a card that does not fit moves to the next line. */
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-%(card_prefix)s"]) { flex: 1 1 16rem; min-width: min(16rem, 100%%); }
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-%(card_prefix)swide_"]) { flex: 2 1 32rem; min-width: min(32rem, 100%%); }
/* A list beside what was opened from it (ui.split_row): where both do not fit, the opened part moves above the list,
so a click on "Öppna mål" shows the goal, and the goal's 560 px indicator chart gets the whole width at 1024 px. */
.st-key-%(split_key)s { flex-wrap: wrap-reverse !important; align-items: stretch !important; }
[data-testid="stLayoutWrapper"]:has(> .st-key-%(split_key)s_side) { flex: 1 1 16rem; min-width: min(16rem, 100%%); }
[data-testid="stLayoutWrapper"]:has(> .st-key-%(split_key)s_main) { flex: 2 1 36rem; min-width: min(36rem, 100%%); }
/* A goal's card in Mål's list is one button (ui.GOAL_LIST_KEY): its number, title and statuses read from the left. */
.st-key-%(goal_list_key)s button { justify-content: flex-start; text-align: left; padding: 0.5rem 0.75rem; }
.st-key-%(goal_list_key)s button > div, .st-key-%(goal_list_key)s button > div > span { justify-content: flex-start; }
/* "Presentationsläge" starts a mode, it is not the current page: a framed link, not a highlighted menu entry. */
.st-key-ks_pres_start { margin-top: 0.5rem; }
.st-key-ks_pres_start a { background: transparent !important; border: 1px solid rgba(49, 51, 63, 0.3); }
.st-key-ks_pres_start a:hover { border-color: #1f5f8b; }
/* A status badge is cut to "No assessment in the re…" in a narrow column; a status must be read whole, so it wraps. */
.stMarkdownBadge { white-space: normal !important; text-overflow: clip !important; }
/* Streamlit shows these buttons only on mouse hover (visibility: hidden), out of reach of Tab: keep them shown. */
[data-testid="stSidebarCollapseButton"], [data-testid="stSidebarCollapseButton"] * { visibility: visible !important; }
[data-testid="stCode"] div:has(> [data-testid="stElementToolbarButton"]),
[data-testid="stCode"] div:has(> div > [data-testid="stElementToolbarButton"]) { opacity: 1 !important; visibility: visible !important; }
[data-testid="stCode"] [data-testid="stElementToolbarButton"] * { visibility: visible !important; }
[data-testid="stCode"] pre { padding-right: 3rem !important; }
</style>"""


def get_document_script(lang: str) -> str:
    """Return the page script that declares the document's language ``lang`` and makes wide tables keyboard-scrollable."""
    texts_lang = lang if lang in LANGUAGES else DEFAULT_LANG
    return DOCUMENT_SCRIPT % {"lang": json.dumps(DOCUMENT_LANGS.get(lang, lang)),
                              "table_label": json.dumps(get_text("a11y.table_scroll", texts_lang)),
                              "switch_key": LANG_SWITCH_KEY, "table_class": TABLE_CLASS, "sr_only": SR_ONLY,
                              "card_prefix": CARD_PREFIX, "split_key": SPLIT_KEY, "goal_list_key": GOAL_LIST_KEY,
                              "switch_langs": json.dumps([DOCUMENT_LANGS[code] for code in LANGUAGES])}


# Key of the list of goal cards on Mål och styrtal (the document's style aligns the cards' text by it).
GOAL_LIST_KEY = "ks_goal_list"
# Key prefix of a card (ui.card): the document's style gives a card its least width by it.
CARD_PREFIX = "ks_card_"


def card_row():
    """Return a row for ui.card and key-figure cards that wraps onto more lines where the screen is narrow."""
    return st.container(horizontal=True, gap="medium")


def widget_row():
    """Return a row for a part's widgets, aligned at the bottom: each widget keeps the width its label needs and the
    row wraps where the screen is narrow (in columns, "Visa som index" was cut to "Visa som …" at 1024 px)."""
    return st.container(horizontal=True, gap="medium", vertical_alignment="bottom")


def card(name: str, wide: bool = False):
    """Return a framed card named ``name`` (unique on the page) for a card_row: at least 16rem wide (``wide``: 32rem,
    and twice the share of the row), else on a line of its own."""
    return st.container(border=True, height="stretch", key=f"{CARD_PREFIX}{'wide_' if wide else ''}{name}")


# Key of ui.split_row; its parts are keyed with _side and _main after it (the document's style places them by it).
SPLIT_KEY = "ks_split"


def split_row():
    """Return (side, main): a list's part (a third, at least 16rem) beside what was opened from it (two thirds, at least
    36rem or the whole width); on a narrow screen the opened part comes first, above the list."""
    row = st.container(horizontal=True, gap="large", key=SPLIT_KEY)
    return row.container(key=f"{SPLIT_KEY}_side"), row.container(key=f"{SPLIT_KEY}_main")


def render_document_fixes(lang: str) -> None:
    """Declare the session's UI language on <html> and make overflowing tables reachable by keyboard."""
    with st.sidebar:
        st.html(get_document_script(lang), unsafe_allow_javascript=True)


def render_navigation(current: str) -> None:
    """Show our own page menu; each link restores the target page's last view in this session."""
    remembered = st.session_state.get(REMEMBERED, {})
    frame = get_frame_params()  # once, not per link
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        for key, script, _, text_key in PAGES:
            # The current page's own entry carries no view: a widget change redraws only the page's content
            # (run_page), so a view written here would be stale; the page keeps its view in the session anyway.
            view = {} if key == current else remembered.get(key, {})
            st.page_link(script, label=t(text_key), query_params=(view | frame) or None, disabled=False)
        # Set apart from the menu: a link to the page itself, which Streamlit would mark as the current page.
        with st.container(key="ks_pres_start"):
            st.page_link(PAGE_BY_KEY[current][1], label=t("pres.nav.start"), help=t("pres.nav.start.help"),
                         query_params=frame | {"presentation": ["1"]})


LANG_SWITCH_KEY = "_ks_lang_switch"


def _switch_language() -> None:
    # A selectbox comes back from the browser as its option text in the old language, which the page in the new
    # language no longer knows; setting each page widget's value from the session keeps the view as it was.
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.split(".", 1)[0] in PAGE_BY_KEY and "." in key:
            st.session_state[key] = st.session_state[key]
    set_frame("lang", st.session_state[LANG_SWITCH_KEY] or get_lang())


def render_language_switch() -> None:
    """Show the language switch (Svenska / English) in the sidebar; a change re-renders the page in that language."""
    # Seeded from the frame on every run, so a link's ?lang= and a switch on another page both show here.
    st.session_state[LANG_SWITCH_KEY] = get_lang()
    with st.sidebar:
        st.segmented_control(t("lang.label"), LANGUAGES, format_func=lambda lang: t(f"lang.{lang}"),
                             key=LANG_SWITCH_KEY, on_change=_switch_language, help=t("lang.help"))


def page_link(page_key: str, label: str, params: dict | None = None) -> None:
    """Show a link to another page, with ``params`` or else that page's remembered view."""
    script = PAGE_BY_KEY[page_key][1]
    remembered = st.session_state.get(REMEMBERED, {}).get(page_key)
    target = params if params is not None else remembered or {}
    st.page_link(script, label=label, query_params=(target | get_frame_params()) or None)


MAX_PROBLEM_CHARS = 400


def format_problem(problem: Problem) -> str:
    """Return a problem's Swedish description as inert Markdown, cut if a value from the data makes it very long."""
    text = problem.describe()
    if len(text) > MAX_PROBLEM_CHARS:
        text = text[:MAX_PROBLEM_CHARS] + "…"
    return escape_markdown(text)


def show_data_error(problems: list[Problem], table: str) -> None:
    """Show a data problem in Swedish, naming file, table, row and column; never a traceback, never data as markup."""
    lines = "\n".join(f"- {format_problem(p)}" for p in problems[:20])
    more = f"\n- {t('error.more', n=len(problems) - 20)}" if len(problems) > 20 else ""
    st.error(f"{t('error.table', table=table)}\n\n{lines}{more}\n\n{t('error.rest_works')}")


def show_empty_table(table: str, exc: EmptyTableError | None = None) -> None:
    """Say that a table has no rows (or none for the shown year), so there is nothing to show here (a notice)."""
    if isinstance(exc, YearMissingError):
        st.info(t("years.empty_table", table=table, file=escape_markdown(s.get_file_name(table)), year=get_year()))
        return
    st.info(t("data.empty_table", table=table, file=escape_markdown(s.get_file_name(table))))


@contextmanager
def data_section(table: str):
    """Run a block that needs ``table``; if the table is broken or empty, say why and carry on with the rest of the page."""
    try:
        yield
    except EmptyTableError as exc:
        show_empty_table(table, exc)
    except DataError as exc:
        show_data_error(exc.problems, table)


def require_tables(*tables: str, by_year: bool = False) -> dict[str, pd.DataFrame]:
    """Return the named tables (with ``by_year``, the shown report year's rows), or show what is wrong with them and
    stop this page (other pages keep working)."""
    out, failed = {}, False
    for table in tables:
        try:
            out[table] = get_table(table, by_year)
        except EmptyTableError as exc:
            show_empty_table(table, exc)
            failed = True
        except DataError as exc:
            show_data_error(exc.problems, table)
            failed = True
    if failed:
        st.stop()
    return out


def run_page(page: Page, render: Callable[[], None]) -> None:
    """Run a page's render function, then write its view into the URL and show the share link; an unexpected error
    becomes a Swedish message, the details go to the log.

    The render function runs as a fragment: a change of a widget on the page reruns only the page's own content (and
    writes the URL), not the menu, switches and share link around it, which the browser would otherwise re-apply on
    every change (docs/performance.md). The language and year widgets in the sidebar still rerun the whole page.
    """
    run_part(page, render)
    page.show_share_link()


def run_part(page: Page, render: Callable[..., None], *args) -> None:
    """Run ``render(*args)`` as its own part of the page: a change of a widget inside it redraws only this part (the
    rest of the page keeps what it showed). Call it inside the page's render function, for widgets together with
    everything that depends on them (and on nothing else); ``args`` are kept for its own reruns."""

    @st.fragment
    def part(*part_args) -> None:
        # The outermost part of a run ends it: a whole page run starts in run_page's part, a widget change in the
        # part it belongs to. A rerun may run on another thread than the page's first run: name its page again.
        depth = getattr(_current, "depth", 0)
        if depth == 0:
            _current.years = None
        _current.page, _current.depth = page, depth + 1
        try:
            run_guarded(render, *part_args)
        finally:
            _current.depth = depth
        if depth == 0:
            page.finish()

    part(*args)


def run_guarded(render: Callable[..., None], *args) -> None:
    """Run ``render(*args)``; an unexpected error becomes a Swedish message, the details go to the log."""
    try:
        render(*args)
    except Exception:  # noqa: BLE001 - the last line of defence: users never see a traceback
        traceback.print_exc()
        st.error(t("error.unexpected"))


def is_fragment_rerun() -> bool:
    """Return whether this run is a widget change inside a page (run_page's fragment), not a whole page run."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def show_title(title_key: str, intro_key: str | None = None) -> None:
    """Show the page title and its one-line introduction."""
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key))


def show_source(section: str) -> None:
    """Show where the figures come from: "Källa: Ekonomi › Driftredovisning"."""
    st.caption(t("source.caption", section=escape_markdown(section)))


def format_badges(items: list[tuple[str | None, str]]) -> str:
    """Return Markdown for status badges on one line; each carries symbol and word, never colour alone."""
    return " ".join(f":{STATUS_BADGE_COLORS.get(status, 'gray')}-badge[{escape_markdown(label)}]" for status, label in items)


def show_status_badge(status: str | None, label: str) -> None:
    """Show a status as a coloured badge that also carries a symbol and a word (never colour alone)."""
    st.badge(label, color=STATUS_BADGE_COLORS.get(status, "gray"))


def _pickle_frame(df: pd.DataFrame) -> bytes:
    table = _TABLE_KEYS.get(id(df))
    if table is not None and table[0] is df:
        return table[1]
    # A page passes the same frame (e.g. the statement's rows) to a dozen view functions: make its key once per run.
    page = getattr(_current, "page", None)
    if page is None:
        return pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL)
    if getattr(_current, "keys_page", None) is not page:
        _current.keys_page, _current.frame_keys = page, {}
    known = _current.frame_keys.get(id(df))
    if known is not None and known[0] is df:
        return known[1]
    key = pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL)
    _current.frame_keys[id(df)] = (df, key)  # the frame is kept, so its id is not reused during this run
    return key


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
    return ("pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _name(func: Callable) -> str:
    # id: a reloaded module's function is another one.
    return f"{func.__module__}.{func.__qualname__}#{id(func)}"


class ResultCache:
    """The results of pure functions by function and arguments, kept pickled (each caller gets its own copy); the
    least recently used go first.

    Not st.cache_data: a Streamlit cache lookup costs 0.3-1 ms (signature binding, hashing, bookkeeping), and a page
    asks for ~30 view results a run; a lookup here costs a few microseconds plus the pickle of each new frame (~0.1 ms).
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
            blob = self._items.get(key)
            if blob is not None:
                self._items.move_to_end(key)
        if blob is not None:
            return pickle.loads(blob)
        result = func(*args, **kwargs)
        try:
            blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a result pickle cannot take is not cached
            return result
        with self._lock:
            self._items[key] = blob
            while len(self._items) > self._max_entries:
                self._items.popitem(last=False)
        return result  # the cache keeps only the pickle, so the caller may have the original

    def clear(self) -> None:
        """Forget every result (tests)."""
        with self._lock:
            self._items.clear()


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


def _to_vega_lite(chart) -> dict:
    """Return an Altair chart as the Vega-Lite dict st.altair_chart would send (data as Arrow datasets, named by their
    order in the chart)."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # a later Streamlit moved it: inline data works as well, only larger
        return chart.to_dict()
    return _name_datasets(_convert_altair_to_vega_lite_spec(chart))


def _name_datasets(spec: dict) -> dict:
    # Altair names a dataset by a hash of its rows, so new data made a new spec, and the browser built the chart anew
    # (~20 ms) on each widget change. Named by position, a chart whose data alone changed keeps its spec, and
    # Streamlit's frontend only swaps the data into the chart it already has.
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not datasets:
        return spec
    names = {old: f"ks_data_{i}" for i, old in enumerate(datasets)}
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    out = json.loads(text)
    out["datasets"] = {names[old]: data for old, data in datasets.items()}
    return out


def _build_spec(builder: Callable, *args, **kwargs) -> dict:
    return _to_vega_lite(builder(*args, **kwargs))


@dataclass(eq=False)
class ChartSpec:
    """A chart as its finished Vega-Lite spec (ui.get_chart), and the builder call that makes it again for PNG and SVG."""

    spec: dict
    builder: Callable
    args: tuple
    kwargs: dict

    def build(self):
        """Return the Altair chart again (for the PNG/SVG files, made only when the user asks for one)."""
        return self.builder(*self.args, **self.kwargs)


def get_chart(builder: Callable, *args, **kwargs) -> ChartSpec:
    """Return the chart ``builder(*args, **kwargs)`` (a ks_data.charts ``*_chart``) for ui.show_chart, built and
    validated once per process for equal arguments: building and validating an Altair chart takes 20-100 ms a run."""
    return ChartSpec(CHART_SPECS.call(_build_spec, (builder, *args), kwargs), builder, args, kwargs)


# Key prefix of a chart's "table and downloads" expander (tests open them through the session state).
MORE_PREFIX = "ks_more_"


@dataclass(frozen=True)
class TableTwin:
    """A chart's table for ui.show_chart that is more than the chart's data (e.g. the statement as in the report): its
    own download file name, its name for screen readers and a note shown under it (text from the data)."""

    data: pd.DataFrame
    download_name: str
    alt: str | None = None
    note: str | None = None


def show_chart(chart, alt_text: str, caption: str, table: pd.DataFrame | TableTwin | None = None,
               key: str | None = None, download_name: str | None = None, label: str | None = None,
               rows: Sequence[tuple[ChartSpec, str]] = ()) -> None:
    """Show a chart (an Altair chart, or better a ui.get_chart) with its text alternative, a one-sentence caption and,
    in an expander made when opened, an optional table twin (with its own CSV and Excel downloads) and PNG and SVG
    downloads. ``download_name`` (default: ``key``) names the files; the expander is keyed by ``key`` (else by the
    files). ``table`` is the chart's data as a view table, or a TableTwin.

    A chart redrawn by a widget gets a ``label`` that stays the same while its data change: the chart is then named by
    the label, and ``alt_text`` is read by screen readers right after it, in the caption (hidden from view).

    With ``rows`` ((chart, text alternative) pairs, e.g. charts.target_row_chart), the page shows those one under the
    other, each stretched to the column, and ``chart`` (their rows stacked in one) is what the files hold."""
    # Streamlit's frontend embeds a chart anew (30-40 ms) whenever its text alternative changes, instead of swapping
    # in the new data: a text alternative that describes the data would rebuild the chart on every widget change.
    shown_alt = t("chart.label", label=label) if label else alt_text
    if rows:
        for i, (row, row_alt) in enumerate(rows):
            _draw_spec(row, row_alt, f"{key}_row_{i}" if key else None)
    elif isinstance(chart, ChartSpec):
        _draw_spec(chart, shown_alt, key)
    else:
        st.altair_chart(chart, alt=shown_alt, key=key)
    if label:
        st.caption(f'{_escape_inline(caption)} <span class="{SR_ONLY}">{_escape_inline(alt_text)}</span>',
                   unsafe_allow_html=True)
    else:
        st.caption(escape_markdown(caption))  # captions name rows and metrics from the data
    name = download_name or key
    if not name:  # nothing to name the files and the expander by
        return
    # Keyed by the chart, not its files: a table opened under a chart stays open when a widget gives it other data.
    with _made_when_open(t("chart.more" if table is not None else "chart.files"), key or name) as more:
        if more.open:
            if table is not None:
                _show_twin(table if isinstance(table, TableTwin) else TableTwin(table, f"{name}-tabell"))
            show_chart_downloads(chart, name)


def _draw_spec(chart: ChartSpec, alt_text: str, key: str | None) -> None:
    # No deep copy (~0.5 ms a chart on every run): get_chart's spec is already this caller's own (the cache unpickles
    # one per call), and Streamlit copies the top level before it takes the datasets out.
    st.vega_lite_chart(chart.spec, alt=alt_text, key=key)


def show_table_twin(df: pd.DataFrame, download_name: str, label: str | None = None, note: str | None = None,
                    key: str | None = None) -> None:
    """Show a table twin of what is drawn above it (e.g. a list of cards) under ``label`` (default "Visa som tabell"),
    with a ``note`` under it and its CSV and Excel downloads, all made only while the expander is open. ``key``
    (default: the file name) names the expander: give one when the file name follows the widgets, so an opened table
    stays open when they change."""
    with _made_when_open(label or t("table.twin"), key or download_name) as more:
        if more.open:
            _show_twin(TableTwin(df, download_name, note=note))


def _show_twin(twin: TableTwin) -> None:
    show_table(twin.data, alt=twin.alt)
    if twin.note:  # right under the table whose columns it explains
        st.caption(escape_markdown(twin.note))
    show_table_downloads(twin.data, twin.download_name)


def _made_when_open(label: str, name: str):
    # An expander whose content the caller makes only while it is open (.open): drawn closed on every run, a chart's
    # table and files were 8 of a page's elements, which the browser re-applied on every widget change.
    return st.expander(label, key=f"{MORE_PREFIX}{name}", on_change="rerun")


def show_chart_downloads(chart, name: str) -> None:
    """Offer the chart (an Altair chart or a ui.get_chart) as PNG and SVG, rendered offline (vl-convert) only when the
    user clicks."""
    png, svg = export.get_file_name(name, "png"), export.get_file_name(name, "svg")

    def get_altair():
        return chart.build() if isinstance(chart, ChartSpec) else chart

    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.png"), lambda: export.write_chart_png(get_altair()), file_name=png,
                           mime=export.PNG_MIME, on_click="ignore", key=f"dl_png_{png}", help=t("export.png.help", file=png))
        st.download_button(t("export.svg"), lambda: export.write_chart_svg(get_altair()), file_name=svg,
                           mime=export.SVG_MIME, on_click="ignore", key=f"dl_svg_{svg}", help=t("export.svg.help", file=svg))


def show_table_downloads(df: pd.DataFrame, name: str) -> None:
    """Offer exactly this table (the typed view: numbers as numbers) as CSV and Excel, written only when clicked."""
    lang = get_lang()
    csv, xlsx = export.get_file_name(name, "csv"), export.get_file_name(name, "xlsx")
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.csv"), lambda: export.write_csv(df, lang), file_name=csv, mime=export.CSV_MIME,
                           on_click="ignore", key=f"dl_csv_{csv}", help=t("export.csv.help", file=csv))
        st.download_button(t("export.xlsx"), lambda: export.write_xlsx(df, name, lang), file_name=xlsx,
                           mime=export.XLSX_MIME, on_click="ignore", key=f"dl_xlsx_{xlsx}",
                           help=t("export.xlsx.help", file=xlsx))


def show_report_download(key: str) -> None:
    """Offer the printable PDF report of the year, made offline when the user clicks (takes a few seconds);
    without its fonts, say in Swedish what to install instead."""
    lang = get_lang()
    missing = report_pdf.check_fonts(lang=lang)
    if missing:
        st.warning(missing)
        return
    frames = get_year_frames(get_loaded_tables())
    problems, reconciliation = get_data_check()
    folder = get_data_folder()
    # The app's address as this browser has it (with language and year): each section of the PDF links to its view.
    app_url = get_share_url("overview", {})

    def make() -> bytes:
        return report_pdf.build_report(frames, problems, reconciliation, catalog.calc_fingerprint(folder.files),
                                       datetime.now(), folder.modified, lang, app_url=app_url)

    st.download_button(t("export.pdf"), make, file_name=report_pdf.get_file_name(report_pdf.get_year(frames)),
                       mime=export.PDF_MIME, on_click="ignore", key=key, help=t("export.pdf.help"))
    st.caption(t("export.pdf.caption"))


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")
SMALL_TABLE_ROWS = 40


def escape_markdown(text) -> str:
    """Return ``text`` with every Markdown character escaped, so data is shown as written and never as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# Class of text read by screen readers but not shown (the usual clip pattern; see DOCUMENT_SCRIPT's style).
SR_ONLY = "ks-sr-only"


def _escape_inline(text) -> str:
    # Markdown that may hold our own HTML: "<" and ">" are escaped by escape_markdown, "&" must not start an entity.
    return escape_markdown(text).replace("&", "\\&")


def format_highlighted(text: str, spans: Sequence[tuple[int, int]], color: str = "orange") -> str:
    """Return ``text`` as inert Markdown with each (start, end) span bold on a coloured background (never colour
    alone); every part is escaped, "&" too, so neither the text nor the spans can become markup or an entity."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(_escape_inline(text[pos:start]))
        out.append(f":{color}-background[**{_escape_inline(text[start:end])}**]")
        pos = end
    out.append(_escape_inline(text[pos:]))
    return "".join(out)


def show_table(df: pd.DataFrame, download_name: str | None = None, alt: str | None = None) -> None:
    """Show a view table: small ones as a static, readable table named ``alt`` for screen readers, large ones
    scrollable; with ``download_name``, offer exactly this table as CSV and Excel.

    A typed view table (ks_data.viewtable: numbers plus column formats) is formatted here for the screen, and its
    numbers go unformatted into the downloads; a plain table of text is shown and downloaded as it is.
    """
    lang = get_lang()
    if len(df) <= SMALL_TABLE_ROWS:
        # One HTML element (escaped by format_html_table), not st.table: st.table draws every header and cell as a
        # Markdown element of its own, ~1 ms each on every redraw (~45 ms of an activity filter change).
        st.html(get_table_html(df, lang, alt))
    else:
        st.dataframe(get_shown_table(df, lang), hide_index=True, width="stretch")
    if download_name:
        show_table_downloads(df, download_name)


def get_table_html(df: pd.DataFrame, lang: str, alt: str | None = None) -> str:
    """Return a small view table as ui.show_table shows it (viewtable.format_html_table), made once per process for
    each table, language and name: formatting every cell in Python took 5-30 ms a run."""
    return SHOWN_TABLES.call(format_html_table, (df, lang, alt), {})


def get_shown_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a large view table as ui.show_table shows it (st.dataframe: plain text cells), formatted once per
    process for each table and language."""
    return SHOWN_TABLES.call(_format_shown_table, (df, lang), {})


def _format_shown_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return format_table(df, lang) if is_typed(df) else df


MAX_PARAGRAPHS = 50


def show_text(text: str | None, max_chars: int = MAX_TEXT_CHARS) -> None:
    """Show a text from the data inertly (st.text: no HTML, no Markdown), paragraphs kept; overly long texts are
    shortened (validation warns about texts over check.MAX_TEXT_CHARS)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        st.markdown(f"*{t('goals.no_text')}*")
        return
    text = str(text)
    shortened = len(text) > max_chars
    paragraphs = [para for para in text[:max_chars].split("\n\n") if para.strip()]
    # Many paragraphs stay few elements: the rest share the last one.
    for para in paragraphs[:MAX_PARAGRAPHS - 1] + ["\n\n".join(paragraphs[MAX_PARAGRAPHS - 1:])]:
        if para:
            st.text(para)
    if shortened:
        st.caption(t("text.truncated", n=len(text)))


def show_bullets(lines: Iterable[str], escape: bool = True) -> None:
    """Show ``lines`` as one bulleted list (one element); each line escaped as text unless it is the app's own
    Markdown (``escape=False``)."""
    st.markdown("\n".join(f"- {escape_markdown(line) if escape else line}" for line in lines))


# --- presentation mode ---
SCREEN_PARAM = "skarm"
QR_PARAM = "qr"
PRESENTATION_NOTICE = "_ks_presentation_notice"
# Readable from the back of a room: large type, no sidebar or Streamlit chrome, every text at least ~20 px at
# 1280 × 720 (captions, badges and metric labels are 0.875rem in Streamlit: set them to 1rem here).
PRESENTATION_STYLE = """<style>
html { font-size: clamp(24px, 1.75vw, 34px) !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"]
{ display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 1rem !important; max-width: 100% !important; }
[data-testid="stMain"] h1, [data-testid="stMain"] h1 * { font-size: 1.75rem !important; line-height: 1.2; }
[data-testid="stMain"] h1 { padding: 0 0 0.25rem !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] button p,
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, [data-testid="stMain"] code,
[data-testid="stMain"] pre, [data-testid="stMain"] [data-testid="stText"] { font-size: 1rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] * {
  font-size: 1.75rem !important; line-height: 1.15; white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; word-break: normal !important; overflow-wrap: normal !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"],
[data-testid="stMetricDelta"] * { font-size: 1rem !important; white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; height: auto !important; }
[data-testid="stMetricDelta"] { max-width: 100%; border-radius: 0.5rem !important; }
.st-key-ks_pres_message p { font-size: 1.25rem !important; font-weight: 600; line-height: 1.3; }
/* The chart takes the height the screen has left: every block from the page down to the chart's container is a
   flex column that grows (side-by-side columns stay a row), and the page is exactly one screen high. */
[data-testid="stMainBlockContainer"] { height: 100vh; display: flex; flex-direction: column; box-sizing: border-box; }
[data-testid="stMainBlockContainer"] div:has(.st-key-ks_pres_chart):not([data-testid="stHorizontalBlock"]) {
  flex: 1 1 0 !important; min-height: 0 !important; display: flex; flex-direction: column; }
[data-testid="stMainBlockContainer"] [data-testid="stHorizontalBlock"]:has(.st-key-ks_pres_chart) {
  flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-ks_pres_chart { flex: 1 1 0 !important; min-height: 8rem !important; }
.st-key-ks_pres_items li { margin-bottom: 0.6rem; }
.st-key-ks_pres_qr_box img { width: 100%; max-width: 14rem; height: auto; }
.st-key-ks_pres_qr_box [data-testid="stText"] { overflow-wrap: anywhere; white-space: normal; }
</style>"""
# ArrowRight/PageDown and ArrowLeft/PageUp press the "Nästa"/"Föregående" buttons (found by their st-key-<key>
# class); keys typed into a field or used by a widget are left alone. Installed once per browser tab.
PRESENTATION_SCRIPT = """<script>
(() => {
  if (window.__ksPresentationKeys) return;
  window.__ksPresentationKeys = true;
  const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev"};
  document.addEventListener("keydown", (event) => {
    const name = keys[event.key];
    if (!name || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element && target.closest(
        "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role=slider], [role=listbox], [role=combobox]")) return;
    const button = document.querySelector(".st-key-ks_pres_" + name + " button");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
</script>"""


def get_screen_params(slug: str, qr: bool) -> dict[str, list[str]]:
    """Return the URL parameters of a screen (besides the frame's): its slug and, when shown, the QR code."""
    return {SCREEN_PARAM: [slug]} | ({QR_PARAM: ["1"]} if qr else {})


def _get_goals_or_none() -> pd.DataFrame | None:
    """Return the shown report year's goals for the list of goal-area screens, or None if they cannot be shown."""
    try:
        if any(p.severity == ERROR for p in get_table_problems(s.GOALS)):
            return None
        return years.get_year_rows(_read_table(s.GOALS), get_year())
    except DataError:
        return None


def go_to_screen(screen: presentation.Screen, qr: bool) -> None:
    """Open ``screen`` on its page (a page change: the address becomes the screen's own link)."""
    st.switch_page(PAGE_BY_KEY[screen.page_key][1], query_params=get_screen_params(screen.slug, qr) | get_frame_params())


def end_presentation(screen: presentation.Screen) -> None:
    """Turn presentation mode off and open the screen's page as usual, with the page's last view in this session."""
    set_frame("presentation", "0")
    remembered = st.session_state.get(REMEMBERED, {}).get(screen.page_key, {})
    params = remembered | {param: [value] for param, value in screen.page_params} | get_frame_params()
    st.switch_page(PAGE_BY_KEY[screen.page_key][1], query_params=params or None)


def render_presentation(page_key: str, invalid: list[tuple[str, str]]) -> None:
    """Show the presentation screen the link names (or the page's first one) instead of the page, then stop the run.

    A page without screens, or a link to another page's screen, opens that screen on its own page.
    """
    _current.page = None  # data warnings become notices in this run, not in an earlier page's frame
    screens = presentation.get_screens(_get_goals_or_none())
    raw = st.query_params.get_all(SCREEN_PARAM)
    raw_qr = st.query_params.get_all(QR_PARAM)
    qr = raw_qr == ["1"]
    index = presentation.get_screen_index(screens, raw[0]) if len(raw) == 1 else None
    if raw_qr and raw_qr not in (["0"], ["1"]):
        invalid = [*invalid, (QR_PARAM, ", ".join(raw_qr))]
    notices = [t("notice.bad_param", param=param, value=escape_markdown(_shorten(value))) for param, value in invalid]
    known = {SCREEN_PARAM, QR_PARAM, *FRAME_PARAMS, *GLOBAL_PARAMS}
    notices += [t("notice.unknown_param", param=escape_markdown(_shorten(param)))
                for param in st.query_params.keys() if param not in known]
    notices += st.session_state.pop(PRESENTATION_NOTICE, [])
    if index is None:
        if raw:
            notices.append(t("pres.bad_screen", value=escape_markdown(_shorten(", ".join(raw)))))
        index = presentation.get_first_screen(screens, page_key)
    screen = screens[index]
    if screen.page_key != page_key:
        st.session_state[PRESENTATION_NOTICE] = notices  # shown on the screen's page
        go_to_screen(screen, qr)
    kept = {param: st.query_params.get_all(param) for param in GLOBAL_PARAMS if param in st.query_params}
    st.query_params.from_dict(kept | get_frame_params() | get_screen_params(screen.slug, qr))

    st.set_page_config(page_title=f"{t('pres.nav.start')} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="collapsed")
    st.html(get_document_script(get_lang()) + PRESENTATION_STYLE + PRESENTATION_SCRIPT, unsafe_allow_javascript=True)
    body, nav = st.container(), st.container()
    with nav, st.container(horizontal=True, vertical_alignment="center", gap="medium", key="ks_pres_nav"):
        previous = st.button(t("pres.prev"), key="ks_pres_prev", disabled=index == 0)
        st.markdown(presentation.format_counter(index, len(screens)), help=t("pres.keys"))
        following = st.button(t("pres.next"), key="ks_pres_next", type="primary", disabled=index == len(screens) - 1)
        toggle_qr = st.button(t("pres.qr.hide" if qr else "pres.qr.show"), key="ks_pres_qr")
        leave = st.button(t("pres.exit"), key="ks_pres_exit")
    if previous and index > 0:
        go_to_screen(screens[index - 1], qr)
    if following and index < len(screens) - 1:
        go_to_screen(screens[index + 1], qr)
    if toggle_qr:
        go_to_screen(screen, not qr)
    if leave:
        end_presentation(screen)
    with body:
        for text in notices:
            st.warning(text)
        run_guarded(lambda: render_screen(screen, qr))
    st.stop()


def _get_screen_view(screen: presentation.Screen, frames: dict[str, pd.DataFrame], lang: str
                     ) -> tuple[presentation.ScreenContent, dict | None]:
    """Return a screen's content (its chart taken out) and the chart's enlarged Vega-Lite spec; through VIEW_RESULTS
    it is made once per screen, year and language, not for each of the audience opening the screen's QR link
    (the deviations screen took ~70 ms a run)."""
    content = presentation.get_screen_content(screen, frames, lang)
    spec = presentation.get_chart_spec(content.chart) if content.chart is not None else None
    return replace(content, chart=None), spec


def render_screen(screen: presentation.Screen, qr: bool) -> None:
    """Show one screen: title, its message, key figures, items or chart, source, and the QR code if asked."""
    lang = get_lang()
    main, side = st.columns([3, 1], gap="large") if qr else (st.container(), None)
    with main:
        frames = require_tables(*screen.tables, by_year=True)
        content, spec = VIEW_RESULTS.call(_get_screen_view, (screen, frames, lang), {})
        st.title(escape_markdown(content.title), anchor=False)
        with st.container(key="ks_pres_message"):
            st.markdown(escape_markdown(content.message))
        if content.figures:
            for column, figure in zip(st.columns(len(content.figures)), content.figures, strict=True):
                column.metric(escape_markdown(figure["label"]), figure["value"], figure.get("delta"), border=True,
                              delta_color=figure.get("delta_color", "normal"),
                              delta_arrow=figure.get("delta_arrow", "auto"), height="stretch")
        if content.items:
            with st.container(key="ks_pres_items"):
                st.markdown("\n".join(f"- {escape_markdown(text)} {format_badges([(status, words)])}"
                                      for text, status, words in content.items))
        if spec is not None:
            with st.container(key="ks_pres_chart"):
                st.vega_lite_chart(spec=spec, width="stretch", height="stretch", alt=content.chart_alt)
        if content.source:
            show_source(content.source)
    if side is not None:
        with side, st.container(key="ks_pres_qr_box"):
            link = get_share_url(screen.page_key, get_screen_params(screen.slug, False))
            st.markdown(t("pres.qr.caption"))
            st.image(presentation.get_qr_svg(link), alt=t("pres.qr.alt"), width="stretch")
            st.text(link)
