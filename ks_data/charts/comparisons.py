"""Charts of the comparison figures (Jämförelsetal): a line per metric over the measure years."""

from __future__ import annotations

import json

import pandas as pd

from ks_data import schema as s
from ks_data.charts.common import FONT_SIZE, alt, configure_chart, get_font_size, get_layer, get_whole_ticks
from ks_data.fmt import format_wrapped

# Where a single line's value label stands, relative to its point (mark_text's offsets in pixels).
LABEL_OFFSETS = {
    "above": {"dy": -14},
    "below": {"dy": 16},
    "above_right": {"dy": -12, "dx": 7, "align": "left"},
    "above_left": {"dy": -12, "dx": -7, "align": "right"},
}
# A metric's name in the phone's legend, in lines of at most this many characters: on one line "Räddningstjänsten,
# kostnader i kr per invånare" ran ~45 px past the chart's right edge at 390 px.
NARROW_LEGEND_CHARS = 20
# Room (px) right of the plot for the value labels beside the lines' last points: the half step the last year has to
# its right was too little at 320 px, where "99,1" in 16 px ran 5 px past the chart's edge.
END_LABEL_ROOM = 24
# The share of the y scale under a point that a label below it needs, so that it does not sit on the x axis.
LABEL_ROOM_BELOW = 0.2


def get_label_places(values: list[float | None], low: float, high: float) -> list[str]:
    """Return where each point's value label goes (a key of LABEL_OFFSETS) so that it stays off its own line.

    ``values``: the line's points in year order (None: no point); ``low``, ``high``: the y scale's ends, in the values'
    unit. Above, unless a neighbouring point is higher (the line rises from it): then below where there is room
    (LABEL_ROOM_BELOW), else above on the side away from the higher neighbour. At either end of the line, no side is
    away from the plot, so a label that has no room below stays above."""
    span = (high - low) or 1.0
    places = []
    for i, value in enumerate(values):
        if value is None:
            places.append("above")
            continue
        left = values[i - 1] if i > 0 else None
        right = values[i + 1] if i + 1 < len(values) else None
        left_higher = left is not None and left > value
        right_higher = right is not None and right > value
        room = (value - low) / span >= LABEL_ROOM_BELOW
        if not left_higher and not right_higher:
            places.append("above")
        elif room and (left_higher == right_higher or left is None or right is None):
            places.append("below")  # a valley, or an end the line climbs away from
        elif left_higher != right_higher and left is not None and right is not None:
            places.append("above_right" if left_higher else "above_left")
        else:
            places.append("above")
    return places


def _get_label_places(df: pd.DataFrame, value_column: str, ticks: list[int] | None) -> pd.Series:
    """get_label_places for the one line of ``df`` (columns measure_year and ``value_column``), aligned with its
    rows; the scale's ends are the whole ticks, or 0 and the values' range as Vega's scale starts at zero."""
    frame = df.sort_values(s.MEASURE_YEAR, kind="stable")
    values = [None if pd.isna(v) else float(v) for v in frame[value_column]]
    known = [0.0, *(v for v in values if v is not None)]
    low, high = (ticks[0], ticks[-1]) if ticks else (min(known), max(known))
    return pd.Series(get_label_places(values, low, high), index=frame.index, dtype="object").reindex(df.index)


def has_legend(df: pd.DataFrame) -> bool:
    """Return whether comparison_chart draws ``df`` (column metric_label) with a legend: it has several metrics."""
    return df["metric_label"].nunique() > 1


