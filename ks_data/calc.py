"""Derived figures: pure functions on the loaded tables, never stored."""

from __future__ import annotations

import math

import pandas as pd

from ks_data import schema as s
from ks_data.reconcile import DEVIATION_SIGN, LABEL_COLUMN, calc_deviation
from ks_data.values import is_missing

# Indicator statuses.
MET = "met"
NEAR = "near"
MISSED = "missed"
NOT_MEASURED = "not_measured"
NO_TARGET = "no_target"
INDICATOR_STATUSES = (MET, NEAR, MISSED, NOT_MEASURED, NO_TARGET)

# Goal statuses share the report's assessment codes, so the two can be compared directly.
FULFILLED, PARTLY, NOT_FULFILLED, NOT_ASSESSED = s.ASSESSMENTS
GOAL_STATUSES = s.ASSESSMENTS

# Output columns.
STATUS = "status"
GAP = "gap"
STATUS_BASIS = "status_basis"
N_BY_TEXT, N_INDICATORS = "n_by_text", "n_indicators"
TEXT_VERDICTS = "text_verdicts"
COMPUTED_STATUS = "computed_status"
RULE = "rule"
DISAGREES = "disagrees"
N_MET, N_NEAR, N_MISSED, N_NOT_MEASURED = "n_met", "n_near", "n_missed", "n_not_measured"
CHANGE = "change"
CHANGE_PCT = "change_pct"
INDEX = "index"
DEVIATION_PCT = "deviation_pct"

# What an indicator's status rests on: its printed target, or the verdict the report states in words.
BY_TARGET = "target"
BY_TEXT = "report_text"
BEYOND = "beyond_threshold"
STEP = "step"
START = "start"
END = "end"
STEP_KIND = "step_kind"



def calc_gap(value: float, op: str, target: float, target_high: float | None = None) -> float:
    """Return how far ``value`` is from satisfying ``op target`` (0 when satisfied), in the indicator's unit."""
    if op in (">=", ">"):
        gap = target - value
    elif op in ("<=", "<"):
        gap = value - target
    elif op == "==":
        return abs(value - target)
    elif op == "range":
        return max(target - value, value - target_high, 0.0)
    else:
        raise ValueError(f"unknown target_op {op!r}")
    return max(gap, 0.0)


def calc_is_met(value: float, op: str, target: float, target_high: float | None = None) -> bool:
    """Return True if ``value`` satisfies ``op target`` (strict for '>' and '<', inclusive range)."""
    if op == ">=":
        return value >= target
    if op == ">":
        return value > target
    if op == "<=":
        return value <= target
    if op == "<":
        return value < target
    if op == "==":
        return value == target
    if op == "range":
        return target <= value <= target_high
    raise ValueError(f"unknown target_op {op!r}")


def calc_indicator_status(value, op, target, target_high=None, tolerance: float = 0.0) -> str:
    """Return met, near (within ``tolerance`` units of the target), missed, not_measured or no_target."""
    if is_missing(op) or is_missing(target):
        return NO_TARGET
    if is_missing(value):
        return NOT_MEASURED
    if calc_is_met(value, op, target, target_high):
        return MET
    if tolerance > 0 and calc_gap(value, op, target, target_high) <= tolerance:
        return NEAR
    return MISSED


def calc_indicator_statuses(indicators: pd.DataFrame, tolerance: float = 0.0) -> pd.DataFrame:
    """Add 'status', 'gap' (distance to target, in the indicator's unit) and 'status_basis' to the indicators table.

    An indicator without a printed target takes the verdict the report states in words (column verdict: met or
    missed); its status_basis is then 'report_text', 'target' for one judged by its target, empty otherwise.
    """
    out = indicators.copy()
    verdicts = out[s.VERDICT] if s.VERDICT in out else [None] * len(out)
    statuses, gaps, bases = [], [], []
    for value, op, target, high, verdict in zip(out[s.VALUE], out[s.TARGET_OP], out[s.TARGET], out[s.TARGET_HIGH],
                                                verdicts, strict=True):
        status = calc_indicator_status(value, op, target, high, tolerance)
        basis = BY_TARGET if status in (MET, NEAR, MISSED) else None
        gaps.append(calc_gap(value, op, target, high) if basis == BY_TARGET else math.nan)
        if status == NO_TARGET and not is_missing(verdict) and verdict in s.VERDICTS:
            status, basis = verdict, BY_TEXT
        statuses.append(status)
        bases.append(basis)
    out[STATUS] = statuses
    out[GAP] = gaps
    out[STATUS_BASIS] = bases
    return out


