"""KS-utforskaren's benchmark, side by side with a bare Streamlit app in the same run.

    python -m bench.run            # full run, about 10 minutes on 2 cores
    python -m bench.run --quick    # smoke run: few repeats, 10 sessions

Starts KS-utforskaren (app.py) and the bare three-page app in bench/hello on 127.0.0.1, each with
the project's launcher (variant "serve": serve.py, TCP_NODELAY and no full GC after each run),
with serve.py but Streamlit's GC after each run kept ("nodelay") and with plain ``streamlit run``
("stock"), all with the same flags, and measures:

1. apptest   server-side script time of every page and of each widget change (AppTest reruns)
2. browser   navigation -> rendered for every page, fresh (new context) and warm (cached static files)
3. browser   slider key press / selector choice (selectbox, radio, segmented control) -> rendered, on every page
             that has one
4. cold      process start -> first page rendered
5. load      10, 50, 100 concurrent websocket sessions, each loading a page and changing a widget
5b. audience 50 sessions at once open one presentation screen by the link its QR code holds (a council meeting's
             audience), for every screen; the bare app's page as the reference
6. data      Parquet load and ks_data validation times; opens of data/ files per batch of sessions

Writes bench/results/<timestamp>.json and .md, and bench/results/latest.md (or --out DIR).
Measurements of the apps are interleaved, so a busy machine slows both alike; compare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import report, servers, wsclient  # noqa: E402
from bench.data_bench import OpenCounter  # noqa: E402
from bench.servers import App, Server  # noqa: E402

RESULTS_DIR = REPO_ROOT / "bench" / "results"
SECTIONS = ("apptest", "latency", "browser", "cold", "load", "audience", "data")
# Interactions: 8 changes of each widget a round, a p50 of 16 per widget. With 3 (6 in all) the p50 of one run
# moved by up to 30 % from the next (runs 6 and 6B in docs/performance.md).
FULL = {"apptest_repeats": 8, "latency": 30, "rounds": 2, "loads": 2, "changes": 8, "cold": 3, "sessions": (10, 50, 100),
        "audience": 50, "data_repeats": 10}
QUICK = {"apptest_repeats": 3, "latency": 6, "rounds": 1, "loads": 1, "changes": 2, "cold": 1, "sessions": (10,),
         "audience": 5, "data_repeats": 3}
LOAD_DEADLINE_S = 180


def stats(values: list[float], scale: float = 1000.0) -> dict:
    """n, p50, p95, min, max (milliseconds by default)."""
    if not values:
        return {"n": 0}
    s = sorted(values)

    def pct(p: float) -> float:
        k = (len(s) - 1) * p / 100
        lo, hi = int(k), min(int(k) + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)

    return {"n": len(s), "p50": round(pct(50) * scale, 1), "p95": round(pct(95) * scale, 1),
            "min": round(s[0] * scale, 1), "max": round(s[-1] * scale, 1)}


def log(msg: str) -> None:
    """Progress on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def select_pages(app: App, keys: set[str]) -> App:
    """The app with only the pages in ``keys`` (all when empty)."""
    if not keys:
        return app
    return App(app.name, app.root, app.script, tuple(p for p in app.pages if p[0] in keys))


def main_configs(running: dict[str, Server]) -> dict[str, Server]:
    """The configs the browser and load sections measure: ours with the best launcher measured, bare with it and stock.

    The other launchers of ours are measured by the cheap latency section only (the whole matrix in the browser
    would take most of an hour on 2 cores), which is where what each server setting buys shows most clearly.
    """
    variants = [cfg.split("/")[1] for cfg in running if cfg.startswith("ours/")]
    best = next((v for v in servers.VARIANTS if v in variants), None)
    keep = {f"ours/{best}", f"bare/{best}", "bare/stock"}
    return {cfg: srv for cfg, srv in running.items() if cfg in keep}


# --------------------------------------------------------------------------- 1. AppTest
def run_apptest(apps: dict[str, App], repeats: int, errors: list[str]) -> dict:
    """AppTest timings of each app, each in its own process; the bare app runs before and after ours, and its
    p50s are the mean of the two, so a machine that gets busier or quieter meanwhile affects both alike."""
    out: dict = {}
    order = ["bare", "ours", "bare"] if set(apps) == {"ours", "bare"} else list(apps)
    for name in order:
        app = apps[name]
        log(f"apptest {name}: {len(app.pages)} pages x {repeats} reruns")
        cmd = [sys.executable, "-m", "bench.apptest_bench", name, "--repeats", str(repeats),
               "--pages", ",".join(k for k, _, _ in app.pages)]
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
        try:
            res = json.loads(proc.stdout)
        except json.JSONDecodeError:
            errors.append(f"apptest {name}: rc={proc.returncode} {proc.stderr[-500:]}")
            continue
        for key, page in res["pages"].items():
            errors += [f"apptest {name} {key}: {e}" for e in page.get("errors", []) if name not in out]
        if name in out:
            _average_runs(out[name], res)
        else:
            out[name] = res
    return out


