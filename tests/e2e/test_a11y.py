"""Accessibility in a real browser: axe-core (WCAG 2.1 A/AA) on every page, Tab order, text alternatives, colour.

No critical or serious violation that our own content causes is allowed. One that comes from Streamlit itself
goes on a11y_util.KNOWN_STREAMLIT_VIOLATIONS with its upstream issue (and on the page Tillgänglighet); anything
new fails.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import ui
from ks_data.texts import get_text
from tests.e2e.a11y_util import (
    KNOWN_STREAMLIT_GAPS,
    KNOWN_STREAMLIT_VIOLATIONS,
    get_axe_source,
    get_low_contrast_chart_texts,
    get_minor_violations,
    get_new_violations,
    run_axe,
)
from tests.e2e.browser_util import exception_texts, goto_rendered, screenshot_full, wait_rerun
from tests.e2e.page_util import get_controls_missed_by_tab, get_page_case, main_area, main_text
from tests.e2e.shots import VIEWPORTS, get_screenshot_dir

VIEWS = [(key, get_page_case(key, url_path, get_text(text_key)).path) for key, _, url_path, text_key in ui.PAGES]
PAGE_KEYS = {key for key, _ in VIEWS}
VIEWS += [("goals-opened", "/mal?mal=2.2"), ("economy-investments", "/ekonomi?tabell=investeringar"),
          ("economy-budget", "/ekonomi?visa=budget"), ("economy-reconciliation", "/ekonomi?tabell=drift&visa=avstamning"),
          ("comparisons-index", "/jamforelsetal?index=1&period=2019-2020")]

# The charts a reader meets: a phone's layout beside a chart (ui.show_chart's narrow) is hidden where the other shows,
# and the caption follows the box that holds both.
CHARTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).filter((chart) =>
    chart.getClientRects().length > 0).map((chart) => {
  const doc = chart.matches('[role="graphics-document"]') ? chart : chart.querySelector('[role="graphics-document"]');
  const dual = chart.closest('[class*="st-key-DUAL_PREFIX"]');
  const box = dual ? dual.parentElement : (chart.closest('.stElementContainer') || chart);
  const next = box.nextElementSibling;
  const hidden = next ? next.querySelector('.SR_ONLY') : null;
  return {alt: doc ? (doc.getAttribute('aria-label') || '') : '',
          caption: next && next.querySelector('[data-testid="stCaptionContainer"]') ? next.innerText.trim() : '',
          described: hidden ? hidden.textContent : null,
          described_size: hidden ? [hidden.getBoundingClientRect().width, hidden.getBoundingClientRect().height] : null};
})""".replace("SR_ONLY", ui.SR_ONLY).replace("DUAL_PREFIX", ui.display.DUAL_PREFIX)


@pytest.fixture(scope="module")
def axe_source() -> str:
    return get_axe_source()


def _open_expanders(page) -> None:
    """Open every closed expander, so the table twins inside are scanned too; a chart's "Visa som tabell och ladda
    ner" makes its content when opened, so each such click waits for that rerun to be drawn."""
    closed = main_area(page).locator("[data-testid=stExpander] details:not([open]) > summary")
    for _ in range(closed.count()):
        summary = closed.first
        made_when_opened = summary.evaluate(f"s => !!s.closest('[class*=\"st-key-{ui.MORE_PREFIX}\"]')")
        if made_when_opened:
            wait_rerun(page, summary.click)
        else:
            summary.click()
    page.wait_for_timeout(300)


@pytest.mark.parametrize(("name", "path"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_has_no_serious_violation_of_our_own(app_server, new_page, axe_source, name, path):
    page = new_page()
    goto_rendered(page, app_server.url_for(path))
    assert exception_texts(page) == []
    # Keyboard: every visible control of the view (main area and sidebar) is reached with Tab.
    missed = get_controls_missed_by_tab(page)
    assert not missed, f"not reachable with Tab on {path}: {missed}"
    _open_expanders(page)
    result = run_axe(page, axe_source)
    new = get_new_violations(result)
    print(f"{name}: axe-core {result['version']}; moderate/minor: {get_minor_violations(result) or 'none'}")
    assert not new, f"axe-core {result['version']} on {path}:\n" + "\n".join(new)
    assert get_low_contrast_chart_texts(page) == []
    for chart in page.evaluate(CHARTS_JS):
        # A text alternative of its own (not Vega's default), and the caption with the key figures right below.
        assert len(chart["alt"]) > 20 and "vega" not in chart["alt"].lower(), chart
        assert chart["caption"], chart
        if chart["described"] is not None:  # a chart redrawn by a widget: its description follows, for screen readers
            assert len(chart["described"]) > 20 and max(chart["described_size"]) <= 1, chart
    if name not in PAGE_KEYS:  # the pages' default views are photographed by test_pages.py
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            screenshot_full(page, get_screenshot_dir() / f"{name}_{width}x{height}.png")


def test_statement_names_the_known_gaps_the_tools_and_how_to_report(app_server, new_page, axe_source):
    page = new_page()
    goto_rendered(page, app_server.url_for("/tillganglighet"))
    version = run_axe(page, axe_source, tags=["wcag2a"])["version"]
    text = main_text(page)
    assert f"axe-core {version}" in text, "update a11y.tested.axe (and the date) after upgrading axe-core"
    assert "delvis förenlig" in text
    links = main_area(page).locator("a").evaluate_all("links => links.map(a => a.href)")
    for known in (*KNOWN_STREAMLIT_VIOLATIONS, *KNOWN_STREAMLIT_GAPS):
        assert known.issue in links, f"{known.issue} ({known.why}) is not on the page Tillgänglighet"
    digg = main_area(page).get_by_role("link", name="digg.se/tdosanmalan")
    expect(digg).to_have_attribute("href", "https://www.digg.se/tdosanmalan")
    assert "kommunledningskontoret i Timrå kommun" in text
    # No invented contact details: no e-mail address and no phone number.
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text)
    assert not re.search(r"\b0\d{1,3}[- ]?\d{2,3}[ ]?\d{2}[ ]?\d{2}\b", text)


def _chart_texts(page) -> str:
    return " ".join(main_area(page).locator("[data-testid=stVegaLiteChart] svg text").all_text_contents())


BADGE_TEXT = re.compile(r"^(Rapporten|Styrtalen): [✔◐✖○–] \S")


def test_status_is_never_told_by_colour_alone(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url_for("/mal?mal=2.2"))
    badges = main_area(page).locator("[data-testid=stMarkdownContainer] span").filter(
        has_text=re.compile(r"^(Rapporten|Styrtalen): ")).all_inner_texts()
    assert len(badges) == 22, badges
    assert all(BADGE_TEXT.match(b) for b in badges), badges
    assert "✖ Ej nått" in _chart_texts(page)  # the goal chart's legend: symbol and word next to the shape
    goto_rendered(page, app_server.url_for("/aktiviteter"))
    for label in ("✔ Genomfört", "➤ Påbörjat, enl plan", "⚠ Påbörjat med avvikelse", "– Ingen status angiven"):
        assert label in _chart_texts(page)
    goto_rendered(page, app_server.url_for("/ekonomi"))
    assert "◆ över gränsen" in _chart_texts(page)
