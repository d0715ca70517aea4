"""Where the browser's time goes: ``python -m bench.browser_profile [--pages mal,ekonomi] [--changes 8]``.

Chromium's own counters (DevTools ``Performance.getMetrics``: script, layout and style time, main-thread task time,
DOM nodes), read around a fresh page load (a new context) and around each widget change of bench/browser.py
(slider key presses, selector choices), for every page of KS-utforskaren and the bare app's slider and chart pages,
both under serve.py. Where the server's time goes is bench/profile_pages.py (pyinstrument); this is the browser's
half of an interaction or a load. With ``--by-script``, further fresh loads run under Chromium's sampling profiler and
a second table says which of Streamlit's scripts the load's JavaScript time is spent in (React, Vega, the Markdown
renderer, the styling library), page by page. Prints the tables and writes
``bench/results/browser-profile-<timestamp>.md`` and ``browser-profile-latest.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import browser as timing  # noqa: E402
from bench import servers  # noqa: E402
from bench.robust import start_result, write_result  # noqa: E402
from tests.e2e.browser_util import goto_rendered, launch_browser, open_page  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Chromium's metric -> our column; durations are seconds of main-thread time.
METRICS = {"TaskDuration": "task", "ScriptDuration": "script", "LayoutDuration": "layout",
           "RecalcStyleDuration": "style"}
BARE_PAGES = ("", "chart")


def read_metrics(cdp) -> dict[str, float]:
    """Return Chromium's performance counters of the page behind ``cdp`` (a DevTools session)."""
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def diff_metrics(before: dict[str, float], after: dict[str, float], n: int = 1) -> dict[str, float]:
    """Return the main-thread milliseconds spent between two readings, per step (``n`` steps), and the DOM nodes."""
    out = {col: round((after.get(name, 0) - before.get(name, 0)) * 1000 / max(n, 1), 1)
           for name, col in METRICS.items()}
    out["nodes"] = int(after.get("Nodes", 0))
    return out


def profile_load(browser, url: str) -> dict[str, float]:
    """One fresh load (new context, no HTTP cache) of ``url``: main-thread ms until the first run is rendered."""
    page = open_page(browser)
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        before = read_metrics(cdp)
        goto_rendered(page, url, timeout=timing.TIMEOUT_MS)
        return diff_metrics(before, read_metrics(cdp))
    finally:
        page.context.close()


# Streamlit's frontend chunks are named NAME.HASH.js; the hash changes with every Streamlit release.
_CHUNK_HASH = re.compile(r"\.[A-Za-z0-9_-]{8}$")
SAMPLING_US = 200


def get_script_name(call_frame: dict) -> str:
    """Return the script a profiler sample ran in: the chunk's name without its hash and ``.js`` (``react-dom``,
    ``embed`` = Vega), ``(native)`` for the browser's own functions (DOM calls), or V8's own entry (``(program)``,
    ``(garbage collector)``)."""
    url = call_frame.get("url", "")
    if url:
        return _CHUNK_HASH.sub("", url.rsplit("/", 1)[-1].split("?", 1)[0].removesuffix(".js")) or url
    name = call_frame.get("functionName", "")
    return name if name.startswith("(") else "(native)"


def sum_self_time(profile: dict) -> Counter:
    """Return the milliseconds of a Chromium CPU profile (``Profiler.stop``'s profile) by script, idle time left
    out: each sample counts the time since the one before it."""
    scripts = {node["id"]: get_script_name(node["callFrame"]) for node in profile["nodes"]}
    out: Counter = Counter()
    for sample, delta_us in zip(profile["samples"], profile["timeDeltas"], strict=True):
        if scripts[sample] != "(idle)":
            out[scripts[sample]] += delta_us / 1000
    return out


def profile_scripts(browser, url: str, loads: int) -> Counter:
    """Return the JavaScript milliseconds of one fresh load of ``url`` by script, the mean of ``loads`` loads."""
    total: Counter = Counter()
    for _ in range(loads):
        page = open_page(browser)
        try:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
            cdp.send("Profiler.start")
            goto_rendered(page, url, timeout=timing.TIMEOUT_MS)
            total.update(sum_self_time(cdp.send("Profiler.stop")["profile"]))
        finally:
            page.context.close()
    return Counter({name: ms / loads for name, ms in total.items()})


