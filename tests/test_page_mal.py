"""Mål och styrtal, run as a user would through AppTest: filters, tolerance, the opened goal, links."""

from __future__ import annotations

import json

import pytest

from tests.apptest_util import assert_clean, get_all_text, get_chart_specs, open_page

PAGE = "pages/1_mal.py"


def _goal_lines(at) -> list[str]:
    """Return the goal cards in the list (buttons that open a goal), e.g. '1.3 Medborgarna anser …'."""
    return [b.label.replace("\\", "").replace("**", "") for b in at.button if b.key.startswith("open_")]


def test_default_view_lists_all_eleven_goals_with_status_words():
    at = open_page(PAGE)
    assert_clean(at)
    goals = _goal_lines(at)
    assert [g.split()[0] for g in goals] == ["1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3"]
    text = get_all_text(at)
    assert "✔ Uppfyllt" in text and "◐ Delvis uppfyllt" in text and "✖ Ej uppfyllt" in text
    assert "11 av 11 mål visas." in text


@pytest.mark.parametrize(("params", "expected"), [
    ({"omrade": "2"}, ["2.1", "2.2", "2.3"]),
    ({"status": "fulfilled"}, ["2.1", "3.2", "4.3"]),
    ({"status": "partly"}, ["1.5", "2.2", "3.1"]),
    ({"status": "none"}, ["1.3", "2.3", "4.1"]),
    ({"omrade": "4", "status": "not_fulfilled"}, ["4.2"]),
])
def test_filters_narrow_the_goal_list(params, expected):
    at = open_page(PAGE, params)
    assert_clean(at)
    assert [g.split()[0] for g in _goal_lines(at)] == expected


def test_raising_the_tolerance_turns_3_1_near_the_target():
    at = open_page(PAGE, {"mal": "3.1", "marginal": "0"})
    assert_clean(at)
    text = get_all_text(at)
    assert "✖ Ej nått" in text and "skiljer sig åt" in text
    at.slider(key="goals.marginal").set_value(5).run()
    text = get_all_text(at)
    assert "◐ Nära målet" in text
    assert "stämmer överens" in text


def test_opened_goal_shows_assessment_rule_chart_and_texts():
    at = open_page(PAGE, {"mal": "1.3"})
    assert_clean(at)
    text = get_all_text(at)
    assert "Greta-effekt" in text
    assert "Ingen bedömning i rapporten" in text
    assert "1 av 3 bedömda styrtal når målet" in text
    assert "80 %" in text and "minst 79 %" in text
    specs = get_chart_specs(at)
    assert len(specs) == 1
    assert specs[0]["config"]["locale"]["number"]["thousands"] == "\u00a0"
    assert at.get("vega_lite_chart")[0].proto.alt.startswith("Mätvärde mot målvärde")


def test_each_indicator_of_an_opened_goal_gets_a_chart_of_its_own_and_the_goal_one_set_of_files():
    """Goal 4.2 has three indicators with a target: three charts that stretch to the column (one stacked chart kept a
    fixed 560 px and pushed the page sideways on a narrow screen), one caption, one "Ladda ner diagrammet"."""
    at = open_page(PAGE, {"mal": "4.2"})
    assert_clean(at)
    charts = at.get("vega_lite_chart")
    names = ["Annonser som uppfyller målet att attrahera mångfald", "Anställda av det underrepresenterade könet",
             "Yngre anställda"]
    assert len(charts) == len(names)
    for chart, name in zip(charts, names, strict=True):
        assert chart.proto.alt.startswith("Mätvärde mot målvärde för styrtalen i mål 4.2.") and name in chart.proto.alt
        spec = json.loads(chart.proto.spec)
        assert spec["autosize"]["type"] == "fit-x" and "width" not in spec
    assert [e.label for e in at.expander if e.label == "Ladda ner diagrammet"] == ["Ladda ner diagrammet"]


