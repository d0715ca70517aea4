"""The year selector and the year-on-year comparisons, on every page, with one and with two report years.

The second year (2021) is made by the real import from a fixture (tests/years_data.py) into a temporary copy of
data/; the app reads it through KS_DATA_DIR.
"""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import ui
import ui.frame
from ks_data import schema as s
from tests import apptest_util
from tests.apptest_util import assert_clean, get_all_text, get_chart_data, get_chart_specs, get_share_link, open_page
from tests.years_data import NET_RESULT, RECOVERY_WORD, two_year_data, two_years  # noqa: F401 - fixtures used by name

PAGES = (None, "pages/1_mal.py", "pages/2_ekonomi.py", "pages/3_jamforelsetal.py", "pages/4_aktiviteter.py",
         "pages/5_om_data.py", "pages/7_sok.py", "pages/6_tillganglighet.py")
ECONOMY = "pages/2_ekonomi.py"
GOALS = "pages/1_mal.py"


def year_select(at):
    """Return the sidebar's year selector, or None when the page shows none."""
    boxes = [b for b in at.sidebar.selectbox if b.key == ui.frame.YEAR_SELECT_KEY]
    return boxes[0] if boxes else None


def link_params(at) -> list[dict[str, list[str]]]:
    """Return the URL parameters of every page link (menu and in-page links)."""
    return [parse_qs(p.proto.query_string) for p in at.get("page_link")]


def share_link(at) -> str:
    """Return the "Dela vy" link shown in the sidebar."""
    return get_share_link(at)


def tkr(amount: int) -> str:
    """Return an amount as the pages show it, with plain spaces: "−104 869 tkr"."""
    return f"{amount:,} tkr".replace(",", " ").replace("-", "−")


def outcome_card(at) -> str:
    """Return the economy page's outcome card's value (the sum row's outcome)."""
    return next(m.value for m in at.metric if m.label.startswith("Utfall")).replace("\u00a0", " ")


# --- one year: nothing changes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", PAGES)
def test_with_one_year_there_is_no_selector_and_no_year_in_any_link(script):
    at = open_page(script, {"q": "bredband"} if script == "pages/7_sok.py" else {})
    assert_clean(at)
    assert year_select(at) is None
    assert "ar" not in at.query_params
    assert all("ar" not in params for params in link_params(at))
    assert "ar=" not in share_link(at)


def test_with_one_year_a_link_with_that_year_opens_quietly_and_the_year_leaves_the_url():
    at = open_page(ECONOMY, {"ar": "2020"})
    assert_clean(at)
    assert not at.warning
    assert "ar" not in at.query_params
    assert outcome_card(at) == tkr(NET_RESULT[2020][1])


# --- two years --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", PAGES)
@pytest.mark.usefixtures("two_years")
def test_with_two_years_every_page_has_the_selector_at_the_latest_year_and_links_carry_it(script):
    at = open_page(script, {"q": "bredband"} if script == "pages/7_sok.py" else {})
    assert_clean(at)
    select = year_select(at)
    assert select is not None and select.label == "Verksamhetsår"
    assert list(select.options) == ["2021", "2020"]
    assert select.value == 2021
    assert at.query_params["ar"] == "2021"
    assert all(params.get("ar") == ["2021"] for params in link_params(at))
    assert "ar=2021" in share_link(at)


@pytest.mark.usefixtures("two_years")
def test_a_link_to_2020_shows_2020s_figures_and_keeps_its_year():
    at = open_page(ECONOMY, {"ar": "2020"})
    assert_clean(at)
    assert year_select(at).value == 2020
    assert outcome_card(at) == tkr(NET_RESULT[2020][1])
    assert "Nettokostnad per verksamhet 2020" in get_all_text(at)
    assert "ar=2020" in share_link(at)
    assert all(params.get("ar") == ["2020"] for params in link_params(at))


@pytest.mark.usefixtures("two_years")
def test_the_default_is_the_latest_year():
    at = open_page(ECONOMY)
    assert outcome_card(at) == tkr(NET_RESULT[2021][1])


