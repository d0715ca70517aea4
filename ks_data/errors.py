"""The one error type for data problems, and the problem record it carries."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "fel"
WARNING = "varning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, told so that a clerk can find and fix it."""

    file: str
    table: str
    message: str
    row: int | None = None
    column: str | None = None
    severity: str = ERROR

    def describe(self) -> str:
        """Return the problem as one Swedish sentence: where, then what."""
        where = [f"fil {self.file}", f"tabell {self.table}"]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """Raised when data cannot be read or used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.describe() for p in self.problems))
