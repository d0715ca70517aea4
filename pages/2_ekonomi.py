"""Ekonomi: budget against outcome for one statement: its key figures, then one part at a time (the deviations beyond
a threshold, budget and outcome per row, or the reconciliation with the report's rounding)."""

import streamlit as st

import ui
from ks_data import charts, routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.ECONOMY)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
common, economy, statements, years = ui.views.common, ui.views.economy, ui.views.statements, ui.views.years
steps = ui.views.waterfall  # "Från budget till utfall"


def render() -> None:
    """Lay out the statement selector, its heading and key figures, the chosen part of its view and the source."""
    lang = ui.get_lang()
    statement = page.select(routes.STATEMENT, tuple(statements.STATEMENTS), statements.DEFAULT_STATEMENT, ui.t("economy.statement"),
                            format_func=lambda key: statements.format_statement(key, lang), horizontal=True)
    table = statements.get_table_name(statement)
    data = ui.require_tables_or_stop(*statements.get_needed_tables(statement), by_year=True)
    rows = economy.get_base_rows(data[table], table, lang)
    year = years.get_latest_year(rows)
    name = statements.format_statement(statement, lang)

    st.header(ui.t("economy.heading.statement", statement=name, year=year), anchor=False)
    st.markdown(economy.get_sign_text(table, lang))
    with ui.figure_row():
        for card in economy.get_key_figures(rows, table, lang):
            st.metric(card["label"], card["value"], card.get("delta"), help=ui.escape_markdown(card["help"]), border=True,
                      height="stretch", delta_color=card.get("delta_color", "normal"),
                      delta_arrow=card.get("delta_arrow", "auto"))

    # One part at a time below the key figures: a statement switch redraws the key figures and that part, not every
    # chart of the statement (docs/performance.md, "Stop 15"); a part switch redraws only the part.
    ui.run_part(page, render_part, data, rows, table, statement, name, lang)
    ui.show_source(common.get_section(rows))


def render_part(data: dict, rows, table: str, statement: str, name: str, lang: str) -> None:
    """Lay out the part selector and the chosen part: the deviations, budget and outcome, or the reconciliation."""
    part = page.select(routes.PART, economy.PARTS, economy.DEFAULT_PART, ui.t("economy.part"), segmented=True,
                       format_func=lambda key: economy.format_part(key, lang), help=ui.t("economy.part.help"))
    if part == "avvikelser":
        # Moving the threshold redraws only the deviations and the statement table.
        ui.run_part(page, render_deviations, data[table], table, statement, name, lang)
        return
    page.keep(routes.AS_PERCENT, routes.THRESHOLD, routes.THRESHOLD_PCT)
    if part == "budget":
        render_budget(rows, table, statement, name, lang)
    else:
        render_recon(data, table, lang)


def render_budget(rows, table: str, statement: str, name: str, lang: str) -> None:
    """Show budget and outcome for each row (the statement's base rows), the steps from budget to outcome (net costs)
    and, with two or more report years, every year's budget and outcome."""
    year = years.get_latest_year(rows)
    files = economy.get_file_stem(statement, year)  # download file names
    st.subheader(ui.t("economy.heading.budget"))
    # On a phone the row names break onto shorter lines, in a chart of their own (ui.show_chart), so the bars get half
    # the width instead of a few pixels.
    narrow, bar_step = economy.get_narrow_budget_outcome_frame(rows, lang)
    ui.show_chart(ui.get_chart(charts.budget_outcome_chart, economy.get_budget_outcome_frame(rows, lang), lang),
                  ui.t("economy.alt.budget", statement=name, year=year),
                  economy.get_result_caption(rows, table, lang), economy.get_budget_outcome_data(rows, lang),
                  key="budget", download_name=f"{files}-budget-utfall", label=ui.t("economy.label.budget"),
                  narrow=ui.get_chart(charts.budget_outcome_chart, narrow, lang, bar_step))

    if table == s.NET_COSTS:
        waterfall = steps.get_waterfall_frame(rows, lang)
        st.subheader(ui.t("economy.heading.waterfall"))
        ui.show_chart(ui.get_chart(charts.waterfall_chart, waterfall, lang),
                      ui.t("economy.alt.waterfall", **steps.get_waterfall_ends(waterfall, lang)),
                      steps.get_waterfall_caption(waterfall, lang), steps.get_waterfall_data(waterfall, lang),
                      key="waterfall", download_name=f"{files}-vattenfall")
    ui.show_conflicts(economy.get_conflicts(rows, table, lang))

    render_years(ui.get_table(table), table, statement, name, lang)


