"""Driving KS-utforskaren's pages as a user would, and reading back what a page shows.

Used by test_pages.py, test_links.py, test_keyboard.py and test_a11y.py. Widgets are found by their
visible label, the way a user (or a screen reader) finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ks_data import routes
from ks_data import schema as s
from ks_data.views import presentation
from tests.e2e.browser_util import wait_rendered, wait_rerun
from tests.e2e.layout_util import CLIP_OF_JS
from ui.presentation import get_screen_params

SPACES = "\u00a0\u202f"


def get_page_path(page_key: str) -> str:
    """The URL path of the page ``page_key`` (a ``routes`` page key), from the route table: "/" for the overview."""
    return "/" + routes.ROUTE_BY_KEY[page_key].path


def get_screen_path(screen: presentation.Screen, qr: bool = False) -> str:
    """The address of a presentation screen, with its QR code shown if ``qr`` (the parameters the app itself writes,
    ui.presentation.get_screen_params)."""
    params = {routes.PRESENTATION: ["1"]} | get_screen_params(screen.slug, qr)
    return f"{get_page_path(screen.page_key)}?{urlencode(params, doseq=True)}"


def get_chart_screens(screens: list[presentation.Screen]) -> list[presentation.Screen]:
    """The screens of ``screens`` that draw a chart: the two made from the net costs."""
    return [screen for screen in screens if screen.tables == (s.NET_COSTS,)]

# Every visible element that draws text of its own (a non-blank text node child), chart text in the SVG included:
# its computed font size and whether it reaches past the window's right edge.
TEXT_JS = "() => {\n" + CLIP_OF_JS + r"""
  const out = [];
  const all = document.querySelectorAll('body *');
  for (const e of all) {
    const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const rect = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    if (e.closest('[data-testid="stSidebar"], [aria-hidden="true"], script, style, title, desc')) continue;
    const clip = e.closest('.sr-only, [data-testid="stSkipLink"]');
    if (clip || (rect.width <= 1 && rect.height <= 1)) continue;
    const inSvg = !!e.closest('svg');
    // Cut short: an ellipsis drawn by CSS (text wider than its box) or written into the chart's text by Vega.
    // Inline text (a key figure's <p>) is cut by the box around it.
    const box = style.display === 'inline' ? e.parentElement : e;
    // Text that runs out of a box which hides what overflows (a key figure's card) is cut too, though no box of its
    // own overflows; inside a box that scrolls (a wide table) it can be scrolled to.
    const clipped = !inSvg && clipOf(e, rect).cut;
    const cut = inSvg ? e.textContent.trim().endsWith('…')
      : clipped || (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1
         && (box !== e.parentElement || getComputedStyle(box).textOverflow === 'ellipsis'));
    out.push({text: e.textContent.trim().slice(0, 60), tag: e.tagName, size: parseFloat(style.fontSize),
              right: rect.right, svg: inSvg, cut});
  }
  return {texts: out, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
          mainScroll: (document.querySelector('[data-testid="stMain"]') || {}).scrollWidth,
          mainWidth: (document.querySelector('[data-testid="stMain"]') || {}).clientWidth,
          mainHeight: (document.querySelector('[data-testid="stMain"]') || {}).scrollHeight};
}"""

# The text boxes in each chart of the main area that overlap another text of the same chart (a value label on a
# value label, a year on a year): {chart index: [[text, text], ...]}.
CHART_TEXT_OVERLAP_JS = r"""() => {
  const out = {};
  document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').forEach((svg, i) => {
    // Vega hides an axis label that would overlap its neighbour by making it transparent: only drawn text counts.
    const boxes = [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent.trim() && t.closest('[opacity="0"]') === null && getComputedStyle(t).opacity !== '0')
      .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    const hits = [];
    for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
      const [ta, ra] = boxes[a], [tb, rb] = boxes[b];
      const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      // A title's line box reaches a pixel or two into its subtitle's; drawn text on text overlaps by more.
      if (x > 3 && y > 3) hits.push([ta, tb]);
    }
    if (hits.length) out[i] = hits;
  });
  return out;
}"""


@dataclass(frozen=True)
class PageCase:
    """One page of the app: where it is, its heading and key figures in the default view."""

    key: str
    path: str
    heading: str
    figures: tuple[str, ...] = field(default=())


PAGE_CASES = {
    "overview": PageCase("overview", "/", "Översikt",
                         ("−104 869 tkr", "+677 tkr", "11 595 tkr", "Utfallet blev 677 tkr bättre än budget.",
                          "Uppfyllt: 3")),
    "goals": PageCase("goals", "/mal", "Mål och styrtal",
                      ("11 av 11 mål visas.", "1.3 Medborgarna anser att Timrå erbjuder livskvalitet och service",
                       "Styrtalen: ✖ Ej uppfyllt")),
    "economy": PageCase("economy", "/ekonomi", "Ekonomi",
                        ("Nettokostnad per verksamhet 2020", "−105 546 tkr", "−104 869 tkr", "+677 tkr",
                         "0,6 % bättre än budget")),
    "comparisons": PageCase("comparisons", "/jamforelsetal", "Jämförelsetal",
                            ("Räddningstjänsten, kostnader i kr per invånare minskade med 0,9 % från 2018 till 2020.",
                             "Färdtjänst, antal enkelresor minskade med 43,9 % från 2018 till 2020.")),
    "activities": PageCase("activities", "/aktiviteter", "Aktiviteter",
                           ("8 av 8 aktiviteter visas.", "Timrå i framkant för obrutna flöden")),
    "about": PageCase("about", "/om_data", "Om data",
                      ("Validering: 0 fel, 0 varningar.", "32 kontroller, 7 skillnader")),
    "accessibility": PageCase("accessibility", "/tillganglighet", "Tillgänglighetsredogörelse",
                              ("delvis förenlig", "axe-core 4.12.1", "7 december 2026", "digg.se/tdosanmalan")),
}


def get_page_case(key: str, url_path: str, heading: str) -> PageCase:
    """The case for a page of ui.PAGES; a page added by someone else gets a bare case (heading only)."""
    return PAGE_CASES.get(key) or PageCase(key, "/" + url_path, heading)


def text_pattern(text: str) -> re.Pattern:
    """A pattern for ``text`` in which every space also matches a no-break or narrow no-break space."""
    return re.compile(re.sub(r"\\ ", f"[\\\\s{SPACES}]", re.escape(text)))


def main_area(page: Page) -> Locator:
    """The app's main area (not the sidebar)."""
    return page.locator("[data-testid=stMain]")


