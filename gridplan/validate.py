"""Check a case without solving: every problem, each naming file, field or column, row.

`check` reads the case with every check of gridplan.case (YAML, schema, cross-references,
magnitudes, CSV tables, infeasibility visible from the data) and then builds the model on the
scenario's time steps, which adds what only the build can see (e.g. a target whose technologies
can never exist). Errors stop `gridplan run`; warnings (unused CSV files or columns) do not.
"""

from __future__ import annotations

from pathlib import Path

from gridplan.case import read
from gridplan.errors import InputError, Problem
from gridplan.lp.build import build
from gridplan.timesteps import select


def check(case: str | Path, build_model: bool = True) -> list[Problem]:
    """All problems of a case, errors and warnings (Problem.severity); [] when it is clean."""
    problems: list[Problem] = []
    inputs = read(case, problems)
    if inputs is not None and build_model:
        try:
            build(inputs, select(inputs))
        except InputError as e:
            problems += inputs.with_yaml_lines(e.problems)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a run."""
    return [p for p in problems if p.is_error]


def report(case: str | Path, problems: list[Problem]) -> tuple[str, int]:
    """The text `gridplan validate` prints and its exit code (2 with any error, else 0)."""
    bad = errors(problems)
    if not problems:
        return f"{case}: no problems found", 0
    warn = len(problems) - len(bad)
    head = f"{len(bad)} error(s)" + (f" and {warn} warning(s)" if warn else "") + f" in {case}:"
    lines = [head, *(f"  - {p}" for p in [*bad, *(p for p in problems if not p.is_error)])]
    return "\n".join(lines), 2 if bad else 0
