"""ks_data/errors.py: a data problem is told as one Swedish sentence a clerk can act on."""

from __future__ import annotations

import pytest

from ks_data.errors import ERROR, WARNING, DataError, Problem


@pytest.mark.parametrize(("problem", "sentence"), [
    (Problem("data/goals.parquet", "goals", "filen saknas"), "fil data/goals.parquet, tabell goals: filen saknas"),
    (Problem("net_costs.parquet", "net_costs", "värdet saknas", row=4, column="budget"),
     "fil net_costs.parquet, tabell net_costs, rad 4, kolumn budget: värdet saknas"),
    (Problem("goals.parquet", "goals", "samma nyckel som rad 2", row=5),
     "fil goals.parquet, tabell goals, rad 5: samma nyckel som rad 2"),
    (Problem("indicators.parquet", "indicators", "okänd kolumn", column="färg", severity=WARNING),
     "fil indicators.parquet, tabell indicators, kolumn färg: okänd kolumn"),
    # Row 0 is a row: only a missing row (None) is left out.
    (Problem("goals.parquet", "goals", "fel typ", row=0), "fil goals.parquet, tabell goals, rad 0: fel typ"),
])
def test_a_problem_names_file_table_row_and_column_before_what_is_wrong(problem, sentence):
    assert problem.describe() == sentence


def test_a_problem_is_an_error_unless_told_otherwise():
    assert Problem("goals.parquet", "goals", "x").severity == ERROR


def test_a_data_error_carries_every_problem_and_tells_each_on_a_line_of_its_own():
    problems = [Problem("goals.parquet", "goals", "filen saknas"),
                Problem("operating.parquet", "operating", "värdet saknas", row=2, column="outcome")]
    error = DataError(problems)
    assert error.problems == problems
    assert str(error).splitlines() == [p.describe() for p in problems]
    problems.clear()  # the error keeps its own list
    assert len(error.problems) == 2
