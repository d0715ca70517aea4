"""Presentation mode: the year as a sequence of screens for a meeting room (ks_data.views.presentation says what is on
them), drawn instead of the page while the session's frame parameter ``presentation`` is "1"."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from ks_data import routes
from ks_data import schema as s
from ks_data.errors import ERROR, DataError
from ks_data.markup import escape_markdown, format_badges, shorten
from ks_data.views import presentation
from ui.assets import get_document_script, get_presentation_html
from ui.cache import VIEW_RESULTS, get_table_problems, get_year_rows, read_table
from ui.chart import get_arrow_datasets
from ui.data import require_tables_or_stop, run_guarded
from ui.display import show_source
from ui.state import (
    FRAME_PARAMS,
    GLOBAL_PARAMS,
    PAGE_BY_KEY,
    REMEMBERED,
    get_frame_params,
    get_lang,
    get_share_url,
    get_year,
    set_frame,
    t,
)

SCREEN_PARAM = routes.SCREEN
QR_PARAM = routes.QR
PRESENTATION_NOTICE = "_ks_presentation_notice"
# Set while a screen opened from an address naming no page moves to its own page: that run closes Streamlit's
# dialog for the address (ui/assets/document.js).
UNKNOWN_PAGE = "_ks_unknown_page"


def get_screen_params(slug: str, qr: bool) -> dict[str, list[str]]:
    """Return the URL parameters of a screen (besides the frame's): its slug and, when shown, the QR code."""
    return {SCREEN_PARAM: [slug]} | ({QR_PARAM: ["1"]} if qr else {})


def _get_goals_or_none() -> pd.DataFrame | None:
    """Return the shown report year's goals for the list of goal-area screens, or None if they cannot be shown."""
    try:
        if any(p.severity == ERROR for p in get_table_problems(s.GOALS)):
            return None
        return get_year_rows(read_table(s.GOALS), get_year())
    except DataError:
        return None


def go_to_screen_and_stop(screen: presentation.Screen, qr: bool) -> None:
    """Open ``screen`` on its page (a page change: the address becomes the screen's own link)."""
    st.switch_page(PAGE_BY_KEY[screen.page_key][1], query_params=get_screen_params(screen.slug, qr) | get_frame_params())


def end_presentation_and_stop(screen: presentation.Screen) -> None:
    """Turn presentation mode off and open the screen's page as usual: the page's last view in this session, with the
    screen's own part of it (leaving "Målområde 3" shows area 3, whichever area the page showed before)."""
    set_frame(routes.PRESENTATION, "0")
    remembered = st.session_state.get(REMEMBERED, {}).get(screen.page_key, {})
    # The page's widget values from before the screens stay in the session; where the screen's part differs from
    # them, the page's run lets the address win (ui.state.follow_address).
    params = remembered | {param: [value] for param, value in screen.page_params} | get_frame_params()
    st.switch_page(PAGE_BY_KEY[screen.page_key][1], query_params=params or None)


def render_presentation_and_stop(page_key: str, invalid: list[tuple[str, str]], unknown: str | None = None) -> None:
    """Show the presentation screen the link names (or the page's first one) instead of the page, then stop the run.

    A page without screens, or a link to another page's screen, opens that screen on its own page. ``unknown`` is the
    page name of an address naming no page, which the screen's notices mention.
    """
    screens = presentation.get_screens(_get_goals_or_none())
    raw = st.query_params.get_all(SCREEN_PARAM)
    raw_qr = st.query_params.get_all(QR_PARAM)
    qr = raw_qr == ["1"]
    index = presentation.get_screen_index(screens, raw[0]) if len(raw) == 1 else None
    if raw_qr and raw_qr not in (["0"], ["1"]):
        invalid = [*invalid, (QR_PARAM, ", ".join(raw_qr))]
    notices = [t("notice.bad_param", param=param, value=escape_markdown(shorten(value))) for param, value in invalid]
    known = {SCREEN_PARAM, QR_PARAM, *FRAME_PARAMS, *GLOBAL_PARAMS}
    notices += [t("notice.unknown_param", param=escape_markdown(shorten(param)))
                for param in st.query_params.keys() if param not in known]
    notices += st.session_state.pop(PRESENTATION_NOTICE, [])
    if unknown is not None:
        notices.append(t("pres.unknown_page", path=escape_markdown(shorten(unknown))))
    unknown_page = st.session_state.pop(UNKNOWN_PAGE, False) or unknown is not None
    if index is None:
        if raw:
            notices.append(t("pres.bad_screen", value=escape_markdown(shorten(", ".join(raw)))))
        index = presentation.get_first_screen(screens, page_key)
    screen = screens[index]
    if screen.page_key != page_key:
        st.session_state[PRESENTATION_NOTICE] = notices  # shown on the screen's page
        st.session_state[UNKNOWN_PAGE] = unknown_page
        go_to_screen_and_stop(screen, qr)
    kept = {param: st.query_params.get_all(param) for param in GLOBAL_PARAMS if param in st.query_params}
    st.query_params.from_dict(kept | get_frame_params() | get_screen_params(screen.slug, qr))

    st.set_page_config(page_title=f"{t('pres.nav.start')} · {t('app.title')}", layout="wide",
                       initial_sidebar_state="collapsed")
    st.html(get_document_script(get_lang(), unknown_page) + get_presentation_html(), unsafe_allow_javascript=True)
    body, nav = st.container(), st.container()
    with nav, st.container(horizontal=True, vertical_alignment="center", gap="medium", key="ks_pres_nav"):
        previous = st.button(t("pres.prev"), key="ks_pres_prev", disabled=index == 0)
        st.markdown(presentation.format_counter(index, len(screens)), help=t("pres.keys"))
        following = st.button(t("pres.next"), key="ks_pres_next", type="primary", disabled=index == len(screens) - 1)
        toggle_qr = st.button(t("pres.qr.hide" if qr else "pres.qr.show"), key="ks_pres_qr")
        leave = st.button(t("pres.exit"), key="ks_pres_exit")
    if previous and index > 0:
        go_to_screen_and_stop(screens[index - 1], qr)
    if following and index < len(screens) - 1:
        go_to_screen_and_stop(screens[index + 1], qr)
    if toggle_qr:
        go_to_screen_and_stop(screen, not qr)
    if leave:
        end_presentation_and_stop(screen)
    with body:
        for text in notices:
            st.warning(text)
        run_guarded(lambda: render_screen(screen, qr))
    st.stop()


def _get_screen_view(screen: presentation.Screen, frames: dict[str, pd.DataFrame], lang: str
                     ) -> tuple[presentation.ScreenContent, dict | None, dict | None]:
    """Return a screen's content (its chart taken out) and the chart's enlarged Vega-Lite spec, its data as Arrow
    bytes; through VIEW_RESULTS it is made once per screen, year and language, not for each of the audience opening
    the screen's QR link (the deviations screen took ~70 ms a run, and then ~3.6 ms a run for its data's Arrow
    bytes)."""
    content = presentation.get_screen_content(screen, frames, lang)
    spec = get_arrow_datasets(presentation.get_chart_spec(content.chart)) if content.chart is not None else None
    narrow = (get_arrow_datasets(presentation.get_chart_spec(content.narrow_chart, presentation.NARROW_FONT_PX,
                                                             fill_height=False))
              if content.narrow_chart is not None else None)
    return replace(content, chart=None, narrow_chart=None), spec, narrow


def render_screen(screen: presentation.Screen, qr: bool) -> None:
    """Show one screen: title, its message, key figures, items or chart, source, and the QR code if asked."""
    lang = get_lang()
    main, side = st.columns([3, 1], gap="large") if qr else (st.container(), None)
    with main:
        frames = require_tables_or_stop(*screen.tables, by_year=True)
        content, spec, narrow = VIEW_RESULTS.call(_get_screen_view, (screen, frames, lang), {})
        st.title(escape_markdown(content.title), anchor=False)
        with st.container(key="ks_pres_message"):
            st.markdown(escape_markdown(content.message))
        if content.figures:
            # A long value ("−104 869 tkr") shrinks with its card where cards are narrow; values as short as a count of
            # goals keep their size there (presentation.css, by the outer key), or they stood as small as their labels.
            outer = st.container(key="ks_pres_short") if presentation.has_short_values(content.figures) else st
            figures = outer.container(key="ks_pres_figures")  # presentation.css lets its cards wrap by this key
            for column, figure in zip(figures.columns(len(content.figures)), content.figures, strict=True):
                column.metric(escape_markdown(figure["label"]), figure["value"], figure.get("delta"), border=True,
                              delta_color=figure.get("delta_color", "normal"),
                              delta_arrow=figure.get("delta_arrow", "auto"), height="stretch")
        if content.items:
            with st.container(key="ks_pres_items"):
                st.markdown("\n".join(f"- {escape_markdown(text)} {format_badges([(status, words)])}"
                                      for text, status, words in content.items))
        if spec is not None:
            # Where the screen is narrow (presentation.css), the phone's layout of the chart is shown instead.
            with st.container(key="ks_pres_chart"):
                st.vega_lite_chart(spec=spec, width="stretch", height="stretch", alt=content.chart_alt)
        if narrow is not None:
            with st.container(key="ks_pres_chart_narrow"):
                st.vega_lite_chart(spec=narrow, width="stretch", alt=content.chart_alt)
        if content.source:
            show_source(content.source)
    if side is not None:
        with side, st.container(key="ks_pres_qr_box"):
            link = get_share_url(screen.page_key, get_screen_params(screen.slug, False))
            st.markdown(t("pres.qr.caption"))
            st.image(presentation.get_qr_svg(link), alt=t("pres.qr.alt"), width="stretch")
            st.text(link)
