"""ui/cache.py: the result caches (get_cached, the view modules of ui.views, get_chart, get_shown_table): a view is computed once, and a
cached answer is always the answer the function itself would give."""

from __future__ import annotations

import json
import os

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest

import ui
import ui.cache
from ks_data import charts, statements
from ks_data import schema as s
from ks_data.errors import ERROR
from ks_data.outputs import export
from ks_data.viewtable import format_html_table, format_table
from serve import get_script_imports
from tests.apptest_util import assert_clean, get_chart_specs, open_page, read_table
from tests.helpers import REPO_ROOT, real_table


def _counted(calls: list):
    def total(df: pd.DataFrame, column: str, scale: float = 1.0) -> float:
        calls.append(column)
        return float(df[column].sum()) * scale
    return total


def test_equal_arguments_are_computed_once_and_changed_ones_again():
    calls: list = []
    total = _counted(calls)
    df = pd.DataFrame({"a": [1, 2, 3]})
    cache = ui.ResultCache(16)
    assert cache.call(total, (df, "a"), {}) == 6.0
    assert cache.call(total, (df.copy(), "a"), {}) == 6.0  # another frame with the same content
    assert calls == ["a"]
    assert cache.call(total, (df, "a"), {"scale": 2.0}) == 12.0
    assert cache.call(total, (pd.DataFrame({"a": [1, 2, 4]}), "a"), {}) == 7.0
    assert calls == ["a", "a", "a"]


@pytest.mark.parametrize(("first", "second"), [
    (1, 1.0),                 # equal in Python, not the same argument
    (1, True),
    ("1", 1),
    ((1, 2), [1, 2]),
    (float("nan"), None),
])
def test_arguments_that_python_calls_equal_but_differ_are_not_confused(first, second):
    cache = ui.ResultCache(16)
    assert cache.call(repr, (first,), {}) == repr(first)
    assert cache.call(repr, (second,), {}) == repr(second)


def test_frames_with_other_attrs_or_columns_are_other_arguments():
    # Chart builders take their titles from df.attrs, and a renamed column is another table.
    cache = ui.ResultCache(16)
    df = pd.DataFrame({"a": [1]})
    titled = df.copy()
    titled.attrs["x_title"] = "Utfall"
    assert cache.call(lambda_free_attrs, (df,), {}) == {}
    assert cache.call(lambda_free_attrs, (titled,), {}) == {"x_title": "Utfall"}
    assert cache.call(lambda_free_columns, (df.rename(columns={"a": "b"}),), {}) == ["b"]


def lambda_free_attrs(df: pd.DataFrame) -> dict:
    return dict(df.attrs)


def lambda_free_columns(df: pd.DataFrame) -> list:
    return list(df.columns)


def test_a_frame_sliced_from_a_larger_one_finds_the_result_of_the_same_frame_made_afresh():
    # pandas 3.1 keeps a mark in a sliced text column's pickle: a view frame made afresh on the first visitor's run
    # and the same frame on the next run had other keys, and each chart drawn from it was built a second time.
    calls: list[str] = []
    total = _counted(calls)
    cache = ui.ResultCache(16)
    made = pd.DataFrame({"label": ["Drift", "Investeringar"], "value": [1.0, 2.0]})
    sliced = pd.DataFrame({"label": ["Drift", "Investeringar", "Resultat"], "value": [1.0, 2.0, 3.0]}).iloc[0:2]
    assert sliced.equals(made)
    assert cache.call(total, (made, "value"), {}) == cache.call(total, (sliced, "value"), {}) == 3.0
    assert calls == ["value"]
    assert ui.cache.dump_key(sliced) == ui.cache.dump_key(made)
    assert ui.cache.dump_key(sliced.iloc[0:1]) != ui.cache.dump_key(made), "other rows, another key"


def test_nan_arguments_are_found_again():
    calls: list = []

    def mark(value) -> str:
        calls.append(value)
        return "saknas" if value != value else str(value)

    cache = ui.ResultCache(16)
    assert [cache.call(mark, (float("nan"),), {}) for _ in range(3)] == ["saknas"] * 3
    assert len(calls) == 1


def test_each_caller_gets_its_own_copy():
    cache = ui.ResultCache(16)
    first = cache.call(pd.DataFrame, ({"a": [1, 2]},), {})
    first.loc[0, "a"] = 99
    assert cache.call(pd.DataFrame, ({"a": [1, 2]},), {})["a"].tolist() == [1, 2]


def make_rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(n)})


