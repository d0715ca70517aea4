"""Översikt: the year at a glance. Entry point: streamlit run app.py."""

import streamlit as st

import ui
from ks_data import routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.OVERVIEW)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
common, overview, statements, years = ui.views.common, ui.views.overview, ui.views.statements, ui.views.years


def render() -> None:
    """Lay out the overview cards; a card whose table is broken shows why, the others still show."""
    lang = ui.get_lang()
    year, previous = ui.get_year(), ui.get_previous_year()
    with ui.card_row(3) as row:
        render_key_cards(row, year, previous, lang)
    with ui.card_row(3) as row:
        render_text_cards(row, lang)
    with st.expander(ui.t("overview.status_meaning")):
        ui.show_table(overview.get_status_legend(lang), download_name="statusforklaring")
    ui.show_report_download("download_pdf")


def render_key_cards(row, year, previous, lang: str) -> None:
    """Lay out the result, goals and investments cards."""
    with ui.card(row), ui.data_section(s.OPERATING):
        operating = ui.get_table(s.OPERATING, by_year=True)
        result = overview.get_result_summary(operating, lang)
        st.metric(ui.t("overview.result"), result["value"], result["delta"], help=ui.t("overview.result.help"))
        st.markdown(result["sentence"])
        st.caption(ui.t("overview.budget_was", budget=result["budget"]))
        change = years.get_result_change(ui.get_table(s.OPERATING), year, previous, lang)
        if change:
            st.markdown(change["sentence"])
        ui.show_source(common.get_section(operating))
        ui.page_link(routes.ECONOMY, ui.t("overview.to_economy"))
    with ui.card(row), ui.data_section(s.GOALS):
        goals = ui.get_table(s.GOALS, by_year=True)
        st.markdown(f"**{ui.t('overview.goals')}**")
        for line in overview.get_status_count_lines(goals, lang):
            st.markdown(line)
        ui.show_source(common.get_section(goals))
        ui.page_link(routes.GOALS, ui.t("overview.to_goals"))
    with ui.card(row), ui.data_section(s.INVESTMENTS):
        investments = ui.get_table(s.INVESTMENTS, by_year=True)
        inv = overview.get_investment_summary(investments, lang)
        st.metric(ui.t("overview.investments"), inv["value"], inv["delta"], delta_color="off",
                  help=ui.t("overview.investments.help"))
        st.markdown(inv["sentence"])
        ui.show_source(common.get_section(investments))
        ui.page_link(routes.ECONOMY, ui.t("overview.to_investments"), {routes.STATEMENT: [statements.get_statement(s.INVESTMENTS)]})


def render_text_cards(row, lang: str) -> None:
    """Lay out the comparison figures card and the year-in-brief card (twice as wide)."""
    with ui.card(row), ui.data_section(s.COMPARISONS):
        comparisons = ui.get_table(s.COMPARISONS, by_year=True)
        st.markdown(f"**{overview.get_comparisons_heading(comparisons, lang)}**")
        ui.show_bullets(overview.get_trend_lines(comparisons, lang))
        ui.show_source(common.get_section(comparisons))
        ui.page_link(routes.COMPARISONS, ui.t("overview.to_comparisons"))
    with ui.card(row, wide=True), ui.data_section(s.NARRATIVE):
        narrative = ui.get_table(s.NARRATIVE, by_year=True)
        st.markdown(f"**{ui.t('overview.summary')}**")
        for para in overview.get_summary_paragraphs(narrative):
            ui.show_text(para)
        ui.show_source(overview.SUMMARY_SECTION)
        ui.page_link(routes.ACTIVITIES, ui.t("overview.to_activities"))


# The title stays put while a widget change redraws the content below it.
ui.show_title("overview.title", "overview.intro")
ui.run_page(page, render)
