"""Placeholder until this page is built."""

import streamlit as st

import ui

page = ui.setup_page("about")
st.title(ui.t("nav.about"))
page.finish()
