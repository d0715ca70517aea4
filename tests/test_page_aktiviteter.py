"""AppTest of the Aktiviteter page: the plan's counts and the table shown, filters change the list, links round-trip, bad
links fall back."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import apptest_util
from tests.apptest_util import unescape

PAGE = "pages/4_aktiviteter.py"
DEFAULT_PARAMS = {"status": "alla", "verksamhet": "alla"}
NAMES_BY_STATUS = {
    "genomfort": ["Timrå i framkant för obrutna flöden", "Nytt avtal IT-drift"],
    "paborjat-med-avvikelse": ["Ny styrmodell", "Civilt försvar", "Planprogram Ubo4"],
    "paborjat-enl-plan": ["Småhustomter i mindre kluster"],
    "ingen": ["Modern IT-miljö inom skolan", "Digitalisering"],
}
# The chart's counts: the whole plan, whatever the list's filters.
ALL_COUNTS = {"✔ Genomfört": "2", "➤ Påbörjat, enl plan": "1", "⚠ Påbörjat med avvikelse": "3",
              "– Ingen status angiven": "2"}


def open_page(**params: str) -> AppTest:
    """Run app.py, then switch to the page with ``params`` as the link's query parameters."""
    return apptest_util.open_page(PAGE, params)


def find_table(at: AppTest, column: str) -> pd.DataFrame:
    """Return the table that has ``column``, as read by the user."""
    for df in apptest_util.get_tables(at):
        df = pd.DataFrame({unescape(c): [unescape(v) for v in df[c]] for c in df.columns})
        if column in df.columns:
            return df
    raise AssertionError(f"no table with column {column!r}")


def activity_table(at: AppTest) -> pd.DataFrame:
    return find_table(at, "Aktivitet")


def counts(at: AppTest) -> dict[str, str]:
    """Return the counts per status from the chart's table twin (opened as a user opens it)."""
    if at.get("vega_lite_chart"):
        apptest_util.open_chart_extras(at)
    df = find_table(at, "Antal aktiviteter")
    return dict(zip(df["Status"], df["Antal aktiviteter"]))


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def view(at: AppTest) -> tuple:
    """Return what the user sees, for comparing two runs."""
    return (at.selectbox(key="activities.status").value, at.selectbox(key="activities.verksamhet").value,
            activity_table(at).to_dict("list"), counts(at), apptest_util.get_captions(at))


def test_default_view_shows_all_activities_and_counts():
    at = open_page()
    assert_ok(at)
    assert not at.warning
    table = activity_table(at)
    assert list(table.columns) == ["Aktivitet", "Beskrivning", "Tillhör verksamhet", "Investeringsutgift (tkr)",
                                   "Intäkt/kostnad", "Bedrivs som projekt", "Status", "Kommentar"]
    assert len(table) == 8
    assert counts(at) == ALL_COUNTS
    chart = at.get("vega_lite_chart")
    assert len(chart) == 1 and "antal aktiviteter per status" in chart[0].proto.alt
    captions = apptest_util.get_captions(at)
    assert "8 av 8 aktiviteter visas." in captions
    assert any("3 med status ”Påbörjat med avvikelse”" in c for c in captions)
    assert any(c.startswith("Källa: Kommunledningskontoret") for c in captions)
    digital = table[table["Aktivitet"] == "Digitalisering"].iloc[0]
    assert digital["Bedrivs som projekt"] == ""  # empty in the report stays empty
    assert digital["Status"] == "– Ingen status angiven"
    assert dict(at.query_params) == DEFAULT_PARAMS


@pytest.mark.parametrize(("status", "names"), NAMES_BY_STATUS.items())
@pytest.mark.parametrize("via", ["widget", "link"])
def test_status_filter_reduces_rows_to_matching_activities(via, status, names):
    if via == "widget":
        at = open_page()
        at.selectbox(key="activities.status").set_value(status).run()
    else:
        at = open_page(status=status)
    assert_ok(at)
    table = activity_table(at)
    assert list(table["Aktivitet"]) == names
    assert f"{len(names)} av 8 aktiviteter visas." in apptest_util.get_captions(at)
    assert at.query_params["status"] == status


@pytest.mark.parametrize(("status", "verksamhet"), [("genomfort", "alla"), ("alla", "mex"), ("genomfort", "mex")])
def test_counts_stay_those_of_the_whole_plan_when_the_list_is_filtered(status, verksamhet):
    # The chart is the plan at a glance; the filters choose rows of the list below it.
    at = open_page()
    before = (at.get("vega_lite_chart")[0].proto.alt, apptest_util.get_chart_descriptions(at))
    at.selectbox(key="activities.status").set_value(status).run()
    at.selectbox(key="activities.verksamhet").set_value(verksamhet).run()
    assert_ok(at)
    assert counts(at) == ALL_COUNTS
    assert (at.get("vega_lite_chart")[0].proto.alt, apptest_util.get_chart_descriptions(at)) == before
    assert before[0].startswith("Stapeldiagram: antal aktiviteter per status.")
    assert "bland alla 8 i planen" in before[1][0]
    assert any(unescape(c).startswith("Planen har 8 aktiviteter: 2 med status ”Genomfört”")
               for c in apptest_util.get_captions(at))


def test_status_none_says_no_status_given():
    at = open_page(status="ingen")
    assert_ok(at)
    assert set(activity_table(at)["Status"]) == {"– Ingen status angiven"}


@pytest.mark.parametrize(("verksamhet", "names"), [
    ("mex", ["Småhustomter i mindre kluster"]),
    ("klk-vuit", ["Nytt avtal IT-drift"]),
    ("op-dp", ["Planprogram Ubo4"]),
])
def test_verksamhet_filter(verksamhet, names):
    at = open_page()
    at.selectbox(key="activities.verksamhet").set_value(verksamhet).run()
    assert_ok(at)
    assert list(activity_table(at)["Aktivitet"]) == names
    assert at.query_params["verksamhet"] == verksamhet


def test_filters_with_no_match_say_so():
    at = open_page(status="genomfort", verksamhet="mex")
    assert_ok(at)
    assert any("Inga aktiviteter matchar valen" in i.value for i in at.info)
    assert "0 av 8 aktiviteter visas." in apptest_util.get_captions(at)
    assert not any("Aktivitet" in df.columns for df in apptest_util.get_tables(at))
    assert len(at.get("vega_lite_chart")) == 1  # the plan's counts stay


def test_link_round_trip_reproduces_the_view():
    at = open_page()
    at.selectbox(key="activities.status").set_value("genomfort").run()
    at.selectbox(key="activities.verksamhet").set_value("klk-vuit").run()
    assert_ok(at)
    params = dict(at.query_params)
    assert params == {"status": "genomfort", "verksamhet": "klk-vuit"}
    again = open_page(**params)
    assert_ok(again)
    assert view(again) == view(at)
    assert list(activity_table(again)["Aktivitet"]) == ["Nytt avtal IT-drift"]


@pytest.mark.parametrize(("param", "bad"), [
    ("status", "xyz"), ("status", "Genomfört"), ("status", "<script>"), ("verksamhet", "<script>"),
])
def test_invalid_link_values_warn_and_fall_back(param, bad):
    at = open_page(**{param: bad})
    assert_ok(at)
    warnings = [w.value for w in at.warning]
    assert any(f'"{param}"' in w and "Standardvärdet visas" in w for w in warnings), warnings
    assert dict(at.query_params) == DEFAULT_PARAMS
    assert len(activity_table(at)) == 8
    assert view(at) == view(open_page())
