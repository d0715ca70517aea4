"""Chart builders: axes a reader can trust."""

from __future__ import annotations

import html
import json
import math
import re

import pandas as pd
import pytest
import vl_convert as vlc

from ks_data import calc, charts, fmt
from ks_data import schema as s
from ks_data.charts import common as charts_common
from ks_data.views import comparisons as comparison_views
from ks_data.views import economy, waterfall
from ks_data.views import goals as goal_views
from tests.helpers import real_table


@pytest.mark.parametrize(("values", "ticks"), [
    ([1.0, 0.0, 0.0], [0, 1]),          # Antal antagna översiktsplaner 2018–2020
    ([0.0, 0.0], [0, 1]),               # ... 2019–2020: the same axis
    ([3.0, 5.0, 4.0], [0, 1, 2, 3, 4, 5]),
    ([-2.0, 1.0], [-2, -1, 0, 1]),
    ([0.5, 1.0], None),                  # not whole numbers: Vega's own ticks
    ([100.0, 250.0], None),              # too wide a span for one tick per number
    ([], None),
])
def test_whole_ticks_are_every_whole_number_of_a_small_count(values, ticks):
    assert charts.get_whole_ticks(pd.Series(values, dtype="float64")) == ticks


@pytest.mark.parametrize(("values", "domain", "ticks"), [
    ([1.0, 1.0, None], [0.0, 1.12], [0, 1]),     # Ranking i Norrland: rank 1 against a target of 1
    ([3.0, 1.0, None], [0.0, 3.24], [0, 1, 2, 3]),
    ([21.0, 53.0, None], [0.0, 59.36], None),    # percent: too many whole numbers, Vega's own ticks
    ([0.5, 1.0, None], [0.0, 1.06], None),       # not whole numbers
    ([None, None, None], [0.0, 1.0], None),
])
def test_domain_ticks_are_whole_numbers_for_a_small_whole_scale(values, domain, ticks):
    assert charts.get_domain_ticks(values, domain) == ticks


def test_a_rank_target_row_labels_its_axis_with_distinct_whole_numbers():
    indicators = calc.calc_indicator_statuses(real_table(s.INDICATORS), 2)
    frame = goal_views.get_target_chart_frame(indicators[indicators[s.GOAL_ID] == "2.1"])
    row = frame[frame["name"] == "Ranking i Norrland"]
    svg = vlc.vegalite_to_svg(charts.target_row_chart(row).to_json())
    group = re.search(r'aria-label="X-axis.*?role-axis-label[^>]*>(.*?)</g>', svg, re.S)
    assert group, "the chart has an x axis"
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", group.group(1))
    assert labels == ["0", "1"], labels


def _y_axis_labels(svg: str) -> list[str]:
    group = re.search(r'aria-label="Y-axis.*?role-axis-label[^>]*>(.*?)</g>', svg, re.S)
    assert group, "the chart has a y axis"
    return re.findall(r"<text[^>]*>([^<]*)</text>", group.group(1))


def _y_axis_label_positions(svg: str) -> list[tuple[str, str]]:
    group = re.search(r'aria-label="Y-axis.*?role-axis-label[^>]*>(.*?)</g>', svg, re.S)
    assert group, "the chart has a y axis"
    return re.findall(r'<text[^>]*transform="translate\(([^)]*)\)"[^>]*>([^<]*)</text>', group.group(1))


@pytest.mark.parametrize(("years", "values"), [
    ([2018, 2019, 2020], [1.0, 0.0, 0.0]),  # Antal antagna översiktsplaner 2018–2020
    ([2019, 2020], [0.0, 0.0]),             # ... 2019–2020: only zeros, the same axis
])
def test_a_small_count_has_each_axis_label_once_and_apart(years, values):
    df = pd.DataFrame({"metric_label": ["Antal antagna översiktsplaner"] * len(years), "measure_year": years,
                       "value": values, "value_label": [f"{v:.0f}" for v in values]})
    svg = vlc.vegalite_to_svg(charts.comparison_chart(df, "value").to_json())
    assert _y_axis_labels(svg) == ["0", "1"]
    positions = [where for where, _ in _y_axis_label_positions(svg)]
    assert len(set(positions)) == len(positions), positions  # not drawn on top of each other