@pytest.mark.usefixtures("two_years")
def test_changing_the_year_rerenders_the_page_and_updates_the_url():
    at = open_page(ECONOMY)
    year_select(at).set_value(2020).run()
    assert_clean(at)
    assert outcome_card(at) == tkr(NET_RESULT[2020][1])
    assert at.query_params["ar"] == "2020"
    assert "ar=2020" in share_link(at)
    assert all(params.get("ar") == ["2020"] for params in link_params(at))


@pytest.mark.usefixtures("two_years")
def test_the_year_survives_a_page_change():
    at = open_page(ECONOMY, {"ar": "2020"})
    at.query_params.clear()  # the next page's own link, as a menu click in the same session gives it
    at.switch_page(GOALS).run()
    assert_clean(at)
    assert year_select(at).value == 2020
    assert "ar=2020" in share_link(at)


@pytest.mark.parametrize("value", ["1999", "2021x", "", "2020,2021"])
@pytest.mark.usefixtures("two_years")
def test_an_unknown_year_in_a_link_gives_a_notice_and_the_latest_year(value):
    at = open_page(ECONOMY, {"ar": value})
    assert_clean(at)
    assert any('"ar"' in w.value for w in at.warning), [w.value for w in at.warning]
    assert year_select(at).value == 2021
    assert outcome_card(at) == tkr(NET_RESULT[2021][1])
    assert "ar=2021" in share_link(at)


@pytest.mark.usefixtures("two_years")
def test_a_year_given_twice_is_refused():
    at = open_page(ECONOMY, {"ar": ["2020", "2021"]})
    assert any('"ar"' in w.value for w in at.warning)
    assert year_select(at).value == 2021


# --- year on year -----------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("two_years")
def test_goals_show_each_indicator_beside_the_previous_years():
    at = open_page(GOALS, {"mal": "1.3"})
    assert_clean(at)
    assert "Jämfört med 2020" in [h.value for h in at.subheader]
    table = next(t for t in apptest_util.get_tables(at) if "Mätvärde 2020" in t.columns)
    first = table.iloc[0].map(lambda v: str(v).replace("\\", "").replace("\u00a0", " "))
    assert list(first) == ["Sammanvägt mätvärde: livskvalitet, service och klimatsmart", "hösten 2021", "82 %", "80 %",
                           "+2", "procentenheter"]


@pytest.mark.usefixtures("two_years")
def test_goals_of_the_first_year_have_nothing_to_compare_with():
    at = open_page(GOALS, {"mal": "1.3", "ar": "2020"})
    assert_clean(at)
    assert not [h.value for h in at.subheader if "Jämfört med" in h.value]
    assert not [t for t in apptest_util.get_tables(at) if "Mätvärde 2019" in t.columns]


@pytest.mark.usefixtures("two_years")
def test_economy_shows_budget_and_outcome_by_year():
    at = open_page(ECONOMY, {"tabell": "drift", "visa": "budget"})
    assert_clean(at)
    assert "Budget och utfall per år" in [h.value for h in at.subheader]
    chart = next(i for i, spec in enumerate(get_chart_specs(at)) if "yOffset" in spec.get("encoding", {})
                 and set(get_chart_data(at, i)["label"]) == {"2020", "2021"})
    data = get_chart_data(at, chart)
    assert sorted(data.loc[data["measure"] == "Utfall", "amount"]) == sorted([NET_RESULT[2020][1], NET_RESULT[2021][1]])
    text = get_all_text(at)
    assert f"utfallet var {tkr(NET_RESULT[2020][1])} år 2020 och {tkr(NET_RESULT[2021][1])} år 2021" in text


@pytest.mark.usefixtures("two_years")
def test_economy_keeps_the_by_year_chart_when_the_statement_changes():
    # Name and key stay (the browser swaps the data in); the description after the name names the statement.
    at = open_page(ECONOMY, {"tabell": "drift", "visa": "budget"})
    by_year = [chart for chart in at.get("vega_lite_chart") if chart.proto.alt.startswith(ui.t("years.economy.label"))]
    assert len(by_year) == 1
    before = (by_year[0].proto.alt, by_year[0].proto.id)
    at.radio(key="economy.tabell").set_value("investeringar").run()
    assert_clean(at)
    assert [(c.proto.alt, c.proto.id) for c in at.get("vega_lite_chart") if c.proto.alt == before[0]] == [before]
    assert any("för Investeringar per år" in d for d in apptest_util.get_chart_descriptions(at))


