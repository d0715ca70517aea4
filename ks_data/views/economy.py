"""Ekonomi page views: the three economy statements as labelled frames, formatted tables and sentences.

Pure functions (no Streamlit) over the loaded economy tables and ks_data.calc's derived figures, so every
caption, chart frame and table the page shows is unit-tested. Amounts are tkr as printed; a deviation follows
its table's sign convention (operating, net_costs: outcome − budget; investments: budget − outcome; positive is
better / lower expenditure). Words come from ks_data.texts (keys ``economy.*``), numbers from ks_data.fmt.
"""

from __future__ import annotations

import math

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import format_percent, format_tkr, format_wrapped, get_locale
from ks_data.reconcile import (
    CHECK,
    COLUMN,
    COMPUTED,
    LABEL_COLUMN,
    PRINTED,
    ROW_LABEL,
    TABLE,
    calc_reconciliation,
    format_check,
    get_mismatches,
)
from ks_data.statements import (
    LABEL,
    format_row_label,
    get_measure_frame,
)
from ks_data.texts import get_text
from ks_data.values import is_missing
from ks_data.viewtable import PERCENT, TKR, Column, with_footnote, with_formats
from ks_data.years import get_latest_year

# URL value of each part of a statement's view; the page shows one part at a time below the key figures, so a statement
# switch redraws the key figures and one part, not every chart (docs/performance.md, "Stop 15").
PART_DEVIATIONS, PART_BUDGET, PART_RECONCILIATION = "avvikelser", "budget", "avstamning"
PARTS = (PART_DEVIATIONS, PART_BUDGET, PART_RECONCILIATION)
DEFAULT_PART = PART_DEVIATIONS
# Threshold sliders: (min, max, step, default), in tkr and in % of budget. Fixed bounds keep old links valid;
# 7 000 tkr reaches past the largest printed deviation (operating revenue, 6 094 tkr).
THRESHOLD_TKR = (0, 7000, 50, 500)
THRESHOLD_PCT = (0, 100, 1, 10)
PCT_DECIMALS = 1
BEYOND_SYMBOL = "◆"

# Columns added for display.
SHOWN = "shown_deviation"
VALUE_LABEL = "value_label"
SIGN_LABEL = "sign_label"
BEYOND_LABEL = "beyond_label"
BAR_TEXT = "bar_text"
TEXT_X = "text_x"
KIND_LABEL = "kind_label"


def format_part(part: str, lang: str = "sv") -> str:
    """Return a part's name for the part selector, e.g. 'Budget och utfall'."""
    return get_text(f"economy.part.{part}", lang)


def get_sign_text(table: str, lang: str = "sv") -> str:
    """Return the one sentence that explains ``table``'s deviation sign convention."""
    return get_text(f"economy.sign.{table}", lang)


def get_statement_rows(df: pd.DataFrame, table: str, threshold: float, use_pct: bool,
                       lang: str = "sv") -> pd.DataFrame:
    """Return the latest year's rows in report order with calc's columns, display 'label' and 'shown_deviation' (tkr or %)."""
    year = get_latest_year(df)
    latest = df[df[s.YEAR] == year].sort_values(s.POSITION)
    rows = calc.calc_economy_table(latest, table, threshold, use_pct).reset_index(drop=True)
    rows[LABEL] = [format_row_label(lbl, kind, lang) for lbl, kind in zip(rows[LABEL], rows[s.ROW_KIND])]
    rows[SHOWN] = rows[calc.DEVIATION_PCT] if use_pct else rows[s.DEVIATION].astype(float)
    return rows


def get_base_rows(df: pd.DataFrame, table: str, lang: str = "sv") -> pd.DataFrame:
    """Return get_statement_rows at no threshold, in tkr: the rows for what no threshold changes (key figures, budget
    chart, waterfall, captions on the result), so a page can draw those apart from the threshold's part."""
    return get_statement_rows(df, table, 0, False, lang)


def get_file_stem(statement: str, year, use_pct: bool = False) -> str:
    """Return the start of a statement's download file names: 'ekonomi-drift-2020', with '-procent' for a view in %."""
    return f"ekonomi-{statement}-{year}" + ("-procent" if use_pct else "")


