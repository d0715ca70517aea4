"""ui/display.py: every chart a page draws reaches the browser as valid Vega-Lite.

ui.get_chart converts a chart without Altair's schema check (it took a third of a chart's build, bench.chart_build),
so the check is here, on what Streamlit sends: each view's charts, their phone layouts and the presentation's.
"""

from __future__ import annotations

import json

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core

from tests.apptest_util import assert_clean, get_charts, open_page

VIEWS = [
    ("pages/1_mal.py", {"mal": "2.2"}),
    ("pages/1_mal.py", {"mal": "2.1"}),
    ("pages/2_ekonomi.py", {}),
    ("pages/2_ekonomi.py", {"visa": "budget"}),
    ("pages/3_jamforelsetal.py", {}),
    ("pages/4_aktiviteter.py", {}),
    ("pages/2_ekonomi.py", {"presentation": "1", "skarm": "avvikelser"}),
    ("pages/2_ekonomi.py", {"lang": "en"}),
]


def get_schema_errors(spec: dict) -> str | None:
    """Return what makes ``spec`` invalid Vega-Lite (Altair's schema), or None."""
    error = validate_jsonschema(spec, core.load_schema(), raise_error=False)
    return None if error is None else str(error).splitlines()[0]


@pytest.mark.parametrize(("script", "params"), VIEWS)
def test_every_chart_of_a_view_is_valid_vega_lite(script, params):
    at = open_page(script, params)
    assert_clean(at)
    found = get_charts(at) + get_charts(at, phone=True)
    assert found, "the view draws a chart"
    errors = {i: get_schema_errors(json.loads(c.proto.spec)) for i, c in enumerate(found)}
    assert not {i: e for i, e in errors.items() if e}


@pytest.mark.parametrize(("spec", "valid"), [
    ({"mark": "bar", "data": {"name": "d"}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}, True),
    ({"mark": "barr", "data": {"name": "d"}}, False),
    ({"mark": "bar", "encoding": {"x": {"field": "a", "type": "amount"}}}, False),
])
def test_the_check_tells_a_broken_spec(spec, valid):
    assert (get_schema_errors(spec) is None) is valid
