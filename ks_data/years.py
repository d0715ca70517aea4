"""Report years: which years the data holds, one year's rows, and the comparisons between years.

Every table stacks its report years in the column ``year``. A page shows one report year (the year selector's,
by default the latest) and, where the previous year (year − 1) is in the data too, sets it beside:

- a goal's indicators against the same goal's indicator of the previous report, matched by goal id, indicator
  name, unit and period relative to the report year ("hösten 2021" in 2021 matches "hösten 2020" in 2020);
- an economy statement's budget and outcome in every year (its sum row, and each line);
- the net result against the previous year's.

Pure functions (no Streamlit). Amounts are tkr as printed; words from ks_data.texts, numbers from ks_data.fmt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import format_tkr, format_unit, get_difference_unit, get_locale
from ks_data.reconcile import LABEL_COLUMN
from ks_data.statements import format_row_label, get_measure_frame
from ks_data.texts import get_text
from ks_data.values import is_missing
from ks_data.viewtable import TKR, UNIT, VALUE, YEAR, Column, with_formats

# A four-digit year standing alone in a period text ("hösten 2020", "2019–2020", "2019-10-01").
YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

# Columns added by calc_indicator_changes.
PREV_VALUE = "prev_value"
PREV_VALUE_TEXT = "prev_value_text"
PREV_PERIOD = "prev_period"
CHANGE = "change"
HAS_PREV = "has_prev"
# Columns of calc_statement_years and the chart frame of charts.budget_outcome_chart.
LABEL = "label"
MEASURE = "measure"
AMOUNT = "amount"
AMOUNT_LABEL = "amount_label"


def get_years(tables: Iterable[pd.DataFrame]) -> list[int]:
    """Return the report years (column year) found in any of the tables, ascending."""
    years: set[int] = set()
    for df in tables:
        if s.YEAR in df:
            years |= {int(y) for y in df[s.YEAR].dropna().unique()}
    return sorted(years)


def get_latest_year(df: pd.DataFrame) -> int | None:
    """Return the latest report year (column year) in a table, or None if it is empty."""
    return int(df[s.YEAR].max()) if len(df) else None


def get_report_year(frames: dict[str, pd.DataFrame]) -> int | None:
    """Return the report year of a set of tables: the latest year of the goals (else the operating statement, the
    comparisons); None if all are empty or absent."""
    return next((get_latest_year(frames[t]) for t in (s.GOALS, s.OPERATING, s.COMPARISONS)
                 if t in frames and len(frames[t])), None)


def get_year_rows(df: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Return the rows of report year ``year`` (None: the latest year in ``df``)."""
    if not len(df):
        return df
    if year is None:
        year = int(df[s.YEAR].max())
    return df[df[s.YEAR] == year]


def get_previous_year(years: Iterable[int], year: int | None) -> int | None:
    """Return the year before ``year`` if the data holds it, else None (a gap is not "the previous year")."""
    if year is None:
        return None
    return year - 1 if year - 1 in set(years) else None


def get_period_key(period, year: int) -> str:
    """Return an indicator's period relative to its report year, each year as an offset: "hösten {0}", "{-1}–{0}"."""
    if is_missing(period):
        return ""
    return YEAR_IN_TEXT.sub(lambda m: f"{{{int(m.group()) - year:+d}}}" if int(m.group()) != year else "{0}",
                            str(period).strip())