def calc_goal_status(indicator_statuses: list[str]) -> tuple[str, str]:
    """Return (goal status, rule id) from the statuses of a goal's indicators.

    Rules: no measured indicator with a target → not_assessed; all met → fulfilled;
    at least one met or near → partly; otherwise not_fulfilled.
    """
    judged = [st for st in indicator_statuses if st in (MET, NEAR, MISSED)]
    if not judged:
        return NOT_ASSESSED, "rule_no_targets"
    if all(st == MET for st in judged):
        return FULFILLED, "rule_all_met"
    if any(st in (MET, NEAR) for st in judged):
        return PARTLY, "rule_some_met"
    return NOT_FULFILLED, "rule_none_met"


def calc_text_verdicts(indicators: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the report's sentences behind the indicators judged in words (status_basis 'report_text', from
    calc_indicator_statuses), each once with the names of the indicators it judges, in report order."""
    judged = indicators[indicators[STATUS_BASIS] == BY_TEXT]
    if s.POSITION in judged:
        judged = judged.sort_values(s.POSITION)
    by_sentence: dict[str, list[str]] = {}
    for name, text in zip(judged[s.NAME], judged[s.VERDICT_TEXT], strict=True):
        names = by_sentence.setdefault("" if is_missing(text) else str(text), [])
        if name not in names:
            names.append(name)
    return tuple((text, tuple(names)) for text, names in by_sentence.items())


def calc_goal_statuses(goals: pd.DataFrame, indicators: pd.DataFrame, tolerance: float = 0.0) -> pd.DataFrame:
    """Return goals with computed_status, rule, counts per indicator status, how many were judged in the report's
    words (n_by_text, with their sentences in text_verdicts), how many indicators the goal has (n_indicators) and
    whether it disagrees with the report."""
    ind = calc_indicator_statuses(indicators, tolerance)
    out = goals.copy()
    computed, rules, verdicts = [], [], []
    counts = {N_MET: [], N_NEAR: [], N_MISSED: [], N_NOT_MEASURED: [], N_BY_TEXT: [], N_INDICATORS: []}
    for year, gid in zip(out[s.YEAR], out[s.GOAL_ID], strict=True):
        rows = ind[(ind[s.YEAR] == year) & (ind[s.GOAL_ID] == gid)]
        sts = rows[STATUS].tolist()
        status, rule = calc_goal_status(sts)
        computed.append(status)
        rules.append(rule)
        for col, st in ((N_MET, MET), (N_NEAR, NEAR), (N_MISSED, MISSED), (N_NOT_MEASURED, NOT_MEASURED)):
            counts[col].append(sts.count(st))
        counts[N_BY_TEXT].append(int((rows[STATUS_BASIS] == BY_TEXT).sum()))
        counts[N_INDICATORS].append(len(rows))
        verdicts.append(calc_text_verdicts(rows))
    out[COMPUTED_STATUS] = computed
    out[RULE] = rules
    for col, values in counts.items():
        out[col] = values
    out[TEXT_VERDICTS] = verdicts
    out[DISAGREES] = [not is_missing(a) and a != c for a, c in zip(out[s.ASSESSMENT], out[COMPUTED_STATUS], strict=True)]
    return out


def calc_status_counts(statuses: pd.Series, order: tuple[str, ...]) -> pd.DataFrame:
    """Return columns status and count for every status in ``order`` (zero counts kept)."""
    counts = statuses.value_counts()
    return pd.DataFrame({STATUS: list(order), "count": [int(counts.get(st, 0)) for st in order]})


def calc_deviation_pct(deviation: float, budget: float) -> float:
    """Return the deviation as % of the absolute budget; NaN when the budget is zero."""
    if is_missing(budget) or budget == 0 or is_missing(deviation):
        return math.nan
    return deviation / abs(budget) * 100


def calc_economy_table(df: pd.DataFrame, table: str, threshold: float = 0.0, use_pct: bool = False) -> pd.DataFrame:
    """Add computed deviation (tkr), 'deviation_pct' (% of budget) and 'beyond_threshold' to an economy table.

    ``threshold`` is in tkr, or in % of budget when ``use_pct``; rows whose absolute printed
    deviation exceeds it are flagged (sum rows never are).
    """
    out = df.copy()
    out["computed_deviation"] = calc_deviation(out[s.BUDGET], out[s.OUTCOME], table)
    out[DEVIATION_PCT] = [calc_deviation_pct(d, b) for d, b in zip(out[s.DEVIATION], out[s.BUDGET], strict=True)]
    size = out[DEVIATION_PCT].abs() if use_pct else out[s.DEVIATION].abs()
    if use_pct:
        # A deviation against a zero budget has no finite percentage but is beyond any threshold.
        size = size.mask((out[s.BUDGET] == 0) & (out[s.DEVIATION] != 0), math.inf)
    out[BEYOND] = (size > threshold).fillna(False) & (out[s.ROW_KIND] != "summa")
    out["label"] = out[LABEL_COLUMN[table]]
    return out


def calc_waterfall(net_costs: pd.DataFrame) -> pd.DataFrame:
    """Return the steps from budgeted to actual net cost (tkr) through each unit's deviation.

    Columns: step (label), step_kind (start/unit/rounding/end), start, end, deviation (tkr).
    A 'rounding' step appears when the printed units do not add up to the printed outcome.
    """
    total = net_costs[net_costs[s.ROW_KIND] == "summa"]
    if total.empty:
        return pd.DataFrame(columns=[STEP, STEP_KIND, START, END, s.DEVIATION])
    total = total.iloc[0]
    rows = [{STEP: "budget", STEP_KIND: "start", START: 0, END: total[s.BUDGET], s.DEVIATION: total[s.BUDGET]}]
    level = total[s.BUDGET]
    for _, unit in net_costs[net_costs[s.ROW_KIND] == "post"].iterrows():
        rows.append({STEP: unit[s.UNIT_NAME], STEP_KIND: "unit", START: level, END: level + unit[s.DEVIATION],
                     s.DEVIATION: unit[s.DEVIATION]})
        level += unit[s.DEVIATION]
    if level != total[s.OUTCOME]:
        rows.append({STEP: "rounding", STEP_KIND: "rounding", START: level, END: total[s.OUTCOME],
                     s.DEVIATION: total[s.OUTCOME] - level})
    rows.append({STEP: "outcome", STEP_KIND: "end", START: 0, END: total[s.OUTCOME], s.DEVIATION: total[s.OUTCOME]})
    return pd.DataFrame(rows)


def calc_comparison_changes(comparisons: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """Return comparisons within [first_year, last_year] with 'change' and 'change_pct' from the previous year,
    and 'index' (first year = 100; NaN when the first year's value is 0)."""
    sel = comparisons[(comparisons[s.MEASURE_YEAR] >= first_year) & (comparisons[s.MEASURE_YEAR] <= last_year)]
    parts = []
    for _, df in sel.sort_values([s.MEASURE_YEAR]).groupby(s.METRIC, sort=False):
        df = df.copy()
        df[CHANGE] = df[s.VALUE].diff()
        prev = df[s.VALUE].shift()
        df[CHANGE_PCT] = [math.nan if is_missing(p) or p == 0 else c / abs(p) * 100
                          for c, p in zip(df[CHANGE], prev, strict=True)]
        base = df[s.VALUE].iloc[0]
        df[INDEX] = math.nan if base == 0 else df[s.VALUE] / base * 100
        parts.append(df)
    if not parts:
        return sel.assign(**{CHANGE: [], CHANGE_PCT: [], INDEX: []})
    return pd.concat(parts).reset_index(drop=True)


def calc_trend(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Return per metric: first and last year, their values, and the direction (up/down/flat) between them."""
    rows = []
    for metric, df in comparisons.sort_values(s.MEASURE_YEAR).groupby(s.METRIC, sort=False):
        first, last = df.iloc[0], df.iloc[-1]
        diff = last[s.VALUE] - first[s.VALUE]
        rows.append({s.METRIC: metric, s.UNIT: last[s.UNIT], "first_year": int(first[s.MEASURE_YEAR]),
                     "last_year": int(last[s.MEASURE_YEAR]), "first_value": first[s.VALUE], "last_value": last[s.VALUE],
                     CHANGE: diff, "direction": "up" if diff > 0 else "down" if diff < 0 else "flat"})
    return pd.DataFrame(rows)


def get_summa_row(df: pd.DataFrame) -> pd.Series | None:
    """Return the printed sum row of an economy table, or None."""
    total = df[df[s.ROW_KIND] == "summa"]
    return None if total.empty else total.iloc[-1]


__all__ = [name for name in dir() if name.startswith(("calc_", "get_"))] + ["DEVIATION_SIGN"]
