"""Sök: one search box over all the report's texts; each hit in context, highlighted, with a link to its place."""

import streamlit as st

import ui
from ks_data import routes
from ks_data import schema as s

page = ui.setup_page_or_stop(routes.SEARCH)
# The view modules as ui.cache.VIEW_MODULES decides: cached per process, or as they are, with the reason.
search = ui.views.search
MAX_SHOWN = 50
SEARCHED = (s.GOALS, s.INDICATORS, s.ACTIVITIES, s.NARRATIVE)


def inert(text: str) -> str:
    """Return ``text`` (the query, a label from the data) as Markdown that shows exactly these characters."""
    return ui.format_highlighted(text, [])


def render() -> None:
    """Lay out the search box, the number of hits and each hit with its snippet and link."""
    lang = ui.get_lang()
    box, _ = st.columns([2, 1])
    query = page.text(routes.QUERY, "", ui.t("search.input"), max_chars=search.MAX_QUERY_CHARS, where=box,
                      placeholder=ui.t("search.placeholder"), help=ui.t("search.input.help"))
    if not search.get_terms(query):
        st.info(ui.t("search.empty"))
        return
    frames = {}
    for table in SEARCHED:
        with ui.data_section(table):
            frames[table] = ui.get_table(table, by_year=True)  # the texts of the shown report year
    hits = search.find_hits(frames, query, lang)
    st.subheader(inert(search.format_count(len(hits), query, lang)), anchor=False)
    if hits.empty:
        st.info(ui.t("search.none.tip"))
        return
    if len(hits) > MAX_SHOWN:
        st.caption(ui.t("search.shown", shown=MAX_SHOWN))
    for hit in hits.head(MAX_SHOWN).itertuples(index=False):
        render_hit(hit)


def render_hit(hit) -> None:
    """Show one hit: where it stands, the snippet with the match highlighted, and the link to its place."""
    with st.container(border=True):
        st.markdown(f"**{inert(getattr(hit, search.WHERE))}**")
        st.markdown(ui.format_highlighted(getattr(hit, search.SNIPPET), getattr(hit, search.SPANS)))
        count = getattr(hit, search.COUNT)
        if count > 1:
            st.caption(ui.t("search.occurrences", n=count))
        if getattr(hit, search.TABLE) == s.NARRATIVE and getattr(hit, search.FIELD) == s.TEXT:
            # No page shows every paragraph of the narrative, so the whole text is here.
            with st.expander(ui.t("search.full_text")):
                ui.show_text(getattr(hit, search.TEXT))
        ui.page_link(getattr(hit, search.PAGE), inert(getattr(hit, search.LINK_LABEL)),
                     getattr(hit, search.PARAMS))


# The title stays put while a widget change redraws the content below it.
ui.show_title("search.title", "search.intro")
ui.run_page(page, render)
