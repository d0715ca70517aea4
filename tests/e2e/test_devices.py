"""Every page and every presentation screen on every device class (issue 18): phone, iPad, desktop and projector.

One page per device class is opened and reused for every view; each view is loaded once at the class's first size and
measured at each of its sizes by resizing the window (a phone also at 320 px, WCAG 1.4.10 reflow; the projector's
1280 × 720 window at 200 % zoom is 640 × 360 CSS px, WCAG 1.4.4). On a view the DOM must show no text box over another (> 4 px), no sideways
scroll of the document, no word broken inside (but at a hyphen), no touch target under 24 × 24 px and, on a phone, no HTML text under 16 px. On the phone and
the iPad axe-core also scans every view with the WCAG 2.2 A/AA rules (test_a11y.py does the desktop).
Full-page screenshots of every view at phone and iPad size go to the screenshot folder, for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import ui
from ks_data import schema as s
from ks_data.texts import get_text
from ks_data.views import presentation
from tests.e2e.a11y_util import get_axe_source, get_new_violations, run_axe
from tests.e2e.browser_util import (
    exception_texts,
    goto_rendered,
    open_page,
    screenshot_full,
    wait_layout_settled,
    wait_rendered,
)
from tests.e2e.layout_util import DEVICE_BY_NAME, MIN_PHONE_TEXT_PX, Device, get_layout_problems, measure_chart_texts
from tests.e2e.page_util import get_chart_screens, get_page_case, get_screen_path, main_area, wait_url
from tests.e2e.shots import get_screenshot_dir
from tests.helpers import real_table

SCREENS = presentation.get_screens(real_table(s.GOALS))
VIEWS = [get_page_case(key, url_path, get_text(text_key)).path for key, _, url_path, text_key in ui.PAGES]
VIEWS += ["/mal?mal=2.2", "/ekonomi?visa=budget", "/ekonomi?tabell=investeringar", "/jamforelsetal?index=1",
          "/sok?q=budget"]
VIEWS += [get_screen_path(sc) for sc in SCREENS]
# The QR code beside key figures and beside a chart: the two layouts a screen with the code has.
VIEWS += [get_screen_path(SCREENS[0], qr=True), get_screen_path(get_chart_screens(SCREENS)[0], qr=True)]

# Device class: the sizes it is measured at (the first is where each view loads), touch or not, axe scan, screenshots.
CLASSES = {
    "phone": ((DEVICE_BY_NAME["phone-360"], DEVICE_BY_NAME["phone-390"], Device("reflow-320", 320, 640, True)),
              True, True),
    "ipad": ((DEVICE_BY_NAME["ipad-portrait"], DEVICE_BY_NAME["ipad-landscape"]), True, True),
    "desktop": ((DEVICE_BY_NAME["desktop-1366"], DEVICE_BY_NAME["desktop-1024"], DEVICE_BY_NAME["desktop-1920"]),
                False, False),
    "projector": ((DEVICE_BY_NAME["projector-1280"], Device("zoom-200-1280", 640, 360)), False, False),
}


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", path.replace("=", "-")).strip("_") or "root"


def _settle(page) -> None:
    """Wait until the view is drawn and its charts have their text (Vega draws after the script run)."""
    wait_rendered(page)
    if page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').count():
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
            .filter((c) => c.getBoundingClientRect().width > 0).every((c) => c.querySelector('svg text'))""")
    wait_layout_settled(page)  # fonts and the charts' fit to their width


@pytest.mark.parametrize("device_class", list(CLASSES))
def test_every_view_fits_the_device_class(app_server, browser, device_class):
    sizes, touch, scan = CLASSES[device_class]
    first = sizes[0]
    page = open_page(browser, viewport=first.size, is_mobile=touch, has_touch=touch)
    axe = get_axe_source() if scan else None
    problems = []
    try:
        for path in VIEWS:
            goto_rendered(page, app_server.url_for(path))
            _settle(page)
            if exception_texts(page):
                problems.append(f"{path}: {exception_texts(page)}")
            for device in sizes:
                if device is not first:
                    page.set_viewport_size({"width": device.width, "height": device.height})
                    # Presentation mode's type grows with the window (vw): the cards take a moment to follow.
                    wait_layout_settled(page)
                problems += [f"{path} @ {device.name}: {p}" for p in get_layout_problems(page, device)]
                if device in (DEVICE_BY_NAME["phone-390"], DEVICE_BY_NAME["ipad-portrait"]):
                    screenshot_full(page, get_screenshot_dir() / "devices" / f"{device.name}_{_slug(path)}.png")
            if axe is not None:
                page.set_viewport_size({"width": first.width, "height": first.height})
                result = run_axe(page, axe)
                problems += [f"{path} @ {first.name}: axe-core {result['version']} {v}" for v in get_new_violations(result)]
            elif len(sizes) > 1:
                page.set_viewport_size({"width": first.width, "height": first.height})
        assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
        assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors
    finally:
        page.context.close()


TICK = re.compile(r"[\u2212-]?[\d\u00a0\u202f ]+")


