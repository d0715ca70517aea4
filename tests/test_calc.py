"""Derived figures in ks_data.calc: indicator and goal status, gaps, economy, waterfall and comparisons."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ks_data import calc
from ks_data import schema as s
from ks_data.calc import (
    FULFILLED,
    MET,
    MISSED,
    NEAR,
    NO_TARGET,
    NOT_ASSESSED,
    NOT_FULFILLED,
    NOT_MEASURED,
    PARTLY,
    calc_comparison_changes,
    calc_deviation_pct,
    calc_economy_table,
    calc_gap,
    calc_goal_status,
    calc_goal_statuses,
    calc_indicator_status,
    calc_indicator_statuses,
    calc_is_met,
    calc_status_counts,
    calc_trend,
    calc_waterfall,
    get_summa_row,
)
from tests.helpers import real_frames, real_table

NAN = math.nan

# --- calc_indicator_status -------------------------------------------------------------------------

# (value, op, target, target_high, tolerance, expected status)
STATUS_CASES = [
    # >=
    (80, ">=", 79, None, 0, MET),
    (79, ">=", 79, None, 0, MET),
    (78, ">=", 79, None, 0, MISSED),
    (78, ">=", 79, None, 1, NEAR),
    (78, ">=", 79, None, 0.5, MISSED),
    (91, ">=", 96, None, 5, NEAR),
    (91, ">=", 96, None, 4.9, MISSED),
    # >
    (21, ">", 20, None, 0, MET),
    (20, ">", 20, None, 0, MISSED),  # equal is not strictly greater
    (20, ">", 20, None, 1, NEAR),  # ... but it is as near as can be
    (18, ">", 20, None, 2, NEAR),
    (18, ">", 20, None, 1, MISSED),
    # <=
    (9, "<=", 10, None, 0, MET),
    (10, "<=", 10, None, 0, MET),
    (11, "<=", 10, None, 0, MISSED),
    (11, "<=", 10, None, 1, NEAR),
    # <
    (9, "<", 10, None, 0, MET),
    (10, "<", 10, None, 0, MISSED),
    (10, "<", 10, None, 3, NEAR),
    (16, "<", 10, None, 5, MISSED),
    (16, "<", 10, None, 6, NEAR),
    # ==
    (21, "==", 21, None, 0, MET),
    (22, "==", 21, None, 0, MISSED),
    (20, "==", 21, None, 0, MISSED),
    (22, "==", 21, None, 1, NEAR),
    (20, "==", 21, None, 1, NEAR),
    (55, "==", 57, None, 1, MISSED),
    # range (inclusive)
    (5, "range", 1, 10, 0, MET),
    (1, "range", 1, 10, 0, MET),
    (10, "range", 1, 10, 0, MET),
    (11, "range", 1, 10, 0, MISSED),
    (0, "range", 1, 10, 0, MISSED),
    (11, "range", 1, 10, 1, NEAR),
    (0, "range", 1, 10, 1, NEAR),
    (28, "range", 1, 10, 5, MISSED),
    # not measured / no target
    (None, ">=", 79, None, 0, NOT_MEASURED),
    (NAN, ">=", 79, None, 5, NOT_MEASURED),
    (pd.NA, "<", 10, None, 0, NOT_MEASURED),
    (80, None, None, None, 0, NO_TARGET),
    (80, NAN, NAN, NAN, 0, NO_TARGET),
    (80, ">=", None, None, 0, NO_TARGET),  # a comparison without a target value cannot be judged
    (80, None, 79, None, 0, NO_TARGET),
    (None, None, None, None, 0, NO_TARGET),  # no target wins over not measured
]


@pytest.mark.parametrize(("value", "op", "target", "high", "tolerance", "expected"), STATUS_CASES)
def test_indicator_status(value, op, target, high, tolerance, expected):
    assert calc_indicator_status(value, op, target, high, tolerance) == expected


@pytest.mark.parametrize("op", [">=", ">", "<=", "<", "==", "range"])
def test_tolerance_zero_never_gives_near(op):
    for value in (-100, -1, 0, 0.5, 1, 5, 9.999, 10, 10.001, 11, 100):
        assert calc_indicator_status(value, op, 1, 10 if op == "range" else None, 0) != NEAR


def test_unknown_op_is_an_error_not_a_status():
    with pytest.raises(ValueError, match="unknown target_op"):
        calc_indicator_status(1, "=>", 1)
    with pytest.raises(ValueError, match="unknown target_op"):
        calc_gap(1, "!=", 1)


# --- calc_gap ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "op", "target", "high", "gap"), [
    (91, ">=", 96, None, 5),
    (96, ">=", 96, None, 0),
    (99, ">=", 96, None, 0),
    (18, ">", 20, None, 2),
    (20, ">", 20, None, 0),  # the strict miss has no distance to show
    (16, "<", 10, None, 6),
    (9, "<", 10, None, 0),
    (12, "<=", 10, None, 2),
    (55, "==", 57, None, 2),
    (23, "==", 22, None, 1),
    (21, "==", 21, None, 0),
    (5, "range", 1, 10, 0),
    (28, "range", 1, 10, 18),
    (0, "range", 1, 10, 1),
    (0.25, ">=", 0.5, None, 0.25),
])
def test_gap(value, op, target, high, gap):
    assert calc_gap(value, op, target, high) == pytest.approx(gap)


def test_indicator_statuses_on_real_data_gap_and_status():
    ind = calc_indicator_statuses(real_table(s.INDICATORS), tolerance=0)
    by_name = ind.set_index([s.GOAL_ID, s.NAME, s.PERIOD], drop=False)
    serv = by_name.loc[("3.1", "Ärenden som klarat servicedeklarationen", "2020")]
    assert (serv[calc.STATUS], serv[calc.GAP]) == (MISSED, 5.0)
    green = ind[ind[s.NAME] == "Gröna blad: digitala tjänster som erbjuds"].iloc[0]
    assert (green[calc.STATUS], green[calc.GAP]) == (MISSED, 2.0)
    # Indicators without a target get no gap at all, not a gap of 0; those the report judges in words take that
    # verdict, the others have no status.
    untargeted = ind[ind[s.TARGET_OP].isna()]
    assert len(untargeted) > 0
    assert untargeted[calc.GAP].isna().all()
    in_words = untargeted[s.VERDICT].notna()
    assert set(untargeted.loc[~in_words, calc.STATUS]) == {NO_TARGET}
    assert (untargeted.loc[in_words, calc.STATUS] == untargeted.loc[in_words, s.VERDICT]).all()
    assert set(untargeted.loc[in_words, calc.STATUS_BASIS]) == {calc.BY_TEXT}
    assert set(ind.loc[ind[s.TARGET_OP].notna(), calc.STATUS_BASIS]) == {calc.BY_TARGET}
    assert len(ind) == len(real_table(s.INDICATORS))


# --- calc_goal_status ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("statuses", "expected"), [
    ([], (NOT_ASSESSED, "rule_no_targets")),
    ([NO_TARGET, NOT_MEASURED], (NOT_ASSESSED, "rule_no_targets")),
    ([MET], (FULFILLED, "rule_all_met")),
    ([MET, MET, NO_TARGET, NOT_MEASURED], (FULFILLED, "rule_all_met")),
    ([MET, NEAR], (PARTLY, "rule_some_met")),
    ([MET, MISSED], (PARTLY, "rule_some_met")),
    ([NEAR], (PARTLY, "rule_some_met")),
    ([NEAR, MISSED], (PARTLY, "rule_some_met")),
    ([MISSED], (NOT_FULFILLED, "rule_none_met")),
    ([MISSED, MISSED, NO_TARGET], (NOT_FULFILLED, "rule_none_met")),
])
def test_goal_status_rules(statuses, expected):
    assert calc_goal_status(statuses) == expected


def _goal_row(goals: pd.DataFrame, goal_id: str) -> pd.Series:
    row = goals[goals[s.GOAL_ID] == goal_id]
    assert len(row) == 1, goal_id
    return row.iloc[0]


# (goal, tolerance, computed status, disagrees with the report's own assessment)
GOAL_CASES = [
    ("3.1", 0, NOT_FULFILLED, True),  # 91 % against >= 96 %; the report says "till viss del" (partly)
    ("3.1", 5, PARTLY, False),  # within 5 points the miss becomes near, and the verdicts agree
    ("4.2", 0, NOT_FULFILLED, False),
    ("2.1", 0, FULFILLED, False),
    ("1.5", 0, PARTLY, False),
    # The UF target is met in the report's words ("Målvärden nås…"), women entrepreneurs miss theirs: partly, as the
    # report says.
    ("2.2", 0, PARTLY, False),
    ("3.2", 0, FULFILLED, False),  # no target printed for the 131 processes; the report judges them "uppfyllt"
    ("1.4", 0, NOT_ASSESSED, False),
    ("4.3", 0, FULFILLED, False),
    # 80 >= 79 meets its target, but the report says in words that livskvalitet and service miss theirs.
    ("1.3", 0, PARTLY, False),
    ("2.3", 0, PARTLY, False),  # under 18 exactly at target; the Analys: supply does not meet demand
    ("4.1", 0, NOT_ASSESSED, False),
]


@pytest.mark.parametrize(("goal_id", "tolerance", "status", "disagrees"), GOAL_CASES)
def test_goal_statuses_on_real_data(goal_id, tolerance, status, disagrees):
    frames = real_frames()
    out = calc_goal_statuses(frames[s.GOALS], frames[s.INDICATORS], tolerance)
    row = _goal_row(out, goal_id)
    assert row[calc.COMPUTED_STATUS] == status
    assert bool(row[calc.DISAGREES]) is disagrees


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Indicators of one goal 9.9 in 2020, with every column the status computation reads."""
    base = {s.YEAR: 2020, s.GOAL_ID: "9.9", s.VALUE: NAN, s.TARGET_OP: None, s.TARGET: NAN, s.TARGET_HIGH: NAN,
            s.VERDICT: None, s.VERDICT_TEXT: None}
    return pd.DataFrame([{**base, s.NAME: f"i{n}", s.POSITION: n, **row} for n, row in enumerate(rows, start=1)])


