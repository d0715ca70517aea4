"""Altair chart builders. Every builder returns a configured chart with the locale's number format.

Builders take the frames produced by ks_data.calc plus pre-formatted tooltip text, so the
numbers in tooltips read exactly as in the tables ("105 546", "80 %").
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ks_data import calc
from ks_data import schema as s

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

LOCALES = {
    "sv": {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
                      "minus": "\u2212"}},
    "en": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " SEK"], "minus": "\u2212"}},
}
FONT_SIZE = 14


def configure_chart(chart: alt.TopLevelMixin, lang: str = "sv") -> alt.TopLevelMixin:
    """Return ``chart`` with the language's number locale and readable font sizes."""
    return chart.configure(locale=LOCALES[lang]).configure_axis(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=320
    ).configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=400).configure_title(
        fontSize=FONT_SIZE + 2, anchor="start"
    ).configure_header(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)


def _domain(values: list[float], reverse: bool) -> list[float]:
    finite = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    lo, hi = min(finite + [0.0]), max(finite + [0.0])
    pad = (hi - lo) * 0.12 or 1.0
    lo = lo - pad if lo < 0 else 0.0
    hi = hi + pad
    return [hi, lo] if reverse else [lo, hi]


def target_chart(indicators: pd.DataFrame, lang: str = "sv", width: int = 560) -> alt.TopLevelMixin:
    """Return one row per indicator: the measured value as a point against the target as a rule or a band.

    Takes indicators with columns name, value, target, target_high, target_op, direction, unit,
    status (from calc.calc_indicator_statuses) and the display strings value_label, target_label,
    status_label, direction_label. Lower-is-better indicators get a reversed axis so that better
    is always to the right.
    """
    rows = []
    for _, r in indicators.iterrows():
        reverse = r[s.DIRECTION] == "lower"
        values = [r[s.VALUE], r[s.TARGET], r[s.TARGET_HIGH]]
        base = pd.DataFrame([r])
        point = alt.Chart(base).mark_point(size=260, filled=True, opacity=1).encode(
            x=alt.X(f"{s.VALUE}:Q", title=f"{r['unit_label']}", scale=alt.Scale(domain=_domain(values, reverse)),
                    axis=alt.Axis(format=",.0f", tickCount=5)),
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
        rows.append(alt.layer(target, point, label, title=title).properties(width=width, height=48))
    return configure_chart(alt.vconcat(*rows, spacing=28), lang)


def budget_outcome_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return grouped horizontal bars of budget and outcome (tkr) per row.

    Takes columns label, measure (display name of budget/outcome), amount (tkr), amount_label, highlight_label.
    """
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("measure:N", sort=None),
        x=alt.X("amount:Q", title="tkr", axis=alt.Axis(format=",.0f")),
        color=alt.Color("measure:N", sort=None, scale=alt.Scale(range=[BUDGET_COLOR, OUTCOME_COLOR]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("measure:N", title=df.attrs.get("tt_measure", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    ).properties(height=alt.Step(16))
    return configure_chart(chart, lang)


def deviation_chart(df: pd.DataFrame, value_column: str, lang: str = "sv") -> alt.TopLevelMixin:
    """Return diverging bars of the deviation per row (tkr or % of budget), beyond-threshold rows outlined.

    Takes columns label, the value column, value_label, sign_label and beyond_threshold (bool).
    """
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar(strokeWidth=3).encode(
        x=alt.X(f"{value_column}:Q", title=df.attrs.get("x_title", ""), axis=alt.Axis(format=",.0f")),
        color=alt.Color("sign_label:N", scale=alt.Scale(domain=df.attrs.get("sign_domain", []),
                                                         range=[POSITIVE_COLOR, NEGATIVE_COLOR]),
                        legend=alt.Legend(title=None, orient="top")),
        stroke=alt.condition(f"datum.{calc.BEYOND}", alt.value(HIGHLIGHT_COLOR), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("value_label:N", title=df.attrs.get("tt_value", "")),
                 alt.Tooltip("beyond_label:N", title=df.attrs.get("tt_beyond", ""))],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333333").encode(x="x:Q")
    text = base.mark_text(align="left", dx=4, fontSize=FONT_SIZE - 1).encode(
        x=alt.X(f"{value_column}:Q"), text="beyond_mark:N")
    return configure_chart(alt.layer(bars, zero, text).properties(height=alt.Step(34)), lang)


def waterfall_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return a waterfall from budgeted to actual net cost (tkr).

    Takes calc.calc_waterfall's columns plus label (display name of the step), kind_label and amount_label.
    """
    kinds = df.attrs.get("kind_domain", [])
    chart = alt.Chart(df).mark_bar(size=34).encode(
        x=alt.X("label:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
        y=alt.Y(f"{calc.START}:Q", title="tkr", axis=alt.Axis(format=",.0f")),
        y2=f"{calc.END}:Q",
        color=alt.Color("kind_label:N", scale=alt.Scale(domain=kinds, range=["#6b6b6b", POSITIVE_COLOR,
                                                                              NEGATIVE_COLOR, "#b36b00"][:len(kinds)]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    )
    return configure_chart(chart.properties(height=360), lang)


def comparison_chart(df: pd.DataFrame, value_column: str, lang: str = "sv") -> alt.TopLevelMixin:
    """Return lines with points per metric over the years (values or index).

    Takes columns metric_label, measure_year, the value column and value_label.
    """
    chart = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=3).encode(
        x=alt.X(f"{s.MEASURE_YEAR}:O", title=df.attrs.get("x_title", ""), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value_column}:Q", title=df.attrs.get("y_title", ""), axis=alt.Axis(format=",.0f")),
        color=alt.Color("metric_label:N", legend=alt.Legend(title=None, orient="top", columns=1)),
        tooltip=[alt.Tooltip("metric_label:N", title=df.attrs.get("tt_metric", "")),
                 alt.Tooltip(f"{s.MEASURE_YEAR}:O", title=df.attrs.get("x_title", "")),
                 alt.Tooltip("value_label:N", title=df.attrs.get("tt_value", ""))],
    )
    return configure_chart(chart.properties(height=320), lang)
