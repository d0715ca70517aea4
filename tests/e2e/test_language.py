"""The language switch in a real browser: the document's language, the switch itself, and English kept across pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rerun
from tests.e2e.page_util import choose_option, heading_texts, main_text, selectbox_value, wait_url


def _switch(page, name: str):
    return page.locator("[data-testid=stSidebar]").get_by_role("radio", name=name, exact=True)


def test_english_link_declares_english_on_the_document(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/ekonomi?lang=en")
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10000)
    assert heading_texts(page)[0] == "Finances"
    assert "−105,546 SEK k" in main_text(page)
    assert page.title().startswith("Finances")
    # Each language's name in the switch is marked with its own language, for screen readers.
    expect(_switch(page, "Svenska")).to_have_attribute("lang", "sv")
    expect(_switch(page, "English")).to_have_attribute("lang", "en")
    assert exception_texts(page) == []


def test_the_switch_changes_the_headings_and_keeps_the_view(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/mal?omrade=2")
    page.wait_for_function("() => document.documentElement.lang === 'sv'", timeout=10000)
    assert heading_texts(page)[0] == "Mål och styrtal"
    wait_rerun(page, _switch(page, "English").click)
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Goals and indicators")
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=10000)
    assert selectbox_value(page, "Goal area") == "Goal area 2"
    assert "lang=en" in wait_url(page, r"lang=en")
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_role("link", name="Finances")).to_be_visible()
    # A further choice after the switch keeps both the language and the view.
    choose_option(page, "Status (the report's assessment)", "✔ Achieved")
    assert selectbox_value(page, "Goal area") == "Goal area 2"
    # English survives following the menu to another page.
    wait_rerun(page, sidebar.get_by_role("link", name="Finances").click)
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Finances")
    assert re.search(r"/ekonomi\?.*lang=en", wait_url(page, r"/ekonomi.*lang=en"))
    wait_rerun(page, _switch(page, "Svenska").click)
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Ekonomi")
    page.wait_for_function("() => document.documentElement.lang === 'sv'", timeout=10000)
    page.wait_for_function("() => !location.href.includes('lang=')", timeout=10000)
    assert exception_texts(page) == []
