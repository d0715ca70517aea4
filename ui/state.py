"""URL state: the pages and their addresses, the frame parameters that hold for the whole session (language,
presentation mode, report year), and ``Page``, whose bound widgets seed from the URL, validate it and write the view
back into it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import streamlit as st

from ks_data import routes, years
from ks_data.errors import Problem
from ks_data.fmt import format_number, get_locale
from ks_data.markup import clean_text, escape_markdown, shorten
from ks_data.texts import DEFAULT_LANG, LANGUAGES, get_text
from ui.cache import get_years
from ui.context import get_run
from ui.internals import get_requested_page

# (page key, script path relative to the app root, URL path, navigation text key), from the route table.
PAGES: tuple[tuple[str, str, str, str], ...] = tuple((r.key, r.script, r.path, r.nav_key) for r in routes.ROUTES)
PAGE_BY_KEY = {p[0]: p for p in PAGES}
GLOBAL_PARAMS = routes.STREAMLIT_PARAMS
YEAR_PARAM = routes.YEAR
REMEMBERED = "_ks_params"
FRAME_STATE = "_ks_frame"
# Every key this app writes into st.session_state: key -> (who writes it, why it is kept).
SESSION_KEYS: dict[str, tuple[str, str]] = {
    FRAME_STATE: ("ui.state.set_frame: read_frame_params (a link), the language switch, the year selector, "
                  "presentation mode's start and end; ui.state.forget_missing_year drops a year the data no longer holds",
                  "the frame parameters (language, presentation, year) for the whole session, across pages"),
    REMEMBERED: ("ui.state.Page.finish, after every run of a page's content",
                 "each page's last view, which the menu and page links restore, and which ui.state.follow_address "
                 "compares with the address (Back and Forward)"),
    "<page key>.<param>": ("ui.state.Page (seeded once from the URL), the widget itself, Page.set_value (a goal "
                           "card's button), ui.frame._switch_language (kept across a language change); "
                           "ui.state.follow_address drops it (the address holds another view than the page wrote last: "
                           "Back, Forward, leaving presentation mode on a screen)",
                           "the value of a page widget bound to a URL parameter (ks_data.routes.ROUTES)"),
    "_ks_lang_switch": ("ui.frame.render_language_switch (seeded from the frame every run) and the widget",
                        "the language switch's value; its on_change sets the frame"),
    "_ks_year_select": ("ui.frame.render_year_select (seeded from the frame every run) and the widget",
                        "the year selector's value; its on_change sets the frame"),
    "_ks_presentation_notice": ("ui.presentation.render_presentation_and_stop",
                                "notices about a link to another page's screen, shown there after the page switch"),
    "_ks_unknown_page": ("ui.presentation.render_presentation_and_stop",
                         "that a screen was opened from an address naming no page: its page's run closes Streamlit's "
                         "dialog about it"),
    "_ks_report_outcome": ("ui.display.show_report_download (once), its ReportOutcome from the download thread",
                           "how the session's last PDF report went, so the run after a click says if it failed"),
    "ks_more_<name>": ("Streamlit (ui.display's expanders, on_change=\"rerun\")",
                       "whether a chart's or list's table and downloads are open (made only while open)"),
}


def _check_choice(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(value)
        return value
    return check


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


# Frame parameters hold for the whole session (language, presentation mode, year): a link sets them, they then
# survive page changes, and every link the app makes (menu, page links, share link) carries the non-default ones.
# param -> (default, check of a URL value: returns the value to keep or raises ValueError). A default may be a
# callable (asked on each use), e.g. the latest year in the data.
FRAME_PARAMS: dict[str, tuple[str | Callable[[], str], Callable[[str], str]]] = {
    routes.LANG: (DEFAULT_LANG, _check_choice(*LANGUAGES)),
    # "1": every page shows presentation mode's screens instead (ui.presentation) until the user ends it.
    routes.PRESENTATION: ("0", _check_choice("0", "1")),
    routes.YEAR: (_get_default_year, _check_year),
}
# param -> predicate: while it holds, links carry the param even at its default. A dynamic default (the latest year)
# would otherwise make an old link show another view once the default moves (a new year imported).
FRAME_PINNED: dict[str, Callable[[], bool]] = {YEAR_PARAM: has_several_years}


def t(key: str, **values) -> str:
    """Return the UI text for ``key`` in the session's language."""
    return get_text(key, get_lang(), **values)


def get_lang() -> str:
    """Return the session's UI language code."""
    return get_frame(routes.LANG)


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


def get_frame_default(param: str) -> str:
    """Return the default of frame parameter ``param`` (a callable default, such as the latest year, is asked now)."""
    default = FRAME_PARAMS[param][0]
    return default() if callable(default) else default


def is_frame_carried(param: str, value: str) -> bool:
    """Return True if links must carry ``param``: its value differs from the default, or the param is pinned."""
    pinned = FRAME_PINNED.get(param)
    return value != get_frame_default(param) or (pinned is not None and pinned())


def _get_frame_values() -> dict[str, str]:
    run = get_run()
    values = run.frame_values
    if values is None:
        values = st.session_state.get(FRAME_STATE, {})
        if run.mtimes is not None:  # a run's context; outside a run (the warm-up) nothing is kept
            run.frame_values = values
    return values


