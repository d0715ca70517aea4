"""Översikt through AppTest: the year's key figures, goals by status, and cards leading on."""

from __future__ import annotations

import shutil

from tests.apptest_util import REPO_ROOT, assert_clean, get_all_text, open_page


def test_overview_shows_result_goals_investments_and_trends():
    at = open_page()
    assert_clean(at)
    result, investments = at.metric
    assert result.value == "−104\u00a0869\u00a0tkr" and result.delta == "+677\u00a0tkr"
    assert investments.value == "11\u00a0595\u00a0tkr"
    text = get_all_text(at)
    assert "Utfallet blev 677 tkr bättre än budget." in text
    assert "✔ Uppfyllt: **3**".replace("*", "") in text.replace("*", "")
    assert "◐ Delvis uppfyllt: 3" in text.replace("*", "")
    assert "– Ingen bedömning i rapporten: 3" in text.replace("*", "")
    assert "Färdtjänst, antal enkelresor: ▼ minskade från 25 479 (2018) till 14 288 (2020)." in text
    assert "Källa: Ekonomi › Driftredovisning" in text
    assert "Timrå kommun är hårt påverkad av pandemihanteringen" in text


def test_overview_cards_link_to_their_pages():
    at = open_page()
    links = {p.proto.label: p.proto.page for p in at.get("page_link")}
    assert links["Till Ekonomi"] == "ekonomi"
    assert links["Till Mål och styrtal"] == "mal"
    assert links["Till Jämförelsetal"] == "jamforelsetal"
    assert links["Till Aktiviteter"] == "aktiviteter"


def test_a_broken_table_breaks_only_its_card(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("source"))
    (data / "investments.parquet").write_bytes(b"not parquet at all")
    monkeypatch.setenv("KS_DATA_DIR", str(data))
    at = open_page()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value.replace("\\", "")  # Markdown escapes are not shown
    assert "investments.parquet" in message and "investments" in message and "Parquet" in message
    assert at.metric[0].value == "−104\u00a0869\u00a0tkr"
    assert "Utfallet blev 677 tkr bättre än budget." in get_all_text(at)
