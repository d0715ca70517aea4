"""Odd links: random and hostile query strings sent to every page through AppTest (property-based, hypothesis).

Each example is one link opened as the first request of a new session (in the classic ``pages/`` mode a deep
link runs the page script alone, see tests/apptest_util.open_deep_link). Whatever the link holds (unknown keys,
values outside the options or the slider's range, non-numeric numbers, repeated parameters, very long values,
any Unicode, script and Markdown injections), the page:
- raises nothing and shows no error box;
- shows the default for each invalid value, with one notice per invalid value and per unknown parameter,
  each naming the parameter and quoting the value as escaped (inert) Markdown;
- has every widget at a valid value: the link's value when it was valid, else the default;
- renders nothing from the link as HTML or Markdown.

The frame's parameters (language, report year) ride along on every page's links, and presentation mode gets links of
its own (screen names, the QR flag, unknown keys) on every page.

Links: EXAMPLES below, 1 620 in all, plus 60 per page added later and 40 per page in presentation mode: about
2 100 links, some 100 s on one core (the file runs on one xdist worker). KS_HYPOTHESIS_PROFILE=thorough sends 10
times as many. ``hypothesis`` keeps failing examples in .hypothesis/ and replays them first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ui
import ui.presentation
from ks_data import routes, statements
from ks_data import schema as s
from ks_data.markup import MAX_PARAM_SHOWN
from ks_data.texts import DEFAULT_LANG, LANGUAGES, get_text
from ks_data.views import activities as activity
from ks_data.views import common, economy, presentation
from ks_data.views import comparisons as comparison
from ks_data.views import goals as goal_views
from tests.apptest_util import REPO_ROOT, SR_ONLY_SPAN, open_deep_link

# Links per page (a first page run costs some 0.02 to 0.1 s once the data and charts are cached).
EXAMPLES = {"overview": 320, "goals": 300, "economy": 250, "comparisons": 250, "activities": 280, "about": 220}
EXAMPLES_NEW_PAGE = 60
EXAMPLES_PRESENTATION = 40
SCALE = {"default": 1, "thorough": 10}[os.environ.get("KS_HYPOTHESIS_PROFILE", "default")]
SETTINGS = settings(deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _table(table: str) -> pd.DataFrame:
    return common.get_latest(pd.read_parquet(REPO_ROOT / "data" / s.get_file_name(table)))


# ---------------------------------------------------------------------------------------------------------------
# The pages' link parameters, with what each accepts.


@dataclass(frozen=True)
class Param:
    """One URL parameter of a page: a choice among ``options``, a whole number (or a "low-high" range) on a slider,
    or a "0"/"1" toggle; ``default`` is the value shown when the link has none or an invalid one."""

    name: str
    widget: str  # selectbox, radio, slider, range, toggle
    default: object
    options: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    step: int = 1

    def parse(self, values: list[str]):
        """Return the value a valid link gives, or raise ValueError: the same rules the app must follow."""
        if len(values) != 1:
            raise ValueError(values)
        text = values[0]
        if self.widget in ("selectbox", "radio"):
            if text not in self.options:
                raise ValueError(text)
            return text
        if self.widget == "toggle":
            if text not in ("0", "1"):
                raise ValueError(text)
            return text == "1"
        if self.widget == "range":
            low, high = (self._number(part) for part in text.split("-", 1))
            if low > high:
                raise ValueError(text)
            return (low, high)
        return self._number(text)

    def _number(self, text: str) -> int:
        if not re.fullmatch(r"-?(0|[1-9][0-9]*)", text) or text == "-0":
            raise ValueError(text)
        number = int(text)
        if not self.low <= number <= self.high or (number - self.low) % self.step:
            raise ValueError(text)
        return number

    def valid_texts(self) -> st.SearchStrategy[str]:
        """Strategy for values the page accepts."""
        if self.widget in ("selectbox", "radio"):
            return st.sampled_from(self.options)
        if self.widget == "toggle":
            return st.sampled_from(("0", "1"))
        numbers = st.integers(0, (self.high - self.low) // self.step).map(lambda i: self.low + i * self.step)
        if self.widget == "range":
            return st.tuples(numbers, numbers).map(lambda p: f"{min(p)}-{max(p)}")
        return numbers.map(str)

    def near_misses(self) -> list[str]:
        """Values that look right but are not: case, spaces, other forms of a number, just outside the range."""
        out = ["", " ", "null", "None", "undefined", "true", "ja"]
        if self.widget in ("selectbox", "radio"):
            out += [o.upper() for o in self.options] + [f" {o}" for o in self.options] + [o + "/" for o in self.options]
        else:
            low, high = self.low, self.high
            out += [str(low - self.step), str(high + 1), f"+{high}", f"0{high}", f" {high}", f"{high}.0", "1e3",
                    "0x10", "Infinity", "NaN", "-0", "٣", "１", f"{high}_0", str(10**40)]
            if self.widget == "range":
                out += [f"{high}-{low}", f"{low}–{high}", f"{low}-{high}-{high}", f"{low}", f"-{low}-{high}",
                        f"{low}-", f"-{high}", f"{low - 1}-{high}", f"{low}-{high + 1}"]
        return out


HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "javascript:alert(1)",
    "[länk](javascript:alert(1))", "![bild](http://example.invalid/x.png)", "**fet**", "_kursiv_", ":red[x]",
    ":material/home:", "# Rubrik", "> citat", "`kod`", "$x^2$", "<!-- -->", "&lt;script&gt;", "%3Cscript%3E",
    "../../etc/passwd", "' OR 1=1 --", "\u202egnp.exe", "a\u200bb", "\x00", "\n\nny rad", "😀" * 5, "Ω≈ç√∫",
    "Utsläpp", "Mål 1.3", "1.3 ", "mal=1.3", "?x=1&y=2",
]

# Any text at all (lone surrogates cannot travel in a URL), short and sometimes very long.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
LONG_TEXT = st.builds(lambda part, n: (part or "x") * n, st.text(max_size=4), st.integers(1_000, 70_000))
# Streamlit ignores a whole query string over 512 Ki characters or 1 000 fields (the page then shows its default
# view; the app never sees the link, so it cannot say so).
MAX_QUERY_CHARS, MAX_QUERY_FIELDS = 512 * 1024, 1000


def _is_ignored(link: dict[str, list[str]]) -> bool:
    query = urlencode(link, doseq=True)
    return len(query) > MAX_QUERY_CHARS or query.count("&") + 1 > MAX_QUERY_FIELDS


def _values(param: Param) -> st.SearchStrategy[list[str]]:
    """Strategy for a parameter's values in a link: mostly one value (valid or not), sometimes repeated."""
    invalid = st.one_of(st.sampled_from(param.near_misses() + HOSTILE), ANY_TEXT, LONG_TEXT,
                        st.integers(-10**6, 10**6).map(str))
    one = st.one_of(param.valid_texts(), param.valid_texts(), invalid)
    return st.one_of(one.map(lambda v: [v]), one.map(lambda v: [v]), st.lists(one, min_size=2, max_size=4))


