"""Profile each page's reruns and widget changes with pyinstrument: ``python -m bench.profile_pages [page ...]``.

Runs the pages with AppTest like bench/apptest_bench.py, with a pyinstrument profiler started inside
the script thread of every profiled run (AppTest runs a script in its own thread). Prints, per
page, where the rerun time goes: the project's own functions (inclusive time), the libraries
(self time by top-level package) and the Streamlit calls of the page; writes the full call trees to
bench/results/profiles/<page>.txt. Needs ``pip install pyinstrument`` (in requirements.txt).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "bench" / "results" / "profiles"
_sessions: list = []
_active = {"on": False}


def _install() -> None:
    """Profile every script run (in its own thread) while ``_active['on']`` is set."""
    from pyinstrument import Profiler
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script

    def _run_script(self, *args, **kwargs):
        if not _active["on"]:
            return original(self, *args, **kwargs)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        try:
            return original(self, *args, **kwargs)
        finally:
            profiler.stop()
            _sessions.append(profiler.last_session)

    script_runner.ScriptRunner._run_script = _run_script


def _where(frame) -> str:
    path = frame.file_path or ""
    if str(REPO_ROOT) in path and "/.venv/" not in path and "site-packages" not in path:
        return "project"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    return "python" if path else "?"


def summarize(session, top: int = 15) -> dict:
    """Project functions by inclusive time, libraries by self time, Streamlit API calls by inclusive time."""
    own: Counter = Counter()
    libs: Counter = Counter()
    st_calls: Counter = Counter()
    root = session.root_frame()

    def walk(frame, seen: frozenset, parent_where: str) -> None:
        where = _where(frame)
        ident = f"{Path(frame.file_path or '?').name}:{frame.function}"
        if where == "project" and ident not in seen:
            own[ident] += frame.time
            seen = seen | {ident}
        if where == "streamlit" and parent_where == "project":
            st_calls[f"st.{frame.function}"] += frame.time
        libs[where] += frame.total_self_time
        for child in frame.children:
            walk(child, seen, where if where != "python" else parent_where)

    if root is not None:
        walk(root, frozenset(), "")
    total = root.time if root is not None else 0.0
    return {"total_s": round(total, 4),
            "project": [(k, round(v, 4)) for k, v in own.most_common(top)],
            "libraries": [(k, round(v, 4)) for k, v in libs.most_common(8)],
            "streamlit_calls": [(k, round(v, 4)) for k, v in st_calls.most_common(10)]}


def profile_page(entry: Path, script: str, key: str, reruns: int) -> tuple[dict, str]:
    """Profile ``reruns`` reruns plus two changes of each widget of one page; return the summary and the tree."""
    from pyinstrument.session import Session
    from streamlit.testing.v1 import AppTest

    from bench.apptest_bench import WIDGET_KINDS, _find, _set_other

    at = AppTest.from_file(str(entry), default_timeout=120)
    at.run()
    if script != entry.name:
        at.switch_page(script).run()
    at.run()
    _sessions.clear()
    _active["on"] = True
    t0 = time.perf_counter()
    for _ in range(reruns):
        at.run()
    widgets = [(kind, w.key) for kind in WIDGET_KINDS for w in getattr(at.main, kind) if w.key]
    for kind, wkey in widgets:
        first = _find(at, kind, wkey)
        start = first.index if kind in ("selectbox", "radio") else first.value
        for back in (None, start):
            if _set_other(_find(at, kind, wkey), kind, back) is not None:
                at.run()
    wall = time.perf_counter() - t0
    _active["on"] = False
    runs = len(_sessions)
    session = functools.reduce(Session.combine, _sessions)
    summary = summarize(session)
    summary.update(page=key, runs=runs, wall_s=round(wall, 3), per_run_ms=round(summary["total_s"] / runs * 1000, 1),
                   widgets=[k for _, k in widgets])
    from pyinstrument.renderers import ConsoleRenderer

    tree = ConsoleRenderer(unicode=True, color=False, show_all=False, short_mode=False).render(session)
    return summary, tree


def main(argv: list[str] | None = None) -> int:
    """Profile the named pages of ours (default: all); print summaries, write call trees."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("pages", nargs="*", help="page keys (default: all), e.g. economy goals")
    p.add_argument("--reruns", type=int, default=10)
    p.add_argument("--out", type=Path, default=OUT_DIR)
    a = p.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from bench import servers

    app = servers.ours()
    os.chdir(app.root)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    _install()
    a.out.mkdir(parents=True, exist_ok=True)
    for key, script, _path in app.pages:
        if a.pages and key not in a.pages:
            continue
        summary, tree = profile_page(app.script_path, script, key, a.reruns)
        (a.out / f"{key}.txt").write_text(tree)
        ms = summary["per_run_ms"]
        print(f"\n## {key}: {summary['runs']} runs ({a.reruns} reruns + 2 changes of each of "
              f"{summary['widgets'] or 'no widgets'}), {ms} ms of script time per run")
        per = summary["runs"]
        print("  project functions (inclusive, ms per run):")
        for name, sec in summary["project"]:
            print(f"    {sec / per * 1000:7.1f}  {name}")
        print("  Streamlit calls made by the project (inclusive, ms per run):")
        for name, sec in summary["streamlit_calls"]:
            print(f"    {sec / per * 1000:7.1f}  {name}")
        print("  self time by library (ms per run):")
        for name, sec in summary["libraries"]:
            print(f"    {sec / per * 1000:7.1f}  {name}")
    print(f"\ncall trees: {a.out}/<page>.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
