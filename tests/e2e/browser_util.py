"""Playwright helpers for the Streamlit e2e tests and scripts/screenshots.py (ported from the measure tools)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MAX_SCREENSHOT_HEIGHT = 16000

# Injected before any page script: counts the ForwardMsg frames on /_stcore/stream whose
# top-level protobuf field is script_finished (field 6), i.e. finished script runs, and keeps the
# last one's status (3 = FINISHED_FRAGMENT_RUN_SUCCESSFULLY: only a fragment of the page ran).
WS_TRACKER_JS = r"""
(() => {
  if (window.__ksRuns) return;
  const st = window.__ksRuns = {finished: 0};
  const scan = (buf) => {
    let i = 0; const n = buf.length; const f = {};
    const varint = () => {
      let r = 0, s = 0, b;
      do { b = buf[i++]; r += (b & 0x7f) * Math.pow(2, s); s += 7; } while ((b & 0x80) && i < n);
      return r;
    };
    while (i < n) {
      const key = varint(); const fn = Math.floor(key / 8), wt = key & 7;
      if (wt === 0) f[fn] = varint();
      else if (wt === 2) { const l = varint(); i += l; f[fn] = null; }
      else if (wt === 1) i += 8; else if (wt === 5) i += 4; else break;
    }
    return f;
  };
  const handle = (ab) => { const f = scan(new Uint8Array(ab)); if (6 in f) { st.finished++; st.lastStatus = f[6]; } };
  const W = window.WebSocket;
  class TrackedWebSocket extends W {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/_stcore/stream')) {
        this.addEventListener('message', (ev) => {
          if (ev.data instanceof ArrayBuffer) handle(ev.data);
          else if (ev.data && ev.data.arrayBuffer) ev.data.arrayBuffer().then(handle);
        });
      }
    }
  }
  window.WebSocket = TrackedWebSocket;
})();
"""

# True once >= minRuns script runs finished (when the tracker is installed), the app root says
# CONNECTED + notRunning, no skeleton placeholder is left and the optional selector is present.
RENDERED_JS = """
([minRuns, extraSelector]) => {
  const st = window.__ksRuns;
  if (st && st.finished < minRuns) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')) return false;
  if (extraSelector && !document.querySelector(extraSelector)) return false;
  return true;
}
"""

STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {runs: window.__ksRuns ? window.__ksRuns.finished : null,
          script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]').length};
}
"""

# Opening a page by direct link makes the frontend probe /<page>/_stcore/health and
# /<page>/_stcore/host-config first; those 404s (and their console lines) are expected.
BENIGN_URL_RE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


def is_benign_console(text: str, url: str) -> bool:
    """True for the expected 404 console errors of Streamlit's deep-link probe."""
    return (
        text.startswith("Failed to load resource")
        and "404" in text
        and bool(BENIGN_URL_RE.search((url or "").split("?")[0]))
    )


def launch_browser(playwright: Playwright) -> Browser:
    """Launch Debian's headless Chromium with the flags this machine needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)


def open_page(
    browser: Browser,
    viewport: tuple[int, int] = (1366, 768),
    locale: str = "sv-SE",
    timezone_id: str = "Europe/Stockholm",
    is_mobile: bool = False,
    has_touch: bool = False,
    device_scale_factor: float | None = None,
) -> Page:
    """New context + page with the run tracker installed and errors collected on the page object.

    The page gets `console_errors`, `page_errors` and `ignored_errors` (benign deep-link 404s) lists;
    close it with `page.context.close()`. ``is_mobile``/``has_touch`` emulate a phone or tablet (meta viewport,
    touch events).
    """
    extra = {"device_scale_factor": device_scale_factor} if device_scale_factor else {}
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, locale=locale, timezone_id=timezone_id,
        is_mobile=is_mobile, has_touch=has_touch, **extra,
    )
    context.add_init_script(WS_TRACKER_JS)
    page = context.new_page()
    page.console_errors = []
    page.page_errors = []
    page.ignored_errors = []

    def on_console(msg) -> None:
        """Sort console errors into real and benign."""
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "") or ""
        line = msg.text + (f" ({url})" if url else "")
        (page.ignored_errors if is_benign_console(msg.text, url) else page.console_errors).append(line)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
    return page


FRAGMENT_RUN = 3  # ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def last_run_status(page: Page) -> int | None:
    """The status of the last finished script run seen on the page's websocket (None without the tracker)."""
    return page.evaluate("window.__ksRuns ? window.__ksRuns.lastStatus : null")


