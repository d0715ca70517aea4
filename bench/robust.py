"""Robustness of one server process: a soak of steady sessions (memory at start and end) and many sessions at once.

```bash
.venv/bin/python -m bench.robust                  # full run: 5-minute soak, then 300 concurrent sessions (~10 min)
.venv/bin/python -m bench.robust --soak 5 --clients 2 --concurrent 10 --settle 0   # smoke (tests/test_bench_robust.py)
```

Both parts start KS-utforskaren as `make run` does (``serve.py``, bench/servers.py) on 127.0.0.1 and talk to it
with bench/wsclient.py: a session opens a page over the WebSocket, runs it to its end, changes its first widget where
it has one, and closes.

- ``soak``: ``--clients`` sessions at a time, each client opening one session after the other, round-robin over
  every page, for ``--soak`` seconds. The server's resident memory (RSS) is taken after a warm-up round of every
  page (start), every few seconds, when the last session has closed (end) and ``--settle`` seconds later, when
  Streamlit has dropped the closed sessions it keeps for a reconnect (``server.disconnectedSessionTTL``, 120 s).
  Reported: sessions, errors, RSS at each point, growth per 1 000 sessions from start to end and from start to
  settled, and the slope over the second half of the soak (when the sessions kept for a reconnect no longer pile
  up). Judged against GROWTH_LIMIT_MB once at least JUDGED_SESSIONS sessions ran.
- ``concurrent``: ``--concurrent`` sessions opened at the same moment on a fresh server; every one must finish
  without an error (no refused connection, no timeout, no exception on a page).

Results: bench/results/robust-<timestamp>.json and .md, and bench/results/robust-latest.md (``--out DIR``).
The exit status is 1 when a session failed or the growth is over its limit.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from bench import servers
from bench.wsclient import run_async, session

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Memory growth a steady load may cost per 1 000 sessions once the closed sessions are dropped (MiB); a leak of a
# page's data or a chart per session would be far more (each page's data is 1–5 MB).
GROWTH_LIMIT_MB = 20.0
# Below this many sessions a growth per 1 000 is an extrapolation of noise and is not judged.
JUDGED_SESSIONS = 500
SAMPLE_EVERY_S = 5.0
SESSION_TIMEOUT_S = 600.0


def start_result(argv: list[str] | None) -> dict:
    """Return a run's header: time stamp, commit, CPUs, the command's arguments and the load average at start."""
    import os
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=servers.REPO_ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"stamp": dt.datetime.now().strftime("%Y%m%d-%H%M%S"), "commit": commit, "cpus": os.cpu_count(),
            "argv": argv or sys.argv[1:], "load_avg": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def write_result(result: dict, text: str, out: Path, prefix: str) -> None:
    """Write a run as <prefix>-<stamp>.json and .md and <prefix>-latest.md in ``out``, and print its report."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{prefix}-{result['stamp']}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (out / f"{prefix}-{result['stamp']}.md").write_text(text)
    (out / f"{prefix}-latest.md").write_text(text)
    print(text)


