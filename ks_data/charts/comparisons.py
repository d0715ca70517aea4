"""Charts of the comparison figures (Jämförelsetal): a line per metric over the measure years."""

from __future__ import annotations

import pandas as pd

from ks_data import schema as s
from ks_data.charts.common import FONT_SIZE, alt, configure_chart, get_font_size, get_layer, get_whole_ticks


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
            align="left", dx=12, fontSize=get_font_size(FONT_SIZE - 1), fontWeight="bold").encode(
                text=alt.Text("value_label:N"), color=alt.Color("text_color:N", scale=None))
    else:
        labels = base.mark_text(dy=-14, fontSize=get_font_size(FONT_SIZE - 1), color="#333333").encode(text=alt.Text("value_label:N"))
    layers = [lines, points, labels]
    baseline = df.attrs.get("baseline")
    if baseline is not None:
        layers.insert(0, alt.Chart(pd.DataFrame({"y": [baseline]})).mark_rule(color="#6b6b6b", strokeDash=[3, 3])
                      .encode(y=alt.Y("y:Q")))
    return configure_chart(get_layer(*layers).properties(height=height), lang)


# Okabe–Ito, for comparison_chart's lines that stand for different metrics; each also gets its own point
# shape and dash, so lines are never told apart by colour alone.
SERIES_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
# The same hues, dark enough for text (>= 4.5:1 on white, WCAG 1.4.3): the value labels at the lines' ends.
SERIES_TEXT_COLORS = ["#0072b2", "#b34700", "#007a5a", "#a8437f", "#865f00", "#2a6f9c"]
SERIES_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
SERIES_DASHES = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3], [4, 4], [1, 5]]

