"""AppTest of the language switch: every page in Swedish and in English, links that keep the language, bad links."""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass

import pytest
from google.protobuf.message import Message

import ui
from ks_data.texts import TEXTS
from tests import apptest_util
from tests.apptest_util import assert_clean, get_all_text, get_share_link, open_chart_extras, open_page

PAGES = [(key, None if script == "app.py" else script) for key, script, _, _ in ui.PAGES]
# Element fields a user reads (labels, options, texts, help, chart titles); ids, keys and URLs are left out.
TEXT_FIELDS = {"label", "body", "help", "options", "placeholder", "text", "value", "alt", "caption", "title",
               "default_value", "page_title"}
# Texts from the report that each page shows as written in both languages (a goal title, a row, a metric, a status).
REPORT_TEXTS = {
    "overview": ("Timrå kommun är hårt påverkad av pandemihanteringen",),
    "goals": ("Medborgarna anser att Timrå erbjuder livskvalitet och service",),
    "economy": ("Kommunledning",),
    "comparisons": ("Färdtjänst, antal enkelresor",),
    "activities": ("Timrå i framkant för obrutna flöden",),
    "about": (),
    "search": (),
    "accessibility": (),
}


def _spec_texts(spec, out: list[str]) -> None:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "text", "subtitle", "description") and isinstance(value, str):
                out.append(value)
            else:
                _spec_texts(value, out)
    elif isinstance(spec, list):
        for value in spec:
            _spec_texts(value, out)


def _proto_texts(msg: Message, out: list[str]) -> None:
    for fd, value in msg.ListFields():
        values = list(value) if fd.is_repeated else [value]
        if fd.name == "spec":
            for v in values:
                _spec_texts(json.loads(v), out)
        elif fd.type == fd.TYPE_STRING and fd.name in TEXT_FIELDS:
            out.extend(values)
        elif fd.type == fd.TYPE_MESSAGE:
            for v in values:
                _proto_texts(v, out)


def _walk(node, out: list[str]) -> None:
    for child in (getattr(node, "children", None) or {}).values():
        _walk(child, out)
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        _proto_texts(proto, out)


def get_shown_texts(at) -> list[str]:
    """Return every text the page shows as separate pieces: element texts, widget labels and options, table headers
    and cells, chart titles; Markdown lines and bullets split, escapes and emphasis removed."""
    raw: list[str] = []
    _walk(at._tree, raw)
    for frame in [*apptest_util.get_tables(at), *(d.value for d in at.dataframe)]:
        raw += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    pieces = []
    for text in raw:
        for line in str(text).replace("\\", "").replace("\u00a0", " ").splitlines():
            line = re.sub(r"^\s*[-*]\s+", "", line).replace("**", "").strip()
            if line:
                pieces.append(line)
    return pieces


def _pattern(template: str) -> re.Pattern:
    parts = [(re.escape(lit), field is not None) for lit, field, _, _ in string.Formatter().parse(template)]
    return re.compile("".join(lit + (".+?" if has_field else "") for lit, has_field in parts)
                      .replace("\\\u00a0", "[ \u00a0]").replace("\u00a0", " "))


@dataclass(frozen=True)
class SwedishText:
    """A Swedish UI text that differs from its English one, as a whole-text pattern, with the literal parts any text
    it matches must start with, end with and contain (checked first: they rule out nearly every text at once)."""

    key: str
    pattern: re.Pattern
    start: str
    end: str
    parts: tuple[str, ...]
    min_len: int

    def matches(self, text: str) -> bool:
        """Return whether ``text`` is this UI text as a whole (its fields filled in with anything)."""
        if len(text) < self.min_len or not text.startswith(self.start) or not text.endswith(self.end):
            return False
        return all(part in text for part in self.parts) and self.pattern.fullmatch(text) is not None


def _swedish_only() -> list[SwedishText]:
    """Return every Swedish UI text that differs from its English one."""
    out = []
    for key, sv in TEXTS["sv"].items():
        if sv == TEXTS["en"][key]:
            continue
        literal = "".join(lit for lit, _, _, _ in string.Formatter().parse(sv))
        if len(literal.strip()) < 3:  # "{statement} {year}" and the like say nothing in either language
            continue
        template = sv.replace("\\", "").replace("\u00a0", " ")
        parsed = list(string.Formatter().parse(template))
        parts = tuple(lit for lit, _, _, _ in parsed if lit)
        fields = sum(field is not None for _, field, _, _ in parsed)
        ends_with_field = bool(parsed) and parsed[-1][1] is not None
        out.append(SwedishText(key, _pattern(template), parsed[0][0] if parsed else "",
                               "" if ends_with_field or not parsed else parsed[-1][0], parts,
                               sum(map(len, parts)) + fields))
    return out


SWEDISH_ONLY = _swedish_only()


def _get_param(at, name: str) -> list[str]:
    value = at.query_params.get(name)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def find_swedish(texts: list[str]) -> list[tuple[str, str]]:
    """Return (key, text) of each shown text that is a Swedish UI text (as a whole) with a different English one."""
    found: dict[str, list[str]] = {}  # a page shows the same text many times (a status in every row): check it once
    hits = []
    for text in texts:
        if text not in found:
            found[text] = [swedish.key for swedish in SWEDISH_ONLY if swedish.matches(text)]
        hits += [(key, text) for key in found[text]]
    return hits


