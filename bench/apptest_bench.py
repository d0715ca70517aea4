"""Server-side script time with Streamlit's AppTest: every page's rerun and each main widget change.

Run as its own process (``python -m bench.apptest_bench ours|bare --repeats N``, prints JSON), so the
apps' imports and caches do not mix with the benchmark's. Reruns on one AppTest are compared, not
fresh runs: a fresh AppTest.run() also scans installed packages for components (about 35 ms). AppTest's script runner
never runs Streamlit's full GC after a run (a server does, unless serve.py turns it off), so these are
the script's own times.
A widget change is timed as ``set_value(other).run()``, alternating between the widget's value and
another one (slider +1 step, another option, a flipped toggle), so both directions are measured.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
WIDGET_KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox")


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _set_other(widget, kind: str, back_to=None):
    """Point the widget at a value other than its current one (or at ``back_to``); return that value, or None.

    Selectboxes and radios are changed by option index: AppTest keeps only their formatted option texts,
    and sends the chosen text as the frontend does, which the app's format_func maps back to a value.
    """
    if kind in ("selectbox", "radio", "select_slider") and not isinstance(widget.value, tuple | list):
        if len(widget.options) < 2:
            return None
        current = widget.index
        target = back_to if back_to is not None else next(i for i in range(len(widget.options)) if i != current)

        class _Chosen(type(widget)):
            @property
            def index(self) -> int:
                return target

        widget.__class__ = _Chosen
        return target
    value = widget.value
    if back_to is not None:
        target = back_to
    elif kind == "slider":
        step = widget.step or 1
        if isinstance(value, tuple | list):
            low, high = value
            target = (low + step, high) if low + step <= high else (low - step, high)
        else:
            target = value + step if value + step <= widget.max else value - step
    elif kind in ("toggle", "checkbox"):
        target = not value
    else:
        return None
    widget.set_value(target)
    return target


def _find(at, kind: str, key: str):
    return next(w for w in getattr(at.main, kind) if w.key == key)


def _errors(at) -> list[str]:
    return [f"exception: {e.value}"[:300] for e in at.exception] + [f"error box: {e.value}"[:300] for e in at.error]


def measure_page(entry: Path, script: str, repeats: int, timeout: float) -> dict:
    """Time one page: first run, reruns, and each keyed main-area widget change."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(entry), default_timeout=timeout)
    t0 = time.perf_counter()
    at.run()
    if script != entry.name:
        t0 = time.perf_counter()
        at.switch_page(script).run()
    first_ms = _ms(t0)
    out: dict = {"first_run_ms": round(first_ms, 1), "errors": _errors(at), "widgets": {}}
    reruns = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        at.run()
        reruns.append(_ms(t0))
    out["rerun_ms_p50"] = _p50(reruns)
    out["rerun_ms_min"] = round(min(reruns), 2)
    out["rerun_ms"] = [round(v, 2) for v in reruns]
    widgets = [(kind, w.key) for kind in WIDGET_KINDS for w in getattr(at.main, kind) if w.key]
    for kind, key in widgets:
        first = _find(at, kind, key)
        start = first.index if kind in ("selectbox", "radio") else first.value
        times, values = [], []
        for i in range(max(2, repeats - repeats % 2)):  # an even count ends on the starting value
            widget = _find(at, kind, key)
            target = _set_other(widget, kind, None if i % 2 == 0 else start)
            if target is None:
                break
            t0 = time.perf_counter()
            at.run()
            times.append(_ms(t0))
            values.append(str(target))
        out["widgets"][key] = {"kind": kind, "change_ms_p50": _p50(times),
                               "change_ms_min": round(min(times), 2) if times else None,
                               "values": sorted(set(values))[:4], "errors": _errors(at)}
        out["errors"] += [e for e in _errors(at) if e not in out["errors"]]
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the AppTest timings of every page of ``ours`` or ``bare`` as JSON."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("app", choices=("ours", "bare"))
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--pages", default="", help="comma-separated page keys (default: all)")
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from bench import servers

    app = servers.ours() if a.app == "ours" else servers.bare()
    os.chdir(app.root)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    from streamlit.testing.v1 import AppTest  # noqa: F401

    result = {"app": app.name, "repeats": a.repeats, "import_apptest_ms": round(_ms(t0), 1), "pages": {}}
    wanted = {k for k in a.pages.split(",") if k}
    for key, script, _path in app.pages:
        if wanted and key not in wanted:
            continue
        try:
            result["pages"][key] = measure_page(app.script_path, script, a.repeats, a.timeout)
        except Exception as exc:  # noqa: BLE001 - report the page as failed, measure the others
            result["pages"][key] = {"errors": [f"{type(exc).__name__}: {exc}"[:500]], "widgets": {}}
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
