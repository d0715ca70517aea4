"""Unit tests for ks_data.dictionary: the data dictionary's rows and its column descriptions in both languages."""

from __future__ import annotations

import pytest

from ks_data import schema as s
from ks_data.dictionary import get_column_description, get_dictionary

COLUMNS = [(table, field.name) for table in s.TABLES for field in s.SCHEMAS[table]]


def _schema_description(table: str, column: str) -> str:
    return s.SCHEMAS[table].field(column).metadata[b"description"].decode()


@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_every_column_has_an_english_description(table: str, column: str) -> None:
    """Each column's English description is there, not empty and not the Swedish one left untranslated."""
    english = get_column_description(table, column, "en")
    assert english.strip()
    assert english != _schema_description(table, column)


@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_the_swedish_column_descriptions_are_the_schemas_own(table: str, column: str) -> None:
    """The Swedish description is the schema's metadata word for word (docs/data.md is generated from it)."""
    assert get_column_description(table, column) == _schema_description(table, column)
    assert get_column_description(table, column, "sv") == _schema_description(table, column)


@pytest.mark.parametrize("table", s.TABLES)
def test_dictionary_has_one_row_per_column(table: str) -> None:
    """The dictionary lists the schema's columns in order, in both languages."""
    names = [f.name for f in s.SCHEMAS[table]]
    assert list(get_dictionary(table)["Kolumn"]) == names
    assert list(get_dictionary(table, "en")["Column"]) == names


@pytest.mark.parametrize(("lang", "header", "description"), [
    ("sv", "Beskrivning", "Tryckt avvikelse = budget − utfall; positiv = lägre utgift än budget"),
    ("en", "Description", "Printed deviation = budget − outcome; positive = lower spending than budget"),
])
def test_dictionary_shows_the_description_in_the_chosen_language(lang: str, header: str, description: str) -> None:
    """The investments' deviation column is described in Swedish in the Swedish dictionary, in English in the English."""
    df = get_dictionary(s.INVESTMENTS, lang)
    row = df[df[df.columns[0]] == s.DEVIATION].iloc[0]
    assert row[header] == description
