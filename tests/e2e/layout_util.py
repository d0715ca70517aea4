"""Device classes and layout measurements in the DOM: overlapping text boxes, sideways scroll, small touch targets and
small text (issue 18). Used by test_devices.py and scripts/screenshots.py --viewports."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page


@dataclass(frozen=True)
class Device:
    """A device class: its name, window size in CSS px, and whether it is a touch device with a mobile viewport."""

    name: str
    width: int
    height: int
    mobile: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in CSS px."""
        return self.width, self.height


PHONES = (Device("phone-360", 360, 740, True), Device("phone-390", 390, 844, True))
TABLETS = (Device("ipad-portrait", 820, 1180, True), Device("ipad-landscape", 1180, 820, True))
DESKTOPS = (Device("desktop-1024", 1024, 768), Device("projector-1280", 1280, 720),
            Device("desktop-1366", 1366, 768), Device("desktop-1920", 1920, 1080))
DEVICES = PHONES + TABLETS + DESKTOPS
DEVICE_BY_NAME = {d.name: d for d in DEVICES}

MIN_OVERLAP_PX = 4
MIN_TARGET_PX = 24
MIN_PHONE_TEXT_PX = 16

# A text's rectangle as drawn, for both instruments (LAYOUT_JS here, page_util.TEXT_JS): clipped by every box around
# it that does not show its overflow. ``cut`` when a box that hides its overflow (not one that scrolls) takes part of
# its width: a key figure wider than its card.
CLIP_OF_JS = r"""
  const clipOf = (e, rect) => {
    let r = {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom, cut: false};
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (st.overflowX !== 'visible' || st.overflowY !== 'visible') {
        const b = p.getBoundingClientRect();
        const hides = ['hidden', 'clip'].includes(st.overflowX);
        const cut = r.cut || (hides && (r.right > b.right + 1 || r.left < b.left - 1));
        r = {left: Math.max(r.left, b.left), right: Math.min(r.right, b.right),
             top: Math.max(r.top, b.top), bottom: Math.min(r.bottom, b.bottom), cut};
      }
    }
    return r;
  };
"""

