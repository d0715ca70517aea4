"""The command line, run as a user runs it: python -m ks_data build | check | docs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ks_data import schema as s
from ks_data.check import MAX_TEXT_CHARS
from tests.helpers import DATA_DIR, REPO_ROOT, SOURCE_DIR, copy_data


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ks_data", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120)


def test_check_on_the_real_data_passes_and_lists_the_seven_rounding_differences():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "0 fel, 0 varningar" in out
    assert "7 skillnader" in out
    assert "värdena står kvar som tryckta" in out
    # Each difference is told with Swedish number formatting.
    assert "'Summa', deviation" in out
    assert "tryckt 677\u00a0tkr, beräknat 678\u00a0tkr" in out
    assert "tryckt \u2212104\u00a0869\u00a0tkr, beräknat \u2212104\u00a0868\u00a0tkr" in out
    assert out.count("\n  - 2020 ") == 7


def test_check_on_a_broken_file_exits_1_and_names_the_file(tmp_path):
    data = copy_data(tmp_path)
    broken = data / "net_costs.parquet"
    broken.write_bytes(broken.read_bytes()[:100])
    result = run("check", "--data", str(data))
    assert result.returncode == 1
    assert str(broken) in result.stdout
    assert "[fel]" in result.stdout
    assert "1 fel" in result.stdout
    # The tables that could be read are still reconciled: without net costs 3 of the 7 differences remain.
    assert "3 skillnader" in result.stdout


def _rewrite_goals(data: Path, column: str, row: int, value) -> None:
    t = pq.read_table(data / "goals.parquet")
    i = t.schema.get_field_index(column)
    values = t[column].to_pylist()
    values[row] = value
    pq.write_table(t.set_column(i, t.schema.field(i), pa.array(values, pa.string())), data / "goals.parquet")


def test_check_with_a_validation_error_exits_1(tmp_path):
    data = copy_data(tmp_path)
    _rewrite_goals(data, s.ASSESSMENT, 3, "uppfyllt")
    result = run("check", "--data", str(data))
    assert result.returncode == 1
    assert "goals.parquet, tabell goals, rad 4, kolumn assessment: okänt värde 'uppfyllt'" in result.stdout


def test_check_with_only_a_warning_exits_0(tmp_path):
    data = copy_data(tmp_path)
    _rewrite_goals(data, s.ANALYSIS, 10, "x" * (MAX_TEXT_CHARS + 1))
    result = run("check", "--data", str(data))
    assert result.returncode == 0
    assert "0 fel, 1 varning." in result.stdout
    assert "[varning]" in result.stdout and "rad 11, kolumn analysis" in result.stdout


def test_build_into_a_tmp_folder(tmp_path):
    out = tmp_path / "out"
    result = run("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(s.get_file_name(t) for t in s.TABLES)
    assert result.stdout.count("Skrev ") == len(s.TABLES)
    for table in s.TABLES:
        assert (out / s.get_file_name(table)).read_bytes() == (DATA_DIR / s.get_file_name(table)).read_bytes()


def test_build_with_a_source_error_exits_1_and_writes_nothing(tmp_path):
    src = tmp_path / "source"
    shutil.copytree(SOURCE_DIR, src)
    path = src / "2020" / "investments.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("budget = 11000", 'budget = "11 000"'), encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", "--source", str(src), "--out", str(out))
    assert result.returncode == 1
    assert "Bygget avbröts; inga filer skrevs" in result.stderr
    assert f"fil {path}, tabell investments, rad 3, kolumn budget" in result.stderr
    assert not out.exists()


def test_docs_writes_the_dictionary(tmp_path):
    out = tmp_path / "data.md"
    result = run("docs", "--out", str(out))
    assert result.returncode == 0
    assert out.read_text(encoding="utf-8") == (REPO_ROOT / "docs" / "data.md").read_text(encoding="utf-8")


def test_no_command_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "build" in result.stderr and "check" in result.stderr