def render_recon(data: dict, table: str, lang: str) -> None:
    """Show where the report's printed totals differ from what its rows add up to, and why."""
    st.subheader(ui.t("economy.heading.recon"))
    lines = economy.get_mismatch_lines(data, table, lang)
    if lines:
        st.markdown(ui.t("economy.recon.intro"))
        ui.show_bullets(lines)
        st.markdown(ui.t("economy.recon.explain"))
    else:
        st.markdown(ui.t("economy.recon.none"))


def render_deviations(df, table: str, statement: str, name: str, lang: str) -> None:
    """Lay out the unit and threshold controls with what they drive: the deviation chart and, under it, the statement
    table."""
    st.subheader(ui.t("economy.heading.deviation"))
    row = ui.widget_row()
    use_pct = page.toggle(routes.AS_PERCENT, False, ui.t("economy.unit_toggle"), where=row,
                          help=ui.t("economy.unit_toggle.help"))
    if use_pct:
        low, high, step, default = economy.THRESHOLD_PCT
        threshold = page.slider(routes.THRESHOLD_PCT, low, high, default, ui.t("economy.threshold.pct"), step=step, where=row,
                                help=ui.t("economy.threshold.help"))
        page.leave_out(routes.THRESHOLD)
    else:
        low, high, step, default = economy.THRESHOLD_TKR
        threshold = page.slider(routes.THRESHOLD, low, high, default, ui.t("economy.threshold.tkr"), step=step, where=row,
                                help=ui.t("economy.threshold.help"))
        page.leave_out(routes.THRESHOLD_PCT)

    rows = economy.get_statement_rows(df, table, threshold, use_pct, lang)
    year = years.get_latest_year(rows)
    limit = economy.format_threshold(threshold, use_pct, lang)
    files = economy.get_file_stem(statement, year, use_pct)  # download file names

    # The table as in the report is the chart's table: all its rows and columns, each row marked beyond the threshold
    # or not, in the expander under the chart (drawn open on every switch, it was a sixth of a statement switch's time).
    deviations = economy.get_deviation_frame(rows, table, use_pct, lang)
    # On a phone the longest names break onto lines above their bars, in a chart of their own (ui.show_chart).
    narrow = economy.get_narrow_deviation_frame(deviations)
    ui.show_chart(ui.get_chart(charts.deviation_chart, deviations, economy.SHOWN, lang),
                  ui.t("economy.alt.deviation", statement=name, year=year, threshold=limit,
                       unit=ui.t("economy.alt.unit.pct" if use_pct else "economy.alt.unit.tkr")),
                  economy.get_deviation_caption(rows, table, threshold, use_pct, lang),
                  ui.TableTwin(economy.get_statement_data(rows, table, threshold, use_pct, lang), files,
                               ui.t("economy.table.alt", statement=name, year=year), economy.get_prev_year_note(rows, lang)),
                  key="deviation", download_name=f"{files}-avvikelse", label=ui.t("economy.label.deviation"),
                  narrow=narrow and ui.get_chart(charts.deviation_chart, narrow[0], economy.SHOWN, lang,
                                                 name_lines=narrow[1]))
    # Under the deviations: where the report's text calls a deviation something the table does not show.
    ui.show_conflicts(economy.get_conflicts(rows, table, lang))


def render_years(df, table: str, statement: str, name: str, lang: str) -> None:
    """Show the statement's budget and outcome in every report year (chart and tables), when there are two or more."""
    if not ui.has_several_years():
        return
    by_year = years.calc_statement_years(df, table, lang)
    st.subheader(ui.t("years.economy.heading"))
    ui.show_chart(ui.get_chart(charts.budget_outcome_chart, years.get_years_chart_frame(by_year, lang), lang),
                  years.format_years_alt(by_year, name, lang), years.format_years_caption(by_year, lang),
                  years.get_years_total_data(by_year, lang), key="years", download_name=f"ekonomi-{statement}-per-ar",
                  label=ui.t("years.economy.label"))
    with st.expander(ui.t("years.economy.lines")):
        ui.show_table(years.get_years_line_data(by_year, lang), download_name=f"ekonomi-{statement}-rader-per-ar")


# The title stays put while a widget change redraws the content below it.
ui.show_title("economy.title", "economy.intro")
ui.run_page(page, render)
