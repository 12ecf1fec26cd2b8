"""Errors a user can act on: each names the file, the field or column, the row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a case: where it is, what was found, what was expected."""

    file: str
    field: str = ""
    row: int | str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.field:
            where += f", field/column '{self.field}'"
        if self.row is not None:
            where += f", row {self.row}"
        return f"{where}: {self.message}"


class GridplanError(Exception):
    """Base of all errors gridplan reports to a user; the CLI exits with `exit_code`."""

    exit_code = 1


class InputError(GridplanError):
    """The case has one or more problems; nothing was solved or written."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        head = f"{len(problems)} problem(s) in the case:" if len(problems) > 1 else "bad input:"
        super().__init__("\n".join([head, *("  - " + line for line in lines)]))


class SolveError(GridplanError):
    """The solver stopped without a usable solution."""

    def __init__(self, status: str, message: str, exit_code: int = 3) -> None:
        self.status = status
        self.exit_code = exit_code
        super().__init__(message)