MET_80 = {s.VALUE: 80.0, s.TARGET_OP: ">=", s.TARGET: 79.0}
MISSED_91 = {s.VALUE: 91.0, s.TARGET_OP: ">=", s.TARGET: 96.0}
SAYS_MET = {s.VERDICT: MET, s.VERDICT_TEXT: "Målvärden nås."}
SAYS_MISSED = {s.VERDICT: MISSED, s.VERDICT_TEXT: "Vi når inte målen."}
BACKGROUND = {s.VALUE: 298.0}


# (indicators, expected statuses, expected bases)
INDICATOR_VERDICT_CASES = [
    ([SAYS_MET], [MET], [calc.BY_TEXT]),
    ([SAYS_MISSED], [MISSED], [calc.BY_TEXT]),
    ([BACKGROUND], [NO_TARGET], [None]),
    # A printed target decides; a verdict in words beside it does not override it.
    ([{**MISSED_91, **SAYS_MET}], [MISSED], [calc.BY_TARGET]),
    # An unknown code is no verdict (validation reports it).
    ([{s.VERDICT: "maybe", s.VERDICT_TEXT: "?"}], [NO_TARGET], [None]),
    ([MET_80, SAYS_MISSED, BACKGROUND], [MET, MISSED, NO_TARGET], [calc.BY_TARGET, calc.BY_TEXT, None]),
]


