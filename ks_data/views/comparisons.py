"""Display preparation for the Jämförelsetal page: metric choices, changes between years, index and captions.

Pure functions (no Streamlit) on the comparisons table (columns metric, unit, measure_year, value,
position). Changes and the index come from ks_data.calc; this module orders, labels and formats
them, so the page only lays them out. Numbers are formatted the Swedish way through ks_data.fmt.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import DASH, format_number, format_percent, format_unit, get_locale
from ks_data.texts import get_text
from ks_data.values import is_missing
from ks_data.viewtable import NUMBER, PERCENT, YEAR, Column, with_formats

ALL = "alla"
INDEX_DECIMALS = 1
PCT_DECIMALS = 1
# Columns added for display and charts.
METRIC_LABEL = "metric_label"
VALUE_LABEL = "value_label"



def format_slug(text: str) -> str:
    """Return a short URL-safe form of a text: lower case ASCII words joined by '-' ("Påbörjat, enl plan" → "paborjat-enl-plan")."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def get_slug_options(values: list[str], reserved: tuple[str, ...] = (ALL,)) -> dict[str, str]:
    """Return {slug: value} for distinct texts in the given order; a slug that is taken or reserved gets "-2", "-3" …"""
    out: dict[str, str] = {}
    for value in dict.fromkeys(values):
        base = format_slug(value) or "x"
        slug, n = base, 1
        while slug in out or slug in reserved:
            n += 1
            slug = f"{base}-{n}"
        out[slug] = value
    return out


def get_metrics(comparisons: pd.DataFrame) -> list[str]:
    """Return the metric names (column metric) in report order (column position)."""
    return list(dict.fromkeys(comparisons.sort_values(s.POSITION, kind="stable")[s.METRIC]))


def get_metric_options(comparisons: pd.DataFrame) -> dict[str, str]:
    """Return {URL value: metric name} in report order; the URL value is the slug of the name's part before the first comma.

    "Färdtjänst, antal enkelresor" → "fardtjanst". Two metrics that would share a short slug get their full-name slugs.
    """
    metrics = get_metrics(comparisons)
    short = [format_slug(m.split(",")[0]) for m in metrics]
    names = [m if short.count(sh) > 1 or not sh else m.split(",")[0] for m, sh in zip(metrics, short)]
    return dict(zip(get_slug_options(names).keys(), metrics))


def get_year_bounds(comparisons: pd.DataFrame) -> tuple[int, int]:
    """Return the first and last measure_year (år) in the table."""
    return int(comparisons[s.MEASURE_YEAR].min()), int(comparisons[s.MEASURE_YEAR].max())