GOALS = _table(s.GOALS)
COMPARISONS = _table(s.COMPARISONS)
ACTIVITIES = _table(s.ACTIVITIES)
FIRST_YEAR, LAST_YEAR = comparison.get_year_bounds(COMPARISONS)
TKR, PCT = economy.THRESHOLD_TKR, economy.THRESHOLD_PCT

PAGE_PARAMS: dict[str, tuple[Param, ...]] = {
    "overview": (),
    "goals": (
        Param("omrade", "selectbox", "alla", ("alla", *map(str, goal_views.get_areas(GOALS)))),
        Param("status", "selectbox", "alla", ("alla", "fulfilled", "partly", "not_fulfilled", "not_assessed", "none")),
        Param("marginal", "slider", 2, low=0, high=20),
        Param("mal", "selectbox", "ingen", ("ingen", *GOALS[s.GOAL_ID])),
    ),
    "economy": (
        Param("tabell", "radio", statements.DEFAULT_STATEMENT, tuple(statements.STATEMENTS)),
        Param("procent", "toggle", False),
        Param("grans", "slider", TKR[3], low=TKR[0], high=TKR[1], step=TKR[2]),
        Param("grans_pct", "slider", PCT[3], low=PCT[0], high=PCT[1], step=PCT[2]),
    ),
    "comparisons": (
        Param("matt", "selectbox", comparison.ALL, (comparison.ALL, *comparison.get_metric_options(COMPARISONS))),
        Param("period", "range", (FIRST_YEAR, LAST_YEAR), low=FIRST_YEAR, high=LAST_YEAR),
        Param("index", "toggle", False),
    ),
    "activities": (
        Param("status", "selectbox", activity.ALL, (activity.ALL, *activity.get_status_options(ACTIVITIES))),
        Param("verksamhet", "selectbox", activity.ALL,
              (activity.ALL, *activity.get_belongs_to_options(ACTIVITIES))),
    ),
    "about": (Param("tabell", "selectbox", s.GOALS, s.TABLES),),
}
# The frame's parameters, which every page reads (ui.state.FRAME_PARAMS): the language and the report year (the data's
# years; with one year the selector is hidden and a valid ?ar= is taken quietly).
YEARS = tuple(str(y) for y in sorted(pd.read_parquet(REPO_ROOT / "data" / s.get_file_name(s.GOALS))[s.YEAR].unique()))
FRAME = (Param("lang", "selectbox", DEFAULT_LANG, LANGUAGES), Param("ar", "selectbox", YEARS[-1], YEARS))
# Presentation mode shows screens instead of the page's widgets; its links get their own property below.
PRESENTATION_KEYS = ("presentation", ui.presentation.SCREEN_PARAM, ui.presentation.QR_PARAM)
KNOWN_KEYS = ({p.name for params in PAGE_PARAMS.values() for p in params} | set(ui.GLOBAL_PARAMS)
              | {p.name for p in FRAME} | set(PRESENTATION_KEYS))


