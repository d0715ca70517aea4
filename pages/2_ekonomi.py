"""Placeholder until this page is built."""

import streamlit as st

import ui

page = ui.setup_page("economy")
st.title(ui.t("nav.economy"))
page.finish()
