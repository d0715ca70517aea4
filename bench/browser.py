"""Browser measurements in headless Chromium: page loads (fresh and warm), widget interactions, cold start.

"Rendered" is the e2e tests' signal (tests/e2e/browser_util.py): a script_finished message has
arrived on the page's websocket since the action, ``[data-testid=stApp]`` says CONNECTED and
``data-test-script-state="notRunning"``, and no skeleton placeholder is left. Every time is wall
clock in the benchmark process around the Playwright call, so it includes the same Playwright
round trips for both apps.
"""

from __future__ import annotations

import time

from bench.servers import App, Server
from tests.e2e.browser_util import exception_texts, goto_rendered, open_page, script_runs, wait_rendered

TIMEOUT_MS = 30000
SLIDER = "[data-testid=stMain] [data-testid=stSlider] input[type=range]"
SELECTBOX = "[data-testid=stMain] [data-testid=stSelectbox]"
OPTION = "[role=listbox] [role=option]"


def _errors(page) -> list[str]:
    return ([f"console: {e}"[:300] for e in page.console_errors] + [f"page: {e}"[:300] for e in page.page_errors]
            + [f"exception: {e}"[:300] for e in exception_texts(page)])


def _timed_goto(page, url: str) -> float:
    t0 = time.perf_counter()
    goto_rendered(page, url, timeout=TIMEOUT_MS)
    return time.perf_counter() - t0


def _timed_rerun(page, action) -> float:
    before = script_runs(page)
    t0 = time.perf_counter()
    action()
    wait_rendered(page, timeout=TIMEOUT_MS, min_runs=before + 1)
    return time.perf_counter() - t0


def warm_up(browser, server: Server) -> list[str]:
    """Open every page once (untimed), so first-run costs (imports, first data load) are not in the page loads."""
    page = open_page(browser)
    try:
        for _key, _script, path in server.app.pages:
            goto_rendered(page, f"{server.url}/{path}", timeout=60000)
        return _errors(page)
    finally:
        page.context.close()


def load_fresh(browser, server: Server, path: str) -> tuple[float, list[str]]:
    """One page load in a new browser context (no HTTP cache, a new session)."""
    page = open_page(browser)
    try:
        return _timed_goto(page, f"{server.url}/{path}"), _errors(page)
    finally:
        page.context.close()


def slider_changes(page, repeats: int) -> list[float]:
    """Time ArrowRight/ArrowLeft presses on the first main-area slider (the direction alternates, so it stays in range)."""
    thumb = page.locator(SLIDER).first
    value, top = (float(thumb.get_attribute(a) or 0) for a in ("value", "max"))
    keys = ("ArrowRight", "ArrowLeft") if value < top else ("ArrowLeft", "ArrowRight")
    times = []
    for i in range(repeats):
        thumb.focus()
        times.append(_timed_rerun(page, lambda k=keys[i % 2]: page.keyboard.press(k)))
    return times


def _open_options(page, box):
    """Open a selectbox's option list (retried: a click during a re-render can be lost); return the options."""
    options = page.locator(OPTION)
    for attempt in range(3):
        box.locator("input").click()
        try:
            options.first.wait_for(timeout=5000 * (attempt + 1))
            return options
        except Exception:  # noqa: BLE001 - closed or not yet open: close and try again
            page.keyboard.press("Escape")
    options.first.wait_for(timeout=TIMEOUT_MS)
    return options


def select_changes(page, repeats: int) -> list[float]:
    """Time choosing another option in the first main-area selectbox (opening the list is not timed)."""
    box = page.locator(SELECTBOX).first
    times = []
    for i in range(repeats):
        target = _open_options(page, box).nth(1 if i % 2 == 0 else 0)
        target.wait_for(timeout=TIMEOUT_MS)
        times.append(_timed_rerun(page, target.click))
    return times


def warm_and_interact(browser, server: Server, path: str, loads: int, changes: int) -> dict:
    """In one context: an untimed load, ``loads`` timed warm loads (static files cached; each a new session), then
    ``changes`` slider and ``changes`` selectbox changes, each timed from the key press or click until rendered."""
    page = open_page(browser)
    out: dict = {"warm": []}
    try:
        goto_rendered(page, f"{server.url}/{path}", timeout=TIMEOUT_MS)
        out["warm"] = [_timed_goto(page, f"{server.url}/{path}") for _ in range(loads)]
        if page.locator(SLIDER).count():
            out["slider"] = slider_changes(page, changes)
        if page.locator(SELECTBOX).count():
            out["selectbox"] = select_changes(page, changes)
        out["errors"] = _errors(page)
    except Exception as exc:  # noqa: BLE001 - one failed page is reported, the run goes on
        out["errors"] = _errors(page) + [f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"]
    finally:
        page.context.close()
    return out


def cold_start(browser, app: App, variant: str) -> dict:
    """Process start until the first page is rendered in a browser that was already open."""
    page = open_page(browser)
    server = Server(app, variant)
    try:
        t0 = server.popen()
        healthy = server.wait_healthy()
        goto_rendered(page, server.url + "/", timeout=60000)
        rendered = time.perf_counter() - t0
        return {"healthy_s": healthy, "rendered_s": rendered, "errors": _errors(page)}
    finally:
        page.context.close()
        server.stop()
