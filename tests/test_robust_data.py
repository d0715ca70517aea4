"""Bad data files, one at a time: every page and `python -m ks_data check` meet each case from one table of cases.

Each case breaks one table in a copy of data/ (KS_DATA_DIR points there) and runs every page. A page that
needs the table says, in Swedish, which file, table, row and column is wrong and what to do (an error), or
shows the page with a notice (a warning); every other page works as before. No case raises, prints a
traceback or reaches Streamlit's error box, and text from the data is never rendered as markup.
"""

from __future__ import annotations

import html
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ui
from ks_data import schema as s
from ks_data.__main__ import main as ks_data_main
from ks_data.check import MAX_TEXT_CHARS
from ks_data.errors import ERROR, WARNING
from ks_data.statements import STATEMENTS, get_needed_tables
from tests.apptest_util import REPO_ROOT, get_table_bodies, open_chart_extras, open_page

OPENED_GOAL = "1.3"
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> **fet** [länk](javascript:alert(1)) :red[x]"
LONG_TEXT = ("En mycket lång kommentar. " * 50_000)[:1_048_576]  # 1 MiB of text in one cell

# ---------------------------------------------------------------------------------------------------------------
# Breakers: each changes one table's Parquet file in place.


def _read(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas()


def _write(path: Path, df: pd.DataFrame, table: str) -> None:
    """Write ``df`` with the table's column types but every column nullable (so a broken file can hold nulls)."""
    schema = pa.schema([f.with_nullable(True) for f in s.SCHEMAS[table]], metadata=s.SCHEMAS[table].metadata)
    pq.write_table(pa.Table.from_pandas(df, schema=schema, preserve_index=False), path)


def _edit(table: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Callable[[Path], None]:
    """Return a breaker that rewrites the file with ``change`` applied (in place, or the frame it returns)."""
    def breaker(path: Path) -> None:
        df = _read(path)
        out = change(df)
        _write(path, df if out is None else out, table)
    return breaker


def _row_of(df: pd.DataFrame, column: str, value) -> int:
    idx = df.index[df[column] == value]
    assert len(idx) == 1, (column, value)
    return int(idx[0])


def _set_cells(column_values: dict[str, object], match: tuple[str, object]):
    def change(df: pd.DataFrame) -> None:
        i = _row_of(df, *match)
        for column, value in column_values.items():
            df[column] = df[column].astype(object)
            df.loc[i, column] = value
    return change


def _remove(path: Path) -> None:
    path.unlink()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(5).randbytes(4096))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _drop_title(path: Path) -> None:
    pq.write_table(pq.read_table(path).drop_columns([s.TITLE]), path)


def _budget_as_text(path: Path) -> None:
    t = pq.read_table(path)
    i = t.schema.get_field_index(s.BUDGET)
    texts = pa.array([f"{v} tkr" for v in t.column(s.BUDGET).to_pylist()], pa.string())
    pq.write_table(t.set_column(i, pa.field(s.BUDGET, pa.string()), texts), path)


def _no_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df.iloc[0:0]


def _duplicate_activity(df: pd.DataFrame) -> None:
    df.loc[2, s.NAME] = df.loc[1, s.NAME]


def _shift_deviation(df: pd.DataFrame) -> None:
    df.loc[_row_of(df, s.UNIT_NAME, "Samhällsenhet"), s.DEVIATION] += 500


# ---------------------------------------------------------------------------------------------------------------
# The cases.


@dataclass(frozen=True)
class Case:
    """One broken table: how to break it and what the message must say (severity None: nothing is wrong)."""

    id: str
    table: str
    breaker: Callable[[Path], None]
    words: tuple[str, ...]
    severity: str | None = ERROR
    row: int | None = None
    column: str | None = None


GREEN = "Gröna blad: digitala tjänster som erbjuds"
GREEN_ROW = _row_of(pd.read_parquet(REPO_ROOT / "data" / "indicators.parquet"), s.NAME, GREEN) + 1

CASES = [
    Case("missing file", s.COMPARISONS, _remove, ("filen saknas", "python -m ks_data build")),
    Case("empty file", s.ACTIVITIES, _empty, ("filen är tom", "0 byte")),
    Case("random bytes", s.INVESTMENTS, _random_bytes, ("inte en läsbar Parquet-fil",)),
    Case("truncated halfway", s.NET_COSTS, _truncate, ("inte en läsbar Parquet-fil", "avklippt")),
    Case("missing column", s.GOALS, _drop_title, ("kolumnen saknas",), column=s.TITLE),
    Case("column of the wrong type", s.OPERATING, _budget_as_text, ("typen string", "int64"), column=s.BUDGET),
    Case("null in a required column", s.INDICATORS, _edit(s.INDICATORS, _set_cells({s.NAME: None}, (s.NAME, GREEN))),
         ("värde saknas men krävs",), row=GREEN_ROW, column=s.NAME),
    Case("duplicate key", s.ACTIVITIES, _edit(s.ACTIVITIES, _duplicate_activity),
         ("samma nyckel", "varje rad måste vara unik"), row=3),
    Case("indicator of a goal that does not exist", s.INDICATORS,
         _edit(s.INDICATORS, _set_cells({s.GOAL_ID: "9.9"}, (s.NAME, GREEN))),
         ("målet 9.9 finns inte i tabellen goals för år 2020",), row=GREEN_ROW, column=s.GOAL_ID),
    Case("deviation that does not match budget and outcome", s.NET_COSTS, _edit(s.NET_COSTS, _shift_deviation),
         ("stämmer inte med budget", "mer än avrundning"), row=5, column=s.DEVIATION),
    Case("text with HTML, Markdown and script", s.GOALS,
         _edit(s.GOALS, _set_cells({s.TITLE: HOSTILE, s.DEFINITION: HOSTILE, s.ASSESSMENT_TEXT: HOSTILE,
                                    s.COMMENT: HOSTILE, s.ANALYSIS: f"{HOSTILE}\n\n{HOSTILE}"},
                                   (s.GOAL_ID, OPENED_GOAL))), (), severity=None),
    Case("1 MB comment", s.GOALS, _edit(s.GOALS, _set_cells({s.COMMENT: LONG_TEXT}, (s.GOAL_ID, OPENED_GOAL))),
         (f"texten är {len(LONG_TEXT)} tecken lång", f"högst {MAX_TEXT_CHARS}", "förkortad"), severity=WARNING,
         row=1, column=s.COMMENT),
    Case("a year with no data", s.COMPARISONS, _edit(s.COMPARISONS, _no_rows), ("inga rader för år 2020",),
         severity=WARNING),
]

# What each known page needs in the view the test opens; Om data reports on every table.
STATEMENT_OF = {table: statement for statement, table in STATEMENTS.items()}
ALL = frozenset(s.TABLES)


def _view(page_key: str, case: Case) -> tuple[dict[str, str], frozenset[str] | None]:
    """Return the link parameters to open ``page_key`` with for ``case`` and the tables that view needs
    (None for a page this test does not know: then only the general promises are checked)."""
    if page_key == "overview":
        return {}, frozenset({s.OPERATING, s.GOALS, s.INVESTMENTS, s.COMPARISONS, s.NARRATIVE})
    if page_key == "goals":
        return {"mal": OPENED_GOAL}, frozenset({s.GOALS, s.INDICATORS})
    if page_key == "economy":
        statement = STATEMENT_OF.get(case.table, "nettokostnad")
        return {"tabell": statement}, frozenset(get_needed_tables(statement))
    if page_key == "comparisons":
        return {}, frozenset({s.COMPARISONS})
    if page_key == "activities":
        return {}, frozenset({s.ACTIVITIES})
    if page_key == "about":
        return {"tabell": case.table}, ALL
    return {}, None


def _unescape(text: str) -> str:
    """Return Markdown as the user reads it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", str(text))


def _expected(case: Case, data: Path) -> list[str]:
    parts = [f"fil {data / s.get_file_name(case.table)}", f"tabell {case.table}", *case.words]
    if case.row is not None:
        parts.append(f"rad {case.row}")
    if case.column is not None:
        parts.append(f"kolumn {case.column}")
    return parts


def _script(page_key: str) -> str | None:
    script = ui.PAGE_BY_KEY[page_key][1]
    return None if script == "app.py" else script


@pytest.fixture
def broken_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Case], Path]:
    """Factory: a copy of data/ with the case's one table broken, set as KS_DATA_DIR."""

    def make(case: Case) -> Path:
        data = tmp_path / "data"
        data.mkdir()
        for table in s.TABLES:
            shutil.copy2(REPO_ROOT / "data" / s.get_file_name(table), data / s.get_file_name(table))
        case.breaker(data / s.get_file_name(case.table))
        monkeypatch.setenv("KS_DATA_DIR", str(data))
        return data

    return make


MARKUP_KINDS = ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error")
# Markup from the data that must never reach the page unescaped.
RAW_MARKUP = re.compile(r"(?<!\\)<(script|img)|(?<!\\)\*\*fet|(?<!\\)\]\(javascript|(?<!\\):red(?!\\)\[")


def _markup_bodies(at) -> list[str]:
    bodies = [str(e.value) for kind in MARKUP_KINDS for e in getattr(at, kind)]
    bodies += [str(e.proto.help) for e in at.metric if e.proto.help]
    bodies += [str(b.proto.label) for b in at.button]
    return bodies


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_page_handles_the_broken_table(case: Case, broken_data, monkeypatch) -> None:
    data = broken_data(case)
    # ui.run_page prints the traceback of an unexpected error to the log: there must be none.
    tracebacks = []
    monkeypatch.setattr(ui.data.traceback, "print_exc", lambda *a, **k: tracebacks.append(ui.data.traceback.format_exc()))
    expected = _expected(case, data)
    for page_key, *_ in ui.PAGES:
        params, needs = _view(page_key, case)
        at = open_page(_script(page_key), params)
        where = f"{case.id} on {page_key}"
        assert not at.exception, (where, [e.value for e in at.exception])
        errors = [_unescape(e.value) for e in at.error]
        warnings = [_unescape(w.value) for w in at.warning]
        assert ui.t("error.unexpected") not in errors, where
        for body in _markup_bodies(at):
            assert not RAW_MARKUP.search(body), (where, body[:300])
        needed = needs is not None and case.table in needs
        if case.severity == ERROR:
            if needed:
                assert any(all(part in e for part in expected) for e in errors), (where, expected, errors)
            elif needs is not None:
                assert errors == [], where
            else:  # a page this test does not know: any error it shows must be about the broken file
                assert all(str(data / s.get_file_name(case.table)) in e for e in errors), (where, errors)
        else:
            assert errors == [], (where, errors)
        if case.severity == WARNING and needed:
            assert any(all(part in w for part in expected) for w in warnings), (where, expected, warnings)
        if case.severity is None or (needs is not None and not needed):
            assert not any(s.get_file_name(case.table) in w for w in warnings), (where, warnings)
        _check_view(case, page_key, at, needed)
    assert tracebacks == []


def _check_view(case: Case, page_key: str, at, needed: bool) -> None:
    """The case-specific promises: what the page shows instead of the broken data."""
    texts = [_unescape(e.value) for kind in MARKUP_KINDS for e in getattr(at, kind)] + [str(e.value) for e in at.text]
    if case.id == "text with HTML, Markdown and script" and page_key == "goals":
        # Shown as written: in the heading (escaped Markdown), the paragraphs (st.text) and the goal selector.
        assert any(f"{OPENED_GOAL} {HOSTILE}" == h for h in texts), texts[:5]
        assert sum(str(e.value) == HOSTILE for e in at.text) >= 4
        assert any(HOSTILE in o for o in at.selectbox(key="goals.mal").options)
    if case.id == "1 MB comment" and page_key == "goals":
        assert any(str(e.value) == LONG_TEXT[:MAX_TEXT_CHARS] for e in at.text)
        assert ui.t("text.truncated", n=len(LONG_TEXT)) in texts
    if case.id == "a year with no data" and needed and page_key != "about":
        assert any(f'Tabellen "{case.table}"' in x and "har inga rader" in x for x in texts), texts
    if page_key == "overview" and case.table != s.OPERATING:
        assert at.metric[0].value == "−104\u00a0869\u00a0tkr"  # the other cards keep working


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_command_names_the_problem(case: Case, broken_data, capsys) -> None:
    data = broken_data(case)
    code = ks_data_main(["check", "--data", str(data)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  - [")]
    if case.severity is None:
        assert code == 0 and "0 fel, 0 varningar" in out, out
        return
    assert code == (1 if case.severity == ERROR else 0), out
    expected = _expected(case, data)
    assert any(line.startswith(f"  - [{case.severity}]") and all(p in line for p in expected) for line in lines), \
        (expected, lines)
    if case.severity == WARNING:
        assert "0 fel" in out


# ---------------------------------------------------------------------------------------------------------------
# Text from the data is inert on every page: titles, comments, activity names, row labels, metrics, sections.

HOSTILE_CELLS: dict[str, tuple[tuple[str, object], dict[str, object]]] = {
    s.GOALS: ((s.GOAL_ID, OPENED_GOAL), {s.TITLE: HOSTILE, s.COMMENT: HOSTILE, s.ASSESSMENT_TEXT: HOSTILE}),
    s.INDICATORS: ((s.NAME, GREEN), {s.NAME: f"{HOSTILE} styrtal", s.NOTE: HOSTILE, s.PERIOD: HOSTILE}),
    s.ACTIVITIES: ((s.POSITION, 1), {s.NAME: HOSTILE, s.DESCRIPTION: HOSTILE, s.STATUS: HOSTILE,
                                     s.BELONGS_TO: HOSTILE, s.COMMENT: HOSTILE}),
    s.NET_COSTS: ((s.UNIT_NAME, "Näringslivskontor"), {s.UNIT_NAME: HOSTILE}),
    s.INVESTMENTS: ((s.PROJECT, "Strategiska markköp"), {s.PROJECT: HOSTILE}),
    s.OPERATING: ((s.LINE, "Verksamhetens nettokostnader"), {s.NOTE: HOSTILE}),
    s.NARRATIVE: ((s.POSITION, 9), {s.TEXT: HOSTILE}),
}


def _hostile_comparisons(df: pd.DataFrame) -> None:
    df.loc[df[s.METRIC] == "Antal antagna översiktsplaner", s.METRIC] = HOSTILE
    df[s.SECTION] = HOSTILE


def _hostile_views() -> list[tuple[str, dict[str, str]]]:
    views = [("overview", {}), ("goals", {"mal": OPENED_GOAL}), ("goals", {"mal": "1.5"}),
             ("economy", {"tabell": "nettokostnad"}), ("economy", {"tabell": "drift"}),
             ("economy", {"tabell": "investeringar", "procent": "1"}), ("economy", {"visa": "budget"}),
             ("economy", {"tabell": "drift", "visa": "avstamning"}), ("comparisons", {}),
             ("comparisons", {"index": "1"}), ("activities", {}), ("about", {"tabell": s.ACTIVITIES})]
    known = {key for key, _ in views}
    return views + [(key, {}) for key, *_ in ui.PAGES if key not in known]


def test_text_from_the_data_is_shown_as_written_never_as_markup(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for table in s.TABLES:
        path = data / s.get_file_name(table)
        shutil.copy2(REPO_ROOT / "data" / s.get_file_name(table), path)
        if table in HOSTILE_CELLS:
            match, cells = HOSTILE_CELLS[table]
            _edit(table, _set_cells(cells, match))(path)
    _edit(s.COMPARISONS, _hostile_comparisons)(data / s.get_file_name(s.COMPARISONS))
    assert ks_data_main(["check", "--data", str(data)]) == 0  # valid data: only the texts are odd
    monkeypatch.setenv("KS_DATA_DIR", str(data))
    escaped, shown = 0, set()
    for page_key, params in _hostile_views():
        at = open_page(_script(page_key), params)
        if page_key == "economy":  # its statement table is under the deviation chart, made when opened
            at = open_chart_extras(at, required=False)
        where = (page_key, params)
        assert not at.exception, where
        assert [e.value for e in at.error] == [], where
        # The app's own st.html (document language, share link) carries nothing from the data; a view table's does,
        # every header and cell escaped.
        tables = get_table_bodies(at)
        assert not any("alert(1)" in str(h.proto.body) for h in at.get("html") if h.proto.body not in tables), where
        for body in _markup_bodies(at):
            assert not RAW_MARKUP.search(body), (where, body[:300])
            escaped += ui.escape_markdown(HOSTILE) in body
        for body in tables:  # HTML, not Markdown: no tag of the data's survives, and its text is shown as written
            assert not re.search(r"<(script|img)", body), (where, body[:300])
            if html.escape(HOSTILE) in body:
                shown.add(page_key)
        shown |= {page_key for e in at.text if HOSTILE in str(e.value)}
    # The hostile text did reach the pages: as escaped Markdown and as plain text.
    assert escaped >= 6, escaped
    assert {"goals", "activities", "economy"} <= shown, shown
