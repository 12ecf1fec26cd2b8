"""Operating reserves (旋转备用 spinning reserve, 负荷备用): a requirement in every time step.

For each enabled requirement r, area a (the system: its zones together; or each zone) and step:

    sum_{i in a, serves r} prov[r,i,p,t] + reserve_shortfall[r,a,p,t]
        >= load_share[r,p] * L[a,p,t] + variable_share[r,p] * V[a,p,t]      (reserve_requirement)

L is the load input of the step (or the period's annual peak, load_basis: peak), never an LP
variable, so neither demand response nor unserved energy lowers it; V is the wind and solar
available, sum_g avail[g,z,t] * gen_cap[g,z,p] (curtailing does not lower it), or their output
gen (variable_basis: output; then curtailing does). The shortfall costs shortfall_cost
[CNY/MW-h] (default value_of_lost_load), so every case solves and a shortfall is visible.
prov is res[r,i,p,t] >= 0, limited by the provider's rows (lp/reserve_providers.py), or, for a
provider with one limit serving one requirement of its direction, that limit's right-hand side.
Demand response acting on a load (a component, or a zone load its capacity could exceed):

    sum_{d on c} (dr_down[d,z,p,t] + sum_r res[r,d,z,p,t]) <= L_c[z,p,t]     (reserve_dr_load)

The requirement's dual divided by W[p] * w[t] is the reserve price [CNY/MW-h]: the cost of
holding one more MW of reserve in that hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case.schema import Reserve
from gridplan.kinds import tech_kind
from gridplan.lp.demand import WHOLE, component_on_steps
from gridplan.lp.evaluate import evaluate
from gridplan.lp.family import Family, Readback, grid
from gridplan.lp.generators import availability
from gridplan.lp.policies import members
from gridplan.lp.reserve_providers import Provider, add_soc_bounds, all_providers, slack_value
from gridplan.lp.terms import Ctx
from gridplan.lp.units import CNY_PER_MWH, GW, MW, PER_MWH, per_year

SYSTEM = "system"  # the area of a system-wide requirement
LIMIT_ROWS = (
    "reserve_output",
    "reserve_ramp",
    "reserve_ramp_stack",
    "reserve_min_stack",
    "reserve_chp",
    "reserve_sto_energy",
)
LINKED = ("res_soc_floor", "res_soc_ceiling", "reserve_soc_floor", "reserve_soc_ceiling")


@dataclass
class Requirement:
    """One enabled requirement with its shares by period and the providers that serve it."""

    name: str
    spec: Reserve
    load_share: np.ndarray  # [P] p.u.
    variable_share: np.ndarray  # [P] p.u.
    zones: list[str]
    providers: list[Provider]

    def active(self, j: int) -> bool:
        return bool(self.load_share[j] > 0 or self.variable_share[j] > 0)

    def areas(self) -> list[tuple[str, list[str]]]:
        """(area, zones): the system, or each zone."""
        if self.spec.scope == SYSTEM:
            return [(SYSTEM, self.zones)]
        return [(z, [z]) for z in self.zones]


def requirements(ctx: Ctx) -> list[Requirement]:
    """The enabled requirements with a nonzero share in some period, and their providers."""
    s = ctx.inputs.scenario
    out = []
    for n, r in s.reserves.items():
        if not r.enabled:
            continue
        ls = ctx.by_period(r.load_share, f"reserves.{n}.load_share")
        vs = ctx.by_period(r.variable_share, f"reserves.{n}.variable_share")
        if np.nanmax(np.concatenate([ls, vs]), initial=0.0) > 0:
            out.append(Requirement(n, r, ls, vs, list(r.zones) or list(ctx.zones), []))
    return out


def choose_providers(ctx: Ctx, reqs: list[Requirement], providers: list[Provider]) -> None:
    """Each requirement's providers: in its zones, able to move in its direction, and named in
    `providers` (directly or by group) or, when it names none, providers by default."""
    for rq in reqs:
        d, named = rq.spec.direction, rq.spec.providers
        chosen = members(ctx, named) if named is not None else None
        rq.providers = [
            pv
            for pv in providers
            if pv.zone in rq.zones
            and pv.limits.get(d)
            and (pv.default.get(d, False) if chosen is None else pv.name in chosen)
        ]


def empty(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """The family's components without an index: no rows, no columns."""
    m.res = pyo.Var([], domain=pyo.NonNegativeReals)
    m.reserve_shortfall = pyo.Var([], domain=pyo.NonNegativeReals)
    m.reserve_requirement = pyo.Constraint([])
    for name in (*LIMIT_ROWS, "reserve_dr_load"):
        m.add_component(name, pyo.Constraint([]))
    add_soc_bounds(ctx, m, {})


