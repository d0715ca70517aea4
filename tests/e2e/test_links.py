"""Links in a real browser: a copied address reproduces the view, also as the first request to a fresh server."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rendered, wait_rerun

GOAL_VIEW = "/mal?omrade=2&status=alla&marginal=5&mal=2.2"


def _slider_value(page, label: str) -> str:
    slider = page.locator("[data-testid=stSlider]").filter(has_text=label)
    return slider.locator("[data-testid=stSliderThumbValue]").inner_text()


def _wait_url(page, pattern: str, timeout_s: float = 10) -> str:
    """Poll the address bar until it matches ``pattern``; the app rewrites it shortly after a run."""
    page.wait_for_function("re => new RegExp(re).test(location.href)", arg=pattern, timeout=timeout_s * 1000)
    return page.evaluate("location.href")


def _assert_goal_view(page) -> None:
    expect(page.get_by_role("heading", name=re.compile(r"^2\.2 Timrå erbjuder ett starkt företagsklimat"))).to_be_visible()
    assert _slider_value(page, "Nära målet") == "5"
    assert page.get_by_role("button", name="Öppna mål 2.1").is_visible()
    assert not page.get_by_role("button", name="Öppna mål 1.3").count()
    assert exception_texts(page) == []


def test_deep_link_as_first_request_after_start(start_app_server, new_page):
    server = start_app_server()
    page = new_page()
    goto_rendered(page, server.url + GOAL_VIEW)
    _assert_goal_view(page)
    # Our own menu, not Streamlit's file-name menu, and the page title from the shared frame.
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_role("link", name="Mål och styrtal")).to_be_visible()
    assert sidebar.get_by_text("1_mal").count() == 0
    assert page.title().startswith("Mål och styrtal")
    assert page.console_errors == []


def test_copied_address_reproduces_the_view_in_a_new_browser(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/mal")
    slider = page.locator("[data-testid=stSlider]").filter(has_text="Nära målet").locator("input[type=range]")
    slider.focus()
    wait_rerun(page, lambda: page.keyboard.press("ArrowRight"))
    wait_rerun(page, lambda: page.get_by_role("button", name="Öppna mål 3.1").click())
    copied = _wait_url(page, r"marginal=3.*mal=3\.1|mal=3\.1.*marginal=3")
    other = new_page(viewport=(1920, 1080))
    goto_rendered(other, copied)
    expect(other.get_by_role("heading", name=re.compile(r"^3\.1 Våra ledtider"))).to_be_visible()
    assert _slider_value(other, "Nära målet") == "3"
    share = other.locator("[data-testid=stSidebar] [data-testid=stCode] code")
    assert share.inner_text().strip() == copied
    # The link follows the view in the same session too.
    wait_rerun(page, lambda: page.get_by_role("button", name="Öppna mål 2.1").click())
    changed = _wait_url(page, r"mal=2\.1")
    expect(page.locator("[data-testid=stSidebar] [data-testid=stCode] code")).to_have_text(changed)


def test_menu_navigation_keeps_each_pages_view(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + GOAL_VIEW)
    sidebar = page.locator("[data-testid=stSidebar]")
    wait_rerun(page, lambda: sidebar.get_by_role("link", name="Översikt").click())
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    wait_rerun(page, lambda: sidebar.get_by_role("link", name="Mål och styrtal").click())
    wait_rendered(page)
    _assert_goal_view(page)
    _wait_url(page, r"mal=2\.2")


def test_invalid_link_value_shows_a_notice_in_the_browser(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/mal?marginal=%3Cscript%3Ealert(1)%3C/script%3E")
    alert = page.locator("[data-testid=stAlert]").filter(has_text="ogiltigt värde")
    expect(alert).to_be_visible()
    assert "<script>" in alert.inner_text()
    assert page.locator("script:text('alert(1)')").count() == 0
    assert _slider_value(page, "Nära målet") == "2"
