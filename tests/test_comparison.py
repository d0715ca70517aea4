"""Unit tests for ks_data.views.comparisons: metric choices, changes between years, index, captions and the chart."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from ks_data import calc, charts
from ks_data import schema as s
from ks_data.views import comparisons as comparison
from ks_data.viewtable import format_table
from tests.helpers import real_table

RESCUE = "Räddningstjänsten, kostnader i kr per invånare"
TRANSPORT = "Färdtjänst, antal enkelresor"
PLANS = "Antal antagna översiktsplaner"


def plain(text: str) -> str:
    """Return ``text`` with no-break spaces as ordinary spaces, so expected strings read naturally."""
    return text.replace("\u00a0", " ")


@pytest.fixture
def comparisons() -> pd.DataFrame:
    return real_table(s.COMPARISONS)


def frame(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Return a small comparisons table from (metric, unit, measure_year, value) rows."""
    return pd.DataFrame({
        s.YEAR: 2020, s.SECTION: "Jämförelsetal", s.POSITION: range(1, len(rows) + 1),
        s.METRIC: [r[0] for r in rows], s.UNIT: [r[1] for r in rows],
        s.MEASURE_YEAR: [r[2] for r in rows], s.VALUE: [float(r[3]) for r in rows],
    })


@pytest.mark.parametrize(("text", "slug"), [
    ("Påbörjat, enl plan", "paborjat-enl-plan"),
    (RESCUE, "raddningstjansten-kostnader-i-kr-per-invanare"),
    ("ÖP/DP", "op-dp"),
    ("Klk/VuIT", "klk-vuit"),
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("  --  ", ""),
])
def test_format_slug(text, slug):
    assert comparison.format_slug(text) == slug


@pytest.mark.parametrize(("values", "reserved", "expected"), [
    (["A b", "A-b", "c"], ("alla",), {"a-b": "A b", "a-b-2": "A-b", "c": "c"}),
    (["Alla", "x"], ("alla",), {"alla-2": "Alla", "x": "x"}),
    (["x", "x"], (), {"x": "x"}),
    (["!!"], (), {"x": "!!"}),
])
def test_get_slug_options_unique_and_not_reserved(values, reserved, expected):
    assert comparison.get_slug_options(values, reserved) == expected


def test_get_metric_options_short_slugs_in_report_order(comparisons):
    assert comparison.get_metric_options(comparisons) == {
        "raddningstjansten": RESCUE, "fardtjanst": TRANSPORT, "antal-antagna-oversiktsplaner": PLANS}


def test_get_metric_options_uses_full_slug_when_short_ones_clash():
    df = frame([("Kostnad, skola", "kr", 2020, 1), ("Kostnad, vård", "kr", 2020, 2), ("Övrigt", "antal", 2020, 3)])
    assert comparison.get_metric_options(df) == {
        "kostnad-skola": "Kostnad, skola", "kostnad-vard": "Kostnad, vård", "ovrigt": "Övrigt"}


def test_get_year_bounds(comparisons):
    assert comparison.get_year_bounds(comparisons) == (2018, 2020)


@pytest.mark.parametrize(("metric", "first", "last", "n_rows", "years"), [
    (None, 2018, 2020, 9, [2018, 2019, 2020]),
    (None, 2019, 2020, 6, [2019, 2020]),
    (None, 2020, 2020, 3, [2020]),
    (TRANSPORT, 2018, 2020, 3, [2018, 2019, 2020]),
    (PLANS, 2018, 2019, 2, [2018, 2019]),
])
def test_calc_changes_selects_metric_and_years(comparisons, metric, first, last, n_rows, years):
    out = comparison.calc_changes(comparisons, metric, first, last)
    assert len(out) == n_rows
    assert sorted(set(out[s.MEASURE_YEAR])) == years
    if metric:
        assert set(out[s.METRIC]) == {metric}


def test_calc_changes_keeps_report_order(comparisons):
    out = comparison.calc_changes(comparisons.sample(frac=1, random_state=3), None, 2018, 2020)
    assert list(dict.fromkeys(out[s.METRIC])) == [RESCUE, TRANSPORT, PLANS]
    assert list(out[s.MEASURE_YEAR][:3]) == [2018, 2019, 2020]


