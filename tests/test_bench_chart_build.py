"""bench/chart_build.py finds the charts a view draws and times each built afresh.

The committed timings are bench/results/chart-build-latest.md (`python -m bench.chart_build`); this asserts which calls
it records and that a smoke run reports each, no times.
"""

from __future__ import annotations

import re

from bench import chart_build
from ks_data import charts
from ui import cache


def test_it_records_each_chart_of_a_view_once_with_its_phone_layout():
    calls = chart_build.record_calls([("pages/2_ekonomi.py", {}), ("pages/2_ekonomi.py", {})])
    # The deviation chart and its phone layout (other arguments), once each although the view ran twice.
    assert [builder for builder, _, _ in calls] == [charts.deviation_chart, charts.deviation_chart]


def test_it_builds_the_charts_afresh_and_leaves_the_cache_as_it_was():
    calls = chart_build.record_calls([("pages/4_aktiviteter.py", {})])
    assert "call" not in vars(cache.CHART_SPECS)  # the recorder is taken off again
    rows = chart_build.measure(calls, repeats=1)
    assert [r["chart"] for r in rows] == ["status_count_chart"]
    assert rows[0]["spec_ms"] > 0 and rows[0]["build_ms"] > 0


def test_the_report_has_a_line_per_call_and_the_sum():
    result = {"stamp": "20261207-000000", "argv": ["--repeats", "3"], "commit": "abc1234", "cpus": 2,
              "load_avg": "0.1 0.1 0.1", "repeats": 3,
              "rows": [{"chart": "deviation_chart", "rows": 7, "build_ms": 10.0, "spec_ms": 15.5},
                       {"chart": "status_count_chart", "rows": 4, "build_ms": 2.5, "spec_ms": 4.0}]}
    text = chart_build.format_report(result)
    assert "`python -m bench.chart_build --repeats 3` · commit `abc1234`" in text
    assert re.search(r"\| deviation_chart \| 7 \| 10.0 \| 15.5 \|", text)
    assert "| **all 2** | | **12.5** | **19.5** |" in text
