"""The tables as the pages get them: loaded, validated, of the shown report year; the data check and the warm-up;
and what a page shows when a table is missing, invalid or empty (the rest of the page keeps working)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_data import schema as s
from ks_data.errors import ERROR, DataError, Problem
from ks_data.markup import escape_markdown
from ks_data.texts import LANGUAGES
from ui.cache import (
    get_data_check,
    get_data_dir,
    get_data_folder,
    get_table_problems,
    get_year_rows,
    read_table,
)
from ui.context import get_run
from ui.internals import is_fragment_rerun
from ui.state import get_year, t

MAX_PROBLEM_CHARS = 400


class EmptyTableError(DataError):
    """Raised by get_table for a table that is readable and valid but has no rows; pages show a notice, not an error."""


class YearMissingError(EmptyTableError):
    """Raised by get_table(by_year=True) for a table with no rows for the shown report year (it has other years')."""


def get_table(table: str, by_year: bool = False) -> pd.DataFrame:
    """Return a loaded and validated table (shared, read-only: never mutate it); with ``by_year``, only the rows of
    the report year the pages show (ui.get_year).

    Raises DataError, naming file, table, row and column, if the table cannot be read or fails validation;
    EmptyTableError if it has no rows (YearMissingError if it has none for the shown year). Validation warnings
    (e.g. an overly long text, a year with no rows) become a notice at the top of the page, and the table is returned.
    """
    df = read_table(table)
    problems = get_table_problems(table)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise DataError(errors)
    warnings = [p for p in problems if p.severity != ERROR]
    _show_warnings_or_rerun(warnings)
    if df.empty:
        raise EmptyTableError(warnings or [Problem(str(get_data_dir() / s.get_file_name(table)), table,
                                                   t("data.no_rows"))])
    if by_year:
        df = get_year_rows(df, get_year())
        if df.empty:
            raise YearMissingError([Problem(str(get_data_dir() / s.get_file_name(table)), table,
                                            t("years.no_rows", year=get_year()))])
    return df


def get_loaded_tables() -> dict[str, pd.DataFrame]:
    """Return every table that can be read, valid or not (shared, read-only: never mutate them); unreadable ones are
    left out."""
    out = {}
    for table in s.TABLES:
        try:
            out[table] = read_table(table)
        except DataError:
            continue
    return out


def get_year_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return each table's rows of the shown report year (shared, read-only for the shared tables)."""
    year = get_year()
    return {table: get_year_rows(df, year) for table, df in frames.items()}


def warm_up() -> None:
    """Read, validate and reconcile the data folder and load the number formats before the first visitor needs them
    (serve.py calls this on a background thread as the server starts listening: ~1 s less for the first page)."""
    for table in s.TABLES:
        get_table_problems(table)  # reads every table once and validates the folder
    get_data_check()
    get_data_folder()
    for lang in LANGUAGES:
        fmt.format_tkr(-1234.5, fmt.get_locale(lang))  # babel loads its locale data on first use


def _show_warnings_or_rerun(problems: list[Problem]) -> None:
    """Show each data warning once per page run as a notice at the top of the page; the page carries on."""
    page = get_run().page
    for problem in problems:
        if page is not None and problem in page.shown_problems:
            continue
        if page is not None and is_fragment_rerun():
            # The data changed since the page was drawn; its notices sit outside the page's content, which a
            # widget change redraws alone: run the whole page again, which shows the warning in its place.
            st.rerun()
        text = t("notice.data_warning", problem=format_problem(problem))
        if page is None:
            st.warning(text)
        else:
            page.shown_problems.add(problem)
            page.notice(text)


def format_problem(problem: Problem) -> str:
    """Return a problem's Swedish description as inert Markdown, cut if a value from the data makes it very long."""
    text = problem.describe()
    if len(text) > MAX_PROBLEM_CHARS:
        text = text[:MAX_PROBLEM_CHARS] + "…"
    return escape_markdown(text)


def show_data_error(problems: list[Problem], table: str) -> None:
    """Show a data problem in Swedish, naming file, table, row and column; never a traceback, never data as markup."""
    lines = "\n".join(f"- {format_problem(p)}" for p in problems[:20])
    more = f"\n- {t('error.more', n=len(problems) - 20)}" if len(problems) > 20 else ""
    st.error(f"{t('error.table', table=table)}\n\n{lines}{more}\n\n{t('error.rest_works')}")


def show_empty_table(table: str, exc: EmptyTableError | None = None) -> None:
    """Say that a table has no rows (or none for the shown year), so there is nothing to show here (a notice)."""
    if isinstance(exc, YearMissingError):
        st.info(t("years.empty_table", table=table, file=escape_markdown(s.get_file_name(table)), year=get_year()))
        return
    st.info(t("data.empty_table", table=table, file=escape_markdown(s.get_file_name(table))))


@contextmanager
def data_section(table: str):
    """Run a block that needs ``table``; if the table is broken or empty, say why and carry on with the rest of the page."""
    try:
        yield
    except EmptyTableError as exc:
        show_empty_table(table, exc)
    except DataError as exc:
        show_data_error(exc.problems, table)


def require_tables_or_stop(*tables: str, by_year: bool = False) -> dict[str, pd.DataFrame]:
    """Return the named tables (with ``by_year``, the shown report year's rows), or show what is wrong with them and
    stop this page (other pages keep working)."""
    out, failed = {}, False
    for table in tables:
        try:
            out[table] = get_table(table, by_year)
        except EmptyTableError as exc:
            show_empty_table(table, exc)
            failed = True
        except DataError as exc:
            show_data_error(exc.problems, table)
            failed = True
    if failed:
        st.stop()
    return out


def run_guarded(render: Callable[..., None], *args) -> None:
    """Run ``render(*args)``; an unexpected error becomes a Swedish message, the details go to the log."""
    try:
        render(*args)
    except Exception:  # noqa: BLE001 - the last line of defence: users never see a traceback
        traceback.print_exc()
        st.error(t("error.unexpected"))

