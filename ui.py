"""The one place where Streamlit meets ks_data: caching, page frame, URL state, display and errors.

Every page script starts with ``page = ui.setup_page(KEY)``, reads its widgets through
``page.select`` / ``page.slider`` / ``page.toggle`` (which seed from the URL and validate it),
and ends with ``page.finish()``, which writes the whole view into the URL. Pages run
standalone (Streamlit's classic ``pages/`` mode, no ``st.navigation``), so a deep link
opened as the very first request after a server start renders the same frame.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from ks_data import paths
from ks_data import schema as s
from ks_data.check import check_tables
from ks_data.errors import DataError, Problem
from ks_data.load import load_table, load_tables
from ks_data.reconcile import calc_reconciliation
from ks_data.texts import DEFAULT_LANG, get_text

# (page key, script path relative to the app root, URL path, navigation text key)
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("overview", "app.py", "", "nav.overview"),
    ("goals", "pages/1_mal.py", "mal", "nav.goals"),
    ("economy", "pages/2_ekonomi.py", "ekonomi", "nav.economy"),
    ("comparisons", "pages/3_jamforelsetal.py", "jamforelsetal", "nav.comparisons"),
    ("activities", "pages/4_aktiviteter.py", "aktiviteter", "nav.activities"),
    ("about", "pages/5_om_data.py", "om_data", "nav.about"),
)
PAGE_BY_KEY = {p[0]: p for p in PAGES}
# Parameters any page accepts; they are owned by the frame, not by a page's widgets.
GLOBAL_PARAMS = ("embed", "embed_options")
REMEMBERED = "_ks_params"
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


def get_table(table: str) -> pd.DataFrame:
    """Return a loaded table (shared, read-only: never mutate it); raise DataError if it cannot be used."""
    data_dir = get_data_dir()
    result = _load_cached(table, str(data_dir), _mtime(data_dir / s.get_file_name(table)))
    if isinstance(result, DataError):
        raise result
    return result


def get_loaded_tables() -> dict[str, pd.DataFrame]:
    """Return every table that can be loaded (shared, read-only: never mutate them); broken ones are left out."""
    out = {}
    for table in s.TABLES:
        try:
            out[table] = get_table(table)
        except DataError:
            continue
    return out


@st.cache_data(show_spinner=False, max_entries=16)
def _check_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> tuple[list[Problem], pd.DataFrame]:
    """Load, validate and reconcile a data folder once per version of its files."""
    frames, problems = load_tables(Path(data_dir))
    return problems + check_tables(frames, Path(data_dir)), calc_reconciliation(frames)


def get_data_check() -> tuple[list[Problem], pd.DataFrame]:
    """Return the validation problems (tables that fail to load included) and the reconciliation of the data folder."""
    data_dir = get_data_dir()
    mtimes = tuple(_mtime(data_dir / s.get_file_name(table)) for table in s.TABLES)
    return _check_cached(str(data_dir), mtimes)


def t(key: str, **values) -> str:
    """Return the UI text for ``key`` in the session's language."""
    return get_text(key, get_lang(), **values)


def get_lang() -> str:
    """Return the session's UI language code."""
    return st.session_state.get("_ks_lang", DEFAULT_LANG)


def _shorten(value: str) -> str:
    return value if len(value) <= MAX_PARAM_SHOWN else value[:MAX_PARAM_SHOWN] + "…"


@dataclass
class Page:
    """The frame of one page run: its URL parameters, notices and data errors."""

    key: str
    notices: st.delta_generator.DeltaGenerator
    params: dict[str, list[str] | None] = field(default_factory=dict)

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
                    self.notice(t("notice.bad_param", param=param, value=_shorten(", ".join(raw))))
            st.session_state[key] = value
        return key

    def notice(self, text: str) -> None:
        """Show a notice at the top of the page (plain text, never HTML)."""
        self.notices.warning(text)

    def select(self, param: str, options: Sequence, default, label: str, format_func: Callable = str,
               where=None, horizontal: bool = False, omit: object = None, **kwargs):
        """Return the chosen option of a selectbox (or radio when ``horizontal``) bound to URL parameter ``param``.

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
        widget = box.radio if horizontal else box.selectbox
        extra = {"horizontal": True} if horizontal else {}
        value = widget(label, options, key=key, format_func=format_func, **extra, **kwargs)
        self.params[param] = None if omit is not None and value == omit else [self.serialize(value)]
        return value

    def slider(self, param: str, min_value: int, max_value: int, default, label: str, step: int = 1,
               where=None, **kwargs):
        """Return a slider's value (a number, or a (low, high) tuple when ``default`` is a tuple) bound to ``param``."""
        is_range = isinstance(default, tuple)

        def parse_one(text: str) -> int:
            number = int(text)
            if not min_value <= number <= max_value or (number - min_value) % step:
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

    def leave_out(self, param: str) -> None:
        """Keep ``param`` out of the URL, without an "unknown parameter" notice, when this view hides its widget."""
        self.params[param] = None

    def set_value(self, param: str, value) -> None:
        """Set a bound widget's value from a button callback (e.g. "Öppna mål")."""
        st.session_state[self._state_key(param)] = value

    @staticmethod
    def serialize(value) -> str:
        """Return the URL text of an option value."""
        return str(value)

    def finish(self) -> None:
        """Write the view's state into the URL, drop unknown parameters, and show the share link."""
        for param in list(st.query_params.keys()):
            if param not in self.params and param not in GLOBAL_PARAMS:
                self.notice(t("notice.unknown_param", param=_shorten(param)))
                del st.query_params[param]
        for param, values in self.params.items():
            if values is None:
                if param in st.query_params:
                    del st.query_params[param]
            elif st.query_params.get_all(param) != values:
                st.query_params[param] = values
        remembered = st.session_state.setdefault(REMEMBERED, {})
        remembered[self.key] = {p: v for p, v in self.params.items() if v is not None}
        with st.sidebar:
            # st.code, not a text input: it follows every rerun and has a copy button.
            st.markdown(f"**{t('share.label')}**", help=t("share.help"))
            st.code(get_share_url(self.key, self.params), language="text", wrap_lines=True)


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
    query = urlencode([(k, v) for k, vs in params.items() if vs is not None for v in vs])
    return urlunsplit((parts.scheme, parts.netloc, new_path, query, ""))


