"""Mål och styrtal's views (pages/1_mal.py): the goals with their status, one goal's indicators as a table, target
charts and sentences, the rule behind a computed status, and where the report contradicts itself.

Pure functions (no Streamlit) over the goals and indicators with ks_data.calc's statuses, so every caption and table the
page shows is unit-tested. Column headers and words come from ks_data.texts; numbers from ks_data.fmt.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import format_unit, format_value, get_difference_unit, get_locale
from ks_data.markup import escape_markdown, format_badges
from ks_data.texts import get_text
from ks_data.values import is_missing
from ks_data.views.common import format_status
from ks_data.viewtable import UNIT, VALUE, Column, with_formats


def format_target(op, target, high, unit: str, lang: str = "sv") -> str:
    """Return a target in words: "minst 96 %", "mellan 1 och 10", "exakt 21 %"; '–' without target."""
    if is_missing(op) or is_missing(target):
        return get_text("empty", lang)
    loc = get_locale(lang)
    return get_text(f"op.{op}", lang, target=format_value(target, unit, loc),
                    high=format_value(high, unit, loc) if not is_missing(high) else "")


def get_goal_overview(goal_statuses: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the goal list for display: Mål, Rubrik, Rapportens bedömning, Status från styrtalen (symbol + word)."""
    return pd.DataFrame({
        get_text("col.goal", lang): goal_statuses[s.GOAL_ID],
        get_text("col.title", lang): goal_statuses[s.TITLE],
        get_text("col.assessment", lang): [format_status(a, lang) for a in goal_statuses[s.ASSESSMENT]],
        get_text("col.computed", lang): [format_status(c, lang) for c in goal_statuses[calc.COMPUTED_STATUS]],
    })


class GoalCard(NamedTuple):
    """One goal's card in the goal list: the button's Markdown label and the goal it opens."""

    goal_id: str
    label: str


def get_goal_cards(goal_statuses: pd.DataFrame, lang: str = "sv") -> tuple[GoalCard, ...]:
    """Return the goal list's cards from calc_goal_statuses' rows (goal id, title, assessment, computed status): the
    goal's number in bold, its title and both statuses as badges ("Rapporten: ◐ Delvis uppfyllt")."""
    report, computed = get_text("goals.badge.report", lang), get_text("goals.badge.computed", lang)
    return tuple(
        GoalCard(goal_id, f"**{escape_markdown(goal_id)}** {escape_markdown(title)}  \n" + format_badges([
            (assessment, f"{report}: {format_status(assessment, lang)}"),
            (status, f"{computed}: {format_status(status, lang)}")]))
        for goal_id, title, assessment, status in zip(
            goal_statuses[s.GOAL_ID], goal_statuses[s.TITLE], goal_statuses[s.ASSESSMENT],
            goal_statuses[calc.COMPUTED_STATUS], strict=True))


def filter_goals(goal_statuses: pd.DataFrame, area: int | None, status: str | None) -> pd.DataFrame:
    """Return goals in ``area`` (None = all) whose report assessment is ``status`` ('none' = not stated; None = all)."""
    out = goal_statuses
    if area is not None:
        out = out[out[s.AREA] == area]
    if status == "none":
        out = out[out[s.ASSESSMENT].isna()]
    elif status is not None:
        out = out[out[s.ASSESSMENT] == status]
    return out


def format_names(names, lang: str = "sv") -> str:
    """Return names as a list in words: "A", "A och B", "A, B och C" ("and" in English)."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {get_text('list.and', lang)} {names[-1]}"


def get_rule_text(goal: pd.Series, lang: str = "sv") -> str:
    """Return the sentences that say which rule produced a goal's computed status, which indicators the report judges
    in words (with its sentence) and, when the status rests on part of the goal's figures, which part."""
    n = int(goal[calc.N_MET] + goal[calc.N_NEAR] + goal[calc.N_MISSED])
    by_text = int(goal.get(calc.N_BY_TEXT, 0) or 0)
    key = f"rule.{goal[calc.RULE]}" + (".with_text" if by_text else "")
    parts = [get_text(key, lang, n=n, met=int(goal[calc.N_MET]), near=int(goal[calc.N_NEAR]), k=by_text)]
    verdicts = goal.get(calc.TEXT_VERDICTS, ())
    for text, names in verdicts if isinstance(verdicts, tuple) else ():
        parts.append(get_text("rule.by_text.one" if len(names) == 1 else "rule.by_text.many", lang,
                              names=format_names(names, lang), text=text))
    total = int(goal.get(calc.N_INDICATORS, 0) or 0)
    if 0 < n < total:
        parts.append(get_text("rule.part", lang, n=n, total=total, rest=total - n))
    return " ".join(parts)


