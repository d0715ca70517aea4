"""Ekonomi, run as a user would through AppTest: statement selector, part selector, threshold, tkr/% toggle, charts
and links."""

from __future__ import annotations

import pytest

from tests import apptest_util
from tests.apptest_util import (
    assert_clean,
    get_all_text,
    get_chart_data,
    get_chart_descriptions,
    get_chart_specs,
    open_chart_extras,
    open_page,
)

PAGE = "pages/2_ekonomi.py"
NB = "\u00a0"


def _table(at, index: int = -1):
    """Return a shown table (default: the statement table, the last visible one) with plain spaces."""
    df = apptest_util.get_tables(at)[index]
    df.columns = [str(c).replace("\\", "").replace(NB, " ") for c in df.columns]
    return df.map(lambda v: str(v).replace("\\", "").replace(NB, " "))


def _statement_table(at):
    """Return the table whose first column names the rows of the statement (Post, Verksamhet or Investering), opening
    "Visa som tabell och ladda ner" under the deviation chart first, as a user does, if it is closed."""
    for attempt in range(2):
        for i in range(len(apptest_util.get_tables(at))):
            df = _table(at, i)
            if df.columns[0] in ("Post", "Verksamhet", "Investering"):
                return df
        if attempt == 0:
            open_chart_extras(at)
    raise AssertionError("no statement table on the page")


def _part(at):
    """Return the part selector (Avvikelser, Budget och utfall, Avstämning mot rapporten)."""
    return next(w for w in at.get("button_group") if w.key == "economy.visa")


def _beyond(at) -> set[str]:
    """Return the row labels the statement table marks as beyond the threshold."""
    df = _statement_table(at)
    marked = df[df.iloc[:, -1] == "◆ över gränsen"]
    return {label.replace("\u2003↳ varav ", "varav ").strip() for label in marked.iloc[:, 0]}


def _deviation_chart_texts(at) -> dict[str, str]:
    """Return label → text beside the bar of the deviation chart (the first chart)."""
    data = get_chart_data(at, 0)
    return {str(k).strip(): str(v).replace(NB, " ") for k, v in zip(data["label"], data["bar_text"])}


@pytest.mark.parametrize(("params", "first_column", "rows"), [
    ({}, "Verksamhet", 7),
    ({"tabell": "nettokostnad"}, "Verksamhet", 7),
    ({"tabell": "drift"}, "Post", 3),
    ({"tabell": "investeringar"}, "Investering", 6),
])
def test_each_statement_renders_without_errors(params, first_column, rows):
    at = open_page(PAGE, params)
    assert_clean(at)
    assert not at.warning
    df = _statement_table(at)
    assert df.columns[0] == first_column and len(df) == rows


def test_default_view_shows_key_figures_sign_rule_and_source():
    at = open_page(PAGE)
    assert_clean(at)
    text = get_all_text(at)
    for expected in ("−105 546 tkr", "−104 869 tkr", "+677 tkr", "0,6 % bättre än budget",
                     "Avvikelse = utfall − budget", "Källa: Ekonomi › Nettokostnad och budgetavvikelse",
                     "Samhällsenhet har störst positiv avvikelse, 1 721 tkr",
                     "2 av 4 verksamheter och 2 av 2 varav-rader ligger över gränsen 500 tkr"):
        assert expected in text, expected
    assert [m.label for m in at.metric] == ["Budget 2020", "Utfall 2020", "Avvikelse 2020"]
    assert at.radio(key="economy.tabell").value == "nettokostnad"
    assert at.toggle(key="economy.procent").value is False
    assert at.slider(key="economy.grans").value == 500
    # One part at a time below the key figures: the deviations, with one chart (and its phone layout, whose two
    # "↳ varav" names break onto lines) and no budget chart or reconciliation.
    assert _part(at).value == "avvikelser"
    # Under the deviations: where the report's text contradicts the table (Kommunledningskontor), both sides.
    assert [h.value for h in at.subheader] == ["Avvikelse mot budget", "Rapporten säger emot sig själv"]
    assert len(apptest_util.get_charts(at)) == 1 and len(apptest_util.get_charts(at, phone=True)) == 1
    wide, phone = (list(apptest_util.get_chart_data(at, 0, phone)["label"]) for phone in (False, True))
    assert any("\n" in name for name in phone) and not any("…" in name for name in phone)
    assert not any("\n" in name for name in wide)


