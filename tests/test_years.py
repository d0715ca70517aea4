"""Report years: one year's rows, the previous year, and the year-on-year comparisons (ks_data.years)."""

from __future__ import annotations

import pandas as pd
import pytest

from ks_data import schema as s
from ks_data import years
from ks_data.load import load_tables
from ks_data.viewtable import format_table, get_export_frame
from tests.helpers import real_table
from tests.years_data import COMPOSITE, COMPOSITE_VALUE, NET_RESULT, two_year_data  # noqa: F401 - a fixture


def _indicators(rows: list[tuple]) -> pd.DataFrame:
    """Return indicators from (year, goal, name, unit, value, value_text, period) rows, in that order."""
    out = pd.DataFrame(rows, columns=[s.YEAR, s.GOAL_ID, s.NAME, s.UNIT, s.VALUE, s.VALUE_TEXT, s.PERIOD])
    out[s.POSITION] = out.groupby(s.YEAR).cumcount() + 1
    return out


def _operating(rows: list[tuple]) -> pd.DataFrame:
    """Return an operating statement from (year, line, row_kind, budget, outcome, deviation) rows."""
    out = pd.DataFrame(rows, columns=[s.YEAR, s.LINE, s.ROW_KIND, s.BUDGET, s.OUTCOME, s.DEVIATION])
    out[s.POSITION] = out.groupby(s.YEAR).cumcount() + 1
    return out


def test_years_are_those_of_any_table_ascending():
    a, b = pd.DataFrame({s.YEAR: [2021, 2020]}), pd.DataFrame({s.YEAR: [2019]})
    assert years.get_years([a, b, pd.DataFrame({"x": [1]})]) == [2019, 2020, 2021]
    assert years.get_years([real_table(s.GOALS)]) == [2020]
    assert years.get_years([]) == []


@pytest.mark.parametrize(("year", "expected"), [(2020, [1, 2]), (2021, [3]), (None, [3]), (1999, [])])
def test_year_rows_are_the_chosen_years_or_the_latest(year, expected):
    df = pd.DataFrame({s.YEAR: [2020, 2020, 2021], "n": [1, 2, 3]})
    assert list(years.get_year_rows(df, year)["n"]) == expected


@pytest.mark.parametrize(("available", "year", "expected"), [
    ([2020, 2021], 2021, 2020), ([2020, 2021], 2020, None), ([2019, 2021], 2021, None), ([2021], 2021, None),
    ([2020, 2021], None, None)])
def test_previous_year_is_the_year_before_only_when_the_data_has_it(available, year, expected):
    assert years.get_previous_year(available, year) == expected


@pytest.mark.parametrize(("period", "year", "key"), [
    ("hösten 2020", 2020, "hösten {0}"), ("hösten 2021", 2021, "hösten {0}"), ("2019", 2020, "{-1}"),
    ("2019–2020", 2020, "{-1}–{0}"), ("2019-10-01", 2020, "{-1}-10-01"), ("juli–december 2020", 2020,
                                                                           "juli–december {0}"),
    (None, 2020, ""), (float("nan"), 2020, ""), ("vecka 12", 2020, "vecka 12"), ("120 dagar", 2020, "120 dagar")])
def test_period_key_says_the_period_relative_to_the_report_year(period, year, key):
    assert years.get_period_key(period, year) == key


