"""Search in a real browser: a hit is highlighted and its link opens the goal where the word stands."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_util import exception_texts, goto_rendered, wait_rendered, wait_rerun


def test_search_hit_links_to_the_goal_where_the_word_stands(app_server, new_page):
    page = new_page()
    goto_rendered(page, app_server.url + "/sok?q=Greta")
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text("1 träff för \"Greta\"")).to_be_visible()
    expect(main.get_by_text("Mål 1.3 › Analys")).to_be_visible()
    # The match is bold on a coloured background, so it does not rely on colour alone.
    marked = main.locator(".stMarkdownColoredBackground strong")
    expect(marked).to_have_text("Greta")

    wait_rerun(page, lambda: main.get_by_role("link", name="Gå till mål 1.3").click())
    wait_rendered(page, wait_for="[data-testid=stHeading]")
    page.wait_for_function("() => /\\/mal\\?(.*&)?mal=1\\.3/.test(location.href)", timeout=10000)
    expect(page.get_by_role("heading", name=re.compile(r"^1\.3 Medborgarna anser"))).to_be_visible()
    expect(page.get_by_text("Greta-effekt", exact=False)).to_be_visible()
    assert exception_texts(page) == []
    assert page.console_errors == [] and page.page_errors == []


# For each marked part, the gap in px to the letter right before and right after it, where the mark stands inside a
# word; a space or punctuation next to it is not measured.
WORD_GAPS_JS = """() => {
  const letter = /\\p{L}/u;
  const gaps = [];
  for (const mark of document.querySelectorAll('[data-testid="stMain"] .stMarkdownColoredBackground')) {
    const box = (mark.querySelector("strong") || mark).getBoundingClientRect();  // the marked letters, not its padding
    const side = (node, last) => {
      if (!node || node.nodeType !== Node.TEXT_NODE || !node.textContent) return;
      const i = last ? node.textContent.length - 1 : 0;
      if (!letter.test(node.textContent[i])) return;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const char = range.getBoundingClientRect();
      gaps.push(last ? box.left - char.right : char.left - box.right);
    };
    side(mark.previousSibling, true);
    side(mark.nextSibling, false);
  }
  return gaps;
}"""


@pytest.mark.parametrize("query", ["budget", "processen"])  # "budget|erat", "budget|processen"
def test_a_hit_inside_a_word_is_marked_without_splitting_the_word(app_server, new_page, query):
    # Streamlit pads a coloured background 4 px on each side: "budgeterat" read as "budget erat" on a phone.
    page = new_page(viewport=(390, 844))
    goto_rendered(page, app_server.url_for(f"/sok?q={query}"))
    gaps = page.evaluate(WORD_GAPS_JS)
    assert gaps and max(gaps) <= 1, gaps