def test_budget_part_shows_budget_and_outcome_and_the_waterfall_for_net_costs():
    at = open_page(PAGE, {"visa": "budget"})
    assert_clean(at)
    assert not at.warning
    assert [h.value for h in at.subheader] == ["Budget och utfall", "Från budget till utfall",
                                               "Rapporten säger emot sig själv"]
    charts = apptest_util.get_charts(at)
    assert len(charts) == 2
    for chart in charts:
        assert chart.proto.alt
    for spec in get_chart_specs(at):
        assert spec["config"]["locale"]["number"]["thousands"] == NB
    waterfall = get_chart_data(at, 1)
    assert "Avrundning i rapporten" in waterfall["label"].tolist()
    text = get_all_text(at)
    assert "Utfallet blev 677 tkr bättre än budget" in text and "avrundning står för −1 tkr" in text
    assert not at.slider and not at.toggle  # the threshold belongs to the deviations
    assert [m.label for m in at.metric] == ["Budget 2020", "Utfall 2020", "Avvikelse 2020"]  # key figures stay


@pytest.mark.parametrize("statement", ["drift", "investeringar"])
def test_no_waterfall_for_other_statements(statement):
    at = open_page(PAGE, {"tabell": statement, "visa": "budget"})
    assert len(apptest_util.get_charts(at)) == 1
    assert "Från budget till utfall" not in get_all_text(at)


@pytest.mark.parametrize("part", ["avvikelser", "budget"])
def test_a_statements_chart_keeps_its_name_and_key_and_says_which_statement_it_shows(part):
    # Name and key stay when the statement changes, so the browser swaps the data in instead of building the chart
    # anew; the description right after the name (for screen readers) names the statement and year.
    at = open_page(PAGE, {"visa": part})
    before = [(chart.proto.alt, chart.proto.id) for chart in apptest_util.get_charts(at)[:1]]
    at.radio(key="economy.tabell").set_value("investeringar").run()
    assert_clean(at)
    assert _part(at).value == part  # the part stays when the statement changes
    assert [(chart.proto.alt, chart.proto.id) for chart in apptest_util.get_charts(at)] == before
    descriptions = get_chart_descriptions(at)
    assert len(descriptions) == 1 and "Investeringar 2020" in descriptions[0], descriptions


@pytest.mark.parametrize(("part", "heading", "absent"), [
    ("avvikelser", "Avvikelse mot budget", "Avstämning mot rapporten"),
    ("budget", "Budget och utfall", "Avvikelse mot budget"),
    ("avstamning", "Avstämning mot rapporten", "Budget och utfall"),
])
def test_the_part_selector_shows_one_part_and_the_link_keeps_it(part, heading, absent):
    at = open_page(PAGE)
    _part(at).set_value(part).run()
    assert_clean(at)
    headings = [h.value for h in at.subheader]
    assert heading in headings and absent not in headings
    assert at.query_params["visa"] == part
    assert "−105 546 tkr" in get_all_text(at)  # the key figures stay above every part
    again = open_page(PAGE, {k: at.query_params[k] for k in at.query_params})
    assert_clean(again)
    assert not again.warning and _part(again).value == part
    assert [h.value for h in again.subheader] == headings


def test_the_threshold_stays_in_the_link_while_another_part_is_shown():
    at = open_page(PAGE, {"visa": "budget", "procent": "0", "grans": "1000"})
    assert_clean(at)
    assert not at.warning  # the hidden part's parameters are no unknown parameters
    assert at.query_params["grans"] == "1000"
    _part(at).set_value("avvikelser").run()
    assert at.slider(key="economy.grans").value == 1000
    assert "1 av 4 verksamheter och 2 av 2 varav-rader ligger över gränsen 1 000 tkr" in get_all_text(at)
    at.slider(key="economy.grans").set_value(2000).run()
    _part(at).set_value("avstamning").run()
    assert at.query_params["grans"] == "2000"
    _part(at).set_value("avvikelser").run()
    assert at.slider(key="economy.grans").value == 2000


def test_an_invalid_part_in_a_link_shows_a_notice_and_the_deviations():
    at = open_page(PAGE, {"visa": "<b>allt</b>"})
    assert_clean(at)
    assert len(at.warning) == 1 and '"visa"' in at.warning[0].value
    assert _part(at).value == "avvikelser" and at.query_params["visa"] == "avvikelser"