def total_of(df: pd.DataFrame, column: str) -> int:
    return int(df[column].sum())


def test_a_view_frame_handed_on_in_a_page_run_is_keyed_without_pickling_it_again(monkeypatch):
    # Mål hands the statuses to the filter and the filtered goals to the list: their keys are the pickles the cache
    # already made of them, within the page run.
    frames_pickled = []
    dumps = ui.cache.dump_key
    monkeypatch.setattr(ui.cache, "dump_key",
                        lambda obj: (frames_pickled.append(obj) if isinstance(obj, pd.DataFrame) else None) or dumps(obj))
    cache = ui.ResultCache(16)
    # A page run's context on this thread, and the one before it back afterwards (a run's context keeps file mtimes).
    monkeypatch.setattr(ui.context._local, "run", ui.context.RunContext(page=object(), mtimes={}), raising=False)
    computed = cache.call(make_rows, (3,), {})  # made now: pickled once, for the cache
    assert cache.call(total_of, (computed, "a"), {}) == 3
    copy = cache.call(make_rows, (3,), {})  # a copy from the cache
    assert cache.call(total_of, (copy, "a"), {}) == 3
    assert len(frames_pickled) == 1
    # Another frame is still another argument.
    assert cache.call(total_of, (cache.call(make_rows, (4,), {}), "a"), {}) == 6


def make_view_frame() -> pd.DataFrame:
    df = pd.DataFrame({"a": [1, 2, 3], "name": pd.array(["x", "y", None], dtype="str"), "f": [1.5, 2.5, 3.5]})
    df.attrs["titles"] = {"x": "Utfall"}
    return df


def _set_cell(df):
    df.loc[0, "a"] = 99


def _set_column(df):
    df["a"] = 0


def _add_column(df):
    df["new"] = 1


def _change_attrs(df):
    df.attrs["titles"]["x"] = "Budget"


def _rename_columns(df):
    df.columns = ["p", "q", "r"]


def _fill_missing(df):
    df.loc[2, "name"] = "z"


@pytest.mark.parametrize("change", [_set_cell, _set_column, _add_column, _change_attrs, _rename_columns,
                                    _fill_missing])
@pytest.mark.parametrize("first_from_cache", [False, True])  # the caller who made it, or one given a kept copy
def test_a_caller_changing_its_frame_leaves_the_next_callers_as_it_was(change, first_from_cache):
    cache = ui.ResultCache(16)
    first = cache.call(make_view_frame, (), {})
    if first_from_cache:
        first = cache.call(make_view_frame, (), {})
    change(first)
    again = cache.call(make_view_frame, (), {})
    pd.testing.assert_frame_equal(again, make_view_frame())
    assert again.attrs == {"titles": {"x": "Utfall"}}


def make_frame_of_lists() -> pd.DataFrame:
    return pd.DataFrame({"names": [["a"], ["b"]]})


def test_a_frame_whose_cells_are_mutable_objects_is_still_copied_whole():
    cache = ui.ResultCache(16)
    cache.call(make_frame_of_lists, (), {})["names"].iloc[0].append("changed")
    cache.call(make_frame_of_lists, (), {})["names"].iloc[0].append("changed")
    assert cache.call(make_frame_of_lists, (), {})["names"].tolist() == [["a"], ["b"]]


def test_a_function_argument_or_an_unpicklable_result_is_computed_every_time():
    calls: list = []

    def apply(func, value):
        calls.append(value)
        return func(value)

    cache = ui.ResultCache(16)
    assert cache.call(apply, (lambda v: v + 1, 1), {}) == 2
    assert cache.call(apply, (lambda v: v + 1, 1), {}) == 2
    assert calls == [1, 1]
    made = cache.call(lambda_free_make_closure, (3,), {})
    assert made() == 3 and cache.call(lambda_free_make_closure, (3,), {})() == 3


def lambda_free_make_closure(value: int):
    return lambda: value


def test_the_oldest_results_go_first_when_the_cache_is_full():
    calls: list = []

    def square(n: int) -> int:
        calls.append(n)
        return n * n

    cache = ui.ResultCache(2)
    for n in (1, 2, 1, 3, 1, 2):
        cache.call(square, (n,), {})
    assert calls == [1, 2, 3, 2]  # 2 was the least recently used when 3 came


def test_an_exception_is_raised_every_time_and_not_kept():
    calls: list = []

    def fail(n: int) -> int:
        calls.append(n)
        raise ValueError(n)

    cache = ui.ResultCache(4)
    for _ in range(2):
        with pytest.raises(ValueError):
            cache.call(fail, (1,), {})
    assert calls == [1, 1]