def test_open_button_opens_the_goal():
    at = open_page(PAGE)
    card = at.button(key="open_4.2")
    # The card is the button: the goal's number, title and both statuses.
    label = card.label.replace("\\", "")
    assert label.startswith("**4.2** Timrå kommuns organisation") and "[Styrtalen: ✖ Ej uppfyllt]" in label
    card.click().run()
    assert_clean(at)
    assert at.selectbox(key="goals.mal").value == "4.2"
    assert "Yngre anställda" in get_all_text(at)


def test_link_round_trip_reproduces_widgets_and_figures():
    params = {"omrade": "3", "status": "partly", "marginal": "7", "mal": "3.1"}
    at = open_page(PAGE, params)
    assert_clean(at)
    assert at.selectbox(key="goals.omrade").value == 3
    assert at.selectbox(key="goals.status").value == "partly"
    assert at.slider(key="goals.marginal").value == 7
    assert at.selectbox(key="goals.mal").value == "3.1"
    assert dict(at.query_params) == params
    assert "◐ Nära målet" in get_all_text(at)


@pytest.mark.parametrize(("param", "value"), [
    ("mal", "9.9"), ("marginal", "999"), ("marginal", "abc"), ("omrade", "<script>alert(1)</script>"),
    ("status", "uppfyllt"),
])
def test_invalid_link_value_falls_back_with_a_notice(param, value):
    at = open_page(PAGE, {param: value})
    assert_clean(at)
    assert any(param in w.value and "Standardvärdet" in w.value for w in at.warning)
    assert len(_goal_lines(at)) == 11
    assert at.query_params.get(param) != value


def test_unknown_parameter_is_dropped_with_a_notice():
    at = open_page(PAGE, {"foo": "bar"})
    assert_clean(at)
    assert any("foo" in w.value for w in at.warning)
    assert "foo" not in at.query_params


# (goal, what the rule says: the verdict in the report's words with its sentence, and what the status rests on)
RULES_IN_WORDS = [
    ("3.2", ["✔ Uppfyllt", "stämmer överens", 'Publicerade processer bedömt i rapportens text: "Målet bedöms vara '
             'uppfyllt utifrån de mätbara värden som finns tillgängliga."', "✔ Målet nått (rapportens text)"]),
    ("2.3", ['Efterfrågan på lägenheter och Efterfrågan på villor bedömda i rapportens text: "I dagsläget motsvarar '
             'inte utbudet efterfrågan."', "Statusen bygger på 5 av målets 9 mätvärden", "✖ Ej nått (rapportens text)"]),
    ("2.2", ["◐ Delvis uppfyllt", "stämmer överens",
             'UF bedömt i rapportens text: "Målvärden nås med minsta möjliga marginal."']),
    ("1.3", ['Livskvalitet och Service bedömda i rapportens text: "Vi når inte målen när det gäller livskvalitet och '
             'service, men vi ligger nära"', "Statusen bygger på 3 av målets 19 mätvärden"]),
]


@pytest.mark.parametrize(("goal_id", "expected"), RULES_IN_WORDS, ids=[r[0] for r in RULES_IN_WORDS])
def test_an_opened_goal_shows_the_reports_verdict_in_words_in_its_rule(goal_id, expected):
    at = open_page(PAGE, {"mal": goal_id})
    assert_clean(at)
    text = get_all_text(at)
    for part in expected:
        assert part in text, part


def test_goal_2_2_shows_both_sides_of_the_reports_contradiction():
    at = open_page(PAGE, {"mal": "2.2"})
    assert_clean(at)
    text = get_all_text(at)
    assert "Rapporten säger emot sig själv" in text
    assert "Mätvärdena: Andel kvinnliga företagare" in text and "2018: 20 % · 2020: 21 %" in text
    assert "Rapporten, Mål 2.2 › Analys" in text
    assert ('Rapporten: "Andelen företagsamma kvinnor har minskat i relation till föregående år, tillbaka till samma '
            'nivå som under 2018"') in text


def test_a_goal_the_report_does_not_contradict_shows_no_contradiction():
    at = open_page(PAGE, {"mal": "2.1"})
    assert "Rapporten säger emot sig själv" not in get_all_text(at)
