"""ks_data/viewtable.py: a small view table as the one HTML table the pages show."""

from __future__ import annotations

import pandas as pd
import pytest

from ks_data import viewtable as vt
from tests.apptest_util import read_table

NBSP = "\u00a0"


def _typed() -> pd.DataFrame:
    df = pd.DataFrame({"Verksamhet": ["Samhällsenhet", "Summa"], "Budget": [-105546.0, None],
                       "Avvikelse (%)": [-0.94, 12.0], "År": [2020, 2020]})
    return vt.with_formats(df, {"Budget": vt.Column(vt.TKR), "Avvikelse (%)": vt.Column(vt.PERCENT, 1, signed=True),
                                "År": vt.Column(vt.YEAR)})


@pytest.mark.parametrize(("lang", "row", "expected"), [
    ("sv", 0, ["Samhällsenhet", f"−105{NBSP}546{NBSP}tkr", f"−0,9{NBSP}%", "2020"]),
    ("sv", 1, ["Summa", "–", f"+12,0{NBSP}%", "2020"]),
    ("en", 0, ["Samhällsenhet", f"−105,546{NBSP}SEK{NBSP}k", "−0.9%", "2020"]),
])
def test_typed_table_reads_as_format_table_shows_it(lang, row, expected):
    shown = read_table(vt.format_html_table(_typed(), lang))
    assert list(shown.columns) == ["Verksamhet", "Budget", "Avvikelse (%)", "År"]
    assert list(shown.iloc[row]) == expected
    assert shown.equals(vt.format_table(_typed(), lang).fillna(""))


@pytest.mark.parametrize(("cell", "shown"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("**fet** [länk](javascript:x)", "**fet** [länk](javascript:x)"),  # HTML, not Markdown: shown as written
    ('"citat" & <b>', "&quot;citat&quot; &amp; &lt;b&gt;"),
])
def test_text_from_the_data_is_escaped_never_markup(cell, shown):
    body = vt.format_html_table(pd.DataFrame({"Kommentar <i>": [cell]}))
    assert f'<td role="cell" data-label="Kommentar &lt;i&gt;">{shown}</td>' in body
    assert '<th scope="col" role="columnheader">Kommentar &lt;i&gt;</th>' in body
    assert read_table(body).iloc[0, 0] == cell


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_an_empty_cell_stays_empty(missing):
    shown = read_table(vt.format_html_table(pd.DataFrame({"Text": ["a", missing]}, dtype=object)))
    assert list(shown["Text"]) == ["a", ""]


def test_number_columns_align_right_and_text_columns_do_not():
    body = vt.format_html_table(_typed())
    assert '<th scope="col" role="columnheader">Verksamhet</th>' in body
    for header in ("Budget", "Avvikelse (%)", "År"):
        assert f'<th scope="col" role="columnheader" class="num">{header}</th>' in body
    assert '<td role="cell" data-label="Verksamhet">Samhällsenhet</td>' in body


@pytest.mark.parametrize(("label", "attribute"), [
    ("Driftredovisning 2020 som i rapporten", 'aria-label="Driftredovisning 2020 som i rapporten"'),
    ('Tabell "x" <y>', 'aria-label="Tabell &quot;x&quot; &lt;y&gt;"'),
])
def test_the_label_names_the_table_for_screen_readers(label, attribute):
    body = vt.format_html_table(pd.DataFrame({"A": ["1"]}), label=label)
    assert f'<table role="table" {attribute}>' in body
    assert read_table(body).attrs["label"] == label


def test_without_a_label_the_table_has_no_empty_name():
    assert "aria-label" not in vt.format_html_table(pd.DataFrame({"A": ["1"]}))


@pytest.mark.parametrize("typed", [True, False])
@pytest.mark.parametrize(("footnotes", "rows"), [([], 2), (["* Ej jämförbart."], 3), (["* Ett.", "** Två."], 4)])
def test_footnotes_follow_the_table_into_the_export_frame_as_rows_under_it(typed, footnotes, rows):
    df = pd.DataFrame({"Post": ["A", "B"], "Belopp": [1, -2]})
    if typed:
        vt.with_formats(df, {"Belopp": vt.Column(vt.TKR)})
    for note in footnotes:
        vt.with_footnote(df, note)
    frame = vt.get_export_frame(df)
    assert len(frame) == rows
    assert frame.iloc[:, 0].tolist() == ["A", "B", *footnotes]
    amounts = frame.iloc[:, 1].tolist()
    assert amounts[:2] == [1, -2] and all(pd.isna(v) for v in amounts[2:])
    if typed:
        assert str(frame.iloc[:, 1].dtype) == "Int64"  # whole numbers stay whole beside an empty footnote cell
    assert vt.get_footnotes(df) == footnotes


def test_every_cell_names_its_column_for_the_phone_layout_and_the_table_keeps_its_roles():
    # On a phone each row is a card (ui/assets/document.css): a cell shows its header from data-label, and the roles
    # keep the table a table for screen readers when its display is no longer a table's.
    body = vt.format_html_table(pd.DataFrame({"Aktivitet": ["Bredband"], 'Status "x"': ["✔ Genomfört"]}))
    assert '<td role="cell" data-label="Aktivitet">Bredband</td>' in body
    assert '<td role="cell" data-label="Status &quot;x&quot;">✔ Genomfört</td>' in body
    for role in ('<table role="table">', '<thead role="rowgroup">', '<tbody role="rowgroup">', '<tr role="row">'):
        assert role in body
