"""What one change buys in the browser: ``python -m bench.ab REV [REV ...] --page jamforelsetal --kind slider``.

The full benchmark resolves differences of ~15 % at best: a page's p50 moves by 10-15 ms between two runs of the same
code on this machine. To learn whether a change buys 5 ms, this runs the versions side by side instead: each REV (a
git revision, ``.`` for the working tree, ``bare`` for the bare slider page under plain ``streamlit run``) gets its
own server, one browser holds a page of each, and their widget changes are interleaved in rounds (the order
alternating), so drift in the machine's speed reaches all of them alike. A revision is read with ``git archive``
into a temporary folder and started with this checkout's serve.py. Timing as in bench/browser.py: from the input
event to the first rendered frame, in the page. Prints p25/p50/p75 per version and the p50 against the first.

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


def get_app(rev: str, tmp: Path, index: int) -> tuple[App, str]:
    """The app and launcher variant to measure for ``rev``."""
    if rev == "bare":
        return servers.bare(), "stock"
    pages = servers.ours().pages
    root = REPO_ROOT if rev == "." else extract_revision(rev, tmp / f"rev{index}")
    return App(f"ours-{index}", root, "app.py", pages), "serve"


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


def format_results(times: dict) -> str:
    """A Markdown table: n, p25, p50, p75 per version and p50 against the first version's."""
    first = statistics.median(next(iter(times.values())))
    lines = ["| version | n | p25 | p50 | p75 | p50 / first |", "|---|---|---|---|---|---|"]
    for label, xs in times.items():
        q = statistics.quantiles(xs, n=4)
        lines.append(f"| {label} | {len(xs)} | {q[0]:.0f} | {statistics.median(xs):.0f} | {q[2]:.0f} | "
                     f"{statistics.median(xs) / first:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure the versions given on the command line and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("revs", nargs="+", help="git revisions, '.' for the working tree, 'bare' for the bare slider page")
    p.add_argument("--page", default="jamforelsetal", help="URL path of the page (default: jamforelsetal)")
    p.add_argument("--kind", choices=("slider", "selectbox"), default="slider",
                   help="selectbox: the page's first selector (selectbox, radio group or segmented control)")
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--changes", type=int, default=8, help="timed changes per version and round")
    a = p.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from tests.e2e.browser_util import launch_browser

    with tempfile.TemporaryDirectory(prefix="ks-ab-") as tmp:
        started: list[Server] = []
        try:
            targets = []
            for i, rev in enumerate(a.revs):
                app, variant = get_app(rev, Path(tmp), i)
                server = Server(app, variant).start()
                started.append(server)
                targets.append((f"{rev} ({i})" if a.revs.count(rev) > 1 else rev, server, get_path(app, a.page)))
            with sync_playwright() as pw:
                browser = launch_browser(pw)
                try:
                    times = measure(browser, targets, a.kind, a.rounds, a.changes)
                finally:
                    browser.close()
        finally:
            for server in started:
                server.stop()
    print(f"/{a.page}, {a.kind}: input event -> rendered, ms ({a.rounds} rounds of {a.changes} changes)\n")
    print(format_results(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