# Every page with its report texts, and Ekonomi's other parts (it shows one part at a time).
VIEWS = [(key, script, {"q": "Corona"} if key == "search" else {}, REPORT_TEXTS[key]) for key, script in PAGES] + [
    ("economy", "pages/2_ekonomi.py", {"visa": "budget"}, ("Kommunledning",)),
    ("economy", "pages/2_ekonomi.py", {"visa": "avstamning"}, ('"Summa"',)),
]


@pytest.mark.parametrize(("key", "script", "params", "report_texts"), VIEWS,
                         ids=[f"{v[0]}-{v[2].get('visa', '')}".strip("-") for v in VIEWS])
def test_every_label_switches_to_english_and_the_report_stays_as_written(key, script, params, report_texts):
    sv, en = open_page(script, params), open_page(script, params | {"lang": "en"})
    if key == "economy":  # with its charts' tables and downloads opened, so their headers and buttons are checked too
        sv, en = open_chart_extras(sv, required=False), open_chart_extras(en, required=False)
    assert_clean(sv)
    assert_clean(en)
    assert en.title[0].value != sv.title[0].value
    assert en.title[0].value == TEXTS["en"][f"{ui.PAGE_BY_KEY[key][3]}"] or key in ("search", "accessibility")
    sv_texts, en_texts = get_shown_texts(sv), get_shown_texts(en)
    # The Swedish page really does show Swedish UI texts, so the check below can fail.
    assert find_swedish(sv_texts)
    assert find_swedish(en_texts) == []
    for text in report_texts:
        assert text in get_all_text(sv) and text in get_all_text(en), text


@pytest.mark.parametrize(("key", "script"), PAGES, ids=[p[0] for p in PAGES])
def test_the_menu_in_english(key, script):
    at = open_page(script, {"lang": "en"})
    links = {link.proto.label: link.proto.page for link in at.sidebar.get("page_link")}
    for _, _, _, text_key in ui.PAGES:
        assert TEXTS["en"][text_key] in links


def test_english_numbers_in_the_economy_table_and_key_figures():
    at = open_page("pages/2_ekonomi.py", {"lang": "en"})
    text = get_all_text(at)
    assert "Net cost per service 2020" in text
    assert "−105,546 SEK k" in text and "−104,869 SEK k" in text and "+677 SEK k" in text
    assert "0.6% better than budget" in text
    assert "105 546" not in text and "tkr" not in text
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert charts and all(c["config"]["locale"]["number"]["decimal"] == "." for c in charts)
    assert all(c["config"]["locale"]["number"]["thousands"] == "," for c in charts)


def test_english_numbers_on_the_overview():
    at = open_page(None, {"lang": "en"})
    assert [m.label for m in at.metric][:1] == ["Result against budget"]
    assert at.metric[0].value == "−104,869\u00a0SEK\u00a0k"
    assert "The outcome was 677 SEK k better than budget." in get_all_text(at)


def test_the_switch_changes_the_language_at_once_and_in_the_link():
    at = open_page("pages/1_mal.py", {"omrade": "2"})
    assert at.title[0].value == "Mål och styrtal"
    switch = at.sidebar.get("button_group")[0]
    assert switch.proto.label == "Språk · Language" and switch.value == "sv"
    switch.set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Goals and indicators"
    assert at.selectbox[0].label == "Goal area" and at.selectbox[0].value == 2  # the view is kept
    assert _get_param(at, "lang") == ["en"]
    assert at.sidebar.get("button_group")[0].value == "en"


def test_the_switch_back_to_swedish_drops_the_language_from_the_link():
    # Översikt has no selectors: AppTest formats a selector's options outside the page run, in Swedish.
    at = open_page(None, {"lang": "en"})
    assert at.title[0].value == "Overview"
    at.sidebar.get("button_group")[0].set_value("sv").run()
    assert_clean(at)
    assert at.title[0].value == "Översikt"
    assert "lang" not in at.query_params
    assert "lang=" not in get_share_link(at)


def test_english_survives_a_page_change_and_is_in_every_link():
    at = open_page(None, {"lang": "en"})
    assert at.title[0].value == "Overview"
    assert _get_param(at, "lang") == ["en"]
    at.query_params.clear()  # the menu link of another page, as a user follows it
    at.switch_page("pages/2_ekonomi.py").run()
    assert_clean(at)
    assert at.title[0].value == "Finances"
    assert _get_param(at, "lang") == ["en"]
    assert "lang=en" in get_share_link(at)
    for link in at.sidebar.get("page_link"):
        assert "lang=en" in link.proto.query_string.split("&"), link.proto


def test_swedish_is_left_out_of_the_links():
    at = open_page("pages/2_ekonomi.py")
    assert "lang" not in at.query_params
    assert "lang=" not in get_share_link(at)


@pytest.mark.parametrize("value", ["xx", "EN", "en-GB", ""])
def test_an_invalid_language_in_a_link_gives_a_notice_and_swedish(value):
    at = open_page("pages/3_jamforelsetal.py", {"lang": value})
    assert at.title[0].value == "Jämförelsetal"
    notices = [w.value for w in at.warning]
    assert any("\"lang\"" in n and "ogiltigt värde" in n for n in notices), notices
    assert "lang" not in at.query_params
