"""Reading the editable source files (data/source/<year>/<table>.toml) into Arrow tables."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyarrow as pa

from ks_data import schema as s
from ks_data.errors import DataError, Problem

SOURCE_SUFFIX = ".toml"


def get_source_years(source_root: Path) -> list[int]:
    """Return the years that have a folder under ``source_root``, oldest first."""
    if not source_root.is_dir():
        return []
    return sorted(int(p.name) for p in source_root.iterdir() if p.is_dir() and p.name.isdigit())


def _coerce(value, type_: pa.DataType):
    """Return ``value`` as the Python type Arrow expects for ``type_``, or raise ValueError."""
    if value is None:
        return None
    if pa.types.is_integer(type_):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("ska vara ett heltal")
        bits = type_.bit_width - 1
        if not -(2**bits) <= value < 2**bits:
            raise ValueError(f"är för stort; högst {2**bits - 1} får plats")
        return value
    if pa.types.is_floating(type_):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("ska vara ett tal")
        return float(value)
    if pa.types.is_string(type_):
        if not isinstance(value, str):
            raise ValueError("ska vara text")
        return value
    raise ValueError(f"okänd typ {type_}")


def convert_rows(rows: list[dict], table: str, year: int, default_section: str | None, file: str) -> pa.Table:
    """Turn source rows (dicts without year/position/area) into an Arrow table of ``table``'s schema."""
    schema = s.SCHEMAS[table]
    problems: list[Problem] = []
    out = []
    for i, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            problems.append(Problem(file, table, "raden är inte en tabell med fält", row=i))
            continue
        row = dict(raw)
        unknown = sorted(set(row) - set(schema.names))
        for col in unknown:
            problems.append(Problem(file, table, "okänd kolumn; kontrollera stavningen", row=i, column=col))
        row[s.YEAR] = year
        row[s.POSITION] = i
        row.setdefault(s.SECTION, default_section)
        if table == s.GOALS and isinstance(row.get(s.GOAL_ID), str) and row[s.GOAL_ID].strip():
            head = row[s.GOAL_ID].split(".")[0]
            row[s.AREA] = int(head) if head.isdigit() else None
            if row[s.AREA] is None:
                # area is derived from goal_id, so the clerk must fix goal_id, not a column the source lacks.
                problems.append(Problem(file, table, f"målnumret {row[s.GOAL_ID]!r} ska se ut som '1.3'; "
                                        "målområdet räknas fram från det", row=i, column=s.GOAL_ID))
        clean = {}
        for field in schema:
            value = row.get(field.name)
            if isinstance(value, str) and value.strip() == "":
                value = None
            try:
                clean[field.name] = _coerce(value, field.type)
            except ValueError as exc:
                problems.append(Problem(file, table, f"värdet {value!r} {exc}", row=i, column=field.name))
                clean[field.name] = None
                continue
            if clean[field.name] is None and not field.nullable and field.name not in s.DERIVED_AT_BUILD:
                problems.append(Problem(file, table, "värde saknas men krävs", row=i, column=field.name))
        out.append(clean)
    if problems:
        raise DataError(problems)
    return pa.Table.from_pylist(out, schema=schema)


def read_source_table(path: Path, table: str, year: int) -> pa.Table:
    """Read one TOML source file into an Arrow table; raise DataError on any problem."""
    file = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(file, table, "filen saknas")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(file, table, "filen är inte UTF-8-text")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(file, table, f"filen går inte att läsa som TOML ({exc})")]) from None
    rows = doc.get("rows", [])
    if not isinstance(rows, list):
        raise DataError([Problem(file, table, "'rows' ska vara en lista av [[rows]]-tabeller")])
    return convert_rows(rows, table, year, doc.get("section"), file)


def read_source_year(year_dir: Path) -> dict[str, pa.Table]:
    """Read every table of one year's source folder; raise DataError listing all problems."""
    year = int(year_dir.name)
    tables: dict[str, pa.Table] = {}
    problems: list[Problem] = []
    for table in s.TABLES:
        try:
            tables[table] = read_source_table(year_dir / f"{table}{SOURCE_SUFFIX}", table, year)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return tables
