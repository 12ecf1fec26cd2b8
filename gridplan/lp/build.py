"""Assemble the LP: families in a fixed order, then the zone balance and the objective.

sum (supply terms added by the families)[z,p,t] = load[z,p,t]        (balance)
minimise sum_components sum_p cost[component][p]                     (objective)
"""

from __future__ import annotations

import pyomo.environ as pyo

from gridplan.errors import InputError
from gridplan.inputs import Inputs
from gridplan.lp.demand import add_demand
from gridplan.lp.generators import add_energy_limits, add_generators
from gridplan.lp.linking import add_linking
from gridplan.lp.network import add_imports, add_links
from gridplan.lp.policies import add_policies
from gridplan.lp.storage import add_storage
from gridplan.lp.terms import Ctx, make_ctx
from gridplan.lp.thermal import add_thermal
from gridplan.timesteps import Time


def build(inputs: Inputs, time: Time, periods: list[int] | None = None) -> tuple[pyo.ConcreteModel, Ctx]:
    """The Pyomo model of a case on the given time steps (all periods or a subset), and the build context."""
    ctx = make_ctx(inputs, time, periods)
    m = pyo.ConcreteModel(name=inputs.name)
    add_generators(ctx, m)
    add_thermal(ctx, m)
    add_energy_limits(ctx, m)
    add_storage(ctx, m)
    add_linking(ctx, m)
    add_links(ctx, m)
    add_imports(ctx, m)
    load = add_demand(ctx, m)
    add_policies(ctx, m)
    if ctx.problems:
        raise InputError(ctx.problems)

    def balance(_m: pyo.ConcreteModel, z: str, p: int, t: int) -> object:
        terms = ctx.balance.get((z, p), [])
        return sum(float(c[t]) * v[(*k, t)] for c, v, k in terms if c[t] != 0) == float(load[z, p][t])

    m.balance = pyo.Constraint(
        [(z, p, t) for z in ctx.zones for p in ctx.periods for t in ctx.steps], rule=balance
    )
    m.objective = pyo.Objective(
        expr=sum(e for comp in ctx.cost.values() for e in comp.values()), sense=pyo.minimize
    )
    return m, ctx
