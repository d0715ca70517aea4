"""Presentation mode: the year as a sequence of screens with one message each, for a meeting room.

Pure functions (no Streamlit). A screen has a readable slug (its link: ``?presentation=1&skarm=budget``), belongs
to one of the app's pages, and shows a title, one sentence, key figures, items or a chart — all from the data,
words from ks_data.texts (keys ``pres.*``), numbers from ks_data.fmt.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field

import pandas as pd
import segno

from ks_data import calc, charts, routes, statements, years
from ks_data import schema as s
from ks_data.fmt import format_tkr, format_value, format_wrapped, get_locale
from ks_data.imports import import_on_use
from ks_data.texts import get_text
from ks_data.views import common, economy
from ks_data.views import goals as goal_views
from ks_data.views import overview as overview_views

# Imported when the first chart is made, not when the app starts (ks_data.imports).
alt = import_on_use("altair")

RESULT, GOAL_STATUS, BUDGET, DEVIATIONS, COMPARISONS = "resultat", "mal-status", "budget", "avvikelser", "jamforelsetal"
AREA_PREFIX = "malomrade-"
# The deviations screen shows the largest ones, so the bars stay readable from the back of a room.
MAX_DEVIATIONS = 4
# A key figure's value of at most this many characters (a count of goals) fits the narrowest card at full size.
SHORT_VALUE_CHARS = 4
# Smallest text on a screen (px) at 1280 × 720 and above; charts are scaled up to it.
MIN_FONT_PX = 22
FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")
# Chart row labels break onto lines of this many characters (at most LABEL_LINES), so long names stay readable.
LABEL_WIDTH, LABEL_LINES = 56, 2
# On a phone (the QR code's link), row names break onto shorter lines and the text is the phone's least size.
NARROW_LABEL_WIDTH, NARROW_LABEL_LINES = 22, 3
NARROW_FONT_PX = 16
# The deviation chart's names above their bars on a phone: lines of this many characters (a 320-px window has room for
# ~33 of 16-px text), as many as a name needs.
NARROW_NAME_CHARS, NARROW_NAME_LINES = 30, 8
LABEL_LIMIT_PX = 600


@dataclass(frozen=True)
class Screen:
    """One screen of the sequence: slug (URL value of ``skarm``), app page key, tables it needs, page params to go
    back to outside presentation mode, and the goal area it shows (None for others)."""

    slug: str
    page_key: str
    tables: tuple[str, ...]
    page_params: tuple[tuple[str, str], ...] = ()
    area: int | None = None


@dataclass
class ScreenContent:
    """What one screen shows: title, one message sentence, key figures (label, value, optional delta), items (text,
    status code, status words), a chart with its text alternative, and the report section it comes from."""

    title: str
    message: str
    figures: list[dict[str, str]] = field(default_factory=list)
    items: list[tuple[str, str | None, str]] = field(default_factory=list)
    chart: alt.TopLevelMixin | None = None
    chart_alt: str = ""
    source: str = ""
    # The same chart laid out for a phone (row names above the bars or on short lines), shown instead of ``chart``
    # where the screen is narrow; None where ``chart`` fits a phone as it is.
    narrow_chart: alt.TopLevelMixin | None = None


def _statement_params(part: str) -> tuple[tuple[str, str], ...]:
    return tuple(routes.get_statement_link(statements.DEFAULT_STATEMENT, part)[1].items())


def get_screens(goals: pd.DataFrame | None) -> list[Screen]:
    """Return the sequence of screens: result, goals by status, one per goal area in ``goals`` (none if the table is
    unavailable), budget against outcome, the biggest deviations and the comparison figures."""
    areas = goal_views.get_areas(common.get_latest(goals)) if goals is not None and len(goals) else []
    return [
        Screen(RESULT, routes.OVERVIEW, (s.OPERATING,)),
        Screen(GOAL_STATUS, routes.GOALS, (s.GOALS,)),
        *(Screen(f"{AREA_PREFIX}{area}", routes.GOALS, (s.GOALS,), ((routes.GOAL_AREA, str(area)),), area) for area in areas),
        Screen(BUDGET, routes.ECONOMY, (s.NET_COSTS,), _statement_params(economy.PART_BUDGET)),
        Screen(DEVIATIONS, routes.ECONOMY, (s.NET_COSTS,), _statement_params(economy.PART_DEVIATIONS)),
        Screen(COMPARISONS, routes.COMPARISONS, (s.COMPARISONS,)),
    ]


def get_screen_index(screens: list[Screen], slug: str | None) -> int | None:
    """Return the position of the screen named ``slug``, or None if there is none."""
    return next((i for i, screen in enumerate(screens) if screen.slug == slug), None)


def get_first_screen(screens: list[Screen], page_key: str) -> int:
    """Return the position of ``page_key``'s first screen; a page without screens starts the sequence (0)."""
    return next((i for i, screen in enumerate(screens) if screen.page_key == page_key), 0)