def test_a_chart_of_large_values_keeps_vegas_own_ticks():
    df = pd.DataFrame({"metric_label": ["Index"] * 3, "measure_year": [2018, 2019, 2020],
                       "value": [100.0, 112.5, 131.0], "value_label": ["100", "112,5", "131"]})
    labels = _y_axis_labels(vlc.vegalite_to_svg(charts.comparison_chart(df, "value").to_json()))
    assert len(labels) >= 3 and len(set(labels)) == len(labels)


@pytest.mark.parametrize(("values", "low", "high", "places"), [
    ([1082, 1124, 1072], 0, 1200, ["below", "above", "below"]),          # Räddningstjänsten: a peak between two
    ([25479, 25070, 14288], 0, 26000, ["above", "above_right", "below"]),  # Färdtjänst: falls, then steeply
    ([1, 0, 0], 0, 1, ["above", "above_right", "above"]),                # översiktsplaner: to the floor, then flat
    ([0, 0], 0, 1, ["above", "above"]),
    ([0, 1], 0, 1, ["above", "above"]),           # an end at the floor climbing away: no room below, stays above
    ([5, 0.5, 5], 0, 5, ["above", "above", "above"]),  # a valley near the floor: the same
    ([2, 4, 6], 0, 6, ["below", "above_left", "above"]),  # rising: the label steps aside from the rise
    ([3, None, 3], 0, 4, ["above", "above", "above"]),
    ([7.0], 0, 7, ["above"]),
])
def test_a_value_label_goes_where_its_line_is_not(values, low, high, places):
    assert charts.comparisons.get_label_places(values, low, high) == places


def _line_points(svg: str) -> list[tuple[float, float]]:
    path = re.search(r'aria-roledescription="line mark" d="([^"]+)"', svg)
    assert path, "the chart has a line"
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", path.group(1))]


