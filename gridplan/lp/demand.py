"""Load, unserved energy and demand response.

0 <= unserved[z,p,t] <= load[z,p,t];  cost += W[p] * VoLL * sum_t w unserved     (unserved)
existing[d,z,p] <= dr_cap[d,z,p] <= potential[d,z,p];  cost += W[p] * fixed_cost * dr_cap
dr_cap[d,z,p] = existing[d,z,p] for p in historical_periods (nothing newly contracted)
dr_down[d,z,p,t] <= dr_cap[d,z,p]                                              (dr_max)
sum_t w[t] dr_down[d,z,p,t] <= max_hours * dr_cap[d,z,p]                        (dr_hours)
sum_{t in day} dr_down <= max_hours_day * dr_cap                                 (dr_hours_day)
shift only:  dr_up[d,z,p,t] <= dr_cap;  sum_{t in day} dr_up = (1 + shift_loss) sum_{t in day} dr_down
                                                                                 (dr_up_max, dr_payback)
Load behind the resources (c: a demand component named by `acts_on`, or the whole zone load):
sum_{d on c} dr_down[d,z,p,t] <= L_c[z,p,t]   (dr_load_max; whole load: sum over every d)
sum_{d on c, shift} dr_up[d,z,p,t] <= max(0, min_d payback_peak * peak_c[z,p] - L_c[z,p,t])
                                                             (dr_payback_max; components only)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.lp.family import Family, Readback, grid, series
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, MW, PER_MWH
from gridplan.timesteps import on_steps

WHOLE = "*"  # key of dr_load_max rows on the whole zone load (resources without acts_on)


def load_on_steps(ctx: Ctx) -> dict[tuple[str, int], np.ndarray]:
    """Load [GW] of each zone and period on the model's time steps."""
    return {
        (z, p): on_steps(ctx.time, ctx.inputs.load[p][z].to_numpy(), "load", p, z) * MW
        for z in ctx.zones
        for p in ctx.periods
    }


def component_on_steps(ctx: Ctx, name: str) -> dict[tuple[str, int], np.ndarray]:
    """Load [GW] of demand component `name` on the steps: its hourly load at hour[t] times the
    zone load's energy correction (so on every step the components add up to at most the load)."""
    loads = ctx.inputs.components[name]
    return {
        (z, p): on_steps(ctx.time, loads[p][z].to_numpy(), "load", p, z) * MW
        for z in ctx.zones
        for p in ctx.periods
    }


def add_load_limits(
    ctx: Ctx, m: pyo.ConcreteModel, items: list[tuple[str, str]], load: dict[tuple[str, int], np.ndarray]
) -> None:
    """dr_load_max and dr_payback_max (module docstring): reductions at most the load they act
    on, payback at most the headroom of that component below its (scaled) annual peak."""
    drs = ctx.inputs.scenario.demand_response
    on: dict[str, list[str]] = {}
    for d in dict.fromkeys(d for d, _ in items):
        on.setdefault(drs[d].acts_on or WHOLE, []).append(d)
    if WHOLE in on:  # every resource's reduction is part of the whole zone load
        on[WHOLE] = list(dict.fromkeys(d for d, _ in items))
    series = {c: load if c == WHOLE else component_on_steps(ctx, c) for c in on}
    peak = {
        (c, z, p): float(ctx.inputs.components[c][p][z].max()) * MW
        for c in on
        if c != WHOLE
        for z in ctx.zones
        for p in ctx.periods
    }
    zones = {(d, z) for d, z in items}
    P, T = ctx.periods, ctx.steps
    rows = [
        (c, z, p, t)
        for c in on
        for z in ctx.zones
        if any((d, z) in zones for d in on[c])
        for p in P
        for t in T
    ]
    down, up = m.dr_down, m.dr_up
    m.dr_load_max = pyo.Constraint(
        rows,
        rule=lambda _m, c, z, p, t: (
            sum(down[d, z, p, t] for d in on[c] if (d, z) in zones) <= float(series[c][z, p][t])
        ),
    )
    shifts = {c: [d for d in on[c] if drs[d].mode == "shift"] for c in on if c != WHOLE}
    head = {
        (c, z, p): np.maximum(
            min(drs[d].payback_peak for d in shifts[c]) * peak[c, z, p] - series[c][z, p], 0.0
        )
        for c in shifts
        if shifts[c]
        for z in ctx.zones
        for p in P
    }
    paid = [
        (c, z, p, t) for c, z, p, t in rows if (c, z, p) in head and any((d, z) in zones for d in shifts[c])
    ]
    m.dr_payback_max = pyo.Constraint(
        paid,
        rule=lambda _m, c, z, p, t: (
            sum(up[d, z, p, t] for d in shifts[c] if (d, z) in zones) <= float(head[c, z, p][t])
        ),
    )