@pytest.mark.parametrize(("rows", "statuses", "bases"), INDICATOR_VERDICT_CASES)
def test_indicator_status_takes_the_reports_verdict_where_no_target_is_printed(rows, statuses, bases):
    out = calc_indicator_statuses(_frame(rows))
    assert out[calc.STATUS].tolist() == statuses
    assert [None if b is None or b != b else b for b in out[calc.STATUS_BASIS]] == bases
    assert out.loc[out[calc.STATUS_BASIS] == calc.BY_TEXT, calc.GAP].isna().all()


def test_indicator_status_without_a_verdict_column_works_as_before():
    frame = _frame([MET_80, BACKGROUND]).drop(columns=[s.VERDICT, s.VERDICT_TEXT])
    assert calc_indicator_statuses(frame)[calc.STATUS].tolist() == [MET, NO_TARGET]


GOAL = pd.DataFrame([{s.YEAR: 2020, s.GOAL_ID: "9.9", s.ASSESSMENT: None}])

# (indicators, computed status, rule, judged in words, number of indicators, sentences with the names they judge)
GOAL_VERDICT_CASES = [
    ([SAYS_MET], FULFILLED, "rule_all_met", 1, 1, (("Målvärden nås.", ("i1",)),)),
    ([SAYS_MISSED, BACKGROUND], NOT_FULFILLED, "rule_none_met", 1, 2, (("Vi når inte målen.", ("i1",)),)),
    ([MET_80, SAYS_MISSED, SAYS_MISSED, BACKGROUND], PARTLY, "rule_some_met", 2, 4,
     (("Vi når inte målen.", ("i2", "i3")),)),
    ([MISSED_91, SAYS_MET], PARTLY, "rule_some_met", 1, 2, (("Målvärden nås.", ("i2",)),)),
    ([MET_80, BACKGROUND, BACKGROUND], FULFILLED, "rule_all_met", 0, 3, ()),
    ([BACKGROUND], NOT_ASSESSED, "rule_no_targets", 0, 1, ()),
    ([], NOT_ASSESSED, "rule_no_targets", 0, 0, ()),
]


