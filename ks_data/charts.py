"""Altair chart builders. Every builder returns a configured chart with the locale's number format.

Builders take the frames produced by ks_data.calc plus pre-formatted tooltip text, so the
numbers in tooltips read exactly as in the tables ("105 546", "80 %").
"""

from __future__ import annotations

import math

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.fmt import get_vega_locale
from ks_data.imports import import_on_use
from ks_data.texts import LANGUAGES, get_text

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
# Widest row name on an axis (px): a line of economy.ROW_LABEL_WIDTH characters in the exports' wider font (DejaVu Sans);
# the browser's font needs less, and an axis takes only the width its names need.
LABEL_LIMIT = 340
# Axis and legend text: Streamlit's chart theme draws it in #808495 (3.7:1 on white), below the 4.5:1
# that WCAG 2.1 AA (1.4.3) asks of 14 px text; this grey gives 7:1.
CHART_TEXT_COLOR = "#595959"


def configure_chart(chart: alt.TopLevelMixin, lang: str = "sv") -> alt.TopLevelMixin:
    """Return ``chart`` with the language's number locale, line breaks, readable font sizes and text colours."""
    # A line break in a row name (fmt.format_wrapped) starts a new line, in the browser and in the exported files alike.
    return chart.configure(locale=LOCALES[lang], lineBreak="\n").configure_axis(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=320, labelColor=CHART_TEXT_COLOR,
        titleColor=CHART_TEXT_COLOR,
    ).configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=400, labelColor=CHART_TEXT_COLOR,
                       titleColor=CHART_TEXT_COLOR).configure_title(
        fontSize=FONT_SIZE + 2, anchor="start"
    ).configure_header(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)


def _domain(values: list[float]) -> list[float]:
    finite = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    lo, hi = min(finite + [0.0]), max(finite + [0.0])
    pad = (hi - lo) * 0.12 or 1.0
    lo = lo - pad if lo < 0 else 0.0
    hi = hi + pad
    return [lo, hi]


def target_chart(indicators: pd.DataFrame, lang: str = "sv", width: int = 560) -> alt.TopLevelMixin:
    """Return one row per indicator: the measured value as a point against the target as a rule or a band.

    Takes indicators with columns name, value, target, target_high, target_op, direction, unit,
    status (from calc.calc_indicator_statuses) and the display strings value_label, target_label,
    status_label, direction_label. Lower-is-better indicators get a reversed axis so that better
    is always to the right.
    """
    rows = [_target_row(r).properties(width=width) for _, r in indicators.iterrows()]
    return configure_chart(alt.vconcat(*rows, spacing=28), lang)