def get_frame(param: str) -> str:
    """Return the session's value of frame parameter ``param`` (its default until a link or the user sets it)."""
    value = _get_frame_values().get(param)
    return get_frame_default(param) if value is None else value


def set_frame(param: str, value: str) -> None:
    """Set frame parameter ``param`` for the rest of the session (e.g. from the language switch), and in the URL."""
    st.session_state.setdefault(FRAME_STATE, {})[param] = value
    get_run().frame_values = None  # the next get_frame asks the session again: the dict may have been made now
    # The URL must agree at once: the next run reads the frame from it (read_frame_params) before finish() writes it.
    if not is_frame_carried(param, value):
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != [value]:
        st.query_params[param] = value


def forget_missing_year() -> None:
    """Drop a report year chosen earlier in the session that the data no longer holds: the pages show the latest."""
    stored = st.session_state.get(FRAME_STATE, {}).get(YEAR_PARAM)
    if stored is not None and stored not in {str(y) for y in get_years()}:
        del st.session_state[FRAME_STATE][YEAR_PARAM]
        get_run().frame_values = None


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


@dataclass
class Page:
    """The frame of one page run: its URL parameters, notices and data errors."""

    key: str
    notices: st.delta_generator.DeltaGenerator
    params: dict[str, list[str] | None] = field(default_factory=dict)
    shown_problems: set[Problem] = field(default_factory=set)

    def _state_key(self, param: str) -> str:
        return _get_state_key(self.key, param)

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
                    self.notice(t("notice.bad_param", param=param, value=escape_markdown(shorten(", ".join(raw)))))
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
        """Set a bound widget's value from a button callback (e.g. a goal's card on Mål och styrtal, which opens the goal)."""
        st.session_state[self._state_key(param)] = value

    @staticmethod
    def serialize(value) -> str:
        """Return the URL text of an option value."""
        return str(value)

    def finish(self) -> None:
        """Write the view's state into the URL, drop unknown parameters, and remember the view for the menu."""
        current = {param: st.query_params.get_all(param) for param in st.query_params.keys()}
        wanted = {}
        for param, values in current.items():
            if param not in self.params and param not in GLOBAL_PARAMS and param not in FRAME_PARAMS:
                self.notice(t("notice.unknown_param", param=escape_markdown(shorten(param))))
            else:
                wanted[param] = values
        frame = get_frame_params()
        for param in FRAME_PARAMS:
            if param not in frame:
                wanted.pop(param, None)
        for param, values in (self.params | frame).items():
            if values is None:
                wanted.pop(param, None)
            else:
                wanted[param] = values
        # In one write: the browser makes each write of the address an entry of its history, so four parameters
        # filled in one by one were four entries, and Back showed the same view four times before it left the page.
        if wanted != current:
            st.query_params.from_dict(wanted)
        remembered = st.session_state.setdefault(REMEMBERED, {})
        remembered[self.key] = {p: v for p, v in self.params.items() if v is not None}


def _get_state_key(page_key: str, param: str) -> str:
    """Return the session key of page ``page_key``'s widget bound to URL parameter ``param``."""
    if param not in routes.get_page_params(page_key):
        raise KeyError(f"URL parameter {param!r} is not declared for page {page_key!r} in ks_data.routes.ROUTES")
    return f"{page_key}.{param}"


def follow_address(page_key: str) -> None:
    """Let the address win over the session when it holds another view of page ``page_key`` than the page wrote last
    (the browser's Back or Forward button): the page's widgets are seeded from the address again."""
    written = st.session_state.get(REMEMBERED, {}).get(page_key)
    if written is None:
        return
    params = routes.get_page_params(page_key)
    if {param: st.query_params.get_all(param) for param in params if param in st.query_params} != written:
        for param in params:
            st.session_state.pop(_get_state_key(page_key, param), None)


def get_unknown_page() -> str | None:
    """Return the page name the browser's address asked for when no page has it (Streamlit runs Översikt then), else
    None."""
    return routes.get_unknown_page(get_requested_page())


def get_share_url(page_key: str, params: dict[str, list[str] | None]) -> str:
    """Return the absolute link to ``page_key`` with ``params``, based on the address the browser used."""
    base = st.context.url or "http://localhost:8501/"
    parts = urlsplit(base)
    path = parts.path.rstrip("/")
    current = PAGE_BY_KEY[page_key][2]
    # Strip the page's own segment, or the one of a page that does not exist (Översikt runs then), so a baseUrlPath
    # or a proxy's path in front is kept and the link does not name the missing page again.
    known = {p[2] for p in PAGES if p[2]} | {get_unknown_page()}
    segments = [seg for seg in path.split("/") if seg]
    if segments and unquote(segments[-1]) in known:
        segments = segments[:-1]
    new_path = "/" + "/".join(segments + ([current] if current else []))
    query = urlencode([(k, v) for k, vs in (params | get_frame_params()).items() if vs is not None for v in vs])
    return urlunsplit((parts.scheme, parts.netloc, new_path, query, ""))

