"""Generators: thermal without commitment, variable renewables, hydro.

    gen[g,z,p,t] <= cap[g,z,p]                          (gen_max: thermal, hydro)
    gen[g,z,p,t] <= avail[g,z,t] * cap[g,z,p]           (gen_avail: variable, hydro per hour)
    gen[g,z,p,t] >= max(min_output[g], must_run[kind]) * cap[g,z,p]   (gen_min)
    sum_{t in d} gen[g,z,p,t] <= sum_{t in d} avail[g,z,t] * cap[g,z,p]   (hydro_budget, per day d)
    sum_t w[t] * gen[g,z,p,t] <= max_energy[g,z,p]      (gen_energy_max, any technology)
    cost[p] += W[p] * sum_t w[t] * (vom + heat_rate * fuel_price) * gen     (fuel, variable_om)
Thermal clusters with commitment or retrofits are built in lp/thermal.py instead. Which rows a
technology gets follows its kind's properties (gridplan/kinds.py): dispatchable -> gen_max,
curtailable -> gen_avail and curtailment in the results, energy_budget -> hydro_budget (daily)
or gen_avail (hourly).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Technology
from gridplan.kinds import tech_kind
from gridplan.lp.family import Family, Readback, series
from gridplan.lp.investment import Fleet, FleetNames, add_fleet
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, HEAT_RATE, MW, MWH_TO_TWH, PER_MWH, TWH
from gridplan.timesteps import on_steps

GEN = FleetNames(
    "gen", "technologies", new="gen_new", cap="gen_cap", cap_def="gen_cap_def", potential="gen_potential"
)


def uses_thermal_module(t: Technology) -> bool:
    """Clusters with commitment, retrofits or retirement decisions are modelled in lp/thermal.py."""
    return tech_kind(t.kind).dispatchable and (
        (t.commitment is not None and t.commitment.enabled)
        or t.retrofits is not None
        or t.retirement is not None
    )


def fleet_of(ctx: Ctx, names: FleetNames, techs: dict[str, Any], field: str) -> Fleet:
    """Capacity data for (technology, zone) pairs that exist or may be built."""
    rows: list[tuple[str, ...]] = []
    ex, bmin, bmax, pot, life, capex, fom = [], [], [], [], [], [], []
    for n, t in techs.items():
        e = ctx.by_zone_period(t.existing, f"{field}.{n}.existing") * MW
        lo = ctx.by_zone_period(t.build_min, f"{field}.{n}.build_min") * MW
        hi = ctx.by_zone_period(t.build_max, f"{field}.{n}.build_max") * MW
        po = ctx.by_zone_period(t.potential, f"{field}.{n}.potential", np.inf)[:, 0] * MW
        cx = ctx.by_period(t.capex if hasattr(t, "capex") else t.capex_power, f"{field}.{n}.capex")
        for zi, z in enumerate(ctx.zones):
            if e[zi].max() > 0 or (hi[zi].max() > 0 and po[zi] > 0):
                rows.append((n, z))
                ex.append(e[zi])
                bmin.append(lo[zi])
                bmax.append(np.minimum(hi[zi], po[zi]))
                pot.append(po[zi])
                life.append(t.lifetime)
                capex.append(cx)
                fom.append(t.fom)
    n_p = len(ctx.periods)
    z2 = np.zeros((0, n_p))
    return Fleet(
        names,
        rows,
        np.array(ex).reshape(-1, n_p) if ex else z2,
        np.array(bmin).reshape(-1, n_p) if bmin else z2,
        np.array(bmax).reshape(-1, n_p) if bmax else z2,
        np.array(pot),
        np.array(life),
        np.array(capex).reshape(-1, n_p) if capex else z2,
        np.array(fom),
    )


def marginal(ctx: Ctx, t: Technology, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per period: fuel cost [CNY/MWh], CO2 [tCO2/MWh], coal [tce/MWh] of one MWh."""
    s = ctx.inputs.scenario
    hr = ctx.by_period(t.heat_rate, f"{field}.heat_rate") * HEAT_RATE  # tce/MWh
    if t.fuel is None or t.fuel not in s.fuels:
        z = np.zeros(len(ctx.periods))
        return z, z, z
    f = s.fuels[t.fuel]
    price = ctx.by_period(f.price, f"fuels.{t.fuel}.price")
    return hr * price, hr * f.co2, hr * (1.0 if f.coal else 0.0)


def availability(ctx: Ctx, profile: str, column: str) -> np.ndarray:
    """Availability [p.u.] of one profile column on the model's time steps."""
    return on_steps(ctx.time, ctx.inputs.profiles[profile][column].to_numpy(), "profile", profile, column)


def hourly_availability(t: Technology) -> bool:
    """Output bounded by the availability of every step (gen_avail), not by capacity alone."""
    kind = tech_kind(t.kind)
    return kind.curtailable or (kind.energy_budget and t.hydro_energy == "hour")


