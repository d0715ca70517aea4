"""What every chart shares: colours, the number locale, font sizes, legends, row order and axis ranges as data.

Builders take the frames produced by ks_data.calc and ks_data.views plus pre-formatted tooltip text, so the numbers in
tooltips read exactly as in the tables ("105 546", "80 %").
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd

from ks_data import calc
from ks_data.fmt import get_vega_locale
from ks_data.imports import import_on_use
from ks_data.texts import LANGUAGES

# Imported when the first chart is made, not when the app starts (ks_data.imports).
alt = import_on_use("altair")

# Okabe–Ito colours: distinguishable with the common forms of colour blindness.
# Status is never told by colour alone: every status also has a symbol and a word.
STATUS_COLORS = {
    calc.MET: "#007a5a",
    calc.FULFILLED: "#007a5a",
    calc.NEAR: "#b36b00",
    calc.PARTLY: "#b36b00",
    calc.MISSED: "#c0392b",
    calc.NOT_FULFILLED: "#c0392b",
    calc.NOT_MEASURED: "#6b6b6b",
    calc.NOT_ASSESSED: "#6b6b6b",
    calc.NO_TARGET: "#6b6b6b",
    "none": "#6b6b6b",
}
STATUS_SYMBOLS = {
    calc.MET: "✔",
    calc.FULFILLED: "✔",
    calc.NEAR: "◐",
    calc.PARTLY: "◐",
    calc.MISSED: "✖",
    calc.NOT_FULFILLED: "✖",
    calc.NOT_MEASURED: "○",
    calc.NOT_ASSESSED: "○",
    calc.NO_TARGET: "–",
    "none": "–",
}
# Vega point shapes, so a grey-scale print still tells statuses apart.
STATUS_SHAPES = {calc.MET: "circle", calc.NEAR: "diamond", calc.MISSED: "cross", calc.NOT_MEASURED: "square"}
POSITIVE_COLOR = "#1f5f8b"
NEGATIVE_COLOR = "#c0392b"
BUDGET_COLOR = "#9bb7cc"
OUTCOME_COLOR = "#1f5f8b"
HIGHLIGHT_COLOR = "#b36b00"

# Vega number locale per UI language, from ks_data.fmt's one language → locale mapping.
LOCALES = {lang: get_vega_locale(lang) for lang in LANGUAGES}
FONT_SIZE = 14
# Text on a phone is at least this (issue 18): a chart in a narrow container draws every text at least this size.
NARROW_FONT_SIZE = 16
# Widest row name on an axis (px): a line of economy.ROW_LABEL_WIDTH characters in the exports' wider font (DejaVu Sans);
# the browser's font needs less, and an axis takes only the width its names need.
LABEL_LIMIT = 340
# Axis and legend text: Streamlit's chart theme draws it in #808495 (3.7:1 on white), below the 4.5:1
# that WCAG 2.1 AA (1.4.3) asks of 14 px text; this grey gives 7:1.
CHART_TEXT_COLOR = "#595959"


def configure_chart(chart: alt.TopLevelMixin, lang: str = "sv") -> alt.TopLevelMixin:
    """Return ``chart`` with the language's number locale, line breaks, readable font sizes and text colours."""
    # A line break in a row name (fmt.format_wrapped) starts a new line, in the browser and in the exported files alike.
    # One configure call: each of Altair's configure_* copies the whole chart, five of them took ~17 ms a chart.
    size = get_font_size(FONT_SIZE)
    return chart.configure(
        locale=LOCALES[lang], lineBreak="\n",
        axis=alt.AxisConfig(labelFontSize=size, titleFontSize=size, labelLimit=320, labelColor=CHART_TEXT_COLOR,
                            titleColor=CHART_TEXT_COLOR),
        legend=alt.LegendConfig(labelFontSize=size, titleFontSize=size, labelLimit=400, labelColor=CHART_TEXT_COLOR,
                                titleColor=CHART_TEXT_COLOR),
        title=alt.TitleConfig(fontSize=get_font_size(FONT_SIZE + 2), anchor="start"),
        header=alt.HeaderConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE))


