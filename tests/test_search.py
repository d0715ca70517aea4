"""Unit tests for ks_data.views.search: matching rules, where-labels, snippets, highlight spans and link targets."""

from __future__ import annotations

import pandas as pd
import pytest

from ks_data import schema as s
from ks_data.views import search
from tests.helpers import real_frames


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return real_frames()


def _marked(hit: pd.Series) -> list[str]:
    """Return the highlighted parts of a hit's snippet."""
    return [hit[search.SNIPPET][a:b] for a, b in hit[search.SPANS]]


@pytest.mark.parametrize("query", ["Greta", "greta", "GRETA", " Greta ", "Greta-effekt", "\"greta-EFFEKT\""])
def test_greta_is_one_hit_in_goal_1_3_analysis_linking_to_the_goal(frames, query):
    hits = search.find_hits(frames, query)
    assert len(hits) == 1
    hit = hits.iloc[0]
    assert hit[search.WHERE] == "Mål 1.3 › Analys"
    assert (hit[search.TABLE], hit[search.FIELD], hit[search.ITEM]) == (s.GOALS, s.ANALYSIS, "1.3")
    assert hit[search.PAGE] == "goals"
    assert hit[search.PARAMS] == {"mal": "1.3"}
    assert hit[search.LINK_LABEL] == "Gå till mål 1.3"
    assert [m.lower() for m in _marked(hit)] == [query.strip().strip('"').lower()]


def test_snippet_shows_the_word_in_context_cut_between_words_with_ellipses(frames):
    hit = search.find_hits(frames, "Greta").iloc[0]
    snippet = hit[search.SNIPPET]
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "en Greta-effekt som nått" in snippet
    assert len(snippet) <= 2 * search.CONTEXT_CHARS + len("Greta") + 2
    inner = snippet[1:-1]
    full = search.normalize_text(hit[search.TEXT])
    # Cut on word boundaries: the snippet's first and last words are whole words of the text.
    assert f" {inner} " in f" {full} "
    assert hit[search.COUNT] == 1


def test_corona_is_found_in_several_goals_activities_and_the_narrative(frames):
    hits = search.find_hits(frames, "Corona")
    goals = set(hits.loc[hits[search.TABLE] == s.GOALS, search.ITEM])
    assert {"1.3", "1.4", "2.1", "2.2"} <= goals
    activities = hits[hits[search.TABLE] == s.ACTIVITIES]
    assert set(activities[search.ITEM]) == {"Timrå i framkant för obrutna flöden", "Ny styrmodell", "Civilt försvar"}
    assert "Aktiviteter › Civilt försvar › Kommentar" in set(hits[search.WHERE])
    assert all(p == {"status": "alla", "verksamhet": "alla"} for p in activities[search.PARAMS])
    assert set(activities[search.PAGE]) == {"activities"}
    # Case-insensitive and inside longer words: "Coronapandemin", "coronapandemin", "coronaanpassade".
    assert {m.lower() for _, hit in hits.iterrows() for m in _marked(hit)} == {"corona"}
    # The app's order: goals (with their indicators), then activities, then the narrative.
    order = {s.GOALS: 0, s.INDICATORS: 0, s.ACTIVITIES: 1, s.NARRATIVE: 2}
    ranks = [order[t] for t in hits[search.TABLE]]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(("query", "expected_word"), [("åtgärd", "Åtgärd"), ("ÅTGÄRD", "Åtgärd"), ("Åtgärd", "åtgärd"),
                                                        ("a\u030atgärd", "Åtgärd")])
def test_swedish_letters_match_case_insensitively(frames, query, expected_word):
    hits = search.find_hits(frames, query)
    marked = {m for _, hit in hits.iterrows() for m in _marked(hit)}
    assert expected_word in marked


@pytest.mark.parametrize("query", ["atgard", "Atgärd", "Ekönomi"])
def test_a_a_and_o_are_not_the_same_letters_as_å_ä_ö(frames, query):
    assert search.find_hits(frames, query).empty


def test_several_words_must_all_occur_in_the_same_text(frames):
    hits = search.find_hits(frames, "klimatsmart liv")
    assert len(hits) > 0
    for _, hit in hits.iterrows():
        text = hit[search.TEXT].lower()
        assert "klimatsmart" in text and "liv" in text
    both = search.find_hits(frames, "Greta Timråborna")
    assert list(both[search.WHERE]) == ["Mål 1.3 › Analys"]
    assert _marked(both.iloc[0]) == ["Greta", "Timråborna"]
    assert search.find_hits(frames, "Greta Previa").empty  # both occur, never in the same text