def _average_runs(first: dict, second: dict) -> None:
    """Make ``first``'s p50s the mean of two AppTest runs of the same app (both kept in ``*_runs``)."""
    for key, page in first["pages"].items():
        other = second["pages"].get(key, {})
        if page.get("rerun_ms_p50") is not None and other.get("rerun_ms_p50") is not None:
            page["rerun_ms_p50_runs"] = [page["rerun_ms_p50"], other["rerun_ms_p50"]]
            page["rerun_ms_p50"] = round(sum(page["rerun_ms_p50_runs"]) / 2, 2)
        for wkey, widget in page.get("widgets", {}).items():
            b = _get_p50(other, wkey)
            if widget.get("change_ms_p50") is not None and b is not None:
                widget["change_ms_p50_runs"] = [widget["change_ms_p50"], b]
                widget["change_ms_p50"] = round((widget["change_ms_p50"] + b) / 2, 2)


def _get_p50(page: dict, widget_key: str):
    return page.get("widgets", {}).get(widget_key, {}).get("change_ms_p50")


# --------------------------------------------------------------------------- 2.-4. browser
def run_browser(servers_: dict[str, Server], plan: dict, errors: list[str], pages: bool, cold: bool) -> dict:
    """Page loads and interactions for every server (interleaved in rounds), then cold starts."""
    from playwright.sync_api import sync_playwright

    from bench import browser as br
    from tests.e2e.browser_util import launch_browser

    kinds = ("fresh", "warm", "slider", "selectbox", "slider_wall", "selectbox_wall")
    raw: dict = {cfg: {key: {kind: [] for kind in kinds} for key, _, _ in srv.app.pages}
                 for cfg, srv in servers_.items()}
    out: dict = {"pages": {}, "cold": {}}
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        out["chromium"] = browser.version
        if pages:
            for cfg, srv in servers_.items():
                log(f"browser warm-up {cfg}")
                errors += [f"browser {cfg} warm-up: {e}" for e in br.warm_up(browser, srv)]
            for rnd in range(plan["rounds"]):
                order = list(servers_.items()) if rnd % 2 == 0 else list(reversed(servers_.items()))
                for cfg, srv in order:
                    log(f"browser round {rnd + 1}/{plan['rounds']} {cfg}")
                    for key, _script, path in srv.app.pages:
                        cell = raw[cfg][key]
                        for _ in range(plan["loads"]):
                            dt, errs = br.load_fresh(browser, srv, path)
                            cell["fresh"].append(dt)
                            errors += [f"browser {cfg} /{path} fresh: {e}" for e in errs]
                        warm = br.warm_and_interact(browser, srv, path, plan["loads"], plan["changes"])
                        for kind in kinds[1:]:
                            cell[kind] += warm.get(kind, [])
                        errors += [f"browser {cfg} /{path} warm/interaction: {e}" for e in warm.get("errors", [])]
            out["pages"] = {cfg: {key: {kind: stats(v) for kind, v in cell.items() if v}
                                  for key, cell in pages.items()} for cfg, pages in raw.items()}
        if cold:
            runs: dict = {cfg: {"healthy": [], "rendered": []} for cfg in servers_}
            for i in range(plan["cold"]):
                for cfg, srv in servers_.items():
                    log(f"cold start {i + 1}/{plan['cold']} {cfg}")
                    res = br.cold_start(browser, srv.app, srv.variant)
                    runs[cfg]["healthy"].append(res["healthy_s"])
                    runs[cfg]["rendered"].append(res["rendered_s"])
                    errors += [f"cold {cfg}: {e}" for e in res["errors"]]
            out["cold"] = {cfg: {k: stats(v) for k, v in r.items()} for cfg, r in runs.items()}
        browser.close()
    return out