def test_the_odd_links_use_the_parameters_the_route_table_declares():
    # The links below are drawn from PAGE_PARAMS: a parameter the pages no longer read would test nothing.
    for page_key, params in PAGE_PARAMS.items():
        assert {p.name for p in params} <= set(routes.get_page_params(page_key)), page_key
    assert {p.name for p in FRAME} == {routes.LANG, routes.YEAR}
    assert set(ui.GLOBAL_PARAMS) == set(routes.STREAMLIT_PARAMS)


def _is_unknown(key: str) -> bool:
    """True for a key no page reads (Streamlit keeps "embed" and "embed_options", in any case, for itself)."""
    return key not in KNOWN_KEYS and key.lower() not in ui.GLOBAL_PARAMS


def _read_params(page_key: str, link: dict[str, list[str]]) -> tuple[Param, ...]:
    """Return the parameters the page reads for this link (Ekonomi reads only the threshold of the chosen unit;
    the other one is dropped quietly)."""
    params = PAGE_PARAMS[page_key]
    if page_key == "economy":
        procent = params[1]
        try:
            use_pct = procent.parse(link["procent"]) if "procent" in link else False
        except ValueError:
            use_pct = False
        hidden = "grans" if use_pct else "grans_pct"
        return tuple(p for p in params if p.name != hidden)
    return params


@st.composite
def links(draw, page_key: str) -> dict[str, list[str]]:
    """Strategy for a page's link: any of its parameters (valid or not) plus, sometimes, unknown ones."""
    link = {}
    for param in PAGE_PARAMS[page_key]:
        if draw(st.booleans()):
            link[param.name] = draw(_values(param))
    for param in FRAME:
        if draw(st.integers(0, 3)) == 0:
            link[param.name] = draw(_values(param))
    unknown_keys = st.one_of(st.sampled_from(["x", "utm_source", "page", "mal2", "Tabell", *HOSTILE]), ANY_TEXT)
    unknown = draw(st.dictionaries(unknown_keys.filter(lambda k: k.strip() and _is_unknown(k)),
                                   st.lists(st.one_of(ANY_TEXT, st.sampled_from(HOSTILE)), min_size=1, max_size=3),
                                   max_size=2))
    link.update(unknown)
    return link


