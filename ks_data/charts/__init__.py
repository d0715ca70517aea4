"""Altair chart builders, one module per page's subject. Every builder returns a configured chart with the locale's
number format and ends in ``_chart``.

- ``common``: colours, the number locale, font sizes, legends, row order and axis ranges as data, whole-number ticks.
- ``goals``: an indicator's value against its target (Mål).
- ``economy``: budget and outcome, the deviations, the waterfall (Ekonomi and its presentation screens).
- ``comparisons``: the comparison figures over the years (Jämförelsetal).
- ``activities``: activities per status (Aktiviteter).

The names the app, the outputs and the tests use are re-exported here (``from ks_data import charts``,
``charts.deviation_chart``); a module's own helpers stay in it.
"""

from __future__ import annotations

from ks_data.charts.activities import status_count_chart
from ks_data.charts.common import (
    CHART_TEXT_COLOR,
    FONT_SIZE,
    LABEL_LIMIT,
    LOCALES,
    NARROW_CONTAINER,
    STATUS_COLORS,
    STATUS_SYMBOLS,
    configure_chart,
    get_domain_ticks,
    get_font_size,
    get_whole_ticks,
    get_wide_font_size,
)
from ks_data.charts.comparisons import NARROW_LEGEND_CHARS, comparison_chart, has_legend
from ks_data.charts.economy import (
    DEVIATION_BAR,
    NAME_LINE_PX,
    WIDE_NAME,
    budget_outcome_chart,
    deviation_chart,
    waterfall_chart,
)
from ks_data.charts.goals import target_chart, target_row_chart

__all__ = [
    "CHART_TEXT_COLOR", "DEVIATION_BAR", "FONT_SIZE", "LABEL_LIMIT", "LOCALES", "NAME_LINE_PX", "NARROW_CONTAINER",
    "NARROW_LEGEND_CHARS",
    "STATUS_COLORS", "STATUS_SYMBOLS", "WIDE_NAME", "budget_outcome_chart", "comparison_chart", "configure_chart",
    "deviation_chart", "get_domain_ticks", "get_font_size", "get_whole_ticks", "get_wide_font_size", "has_legend",
    "status_count_chart", "target_chart", "target_row_chart", "waterfall_chart",
]