@pytest.mark.parametrize(("rows", "status", "rule", "by_text", "total", "verdicts"), GOAL_VERDICT_CASES)
def test_goal_status_counts_verdicts_in_words_and_what_it_rests_on(rows, status, rule, by_text, total, verdicts):
    indicators = _frame(rows) if rows else _frame([BACKGROUND]).iloc[0:0]
    row = calc_goal_statuses(GOAL, indicators).iloc[0]
    assert (row[calc.COMPUTED_STATUS], row[calc.RULE]) == (status, rule)
    assert (row[calc.N_BY_TEXT], row[calc.N_INDICATORS]) == (by_text, total)
    assert row[calc.TEXT_VERDICTS] == verdicts


def test_goal_statuses_counts_and_rule_for_3_1():
    frames = real_frames()
    strict = _goal_row(calc_goal_statuses(frames[s.GOALS], frames[s.INDICATORS], 0), "3.1")
    loose = _goal_row(calc_goal_statuses(frames[s.GOALS], frames[s.INDICATORS], 5), "3.1")
    assert (strict[calc.N_MET], strict[calc.N_NEAR], strict[calc.N_MISSED]) == (0, 0, 1)
    assert strict[calc.RULE] == "rule_none_met"
    assert (loose[calc.N_MET], loose[calc.N_NEAR], loose[calc.N_MISSED]) == (0, 1, 0)
    assert loose[calc.RULE] == "rule_some_met"


def test_goal_statuses_keep_every_goal_and_its_columns():
    frames = real_frames()
    out = calc_goal_statuses(frames[s.GOALS], frames[s.INDICATORS])
    assert out[s.GOAL_ID].tolist() == frames[s.GOALS][s.GOAL_ID].tolist()
    assert set(out[calc.COMPUTED_STATUS]) <= set(calc.GOAL_STATUSES)
    assert frames[s.GOALS].columns.isin(out.columns).all()
    # The input is not modified.
    assert calc.COMPUTED_STATUS not in frames[s.GOALS]


def test_status_counts_keep_zero_rows_in_order():
    out = calc_status_counts(pd.Series([MET, MISSED, MET]), calc.INDICATOR_STATUSES)
    assert out[calc.STATUS].tolist() == list(calc.INDICATOR_STATUSES)
    assert out["count"].tolist() == [2, 0, 1, 0, 0]


# --- hypothesis properties -------------------------------------------------------------------------------

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
tolerances = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
ops = st.sampled_from(s.TARGET_OPS)


@st.composite
def targets(draw):
    op = draw(ops)
    target = draw(numbers)
    high = target + draw(st.floats(min_value=0, max_value=1e5)) if op == "range" else None
    return op, target, high