def calc_changes(comparisons: pd.DataFrame, metric: str | None, first_year: int, last_year: int) -> pd.DataFrame:
    """Return one metric's (None = all) rows within the years with change (unit), change_pct (%) and index (first = 100).

    Rows come in report order of the metrics, then by measure_year.
    """
    order = {m: i for i, m in enumerate(get_metrics(comparisons))}
    sel = comparisons if metric is None else comparisons[comparisons[s.METRIC] == metric]
    out = calc.calc_comparison_changes(sel, first_year, last_year)
    if out.empty:
        return out
    out = out.assign(_order=out[s.METRIC].map(order)).sort_values(["_order", s.MEASURE_YEAR], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def get_metric_frames(changes: pd.DataFrame) -> list[pd.DataFrame]:
    """Return calc_changes' rows split into one frame per metric, in the order they come."""
    return [changes[changes[s.METRIC] == m] for m in dict.fromkeys(changes[s.METRIC])]


@dataclass(frozen=True)
class ValueCard:
    """What one metric's card on the page shows: its title, chart data, texts and table."""

    slug: str
    title: str
    chart_frame: pd.DataFrame
    alt: str
    caption: str
    table: pd.DataFrame
    label: str


def get_value_cards(changes: pd.DataFrame, lang: str = "sv") -> list[ValueCard]:
    """Return one card per metric of calc_changes' rows, in their order: the metric as title, get_chart_frame's
    values, the alt text, change caption, table (get_chart_table_data) and chart name."""
    return [ValueCard(format_slug(frame[s.METRIC].iloc[0]), frame[s.METRIC].iloc[0],
                      get_chart_frame(frame, False, lang), format_values_alt(frame, lang),
                      format_change_caption(frame, lang), get_chart_table_data(frame, False, lang),
                      format_values_label(frame, lang))
            for frame in get_metric_frames(changes)]


def get_zero_base_metrics(changes: pd.DataFrame) -> list[str]:
    """Return the metrics whose first year's value is 0, so their index (column index) cannot be computed."""
    return [f[s.METRIC].iloc[0] for f in get_metric_frames(changes) if f[s.VALUE].iloc[0] == 0]


def format_value_number(value, lang: str = "sv") -> str:
    """Return a comparison value (in its unit) as "25 479" or "1 072"; one decimal only when needed; '–' if missing."""
    if is_missing(value):
        return DASH
    return format_number(value, 0 if float(value).is_integer() else 1, get_locale(lang))


def format_change(change, lang: str = "sv") -> str:
    """Return a change in the metric's unit with its sign: "−10 782", "+42", "0"; '–' if missing."""
    if is_missing(change):
        return DASH
    return format_number(change, 0 if float(change).is_integer() else 1, get_locale(lang), signed=True)


def format_change_pct(pct, lang: str = "sv") -> str:
    """Return a change in % with its sign and one decimal: "−43,0 %"; '–' if missing (first year or 0 before)."""
    return format_percent(pct, PCT_DECIMALS, get_locale(lang), signed=True)


def format_index(index, lang: str = "sv") -> str:
    """Return an index value (first year = 100) with one decimal: "100,0", "56,1"; '–' if it cannot be computed."""
    return format_number(index, INDEX_DECIMALS, get_locale(lang))


def _num(value) -> float:
    return math.nan if is_missing(value) else float(value)


def get_change_data(changes: pd.DataFrame, show_index: bool, lang: str = "sv") -> pd.DataFrame:
    """Return the change table as a typed view table: Mått, År, Värde, Enhet, Förändring, Förändring i procent[, Index].

    Takes calc_changes' columns metric, measure_year, value, unit, change (unit), change_pct (%), index; the
    numbers stay numbers (viewtable formats them for the screen and keeps them for the downloads).
    """
    first_year = int(changes[s.MEASURE_YEAR].min()) if len(changes) else 0
    year, value = get_text("comparisons.col.year", lang), get_text("comparisons.col.value", lang)
    change, change_pct = get_text("comparisons.col.change", lang), get_text("comparisons.col.change_pct", lang)
    table = {
        get_text("comparisons.col.metric", lang): list(changes[s.METRIC]),
        year: [int(y) for y in changes[s.MEASURE_YEAR]],
        value: [_num(v) for v in changes[s.VALUE]],
        get_text("comparisons.col.unit", lang): [format_unit(u, lang) for u in changes[s.UNIT]],
        change: [_num(c) for c in changes[calc.CHANGE]],
        change_pct: [_num(p) for p in changes[calc.CHANGE_PCT]],
    }
    formats = {year: Column(YEAR), value: Column(NUMBER, None), change: Column(NUMBER, None, signed=True),
               change_pct: Column(PERCENT, PCT_DECIMALS, signed=True)}
    if show_index:
        index = get_text("comparisons.col.index", lang, first=first_year)
        table[index] = [_num(i) for i in changes[calc.INDEX]]
        formats[index] = Column(NUMBER, INDEX_DECIMALS)
    return with_formats(pd.DataFrame(table, index=range(len(changes))), formats)


def get_chart_frame(changes: pd.DataFrame, use_index: bool, lang: str = "sv") -> pd.DataFrame:
    """Return the frame charts.comparison_chart takes: metric_label, measure_year, value or index, value_label.

    Index mode leaves out metrics whose index cannot be computed (first year 0). Titles and tooltip
    headings are in ``attrs`` (x_title, y_title, tt_metric, tt_value, baseline).
    """
    column = calc.INDEX if use_index else s.VALUE
    sel = changes[changes[column].notna()]
    out = pd.DataFrame({
        METRIC_LABEL: list(sel[s.METRIC]),
        s.MEASURE_YEAR: [int(y) for y in sel[s.MEASURE_YEAR]],
        column: list(sel[column]),
        VALUE_LABEL: [format_index(v, lang) if use_index else format_value_number(v, lang) for v in sel[column]],
    })
    first_year = int(changes[s.MEASURE_YEAR].min()) if len(changes) else 0
    out.attrs.update({
        "x_title": get_text("comparisons.col.year", lang),
        "y_title": get_text("comparisons.col.index", lang, first=first_year) if use_index
        else (format_unit(sel[s.UNIT].iloc[0], lang) if len(sel) else ""),
        "tt_metric": get_text("comparisons.col.metric", lang),
        "tt_value": get_text("comparisons.col.index", lang, first=first_year) if use_index
        else get_text("comparisons.col.value", lang),
        "baseline": 100 if use_index else None,
        "value_column": column,
    })
    return out


def get_chart_table_data(changes: pd.DataFrame, use_index: bool, lang: str = "sv") -> pd.DataFrame:
    """Return a chart's table twin as a typed view table: Mått, År and Värde and Enhet, or Index (first year = 100)."""
    first_year = int(changes[s.MEASURE_YEAR].min()) if len(changes) else 0
    year = get_text("comparisons.col.year", lang)
    out = {
        get_text("comparisons.col.metric", lang): list(changes[s.METRIC]),
        year: [int(y) for y in changes[s.MEASURE_YEAR]],
    }
    formats = {year: Column(YEAR)}
    if use_index:
        index = get_text("comparisons.col.index", lang, first=first_year)
        out[index] = [_num(i) for i in changes[calc.INDEX]]
        formats[index] = Column(NUMBER, INDEX_DECIMALS)
    else:
        value = get_text("comparisons.col.value", lang)
        out[value] = [_num(v) for v in changes[s.VALUE]]
        out[get_text("comparisons.col.unit", lang)] = [format_unit(u, lang) for u in changes[s.UNIT]]
        formats[value] = Column(NUMBER, None)
    return with_formats(pd.DataFrame(out, index=range(len(changes))), formats)


def format_change_caption(metric_changes: pd.DataFrame, lang: str = "sv") -> str:
    """Return one sentence on one metric from its first to its last year in the frame (columns metric, value, measure_year).

    "Färdtjänst, antal enkelresor minskade med 43,9 % från 2018 till 2020."
    """
    first, last = metric_changes.iloc[0], metric_changes.iloc[-1]
    values = {"metric": first[s.METRIC], "first": int(first[s.MEASURE_YEAR]), "last": int(last[s.MEASURE_YEAR])}
    if values["first"] == values["last"]:
        return get_text("comparisons.caption.single", lang, metric=values["metric"], year=values["first"],
                        value=_format_with_unit(first[s.VALUE], first[s.UNIT], lang))
    diff = last[s.VALUE] - first[s.VALUE]
    if diff == 0:
        return get_text("comparisons.caption.flat", lang, value=_format_with_unit(last[s.VALUE], last[s.UNIT], lang),
                        **values)
    if first[s.VALUE] == 0:
        return get_text("comparisons.caption.up_from_zero" if diff > 0 else "comparisons.caption.down_from_zero",
                        lang, value=_format_with_unit(last[s.VALUE], last[s.UNIT], lang), **values)
    pct = format_percent(abs(diff) / abs(first[s.VALUE]) * 100, PCT_DECIMALS, get_locale(lang))
    return get_text("comparisons.caption.up" if diff > 0 else "comparisons.caption.down", lang, pct=pct, **values)


def format_index_caption(changes: pd.DataFrame, lang: str = "sv") -> str:
    """Return one sentence with every metric's index (first year = 100) in the last year; metrics without index left out."""
    items = []
    for f in get_metric_frames(changes):
        if not is_missing(f[calc.INDEX].iloc[-1]):
            items.append(get_text("comparisons.caption.index.item", lang, metric=f[s.METRIC].iloc[0],
                                  value=format_index(f[calc.INDEX].iloc[-1], lang)))
    return get_text("comparisons.caption.index", lang, items="; ".join(items),
                    first=int(changes[s.MEASURE_YEAR].min()), last=int(changes[s.MEASURE_YEAR].max()))


def format_zero_base_note(metric: str, first_year: int, lang: str = "sv") -> str:
    """Return the plain-Swedish note that a metric has no index because its first year's value is 0."""
    return get_text("comparisons.zero_base", lang, metric=metric, first=first_year)


def format_values_alt(metric_changes: pd.DataFrame, lang: str = "sv") -> str:
    """Return the text alternative of one metric's value chart (columns metric, unit, measure_year, value)."""
    first, last = metric_changes.iloc[0], metric_changes.iloc[-1]
    points = ", ".join(f"{int(y)}: {format_value_number(v, lang)}"
                       for y, v in zip(metric_changes[s.MEASURE_YEAR], metric_changes[s.VALUE]))
    return get_text("comparisons.alt.values", lang, metric=first[s.METRIC], unit=format_unit(first[s.UNIT], lang),
                    first=int(first[s.MEASURE_YEAR]), last=int(last[s.MEASURE_YEAR]), points=points)


def format_values_label(metric_changes: pd.DataFrame, lang: str = "sv") -> str:
    """Return the name of one metric's value chart (column metric), the same for every period."""
    return get_text("comparisons.label.values", lang, metric=metric_changes[s.METRIC].iloc[0])


def format_index_alt(changes: pd.DataFrame, lang: str = "sv") -> str:
    """Return the text alternative of the index chart (calc_changes' columns)."""
    metrics = [f[s.METRIC].iloc[0] for f in get_metric_frames(changes) if f[calc.INDEX].notna().all()]
    return get_text("comparisons.alt.index", lang, n=len(metrics), metrics="; ".join(metrics),
                    first=int(changes[s.MEASURE_YEAR].min()), last=int(changes[s.MEASURE_YEAR].max()))


def format_metric_option(option: str, options: dict[str, str], lang: str = "sv") -> str:
    """Return the selector text of a metric option: the metric name, or "Alla mått" for ``ALL``."""
    return get_text("comparisons.metric.all", lang) if option == ALL else options[option]


def get_metric(option: str, options: dict[str, str]) -> str | None:
    """Return the metric name of a selector option, None for ``ALL``."""
    return None if option == ALL else options[option]


def _format_with_unit(value, unit: str, lang: str) -> str:
    text = format_value_number(value, lang)
    return text if text == DASH or unit in ("antal", "") else f"{text}\u00a0{format_unit(unit, lang)}"
