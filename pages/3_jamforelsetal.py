"""Jämförelsetal: the board's comparison figures year by year, as values or as an index, with the changes between years."""

import streamlit as st

import ui
from ks_data import charts, routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.COMPARISONS)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
common, comparison = ui.views.common, ui.views.comparisons


def render() -> None:
    """Lay out the choices, the charts (one per metric, or one index chart) and the change table (made when opened)."""
    lang = ui.get_lang()
    # The shown report year decides which report's comparison table (its own measure years) is used.
    comparisons = ui.require_tables_or_stop(s.COMPARISONS, by_year=True)[s.COMPARISONS]
    options = comparison.get_metric_options(comparisons)
    first_year, last_year = comparison.get_year_bounds(comparisons)

    row = ui.widget_row()
    option = page.select(routes.METRIC, (comparison.ALL, *options), comparison.ALL, ui.t("comparisons.metric"),
                         format_func=lambda o: comparison.format_metric_option(o, options, lang), where=row)
    period = page.slider(routes.PERIOD, first_year, last_year, (first_year, last_year), ui.t("comparisons.years"), where=row)
    use_index = page.toggle(routes.AS_INDEX, False, ui.t("comparisons.index"), where=row, help=ui.t("comparisons.index.help"))

    changes = comparison.calc_changes(comparisons, comparison.get_metric(option, options), *period)
    if use_index:
        render_index(changes, period, lang)
    else:
        render_values(changes, lang)

    # The year-to-year changes are made when opened: drawn open, the table with its heading, note and downloads made
    # a period step redraw ~20 ms more than the bare slider page's whole redraw (docs/performance.md, "Stop 16").
    ui.show_table_twin(comparison.get_change_data(changes, use_index, lang),
                       f"jamforelsetal-{option}-{period[0]}-{period[1]}" + ("-index" if use_index else ""),
                       label=ui.t("comparisons.table"), note=ui.t("comparisons.table.note"), key="comparisons_changes")
    ui.show_source(common.get_section(comparisons))


def render_values(changes, lang: str) -> None:
    """Show one small chart per metric, so metrics with different units never share a scale."""
    st.header(ui.t("comparisons.chart.values"), anchor=False, help=ui.t("comparisons.chart.values.help"))
    # One cached answer for all cards: asked for card by card, the cache keys and copies were ~2 ms of a period step.
    cards = comparison.get_value_cards(changes, lang)
    if not cards:
        st.info(ui.t("comparisons.no_data"))
        return
    with ui.card_row(len(cards)) as row:
        for card in cards:
            with ui.card(row):
                st.markdown(f"**{ui.escape_markdown(card.title)}**")
                ui.show_chart(ui.get_chart(charts.comparison_chart, card.chart_frame, s.VALUE, lang, height=220),
                              card.alt, card.caption, card.table, key=f"chart_{card.slug}",
                              download_name=f"jamforelsetal-{card.slug}", label=card.label)


def render_index(changes, period: tuple[int, int], lang: str) -> None:
    """Show all chosen metrics in one index chart (first year = 100) and say which cannot be indexed, and why."""
    st.header(ui.t("comparisons.chart.index", first=period[0]), anchor=False)
    for metric in comparison.get_zero_base_metrics(changes):
        st.info(ui.escape_markdown(comparison.format_zero_base_note(metric, period[0], lang)))
    chart_frame = comparison.get_chart_frame(changes, True, lang)
    if chart_frame.empty:
        st.info(ui.t("comparisons.no_index"))
        return
    left, _ = st.columns([3, 1])
    with left:
        column = chart_frame.attrs["value_column"]
        ui.show_chart(ui.get_chart(charts.comparison_chart, chart_frame, column, lang, height=200),
                      comparison.format_index_alt(changes, lang), comparison.format_index_caption(changes, lang),
                      comparison.get_chart_table_data(changes, True, lang), key="chart_index",
                      download_name=f"jamforelsetal-index-{period[0]}-{period[1]}",
                      label=ui.t("comparisons.label.index"),
                      # A phone's layout only for a legend to break onto lines: one metric's chart is the same there.
                      narrow=ui.get_chart(charts.comparison_chart, chart_frame, column, lang, height=200, narrow=True)
                      if charts.has_legend(chart_frame) else None)


# The title stays put while a widget change redraws the content below it.
ui.show_title("comparisons.title", "comparisons.intro")
ui.run_page(page, render)
