"""What one change buys in the browser: ``python -m bench.ab REV [REV ...] --page jamforelsetal --kind slider``.

The full benchmark resolves differences of ~15 % at best: a page's p50 moves by 10-15 ms between two runs of the same
code on this machine. To learn whether a change buys 5 ms, this runs the versions side by side instead: each REV (a
git revision, ``.`` for the working tree, ``bare`` for the bare slider page under plain ``streamlit run``) gets its
own server, one browser holds a page of each, and their widget changes are interleaved in rounds (the order
alternating), so drift in the machine's speed reaches all of them alike. A revision is read with ``git archive``
into a temporary folder and started with this checkout's serve.py, or with its own (``--launcher own``: to compare
two launchers, e.g. before and after a change to serve.py). Timing as in bench/browser.py: from the input
event to the first rendered frame, in the page. Prints p25/p50/p75 per version and the p50 against the first.

``--kind load`` times fresh page loads instead (a new browser context each: no HTTP cache, a new session; navigation
to rendered, wall clock), ``--kind cold`` a cold start per version and round (process start to the page rendered in
a browser that is already open, as bench.run's ``cold`` section). ``--kind cpu`` needs no browser: the server's CPU
time (all its threads, from /proc) per session of bench.wsclient, one session after another (open the page, then
change its first widget if it has one, as in bench.run's load section), a figure per version and round; here the
bare slider page runs under this checkout's serve.py too, since the server's work is what is compared.

Give the same REV twice to see how far two copies of the same code stand apart.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.servers import REPO_ROOT, App, Server  # noqa: E402


def extract_revision(rev: str, into: Path) -> Path:
    """Write the tree of git revision ``rev`` (with the bundled data) into ``into``; return it."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=REPO_ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def get_app(rev: str, tmp: Path, index: int, kind: str = "slider") -> tuple[App, str]:
    """The app and launcher variant to measure for ``rev``."""
    if rev == "bare":
        return servers.bare(), "serve" if kind == "cpu" else "stock"
    pages = servers.ours().pages
    root = REPO_ROOT if rev == "." else extract_revision(rev, tmp / f"rev{index}")
    return App(f"ours-{index}", root, "app.py", pages), "serve"


def get_launcher(app: App, launcher: str) -> Path | None:
    """The serve.py that starts ``app``: None for this checkout's, the revision's own with ``launcher == "own"``."""
    return app.root / "serve.py" if launcher == "own" and app.name != "bare" else None


def get_path(app: App, page: str) -> str:
    """URL path of ``page`` (a path such as ``jamforelsetal``), or the bare app's slider page."""
    return "" if app.name == "bare" else page


def measure(browser, targets: list[tuple[str, Server, str]], kind: str, rounds: int, changes: int) -> dict:
    """Interleave ``changes`` timed changes per version in each of ``rounds`` rounds; return ms per version."""
    from bench import browser as br

    pages, out = {}, {label: [] for label, _, _ in targets}
    change = {"slider": br.slider_changes, "selectbox": br.select_changes}
    try:
        for label, server, path in targets:
            page = br.open_page(browser)
            page.context.add_init_script(br.INPUT_TRACKER_JS)
            br.goto_rendered(page, f"{server.url}/{path}", timeout=br.TIMEOUT_MS)
            # The bare app has only a slider: it is the reference for either kind.
            how = change["slider"] if server.app.name == "bare" else change[kind]
            how(page, 2)  # untimed: the first changes build views the later ones reuse
            pages[label] = (page, how)
        for rnd in range(rounds):
            order = list(pages.items()) if rnd % 2 == 0 else list(reversed(pages.items()))
            for label, (page, how) in order:
                out[label] += [t[0] * 1000 for t in how(page, changes)]
    finally:
        for page, _ in pages.values():
            page.context.close()
    return out


def measure_loads(browser, targets: list[tuple[str, Server, str]], rounds: int, loads: int) -> dict:
    """Interleave ``loads`` fresh page loads per version in each of ``rounds`` rounds; return ms per version."""
    from bench import browser as br

    out = {label: [] for label, _, _ in targets}
    for _label, server, path in targets:
        br.load_fresh(browser, server, path)  # untimed: the first load builds the views later ones reuse
    for rnd in range(rounds):
        for label, server, path in (targets if rnd % 2 == 0 else list(reversed(targets))):
            for _ in range(loads):
                seconds, errors = br.load_fresh(browser, server, path)
                if errors:
                    raise RuntimeError(f"{label}: {errors}")
                out[label].append(seconds * 1000)
    return out


def measure_cold(browser, apps: list[tuple[str, App, str, Path | None]], rounds: int, page: str) -> dict:
    """One cold start per version in each of ``rounds`` rounds (the order alternating); return ms per version from
    process start to ``page`` rendered."""
    from bench import browser as br

    out = {label: [] for label, _, _, _ in apps}
    for rnd in range(rounds):
        for label, app, variant, launcher in (apps if rnd % 2 == 0 else list(reversed(apps))):
            res = br.cold_start(browser, app, variant, launcher=launcher, path=get_path(app, page))
            if res["errors"]:
                raise RuntimeError(f"{label}: {res['errors']}")
            out[label].append(res["rendered_s"] * 1000)
    return out


