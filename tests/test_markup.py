"""ks_data/markup.py: text from the data and from links is shown as written, never as Markdown, HTML or an entity."""

from __future__ import annotations

import pytest

from ks_data.markup import (
    MAX_PARAM_SHOWN,
    clean_text,
    escape_inline,
    escape_markdown,
    format_badges,
    format_highlighted,
    get_badge_color,
    shorten,
)


@pytest.mark.parametrize(("text", "escaped"), [
    ("Mål 1.3", "Mål 1\\.3"),
    ("**fet** _kursiv_", "\\*\\*fet\\*\\* \\_kursiv\\_"),
    ("[länk](javascript:x)", "\\[länk\\]\\(javascript\\:x\\)"),
    ("<script>", "\\<script\\>"),
    ("−105 546 tkr", "−105 546 tkr"),
    (12.5, "12\\.5"),
])
def test_escape_markdown(text, escaped):
    assert escape_markdown(text) == escaped


def test_escape_inline_also_escapes_an_entity():
    assert escape_inline("a &amp; <b>") == "a \\&amp; \\<b\\>"


@pytest.mark.parametrize(("text", "spans", "markdown"), [
    ("en Greta-effekt", [(3, 8)], "en :orange-background[**Greta**]\\-effekt"),
    ("a*b", [(1, 2)], "a:orange-background[**\\***]b"),
    ("[x](y) & z", [], "\\[x\\]\\(y\\) \\& z"),
    ("ab", [(0, 1), (0, 2), (5, 9)], ":orange-background[**a**]:orange-background[**b**]"),
])
def test_format_highlighted(text, spans, markdown):
    assert format_highlighted(text, spans) == markdown


@pytest.mark.parametrize(("status", "color"), [
    ("fulfilled", "green"), ("met", "green"), ("partly", "orange"), ("near", "orange"), ("not_fulfilled", "red"),
    ("missed", "red"), ("not_assessed", "gray"), (None, "gray"),
])
def test_a_status_has_its_badge_colour(status, color):
    assert get_badge_color(status) == color


def test_badges_carry_their_words_escaped():
    assert format_badges([("fulfilled", "✔ Uppfyllt"), (None, "[x](y)")]) == (
        ":green-badge[✔ Uppfyllt] :gray-badge[\\[x\\]\\(y\\)]")


@pytest.mark.parametrize(("value", "cleaned"), [
    ("Greta", "Greta"), ("a\tb\nc", "a b c"), ("Gre\u200bta", "Greta"), ("\u202eabc", "abc"), ("åäö ÅÄÖ", "åäö ÅÄÖ"),
])
def test_clean_text(value, cleaned):
    assert clean_text(value) == cleaned


@pytest.mark.parametrize(("value", "shown"), [
    ("x" * MAX_PARAM_SHOWN, "x" * MAX_PARAM_SHOWN), ("x" * (MAX_PARAM_SHOWN + 1), "x" * MAX_PARAM_SHOWN + "…"), ("", ""),
])
def test_a_long_value_from_a_link_is_cut(value, shown):
    assert shorten(value) == shown