def get_indicator_data(indicators: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return indicators with status as a typed view table: Styrtal, Mätvärde, Enhet (exported, not shown: the shown
    value carries it), Målvärde, Avstånd till målet, its unit (procentenheter for a share; exported, not shown),
    Status, Riktning, Period, Anmärkning.

    Measured values and gaps stay numbers in their unit; a value the report gives only in words stays text.
    """
    measured, unit, gap = get_text("col.measured", lang), get_text("col.unit", lang), get_text("col.gap", lang)
    gap_unit = get_text("col.gap_unit", lang)
    rows = []
    for _, r in indicators.iterrows():
        value = r[s.VALUE_TEXT] if is_missing(r[s.VALUE]) and not is_missing(r[s.VALUE_TEXT]) else \
            (None if is_missing(r[s.VALUE]) else float(r[s.VALUE]))
        by_text = r.get(calc.STATUS_BASIS) == calc.BY_TEXT
        status = format_status(r[calc.STATUS], lang, "ind")
        note = r[s.NOTE] if not is_missing(r[s.NOTE]) else ""
        if by_text:
            status = get_text("ind.by_text", lang, status=status)
            verdict = get_text("ind.verdict_note", lang, text=r[s.VERDICT_TEXT])
            note = f"{note} {verdict}".strip()
        rows.append({
            get_text("col.indicator", lang): r[s.NAME],
            measured: value,
            unit: r[s.UNIT],
            get_text("col.target", lang): format_target(r[s.TARGET_OP], r[s.TARGET], r[s.TARGET_HIGH], r[s.UNIT], lang),
            gap: None if is_missing(r[calc.GAP]) else float(r[calc.GAP]),
            gap_unit: get_difference_unit(r[s.UNIT]),
            get_text("col.status", lang): status,
            get_text("col.direction", lang): get_text(f"dir.{r[s.DIRECTION]}", lang)
            if not is_missing(r[s.DIRECTION]) else get_text("empty", lang),
            get_text("col.period", lang): r[s.PERIOD] if not is_missing(r[s.PERIOD]) else get_text("empty", lang),
            get_text("col.note", lang): note,
        })
    out = pd.DataFrame(rows, columns=[get_text(k, lang) for k in (
        "col.indicator", "col.measured", "col.unit", "col.target", "col.gap", "col.gap_unit", "col.status",
        "col.direction", "col.period", "col.note")])
    return with_formats(out, {measured: Column(VALUE, None, unit_column=unit), unit: Column(UNIT),
                              gap: Column(VALUE, None, missing=get_text("empty", lang), unit_column=gap_unit),
                              gap_unit: Column(UNIT)})


def get_target_chart_frame(indicators: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the indicators that have a measured value and a target, with the labels charts.target_chart needs."""
    loc = get_locale(lang)
    # A verdict in the report's words has no value or target to draw.
    sel = indicators[indicators[calc.STATUS].isin([calc.MET, calc.NEAR, calc.MISSED])
                     & (indicators.get(calc.STATUS_BASIS, calc.BY_TARGET) != calc.BY_TEXT)].copy()
    sel["value_label"] = [format_value(v, u, loc) for v, u in zip(sel[s.VALUE], sel[s.UNIT], strict=True)]
    sel["target_label"] = [format_target(o, t, h, u, lang) for o, t, h, u in
                           zip(sel[s.TARGET_OP], sel[s.TARGET], sel[s.TARGET_HIGH], sel[s.UNIT], strict=True)]
    sel["status_label"] = [format_status(st, lang, "ind") for st in sel[calc.STATUS]]
    sel["unit_label"] = [get_text("unit.percent", lang) if u == "%" else format_unit(u, lang) for u in sel[s.UNIT]]
    sel["chart_subtitle"] = [
        f"{get_text('legend.target', lang)}: {t} · {get_text(f'dir.{d}', lang)} · {st}"
        for t, d, st in zip(sel["target_label"], sel[s.DIRECTION], sel["status_label"], strict=True)]
    for key, col in (("tt_name", "col.indicator"), ("tt_value", "col.measured"), ("tt_target", "col.target"),
                     ("tt_status", "col.status")):
        sel[key] = get_text(col, lang)
    return sel


def get_target_rows(targeted: pd.DataFrame, lang: str = "sv") -> list[tuple[pd.DataFrame, str]]:
    """Return each indicator of a get_target_chart_frame frame as a one-row frame (for charts.target_row_chart) with
    its caption (get_indicator_caption), in the frame's order."""
    return [(targeted.iloc[[i]], get_indicator_caption(r, lang)) for i, (_, r) in enumerate(targeted.iterrows())]


def get_indicator_caption(r: pd.Series, lang: str = "sv") -> str:
    """Return one sentence on an indicator against its target, generated from the data."""
    loc = get_locale(lang)
    return get_text(f"caption.indicator.{r[calc.STATUS]}", lang, name=r[s.NAME],
                    value=format_value(r[s.VALUE], r[s.UNIT], loc),
                    target=format_target(r[s.TARGET_OP], r[s.TARGET], r[s.TARGET_HIGH], r[s.UNIT], lang),
                    gap=format_value(r[calc.GAP], get_difference_unit(r[s.UNIT]), loc)
                    if not is_missing(r[calc.GAP]) else "")


def get_indicator_conflicts(indicators: pd.DataFrame, lang: str = "sv") -> list[dict[str, str]]:
    """Return, for each indicator the report contradicts elsewhere (conflict_text), both sides to show side by side:
    'figures_title' and 'figures' (the indicator's values in every period, "2018: 20 % · 2020: 21 %"), 'text_title'
    (where the other sentence stands) and 'text' (that sentence, as printed)."""
    if s.CONFLICT_TEXT not in indicators:
        return []
    loc = get_locale(lang)
    out = []
    for _, r in indicators[indicators[s.CONFLICT_TEXT].notna()].iterrows():
        same = indicators[(indicators[s.GOAL_ID] == r[s.GOAL_ID]) & (indicators[s.NAME] == r[s.NAME])]
        values = [(str(p) if not is_missing(p) else "", format_value(v, u, loc) if not is_missing(v) else str(vt))
                  for p, v, vt, u in zip(same[s.PERIOD], same[s.VALUE], same[s.VALUE_TEXT], same[s.UNIT], strict=True)]
        figures = " · ".join(f"{p}: {v}" if p else v for p, v in sorted(values))
        out.append({
            "figures_title": get_text("conflict.figures", lang, name=r[s.NAME]),
            "figures": figures,
            "text_title": get_text("conflict.text", lang, where=r[s.CONFLICT_WHERE])
            if not is_missing(r[s.CONFLICT_WHERE]) else get_text("conflict.text.nowhere", lang),
            "text": r[s.CONFLICT_TEXT],
        })
    return out


def get_goal_caption(goal: pd.Series, lang: str = "sv") -> str:
    """Return one sentence on how many of a goal's targeted indicators are met."""
    n = int(goal[calc.N_MET] + goal[calc.N_NEAR] + goal[calc.N_MISSED])
    return get_text("caption.goal", lang, met=int(goal[calc.N_MET]), n=n)


def get_areas(goals: pd.DataFrame) -> list[int]:
    """Return the goal areas present, in order."""
    return sorted(int(a) for a in goals[s.AREA].unique())


def get_goal(goal_statuses: pd.DataFrame, goal_id: str) -> pd.Series:
    """Return one goal's row by id."""
    return goal_statuses[goal_statuses[s.GOAL_ID] == goal_id].iloc[0]


def get_goal_indicators(indicators: pd.DataFrame, goal_id: str) -> pd.DataFrame:
    """Return a goal's indicators in report order."""
    return indicators[indicators[s.GOAL_ID] == goal_id].sort_values(s.POSITION)


def get_with_target(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the indicators a goal's status rests on: with a target, or judged in the report's words (status other
    than no_target)."""
    return indicators[indicators[calc.STATUS] != calc.NO_TARGET]


def get_without_target(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the figures without a target (context figures and qualitative ones)."""
    return indicators[indicators[calc.STATUS] == calc.NO_TARGET]