# --------------------------------------------------------------------------- 3b. latency without a browser
def http_keepalive(srv: Server, n: int) -> list[float]:
    """``n`` GET /_stcore/health on one keep-alive connection; each timed."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    times = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("GET", "/_stcore/health")
            conn.getresponse().read()
            times.append(time.perf_counter() - t0)
    finally:
        conn.close()
    return times


def run_latency(servers_: dict[str, Server], n: int, errors: list[str]) -> dict:
    """Per server: keep-alive HTTP requests, and widget changes on each page in one websocket session, interleaved."""
    raw: dict = {cfg: {"http_keepalive": [], "pages": {}} for cfg in servers_}
    for rnd in range(2):
        for cfg, srv in servers_.items():
            raw[cfg]["http_keepalive"] += http_keepalive(srv, n // 2)[1:]  # the first request opens the connection
            for _key, _script, path in srv.app.pages:
                try:
                    res = asyncio.run(wsclient.repeated_changes(srv.url, path, n // 2))
                except RuntimeError:
                    continue  # no widget on this page
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"latency {cfg} /{path}: {type(exc).__name__}: {exc}"[:300])
                    continue
                raw[cfg]["pages"].setdefault(path, []).extend(res["changes"][1:] if rnd == 0 else res["changes"])
                if res["exceptions"]:
                    errors.append(f"latency {cfg} /{path}: {res['exceptions']} exceptions")
        log(f"latency round {rnd + 1}/2 done")
    return {cfg: {"http_keepalive": stats(r["http_keepalive"]), "change": {p: stats(v) for p, v in r["pages"].items()}}
            for cfg, r in raw.items()}


# --------------------------------------------------------------------------- 5. load
def session_pages(srv: Server) -> list[str]:
    """The URL paths of the app's pages that have a widget the ws client can change."""
    return [path for _key, _script, path in srv.app.pages if wsclient.has_widget(srv.url, path)]


def summarize_sessions(res: list[dict]) -> dict:
    """What a batch of wsclient sessions came to: ok and failed, exceptions and error alerts, the load's stats (ms),
    bytes per load and up to five distinct errors."""
    failed = [r for r in res if not r.get("ok")]
    return {"ok": len(res) - len(failed), "failed": len(failed),
            "exceptions": sum(r.get("exceptions", 0) for r in res),
            "error_alerts": sum(r.get("error_alerts", 0) for r in res),
            "load": stats([r["load_s"] for r in res if "load_s" in r]),
            "bytes_per_load": round(statistics.fmean([r["bytes"] for r in res if "bytes" in r] or [0])),
            "error_samples": sorted({r.get("error", "exception") for r in failed})[:5]}


def run_load(servers_: dict[str, Server], sessions: tuple[int, ...], errors: list[str]) -> dict:
    """N concurrent websocket sessions per server; each N runs on every server before the next N."""
    rotation = {}
    for cfg, srv in servers_.items():
        rotation[cfg] = session_pages(srv)  # also the warm-up: every page has run once in this process
        for path in rotation[cfg]:  # and once more, so the per-session numbers start from a steady state
            asyncio.run(wsclient.session(srv.url, path))
    out: dict = {cfg: {"pages": ["/" + p for p in rotation[cfg]], "steps": []} for cfg in servers_}
    for n in sessions:
        for cfg, srv in servers_.items():
            if not rotation[cfg]:
                errors.append(f"load {cfg}: no page with a widget")
                continue
            rss0, cpu0 = servers.rss_mb(srv.pid), servers.cpu_s(srv.pid)
            t0 = time.perf_counter()
            res = asyncio.run(wsclient.run_sessions(srv.url, rotation[cfg], n, LOAD_DEADLINE_S))
            wall = time.perf_counter() - t0
            rss1, cpu1 = servers.rss_mb(srv.pid), servers.cpu_s(srv.pid)
            step = {"sessions": n, "wall_s": round(wall, 2), **summarize_sessions(res),
                    "interaction": stats([r["interaction_s"] for r in res if "interaction_s" in r]),
                    "session": stats([r["total_s"] for r in res if "total_s" in r]),
                    "server_cpu_s": round(cpu1 - cpu0, 2), "rss_mb_before": rss0, "rss_mb_after": rss1,
                    "rss_kb_per_session": round((rss1 - rss0) * 1024 / n, 1)}
            out[cfg]["steps"].append(step)
            errors += [f"load {cfg} N={n}: {e}" for e in step["error_samples"]]
            log(f"load {cfg} N={n}: ok {step['ok']}/{n}, session p95 {step['session'].get('p95')} ms, "
                f"RSS {rss0}->{rss1} MB")
            time.sleep(1)
    for cfg, srv in servers_.items():
        metrics = srv.metrics()
        out[cfg]["metrics"] = {k: v for k, v in metrics.items()
                               if k.startswith(("active_sessions", "session_events", "cache_memory_bytes"))}
        out[cfg]["rss_mb_end"] = servers.rss_mb(srv.pid)
    return out


