"""Validation in ks_data.check: each broken frame gives a problem that names table, row and column in Swedish."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from ks_data import schema as s
from ks_data.check import MAX_TEXT_CHARS, check_tables, has_errors
from ks_data.errors import ERROR, WARNING, Problem
from tests.helpers import DATA_DIR, real_frames


def _find(frames, table: str, column: str, value) -> int:
    """Return the index of the one row of ``table`` whose ``column`` equals ``value``."""
    idx = frames[table].index[frames[table][column] == value]
    assert len(idx) == 1, (table, column, value)
    return int(idx[0])


def _set(table: str, column: str, match: tuple[str, object], value) -> Callable[[dict], int]:
    """Return a breaker that sets one cell, found by ``match`` = (column, value), and returns its 1-based row."""
    def breaker(frames):
        i = _find(frames, table, *match)
        frames[table].loc[i, column] = value
        return i + 1
    return breaker


def _duplicate_goal(frames):
    goals = frames[s.GOALS]
    goals.loc[_find(frames, s.GOALS, s.GOAL_ID, "1.4"), s.GOAL_ID] = "1.3"
    return _find(frames, s.GOALS, s.TITLE, "Besökaren är nöjd med sin upplevelse") + 1


def _shift_deviation(by: int):
    def breaker(frames):
        i = _find(frames, s.NET_COSTS, s.UNIT_NAME, "Samhällsenhet")
        frames[s.NET_COSTS].loc[i, s.DEVIATION] += by
        return i + 1
    return breaker


def _verdict_beside_target(frames):
    i = _find(frames, s.INDICATORS, s.NAME, "Ärenden som klarat servicedeklarationen")
    frames[s.INDICATORS].loc[i, [s.VERDICT, s.VERDICT_TEXT]] = ["met", "Målet nås."]
    return i + 1


GREEN = "Gröna blad: digitala tjänster som erbjuds"
SERVICE_RANK = "Service till företag, placering i Sverige"
SERVICE_DECL = "Ärenden som klarat servicedeklarationen"

# (id, breaker, table, column, severity, words the Swedish message must contain)
BROKEN = [
    ("null in required title", _set(s.GOALS, s.TITLE, (s.GOAL_ID, "2.2"), None), s.GOALS, s.TITLE, ERROR,
     ["saknas", "krävs"]),
    ("null in required budget", _set(s.INVESTMENTS, s.BUDGET, (s.PROJECT, "IT mm"), None), s.INVESTMENTS, s.BUDGET,
     ERROR, ["saknas", "krävs"]),
    ("unknown assessment code", _set(s.GOALS, s.ASSESSMENT, (s.GOAL_ID, "2.1"), "uppfyllt"), s.GOALS, s.ASSESSMENT,
     ERROR, ["okänt värde", "'uppfyllt'", "fulfilled"]),
    ("unknown target_op", _set(s.INDICATORS, s.TARGET_OP, (s.NAME, GREEN), "=>"), s.INDICATORS, s.TARGET_OP, ERROR,
     ["okänt värde", "'=>'", ">="]),
    ("unknown row kind", _set(s.NET_COSTS, s.ROW_KIND, (s.UNIT_NAME, "Samhällsenhet"), "total"), s.NET_COSTS,
     s.ROW_KIND, ERROR, ["okänt värde", "'total'", "varav"]),
    ("unknown indicator direction", _set(s.INDICATORS, s.DIRECTION, (s.NAME, GREEN), "up"), s.INDICATORS,
     s.DIRECTION, ERROR, ["okänt värde", "'up'"]),
    ("indicator with unknown goal", _set(s.INDICATORS, s.GOAL_ID, (s.NAME, SERVICE_DECL), "9.9"), s.INDICATORS,
     s.GOAL_ID, ERROR, ["målet 9.9", "finns inte", "2020"]),
    ("op without target", _set(s.INDICATORS, s.TARGET, (s.NAME, GREEN), None), s.INDICATORS, s.TARGET, ERROR,
     ["målvärde saknas"]),
    ("target without op", _set(s.INDICATORS, s.TARGET_OP, (s.NAME, GREEN), None), s.INDICATORS, s.TARGET_OP, ERROR,
     ["target_op", "saknas"]),
    ("range without target_high", _set(s.INDICATORS, s.TARGET_HIGH, (s.NAME, SERVICE_RANK), None), s.INDICATORS,
     s.TARGET_HIGH, ERROR, ["intervall", "övre gräns"]),
    ("range upside down", _set(s.INDICATORS, s.TARGET_HIGH, (s.NAME, SERVICE_RANK), 0.5), s.INDICATORS,
     s.TARGET_HIGH, ERROR, ["övre gränsen", "mindre än"]),
    ("target_high without range", _set(s.INDICATORS, s.TARGET_HIGH, (s.NAME, GREEN), 30.0), s.INDICATORS,
     s.TARGET_HIGH, ERROR, ["range"]),
    ("verdict without its sentence", _set(s.INDICATORS, s.VERDICT_TEXT, (s.NAME, "UF"), None), s.INDICATORS,
     s.VERDICT_TEXT, ERROR, ["verdict_text", "meningen"]),
    ("sentence without a verdict", _set(s.INDICATORS, s.VERDICT, (s.NAME, "UF"), None), s.INDICATORS, s.VERDICT,
     ERROR, ["verdict", "met", "missed"]),
    ("verdict beside a printed target", _verdict_beside_target, s.INDICATORS, s.VERDICT, ERROR,
     ["inget målvärde är tryckt", "avgör målvärdet"]),
    ("unknown verdict code", _set(s.INDICATORS, s.VERDICT, (s.NAME, "UF"), "uppfyllt"), s.INDICATORS, s.VERDICT,
     ERROR, ["okänt värde", "'uppfyllt'", "met, missed"]),
    ("contradiction without where it stands", _set(s.NET_COSTS, s.CONFLICT_WHERE,
                                                  (s.UNIT_NAME, "Kommunledningskontor"), None),
     s.NET_COSTS, s.CONFLICT_WHERE, ERROR, ["conflict_where", "Mål 2.2 › Analys"]),
    ("where without the contradicting sentence", _set(s.INDICATORS, s.CONFLICT_TEXT,
                                                      (s.CONFLICT_WHERE, "Mål 2.2 › Analys"), None),
     s.INDICATORS, s.CONFLICT_TEXT, ERROR, ["conflict_text", "saknas"]),
    ("badly formed goal id", _set(s.GOALS, s.GOAL_ID, (s.GOAL_ID, "4.1"), "4-1"), s.GOALS, s.GOAL_ID, ERROR,
     ["'4-1'", "1.3"]),
    ("area does not match goal id", _set(s.GOALS, s.AREA, (s.GOAL_ID, "4.1"), 3), s.GOALS, s.AREA, ERROR,
     ["målområdet 3", "4.1"]),
    ("deviation off by 500 tkr", _shift_deviation(500), s.NET_COSTS, s.DEVIATION, ERROR,
     ["avvikelsen 2221 tkr", "budget -7586", "utfall -5865", "beräknad 1721"]),
    ("deviation off by -500 tkr in investments", _set(s.INVESTMENTS, s.DEVIATION, (s.PROJECT, "IT mm"), 1443),
     s.INVESTMENTS, s.DEVIATION, ERROR, ["avvikelsen 1443 tkr", "beräknad 1943"]),
    ("text over the limit", _set(s.GOALS, s.ANALYSIS, (s.GOAL_ID, "4.3"), "x" * (MAX_TEXT_CHARS + 1)), s.GOALS,
     s.ANALYSIS, WARNING, [f"{MAX_TEXT_CHARS + 1} tecken", "förkortad"]),
    ("text of a value over the limit", _set(s.NARRATIVE, s.TEXT, (s.POSITION, 3), "å" * (MAX_TEXT_CHARS + 5)),
     s.NARRATIVE, s.TEXT, WARNING, [f"{MAX_TEXT_CHARS + 5} tecken"]),
]


@pytest.mark.parametrize(("breaker", "table", "column", "severity", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in BROKEN])
def test_broken_frame_gives_a_named_problem(breaker, table, column, severity, words):
    frames = real_frames()
    row = breaker(frames)
    problems = check_tables(frames, DATA_DIR)
    assert len(problems) == 1, "\n".join(p.describe() for p in problems)
    p = problems[0]
    assert (p.table, p.row, p.column, p.severity) == (table, row, column, severity)
    assert p.file == str(DATA_DIR / f"{table}.parquet")
    for word in words:
        assert word in p.message
    # The one-line description a clerk reads names all of it.
    text = p.describe()
    assert f"tabell {table}" in text and f"rad {row}" in text and f"kolumn {column}" in text
    assert has_errors(problems) is (severity == ERROR)


def test_duplicate_key_names_table_row_and_key_columns():
    frames = real_frames()
    row = _duplicate_goal(frames)
    problems = [p for p in check_tables(frames) if p.severity == ERROR]
    assert len(problems) == 1, [p.describe() for p in problems]
    p = problems[0]
    assert (p.table, p.row) == (s.GOALS, row)
    # The key has several columns; the message names them and the earlier row with the same key.
    assert "samma nyckel" in p.message
    assert "year=2020" in p.message and "goal_id=1.3" in p.message
    assert f"rad {_find(real_frames(), s.GOALS, s.GOAL_ID, '1.3') + 1}" in p.message
    assert p.file == "goals.parquet"  # without a data folder the file name alone is given


def test_indicator_key_includes_period():
    """Two values of the same indicator for different periods are fine; the same period twice is not."""
    frames = real_frames()
    ind = frames[s.INDICATORS]
    same_name = ind[ind[s.NAME] == "Livskvalitet"]
    assert len(same_name) == 2 and same_name[s.PERIOD].nunique() == 2
    assert not has_errors(check_tables(frames))
    ind.loc[same_name.index[1], s.PERIOD] = same_name.iloc[0][s.PERIOD]
    problems = check_tables(frames)
    assert [(p.table, p.row) for p in problems] == [(s.INDICATORS, int(same_name.index[1]) + 1)]


def test_deviation_off_by_one_tkr_is_rounding_not_an_error():
    frames = real_frames()
    _shift_deviation(1)(frames)
    _shift_deviation(-2)(frames)  # now off by −1
    assert check_tables(frames, DATA_DIR) == []


def test_deviation_off_by_two_tkr_is_an_error():
    frames = real_frames()
    _shift_deviation(2)(frames)
    problems = check_tables(frames, DATA_DIR)
    assert [(p.table, p.column, p.severity) for p in problems] == [(s.NET_COSTS, s.DEVIATION, ERROR)]


def test_text_at_the_limit_is_fine():
    frames = real_frames()
    _set(s.GOALS, s.ANALYSIS, (s.GOAL_ID, "4.3"), "x" * MAX_TEXT_CHARS)(frames)
    assert check_tables(frames) == []


def test_year_missing_in_one_table_is_a_warning():
    frames = real_frames()
    extra = frames[s.GOALS].iloc[[0]].copy()
    extra[s.YEAR] = 2021
    frames[s.GOALS] = pd.concat([frames[s.GOALS], extra], ignore_index=True)
    problems = check_tables(frames, DATA_DIR)
    assert not has_errors(problems)
    missing = {p.table for p in problems}
    assert missing == set(s.TABLES) - {s.GOALS}  # every other table lacks 2021
    for p in problems:
        assert p.severity == WARNING
        assert "inga rader för år 2021" in p.message
        assert p.file == str(DATA_DIR / f"{p.table}.parquet")


def test_indicator_text_unit_rules():
    frames = real_frames()
    i = _find(frames, s.INDICATORS, s.NAME, "UF")
    frames[s.INDICATORS].loc[i, s.VALUE_TEXT] = None
    problems = check_tables(frames)
    assert [(p.row, p.column) for p in problems] == [(i + 1, s.VALUE_TEXT)]
    assert "omdöme" in problems[0].message


def test_several_problems_are_all_reported():
    frames = real_frames()
    _set(s.GOALS, s.TITLE, (s.GOAL_ID, "2.2"), None)(frames)
    _shift_deviation(500)(frames)
    _set(s.INDICATORS, s.TARGET, (s.NAME, GREEN), None)(frames)
    problems = check_tables(frames)
    assert sorted((p.table, p.column) for p in problems) == sorted(
        [(s.GOALS, s.TITLE), (s.NET_COSTS, s.DEVIATION), (s.INDICATORS, s.TARGET)])


def test_real_data_passes_with_no_errors_and_no_warnings():
    problems = check_tables(real_frames(), DATA_DIR)
    assert not has_errors(problems)
    assert problems == [], [p.describe() for p in problems]


def test_problem_describe_is_one_swedish_sentence():
    p = Problem("data/goals.parquet", s.GOALS, "värde saknas men krävs", row=3, column=s.TITLE)
    assert p.describe() == "fil data/goals.parquet, tabell goals, rad 3, kolumn title: värde saknas men krävs"
    q = Problem("data/x.parquet", "x", "filen saknas")
    assert q.describe() == "fil data/x.parquet, tabell x: filen saknas"