def format_threshold(threshold: float, use_pct: bool, lang: str = "sv") -> str:
    """Return the threshold with its unit: '500 tkr' or '10 %'."""
    return format_percent(threshold, 0, get_locale(lang)) if use_pct else format_tkr(threshold, get_locale(lang))


def format_deviation(value, use_pct: bool, lang: str = "sv", budget=None, signed: bool = True) -> str:
    """Return a deviation in tkr or % of budget, signed: '+1 721 tkr', '−0,9 %', '– (ingen budget)' for a zero budget."""
    loc = get_locale(lang)
    if use_pct:
        if is_missing(value) and budget == 0:
            return get_text("economy.no_budget", lang)
        return format_percent(value, PCT_DECIMALS, loc, signed=signed)
    return format_tkr(value, loc, signed=signed)


def format_beyond(row: pd.Series, lang: str = "sv") -> str:
    """Return the table's 'over the threshold' cell: '◆ över gränsen', 'inom gränsen' or, for a sum row, why not."""
    if row[s.ROW_KIND] == "summa":
        return get_text("economy.beyond.sum", lang)
    return get_text("economy.beyond.yes" if row[calc.BEYOND] else "economy.beyond.no", lang)


def get_sign_label(table: str, value, lang: str = "sv") -> str:
    """Return what a deviation of ``value`` means in ``table`` ("Bättre än budget" or "Sämre än budget")."""
    positive = is_missing(value) or value >= 0
    return get_text(f"economy.sign_label.{table}.{'pos' if positive else 'neg'}", lang)


def get_sign_domain(table: str, lang: str = "sv") -> list[str]:
    """Return the two legend entries of the deviation chart: positive first, then negative."""
    return [get_text(f"economy.sign_label.{table}.pos", lang), get_text(f"economy.sign_label.{table}.neg", lang)]


def get_total_row(rows: pd.DataFrame) -> pd.Series | None:
    """Return the printed sum row (tkr) of a statement's rows, or None."""
    return calc.get_summa_row(rows)


def get_key_figures(rows: pd.DataFrame, table: str, lang: str = "sv") -> list[dict[str, str]]:
    """Return metric cards (label, value, delta, colour, arrow, help) for the sum row's budget, outcome, deviation (tkr)."""
    total = get_total_row(rows)
    if total is None:
        return []
    loc, year = get_locale(lang), get_latest_year(rows)
    dev, pct = total[s.DEVIATION], total[calc.DEVIATION_PCT]
    direction = "pos" if dev > 0 else "neg" if dev < 0 else "zero"
    neutral = table == s.INVESTMENTS  # lower investment spending is not simply good or bad
    cards = [
        {"label": get_text("economy.key.budget", lang, year=year), "value": format_tkr(total[s.BUDGET], loc),
         "help": get_text("economy.key.help.budget", lang, line=total[LABEL])},
        {"label": get_text("economy.key.outcome", lang, year=year), "value": format_tkr(total[s.OUTCOME], loc),
         "help": get_text("economy.key.help.outcome", lang, line=total[LABEL])},
        {"label": get_text("economy.key.deviation", lang, year=year), "value": format_tkr(dev, loc, signed=True),
         "delta": get_text(f"economy.key.delta.{table}.{direction}", lang,
                           pct=format_percent(abs(pct), PCT_DECIMALS, loc)),
         "delta_color": "gray" if neutral or direction == "zero" else "green" if direction == "pos" else "red",
         "delta_arrow": "off" if direction == "zero" else "up" if direction == "pos" else "down",
         "help": get_sign_text(table, lang)},
    ]
    if s.OUTCOME_PREV in rows and not is_missing(total[s.OUTCOME_PREV]):
        cards.append({"label": get_text("economy.key.outcome_prev", lang, year=year - 1),
                      "value": format_tkr(total[s.OUTCOME_PREV], loc),
                      "help": get_text("economy.key.help.outcome_prev", lang)})
    return cards


