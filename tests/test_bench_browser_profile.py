"""bench/browser_profile.py turns Chromium's counters into milliseconds per step, and its table says what it read.

The committed profile is bench/results/browser-profile-latest.md (`python -m bench.browser_profile`); the counters
themselves come from a live Chromium, which the full run reads, so no times are asserted here.
"""

from __future__ import annotations

import pytest

from bench import browser_profile


@pytest.mark.parametrize(("before", "after", "n", "expected"), [
    ({"TaskDuration": 1.0, "ScriptDuration": 0.5, "Nodes": 300}, {"TaskDuration": 1.8, "ScriptDuration": 0.9,
                                                                    "LayoutDuration": 0.04, "Nodes": 420}, 1,
     {"task": 800.0, "script": 400.0, "layout": 40.0, "style": 0.0, "nodes": 420}),
    ({"TaskDuration": 2.0}, {"TaskDuration": 2.4, "Nodes": 10}, 4,  # per change: 400 ms over four changes
     {"task": 100.0, "script": 0.0, "layout": 0.0, "style": 0.0, "nodes": 10}),
])
def test_counters_become_milliseconds_per_step(before, after, n, expected):
    assert browser_profile.diff_metrics(before, after, n) == expected


def test_the_table_has_a_row_per_page_and_step():
    rows = [("ours /mal", "fresh load", {"task": 900.0, "script": 500.0, "layout": 40.0, "style": 30.0, "nodes": 1000}),
            ("ours /mal", "slider change", {"task": 90.0, "script": 50.0, "layout": 2.0, "style": 3.0, "nodes": 1010,
                                            "in_page_p50": 80.0})]
    table = browser_profile.format_rows(rows).splitlines()
    assert len(table) == 2 + len(rows)
    assert table[2] == "| ours /mal | fresh load |  | 900.0 | 500.0 | 40.0 | 30.0 | 1000 |"
    assert table[3] == "| ours /mal | slider change | 80.0 | 90.0 | 50.0 | 2.0 | 3.0 | 1010 |"


@pytest.mark.parametrize(("call_frame", "expected"), [
    ({"url": "http://127.0.0.1:8501/static/js/react-dom.Dzbslgj4.js", "functionName": "Ho"}, "react-dom"),
    ({"url": "http://127.0.0.1:8501/static/js/embed.CX5AQgxi.js", "functionName": ""}, "embed"),
    ({"url": "http://127.0.0.1:8501/static/js/emotion-styled.browser.esm.DdOkyKg_.js"}, "emotion-styled.browser.esm"),
    ({"url": "", "functionName": "appendChild"}, "(native)"),
    ({"url": "", "functionName": "(garbage collector)"}, "(garbage collector)"),
    ({"url": "", "functionName": "(idle)"}, "(idle)"),
])
def test_a_sample_is_named_by_its_script_without_the_release_hash(call_frame, expected):
    assert browser_profile.get_script_name(call_frame) == expected


def test_a_cpu_profile_sums_its_samples_by_script_and_leaves_idle_out():
    profile = {"nodes": [{"id": 1, "callFrame": {"url": "", "functionName": "(idle)"}},
                         {"id": 2, "callFrame": {"url": "https://x/static/js/embed.CX5AQgxi.js", "functionName": "a"}},
                         {"id": 3, "callFrame": {"url": "https://x/static/js/embed.CX5AQgxi.js", "functionName": "b"}},
                         {"id": 4, "callFrame": {"url": "", "functionName": "(program)"}}],
               "samples": [1, 2, 3, 4, 1], "timeDeltas": [5000, 200, 300, 1000, 9000]}
    assert browser_profile.sum_self_time(profile) == {"embed": 0.5, "(program)": 1.0}


def test_the_script_table_has_the_largest_scripts_the_rest_and_each_page_total():
    columns = [("ours /ekonomi", {"react-dom": 140.0, "embed": 100.0, "Slider": 14.0}),
               ("bare /chart", {"react-dom": 87.0, "embed": 79.0})]
    lines = browser_profile.format_scripts(columns, top=2).splitlines()
    assert lines[0] == "| script | ours /ekonomi | bare /chart |"
    assert lines[2:] == ["| react-dom | 140 | 87 |", "| embed | 100 | 79 |", "| (the rest) | 14 | 0 |",
                         "| **all, ms per load** | **254** | **166** |"]