def expect_text(page: Page, text: str, timeout: float = 10000) -> None:
    """Fail unless ``text`` is visible somewhere in the main area."""
    expect(main_area(page).get_by_text(text_pattern(text)).filter(visible=True).first).to_be_visible(timeout=timeout)


def main_text(page: Page) -> str:
    """The visible text of the main area, with no-break spaces as spaces."""
    return re.sub(f"[{SPACES}]", " ", main_area(page).inner_text())


def heading_texts(page: Page, level: str = "h1") -> list[str]:
    """Texts of the main area's headings of one level, as read: without the soft hyphens that mark where a long word
    may break."""
    return [t.replace("\u00ad", "").strip() for t in main_area(page).locator(level).all_inner_texts()]


def widget(page: Page, testid: str, label: str) -> Locator:
    """The widget with data-testid ``testid`` whose label is exactly ``label``."""
    labels = page.locator("[data-testid=stWidgetLabel]").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator(f"[data-testid={testid}]").filter(has=labels)


def selectbox_value(page: Page, label: str) -> str:
    """The option a selectbox shows."""
    return widget(page, "stSelectbox", label).locator("input").input_value()


def slider_value(page: Page, label: str) -> str:
    """A slider's value as shown on its thumb(s): "5", or "2019–2020" for a range."""
    thumbs = widget(page, "stSlider", label).locator("[data-testid=stSliderThumbValue]").all_inner_texts()
    return "–".join(t.strip() for t in thumbs)


def toggle_input(page: Page, label: str) -> Locator:
    """The switch input of a toggle."""
    return page.get_by_role("switch", name=label)


def choose_option(page: Page, label: str, option: str) -> None:
    """Open a selectbox with the mouse, click ``option`` and wait for the rerun.

    The list only renders the options in view; one further down is found by typing, as a user would.
    """
    box = widget(page, "stSelectbox", label).locator("input")
    box.click()
    choice = page.get_by_role("option", name=option, exact=True)
    try:
        choice.wait_for(timeout=2000)
    except PlaywrightTimeoutError:
        box.fill(option)
    wait_rerun(page, choice.click)
    expect(widget(page, "stSelectbox", label).locator("input")).to_have_value(option)


ACTIVE_OPTION_JS = """() => {
  const e = document.activeElement;
  const id = e && e.getAttribute('aria-activedescendant');
  const option = id && document.getElementById(id);
  return option ? option.innerText.trim() : null;
}"""