# ---------------------------------------------------------------------------------------------------------------
# What a page must show for a link.


def _shown(value: str) -> str:
    """Return a link's value as the notices quote it: shortened, then escaped."""
    cut = value if len(value) <= MAX_PARAM_SHOWN else value[:MAX_PARAM_SHOWN] + "…"
    return ui.escape_markdown(cut)


# An HTML tag, a Markdown link/image or a Streamlit directive that is not escaped.
RAW_MARKUP = re.compile(r"(?<!\\)<[A-Za-z/!?]|(?<!\\)\]\(|(?<!\\):[a-z]+(?:/[a-z_]+)?(?<!\\)\[")
MARKUP_KINDS = ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error")


# The notices about a link (other warnings, e.g. "the report's assessment and the indicators disagree", are content).
NOTICE_PREFIXES = tuple(get_text(key, lang).split("{")[0] for key in ("notice.bad_param", "notice.unknown_param")
                        for lang in LANGUAGES)


def _widget(at, page_key: str, param: Param):
    return getattr(at, param.widget if param.widget != "range" else "slider")(key=f"{page_key}.{param.name}")


def _check_page(page_key: str, link: dict[str, list[str]]) -> None:
    script = ui.PAGE_BY_KEY[page_key][1]
    at = open_deep_link(None if script == "app.py" else script, link)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == []
    if _is_ignored(link):
        link = {}
    bad = []  # (param, value) of each invalid value, in the order the page meets them
    frame = {}
    for param in FRAME:
        values = link.get(param.name)
        try:
            frame[param.name] = param.default if values is None else param.parse(values)
        except ValueError:
            frame[param.name] = param.default
            bad.append((param.name, values))
    lang = frame["lang"]
    assert at.sidebar.get("button_group")[0].value == lang  # the language switch shows the link's language
    for param in _read_params(page_key, link):
        values = link.get(param.name)
        try:
            value = param.default if values is None else param.parse(values)
        except ValueError:
            value = param.default
            bad.append((param.name, values))
        shown = _widget(at, page_key, param).value
        if param.widget in ("selectbox", "radio"):
            shown = str(shown)  # goal areas are numbers
        assert shown == value, (param.name, values, shown)
    expected = [get_text("notice.bad_param", lang, param=name, value=_shown(", ".join(values))) for name, values in bad]
    expected += [get_text("notice.unknown_param", lang, param=_shown(key)) for key in link if _is_unknown(key)]
    notices = [w.value for w in at.warning if w.value.startswith(NOTICE_PREFIXES)]
    assert sorted(notices) == sorted(expected)
    for kind in MARKUP_KINDS:
        for element in getattr(at, kind):
            # A chart's description for screen readers is our own markup around escaped text; the text is checked.
            text = SR_ONLY_SPAN.sub(r" \1", str(element.value))
            assert not RAW_MARKUP.search(text), (kind, text[:300])
    assert not any("alert(1)" in str(h.proto.body) for h in at.get("html"))


@pytest.mark.parametrize("page_key", list(PAGE_PARAMS))
def test_odd_links_fall_back_with_a_notice(page_key: str) -> None:
    @settings(SETTINGS, max_examples=EXAMPLES[page_key] * SCALE)
    @given(link=links(page_key))
    def check(link: dict[str, list[str]]) -> None:
        _check_page(page_key, link)

    check()