@settings(max_examples=150, deadline=None)
@given(value=numbers, spec=targets(), tolerance=tolerances)
def test_status_is_met_iff_is_met(value, spec, tolerance):
    op, target, high = spec
    status = calc_indicator_status(value, op, target, high, tolerance)
    assert (status == MET) == calc_is_met(value, op, target, high)
    assert status in (MET, NEAR, MISSED)


@settings(max_examples=150, deadline=None)
@given(value=numbers, spec=targets(), low=tolerances, extra=tolerances)
def test_raising_tolerance_never_turns_met_or_near_into_missed(value, spec, low, extra):
    op, target, high = spec
    before = calc_indicator_status(value, op, target, high, low)
    after = calc_indicator_status(value, op, target, high, low + extra)
    if before in (MET, NEAR):
        assert after == before
    if before == MISSED:
        assert after in (MISSED, NEAR)


@settings(max_examples=150, deadline=None)
@given(value=numbers, spec=targets())
def test_gap_is_zero_iff_met_for_non_strict_ops(value, spec):
    op, target, high = spec
    gap = calc_gap(value, op, target, high)
    assert gap >= 0
    if op in (">=", "<=", "==", "range"):
        assert (gap == 0) == calc_is_met(value, op, target, high)
    else:  # strict: met implies no gap, but a zero gap may still be a miss (value == target)
        if calc_is_met(value, op, target, high):
            assert gap == 0


@settings(max_examples=100, deadline=None)
@given(value=numbers, spec=targets(), tolerance=tolerances)
def test_near_means_within_tolerance(value, spec, tolerance):
    op, target, high = spec
    if calc_indicator_status(value, op, target, high, tolerance) == NEAR:
        assert 0 <= calc_gap(value, op, target, high) <= tolerance
        assert tolerance > 0


# --- economy ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("deviation", "budget", "expected"), [
    (677, -105546, 677 / 105546 * 100),
    (-837, -89430, -837 / 89430 * 100),
    (1000, 1000, 100.0),
    (1943, 11000, 1943 / 11000 * 100),
    (0, 500, 0.0),
    (-2538, 0, NAN),  # unbudgeted: no percentage
    (0, 0, NAN),
    (NAN, 100, NAN),
    (5, NAN, NAN),
])
def test_deviation_pct(deviation, budget, expected):
    got = calc_deviation_pct(deviation, budget)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


def _flagged(out: pd.DataFrame) -> set[str]:
    return set(out.loc[out[calc.BEYOND], "label"])


@pytest.mark.parametrize(("threshold", "flagged"), [
    (0, {"Kommunledningskontor", "politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och "
         "upphandling samt HR", "kommunalägda bolag och kommunförbund", "Näringslivskontor", "Samhällsenhet",
         "Kommunens oförutsedda"}),
    (500, {"Kommunledningskontor", "politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och "
           "upphandling samt HR", "kommunalägda bolag och kommunförbund", "Samhällsenhet"}),
    (837, {"politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR",
           "kommunalägda bolag och kommunförbund", "Samhällsenhet"}),  # exactly at the threshold is not beyond
    (1500, {"kommunalägda bolag och kommunförbund", "Samhällsenhet"}),
    (5000, set()),
])
def test_economy_threshold_in_tkr(threshold, flagged):
    out = calc_economy_table(real_table(s.NET_COSTS), s.NET_COSTS, threshold)
    assert _flagged(out) == flagged
    # The sum row (deviation 677) is never flagged, whatever the threshold.
    assert not out.loc[out[s.ROW_KIND] == "summa", calc.BEYOND].any()


@pytest.mark.parametrize(("threshold", "flagged"), [
    # Näringslivskontor −356 of −8 380 is 4.2 %; Samhällsenhet 1 721 of −7 586 is 22.7 %;
    # Kommunens oförutsedda 150 of −150 is 100 %.
    (4, {"Näringslivskontor", "Samhällsenhet", "Kommunens oförutsedda",
         "kommunalägda bolag och kommunförbund"}),  # −2 214 of −42 062 is 5.3 %
    (5.5, {"Samhällsenhet", "Kommunens oförutsedda"}),
    (50, {"Kommunens oförutsedda"}),
    (100, set()),
])
def test_economy_threshold_in_percent(threshold, flagged):
    out = calc_economy_table(real_table(s.NET_COSTS), s.NET_COSTS, threshold, use_pct=True)
    assert _flagged(out) == flagged


