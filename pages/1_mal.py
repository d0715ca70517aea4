"""Mål och styrtal: every goal's status, and one goal opened with its indicators and the report's texts."""

import streamlit as st

import ui
from ks_data import charts, routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.GOALS)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
calc, common, goal_views, years = ui.views.calc, ui.views.common, ui.views.goals, ui.views.years
ALL = routes.ALL
NONE_OPENED = "ingen"
STATUS_OPTIONS = (ALL, *calc.GOAL_STATUSES, "none")


def render() -> None:
    """Lay out filters, the goal list and the opened goal."""
    lang = ui.get_lang()
    data = ui.require_tables_or_stop(s.GOALS, s.INDICATORS, by_year=True)
    goals, indicators = data[s.GOALS], data[s.INDICATORS]

    c1, c2, c3 = st.columns([1, 1, 1.4])
    area = page.select(routes.GOAL_AREA, (ALL, *goal_views.get_areas(goals)), ALL, ui.t("goals.area"),
                       format_func=lambda a: ui.t("goals.area.all") if a == ALL else ui.t("goals.area.n", n=a),
                       where=c1)
    status = page.select(routes.STATUS, STATUS_OPTIONS, ALL, ui.t("goals.status"),
                         format_func=lambda st_: ui.t("goals.status.all") if st_ == ALL
                         else common.format_status(None if st_ == "none" else st_, lang), where=c2)
    tolerance = page.slider(routes.TOLERANCE, 0, 20, 2, ui.t("goals.tolerance"), where=c3,
                            help=ui.t("goals.tolerance.help"))
    goal_ids = tuple(goals[s.GOAL_ID])
    titles = dict(zip(goals[s.GOAL_ID], goals[s.TITLE], strict=True))
    opened = page.select(routes.GOAL, (NONE_OPENED, *goal_ids), NONE_OPENED, ui.t("goals.open"), omit=NONE_OPENED,
                         format_func=lambda g: ui.t("goals.open.none") if g == NONE_OPENED else f"{g} – {titles[g]}")

    statuses = calc.calc_goal_statuses(goals, indicators, tolerance)
    shown = goal_views.filter_goals(statuses, None if area == ALL else area, None if status == ALL else status)
    # An opened goal's indicator table has eight columns: give it more of the width (at 1366 px its notes
    # column was squeezed to a few characters).
    if opened == NONE_OPENED:
        left, right = st.columns([2, 3], gap="large")
    else:
        # On a narrow screen the opened goal comes above the list, so a click on a goal's card shows it.
        left, right = ui.split_row()
    with left:
        st.header(ui.t("goals.list"), anchor=False)
        st.caption(ui.t("goals.count", n=len(shown), total=len(statuses)))
        if shown.empty:
            st.info(ui.t("goals.none_match"))
        # A goal's card is one button (its number, title and both statuses): a filter change redraws each card, and
        # as text, frame and button a card was three elements; eleven of them made a filter change slower than a
        # bare page (docs/performance.md, "Stop 16").
        with st.container(key=ui.GOAL_LIST_KEY):
            for card in goal_views.get_goal_cards(shown, lang):
                st.button(card.label, key=f"open_{card.goal_id}", on_click=page.set_value,
                          args=(routes.GOAL, card.goal_id),
                          type="primary" if card.goal_id == opened else "secondary", width="stretch")
        ui.show_table_twin(goal_views.get_goal_overview(shown, lang), download_name="mal-lista")
        ui.show_source(common.get_section(goals))
    with right:
        if opened == NONE_OPENED:
            st.info(ui.t("goals.open.hint"))
        else:
            render_goal(goal_views.get_goal(statuses, opened), indicators, tolerance, lang)


def render_goal_years(goal_id: str, lang: str) -> None:
    """Show the goal's indicators beside the previous report's, when the data holds the previous year."""
    year, previous = ui.get_year(), ui.get_previous_year()
    if previous is None:
        return
    changes = years.calc_indicator_changes(goal_views.get_goal_indicators(ui.get_table(s.INDICATORS), goal_id), year,
                                           previous)
    if changes.empty:
        return
    st.subheader(ui.t("years.goals.heading", previous=previous), anchor=False)
    if not changes[years.HAS_PREV].any():
        st.info(ui.t("years.goals.none", year=year, previous=previous))
        return
    st.caption(years.format_indicator_change_caption(changes, year, previous, lang))
    targeted, others = years.split_by_target(changes)
    if not targeted.empty:
        ui.show_table(years.get_indicator_change_data(targeted, year, previous, lang),
                      download_name=f"mal-{goal_id}-styrtal-{previous}-{year}")
    if not others.empty:
        with st.expander(ui.t("years.goals.others", n=len(others), previous=previous), expanded=targeted.empty):
            ui.show_table(years.get_indicator_change_data(others, year, previous, lang),
                          download_name=f"mal-{goal_id}-ovriga-siffror-{previous}-{year}")