# --------------------------------------------------------------------------- 5b. audience
def get_screen_links(app: App) -> list[tuple[str, str, str]]:
    """The presentation screens of ``app``'s bundled data as (slug, URL path, query): the links their QR codes hold
    (no language or year chosen), in the sequence's order; for the bare app its one page, "/"."""
    if app.name != "ours":
        return [("", "", "")]
    from urllib.parse import urlencode

    from ks_data import routes
    from ks_data import schema as s
    from ks_data.errors import DataError
    from ks_data.load import load_table
    from ks_data.views import presentation

    try:
        goals = load_table(s.GOALS, app.root / "data")
    except DataError:
        goals = None  # the screens without goal areas, as the app shows them then
    return [(screen.slug, routes.ROUTE_BY_KEY[screen.page_key].path,
             urlencode([(routes.SCREEN, screen.slug), (routes.PRESENTATION, "1")]))
            for screen in presentation.get_screens(goals)]


def run_audience(servers_: dict[str, Server], n: int, errors: list[str]) -> dict:
    """``n`` sessions at once open the same presentation screen (the audience of a council meeting scanning its QR
    code: each loads the screen, changes nothing), screen by screen; the bare app's page as the reference."""
    out: dict = {}
    for cfg, srv in servers_.items():
        out[cfg] = []
        for slug, path, query in get_screen_links(srv.app):
            for _ in range(2):  # the screen's view made, and Streamlit's script cache warm, before the burst
                asyncio.run(wsclient.session(srv.url, path, query=query, change=False))
            cpu0 = servers.cpu_s(srv.pid)
            res = asyncio.run(wsclient.run_sessions(srv.url, [path], n, LOAD_DEADLINE_S, change=False, query=query))
            cpu = servers.cpu_s(srv.pid) - cpu0
            step = {"screen": slug, "link": f"/{path}" + (f"?{query}" if query else ""), "sessions": n,
                    **summarize_sessions(res), "cpu_ms_per_session": round(cpu * 1000 / n, 1)}
            out[cfg].append(step)
            errors += [f"audience {cfg} {step['link']}: {e}" for e in step["error_samples"]]
            log(f"audience {cfg} {step['link']}: ok {step['ok']}/{n}, p95 {step['load'].get('p95')} ms")
            time.sleep(1)
    return out


