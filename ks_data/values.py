"""What counts as "no value" in a table cell: one rule for every module that reads the report's tables."""

from __future__ import annotations

import math

import pandas as pd


def is_missing(x) -> bool:
    """Return True for a cell the report leaves empty: None, pandas' NA or a float NaN."""
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def is_blank(x) -> bool:
    """Return True for a missing cell or a text of only white space (a name or a note with nothing to show)."""
    return is_missing(x) or not str(x).strip()
