"""The year selector in a real browser, on data with two report years (2021 imported by the real import)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.browser_util import exception_texts, goto_rendered, screenshot_full
from tests.e2e.page_util import choose_option, main_area, selectbox_value, wait_url
from tests.e2e.shots import VIEWPORTS, get_screenshot_dir
from tests.years_data import NET_RESULT, two_year_data  # noqa: F401 - a fixture used by name

YEAR_LABEL = "Verksamhetsår"


def _tkr(amount: int) -> str:
    return f"{amount:,}\u00a0tkr".replace(",", "\u00a0").replace("-", "−")


def _outcome_card(page):
    return main_area(page).locator("[data-testid=stMetric]").filter(has_text=re.compile(r"^Utfall")).first


def test_a_year_link_as_first_request_then_the_selector(two_year_data, monkeypatch, start_app_server,  # noqa: F811
                                                        new_page):
    monkeypatch.setenv("KS_DATA_DIR", str(two_year_data))
    server = start_app_server()
    page = new_page()
    goto_rendered(page, server.url + "/ekonomi?ar=2020&visa=budget")  # the part with budget and outcome per year
    assert exception_texts(page) == []
    sidebar = page.locator("[data-testid=stSidebar]")
    assert selectbox_value(page, YEAR_LABEL) == "2020"
    expect(_outcome_card(page)).to_contain_text(_tkr(NET_RESULT[2020][1]))
    wait_url(page, r"[?&]ar=2020(&|$)")
    # The menu carries the year, so another page keeps it.
    expect(sidebar.get_by_role("link", name="Mål och styrtal")).to_have_attribute("href", re.compile(r"ar=2020"))

    choose_option(page, YEAR_LABEL, "2021")
    expect(_outcome_card(page)).to_contain_text(_tkr(NET_RESULT[2021][1]))
    wait_url(page, r"[?&]ar=2021(&|$)")
    expect(main_area(page).get_by_role("heading", name="Budget och utfall per år")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Mål och styrtal")).to_have_attribute("href", re.compile(r"ar=2021"))
    assert exception_texts(page) == []

    folder = get_screenshot_dir()
    for path, name in (("/ekonomi?ar=2021&tabell=drift&visa=budget", "years_economy"), ("/mal?ar=2021&mal=1.3", "years_goals")):
        goto_rendered(page, server.url + path)
        assert exception_texts(page) == []
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            screenshot_full(page, folder / f"{name}_{width}x{height}.png")
    expect(main_area(page).get_by_role("heading", name="Jämfört med 2020")).to_be_visible()