def render_goal(goal, indicators, tolerance: int, lang: str) -> None:
    """Show one goal: assessment against computed status, indicators as charts and table, and the texts."""
    st.header(ui.escape_markdown(f"{goal[s.GOAL_ID]} {goal[s.TITLE]}"), anchor=False)
    if common.has_text(goal[s.DEFINITION]):
        st.markdown(f"**{ui.t('goals.definition')}:**")
        ui.show_text(goal[s.DEFINITION])
    a, b = st.columns(2, border=True)
    with a:
        st.markdown(f"**{ui.t('goals.report_assessment')}**")
        ui.show_status_badge(goal[s.ASSESSMENT], common.format_status(goal[s.ASSESSMENT], lang))
        if common.has_text(goal[s.ASSESSMENT_TEXT]):
            ui.show_text(ui.t("goals.assessment_quote", text=goal[s.ASSESSMENT_TEXT]))
    with b:
        st.markdown(f"**{ui.t('goals.computed_status')}**")
        ui.show_status_badge(goal[calc.COMPUTED_STATUS], common.format_status(goal[calc.COMPUTED_STATUS], lang))
        st.markdown(f"{ui.t('goals.rule')}: {goal_views.get_rule_text(goal, lang)}")
    if goal[calc.DISAGREES]:
        st.warning(ui.t("goals.disagree"))
    elif common.has_text(goal[s.ASSESSMENT]):
        st.success(ui.t("goals.agree"))
    goal_ind = calc.calc_indicator_statuses(goal_views.get_goal_indicators(indicators, goal[s.GOAL_ID]), tolerance)
    ui.show_conflicts(goal_views.get_indicator_conflicts(goal_ind, lang))

    st.subheader(ui.t("goals.indicators"))
    targeted = goal_views.get_target_chart_frame(goal_ind, lang)
    judged = goal_views.get_with_target(goal_ind)  # with a target, or judged in the report's words
    if goal_ind.empty:
        st.info(ui.t("goals.indicators.none"))
    if not targeted.empty:
        # One chart per indicator: a page column stretches each, where the stacked chart keeps a fixed width.
        chart_alt = ui.t("goals.chart.alt", goal_id=goal[s.GOAL_ID])
        parts = goal_views.get_target_rows(targeted, lang)
        rows = [(ui.get_chart(charts.target_row_chart, part, lang), f"{chart_alt} {caption}") for part, caption in parts]
        ui.show_chart(ui.get_chart(charts.target_chart, targeted, lang), chart_alt, " ".join(c for _, c in parts),
                      key=f"chart_{goal[s.GOAL_ID]}", download_name=f"mal-{goal[s.GOAL_ID]}-styrtal-diagram", rows=rows)
    if not judged.empty:
        ui.show_table(goal_views.get_indicator_data(judged, lang), download_name=f"mal-{goal[s.GOAL_ID]}-styrtal")
    others = goal_views.get_without_target(goal_ind)
    if not others.empty:
        with st.expander(ui.t("goals.other_figures"), expanded=judged.empty):
            ui.show_table(goal_views.get_indicator_data(others, lang), download_name=f"mal-{goal[s.GOAL_ID]}-ovriga-siffror")
    ui.show_source(f"{common.get_section(indicators)} › {goal[s.GOAL_ID]}")
    render_goal_years(goal[s.GOAL_ID], lang)
    for key, column in (("goals.comment", s.COMMENT), ("goals.analysis", s.ANALYSIS), ("goals.action", s.ACTION)):
        st.subheader(ui.t(key))
        ui.show_text(goal[column])


# The title stays put while a widget change redraws the content below it.
ui.show_title("goals.title", "goals.intro")
ui.run_page(page, render)