# The budget chart names its rows on an axis of charts.LABEL_LIMIT px: a long name breaks onto up to three lines of this
# many characters, which a row's two bars have the height for, instead of being cut to "↳ varav politik, stöd- och…".
ROW_LABEL_WIDTH, ROW_LABEL_LINES = 42, 3
# A phone's budget chart: names of this many characters a line leave the bars half of a 360-px screen; a line of the
# 16-px names is NARROW_LINE_PX high, and a bar with its gap at least NARROW_BAR_STEP.
NARROW_LABEL_CHARS, NARROW_LINE_PX, NARROW_BAR_STEP = 20, 15, 22


def get_budget_outcome_frame(rows: pd.DataFrame, lang: str = "sv", width: int = ROW_LABEL_WIDTH,
                             lines: int = ROW_LABEL_LINES) -> pd.DataFrame:
    """Return label (broken onto at most ``lines`` lines of ``width`` characters), measure, amount (tkr) and
    amount_label per row and measure for charts.budget_outcome_chart."""
    year = get_latest_year(rows)
    measures = tuple(get_text(key, lang, year=year) for key in ("economy.measure.budget", "economy.measure.outcome"))
    labels = [format_wrapped(label, width, lines) for label in rows[LABEL]]
    return get_measure_frame(labels, rows[s.BUDGET], rows[s.OUTCOME], measures, get_text("economy.tt.row", lang), lang)


def get_narrow_budget_outcome_frame(rows: pd.DataFrame, lang: str = "sv") -> tuple[pd.DataFrame, int]:
    """Return the budget chart's frame for a phone, each label broken onto lines of NARROW_LABEL_CHARS (never cut),
    and the height in px of each of its bars with their gap, so a row's two bars give its longest name room."""
    frame = get_budget_outcome_frame(rows, lang, NARROW_LABEL_CHARS, NARROW_NAME_LINES)
    lines = max((label.count("\n") + 1 for label in frame[LABEL]), default=1)
    return frame, max(NARROW_BAR_STEP, math.ceil(lines * NARROW_LINE_PX / 2) + 4)


def get_budget_outcome_data(rows: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """Return the budget chart's table twin as a typed view table: row, budget and outcome (tkr, numbers)."""
    year = get_latest_year(rows)
    budget, outcome = get_text("economy.col.budget", lang, year=year), get_text("economy.col.outcome", lang, year=year)
    out = pd.DataFrame({
        get_text("economy.col.row", lang): list(rows[LABEL]),
        budget: [int(v) for v in rows[s.BUDGET]],
        outcome: [int(v) for v in rows[s.OUTCOME]],
    })
    return with_formats(out, {budget: Column(TKR), outcome: Column(TKR)})


# On a phone the deviation chart's names stand above their bars broken onto lines of this many characters (at most
# this many lines): on one line the longest ("↳ varav …") were cut with "…".
NARROW_NAME_CHARS, NARROW_NAME_LINES = 30, 8


def get_deviation_frame(rows: pd.DataFrame, table: str, use_pct: bool, lang: str = "sv") -> pd.DataFrame:
    """Return label, shown_deviation (tkr or %), value/sign/beyond labels, bar_text and text_x for charts.deviation_chart."""
    out = rows[[LABEL, s.ROW_KIND, s.BUDGET, SHOWN, calc.BEYOND]].copy()
    out[VALUE_LABEL] = [format_deviation(v, use_pct, lang, b) for v, b in zip(out[SHOWN], out[s.BUDGET])]
    out[SIGN_LABEL] = [get_sign_label(table, v, lang) for v in out[SHOWN]]
    out[BEYOND_LABEL] = [format_beyond(r, lang) for _, r in rows.iterrows()]
    mark = get_text("economy.beyond.yes", lang)
    out[BAR_TEXT] = [f"{v}  {mark}" if b else v for v, b in zip(out[VALUE_LABEL], out[calc.BEYOND])]
    out[TEXT_X] = out[SHOWN].fillna(0.0)
    out.attrs = {
        "x_title": get_text("economy.axis.pct" if use_pct else "economy.axis.tkr", lang),
        "sign_domain": get_sign_domain(table, lang),
        "tt_label": get_text("economy.tt.row", lang), "tt_value": get_text("economy.tt.deviation", lang),
        "tt_beyond": get_text("economy.tt.beyond", lang),
    }
    return out


def get_narrow_deviation_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int] | None:
    """Return get_deviation_frame's ``frame`` with each label broken onto lines of NARROW_NAME_CHARS for a phone, and
    the most lines a name then takes (its marker's line included); None where every name fits on one line there."""
    labels = [format_wrapped(label, NARROW_NAME_CHARS, NARROW_NAME_LINES) for label in frame[LABEL]]
    lines = [label.count("\n") + 1 + bool(beyond) for label, beyond in zip(labels, frame[calc.BEYOND], strict=True)]
    if all(label == str(name) for label, name in zip(labels, frame[LABEL], strict=True)):
        return None
    narrow = frame.assign(**{LABEL: labels})
    narrow.attrs = dict(frame.attrs)
    return narrow, max(lines)


