"""ui/display.py: what a page's content looks like to its reader: a small view table is a real table (one a screen
reader can walk), a large one a scrollable grid; a text from the data is shown as plain text, shortened with a note
when it is too long, and "no text" when the report has none."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ks_data.texts import get_text
from tests.apptest_util import TIMEOUT, assert_clean

NO_TEXT = f"*{get_text('goals.no_text', 'sv')}*"


def _table_page(rows: int) -> None:
    import pandas as pd

    import ui.display

    ui.display.show_table(pd.DataFrame({"Verksamhet": [f"rad {i}" for i in range(rows)], "Belopp": range(rows)}),
                          alt="Testtabell")


@pytest.mark.parametrize(("rows", "html", "grid"), [(1, 1, 0), (40, 1, 0), (41, 0, 1)])
def test_a_small_table_is_a_real_table_and_a_large_one_a_grid(rows, html, grid):
    at = AppTest.from_function(_table_page, args=(rows,), default_timeout=TIMEOUT).run()
    assert_clean(at)
    tables = [h.proto.body for h in at.get("html") if "<table" in h.proto.body]
    assert len(tables) == html and len(at.dataframe) == grid
    if html:
        body = tables[0]
        assert body.count("<tr") == rows + 1 and "<th" in body and "Testtabell" in body


def _text_page(text, max_chars: int) -> None:
    import ui.display

    ui.display.show_text(text, max_chars=max_chars)


@pytest.mark.parametrize(("text", "max_chars", "shown", "note"), [
    ("Ett stycke.\n\nEtt till.", 100, ["Ett stycke.", "Ett till."], None),
    ("<b>inte fet</b> **inte heller**", 100, ["<b>inte fet</b> **inte heller**"], None),
    ("a" * 30, 10, ["a" * 10], get_text("text.truncated", "sv", n=30)),
    (None, 100, [], NO_TEXT),
    ("   ", 100, [], NO_TEXT),
])
def test_a_text_from_the_data_is_plain_and_shortened_with_a_note(text, max_chars, shown, note):
    at = AppTest.from_function(_text_page, args=(text, max_chars), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert [t.value for t in at.text] == shown
    notes = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert notes == ([note] if note else [])


def test_many_paragraphs_stay_few_elements_and_none_is_lost():
    paragraphs = [f"Stycke {i}." for i in range(80)]
    at = AppTest.from_function(_text_page, args=("\n\n".join(paragraphs), 10_000), default_timeout=TIMEOUT).run()
    shown = [t.value for t in at.text]
    assert len(shown) == 50 and "\n\n".join(shown) == "\n\n".join(paragraphs)