def get_layer(*layers: alt.Chart, **kwargs) -> alt.LayerChart:
    """Return ``alt.layer(*layers, **kwargs)``, the frame its layers share given once, to the layer (the same spec)."""
    # Altair moves a frame every layer shares up to the layer itself, but first prints each layer's frame as text to
    # hash it (DataFrame.__repr__): ~30 ms for the deviation chart's five layers. Given to the layer, nothing is hashed.
    data = layers[0].data
    if not isinstance(data, pd.DataFrame) or any(layer.data is not data for layer in layers):
        return alt.layer(*layers, **kwargs)
    own = [layer.copy(deep=False) for layer in layers]
    for layer in own:
        layer.data = alt.Undefined
    return alt.layer(*own, data=data, **kwargs)


def get_font_size(px: int) -> alt.ExprRef:
    """Return a font size of ``px`` that is at least NARROW_FONT_SIZE in a narrow container (a phone, NARROW_CONTAINER)."""
    return alt.ExprRef(f"{NARROW_CONTAINER} ? {max(px, NARROW_FONT_SIZE)} : {px}")


def get_narrow_text(narrow: str, wide: str) -> alt.ExprRef:
    """Return a text that reads ``narrow`` in a narrow container (a phone, NARROW_CONTAINER) and ``wide`` elsewhere
    (e.g. broken onto lines where one line would be cut with "…")."""
    return alt.ExprRef(f"{NARROW_CONTAINER} ? {json.dumps(narrow, ensure_ascii=False)} : "
                       f"{json.dumps(wide, ensure_ascii=False)}")


WIDE_FONT_SIZE = re.compile(r"\? \d+ : (\d+)$")


def get_wide_font_size(value) -> int | float | None:
    """Return the font size a wide container gets from ``value`` (a number, or a get_font_size expression as a dict)."""
    if isinstance(value, int | float):
        return value
    match = WIDE_FONT_SIZE.search(value.get("expr", "")) if isinstance(value, dict) else None
    return int(match.group(1)) if match else None


def _domain(values: list[float]) -> list[float]:
    finite = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    lo, hi = min(finite + [0.0]), max(finite + [0.0])
    pad = (hi - lo) * 0.12 or 1.0
    lo = lo - pad if lo < 0 else 0.0
    hi = hi + pad
    return [lo, hi]


# Columns a chart builder adds to its frame. A row order or an axis range written into the spec as a list makes another
# statement's chart another spec, which the browser builds anew (~20-30 ms a chart); as data it only swaps the data.
ROW_ORDER = "row_order"
REACH_LOW, REACH_HIGH = "reach_low", "reach_high"
NARROW_LEGEND = 360
# Height above the plot (px) of a legend of one row and of two rows (one entry under the other).
LEGEND_ROOM = (30, 52)
# A chart in a container narrower than this (a phone; Vega's containerSize(); a downloaded file, drawn at its fixed
# width, gets the wide layout) is laid out for a phone: 16-px text, a _top_legend(from_edge=True)'s entries stacked, the
# waterfall's names above its bars. containerSize() alone is read once, at load: the "0 * width" makes every expression
# that uses it depend on the width signal, which Vega updates when the window is resized (a phone turned on its side).
NARROW_CONTAINER = "containerSize()[0] + 0 * width < 560"


def _top_legend(from_edge: bool = False) -> alt.Legend:
    """Return a legend above the chart: its entries in a row, or one under the other where the plot is narrower than
    NARROW_LEGEND px (a phone), where a row of them ran past the chart's right edge.

    ``from_edge``: it starts at the chart's left edge, not at the plot's (for a chart whose row names beside the plot
    leave the plot only a narrow strip on a phone)."""
    if not from_edge:
        return alt.Legend(title=None, orient="top", columns=alt.ExprRef(f"width < {NARROW_LEGEND} ? 1 : 0"))
    # The plot's left edge is at x = 0; the chart's left edge is as far left as the chart is wider than the plot.
    # Decided by the container's width, not the plot's: the plot's width follows the padding (_legend_room), and a
    # padding that followed the plot's width made Vega's layout run into itself ("Dataflow already running").
    return alt.Legend(title=None, orient="none", columns=alt.ExprRef(f"{NARROW_CONTAINER} ? 1 : 0"),
                      legendX=alt.ExprRef("width - containerSize()[0]"),
                      legendY=alt.ExprRef(f"{NARROW_CONTAINER} ? -{LEGEND_ROOM[1]} : -{LEGEND_ROOM[0]}"))