def choose_segment(page: Page, label: str, option: str) -> None:
    """Click ``option`` of the segmented control labelled ``label``, wait for the rerun and check it is chosen."""
    button = page.get_by_role("radiogroup", name=label, exact=True).get_by_role("radio", name=option, exact=True)
    wait_rerun(page, button.click)
    expect(button).to_have_attribute("aria-checked", "true")


def choose_option_by_keyboard(page: Page, option: str, key: str = "ArrowDown", prefix: bool = False,
                              max_steps: int = 30) -> None:
    """With a selectbox focused: ``key`` (ArrowDown or ArrowUp) opens it and moves to ``option`` (or the first
    option starting with it, when ``prefix``); Enter chooses it and the rerun is awaited."""
    for _ in range(max_steps):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE_OPTION_JS) or ""
        if active == option or (prefix and active.startswith(option)):
            wait_rerun(page, lambda: page.keyboard.press("Enter"))
            return
    raise AssertionError(f"option {option!r} not reached with {key}; last: {page.evaluate(ACTIVE_OPTION_JS)!r}")


# What has the keyboard focus: enough to recognise a control by its name, as a screen reader announces it.
FOCUS_JS = """() => {
  const e = document.activeElement || document.body;
  const owner = e.closest('[data-testid]');
  return {tag: e.tagName, role: e.getAttribute('role') || '', label: e.getAttribute('aria-label') || '',
          text: (e.innerText || '').trim().slice(0, 120), testid: owner ? owner.dataset.testid : '',
          sidebar: !!e.closest('[data-testid="stSidebar"]'), type: e.getAttribute('type') || '',
          scrollBox: e.hasAttribute('data-ks-scroll'), mark: e.getAttribute('data-ks-kb') || ''};
}"""


def focused(page: Page) -> dict:
    """A description of the element that has the keyboard focus (see FOCUS_JS)."""
    return page.evaluate(FOCUS_JS)


def tab_to(page: Page, predicate, max_tabs: int = 150, key: str = "Tab") -> dict:
    """Press Tab (or ``key``) until the focused element satisfies ``predicate``; return its description."""
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        now = focused(page)
        if predicate(now):
            return now
        seen.append(now["label"] or now["text"][:30] or now["tag"])
    raise AssertionError(f"not reached with {key} in {max_tabs} presses; passed: {seen}")


def drag_slider(page: Page, label: str, fraction: float, thumb: int = 0) -> None:
    """Drag a slider's thumb with the mouse to ``fraction`` (0..1) of its track and wait for the rerun."""
    box = widget(page, "stSlider", label)
    track = box.locator("[role=group]").first.bounding_box()
    handle = box.locator("[data-testid=stSliderThumbValue]").nth(thumb).locator("..").bounding_box()
    start_x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    target_x = track["x"] + track["width"] * fraction

    def drag() -> None:
        page.mouse.move(start_x, y)
        page.mouse.down()
        page.mouse.move(target_x, y, steps=8)
        page.mouse.up()

    wait_rerun(page, drag)


def press_on_slider(page: Page, label: str, key: str, times: int = 1, thumb: int = 0) -> None:
    """Focus a slider's thumb and press ``key`` ``times`` times; wait until the last rerun is rendered."""
    handle = widget(page, "stSlider", label).locator("input[type=range]").nth(thumb)
    handle.focus()
    for _ in range(times):
        wait_rerun(page, lambda: page.keyboard.press(key))


def wait_url(page: Page, pattern: str, timeout_s: float = 10) -> str:
    """Poll the address bar until it matches ``pattern``; return it. The app rewrites it shortly after a run."""
    page.wait_for_function("re => new RegExp(re).test(location.href)", arg=pattern, timeout=timeout_s * 1000)
    return page.evaluate("location.href")


