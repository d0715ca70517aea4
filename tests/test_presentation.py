"""Presentation mode's screens (ks_data.views.presentation) on the committed data: their order, one screen per goal area,
figures that equal the data's, charts whose every text is large, and a QR code of the screen's link."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import segno

from ks_data import schema as s
from ks_data.texts import get_text
from ks_data.views import presentation as p
from tests.helpers import real_frames, real_table

NB = "\u00a0"


def _plain(text: str) -> str:
    return str(text).replace(NB, " ")


def _content(slug: str, lang: str = "sv") -> p.ScreenContent:
    screens = p.get_screens(real_table(s.GOALS))
    return p.get_screen_content(screens[p.get_screen_index(screens, slug)], real_frames(), lang)


def _vega_nodes(node):
    """Yield every dict in a Vega-Lite spec."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key != "datasets":
                yield from _vega_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _vega_nodes(value)


def test_screens_come_in_the_issue_order_with_one_per_goal_area():
    screens = p.get_screens(real_table(s.GOALS))
    assert [sc.slug for sc in screens] == ["resultat", "mal-status", "malomrade-1", "malomrade-2", "malomrade-3",
                                           "malomrade-4", "budget", "avvikelser", "jamforelsetal"]
    assert [sc.page_key for sc in screens] == ["overview", "goals", "goals", "goals", "goals", "goals", "economy",
                                               "economy", "comparisons"]
    assert [sc.area for sc in screens if sc.area is not None] == sorted(real_table(s.GOALS)[s.AREA].unique())
    assert len({sc.slug for sc in screens}) == len(screens)


def test_goal_areas_follow_the_data():
    goals = real_table(s.GOALS)
    goals = goals[goals[s.AREA] != 3]
    assert [sc.slug for sc in p.get_screens(goals) if sc.area is not None] == ["malomrade-1", "malomrade-2",
                                                                             "malomrade-4"]


def test_without_goals_the_other_screens_remain():
    assert [sc.slug for sc in p.get_screens(None)] == ["resultat", "mal-status", "budget", "avvikelser",
                                                       "jamforelsetal"]


@pytest.mark.parametrize(("slug", "expected"), [("resultat", 0), ("budget", 6), ("jamforelsetal", 8), ("nope", None),
                                                (None, None), ("", None)])
def test_screen_index_by_slug(slug, expected):
    assert p.get_screen_index(p.get_screens(real_table(s.GOALS)), slug) == expected


@pytest.mark.parametrize(("page_key", "expected"), [("overview", "resultat"), ("goals", "mal-status"),
                                                    ("economy", "budget"), ("comparisons", "jamforelsetal"),
                                                    ("activities", "resultat"), ("about", "resultat"),
                                                    ("search", "resultat"), ("accessibility", "resultat")])
def test_first_screen_of_a_page_and_pages_without_screens_start_the_sequence(page_key, expected):
    screens = p.get_screens(real_table(s.GOALS))
    assert screens[p.get_first_screen(screens, page_key)].slug == expected


@pytest.mark.parametrize(("index", "total", "expected"), [(0, 9, "1 / 9"), (2, 12, "3 / 12"), (8, 9, "9 / 9")])
def test_counter(index, total, expected):
    assert p.format_counter(index, total) == expected


def test_result_screen_shows_the_years_result_from_the_data():
    content = _content("resultat")
    total = real_table(s.OPERATING).query("row_kind == 'summa'").iloc[0]
    assert content.title == "Årets resultat 2020"
    assert _plain(content.message) == "Verksamhetens nettokostnader: Utfallet blev 677 tkr bättre än budget."
    assert [(f["label"], _plain(f["value"])) for f in content.figures] == [
        ("Budget 2020", f"−{abs(total[s.BUDGET]):,} tkr".replace(",", " ")),
        ("Utfall 2020", f"−{abs(total[s.OUTCOME]):,} tkr".replace(",", " ")),
        ("Avvikelse 2020", f"+{total[s.DEVIATION]} tkr")]
    assert _plain(content.figures[2]["delta"]) == "0,6 % bättre än budget"


def test_goal_status_screen_counts_the_reports_assessments():
    content = _content("mal-status")
    goals = real_table(s.GOALS)
    assert content.message == f"Uppfyllda enligt rapporten: {(goals[s.ASSESSMENT] == 'fulfilled').sum()} av {len(goals)} mål."
    assert {f["label"]: int(f["value"]) for f in content.figures} == {
        "✔ Uppfyllt": 3, "◐ Delvis uppfyllt": 3, "✖ Ej uppfyllt": 1, "○ Ej bedömt": 1,
        "– Ingen bedömning i rapporten": 3}
    assert sum(int(f["value"]) for f in content.figures) == len(goals)


@pytest.mark.parametrize("area", [1, 2, 3, 4])
def test_goal_area_screen_lists_every_goal_of_the_area_with_its_assessment(area):
    content = _content(f"malomrade-{area}")
    goals = real_table(s.GOALS)
    sel = goals[goals[s.AREA] == area].sort_values(s.POSITION)
    assert content.title == f"Målområde {area}"
    assert [text for text, _, _ in content.items] == [f"{g} {t}" for g, t in zip(sel[s.GOAL_ID], sel[s.TITLE])]
    assert [status for _, status, _ in content.items] == [None if pd.isna(a) else a for a in sel[s.ASSESSMENT]]
    assert content.message == (f"Uppfyllda enligt rapporten: {(sel[s.ASSESSMENT] == 'fulfilled').sum()} av "
                               f"{len(sel)} mål i målområdet.")