def comparison_chart(df: pd.DataFrame, value_column: str, lang: str = "sv", height: int = 260,
                     narrow: bool = False) -> alt.TopLevelMixin:
    """Return lines with points per metric over the years (values in the metric's unit, or index).

    Takes columns metric_label, measure_year, the value column and value_label (formatted as in the
    tables), and attrs x_title, y_title, tt_metric, tt_value and baseline (a reference line, e.g. 100
    for an index; None for none). One metric: no legend, each point labelled with its value. Several
    metrics: a legend, and colour, point shape and dash all tell the lines apart (never colour alone); ``height`` is
    then the plot's, and the legend above it takes room of its own. ``narrow``: the phone's layout (ui.show_chart's
    narrow), the legend's names broken onto lines of NARROW_LEGEND_CHARS.
    """
    metrics = list(dict.fromkeys(df["metric_label"]))
    several = has_legend(df)
    n = max(len(metrics), 1)

    def scale(values: list) -> alt.Scale:
        return alt.Scale(domain=metrics, range=[values[i % len(values)] for i in range(n)])

    # A chart of its own, not a label that follows the width: Vega sized the chart before a legend label that changed
    # with the window got its new lines, and a phone turned upright had its legend standing above the chart.
    # The names as JSON with every character outside ASCII escaped: a name from the data is then a plain string literal
    # to Vega's expression parser, whatever it holds.
    wrapped = {m: format_wrapped(m, NARROW_LEGEND_CHARS, len(m)) for m in metrics} if narrow else {}
    legend = alt.Legend(title=None, orient="top", direction="vertical", labelLimit=600, symbolSize=110,
                        symbolStrokeWidth=0,
                        labelExpr=f"{json.dumps(wrapped)}[datum.label]" if wrapped else alt.Undefined
                        ) if several else None

    def color() -> alt.Color:
        return alt.Color("metric_label:N", sort=metrics, scale=scale(SERIES_COLORS), legend=legend)

    # Text needs darker shades of the line colours; a field of its own keeps them off the lines' colour scale.
    text_colors = {m: SERIES_TEXT_COLORS[i % len(SERIES_TEXT_COLORS)] for i, m in enumerate(metrics)}
    ticks = get_whole_ticks(df[value_column])
    # Only a single line labels every point; several label their last one each, beside it.
    places = None if several else _get_label_places(df, value_column, ticks)
    base = alt.Chart(df.assign(text_color=df["metric_label"].map(text_colors), label_place=places)).encode(
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
            align="left", dx=12, fontSize=get_font_size(FONT_SIZE - 1), fontWeight="bold").encode(
                text=alt.Text("value_label:N"), color=alt.Color("text_color:N", scale=None))
        layers = [lines, points, labels]
    else:
        # Each point's label on the side its line leaves free (get_label_places), one layer per side. Every side has
        # its layer, used or not, so that the spec stays the same when only the data changes (the browser then only
        # feeds the chart new data instead of drawing it anew).
        layers = [lines, points] + [
            base.transform_filter(alt.datum.label_place == place).mark_text(
                fontSize=get_font_size(FONT_SIZE - 1), color="#333333", **offsets).encode(text=alt.Text("value_label:N"))
            for place, offsets in LABEL_OFFSETS.items()]
    baseline = df.attrs.get("baseline")
    if baseline is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"y": [baseline]})).mark_rule(color="#6b6b6b", strokeDash=[3, 3])
                      .encode(y=alt.Y("y:Q")))
    chart = get_layer(*layers).properties(height=height)
    if several:
        # Fitted in width only: fitted in height too, the phone's legend lines took their room from the plot, which
        # was left ~60 px high for a scale of 0-100.
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                                 padding={"left": 5, "top": 5, "bottom": 5, "right": END_LABEL_ROOM})
    return configure_chart(chart, lang)


# Okabe–Ito, for comparison_chart's lines that stand for different metrics; each also gets its own point
# shape and dash, so lines are never told apart by colour alone.
SERIES_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
# The same hues, dark enough for text (>= 4.5:1 on white, WCAG 1.4.3): the value labels at the lines' ends.
SERIES_TEXT_COLORS = ["#0072b2", "#b34700", "#007a5a", "#a8437f", "#865f00", "#2a6f9c"]
SERIES_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
SERIES_DASHES = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 5]]

