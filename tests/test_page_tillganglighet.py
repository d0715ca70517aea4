"""AppTest of the accessibility statement (Tillgänglighet) and of the frame's document language."""

from __future__ import annotations

import re

import ui
import ui.assets
from ks_data.texts import TEXTS
from tests.apptest_util import assert_clean, get_all_text, open_page

PAGE = "pages/6_tillganglighet.py"
ISSUES = ("1353", "8399", "15726", "16148", "13332")


def test_the_statement_is_in_the_menu_at_its_own_address():
    assert ("accessibility", PAGE, "tillganglighet", "nav.accessibility") in ui.PAGES
    assert TEXTS["sv"]["nav.accessibility"] == "Tillgänglighet"


def test_the_statement_says_what_was_tested_how_when_the_gaps_and_how_to_report():
    at = open_page(PAGE)
    assert_clean(at)
    # The soft hyphen that lets the word break on a phone is not drawn unless the word breaks there.
    assert at.title[0].value.replace("\u00ad", "") == "Tillgänglighetsredogörelse"
    text = get_all_text(at)
    for part in ("delvis förenlig", "axe-core 4.12.1", "WCAG 2.2 nivå A och AA", "1366 × 768", "1920 × 1080",
                 "Chromium", "testkörningen den 8 december 2026",
                 # Phones, iPads and projectors (issue 18): the sizes measured and what was measured.
                 "360 × 740", "820 × 1180", "1280 × 720", "24 × 24 bildpunkter", "minst 16 bildpunkter", "320 bildpunkter",
                 "Ingen text utom en webbadress delar ett ord mitt i", "kommunledningskontoret i Timrå kommun",
                 "Tab går till det första alternativet även när ett annat är valt",
                 "Myndigheten för digital förvaltning (Digg)", "(https://www.digg.se/tdosanmalan)",
                 # The PDF report is a document the service offers: what it is, how it was checked and when.
                 "taggad enligt PDF/UA-1", "varje diagram har en textbeskrivning", "bokmärken leder till varje avsnitt",
                 "PDF-rapporten kontrollerades den 7 december 2026", "läser dess struktur med pypdf"):
        assert part in text, part
    for issue in ISSUES:
        assert f"(https://github.com/streamlit/streamlit/issues/{issue})" in text, issue
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text), "no invented e-mail address"
    assert [h.value for h in at.header] == ["Hur tillgänglig är KS-utforskaren?", "Innehåll som inte är tillgängligt",
                                            "Så har vi testat", "Rapportera brister", "Tillsyn"]


def test_every_page_declares_the_ui_language_on_the_document():
    at = open_page(PAGE)
    scripts = [h.proto for h in at.get("html") if "documentElement.lang" in h.proto.body]
    assert len(scripts) == 1 and scripts[0].unsafe_allow_javascript
    assert 'document.documentElement.lang = "sv";' in scripts[0].body


def test_the_document_language_follows_the_ui_language():
    assert 'document.documentElement.lang = "sv";' in ui.assets.get_document_script("sv")
    english = ui.assets.get_document_script("en")
    assert 'document.documentElement.lang = "en";' in english
    assert "</script>" in english and english.count("<script>") == 1
