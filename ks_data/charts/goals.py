"""Charts of the goals page: each indicator's measured value against its target."""

from __future__ import annotations

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.charts.common import (
    FONT_SIZE,
    STATUS_COLORS,
    STATUS_SHAPES,
    _domain,
    alt,
    configure_chart,
    get_domain_ticks,
    get_font_size,
    get_layer,
    get_narrow_text,
)
from ks_data.fmt import format_wrapped


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
# The share of the axis a value label needs beside its point ("91 %" at 14-16 px in a chart of 300-560 px).
LABEL_ROOM = 0.18


def get_label_place(value: float, target_low: float | None, target_high: float | None, domain: list[float],
                    reverse: bool = False) -> tuple[str, float]:
    """Return where a value label stands so that the target's rule does not cross it: (side, x), the label to the
    "left" or "right" of x. Beside the point (x = ``value``): on the side away from the target where the axis leaves
    LABEL_ROOM there, else between the point and a target at least that far; else beyond the target, on its far side
    (x = the target's far edge). ``target_low`` and ``target_high``: a rule's value twice, or a range's ends (None: no
    target); all values and ``domain`` (the axis's ends) in the indicator's unit; ``reverse``: a lower-is-better axis,
    drawn right to left."""
    span = (domain[1] - domain[0]) or 1.0

    def place(v: float) -> float:
        share = (v - domain[0]) / span
        return 1 - share if reverse else share

    at = place(value)
    room_left, room_right = at >= LABEL_ROOM, at <= 1 - LABEL_ROOM
    if target_low is None or target_high is None or pd.isna(target_low) or pd.isna(target_high):
        return ("right" if room_right else "left"), value
    (left_x, left), (right_x, right) = sorted(((target_low, place(target_low)), (target_high, place(target_high))),
                                              key=lambda item: item[1])
    if right <= at:  # the target stands to the left of the point
        if room_right or at - right >= LABEL_ROOM:  # beside the point: away from the target, or room before it
            return ("right" if room_right else "left"), value
        return "left", (left_x if left >= LABEL_ROOM else value)  # beyond the target, where the axis has room
    if left >= at:  # to the right
        if room_left or left - at >= LABEL_ROOM:
            return ("left" if room_left else "right"), value
        return "right", (right_x if right <= 1 - LABEL_ROOM else value)
    return ("right" if room_right else "left"), value  # inside a range: its band is light enough to read text on


# Characters of a line of an indicator's name on a phone (16 px text in a chart of ~300 px).
NARROW_TITLE_CHARS = 30


def _target_row(r: pd.Series) -> alt.LayerChart:
    reverse = r[s.DIRECTION] == "lower"
    values = [r[s.VALUE], r[s.TARGET], r[s.TARGET_HIGH]]
    domain = _domain(values)
    # A rank of 1 against a target of 1 got the axis "1 1 1 1 0 0 0" (ticks at 0,25 steps shown without decimals).
    ticks = get_domain_ticks(values, domain)
    # The label off the target's rule: "91 %" stood on the dashed rule of 96 %. Its place is a column of the one frame
    # every layer shares (get_layer), not a frame of its own.
    high = r[s.TARGET_HIGH] if r[s.TARGET_OP] == "range" else r[s.TARGET]
    side, label_x = get_label_place(float(r[s.VALUE]), r[s.TARGET], high, domain, reverse)
    base = pd.DataFrame([r]).assign(label_x=label_x)
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
            x=alt.X(f"{s.TARGET}:Q"), x2=alt.X2(f"{s.TARGET_HIGH}:Q"))
    else:
        target = alt.Chart(base).mark_rule(strokeWidth=3, strokeDash=[6, 3], color="#333333").encode(
            x=alt.X(f"{s.TARGET}:Q"))
    label = alt.Chart(base).mark_text(
        align="left" if side == "right" else "right", dx=10 if side == "right" else -10, dy=-14,
        fontSize=get_font_size(FONT_SIZE)).encode(x=alt.X("label_x:Q"), text=alt.Text("value_label:N"))
    # On a phone the name is broken onto lines, and the status stands on a line of its own under the target: on one
    # line "Målvärde: minst 53 % · Högre är bättre · ✖ Ej nått" was cut at the chart's edge with "…" (Vega-Lite takes
    # no expression for a subtitle, so its two lines are the same everywhere). The title's limit is the chart's width
    # as it is now: without one, Streamlit sets the width it first saw, and a chart first drawn narrow kept "Andel kv…"
    # when the window widened.
    aim, _, status = str(r["chart_subtitle"]).rpartition(" · ")
    title = alt.TitleParams(text=get_narrow_text(format_wrapped(r["name"], NARROW_TITLE_CHARS, 9), str(r["name"])),
                            subtitle=[aim, status] if aim else [status],
                            fontSize=get_font_size(FONT_SIZE + 1), subtitleFontSize=get_font_size(FONT_SIZE - 1),
                            anchor="start", limit=alt.ExprRef("width"))
    return get_layer(target, point, label, title=title).properties(height=TARGET_ROW_HEIGHT)


