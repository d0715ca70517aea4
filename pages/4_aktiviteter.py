"""Placeholder until this page is built."""

import streamlit as st

import ui

page = ui.setup_page("activities")
st.title(ui.t("nav.activities"))
page.finish()
