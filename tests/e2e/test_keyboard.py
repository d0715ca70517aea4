"""Keyboard only: every page is reachable with Tab and Enter, and the goals page is used without a mouse.

That every visible control of every page is in the Tab order is checked with each axe scan (test_a11y.py).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

import ui
from ks_data.texts import get_text
from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rerun
from tests.e2e.page_util import (
    choose_option_by_keyboard,
    expect_text,
    focused,
    get_page_case,
    main_area,
    slider_value,
    tab_to,
    wait_url,
)

CASES = [get_page_case(key, url_path, get_text(text_key)) for key, _, url_path, text_key in ui.PAGES]
TOLERANCE = "Nära målet inom (procentenheter eller enheter)"


def _label_is(label: str):
    return lambda f: f["label"] == label and f["tag"] == "INPUT"


def _goal_card_is(goal_id: str):
    """A goal's card in the list: a button whose text starts with the goal's number."""
    return lambda f: f["tag"] == "BUTTON" and f["text"].startswith(f"{goal_id} ")


def _goal_heading(page, goal_id: str):
    return main_area(page).locator("h2").filter(has_text=re.compile(f"^{re.escape(goal_id)} "))


def test_goals_page_is_operated_with_the_keyboard_alone(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url_for("/mal"))

    tab_to(page, _label_is("Målområde"))
    choose_option_by_keyboard(page, "Målområde 4")
    expect_text(page, "3 av 11 mål visas.")
    tab_to(page, _label_is("Status (rapportens bedömning)"))
    choose_option_by_keyboard(page, "✖ Ej uppfyllt")
    expect_text(page, "1 av 11 mål visas.")
    assert focused(page)["label"] == "Status (rapportens bedömning)"  # focus stays on the control after the rerun
    choose_option_by_keyboard(page, "Alla statusar", key="ArrowUp")
    expect_text(page, "3 av 11 mål visas.")

    tab_to(page, _label_is(TOLERANCE))
    near = main_area(page).get_by_text("Styrtalen: ◐ Delvis uppfyllt", exact=True)
    expect(near).to_have_count(0)
    wait_rerun(page, lambda: page.keyboard.press("ArrowRight"))
    assert slider_value(page, TOLERANCE) == "3"
    expect(near).to_have_count(1)  # goal 4.2 is now "near" by its indicators

    tab_to(page, _label_is("Öppna mål"))
    choose_option_by_keyboard(page, "4.3 –", prefix=True)
    expect(_goal_heading(page, "4.3")).to_be_visible()
    tab_to(page, _goal_card_is("4.1"))
    wait_rerun(page, lambda: page.keyboard.press("Enter"))
    expect(_goal_heading(page, "4.1")).to_be_visible()
    tab_to(page, _goal_card_is("4.2"))
    wait_rerun(page, lambda: page.keyboard.press("Space"))
    expect(_goal_heading(page, "4.2")).to_be_visible()
    wait_url(page, r"omrade=4.*marginal=3.*mal=4\.2")
    assert exception_texts(page) == [] and page.console_errors == []


def test_economy_parts_are_chosen_with_the_arrow_keys(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url_for("/ekonomi"))
    # Tab reaches the part selector; the arrow keys move between parts and Space or Enter shows one, as in a radio group.
    tab_to(page, lambda f: f["role"] == "radio" and f["text"] == "Avvikelser")
    page.keyboard.press("ArrowRight")
    assert focused(page)["text"] == "Budget och utfall"
    wait_rerun(page, lambda: page.keyboard.press("Space"))
    expect(main_area(page).locator("h3").first).to_have_text("Budget och utfall")
    page.keyboard.press("ArrowRight")
    wait_rerun(page, lambda: page.keyboard.press("Enter"))
    expect(main_area(page).locator("h3").first).to_have_text("Avstämning mot rapporten")
    assert focused(page)["text"] == "Avstämning mot rapporten"  # focus stays on the control after the rerun
    wait_url(page, r"visa=avstamning")
    assert exception_texts(page) == [] and page.console_errors == []


def test_every_page_in_the_menu_is_reached_with_tab_and_followed_with_enter(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url_for("/"))
    for case in [*CASES[1:], CASES[0]]:  # Översikt, the page we start on, last
        nav_text = next(get_text(t) for k, _, _, t in ui.PAGES if k == case.key)
        page.evaluate("document.activeElement && document.activeElement.blur()")  # start from the top
        tab_to(page, lambda f, text=nav_text: f["sidebar"] and f["tag"] == "A" and f["text"] == text)
        wait_rerun(page, lambda: page.keyboard.press("Enter"))
        expect(main_area(page).locator("h1")).to_contain_text(case.heading)


def test_a_wide_table_is_reached_with_tab_and_scrolled_with_arrows(app_server, new_page):
    page = new_page()
    # A tablet held upright, menu open: the goal's eight-column indicator table overflows its column.
    page.set_viewport_size({"width": 800, "height": 1024})
    goto_rendered(page, app_server.url_for("/mal?mal=2.2"))
    box = main_area(page).locator("[data-ks-scroll]").first
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "group")
    tab_to(page, lambda f: f["scrollBox"])
    assert page.evaluate("document.activeElement.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5000)
