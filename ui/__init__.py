"""The one place where Streamlit meets ks_data, as a package of rooms (each module says what it holds):

- ``state``: the pages and their addresses, the session's frame parameters (language, presentation, year) and
  ``Page``, whose widgets are bound to URL parameters; ``context``: what one script run knows (its page, the years).
- ``frame``: page set-up, our own menu, the language and year switches, the share link, running a page's parts.
- ``data``: the tables as pages get them (validated, of the shown year), the data check, the warm-up, and the notices
  a page shows when a table is missing, invalid or empty.
- ``cache``: every store kept between runs, with an inventory of them, and ``views``: the ks_data view modules as
  pages use them, cached or not as ``cache.VIEW_MODULES`` decides.
- ``chart``: a chart's finished Vega-Lite spec, built once per process; ``display``: titles, rows and cards, charts
  with their tables and downloads, view tables, texts from the data, badges.
- ``presentation``: presentation mode's screens.
- ``assets/``: the CSS and JavaScript of the page, as files.
- ``internals``: the only module that imports a private Streamlit name (one function per touchpoint).

Every page script starts with ``page = ui.setup_page_or_stop(KEY)``, reads its widgets through
``page.select`` / ``page.slider`` / ``page.toggle`` (which seed from the URL and validate it),
and ends with ``ui.run_page(page, render)``, which runs the page's content as a fragment (a widget change
redraws only that) and writes the whole view into the URL after every run. Pages run
standalone (Streamlit's classic ``pages/`` mode, no ``st.navigation``), so a deep link
opened as the very first request after a server start renders the same frame.

This module only re-exports what the pages (and serve.py's warm-up) use.
"""

from __future__ import annotations

from ks_data.markup import escape_markdown, format_badges, format_highlighted
from ui.cache import (
    ResultCache,
    get_cached,
    get_data_check,
    get_data_folder,
    get_table_problems,
    get_years,
    views,
)
from ui.chart import ChartSpec, get_chart
from ui.data import (
    EmptyTableError,
    YearMissingError,
    data_section,
    get_loaded_tables,
    get_table,
    get_year_frames,
    require_tables_or_stop,
    warm_up,
)
from ui.display import (
    GOAL_LIST_KEY,
    MORE_PREFIX,
    SR_ONLY,
    TableTwin,
    card,
    card_row,
    figure_row,
    get_shown_table,
    get_table_html,
    show_bullets,
    show_chart,
    show_conflicts,
    show_report_download,
    show_source,
    show_status_badge,
    show_table,
    show_table_twin,
    show_text,
    show_title,
    split_row,
    widget_row,
)
from ui.frame import page_link, run_page, run_part, setup_page_or_stop
from ui.state import (
    GLOBAL_PARAMS,
    PAGE_BY_KEY,
    PAGES,
    Page,
    get_lang,
    get_previous_year,
    get_year,
    has_several_years,
    t,
)

__all__ = [
    "GLOBAL_PARAMS", "GOAL_LIST_KEY", "MORE_PREFIX", "PAGES", "PAGE_BY_KEY", "SR_ONLY", "ChartSpec", "EmptyTableError",
    "Page", "ResultCache", "TableTwin", "YearMissingError", "card", "card_row", "data_section", "escape_markdown",
    "figure_row", "format_badges", "format_highlighted", "get_cached", "get_chart", "get_data_check",
    "get_data_folder", "get_lang", "get_loaded_tables", "get_previous_year", "get_shown_table", "get_table",
    "get_table_html", "get_table_problems", "get_year", "get_year_frames", "get_years", "has_several_years",
    "page_link", "require_tables_or_stop", "run_page", "run_part", "setup_page_or_stop", "show_bullets", "show_chart",
    "show_conflicts", "show_report_download", "show_source", "show_status_badge", "show_table", "show_table_twin", "show_text",
    "show_title", "split_row", "t", "views", "warm_up", "widget_row",
]