def add_generators(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    s = ctx.inputs.scenario
    techs = {n: t for n, t in s.technologies.items() if not uses_thermal_module(t)}
    fleet = fleet_of(ctx, GEN, techs, "technologies")
    cap, _ = add_fleet(ctx, m, fleet)
    P, T = ctx.periods, ctx.steps
    m.gen = pyo.Var([(g, z, p, t) for g, z in fleet.items for p in P for t in T], domain=pyo.NonNegativeReals)
    gen = m.gen
    avail: dict[tuple[str, str], np.ndarray] = {}
    for g, z in fleet.items:
        t_ = techs[g]
        if tech_kind(t_.kind).profile:
            assert t_.profile is not None
            avail[(g, z)] = availability(ctx, t_.profile, z)
    capped = [(g, z) for g, z in fleet.items if not hourly_availability(techs[g])]
    hourly = [(g, z) for g, z in fleet.items if (g, z) not in capped]
    m.gen_max = pyo.Constraint(
        [(g, z, p, t) for g, z in capped for p in P for t in T],
        rule=lambda _m, g, z, p, t: gen[g, z, p, t] <= cap[g, z, p],
    )
    m.gen_avail = pyo.Constraint(
        [(g, z, p, t) for g, z in hourly for p in P for t in T],
        rule=lambda _m, g, z, p, t: gen[g, z, p, t] <= float(avail[(g, z)][t]) * cap[g, z, p],
    )
    floor = {g: max(t_.min_output, tech_kind(t_.kind).must_run) for g, t_ in techs.items()}
    must = [(g, z, p, t) for g, z in fleet.items if floor[g] > 0 for p in P for t in T]
    m.gen_min = pyo.Constraint(must, rule=lambda _m, g, z, p, t: gen[g, z, p, t] >= floor[g] * cap[g, z, p])
    day = ctx.time.day()
    days = {d: np.flatnonzero(day == d) for d in np.unique(day)}
    daily = [
        (g, z, p, d) for g, z in capped if tech_kind(techs[g].kind).energy_budget for p in P for d in days
    ]
    m.hydro_budget = pyo.Constraint(
        daily,
        rule=lambda _m, g, z, p, d: (
            sum(gen[g, z, p, int(t)] for t in days[d]) <= float(avail[(g, z)][days[d]].sum()) * cap[g, z, p]
        ),
    )
    for g, z in fleet.items:
        t_ = techs[g]
        fuel, co2, coal = marginal(ctx, t_, f"technologies.{g}")
        for j, p in enumerate(P):
            ctx.add_balance(z, p, 1.0, gen, (g, z, p))
            energy = ctx.annual(gen, (g, z, p))  # GWh/yr
            ctx.capacity[(g, z, p)] = cap[g, z, p]
            ctx.generation[(g, z, p)] = energy
            if t_.vom:
                ctx.add_cost("variable_om", p, t_.vom * PER_MWH * energy)
            if fuel[j]:
                ctx.add_cost("fuel", p, float(fuel[j]) * PER_MWH * energy)
            if co2[j]:
                ctx.emissions[p] += float(co2[j]) * MW * energy  # t/MWh * GWh = kt; * 1e-3 = Mt
            if coal[j]:
                ctx.coal[p] += float(coal[j]) * MW * energy
    ctx.info["gen"] = fleet.items


def add_energy_limits(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """gen_energy_max: annual generation [TWh/yr] of a technology in a zone <= its resource limit
    (e.g. the waste a province can burn); for every technology, after lp/thermal.py has run."""
    techs = ctx.inputs.scenario.technologies
    lim = {
        n: ctx.by_zone_period(t.max_energy, f"technologies.{n}.max_energy", np.inf) for n, t in techs.items()
    }
    rows = {
        (g, z, p): float(lim[g][ctx.zones.index(z), ctx.periods.index(p)]) * MWH_TO_TWH
        for g, z, p in ctx.generation
        if np.isfinite(lim[g][ctx.zones.index(z), ctx.periods.index(p)])
    }
    m.gen_energy_max = pyo.Constraint(
        list(rows), rule=lambda _m, g, z, p: TWH * ctx.generation[g, z, p] <= rows[g, z, p]
    )


def read_generators(rb: Readback) -> None:
    """Capacity, generation and curtailment [MW] of the generators (curtailable kinds:
    max(availability * capacity - generation, 0))."""
    ctx, T = rb.ctx, rb.n_steps
    rb.read_capacity(GEN)
    for g, z in ctx.info["gen"]:
        for p in ctx.periods:
            rb.generation[(p, z, g)] = series(rb.m.gen, (g, z, p), T) * GW
        rb.techs.append((g, z))
    for g, z in ctx.info["gen"]:
        t_ = ctx.inputs.scenario.technologies[g]
        if tech_kind(t_.kind).curtailable and t_.profile:
            av = availability(ctx, t_.profile, z)
            for p in ctx.periods:
                k = (p, z, g)
                rb.curtailment[k] = np.maximum(av * rb.capacity[k] - rb.generation[k], 0.0)


GENERATORS = Family(
    "generators",
    add_generators,
    (*GEN.components, "gen", "gen_max", "gen_avail", "gen_min", "hydro_budget"),
    read_generators,
    fleets=(GEN,),
)
ENERGY_LIMITS = Family("energy_limits", add_energy_limits, ("gen_energy_max",))