def add_demand(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """Unserved load and demand response; ctx.load, the balance's right-hand side [GW]."""
    s = ctx.inputs.scenario
    load = ctx.load = load_on_steps(ctx)
    P, T, Z = ctx.periods, ctx.steps, ctx.zones
    m.unserved = pyo.Var(
        [(z, p, t) for z in Z for p in P for t in T], bounds=lambda _m, z, p, t: (0.0, float(load[z, p][t]))
    )
    for z in Z:
        for p in P:
            ctx.add_balance(z, p, 1.0, m.unserved, (z, p))
            ctx.add_cost("unserved", p, s.value_of_lost_load * PER_MWH * ctx.annual(m.unserved, (z, p)))

    drs = s.demand_response
    pot = {d: ctx.by_zone_period(r.potential, f"demand_response.{d}.potential") * MW for d, r in drs.items()}
    ex = {d: ctx.by_zone_period(r.existing, f"demand_response.{d}.existing") * MW for d, r in drs.items()}
    items = [(d, z) for d in drs for i, z in enumerate(Z) if max(pot[d][i].max(), ex[d][i].max()) > 0]
    hist = set(s.historical_periods)
    bounds = {
        (d, z, p): (
            float(ex[d][Z.index(z), j]),
            float(ex[d][Z.index(z), j] if p in hist else max(pot[d][Z.index(z), j], ex[d][Z.index(z), j])),
        )
        for d, z in items
        for j, p in enumerate(P)
    }
    m.dr_cap = pyo.Var(list(bounds), bounds=lambda _m, *k: bounds[k])
    idx = [(d, z, p, t) for d, z in items for p in P for t in T]
    m.dr_down = pyo.Var(idx, domain=pyo.NonNegativeReals)
    shift = [k for k in idx if drs[k[0]].mode == "shift"]
    m.dr_up = pyo.Var(shift, domain=pyo.NonNegativeReals)
    cap, down, up = m.dr_cap, m.dr_down, m.dr_up
    m.dr_max = pyo.Constraint(idx, rule=lambda _m, d, z, p, t: down[d, z, p, t] <= cap[d, z, p])
    m.dr_up_max = pyo.Constraint(shift, rule=lambda _m, d, z, p, t: up[d, z, p, t] <= cap[d, z, p])
    yearly = [(d, z, p) for d, z in items for p in P if np.isfinite(drs[d].max_hours)]
    m.dr_hours = pyo.Constraint(
        yearly,
        rule=lambda _m, d, z, p: MW * ctx.annual(down, (d, z, p)) <= MW * drs[d].max_hours * cap[d, z, p],
    )
    day = ctx.time.day()
    days = {int(k): np.flatnonzero(day == k) for k in np.unique(day)}
    per_day = [(d, z, p, k) for d, z in items for p in P for k in days if drs[d].max_hours_day < 24]
    m.dr_hours_day = pyo.Constraint(
        per_day,
        rule=lambda _m, d, z, p, k: (
            sum(down[d, z, p, int(t)] for t in days[k]) <= drs[d].max_hours_day * cap[d, z, p]
        ),
    )
    paid = [(d, z, p, k) for d, z in items if drs[d].mode == "shift" for p in P for k in days]
    m.dr_payback = pyo.Constraint(
        paid,
        rule=lambda _m, d, z, p, k: (
            sum(up[d, z, p, int(t)] for t in days[k])
            == (1 + drs[d].shift_loss) * sum(down[d, z, p, int(t)] for t in days[k])
        ),
    )
    for d, z in items:
        r = drs[d]
        for p in P:
            ctx.capacity[(d, z, p)] = cap[d, z, p]
            ctx.add_balance(z, p, 1.0, down, (d, z, p))
            if r.mode == "shift":
                ctx.add_balance(z, p, -1.0, up, (d, z, p))
            if r.fixed_cost:
                ctx.add_cost("demand_response", p, r.fixed_cost * cap[d, z, p])
            if r.dispatch_cost:
                ctx.add_cost("demand_response", p, r.dispatch_cost * PER_MWH * ctx.annual(down, (d, z, p)))
    add_load_limits(ctx, m, items, load)
    ctx.info["dr"] = items


def read_demand(rb: Readback) -> None:
    """Load, unserved load, demand-response reduction, payback and capacity [MW]; the peak and
    energy of the full-year load."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    P, Z = ctx.periods, ctx.zones
    D = list(ctx.inputs.scenario.demand_response)
    steps = load_on_steps(ctx)
    load = np.array([[steps[z, p] * GW for z in Z] for p in P])
    ds["demand"] = (("period", "zone", "time"), load, {"units": "MW"})
    uns = np.array([[series(m.unserved, (z, p), T) * GW for z in Z] for p in P])
    ds["unserved"] = (("period", "zone", "time"), uns, {"units": "MW"})
    items = ctx.info["dr"]
    dims: list[Sequence[Any]] = [P, Z, D]
    down = {(p, z, d): series(m.dr_down, (d, z, p), T) * GW for d, z in items for p in P}
    up = {
        (p, z, d): series(m.dr_up, (d, z, p), T) * GW for d, z in items for p in P if (d, z, p, 0) in m.dr_up
    }
    cap = {(p, z, d): (m.dr_cap[d, z, p].value or 0.0) * GW for d, z in items for p in P}
    ds["dr_reduction"] = (
        ("period", "zone", "dr", "time"),
        grid(down, dims, T),
        {"units": "MW", "long_name": "load reduced by demand response"},
    )
    ds["dr_payback"] = (
        ("period", "zone", "dr", "time"),
        grid(up, dims, T),
        {"units": "MW", "long_name": "shifted load paid back"},
    )
    ds["dr_capacity"] = (("period", "zone", "dr"), grid(cap, dims), {"units": "MW"})
    peak = [float(ctx.inputs.load[p].sum(axis=1).max()) for p in P]
    ds["peak_load"] = (
        "period",
        peak,
        {"units": "MW", "long_name": "peak of the full-year hourly load, all zones"},
    )
    ds["annual_load"] = (
        "period",
        [float(ctx.inputs.load[p].to_numpy().sum()) for p in P],
        {"units": "MWh/yr"},
    )


DEMAND = Family(
    "demand",
    add_demand,
    (
        "unserved",
        "dr_cap",
        "dr_down",
        "dr_up",
        "dr_max",
        "dr_up_max",
        "dr_hours",
        "dr_hours_day",
        "dr_payback",
        "dr_load_max",
        "dr_payback_max",
    ),
    read_demand,
)