def _keyed(indicators: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return a year's indicators with a match key (goal, name, unit, relative period, occurrence) as '_key'."""
    rows = indicators[indicators[s.YEAR] == year].sort_values([s.GOAL_ID, s.POSITION], kind="stable").copy()
    base = [(g, n, u, get_period_key(p, year)) for g, n, u, p in
            zip(rows[s.GOAL_ID], rows[s.NAME], rows[s.UNIT], rows[s.PERIOD], strict=True)]
    rows["_base"] = base
    # The same key twice in one report (rare) pairs the first with the first, the second with the second.
    rows["_key"] = [(*b, n) for b, n in zip(base, rows.groupby("_base", sort=False).cumcount(), strict=True)]
    return rows.drop(columns="_base")


def calc_indicator_changes(indicators: pd.DataFrame, year: int, previous: int | None) -> pd.DataFrame:
    """Return the indicators of ``year`` with the same indicator of report ``previous`` beside them.

    Adds prev_value, prev_value_text, prev_period, has_prev and change (value − prev_value, in the indicator's unit;
    percentage points for %). An indicator matches when goal id, name, unit and period relative to the report year
    agree; one without a match has has_prev False and empty previous columns. Report order is kept.
    """
    current = _keyed(indicators, year)
    out = current.sort_values(s.POSITION, kind="stable")
    if previous is None:
        prev = pd.DataFrame(columns=["_key", s.VALUE, s.VALUE_TEXT, s.PERIOD])
    else:
        prev = _keyed(indicators, previous)
    by_key = {k: r for k, r in zip(prev["_key"], prev.to_dict("records"), strict=True)}
    prev_rows = [by_key.get(k) for k in out["_key"]]
    out = out.assign(**{
        HAS_PREV: [r is not None for r in prev_rows],
        PREV_VALUE: [None if r is None or is_missing(r[s.VALUE]) else float(r[s.VALUE]) for r in prev_rows],
        PREV_VALUE_TEXT: [None if r is None or is_missing(r[s.VALUE_TEXT]) else r[s.VALUE_TEXT] for r in prev_rows],
        PREV_PERIOD: [None if r is None or is_missing(r[s.PERIOD]) else r[s.PERIOD] for r in prev_rows],
    })
    out[CHANGE] = [None if is_missing(v) or is_missing(p) else float(v) - p for v, p in zip(out[s.VALUE], out[PREV_VALUE],
                                                                                          strict=True)]
    return out.drop(columns="_key").reset_index(drop=True)


def split_by_target(changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the matched indicators with a target (the goal's own measures) and the other matched figures."""
    matched = changes[changes[HAS_PREV]]
    has_target = matched[s.TARGET_OP].notna() if s.TARGET_OP in matched else pd.Series(False, index=matched.index)
    return matched[has_target], matched[~has_target]


def _shown_value(value, text):
    return text if is_missing(value) and not is_missing(text) else (None if is_missing(value) else float(value))


def get_indicator_change_data(changes: pd.DataFrame, year: int, previous: int, lang: str = "sv") -> pd.DataFrame:
    """Return the matched indicators as a typed view table: Styrtal, Period, value in ``year`` and in ``previous``
    (numbers in their unit; a value in words stays text), Förändring (signed number) and its unit in words."""
    matched = changes[changes[HAS_PREV]]
    unit = get_text("col.unit", lang)
    now, before = get_text("years.col.value", lang, year=year), get_text("years.col.value", lang, year=previous)
    change, change_unit = get_text("years.col.change", lang), get_text("years.col.change_unit", lang)
    out = pd.DataFrame({
        get_text("col.indicator", lang): list(matched[s.NAME]),
        get_text("col.period", lang): [get_text("empty", lang) if is_missing(p) else p for p in matched[s.PERIOD]],
        now: [_shown_value(v, t) for v, t in zip(matched[s.VALUE], matched[s.VALUE_TEXT], strict=True)],
        before: [_shown_value(v, t) for v, t in zip(matched[PREV_VALUE], matched[PREV_VALUE_TEXT], strict=True)],
        change: [None if is_missing(c) else c for c in matched[CHANGE]],
        change_unit: [format_change_unit(u, lang) if not is_missing(c) else "" for u, c in
                      zip(matched[s.UNIT], matched[CHANGE], strict=True)],
        unit: list(matched[s.UNIT]),
    })
    return with_formats(out, {now: Column(VALUE, None, unit_column=unit), before: Column(VALUE, None, unit_column=unit),
                              change: Column("number", None, signed=True), unit: Column(UNIT)})


def format_change_unit(unit: str, lang: str = "sv") -> str:
    """Return the unit a change is counted in, in words: "procentenheter" for %, else the unit itself."""
    difference_unit = get_difference_unit(unit)  # a change between two percentages is in percentage points
    if difference_unit != unit:
        return format_unit(difference_unit, lang)
    return get_text(f"years.unit.{unit}", lang) if unit in ("antal", "placering") else unit


def format_indicator_change_caption(changes: pd.DataFrame, year: int, previous: int, lang: str = "sv") -> str:
    """Return how many of a goal's indicators of ``year`` are also in ``previous`` with the same period."""
    return get_text("years.goals.caption", lang, n=int(changes[HAS_PREV].sum()), total=len(changes),
                    year=year, previous=previous)


def calc_statement_years(df: pd.DataFrame, table: str, lang: str = "sv") -> pd.DataFrame:
    """Return every report year's rows of an economy table: year, label (varav rows as "↳ varav …"), row_kind, budget,
    outcome, deviation (tkr), years ascending, each in report order."""
    out = df.sort_values([s.YEAR, s.POSITION], kind="stable")
    labels = [format_row_label(lbl, kind, lang) for lbl, kind in zip(out[LABEL_COLUMN[table]], out[s.ROW_KIND],
                                                                       strict=True)]
    return pd.DataFrame({s.YEAR: [int(y) for y in out[s.YEAR]], LABEL: labels,
                         s.ROW_KIND: list(out[s.ROW_KIND]), s.BUDGET: list(out[s.BUDGET]),
                         s.OUTCOME: list(out[s.OUTCOME]), s.DEVIATION: list(out[s.DEVIATION])})


def get_year_totals(years: pd.DataFrame) -> pd.DataFrame:
    """Return each year's printed sum row (year, label, budget, outcome, deviation in tkr); years without one are left
    out."""
    rows = [calc.get_summa_row(df) for _, df in years.groupby(s.YEAR, sort=True)]
    return pd.DataFrame([r for r in rows if r is not None], columns=years.columns).reset_index(drop=True)


def get_years_chart_frame(years: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return label (the year), measure, amount (tkr) and amount_label per year for charts.budget_outcome_chart."""
    totals = get_year_totals(years)
    measures = (get_text("years.measure.budget", lang), get_text("years.measure.outcome", lang))
    return get_measure_frame((str(y) for y in totals[s.YEAR]), totals[s.BUDGET], totals[s.OUTCOME], measures,
                             get_text("years.col.year", lang), lang)


def get_years_total_data(years: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return each year's sum row as a typed view table: År, Rad, Budget, Utfall, Avvikelse (tkr, numbers)."""
    totals = get_year_totals(years)
    year, budget, outcome, deviation = (get_text(k, lang) for k in ("years.col.year", "years.measure.budget",
                                                                    "years.measure.outcome", "years.col.deviation"))
    out = pd.DataFrame({year: [int(y) for y in totals[s.YEAR]], get_text("economy.col.row", lang): list(totals[LABEL]),
                        budget: [int(v) for v in totals[s.BUDGET]], outcome: [int(v) for v in totals[s.OUTCOME]],
                        deviation: [int(v) for v in totals[s.DEVIATION]]})
    return with_formats(out, {year: Column(YEAR), budget: Column(TKR), outcome: Column(TKR),
                              deviation: Column(TKR, signed=True)})


def get_years_line_data(years: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return every line's budget and outcome per year as a typed view table: Rad, then Budget and Utfall of each year
    (tkr); a line missing in a year is empty there. Lines in the latest year's order, then older-only lines."""
    by_year = list(years.groupby(s.YEAR, sort=True))
    order = list(dict.fromkeys(label for _, df in reversed(by_year) for label in df[LABEL]))
    out = {get_text("economy.col.row", lang): order}
    formats = {}
    for year, df in by_year:
        by_label = {lbl: (b, o) for lbl, b, o in zip(df[LABEL], df[s.BUDGET], df[s.OUTCOME], strict=True)}
        for i, key in ((0, "economy.col.budget"), (1, "economy.col.outcome")):
            header = get_text(key, lang, year=int(year))
            out[header] = [None if lbl not in by_label or is_missing(by_label[lbl][i]) else int(by_label[lbl][i])
                           for lbl in order]
            formats[header] = Column(TKR)
    return with_formats(pd.DataFrame(out), formats)


def format_years_caption(years: pd.DataFrame, lang: str = "sv") -> str:
    """Return one sentence on the sum row's outcome in the first and the last year: "Utfallet var −104 869 tkr 2020
    och −105 000 tkr 2021."""
    totals, loc = get_year_totals(years), get_locale(lang)
    if totals.empty:
        return ""
    first, last = totals.iloc[0], totals.iloc[-1]
    return get_text("years.economy.caption", lang, line=last[LABEL], first_year=int(first[s.YEAR]),
                    first=format_tkr(first[s.OUTCOME], loc), last_year=int(last[s.YEAR]),
                    last=format_tkr(last[s.OUTCOME], loc), n=len(totals))


def format_years_alt(years: pd.DataFrame, statement: str, lang: str = "sv") -> str:
    """Return the text alternative of the budget-and-outcome-by-year chart, every year's two amounts in words."""
    totals, loc = get_year_totals(years), get_locale(lang)
    points = "; ".join(get_text("years.economy.alt.point", lang, year=int(r[s.YEAR]), budget=format_tkr(r[s.BUDGET], loc),
                                outcome=format_tkr(r[s.OUTCOME], loc)) for _, r in totals.iterrows())
    return get_text("years.economy.alt", lang, statement=statement, points=points)


def get_result_change(operating: pd.DataFrame, year: int, previous: int | None, lang: str = "sv") -> dict[str, str]:
    """Return the net result (sum row's outcome, tkr) of ``year`` against ``previous``: value, delta and a sentence;
    empty when either year has no sum row or there is no previous year."""
    if previous is None:
        return {}
    now = calc.get_summa_row(operating[operating[s.YEAR] == year])
    before = calc.get_summa_row(operating[operating[s.YEAR] == previous])
    if now is None or before is None:
        return {}
    loc = get_locale(lang)
    change = now[s.OUTCOME] - before[s.OUTCOME]
    key = "better" if change > 0 else "worse" if change < 0 else "equal"
    return {"label": get_text("years.overview.label", lang, previous=previous),
            "value": format_tkr(before[s.OUTCOME], loc), "delta": format_tkr(change, loc, signed=True),
            "sentence": get_text(f"years.overview.{key}", lang, year=year, previous=previous,
                                 amount=format_tkr(abs(change), loc), before=format_tkr(before[s.OUTCOME], loc))}
