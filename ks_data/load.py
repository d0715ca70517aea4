"""Loading the Parquet tables, checked against their schema."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ks_data import schema as s
from ks_data.errors import DataError, Problem

# Line and paragraph separators: Vega's expression parser ends a string at one, and Vega-Lite writes a chart's names
# (a metric's, in its legend's order) into its expressions, so a name holding one stopped its chart from being drawn
# ("Unexpected token ILLEGAL"). They are read as spaces.
SEPARATORS = "[\u2028\u2029]"


def check_schema(actual: pa.Schema, table: str, file: str) -> list[Problem]:
    """Compare a file's schema with the table's schema; return missing columns and wrong types."""
    expected = s.SCHEMAS[table]
    problems = []
    for field in expected:
        idx = actual.get_field_index(field.name)
        if idx < 0:
            problems.append(Problem(file, table, "kolumnen saknas i filen", column=field.name))
            continue
        got = actual.field(idx).type
        if got != field.type and not (pa.types.is_integer(got) and pa.types.is_integer(field.type)) \
                and not (pa.types.is_large_string(got) and pa.types.is_string(field.type)):
            problems.append(Problem(file, table, f"kolumnen har typen {got} men ska vara {field.type}",
                                    column=field.name))
    return problems


def load_table(table: str, data_dir: Path) -> pd.DataFrame:
    """Read ``data_dir/<table>.parquet`` as a DataFrame with the schema's columns (line and paragraph separators in its
    texts as spaces); raise DataError if unusable."""
    path = Path(data_dir) / s.get_file_name(table)
    file = str(path)
    if not path.exists():
        raise DataError([Problem(file, table, "filen saknas; kör 'python -m ks_data build'")])
    if path.stat().st_size == 0:
        raise DataError([Problem(file, table, "filen är tom (0 byte); bygg om den med 'python -m ks_data build'")])
    try:
        arrow = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError([Problem(file, table, f"filen är inte en läsbar Parquet-fil ({type(exc).__name__}); "
                                 "den kan vara trasig eller avklippt. Bygg om den med 'python -m ks_data build'")]) from None
    problems = check_schema(arrow.schema, table, file)
    if problems:
        raise DataError(problems)
    expected = s.SCHEMAS[table]
    arrow = arrow.select(expected.names)
    problems = []
    for field in expected:
        column = arrow.column(field.name)
        try:
            column.cast(field.type, safe=True)
        except (pa.ArrowException, ValueError):
            problems.append(Problem(file, table, f"värdena passar inte kolumnens typ ({field.type})", column=field.name))
            continue
        if not field.nullable and column.null_count:
            for i, is_null in enumerate(column.is_null().to_pylist()):
                if is_null:
                    problems.append(Problem(file, table, "värde saknas men krävs", row=i + 1, column=field.name))
    if problems:
        raise DataError(problems)
    arrow = arrow.cast(expected, safe=True)
    for i, field in enumerate(expected):
        if pa.types.is_string(field.type):
            arrow = arrow.set_column(i, field, pc.replace_substring_regex(arrow.column(i), SEPARATORS, " "))
    return arrow.to_pandas()


def load_tables(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Load every table that can be loaded; return the tables and the problems of those that could not."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in s.TABLES:
        try:
            tables[table] = load_table(table, data_dir)
        except DataError as exc:
            problems.extend(exc.problems)
    return tables, problems