def _deviation_column(use_pct: bool, lang: str) -> Column:
    if use_pct:
        return Column(PERCENT, PCT_DECIMALS, signed=True, missing=get_text("economy.no_budget", lang))
    return Column(TKR, signed=True)


def _deviation_header(use_pct: bool, year, lang: str) -> str:
    return get_text("economy.col.deviation_pct" if use_pct else "economy.col.deviation_tkr", lang, year=year)


def get_statement_data(rows: pd.DataFrame, table: str, threshold: float, use_pct: bool,
                       lang: str = "sv") -> pd.DataFrame:
    """Return the statement as a typed view table: row, budget, outcome (tkr), deviation (tkr or %), last year (tkr)
    and beyond; amounts are numbers, formatted by viewtable for the screen and kept as numbers in the downloads.

    The report's footnote on last year's outcome marks the whole column ("Utfall 2019*"), so it goes with the table
    into every download (get_prev_year_note)."""
    year = get_latest_year(rows)
    budget, outcome = get_text("economy.col.budget", lang, year=year), get_text("economy.col.outcome", lang, year=year)
    deviation = _deviation_header(use_pct, year, lang)
    out = {
        get_text(f"economy.col.row.{table}", lang): list(rows[LABEL]),
        budget: [int(v) for v in rows[s.BUDGET]],
        outcome: [int(v) for v in rows[s.OUTCOME]],
        deviation: [float(v) for v in rows[SHOWN]],
    }
    formats = {budget: Column(TKR), outcome: Column(TKR), deviation: _deviation_column(use_pct, lang)}
    if s.OUTCOME_PREV in rows and rows[s.OUTCOME_PREV].notna().any():
        prev = get_text("economy.col.outcome_prev", lang, year=year - 1)
        out[prev] = [None if is_missing(v) else int(v) for v in rows[s.OUTCOME_PREV]]
        formats[prev] = Column(TKR)
    out[get_text("economy.col.beyond", lang, threshold=format_threshold(threshold, use_pct, lang))] = [
        format_beyond(r, lang) for _, r in rows.iterrows()]
    table_data = with_formats(pd.DataFrame(out), formats)
    note = get_prev_year_note(rows, lang)
    return with_footnote(table_data, note) if note else table_data


def get_prev_year_note(rows: pd.DataFrame, lang: str = "sv") -> str | None:
    """Return the footnote on last year's outcome ('* Mellan åren 2019 och 2020 …') from the rows' note, or None."""
    if s.OUTCOME_PREV not in rows or s.NOTE not in rows or rows[s.OUTCOME_PREV].isna().all():
        return None
    notes = [n for n in rows[s.NOTE] if not is_missing(n) and str(n).strip()]
    if not notes:
        return None
    return get_text("economy.prev_note", lang, note=" ".join(notes))