def test_a_cached_module_answers_like_the_module_and_passes_constants_through():
    from ks_data.views import overview as overview_views

    cached = ui.views.overview
    goals = real_table(s.GOALS)
    assert cached.SUMMARY_SECTION == overview_views.SUMMARY_SECTION
    assert cached.get_status_count_lines(goals, "sv") == overview_views.get_status_count_lines(goals, "sv")
    assert cached.get_status_count_lines.__name__ == "get_status_count_lines"


@pytest.mark.parametrize("name", sorted(ui.cache.VIEW_MODULES))
def test_each_view_module_is_cached_or_not_as_the_table_says_with_a_reason(name):
    entry = ui.cache.VIEW_MODULES[name]
    module = getattr(ui.views, name)
    assert isinstance(module, ui.cache.CachedModule) is entry.cached
    assert entry.why.strip()
    if entry.cached:  # a second call with equal arguments is answered from VIEW_RESULTS
        ui.cache.VIEW_RESULTS.clear()
        func = next(f for f in vars(entry.module).values() if callable(f) and getattr(f, "__module__", "") ==
                    entry.module.__name__ and not isinstance(f, type) and not f.__name__.startswith("_"))
        assert getattr(module, func.__name__).__wrapped__ is func


@pytest.mark.parametrize("script", ["app.py", *sorted(p.name for p in (REPO_ROOT / "pages").glob("*.py"))])
def test_pages_take_their_view_modules_from_ui_and_never_choose_caching(script):
    path = REPO_ROOT / script if script == "app.py" else REPO_ROOT / "pages" / script
    imported = get_script_imports(path)
    used = {m.split(".")[-1] for m in imported if m.startswith("ks_data.")}
    assert not used & set(ui.cache.VIEW_MODULES), f"{script} imports a view module instead of taking ui.views.<name>"
    assert "get_cached_module" not in path.read_text(encoding="utf-8")


def _bar_chart(df: pd.DataFrame, lang: str = "sv") -> alt.Chart:
    return charts.configure_chart(alt.Chart(df).mark_bar().encode(x="value:Q", y="label:N"), lang)


def test_a_chart_spec_is_altairs_own_with_its_data_as_arrow_and_rebuilds_the_same_chart():
    df = pd.DataFrame({"label": ["Drift", "Investeringar"], "value": [-105546.0, 23.5]})
    chart = ui.get_chart(_bar_chart, df, "sv")
    with alt.theme.enable("none"):
        expected = _bar_chart(df, "sv").to_dict()
    # The same spec as Altair's, the dataset named by its place instead of by the hash of its rows, its rows as Arrow.
    (old_name, rows), = expected.pop("datasets").items()
    spec = dict(chart.spec)
    (new_name, data), = spec.pop("datasets").items()
    assert new_name == "ks_data_0" and pa.ipc.open_stream(data).read_pandas().to_dict("records") == rows
    assert json.loads(json.dumps(spec)) == json.loads(json.dumps(expected).replace(json.dumps(old_name), '"ks_data_0"'))
    assert chart.build().to_dict() == _bar_chart(df, "sv").to_dict()
    assert ui.get_chart(_bar_chart, df, "sv").spec == chart.spec


def _layered_chart(df: pd.DataFrame) -> alt.LayerChart:
    return alt.layer(alt.Chart(df).mark_bar().encode(x="value:Q", y="label:N"),
                     alt.Chart(df).mark_text().encode(x="value:Q", y="label:N", text="label:N"))


def test_a_layered_chart_sends_data_used_twice_once():
    spec = ui.get_chart(_layered_chart, pd.DataFrame({"label": ["Drift"], "value": [1.0]})).spec
    assert list(spec["datasets"]) == ["ks_data_0"]


def test_a_chart_with_other_data_keeps_its_spec_so_the_browser_only_swaps_the_data():
    """Another filter's data in the same chart: only the data differs, so the browser does not build the chart anew."""
    first = ui.get_chart(_bar_chart, pd.DataFrame({"label": ["Drift"], "value": [1.0]}), "sv").spec
    second = ui.get_chart(_bar_chart, pd.DataFrame({"label": ["Drift", "KLK"], "value": [1.0, 2.0]}), "sv").spec
    assert {k: v for k, v in first.items() if k != "datasets"} == {k: v for k, v in second.items() if k != "datasets"}
    assert first["datasets"]["ks_data_0"] != second["datasets"]["ks_data_0"]