def _resized(page, width: int, height: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": height})
    wait_layout_settled(page)  # Vega lays the charts out again for their new width
    return measure_chart_texts(page)


@pytest.mark.parametrize("path", ["/ekonomi?visa=budget", "/ekonomi", "/mal?mal=2.2", "/aktiviteter"])
def test_charts_change_layout_when_the_window_is_resized_across_560_px(app_server, browser, path):
    """A chart lays itself out by its container's width when the window changes, not only at load (a phone turned,
    a window made narrower): loaded wide and made narrow, its text grows to 16 px and none is cut; back, it is the
    desktop's again."""
    page = open_page(browser, viewport=(1366, 768))
    try:
        goto_rendered(page, app_server.url_for(path))
        _settle(page)
        wide = measure_chart_texts(page)
        assert wide and min(t["size"] for t in wide) < MIN_PHONE_TEXT_PX, wide[:3]  # the desktop's 13-14 px
        narrow = _resized(page, 390, 844)
        small = [(t["text"], t["size"]) for t in narrow if t["size"] < MIN_PHONE_TEXT_PX]
        cut = [(t["text"], t["where"]) for t in narrow if t["outside"] or t["beyond"]]
        assert narrow and not small and not cut, (small, cut)
        # Back wide, every text is the desktop's again (the axis ticks aside: the deviation chart's axis may keep the
        # phone's wider range, which Vega's own tick choice then numbers differently).
        again = _resized(page, 1366, 768)
        words = [(t["text"], t["size"]) for t in wide if not TICK.fullmatch(t["text"])]
        assert sorted(x for x in ((t["text"], t["size"]) for t in again) if not TICK.fullmatch(x[0])) == sorted(words)
        assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["/mal?mal=2.2", "/ekonomi", "/aktiviteter"])
def test_a_chart_opened_narrow_keeps_its_titles_whole_when_the_window_widens(app_server, browser, path):
    """Opened at 200 px (a phone's split screen) and then made wide (the phone turned, the window widened), no
    chart text is left cut with "…": Streamlit fixes a chart title's limit at the width it first saw, unless the chart
    gives its own (seen in CI, where a busy machine drew the goal charts at ~125 px first)."""
    page = open_page(browser, viewport=(200, 640), is_mobile=True, has_touch=True)
    try:
        goto_rendered(page, app_server.url_for(path))
        _settle(page)
        for width, height in ((390, 844), (820, 1180), (1366, 768)):
            texts = _resized(page, width, height)
            assert texts and not [t["text"] for t in texts if t["cut"]], (width, [t["text"] for t in texts if t["cut"]])
        assert not page.page_errors and not page.console_errors, page.page_errors + page.console_errors
    finally:
        page.context.close()


@pytest.mark.parametrize(("viewport", "mobile", "shown"), [((390, 844), True, "narrow"), ((1366, 768), False, "wide")])
def test_the_deviation_charts_names_are_whole_on_a_phone(app_server, browser, viewport, mobile, shown):
    # The Ekonomi page's deviation chart has a phone layout of its own (ui.show_chart's narrow): there the longest
    # names ("↳ varav politik, stöd- och ledningsfunktioner …") break onto lines above their bars instead of "…".
    page = open_page(browser, viewport=viewport, is_mobile=mobile, has_touch=mobile)
    try:
        goto_rendered(page, app_server.url_for("/ekonomi"))
        _settle(page)
        charts = {side: page.locator(f"[class*='st-key-ks_{side}_deviation'] [data-testid=stVegaLiteChart]")
                  for side in ("wide", "narrow")}
        assert charts[shown].is_visible() and not charts["narrow" if shown == "wide" else "wide"].is_visible()
        texts = measure_chart_texts(page)
        assert texts and not [t["text"] for t in texts if t["cut"]]
        words = " ".join(t["text"] for t in texts)
        assert all(word in words for word in ("ledningsfunktioner", "kommunförbund"))
    finally:
        page.context.close()


