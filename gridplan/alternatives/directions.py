"""Directions of near-optimal alternatives: what an alternative minimises or maximises.

A direction is written `[NAME=]KIND[:NAMES][@PERIOD][/ZONE]`:

    wind=capacity:wind_*@2030       installed capacity [GW] of every technology, storage, import
                                    channel or demand-response programme matching `wind_*`
                                    (shell patterns, several joined by '+') in 2030
    coal_core=coal_*@2030/core      KIND defaults to capacity; /ZONE restricts it to one zone
    emissions@2035                  CO2 emissions [MtCO2/yr] of a period
    imports:ch_*@2030               imported energy [TWh/yr] of the matching channels (all without NAMES)

Without @PERIOD the quantity is summed over the model's periods (emissions and imports weighted
by the years each period lasts: MtCO2 and TWh over the horizon). A random direction (`--samples`)
is sum_i w_i cap_i over every technology and storage item i (zones and non-historical periods),
with weights w_i drawn uniformly from [-1, 1] (seeded): minimised only, since maximising w is
minimising -w.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Inputs
from gridplan.errors import InputError, Problem
from gridplan.lp.terms import Ctx
from gridplan.lp.units import TWH

KINDS = {"capacity": "GW", "emissions": "MtCO2/yr", "imports": "TWh/yr", "random": "GW"}
SPEC = re.compile(
    r"^(?:(?P<name>[A-Za-z0-9_.-]+)=)?(?:(?P<kind>capacity|emissions|imports|random)(?::|$|(?=@)))?"
    r"(?P<names>[^@/]*)(?:@(?P<period>\d+))?(?:/(?P<zone>[^@/]+))?$"
)


@dataclass(frozen=True)
class Direction:
    """One quantity to push an alternative towards (see the module docstring)."""

    name: str
    kind: str  # capacity | emissions | imports | random
    names: tuple[str, ...] = ()  # shell patterns of item names (capacity, imports)
    period: int | None = None
    zone: str | None = None
    weights: tuple[tuple[str, str, int, float], ...] = field(default=())  # random: (item, zone, period, w)

    @property
    def unit(self) -> str:
        return KINDS[self.kind]

    @property
    def senses(self) -> tuple[str, ...]:
        return ("min",) if self.kind == "random" else ("min", "max")

    @property
    def text(self) -> str:
        """The direction as written (random: its seed-drawn weights are in `weights`)."""
        body = self.kind + (":" + "+".join(self.names) if self.names else "")
        return (
            body
            + (f"@{self.period}" if self.period is not None else "")
            + (f"/{self.zone}" if self.zone else "")
        )


def _items(inputs: Inputs, kind: str) -> list[str]:
    s = inputs.scenario
    if kind == "imports":
        return list(s.imports)
    return [*s.technologies, *s.storage, *s.imports, *s.demand_response]


def parse(spec: str, inputs: Inputs) -> Direction:
    """A direction from its text, checked against the case (item names, periods, zones)."""
    m = SPEC.match(spec.strip())
    where = ("command line", "--directions")
    if m is None or m["kind"] == "random":
        raise InputError(
            [
                Problem(
                    *where,
                    message=f"found {spec!r}; expected [NAME=]KIND[:NAMES][@PERIOD][/ZONE], e.g. wind=capacity:wind_*@2030",
                )
            ]
        )
    kind = m["kind"] or "capacity"
    patterns = tuple(p for p in (m["names"] or "").split("+") if p)
    s = inputs.scenario
    problems = []
    if kind == "capacity" and not patterns:
        problems.append(
            Problem(*where, message=f"{spec!r}: capacity needs item names, e.g. capacity:solar_*")
        )
    pool = _items(inputs, kind)
    for pat in patterns:
        if not fnmatch.filter(pool, pat):
            problems.append(Problem(*where, message=f"{spec!r}: {pat!r} matches none of {pool}"))
    period = int(m["period"]) if m["period"] else None
    if period is not None and period not in s.periods:
        problems.append(Problem(*where, message=f"{spec!r}: period {period} is not one of {list(s.periods)}"))
    if m["zone"] and m["zone"] not in s.zones:
        problems.append(
            Problem(*where, message=f"{spec!r}: zone {m['zone']!r} is not one of {list(s.zones)}")
        )
    if problems:
        raise InputError(problems)
    name = m["name"] or re.sub(r"[^A-Za-z0-9_.-]+", "_", spec.strip()).strip("_")
    return Direction(name, kind, patterns, period, m["zone"])


def random_directions(inputs: Inputs, samples: int, seed: int = 0) -> list[Direction]:
    """`samples` random directions over the capacity of every technology and storage item."""
    s = inputs.scenario
    items = [*s.technologies, *s.storage]
    periods = [p for p in s.periods if p not in set(s.historical_periods)]
    rng = np.random.default_rng(seed)
    out = []
    for k in range(samples):
        w = rng.uniform(-1.0, 1.0, size=(len(items), len(s.zones), len(periods)))
        weights = tuple(
            (it, z, p, round(float(w[i, j, q]), 6))
            for i, it in enumerate(items)
            for j, z in enumerate(s.zones)
            for q, p in enumerate(periods)
        )
        out.append(Direction(f"random{k + 1}", "random", weights=weights))
    return out


def default_directions(inputs: Inputs) -> list[Direction]:
    """Without --directions: the capacity of each technology and storage in the last period."""
    s = inputs.scenario
    last = list(s.periods)[-1]
    return [Direction(n, "capacity", (n,), last) for n in [*s.technologies, *s.storage]]


def expression(d: Direction, m: pyo.ConcreteModel, ctx: Ctx) -> Any:
    """The direction as a linear expression of the built model, in the direction's unit."""
    periods = [p for p in ctx.periods if d.period is None or p == d.period]
    if d.kind == "random":
        cap = ctx.capacity
        return pyo.quicksum(w * cap[(i, z, p)] for i, z, p, w in d.weights if (i, z, p) in cap)
    if d.kind == "capacity":
        return pyo.quicksum(
            v
            for (n, z, p), v in ctx.capacity.items()
            if p in periods
            and (d.zone is None or z == d.zone)
            and any(fnmatch.fnmatch(n, x) for x in d.names)
        )
    years = dict(zip(ctx.periods, ctx.years, strict=True))
    weight = {p: (1.0 if d.period is not None else float(years[p])) for p in periods}
    if d.kind == "emissions":
        return pyo.quicksum(weight[p] * ctx.emissions[p] for p in periods)
    channels = [
        c
        for c in ctx.info.get("import", [])
        if (not d.names or any(fnmatch.fnmatch(c, x) for x in d.names))
        and (d.zone is None or ctx.inputs.scenario.imports[c].zone == d.zone)
    ]
    return pyo.quicksum(
        weight[p] * TWH * (ctx.annual(m.imp_re, (c, p)) + ctx.annual(m.imp_oth, (c, p)))
        for c in channels
        for p in periods
    )
