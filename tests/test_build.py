"""Building data/*.parquet from data/source: deterministic, identical to what is committed, all or nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ks_data import build as build_module
from ks_data import paths
from ks_data import schema as s
from ks_data.build import STAGING_PREFIX, build
from ks_data.dictionary import render_markdown
from ks_data.errors import DataError
from ks_data.load import load_table
from tests.helpers import DATA_DIR, REPO_ROOT, SOURCE_DIR, copy_data


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _copy_source(tmp_path: Path) -> Path:
    src = tmp_path / "source"
    shutil.copytree(SOURCE_DIR, src)
    return src


def _prefilled_out(tmp_path: Path) -> Path:
    return copy_data(tmp_path, "out")


def test_paths_point_into_the_repository():
    assert paths.DATA_DIR == REPO_ROOT / "data"
    assert paths.SOURCE_DIR == SOURCE_DIR
    assert paths.DOCS_DATA == REPO_ROOT / "docs" / "data.md"


def test_committed_parquet_equals_a_fresh_build(tmp_path):
    """If this fails, data/source was edited without running `python -m ks_data build` (or vice versa)."""
    written = build(SOURCE_DIR, tmp_path)
    assert set(written) == set(s.TABLES)
    fresh = _snapshot(tmp_path)
    committed = {p.name: p.read_bytes() for p in sorted(DATA_DIR.glob("*.parquet"))}
    assert sorted(fresh) == sorted(committed) == sorted(s.get_file_name(t) for t in s.TABLES)
    differing = [name for name in fresh if fresh[name] != committed[name]]
    assert differing == [], f"committed Parquet differs from a fresh build: {differing}"


def test_build_leaves_no_temporary_files_and_is_repeatable(tmp_path):
    build(SOURCE_DIR, tmp_path)
    first = _snapshot(tmp_path)
    build(SOURCE_DIR, tmp_path)
    assert _snapshot(tmp_path) == first
    assert all(name.endswith(".parquet") and not name.startswith(".") for name in first)


def test_build_creates_a_missing_output_folder(tmp_path):
    out = tmp_path / "a" / "b"
    written = build(SOURCE_DIR, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written.values())


SYNTAX_ERROR = ("goals.toml", 'goal_id = "1.3"', 'goal_id = "1.3', ["goals.toml", "TOML"])
MISSING_FIELD = ("investments.toml", 'project = "IT mm"\n', "", ["investments.toml", "rad 3", "kolumn project",
                                                                  "saknas"])
WRONG_TYPE = ("net_costs.toml", "budget = -8380", 'budget = "-8 380"', ["net_costs.toml", "rad 4", "kolumn budget",
                                                                         "heltal"])
# Errors only the whole-table checks find; they must still point at the source file and its row.
BAD_DEVIATION = ("net_costs.toml", "deviation = 1721", "deviation = 2221",
                 ["net_costs.toml", "rad 5", "kolumn deviation", "avvikelsen 2221"])
UNKNOWN_GOAL = ("indicators.toml", 'goal_id = "4.3"', 'goal_id = "4.4"',
                ["indicators.toml", "kolumn goal_id", "målet 4.4 finns inte"])
DUPLICATE = ("goals.toml", 'goal_id = "4.1"', 'goal_id = "4.2"', ["goals.toml", "rad 10", "samma nyckel", "rad 9"])
BAD_GOAL_ID = ("goals.toml", 'goal_id = "1.4"', 'goal_id = "A.4"', ["goals.toml", "rad 2", "kolumn goal_id", "'A.4'"])


@pytest.mark.parametrize(("file", "old", "new", "words"), [
    pytest.param(*SYNTAX_ERROR, id="toml syntax error"),
    pytest.param(*MISSING_FIELD, id="missing required field"),
    pytest.param(*WRONG_TYPE, id="text for a number"),
    pytest.param(*BAD_DEVIATION, id="deviation off by 500"),
    pytest.param(*UNKNOWN_GOAL, id="indicator of unknown goal"),
    pytest.param(*DUPLICATE, id="duplicate goal"),
    pytest.param(*BAD_GOAL_ID, id="goal id without area"),
])
def test_source_error_writes_nothing_and_names_the_source_file(tmp_path, file, old, new, words):
    src = _copy_source(tmp_path)
    path = src / "2020" / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = _prefilled_out(tmp_path)
    before = _snapshot(out)
    (tmp_path / "empty").mkdir()

    with pytest.raises(DataError) as info:
        build(src, out)
    with pytest.raises(DataError):
        build(src, tmp_path / "empty")

    assert _snapshot(out) == before  # the old files are untouched, byte for byte
    assert list((tmp_path / "empty").iterdir()) == []
    message = str(info.value)
    for word in words:
        assert word in message
    # Every problem points at the TOML file a clerk edits, never at a file that does not exist.
    for p in info.value.problems:
        assert p.file == str(path), p.describe()


def test_all_problems_of_all_files_are_reported_at_once(tmp_path):
    src = _copy_source(tmp_path)
    for file, old, new, _ in (MISSING_FIELD, WRONG_TYPE, SYNTAX_ERROR):
        path = src / "2020" / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(src, tmp_path / "out")
    assert {Path(p.file).name for p in info.value.problems} == {"goals.toml", "investments.toml", "net_costs.toml"}
    assert not (tmp_path / "out").exists()


def test_rows_are_counted_per_year_in_a_second_year(tmp_path):
    """With two years stacked, an error in the second year names that year's file and the row within it."""
    src = _copy_source(tmp_path)
    shutil.copytree(src / "2020", src / "2021")
    path = src / "2021" / "net_costs.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("deviation = 1721", "deviation = 2221"),
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(src, tmp_path / "out")
    [p] = info.value.problems
    assert (p.file, p.row, p.column) == (str(path), 5, s.DEVIATION)


