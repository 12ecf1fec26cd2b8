"""The schema's building blocks: number types that refuse YAML booleans, value forms by period
and zone, bounds, kind-name validators and the strict base model (gridplan/case/schema.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from gridplan.kinds import TARGET_KINDS, TECH_KINDS

MIN_TOLERANCE, MAX_TOLERANCE = 1e-10, 1e-4  # feasibility/optimality tolerances HiGHS may use
MAX_PERIOD_YEARS = 100  # years one period may stand for
MAX_UP_DOWN = 168  # hours of a minimum up or down time (a week)


def _no_bool(v: Any) -> Any:
    """YAML reads yes/no/on/off/true/false as booleans; a number field must not take them as 1/0."""
    if isinstance(v, bool):
        raise ValueError("a YAML boolean (yes/no/on/off/true/false) is not a number; expected a number")
    return v


def cores() -> int:
    """Cores of this machine, at least 2 (the bound of every thread and process count; 2 keeps
    the defaults, e.g. two sweep workers, valid on a one-core machine)."""
    return max(2, os.cpu_count() or 1)


Number = Annotated[float, BeforeValidator(_no_bool)]
Count = Annotated[int, BeforeValidator(_no_bool)]
PerPeriod = Number | dict[int, Number]
PerZone = Number | dict[str, Number]
PerZonePeriod = Number | dict[str, Number | dict[int, Number]]
INF = float("inf")


def _whole_years(v: Any) -> Any:
    """period_years are whole years: W[p] sums whole discounted years (model/formulation.md)."""
    v = _no_bool(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float) and v == v and abs(v) != INF:
        raise ValueError("expected whole years (W[p] sums whole discounted years, model/formulation.md)")
    return v


Years = Annotated[int, BeforeValidator(_whole_years), Field(ge=1, le=MAX_PERIOD_YEARS)]


def _one_of(registry: Mapping[str, object]) -> Callable[[Any], Any]:
    """A validator accepting only the names of a registry of kinds (gridplan/kinds.py), with the
    message pydantic gives for a Literal: "Input should be 'a', 'b' or 'c'"."""
    names = [repr(k) for k in registry]
    allowed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

    def check(v: Any) -> Any:
        if not (isinstance(v, str) and v in registry):
            raise ValueError(f"Input should be {allowed}")
        return v

    return check


def _kinds_text(registry: Mapping[str, Any]) -> str:
    """'a (what a is); b (what b is)' from a registry whose entries have a `description`."""
    return "; ".join(f"{k} ({v.description})" for k, v in registry.items())


TechKindName = Annotated[str, BeforeValidator(_one_of(TECH_KINDS))]
TargetKindName = Annotated[str, BeforeValidator(_one_of(TARGET_KINDS))]


def _at_most_cores(v: int, what: str) -> int:
    """A thread or process count bounded by the cores of this machine."""
    if v > cores():
        raise ValueError(f"expected at most {cores()} {what} (the cores of this machine), or 0")
    return v


class Strict(BaseModel):
    """Base: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
