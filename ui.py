"""The one place where Streamlit meets ks_data: caching, page frame, URL state, display and errors.

Every page script starts with ``page = ui.setup_page(KEY)``, reads its widgets through
``page.select`` / ``page.slider`` / ``page.toggle`` (which seed from the URL and validate it),
and ends with ``page.finish()``, which writes the whole view into the URL. Pages run
standalone (Streamlit's classic ``pages/`` mode, no ``st.navigation``), so a deep link
opened as the very first request after a server start renders the same frame.
"""

from __future__ import annotations

import json
import os
import re
import threading
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from ks_data import catalog, export, paths, report_pdf
from ks_data import schema as s
from ks_data.check import MAX_TEXT_CHARS, check_tables
from ks_data.errors import ERROR, DataError, Problem
from ks_data.load import load_table, load_tables
from ks_data.reconcile import calc_reconciliation
from ks_data.texts import DEFAULT_LANG, LANGUAGES, get_text
from ks_data.viewtable import format_table, is_typed

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


FRAME_PARAMS: dict[str, tuple[str, Callable[[str], str]]] = {
    "lang": (DEFAULT_LANG, _check_choice(*LANGUAGES)),
}
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


def _read_table(table: str) -> pd.DataFrame:
    """Return a table as read and schema-checked (not validated); raise DataError if it cannot be read."""
    data_dir = get_data_dir()
    result = _load_cached(table, str(data_dir), _mtime(data_dir / s.get_file_name(table)))
    if isinstance(result, DataError):
        raise DataError(result.problems)  # a fresh exception: the cached one must not collect tracebacks
    return result


def _get_mtimes(data_dir: Path) -> tuple[int, ...]:
    return tuple(_mtime(data_dir / s.get_file_name(table)) for table in s.TABLES)


@st.cache_resource(show_spinner=False, max_entries=16)
def _validate_cached(data_dir: str, mtimes_ns: tuple[int, ...]) -> dict[str, tuple[Problem, ...]]:
    """Validate every readable table once per version of the folder's files; return the problems by table.

    Cross-table checks (an indicator's goal, a year another table has) use whichever tables can be read,
    so a broken goals file does not also fail the indicators.
    """
    frames = {}
    for table, mtime in zip(s.TABLES, mtimes_ns, strict=True):
        result = _load_cached(table, data_dir, mtime)
        if not isinstance(result, DataError):
            frames[table] = result
    by_table: dict[str, list[Problem]] = {table: [] for table in s.TABLES}
    for problem in check_tables(frames, Path(data_dir)):
        by_table.setdefault(problem.table, []).append(problem)
    return {table: tuple(problems) for table, problems in by_table.items()}


def get_table_problems(table: str) -> tuple[Problem, ...]:
    """Return the validation errors and warnings of a readable table (empty if it cannot be read)."""
    data_dir = get_data_dir()
    return _validate_cached(str(data_dir), _get_mtimes(data_dir)).get(table, ())


def get_table(table: str) -> pd.DataFrame:
    """Return a loaded and validated table (shared, read-only: never mutate it).

    Raises DataError, naming file, table, row and column, if the table cannot be read or fails validation;
    EmptyTableError if it has no rows. Validation warnings (e.g. an overly long text, a year with no rows)
    become a notice at the top of the page, and the table is returned.
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
    return df


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
    frames, problems = load_tables(Path(data_dir))
    return problems + check_tables(frames, Path(data_dir)), calc_reconciliation(frames)


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


def t(key: str, **values) -> str:
    """Return the UI text for ``key`` in the session's language."""
    return get_text(key, get_lang(), **values)


def get_lang() -> str:
    """Return the session's UI language code."""
    return get_frame("lang")


def get_frame(param: str) -> str:
    """Return the session's value of frame parameter ``param`` (its default until a link or the user sets it)."""
    return st.session_state.get(FRAME_STATE, {}).get(param, FRAME_PARAMS[param][0])


def set_frame(param: str, value: str) -> None:
    """Set frame parameter ``param`` for the rest of the session (e.g. from the language switch)."""
    st.session_state.setdefault(FRAME_STATE, {})[param] = value


