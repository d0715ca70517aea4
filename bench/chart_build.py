"""What a chart costs the server when a widget gives it new data: ``python -m bench.chart_build [--repeats N]``.

ui.get_chart keeps a chart's finished spec per process, so a rerun with the same data costs a lookup; the benchmark's
interaction timings (bench.run) switch between two values and so always hit it. A user who drags a threshold slider
or opens a goal for the first time since the server started gets new data and waits for the chart to be built: the
builder (ks_data.charts, Altair) and its conversion to the Vega-Lite spec the browser gets. This instrument opens the
views that draw charts with AppTest, records every chart call they make (builder and arguments), and times each call
built afresh: the builder alone and builder plus spec, median of ``--repeats``. Writes
``bench/results/chart-build-<timestamp>.md`` (and ``chart-build-latest.md``), with the command that made it.
"""

from __future__ import annotations

import argparse
import functools
import logging
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.robust import RESULTS_DIR, start_result, write_result  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
# The views that draw charts: (page script, URL parameters), with the phone layouts ui.show_chart draws beside some.
VIEWS = (
    ("pages/1_mal.py", {"mal": "2.2"}),
    ("pages/1_mal.py", {"mal": "1.1"}),
    ("pages/2_ekonomi.py", {}),
    ("pages/2_ekonomi.py", {"grans": "0"}),
    ("pages/2_ekonomi.py", {"visa": "budget"}),
    ("pages/3_jamforelsetal.py", {}),
    ("pages/4_aktiviteter.py", {}),
)


def record_calls(views=VIEWS) -> list[tuple]:
    """Run each view with AppTest and return the distinct chart calls it made: (view, builder, args, kwargs)."""
    from streamlit.testing.v1 import AppTest

    from ui import cache, chart

    calls: dict[tuple, tuple] = {}
    original = cache.CHART_SPECS.call

    def recording(func, args, kwargs):
        if func is chart.build_spec:
            builder, *rest = args
            key = cache.dump_key((builder.__module__, builder.__qualname__, rest, sorted(kwargs.items())))
            calls.setdefault(key, (builder, tuple(rest), dict(kwargs)))
        return original(func, args, kwargs)

    cache.CHART_SPECS.call = recording
    try:
        for script, params in views:
            at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
            at.run()
            at.switch_page(script)
            for name, value in params.items():
                at.query_params[name] = value
            at.run()
    finally:
        del cache.CHART_SPECS.call  # the class's method again
    return list(calls.values())


def time_call(func, repeats: int) -> float:
    """Median wall time of ``func()`` in ms over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(calls: list[tuple], repeats: int) -> list[dict]:
    """Time every recorded chart call built afresh: the builder alone (Altair's defaults), and ui.chart.build_spec."""
    from ui import chart

    rows = []
    for builder, args, kwargs in calls:
        build = functools.partial(builder, *args, **kwargs)
        spec = functools.partial(chart.build_spec, builder, *args, **kwargs)
        spec()  # the first build imports and warms what it needs
        rows.append({"chart": builder.__name__, "rows": len(args[0]) if hasattr(args[0], "__len__") else None,
                     "build_ms": round(time_call(build, repeats), 1), "spec_ms": round(time_call(spec, repeats), 1)})
    return rows


def format_report(result: dict) -> str:
    """Return the run as Markdown: one line per chart call, and the sum."""
    rows = result["rows"]
    lines = [f"# Chart builds {result['stamp']}", "",
             f"`python -m bench.chart_build {' '.join(result['argv'])}` · commit `{result['commit']}` · "
             f"{result['cpus']} CPUs · load average {result['load_avg']} · median of {result['repeats']}", "",
             "Time in ms to build a chart afresh (what a widget that gives a chart new data waits for on the server, "
             "beside the rest of its run): the builder alone with Altair's defaults (each part validated as it is "
             "made), and the builder plus the Vega-Lite spec the browser gets as the app builds it "
             "(ui.chart.build_spec).", "",
             "| chart | data rows | builder (Altair's defaults) | builder + spec (the app) |", "|---|---:|---:|---:|"]
    lines += [f"| {r['chart']} | {r['rows']} | {r['build_ms']} | {r['spec_ms']} |" for r in rows]
    lines.append(f"| **all {len(rows)}** | | **{sum(r['build_ms'] for r in rows):.1f}** | "
                 f"**{sum(r['spec_ms'] for r in rows):.1f}** |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Record the views' chart calls, time each, write the report."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--out", type=Path, default=RESULTS_DIR)
    a = p.parse_args(argv)
    logging.disable(logging.WARNING)  # AppTest's "no runtime" warnings
    result = start_result(argv)
    result["repeats"] = a.repeats
    result["rows"] = measure(record_calls(), a.repeats)
    write_result(result, format_report(result), a.out, "chart-build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