def test_economy_percent_threshold_flags_unbudgeted_investment():
    """Vivsta 19:1 had budget 0 and cost 2 538 tkr: no percentage exists, yet it is beyond any % threshold."""
    out = calc_economy_table(real_table(s.INVESTMENTS), s.INVESTMENTS, 1000, use_pct=True)
    vivsta = out[out["label"] == "Vivsta 19:1"].iloc[0]
    assert math.isnan(vivsta[calc.DEVIATION_PCT])
    assert _flagged(out) == {"Vivsta 19:1"}
    out = calc_economy_table(real_table(s.INVESTMENTS), s.INVESTMENTS, 50, use_pct=True)
    assert _flagged(out) == {"Vivsta 19:1", "Strategiska markköp", "Exploatering", "Allmänna investeringar KLK"}


def test_economy_table_computed_deviation_follows_each_tables_sign():
    inv = calc_economy_table(real_table(s.INVESTMENTS), s.INVESTMENTS)
    it = inv[inv["label"] == "IT mm"].iloc[0]
    assert it["computed_deviation"] == 11000 - 9057  # budget − outcome for investments
    assert it[calc.DEVIATION_PCT] == pytest.approx(1943 / 11000 * 100)
    op = calc_economy_table(real_table(s.OPERATING), s.OPERATING)
    income = op[op["label"] == "Verksamhetens intäkter (+)"].iloc[0]
    assert income["computed_deviation"] == 36014 - 29920  # outcome − budget
    assert income[calc.DEVIATION_PCT] == pytest.approx(6094 / 29920 * 100)


def test_summa_row():
    assert get_summa_row(real_table(s.INVESTMENTS))[s.PROJECT] == "Summa investeringar"
    nc = real_table(s.NET_COSTS)
    assert get_summa_row(nc[nc[s.ROW_KIND] != "summa"]) is None


# --- waterfall -------------------------------------------------------------------------------------------------

def test_waterfall_on_real_net_costs():
    wf = calc_waterfall(real_table(s.NET_COSTS))
    assert wf[calc.STEP_KIND].tolist() == ["start", "unit", "unit", "unit", "unit", "rounding", "end"]
    first, last = wf.iloc[0], wf.iloc[-1]
    assert (first[calc.STEP], first[calc.END]) == ("budget", -105546)
    assert (last[calc.STEP], last[calc.END]) == ("outcome", -104869)
    units = wf[wf[calc.STEP_KIND] == "unit"]
    # Only the units themselves, never their varav rows (which would count twice).
    assert units[calc.STEP].tolist() == ["Kommunledningskontor", "Näringslivskontor", "Samhällsenhet",
                                         "Kommunens oförutsedda"]
    assert units[s.DEVIATION].sum() == 678  # the printed units add up to 678, the printed total says 677
    rounding = wf[wf[calc.STEP_KIND] == "rounding"].iloc[0]
    assert rounding[s.DEVIATION] == -1
    assert (rounding[calc.START], rounding[calc.END]) == (-105546 + 678, -104869)
    # The steps chain: each one starts where the previous ended.
    chained = wf[wf[calc.STEP_KIND].isin(["unit", "rounding"])]
    assert chained[calc.START].tolist()[1:] == chained[calc.END].tolist()[:-1]
    assert chained[calc.START].iloc[0] == -105546
    assert (chained[calc.END] - chained[calc.START]).tolist() == chained[s.DEVIATION].tolist()


def test_waterfall_without_rounding_when_units_add_up():
    nc = real_table(s.NET_COSTS)
    nc.loc[nc[s.ROW_KIND] == "summa", s.OUTCOME] = -104868
    wf = calc_waterfall(nc)
    assert "rounding" not in wf[calc.STEP_KIND].tolist()
    assert wf.iloc[-2][calc.END] == wf.iloc[-1][calc.END] == -104868


def test_waterfall_without_sum_row_is_empty():
    nc = real_table(s.NET_COSTS)
    wf = calc_waterfall(nc[nc[s.ROW_KIND] != "summa"])
    assert wf.empty
    assert list(wf.columns) == [calc.STEP, calc.STEP_KIND, calc.START, calc.END, s.DEVIATION]