def get_frame_params() -> dict[str, list[str]]:
    """Return the frame parameters that differ from their defaults, as URL parameters for links."""
    return {param: [get_frame(param)] for param, (default, _) in FRAME_PARAMS.items() if get_frame(param) != default}


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
                self.notice(t("notice.text_long", param=param, n=f"{len(cleaned):,}".replace(",", "\u00a0"),
                                   max=max_chars))
                cleaned = cleaned[:max_chars]
            st.session_state[key] = cleaned
        value = clean_text((where or st).text_input(label, key=key, max_chars=max_chars, **kwargs))[:max_chars]
        self.params[param] = [value] if value.strip() else None
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
        with st.sidebar:
            # st.code, not a text input: it follows every rerun and has a copy button.
            st.markdown(f"**{t('share.label')}**", help=t("share.help"))
            st.code(get_share_url(self.key, self.params), language="text", wrap_lines=True)


_current = threading.local()


def _show_warnings(problems: list[Problem]) -> None:
    """Show each data warning once per page run as a notice at the top of the page; the page carries on."""
    page = getattr(_current, "page", None)
    for problem in problems:
        if page is not None and problem in page.shown_problems:
            continue
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


def setup_page(page_key: str) -> Page:
    """Set up the frame of a page: page config, navigation, heading area for notices; return the Page."""
    invalid = read_frame_params()
    st.set_page_config(page_title=f"{t(PAGE_BY_KEY[page_key][3])} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="expanded")
    render_navigation(page_key)
    render_document_fixes(get_lang())
    notices = st.container()
    page = Page(key=page_key, notices=notices)
    for param, value in invalid:
        page.notice(t("notice.bad_param", param=param, value=escape_markdown(_shorten(value))))
    return page


# BCP 47 tag of each UI language, for <html lang>.
DOCUMENT_LANGS = {"sv": "sv", "en": "en"}
# Runs in the page itself (st.html, not an iframe). Streamlit hard-codes <html lang="en"> (streamlit#8399,
# #15726), so the document's language is set from the session's UI language. Streamlit's st.table makes its
# scroll box keyboard-focusable only with a fixed pixel size; a wide table that overflows its column must be
# reachable too (WCAG 2.1.1, axe "scrollable-region-focusable"), so such boxes get tabindex, role and a name.
# The sidebar's collapse button and the share link's copy button appear only on mouse hover; the style keeps
# them shown, so Tab reaches them.
DOCUMENT_SCRIPT = """<script>
(() => {
  document.documentElement.lang = %(lang)s;
  window.__ksTableLabel = %(table_label)s;
  if (window.__ksDocumentFixes) return;
  window.__ksDocumentFixes = true;
  const fix = () => {
    document.querySelectorAll('[data-testid="stTable"] > div').forEach((box) => {
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
    });
  };
  let queued = false;
  const schedule = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(); }); }
  };
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("resize", schedule);
  document.addEventListener("toggle", schedule, true);
  schedule();
})();
</script>
<style>
[data-ks-scroll]:focus-visible { outline: 2px solid #1f5f8b; outline-offset: 2px; }
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
                              "table_label": json.dumps(get_text("a11y.table_scroll", texts_lang))}


def render_document_fixes(lang: str) -> None:
    """Declare the session's UI language on <html> and make overflowing tables reachable by keyboard."""
    with st.sidebar:
        st.html(get_document_script(lang), unsafe_allow_javascript=True)


def render_navigation(current: str) -> None:
    """Show our own page menu; each link restores the target page's last view in this session."""
    remembered = st.session_state.get(REMEMBERED, {})
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        for key, script, _, text_key in PAGES:
            st.page_link(script, label=t(text_key), query_params=(remembered.get(key, {}) | get_frame_params()) or None,
                         disabled=False)


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
    more = f"\n- … och {len(problems) - 20} till" if len(problems) > 20 else ""
    st.error(f"{t('error.table', table=table)}\n\n{lines}{more}\n\n{t('error.rest_works')}")


def show_empty_table(table: str) -> None:
    """Say that a table has no rows, so there is nothing to show here (a notice, not an error)."""
    st.info(t("data.empty_table", table=table, file=escape_markdown(s.get_file_name(table))))


@contextmanager
def data_section(table: str):
    """Run a block that needs ``table``; if the table is broken or empty, say why and carry on with the rest of the page."""
    try:
        yield
    except EmptyTableError:
        show_empty_table(table)
    except DataError as exc:
        show_data_error(exc.problems, table)


def require_tables(*tables: str) -> dict[str, pd.DataFrame]:
    """Return the named tables, or show what is wrong with them and stop this page (other pages keep working)."""
    out, failed = {}, False
    for table in tables:
        try:
            out[table] = get_table(table)
        except EmptyTableError:
            show_empty_table(table)
            failed = True
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
    st.caption(t("source.caption", section=escape_markdown(section)))


def format_badges(items: list[tuple[str | None, str]]) -> str:
    """Return Markdown for status badges on one line; each carries symbol and word, never colour alone."""
    return " ".join(f":{STATUS_BADGE_COLORS.get(status, 'gray')}-badge[{escape_markdown(label)}]" for status, label in items)


def show_status_badge(status: str | None, label: str) -> None:
    """Show a status as a coloured badge that also carries a symbol and a word (never colour alone)."""
    st.badge(label, color=STATUS_BADGE_COLORS.get(status, "gray"))


def show_chart(chart, alt_text: str, caption: str, table: pd.DataFrame | None = None, key: str | None = None,
               download_name: str | None = None) -> None:
    """Show a chart with its text alternative, a one-sentence caption, PNG and SVG downloads and an optional table
    twin (with its own CSV and Excel downloads). ``download_name`` (default: ``key``) names the files."""
    st.altair_chart(chart, alt=alt_text, key=key)
    st.caption(escape_markdown(caption))  # captions name rows and metrics from the data
    name = download_name or key
    if name:
        show_chart_downloads(chart, name)
    if table is not None:
        with st.expander(t("table.twin")):
            show_table(table, download_name=f"{name}-tabell" if name else None)


def show_chart_downloads(chart, name: str) -> None:
    """Offer the chart as PNG and SVG, rendered offline (vl-convert) only when the user clicks."""
    png, svg = export.get_file_name(name, "png"), export.get_file_name(name, "svg")
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("export.png"), lambda: export.write_chart_png(chart), file_name=png,
                           mime=export.PNG_MIME, on_click="ignore", key=f"dl_png_{png}", help=t("export.png.help", file=png))
        st.download_button(t("export.svg"), lambda: export.write_chart_svg(chart), file_name=svg,
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
    frames = get_loaded_tables()
    problems, reconciliation = get_data_check()
    folder = get_data_folder()

    def make() -> bytes:
        return report_pdf.build_report(frames, problems, reconciliation, catalog.calc_fingerprint(folder.files),
                                       datetime.now(), folder.modified, lang)

    st.download_button(t("export.pdf"), make, file_name=report_pdf.get_file_name(report_pdf.get_year(frames)),
                       mime=export.PDF_MIME, on_click="ignore", key=key, help=t("export.pdf.help"))
    st.caption(t("export.pdf.caption"))


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")
SMALL_TABLE_ROWS = 40


def escape_markdown(text) -> str:
    """Return ``text`` with every Markdown character escaped, so data is shown as written and never as markup."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def format_highlighted(text: str, spans: Sequence[tuple[int, int]], color: str = "orange") -> str:
    """Return ``text`` as inert Markdown with each (start, end) span bold on a coloured background (never colour
    alone); every part is escaped, "&" too, so neither the text nor the spans can become markup or an entity."""
    def escape(part: str) -> str:
        return escape_markdown(part).replace("&", "\\&")

    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        out.append(escape(text[pos:start]))
        out.append(f":{color}-background[**{escape(text[start:end])}**]")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def show_table(df: pd.DataFrame, download_name: str | None = None, **kwargs) -> None:
    """Show a view table: small ones as a static, readable table, large ones scrollable; with ``download_name``, offer
    exactly this table as CSV and Excel.

    A typed view table (ks_data.viewtable: numbers plus column formats) is formatted here for the screen, and its
    numbers go unformatted into the downloads; a plain table of text is shown and downloaded as it is.
    """
    export_frame = df
    if is_typed(df):
        df = format_table(df, get_lang())
    if len(df) <= SMALL_TABLE_ROWS:
        shown = df.copy()
        shown.columns = [escape_markdown(c) for c in shown.columns]
        for col in shown.columns:
            shown[col] = shown[col].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                                        else escape_markdown(v))
        st.table(shown, hide_index=True, **kwargs)
    else:
        st.dataframe(df, hide_index=True, width="stretch", **kwargs)
    if download_name:
        show_table_downloads(export_frame, download_name)


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