def test_changing_the_statement_changes_the_table():
    at = open_page(PAGE)
    before = _statement_table(at)
    at.radio(key="economy.tabell").set_value("investeringar").run()
    assert_clean(at)
    after = _statement_table(at)
    assert before.columns[0] == "Verksamhet" and after.columns[0] == "Investering"
    assert after.iloc[-1, 0] == "Summa investeringar"
    text = get_all_text(at)
    assert "Avvikelse = budget − utfall" in text and "Källa: Ekonomi › Investeringsredovisning" in text
    assert "12 700 tkr" in text and "11 595 tkr" in text


@pytest.mark.parametrize(("threshold", "beyond"), [
    (0, {"Kommunledningskontor", "Näringslivskontor", "Samhällsenhet", "Kommunens oförutsedda",
         "varav kommunalägda bolag och kommunförbund",
         "varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"}),
    (500, {"Kommunledningskontor", "Samhällsenhet", "varav kommunalägda bolag och kommunförbund",
           "varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"}),
    (1000, {"Samhällsenhet", "varav kommunalägda bolag och kommunförbund",
            "varav politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"}),
    (2000, {"varav kommunalägda bolag och kommunförbund"}),
    (3000, set()),
    (7000, set()),
])
def test_threshold_slider_changes_the_highlighted_rows(threshold, beyond):
    at = open_page(PAGE)
    at.slider(key="economy.grans").set_value(threshold).run()
    assert_clean(at)
    assert _beyond(at) == beyond
    texts = _deviation_chart_texts(at)
    assert texts["Summa"] == "+677 tkr"  # the sum row is shown, never marked
    assert ("◆ över gränsen" in texts["Samhällsenhet"]) == ("Samhällsenhet" in beyond)
    assert ("◆ över gränsen" in texts["Kommunledningskontor"]) == ("Kommunledningskontor" in beyond)


def test_units_beyond_at_500_and_1000_tkr_in_the_caption():
    at = open_page(PAGE, {"grans": "500"})
    assert "2 av 4 verksamheter" in get_all_text(at)
    at.slider(key="economy.grans").set_value(1000).run()
    assert "1 av 4 verksamheter och 2 av 2 varav-rader ligger över gränsen 1 000 tkr" in get_all_text(at)


def test_percent_toggle_changes_the_deviation_column_and_the_slider():
    at = open_page(PAGE)
    assert "Avvikelse 2020" in _statement_table(at).columns
    at.toggle(key="economy.procent").set_value(True).run()
    assert_clean(at)
    df = _statement_table(at)
    assert "Avvikelse 2020, % av budget" in df.columns and "Avvikelse 2020" not in df.columns
    assert df.set_index("Verksamhet").loc["Samhällsenhet", "Avvikelse 2020, % av budget"] == "+22,7 %"
    assert at.slider(key="economy.grans_pct").value == 10
    assert not [s for s in at.slider if s.key == "economy.grans"]  # only the current unit's slider is shown
    assert _beyond(at) == {"Samhällsenhet", "Kommunens oförutsedda"}
    assert get_chart_specs(at)[0]["layer"][0]["encoding"]["x"]["title"] == "Avvikelse, % av budget"
    assert not at.warning  # the other unit's parameter leaves the URL without an "unknown parameter" notice


def test_link_round_trip_reproduces_widgets_and_figures():
    params = {"tabell": "investeringar", "procent": "1", "grans_pct": "50"}
    at = open_page(PAGE, params)
    assert_clean(at)
    assert not at.warning
    assert at.radio(key="economy.tabell").value == "investeringar"
    assert at.toggle(key="economy.procent").value is True
    assert at.slider(key="economy.grans_pct").value == 50
    assert _beyond(at) == {"Strategiska markköp", "Vivsta 19:1", "Exploatering", "Allmänna investeringar KLK"}
    assert "4 av 5 investeringar ligger över gränsen 50 %" in get_all_text(at)
    # The page writes the whole view back into the URL, so the share link opens the same view.
    assert {k: at.query_params[k] for k in params} == params
    again = open_page(PAGE, {k: at.query_params[k] for k in at.query_params})
    assert_clean(again)
    assert not again.warning
    assert _statement_table(again).equals(_statement_table(at))


def test_tkr_link_round_trip():
    at = open_page(PAGE, {"tabell": "drift", "procent": "0", "grans": "6000"})
    assert_clean(at)
    assert at.slider(key="economy.grans").value == 6000
    assert _beyond(at) == {"Verksamhetens intäkter (+)"}
    assert at.query_params["grans"] == "6000" and "grans_pct" not in at.query_params