# --- comparisons ------------------------------------------------------------------------------------------------

RESCUE = "Räddningstjänsten, kostnader i kr per invånare"
TRIPS = "Färdtjänst, antal enkelresor"
PLANS = "Antal antagna översiktsplaner"


def _metric(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    return df[df[s.METRIC] == metric].set_index(s.MEASURE_YEAR)


def test_comparison_changes_2018_to_2020():
    out = calc_comparison_changes(real_table(s.COMPARISONS), 2018, 2020)
    assert len(out) == 9
    rescue = _metric(out, RESCUE)
    assert rescue.index.tolist() == [2018, 2019, 2020]
    assert rescue[calc.INDEX].tolist() == pytest.approx([100, 1124 / 1082 * 100, 1072 / 1082 * 100])
    assert math.isnan(rescue.loc[2018, calc.CHANGE])
    assert rescue.loc[2019, calc.CHANGE] == 42
    assert rescue.loc[2020, calc.CHANGE] == -52
    assert rescue.loc[2020, calc.CHANGE_PCT] == pytest.approx(-52 / 1124 * 100)
    trips = _metric(out, TRIPS)
    assert trips.loc[2020, calc.CHANGE] == 14288 - 25070
    assert trips.loc[2020, calc.INDEX] == pytest.approx(14288 / 25479 * 100)
    plans = _metric(out, PLANS)
    assert plans[calc.INDEX].tolist() == [100, 0, 0]
    assert plans.loc[2019, calc.CHANGE_PCT] == -100
    assert math.isnan(plans.loc[2020, calc.CHANGE_PCT])  # change from 0 has no percentage


def test_comparison_index_is_nan_when_first_year_value_is_zero():
    out = calc_comparison_changes(real_table(s.COMPARISONS), 2019, 2020)
    plans = _metric(out, PLANS)
    assert plans.index.tolist() == [2019, 2020]
    assert plans[calc.INDEX].isna().all()
    rescue = _metric(out, RESCUE)
    assert rescue[calc.INDEX].tolist() == pytest.approx([100, 1072 / 1124 * 100])
    assert math.isnan(rescue.loc[2019, calc.CHANGE])  # the first year of the window has no change


def test_comparison_changes_empty_window():
    out = calc_comparison_changes(real_table(s.COMPARISONS), 2030, 2031)
    assert out.empty
    assert {calc.CHANGE, calc.CHANGE_PCT, calc.INDEX} <= set(out.columns)


def test_comparison_changes_sorted_by_year_whatever_the_input_order():
    shuffled = real_table(s.COMPARISONS).iloc[::-1]
    out = _metric(calc_comparison_changes(shuffled, 2018, 2020), TRIPS)
    assert out.index.tolist() == [2018, 2019, 2020]
    assert out.loc[2019, calc.CHANGE] == 25070 - 25479


def test_trend():
    out = calc_trend(real_table(s.COMPARISONS)).set_index(s.METRIC)
    assert set(out.index) == {RESCUE, TRIPS, PLANS}
    assert (out.loc[RESCUE, "first_year"], out.loc[RESCUE, "last_year"]) == (2018, 2020)
    assert out.loc[RESCUE, calc.CHANGE] == 1072 - 1082
    assert out.loc[TRIPS, "direction"] == "down"
    assert out.loc[PLANS, "direction"] == "down"
    assert out.loc[RESCUE, s.UNIT] == "kr/invånare"


def test_trend_up_and_flat():
    df = pd.DataFrame({s.METRIC: ["a", "a", "b", "b"], s.UNIT: ["antal"] * 4, s.MEASURE_YEAR: [2020, 2019, 2019, 2020],
                       s.VALUE: [5.0, 3.0, 2.0, 2.0]})
    out = calc_trend(df).set_index(s.METRIC)
    assert out.loc["a", "direction"] == "up"
    assert (out.loc["a", "first_value"], out.loc["a", "last_value"]) == (3.0, 5.0)
    assert out.loc["b", "direction"] == "flat"