def _legend_room() -> alt.ExprRef:
    """Return the chart's padding with room above the plot for a legend placed by _top_legend(from_edge=True), which
    takes no room of its own."""
    return alt.ExprRef(f"{{top: {NARROW_CONTAINER} ? {LEGEND_ROOM[1] + 4} : {LEGEND_ROOM[0] + 4}, "
                       "left: 5, right: 5, bottom: 5}")


def _with_order(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with ROW_ORDER: the labels numbered in the order they first come."""
    return df.assign(**{ROW_ORDER: pd.factorize(df["label"])[0]})


def _in_order() -> alt.EncodingSortField:
    """Sort rows by ROW_ORDER, so every layer (also one that drops a row) keeps the frame's (the report's) order."""
    return alt.EncodingSortField(field=ROW_ORDER, op="min")


def _padded_domain(values: list[float], share: float) -> list[float]:
    """Return [low, high] around ``values`` and 0, widened by ``share`` of the span on each side that has data,
    so that text beside the bars fits."""
    finite = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    lo, hi = min(finite + [0.0]), max(finite + [0.0])
    span = (hi - lo) or 1.0
    return [lo - span * share if lo < 0 else lo, hi + span * share if hi > 0 else hi]


def _reach_layer(base: alt.Chart, title: str) -> alt.Chart:
    """Return an invisible layer from REACH_LOW to REACH_HIGH: the x scale spans them (the axis range as data). It
    carries the axis ``title`` of the other layers, or Vega-Lite would name the axis after its fields."""
    return base.mark_rule(opacity=0, aria=False).encode(x=alt.X(f"{REACH_LOW}:Q", title=title), x2=alt.X2(f"{REACH_HIGH}:Q"),
                                                        tooltip=alt.TooltipValue(None))


def _side_text(base: alt.Chart, x_field: str, test: str, align: str, text_field: str, dy: float = 0) -> alt.Chart:
    """Return a text layer for the rows passing ``test``, placed beside the bar end (left or right of it), ``dy`` px
    below the row's middle."""
    return base.transform_filter(test).mark_text(align=align, dx=6 if align == "left" else -6, dy=dy,
                                                 fontSize=get_font_size(FONT_SIZE - 1)).encode(
        x=alt.X(f"{x_field}:Q"), text=alt.Text(f"{text_field}:N"))


MAX_WHOLE_TICKS = 10


def get_whole_ticks(values: pd.Series) -> list[int] | None:
    """Return every whole number from 0 (or the lowest value) to the highest (at least 1) when all values are whole
    and span at most MAX_WHOLE_TICKS; else None (Vega's own ticks). Vega ignores tickMinStep on layered charts, and a count
    going 1, 0, 0 got the axis "0, 1, 1" (a tick at 0,5 shown without decimals)."""
    numbers = values.dropna()
    if numbers.empty:
        return None
    # At least 0 and 1: a count that falls to 0 in the chosen years keeps the same axis (and so the same spec,
    # which the browser then only feeds new data instead of embedding the chart anew).
    return get_domain_ticks(list(numbers), [min(numbers.min(), 0.0), max(numbers.max(), 1.0)])


def get_domain_ticks(values: list[float | None], domain: list[float]) -> list[int] | None:
    """Return every whole number inside ``domain`` ([low, high]) when all given ``values`` are whole and at most
    MAX_WHOLE_TICKS + 1 numbers fit; else None (Vega's own ticks)."""
    finite = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not finite or any(v != round(v) for v in finite):
        return None
    low, high = math.ceil(domain[0]), math.floor(domain[1])
    return list(range(low, high + 1)) if high - low <= MAX_WHOLE_TICKS else None


