"""axe-core in the browser, the allow-list of violations Streamlit itself causes, and checks axe cannot make.

axe-core comes from the axe-playwright-python wheel (axe.min.js). It is injected into every frame,
because axe only descends into iframes that have it loaded too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("critical", "serious")


def get_axe_source() -> str:
    """The axe.min.js shipped with axe-playwright-python."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class KnownViolation:
    """A violation that comes from Streamlit itself and cannot be fixed from the app."""

    rule: str
    target: re.Pattern  # matched against the node's CSS selector path
    issue: str  # the upstream issue
    why: str


# Violations Streamlit causes that the app cannot fix. Each is listed on the page Tillgänglighet with its issue.
# Empty at Streamlit 1.67: the only WCAG A/AA violations axe finds in our views come from our own content and
# are fixed (see ui/assets/document.css and ks_data.charts.CHART_TEXT_COLOR). A new one fails the test until it is
# fixed or, if Streamlit causes it, added here with the upstream issue.
KNOWN_STREAMLIT_VIOLATIONS: tuple[KnownViolation, ...] = ()

# Known gaps axe cannot see, found by hand and listed on the page Tillgänglighet (rule = WCAG criterion).
KNOWN_STREAMLIT_GAPS: tuple[KnownViolation, ...] = (
    KnownViolation("3.1.2", re.compile("."), "https://github.com/streamlit/streamlit/issues/1353",
                   "Streamlit's own labels are English: Skip to main content, Main menu, Help, Show data, Fullscreen"),
    KnownViolation("3.1.1", re.compile("html"), "https://github.com/streamlit/streamlit/issues/8399",
                   "<html lang=\"en\"> is hard-coded; the app sets it to sv after load (also streamlit#15726)"),
    KnownViolation("4.1.2", re.compile("stBaseButton-elementToolbar"),
                   "https://github.com/streamlit/streamlit/issues/16148",
                   "the chart toolbar's Fullscreen button label is not announced by Windows screen readers"),
    KnownViolation("2.1.1", re.compile("stDataFrame"), "https://github.com/streamlit/streamlit/issues/13332",
                   "st.dataframe (tables over 40 rows) draws on a canvas; its column menu is not keyboard reachable"),
)

AXE_RUN_JS = """async ([tags]) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']});
  const nodes = (v) => v.nodes.map(n => ({target: n.target.flat().join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary || ''}));
  return {version: r.testEngine.version,
          violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags, nodes: nodes(v)})),
          incomplete: r.incomplete.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: nodes(v)}))};
}"""


def run_axe(page: Page, axe_source: str, tags: list[str] | None = None) -> dict:
    """Inject axe-core into every frame of ``page`` and run it on the document with the WCAG 2.2 A/AA rules."""
    for frame in page.frames:
        try:
            if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
                frame.add_script_tag(content=axe_source)
        except Exception:  # noqa: BLE001 - a detached or sandboxed frame; the top frame is still scanned
            continue
    return page.evaluate(AXE_RUN_JS, [tags or WCAG_TAGS])


def get_known(rule: str, target: str) -> KnownViolation | None:
    """The allow-list entry for a violating node, or None."""
    for known in KNOWN_STREAMLIT_VIOLATIONS:
        if known.rule == rule and known.target.search(target):
            return known
    return None


def get_new_violations(result: dict) -> list[str]:
    """Critical and serious violations not on the allow-list, one line per node."""
    out = []
    for violation in result["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            if get_known(violation["id"], node["target"]) is None:
                out.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}\n"
                           f"    {node['target']}\n    {node['html'][:200]}\n    {node['summary'][:300]}")
    return out


def get_minor_violations(result: dict) -> list[str]:
    """Moderate and minor violations, for the log (they do not fail the test)."""
    return [f"[{v['impact']}] {v['id']} x{len(v['nodes'])}" for v in result["violations"]
            if v["impact"] not in FAILING_IMPACTS]


# axe reports SVG text in charts as "incomplete" for colour contrast (it cannot see the background), so the
# chart text is measured here: every visible text of a chart against the white page, >= 4.5:1 (WCAG 1.4.3).
CHART_TEXT_COLORS_JS = """() => {
  const out = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text').forEach((t) => {
    const style = getComputedStyle(t);
    if (style.visibility === 'hidden' || style.display === 'none' || !t.textContent.trim()) return;
    if (parseFloat(t.getAttribute('opacity') ?? style.opacity) === 0) return;
    if (parseFloat(t.getAttribute('fill-opacity') ?? 1) === 0) return;
    out.push({text: t.textContent.trim().slice(0, 40), fill: style.fill, size: parseFloat(style.fontSize),
              weight: style.fontWeight});
  });
  return out;
}"""


def parse_rgb(color: str) -> tuple[float, float, float]:
    """(r, g, b) of a computed CSS colour "rgb(1, 2, 3)" or "rgba(...)"."""
    values = [float(v) for v in re.findall(r"[\d.]+", color)[:3]]
    return values[0], values[1], values[2]


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: tuple[float, float, float], background: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two colours (1..21)."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def get_low_contrast_chart_texts(page: Page, background: tuple[float, float, float] = (255, 255, 255)) -> list[str]:
    """Chart texts whose contrast on the page background is below WCAG AA (4.5:1, or 3:1 for large text)."""
    low = []
    for item in page.evaluate(CHART_TEXT_COLORS_JS):
        bold = item["weight"] in ("bold", "700", "800", "900")
        needed = 3.0 if item["size"] >= 24 or (bold and item["size"] >= 18.66) else 4.5
        ratio = contrast_ratio(parse_rgb(item["fill"]), background)
        if ratio < needed:
            low.append(f"{item['text']!r}: {item['fill']} is {ratio:.2f}:1, needs {needed}:1")
    return low