def format_counter(index: int, total: int) -> str:
    """Return the screen counter, e.g. "3 / 12" (``index`` counts from 0)."""
    return f"{index + 1} / {total}"


def get_screen_content(screen: Screen, frames: dict[str, pd.DataFrame], lang: str = "sv") -> ScreenContent:
    """Return the content of ``screen`` from the loaded ``frames`` (at least the screen's tables)."""
    if screen.slug == RESULT:
        return get_result_content(frames[s.OPERATING], lang)
    if screen.slug == GOAL_STATUS:
        return get_goal_status_content(frames[s.GOALS], lang)
    if screen.area is not None:
        return get_area_content(frames[s.GOALS], screen.area, lang)
    if screen.slug == BUDGET:
        return get_budget_content(frames[s.NET_COSTS], lang)
    if screen.slug == DEVIATIONS:
        return get_deviations_content(frames[s.NET_COSTS], lang)
    return get_comparisons_content(frames[s.COMPARISONS], lang)


def _figures(rows: pd.DataFrame, table: str, lang: str) -> list[dict[str, str]]:
    # Budget, outcome and deviation; last year's outcome needs its footnote, which a screen has no room for.
    return [{k: v for k, v in card.items() if k in ("label", "value", "delta", "delta_color", "delta_arrow")}
            for card in economy.get_key_figures(rows, table, lang)[:3]]


def get_result_content(operating: pd.DataFrame, lang: str = "sv") -> ScreenContent:
    """Return the year's result: net result against budget in one sentence, with budget, outcome, deviation and last
    year's outcome (tkr) as key figures."""
    rows = economy.get_statement_rows(operating, s.OPERATING, 0, False, lang)
    result = overview_views.get_result_summary(rows, lang)
    year = years.get_latest_year(rows)
    if not result:
        return ScreenContent(get_text("pres.result.title", lang, year=year), economy.get_result_caption(rows, s.OPERATING, lang),
                             source=common.get_section(rows))
    return ScreenContent(get_text("pres.result.title", lang, year=year),
                         f"{result['label']}: {result['sentence']}", _figures(rows, s.OPERATING, lang),
                         source=common.get_section(rows))


def _goal_counts(goals: pd.DataFrame, lang: str) -> pd.DataFrame:
    return overview_views.get_status_counts(goals[s.ASSESSMENT], lang)


def get_goal_status_content(goals: pd.DataFrame, lang: str = "sv") -> ScreenContent:
    """Return the goals by the report's assessment: how many are fulfilled, and the count of each status."""
    latest = common.get_latest(goals)
    counts = _goal_counts(latest, lang)
    fulfilled = int(counts.loc[counts["code"] == calc.FULFILLED, get_text("col.count", lang)].sum())
    figures = [{"label": label, "value": common.format_count(int(n), lang)}
               for label, n in zip(counts[get_text("col.status", lang)], counts[get_text("col.count", lang)], strict=True)]
    return ScreenContent(get_text("pres.goals.title", lang, year=years.get_latest_year(latest)),
                         get_text("pres.goals.message", lang, n=fulfilled, total=len(latest)), figures,
                         source=common.get_section(latest))


