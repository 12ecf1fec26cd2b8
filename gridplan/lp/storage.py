"""Storage with separately sized power (GW) and energy (GWh).

    charge[s,z,p,t] <= cap[s,z,p];  discharge[s,z,p,t] <= cap[s,z,p]      (sto_charge_max, sto_discharge_max)
    soc[s,z,p,t] <= ecap[s,z,p]                                            (sto_soc_max)
    soc[t] = (1 - loss) * soc[prev(t)] + eff_c * charge[t] - discharge[t] / eff_d   (sto_soc_balance)
    duration_min * new[s,z,b] <= enew[s,z,b] <= duration_max * new[s,z,b]    (sto_duration_min/max)
prev(t) is cyclic inside each block (the full year or one representative period). For storage
with linking 'linked' (and several blocks) soc is relative to the block's start (0 before the
first step), and lp/linking.py carries energy across the original days.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.lp.family import Family, Readback, grid, series
from gridplan.lp.generators import fleet_of
from gridplan.lp.investment import Fleet, FleetNames, add_fleet
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, PER_MWH

STO = FleetNames(
    "sto", "storage", new="sto_new", cap="sto_cap", cap_def="sto_cap_def", potential="sto_potential"
)
STO_ENERGY = FleetNames(
    "sto_energy",
    "storage",
    new="sto_energy_new",
    cap="sto_energy_cap",
    cap_def="sto_energy_cap_def",
    potential="sto_energy_potential",
)


def is_linked(ctx: Ctx, name: str) -> bool:
    """Storage whose state of charge is linked across representative periods."""
    return ctx.inputs.scenario.storage[name].linking == "linked" and ctx.time.n_blocks > 1


def add_storage(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    s = ctx.inputs.scenario
    power = fleet_of(ctx, STO, s.storage, "storage")
    cap, new = add_fleet(ctx, m, power)
    n_p = len(ctx.periods)
    units = [s.storage[k[0]] for k in power.items]
    energy = Fleet(
        STO_ENERGY,
        power.items,
        existing=power.existing * np.array([u.existing_duration for u in units]).reshape(-1, 1),
        build_min=np.zeros((len(units), n_p)),
        build_max=np.where(power.build_max > 0, np.inf, 0.0),
        potential=np.full(len(units), np.inf),
        life=power.life,
        capex=np.array(
            [
                ctx.by_period(u.capex_energy, f"storage.{k[0]}.capex_energy")
                for u, k in zip(units, power.items, strict=True)
            ]
        ).reshape(-1, n_p),
        fom=np.zeros(len(units)),
    )
    ecap, enew = add_fleet(ctx, m, energy)
    P, T = ctx.periods, ctx.steps
    idx = [(n, z, p, t) for n, z in power.items for p in P for t in T]
    linked = {(n, z) for n, z in power.items if is_linked(ctx, n)}
    m.charge = pyo.Var(idx, domain=pyo.NonNegativeReals)
    m.discharge = pyo.Var(idx, domain=pyo.NonNegativeReals)
    m.soc = pyo.Var(
        idx, domain=lambda _m, n, z, p, t: pyo.Reals if (n, z) in linked else pyo.NonNegativeReals
    )
    ch, dis, soc = m.charge, m.discharge, m.soc
    m.sto_charge_max = pyo.Constraint(idx, rule=lambda _m, n, z, p, t: ch[n, z, p, t] <= cap[n, z, p])
    m.sto_discharge_max = pyo.Constraint(idx, rule=lambda _m, n, z, p, t: dis[n, z, p, t] <= cap[n, z, p])
    m.sto_soc_max = pyo.Constraint(
        [k for k in idx if k[:2] not in linked], rule=lambda _m, n, z, p, t: soc[n, z, p, t] <= ecap[n, z, p]
    )
    prev = ctx.time.prev()
    first = np.arange(ctx.time.n) % ctx.time.block_len == 0

    def balance(_m: pyo.ConcreteModel, n: str, z: str, p: int, t: int) -> object:
        u = s.storage[n]
        before = 0.0 if (n, z) in linked and first[t] else soc[n, z, p, int(prev[t])]
        return (
            soc[n, z, p, t]
            == (1 - u.self_discharge) * before
            + u.eff_charge * ch[n, z, p, t]
            - dis[n, z, p, t] / u.eff_discharge
        )

    m.sto_soc_balance = pyo.Constraint(idx, rule=balance)
    built = [k for k in new if s.storage[k[0]].duration_min > 0]
    m.sto_duration_min = pyo.Constraint(
        built, rule=lambda _m, n, z, b: enew[n, z, b] >= s.storage[n].duration_min * new[n, z, b]
    )
    capped = [k for k in new if np.isfinite(s.storage[k[0]].duration_max)]
    m.sto_duration_max = pyo.Constraint(
        capped, rule=lambda _m, n, z, b: enew[n, z, b] <= s.storage[n].duration_max * new[n, z, b]
    )
    for n, z in power.items:
        for p in P:
            ctx.capacity[(n, z, p)] = cap[n, z, p]
            ctx.add_balance(z, p, 1.0, dis, (n, z, p))
            ctx.add_balance(z, p, -1.0, ch, (n, z, p))
            if s.storage[n].vom:
                ctx.add_cost("variable_om", p, s.storage[n].vom * PER_MWH * ctx.annual(dis, (n, z, p)))
    ctx.info["sto"] = power.items


def read_storage(rb: Readback) -> None:
    """Power and energy capacity [MW, MWh], charge, discharge [MW] and state of charge [MWh]."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    P, Z, S = ctx.periods, ctx.zones, list(ctx.inputs.scenario.storage)
    items = ctx.info["sto"]
    dims: list[Sequence[Any]] = [P, Z, S]
    pw = {(p, z, n): (m.sto_cap[n, z, p].value or 0.0) * GW for n, z in items for p in P}
    en = {(p, z, n): (m.sto_energy_cap[n, z, p].value or 0.0) * GW for n, z in items for p in P}
    new = {
        (p, z, n): (m.sto_new[n, z, p].value or 0.0) * GW
        for n, z in items
        for p in P
        if (n, z, p) in m.sto_new
    }
    ds["storage_power"] = (("period", "zone", "storage"), grid(pw, dims), {"units": "MW"})
    ds["storage_energy"] = (("period", "zone", "storage"), grid(en, dims), {"units": "MWh"})
    ds["storage_power_new"] = (("period", "zone", "storage"), grid(new, dims), {"units": "MW"})
    linked = set(ctx.info.get("linked", []))
    for name, var in (
        ("storage_charge", m.charge),
        ("storage_discharge", m.discharge),
        ("storage_soc", m.soc),
    ):
        vals = {(p, z, n): series(var, (n, z, p), T) * GW for n, z in items for p in P}
        unit = "MWh" if name == "storage_soc" else "MW"
        attrs = {"units": unit}
        if name == "storage_soc" and linked:
            attrs["note"] = (
                "linked storage: relative to the start of each representative period; see storage_soc_year"
            )
        ds[name] = (("period", "zone", "storage", "time"), grid(vals, dims, T), attrs)


STORAGE = Family(
    "storage",
    add_storage,
    (
        *STO.components,
        *STO_ENERGY.components,
        "charge",
        "discharge",
        "soc",
        "sto_charge_max",
        "sto_discharge_max",
        "sto_soc_max",
        "sto_soc_balance",
        "sto_duration_min",
        "sto_duration_max",
    ),
    read_storage,
    fleets=(STO, STO_ENERGY),
)