def target_row_chart(indicator: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return the first indicator's row of target_chart as a chart of its own (same columns): a page column stretches
    it to its width, where Streamlit 1.67 draws target_chart's stacked rows at their fixed width."""
    # Fitted in width only: fitted in height too, its title and axis took all of its 48 px and hid the point.
    return configure_chart(_target_row(indicator.iloc[0]).properties(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding")), lang)


TARGET_ROW_HEIGHT = 48


def _target_row(r: pd.Series) -> alt.LayerChart:
    reverse = r[s.DIRECTION] == "lower"
    values = [r[s.VALUE], r[s.TARGET], r[s.TARGET_HIGH]]
    domain = _domain(values)
    # A rank of 1 against a target of 1 got the axis "1 1 1 1 0 0 0" (ticks at 0,25 steps shown without decimals).
    ticks = get_domain_ticks(values, domain)
    base = pd.DataFrame([r])
    point = alt.Chart(base).mark_point(size=260, filled=True, opacity=1).encode(
        x=alt.X(f"{s.VALUE}:Q", title=f"{r['unit_label']}", scale=alt.Scale(domain=domain, reverse=reverse),
                axis=alt.Axis(format=",.0f", tickCount=5, values=ticks or alt.Undefined)),
        color=alt.Color(f"{calc.STATUS}:N", scale=alt.Scale(domain=list(STATUS_SHAPES),
                                                           range=[STATUS_COLORS[k] for k in STATUS_SHAPES]),
                        legend=None),
        shape=alt.Shape(f"{calc.STATUS}:N", scale=alt.Scale(domain=list(STATUS_SHAPES),
                                                           range=list(STATUS_SHAPES.values())), legend=None),
        tooltip=[alt.Tooltip("name:N", title=r["tt_name"]), alt.Tooltip("value_label:N", title=r["tt_value"]),
                 alt.Tooltip("target_label:N", title=r["tt_target"]),
                 alt.Tooltip("status_label:N", title=r["tt_status"])],
    )
    if r[s.TARGET_OP] == "range":
        target = alt.Chart(base).mark_rect(opacity=0.25, color=STATUS_COLORS[calc.MET]).encode(
            x=f"{s.TARGET}:Q", x2=f"{s.TARGET_HIGH}:Q")
    else:
        target = alt.Chart(base).mark_rule(strokeWidth=3, strokeDash=[6, 3], color="#333333").encode(
            x=f"{s.TARGET}:Q")
    label = alt.Chart(base).mark_text(align="left", dx=10, dy=-14, fontSize=FONT_SIZE).encode(
        x=f"{s.VALUE}:Q", text="value_label:N")
    title = alt.TitleParams(text=r["name"], subtitle=[r["chart_subtitle"]], fontSize=FONT_SIZE + 1,
                            subtitleFontSize=FONT_SIZE - 1, anchor="start")
    return alt.layer(target, point, label, title=title).properties(height=TARGET_ROW_HEIGHT)


# Height of one bar (px): a row's two bars have room for a row name of up to three lines (economy.ROW_LABEL_LINES).
BUDGET_BAR_STEP = 22


def budget_outcome_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return grouped horizontal bars of budget and outcome (tkr) per row, in the frame's order.

    Takes columns label, measure (display name of budget/outcome), amount (tkr) and amount_label;
    tooltip titles in ``df.attrs`` (tt_label, tt_measure, tt_amount) and optionally the axis title (x_title).
    """
    chart = alt.Chart(_with_order(df)).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=_in_order(), axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        yOffset=alt.YOffset("measure:N", sort=None),
        x=alt.X("amount:Q", title=df.attrs.get("x_title") or get_text("economy.axis.amount", lang),
                axis=alt.Axis(format=",.0f", tickCount=6)),
        color=alt.Color("measure:N", sort=None, scale=alt.Scale(range=[BUDGET_COLOR, OUTCOME_COLOR]),
                        legend=_top_legend(from_edge=True)),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("measure:N", title=df.attrs.get("tt_measure", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    ).properties(height=alt.Step(BUDGET_BAR_STEP), padding=_legend_room())
    return configure_chart(chart, lang)


# Columns a chart builder adds to its frame. A row order or an axis range written into the spec as a list makes another
# statement's chart another spec, which the browser builds anew (~20-30 ms a chart); as data it only swaps the data.
ROW_ORDER = "row_order"
REACH_LOW, REACH_HIGH = "reach_low", "reach_high"
NARROW_LEGEND = 360
# Height above the plot (px) of a legend of one row and of two rows (one entry under the other).
LEGEND_ROOM = (30, 52)
# A chart in a container narrower than this (a phone; Vega's containerSize(); a downloaded file, drawn at its fixed
# width, gets the wide layout) stacks a _top_legend(from_edge=True)'s entries.
NARROW_CONTAINER = "containerSize()[0] < 560"


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
    return base.mark_rule(opacity=0, aria=False).encode(x=alt.X(f"{REACH_LOW}:Q", title=title), x2=f"{REACH_HIGH}:Q",
                                                        tooltip=alt.value(None))


def _side_text(base: alt.Chart, x_field: str, test: str, align: str, text_field: str, dy: float = 0) -> alt.Chart:
    """Return a text layer for the rows passing ``test``, placed beside the bar end (left or right of it), ``dy`` px
    below the row's middle."""
    return base.transform_filter(test).mark_text(align=align, dx=6 if align == "left" else -6, dy=dy,
                                                 fontSize=FONT_SIZE - 1).encode(
        x=alt.X(f"{x_field}:Q"), text=f"{text_field}:N")


def deviation_chart(df: pd.DataFrame, value_column: str, lang: str = "sv", names_above: bool = True) -> alt.TopLevelMixin:
    """Return diverging bars of the deviation per row (tkr or % of budget), each row's name written above its bar
    (``names_above``, for a page column of any width) or on an axis beside the bars (for the presentation, whose
    names are broken into lines); beyond-threshold rows are outlined and their text says so ("◆ över gränsen"), so the
    highlight never relies on colour alone.

    Takes columns label, the value column, value_label, sign_label, beyond_threshold (bool), beyond_label,
    bar_text (value label plus the marker) and text_x (where the text sits); titles in ``df.attrs``
    (x_title, sign_domain, tt_label, tt_value, tt_beyond).
    """
    # Names on an axis beside the bars took ~300 px: at 1024 px with the menu open the values of the negative bars
    # ran into them and the positive ones were cut at the chart's edge. Above the bars they leave the bars the width.
    low, high = _padded_domain(list(df["text_x"]), 0.55)
    axis = None if names_above else alt.Axis(labelLimit=LABEL_LIMIT)
    df = _with_order(df).assign(**{REACH_LOW: low, REACH_HIGH: high})
    if names_above:
        # On a phone (a plot under NARROW_WIDTH px) "−2 214 tkr  ◆ över gränsen" beside a bar ran past the chart's
        # edge: there the marker goes to the name's own line (before the name), the bar keeps its value, and the axis leaves more room
        # beside the bars. The chart decides by its own width (a Vega signal), so one spec serves every screen.
        narrow_low, narrow_high = _padded_domain(list(df["text_x"]), NARROW_SHARE)
        # The marker before the name, so a long name cut at the chart's edge keeps it.
        df = df.assign(**{NAME_TEXT: [f"{bar[len(value):].strip()}  {label}" if bar != value else label
                                      for label, bar, value
                                      in zip(df["label"], df["bar_text"], df["value_label"], strict=True)],
                          NARROW_LOW: narrow_low, NARROW_HIGH: narrow_high})
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=_in_order(), axis=axis))
    if names_above:
        base = base.transform_calculate(**{
            SHOWN_NAME: f"width < {NARROW_WIDTH} ? datum.{NAME_TEXT} : datum.label",
            SIDE_TEXT: f"width < {NARROW_WIDTH} ? datum.value_label : datum.bar_text",
            REACH_LOW: f"width < {NARROW_WIDTH} ? datum.{NARROW_LOW} : datum.{REACH_LOW}",
            REACH_HIGH: f"width < {NARROW_WIDTH} ? datum.{NARROW_HIGH} : datum.{REACH_HIGH}"})
    shift = DEVIATION_BAR / 2 if names_above else 0
    bar_mark = {"size": DEVIATION_BAR, "yOffset": shift} if names_above else {}
    bars = base.mark_bar(strokeWidth=3, **bar_mark).encode(
        x=alt.X(f"{value_column}:Q", title=df.attrs.get("x_title", ""), scale=alt.Scale(nice=False),
                axis=alt.Axis(format=",.0f", tickCount=6)),
        color=alt.Color("sign_label:N", scale=alt.Scale(domain=df.attrs.get("sign_domain", []),
                                                         range=[POSITIVE_COLOR, NEGATIVE_COLOR]),
                        legend=_top_legend()),
        stroke=alt.condition(f"datum.{calc.BEYOND}", alt.value(HIGHLIGHT_COLOR), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("value_label:N", title=df.attrs.get("tt_value", "")),
                 alt.Tooltip("beyond_label:N", title=df.attrs.get("tt_beyond", ""))],
    )
    if names_above:
        # The zero line is drawn bar by bar, so it does not run through the names above the bars.
        zero = base.mark_tick(orient="vertical", color="#333333", thickness=1, size=DEVIATION_BAR + 8,
                              yOffset=shift).encode(x=alt.datum(0))
    else:
        zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333333").encode(x="x:Q")
    side = SIDE_TEXT if names_above else "bar_text"
    right = _side_text(base, "text_x", "datum.text_x >= 0", "left", side, dy=shift)
    left = _side_text(base, "text_x", "datum.text_x < 0", "right", side, dy=shift)
    layers = [bars, zero, right, left, _reach_layer(base, df.attrs.get("x_title", ""))]
    if names_above:
        layers.insert(2, base.mark_text(align="left", baseline="bottom", dy=-2, fontSize=FONT_SIZE,
                                        color=CHART_TEXT_COLOR, limit=alt.ExprRef("width"))
                      .encode(x=alt.value(0), text=f"{SHOWN_NAME}:N"))
    step = DEVIATION_STEP if names_above else 34
    return configure_chart(alt.layer(*layers).properties(height=alt.Step(step)), lang)


# A deviation row: its name on the upper half of the step, its bar on the lower.
DEVIATION_BAR = 16
DEVIATION_STEP = 46
# Under this plot width (px) the deviation chart with names above its bars is laid out for a phone (deviation_chart),
# with this share of the span as room beside the bars for their values.
NARROW_WIDTH = 440
NARROW_SHARE = 0.9
NAME_TEXT, SHOWN_NAME, SIDE_TEXT = "name_text", "shown_name", "side_text"
NARROW_LOW, NARROW_HIGH = "narrow_low", "narrow_high"


def waterfall_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return a horizontal waterfall from budgeted to actual net cost (tkr), one step per row, top to bottom.

    Takes calc.calc_waterfall's columns plus label (display name of the step), kind_label and amount_label;
    legend order and titles in ``df.attrs`` (kind_domain, x_title, tt_label, tt_amount). The axis is zoomed to
    the steps, so the budget and outcome bars (which start at 0) run off its right edge.
    """
    kinds = df.attrs.get("kind_domain", [])
    steps = df[df[calc.STEP_KIND].isin(["unit", "rounding"])]
    totals = df[df[calc.STEP_KIND].isin(["start", "end"])]
    lo = min(list(steps[calc.START]) + list(steps[calc.END]) + list(totals[calc.END]))
    hi = max(list(steps[calc.START]) + list(steps[calc.END]) + list(totals[calc.END]))
    pad = ((hi - lo) or 1.0) * 0.35
    # The zoom stays in the spec (a data-driven range would reach the bars that start at 0); the waterfall shows for
    # one statement only, so a change of statement builds it anew anyway.
    base = alt.Chart(_with_order(df)).encode(y=alt.Y("label:N", sort=_in_order(), title=None,
                                                     axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    bars = base.mark_bar(clip=True).encode(
        x=alt.X(f"{calc.START}:Q", title=df.attrs.get("x_title", ""),
                scale=alt.Scale(domain=[lo - pad, hi + pad], nice=False, zero=False),
                axis=alt.Axis(format=",.0f", tickCount=6)),
        x2=f"{calc.END}:Q",
        color=alt.Color("kind_label:N", scale=alt.Scale(domain=kinds, range=["#6b6b6b", POSITIVE_COLOR,
                                                                              NEGATIVE_COLOR, HIGHLIGHT_COLOR][:len(kinds)]),
                        legend=_top_legend()),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    )
    grows = f"datum.{calc.STEP_KIND} != 'start' && datum.{calc.STEP_KIND} != 'end' && datum.{s.DEVIATION} >= 0"
    right = _side_text(base, calc.END, grows, "left", "amount_label")
    left = _side_text(base, calc.END, f"!({grows})", "right", "amount_label")
    return configure_chart(alt.layer(bars, right, left).properties(height=alt.Step(34)), lang)


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


def comparison_chart(df: pd.DataFrame, value_column: str, lang: str = "sv", height: int = 260) -> alt.TopLevelMixin:
    """Return lines with points per metric over the years (values in the metric's unit, or index).

    Takes columns metric_label, measure_year, the value column and value_label (formatted as in the
    tables), and attrs x_title, y_title, tt_metric, tt_value and baseline (a reference line, e.g. 100
    for an index; None for none). One metric: no legend, each point labelled with its value. Several
    metrics: a legend, and colour, point shape and dash all tell the lines apart (never colour alone).
    """
    metrics = list(dict.fromkeys(df["metric_label"]))
    several = len(metrics) > 1
    n = max(len(metrics), 1)

    def scale(values: list) -> alt.Scale:
        return alt.Scale(domain=metrics, range=[values[i % len(values)] for i in range(n)])

    legend = alt.Legend(title=None, orient="top", direction="vertical", labelLimit=600, symbolSize=110,
                        symbolStrokeWidth=0) if several else None

    def color() -> alt.Color:
        return alt.Color("metric_label:N", sort=metrics, scale=scale(SERIES_COLORS), legend=legend)

    # Text needs darker shades of the line colours; a field of its own keeps them off the lines' colour scale.
    text_colors = {m: SERIES_TEXT_COLORS[i % len(SERIES_TEXT_COLORS)] for i, m in enumerate(metrics)}
    ticks = get_whole_ticks(df[value_column])
    base = alt.Chart(df.assign(text_color=df["metric_label"].map(text_colors))).encode(
        x=alt.X(f"{s.MEASURE_YEAR}:O", title=df.attrs.get("x_title", ""), axis=alt.Axis(labelAngle=0)),
        # Whole-number ticks span the scale: a count of only zeros would otherwise draw its 0 and 1 on one spot.
        y=alt.Y(f"{value_column}:Q", title=df.attrs.get("y_title", ""),
                scale=alt.Scale(domain=[ticks[0], ticks[-1]]) if ticks else alt.Undefined,
                axis=alt.Axis(format=",.0f", tickMinStep=1, values=ticks or alt.Undefined)),
        tooltip=[alt.Tooltip("metric_label:N", title=df.attrs.get("tt_metric", "")),
                 alt.Tooltip(f"{s.MEASURE_YEAR}:O", title=df.attrs.get("x_title", "")),
                 alt.Tooltip("value_label:N", title=df.attrs.get("tt_value", ""))],
    )
    # The legend shows each metric's colour and point shape (no stroke, so the line's dash does not blur it).
    lines = base.mark_line(strokeWidth=3).encode(
        color=color(),
        strokeDash=alt.StrokeDash("metric_label:N", sort=metrics, scale=scale(SERIES_DASHES), legend=None))
    points = base.mark_point(size=110, filled=True, opacity=1).encode(
        color=color(), shape=alt.Shape("metric_label:N", sort=metrics, scale=scale(SERIES_SHAPES), legend=legend))
    if several:
        # Several lines start together at the base year: label only each line's last point, beside it.
        last_year = int(df[s.MEASURE_YEAR].max()) if len(df) else 0
        labels = base.transform_filter(alt.datum[s.MEASURE_YEAR] == last_year).mark_text(
            align="left", dx=12, fontSize=FONT_SIZE - 1, fontWeight="bold").encode(
                text="value_label:N", color=alt.Color("text_color:N", scale=None))
    else:
        labels = base.mark_text(dy=-14, fontSize=FONT_SIZE - 1, color="#333333").encode(text="value_label:N")
    layers = [lines, points, labels]
    baseline = df.attrs.get("baseline")
    if baseline is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"y": [baseline]})).mark_rule(color="#6b6b6b", strokeDash=[3, 3])
                      .encode(y="y:Q"))
    return configure_chart(alt.layer(*layers).properties(height=height), lang)


# Okabe–Ito, for comparison_chart's lines that stand for different metrics; each also gets its own point
# shape and dash, so lines are never told apart by colour alone.
SERIES_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
# The same hues, dark enough for text (>= 4.5:1 on white, WCAG 1.4.3): the value labels at the lines' ends.
SERIES_TEXT_COLORS = ["#0072b2", "#b34700", "#007a5a", "#a8437f", "#865f00", "#2a6f9c"]
SERIES_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
SERIES_DASHES = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 5]]

# Activity status kinds (ks_data.views.activities): never colour alone, every bar is labelled with symbol and word.
ACTIVITY_KIND_COLORS = {"done": "#007a5a", "on_track": "#1f5f8b", "deviation": "#b36b00", "other": "#6b6b6b",
                        "none": "#9a9a9a"}


def status_count_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return horizontal bars of the number of activities per status, each bar labelled with its count.

    Takes columns status_label (symbol + word), kind (done/on_track/deviation/other/none) and count,
    in the order to show, and attrs x_title, tt_status and tt_count.
    """
    kinds = list(ACTIVITY_KIND_COLORS)
    # The rows' own order (sort=None), not a list of them: the spec then stays the same when a filter changes the
    # rows, and the browser swaps the data instead of building the chart anew.
    base = alt.Chart(df).encode(
        y=alt.Y("status_label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title=df.attrs.get("x_title", ""), axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domainMin=0, nice=True)),
        tooltip=[alt.Tooltip("status_label:N", title=df.attrs.get("tt_status", "")),
                 alt.Tooltip("count:Q", title=df.attrs.get("tt_count", ""))],
    )
    bars = base.mark_bar(size=22).encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[ACTIVITY_KIND_COLORS[k] for k in kinds]),
                        legend=None))
    labels = base.mark_text(align="left", dx=5, fontSize=FONT_SIZE).encode(text="count:Q")
    return configure_chart(alt.layer(bars, labels).properties(height=alt.Step(34)), lang)