# --------------------------------------------------------------------------- 6. data
def run_data(repeats: int, errors: list[str], ours: App) -> dict:
    """Load/validation times (own process) and the data-file opens of a fresh server, per batch of sessions."""
    log("data: load and validation times")
    proc = subprocess.run([sys.executable, "-m", "bench.data_bench", "--repeats", str(repeats)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        errors.append(f"data: rc={proc.returncode} {proc.stderr[-500:]}")
        out = {}
    log("data: opens of data/ files by a fresh server")
    # A private copy of data/, so that only this server's opens are counted (tests may read data/ meanwhile).
    folder = Path(tempfile.mkdtemp(prefix="bench-data-"))
    for path in sorted((ours.root / "data").glob("*.parquet")):
        shutil.copy2(path, folder / path.name)
    counter = OpenCounter(folder)
    try:
        with Server(ours, "serve", env=dict(os.environ, KS_DATA_DIR=str(folder))) as srv:
            counter.take()
            paths = [path for _key, _script, path in ours.pages]
            first = [asyncio.run(wsclient.session(srv.url, p, change=False)) for p in paths]
            batch1 = counter.take()
            more = asyncio.run(wsclient.run_sessions(srv.url, paths, 2 * len(paths), 120, change=False))
            batch2 = counter.take()
        failed = [r for r in first + more if not r.get("ok")]
        errors += [f"data sessions: {r.get('error', 'exception')}" for r in failed]
        out["opens"] = {"first_sessions": len(first), "first": batch1, "later_sessions": len(more), "later": batch2,
                        "read_once": not any(k.endswith(".parquet") for k in batch2)}
    finally:
        counter.close()
        shutil.rmtree(folder, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- main
def meta(args: argparse.Namespace, plan: dict) -> dict:
    """Where and what was measured."""
    import playwright
    import streamlit

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return ""

    return {"started": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git("describe", "--always",
            "--dirty"), "python": platform.python_version(), "streamlit": streamlit.__version__,
            "playwright": getattr(playwright, "__version__", "?"), "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg(), "quick": args.quick, "plan": plan,
            "command": "python -m bench.run " + " ".join(sys.argv[1:])}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if any error was seen (the results are written anyway)."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="few repeats and 10 sessions (a smoke run)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench/results)")
    p.add_argument("--pages", default="", help="only these page keys of ours (comma-separated, e.g. goals)")
    p.add_argument("--bare-pages", default="", help="only these pages of the bare app (slider, chart, table)")
    p.add_argument("--variants", default="serve,nodelay,stock",
                   help="launchers: serve (serve.py), nodelay (serve.py, GC after each run), stock (streamlit run)")
    p.add_argument("--sections", default=",".join(SECTIONS), help=f"what to measure: {','.join(SECTIONS)}")
    p.add_argument("--sessions", type=int, nargs="+", default=None, help="concurrent sessions (default 10 50 100)")
    a = p.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the servers are stopped on SIGTERM too
    plan = dict(QUICK if a.quick else FULL)
    if a.sessions:
        plan["sessions"] = tuple(a.sessions)
    sections = [s for s in a.sections.split(",") if s]
    variants = [v for v in a.variants.split(",") if v]
    unknown = [s for s in sections if s not in SECTIONS] + [v for v in variants if v not in servers.VARIANTS]
    if unknown:
        p.error(f"unknown sections/variants: {unknown}")
    apps = {"ours": select_pages(servers.ours(), {k for k in a.pages.split(",") if k}), "bare": select_pages(servers.bare(), {k for k in a.bare_pages.split(",") if k})}
    result: dict = {"meta": meta(a, plan), "sections": sections, "variants": variants}
    errors: list[str] = []
    t_start = time.perf_counter()
    timings = result["meta"]["section_s"] = {}
    if "apptest" in sections:
        t0 = time.perf_counter()
        result["apptest"] = run_apptest(apps, plan["apptest_repeats"], errors)
        timings["apptest"] = round(time.perf_counter() - t0, 1)
    configs = {f"{name}/{variant}": (app, variant) for variant in variants for name, app in apps.items()}
    if {"latency", "browser", "cold", "load", "audience"} & set(sections):
        running = {cfg: Server(app, variant) for cfg, (app, variant) in configs.items()}
        try:
            for cfg, srv in running.items():
                srv.start()
                log(f"started {cfg} at {srv.url} (pid {srv.pid})")
            timings["servers"] = round(time.perf_counter() - t_start - timings.get("apptest", 0), 1)
            if "latency" in sections:
                t0 = time.perf_counter()
                result["latency"] = run_latency(running, plan["latency"], errors)
                timings["latency"] = round(time.perf_counter() - t0, 1)
            if "browser" in sections:
                t0 = time.perf_counter()
                b = run_browser(main_configs(running), plan, errors, pages=True, cold=False)
                result["browser"] = {"chromium": b["chromium"], "pages": b["pages"]}
                timings["browser"] = round(time.perf_counter() - t0, 1)
            if "cold" in sections:
                t0 = time.perf_counter()
                cold = {cfg: srv for cfg, srv in running.items() if not cfg.endswith("/nodelay")} or running
                result["cold"] = run_browser(cold, plan, errors, pages=False, cold=True)["cold"]
                timings["cold"] = round(time.perf_counter() - t0, 1)
            if "load" in sections:
                t0 = time.perf_counter()
                result["load"] = run_load(main_configs(running), plan["sessions"], errors)
                timings["load"] = round(time.perf_counter() - t0, 1)
            if "audience" in sections:
                t0 = time.perf_counter()
                result["audience"] = run_audience(main_configs(running), plan["audience"], errors)
                timings["audience"] = round(time.perf_counter() - t0, 1)
        finally:
            for srv in running.values():
                srv.stop()
    if "data" in sections:
        t0 = time.perf_counter()
        result["data"] = run_data(plan["data_repeats"], errors, apps["ours"])
        timings["data"] = round(time.perf_counter() - t0, 1)
    result["meta"]["duration_s"] = round(time.perf_counter() - t_start, 1)
    result["meta"]["loadavg_end"] = os.getloadavg()
    result["errors"] = errors
    result["targets"] = report.targets(result)
    paths = write(result, a.out, a.quick)
    log(f"done in {result['meta']['duration_s']} s: {paths['md']} ({len(errors)} errors)")
    print(paths["md"].read_text())
    return 1 if errors else 0


def write(result: dict, out: Path, quick: bool) -> dict[str, Path]:
    """Write <timestamp>.json, <timestamp>.md and latest.md into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S") + ("-quick" if quick else "")
    paths = {"json": out / f"{stamp}.json", "md": out / f"{stamp}.md", "latest": out / "latest.md"}
    paths["json"].write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
    text = report.markdown(result, paths["json"].name)
    paths["md"].write_text(text)
    paths["latest"].write_text(text)
    return paths


if __name__ == "__main__":
    sys.exit(main())