# The height of each visible chart's y axis in the main area (px), in the charts' order.
Y_AXIS_HEIGHTS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => [...svg.querySelectorAll('g.role-axis[aria-label^="Y-axis"]')].map((g) => g.getBoundingClientRect().height))"""


# The number of lines the index heading's "(2018 = 100)" is drawn on.
HEADING_BASE_LINES_JS = r"""() => {
  const h = [...document.querySelectorAll('[data-testid="stMain"] h2')].find((e) => /Index per år/.test(e.textContent));
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const at = n.textContent.indexOf('(2018');
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(n, at); range.setEnd(n, n.textContent.indexOf(')', at) + 1);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
  }
  return 0;
}"""


def test_the_index_chart_keeps_its_plot_on_a_phone_where_its_legend_takes_more_lines(app_server, browser):
    """On a phone the index chart's legend breaks the metrics' names onto lines (on one line the longest ran past the
    chart's edge, which the device check sees); those lines take room of their own and leave the plot as high as on a
    desktop (the chart was fitted to a fixed height, and the plot was squeezed to ~60 px for a scale of 0-100)."""
    page = open_page(browser, viewport=(1366, 768))
    try:
        goto_rendered(page, app_server.url_for("/jamforelsetal?index=1"))
        _settle(page)
        wide = page.evaluate(Y_AXIS_HEIGHTS_JS)
        page.set_viewport_size({"width": 390, "height": 844})
        wait_layout_settled(page)
        narrow = page.evaluate(Y_AXIS_HEIGHTS_JS)
        assert len(wide) == len(narrow) == 1 and wide[0] > 150, (wide, narrow)
        # The heading over it breaks before "(2018 = 100)", not inside it.
        assert page.evaluate(HEADING_BASE_LINES_JS) == 1
        assert narrow[0] >= wide[0] - 2, (wide, narrow)
        bad = [t for t in measure_chart_texts(page) if t["outside"] or t["beyond"] or t["cut"]]
        assert not bad, [(t["text"], t["where"]) for t in bad]
    finally:
        page.context.close()


# Each visible cell of the page's view tables: its column's header, whether it is a number cell, its text alignment.
TABLE_CELLS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .ks-table td')]
  .filter((td) => td.offsetParent !== null && td.textContent.trim())
  .map((td) => ({label: td.dataset.label, num: td.classList.contains('num'), align: getComputedStyle(td).textAlign}))"""


@pytest.mark.parametrize(("viewport", "mobile"), [((390, 844), True), ((1366, 768), False)])
def test_a_tables_numbers_line_up_on_a_desktop_and_read_from_the_left_in_a_phones_cards(app_server, browser, viewport,
                                                                                     mobile):
    # Om data's tables have number columns (rows per table, the printed and computed sums). On a phone a view table
    # is a list of cards, a header above each value: every value starts at the card's left edge, in every card (only
    # the last card's did: the rule for the last row outweighed the number cells' alignment, the others' did not).
    page = open_page(browser, viewport=viewport, is_mobile=mobile, has_touch=mobile)
    try:
        path = "/om_data"
        goto_rendered(page, app_server.url_for(path))
        _settle(page)
        cells = page.evaluate(TABLE_CELLS_JS)
        assert any(c["num"] for c in cells), f"no number cell shown on {path}"
        if mobile:
            wrong = {(c["label"], c["align"]) for c in cells if c["align"] not in ("left", "start")}
        else:
            wrong = {(c["label"], c["align"]) for c in cells if c["num"] and c["align"] != "right"}
        assert not wrong, f"{path} at {viewport[0]} px: cells aligned otherwise: {sorted(wrong)}"
    finally:
        page.context.close()


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_presentation_on_a_phone_is_one_column_and_moves_by_tapping(app_server, browser):
    page = open_page(browser, viewport=(390, 844), is_mobile=True, has_touch=True)
    try:
        goto_rendered(page, app_server.url_for("/ekonomi?presentation=1&skarm=avvikelser"))
        _settle(page)
        main = main_area(page)
        title, message = _box(main.locator("h1").first), _box(page.locator(".st-key-ks_pres_message"))
        chart = _box(page.locator(".st-key-ks_pres_chart_narrow [data-testid=stVegaLiteChart]"))
        nav = _box(page.locator(".st-key-ks_pres_nav"))
        # One column: the title, the message, the chart as wide as the text, then the buttons below all of it.
        assert title["y"] + title["height"] <= message["y"] + 1 <= chart["y"] + 1, (title, message, chart)
        assert chart["width"] >= message["width"] - 2 and chart["x"] + chart["width"] <= 390, (chart, message)
        assert nav["y"] >= chart["y"] + chart["height"], (nav, chart)
        expect(page.locator(".st-key-ks_pres_chart [data-testid=stVegaLiteChart]")).to_be_hidden()
        # A tap on Nästa and on Föregående moves one screen, across pages too.
        page.get_by_role("button", name=get_text("pres.next")).tap()
        wait_url(page, r"/jamforelsetal\?.*skarm=jamforelsetal")
        wait_rendered(page)
        expect(main.locator("h1").first).to_have_text("Jämförelsetal 2018–2020")
        page.get_by_role("button", name=get_text("pres.prev")).tap()
        wait_url(page, r"/ekonomi\?.*skarm=avvikelser")
        wait_rendered(page)
        expect(main.locator("h1").first).to_have_text("Största avvikelserna mot budget 2020")
        page.get_by_role("button", name=get_text("pres.prev")).tap()
        wait_url(page, r"/ekonomi\?.*skarm=budget")
        wait_rendered(page)
        expect(main.locator("h1").first).to_have_text("Budget och utfall 2020 per verksamhet")
        assert not exception_texts(page)
    finally:
        page.context.close()


def test_the_menu_starts_closed_on_a_phone_and_is_one_tap_away(app_server, browser):
    page = open_page(browser, viewport=(390, 844), is_mobile=True, has_touch=True)
    try:
        goto_rendered(page, app_server.url_for("/mal"))
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        assert _box(main_area(page).locator("h1").first)["x"] < 40  # the content starts at the left edge
        page.locator('[data-testid="stExpandSidebarButton"]').tap()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        expect(sidebar.get_by_role("link", name=get_text("nav.economy"))).to_be_visible()
    finally:
        page.context.close()
