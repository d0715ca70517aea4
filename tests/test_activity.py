"""Unit tests for ks_data.views.activities: status symbols, filter choices, filtering, the table and counts per status."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ks_data import charts
from ks_data import schema as s
from ks_data.views import activities as activity
from ks_data.viewtable import format_table
from tests.helpers import real_table

NAMES_BY_STATUS = {
    "genomfort": ["Timrå i framkant för obrutna flöden", "Nytt avtal IT-drift"],
    "paborjat-med-avvikelse": ["Ny styrmodell", "Civilt försvar", "Planprogram Ubo4"],
    "paborjat-enl-plan": ["Småhustomter i mindre kluster"],
    "ingen": ["Modern IT-miljö inom skolan", "Digitalisering"],
}


@pytest.fixture
def activities() -> pd.DataFrame:
    return real_table(s.ACTIVITIES)


@pytest.mark.parametrize(("status", "kind", "shown"), [
    ("Genomfört", activity.DONE, "✔ Genomfört"),
    ("Påbörjat, enl plan", activity.ON_TRACK, "➤ Påbörjat, enl plan"),
    ("Påbörjat med avvikelse", activity.DEVIATION, "⚠ Påbörjat med avvikelse"),
    ("Avbrutet", activity.OTHER, "• Avbrutet"),
    (None, activity.NO_STATUS, "– Ingen status angiven"),
    (math.nan, activity.NO_STATUS, "– Ingen status angiven"),
    ("  ", activity.NO_STATUS, "– Ingen status angiven"),
])
def test_status_kind_and_symbol(status, kind, shown):
    assert activity.get_status_kind(status) == kind
    assert activity.format_activity_status(status) == shown


def test_get_status_options(activities):
    assert activity.get_status_options(activities) == {
        "genomfort": "Genomfört", "paborjat-enl-plan": "Påbörjat, enl plan",
        "paborjat-med-avvikelse": "Påbörjat med avvikelse", "ingen": None}


def test_get_belongs_to_options(activities):
    options = activity.get_belongs_to_options(activities)
    assert len(options) == 8
    assert options["mex"] == "MEX"
    assert options["klk-vuit"] == "Klk/VuIT"
    assert options["op-dp"] == "ÖP/DP"
    assert "ingen" not in options


def test_reserved_slugs_are_never_given_to_data():
    df = pd.DataFrame({s.POSITION: [1, 2], s.STATUS: ["Alla", "Ingen"], s.BELONGS_TO: ["x", None]})
    assert activity.get_status_options(df) == {"alla-2": "Alla", "ingen-2": "Ingen"}
    assert activity.get_belongs_to_options(df) == {"x": "x", "ingen": None}


@pytest.mark.parametrize(("status", "names"), [("alla", sum(NAMES_BY_STATUS.values(), [])), *NAMES_BY_STATUS.items()])
def test_filter_by_status(activities, status, names):
    shown = activity.filter_activities(activities, status=status)
    assert sorted(shown[s.NAME]) == sorted(names)


@pytest.mark.parametrize(("status", "belongs_to", "names"), [
    ("alla", "mex", ["Småhustomter i mindre kluster"]),
    ("alla", "klk-vuit", ["Nytt avtal IT-drift"]),
    ("genomfort", "klk-vuit", ["Nytt avtal IT-drift"]),
    ("genomfort", "mex", []),
    ("xyz", "alla", []),
    ("alla", "<script>", []),
])
def test_filter_by_status_and_belongs_to(activities, status, belongs_to, names):
    assert list(activity.filter_activities(activities, status, belongs_to)[s.NAME]) == names


def test_filter_keeps_report_order(activities):
    shuffled = activities.sample(frac=1, random_state=1)
    assert list(activity.filter_activities(shuffled)[s.POSITION]) == list(range(1, 9))


def test_get_activity_table_columns_and_empty_cells(activities):
    table = activity.get_activity_table(activity.filter_activities(activities))
    assert list(table.columns) == ["Aktivitet", "Beskrivning", "Tillhör verksamhet", "Investeringsutgift (tkr)",
                                   "Intäkt/kostnad", "Bedrivs som projekt", "Status", "Kommentar"]
    row = table[table["Aktivitet"] == "Digitalisering"].iloc[0]
    assert row["Bedrivs som projekt"] == ""  # empty in the report, stays empty
    assert row["Status"] == "– Ingen status angiven"
    assert row["Investeringsutgift (tkr)"] == "-"  # as printed
    assert table[table["Aktivitet"] == "Ny styrmodell"].iloc[0]["Status"] == "⚠ Påbörjat med avvikelse"


def test_calc_status_counts_match_the_report(activities):
    counts = activity.calc_status_counts(activities)
    assert dict(zip(counts[activity.STATUS_LABEL], counts[activity.COUNT])) == {
        "✔ Genomfört": 2, "➤ Påbörjat, enl plan": 1, "⚠ Påbörjat med avvikelse": 3, "– Ingen status angiven": 2}
    assert counts[activity.COUNT].sum() == len(activities)


@pytest.mark.parametrize(("status", "expected"), [
    ("alla", "Planen har 8 aktiviteter: 2 med status ”Genomfört”, 1 med status ”Påbörjat, enl plan”, "
             "3 med status ”Påbörjat med avvikelse” och 2 utan angiven status."),
    ("ingen", "Planen har 2 aktiviteter: 2 utan angiven status."),
    ("paborjat-enl-plan", "Planen har 1 aktivitet: 1 med status ”Påbörjat, enl plan”."),
    ("xyz", "Inga aktiviteter matchar valen. Välj \"Alla\" för att se alla aktiviteter."),
])
def test_format_count_caption(activities, status, expected):
    counts = activity.calc_status_counts(activity.filter_activities(activities, status))
    assert activity.format_count_caption(counts) == expected


def test_count_table_alt_and_chart(activities):
    counts = activity.calc_status_counts(activities)
    twin = format_table(activity.get_count_data(counts), "sv")
    assert list(twin.columns) == ["Status", "Antal aktiviteter"]
    assert list(twin["Antal aktiviteter"]) == ["2", "1", "3", "2"]
    assert "⚠ Påbörjat med avvikelse: 3" in activity.format_count_alt(counts)
    spec = charts.status_count_chart(counts).to_dict()
    # Bars in the rows' order, by progress (the order is the data's, so a filter leaves the spec as it was).
    assert spec["layer"][0]["encoding"]["y"]["sort"] is None
    rows = next(iter(spec["datasets"].values()))
    assert [r[activity.STATUS_LABEL] for r in rows] == list(counts[activity.STATUS_LABEL])


@pytest.mark.parametrize(("option", "expected"), [
    ("alla", "Alla statusar"), ("ingen", "– Ingen status angiven"), ("genomfort", "✔ Genomfört")])
def test_format_status_option(activities, option, expected):
    assert activity.format_status_option(option, activity.get_status_options(activities)) == expected


@pytest.mark.parametrize(("option", "expected"), [("alla", "Alla verksamheter"), ("mex", "MEX")])
def test_format_belongs_to_option(activities, option, expected):
    assert activity.format_belongs_to_option(option, activity.get_belongs_to_options(activities)) == expected


def test_format_shown_count(activities):
    shown = activity.filter_activities(activities, "ingen")
    assert activity.format_shown_count(shown, activities) == "2 av 8 aktiviteter visas."
