"""The economy statements (ks_data.statements): each statement's table and the tables its view needs, its name, the
default, and the row labels every view of a statement shares."""

from __future__ import annotations

import pytest

from ks_data import schema as s
from ks_data import statements

BOLAG = "kommunalägda bolag och kommunförbund"
VARAV_BOLAG = f"\u2003↳ varav {BOLAG}"


@pytest.mark.parametrize(("statement", "table", "needed"), [
    ("drift", s.OPERATING, (s.OPERATING,)),
    ("nettokostnad", s.NET_COSTS, (s.NET_COSTS, s.OPERATING)),
    ("investeringar", s.INVESTMENTS, (s.INVESTMENTS,)),
])
def test_statement_maps_to_its_table_and_needed_tables(statement, table, needed):
    assert statements.get_table_name(statement) == table
    assert statements.get_needed_tables(statement) == needed
    assert statements.format_statement(statement)  # has a Swedish name
    assert statements.get_statement(table) == statement  # and a link to the table's statement names it


def test_default_statement_is_net_costs_and_an_option():
    assert statements.DEFAULT_STATEMENT == "nettokostnad"
    assert statements.DEFAULT_STATEMENT in statements.STATEMENTS


@pytest.mark.parametrize(("label", "kind", "expected"), [
    ("Samhällsenhet", "post", "Samhällsenhet"),
    ("Summa", "summa", "Summa"),
    (BOLAG, "varav", VARAV_BOLAG),
])
def test_varav_rows_are_labelled_and_indented(label, kind, expected):
    assert statements.format_row_label(label, kind) == expected