def get_area_content(goals: pd.DataFrame, area: int, lang: str = "sv") -> ScreenContent:
    """Return one goal area: how many of its goals are fulfilled, and each goal with the report's assessment."""
    latest = common.get_latest(goals)
    sel = latest[latest[s.AREA] == area].sort_values(s.POSITION)
    fulfilled = int((sel[s.ASSESSMENT] == calc.FULFILLED).sum())
    items = [(f"{r[s.GOAL_ID]} {r[s.TITLE]}", r[s.ASSESSMENT] if common.has_text(r[s.ASSESSMENT]) else None,
              common.format_status(r[s.ASSESSMENT], lang)) for _, r in sel.iterrows()]
    return ScreenContent(get_text("goals.area.n", lang, n=area),
                         get_text("pres.area.message", lang, n=fulfilled, total=len(sel)), items=items,
                         source=common.get_section(latest))


def _posts(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows[s.ROW_KIND] == "post"]


def _wrap_labels(rows: pd.DataFrame, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> pd.DataFrame:
    return rows.assign(**{economy.LABEL: [format_wrapped(label, width, lines) for label in rows[economy.LABEL]]})


def get_budget_content(net_costs: pd.DataFrame, lang: str = "sv") -> ScreenContent:
    """Return budget against outcome per verksamhet (tkr): how many kept within budget, and the bars."""
    rows = economy.get_statement_rows(net_costs, s.NET_COSTS, 0, False, lang)
    posts = _posts(rows).reset_index(drop=True)
    year = years.get_latest_year(rows)
    kept = int((posts[s.DEVIATION] >= 0).sum())
    chart = charts.budget_outcome_chart(economy.get_budget_outcome_frame(posts, lang, LABEL_WIDTH, LABEL_LINES), lang)
    narrow = charts.budget_outcome_chart(
        economy.get_budget_outcome_frame(posts, lang, NARROW_LABEL_WIDTH, NARROW_LABEL_LINES), lang)
    return ScreenContent(get_text("pres.budget.title", lang, year=year),
                         get_text("pres.budget.message", lang, n=kept, total=len(posts)), chart=chart,
                         narrow_chart=narrow,
                         chart_alt=get_text("pres.budget.alt", lang, year=year,
                                            rows=", ".join(f"{r[s.UNIT_NAME]} {format_tkr(r[s.BUDGET], get_locale(lang))} / "
                                                           f"{format_tkr(r[s.OUTCOME], get_locale(lang))}"
                                                           for _, r in posts.iterrows())),
                         source=common.get_section(rows))


def get_largest_deviations(rows: pd.DataFrame, n: int = MAX_DEVIATIONS) -> pd.DataFrame:
    """Return the ``n`` rows (verksamheter and varav rows, not the sum) with the largest deviation in tkr, largest first."""
    parts = rows[rows[s.ROW_KIND] != "summa"]
    order = parts[s.DEVIATION].astype(float).abs().sort_values(ascending=False, kind="stable").index
    return parts.loc[order].head(n).reset_index(drop=True)


def _get_screen_deviation_frame(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the deviation chart's frame (tkr) for a screen: without the page's threshold there is nothing to mark,
    so the bars carry only their value, and no axis title (every bar says "tkr")."""
    frame = economy.get_deviation_frame(rows, s.NET_COSTS, False, lang)
    frame[economy.BAR_TEXT] = frame[economy.VALUE_LABEL]
    frame[calc.BEYOND] = False
    frame.attrs["x_title"] = ""
    return frame


def get_deviations_content(net_costs: pd.DataFrame, lang: str = "sv") -> ScreenContent:
    """Return the largest deviations from budget (tkr): the largest in one sentence, and the bars."""
    rows = economy.get_statement_rows(net_costs, s.NET_COSTS, 0, False, lang)
    year = years.get_latest_year(rows)
    top = get_largest_deviations(rows)
    title = get_text("pres.deviations.title", lang, year=year)
    if top.empty:
        return ScreenContent(title, get_text("pres.deviations.none", lang), source=common.get_section(rows))
    first = top.iloc[0]
    dev = first[s.DEVIATION]
    direction = "pos" if dev > 0 else "neg" if dev < 0 else "zero"
    frame = _get_screen_deviation_frame(_wrap_labels(top), lang)
    # On a phone each name stands on its own line above its bar (as on the page), so the bars get the whole width.
    # Long names break onto lines: on one line a phone cut them with "…".
    narrow = _get_screen_deviation_frame(_wrap_labels(top, NARROW_NAME_CHARS, NARROW_NAME_LINES), lang)
    lines = max((label.count("\n") + 1 for label in narrow[economy.LABEL]), default=1)
    name = str(first[s.UNIT_NAME])
    return ScreenContent(title, get_text(f"pres.deviations.message.{direction}", lang, name=name,
                                         amount=format_tkr(abs(dev), get_locale(lang))),
                         chart=charts.deviation_chart(frame, economy.SHOWN, lang, names_above=False),
                         narrow_chart=charts.deviation_chart(narrow, economy.SHOWN, lang, names_above=True,
                                                                             name_lines=lines),
                         chart_alt=get_text("pres.deviations.alt", lang, year=year,
                                            rows=", ".join(f"{r[s.UNIT_NAME]} {v}" for (_, r), v in
                                                           zip(top.iterrows(), frame[economy.VALUE_LABEL], strict=True))),
                         source=common.get_section(rows))


def format_breakable(value, unit: str, locale: str) -> str:
    """Return a value with its unit like fmt.format_value, but with a plain space before a unit word ("1 072
    kr/invånare"), so a narrow card breaks the line there and not inside the number or the unit."""
    text = format_value(value, unit, locale)
    return text.replace(f"\u00a0{unit}", f" {unit}") if unit and unit != "%" else text


def get_comparisons_content(comparisons: pd.DataFrame, lang: str = "sv") -> ScreenContent:
    """Return the comparison figures: how many went down over the years, and each metric's last value with its trend."""
    latest = common.get_latest(comparisons)
    trend = calc.calc_trend(latest)
    loc = get_locale(lang)
    title = overview_views.get_comparisons_heading(latest, lang)
    figures = [{"label": f"{r[s.METRIC]} ({r['last_year']})", "value": format_breakable(r["last_value"], r[s.UNIT], loc),
                "delta": get_text("pres.comparisons.delta", lang, trend=get_text(f"trend.{r['direction']}", lang),
                                  first=format_value(r["first_value"], r[s.UNIT], loc), first_year=r["first_year"]),
                "delta_color": "off", "delta_arrow": "off"} for _, r in trend.iterrows()]
    down = int((trend["direction"] == "down").sum()) if len(trend) else 0
    message = get_text("pres.comparisons.message", lang, n=down, total=len(trend),
                       first=int(latest[s.MEASURE_YEAR].min()), last=int(latest[s.MEASURE_YEAR].max()))
    return ScreenContent(title, message, figures, source=common.get_section(latest))


def has_short_values(figures: list[dict[str, str]]) -> bool:
    """Return True when every key figure's value (``figures[i]["value"]``) is at most SHORT_VALUE_CHARS characters."""
    return bool(figures) and all(len(figure["value"]) <= SHORT_VALUE_CHARS for figure in figures)


def get_chart_spec(chart: alt.TopLevelMixin, font_px: int = MIN_FONT_PX, fill_height: bool = True) -> dict:
    """Return ``chart``'s Vega-Lite spec with every text at least ``font_px`` (label room and offsets grown to match;
    row steps kept, so the chart still fits a screen), filling its container's height (``fill_height``) or else as
    high as its rows need (on a phone, where the screen scrolls)."""
    spec = copy.deepcopy(chart.to_dict())
    factor = font_px / charts.FONT_SIZE

    def grow(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FONT_KEYS and charts.get_wide_font_size(value) is not None:
                    # A phone's larger chart text (charts.get_font_size) gives way to the screen's own, larger still.
                    node[key] = max(round(charts.get_wide_font_size(value) * factor), font_px)
                elif key in ("labelLimit", "limit") and isinstance(value, int | float):
                    node[key] = max(round(value * factor), LABEL_LIMIT_PX)
                elif key in ("dx", "dy") and isinstance(value, int | float):
                    node[key] = round(value * factor)
                else:
                    grow(value)
        elif isinstance(node, list):
            for value in node:
                grow(value)

    grow({k: v for k, v in spec.items() if k != "datasets"})
    # A legend the page places at the chart's left edge (charts._top_legend) has room for the page's font size only;
    # with the screen's larger text it stands above the plot again, where it takes the room it needs.
    _visit(spec, _put_legend_on_top)
    spec.pop("padding", None)
    # Row labels may hold line breaks (format_wrapped; charts.configure_chart breaks lines there), and none may be left
    # out to avoid overlap; the chart fills the height its container gets.
    _visit(spec, _keep_y_labels)
    if fill_height:
        spec["height"] = "container"
    else:
        # As wide as its container and no wider: without it a single chart kept Vega-Lite's 300 px plot width plus
        # its row names, and a 360 px phone cut its bars off at the right.
        spec["width"] = "container"
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        # The x axis's last label ("0") stands half beyond the plot's right end, past Vega's default 5 px there.
        spec["padding"] = {"top": 5, "bottom": 5, "left": 5, "right": 12}
        _visit(spec, _stack_legend)  # a legend's entries side by side ran past a phone's edge
    # The legends stay above the charts: beside them they took ~200 px of the width, and on a 1024 px projector the
    # deviation chart's values ran into its row names. Both chart screens still fit 1280 × 720 without scrolling.
    config = spec.setdefault("config", {})
    config.setdefault("text", {})["fontSize"] = font_px
    for part in ("axis", "legend", "header"):
        config.setdefault(part, {}).update({"labelFontSize": max(config.get(part, {}).get("labelFontSize", 0), font_px),
                                            "titleFontSize": max(config.get(part, {}).get("titleFontSize", 0), font_px)})
    return spec


def _visit(node, change) -> None:
    """Call ``change`` on every dict of a Vega-Lite spec (datasets left out), parents before their children."""
    if isinstance(node, dict):
        change(node)
        for key, value in node.items():
            if key != "datasets":
                _visit(value, change)
    elif isinstance(node, list):
        for value in node:
            _visit(value, change)


def _put_legend_on_top(node: dict) -> None:
    legend = node.get("legend")
    if isinstance(legend, dict) and legend.get("orient") == "none":
        legend["orient"] = "top"
        legend.pop("legendX", None)
        legend.pop("legendY", None)


def _stack_legend(node: dict) -> None:
    if isinstance(node.get("legend"), dict):
        node["legend"]["direction"] = "vertical"


def _keep_y_labels(node: dict) -> None:
    y = node.get("encoding", {}).get("y") if isinstance(node.get("encoding"), dict) else None
    if isinstance(y, dict) and isinstance(y.get("axis"), dict):
        y["axis"]["labelOverlap"] = False


def get_qr_svg(url: str) -> str:
    """Return a QR code of ``url`` as an SVG document (made offline by segno, black on white, scalable)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=10, border=2, dark="#000000",
                                                   light="#ffffff", xmldecl=False, svgns=True, omitsize=False)
    return buffer.getvalue().decode("utf-8")
