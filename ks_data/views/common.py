"""The helpers every page's views use: a status in symbol and word, a count, a table's section and latest year's rows,
whether a cell holds text.

Pure functions (no Streamlit); words from ks_data.texts, numbers from ks_data.fmt.
"""

from __future__ import annotations

import pandas as pd

from ks_data import schema as s
from ks_data.charts import STATUS_SYMBOLS
from ks_data.fmt import format_number, get_locale
from ks_data.texts import get_text
from ks_data.values import is_missing
from ks_data.years import get_latest_year


def format_status(status: str | None, lang: str = "sv", prefix: str = "status") -> str:
    """Return a status as symbol and word, e.g. "✔ Uppfyllt"; a missing status reads "– Ingen bedömning i rapporten"."""
    if is_missing(status):
        return f"{STATUS_SYMBOLS['none']} {get_text('status.none', lang)}"
    return f"{STATUS_SYMBOLS[status]} {get_text(f'{prefix}.{status}', lang)}"


def format_count(n: int, lang: str = "sv") -> str:
    """Return a count with the locale's grouping."""
    return format_number(n, 0, get_locale(lang))


def get_section(df: pd.DataFrame) -> str:
    """Return the report section a table's rows come from (the first row's)."""
    return str(df[s.SECTION].iloc[0]) if len(df) else ""


def has_text(value) -> bool:
    """Return True if a cell holds non-empty text."""
    return not is_missing(value) and bool(str(value).strip())


def get_latest(df: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of the latest year in ``df``."""
    return df[df[s.YEAR] == get_latest_year(df)] if len(df) else df

