"""The frame around every page: page set-up, our own menu, the language and year switches, the document's fixes,
the share link, and the run of the page's content as fragments (a widget change redraws only its part)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ks_data import routes
from ks_data.markup import escape_markdown, shorten
from ks_data.texts import LANGUAGES
from ui.assets import LANG_SWITCH_KEY, get_document_script, get_share_html
from ui.cache import get_years
from ui.context import get_run, start_run
from ui.data import run_guarded
from ui.presentation import render_presentation_and_stop
from ui.state import (
    PAGE_BY_KEY,
    PAGES,
    REMEMBERED,
    YEAR_PARAM,
    Page,
    follow_address,
    forget_missing_year,
    get_frame,
    get_frame_params,
    get_lang,
    get_share_url,
    get_unknown_page,
    get_year,
    read_frame_params,
    set_frame,
    t,
)

YEAR_SELECT_KEY = "_ks_year_select"


def setup_page_or_stop(page_key: str) -> Page:
    """Set up the frame of a page: page config, navigation, heading area for notices; return the Page.

    In presentation mode (``?presentation=1``, or switched on earlier in the session) it draws the screen instead and
    stops the run: nothing after this call runs then."""
    run = start_run()  # a new run: the data may have changed since the last one
    invalid = read_frame_params()
    forget_missing_year()  # before the menu and any screen draw their links with the frame's year
    # The address names no page: Streamlit runs Översikt instead (once here, for the page and its screens).
    unknown = get_unknown_page() if page_key == routes.OVERVIEW else None
    if get_frame(routes.PRESENTATION) == "1":
        render_presentation_and_stop(page_key, invalid, unknown)  # a screen instead of the page; stops the run
    follow_address(page_key)  # Back and Forward show the view in the address, not the session's last one
    st.set_page_config(page_title=f"{t(PAGE_BY_KEY[page_key][3])} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="auto")
    render_navigation(page_key)
    render_language_switch()
    render_year_select()
    render_document_fixes(get_lang(), unknown_page=unknown is not None)
    notices = st.container()
    page = run.page = Page(key=page_key, notices=notices)  # data warnings found from here on land in its notices
    if unknown is not None:
        show_unknown_page(page, unknown)
    for param, value in invalid:
        page.notice(t("notice.bad_param", param=param, value=escape_markdown(shorten(value))))
    return page


def show_unknown_page(page: Page, path: str) -> None:
    """Say that the address names no page (``path``), with a link to the page it most likely meant."""
    page.notice(t("notice.unknown_page", path=escape_markdown(shorten(path))))
    meant = routes.find_page(path)
    if meant is not None:
        with page.notices:
            page_link(meant, t("notice.unknown_page.suggest", page=t(PAGE_BY_KEY[meant][3])))


def render_document_fixes(lang: str, unknown_page: bool = False) -> None:
    """Declare the session's UI language on <html> and make overflowing tables reachable by keyboard (and close
    Streamlit's dialog for an ``unknown_page``)."""
    with st.sidebar:
        st.html(get_document_script(lang, unknown_page), unsafe_allow_javascript=True)


def render_navigation(current: str) -> None:
    """Show our own page menu; each link restores the target page's last view in this session."""
    remembered = st.session_state.get(REMEMBERED, {})
    frame = get_frame_params()  # once, not per link
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        for key, script, _, text_key in PAGES:
            # The current page's own entry carries no view: a widget change redraws only the page's content
            # (run_page), so a view written here would be stale; the page keeps its view in the session anyway.
            view = {} if key == current else remembered.get(key, {})
            st.page_link(script, label=t(text_key), query_params=(view | frame) or None, disabled=False)
        # Set apart from the menu: a link to the page itself, which Streamlit would mark as the current page.
        with st.container(key="ks_pres_start"):
            st.page_link(PAGE_BY_KEY[current][1], label=t("pres.nav.start"), help=t("pres.nav.start.help"),
                         query_params=frame | {routes.PRESENTATION: ["1"]})


def _switch_language() -> None:
    # A selectbox comes back from the browser as its option text in the old language, which the page in the new
    # language no longer knows; setting each page widget's value from the session keeps the view as it was.
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.split(".", 1)[0] in PAGE_BY_KEY and "." in key:
            st.session_state[key] = st.session_state[key]
    set_frame(routes.LANG, st.session_state[LANG_SWITCH_KEY] or get_lang())


def render_language_switch() -> None:
    """Show the language switch (Svenska / English) in the sidebar; a change re-renders the page in that language."""
    # Seeded from the frame on every run, so a link's ?lang= and a switch on another page both show here.
    st.session_state[LANG_SWITCH_KEY] = get_lang()
    with st.sidebar:
        st.segmented_control(t("lang.label"), LANGUAGES, format_func=lambda lang: t(f"lang.{lang}"),
                             key=LANG_SWITCH_KEY, on_change=_switch_language, help=t("lang.help"))


def page_link(page_key: str, label: str, params: dict | None = None) -> None:
    """Show a link to another page, with ``params`` or else that page's remembered view."""
    script = PAGE_BY_KEY[page_key][1]
    remembered = st.session_state.get(REMEMBERED, {}).get(page_key)
    target = params if params is not None else remembered or {}
    st.page_link(script, label=label, query_params=(target | get_frame_params()) or None)


def _select_year() -> None:
    set_frame(YEAR_PARAM, str(st.session_state[YEAR_SELECT_KEY]))


def render_year_select() -> None:
    """Show the report year selector in the sidebar, only when the data holds two or more years; a change re-renders
    the page for that year."""
    found = get_years()
    if len(found) < 2:
        return
    # Seeded from the frame on every run, so a link's ?ar= and a choice on another page both show here.
    st.session_state[YEAR_SELECT_KEY] = get_year()
    with st.sidebar:
        st.selectbox(t("years.select"), found[::-1], key=YEAR_SELECT_KEY, on_change=_select_year,
                     help=t("years.select.help"))


def show_share_link(page: Page) -> None:
    """Show the share link of this view in the sidebar (once per page run; the page keeps it in step with the
    address bar when a widget change redraws only the page's content)."""
    with st.sidebar:
        st.markdown(f"**{t('share.label')}**", help=t("share.help"))
        st.html(get_share_html(get_share_url(page.key, page.params), get_lang()), unsafe_allow_javascript=True)


def run_page(page: Page, render: Callable[[], None]) -> None:
    """Run a page's render function, then write its view into the URL and show the share link; an unexpected error
    becomes a Swedish message, the details go to the log.

    The render function runs as a fragment: a change of a widget on the page reruns only the page's own content (and
    writes the URL), not the menu, switches and share link around it, which the browser would otherwise re-apply on
    every change (docs/performance.md). The language and year widgets in the sidebar still rerun the whole page.
    """
    run_part(page, render)
    show_share_link(page)


def run_part(page: Page, render: Callable[..., None], *args) -> None:
    """Run ``render(*args)`` as its own part of the page: a change of a widget inside it redraws only this part (the
    rest of the page keeps what it showed). Call it inside the page's render function, for widgets together with
    everything that depends on them (and on nothing else); ``args`` are kept for its own reruns."""

    @st.fragment
    def part(*part_args) -> None:
        # The outermost part of a run ends it: a whole page run starts in run_page's part, a widget change in the
        # part it belongs to. A rerun may run on another thread than the page's first run: it starts its own context.
        outer = get_run().depth == 0
        run = start_run(page) if outer else get_run()
        run.depth += 1
        try:
            run_guarded(render, *part_args)
        finally:
            run.depth -= 1
        if outer:
            page.finish()

    part(*args)
