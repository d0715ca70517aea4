"""Reconciliation: every printed total, sum row and deviation against the one computed from its parts.

Differences are reported, never corrected: the report's own rounding produces
1-tkr differences that stay in the data as printed.
"""

from __future__ import annotations

import pandas as pd

from ks_data import schema as s
from ks_data.texts import get_text

# Printed tkr figures are rounded; a difference of this size is the report's rounding.
ROUNDING_TOLERANCE_TKR = 1

# How each economy table defines its deviation: +1 means outcome − budget, −1 budget − outcome.
DEVIATION_SIGN = {s.OPERATING: 1, s.NET_COSTS: 1, s.INVESTMENTS: -1}

LABEL_COLUMN = {s.OPERATING: s.LINE, s.NET_COSTS: s.UNIT_NAME, s.INVESTMENTS: s.PROJECT}

CHECK = "check"
ROW_LABEL = "row_label"
PRINTED = "printed"
COMPUTED = "computed"
DIFFERENCE = "difference"
TABLE = "table"
COLUMN = "column"
# Reconciliation checks, told apart by how reconcile words them → text key.
CHECK_KEYS = (
    ("Avvikelse =", "economy.check.deviation"),
    ("Summaraden = summan", "economy.check.sum"),
    ("Raden = summan av dess varav", "economy.check.varav"),
    ("Summaraden = driftredovisningens", "economy.check.cross"),
)
RESULT_COLUMNS = [s.YEAR, TABLE, ROW_LABEL, COLUMN, CHECK, PRINTED, COMPUTED, DIFFERENCE]


def calc_deviation(budget: pd.Series, outcome: pd.Series, table: str) -> pd.Series:
    """Return the deviation in tkr as ``table`` defines it (outcome − budget, or budget − outcome for investments)."""
    return (outcome - budget) * DEVIATION_SIGN[table]


def calc_row_deviations(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Add 'computed' (deviation from budget and outcome, tkr) and 'difference' (printed − computed, tkr) per row."""
    out = df.copy()
    out["computed"] = calc_deviation(out[s.BUDGET], out[s.OUTCOME], table)
    out["difference"] = out[s.DEVIATION] - out["computed"]
    return out


def _result(year, table, label, column, check, printed, computed) -> dict:
    return {s.YEAR: int(year), TABLE: table, ROW_LABEL: label, COLUMN: column, CHECK: check,
            PRINTED: printed, COMPUTED: computed, DIFFERENCE: printed - computed}


def _sum_checks(year, table, total_row, parts: pd.DataFrame, columns, what: str) -> list[dict]:
    out = []
    label = total_row[LABEL_COLUMN[table]]
    for col in columns:
        if pd.isna(total_row[col]) or parts[col].isna().any():
            continue
        out.append(_result(year, table, label, col, what, total_row[col], parts[col].sum()))
    return out


def calc_reconciliation(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return one row per check: year, table, row_label, column, check (Swedish), printed, computed, difference (tkr)."""
    rows: list[dict] = []
    for table in (s.OPERATING, s.NET_COSTS, s.INVESTMENTS):
        df = frames.get(table)
        if df is None or df.empty:
            continue
        label_col = LABEL_COLUMN[table]
        for year, ydf in df.groupby(s.YEAR, sort=True):
            dev = calc_row_deviations(ydf, table)
            formula = "utfall − budget" if DEVIATION_SIGN[table] == 1 else "budget − utfall"
            for _, r in dev.iterrows():
                rows.append(_result(year, table, r[label_col], s.DEVIATION, f"Avvikelse = {formula}",
                                    r[s.DEVIATION], r["computed"]))
            posts = ydf[ydf[s.ROW_KIND] == "post"]
            columns = [s.BUDGET, s.OUTCOME, s.DEVIATION]
            if table == s.OPERATING:
                columns.append(s.OUTCOME_PREV)
            for _, total in ydf[ydf[s.ROW_KIND] == "summa"].iterrows():
                rows += _sum_checks(year, table, total, posts, columns, "Summaraden = summan av raderna ovanför")
            if table == s.NET_COSTS:
                for parent, parts in ydf[ydf[s.ROW_KIND] == "varav"].groupby(s.PARENT, sort=False):
                    match = ydf[(ydf[s.UNIT_NAME] == parent) & (ydf[s.ROW_KIND] != "varav")]
                    for _, whole in match.iterrows():
                        rows += _sum_checks(year, table, whole, parts, columns, "Raden = summan av dess varav-rader")
    rows += _cross_checks(frames)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _cross_checks(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """Net cost sum row against the operating statement's net cost row, per year."""
    op, nc = frames.get(s.OPERATING), frames.get(s.NET_COSTS)
    if op is None or nc is None:
        return []
    rows = []
    for year, nyear in nc[nc[s.ROW_KIND] == "summa"].groupby(s.YEAR):
        oyear = op[(op[s.YEAR] == year) & (op[s.ROW_KIND] == "summa")]
        for (_, ntot), (_, otot) in zip(nyear.iterrows(), oyear.iterrows(), strict=False):
            for col in (s.BUDGET, s.OUTCOME, s.DEVIATION):
                rows.append(_result(year, s.NET_COSTS, ntot[s.UNIT_NAME], col,
                                    f"Summaraden = driftredovisningens '{otot[s.LINE]}'", ntot[col], otot[col]))
    return rows


def get_mismatches(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """Return only the checks whose printed and computed figures differ."""
    return reconciliation[reconciliation[DIFFERENCE] != 0].reset_index(drop=True)


def format_check(check: str, lang: str = "sv") -> str:
    """Return a reconciliation check (as ks_data.reconcile words it) in the page's words; unknown ones as given."""
    for prefix, key in CHECK_KEYS:
        if check.startswith(prefix):
            return get_text(key, lang)
    return check
