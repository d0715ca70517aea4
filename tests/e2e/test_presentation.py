"""Presentation mode in Chromium: the arrow keys move through the screens across pages, every screen is readable from
the back of a room (no text under 20 px, nothing wider than the window or cut by its box) at 1024 × 768, 1280 × 720
and 1920 × 1080, the QR code lies whole in the window and under no button, the chart follows its message, and the
sidebar link turns it on and "Avsluta presentation" off. Screenshots of every screen go to SHOT_DIR for review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ks_data import schema as s
from ks_data.texts import get_text
from ks_data.views import presentation
from tests.e2e.a11y_util import get_axe_source, get_low_contrast_chart_texts, get_new_violations, run_axe
from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rendered, wait_rerun
from tests.e2e.page_util import (
    CHART_TEXT_OVERLAP_JS,
    TEXT_JS,
    get_chart_screens,
    get_page_path,
    get_screen_path,
    main_area,
    wait_url,
)
from tests.helpers import real_table

SHOT_DIR = Path("/tmp/ks-screenshots/presentation")
SCREENS = presentation.get_screens(real_table(s.GOALS))
CHARTED = get_chart_screens(SCREENS)
MIN_FONT_PX = 20
SIZES = [(1024, 768), (1280, 720), (1920, 1080)]  # an older projector, a small laptop, a modern projector

# Where the QR code does not lie whole in the window, or lies under a button of the page (its own full-screen button,
# which Streamlit draws on the picture, excepted): a list of what is wrong, empty when it is placed well.
QR_PLACE_JS = r"""() => {
  const img = document.querySelector('.st-key-ks_pres_qr_box img');
  const r = img.getBoundingClientRect();
  const out = [];
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1) {
    out.push(`runs out of the ${innerWidth}×${innerHeight} window: ${[r.left, r.top, r.right, r.bottom].map(Math.round)}`);
  }
  for (const b of document.querySelectorAll('[data-testid="stMain"] button')) {
    if (b.closest('[data-testid="stFullScreenFrame"]')?.contains(img)) continue;
    const q = b.getBoundingClientRect();
    if (q.width && q.right > r.left && q.left < r.right && q.bottom > r.top && q.top < r.bottom) {
      out.push(`lies under the button "${b.innerText.trim()}"`);
    }
  }
  return out;
}"""


def _heading(page) -> str:
    return main_area(page).locator("h1").first.inner_text()


def _press(page, key: str, path: str, slug: str) -> None:
    page.keyboard.press(key)
    wait_url(page, rf"{re.escape(path)}\?.*skarm={re.escape(slug)}(&|$)")
    wait_rendered(page)


def test_arrow_keys_move_through_screens_across_pages(app_server, new_page):
    page = new_page(viewport=(1280, 720))
    goto_rendered(page, app_server.url_for("/?presentation=1"))
    expect(main_area(page).locator("h1").first).to_have_text("Årets resultat 2020")
    assert "skarm=resultat" in page.evaluate("location.href")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    # Forward through every screen: the address and the heading follow, also across page changes.
    for screen in SCREENS[1:]:
        _press(page, "ArrowRight", get_page_path(screen.page_key), screen.slug)
        url = page.evaluate("location.href")
        assert "presentation=1" in url, url
        expect(main_area(page).locator("h1").first).not_to_have_text("Årets resultat 2020")
    expect(main_area(page).locator("h1").first).to_have_text("Jämförelsetal 2018–2020")
    # And back: ArrowLeft and PageUp go to the previous screen.
    _press(page, "ArrowLeft", "/ekonomi", "avvikelser")
    expect(main_area(page).locator("h1").first).to_have_text("Största avvikelserna mot budget 2020")
    _press(page, "PageUp", "/ekonomi", "budget")
    expect(main_area(page).locator("h1").first).to_have_text("Budget och utfall 2020 per verksamhet")
    last_area = [sc for sc in SCREENS if sc.area is not None][-1]
    _press(page, "ArrowLeft", "/mal", last_area.slug)
    expect(main_area(page).locator("h1").first).to_have_text(f"Målområde {last_area.area}")
    assert not exception_texts(page)
    assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors


def test_the_back_button_goes_to_the_screen_before_in_one_press(app_server, new_page):
    """A screen is one entry of the browser's history: Back from the third screen shows the second, then the first.
    (A screen switch used to leave two entries, so every other Back press showed the same screen again.)"""
    page = new_page(viewport=(1280, 720))
    goto_rendered(page, app_server.url_for("/?presentation=1"))
    headings = [_heading(page)]
    for screen in SCREENS[1:3]:
        _press(page, "ArrowRight", get_page_path(screen.page_key), screen.slug)
        expect(main_area(page).locator("h1").first).not_to_have_text(headings[-1])
        headings.append(_heading(page))
    for index in (1, 0):
        screen = SCREENS[index]
        wait_rerun(page, page.go_back)
        wait_url(page, rf"{re.escape(get_page_path(screen.page_key))}\?.*skarm={re.escape(screen.slug)}(&|$)")
        expect(main_area(page).locator("h1").first).to_have_text(headings[index])
    assert not exception_texts(page)
    assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors


def test_sidebar_link_turns_it_on_and_end_turns_it_off(app_server, new_page):
    page = new_page(viewport=(1280, 720))
    goto_rendered(page, app_server.url_for("/ekonomi"))
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=get_text("pres.nav.start")).click()
    wait_url(page, r"/ekonomi\?.*skarm=budget")
    wait_rendered(page)
    expect(main_area(page).locator("h1").first).to_have_text("Budget och utfall 2020 per verksamhet")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    # It stays on across a page change made with the buttons.
    page.get_by_role("button", name=get_text("pres.next")).click()
    wait_url(page, r"/ekonomi\?.*skarm=avvikelser")
    page.get_by_role("button", name=get_text("pres.next")).click()
    wait_url(page, r"/jamforelsetal\?.*skarm=jamforelsetal")
    wait_rendered(page)
    page.get_by_role("button", name=get_text("pres.exit")).click()
    wait_url(page, r"/jamforelsetal(\?(?!.*presentation).*)?$")
    wait_rendered(page)
    expect(main_area(page).locator("h1").first).to_have_text("Jämförelsetal")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    assert "skarm" not in page.evaluate("location.href")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_is_readable_and_fits(app_server, new_page, size):
    page = new_page(viewport=size)
    problems = []
    shots = [(screen, False) for screen in SCREENS] + [(SCREENS[0], True), (CHARTED[0], True), (SCREENS[-1], True)]
    for number, (screen, qr) in enumerate(shots, start=1):
        goto_rendered(page, app_server.url_for(get_screen_path(screen, qr)))
        page.wait_for_selector('[data-testid="stMain"] h1')
        if screen in CHARTED:
            page.wait_for_selector('[data-testid="stVegaLiteChart"] svg text')
        if qr:
            page.wait_for_selector('.st-key-ks_pres_qr_box img')
        page.wait_for_timeout(300)  # fonts and chart layout settle
        name = f"{size[0]}x{size[1]}-{number:02d}-{screen.slug}{'-qr' if qr else ''}.png"
        SHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOT_DIR / name))
        measured = page.evaluate(TEXT_JS)
        small = [(t["text"], t["size"]) for t in measured["texts"] if t["size"] < MIN_FONT_PX]
        wide = [(t["text"], round(t["right"])) for t in measured["texts"] if t["right"] > measured["width"] + 1]
        cut = [t["text"] for t in measured["texts"] if t["cut"]]
        if cut:
            problems.append(f"{name}: text cut short: {cut[:8]}")
        overlap = page.evaluate(CHART_TEXT_OVERLAP_JS)
        if overlap:
            problems.append(f"{name}: chart labels drawn on top of each other: {overlap}")
        if small:
            problems.append(f"{name}: text under {MIN_FONT_PX} px: {small[:8]}")
        if wide:
            problems.append(f"{name}: text past the right edge: {wide[:8]}")
        if measured["scrollWidth"] > measured["width"] or measured["mainScroll"] > measured["mainWidth"]:
            problems.append(f"{name}: page scrolls sideways ({measured['scrollWidth']} / {measured['mainScroll']} px "
                            f"in {measured['width']} px)")
        if not any(t["svg"] for t in measured["texts"]) and screen in CHARTED:
            problems.append(f"{name}: the chart's text was not measured")
        if qr and (misplaced := page.evaluate(QR_PLACE_JS)):
            problems.append(f"{name}: the QR code {misplaced}")
        if exception_texts(page):
            problems.append(f"{name}: {exception_texts(page)}")
    assert not problems, "\n".join(problems)
    assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors


@pytest.mark.parametrize("path", ["/?presentation=1&skarm=resultat", "/mal?presentation=1&skarm=malomrade-2",
                                  "/ekonomi?presentation=1&skarm=avvikelser&qr=1"])
def test_screens_have_no_serious_accessibility_violation_of_our_own(app_server, new_page, path):
    page = new_page(viewport=(1280, 720))
    goto_rendered(page, app_server.url_for(path))
    page.wait_for_selector('[data-testid="stMain"] h1')
    result = run_axe(page, get_axe_source())
    new = get_new_violations(result)
    assert not new, f"axe-core {result['version']} on {path}:\n" + "\n".join(new)
    assert get_low_contrast_chart_texts(page) == []
    assert page.evaluate("document.documentElement.lang") == "sv"



@pytest.mark.parametrize("screen", CHARTED, ids=[screen.slug for screen in CHARTED])
@pytest.mark.parametrize("size", [(820, 1180), (1280, 720)], ids=["ipad-portrait", "projector"])
def test_chart_follows_the_message_without_a_gap(app_server, new_page, screen, size):
    """The chart is read with its message: on an iPad in portrait it once sat half a screen below it."""
    page = new_page(viewport=size)
    goto_rendered(page, app_server.url_for(get_screen_path(screen)))
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg text')
    gap = page.evaluate("""() => {
      const message = document.querySelector('.st-key-ks_pres_message').getBoundingClientRect();
      const chart = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
        .map((c) => c.getBoundingClientRect()).find((r) => r.width > 0 && r.height > 0);
      return chart.top - message.bottom;
    }""")
    assert 0 <= gap <= 0.1 * size[1], f"{gap:.0f} px between the message and the chart"


# Each key figure's value and label type size in px.
FIGURE_TYPE_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].map((m) =>
  ['stMetricValue', 'stMetricLabel'].map((id) => parseFloat(getComputedStyle(m.querySelector(`[data-testid="${id}"] p`)).fontSize)))"""


