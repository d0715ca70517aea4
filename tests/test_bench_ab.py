"""Tests of bench/ab.py: the side-by-side timing of versions of a page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import ab
from bench.servers import REPO_ROOT


def test_a_revision_is_extracted_with_its_code_and_data(tmp_path):
    root = ab.extract_revision("HEAD", tmp_path)
    for path in ("app.py", "pages/3_jamforelsetal.py", "data/comparisons.parquet"):
        committed = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=REPO_ROOT, check=True,
                                   capture_output=True).stdout
        assert (root / path).read_bytes() == committed


def test_an_unknown_revision_stops_the_run_before_any_server_starts(tmp_path):
    with pytest.raises(subprocess.CalledProcessError):
        ab.extract_revision("no-such-revision", tmp_path)


@pytest.mark.parametrize(("times", "row"), [
    ({"a": [10, 20, 30, 40], "b": [20, 40, 60, 80]}, "| b | 4 | 25 | 50 | 75 | 2.00 |"),
    ({"a": [10, 20, 30, 40], "a (1)": [10, 20, 30, 40]}, "| a (1) | 4 | 12 | 25 | 38 | 1.00 |"),
])
def test_results_give_each_versions_quartiles_and_p50_against_the_first(times, row):
    table = ab.format_results(times)
    assert row in table.splitlines()
    assert table.splitlines()[2].endswith("| 1.00 |")


def test_a_revision_is_started_with_this_checkouts_launcher_or_its_own():
    ours, bare = ab.App("ours-0", Path("/tmp/rev0"), "app.py", ()), ab.servers.bare()
    assert ab.get_launcher(ours, "this") is None  # bench.servers then takes this checkout's serve.py
    assert ab.get_launcher(ours, "own") == Path("/tmp/rev0/serve.py")
    assert ab.get_launcher(bare, "own") is None  # the bare page runs under plain `streamlit run` either way


def test_a_single_time_is_every_quartile():
    assert "| a | 1 | 30 | 30 | 30 | 1.00 |" in ab.format_results({"a": [30.0]}).splitlines()


@pytest.mark.browser
@pytest.mark.parametrize(("page", "kind"), [
    ("jamforelsetal", "load"),
    ("jamforelsetal", "slider"),
    # Ekonomi's first selector is a radio group whose shown option is not the first: a choice must change it.
    ("ekonomi", "selectbox"),
])
def test_the_working_tree_and_the_bare_page_are_timed_side_by_side(page, kind):
    cmd = [sys.executable, "-m", "bench.ab", ".", "bare", "--page", page, "--kind", kind, "--rounds", "1",
           "--changes", "2"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ") and "version" not in line]
    assert [row.split("|")[1].strip() for row in rows] == [".", "bare"]
    assert all(row.split("|")[2].strip() == "2" for row in rows)


@pytest.mark.browser
def test_a_revision_is_cold_started_with_its_own_launcher_beside_the_working_tree():
    cmd = [sys.executable, "-m", "bench.ab", "HEAD", ".", "--launcher", "own", "--kind", "cold", "--page", "mal",
           "--rounds", "1"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "launcher: own" in proc.stdout
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ") and "version" not in line]
    assert [(row.split("|")[1].strip(), row.split("|")[2].strip()) for row in rows] == [("HEAD", "1"), (".", "1")]


@pytest.mark.parametrize("page", [
    "mal",             # a page with widgets: each session opens it and changes its slider
    "tillganglighet",  # a page without one: each session only opens it
])
def test_the_servers_cpu_per_session_is_measured_without_a_browser_beside_the_bare_page(page):
    cmd = [sys.executable, "-m", "bench.ab", ".", "bare", "--page", page, "--kind", "cpu", "--rounds", "2",
           "--changes", "3"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "server CPU ms per session" in proc.stdout
    rows = [line.split("|") for line in proc.stdout.splitlines() if line.startswith("| ") and "version" not in line]
    assert [(row[1].strip(), row[2].strip()) for row in rows] == [(".", "2"), ("bare", "2")]


def test_for_cpu_the_bare_page_runs_under_the_same_launcher_as_ours():
    assert ab.get_app("bare", Path("/nonexistent"), 0, "cpu")[1] == "serve"
    assert ab.get_app("bare", Path("/nonexistent"), 0, "slider")[1] == "stock"
