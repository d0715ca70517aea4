"""The bare baseline app, page 3: one table (50 rows, 4 columns)."""

import numpy as np
import pandas as pd
import streamlit as st

st.title("Table")
rng = np.random.default_rng(1)
st.dataframe(pd.DataFrame(rng.normal(size=(50, 4)), columns=list("abcd")))