def test_indicators_are_matched_by_goal_name_unit_and_relative_period():
    ind = _indicators([
        (2020, "1.3", "Livskvalitet", "%", 85.0, None, "hösten 2020"),
        (2020, "1.3", "Livskvalitet", "%", 83.0, None, "2019"),
        (2020, "1.3", "Deltagare", "antal", 298.0, None, "hösten 2020"),
        (2020, "2.1", "Deltagare", "antal", 5.0, None, "hösten 2020"),
        (2020, "2.3", "Efterfrågan", "text", None, "Högre", "2020"),
        (2020, "3.1", "Ärenden", "%", 91.0, None, "juli–december 2020"),
        (2021, "1.3", "Livskvalitet", "%", 88.0, None, "hösten 2021"),
        (2021, "1.3", "Livskvalitet", "%", 85.0, None, "2020"),
        (2021, "1.3", "Deltagare", "antal", 250.0, None, "hösten 2021"),
        (2021, "2.3", "Efterfrågan", "text", None, "Lägre", "2021"),
        (2021, "3.1", "Ärenden", "%", 95.0, None, "helår 2021"),      # another period: not the same figure
        (2021, "4.2", "Nytt styrtal", "antal", 3.0, None, "2021"),     # new this year
    ])
    out = years.calc_indicator_changes(ind, 2021, 2020)
    assert list(out[s.NAME]) == ["Livskvalitet", "Livskvalitet", "Deltagare", "Efterfrågan", "Ärenden", "Nytt styrtal"]
    assert list(out[years.HAS_PREV]) == [True, True, True, True, False, False]
    assert list(out[years.PREV_VALUE][:3]) == [85.0, 83.0, 298.0]  # 1.3's, not 2.1's "Deltagare"
    assert list(out[years.CHANGE][:3]) == [3.0, 2.0, -48.0]
    assert out[years.PREV_VALUE_TEXT][3] == "Högre" and pd.isna(out[years.CHANGE][3])
    assert out[years.PREV_PERIOD][1] == "2019"


def test_without_a_previous_year_no_indicator_has_a_previous_value():
    ind = _indicators([(2020, "1.3", "Livskvalitet", "%", 85.0, None, "hösten 2020")])
    out = years.calc_indicator_changes(ind, 2020, None)
    assert list(out[years.HAS_PREV]) == [False]
    assert out[years.PREV_VALUE].isna().all()


def test_a_changed_unit_is_not_the_same_indicator():
    ind = _indicators([(2020, "1.5", "Tjänster", "antal", 18.0, None, None),
                       (2021, "1.5", "Tjänster", "%", 50.0, None, None)])
    assert not years.calc_indicator_changes(ind, 2021, 2020)[years.HAS_PREV].any()


def test_indicator_change_table_shows_both_years_and_the_change_in_its_unit():
    ind = _indicators([(2020, "1.3", "Livskvalitet", "%", 85.0, None, "hösten 2020"),
                       (2020, "1.3", "Deltagare", "antal", 1298.0, None, None),
                       (2021, "1.3", "Livskvalitet", "%", 82.5, None, "hösten 2021"),
                       (2021, "1.3", "Deltagare", "antal", 1300.0, None, None),
                       (2021, "1.3", "Ny", "antal", 1.0, None, None)])
    changes = years.calc_indicator_changes(ind, 2021, 2020)
    data = years.get_indicator_change_data(changes, 2021, 2020)
    shown = format_table(data).replace("\u00a0", " ", regex=True)
    assert list(shown.columns) == ["Styrtal", "Period", "Mätvärde 2021", "Mätvärde 2020", "Förändring",
                                   "Förändringens enhet"]
    assert shown.values.tolist() == [
        ["Livskvalitet", "hösten 2021", "82,5 %", "85 %", "−2,5", "procentenheter"],
        ["Deltagare", "–", "1 300", "1 298", "+2", "antal"]]
    assert get_export_frame(data)["Förändring"].tolist() == [-2.5, 2]  # numbers in the downloads
    english = format_table(years.get_indicator_change_data(changes, 2021, 2020, "en"), "en")
    assert list(english.columns)[2:5] == ["Value 2021", "Value 2020", "Change"]
    assert english["Unit of change"].tolist() == ["percentage points", "count"]
    assert years.format_indicator_change_caption(changes, 2021, 2020).startswith("2 av målets 3 styrtal 2021")


@pytest.fixture
def two_operating() -> pd.DataFrame:
    return _operating([(2020, "Intäkter", "post", 100, 120, 20), (2020, "Nettokostnader", "summa", -500, -480, 20),
                       (2021, "Intäkter", "post", 110, 100, -10), (2021, "Nya avgifter", "post", 0, 5, 5),
                       (2021, "Nettokostnader", "summa", -510, -530, -20)])


