"""The one reader of the value forms of a scenario (model/parameters.md):

- per_period: a number (every period) or {period: number} covering every period
- per_zone_period: a number, {zone: number} or {zone: {period: number}}
- period_values, target_bounds: a target bound, a number (every period) or {period: number}
  naming only the periods it applies to (NaN elsewhere: no bound there)

and the walks over a validated scenario that find every such value and every number.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any

import numpy as np
from pydantic import BaseModel

from gridplan.case.schema import PerPeriod, PerZone, PerZonePeriod, Target
from gridplan.case.spelling import did_you_mean
from gridplan.errors import Problem


def union_members(ann: Any) -> tuple[Any, ...]:
    """The members of a union annotation other than None (the annotation itself if no union)."""
    if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union:
        return tuple(a for a in typing.get_args(ann) if a is not type(None))
    return (ann,)


def value_kind(ann: Any) -> str | None:
    """'period', 'zone' or 'zone_period' for PerPeriod, PerZone, PerZonePeriod (optional or not)."""
    args = set(union_members(ann))
    for kind, alias in (("period", PerPeriod), ("zone", PerZone), ("zone_period", PerZonePeriod)):
        if args == set(union_members(alias)):
            return kind
    if typing.get_origin(ann) is dict and typing.get_args(ann)[0] is int:
        return "period_map"
    return None


def per_period(value: Any, periods: list[int], where: tuple[str, str], problems: list[Problem]) -> np.ndarray:
    """Scalar or {period: value} -> array over periods (missing periods: error)."""
    if isinstance(value, dict):
        out = np.full(len(periods), np.nan)
        for k in value:
            if k not in periods:
                close = difflib.get_close_matches(str(k), [str(p) for p in periods], n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(
                    Problem(
                        where[0],
                        f"{where[1]}.{k}",
                        message=(f"period {k} is not defined{hint}; periods are {periods}"),
                    )
                )
        missing = [p for p in periods if p not in value]
        for i, p in enumerate(periods):
            if p in value:
                out[i] = value[p]
        if missing:
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    message=(
                        f"no value for period(s) {missing}; expected a value for every period {periods} "
                        "(or one number for all)"
                    ),
                )
            )
        return out
    return np.full(len(periods), float(value))


def per_zone_period(
    value: Any,
    zones: list[str],
    periods: list[int],
    where: tuple[str, str],
    problems: list[Problem],
    fill: float = 0.0,
) -> np.ndarray:
    """Scalar, {zone: scalar}, or {zone: {period: v}} -> array [zone, period].

    Zones not listed in a mapping get `fill` (e.g. 0 MW existing)."""
    out = np.full((len(zones), len(periods)), fill)
    if not isinstance(value, dict):
        out[:] = float(value)
        return out
    for z, v in value.items():
        if z not in zones:
            hint = did_you_mean(str(z), zones)
            if isinstance(z, int) or (isinstance(z, str) and z.isdigit() and int(z) in periods):
                hint += "; values by period are written {zone: {period: value}}"
            problems.append(
                Problem(
                    where[0],
                    f"{where[1]}.{z}",
                    message=(f"zone '{z}' is not defined{hint}; zones are {zones}"),
                )
            )
            continue
        out[zones.index(z)] = per_period(v, periods, (where[0], f"{where[1]}.{z}"), problems)
    return out


def period_values(value: Any, periods: list[int]) -> np.ndarray | None:
    """A target bound by period: a scalar applies to every period, a mapping only to the periods
    it names (NaN elsewhere: no target in that period); None when the bound is not given."""
    if value is None:
        return None
    if isinstance(value, dict):
        return np.array([float(value[p]) if p in value else np.nan for p in periods])
    return np.full(len(periods), float(value))


def target_bounds(tg: Target, periods: list[int]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A target's min and max by period (period_values of each)."""
    return period_values(tg.min, periods), period_values(tg.max, periods)


def value_fields(obj: BaseModel, path: str = "") -> Iterator[tuple[str, str, Any, str]]:
    """(path, field name, value, kind) of every per-period/zone value in a validated scenario."""
    for name, f in type(obj).model_fields.items():
        v = getattr(obj, name)
        p = f"{path}.{f.alias or name}" if path else (f.alias or name)
        kind = value_kind(f.annotation)
        if kind is not None:
            if v is not None:
                yield p, name, v, kind
        elif isinstance(v, BaseModel):
            yield from value_fields(v, p)
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, BaseModel):
                    yield from value_fields(x, f"{p}.{k}")


def numbers(obj: BaseModel, path: str = "") -> Iterator[tuple[str, str, float]]:
    """(path, field name, number) of every number in a validated scenario, inside maps too."""
    for name, f in type(obj).model_fields.items():
        v = getattr(obj, name)
        p = f"{path}.{f.alias or name}" if path else (f.alias or name)
        if isinstance(v, BaseModel):
            yield from numbers(v, p)
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, BaseModel):
                    yield from numbers(x, f"{p}.{k}")
                elif isinstance(x, dict):
                    for k2, y in x.items():
                        if isinstance(y, int | float) and not isinstance(y, bool):
                            yield f"{p}.{k}.{k2}", name, float(y)
                elif isinstance(x, int | float) and not isinstance(x, bool):
                    yield f"{p}.{k}", name, float(x)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            yield p, name, float(v)
