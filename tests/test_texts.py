"""The translation table: every key in both languages, with the same placeholders and a text."""

from __future__ import annotations

import string

import pytest

from ks_data import schema as s
from ks_data.texts import DEFAULT_LANG, LANGUAGES, TEXTS, get_text

ALL_KEYS = sorted(set().union(*(TEXTS[lang] for lang in LANGUAGES)))


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_swedish_is_the_default_and_english_is_there():
    assert DEFAULT_LANG == "sv"
    assert LANGUAGES == ("sv", "en")


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_key_is_in_both_languages_with_the_same_placeholders(key):
    for lang in LANGUAGES:
        assert key in TEXTS[lang], f"{key} is missing in {lang}"
        assert TEXTS[lang][key].strip(), f"{key} is empty in {lang}"
    assert _placeholders(TEXTS["sv"][key]) == _placeholders(TEXTS["en"][key]), key


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_text_can_be_filled_in(key):
    for lang in LANGUAGES:
        values = {name: "x" for name in _placeholders(TEXTS[lang][key])}
        assert get_text(key, lang, **values)


def test_a_missing_key_fails_loudly():
    with pytest.raises(KeyError):
        get_text("no.such.key", "en")


@pytest.mark.parametrize("table", s.TABLES)
def test_the_swedish_table_descriptions_are_the_schemas_own(table):
    assert TEXTS["sv"][f"about.table.description.{table}"] == s.get_description(table)


@pytest.mark.parametrize(("key", "english"), [
    ("app.subtitle", "Municipal Executive Board, Timrå Municipality · Annual report {year}"),
    ("unit.tkr", "SEK\u00a0k"),
    ("economy.axis.amount", "SEK k"),
    ("activities.col.investment", "Investment expenditure (SEK k)"),
])
def test_the_english_names_of_the_board_and_the_amounts(key, english):
    assert TEXTS["en"][key] == english


def test_english_never_says_tkr():
    assert not [key for key, text in TEXTS["en"].items() if "tkr" in text]