def dr_groups(
    ctx: Ctx, m: pyo.ConcreteModel, reqs: list[Requirement]
) -> dict[tuple[str, str, int, int], list[str]]:
    """(load c, zone, period, step) -> the demand-response resources acting on c, for the loads a
    provider acts on and the steps where their contracted capacity could exceed it (there
    reserve_dr_load is needed; elsewhere dr_max implies it)."""
    drs = ctx.inputs.scenario.demand_response
    serving = {(pv.name, pv.zone) for rq in reqs for pv in rq.providers if pv.kind == "demand_response"}
    loaded = {(drs[d].acts_on or WHOLE, z) for d, z in serving}
    on: dict[tuple[str, str], list[str]] = {}  # every resource acting on a load that one serving acts on
    for d, z in ctx.info.get("dr", []):
        if (drs[d].acts_on or WHOLE, z) in loaded:
            on.setdefault((drs[d].acts_on or WHOLE, z), []).append(d)
    out: dict[tuple[str, str, int, int], list[str]] = {}
    loads = {c: ctx.load if c == WHOLE else component_on_steps(ctx, c) for c in {k[0] for k in on}}
    for (c, z), ds_ in on.items():
        for p in ctx.periods:
            most = sum(float(m.dr_cap[d, z, p].ub) for d in ds_)
            for t in np.flatnonzero(most > loads[c][z, p] + 1e-12):
                out[(c, z, p, int(t))] = ds_
    return out