def test_two_years_build_into_stacked_tables(tmp_path):
    src = _copy_source(tmp_path)
    shutil.copytree(src / "2020", src / "2021")
    (src / "notes").mkdir()  # folders that are not years are ignored
    build(src, tmp_path / "out")
    goals = load_table(s.GOALS, tmp_path / "out")
    assert goals.groupby(s.YEAR).size().to_dict() == {2020: 11, 2021: 11}
    assert goals[s.POSITION].tolist() == list(range(1, 12)) * 2


def test_docs_data_md_equals_the_generated_dictionary():
    """If this fails, run `python -m ks_data docs` after changing ks_data/schema.py."""
    assert paths.DOCS_DATA.read_text(encoding="utf-8") == render_markdown()


def test_dictionary_documents_every_column_of_every_table():
    md = render_markdown()
    for table in s.TABLES:
        assert f"## {table}\n" in md
        assert s.get_description(table) in md
        for field in s.SCHEMAS[table]:
            assert re.search(rf"^\| `{field.name}` \|", md, re.M), (table, field.name)


def _edited_source(tmp_path: Path) -> Path:
    """A copy of the sources with one paragraph of the narrative changed: a valid edit, only narrative.parquet differs."""
    src = _copy_source(tmp_path)
    path = src / "2020" / "narrative.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count("ledande politiska förvaltningsorgan") == 1
    path.write_text(text.replace("ledande politiska förvaltningsorgan", "ledande förvaltningsorgan"), encoding="utf-8")
    return src


def _staging_left(out: Path) -> list[str]:
    return [p.name for folder in (out, out.parent) for p in folder.iterdir() if p.name.startswith(STAGING_PREFIX)]


@pytest.mark.parametrize("can_swap", [True, False])
def test_a_rebuild_replaces_the_tables_in_one_step_where_folders_can_be_swapped(tmp_path, monkeypatch, can_swap):
    # An app reading data/ while `make data` runs, or a build stopped halfway, never sees some tables new and some old:
    # the nine files replace the old ones in one exchange of the folder (one by one only where that cannot be done).
    src, out = _edited_source(tmp_path), _prefilled_out(tmp_path)
    before = _snapshot(out)
    swaps = []
    exchange = build_module._exchange
    monkeypatch.setattr(build_module, "_exchange",
                        lambda a, b: swaps.append(b) or (exchange(a, b) if can_swap else False))
    build(src, out)
    after = _snapshot(out)
    assert swaps == [out]
    assert [name for name in after if after[name] != before[name]] == [s.get_file_name(s.NARRATIVE)]
    assert "ledande förvaltningsorgan" in " ".join(load_table(s.NARRATIVE, out)[s.TEXT])
    assert _staging_left(out) == []


def test_a_build_stopped_just_before_the_swap_changes_no_file_and_the_next_build_cleans_up(tmp_path, monkeypatch):
    src, out = _edited_source(tmp_path), _prefilled_out(tmp_path)
    before = _snapshot(out)

    def stop(a, b):
        raise KeyboardInterrupt  # Ctrl-C with every new file written, the folders not yet swapped

    monkeypatch.setattr(build_module, "_exchange", stop)
    with pytest.raises(KeyboardInterrupt):
        build(src, out)
    assert _snapshot(out) == before and _staging_left(out) == []
    # What a SIGKILL would leave (no cleanup runs): a staging folder inside and the half-made copy beside.
    (out / f"{STAGING_PREFIX}999999-dead").mkdir()
    (out.parent / f"{STAGING_PREFIX}999999-dead-{out.name}").mkdir()
    monkeypatch.undo()
    build(src, out)
    assert _staging_left(out) == []
    assert "ledande förvaltningsorgan" in " ".join(load_table(s.NARRATIVE, out)[s.TEXT])
