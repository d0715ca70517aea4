"""Charts of a statement (Ekonomi and its presentation screens): budget against outcome, the deviations, the waterfall."""

from __future__ import annotations

import pandas as pd

from ks_data import calc
from ks_data import schema as s
from ks_data.charts.common import (
    BUDGET_COLOR,
    CHART_TEXT_COLOR,
    FONT_SIZE,
    HIGHLIGHT_COLOR,
    LABEL_LIMIT,
    NARROW_CONTAINER,
    NARROW_FONT_SIZE,
    NARROW_LEGEND,
    NEGATIVE_COLOR,
    OUTCOME_COLOR,
    POSITIVE_COLOR,
    REACH_HIGH,
    REACH_LOW,
    _in_order,
    _legend_room,
    _padded_domain,
    _reach_layer,
    _side_text,
    _top_legend,
    _with_order,
    alt,
    configure_chart,
    get_font_size,
    get_layer,
)
from ks_data.texts import get_text

# A container narrower than this (px) is a window of 320 CSS px (WCAG 1.4.10 reflow); a phone's is at least 328.
REFLOW_CONTAINER = 320
# Height of one bar (px): a row's two bars have room for a row name of up to three lines (economy.ROW_LABEL_LINES).
BUDGET_BAR_STEP = 22


