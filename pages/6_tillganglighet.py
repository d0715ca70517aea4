"""Tillgänglighet: the accessibility statement (tillgänglighetsredogörelse) that the DOS law asks of public-sector web."""

import streamlit as st

import ui
from ks_data import routes

page = ui.setup_page_or_stop(routes.ACCESSIBILITY)
WORKS = ("keyboard", "charts", "status", "language", "contrast", "devices", "links", "pdf")
GAPS = ("ui_language", "page_language", "fullscreen", "dataframe", "segmented")
TESTED = ("axe", "contrast", "keyboard", "checks", "devices", "screens", "pdf", "browser")


def show_list(prefix: str, keys: tuple[str, ...]) -> None:
    """Show the texts ``prefix.key`` as one bulleted list."""
    ui.show_bullets((ui.t(f"{prefix}.{key}") for key in keys), escape=False)


def render() -> None:
    """Lay out the statement: compliance, known gaps, how and when it was tested, and how to report a problem."""
    st.header(ui.t("a11y.status.heading"), anchor=False)
    st.markdown(ui.t("a11y.status"))
    st.markdown(ui.t("a11y.works.intro"))
    show_list("a11y.works", WORKS)

    st.header(ui.t("a11y.gaps.heading"), anchor=False)
    st.markdown(ui.t("a11y.gaps.intro"))
    show_list("a11y.gap", GAPS)

    st.header(ui.t("a11y.tested.heading"), anchor=False)
    st.markdown(ui.t("a11y.tested.intro"))
    show_list("a11y.tested", TESTED)
    st.markdown(f"**{ui.t('a11y.tested.when')}**")

    st.header(ui.t("a11y.report.heading"), anchor=False)
    st.markdown(ui.t("a11y.report"))
    st.header(ui.t("a11y.enforcement.heading"), anchor=False)
    st.markdown(ui.t("a11y.enforcement"))


# The title stays put while a widget change redraws the content below it.
ui.show_title("a11y.title", "a11y.intro")
ui.run_page(page, render)
