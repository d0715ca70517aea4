"""Browser measurements in headless Chromium: page loads (fresh and warm), widget interactions, cold start.

"Rendered" is the e2e tests' signal (tests/e2e/browser_util.py): a script_finished message has
arrived on the page's websocket since the action, ``[data-testid=stApp]`` says CONNECTED and
``data-test-script-state="notRunning"``, and no skeleton placeholder is left. Page loads are wall
clock in the benchmark process around the Playwright call.

An interaction is timed in the page: from the key press's or the option click's input event
(``keydown`` / ``pointerdown``, its ``timeStamp``) to the first animation frame in which the page is
rendered. The wall clock around the Playwright call is kept beside it (``*_wall``): it adds
Playwright's own round trips, which differ between a key press (the bare slider) and a click on
an option (which Playwright first scrolls to, waits to be stable and hit-tests: 30-40 ms here).
"""

from __future__ import annotations

import time

from bench.servers import App, Server
from tests.e2e.browser_util import RENDERED_JS, app_state, exception_texts, goto_rendered, open_page, script_runs

TIMEOUT_MS = 30000
SLIDER = "[data-testid=stMain] [data-testid=stSlider] input[type=range]"
# A selector is a selectbox, a radio group or a segmented control: whichever comes first on the page is changed.
SELECTOR = ", ".join(f"[data-testid=stMain] [data-testid={testid}]" for testid in ("stSelectbox", "stRadio", "stButtonGroup"))
CHOICE = "[role=radiogroup] [role=radio], [role=radiogroup] [data-testid=stRadioOption]"
# Index of the chosen option among a selector's options (listbox, radio group, segmented control); 0 if none says so.
SELECTED_INDEX_JS = """(els) => Math.max(0, els.findIndex((el) => el.getAttribute('aria-selected') === 'true'
  || el.getAttribute('aria-checked') === 'true' || el.dataset.selected === 'true'))"""
OPTION = "[role=listbox] [role=option]"


def _errors(page) -> list[str]:
    return ([f"console: {e}"[:300] for e in page.console_errors] + [f"page: {e}"[:300] for e in page.page_errors]
            + [f"exception: {e}"[:300] for e in exception_texts(page)])


def _timed_goto(page, url: str) -> float:
    t0 = time.perf_counter()
    goto_rendered(page, url, timeout=TIMEOUT_MS)
    return time.perf_counter() - t0


# The time of the last key press or pointer press on the page (its input event's own timestamp).
INPUT_TRACKER_JS = """
(() => {
  const mark = (event) => { window.__ksInputAt = event.timeStamp; };
  document.addEventListener("keydown", mark, true);
  document.addEventListener("pointerdown", mark, true);
})();
"""
# tests/e2e/browser_util.RENDERED_JS, noting when (in the page's clock) it first held.
RENDERED_AT_JS = ("(args) => { const rendered = (" + RENDERED_JS.strip() + ")(args);"
                  " if (rendered && window.__ksRenderedAt == null) window.__ksRenderedAt = performance.now();"
                  " return rendered; }")


def _timed_rerun(page, action) -> tuple[float, float]:
    """Run ``action`` (a key press or click that changes a widget); return (in-page, wall) seconds until rendered."""
    before = script_runs(page)
    page.evaluate("window.__ksInputAt = null; window.__ksRenderedAt = null;")
    t0 = time.perf_counter()
    action()
    try:
        page.wait_for_function(RENDERED_AT_JS, arg=[before + 1, None], polling="raf", timeout=TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - say what the page was doing, as wait_rendered does
        raise AssertionError(f"app not rendered after {TIMEOUT_MS} ms: {app_state(page)}") from exc
    wall = time.perf_counter() - t0
    input_at, rendered_at = page.evaluate("[window.__ksInputAt, window.__ksRenderedAt]")
    if input_at is None or rendered_at is None:
        raise RuntimeError("the interaction's input event or render was not seen in the page")
    return (rendered_at - input_at) / 1000, wall


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


def slider_changes(page, repeats: int) -> list[tuple[float, float]]:
    """Time ArrowRight/ArrowLeft presses on the first main-area slider (the direction alternates, so it stays in range);
    (in-page, wall) seconds each."""
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


def select_changes(page, repeats: int) -> list[tuple[float, float]]:
    """Time choosing another option in the first main-area selector: a selectbox (opening its list is not timed), or a
    radio group or segmented control (a click on the option); (in-page, wall) seconds each."""
    box = page.locator(SELECTOR).first
    is_list = box.get_attribute("data-testid") == "stSelectbox"

    def options():
        return _open_options(page, box) if is_list else box.locator(CHOICE)

    # Back and forth between the option shown first and another one (a choice of the shown option changes nothing).
    shown = options().evaluate_all(SELECTED_INDEX_JS)
    if is_list:
        page.keyboard.press("Escape")
    other = 1 if shown == 0 else 0
    times = []
    for i in range(repeats):
        target = options().nth(other if i % 2 == 0 else shown)
        target.wait_for(timeout=TIMEOUT_MS)
        times.append(_timed_rerun(page, target.click))
    return times


def warm_and_interact(browser, server: Server, path: str, loads: int, changes: int) -> dict:
    """In one context: an untimed load, ``loads`` timed warm loads (static files cached; each a new session), then
    ``changes`` slider and ``changes`` selectbox changes, each timed from the key press or click until rendered
    (``slider``/``selectbox`` in the page, ``*_wall`` around the Playwright call)."""
    page = open_page(browser)
    page.context.add_init_script(INPUT_TRACKER_JS)
    out: dict = {"warm": []}
    try:
        goto_rendered(page, f"{server.url}/{path}", timeout=TIMEOUT_MS)
        out["warm"] = [_timed_goto(page, f"{server.url}/{path}") for _ in range(loads)]
        for kind, selector, changer in (("slider", SLIDER, slider_changes), ("selectbox", SELECTOR, select_changes)):
            if page.locator(selector).count():
                times = changer(page, changes)
                out[kind], out[f"{kind}_wall"] = [t[0] for t in times], [t[1] for t in times]
        out["errors"] = _errors(page)
    except Exception as exc:  # noqa: BLE001 - one failed page is reported, the run goes on
        out["errors"] = _errors(page) + [f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"]
    finally:
        page.context.close()
    return out


def cold_start(browser, app: App, variant: str, launcher=None, path: str = "") -> dict:
    """Process start until the first page (``path``, default the app's first) is rendered in a browser that was
    already open; ``launcher``: the serve.py to start it with (bench.servers.Server)."""
    page = open_page(browser)
    server = Server(app, variant, launcher=launcher)
    try:
        t0 = server.popen()
        healthy = server.wait_healthy()
        goto_rendered(page, f"{server.url}/{path}", timeout=60000)
        rendered = time.perf_counter() - t0
        return {"healthy_s": healthy, "rendered_s": rendered, "errors": _errors(page)}
    finally:
        page.context.close()
        server.stop()