def setup_page(page_key: str) -> Page:
    """Set up the frame of a page: page config, navigation, heading area for notices; return the Page."""
    st.set_page_config(page_title=f"{t(PAGE_BY_KEY[page_key][3])} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="expanded")
    render_navigation(page_key)
    notices = st.container()
    return Page(key=page_key, notices=notices)


def render_navigation(current: str) -> None:
    """Show our own page menu; each link restores the target page's last view in this session."""
    remembered = st.session_state.get(REMEMBERED, {})
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        for key, script, _, text_key in PAGES:
            st.page_link(script, label=t(text_key), query_params=remembered.get(key) or None,
                         disabled=False)


def page_link(page_key: str, label: str, params: dict | None = None) -> None:
    """Show a link to another page, with ``params`` or else that page's remembered view."""
    script = PAGE_BY_KEY[page_key][1]
    remembered = st.session_state.get(REMEMBERED, {}).get(page_key)
    st.page_link(script, label=label, query_params=params if params is not None else remembered or None)


def show_data_error(problems: list[Problem], table: str) -> None:
    """Show a data problem in Swedish, naming file, table, row and column; never a traceback."""
    lines = "\n".join(f"- {p.describe()}" for p in problems[:20])
    more = f"\n- … och {len(problems) - 20} till" if len(problems) > 20 else ""
    st.error(f"{t('error.table', table=table)}\n\n{lines}{more}\n\n{t('error.rest_works')}")


@contextmanager
def data_section(table: str):
    """Run a block that needs ``table``; if the table is broken, show why and carry on with the rest of the page."""
    try:
        yield
    except DataError as exc:
        show_data_error(exc.problems, table)


def require_tables(*tables: str) -> dict[str, pd.DataFrame]:
    """Return the named tables, or show what is wrong with them and stop this page (other pages keep working)."""
    out, failed = {}, False
    for table in tables:
        try:
            out[table] = get_table(table)
        except DataError as exc:
            show_data_error(exc.problems, table)
            failed = True
    if failed:
        st.stop()
    return out


def run_page(render: Callable[[], None]) -> None:
    """Run a page's render function; an unexpected error becomes a Swedish message, the details go to the log."""
    try:
        render()
    except Exception:  # noqa: BLE001 - the last line of defence: users never see a traceback
        traceback.print_exc()
        st.error(t("error.unexpected"))


def show_title(title_key: str, intro_key: str | None = None) -> None:
    """Show the page title and its one-line introduction."""
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key))


def show_source(section: str) -> None:
    """Show where the figures come from: "Källa: Ekonomi › Driftredovisning"."""
    st.caption(t("source.caption", section=section))


def format_badges(items: list[tuple[str | None, str]]) -> str:
    """Return Markdown for status badges on one line; each carries symbol and word, never colour alone."""
    return " ".join(f":{STATUS_BADGE_COLORS.get(status, 'gray')}-badge[{escape_markdown(label)}]" for status, label in items)


def show_status_badge(status: str | None, label: str) -> None:
    """Show a status as a coloured badge that also carries a symbol and a word (never colour alone)."""
    st.badge(label, color=STATUS_BADGE_COLORS.get(status, "gray"))


def show_chart(chart, alt_text: str, caption: str, table: pd.DataFrame | None = None, key: str | None = None) -> None:
    """Show a chart with its text alternative, a one-sentence caption and an optional table twin."""
    st.altair_chart(chart, alt=alt_text, key=key)
    st.caption(caption)
    if table is not None:
        with st.expander(t("table.twin")):
            show_table(table)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")
SMALL_TABLE_ROWS = 40


def escape_markdown(text) -> str:
    """Return ``text`` with every Markdown character escaped, so data is shown as written and never as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """Show a display table (already formatted as text): small ones as a static, readable table, large ones scrollable."""
    if len(df) <= SMALL_TABLE_ROWS:
        shown = df.copy()
        shown.columns = [escape_markdown(c) for c in shown.columns]
        for col in shown.columns:
            shown[col] = shown[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                                        else escape_markdown(v))
        st.table(shown, hide_index=True, **kwargs)
    else:
        st.dataframe(df, hide_index=True, width="stretch", **kwargs)


def show_text(text: str | None, max_chars: int = 20_000) -> None:
    """Show a text from the data inertly (no HTML), paragraphs kept; overly long texts are shortened."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        st.markdown(f"*{t('goals.no_text')}*")
        return
    text = str(text)
    shortened = len(text) > max_chars
    for para in text[:max_chars].split("\n\n"):
        st.text(para)
    if shortened:
        st.caption(t("text.truncated", n=len(text)))