@pytest.mark.parametrize(("metric", "year", "value", "change", "pct"), [
    (RESCUE, 2018, "1 082", "–", "–"),
    (RESCUE, 2019, "1 124", "+42", "+3,9 %"),
    (RESCUE, 2020, "1 072", "−52", "−4,6 %"),
    (TRANSPORT, 2019, "25 070", "−409", "−1,6 %"),
    (TRANSPORT, 2020, "14 288", "−10 782", "−43,0 %"),
    (PLANS, 2019, "0", "−1", "−100,0 %"),
    (PLANS, 2020, "0", "0", "–"),
])
def test_get_change_table_swedish_formats(comparisons, metric, year, value, change, pct):
    table = format_table(comparison.get_change_data(comparison.calc_changes(comparisons, None, 2018, 2020), False), "sv")
    assert list(table.columns) == ["Mått", "År", "Värde", "Enhet", "Förändring från föregående år",
                                   "Förändring i procent"]
    row = table[(table["Mått"] == metric) & (table["År"] == str(year))].iloc[0]
    assert [plain(row["Värde"]), plain(row["Förändring från föregående år"]), plain(row["Förändring i procent"])] == \
        [value, change, pct]


@pytest.mark.parametrize(("first", "metric", "expected"), [
    (2018, RESCUE, ["100,0", "103,9", "99,1"]),
    (2018, TRANSPORT, ["100,0", "98,4", "56,1"]),
    (2018, PLANS, ["100,0", "0,0", "0,0"]),
    (2019, TRANSPORT, ["100,0", "57,0"]),
    (2019, PLANS, ["–", "–"]),
])
def test_index_column_first_year_is_100_and_zero_base_is_dash(comparisons, first, metric, expected):
    table = format_table(comparison.get_change_data(comparison.calc_changes(comparisons, metric, first, 2020), True), "sv")
    assert list(table[f"Index ({first} = 100)"]) == expected


@pytest.mark.parametrize(("first", "expected"), [(2018, []), (2019, [PLANS]), (2020, [PLANS])])
def test_get_zero_base_metrics(comparisons, first, expected):
    assert comparison.get_zero_base_metrics(comparison.calc_changes(comparisons, None, first, 2020)) == expected


def test_zero_base_note_is_plain_swedish():
    note = comparison.format_zero_base_note(PLANS, 2019)
    assert note.startswith(f"{PLANS} kan inte visas som index")
    assert "0 år 2019" in note
    assert "inf" not in note.lower() and "nan" not in note.lower()


@pytest.mark.parametrize(("metric", "first", "last", "expected"), [
    (TRANSPORT, 2018, 2020, "Färdtjänst, antal enkelresor minskade med 43,9 % från 2018 till 2020."),
    (RESCUE, 2018, 2019, f"{RESCUE} ökade med 3,9 % från 2018 till 2019."),
    (RESCUE, 2018, 2020, f"{RESCUE} minskade med 0,9 % från 2018 till 2020."),
    (PLANS, 2019, 2020, f"{PLANS} var oförändrat, 0, från 2019 till 2020."),
    (PLANS, 2018, 2020, f"{PLANS} minskade med 100,0 % från 2018 till 2020."),
    (RESCUE, 2020, 2020, f"{RESCUE} var 1 072 kr/invånare år 2020."),
])
def test_format_change_caption(comparisons, metric, first, last, expected):
    changes = comparison.calc_changes(comparisons, metric, first, last)
    assert plain(comparison.format_change_caption(changes)) == expected


def test_format_change_caption_from_zero_has_no_percent():
    changes = comparison.calc_changes(frame([("Planer", "antal", 2019, 0), ("Planer", "antal", 2020, 2)]),
                                      None, 2019, 2020)
    assert comparison.format_change_caption(changes) == "Planer ökade från 0 till 2 från 2019 till 2020."


def test_format_index_caption_leaves_out_zero_base(comparisons):
    changes = comparison.calc_changes(comparisons, None, 2019, 2020)
    assert plain(comparison.format_index_caption(changes)) == (
        f"Index år 2020 med 2019 = 100: {RESCUE} 95,4; {TRANSPORT} 57,0.")


