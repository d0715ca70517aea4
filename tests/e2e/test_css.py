"""Every CSS selector of ours (ui/assets/*.css) matches something on some page: many name Streamlit's own markup
(``data-testid``s, ``st-key-`` classes), which a Streamlit upgrade may rename without a word, leaving a rule that
silently does nothing. The views visited are every page, a goal opened, every Ekonomi part, a search, every
presentation screen with and without its QR code, at two widths; a selector that matches in none of them fails here,
naming its file. Streamlit's chrome that shows only in some states (ONLY_SOMETIMES) is checked instead against the
frontend Streamlit ships: each ``data-testid`` it names must still be in it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from ks_data import schema as s
from ks_data.views import presentation
from tests.e2e.browser_util import goto_rendered, open_page
from tests.e2e.page_util import get_screen_path
from tests.helpers import real_table
from ui.assets import ASSETS_DIR

# States no page is in while nobody touches it: a selector is checked without them (":hover" of a button).
DYNAMIC = re.compile(r":(hover|focus-visible|focus|active)\b")
PAGE_PATHS = ["/", "/mal", "/mal?mal=2.1", "/ekonomi", "/ekonomi?visa=budget", "/ekonomi?visa=avstamning",
              "/jamforelsetal", "/aktiviteter", "/om_data", "/tillganglighet", "/sok?q=budget"]
# Selectors of Streamlit's chrome that no visited view shows, with the state that shows it.
ONLY_SOMETIMES = {
    '[data-testid="stExpandSidebarButton"]': "the sidebar's open button, shown only while the sidebar is collapsed",
    '[data-testid="stStatusWidget"]': "the running indicator, shown only while a run takes long",
}
STREAMLIT_STATIC = Path(streamlit.__file__).resolve().parent / "static"
# Selectors matched in the browser; a selector that is not valid CSS counts as matching nothing.
MATCHED_JS = """selectors => selectors.filter(sel => {
  try { return document.querySelectorAll(sel).length > 0; } catch (e) { return false; }
})"""


# A pseudo-element (::before) is drawn, not in the document: the element it belongs to is what must be there.
PSEUDO_ELEMENT = re.compile(r"::[\w-]+")


def _split_list(head: str) -> list[str]:
    """Split a selector list at its commas, not at those inside parentheses (:not(h1, h2))."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(head):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(head[start:i])
            start = i + 1
    return parts + [head[start:]]


def get_selectors(css: str) -> list[str]:
    """Return each selector of a style sheet once (comma lists split, comments, dynamic states and pseudo-elements
    removed; the rules inside @media and @container blocks are read as the others)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for head in re.findall(r"([^{}]+)\{", css):
        if head.strip().startswith("@"):
            continue
        for selector in _split_list(head):
            selector = PSEUDO_ELEMENT.sub("", DYNAMIC.sub("", " ".join(selector.split())))
            if selector and selector not in out:
                out.append(selector)
    return out


def test_get_selectors_splits_lists_and_drops_comments_and_dynamic_states():
    css = "/* a, b { */ .x:hover, [data-testid=\"y\"] > .z { color: red; }\n.x { margin: 0; }"
    assert get_selectors(css) == [".x", '[data-testid="y"] > .z']


def test_get_selectors_reads_inside_media_blocks_and_keeps_parenthesised_lists_whole():
    css = "@media (max-width: 640px) {\n  .a *:not(h1, h2) { x: 1; }\n  .t td::before { y: 2; }\n}\n@container (max-width: 600px) { .b { z: 3; } }"
    assert get_selectors(css) == [".a *:not(h1, h2)", ".t td", ".b"]


SHEETS = {path.name: get_selectors(path.read_text(encoding="utf-8")) for path in sorted(ASSETS_DIR.glob("*.css"))}


def _visited_paths() -> list[str]:
    screens = presentation.get_screens(real_table(s.GOALS))
    return PAGE_PATHS + [get_screen_path(sc, qr) for qr in (False, True) for sc in screens]


@pytest.fixture(scope="module")
def matched(app_server, browser) -> set[str]:
    """The selectors of every sheet that match something in at least one visited view (two widths, so that a
    table that scrolls only in a narrow column is seen)."""
    wanted = sorted({sel for sels in SHEETS.values() for sel in sels})
    found: set[str] = set()
    for viewport in ((1366, 768), (1024, 768)):
        page = open_page(browser, viewport=viewport)
        try:
            for path in _visited_paths():
                # Once every selector that must match has matched, more views cannot change the verdict.
                if all(sel in found or sel in ONLY_SOMETIMES for sel in wanted):
                    return found
                goto_rendered(page, app_server.url_for(path))
                page.wait_for_timeout(200)  # document.js marks scroll boxes after the run
                found |= set(page.evaluate(MATCHED_JS, [sel for sel in wanted if sel not in found]))
        finally:
            page.context.close()
    return found


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_every_selector_of_ours_matches_something_on_some_page(matched, sheet):
    missing = [sel for sel in SHEETS[sheet] if sel not in matched and sel not in ONLY_SOMETIMES]
    assert missing == [], f"ui/assets/{sheet}: these selectors match nothing on any page (renamed by Streamlit?): {missing}"



def _frontend_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in STREAMLIT_STATIC.rglob("*.js"))


def test_the_chrome_shown_only_sometimes_is_still_in_streamlits_frontend():
    frontend = _frontend_text()
    ours = {sel for sels in SHEETS.values() for sel in sels}
    assert set(ONLY_SOMETIMES) <= ours, "ONLY_SOMETIMES names a selector no style sheet has any more"
    for selector in ONLY_SOMETIMES:
        for testid in re.findall(r'data-testid="([^"]+)"', selector):
            assert testid in frontend, f"{selector}: Streamlit's frontend has no data-testid {testid} any more"