def _label_boxes(svg: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each value label and its box (left, top, right, bottom), from its anchor, baseline and font size (digits are
    about 0.6 em wide and 0.72 em high)."""
    boxes = []
    for anchor, x, y, size, text in re.findall(r'aria-roledescription="text mark" text-anchor="(\w+)" transform='
                                               r'"translate\((-?[\d.]+),(-?[\d.]+)\)"[^>]*font-size="([\d.]+)px"'
                                               r'[^>]*>([^<]+)<', svg):
        x, y, size, width = float(x), float(y), float(size), 0.6 * float(size) * len(text)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((text, (left, y - 0.72 * size, left + width, y)))
    return boxes


def _touches(box: tuple[float, float, float, float], a: tuple[float, float], b: tuple[float, float],
             margin: float) -> bool:
    left, top, right, bottom = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    steps = max(1, int(math.dist(a, b) * 2))
    return any(left <= a[0] + (b[0] - a[0]) * i / steps <= right and top <= a[1] + (b[1] - a[1]) * i / steps <= bottom
               for i in range(steps + 1))


@pytest.mark.parametrize(("width", "narrow"), [(220, False), (330, True)])  # a card on a laptop; on a phone
@pytest.mark.parametrize("metric", range(3))
def test_no_value_label_sits_on_its_line_or_its_points(width, narrow, metric):
    changes = comparison_views.calc_changes(real_table(s.COMPARISONS), None, 2018, 2020)
    card = comparison_views.get_value_cards(changes, "sv")[metric]
    spec = charts.comparison_chart(card.chart_frame, s.VALUE, "sv", height=220).properties(width=width).to_json()
    # On a phone the browser's container is narrow and the labels larger; vl-convert has no container.
    svg = vlc.vegalite_to_svg(spec.replace(charts.NARROW_CONTAINER, "true" if narrow else "false"))
    assert f'font-size="{16 if narrow else 13}px"' in svg
    points, boxes = _line_points(svg), _label_boxes(svg)
    assert sorted(text for text, _ in boxes) == sorted(card.chart_frame["value_label"])
    for text, box in boxes:
        # The line is 3 px wide; a point's symbol reaches about 6 px from its centre.
        assert not any(_touches(box, a, b, 1.5) for a, b in zip(points, points[1:])), (text, box, points)
        assert not any(_touches(box, point, point, 6) for point in points), (text, box, points)


def _legend_names(spec: dict) -> dict[str, str] | None:
    """The names the legend of a comparison chart shows for its metrics (labelExpr's table), None if it shows them as
    they are."""
    legends = [enc["legend"] for layer in spec["layer"] for enc in layer.get("encoding", {}).values()
               if isinstance(enc, dict) and enc.get("legend")]
    exprs = {legend.get("labelExpr") for legend in legends}
    assert legends and len(exprs) == 1, exprs  # colour and shape share one legend
    expr = exprs.pop()
    return None if expr is None else json.loads(expr.removesuffix("[datum.label]"))


@pytest.mark.parametrize(("metrics", "expected"), [(["A", "A"], False), (["A", "B"], True), ([], False)])
def test_a_comparison_chart_has_a_legend_only_for_several_metrics(metrics, expected):
    assert charts.has_legend(pd.DataFrame({"metric_label": metrics})) is expected


@pytest.mark.parametrize("narrow", [False, True])
def test_the_index_charts_legend_breaks_the_names_onto_short_lines_only_on_a_phone(narrow):
    changes = comparison_views.calc_changes(real_table(s.COMPARISONS), None, 2018, 2020)
    frame = comparison_views.get_chart_frame(changes, True, "sv")
    names = _legend_names(charts.comparison_chart(frame, frame.attrs["value_column"], "sv", narrow=narrow).to_dict())
    metrics = set(frame["metric_label"])
    if not narrow:
        assert names is None  # one line each, as long as they are
        return
    assert set(names) == metrics and len(metrics) == 3
    for name, shown in names.items():
        lines = shown.split("\n")
        assert " ".join(lines) == name and all(len(line) <= charts.NARROW_LEGEND_CHARS for line in lines), shown
    assert names["Räddningstjänsten, kostnader i kr per invånare"].count("\n") == 2


# A name as the data may hold it (ks_data.load reads line and paragraph separators as spaces before a chart sees one).
@pytest.mark.parametrize("name", ['Kostnad "per" invånare', "Back\\slash och ' apostrof", "</script><b>fet</b>",
                                  "Räddningstjänsten, kostnader i kr per invånare"])
def test_the_phones_legend_draws_any_name_from_the_data_on_its_lines(name):
    df = pd.DataFrame({"metric_label": [name, name, "Färdtjänst, antal enkelresor", "Färdtjänst, antal enkelresor"],
                       "measure_year": [2019, 2020] * 2, "index": [100.0, 90.0, 100.0, 80.0],
                       "value_label": ["100,0", "90,0", "100,0", "80,0"]})
    svg = vlc.vegalite_to_svg(charts.comparison_chart(df, "index", narrow=True).properties(width=330).to_json())
    legend = re.search(r'class="mark-group role-legend".*', svg, re.S).group(0)
    drawn = [html.unescape(line) for line in re.findall(r"<(?:tspan|text)[^>]*>([^<]+)<", legend)]
    lines = fmt.format_wrapped(name, charts.NARROW_LEGEND_CHARS, len(name)).split("\n")
    assert drawn[drawn.index(lines[0]):][:len(lines)] == lines, drawn


@pytest.mark.parametrize(("value", "low", "high", "domain", "reverse", "place"), [
    (91, 96, 96, (0, 107.5), False, ("left", 91)),     # Ärenden …: the target's rule to the right, room to the left
    (80, 70, 70, (0, 89.6), False, ("left", 70)),      # the rule to the left, no room right: beyond the rule
    (3, 75, 75, (0, 84), False, ("right", 3)),         # near the axis's start: no room left, so beyond the rule
    (16, 10, 10, (0, 17.9), True, ("right", 16)),      # lower is better: the axis runs right to left
    (5, 1, 5, (0, 5.6), False, ("left", 5)),           # a range's end
    (7, None, None, (0, 10), False, ("right", 7)),
])
def test_a_target_rows_value_label_keeps_off_the_target(value, low, high, domain, reverse, place):
    assert charts.goals.get_label_place(value, low, high, list(domain), reverse) == place


@pytest.mark.parametrize(("width", "narrow"), [(300, True), (560, False)])  # a phone's column; a laptop's
def test_no_target_rows_value_label_is_crossed_by_its_target_or_cut(width, narrow):
    indicators = calc.calc_indicator_statuses(real_table(s.INDICATORS), 2)
    frame = goal_views.get_target_chart_frame(indicators)
    assert len(frame) > 10
    crossed, cut = [], []
    for i in range(len(frame)):
        spec = charts.target_row_chart(frame.iloc[[i]]).properties(width=width).to_json()
        svg = vlc.vegalite_to_svg(spec.replace(charts.NARROW_CONTAINER, "true" if narrow else "false"))
        [(text, (left, _, right, _))] = _label_boxes(svg)
        rule = re.search(r'aria-roledescription="rule mark"[^>]*transform="translate\((-?[\d.]+),', svg)
        if rule and left - 2 <= float(rule.group(1)) <= right + 2:  # the rule is 3 px wide
            crossed.append((frame.iloc[i]["name"], text))
        if left < 0 or right > width:
            cut.append((frame.iloc[i]["name"], text, round(left), round(right)))
    assert crossed == [] and cut == [], (crossed, cut)


LONG_NAME = "↳ varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"


def _deviation_svg(names_above: bool, width: int) -> str:
    rows = economy.get_statement_rows(real_table(s.NET_COSTS), s.NET_COSTS, 500, False, "sv")
    frame = economy.get_deviation_frame(rows, s.NET_COSTS, False, "sv")
    chart = charts.deviation_chart(frame, economy.SHOWN, "sv", names_above=names_above).properties(width=width)
    return vlc.vegalite_to_svg(chart.to_json())


def _texts(svg: str) -> list[str]:
    return [" ".join(html.unescape(t).split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_deviation_rows_are_named_whole_above_their_bars_on_a_page():
    svg = _deviation_svg(names_above=True, width=900)
    assert 'aria-label="Y-axis' not in svg  # the names are not squeezed into an axis beside the bars
    texts = _texts(svg)
    assert LONG_NAME in texts
    assert "Samhällsenhet" in texts and "+1 721 tkr ◆ över gränsen" in texts


def test_the_presentation_keeps_its_names_on_the_axis():
    svg = _deviation_svg(names_above=False, width=600)
    assert "Samhällsenhet" in _y_axis_labels(svg)


def test_a_long_row_name_in_the_budget_chart_is_drawn_whole_on_lines_of_its_own():
    rows = economy.get_base_rows(real_table(s.NET_COSTS), s.NET_COSTS)
    svg = vlc.vegalite_to_svg(charts.budget_outcome_chart(economy.get_budget_outcome_frame(rows)).to_json())
    lines = [html.unescape(line).strip() for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)]
    assert lines[:3] == ["↳ varav politik, stöd- och", "ledningsfunktioner som IT, offentlig",
                         "service, ekonomi- och upphandling samt HR"]
    assert not any("…" in line for line in lines)


def _statement_charts(table: str) -> dict[str, dict]:
    rows = economy.get_statement_rows(real_table(table), table, 500, False, "sv")
    return {"deviation": charts.deviation_chart(economy.get_deviation_frame(rows, table, False, "sv"), economy.SHOWN),
            "budget": charts.budget_outcome_chart(economy.get_budget_outcome_frame(rows))}


@pytest.mark.parametrize("chart", ["deviation", "budget"])
def test_another_statements_chart_differs_only_in_its_data(chart):
    # The browser then swaps the data in instead of building the chart anew (docs/performance.md).
    specs = []
    for table in (s.OPERATING, s.NET_COSTS):
        spec = _statement_charts(table)[chart].to_dict()
        text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
        for i, name in enumerate(spec["datasets"]):  # Altair names a dataset by its rows' hash, ui by its place
            text = text.replace(json.dumps(name), f'"data_{i}"')
        specs.append((text, spec["datasets"]))
    (first, first_data), (second, second_data) = specs
    assert first_data != second_data
    assert first == second


@pytest.mark.parametrize(("chart", "width"), [("deviation", 900), ("budget", 900)])
def test_a_statements_rows_are_drawn_in_the_reports_order_within_the_padded_axis(chart, width):
    rows = economy.get_statement_rows(real_table(s.NET_COSTS), s.NET_COSTS, 500, False, "sv")
    svg = vlc.vegalite_to_svg(_statement_charts(s.NET_COSTS)[chart].properties(width=width).to_json())
    texts = _texts(svg)
    names = [name for name in rows["label"] if name in texts]
    assert len(names) >= 5 and [texts.index(n) for n in names] == sorted(texts.index(n) for n in names)
    if chart == "deviation":
        ticks = [float(t.replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")) for t in texts
                 if re.fullmatch(r"[\u2212-]?[\d  ]+", t)]
        low, high = charts_common._padded_domain(list(economy.get_deviation_frame(rows, s.NET_COSTS, False)["text_x"]), 0.55)
        assert low <= min(ticks) and max(ticks) <= high and min(ticks) < 0 < max(ticks)


@pytest.mark.parametrize("px", [13, 14, 16, 22])
def test_chart_text_is_at_least_16_px_in_a_narrow_container_and_as_before_elsewhere(px):
    size = charts.get_font_size(px).to_dict()
    assert size == {"expr": f"{charts.NARROW_CONTAINER} ? {max(px, 16)} : {px}"}
    assert charts.get_wide_font_size(size) == px and charts.get_wide_font_size(px) == px


def test_a_downloaded_waterfall_keeps_its_names_on_the_axis():
    # A file is drawn without a container (vl-convert): the wide layout, names beside the bars, none above them.
    rows = economy.get_statement_rows(real_table(s.NET_COSTS), s.NET_COSTS, 500, False, "sv")
    svg = vlc.vegalite_to_svg(charts.waterfall_chart(waterfall.get_waterfall_frame(rows)).to_json())
    assert _y_axis_labels(svg)[:3] == ["Budget", "Kommunledningskontor", "Näringslivskontor"]
    assert "Samhällsenhet" not in [t for t in _texts(svg) if t not in _y_axis_labels(svg)]


def test_names_broken_onto_lines_stand_whole_above_their_bars_each_ending_right_above_its_bar():
    rows = economy.get_statement_rows(real_table(s.NET_COSTS), s.NET_COSTS, 500, False, "sv")
    frame = economy.get_deviation_frame(rows, s.NET_COSTS, False, "sv")
    frame["label"] = [fmt.format_wrapped(label, 30, 8) for label in frame["label"]]
    lines = max(label.count("\n") + 1 for label in frame["label"])
    assert lines >= 3
    spec = charts.deviation_chart(frame, economy.SHOWN, "sv", names_above=True, name_lines=lines).to_dict()
    assert spec["height"] == {"step": lines * charts.NAME_LINE_PX + charts.DEVIATION_BAR + 12}
    names = next(iter(spec["datasets"].values()))
    # Every name has as many lines (the shorter ones start with blank ones), and no line was cut.
    assert {row[charts.WIDE_NAME].count("\n") + 1 for row in names} == {lines}
    assert all(row[charts.WIDE_NAME].replace("\u200b\n", "") == row["label"] for row in names)
    assert not any("…" in row["label"] for row in names)
