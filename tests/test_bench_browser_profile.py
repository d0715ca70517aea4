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
