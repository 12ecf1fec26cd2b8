"""Errors a user can act on: each names the file, the field or column, the row (or YAML line).

Exit codes of the command line (see README, "Exit codes"):
    2  InputError: the case has problems; nothing was solved or written
    3  SolveError 'infeasible': the constraints cannot all hold
    4  SolveError 'unbounded': the cost can fall without limit
    5  SolveError 'time_limit' / 'iteration_limit' without a feasible point (with a feasible
       point the run saves it, marked solver_status='time_limit', optimal=0, and exits 5)
    6  SolveError 'solve_error': numerical trouble or any other solver failure
    7  OutputError (gridplan/outputs.py): a file could not be written after the solve (disk full,
       ...); files written before are kept, none is left half-written
An output folder that cannot be written is found before the solve and is exit 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


def _shown(file: str) -> str:
    """A path relative to the working folder when it lies inside it, else as given."""
    try:
        p = Path(file)
        if p.is_absolute():
            rel = os.path.relpath(p)
            if not rel.startswith(".."):
                return rel
    except ValueError:  # another drive on Windows
        pass
    return file


@dataclass(frozen=True)
class Problem:
    """One problem in a case: where it is, what was found, what was expected.

    `row` is a 1-based line number of the file (CSV: the header is line 1; YAML: the line of the
    key). `severity` is "error" (the case cannot run) or "warning" (listed by `gridplan validate`,
    ignored by `gridplan run`)."""

    file: str
    field: str = ""
    row: int | str | None = None
    message: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = _shown(self.file)
        if self.field:
            where += f", field/column '{self.field}'"
        if self.row is not None:
            word = "line" if self.file.lower().endswith((".yaml", ".yml")) else "row"
            where += f", {word} {self.row}"
        head = "warning: " if self.severity == WARNING else ""
        return f"{head}{where}: {self.message}"


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
    """The solver stopped without a usable solution; `status` is the HiGHS model status
    (infeasible, unbounded, time_limit, iteration_limit, solve_error, ...)."""

    def __init__(self, status: str, message: str, exit_code: int = 3) -> None:
        self.status = status
        self.exit_code = exit_code
        super().__init__(message)

    def __reduce__(self) -> tuple[type[SolveError], tuple[str, str, int]]:
        """Picklable (raised in a worker process of a sweep or an hourly check)."""
        return SolveError, (self.status, str(self), self.exit_code)
