"""Capacity of any fleet (generators, storage power and energy, links, import channels).

cap[i,p] = existing[i,p] + sum_{b <= p < b + life_i} new[i,b]          (F_cap_def)
cap[i,p] <= potential[i]                                               (F_potential)
build_min[i,p] <= new[i,p] <= build_max[i,p]                           (variable bounds)
new[i,p] = 0 for p in historical_periods (the recorded fleet: no new variable there)
cost[p] += W[p] * sum_{b alive in p} crf(r, life_i) * capex[i,b] * new[i,b]   (investment)
         + W[p] * fom[i] * cap[i,p]                                            (fixed_om)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.lp.terms import Ctx, crf


@dataclass(frozen=True)
class FleetNames:
    """The Pyomo component names of one fleet F (model/formulation.md: F_new, F_cap, F_cap_def,
    F_potential), each written out where the fleet is declared so that a search finds it."""

    prefix: str  # F
    section: str | None  # scenario section of its items (None: keys that are not section.item)
    new: str
    cap: str
    cap_def: str
    potential: str

    @property
    def components(self) -> tuple[str, ...]:
        return (self.new, self.cap, self.cap_def, self.potential)


@dataclass
class Fleet:
    """Capacity data of one family, in internal units (GW or GWh; MCNY per GW or GWh)."""

    names: FleetNames  # its Pyomo components
    items: list[tuple[str, ...]]  # keys, e.g. (technology, zone)
    existing: np.ndarray  # [I, P]
    build_min: np.ndarray  # [I, P]
    build_max: np.ndarray  # [I, P]
    potential: np.ndarray  # [I]
    life: np.ndarray  # [I] years
    capex: np.ndarray  # [I, P] overnight cost per unit of capacity
    fom: np.ndarray  # [I] per unit of capacity and year


def add_fleet(ctx: Ctx, m: pyo.ConcreteModel, f: Fleet) -> tuple[Any, Any]:
    """Add new-build and capacity variables of a fleet; return (cap, new)."""
    P = ctx.periods
    r = ctx.discount_rate
    hist = set(ctx.inputs.scenario.historical_periods)
    build = [
        (*k, p)
        for i, k in enumerate(f.items)
        for j, p in enumerate(P)
        if f.build_max[i, j] > 0 and p not in hist
    ]
    lb = {(*k, p): f.build_min[i, j] for i, k in enumerate(f.items) for j, p in enumerate(P)}
    ub = {(*k, p): f.build_max[i, j] for i, k in enumerate(f.items) for j, p in enumerate(P)}
    new = pyo.Var(build, bounds=lambda _m, *ix: (lb[ix], None if np.isinf(ub[ix]) else ub[ix]))
    cap = pyo.Var([(*k, p) for k in f.items for p in P], domain=pyo.NonNegativeReals)
    m.add_component(f.names.new, new)
    m.add_component(f.names.cap, cap)
    buildable = set(build)
    defs = {}
    for i, k in enumerate(f.items):
        for j, p in enumerate(P):
            terms = [new[(*k, b)] for b in P if (*k, b) in buildable and ctx.alive(b, p, f.life[i])]
            if terms:
                defs[(*k, p)] = cap[(*k, p)] == float(f.existing[i, j]) + sum(terms)
            else:
                cap[(*k, p)].fix(float(f.existing[i, j]))
            annuity = [
                float(crf(r, f.life[i]) * f.capex[i, P.index(b)]) * new[(*k, b)]
                for b in P
                if (*k, b) in buildable and ctx.alive(b, p, f.life[i]) and f.capex[i, P.index(b)] != 0
            ]
            if annuity:
                ctx.add_cost("investment", p, sum(annuity))
            if f.fom[i] != 0:
                ctx.add_cost("fixed_om", p, float(f.fom[i]) * cap[(*k, p)])
    m.add_component(f.names.cap_def, pyo.Constraint(list(defs), rule=lambda _m, *ix: defs[ix]))
    pot = [
        (*k, p)
        for i, k in enumerate(f.items)
        for p in P
        if np.isfinite(f.potential[i]) and not cap[(*k, p)].fixed
    ]
    pmax = {(*k, p): float(f.potential[i]) for i, k in enumerate(f.items) for p in P}
    m.add_component(f.names.potential, pyo.Constraint(pot, rule=lambda _m, *ix: cap[ix] <= pmax[ix]))
    return cap, new