# One pass over the document:
# - text boxes: every visible element with a text node of its own (its text's own rectangles, from a Range, so a
#   block's empty width does not count), chart text in an SVG included; two boxes overlap when both sides overlap by
#   more than minOverlap px and neither element contains the other. Text scrolled out of a scroll box (a wide table)
#   is not drawn where its rectangle is, so it is clipped to the box first.
# - sideways scroll: the document's and the main area's scroll width against their width.
# - touch targets: every visible link, button, form control or element with a tab stop, at its clickable box (a
#   hidden checkbox or radio by its label); a link inside running text is exempt (WCAG 2.5.8 "inline").
# - font sizes of the HTML text (the chart text is reported apart).
LAYOUT_JS = "([minOverlap, minTarget]) => {\n" + CLIP_OF_JS + r"""
  const visible = (e) => {
    if (e.closest('[aria-hidden="true"], script, style, title, desc, noscript')) return false;
    if (e.closest('.sr-only, .ks-sr-only, [data-testid="stSkipLink"], [data-testid="stSkipToContent"]')) return false;
    const sidebar = e.closest('[data-testid="stSidebar"]');
    if (sidebar && (sidebar.dataset.collapsed === 'true' || sidebar.getBoundingClientRect().right <= 0)) return false;
    if (e.closest('details:not([open]) > :not(summary)')) return false;
    return e.checkVisibility ? e.checkVisibility({opacityProperty: true, visibilityProperty: true}) : true;
  };
  const name = (e) => {
    const key = e.closest('[class*="st-key-"]');
    const k = key ? [...key.classList].find((c) => c.startsWith('st-key-')) : '';
    const tid = e.closest('[data-testid]');
    return `${e.tagName.toLowerCase()}${k ? '.' + k : ''}${tid ? '[' + tid.dataset.testid + ']' : ''}`;
  };
  const texts = [];
  for (const e of document.querySelectorAll('body *')) {
    const nodes = Array.from(e.childNodes).filter((n) => n.nodeType === 3 && n.textContent.trim());
    if (!nodes.length || !visible(e)) continue;
    const inSvg = !!e.closest('svg');
    if (inSvg && (e.closest('[opacity="0"]') || getComputedStyle(e).opacity === '0')) continue;
    const st = getComputedStyle(e);
    // A text's rectangle is its font's full glyph box; with a line height under it (a key figure's 1.15) the box
    // reaches past its line into the line above without any glyph drawn there: it is cut to the line's height.
    const lineHeight = inSvg ? NaN : parseFloat(st.lineHeight);
    const rects = [];
    for (const n of nodes) {
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width <= 1 || r.height <= 1) continue;
        const trim = lineHeight > 0 && r.height > lineHeight ? (r.height - lineHeight) / 2 : 0;
        rects.push(clipOf(e, {left: r.left, right: r.right, top: r.top + trim, bottom: r.bottom - trim}));
      }
    }
    const shown = rects.filter((r) => r.right - r.left > 1 && r.bottom - r.top > 1);
    if (!shown.length) continue;
    texts.push({el: e, text: e.textContent.trim().replace(/\s+/g, ' ').slice(0, 50), rects: shown, svg: inSvg,
                size: parseFloat(st.fontSize), where: name(e)});
  }
  // A word broken inside where nothing lets it break (not after a hyphen, dash, slash or soft hyphen): a box's
  // overflow-wrap: anywhere breaks a word too long for its line at any letter ("Tillgänglighetsred" / "ogörelse").
  // A web address may break anywhere.
  const broken = [];
  for (const t of texts) {
    if (t.svg || t.rects.length < 2) continue;
    for (const n of t.el.childNodes) {
      if (n.nodeType !== 3) continue;
      const words = /\S{2,}/g;
      let m;
      while ((m = words.exec(n.textContent))) {
        const word = m[0];
        if (word.includes('://')) continue;
        const range = document.createRange();
        range.setStart(n, m.index); range.setEnd(n, m.index + word.length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size < 2) continue;
        let top = null;
        for (let i = 0; i < word.length; i++) {
          range.setStart(n, m.index + i); range.setEnd(n, m.index + i + 1);
          // The letter after a soft hyphen that broke the line also has the drawn hyphen's box: its own is the last.
          const r = [...range.getClientRects()].filter((r) => r.width > 0).pop();
          if (!r) continue;
          if (top !== null && Math.abs(r.top - top) > 3) {
            if (!/[-\u2010\u2011\u2013\u2014\/\u00ad]/.test(word[i - 1])) broken.push(`${word.slice(0, i)} | ${word.slice(i)} (${t.where})`);
            break;
          }
          top = r.top;
        }
      }
    }
  }
  const overlaps = [];
  for (let a = 0; a < texts.length; a++) for (let b = a + 1; b < texts.length; b++) {
    const A = texts[a], B = texts[b];
    if (A.el.contains(B.el) || B.el.contains(A.el)) continue;
    // The lines of one chart label (tspans of one <text>): their glyph boxes touch by design of the line height.
    if (A.svg && B.svg && A.el.closest('text') && A.el.closest('text') === B.el.closest('text')) continue;
    let hit = false;
    for (const ra of A.rects) { for (const rb of B.rects) {
      const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (x > minOverlap && y > minOverlap) { hit = true; break; }
    } if (hit) break; }
    if (hit) overlaps.push(`${A.text} (${A.where}) × ${B.text} (${B.where})`);
  }
  const targets = [];
  const sel = 'a[href], button, input, select, textarea, summary, [role="button"], [role="tab"], [role="radio"], [role="switch"], [tabindex]:not([tabindex="-1"])';
  for (const e of document.querySelectorAll(sel)) {
    if (e.disabled || e.type === 'hidden' || !visible(e)) continue;
    if (e.closest('[data-testid="stVegaLiteChart"] svg')) continue;  // the chart itself, one target
    let box = e;
    if ((e.type === 'checkbox' || e.type === 'radio') && e.closest('label')) box = e.closest('label');
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (e.tagName === 'A') {
      const block = e.parentElement && e.parentElement.closest('p, li, td, span, div');
      const own = block ? block.textContent.replace(/\s+/g, ' ').trim() : '';
      const mine = e.textContent.replace(/\s+/g, ' ').trim();
      if (block && block.tagName !== 'DIV' && own.length > mine.length) continue;  // a link in running text
    }
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5)
      targets.push(`${(e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40)} (${name(e)}) ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  // A chart drawn wider than its box is cut off at the right edge.
  const cutCharts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].filter(visible).flatMap((c) => {
    const svg = c.querySelector('svg'); if (!svg) return [];
    const box = c.getBoundingClientRect(), drawn = svg.getBoundingClientRect();
    return drawn.width > 0 && (drawn.right > box.right + 1 || drawn.right > window.innerWidth + 1)
      ? [`${c.getAttribute('aria-label') || name(c)}`.slice(0, 60)] : [];
  });
  const main = document.querySelector('[data-testid="stMain"]');
  return {overlaps, targets, cutCharts, broken,
          small: texts.filter((t) => !t.svg).map((t) => [t.text, t.size, t.where]),
          chartSizes: texts.filter((t) => t.svg).map((t) => [t.text, t.size]),
          scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
          mainScroll: main ? main.scrollWidth : 0, mainWidth: main ? main.clientWidth : 0,
          beyond: texts.filter((t) => t.rects.some((r) => r.right > window.innerWidth + 1)).map((t) => t.text),
          cutShort: texts.filter((t) => !t.svg && t.rects.some((r) => r.cut)).map((t) => `${t.text} (${t.where})`)};
}"""