def test_economy_with_one_year_has_no_by_year_section():
    at = open_page(ECONOMY, {"visa": "budget"})
    assert "Budget och utfall per år" not in [h.value for h in at.subheader]


@pytest.mark.usefixtures("two_years")
def test_overview_compares_the_result_with_the_previous_year_only_when_there_is_one():
    latest = get_all_text(open_page(None))
    assert f"Resultatet blev 1 000 tkr sämre än 2020 ({tkr(NET_RESULT[2020][1])})." in latest
    first = open_page(None, {"ar": "2020"})
    assert_clean(first)
    assert "Resultatet blev" not in get_all_text(first)
    assert tkr(NET_RESULT[2020][1]) in get_all_text(first)


@pytest.mark.parametrize(("year", "bounds"), [("2020", (2018, 2020)), ("2021", (2019, 2021))])
@pytest.mark.usefixtures("two_years")
def test_comparisons_use_the_chosen_reports_measure_years(year, bounds):
    at = open_page("pages/3_jamforelsetal.py", {"ar": year})
    assert_clean(at)
    slider = at.slider(key="comparisons.period")
    assert (slider.min, slider.max) == bounds and slider.value == bounds


@pytest.mark.usefixtures("two_years")
def test_a_period_of_the_other_report_falls_back_when_the_year_changes():
    at = open_page("pages/3_jamforelsetal.py", {"ar": "2020", "period": "2018-2019"})
    assert at.slider(key="comparisons.period").value == (2018, 2019)
    year_select(at).set_value(2021).run()
    assert_clean(at)
    assert at.slider(key="comparisons.period").value == (2019, 2021)


@pytest.mark.parametrize(("year", "query", "heading"), [
    ("2020", "bredband", '2 träffar för "bredband"'), ("2021", "bredband", '2 träffar för "bredband"'),
    ("2021", RECOVERY_WORD, f'1 träff för "{RECOVERY_WORD}"'), ("2020", RECOVERY_WORD, f'Inga träffar för "{RECOVERY_WORD}"')])
@pytest.mark.usefixtures("two_years")
def test_search_finds_the_chosen_years_texts_only(year, query, heading):
    at = open_page("pages/7_sok.py", {"q": query, "ar": year})
    assert_clean(at)
    # Both years hold the same texts but one: one year's hits, never both years'.
    assert [h.value for h in at.subheader] == [heading]


@pytest.mark.usefixtures("two_years")
def test_overview_summary_is_the_chosen_years():
    assert RECOVERY_WORD in get_all_text(open_page(None))
    assert RECOVERY_WORD not in get_all_text(open_page(None, {"ar": "2020"}))


def test_a_table_without_rows_for_the_chosen_year_says_so_and_the_other_year_still_works(two_year_data, tmp_path,  # noqa: F811
                                                                                         monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(two_year_data, data, ignore=shutil.ignore_patterns("source"))
    path = data / s.get_file_name(s.ACTIVITIES)
    table = pq.read_table(path)
    pq.write_table(table.filter(pc.equal(table[s.YEAR], 2020)), path)
    monkeypatch.setenv("KS_DATA_DIR", str(data))
    at = open_page("pages/4_aktiviteter.py")
    assert_clean(at)
    assert any("inga rader för 2021" in i.value for i in at.info), [i.value for i in at.info]
    assert any("inga rader för år 2021" in w.value for w in at.warning)  # the data check's warning
    assert "Antal per status" not in [h.value for h in at.header]
    earlier = open_page("pages/4_aktiviteter.py", {"ar": "2020"})
    assert_clean(earlier)
    assert not [i.value for i in earlier.info if "inga rader" in i.value]


@pytest.mark.usefixtures("two_years")
def test_the_selector_and_the_comparisons_speak_english():
    at = open_page(GOALS, {"mal": "1.3", "lang": "en"})
    assert_clean(at)
    assert year_select(at).label == "Report year"
    assert "Compared with 2020" in [h.value for h in at.subheader]
    assert "lang=en" in share_link(at) and "ar=2021" in share_link(at)