def test_a_quoted_phrase_is_searched_as_written(frames):
    words = search.find_hits(frames, "klimatsmart liv")
    phrase = search.find_hits(frames, "\"klimatsmart liv\"")
    assert 0 < len(phrase) < len(words)
    assert list(phrase[search.WHERE]) == ["Mål 1.3 › Analys", "Mål 1.3 › Åtgärd"]
    assert all(_marked(hit) == ["klimatsmart liv"] for _, hit in phrase.iterrows())


@pytest.mark.parametrize("query", [".*", "a.b", "(", "[a-z]+", "\\d", "^Vi", "Greta|Corona", "$", "?", "+"])
def test_regex_characters_are_literal(frames, query):
    hits = search.find_hits(frames, query)
    for _, hit in hits.iterrows():
        assert query.lower() in search.normalize_text(hit[search.TEXT]).lower()
        assert {m.lower() for m in _marked(hit)} == {query.lower()}


@pytest.mark.parametrize("query", ["80%", "80 %", "\"80 %\""])
def test_a_per_cent_is_found_with_or_without_a_space_before_the_sign(frames, query):
    # The report writes both "80 %" (mål 1.3, 4.3) and "(80%)" (mål 1.3's comment).
    hits = search.find_hits(frames, query)
    assert list(hits[search.WHERE]) == ["Mål 1.3 › Kommentar", "Mål 4.3 › Kommentar"]
    assert list(hits[search.COUNT]) == [3, 1]
    text = search.normalize_text(hits.iloc[0][search.TEXT])
    assert sorted(text[a:b] for a, b in search.find_spans(text, search.get_terms(query))) == ["80 %", "80 %", "80%"]


@pytest.mark.parametrize("query", ["65-74", "65–74", "\"65‐74 år\""])
def test_a_hyphen_finds_a_dash_and_a_dash_a_hyphen(frames, query):
    # The comment writes "65-74 år", the indicator's name "65–74 år"; a reader types either.
    hits = search.find_hits(frames, query)
    assert list(hits[search.WHERE]) == ["Mål 1.3 › Kommentar", "Mål 1.3 › Styrtal \"Svarande i åldern 65–74 år\""]
    assert [_marked(hit)[0][:5] for _, hit in hits.iterrows()] == ["65-74", "65–74"]


def test_a_literal_parenthesis_is_found_where_it_stands(frames):
    hits = search.find_hits(frames, "(66%)")
    assert list(hits[search.WHERE]) == ["Mål 1.3 › Kommentar"]
    assert _marked(hits.iloc[0]) == ["(66%)"]


@pytest.mark.parametrize("query", ["", "   ", None, "\"\"", "\" \""])
def test_an_empty_query_finds_nothing(frames, query):
    hits = search.find_hits(frames, query)
    assert hits.empty
    assert list(hits.columns) == list(search.COLUMNS)


@pytest.mark.parametrize(("query", "where", "page", "params"), [
    ("Dig2020: åtgärder", "Mål 1.5 › Styrtal \"Status 1.5.1 Dig2020\" › Anmärkning", "goals", {"mal": "1.5"}),
    ("Krigsplacering", "Aktiviteter › Civilt försvar › Beskrivning", "activities",
     {"status": "alla", "verksamhet": "alla"}),
    ("pandemihanteringen", "Årets verksamhet, stycke 1", "overview", {}),
    ("Previa", "Uppföljning av privata utförare, stycke 1", "about", {"tabell": "narrative"}),
    ("delårsprognosen", "Ekonomi, stycke 1", "economy", {"tabell": "drift"}),
    ("chromebooks", "Ekonomi › Investeringsredovisning, stycke 1", "economy", {"tabell": "investeringar"}),
    ("kommunallagen", "Ansvarsområde, fotnot 2", "about", {"tabell": "narrative"}),
    ("Kommunfullmäktiges presidium", "Ansvarsområde, punkt 2", "about", {"tabell": "narrative"}),
    ("privata utförare", "Uppföljning av privata utförare, rubriken", "about", {"tabell": "narrative"}),
])
def test_each_kind_of_text_is_labelled_and_linked(frames, query, where, page, params):
    hits = search.find_hits(frames, query)
    hit = hits[hits[search.WHERE] == where]
    assert len(hit) == 1, list(hits[search.WHERE])
    assert hit.iloc[0][search.PAGE] == page
    assert hit.iloc[0][search.PARAMS] == params


