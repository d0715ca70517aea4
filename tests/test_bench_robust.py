"""bench/robust.py keeps working: a few seconds of soak and a few concurrent sessions, with no failed session.

The full run (a 5-minute soak, 300 concurrent sessions) is `python -m bench.robust`; its results are committed in
bench/results/robust-*.md. This smoke run asserts no times and judges no memory (too few sessions for a rate).
"""

from __future__ import annotations

import json

import pytest

from bench import robust


def test_smoke_run_reports_memory_and_every_session_finishes(tmp_path) -> None:
    assert robust.main(["--soak", "4", "--clients", "2", "--concurrent", "12", "--settle", "0",
                        "--out", str(tmp_path)]) == 0
    [path] = tmp_path.glob("robust-2*.json")
    result = json.loads(path.read_text())
    soak, conc = result["soak"], result["concurrent"]
    assert soak["sessions"] > 0 and soak["errors"] == [] and soak["changes"] > 0
    assert len(soak["pages"]) == 8
    assert all(isinstance(soak[k], float) for k in ("rss_start_mb", "rss_end_mb", "rss_settled_mb"))
    assert soak["growth_per_1000_mb"] is not None and soak["samples"]
    assert conc["sessions"] == conc["ok"] == 12 and conc["errors"] == []
    assert result["problems"] == []
    assert "## Verdict" in (tmp_path / "robust-latest.md").read_text()


@pytest.mark.parametrize(("sessions", "growth", "errors", "failing"), [
    (1000, 5.0, [], False),
    (1000, 25.0, [], True),  # over the limit per 1 000 sessions
    (100, 250.0, [], False),  # too few sessions to judge a rate
    (1000, 5.0, ["/mal: TimeoutError"], True),
])
def test_judge_fails_on_a_failed_session_or_growth_over_the_limit(sessions, growth, errors, failing) -> None:
    result = {"soak": {"sessions": sessions, "growth_settled_per_1000_mb": growth, "errors": errors},
              "concurrent": {"sessions": 3, "ok": 3, "errors": []}}
    assert bool(robust.judge(result)) is failing


def test_slope_is_growth_per_1000_sessions() -> None:
    samples = [{"sessions": n, "rss_mb": 200 + n * 0.004} for n in (0, 500, 1000, 1500)]
    assert robust.calc_slope(samples) == pytest.approx(4.0)
    assert robust.calc_slope(samples[:2]) is None
    assert robust.per_thousand(10.0, 2000) == 5.0 and robust.per_thousand(10.0, 0) is None
