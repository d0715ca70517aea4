"""Every page in a real browser: it renders cleanly with its key figures, its controls work, and screenshots.

Screenshots of every page at 1366x768 and 1920x1080 go to $KS_SCREENSHOT_DIR (default /tmp/ks-screenshots);
the run's summary names the folder.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

import ui
from ks_data.texts import get_text
from ks_data.views import economy
from tests.e2e.browser_util import exception_texts, goto_rendered, screenshot_full, wait_rerun
from tests.e2e.page_util import (
    CHART_TEXT_OVERLAP_JS,
    TEXT_JS,
    choose_option,
    choose_segment,
    drag_slider,
    expect_text,
    get_page_case,
    goal_card,
    heading_texts,
    main_area,
    open_goal_with_button,
    press_on_slider,
    slider_value,
    toggle_input,
    widget,
)
from tests.e2e.shots import VIEWPORTS, get_screenshot_dir

CASES = [get_page_case(key, url_path, get_text(text_key)) for key, _, url_path, text_key in ui.PAGES]


def _assert_clean(page) -> None:
    assert exception_texts(page) == []
    assert page.console_errors == [], page.console_errors
    assert page.page_errors == [], page.page_errors


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_page_renders_with_its_key_figures_and_is_photographed(app_server, new_page, case):
    page = new_page(viewport=VIEWPORTS[0])
    goto_rendered(page, app_server.url_for(case.path))
    headings = heading_texts(page)
    assert headings and (headings[0] == case.heading or case.heading in headings[0]), headings
    for figure in case.figures:
        expect_text(page, figure)
    assert page.evaluate("document.documentElement.lang") == "sv"
    folder = get_screenshot_dir()
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        screenshot_full(page, folder / f"{case.key}_{width}x{height}.png")
    page.wait_for_timeout(300)  # late console errors
    _assert_clean(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_page_at_1024_px_with_the_menu_open_cuts_no_text_and_stacks_no_chart_labels(app_server, new_page, case, lang):
    """A projector's 1024 px: key figures, widget labels and chart labels are read whole, not "−105 5…" or two
    values drawn on one spot (English amounts, "−104,869 SEK k", are the wider)."""
    page = new_page(viewport=(1024, 768))
    goto_rendered(page, app_server.url_for(case.path) + ("?lang=en" if lang == "en" else ""))
    page.wait_for_timeout(300)  # fonts and chart layout settle
    measured = page.evaluate(TEXT_JS)
    # Chart axes shorten a very long row name at any width (its whole name is in the table): not counted here.
    assert [t["text"] for t in measured["texts"] if t["cut"] and not t["svg"]] == []
    assert measured["mainScroll"] <= measured["mainWidth"], "the page scrolls sideways"
    assert page.evaluate(CHART_TEXT_OVERLAP_JS) == {}


def _status_badges(page, text: str) -> int:
    return main_area(page).get_by_text(text, exact=True).count()


def drive_overview(page) -> None:
    """The status legend opens; the card links lead on."""
    legend = main_area(page).locator("[data-testid=stExpander]").filter(has_text="Vad statusarna betyder")
    legend.locator("summary").click()
    expect(legend.get_by_text(get_text("status.help.fulfilled"))).to_be_visible()
    wait_rerun(page, main_area(page).get_by_role("link", name="Till Jämförelsetal").click)
    expect(main_area(page).locator("h1")).to_have_text("Jämförelsetal")


def drive_goals(page) -> None:
    """Area and status filter the list, the slider recomputes statuses, a goal opens by selectbox and by button."""
    choose_option(page, "Målområde", "Målområde 2")
    expect_text(page, "3 av 11 mål visas.")
    assert goal_card(page, "1.3").count() == 0
    choose_option(page, "Status (rapportens bedömning)", "◐ Delvis uppfyllt")
    expect_text(page, "1 av 11 mål visas.")
    choose_option(page, "Målområde", "Alla målområden")
    expect_text(page, "3 av 11 mål visas.")
    choose_option(page, "Status (rapportens bedömning)", "Alla statusar")
    expect_text(page, "11 av 11 mål visas.")

    # From 3 (units or points) goal 4.2 is partly fulfilled by its indicators, from 5 goal 3.1 too.
    near, tolerance = "Styrtalen: ◐ Delvis uppfyllt", "Nära målet inom (procentenheter eller enheter)"
    before = _status_badges(page, near)
    drag_slider(page, tolerance, 0.3)
    value = int(slider_value(page, tolerance))
    assert value >= 3, value
    expect(main_area(page).get_by_text(near, exact=True)).to_have_count(before + (1 if value < 5 else 2))

    choose_option(page, "Öppna mål", "3.1 – Våra ledtider följer servicedeklarationen")
    expect(main_area(page).locator("h2").filter(has_text=re.compile(r"^3\.1 Våra ledtider"))).to_be_visible()
    open_goal_with_button(page, "2.1")


def drive_economy(page) -> None:
    """The statement radio, the unit toggle and the threshold slider each change figures and charts."""
    page.locator("[data-testid=stRadio] label").filter(has_text="Investeringar").click()
    expect(main_area(page).locator("h2").first).to_have_text("Investeringar 2020")
    wait_rerun(page, lambda: toggle_input(page, "Avvikelse i % av budget").locator("..").locator("..").click())
    expect(toggle_input(page, "Avvikelse i % av budget")).to_be_checked()
    label = "Markera avvikelser större än (% av budget)"
    expect(widget(page, "stSlider", label)).to_be_visible()
    before = slider_value(page, label)
    drag_slider(page, label, 0.5)
    value = slider_value(page, label)
    assert value != before
    expect_text(page, f"ligger över gränsen {economy.format_threshold(int(value), True, 'sv')}")
    choose_segment(page, "Visa", "Budget och utfall")
    expect(main_area(page).locator("h3").first).to_have_text("Budget och utfall")
    expect_text(page, "Investeringarna blev 1 104 tkr lägre än budget")
    choose_segment(page, "Visa", "Avvikelser")
    assert slider_value(page, label) == value  # the threshold is where it was left


def drive_comparisons(page) -> None:
    """The metric selectbox, the year range (keyboard) and the index toggle."""
    choose_option(page, "Mått", "Färdtjänst, antal enkelresor")
    expect(main_area(page).locator("[data-testid=stVegaLiteChart]")).to_have_count(1)
    expect_text(page, "Färdtjänst, antal enkelresor minskade med 43,9 % från 2018 till 2020.")
    press_on_slider(page, "År", "ArrowRight")
    assert slider_value(page, "År") == "2019–2020"
    expect_text(page, "från 2019 till 2020")
    wait_rerun(page, lambda: toggle_input(page, "Visa som index").locator("..").locator("..").click())
    expect(main_area(page).locator("h2").filter(has_text="Index per år (2019 = 100)")).to_be_visible()


def drive_activities(page) -> None:
    """Status and verksamhet filter the chart and the table."""
    choose_option(page, "Status", "✔ Genomfört")
    expect_text(page, "2 av 8 aktiviteter visas.")
    choose_option(page, "Tillhör verksamhet", "Klk/VuIT")
    expect_text(page, "1 av 8 aktiviteter visas.")
    expect_text(page, "Nytt avtal IT-drift")


def drive_about(page) -> None:
    """The table selectbox switches the data dictionary and the CSV download."""
    choose_option(page, "Tabell", "Investeringsredovisning (investments)")
    expect_text(page, "Fil: investments.parquet")
    expect(page.get_by_role("button", name="CSV för Excel: Investeringsredovisning")).to_be_visible()


DRIVERS = {"overview": drive_overview, "goals": drive_goals, "economy": drive_economy,
           "comparisons": drive_comparisons, "activities": drive_activities, "about": drive_about}
CONTROL_CASES = [c for c in CASES if c.key in DRIVERS]


@pytest.mark.parametrize("case", CONTROL_CASES, ids=[c.key for c in CONTROL_CASES])
def test_main_controls_change_what_is_shown(app_server, new_page, case):
    page = new_page()
    goto_rendered(page, app_server.url_for(case.path))
    DRIVERS[case.key](page)
    _assert_clean(page)


@pytest.mark.parametrize("width", [1024, 1920])
def test_goal_cards_read_from_the_left(app_server, new_page, width):
    """Each goal's card is a button; its number, title and statuses start at its left edge, short titles too (a
    button centres its text)."""
    page = new_page(viewport=(width, 1080))
    goto_rendered(page, app_server.url_for("/mal"))
    expect(goal_card(page, "1.3")).to_be_visible()
    offsets = main_area(page).locator(f".st-key-{ui.GOAL_LIST_KEY} button").evaluate_all(
        "(cards) => cards.map((b) => b.querySelector('p').getBoundingClientRect().left - b.getBoundingClientRect().left)")
    assert len(offsets) == 11 and all(0 < x < 20 for x in offsets), offsets


# The cards of every card row (ui.card_row) in reading order, (left, top, width, height) in CSS px.
CARD_BOXES_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stGridCell"]')].map((cell) => {
  const r = cell.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""


def _card_lines(page) -> list[list[tuple[float, float, float, float]]]:
    """The page's cards grouped by the line of the screen they stand on, top to bottom."""
    lines: list[list[tuple[float, float, float, float]]] = []
    for box in page.evaluate(CARD_BOXES_JS):
        if lines and abs(lines[-1][0][1] - box[1]) < 1:
            lines[-1].append(tuple(box))
        else:
            lines.append([tuple(box)])
    return lines