@pytest.mark.parametrize("size", [(820, 1180), (1280, 720), (1920, 1080)], ids=["ipad-portrait", "projector", "1920"])
def test_qr_code_leaves_the_key_figures_their_size(app_server, new_page, size):
    """Showing the code must not shrink the figures the screen is about (on an iPad in portrait they fell to the size
    of their labels beside it); only a 1024-px projector has too little room for both."""
    page = new_page(viewport=size)
    sizes = {}
    for qr in (False, True):
        goto_rendered(page, app_server.url_for(get_screen_path(SCREENS[0], qr)))
        if qr:
            page.wait_for_selector('.st-key-ks_pres_qr_box img')
        page.wait_for_timeout(300)
        sizes[qr] = [value for value, _ in page.evaluate(FIGURE_TYPE_JS)]
    assert len(sizes[True]) == len(sizes[False]) == 3, sizes
    assert min(sizes[True]) >= 0.95 * min(sizes[False]), sizes


FIGURE_SIZES = [(390, 844), (820, 1180), (1180, 820), (1024, 768), (1280, 720), (1920, 1080)]


@pytest.mark.parametrize("size", FIGURE_SIZES, ids=[f"{w}x{h}" for w, h in FIGURE_SIZES])
def test_the_goal_counts_stand_out_from_their_labels(app_server, new_page, size):
    """On "Målen 2020" the counts are what the screen says: never as small as their labels, also in the narrow cards of
    an iPad in portrait and beside the QR code (there they stood at the size of their labels)."""
    screen = next(sc for sc in SCREENS if sc.slug == presentation.GOAL_STATUS)
    page = new_page(viewport=size)
    for qr in (False, True):
        goto_rendered(page, app_server.url_for(get_screen_path(screen, qr)))
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stMetric"]')
        page.wait_for_timeout(300)  # the type follows the window's width (vw)
        sizes = page.evaluate(FIGURE_TYPE_JS)
        assert len(sizes) == 5 and all(value >= 1.4 * label for value, label in sizes), (qr, sizes)
