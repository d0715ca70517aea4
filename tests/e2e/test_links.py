"""Links in a real browser: a copied address reproduces the view, also as the first request to a fresh server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

import ui
from ks_data.texts import get_text
from tests.e2e.browser_util import (
    FRAGMENT_RUN,
    exception_texts,
    goto_rendered,
    last_run_status,
    wait_rendered,
    wait_rerun,
)
from tests.e2e.page_util import (
    choose_option,
    choose_segment,
    get_page_case,
    goal_card,
    main_area,
    open_goal_with_button,
    press_on_slider,
    read_view,
    toggle_input,
    wait_url,
)
from tests.e2e.server import AppServer, start_server

GOAL_VIEW = "/mal?omrade=2&status=alla&marginal=5&mal=2.2"
SHARE_LINK = "[data-testid=stSidebar] .ks-share-url"  # the view's link under "Dela vy"


def _slider_value(page, label: str) -> str:
    slider = page.locator("[data-testid=stSlider]").filter(has_text=label)
    return slider.locator("[data-testid=stSliderThumbValue]").inner_text()


def _assert_goal_view(page) -> None:
    expect(page.get_by_role("heading", name=re.compile(r"^2\.2 Timrå erbjuder ett starkt företagsklimat"))).to_be_visible()
    assert _slider_value(page, "Nära målet") == "5"
    assert goal_card(page, "2.1").is_visible()
    assert not goal_card(page, "1.3").count()
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
    wait_rerun(page, lambda: goal_card(page, "3.1").click())
    copied = wait_url(page, r"marginal=3.*mal=3\.1|mal=3\.1.*marginal=3")
    other = new_page(viewport=(1920, 1080))
    goto_rendered(other, copied)
    expect(other.get_by_role("heading", name=re.compile(r"^3\.1 Våra ledtider"))).to_be_visible()
    assert _slider_value(other, "Nära målet") == "3"
    share = other.locator(SHARE_LINK)
    assert share.inner_text().strip() == copied
    # The link follows the view in the same session too.
    wait_rerun(page, lambda: goal_card(page, "2.1").click())
    changed = wait_url(page, r"mal=2\.1")
    expect(page.locator(SHARE_LINK)).to_have_text(changed)


def test_menu_navigation_keeps_each_pages_view(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + GOAL_VIEW)
    sidebar = page.locator("[data-testid=stSidebar]")
    wait_rerun(page, lambda: sidebar.get_by_role("link", name="Översikt").click())
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    wait_rerun(page, lambda: sidebar.get_by_role("link", name="Mål och styrtal").click())
    wait_rendered(page)
    _assert_goal_view(page)
    wait_url(page, r"mal=2\.2")


def test_invalid_link_value_shows_a_notice_in_the_browser(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/mal?marginal=%3Cscript%3Ealert(1)%3C/script%3E")
    alert = page.locator("[data-testid=stAlert]").filter(has_text="ogiltigt värde")
    expect(alert).to_be_visible()
    assert "<script>" in alert.inner_text()
    assert page.locator("script:text('alert(1)')").count() == 0
    assert _slider_value(page, "Nära målet") == "2"


# --- every page: a non-default view, copied from the address bar ---------------------------------------------
# Each page is driven to a view that differs from its default; the address is then opened in a new browser
# context on the same server and as the very first request to a freshly started one. Both must show the same
# widget values and figures (page_util.read_view). Översikt and Tillgänglighet have no controls: their link is bare.


def _drive_goals(page) -> None:
    choose_option(page, "Målområde", "Målområde 2")
    press_on_slider(page, "Nära målet inom (procentenheter eller enheter)", "ArrowRight", times=3)
    open_goal_with_button(page, "2.2")


def _drive_economy(page) -> None:
    wait_rerun(page, page.locator("[data-testid=stRadio] label").filter(has_text="Investeringar").click)
    wait_rerun(page, lambda: toggle_input(page, "Avvikelse i % av budget").locator("..").locator("..").click())
    press_on_slider(page, "Markera avvikelser större än (% av budget)", "ArrowRight", times=2)
    choose_segment(page, "Visa", "Budget och utfall")  # the threshold stays in the link while its part is hidden


def _drive_comparisons(page) -> None:
    choose_option(page, "Mått", "Färdtjänst, antal enkelresor")
    press_on_slider(page, "År", "ArrowRight")
    wait_rerun(page, lambda: toggle_input(page, "Visa som index").locator("..").locator("..").click())


def _drive_activities(page) -> None:
    choose_option(page, "Status", "⚠ Påbörjat med avvikelse")
    choose_option(page, "Tillhör verksamhet", "ÖP/DP")


def _drive_about(page) -> None:
    choose_option(page, "Tabell", "Investeringsredovisning (investments)")


def _drive_search(page) -> None:
    box = page.get_by_role("textbox", name=get_text("search.input"))
    box.fill("Corona")
    wait_rerun(page, lambda: box.press("Enter"))


def _all(*params: str) -> str:
    """A pattern for an address that holds every one of ``params`` (in any order)."""
    return "".join(f"(?=.*[?&]{p}(&|$))" for p in params)


LINK_VIEWS = {
    "overview": (None, r"/$"),
    "goals": (_drive_goals, _all("omrade=2", "marginal=5", r"mal=2\.2")),
    "economy": (_drive_economy, _all("tabell=investeringar", "procent=1", "grans_pct=12", "visa=budget")),
    "comparisons": (_drive_comparisons, _all("matt=fardtjanst", "period=2019-2020", "index=1")),
    "activities": (_drive_activities, _all("status=paborjat-med-avvikelse", "verksamhet=op-dp")),
    "about": (_drive_about, _all("tabell=investments")),
    "search": (_drive_search, _all("q=Corona")),
    "accessibility": (None, r"/tillganglighet$"),
}
LINK_CASES = [c for c in (get_page_case(k, path, get_text(t)) for k, _, path, t in ui.PAGES) if c.key in LINK_VIEWS]


@pytest.mark.parametrize("case", LINK_CASES, ids=[c.key for c in LINK_CASES])
def test_copied_address_of_every_page_reproduces_its_view(app_server, start_app_server, new_page, case):
    drive, pattern = LINK_VIEWS[case.key]
    page = new_page()
    goto_rendered(page, app_server.url_for(case.path))
    default = read_view(page)
    if drive:
        drive(page)
    copied = wait_url(page, pattern)
    shown = read_view(page)
    if drive:
        assert shown != default, "the driven view should differ from the default"
    assert page.console_errors == [] and exception_texts(page) == []

    other = new_page(viewport=(1920, 1080))
    goto_rendered(other, copied)
    assert read_view(other) == shown
    assert other.evaluate("location.href") == copied

    fresh = start_app_server()  # nothing has run on it yet: the copied link is its very first request
    first = new_page()
    goto_rendered(first, copied.replace(app_server.url, fresh.url, 1))
    assert read_view(first) == shown
    assert first.console_errors == [] and exception_texts(first) == []
    assert first.page_errors == []


def test_overview_links_keep_or_set_the_economy_view_as_designed(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url_for("/ekonomi"))
    wait_rerun(page, lambda: toggle_input(page, "Avvikelse i % av budget").locator("..").locator("..").click())
    wait_url(page, _all("tabell=nettokostnad", "procent=1"))
    sidebar = page.locator("[data-testid=stSidebar]")

    # "Till Ekonomi" carries the economy page's last view in this session.
    wait_rerun(page, sidebar.get_by_role("link", name="Översikt").click)
    wait_rerun(page, main_area(page).get_by_role("link", name="Till Ekonomi").click)
    expect(toggle_input(page, "Avvikelse i % av budget")).to_be_checked()
    expect(main_area(page).locator("h2").first).to_have_text("Nettokostnad per verksamhet 2020")
    wait_url(page, _all("tabell=nettokostnad", "procent=1"))

    # "Till Investeringar" deliberately opens the investments in their default view.
    wait_rerun(page, sidebar.get_by_role("link", name="Översikt").click)
    wait_rerun(page, main_area(page).get_by_role("link", name="Till Investeringar").click)
    expect(main_area(page).locator("h2").first).to_have_text("Investeringar 2020")
    expect(toggle_input(page, "Avvikelse i % av budget")).not_to_be_checked()
    wait_url(page, _all("tabell=investeringar", "procent=0"))
    assert page.console_errors == [] and exception_texts(page) == []


def test_the_share_links_copy_button_copies_the_views_link(app_server, new_page):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    goto_rendered(page, app_server.url + "/ekonomi?tabell=drift")
    link = page.locator(SHARE_LINK)
    expect(link).to_have_text(re.compile(r"/ekonomi\?tabell=drift"))
    page.get_by_role("button", name="Kopiera länken").click()
    expect(page.get_by_role("status").filter(has_text="Länken är kopierad.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link.inner_text()
    assert link.get_attribute("href") == link.inner_text()


@pytest.mark.parametrize(("path", "change", "expected"), [
    ("/ekonomi?tabell=nettokostnad", "slider", r"grans=550"),
    ("/aktiviteter", "select", r"status=genomfort"),
])
def test_a_widget_change_redraws_the_content_and_the_share_link_follows(app_server, new_page, path, change, expected):
    """A widget change reruns only the page's content (the menu and sidebar stay as they were), and the address bar,
    the share link and its copy button all hold the new view, so a link copied now reproduces it."""
    page = new_page()
    goto_rendered(page, app_server.url + path)
    if change == "slider":
        press_on_slider(page, "Markera avvikelser större än (tkr)", "ArrowRight")
    else:
        choose_option(page, "Status", "✔ Genomfört")
    assert last_run_status(page) == FRAGMENT_RUN, "only the page's content ran again"
    url = wait_url(page, expected)
    link = page.locator(SHARE_LINK)
    expect(link).to_have_text(url)
    assert link.get_attribute("href") == url
    assert page.locator("[data-testid=stSidebar] [data-ks-copy]").get_attribute("data-ks-copy") == url
    assert page.console_errors == [] and exception_texts(page) == []


def _go(page, step: str) -> None:
    """Press the browser's Back or Forward button and wait for the page's run that follows it."""
    wait_rerun(page, page.go_back if step == "back" else page.go_forward)


def _address(page) -> str:
    return page.evaluate("location.pathname + location.search")


def test_back_and_forward_step_through_the_choices_made_on_a_page(app_server, new_page):
    """Back undoes a choice on the page and Forward makes it again: the view, the address and the share link agree.
    (The page used to keep its last choice and write it back into the address, so Back changed nothing.)"""
    page = new_page()
    goto_rendered(page, app_server.url + "/mal")
    wait_url(page, r"omrade=alla")
    views = {"alla": read_view(page)}
    for area in ("3", "2"):
        choose_option(page, "Målområde", f"Målområde {area}")
        wait_url(page, rf"omrade={area}")
        views[area] = read_view(page)
    for step, area, shown in (("back", "3", "Målområde 3"), ("back", "alla", "Alla målområden"),
                              ("forward", "3", "Målområde 3")):
        _go(page, step)
        url = wait_url(page, rf"omrade={area}&")
        assert read_view(page) == views[area], f"after {step}: the view of {_address(page)}"
        assert page.locator(SHARE_LINK).inner_text().strip() == url
        assert read_view(page)["widgets"][0] == f"select Målområde = {shown}"
    assert page.console_errors == [] and exception_texts(page) == []



def test_back_brings_a_hidden_part_back_as_it_was(app_server, new_page):
    """Ekonomi keeps the deviations' threshold in the address while another part is shown: Back to the deviations
    shows the threshold chosen there, and one more Back the threshold before it."""
    page = new_page()
    goto_rendered(page, app_server.url + "/ekonomi?tabell=nettokostnad")
    wait_url(page, r"grans=500")
    press_on_slider(page, "Markera avvikelser större än (tkr)", "ArrowRight")
    wait_url(page, r"grans=550")
    choose_segment(page, "Visa", "Budget och utfall")
    wait_url(page, r"visa=budget")
    for threshold in ("550", "500"):
        _go(page, "back")
        wait_url(page, rf"visa=avvikelser.*grans={threshold}")
        expect(main_area(page).get_by_text("Avvikelse mot budget", exact=True)).to_be_visible()
        assert _slider_value(page, "Markera avvikelser större än (tkr)") == threshold
    assert page.console_errors == [] and exception_texts(page) == []

def test_back_after_a_menu_link_returns_to_the_page_before_in_one_press(app_server, new_page):
    """A page opened from the menu is one entry of the browser's history: its view written into the address is not a
    second one (each parameter the page filled in used to be an entry of its own, so Back showed the same page again
    four times before it left it)."""
    page = new_page()
    goto_rendered(page, app_server.url + "/mal?omrade=3")
    before = wait_url(page, r"omrade=3&status=alla&marginal=2")
    for link, filled in (("Ekonomi", r"/ekonomi\?tabell=.*grans="), ("Jämförelsetal", r"/jamforelsetal\?.*period=")):
        wait_rerun(page, lambda link=link: page.locator("[data-testid=stSidebar]").get_by_role("link", name=link).click())
        wait_url(page, filled)
        _go(page, "back")
        assert page.evaluate("location.href") == before, f"one Back from {link}"
        expect(page.get_by_role("heading", name="Mål och styrtal", level=1)).to_be_visible()
        assert read_view(page)["widgets"][0] == "select Målområde = Målområde 3"
    assert page.console_errors == [] and exception_texts(page) == []


@pytest.mark.parametrize(("path", "shown", "meant"), [
    ("/Mal", "Mal", "Mål och styrtal"),           # a page's address in the wrong case
    ("/ekonmi?lang=en", "ekonmi", "Finances"),    # mistyped, in English
    ("/nyheter", "nyheter", None),                # no page is close
])
def test_an_address_naming_no_page_says_so_in_the_apps_language_and_links_to_the_page_meant(app_server, new_page,
                                                                                           path, shown, meant):
    # Streamlit runs Översikt for an address naming no page, under an English "Page not found" dialog that makes the
    # page inert; the share link named the missing page again.
    page = new_page()
    goto_rendered(page, app_server.url + path)
    lang = "en" if "lang=en" in path else "sv"
    notice = get_text("notice.unknown_page", lang, path=shown)
    expect(main_area(page).get_by_text(notice)).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.locator("#root").get_attribute("inert") is None
    assert page.locator("h1").first.inner_text() == get_text("overview.title", lang)
    assert page.locator(SHARE_LINK).inner_text().strip() == app_server.url + ("/?lang=en" if lang == "en" else "/")
    suggestion = main_area(page).get_by_role("link", name=re.compile(r"^(Menade du|Did you mean) "))
    if meant is None:
        expect(suggestion).to_have_count(0)
        return
    expect(suggestion).to_have_text(get_text("notice.unknown_page.suggest", lang, page=meant))
    wait_rerun(page, suggestion.click)
    expect(page.locator("h1").first).to_have_text(meant)
    assert exception_texts(page) == []


def test_a_screen_opened_from_an_address_naming_no_page_has_no_english_dialog(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/M%C3%A5l?presentation=1&skarm=mal-status")
    expect(page.get_by_text(get_text("pres.unknown_page", "sv", path="Mål"))).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.locator("#root").get_attribute("inert") is None
    wait_url(page, r"/mal\?.*skarm=mal-status")


@pytest.fixture(scope="module")
def launcher_server() -> Iterator[AppServer]:
    """The app started as `make run` and the deploy recipe start it (serve.py), under a base path as behind nginx."""
    server = start_server(extra_args=("--server.baseUrlPath=rapport",), launcher=True)
    yield server
    server.stop()


@pytest.mark.parametrize(("path", "page_path", "shared"), [
    (GOAL_VIEW.replace("/mal?", "/mal/extra/mer?"), "/rapport/mal", GOAL_VIEW),  # something pasted after a link
    ("/nyheter/2020", "/rapport/", ""),                                          # a page that does not exist
])
def test_an_address_with_more_after_the_page_opens_that_page(launcher_server, new_page, path, page_path, shared):
    # Streamlit answers such a path with its index.html, whose scripts are addressed relative to it (./static/...):
    # under /rapport/mal/extra/ they came back as HTML too, and the phone showed a blank white page.
    page = new_page(viewport=(390, 844))
    base = launcher_server.url + "/rapport"
    goto_rendered(page, base + path)
    assert urlsplit(page.url).path == page_path
    if page_path.endswith("/mal"):
        _assert_goal_view(page)
    else:
        expect(main_area(page).get_by_text(get_text("notice.unknown_page", "sv", path="nyheter"))).to_be_visible()
    assert page.locator(SHARE_LINK).inner_text().strip() == base + shared
    assert exception_texts(page) == []