def _settled_card_lines(page, per_line: list[int], timeout_s: float = 5) -> list[list[tuple[float, float, float, float]]]:
    """The card lines once they are ``per_line`` or ``timeout_s`` has passed: the grid sets its columns from the main
    area's width a frame or two after the first render (a ResizeObserver)."""
    deadline = time.monotonic() + timeout_s
    lines = _card_lines(page)
    while [len(line) for line in lines] != per_line and time.monotonic() < deadline:
        page.wait_for_timeout(50)
        lines = _card_lines(page)
    return lines


@pytest.mark.parametrize(("path", "width", "per_line"), [
    ("/", 1920, [3, 2]), ("/", 1366, [3, 2]), ("/", 1024, [2, 1, 1, 1]), ("/", 390, [1, 1, 1, 1, 1]),
    ("/jamforelsetal", 1366, [3]), ("/jamforelsetal", 1024, [2, 1]), ("/jamforelsetal", 390, [1, 1, 1]),
])
def test_cards_stand_side_by_side_as_high_as_their_line(app_server, new_page, path, width, per_line):
    """Översikt's and Jämförelsetal's cards: as many on a line as fit at 16rem each, one under the other on a phone,
    the cards of a line equally high and in reading order; Översikt's summary takes two cards' width beside one."""
    page = new_page(viewport=(width, 900))
    goto_rendered(page, app_server.url_for(path))
    lines = _settled_card_lines(page, per_line)
    assert [len(line) for line in lines] == per_line, lines
    for line in lines:
        assert max(box[3] for box in line) - min(box[3] for box in line) < 1, line
        assert all(a[0] + a[2] <= b[0] for a, b in zip(line, line[1:])), line
        assert all(box[2] >= 256 for box in line) or len(line) == 1, line
    if per_line[-1] == 2:
        comparisons, summary = lines[-1]
        assert summary[2] > 1.9 * comparisons[2], lines[-1]


@pytest.mark.parametrize(("width", "goal_first"), [(800, True), (1024, True), (1366, False)])
def test_an_opened_goal_comes_above_the_list_only_where_both_do_not_fit(app_server, new_page, width, goal_first):
    """At 1024 px with the menu open a click on a goal's card must show the goal, not add it below eleven cards; its
    indicator charts fit the column even on a tablet held upright (800 px)."""
    page = new_page(viewport=(width, 768))
    goto_rendered(page, app_server.url_for("/mal?mal=1.3"))
    goal = main_area(page).get_by_role("heading", name=re.compile(r"^1\.3 Medborgarna")).bounding_box()
    listing = main_area(page).get_by_role("heading", name="Målen", exact=True).bounding_box()
    if goal_first:
        assert goal["y"] + goal["height"] <= listing["y"]
    else:
        assert goal["x"] > listing["x"] + listing["width"] and abs(goal["y"] - listing["y"]) < 20
    measured = page.evaluate(TEXT_JS)
    assert measured["mainScroll"] <= measured["mainWidth"], "the page scrolls sideways"