def measure_cpu(targets: list[tuple[str, Server, str]], rounds: int, sessions: int) -> dict:
    """Server CPU ms per session: ``sessions`` sessions one after another per version in each of ``rounds`` rounds
    (the order alternating); one figure per version and round."""
    import asyncio

    from bench import wsclient

    def run(server: Server, path: str, change: bool) -> None:
        rec = asyncio.run(wsclient.session(server.url, path, change=change))
        if not rec["ok"]:
            raise RuntimeError(f"/{path}: {rec.get('error') or rec}")

    plan = []
    for label, server, path in targets:
        change = wsclient.has_widget(server.url, path)  # untimed, as the next session: views and scripts made
        run(server, path, change)
        plan.append((label, server, path, change))
    out = {label: [] for label, _, _ in targets}
    for rnd in range(rounds):
        for label, server, path, change in (plan if rnd % 2 == 0 else list(reversed(plan))):
            before = servers.cpu_s(server.pid)
            for _ in range(sessions):
                run(server, path, change)
            out[label].append((servers.cpu_s(server.pid) - before) * 1000 / sessions)
    return out


def format_results(times: dict) -> str:
    """A Markdown table: n, p25, p50, p75 per version and p50 against the first version's."""
    first = statistics.median(next(iter(times.values())))
    lines = ["| version | n | p25 | p50 | p75 | p50 / first |", "|---|---|---|---|---|---|"]
    for label, xs in times.items():
        q = statistics.quantiles(xs, n=4) if len(xs) > 1 else xs * 3  # one cold start: it is every quartile
        lines.append(f"| {label} | {len(xs)} | {q[0]:.0f} | {statistics.median(xs):.0f} | {q[2]:.0f} | "
                     f"{statistics.median(xs) / first:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure the versions given on the command line and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("revs", nargs="+", help="git revisions, '.' for the working tree, 'bare' for the bare slider page")
    p.add_argument("--page", default="jamforelsetal", help="URL path of the page (default: jamforelsetal)")
    p.add_argument("--kind", choices=("slider", "selectbox", "load", "cold", "cpu"), default="slider",
                   help="selectbox: the page's first selector (selectbox, radio group or segmented control); "
                        "load: fresh page loads; cold: process start to the page rendered; "
                        "cpu: the server's CPU per session (no browser)")
    p.add_argument("--launcher", choices=("this", "own"), default="this",
                   help="serve.py of this checkout for every revision (default), or each revision's own")
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--changes", type=int, default=None,
                   help="timed changes (or page loads) per version and round, default 8; cold: one start per round; "
                        "cpu: sessions per version and round, default 40 (/proc counts CPU in 10 ms ticks)")
    a = p.parse_args(argv)
    if a.changes is None:
        a.changes = 40 if a.kind == "cpu" else 8

    with tempfile.TemporaryDirectory(prefix="ks-ab-") as tmp:
        apps = []
        for i, rev in enumerate(a.revs):
            app, variant = get_app(rev, Path(tmp), i, a.kind)
            apps.append((f"{rev} ({i})" if a.revs.count(rev) > 1 else rev, app, variant, get_launcher(app, a.launcher)))
        started: list[Server] = []
        try:
            targets = []
            for label, app, variant, launcher in ([] if a.kind == "cold" else apps):
                server = Server(app, variant, launcher=launcher).start()
                started.append(server)
                targets.append((label, server, get_path(app, a.page)))
            if a.kind == "cpu":
                times = measure_cpu(targets, a.rounds, a.changes)
            else:
                times = measure_in_browser(a, apps, targets)
        finally:
            for server in started:
                server.stop()
    what = {"load": "fresh page load, navigation -> rendered", "cold": "cold start, process start -> rendered",
            "cpu": "server CPU ms per session (open the page, change its first widget if it has one)"}
    count = f"{a.rounds} rounds" + ("" if a.kind == "cold" else f" of {a.changes}")
    print(f"/{a.page}, {a.kind}: {what.get(a.kind, 'input event -> rendered')}, ms ({count}, launcher: {a.launcher})\n")
    print(format_results(times))
    return 0


def measure_in_browser(a: argparse.Namespace, apps: list, targets: list) -> dict:
    """Measure the browser kinds (slider, selectbox, load, cold) of the versions; return ms per version."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser_util import launch_browser

    with sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            if a.kind == "cold":
                return measure_cold(browser, apps, a.rounds, a.page)
            if a.kind == "load":
                return measure_loads(browser, targets, a.rounds, a.changes)
            return measure(browser, targets, a.kind, a.rounds, a.changes)
        finally:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