@pytest.mark.parametrize(("params", "param"), [
    ({"tabell": "xyz"}, "tabell"),
    ({"grans": "12345"}, "grans"),
    ({"grans": "510"}, "grans"),  # not on the slider's 50-tkr steps
    ({"procent": "ja"}, "procent"),
])
def test_invalid_link_values_show_a_notice_and_the_default_view(params, param):
    at = open_page(PAGE, params)
    assert_clean(at)
    assert len(at.warning) == 1 and f'"{param}"' in at.warning[0].value
    assert at.radio(key="economy.tabell").value == "nettokostnad"
    assert at.toggle(key="economy.procent").value is False
    assert at.slider(key="economy.grans").value == 500
    assert "−105 546 tkr" in get_all_text(at)


def test_hidden_unit_parameter_in_a_link_is_dropped_quietly():
    at = open_page(PAGE, {"procent": "0", "grans": "1000", "grans_pct": "20"})
    assert_clean(at)
    assert not at.warning
    assert at.slider(key="economy.grans").value == 1000
    assert "grans_pct" not in at.query_params


@pytest.mark.parametrize(("statement", "lines"), [
    ("drift", ['"Verksamhetens nettokostnader", utfall 2019: tryckt −90 034 tkr, beräknat −90 035 tkr']),
    ("nettokostnad", ['"Summa", avvikelse: tryckt 677 tkr, beräknat 678 tkr',
                      '"Summa", utfall: tryckt −104 869 tkr, beräknat −104 868 tkr']),
    ("investeringar", ['"Summa investeringar", avvikelse: tryckt 1 104 tkr, beräknat 1 105 tkr']),
])
def test_reconciliation_differences_are_explained(statement, lines):
    at = open_page(PAGE, {"tabell": statement, "visa": "avstamning"})
    text = get_all_text(at)
    for line in lines:
        assert line in text, line
    assert "rapportens egen avrundning" in text and "visar alltid den tryckta siffran" in text


def test_operating_statement_shows_last_year_with_its_footnote():
    at = open_page(PAGE, {"tabell": "drift"})
    df = _statement_table(at)  # under the deviation chart, with its footnote
    assert df["Utfall 2019 *"].tolist() == ["104 395 tkr", "−194 430 tkr", "−90 034 tkr"]
    assert "* Mellan åren 2019 och 2020 gjordes en ändring" in get_all_text(at)


@pytest.mark.parametrize(("params", "shown"), [
    ({}, True), ({"visa": "budget"}, True), ({"grans": "2000"}, True), ({"visa": "avstamning"}, False),
    ({"tabell": "drift"}, False), ({"tabell": "investeringar"}, False)])
def test_kommunledningskontorets_deviation_and_the_text_that_calls_it_positive_side_by_side(params, shown):
    at = open_page(PAGE, params)
    assert_clean(at)
    text = get_all_text(at)
    both = ["Rapporten säger emot sig själv", "Tabellen Nettokostnad och budgetavvikelse",
            "Kommunledningskontor: avvikelse −837 tkr", "kommunalägda bolag och kommunförbund: avvikelse −2 214 tkr",
            "Rapporten, Årets verksamhet",
            "förklarar det en positiv avvikelse för kommunledningskontorets verksamhet."]
    assert all(part in text for part in both) is shown, [part for part in both if part not in text]


@pytest.mark.parametrize("statement", ["nettokostnad", "drift", "investeringar"])
def test_a_phone_gets_the_budget_chart_with_its_names_on_short_lines(statement):
    # On a phone the names on the axis left the bars a few pixels: there the page shows a chart of their own with the
    # names broken onto lines of at most 20 characters (the files keep the wide chart).
    at = open_page(PAGE, {"visa": "budget", "tabell": statement})
    assert_clean(at)
    [phone] = [list(apptest_util.get_chart_data(at, i, phone=True)["label"])
               for i in range(len(apptest_util.get_charts(at, phone=True)))][:1]
    wide = list(apptest_util.get_chart_data(at, 0)["label"])
    assert [name.replace("\n", " ") for name in phone] == [name.replace("\n", " ") for name in wide]
    assert all(len(line) <= 20 for name in phone for line in name.split("\n")) and not any("…" in n for n in phone)
