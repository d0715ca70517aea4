"""Placeholder until this page is built."""

import streamlit as st

import ui

page = ui.setup_page("comparisons")
st.title(ui.t("nav.comparisons"))
page.finish()