@pytest.mark.parametrize(("func", "value", "expected"), [
    (comparison.format_change, -10782.0, "−10 782"),
    (comparison.format_change, 42.0, "+42"),
    (comparison.format_change, 0.0, "0"),
    (comparison.format_change, math.nan, "–"),
    (comparison.format_change_pct, -43.0067, "−43,0 %"),
    (comparison.format_change_pct, math.nan, "–"),
    (comparison.format_index, 100.0, "100,0"),
    (comparison.format_index, math.nan, "–"),
    (comparison.format_value_number, 25479.0, "25 479"),
    (comparison.format_value_number, 2.5, "2,5"),
])
def test_formatters(func, value, expected):
    assert plain(func(value)) == expected


@pytest.mark.parametrize("use_index", [False, True])
def test_get_chart_frame_and_chart(comparisons, use_index):
    changes = comparison.calc_changes(comparisons, None, 2019, 2020)
    df = comparison.get_chart_frame(changes, use_index)
    column = calc.INDEX if use_index else s.VALUE
    assert df.attrs["value_column"] == column
    assert list(df.columns) == [comparison.METRIC_LABEL, s.MEASURE_YEAR, column, comparison.VALUE_LABEL]
    assert df[column].notna().all()
    if use_index:
        assert PLANS not in set(df[comparison.METRIC_LABEL])  # index cannot be computed from 0
        assert df.attrs["baseline"] == 100
    else:
        assert len(df) == 6
    spec = charts.comparison_chart(df, column).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    json.dumps(spec)


def test_value_table_twin_and_alt(comparisons):
    changes = comparison.calc_changes(comparisons, TRANSPORT, 2018, 2020)
    twin = format_table(comparison.get_chart_table_data(changes, False), "sv")
    assert [plain(v) for v in twin["Värde"]] == ["25 479", "25 070", "14 288"]
    alt_text = plain(comparison.format_values_alt(changes))
    assert TRANSPORT in alt_text and "2020: 14 288" in alt_text


@pytest.mark.parametrize("first", [2018, 2019])
def test_values_label_names_the_metric_and_stays_the_same_for_every_period(comparisons, first):
    changes = comparison.calc_changes(comparisons, TRANSPORT, first, 2020)
    assert comparison.format_values_label(changes) == f"Linjediagram: {TRANSPORT} år för år"
    assert comparison.format_values_label(changes, "en") == f"Line chart: {TRANSPORT} year by year"


@pytest.mark.parametrize(("option", "expected"), [("alla", "Alla mått"), ("fardtjanst", TRANSPORT)])
def test_format_metric_option(comparisons, option, expected):
    options = comparison.get_metric_options(comparisons)
    assert comparison.format_metric_option(option, options) == expected
    assert comparison.get_metric(option, options) == (None if option == "alla" else expected)


@pytest.mark.parametrize(("metric", "first", "titles"), [
    (None, 2018, [RESCUE, TRANSPORT, PLANS]),
    (TRANSPORT, 2019, [TRANSPORT]),
])
def test_value_cards_one_per_metric_in_report_order_with_its_own_texts(comparisons, metric, first, titles):
    changes = comparison.calc_changes(comparisons, metric, first, 2020)
    cards = comparison.get_value_cards(changes, "en")
    assert [card.title for card in cards] == titles
    for card in cards:
        own = changes[changes[s.METRIC] == card.title]
        assert card.slug == comparison.format_slug(card.title)
        assert card.chart_frame.equals(comparison.get_chart_frame(own, False, "en"))
        assert card.table.equals(comparison.get_chart_table_data(own, False, "en"))
        assert (card.alt, card.caption, card.label) == (comparison.format_values_alt(own, "en"),
                                                       comparison.format_change_caption(own, "en"),
                                                       comparison.format_values_label(own, "en"))
    assert cards[0].caption.startswith(titles[0]) and str(first) in cards[0].caption


def test_value_cards_of_no_rows_are_none(comparisons):
    assert comparison.get_value_cards(comparison.calc_changes(comparisons, None, 2030, 2031)) == []
