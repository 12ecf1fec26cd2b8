"""Assemble the LP: the families of lp/families.py in their order, then the zone balance and the
objective.

sum (supply terms added by the families)[z,p,t] = load[z,p,t]        (balance)
minimise sum_components sum_p cost[component][p]                     (objective)
"""

from __future__ import annotations

import pyomo.environ as pyo

from gridplan.case import Inputs
from gridplan.errors import InputError
from gridplan.lp.families import FAMILIES
from gridplan.lp.terms import Ctx, make_ctx
from gridplan.timesteps import Time


def build(inputs: Inputs, time: Time, periods: list[int] | None = None) -> tuple[pyo.ConcreteModel, Ctx]:
    """The Pyomo model of a case on the given time steps (all periods or a subset), and the build context."""
    ctx = make_ctx(inputs, time, periods)
    m = pyo.ConcreteModel(name=inputs.name)
    for family in FAMILIES:
        family.add(ctx, m)
    if ctx.problems:
        raise InputError(ctx.problems)
    load = ctx.load

    def balance(_m: pyo.ConcreteModel, z: str, p: int, t: int) -> object:
        terms = ctx.balance.get((z, p), [])
        return sum(float(c[t]) * v[(*k, t)] for c, v, k in terms if c[t] != 0) == float(load[z, p][t])

    m.balance = pyo.Constraint(
        [(z, p, t) for z in ctx.zones for p in ctx.periods for t in ctx.steps], rule=balance
    )
    m.objective = pyo.Objective(expr=ctx.total_cost(), sense=pyo.minimize)
    return m, ctx
