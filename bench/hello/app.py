"""The bare baseline app of the benchmark, page 1: one slider (classic pages/ mode, like KS-utforskaren)."""

import streamlit as st

st.title("Slider")
n = st.slider("A number", min_value=0, max_value=100, value=10, key="n")
st.write(f"{n} squared is **{n * n}**")
