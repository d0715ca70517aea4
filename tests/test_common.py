"""The views' shared helpers (ks_data.views.common): a status as symbol and word."""

from __future__ import annotations

import math

import pytest

from ks_data.views import common


@pytest.mark.parametrize(("status", "prefix", "expected"), [
    ("fulfilled", "status", "✔ Uppfyllt"),
    ("partly", "status", "◐ Delvis uppfyllt"),
    ("not_fulfilled", "status", "✖ Ej uppfyllt"),
    ("not_assessed", "status", "○ Ej bedömt"),
    (None, "status", "– Ingen bedömning i rapporten"),
    (math.nan, "status", "– Ingen bedömning i rapporten"),
    ("near", "ind", "◐ Nära målet"),
    ("no_target", "ind", "– Inget målvärde"),
])
def test_format_status_has_symbol_and_word(status, prefix, expected):
    assert common.format_status(status, "sv", prefix) == expected
