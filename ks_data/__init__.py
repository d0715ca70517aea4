"""KS-utforskaren's data: schema, loading, validation, reconciliation and derived figures.

This package never imports streamlit; the app's ui module is where the two meet.
"""

from ks_data.errors import DataError, Problem

__all__ = ["DataError", "Problem"]
