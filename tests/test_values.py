"""ks_data/values.py: one rule for an empty cell, so no page shows "nan" or "None" where the report says nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ks_data import values


@pytest.mark.parametrize(("x", "missing", "blank"), [
    (None, True, True),
    (pd.NA, True, True),
    (float("nan"), True, True),
    (np.float64("nan"), True, True),
    ("", False, True),
    ("  \n", False, True),
    ("Timrå", False, False),
    (0, False, False),
    (0.0, False, False),
    (-837.0, False, False),
    (False, False, False),
])
def test_empty_cells(x, missing, blank):
    assert values.is_missing(x) is missing
    assert values.is_blank(x) is blank