def format_scripts(columns: list[tuple[str, Counter]], top: int = 12) -> str:
    """Return the by-script profile as a Markdown table: the ``top`` scripts by their largest time as rows, one
    column per page, the rest summed, and each page's total."""
    names = sorted({n for _w, c in columns for n in c}, key=lambda n: -max(c.get(n, 0) for _w, c in columns))
    shown = names[:top]
    lines = ["| script | " + " | ".join(where for where, _c in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for name in shown:
        lines.append(f"| {name} | " + " | ".join(f"{c.get(name, 0):.0f}" for _w, c in columns) + " |")
    lines.append("| (the rest) | " + " | ".join(
        f"{sum(ms for n, ms in c.items() if n not in shown):.0f}" for _w, c in columns) + " |")
    lines.append("| **all, ms per load** | " + " | ".join(f"**{sum(c.values()):.0f}**" for _w, c in columns) + " |")
    return "\n".join(lines)


def profile_changes(browser, url: str, changes: int) -> dict[str, dict[str, float]]:
    """Main-thread ms per widget change of the page's first slider and first selector (bench/browser.py's changes)."""
    page = open_page(browser)
    page.context.add_init_script(timing.INPUT_TRACKER_JS)
    out = {}
    try:
        goto_rendered(page, url, timeout=timing.TIMEOUT_MS)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        for kind, selector, changer in (("slider", timing.SLIDER, timing.slider_changes),
                                        ("selector", timing.SELECTOR, timing.select_changes)):
            if page.locator(selector).count():
                changer(page, 1)  # the first change builds what later ones reuse
                before = read_metrics(cdp)
                times = changer(page, changes)
                out[kind] = diff_metrics(before, read_metrics(cdp), changes)
                out[kind]["in_page_p50"] = round(statistics.median(t[0] for t in times) * 1000, 1)
    finally:
        page.context.close()
    return out


def format_rows(rows: list[tuple[str, str, dict]]) -> str:
    """Return the profile as a Markdown table: one row per page and step."""
    lines = ["| app /page | step | in page p50 ms | main-thread task ms | script ms | layout ms | style ms | DOM nodes |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for where, step, m in rows:
        lines.append(f"| {where} | {step} | {m.get('in_page_p50', '')} | {m['task']} | {m['script']} | "
                     f"{m['layout']} | {m['style']} | {m['nodes']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Profile every page's fresh load and widget changes in Chromium, ours and the bare app; print and write it."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", default="", help="only these page keys of ours (comma-separated, e.g. goals)")
    p.add_argument("--changes", type=int, default=8, help="widget changes per widget (default 8)")
    p.add_argument("--loads", type=int, default=3, help="fresh loads per page, the median kept (default 3)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench/results)")
    p.add_argument("--by-script", action="store_true",
                   help="also profile --loads fresh loads per page with Chromium's sampling profiler, by script")
    a = p.parse_args(argv)
    wanted = {k for k in a.pages.split(",") if k}
    result = start_result(argv)
    rows: list[tuple[str, str, dict]] = []
    scripts: list[tuple[str, Counter]] = []
    with servers.Server(servers.ours(), "serve") as ours, servers.Server(servers.bare(), "serve") as bare:
        plan = [(ours, path) for key, _s, path in ours.app.pages if not wanted or key in wanted]
        plan += [(bare, path) for path in BARE_PAGES]
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            for srv, path in plan:
                url = f"{srv.url}/{path}"
                first = open_page(browser)
                goto_rendered(first, url, timeout=60000)  # every view built once on the server
                first.context.close()
                loads = [profile_load(browser, url) for _ in range(a.loads)]
                load = {k: round(statistics.median(m[k] for m in loads), 1) for k in loads[0]}
                load["nodes"] = int(load["nodes"])
                rows.append((f"{srv.app.name} /{path}", "fresh load", load))
                for kind, m in profile_changes(browser, url, a.changes).items():
                    rows.append((f"{srv.app.name} /{path}", f"{kind} change", m))
                if a.by_script:
                    scripts.append((f"{srv.app.name} /{path}", profile_scripts(browser, url, a.loads)))
            browser.close()
    command = " ".join(["python -m bench.browser_profile", *(sys.argv[1:] if argv is None else argv)])
    text = "\n".join([f"# Chromium's main thread per load and per widget change ({time.strftime('%Y-%m-%d %H:%M')})",
                      "", f"`{command}`; both apps under serve.py; milliseconds of main-thread time (DevTools "
                      "Performance.getMetrics), a load's from navigation to the first rendered run, a change's per "
                      f"change; load average {os.getloadavg()[0]:.1f} at the end.", "", format_rows(rows), ""])
    if scripts:
        text += "\n".join(["", "## A fresh load's JavaScript time by script", "",
                           f"Chromium's sampling profiler ({SAMPLING_US} µs) over {a.loads} further fresh loads per "
                           "page, mean ms per load, idle time left out. `embed` is Vega and Vega-Lite, `(program)` "
                           "the browser's own work outside JavaScript (parsing, layout, paint), `(native)` DOM calls.",
                           "", format_scripts(scripts), ""])
    write_result(result | {"rows": [{"where": where, "step": step, **m} for where, step, m in rows],
                           "scripts": {where: dict(c) for where, c in scripts}}, text, a.out, "browser-profile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
