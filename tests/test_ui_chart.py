"""ui/chart.py: every chart a page draws reaches the browser as valid Vega-Lite, its data as the Arrow tables Streamlit
would have sent.

ui.get_chart converts a chart without Altair's schema check (it took a third of a chart's build, bench.chart_build),
so the check is here, on what Streamlit sends: each view's charts, their phone layouts and the presentation's.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core
from streamlit import dataframe_util

from ks_data import schema as s
from ks_data.views import presentation
from tests.apptest_util import assert_clean, get_charts, open_page
from tests.helpers import real_frames, real_table
from ui.chart import get_arrow_datasets

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


def _screen_chart_spec(slug: str, narrow: bool) -> dict:
    screens = presentation.get_screens(real_table(s.GOALS))
    content = presentation.get_screen_content(screens[presentation.get_screen_index(screens, slug)], real_frames())
    if narrow:
        return presentation.get_chart_spec(content.narrow_chart, presentation.NARROW_FONT_PX, fill_height=False)
    return presentation.get_chart_spec(content.chart)


def _read_arrow(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


@pytest.mark.parametrize("narrow", [False, True])
@pytest.mark.parametrize("slug", [presentation.BUDGET, presentation.DEVIATIONS])
def test_a_screens_chart_data_reach_the_browser_as_streamlit_would_have_sent_its_rows(slug, narrow):
    # Made once per screen instead of by Streamlit on every run: the browser must get the very same tables.
    with_rows = _screen_chart_spec(slug, narrow)
    with_arrow = get_arrow_datasets(with_rows)
    assert with_rows["datasets"] and set(with_arrow["datasets"]) == set(with_rows["datasets"])
    for name, rows in with_rows["datasets"].items():
        assert isinstance(rows, list) and isinstance(with_arrow["datasets"][name], bytes)
        sent_before = _read_arrow(dataframe_util.convert_anything_to_arrow_bytes(rows))
        assert _read_arrow(with_arrow["datasets"][name]).equals(sent_before, check_metadata=True)
    assert {k: v for k, v in with_arrow.items() if k != "datasets"} == {k: v for k, v in with_rows.items()
                                                                         if k != "datasets"}


@pytest.mark.parametrize("spec", [
    {"mark": "bar"},
    {"mark": "bar", "datasets": {}},
    {"mark": "bar", "datasets": {"d": b"arrow bytes already"}},
])
def test_a_spec_without_rows_to_convert_is_left_as_it_is(spec):
    assert get_arrow_datasets(spec) == spec


def test_the_deviations_screen_sends_its_data_as_arrow_tables_of_the_charts_rows():
    at = open_page("pages/2_ekonomi.py", {"presentation": "1", "skarm": "avvikelser"})
    assert_clean(at)
    drawn = get_charts(at) + get_charts(at, phone=True)
    assert len(drawn) == 2  # the projector's chart and the phone's
    for chart in drawn:
        assert chart.proto.datasets and "datasets" not in json.loads(chart.proto.spec)
        assert all(_read_arrow(d.data.data).num_rows > 0 for d in chart.proto.datasets)