# Everything a user reads as the state of a view: widget values and the figures, headings, captions,
# chart descriptions and tables of the main area. The share link in the sidebar (it names the server) is left out.
VIEW_JS = r"""() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const text = (e) => (e ? e.innerText : '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
  const label = (w) => text(w.querySelector('[data-testid="stWidgetLabel"]'));
  const widgets = [];
  main.querySelectorAll('[data-testid="stSelectbox"]').forEach((w) =>
    widgets.push(`select ${label(w)} = ${w.querySelector('input').value}`));
  main.querySelectorAll('[data-testid="stSlider"]').forEach((w) =>
    widgets.push(`slider ${label(w)} = ${Array.from(w.querySelectorAll('[data-testid="stSliderThumbValue"]')).map(text).join('-')}`));
  main.querySelectorAll('[data-testid="stCheckbox"] input').forEach((i) =>
    widgets.push(`toggle ${i.getAttribute('aria-label')} = ${i.checked}`));
  main.querySelectorAll('[data-testid="stRadio"]').forEach((w) => {
    const checked = w.querySelector('input:checked');
    widgets.push(`radio ${label(w)} = ${checked ? text(checked.closest('label')) : ''}`);
  });
  main.querySelectorAll('[data-testid="stTextInput"] input').forEach((i) =>
    widgets.push(`text ${i.getAttribute('aria-label')} = ${i.value}`));
  const figures = [];
  main.querySelectorAll('h1, h2, h3, [data-testid="stMetric"], [data-testid="stCaptionContainer"], .ks-table, [data-testid="stAlert"]')
    .forEach((e) => figures.push(text(e)));
  main.querySelectorAll('[data-testid="stVegaLiteChart"][role="graphics-document"]').forEach((e) =>
    figures.push(`chart: ${e.getAttribute('aria-label')}`));
  return {widgets, figures};
}"""


def read_view(page: Page) -> dict[str, list[str]]:
    """The widget values and the figures the main area shows (see VIEW_JS)."""
    wait_rendered(page)
    return page.evaluate(VIEW_JS)


def goal_card(scope, goal_id: str):
    """Return the goal's card in Mål's list: a button named by the goal's number, title and statuses."""
    return scope.get_by_role("button", name=re.compile(f"^{re.escape(goal_id)} "))


def open_goal_with_button(page: Page, goal_id: str) -> None:
    """Click the goal's card in the list and wait until the goal's heading is shown."""
    wait_rerun(page, goal_card(page, goal_id).click)
    expect(main_area(page).locator("h2").filter(has_text=re.compile(f"^{re.escape(goal_id)} "))).to_be_visible()


# Every visible control, in the main area and the sidebar, gets a mark; then Tab goes round the page once.
# A radio group is one tab stop (its checked option); the other options are reached with the arrow keys.
MARK_CONTROLS_JS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const controls = Array.from(document.querySelectorAll(sel)).filter((e) => {
    if (e.disabled || e.getAttribute('tabindex') === '-1' || e.type === 'hidden') return false;
    if (!e.closest('[data-testid="stMain"], [data-testid="stSidebar"]')) return false;
    if (e.type === 'radio' && !e.checked && e.closest('[role="radiogroup"]')?.querySelector('input:checked')) return false;
    // A segmented control's options are a radio group too: Tab reaches one of them (Streamlit's: the first), the
    // arrow keys the others. The group is one control, named by its first option and reached with any of them.
    const group = e.getAttribute('role') === 'radio' && e.closest('[role="radiogroup"]');
    if (group && group.querySelector('[role="radio"]') !== e) return false;
    if (e.closest('details:not([open]) > :not(summary)')) return false;
    return e.checkVisibility ? e.checkVisibility() : !!e.offsetParent;  // hover-only (visibility: hidden) counts too
  });
  controls.forEach((e, i) => {
    const group = e.getAttribute('role') === 'radio' && e.closest('[role="radiogroup"]');
    (group ? group.querySelectorAll('[role="radio"]') : [e]).forEach((m) => m.setAttribute('data-ks-kb', String(i)));
  });
  return controls.map((e) => e.getAttribute('aria-label') || (e.innerText || '').trim().slice(0, 50) || e.tagName);
}"""


def get_controls_missed_by_tab(page: Page) -> list[str]:
    """Go round the page once with Tab; return the names of visible controls that never got the focus."""
    page.wait_for_timeout(300)  # the wide-table fix (ui/assets/document.js) runs on the next animation frame
    names = page.evaluate(MARK_CONTROLS_JS)
    assert names, "no controls found"
    page.evaluate("""() => {
      window.__ksFocused = new Set();
      document.addEventListener('focusin', (ev) => {
        const mark = ev.target.getAttribute && ev.target.getAttribute('data-ks-kb');
        if (mark) window.__ksFocused.add(mark);
      }, true);
      document.activeElement && document.activeElement.blur();
    }""")
    for _ in range(len(names) + 25):  # the controls plus a few other stops (skip link, main area)
        page.keyboard.press("Tab")
    reached = set(page.evaluate("() => Array.from(window.__ksFocused)"))
    return [names[i] for i in range(len(names)) if str(i) not in reached]