def budget_outcome_chart(df: pd.DataFrame, lang: str = "sv", bar_step: int = BUDGET_BAR_STEP) -> alt.TopLevelMixin:
    """Return grouped horizontal bars of budget and outcome (tkr) per row, in the frame's order; each bar ``bar_step``
    px high with its gap (a phone's chart of names broken onto more lines needs more).

    Takes columns label, measure (display name of budget/outcome), amount (tkr) and amount_label;
    tooltip titles in ``df.attrs`` (tt_label, tt_measure, tt_amount) and optionally the axis title (x_title).
    """
    # A phone's chart of its own (a larger bar_step): fewer amounts on the axis, or "−100 000" and "0" ran into each
    # other at 16 px; its names are on short lines already, so under REFLOW_CONTAINER px (320 px, WCAG 1.4.10) they may
    # take 60 % of the width (at half, "Kommunledningskontor" was cut). Elsewhere the names get half there, or the
    # bars had none left.
    phone = bar_step != BUDGET_BAR_STEP
    name_room = "containerSize()[0] * 0.6" if phone else "containerSize()[0] / 2"
    x_axis = alt.Axis(format=",.0f", tickCount=3, labelSeparation=8) if phone else alt.Axis(format=",.0f", tickCount=6)
    chart = alt.Chart(_with_order(df)).mark_bar().encode(
        # A phone's 16-px names of three lines need a tighter line than Vega's (font size + 2), or Vega leaves out
        # every other name as overlapping (a row has two bars' height).
        y=alt.Y("label:N", title=None, sort=_in_order(), axis=alt.Axis(
            labelLimit=alt.ExprRef(f"containerSize()[0] < {REFLOW_CONTAINER} ? {name_room} : {LABEL_LIMIT}"),
            labelLineHeight=alt.ExprRef(f"{NARROW_CONTAINER} ? 15 : {FONT_SIZE + 2}"))),
        yOffset=alt.YOffset("measure:N", sort=None),
        x=alt.X("amount:Q", title=df.attrs.get("x_title") or get_text("economy.axis.amount", lang), axis=x_axis),
        color=alt.Color("measure:N", sort=None, scale=alt.Scale(range=[BUDGET_COLOR, OUTCOME_COLOR]),
                        legend=_top_legend(from_edge=True)),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("measure:N", title=df.attrs.get("tt_measure", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    ).properties(height=alt.Step(bar_step), padding=_legend_room())
    return configure_chart(chart, lang)


def deviation_chart(df: pd.DataFrame, value_column: str, lang: str = "sv", names_above: bool = True,
                    name_lines: int = 1) -> alt.TopLevelMixin:
    """Return diverging bars of the deviation per row (tkr or % of budget), each row's name written above its bar
    (``names_above``, for a page column of any width) or on an axis beside the bars (for the presentation, whose
    names are broken into lines); beyond-threshold rows are outlined and their text says so ("◆ över gränsen"), so the
    highlight never relies on colour alone.

    ``name_lines``: the most lines a name above its bar has (names broken onto lines, for a chart only a phone shows);
    each row has room for that many.

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
        # Names broken onto lines (a phone's chart) get the marker on a line of its own, so no line runs past the edge.
        gap = "\n" if name_lines > 1 else "  "
        df = df.assign(**{NAME_TEXT: [f"{bar[len(value):].strip()}{gap}{label}" if bar != value else label
                                      for label, bar, value
                                      in zip(df["label"], df["bar_text"], df["value_label"], strict=True)],
                          NARROW_LOW: narrow_low, NARROW_HIGH: narrow_high})
    # A row: its name on the upper half, its bar on the lower.
    step = DEVIATION_STEP if names_above else 34
    shift = DEVIATION_BAR / 2 if names_above else 0
    name_place = {"baseline": "bottom", "dy": -2}
    if names_above:
        df = df.assign(**{WIDE_NAME: df["label"]})
    if names_above and name_lines > 1:
        # The bars at the bottom of their rows, each name's last line right above its bar: Vega writes a text's lines
        # downwards from its top, so a shorter name starts with blank lines (a zero-width space each: Vega empties a
        # line of white space, and a browser moves no line down for an empty one).
        step = name_lines * NAME_LINE_PX + DEVIATION_BAR + 12
        shift = step / 2 - DEVIATION_BAR / 2 - 4
        name_place = {"baseline": "top", "dy": shift - DEVIATION_BAR / 2 - 2 - name_lines * NAME_LINE_PX,
                      "lineHeight": NAME_LINE_PX}

        def pad(names: pd.Series) -> list[str]:
            return ["\u200b\n" * max(name_lines - 1 - str(n).count("\n"), 0) + str(n) for n in names]

        df = df.assign(**{NAME_TEXT: pad(df[NAME_TEXT]), WIDE_NAME: pad(df["label"])})
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=_in_order(), axis=axis))
    if names_above:
        base = base.transform_calculate(**{
            SHOWN_NAME: f"{DEVIATION_NARROW} ? datum.{NAME_TEXT} : datum.{WIDE_NAME}",
            SIDE_TEXT: f"{DEVIATION_NARROW} ? datum.value_label : datum.bar_text",
            REACH_LOW: f"{DEVIATION_NARROW} ? datum.{NARROW_LOW} : datum.{REACH_LOW}",
            REACH_HIGH: f"{DEVIATION_NARROW} ? datum.{NARROW_HIGH} : datum.{REACH_HIGH}"})
    bar_mark = {"size": DEVIATION_BAR, "yOffset": shift} if names_above else {}
    bars = base.mark_bar(strokeWidth=3, **bar_mark).encode(
        x=alt.X(f"{value_column}:Q", title=df.attrs.get("x_title", ""), scale=alt.Scale(nice=False),
                axis=alt.Axis(format=",.0f", tickCount=6)),
        color=alt.Color("sign_label:N", scale=alt.Scale(domain=df.attrs.get("sign_domain", []),
                                                         range=[POSITIVE_COLOR, NEGATIVE_COLOR]),
                        legend=_top_legend()),
        # The channel itself, not alt.condition's dict: Altair turns a dict into a channel by hashing its whole schema
        # (~7 ms a chart).
        stroke=alt.StrokeValue(value=None, condition={"test": f"datum.{calc.BEYOND}", "value": HIGHLIGHT_COLOR}),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("value_label:N", title=df.attrs.get("tt_value", "")),
                 alt.Tooltip("beyond_label:N", title=df.attrs.get("tt_beyond", ""))],
    )
    if names_above:
        # The zero line is drawn bar by bar, so it does not run through the names above the bars.
        zero = base.mark_tick(orient="vertical", color="#333333", thickness=1, size=DEVIATION_BAR + 8,
                              yOffset=shift).encode(x=alt.XDatum(0))
    else:
        zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333333").encode(x="x:Q")
    side = SIDE_TEXT if names_above else "bar_text"
    right = _side_text(base, "text_x", "datum.text_x >= 0", "left", side, dy=shift)
    left = _side_text(base, "text_x", "datum.text_x < 0", "right", side, dy=shift)
    layers = [bars, zero, right, left, _reach_layer(base, df.attrs.get("x_title", ""))]
    if names_above:
        layers.insert(2, base.mark_text(align="left", **name_place, fontSize=get_font_size(FONT_SIZE),
                                        color=CHART_TEXT_COLOR, limit=alt.ExprRef("width"))
                      .encode(x=alt.XValue(0), text=alt.Text(f"{SHOWN_NAME}:N")))
    return configure_chart(get_layer(*layers).properties(height=alt.Step(step)), lang)


# A deviation row: its name on the upper half of the step, its bar on the lower.
DEVIATION_BAR = 16
DEVIATION_STEP = 46
# Height (px) of each further line of a name above its bar: a phone's 16-px text (NARROW_FONT_SIZE) and Vega's 2 px.
NAME_LINE_PX = NARROW_FONT_SIZE + 2
# Under this plot width (px) the deviation chart with names above its bars is laid out for a phone (deviation_chart),
# with this share of the span as room beside the bars for their values.
NARROW_WIDTH = 440
# ... and in any narrow container, whose 16-px text (get_font_size) made "+1 721 tkr ◆ över gränsen" run past the edge
# of a 488-px plot (an iPad upright with the menu open).
DEVIATION_NARROW = f"(width < {NARROW_WIDTH} || {NARROW_CONTAINER})"
NARROW_SHARE = 0.9
NAME_TEXT, SHOWN_NAME, SIDE_TEXT, WIDE_NAME = "name_text", "shown_name", "side_text", "wide_name"
NARROW_LOW, NARROW_HIGH = "narrow_low", "narrow_high"


def waterfall_chart(df: pd.DataFrame, lang: str = "sv") -> alt.TopLevelMixin:
    """Return a horizontal waterfall from budgeted to actual net cost (tkr), one step per row, top to bottom.

    Takes calc.calc_waterfall's columns plus label (display name of the step), kind_label and amount_label;
    legend order and titles in ``df.attrs`` (kind_domain, x_title, tt_label, tt_amount). The axis is zoomed to
    the steps, so the budget and outcome bars (which start at 0) run off its right edge. In a narrow container (a
    phone) each step's name stands on its own line above its bar, so the bars and their amounts get the width.
    """
    kinds = df.attrs.get("kind_domain", [])
    # The legend's four entries in two columns (one on a phone): in one row (~545 px from the plot's left edge) they ran
    # past the chart's right edge at 1024 px with the menu open and at 200 % zoom.
    steps = df[df[calc.STEP_KIND].isin(["unit", "rounding"])]
    totals = df[df[calc.STEP_KIND].isin(["start", "end"])]
    lo = min(list(steps[calc.START]) + list(steps[calc.END]) + list(totals[calc.END]))
    hi = max(list(steps[calc.START]) + list(steps[calc.END]) + list(totals[calc.END]))
    span = (hi - lo) or 1.0
    wide, narrow = [lo - span * 0.35, hi + span * 0.35], [lo - span * WATERFALL_NARROW_SHARE, hi + span * WATERFALL_NARROW_SHARE]
    # The zoom stays in the spec (a data-driven range would reach the bars that start at 0); the waterfall shows for
    # one statement only, so a change of statement builds it anew anyway. On a phone the names leave the axis (an
    # empty label takes no width) for a line above each bar, and the zoom leaves room beside the bars for the amounts
    # ("+1 721 tkr" ran past the chart's right edge at 390 px).
    base = alt.Chart(_with_order(df)).encode(y=alt.Y("label:N", sort=_in_order(), title=None, axis=alt.Axis(
        labelLimit=LABEL_LIMIT, labelExpr=f"{NARROW_CONTAINER} ? '' : datum.label")))
    bars = base.mark_bar(clip=True, size=alt.ExprRef(f"{NARROW_CONTAINER} ? {WATERFALL_NARROW_BAR} : bandwidth('y')"),
                         yOffset=alt.ExprRef(f"{NARROW_CONTAINER} ? {WATERFALL_NARROW_SHIFT} : 0")).encode(
        x=alt.X(f"{calc.START}:Q", title=df.attrs.get("x_title", ""),
                scale=alt.Scale(domain=alt.ExprRef(f"{NARROW_CONTAINER} ? {narrow} : {wide}"), nice=False, zero=False),
                axis=alt.Axis(format=",.0f", tickCount=6)),
        x2=alt.X2(f"{calc.END}:Q"),
        color=alt.Color("kind_label:N", scale=alt.Scale(domain=kinds, range=["#6b6b6b", POSITIVE_COLOR,
                                                                              NEGATIVE_COLOR, HIGHLIGHT_COLOR][:len(kinds)]),
                        legend=alt.Legend(title=None, orient="top", columns=alt.ExprRef(
                            f"width < {NARROW_LEGEND} ? 1 : 2"))),
        tooltip=[alt.Tooltip("label:N", title=df.attrs.get("tt_label", "")),
                 alt.Tooltip("amount_label:N", title=df.attrs.get("tt_amount", ""))],
    )
    grows = f"datum.{calc.STEP_KIND} != 'start' && datum.{calc.STEP_KIND} != 'end' && datum.{s.DEVIATION} >= 0"
    shift = alt.ExprRef(f"{NARROW_CONTAINER} ? {WATERFALL_NARROW_SHIFT} : 0")
    right = _side_text(base, calc.END, grows, "left", "amount_label", dy=shift)
    left = _side_text(base, calc.END, f"!({grows})", "right", "amount_label", dy=shift)
    names = base.mark_text(align="left", baseline="bottom", dy=WATERFALL_NARROW_SHIFT - WATERFALL_NARROW_BAR / 2 - 2, aria=False,
                           fontSize=get_font_size(FONT_SIZE), color=CHART_TEXT_COLOR).encode(
        x=alt.XValue(0), text=alt.TextValue(alt.ExprRef(f"{NARROW_CONTAINER} ? datum.label : ''")))
    return configure_chart(get_layer(bars, right, left, names).properties(height=alt.Step(WATERFALL_STEP)), lang)


WATERFALL_STEP = 34
# On a phone: a step's bar (px) on the lower part of its row, under its name, and the share of the span beside the
# steps where their amounts stand.
WATERFALL_NARROW_BAR = 12
WATERFALL_NARROW_SHIFT = 9
WATERFALL_NARROW_SHARE = 1.0


