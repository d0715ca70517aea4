"""Validation of the tables: every problem named by file, table, row and column, in Swedish."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ks_data import schema as s
from ks_data.errors import ERROR, WARNING, Problem
from ks_data.reconcile import ROUNDING_TOLERANCE_TKR, calc_row_deviations

GOAL_ID_PATTERN = re.compile(r"^\d+\.\d+$")
# Longer texts than this are almost certainly a paste error; the app shortens them for display.
MAX_TEXT_CHARS = 20_000


def _file(data_dir: Path | None, table: str) -> str:
    return str(Path(data_dir) / s.get_file_name(table)) if data_dir else s.get_file_name(table)


def _is_null(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def check_required(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return a problem for each empty cell in a column the schema says is required."""
    problems = []
    for field in s.SCHEMAS[table]:
        if field.nullable or field.name not in df:
            continue
        for i in df.index[df[field.name].isna()]:
            problems.append(Problem(file, table, "värde saknas men krävs", row=int(i) + 1, column=field.name))
    return problems


def check_codes(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return a problem for each value outside the allowed codes of its column."""
    problems = []
    for (tab, col), allowed in s.CODES.items():
        if tab != table or col not in df:
            continue
        for i, value in df[col].items():
            if not _is_null(value) and value not in allowed:
                problems.append(Problem(file, table, f"okänt värde {value!r}; tillåtna värden: {', '.join(allowed)}",
                                        row=int(i) + 1, column=col))
    return problems


def check_keys(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return a problem for each row whose key repeats an earlier row's key."""
    key = [c for c in s.get_key(table) if c in df]
    problems = []
    seen: dict[tuple, str] = {}
    for i, values in zip(df.index, df[key].itertuples(index=False, name=None), strict=True):
        norm = tuple(None if _is_null(v) else v for v in values)
        if norm in seen:
            shown = ", ".join(f"{c}={v}" for c, v in zip(key, norm, strict=True))
            problems.append(Problem(file, table, f"samma nyckel ({shown}) som {seen[norm]}; varje rad måste vara unik",
                                    row=int(i) + 1))
        else:
            seen[norm] = _describe_row(df, i)
    return problems


def _describe_row(df: pd.DataFrame, i) -> str:
    """Name a row so it can be found both in a year's source file and in the stacked Parquet file."""
    if s.POSITION in df and s.YEAR in df and not _is_null(df.at[i, s.POSITION]):
        return f"rad {int(df.at[i, s.POSITION])} för år {int(df.at[i, s.YEAR])}"
    return f"rad {int(i) + 1}"


def check_texts(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return a warning for each text longer than MAX_TEXT_CHARS."""
    problems = []
    for field in s.SCHEMAS[table]:
        if not pa.types.is_string(field.type) or field.name not in df:
            continue
        lengths = df[field.name].dropna().map(len)
        for i, n in lengths[lengths > MAX_TEXT_CHARS].items():
            problems.append(Problem(file, table, f"texten är {n} tecken lång (högst {MAX_TEXT_CHARS}); "
                                    "den visas förkortad", row=int(i) + 1, column=field.name, severity=WARNING))
    return problems


def check_goals(goals: pd.DataFrame, file: str) -> list[Problem]:
    """Return problems with goal ids and their area."""
    problems = []
    for i, row in goals.iterrows():
        gid = row[s.GOAL_ID]
        if _is_null(gid):
            continue
        if not GOAL_ID_PATTERN.match(str(gid)):
            problems.append(Problem(file, s.GOALS, f"målnumret {gid!r} ska se ut som '1.3'", row=int(i) + 1,
                                    column=s.GOAL_ID))
        elif not _is_null(row[s.AREA]) and int(str(gid).split(".")[0]) != int(row[s.AREA]):
            problems.append(Problem(file, s.GOALS, f"målområdet {row[s.AREA]} stämmer inte med målnumret {gid}",
                                    row=int(i) + 1, column=s.AREA))
    return problems


def check_indicators(ind: pd.DataFrame, goals: pd.DataFrame | None, file: str) -> list[Problem]:
    """Return problems with indicator targets, units and goal references."""
    problems = []
    known = set()
    if goals is not None and s.GOAL_ID in goals:
        known = set(zip(goals[s.YEAR], goals[s.GOAL_ID], strict=True))
    for i, r in ind.iterrows():
        row = int(i) + 1

        def add(msg, col, _row=row):
            problems.append(Problem(file, s.INDICATORS, msg, row=_row, column=col))

        if goals is not None and (r[s.YEAR], r[s.GOAL_ID]) not in known:
            add(f"målet {r[s.GOAL_ID]} finns inte i tabellen goals för år {r[s.YEAR]}", s.GOAL_ID)
        op, target, high = r[s.TARGET_OP], r[s.TARGET], r[s.TARGET_HIGH]
        if not _is_null(op) and _is_null(target):
            add("jämförelse är angiven men målvärde saknas", s.TARGET)
        if _is_null(op) and not _is_null(target):
            add("målvärde är angivet men jämförelse (target_op) saknas", s.TARGET_OP)
        if op == "range":
            if _is_null(high):
                add("intervall kräver en övre gräns i target_high", s.TARGET_HIGH)
            elif not _is_null(target) and high < target:
                add(f"övre gränsen {high} är mindre än undre gränsen {target}", s.TARGET_HIGH)
        elif not _is_null(high):
            add("target_high används bara när target_op är 'range'", s.TARGET_HIGH)
        if r[s.UNIT] == "text":
            if _is_null(r[s.VALUE_TEXT]):
                add("enheten 'text' kräver ett omdöme i value_text", s.VALUE_TEXT)
            if not _is_null(op):
                add("ett omdöme i ord kan inte ha ett målvärde", s.TARGET_OP)
        verdict, verdict_text = r.get(s.VERDICT), r.get(s.VERDICT_TEXT)
        if not _is_null(verdict) and _is_null(verdict_text):
            add("en bedömning i ord (verdict) kräver meningen i rapporten som den kommer från, i verdict_text",
                s.VERDICT_TEXT)
        if _is_null(verdict) and not _is_null(verdict_text):
            add("meningen i verdict_text kräver rapportens bedömning i verdict: met (når målet) eller missed "
                "(når inte målet)", s.VERDICT)
        if not _is_null(verdict) and not _is_null(target):
            add("en bedömning i ord gäller bara där inget målvärde är tryckt; här avgör målvärdet, så lämna verdict "
                "tomt", s.VERDICT)
    return problems


def check_conflicts(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return problems with a contradicting sentence: it needs both where it stands and the sentence itself."""
    problems = []
    if s.CONFLICT_TEXT not in df or s.CONFLICT_WHERE not in df:
        return problems
    for i, (where, text) in enumerate(zip(df[s.CONFLICT_WHERE], df[s.CONFLICT_TEXT], strict=True)):
        if _is_null(text) and not _is_null(where):
            problems.append(Problem(file, table, "conflict_where är ifyllt men meningen som säger emot raden saknas "
                                    "i conflict_text", row=i + 1, column=s.CONFLICT_TEXT))
        if not _is_null(text) and _is_null(where):
            problems.append(Problem(file, table, "meningen i conflict_text kräver var i rapporten den står, i "
                                    "conflict_where (t.ex. 'Mål 2.2 › Analys')", row=i + 1, column=s.CONFLICT_WHERE))
    return problems


def check_deviations(df: pd.DataFrame, table: str, file: str) -> list[Problem]:
    """Return an error for each printed deviation that differs from budget and outcome by more than rounding."""
    problems = []
    checked = calc_row_deviations(df, table)
    for i, r in checked.iterrows():
        diff = r["difference"]
        if not _is_null(diff) and abs(diff) > ROUNDING_TOLERANCE_TKR:
            problems.append(Problem(
                file, table,
                f"avvikelsen {r[s.DEVIATION]:.0f} tkr stämmer inte med budget {r[s.BUDGET]:.0f} och utfall "
                f"{r[s.OUTCOME]:.0f} (beräknad {r['computed']:.0f} tkr); mer än avrundning",
                row=int(i) + 1, column=s.DEVIATION))
    return problems


def check_years(frames: dict[str, pd.DataFrame], data_dir: Path | None) -> list[Problem]:
    """Return a warning for each table that has no rows for a year that other tables have."""
    years = set()
    for df in frames.values():
        if s.YEAR in df:
            years |= set(int(y) for y in df[s.YEAR].dropna().unique())
    problems = []
    for table, df in frames.items():
        have = set(int(y) for y in df[s.YEAR].dropna().unique()) if s.YEAR in df else set()
        for year in sorted(years - have):
            problems.append(Problem(_file(data_dir, table), table, f"tabellen har inga rader för år {year}",
                                    severity=WARNING))
    return problems


def check_tables(frames: dict[str, pd.DataFrame], data_dir: Path | None = None) -> list[Problem]:
    """Validate the loaded tables; return every problem found (errors and warnings)."""
    problems: list[Problem] = []
    for table, df in frames.items():
        file = _file(data_dir, table)
        df = df.reset_index(drop=True)
        problems += check_required(df, table, file)
        problems += check_codes(df, table, file)
        problems += check_keys(df, table, file)
        problems += check_texts(df, table, file)
        if table == s.GOALS:
            problems += check_goals(df, file)
        if table == s.INDICATORS:
            problems += check_indicators(df, frames.get(s.GOALS), file)
        if table in (s.OPERATING, s.NET_COSTS, s.INVESTMENTS):
            problems += check_deviations(df, table, file)
        problems += check_conflicts(df, table, file)
    problems += check_years(frames, data_dir)
    return problems


def has_errors(problems: list[Problem]) -> bool:
    """Return True if any problem is an error rather than a warning."""
    return any(p.severity == ERROR for p in problems)
