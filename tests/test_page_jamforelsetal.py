"""AppTest of the Jämförelsetal page: figures shown, every widget changes the view, links round-trip, bad links fall back."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import apptest_util
from tests.apptest_util import unescape

PAGE = "pages/3_jamforelsetal.py"
CHANGE_COLUMN = "Förändring i procent"
DEFAULT_PARAMS = {"matt": "alla", "period": "2018-2020", "index": "0"}


def open_page(**params: str) -> AppTest:
    """Run app.py, then switch to the page with ``params`` as the link's query parameters."""
    return apptest_util.open_page(PAGE, params)


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Return every table on the page as read by the user."""
    out = []
    for df in apptest_util.get_tables(at):
        out.append(pd.DataFrame({unescape(c): [unescape(v) for v in df[c]] for c in df.columns}))
    return out


def change_table(at: AppTest) -> pd.DataFrame:
    """Return the change table (the one with the % change column), made when its expander is opened: opened here as a
    user opens it."""
    if not any(CHANGE_COLUMN in df.columns for df in tables(at)):
        [expander] = [e for e in at.expander if e.label.startswith("Förändring mellan åren")]
        at.session_state[apptest_util.get_expander_key(expander)] = True
        at.run()
    return next(df for df in tables(at) if CHANGE_COLUMN in df.columns)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def view(at: AppTest) -> tuple:
    """Return what the user sees, for comparing two runs: widget values, the change table and captions."""
    return (at.selectbox(key="comparisons.matt").value, at.slider(key="comparisons.period").value,
            at.toggle(key="comparisons.index").value, change_table(at).to_dict("list"),
            apptest_util.get_captions(at), [c.proto.alt for c in charts(at)],
            apptest_util.get_chart_descriptions(at))


def test_default_view_shows_key_figures():
    at = open_page()
    assert_ok(at)
    assert not at.warning
    table = change_table(at)
    values = set(table["Värde"])
    assert {"1 072", "14 288", "25 479"} <= values
    assert set(table["År"]) == {"2018", "2019", "2020"}
    row = table[(table["Mått"] == "Färdtjänst, antal enkelresor") & (table["År"] == "2020")].iloc[0]
    assert (row["Förändring från föregående år"], row[CHANGE_COLUMN]) == ("−10 782", "−43,0 %")
    assert len(charts(at)) == 3  # one chart per metric: units are never mixed on one scale
    captions = [unescape(c) for c in apptest_util.get_captions(at)]
    assert "Färdtjänst, antal enkelresor minskade med 43,9 % från 2018 till 2020." in captions
    assert any(c.startswith("Källa: Jämförelsetal för styrelsens verksamhet") for c in captions)
    assert all(c.proto.alt for c in charts(at))
    assert dict(at.query_params) == DEFAULT_PARAMS


def test_change_table_is_made_when_opened_with_its_note_and_downloads():
    # Closed, the year-to-year table is one expander: a period step redraws the charts, not the table too.
    at = open_page()
    assert not any(CHANGE_COLUMN in df.columns for df in tables(at))
    [expander] = [e for e in at.expander if e.label.startswith("Förändring mellan åren")]
    assert expander.label == "Förändring mellan åren: visa tabellen och ladda ner"
    assert len(change_table(at)) == 9
    assert any(unescape(c).startswith("Förändringen räknas från föregående år.") for c in apptest_util.get_captions(at))
    keys = {b.key for b in at.get("download_button")}
    assert {"dl_csv_jamforelsetal-alla-2018-2020.csv", "dl_xlsx_jamforelsetal-alla-2018-2020.xlsx"} <= keys, keys


def test_an_opened_change_table_stays_open_when_the_choices_change():
    at = open_page()
    change_table(at)  # opened as a user opens it
    at.slider(key="comparisons.period").set_value((2019, 2020)).run()
    at.selectbox(key="comparisons.matt").set_value("fardtjanst").run()
    assert_ok(at)
    shown = [df for df in tables(at) if CHANGE_COLUMN in df.columns]
    assert len(shown) == 1 and set(shown[0]["År"]) == {"2019", "2020"}
    assert set(shown[0]["Mått"]) == {"Färdtjänst, antal enkelresor"}
    keys = {b.key for b in at.get("download_button")}
    assert "dl_csv_jamforelsetal-fardtjanst-2019-2020.csv" in keys, keys


@pytest.mark.parametrize("via", ["widget", "link"])
def test_year_range_narrows_the_change_table(via):
    if via == "widget":
        at = open_page()
        at.slider(key="comparisons.period").set_value((2019, 2020)).run()
    else:
        at = open_page(period="2019-2020")
    assert_ok(at)
    assert at.slider(key="comparisons.period").value == (2019, 2020)
    table = change_table(at)
    assert set(table["År"]) == {"2019", "2020"}
    assert len(table) == 6
    # The first year of the range has no earlier year to change from.
    assert set(table[table["År"] == "2019"][CHANGE_COLUMN]) == {"–"}


def test_index_toggle_gives_100_for_the_first_year():
    at = open_page()
    at.toggle(key="comparisons.index").set_value(True).run()
    assert_ok(at)
    table = change_table(at)
    index = table["Index (2018 = 100)"]
    assert list(index[table["År"] == "2018"]) == ["100,0", "100,0", "100,0"]
    assert list(index[table["Mått"] == "Färdtjänst, antal enkelresor"]) == ["100,0", "98,4", "56,1"]
    # Index values share one chart, and a phone gets its layout of it (the legend's names on lines of their own).
    assert len(apptest_util.get_charts(at)) == 1 and len(apptest_util.get_charts(at, phone=True)) == 1
    spec = json.loads(charts(at)[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "Index år 2020 med 2018 = 100" in unescape(apptest_util.get_captions(at)[0])


def test_one_metric_as_index_is_one_chart_with_no_legend_and_no_phone_layout_of_its_own():
    at = open_page(matt="fardtjanst", index="1")
    assert_ok(at)
    assert len(apptest_util.get_charts(at)) == 1 and not apptest_util.get_charts(at, phone=True)


def test_index_with_zero_base_shows_dash_and_a_note():
    at = open_page(index="1", period="2019-2020")
    assert_ok(at)
    notes = [i.value for i in at.info]
    assert any(n.startswith("Antal antagna översiktsplaner kan inte visas som index") for n in notes)
    table = change_table(at)
    plans = table[table["Mått"] == "Antal antagna översiktsplaner"]
    assert list(plans["Index (2019 = 100)"]) == ["–", "–"]
    assert list(table[table["Mått"] == "Färdtjänst, antal enkelresor"]["Index (2019 = 100)"]) == ["100,0", "57,0"]
    text = " ".join(" ".join(df.to_string() for df in tables(at)) + " ".join(apptest_util.get_captions(at)))
    assert "inf" not in text.lower() and "nan" not in text.lower()


@pytest.mark.parametrize(("slug", "metric", "value"), [
    ("fardtjanst", "Färdtjänst, antal enkelresor", "14 288"),
    ("raddningstjansten", "Räddningstjänsten, kostnader i kr per invånare", "1 072"),
    ("antal-antagna-oversiktsplaner", "Antal antagna översiktsplaner", "0"),
])
def test_metric_selector_shows_one_metric(slug, metric, value):
    at = open_page()
    at.selectbox(key="comparisons.matt").set_value(slug).run()
    assert_ok(at)
    table = change_table(at)
    assert set(table["Mått"]) == {metric}
    assert table["Värde"].iloc[-1] == value
    assert len(charts(at)) == 1
    assert at.query_params["matt"] == slug


def test_link_round_trip_reproduces_the_view():
    at = open_page()
    at.selectbox(key="comparisons.matt").set_value("fardtjanst").run()
    at.slider(key="comparisons.period").set_value((2019, 2020)).run()
    at.toggle(key="comparisons.index").set_value(True).run()
    assert_ok(at)
    params = dict(at.query_params)
    assert params == {"matt": "fardtjanst", "period": "2019-2020", "index": "1"}
    again = open_page(**params)
    assert_ok(again)
    assert view(again) == view(at)
    assert list(change_table(again)["Index (2019 = 100)"]) == ["100,0", "57,0"]


@pytest.mark.parametrize(("param", "bad"), [
    ("period", "1999-2020"), ("period", "2020-2018"), ("period", "x"),
    ("matt", "<script>"), ("matt", "Färdtjänst"),
    ("index", "2"),
])
def test_invalid_link_values_warn_and_fall_back(param, bad):
    at = open_page(**{param: bad})
    assert_ok(at)
    warnings = [w.value for w in at.warning]
    assert any(f'"{param}"' in w and "Standardvärdet visas" in w for w in warnings), warnings
    assert dict(at.query_params) == DEFAULT_PARAMS
    assert view(at) == view(open_page())