def test_every_hit_links_to_a_known_page(frames):
    hits = search.find_hits(frames, "e")
    assert len(hits) > 100
    assert set(hits[search.PAGE]) <= {"goals", "activities", "overview", "economy", "about"}
    goal_ids = set(frames[s.GOALS][s.GOAL_ID])
    for _, hit in hits[hits[search.PAGE] == "goals"].iterrows():
        assert hit[search.PARAMS]["mal"] in goal_ids


def test_several_matches_in_one_text_make_one_hit_with_their_count(frames):
    hits = search.find_hits(frames, "klimat")
    analysis = hits[hits[search.WHERE] == "Mål 1.3 › Analys"].iloc[0]
    assert analysis[search.COUNT] >= 3
    assert len(hits[search.WHERE].unique()) == len(hits)


def test_only_the_latest_year_is_searched(frames):
    goals = frames[s.GOALS]
    older = goals.assign(**{s.YEAR: goals[s.YEAR] - 1, s.ANALYSIS: "Ett äldre år nämner Zlatan."})
    with_old = {**frames, s.GOALS: pd.concat([older, goals], ignore_index=True)}
    assert search.find_hits(with_old, "Zlatan").empty
    assert len(search.find_hits(with_old, "Greta")) == 1


def test_missing_tables_are_skipped(frames):
    hits = search.find_hits({s.ACTIVITIES: frames[s.ACTIVITIES]}, "Corona")
    assert set(hits[search.TABLE]) == {s.ACTIVITIES}
    assert search.find_hits({}, "Corona").empty


@pytest.mark.parametrize(("text", "spans", "snippet", "inside"), [
    ("kort text", [(0, 4)], "kort text", [(0, 4)]),
    ("a " * 50 + "MATCH" + " b" * 50, [(100, 105)], "…" + "a " * 29 + "MATCH" + " b" * 29 + "…", [(59, 64)]),
    ("x" * 200 + " MATCH", [(201, 206)], "…MATCH", [(1, 6)]),
])
def test_get_snippet_cuts_between_words(text, spans, snippet, inside):
    assert search.get_snippet(text, spans) == (snippet, inside)


def test_get_snippet_never_cuts_a_long_word_in_half():
    text = "början " + "y" * 100 + "MATCH" + "z" * 100 + " slutet"
    snippet, inside = search.get_snippet(text, [(107, 112)])
    assert snippet == "…" + "y" * 100 + "MATCH" + "z" * 100 + "…"
    assert [snippet[a:b] for a, b in inside] == ["MATCH"]


def test_normalize_text_joins_whitespace_and_composes_letters():
    assert search.normalize_text("  A\u030atgärd\n\nnästa\tord ") == "Åtgärd nästa ord"
    assert search.normalize_text("a\u030a") == "å"


@pytest.mark.parametrize(("query", "terms"), [
    ("Greta", ["Greta"]),
    ("  klimatsmart   liv ", ["klimatsmart", "liv"]),
    ("Greta greta GRETA", ["Greta"]),
    ("\"klimatsmart  liv\"", ["klimatsmart liv"]),
    ("”klimatsmart liv”", ["klimatsmart liv"]),
    ("\"Greta", ["Greta"]),
    ("80 %", ["80%"]),                      # the number's sign, not every "%" in the report
    ("\"mål om 80 %\"", ["mål om 80%"]),
    ("ökar %", ["ökar", "%"]),
    ("", []),
    ("x" * 500, ["x" * search.MAX_QUERY_CHARS]),
])
def test_get_terms(query, terms):
    assert search.get_terms(query) == terms


@pytest.mark.parametrize(("n", "text"), [(0, "Inga träffar för \"Greta\""), (1, "1 träff för \"Greta\""),
                                         (3, "3 träffar för \"Greta\"")])
def test_format_count(n, text):
    assert search.format_count(n, " Greta ") == text