def script_runs(page: Page) -> int:
    """Number of finished script runs seen on the page's websocket (0 without the tracker)."""
    return page.evaluate("() => window.__ksRuns ? window.__ksRuns.finished : 0")


def app_state(page: Page) -> dict:
    """Runs seen, script/connection state and skeleton count, for failure messages."""
    return page.evaluate(STATE_JS)


def wait_rendered(page: Page, timeout: float = 30000, min_runs: int = 1, wait_for: str | None = None) -> None:
    """Wait until >= min_runs script runs finished and the app shows idle, connected and skeleton-free.

    Without the run tracker (a page not made by open_page) only the DOM state is checked.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(RENDERED_JS, arg=[min_runs, wait_for], polling="raf", timeout=timeout)
    except PlaywrightTimeoutError as exc:
        raise AssertionError(f"app not rendered after {timeout:.0f} ms: {app_state(page)}") from exc


def wait_rerun(page: Page, action: Callable[[], object], timeout: float = 30000, wait_for: str | None = None) -> None:
    """Run action (which must trigger a rerun, e.g. a key press) and wait until that rerun is rendered."""
    before = script_runs(page)
    action()
    wait_rendered(page, timeout=timeout, min_runs=before + 1, wait_for=wait_for)


def goto_rendered(page: Page, url: str, timeout: float = 30000, wait_for: str | None = None) -> None:
    """Navigate to url and wait until the first script run is rendered."""
    page.goto(url, wait_until="commit", timeout=timeout)
    wait_rendered(page, timeout=timeout, wait_for=wait_for)


# What a layout check measures, as one string: the document's and the main area's extent, every chart's size and
# text count, the place, width and type size of the main area's texts, and document.js's marks on scroll boxes.
LAYOUT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return "";
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round); };
  const charts = [...main.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].map(
    (svg) => [...box(svg), svg.querySelectorAll("text").length]);
  const texts = [...main.querySelectorAll("h1, h2, h3, p, li, td, th, button, label, [data-testid=stMetricValue]")]
    .map((e) => [...box(e), getComputedStyle(e).fontSize]);
  return JSON.stringify([document.documentElement.scrollWidth, main.scrollWidth, main.scrollHeight, charts, texts,
                         document.querySelectorAll("[data-ks-scroll]").length]);
}"""

SETTLE_JS = "async ([quiet, timeout]) => {\n  const layout = (" + LAYOUT_JS + """);
  const start = performance.now();
  let last = layout(), since = start;
  while (performance.now() - start < timeout) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    const now = layout();
    if (now !== last) { last = now; since = performance.now(); }
    else if (performance.now() - since >= quiet) return true;
  }
  return false;
}"""


def wait_layout_settled(page: Page, quiet_ms: int = 200, timeout_ms: int = 5000) -> None:
    """Wait until the layout (LAYOUT_JS) has not changed for ``quiet_ms``: after a resize, Vega lays its charts out
    again and presentation mode's type follows the window. A fixed wait was either too long on an idle machine or too
    short on a loaded one; after ``timeout_ms`` the layout is measured as it is."""
    page.evaluate(SETTLE_JS, [quiet_ms, timeout_ms])


def screenshot_full(page: Page, path: str | Path) -> None:
    """Screenshot the whole app: grow the viewport to stMain's scroll height (max 16000 px), then restore it."""
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll("
        '\'[data-testid="stMain"], [data-testid="stSidebarContent"]\')).map(e => e.scrollHeight))'
    )
    viewport = page.viewport_size
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        if height and height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": min(int(height), MAX_SCREENSHOT_HEIGHT)})
            page.wait_for_timeout(200)  # let layout and lazy charts settle at the new size
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)


def exception_texts(page: Page) -> list[str]:
    """Texts of all [data-testid=stException] boxes on the page."""
    return page.locator('[data-testid="stException"]').all_inner_texts()
