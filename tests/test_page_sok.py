"""Sök (pages/7_sok.py) through AppTest: hits with highlight and links, the q parameter, inert rendering."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs

import pytest

import ui
from tests.apptest_util import REPO_ROOT, assert_clean, get_all_text, open_page

PAGE = "pages/7_sok.py"
KEY = "search.q"


def _hit_links(at) -> list[tuple[str, str, dict[str, list[str]]]]:
    """Return (label as shown, target URL path, query params) of the hits' page links (not the menu's)."""
    links = [(p.proto.label.replace("\\", ""), p.proto.page, parse_qs(p.proto.query_string))
             for p in at.get("page_link")]
    return [link for link in links if link[0].startswith("Gå till")]


def _markdown_sources(at) -> list[str]:
    """Return the Markdown source of every element that renders Markdown (text, headings, alerts, captions)."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def test_greta_shows_one_hit_highlighted_with_a_link_to_goal_1_3():
    at = open_page(PAGE, {"q": "Greta"})
    assert_clean(at)
    assert at.text_input(key=KEY).value == "Greta"
    assert at.subheader[0].value.replace("\\", "") == "1 träff för \"Greta\""
    sources = _markdown_sources(at)
    assert "**Mål 1\\.3 › Analys**" in sources
    snippet = next(m for m in sources if "orange-background" in m)
    assert "en :orange-background[**Greta**]\\-effekt som" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert _hit_links(at) == [("Gå till mål 1.3", "mal", {"mal": ["1.3"]})]
    assert at.query_params["q"] == "Greta"


def test_the_menu_has_the_search_page():
    at = open_page(PAGE)
    menu = {p.proto.label: p.proto.page for p in at.get("page_link")}
    assert menu["Sök"] == "sok"
    assert at.title[0].value == "Sök i rapporten"


def test_empty_query_shows_help_and_keeps_q_out_of_the_url():
    at = open_page(PAGE)
    assert_clean(at)
    assert at.text_input(key=KEY).value == ""
    assert "Skriv ett eller flera ord" in at.info[0].value
    assert not at.subheader and not _hit_links(at)
    assert "q" not in at.query_params


def test_typing_a_query_searches_and_writes_q_to_the_url():
    at = open_page(PAGE)
    at.text_input(key=KEY).input("Corona").run()
    assert_clean(at)
    assert at.subheader[0].value == "9 träffar för \"Corona\""
    links = _hit_links(at)
    assert ("Gå till mål 1.3", "mal", {"mal": ["1.3"]}) in links
    assert ("Gå till Aktiviteter", "aktiviteter", {"status": ["alla"], "verksamhet": ["alla"]}) in links
    assert ("Gå till Ekonomi › Driftredovisning", "ekonomi", {"tabell": ["drift"]}) in links
    assert "Aktiviteter › Civilt försvar › Kommentar" in get_all_text(at)
    assert at.query_params["q"] == "Corona"
    at.text_input(key=KEY).input("").run()
    assert "q" not in at.query_params


def test_no_hits_says_so_with_a_tip():
    at = open_page(PAGE, {"q": "xyzzy"})
    assert_clean(at)
    assert at.subheader[0].value == "Inga träffar för \"xyzzy\""
    assert at.info[0].value.startswith("Tips:")
    assert not _hit_links(at)


def test_a_narrative_hit_shows_the_whole_paragraph_and_links_to_its_table():
    at = open_page(PAGE, {"q": "Previa"})
    assert_clean(at)
    assert _hit_links(at) == [("Gå till Om data › Löptext", "om_data", {"tabell": ["narrative"]})]
    assert at.expander[0].label == "Visa hela texten"
    assert any("Previa företagshälsovård" in t.value for t in at.expander[0].text)


def test_many_hits_are_capped_with_a_note():
    at = open_page(PAGE, {"q": "e"})
    assert_clean(at)
    assert "De 50 första träffarna visas" in get_all_text(at)
    assert len(_hit_links(at)) == 50


def test_several_matches_in_one_text_are_counted():
    at = open_page(PAGE, {"q": "klimat"})
    assert_clean(at)
    assert "Sökningen träffar" in get_all_text(at)


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>",
    "**x**",
    "<img src=x onerror=alert(1)>",
    "[klick](javascript:alert(1))",
    "![bild](http://example.com/x.png)",
    ":red[x] :material/home: $x^2$",
    "&lt;b&gt;fet&lt;/b&gt;",
    "# rubrik",
    "`kod`",
])
def test_injection_queries_are_shown_as_written_and_never_as_markup(query):
    at = open_page(PAGE, {"q": query})
    assert_clean(at)
    assert at.text_input(key=KEY).value == query
    # The heading is the sentence with the query escaped character by character.
    assert at.subheader[0].value == ui.format_highlighted(f"Inga träffar för \"{query}\"", [])
    for source in _markdown_sources(at):
        unescaped = re.sub(r"\\.", "", source)  # what is left once every escaped character is removed
        for raw in ("<", "](", "**x", ":red[", ":material", "$", "&", "`", "# "):
            assert raw not in unescaped, (raw, source)


def test_special_characters_in_a_hit_are_escaped_inside_the_highlight():
    at = open_page(PAGE, {"q": "(66%)"})
    assert_clean(at)
    snippet = next(m for m in _markdown_sources(at) if "orange-background" in m)
    assert ":orange-background[**\\(66%\\)**]" in snippet
    assert _hit_links(at) == [("Gå till mål 1.3", "mal", {"mal": ["1.3"]})]


def test_a_10000_character_query_gives_a_notice_and_is_cut():
    at = open_page(PAGE, {"q": "Greta" + "x" * 9995})
    assert not at.exception
    notice = at.warning[0].value
    assert "10\u00a0000 tecken" in notice and "200" in notice
    assert len(at.text_input(key=KEY).value) == 200
    assert len(at.query_params["q"]) == 200


@pytest.mark.parametrize("query", ["Greta\u200b", "Gre\u202eta", "\u0000Greta"])
def test_control_characters_in_the_link_are_removed_with_a_notice(query):
    at = open_page(PAGE, {"q": query})
    assert not at.exception
    assert "styrtecken" in at.warning[0].value
    assert at.text_input(key=KEY).value.strip() == "Greta"
    assert _hit_links(at) == [("Gå till mål 1.3", "mal", {"mal": ["1.3"]})]


def test_a_broken_table_is_named_and_the_others_are_still_searched(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("source"))
    (data / "narrative.parquet").write_bytes(b"not parquet at all")
    monkeypatch.setenv("KS_DATA_DIR", str(data))
    at = open_page(PAGE, {"q": "Corona"})
    assert not at.exception
    assert len(at.error) == 1 and "narrative" in at.error[0].value
    links = _hit_links(at)
    assert ("Gå till mål 1.3", "mal", {"mal": ["1.3"]}) in links
    assert all(page != "ekonomi" for _, page, _ in links)
