"""Check a case without solving: every problem, each naming file, field or column, row."""

from __future__ import annotations

from pathlib import Path

from gridplan.errors import InputError, Problem
from gridplan.inputs import load
from gridplan.lp.build import build
from gridplan.timeseries import select


def check(case: str | Path) -> list[Problem]:
    """All problems of a case: reading, cross-references, and what building the model finds."""
    try:
        inputs = load(case)
        build(inputs, select(inputs))
    except InputError as e:
        return e.problems
    return []