def test_budget_screen_compares_each_verksamhet_with_its_budget():
    content = _content("budget")
    net = real_table(s.NET_COSTS)
    posts = net[net[s.ROW_KIND] == "post"]
    assert content.message == f"{(posts[s.DEVIATION] >= 0).sum()} av {len(posts)} verksamheter höll sin budget."
    data = content.chart.data
    assert sorted(data["amount"]) == sorted([float(v) for v in list(posts[s.BUDGET]) + list(posts[s.OUTCOME])])
    assert "Samhällsenhet" in content.chart_alt and "−7 586 tkr" in _plain(content.chart_alt)


def test_deviations_screen_shows_the_largest_deviations_first():
    content = _content("avvikelser")
    net = real_table(s.NET_COSTS)
    parts = net[net[s.ROW_KIND] != "summa"]
    largest = parts.loc[parts[s.DEVIATION].abs().sort_values(ascending=False).index].head(p.MAX_DEVIATIONS)
    assert _plain(content.message) == "Störst avvikelse: kommunalägda bolag och kommunförbund, 2 214 tkr sämre än budget."
    bars = content.chart.layer[0].data
    assert list(bars["shown_deviation"]) == [float(v) for v in largest[s.DEVIATION]]
    assert [_plain(v) for v in bars["bar_text"]] == ["−2 214 tkr", "+1 721 tkr", "+1 377 tkr", "−837 tkr"]


def test_comparisons_screen_gives_each_metrics_last_value_and_trend():
    content = _content("jamforelsetal")
    assert content.title == "Jämförelsetal 2018–2020"
    assert content.message == "3 av 3 jämförelsetal minskade från 2018 till 2020."
    assert [(f["label"], _plain(f["value"]), _plain(f["delta"])) for f in content.figures] == [
        ("Räddningstjänsten, kostnader i kr per invånare (2020)", "1 072 kr/invånare",
         "▼ minskade från 1 082 kr/invånare (2018)"),
        ("Färdtjänst, antal enkelresor (2020)", "14 288", "▼ minskade från 25 479 (2018)"),
        ("Antal antagna översiktsplaner (2020)", "0", "▼ minskade från 1 (2018)")]


@pytest.mark.parametrize("slug", ["resultat", "mal-status", "malomrade-2", "budget", "avvikelser", "jamforelsetal"])
def test_every_screen_reads_in_english_too(slug):
    sv, en = _content(slug, "sv"), _content(slug, "en")
    assert en.title and en.message and en.title != sv.title and en.message != sv.message


def test_english_numbers_use_english_format():
    assert _plain(_content("resultat", "en").figures[0]["value"]).startswith("−105,546")
    assert _plain(_content("jamforelsetal", "en").figures[1]["value"]) == "14,288"


@pytest.mark.parametrize("slug", ["budget", "avvikelser"])
def test_chart_spec_has_no_text_under_the_minimum(slug):
    spec = p.get_chart_spec(_content(slug).chart)
    sizes = [v for node in _vega_nodes(spec) for k, v in node.items() if k in p.FONT_KEYS and isinstance(v, int | float)]
    assert sizes and min(sizes) >= p.MIN_FONT_PX
    assert spec["config"]["text"]["fontSize"] >= p.MIN_FONT_PX
    assert spec["height"] == "container"


@pytest.mark.parametrize(("slug", "broken"), [("budget", 0), ("avvikelser", 1)])
def test_long_row_labels_break_onto_lines_instead_of_being_cut(slug, broken):
    datasets = _content(slug).chart.to_dict()["datasets"].values()
    labels = list(dict.fromkeys(row["label"] for rows in datasets for row in rows if "label" in row))
    assert "Samhällsenhet" in labels and sum("\n" in label for label in labels) == broken
    assert all(label.count("\n") < p.LABEL_LINES and "…" not in label for label in labels)


def test_qr_code_holds_the_link():
    url = "http://localhost:8501/ekonomi?skarm=budget&presentation=1"
    svg = p.get_qr_svg(url)
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    expected = io.BytesIO()
    segno.make(url, error="m", micro=False).save(expected, kind="svg", scale=10, border=2, dark="#000000",
                                                 light="#ffffff", xmldecl=False, svgns=True, omitsize=False)
    assert svg == expected.getvalue().decode("utf-8")
    assert p.get_qr_svg(url + "x") != svg


def test_texts_exist_in_both_languages():
    for key in ("pres.nav.start", "pres.prev", "pres.next", "pres.exit", "pres.qr.show", "pres.qr.hide",
                "pres.bad_screen"):
        assert get_text(key, "sv") and get_text(key, "en")


@pytest.mark.parametrize(("values", "short"), [
    (["3", "3", "1", "1", "3"], True),
    (["11"], True),
    (["1234"], True),
    (["1\u00a0072"], False),
    (["0", "14\u00a0288"], False),
    (["−105\u00a0546\u00a0tkr", "+677\u00a0tkr"], False),
    ([], False),
])
def test_short_values_are_told_apart_from_long_ones(values, short):
    assert p.has_short_values([{"label": "x", "value": value} for value in values]) is short


def test_the_goal_status_screen_has_short_values_and_the_result_screen_long_ones():
    frames = real_frames()
    screens = {screen.slug: screen for screen in p.get_screens(frames[s.GOALS])}
    assert p.has_short_values(p.get_screen_content(screens[p.GOAL_STATUS], frames).figures)
    assert not p.has_short_values(p.get_screen_content(screens[p.RESULT], frames).figures)
