"""Number formatting: Swedish by default (no-break spaces, U+2212 minus, decimal comma), English on request."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ks_data.fmt import (
    DASH,
    format_number,
    format_percent,
    format_tkr,
    format_unit,
    format_value,
    format_wrapped,
    get_difference_unit,
    get_locale,
    get_vega_locale,
)

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(("call", "expected"), [
    # amounts in tkr
    (lambda: format_tkr(-105546), f"{MINUS}105{NBSP}546{NBSP}tkr"),
    (lambda: format_tkr(677), f"677{NBSP}tkr"),
    (lambda: format_tkr(677, signed=True), f"+677{NBSP}tkr"),
    (lambda: format_tkr(-837, signed=True), f"{MINUS}837{NBSP}tkr"),
    (lambda: format_tkr(0, signed=True), f"0{NBSP}tkr"),  # zero has no sign
    (lambda: format_tkr(-0.4), f"0{NBSP}tkr"),  # rounds to zero: no "−0"
    (lambda: format_tkr(12700), f"12{NBSP}700{NBSP}tkr"),
    (lambda: format_tkr(np.int64(-2538)), f"{MINUS}2{NBSP}538{NBSP}tkr"),  # numpy values from DataFrames
    (lambda: format_tkr(1_234_567), f"1{NBSP}234{NBSP}567{NBSP}tkr"),
    # percent
    (lambda: format_percent(80), f"80{NBSP}%"),
    (lambda: format_percent(8.692913, 1), f"8,7{NBSP}%"),
    (lambda: format_percent(-4.26, 1, signed=True), f"{MINUS}4,3{NBSP}%"),
    (lambda: format_percent(17.66, 1, signed=True), f"+17,7{NBSP}%"),
    # values with their unit
    (lambda: format_value(1072, "kr/invånare"), f"1{NBSP}072{NBSP}kr/invånare"),
    (lambda: format_value(80.0, "%"), f"80{NBSP}%"),
    (lambda: format_value(80.5, "%"), f"80,5{NBSP}%"),
    (lambda: format_value(298.0, "antal"), "298"),
    (lambda: format_value(14288.0, "antal"), f"14{NBSP}288"),
    (lambda: format_value(-56163.0, "antal"), f"{MINUS}56{NBSP}163"),
    (lambda: format_value(5.0, "placering"), "5"),
    # A change of a share is in points, never "9 %" ("Vi ökar 9 %" from 66 to 75 % is 9 points).
    (lambda: format_value(9.0, "procentenheter"), f"9{NBSP}procentenheter"),
    (lambda: format_value(-1.0, "procentenheter"), f"{MINUS}1{NBSP}procentenheter"),
    (lambda: format_value(2.0, "", decimals=2), "2,00"),
    # plain numbers
    (lambda: format_number(1234.5, 1), f"1{NBSP}234,5"),
    (lambda: format_number(-0.04, 1), "0,0"),
    (lambda: format_number(1000.0), f"1{NBSP}000"),
])
def test_swedish(call, expected):
    assert call() == expected


@pytest.mark.parametrize("call", [
    lambda: format_tkr(math.nan),
    lambda: format_tkr(None),
    lambda: format_tkr(np.float64("nan"), signed=True),
    lambda: format_percent(math.nan),
    lambda: format_value(math.nan, "%"),
    lambda: format_value(None, "kr/invånare"),
    lambda: format_value(math.nan, "antal"),
    lambda: format_number(None, 2, "en_GB"),
])
def test_missing_value_is_a_dash(call):
    assert call() == DASH == "–"


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: format_tkr(-105546, locale="en_GB"), f"\u2212105,546{NBSP}SEK{NBSP}k"),
    (lambda: format_tkr(677, locale="en_GB", signed=True), f"+677{NBSP}SEK{NBSP}k"),
    (lambda: format_percent(80, locale="en_GB"), "80%"),
    (lambda: format_percent(8.692913, 1, locale="en_GB"), "8.7%"),
    (lambda: format_value(1072, "kr/invånare", "en_GB"), f"1,072{NBSP}SEK per inhabitant"),
    (lambda: format_value(9.0, "procentenheter", "en_GB"), f"9{NBSP}percentage points"),
    (lambda: format_value(-8.5, "%", "en_GB"), "\u22128.5%"),
    (lambda: format_value(80.5, "%", "en_GB"), "80.5%"),
    (lambda: format_number(1234.5, 1, "en_GB"), "1,234.5"),
])
def test_english(call, expected):
    assert call() == expected


def test_swedish_output_never_breaks_a_number_over_two_lines():
    for text in (format_tkr(-105546), format_value(1072, "kr/invånare"), format_percent(80)):
        assert " " not in text  # only no-break spaces
        assert "-" not in text  # a real minus sign, not a hyphen


@pytest.mark.parametrize(("lang", "locale"), [("sv", "sv_SE"), ("en", "en_GB"), ("xx", "sv_SE")])
def test_one_locale_per_language(lang, locale):
    assert get_locale(lang) == locale


@pytest.mark.parametrize(("unit", "lang", "expected"), [
    ("kr/invånare", "sv", "kr/invånare"), ("kr/invånare", "en", "SEK per inhabitant"),
    ("antal", "en", "number"), ("placering", "en", "rank"), ("tkr", "en", "SEK\u00a0k"), ("tkr", "sv", "tkr"),
    ("%", "en", "%"), ("something else", "en", "something else"),
    ("år", "en", "year"), ("år", "sv", "år"), ("se unit", "en", "see unit"),  # the data dictionary's units
])
def test_units_the_app_names_are_in_the_language(unit, lang, expected):
    assert format_unit(unit, lang) == expected


def test_english_charts_write_numbers_as_the_tables_do():
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    from ks_data.charts import configure_chart

    chart = alt.Chart(pd.DataFrame({"v": [1234.5, -105546.0]})).mark_text().encode(
        y=alt.Y("v:N"), text=alt.Text("v:Q", format=",.1f"))
    svg = vlc.vegalite_to_svg(configure_chart(chart, "en").to_json())
    assert format_number(1234.5, 1, get_locale("en")) == "1,234.5" and "1,234.5" in svg
    assert format_number(-105546, 1, get_locale("en")) == "\u2212105,546.0" and "\u2212105,546.0" in svg


@pytest.mark.parametrize(("lang", "decimal", "thousands"), [("sv", ",", NBSP), ("en", ".", ",")])
def test_the_charts_number_locale_comes_from_the_same_mapping(lang, decimal, thousands):
    number = get_vega_locale(lang)["number"]
    assert (number["decimal"], number["thousands"], number["minus"]) == (decimal, thousands, MINUS)


LONG_ROW = "\u2003↳ varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"


@pytest.mark.parametrize(("label", "width", "lines", "expected"), [
    ("Samhällsenhet", 42, 3, "Samhällsenhet"),
    (LONG_ROW, 42, 3, "\u2003↳ varav politik, stöd- och\nledningsfunktioner som IT, offentlig\n"
                      "service, ekonomi- och upphandling samt HR"),
    (LONG_ROW, 56, 2, "\u2003↳ varav politik, stöd- och ledningsfunktioner som IT,\n"
                      "offentlig service, ekonomi- och upphandling samt HR"),
    (LONG_ROW, 42, 2, "\u2003↳ varav politik, stöd- och\nledningsfunktioner som IT, offentlig …"),
    ("", 42, 3, ""),
])
def test_a_long_row_name_breaks_onto_lines_and_says_so_when_cut(label, width, lines, expected):
    assert format_wrapped(label, width, lines) == expected


@pytest.mark.parametrize(("unit", "difference_unit", "shown"), [
    ("%", "procentenheter", "5\u00a0procentenheter"),  # 91 % against 96 %
    ("kr/invånare", "kr/invånare", "5\u00a0kr/invånare"),
    ("antal", "antal", "5"),
    ("placering", "placering", "5"),
])
def test_a_difference_of_two_shares_is_in_percentage_points(unit, difference_unit, shown):
    assert get_difference_unit(unit) == difference_unit
    assert format_value(5.0, get_difference_unit(unit)) == shown
