"""ks_data/schema.py: every table's schema names what the rest of the app relies on."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ks_data import schema as s


@pytest.mark.parametrize("table", s.TABLES)
def test_a_tables_key_and_description_are_its_own(table):
    schema = s.SCHEMAS[table]
    assert s.get_description(table).strip()
    assert s.get_key(table) and set(s.get_key(table)) <= set(schema.names)
    assert s.get_file_name(table) == f"{table}.parquet"


@pytest.mark.parametrize("table", s.TABLES)
def test_every_column_starts_with_year_section_and_position_and_is_described(table):
    schema = s.SCHEMAS[table]
    assert schema.names[:3] == [s.YEAR, s.SECTION, s.POSITION]
    assert len(set(schema.names)) == len(schema.names)
    for field in schema:
        assert field.metadata[b"description"].decode().strip(), f"{table}.{field.name} has no description"


@pytest.mark.parametrize(("table", "column"), list(s.CODES))
def test_code_lists_belong_to_text_columns_of_their_table(table, column):
    assert pa.types.is_string(s.SCHEMAS[table].field(column).type)
    assert s.CODES[(table, column)] and len(set(s.CODES[(table, column)])) == len(s.CODES[(table, column)])


def test_columns_the_build_fills_in_are_in_every_table():
    for table in s.TABLES:
        assert set(s.DERIVED_AT_BUILD) - {s.AREA} <= set(s.SCHEMAS[table].names)
    assert s.AREA in s.SCHEMAS[s.GOALS].names
