"""Ekonomi's "Från budget till utfall": the steps from the budgeted to the actual net cost, one per verksamhet plus the
report's rounding, as a chart frame, its table twin, its two ends and its caption (the page and the PDF).

Amounts are tkr as printed; the steps themselves are calc.calc_waterfall's.
"""

from __future__ import annotations

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import format_tkr, get_locale
from ks_data.statements import AMOUNT_LABEL, LABEL
from ks_data.texts import get_text
from ks_data.views.economy import KIND_LABEL, get_sign_domain, get_sign_label
from ks_data.viewtable import TKR, Column, with_formats


def get_waterfall_frame(rows: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return calc.calc_waterfall's steps (tkr) with label, kind_label and amount_label for charts.waterfall_chart."""
    loc = get_locale(lang)
    steps = calc.calc_waterfall(rows).reset_index(drop=True)
    labels, kinds, amounts = [], [], []
    for _, r in steps.iterrows():
        kind = r[calc.STEP_KIND]
        if kind in ("start", "end"):
            labels.append(get_text(f"economy.step.{r[calc.STEP]}", lang))
            kinds.append(get_text("economy.kind.total", lang))
            amounts.append(format_tkr(r[calc.END], loc))
            continue
        labels.append(get_text("economy.step.rounding", lang) if kind == "rounding" else r[calc.STEP])
        kinds.append(get_text("economy.kind.rounding", lang) if kind == "rounding"
                     else get_sign_label(s.NET_COSTS, r[s.DEVIATION], lang))
        amounts.append(format_tkr(r[s.DEVIATION], loc, signed=True))
    steps[LABEL], steps[KIND_LABEL], steps[AMOUNT_LABEL] = labels, kinds, amounts
    for column in (calc.START, calc.END, s.DEVIATION):
        steps[column] = steps[column].astype(float)
    steps.attrs = {
        "kind_domain": [get_text("economy.kind.total", lang), *get_sign_domain(s.NET_COSTS, lang),
                        get_text("economy.kind.rounding", lang)],
        "x_title": get_text("economy.axis.waterfall", lang),
        "tt_label": get_text("economy.tt.step", lang), "tt_amount": get_text("economy.tt.amount", lang),
    }
    return steps


def get_waterfall_data(waterfall: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the waterfall's table twin as a typed view table: step, change (tkr; the level for the first and last
    step) and net cost after the step (tkr)."""
    change, level = get_text("economy.col.change", lang), get_text("economy.col.level", lang)
    ends = waterfall[calc.STEP_KIND].isin(["start", "end"])
    out = pd.DataFrame({
        get_text("economy.col.step", lang): list(waterfall[LABEL]),
        change: [float(e) if end else float(d) for e, d, end in
                 zip(waterfall[calc.END], waterfall[s.DEVIATION], ends, strict=True)],
        level: [float(v) for v in waterfall[calc.END]],
    })
    return with_formats(out, {change: Column(TKR, signed=True), level: Column(TKR)})


def get_waterfall_ends(waterfall: pd.DataFrame, lang: str = "sv") -> dict[str, str]:
    """Return the waterfall's first and last level (budgeted and actual net cost, tkr) as 'budget' and 'outcome'."""
    loc = get_locale(lang)
    ends = {}
    for kind, name in (("start", "budget"), ("end", "outcome")):
        level = waterfall.loc[waterfall[calc.STEP_KIND] == kind, calc.END]
        ends[name] = format_tkr(level.iloc[0], loc) if len(level) else get_text("empty", lang)
    return ends


def get_waterfall_caption(waterfall: pd.DataFrame, lang: str = "sv") -> str:
    """Return one sentence on the waterfall: from budget to outcome, the largest unit step and the rounding step."""
    loc = get_locale(lang)
    if waterfall.empty:
        return get_text("economy.caption.no_total", lang)
    start = waterfall[waterfall[calc.STEP_KIND] == "start"].iloc[0]
    end = waterfall[waterfall[calc.STEP_KIND] == "end"].iloc[0]
    units = waterfall[waterfall[calc.STEP_KIND] == "unit"]
    rounding = waterfall[waterfall[calc.STEP_KIND] == "rounding"]
    rounding_text = get_text("economy.caption.waterfall.rounding", lang,
                             value=format_tkr(rounding[s.DEVIATION].iloc[0], loc, signed=True)) \
        if len(rounding) else ""
    if units.empty:
        return get_text("economy.caption.waterfall.no_units", lang, budget=format_tkr(start[calc.END], loc),
                        outcome=format_tkr(end[calc.END], loc), rounding=rounding_text)
    largest = units.loc[units[s.DEVIATION].abs().idxmax()]
    return get_text("economy.caption.waterfall", lang, budget=format_tkr(start[calc.END], loc),
                    outcome=format_tkr(end[calc.END], loc), name=largest[LABEL],
                    value=format_tkr(largest[s.DEVIATION], loc, signed=True), rounding=rounding_text)