@pytest.mark.parametrize("page_key", [key for key, *_ in ui.PAGES if key not in PAGE_PARAMS])
def test_pages_added_later_survive_odd_links(page_key: str) -> None:
    """Pages this file does not describe yet: unknown keys and hostile values give no exception and no error."""
    @settings(SETTINGS, max_examples=EXAMPLES_NEW_PAGE * SCALE)
    @given(link=st.dictionaries(st.one_of(st.sampled_from(HOSTILE), ANY_TEXT).filter(str.strip),
                                st.lists(st.one_of(ANY_TEXT, LONG_TEXT, st.sampled_from(HOSTILE)), min_size=1,
                                         max_size=3), max_size=3))
    def check(link: dict[str, list[str]]) -> None:
        at = open_deep_link(ui.PAGE_BY_KEY[page_key][1], link)
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value for e in at.error] == []
        for kind in MARKUP_KINDS:
            for element in getattr(at, kind):
                assert not re.search(r"(?<!\\)<(script|img|svg)", str(element.value)), str(element.value)[:300]

    check()


@st.composite
def presentation_links(draw) -> dict[str, list[str]]:
    """Strategy for a link in presentation mode: a screen name and QR flag (valid or not) and, sometimes, unknown
    keys and frame parameters."""
    link = {"presentation": ["1"]}
    if draw(st.booleans()):
        link[ui.presentation.SCREEN_PARAM] = draw(st.one_of(st.sampled_from(SCREENS).map(lambda v: [v]), _values(SCREEN)))
    if draw(st.booleans()):
        link[ui.presentation.QR_PARAM] = draw(_values(Param(ui.presentation.QR_PARAM, "toggle", False)))
    for param in FRAME:
        if draw(st.integers(0, 3)) == 0:
            link[param.name] = draw(_values(param))
    unknown_keys = st.one_of(st.sampled_from(["x", "utm_source", "Skarm", *HOSTILE]), ANY_TEXT)
    link.update(draw(st.dictionaries(unknown_keys.filter(lambda k: k.strip() and _is_unknown(k)),
                                     st.lists(st.one_of(ANY_TEXT, st.sampled_from(HOSTILE)), min_size=1, max_size=2),
                                     max_size=2)))
    return link


SCREENS = tuple(screen.slug for screen in presentation.get_screens(GOALS))
SCREEN = Param(ui.presentation.SCREEN_PARAM, "selectbox", SCREENS[0], SCREENS)


@pytest.mark.parametrize("page_key", [key for key, *_ in ui.PAGES])
def test_odd_links_in_presentation_mode_show_a_screen_and_a_notice(page_key: str) -> None:
    """Presentation mode: any link shows a screen (its own, or the page's first) and names what it did not use."""
    @settings(SETTINGS, max_examples=EXAMPLES_PRESENTATION * SCALE)
    @given(link=presentation_links())
    def check(link: dict[str, list[str]]) -> None:
        at = open_deep_link(None if page_key == "overview" else ui.PAGE_BY_KEY[page_key][1], link)
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value for e in at.error] == []
        assert not any("alert(1)" in str(h.proto.body) for h in at.get("html"))
        if _is_ignored(link):
            return  # Streamlit drops the whole query string: the page's normal view
        for kind in MARKUP_KINDS:
            for element in getattr(at, kind):
                assert not RAW_MARKUP.search(str(element.value)), (kind, str(element.value)[:300])
        assert at.get("button"), "the screen has its navigation buttons"
        unknown = [key for key in link if _is_unknown(key)]
        notices = [w.value for w in at.warning]
        for key in unknown:
            assert any(_shown(key) in notice for notice in notices), (key, notices)
        screen = link.get(ui.presentation.SCREEN_PARAM)
        if screen is not None and (len(screen) != 1 or screen[0] not in SCREENS):
            assert len(notices) > len(unknown), notices

    check()


def test_a_hostile_link_to_each_page_is_inert_and_noticed() -> None:
    """One fixed worst case per page, so the property above is never only luck."""
    for page_key, params in PAGE_PARAMS.items():
        link = {p.name: ["<script>alert(1)</script>", "[x](javascript:alert(1))"] for p in params}
        link["<img src=x onerror=alert(1)>"] = [":red[**fet**]"]
        _check_page(page_key, link)