def get_conflicts(rows: pd.DataFrame, table: str, lang: str = "sv") -> list[dict[str, str]]:
    """Return, for each row the report's text contradicts (conflict_text), both sides to show side by side:
    'figures_title' and 'figures' (the row's printed deviation and its varav rows' deviations, one a line:
    "Kommunledningskontor: avvikelse −837 tkr"), 'text_title' (where the sentence stands) and 'text' (the sentence,
    as printed)."""
    if s.CONFLICT_TEXT not in rows:
        return []
    loc = get_locale(lang)

    def line(r) -> str:
        return get_text("economy.conflict.row", lang, label=r[LABEL], deviation=format_tkr(r[s.DEVIATION], loc, signed=True))

    def parts(r) -> list[str]:
        # The parts the table prints under the row, so the reader sees every figure the text could mean.
        if s.PARENT not in rows:
            return []
        return [line(p) for _, p in rows[(rows[s.PARENT] == r[LABEL_COLUMN[table]]) & (rows[s.ROW_KIND] == "varav")].iterrows()]

    return [{
        "figures_title": get_text(f"economy.conflict.figures.{table}", lang),
        "figures": "\n".join([line(r), *parts(r)]),
        "text_title": get_text("conflict.text", lang, where=r[s.CONFLICT_WHERE])
        if not is_missing(r[s.CONFLICT_WHERE]) else get_text("conflict.text.nowhere", lang),
        "text": r[s.CONFLICT_TEXT],
    } for _, r in rows[rows[s.CONFLICT_TEXT].notna()].iterrows()]


def get_result_caption(rows: pd.DataFrame, table: str, lang: str = "sv") -> str:
    """Return one sentence on the sum row: 'Utfallet blev 677 tkr bättre än budget: −104 869 tkr mot −105 546 tkr.'"""
    total = get_total_row(rows)
    if total is None:
        return get_text("economy.caption.no_total", lang)
    loc, dev = get_locale(lang), total[s.DEVIATION]
    direction = "pos" if dev > 0 else "neg" if dev < 0 else "zero"
    return get_text(f"economy.caption.result.{table}.{direction}", lang, amount=format_tkr(abs(dev), loc),
                    outcome=format_tkr(total[s.OUTCOME], loc), budget=format_tkr(total[s.BUDGET], loc))


def get_deviation_caption(rows: pd.DataFrame, table: str, threshold: float, use_pct: bool, lang: str = "sv") -> str:
    """Return one sentence: rows beyond the threshold and the largest positive (else negative) deviation (tkr or %)."""
    posts = rows[rows[s.ROW_KIND] == "post"]
    parts = rows[rows[s.ROW_KIND] == "varav"]
    limit = format_threshold(threshold, use_pct, lang)
    varav = get_text("economy.caption.beyond.varav", lang, n=int(parts[calc.BEYOND].sum()), total=len(parts)) \
        if len(parts) else ""
    beyond = get_text("economy.caption.beyond", lang, n=int(posts[calc.BEYOND].sum()), total=len(posts),
                      noun=get_text(f"economy.noun.{table}", lang), varav=varav, threshold=limit)
    values = posts[SHOWN].dropna()
    if values.empty:
        return get_text("economy.caption.deviation.none", lang, beyond=beyond)
    key = "pos" if values.max() > 0 else "neg" if values.min() < 0 else "zero"
    if key == "zero":
        return get_text("economy.caption.deviation.zero", lang, beyond=beyond)
    idx = values.idxmax() if key == "pos" else values.idxmin()
    return get_text(f"economy.caption.deviation.{key}", lang, beyond=beyond, name=posts.loc[idx, LABEL],
                    value=format_deviation(values[idx], use_pct, lang, signed=False))


def get_mismatch_lines(frames: dict[str, pd.DataFrame], table: str, lang: str = "sv") -> list[str]:
    """Return one Swedish sentence per printed figure (tkr) of ``table`` that differs from the one computed from its parts."""
    loc = get_locale(lang)
    year = get_latest_year(frames[table])
    mismatches = get_mismatches(calc_reconciliation(frames))
    mine = mismatches[(mismatches[TABLE] == table) & (mismatches[s.YEAR] == year)]
    df = frames[table]
    varav = set(df.loc[df[s.ROW_KIND] == "varav", LABEL_COLUMN[table]])
    return [get_text("economy.recon.line", lang,
                     row=get_text("economy.recon.varav_row", lang, label=r[ROW_LABEL]) if r[ROW_LABEL] in varav
                     else r[ROW_LABEL],
                     column=get_text(f"economy.recon.col.{r[COLUMN]}", lang, year=(year or 0) - 1),
                     printed=format_tkr(r[PRINTED], loc), computed=format_tkr(r[COMPUTED], loc),
                     check=format_check(r[CHECK], lang))
            for _, r in mine.iterrows()]
