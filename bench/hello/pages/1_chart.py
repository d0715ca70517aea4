"""The bare baseline app, page 2: one Altair chart (a 100-point random walk)."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

st.title("Chart")
rng = np.random.default_rng(0)
df = pd.DataFrame({"x": np.arange(100), "y": rng.normal(size=100).cumsum()})
st.altair_chart(alt.Chart(df).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