def test_statement_years_give_every_years_sum_and_lines(two_operating):
    by_year = years.calc_statement_years(two_operating, s.OPERATING)
    totals = format_table(years.get_years_total_data(by_year)).replace("\u00a0", " ", regex=True)
    assert totals.values.tolist() == [["2020", "Nettokostnader", "−500 tkr", "−480 tkr", "+20 tkr"],
                                      ["2021", "Nettokostnader", "−510 tkr", "−530 tkr", "−20 tkr"]]
    lines = format_table(years.get_years_line_data(by_year)).replace("\u00a0", " ", regex=True)
    assert list(lines.columns) == ["Rad", "Budget 2020", "Utfall 2020", "Budget 2021", "Utfall 2021"]
    assert lines.values.tolist() == [["Intäkter", "100 tkr", "120 tkr", "110 tkr", "100 tkr"],
                                     ["Nya avgifter", "–", "–", "0 tkr", "5 tkr"],  # only in 2021: empty in 2020
                                     ["Nettokostnader", "−500 tkr", "−480 tkr", "−510 tkr", "−530 tkr"]]
    chart = years.get_years_chart_frame(by_year)
    assert chart[["label", "measure", "amount"]].values.tolist() == [
        ["2020", "Budget", -500.0], ["2021", "Budget", -510.0], ["2020", "Utfall", -480.0], ["2021", "Utfall", -530.0]]
    assert years.format_years_caption(by_year).replace("\u00a0", " ") == \
        "Nettokostnader: utfallet var −480 tkr år 2020 och −530 tkr år 2021."
    alt = years.format_years_alt(by_year, "Driftredovisning").replace("\u00a0", " ")
    assert "2020: budget −500 tkr, utfall −480 tkr; 2021: budget −510 tkr, utfall −530 tkr" in alt


def test_varav_rows_read_as_varav_in_the_years_table():
    df = pd.DataFrame({s.YEAR: [2020, 2020], s.UNIT_NAME: ["Kontor", "IT"], s.ROW_KIND: ["post", "varav"],
                       s.BUDGET: [-10, -4], s.OUTCOME: [-9, -4], s.DEVIATION: [1, 0], s.POSITION: [1, 2]})
    assert list(years.calc_statement_years(df, s.NET_COSTS)[years.LABEL]) == ["Kontor", "\u2003↳ varav IT"]


@pytest.mark.parametrize(("year", "previous", "expected"), [
    (2021, 2020, "Resultatet blev 50 tkr sämre än 2020 (−480 tkr)."), (2020, None, None), (2021, None, None)])
def test_result_change_against_the_previous_year(two_operating, year, previous, expected):
    change = years.get_result_change(two_operating, year, previous)
    assert (change.get("sentence", "").replace("\u00a0", " ") or None) == expected
    if expected:
        assert change["delta"].replace("\u00a0", " ") == "−50 tkr"


def test_the_imported_second_year_compares_with_2020(two_year_data):  # noqa: F811 - the fixture
    frames, problems = load_tables(two_year_data)
    assert problems == []
    assert years.get_years(frames.values()) == [2020, 2021]
    changes = years.calc_indicator_changes(frames[s.INDICATORS], 2021, 2020)
    composite = changes[changes[s.NAME] == COMPOSITE].iloc[0]
    assert (composite[s.VALUE], composite[years.PREV_VALUE], composite[years.CHANGE]) == \
        (COMPOSITE_VALUE[2021], COMPOSITE_VALUE[2020], 2.0)
    assert changes[years.HAS_PREV].all()  # same indicators, every period one year on
    totals = years.get_year_totals(years.calc_statement_years(frames[s.OPERATING], s.OPERATING))
    assert [tuple(r) for r in totals[[s.BUDGET, s.OUTCOME, s.DEVIATION]].itertuples(index=False)] == \
        [NET_RESULT[2020], NET_RESULT[2021]]


def test_matched_indicators_split_into_targeted_and_other_figures():
    ind = _indicators([(2020, "1.3", "Mål", "%", 80.0, None, None), (2020, "1.3", "Antal", "antal", 5.0, None, None),
                       (2021, "1.3", "Mål", "%", 82.0, None, None), (2021, "1.3", "Antal", "antal", 6.0, None, None),
                       (2021, "1.3", "Ny", "antal", 1.0, None, None)])
    ind[s.TARGET_OP] = [">=", None, ">=", None, None]
    targeted, others = years.split_by_target(years.calc_indicator_changes(ind, 2021, 2020))
    assert list(targeted[s.NAME]) == ["Mål"]
    assert list(others[s.NAME]) == ["Antal"]  # "Ny" has nothing to compare with