def test_a_chart_made_from_a_spec_exports_like_one_made_from_the_chart():
    df = pd.DataFrame({"label": ["Drift"], "value": [-105546.0]})
    chart = _bar_chart(df)
    assert json.loads(export.get_chart_json(chart.to_dict())) == json.loads(export.get_chart_json(chart))
    spec = chart.to_dict()
    assert json.loads(export.get_chart_json(spec))["width"] == export.CHART_WIDTH
    assert "width" not in spec, "the caller's spec is left as it was"


def test_a_shown_table_is_made_once_and_answers_like_the_function():
    df = pd.DataFrame({"Rad": ["Kommunstyrelsen *", "<b>fet</b>"], "Belopp": ["1", None]})
    first = ui.get_table_html(df, "sv", "Tabell")
    assert first == format_html_table(df, "sv", "Tabell")
    assert ui.get_table_html(df.copy(), "sv", "Tabell") == first
    assert ui.get_table_html(df, "sv", "Annan tabell") != first, "the name is part of what is cached"


def test_a_typed_table_is_formatted_for_the_language():
    from ks_data.views import economy

    table = statements.get_table_name(statements.DEFAULT_STATEMENT)
    rows = economy.get_statement_rows(real_table(table), table, 500, False, "sv")
    typed = economy.get_statement_data(rows, table, 500, False, "sv")
    for lang in ("sv", "en"):
        expected = format_table(typed, lang)
        assert ui.get_shown_table(typed, lang).equals(expected)
        assert read_table(ui.get_table_html(typed, lang)).equals(expected.fillna("")), lang


@pytest.mark.parametrize("script", ["pages/2_ekonomi.py", "pages/3_jamforelsetal.py", "pages/4_aktiviteter.py"])
def test_pages_show_the_same_charts_on_every_rerun(script):
    at = open_page(script)
    assert_clean(at)
    first = get_chart_specs(at)
    assert first and all(spec.get("$schema", "").startswith("https://vega.github.io/schema/vega-lite/") for spec in first)
    at.run()
    assert_clean(at)
    assert get_chart_specs(at) == first
    assert all(chart.proto.alt for chart in at.get("vega_lite_chart")), "every chart keeps its text alternative"


def test_warm_up_checks_the_data_folder_once_for_every_page(tmp_path, monkeypatch):
    # serve.py calls ui.warm_up as the server starts; the first page then finds the data read, validated and
    # reconciled, and the folder is validated once, not once for the tables and again for the check on Om data.
    from tests.helpers import copy_data

    monkeypatch.setenv("KS_DATA_DIR", str(copy_data(tmp_path)))
    calls = []
    check_tables = ui.cache.check_tables
    monkeypatch.setattr(ui.cache, "check_tables", lambda *args: calls.append(1) or check_tables(*args))
    ui.warm_up()
    assert calls == [1]
    problems, reconciliation = ui.get_data_check()
    assert not [p for p in problems if p.severity == ERROR] and not reconciliation.empty
    assert [p for table in s.TABLES for p in ui.get_table_problems(table)] == [p for p in problems if p.table in s.TABLES]
    assert calls == [1]


def test_a_years_rows_are_made_once_and_follow_a_changed_data_file(tmp_path, monkeypatch):
    # A page reads its tables by year on every run: the rows of a year are shared like the table (no filtering and
    # no pickling as a cache key each run), and a new version of the file brings new rows.
    import pyarrow.parquet as pq

    from ks_data import years
    from tests.helpers import copy_data

    data_dir = copy_data(tmp_path)
    monkeypatch.setenv("KS_DATA_DIR", str(data_dir))
    first = ui.get_table(s.COMPARISONS, by_year=True)
    assert ui.get_table(s.COMPARISONS, by_year=True) is first
    assert first.equals(years.get_year_rows(ui.get_table(s.COMPARISONS), None))
    assert ui.cache._pickle_frame(first) == ui.cache._pickle_frame(ui.get_table(s.COMPARISONS, by_year=True))

    path = data_dir / s.get_file_name(s.COMPARISONS)
    table = pq.read_table(path)
    values = table.column(s.VALUE).to_pylist()
    pq.write_table(table.set_column(table.column_names.index(s.VALUE), s.VALUE,
                                    pa.array([v + 1 for v in values], table.schema.field(s.VALUE).type)), path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    second = ui.get_table(s.COMPARISONS, by_year=True)
    assert list(second[s.VALUE]) == [v + 1 for v in first[s.VALUE]]
    assert ui.cache._pickle_frame(second) != ui.cache._pickle_frame(first)
