"""Altair chart builders, one module per page's subject. Every builder returns a configured chart with the locale's
number format and ends in ``_chart``.

- ``common``: colours, the number locale, font sizes, legends, row order and axis ranges as data, whole-number ticks.
- ``goals``: an indicator's value against its target (Mål).
- ``economy``: budget and outcome, the deviations, the waterfall (Ekonomi and its presentation screens).
- ``comparisons``: the comparison figures over the years (Jämförelsetal).
- ``activities``: activities per status (Aktiviteter).

Every name is re-exported here, so ``from ks_data import charts`` and ``charts.X`` work as before the split.
"""

from __future__ import annotations

from ks_data.charts.activities import ACTIVITY_KIND_COLORS, status_count_chart
from ks_data.charts.common import (
    BUDGET_COLOR,
    CHART_TEXT_COLOR,
    FONT_SIZE,
    HIGHLIGHT_COLOR,
    LABEL_LIMIT,
    LEGEND_ROOM,
    LOCALES,
    MAX_WHOLE_TICKS,
    NARROW_CONTAINER,
    NARROW_FONT_SIZE,
    NARROW_LEGEND,
    NEGATIVE_COLOR,
    OUTCOME_COLOR,
    POSITIVE_COLOR,
    REACH_HIGH,
    REACH_LOW,
    ROW_ORDER,
    STATUS_COLORS,
    STATUS_SHAPES,
    STATUS_SYMBOLS,
    _domain,
    _in_order,
    _legend_room,
    _padded_domain,
    _reach_layer,
    _side_text,
    _top_legend,
    _with_order,
    alt,
    configure_chart,
    get_domain_ticks,
    get_font_size,
    get_narrow_text,
    get_whole_ticks,
    get_wide_font_size,
)
from ks_data.charts.comparisons import (
    SERIES_COLORS,
    SERIES_DASHES,
    SERIES_SHAPES,
    SERIES_TEXT_COLORS,
    comparison_chart,
)
from ks_data.charts.economy import (
    BUDGET_BAR_STEP,
    DEVIATION_BAR,
    DEVIATION_STEP,
    NAME_LINE_PX,
    NAME_TEXT,
    NARROW_HIGH,
    NARROW_LOW,
    NARROW_SHARE,
    NARROW_WIDTH,
    SHOWN_NAME,
    SIDE_TEXT,
    WIDE_NAME,
    budget_outcome_chart,
    deviation_chart,
    waterfall_chart,
)
from ks_data.charts.goals import TARGET_ROW_HEIGHT, _target_row, target_chart, target_row_chart

__all__ = [
    "ACTIVITY_KIND_COLORS", "BUDGET_BAR_STEP", "BUDGET_COLOR", "CHART_TEXT_COLOR", "DEVIATION_BAR", "DEVIATION_STEP",
    "FONT_SIZE", "HIGHLIGHT_COLOR", "LABEL_LIMIT", "LEGEND_ROOM", "LOCALES", "MAX_WHOLE_TICKS", "NAME_LINE_PX", "NAME_TEXT", "WIDE_NAME",
    "NARROW_CONTAINER", "NARROW_HIGH", "NARROW_LEGEND", "NARROW_LOW", "NARROW_SHARE", "NARROW_WIDTH", "NEGATIVE_COLOR",
    "OUTCOME_COLOR", "POSITIVE_COLOR", "REACH_HIGH", "REACH_LOW", "ROW_ORDER", "SERIES_COLORS", "SERIES_DASHES",
    "SERIES_SHAPES", "SERIES_TEXT_COLORS", "SHOWN_NAME", "SIDE_TEXT", "STATUS_COLORS", "STATUS_SHAPES",
    "STATUS_SYMBOLS", "TARGET_ROW_HEIGHT", "_domain", "_in_order", "_legend_room", "_padded_domain", "_reach_layer",
    "_side_text", "_target_row", "_top_legend", "_with_order", "alt", "budget_outcome_chart", "comparison_chart",
    "configure_chart", "deviation_chart", "get_domain_ticks", "get_font_size", "get_narrow_text", "get_wide_font_size", "NARROW_FONT_SIZE", "get_whole_ticks", "status_count_chart",
    "target_chart", "target_row_chart", "waterfall_chart",
]
