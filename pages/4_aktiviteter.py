"""Aktiviteter: the plan's activities counted by status, and their list with status and comment, filtered by status and
verksamhet."""

import streamlit as st

import ui
from ks_data import charts, routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.ACTIVITIES)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
activity, common = ui.views.activities, ui.views.common


def render() -> None:
    """Lay out the counts per status of all activities, then the filters and the activity list they filter."""
    lang = ui.get_lang()
    activities = ui.require_tables_or_stop(s.ACTIVITIES, by_year=True)[s.ACTIVITIES]

    # The whole plan at a glance. The filters below choose rows of the list only: counting what they show drew a lone
    # bar (every verksamhet has one activity), and redrawing the chart made a filter change slower than a bare page.
    st.header(ui.t("activities.counts"), anchor=False)
    counts = activity.calc_status_counts(activities, lang)
    left, _ = st.columns([2, 1])
    with left:
        ui.show_chart(ui.get_chart(charts.status_count_chart, counts, lang), activity.format_count_alt(counts, lang),
                      activity.format_count_caption(counts, lang), activity.get_count_data(counts, lang),
                      key="chart_status", download_name="aktiviteter-per-status", label=ui.t("activities.label"))

    st.header(ui.t("activities.list"), anchor=False)
    # A filter change redraws only the filters and the list.
    ui.run_part(page, render_list, activities, lang)
    ui.show_source(common.get_section(activities))


def render_list(activities, lang: str) -> None:
    """Lay out the status and verksamhet filters and the activities they let through."""
    status_options = activity.get_status_options(activities)
    belongs_options = activity.get_belongs_to_options(activities)
    c1, c2, _ = st.columns([1, 1.4, 0.6])
    status = page.select(routes.STATUS, (activity.ALL, *status_options), activity.ALL, ui.t("activities.status"),
                         format_func=lambda o: activity.format_status_option(o, status_options, lang), where=c1)
    belongs_to = page.select(routes.BELONGS_TO, (activity.ALL, *belongs_options), activity.ALL,
                             ui.t("activities.belongs_to"),
                             format_func=lambda o: activity.format_belongs_to_option(o, belongs_options, lang),
                             where=c2)
    shown = activity.filter_activities(activities, status, belongs_to)
    st.caption(activity.format_shown_count(shown, activities, lang))
    if shown.empty:
        st.info(ui.t("activities.none_match"))
    else:
        ui.show_table(activity.get_activity_table(shown, lang), download_name="aktiviteter")


# The title stays put while a widget change redraws the content below it.
ui.show_title("activities.title", "activities.intro")
ui.run_page(page, render)