def log(msg: str) -> None:
    print(f"[robust {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def per_thousand(grown_mb: float | None, sessions: int) -> float | None:
    """Growth in MiB per 1 000 sessions, or None without sessions or a reading."""
    return None if grown_mb is None or sessions <= 0 else round(grown_mb / sessions * 1000, 2)


def calc_slope(samples: list[dict]) -> float | None:
    """Least-squares RSS growth (MiB) per 1 000 sessions over ``samples`` ({sessions, rss_mb}); None if too few."""
    points = [(s["sessions"], s["rss_mb"]) for s in samples if s["rss_mb"] is not None]
    if len(points) < 3 or len({x for x, _ in points}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return round(cov / var * 1000, 2)


def failures(records: list[dict]) -> list[str]:
    """What went wrong in sessions: an error, an exception on the page, or an unfinished run."""
    out = []
    for rec in records:
        if not rec.get("ok"):
            out.append(f"/{rec.get('page', '?')}: {rec.get('error') or str(rec.get('exceptions', 0)) + ' exceptions'}")
    return out


async def warm_up_pages(base: str, pages: list[str]) -> dict[str, bool]:
    """One session per page (the first run reads the data); return which pages have a widget to change."""
    widget = {}
    for page in pages:
        rec = await session(base, page, change=True, timeout_s=SESSION_TIMEOUT_S)
        widget[page] = "interaction_s" in rec
        if not widget[page]:
            rec = await session(base, page, change=False, timeout_s=SESSION_TIMEOUT_S)
        if not rec.get("ok"):
            raise RuntimeError(f"warm-up of /{page} failed: {rec}")
    return widget


async def _soak(srv: servers.Server, pages: list[str], seconds: float, clients: int, settle: float) -> dict:
    base = srv.url
    widget = await warm_up_pages(base, pages)
    records: list[dict] = []
    samples: list[dict] = []
    start_rss = servers.rss_mb(srv.pid)
    t0 = time.monotonic()
    end = t0 + seconds

    async def client(i: int) -> None:
        n = i
        while time.monotonic() < end:
            page = pages[n % len(pages)]
            records.append(await session(base, page, change=widget[page], timeout_s=SESSION_TIMEOUT_S))
            n += clients

    async def sampler() -> None:
        while time.monotonic() < end:
            samples.append({"t_s": round(time.monotonic() - t0, 1), "sessions": len(records),
                            "rss_mb": servers.rss_mb(srv.pid)})
            await asyncio.sleep(SAMPLE_EVERY_S)

    await asyncio.gather(sampler(), *(client(i) for i in range(clients)))
    end_rss = servers.rss_mb(srv.pid)
    samples.append({"t_s": round(time.monotonic() - t0, 1), "sessions": len(records), "rss_mb": end_rss})
    if settle > 0:
        log(f"soak: {len(records)} sessions; waiting {settle:.0f} s for the closed sessions to be dropped")
        await asyncio.sleep(settle)
    settled_rss = servers.rss_mb(srv.pid)
    n = len(records)
    loads = [r["load_s"] for r in records if "load_s" in r]
    grown = None if start_rss is None or end_rss is None else round(end_rss - start_rss, 1)
    grown_settled = None if start_rss is None or settled_rss is None else round(settled_rss - start_rss, 1)
    later = [s for s in samples if s["t_s"] >= seconds / 2]
    return {
        "seconds": seconds, "clients": clients, "pages": pages, "sessions": n,
        "sessions_per_s": round(n / seconds, 2) if seconds else None,
        "changes": sum("interaction_s" in r for r in records),
        "errors": failures(records),
        "load_p50_ms": round(statistics.median(loads) * 1000, 1) if loads else None,
        "rss_start_mb": start_rss, "rss_end_mb": end_rss, "settle_s": settle, "rss_settled_mb": settled_rss,
        "growth_mb": grown, "growth_per_1000_mb": per_thousand(grown, n),
        "growth_settled_mb": grown_settled, "growth_settled_per_1000_mb": per_thousand(grown_settled, n),
        "slope_second_half_per_1000_mb": calc_slope(later),
        "samples": samples,
    }


async def _concurrent(srv: servers.Server, pages: list[str], n: int) -> dict:
    base = srv.url
    widget = await warm_up_pages(base, pages)
    before = servers.rss_mb(srv.pid)
    t0 = time.monotonic()
    records = await asyncio.gather(*(session(base, pages[i % len(pages)], change=widget[pages[i % len(pages)]],
                                             timeout_s=SESSION_TIMEOUT_S) for i in range(n)))
    wall = time.monotonic() - t0
    totals = sorted(r["total_s"] for r in records if "total_s" in r)
    return {
        "sessions": n, "ok": sum(bool(r.get("ok")) for r in records), "errors": failures(records),
        "wall_s": round(wall, 1),
        "session_p50_s": round(statistics.median(totals), 2) if totals else None,
        "session_max_s": round(totals[-1], 2) if totals else None,
        "rss_before_mb": before, "rss_after_mb": servers.rss_mb(srv.pid),
    }


def judge(result: dict) -> list[str]:
    """The reasons the run fails: failed sessions, and memory growth over GROWTH_LIMIT_MB per 1 000 sessions."""
    problems = []
    soak, conc = result.get("soak"), result.get("concurrent")
    if soak:
        problems += [f"soak: {e}" for e in soak["errors"]]
        growth = soak["growth_settled_per_1000_mb"]
        if soak["sessions"] >= JUDGED_SESSIONS and growth is not None and growth > GROWTH_LIMIT_MB:
            problems.append(f"soak: memory grew {growth} MiB per 1 000 sessions (limit {GROWTH_LIMIT_MB})")
    if conc:
        problems += [f"concurrent: {e}" for e in conc["errors"]]
        if conc["ok"] != conc["sessions"]:
            problems.append(f"concurrent: {conc['ok']} of {conc['sessions']} sessions finished")
    return problems


def render(result: dict) -> str:
    """The Markdown report of a run."""
    lines = [f"# Robustness run {result['stamp']}", "", f"Commit `{result['commit']}`, {result['cpus']} CPUs, "
             f"load average at start {result['load_avg']}. `python -m bench.robust {' '.join(result['argv'])}`", ""]
    soak = result.get("soak")
    if soak:
        judged = soak["sessions"] >= JUDGED_SESSIONS
        lines += [
            f"## Soak: {soak['seconds']:.0f} s, {soak['clients']} steady clients over {len(soak['pages'])} pages", "",
            "| measure | value |", "|---|---|",
            f"| sessions (with a widget change) | {soak['sessions']} ({soak['changes']}) |",
            f"| sessions per second | {soak['sessions_per_s']} |",
            f"| errors | {len(soak['errors'])} |",
            f"| page load p50 | {soak['load_p50_ms']} ms |",
            f"| RSS at start (after one warm-up round) | {soak['rss_start_mb']} MiB |",
            f"| RSS at end (last session closed) | {soak['rss_end_mb']} MiB |",
            f"| RSS {soak['settle_s']:.0f} s later (closed sessions dropped) | {soak['rss_settled_mb']} MiB |",
            f"| growth per 1 000 sessions, start → end | {soak['growth_per_1000_mb']} MiB |",
            f"| growth per 1 000 sessions, start → settled (judged) | {soak['growth_settled_per_1000_mb']} MiB "
            f"(limit {GROWTH_LIMIT_MB}{'' if judged else f'; not judged below {JUDGED_SESSIONS} sessions'}) |",
            f"| slope over the second half | {soak['slope_second_half_per_1000_mb']} MiB per 1 000 sessions |", ""]
        lines += ["RSS samples (s: sessions, MiB): " + ", ".join(
            f"{s['t_s']:.0f}: {s['sessions']}, {s['rss_mb']}" for s in soak["samples"]), ""]
    conc = result.get("concurrent")
    if conc:
        lines += [f"## {conc['sessions']} concurrent sessions on one process", "", "| measure | value |", "|---|---|",
                  f"| finished without an error | {conc['ok']} of {conc['sessions']} |",
                  f"| wall time, all sessions | {conc['wall_s']} s |",
                  f"| one session, p50 / slowest | {conc['session_p50_s']} s / {conc['session_max_s']} s |",
                  f"| RSS before / after | {conc['rss_before_mb']} / {conc['rss_after_mb']} MiB |", ""]
    problems = result["problems"]
    lines += ["## Verdict", "", "No failed session; memory within its limit." if not problems else
              "\n".join(f"- {p}" for p in problems), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the soak and the concurrent sessions; write the results; exit 1 on a failed session or too much growth."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--soak", type=float, default=300.0, help="soak seconds (0: no soak)")
    p.add_argument("--clients", type=int, default=8, help="steady clients during the soak")
    p.add_argument("--settle", type=float, default=130.0, help="seconds to wait after the soak before the last RSS")
    p.add_argument("--concurrent", type=int, default=300, help="sessions opened at once (0: none)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results (default bench/results)")
    args = p.parse_args(argv)
    app = servers.ours()
    pages = [path for _key, _script, path in app.pages]
    result = start_result(argv)
    if args.soak > 0:
        log(f"soak: {args.soak:.0f} s with {args.clients} clients")
        with servers.Server(app, "serve").start() as srv:
            result["soak"] = run_async(_soak(srv, pages, args.soak, args.clients, args.settle))
    if args.concurrent > 0:
        log(f"concurrent: {args.concurrent} sessions at once")
        with servers.Server(app, "serve").start() as srv:
            result["concurrent"] = run_async(_concurrent(srv, pages, args.concurrent))
    result["problems"] = judge(result)
    write_result(result, render(result), args.out, "robust")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