def add_reserves(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """Provision, the providers' limits, the requirements and their shortfall (module docstring)."""
    reqs = requirements(ctx)
    if not reqs:
        empty(ctx, m)
        ctx.info["reserves"] = []
        return
    providers = all_providers(ctx, m, {rq.name: rq.spec for rq in reqs})
    choose_providers(ctx, reqs, providers)
    P, T = ctx.periods, ctx.steps
    groups = dr_groups(ctx, m, reqs)
    grouped = {(d, z) for (_, z, _, _), ds_ in groups.items() for d in ds_}
    serves: dict[tuple[str, str], list[Requirement]] = {}  # (provider id, direction) -> requirements
    by_id = {pv.id: pv for rq in reqs for pv in rq.providers}
    for rq in reqs:
        for pv in rq.providers:
            pv.grouped = pv.grouped or (pv.kind == "demand_response" and (pv.name, pv.zone) in grouped)
            serves.setdefault((pv.id, rq.spec.direction), []).append(rq)

    def substituted(pid: str, d: str) -> bool:
        pv = by_id[pid]
        return len(serves[pid, d]) == 1 and len(pv.limits[d]) == 1 and not pv.grouped

    idx = [
        (rq.name, pv.id, p, t)
        for rq in reqs
        for pv in rq.providers
        if not substituted(pv.id, rq.spec.direction)
        for j, p in enumerate(P)
        if rq.active(j)
        for t in T
    ]
    m.res = pyo.Var(idx, domain=pyo.NonNegativeReals)
    res = m.res

    def prov(rq: Requirement, pv: Provider, p: int, t: int) -> Any:
        d = rq.spec.direction
        if substituted(pv.id, d):
            lim = pv.limits[d][0]
            return lim.rhs(p, t) * (1.0 / lim.coef(rq.spec))
        return res[rq.name, pv.id, p, t]

    linked = set(ctx.info.get("linked", []))
    add_soc_bounds(
        ctx,
        m,
        {
            d: sorted(
                {
                    (pv.name, pv.zone)
                    for (pid, dd), _ in serves.items()
                    if dd == d and (pv := by_id[pid]).kind == "storage" and (pv.name, pv.zone) in linked
                }
            )
            for d in ("up", "down")
        },
    )
    add_limits(m, serves, by_id, substituted, P, T)
    add_dr_load(ctx, m, groups, reqs)
    add_requirements(ctx, m, reqs, prov)
    drs = ctx.inputs.scenario.demand_response

    def available(rq: Requirement, pv: Provider, p: int, t: int) -> float:
        """What pv could hold for rq at the solution [GW]: its provision plus the least slack of
        its limits (net of what it holds for other requirements), or its headroom if substituted."""
        d = rq.spec.direction
        if substituted(pv.id, d):
            return evaluate(prov(rq, pv, p, t), exception=False) or 0.0
        room = [slack_value(m.component(lim.row)[d, pv.id, p, t]) / lim.coef(rq.spec) for lim in pv.limits[d]]
        group = (drs[pv.name].acts_on or WHOLE, pv.zone, p, t) if pv.kind == "demand_response" else None
        if group is not None and group in m.reserve_dr_load:
            room.append(slack_value(m.reserve_dr_load[group]))
        return float(res[rq.name, pv.id, p, t].value or 0.0) + max(0.0, min(room))

    ctx.info["reserves"] = reqs
    ctx.info["reserve_available"] = available


def add_limits(
    m: pyo.ConcreteModel,
    serves: dict[tuple[str, str], list[Requirement]],
    by_id: dict[str, Provider],
    substituted: Any,
    P: list[int],
    T: range,
) -> None:
    """Each provider's rows (LIMIT_ROWS): sum_{r served} coef_r * res[r] <= rhs, in the periods
    where one of its requirements is active."""
    rows: dict[str, dict[tuple[Any, ...], Any]] = {name: {} for name in LIMIT_ROWS}
    res = m.res
    for (pid, d), rqs in serves.items():
        if substituted(pid, d):
            continue
        for j, p in enumerate(P):
            here = [rq for rq in rqs if rq.active(j)]
            if not here:
                continue
            for lim in by_id[pid].limits[d]:
                coef = [(lim.coef(rq.spec), rq.name) for rq in here]
                for t in T:
                    body = pyo.quicksum(a * res[n, pid, p, t] for a, n in coef)
                    rows[lim.row][(d, pid, p, t)] = body - lim.rhs(p, t) <= 0
    for name, exprs in rows.items():
        m.add_component(name, pyo.Constraint(list(exprs), rule=lambda _m, *k, e=exprs: e[k]))


def add_dr_load(
    ctx: Ctx,
    m: pyo.ConcreteModel,
    groups: dict[tuple[str, str, int, int], list[str]],
    reqs: list[Requirement],
) -> None:
    """reserve_dr_load: reductions called plus reserve held <= the load acted on."""
    loads = {c: ctx.load if c == WHOLE else component_on_steps(ctx, c) for c in {k[0] for k in groups}}
    held: dict[tuple[str, str, int, int], list[Any]] = {}
    for rq in reqs:
        for pv in rq.providers:
            if pv.kind == "demand_response":
                for p in ctx.periods:
                    for t in ctx.steps:
                        if (rq.name, pv.id, p, t) in m.res:
                            held.setdefault((pv.name, pv.zone, p, t), []).append(m.res[rq.name, pv.id, p, t])

    def rule(_m: pyo.ConcreteModel, c: str, z: str, p: int, t: int) -> Any:
        ds_ = groups[c, z, p, t]
        terms = [m.dr_down[d, z, p, t] for d in ds_] + [v for d in ds_ for v in held.get((d, z, p, t), [])]
        return pyo.quicksum(terms) <= float(loads[c][z, p][t])

    m.reserve_dr_load = pyo.Constraint(
        [k for k in groups if any(held.get((d, k[1], k[2], k[3])) for d in groups[k])], rule=rule
    )


def area_load(ctx: Ctx, rq: Requirement, zones: list[str], p: int) -> np.ndarray:
    """L [GW] of an area on the steps: the load input, or its annual peak (load_basis: peak)."""
    if rq.spec.load_basis == "peak":
        peak = float(ctx.inputs.load[p][zones].sum(axis=1).max()) * MW
        return np.full(ctx.time.n, peak)
    return np.sum([ctx.load[z, p] for z in zones], axis=0)


def variable_terms(ctx: Ctx, rq: Requirement, zones: list[str]) -> list[tuple[np.ndarray | None, str, str]]:
    """(availability [T] or None for output, tech, zone) of the area's wind and solar."""
    s = ctx.inputs.scenario
    out = []
    for g, z in ctx.info.get("gen", []):
        t_ = s.technologies[g]
        if z not in zones or not tech_kind(t_.kind).curtailable or t_.profile is None:
            continue
        av = availability(ctx, t_.profile, z) if rq.spec.variable_basis == "available" else None
        out.append((av, g, z))
    return out


def add_requirements(ctx: Ctx, m: pyo.ConcreteModel, reqs: list[Requirement], prov: Any) -> None:
    """reserve_requirement rows, reserve_shortfall and its cost (module docstring); ctx.info
    keeps each row's load part [GW] and wind and solar part (an expression) for the results."""
    s = ctx.inputs.scenario
    rows: dict[tuple[Any, ...], tuple[float, list[Any], Any]] = {}
    for rq in reqs:
        for area, zones in rq.areas():
            vre = variable_terms(ctx, rq, zones)
            mine = [pv for pv in rq.providers if pv.zone in zones]
            for j, p in enumerate(ctx.periods):
                if not rq.active(j):
                    continue
                ls, vs = float(rq.load_share[j]), float(rq.variable_share[j])
                load = area_load(ctx, rq, zones, p)
                for t in ctx.steps:
                    v = [
                        vs * (m.gen[g, z, p, t] if av is None else float(av[t]) * m.gen_cap[g, z, p])
                        for av, g, z in vre
                        if vs > 0 and (av is None or av[t] > 0)
                    ]
                    need = ls * float(load[t])
                    if need > 0 or v:
                        rows[(rq.name, area, p, t)] = (need, [prov(rq, pv, p, t) for pv in mine], v)
    m.reserve_shortfall = pyo.Var(list(rows), domain=pyo.NonNegativeReals)
    short = m.reserve_shortfall

    def rule(_m: pyo.ConcreteModel, *k: Any) -> Any:
        need, held, v = rows[k]
        return (need, pyo.quicksum([*held, short[k], *(-x for x in v)]), None)

    m.reserve_requirement = pyo.Constraint(list(rows), rule=rule)
    ctx.info["reserve_rows"] = {k: (need, pyo.quicksum(v) if v else 0.0) for k, (need, _, v) in rows.items()}
    cost = {
        rq.name: s.value_of_lost_load if rq.spec.shortfall_cost is None else rq.spec.shortfall_cost
        for rq in reqs
    }
    by_area: dict[tuple[Any, ...], list[Any]] = {}
    for k in rows:
        by_area.setdefault(k[:3], []).append(float(ctx.w[k[3]]) * short[k])
    for (n, _, p), terms in by_area.items():
        ctx.add_cost("reserve_shortfall", p, cost[n] * PER_MWH * pyo.quicksum(terms))  # CNY/MW-h * GWh


def read_reserves(rb: Readback) -> None:
    """reserve_requirement, reserve_available, reserve_shortfall [MW], reserve_price [CNY/MW-h]
    and reserve_cost [CNY/yr] (the requirement valued at its price); nothing without reserves."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    reqs: list[Requirement] = ctx.info.get("reserves", [])
    if not reqs:
        return
    available, parts = ctx.info["reserve_available"], ctx.info["reserve_rows"]
    P, Z = ctx.periods, ctx.zones
    R = [rq.name for rq in reqs]
    areas = [SYSTEM, *Z]
    labels = provider_labels(reqs)
    W = dict(zip(P, ctx.W, strict=True))
    shape = (len(R), len(P), len(areas), T)
    need, price, short = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    con, sv = m.reserve_requirement, m.reserve_shortfall
    for k in con:
        n, a, p, t = k
        i = (R.index(n), P.index(p), areas.index(a), t)
        load, vre = parts[k]
        need[i] = (load + (evaluate(vre, exception=False) or 0.0)) * GW
        short[i] = (sv[k].value or 0.0) * GW
        if rb.sol.duals:
            price[i] = per_year(rb.sol.dual(con[k]), W[p] * ctx.w[t]) * CNY_PER_MWH
    provision: dict[tuple[Any, ...], np.ndarray] = {}
    for rq in reqs:
        for pv in rq.providers:
            for j, p in enumerate(P):
                if not rq.active(j):
                    continue
                key = (rq.name, p, pv.zone, labels[pv.kind, pv.name])
                vals = np.array([available(rq, pv, p, t) for t in range(T)])
                provision[key] = provision.get(key, 0.0) + vals * GW
    dims: list[Sequence[Any]] = [R, P, Z, list(dict.fromkeys(labels.values()))]
    ds.coords["reserve"] = R
    ds.coords["area"] = areas
    ds.coords["reserve_provider"] = list(dims[3])
    four = ("reserve", "period", "area", "time")
    ds["reserve_requirement"] = (four, need, {"units": "MW", "long_name": "operating reserve required"})
    ds["reserve_shortfall"] = (four, short, {"units": "MW", "long_name": "operating reserve short"})
    ds["reserve_price"] = (
        four,
        price,
        {"units": "CNY/MW-h", "long_name": "reserve price (dual of the requirement per MW and hour)"},
    )
    ds["reserve_available"] = (
        ("reserve", "period", "zone", "reserve_provider", "time"),
        grid(provision, dims, T),
        {
            "units": "MW",
            "long_name": "reserve the resource can hold toward the requirement at the solution",
            "note": "its headroom within its limits, net of what it holds for other requirements",
        },
    )
    w = ds["weight"]
    ds["reserve_cost"] = (
        (ds["reserve_price"].fillna(0.0) * ds["reserve_requirement"].fillna(0.0) * w)
        .sum(("area", "time"))
        .assign_attrs(units="CNY/yr", long_name="requirement valued at the reserve price")
    )
    ds["reserve_direction"] = ("reserve", [rq.spec.direction for rq in reqs])
    ds["reserve_scope"] = ("reserve", [rq.spec.scope for rq in reqs])
    ds["reserve_name_zh"] = ("reserve", [rq.spec.name_zh for rq in reqs])
    kinds = {lab: kind for (kind, _), lab in labels.items()}
    ds["reserve_provider_kind"] = ("reserve_provider", [kinds[x] for x in dims[3]])


def provider_labels(reqs: list[Requirement]) -> dict[tuple[str, str], str]:
    """(kind, name) -> label in results: the name, prefixed by its kind when two kinds share it."""
    keys = sorted({(pv.kind, pv.name) for rq in reqs for pv in rq.providers})
    names = [n for _, n in keys]
    return {(k, n): (n if names.count(n) == 1 else f"{k}:{n}") for k, n in keys}


RESERVES = Family(
    "reserves",
    add_reserves,
    (
        "res",
        "reserve_shortfall",
        "reserve_requirement",
        *LIMIT_ROWS,
        "reserve_dr_load",
        *LINKED,
    ),
    read_reserves,
)