# Every text of every visible chart (its <text> element's box, all its lines): where it lies against the chart's own SVG
# and the window, its font size, and its content (Vega ends a label cut at its limit with "…").
CHART_TEXT_JS = r"""() => {
  const out = [];
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  for (const c of charts) {
    const svg = c.querySelector('svg');
    if (!svg || !(c.checkVisibility ? c.checkVisibility({visibilityProperty: true}) : true)) continue;
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const chart = (c.getAttribute('aria-label') || c.closest('[class*="st-key-"]')?.className || '').slice(0, 50);
    for (const e of svg.querySelectorAll('text')) {
      const text = e.textContent.replace(/\s+/g, ' ').trim();
      if (!text || e.closest('[opacity="0"]') || getComputedStyle(e).opacity === '0') continue;
      if (e.closest('[display="none"]')) continue;
      const r = e.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      const size = parseFloat(getComputedStyle(e).fontSize);
      // A text's box is its font's line box: across the line it reaches past the em box that Vega lays text out by
      // (by ~0.15 em on each side, where no glyph is drawn), so across the line a fifth of the size is let pass;
      // along the line, where a cut glyph is a cut word, 1 px.
      const rotated = /rotate\(\s*-?(90|270)/.test(e.getAttribute('transform') || '');
      const across = 0.2 * size + 1;
      const [dx, dy] = rotated ? [across, 1] : [1, across];
      out.push({chart, text: text.slice(0, 60), size,
                outside: r.left < box.left - dx || r.right > box.right + dx || r.top < box.top - dy || r.bottom > box.bottom + dy,
                beyond: r.left < -1 || r.right > window.innerWidth + 1,
                cut: text.endsWith('…'),
                where: `x ${Math.round(r.left)}–${Math.round(r.right)}, y ${Math.round(r.top)}–${Math.round(r.bottom)} of x ${Math.round(box.left)}–${Math.round(box.right)}, y ${Math.round(box.top)}–${Math.round(box.bottom)}`});
    }
  }
  return out;
}"""


def measure_chart_texts(page: Page) -> list[dict]:
    """Measure every text inside the page's visible charts (see CHART_TEXT_JS)."""
    return page.evaluate(CHART_TEXT_JS)


def measure_layout(page: Page) -> dict:
    """Measure the page's layout in the DOM (see LAYOUT_JS)."""
    return page.evaluate(LAYOUT_JS, [MIN_OVERLAP_PX, MIN_TARGET_PX])


def get_layout_problems(page: Page, device: Device, min_text_px: int | None = None) -> list[str]:
    """The layout problems a user at ``device`` would see on the page as it is: overlapping text, sideways scroll,
    touch targets under 24 × 24 px, text cut short by a box that hides its overflow, a word broken inside (not at a
    hyphen), chart text cut off at its chart's edge, and on a phone text (HTML and chart) under 16 px (or under
    ``min_text_px`` if given) and chart text shortened with "…"."""
    m = measure_layout(page)
    out = [f"text on text: {o}" for o in m["overlaps"]]
    if m["scrollWidth"] > m["width"] + 1 or m["mainScroll"] > m["mainWidth"] + 1:
        out.append(f"the page scrolls sideways: {m['scrollWidth']} / {m['mainScroll']} px in {m['width']} px")
    out += [f"text past the right edge: {t}" for t in m["beyond"]]
    out += [f"text cut short by its box: {t}" for t in m["cutShort"]]
    out += [f"word broken inside: {w}" for w in m["broken"]]
    out += [f"chart wider than its box: {c}" for c in m["cutCharts"]]
    out += [f"touch target under {MIN_TARGET_PX} px: {t}" for t in m["targets"]]
    floor = min_text_px if min_text_px is not None else (MIN_PHONE_TEXT_PX if device in PHONES else None)
    if floor is not None:
        out += [f"text under {floor} px: {text!r} {size} px ({where})" for text, size, where in m["small"]
                if size < floor - 0.01]
    chart_texts = measure_chart_texts(page)
    out += [f"chart text cut off at its chart's edge: {c['text']!r} at {c['where']} px ({c['chart']})"
            for c in chart_texts if c["outside"] or c["beyond"]]
    if floor is not None:
        out += [f"chart text under {floor} px: {c['text']!r} {c['size']} px ({c['chart']})" for c in chart_texts
                if c["size"] < floor - 0.01]
    if device in PHONES:
        out += [f"chart text shortened with …: {c['text']!r} ({c['chart']})" for c in chart_texts
                if c["cut"]]
    return out
