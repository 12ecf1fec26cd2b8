"""Thermal clusters with linearised commitment and 三改联动 retrofits (see model/formulation.md).

A cluster c in zone z splits into parts j: `base` (condensing units, flexibility-retrofitted
(灵活性改造) ones committed first) and `chp` (供热改造), each with its own committed capacity u,
output g and start-ups su [GW]. u is the expression K - offline (offline >= 0: the part's capacity
not committed), so u <= K is a bound, not a row; shut-downs are the expression sd = su - (u -
u[prev]), kept >= 0 by commit_change. Kf = inserv[flex] is the flexible share of the base part,
lo/r the minimum and ramp of its units (b: not retrofitted, f: flexible). Energy-saving
(节能降碳改造) lowers the heat rate of retrofitted units, which are loaded first inside the
cluster; `non_es_gen` is the output of the others.

    cap[c,z,p] = th_inserv (th_cap less retired and mothballed, lp/retirement.py) or th_cap
    rcap[k,c,z,p] = existing_k + sum_{b alive} retro[k,c,z,b]        (retro_cap_def)
    inserv[k,c,z,p] <= rcap[k,c,z,p]                                  (retro_in_service)
    inserv[flex] + inserv[chp] <= cap[c,z,p];  inserv[es] <= cap       (retro_parts, retro_es_max)
    K[base] = cap - inserv[chp];  K[chp] = inserv[chp]
    u[j,t] = K[j] - offline[j,t],  offline >= 0   (u >= 0 by out_max)   (th_commit)
    g[j,t] = min_j * u[j,t] + above[j,t],  above >= 0  (g >= min u)     (th_gen, out_min)
    g[j,t] + loss * h[t] <= u[j,t]                                     (out_max)
    g[base,t] >= lo_b * u[base,t] - (lo_b - lo_f) * Kf                 (out_min_stack)
    su[j,t] >= offline[j,prev t] - offline[j,t]   (sd >= 0)            (commit_change)
    g[t] - g[prev] <= ramp (u - su) + max(min, ramp) su - min sd       (ramp_up)
    g[prev] - g[t] <= ramp (u - su) - min su + max(min, ramp) sd       (ramp_down)
    the same with lo_b, r_b plus (r_f - r_b) * Kf for the base part    (ramp_up_stack, ramp_down_stack)
    h[t] <= ratio * g[chp,t]                                           (chp_heat_max)
    non_es_gen[t] >= sum_j (g[j,t] + loss * h[t]) - inserv[es]         (non_es_min)
    fuel [tce] = (hr - dhr) * (sum_j g + loss * h) + dhr * non_es_gen  (fuel, emissions, coal)
    sum chp h[c,z,t] + boiler[z,t] = heat_demand[z,t]                  (heat_balance)
In out_min and ramp_* the base part uses the flexible units' min and ramp when it has them.
out_min is the bound above >= 0, not a row (a row g >= u only where min_j = 1; g = above
without a minimum).
Without commitment a part's u is its capacity K (no start-ups, no minimum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Technology
from gridplan.lp.family import Family, Readback, grid, series
from gridplan.lp.generators import fleet_of, marginal, uses_thermal_module
from gridplan.lp.investment import Fleet, FleetNames, add_fleet
from gridplan.lp.retirement import COMPONENTS as RETIREMENT
from gridplan.lp.retirement import EXT, add_retirement, read_retirement
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, HEAT_RATE, MW, PER_MWH
from gridplan.timesteps import on_steps

KINDS = ("es", "flex", "chp")
FIELDS = {"es": "energy_saving", "flex": "flexibility", "chp": "heating"}
TH = FleetNames(
    "th", "technologies", new="th_new", cap="th_cap", cap_def="th_cap_def", potential="th_potential"
)
RETRO = FleetNames(
    "retro", None, new="retro_new", cap="retro_cap", cap_def="retro_cap_def", potential="retro_potential"
)


def commits(t: Technology) -> bool:
    """The cluster uses linearised commitment."""
    return t.commitment is not None and t.commitment.enabled


def parts_of(t: Technology) -> list[str]:
    r = t.retrofits
    return ["base"] + (["chp"] if r is not None and r.heating is not None else [])


def flex_params(t: Technology) -> tuple[float, float] | None:
    """(minimum stable output, ramp) of flexibility-retrofitted units; None without them."""
    r = t.retrofits
    if r is None or r.flexibility is None or not commits(t):
        return None
    return r.flexibility.min_stable, r.flexibility.ramp


def part_params(t: Technology, part: str) -> tuple[float, float]:
    """(minimum stable output, ramp) of the units of one part that are not retrofitted for
    flexibility, as shares of committed capacity per hour."""
    c = t.commitment
    base = (c.min_stable, c.ramp) if c is not None and c.enabled else (0.0, 1.0)
    r = t.retrofits
    if part == "chp" and r is not None and r.heating is not None and c is not None and c.enabled:
        return (r.heating.min_stable if r.heating.min_stable is not None else base[0]), base[1]
    return base


@dataclass
class Clusters:
    """The thermal clusters of a model, their parts and the indices their rows run over."""

    techs: dict[str, Technology]
    items: list[tuple[str, ...]]  # (cluster, zone)
    periods: list[int]
    steps: list[int]
    cap: Any = None  # capacity in service [GW]: th_inserv (lp/retirement.py) or th_cap
    inserv: Any = None  # retro_inserv [GW]
    retrofitted: set[tuple[str, ...]] = field(default_factory=set)  # (kind, cluster, zone)
    parts: list[tuple[str, str, str]] = field(default_factory=list)  # (part, cluster, zone)
    committed: list[tuple[str, str, str]] = field(default_factory=list)
    loss: dict[str, float] = field(default_factory=dict)  # power lost per unit of heat

    def part_capacity(self, j: str, c: str, z: str, p: int) -> Any:
        """K: the base part is the cluster less its CHP-retrofitted capacity."""
        if j == "base":
            has_chp = ("chp", c, z) in self.retrofitted
            return self.cap[c, z, p] - (self.inserv["chp", c, z, p] if has_chp else 0.0)
        return self.inserv[j, c, z, p]

    def index(self, parts: list[tuple[str, str, str]]) -> list[tuple[Any, ...]]:
        return [(*x, p, t) for x in parts for p in self.periods for t in self.steps]

    def chp_index(self) -> list[tuple[Any, ...]]:
        return [
            (c, z, p, t) for j, c, z in self.parts if j == "chp" for p in self.periods for t in self.steps
        ]

    def es_index(self) -> list[tuple[Any, ...]]:
        es = [(c, z) for c, z in self.items if ("es", c, z) in self.retrofitted]
        return [(c, z, p, t) for c, z in es for p in self.periods for t in self.steps]


def retrofit_fleet(ctx: Ctx, cl: Clusters) -> Fleet:
    """The 三改联动 retrofits as a fleet keyed (kind, cluster, zone) [GW]."""
    rows: list[tuple[str, ...]] = []
    rdata: list[tuple[np.ndarray, np.ndarray, float, float]] = []
    for c, z in cl.items:
        r = cl.techs[c].retrofits
        for k in KINDS:
            spec = None if r is None else getattr(r, FIELDS[k])
            if spec is None:
                continue
            f = f"technologies.{c}.retrofits.{FIELDS[k]}"
            zi = ctx.zones.index(z)
            rows.append((k, c, z))
            rdata.append(
                (
                    ctx.by_zone_period(spec.existing, f"{f}.existing")[zi] * MW,
                    ctx.by_zone_period(spec.build_max, f"{f}.build_max")[zi] * MW,
                    spec.lifetime,
                    spec.capex,
                )
            )
    n_p = len(cl.periods)
    return Fleet(
        RETRO,
        rows,
        np.array([d[0] for d in rdata]).reshape(-1, n_p),
        np.zeros((len(rows), n_p)),
        np.array([d[1] for d in rdata]).reshape(-1, n_p),
        np.full(len(rows), np.inf),
        np.array([d[2] for d in rdata]),
        np.array([np.full(n_p, d[3]) for d in rdata]).reshape(-1, n_p),
        np.zeros(len(rows)),
    )


def add_retrofits(ctx: Ctx, m: pyo.ConcreteModel, cl: Clusters) -> None:
    """Retrofit capacity and the share in service (retro_in_service, retro_parts, retro_es_max)."""
    fleet = retrofit_fleet(ctx, cl)
    rcap, _ = add_fleet(ctx, m, fleet)
    P, items, cap = cl.periods, cl.items, cl.cap
    m.retro_inserv = pyo.Var([(*k, p) for k in fleet.items for p in P], domain=pyo.NonNegativeReals)
    ins = cl.inserv = m.retro_inserv
    m.retro_in_service = pyo.Constraint(list(ins), rule=lambda _m, *ix: ins[ix] <= rcap[ix])
    has = cl.retrofitted = set(fleet.items)
    m.retro_parts = pyo.Constraint(
        [(c, z, p) for c, z in items for p in P if {("flex", c, z), ("chp", c, z)} & has],
        rule=lambda _m, c, z, p: (
            sum(ins[k, c, z, p] for k in ("flex", "chp") if (k, c, z) in has) <= cap[c, z, p]
        ),
    )
    m.retro_es_max = pyo.Constraint(
        [(c, z, p) for c, z in items for p in P if ("es", c, z) in has],
        rule=lambda _m, c, z, p: ins["es", c, z, p] <= cap[c, z, p],
    )


def add_operation_variables(m: pyo.ConcreteModel, cl: Clusters) -> None:
    """th_offline, th_commit = K - th_offline, th_above, th_gen = min u + th_above (out_min),
    th_startup, chp_heat, non_es_gen [GW]."""
    cidx = cl.index(cl.committed)
    m.th_offline = pyo.Var(cidx, domain=pyo.NonNegativeReals)
    m.th_commit = pyo.Expression(
        cidx, rule=lambda _m, j, c, z, p, t: cl.part_capacity(j, c, z, p) - _m.th_offline[j, c, z, p, t]
    )
    m.th_above = pyo.Var(cl.index(cl.parts), domain=pyo.NonNegativeReals)
    lo = out_min_of(cl)
    m.th_gen = pyo.Expression(
        cl.index(cl.parts),
        rule=lambda _m, j, c, z, p, t: (
            lo[j, c, z] * _m.th_commit[j, c, z, p, t] + _m.th_above[j, c, z, p, t]
            if (j, c, z) in lo
            else _m.th_above[j, c, z, p, t]
        ),
    )
    m.th_startup = pyo.Var(cidx, domain=pyo.NonNegativeReals)
    m.chp_heat = pyo.Var(cl.chp_index(), domain=pyo.NonNegativeReals)
    m.non_es_gen = pyo.Var(cl.es_index(), domain=pyo.NonNegativeReals)


def heat_term(m: pyo.ConcreteModel, cl: Clusters, j: str, c: str, z: str, p: int, t: int) -> Any:
    """loss * h: the power a CHP part gives up for its heat (0 for the base part)."""
    return cl.loss[c] * m.chp_heat[c, z, p, t] if j == "chp" else 0.0


Part = tuple[str, str, str]  # (part, cluster, zone)


def minimum_and_ramp(
    cl: Clusters,
) -> tuple[dict[Part, tuple[float, float]], dict[Part, tuple[float, float]], dict[Part, tuple[float, float]]]:
    """(own, flex, least) (minimum, ramp) of each part: its own units', the flexible units' of a
    base part that has them (committed first, so its least minimum and fastest ramp are theirs:
    out_min, ramp_*; its own units' hold beyond Kf: *_stack), and the one out_min and ramp_* use."""
    own = {x: part_params(cl.techs[x[1]], x[0]) for x in cl.parts}
    flex = {x: fp for x in cl.committed if x[0] == "base" and (fp := flex_params(cl.techs[x[1]])) is not None}
    least = {x: flex.get(x, own[x]) for x in cl.parts}
    return own, flex, least


def out_min_of(cl: Clusters) -> dict[Part, float]:
    """min_j of the committed parts whose out_min becomes the bound th_above >= 0, for 0 < min_j < 1
    (with min_j = 1, out_max would no longer keep u >= 0, so such a part keeps g = th_above and
    the row out_min: g >= u)."""
    least = minimum_and_ramp(cl)[2]
    return {x: least[x][0] for x in cl.committed if 0 < least[x][0] < 1}


def add_output_limits(m: pyo.ConcreteModel, cl: Clusters) -> None:
    """out_max: g + loss h <= u (K without commitment); out_min_stack: g >= lo_b u - (lo_b - lo_f) Kf;
    out_min: g >= min u is the bound th_above >= 0 (add_operation_variables), a row only if min = 1."""
    g, u = m.th_gen, m.th_commit
    cset = set(cl.committed)

    def ucap(j: str, c: str, z: str, p: int, t: int) -> Any:
        return u[j, c, z, p, t] if (j, c, z) in cset else cl.part_capacity(j, c, z, p)

    m.out_max = pyo.Constraint(
        cl.index(cl.parts),
        rule=lambda _m, j, c, z, p, t: (
            g[j, c, z, p, t] + heat_term(m, cl, j, c, z, p, t) <= ucap(j, c, z, p, t)
        ),
    )
    own, flex, least = minimum_and_ramp(cl)
    cidx = cl.index(cl.committed)
    m.out_min = pyo.Constraint(
        [k for k in cidx if least[k[:3]][0] >= 1],
        rule=lambda _m, j, c, z, p, t: g[j, c, z, p, t] >= u[j, c, z, p, t],
    )
    kf = cl.inserv
    m.out_min_stack = pyo.Constraint(
        [k for k in cidx if k[:3] in flex and own[k[:3]][0] > flex[k[:3]][0]],
        rule=lambda _m, j, c, z, p, t: (
            g[j, c, z, p, t]
            >= own[j, c, z][0] * u[j, c, z, p, t] - (own[j, c, z][0] - flex[j, c, z][0]) * kf["flex", c, z, p]
        ),
    )


def add_commitment_and_ramps(ctx: Ctx, m: pyo.ConcreteModel, cl: Clusters) -> None:
    """commit_change (start-ups), ramp_up, ramp_down and their *_stack forms (module docstring)."""
    g, u, off, su = m.th_gen, m.th_commit, m.th_offline, m.th_startup
    cidx = cl.index(cl.committed)
    prev = ctx.time.prev()
    m.commit_change = pyo.Constraint(
        cidx,
        rule=lambda _m, j, c, z, p, t: (
            su[j, c, z, p, t] >= off[j, c, z, p, int(prev[t])] - off[j, c, z, p, t]
        ),
    )

    def ramp(k: tuple[Any, ...], up: bool, lo: float, r: float, extra: Any) -> Any:
        kp = (*k[:4], int(prev[k[4]]))
        d = g[k] - g[kp] if up else g[kp] - g[k]
        hi = max(lo, r)
        sd = su[k] + off[k] - off[kp]  # shut-downs: su - (u[k] - u[kp])
        return d <= r * (u[k] - su[k]) + (hi * su[k] - lo * sd if up else -lo * su[k] + hi * sd) + extra

    own, flex, least = minimum_and_ramp(cl)
    ramped = [k for k in cidx if least[k[:3]][1] < 1.0]
    m.ramp_up = pyo.Constraint(ramped, rule=lambda _m, *k: ramp(k, True, *least[k[:3]], 0.0))
    m.ramp_down = pyo.Constraint(ramped, rule=lambda _m, *k: ramp(k, False, *least[k[:3]], 0.0))

    def stack(k: tuple[Any, ...], up: bool) -> Any:
        (lo, r), rf = own[k[:3]], flex[k[:3]][1]
        return ramp(k, up, lo, r, (rf - r) * cl.inserv["flex", k[1], k[2], k[3]])

    stacked = [k for k in cidx if k[:3] in flex and own[k[:3]][1] < 1.0]
    m.ramp_up_stack = pyo.Constraint(stacked, rule=lambda _m, *k: stack(k, True))
    m.ramp_down_stack = pyo.Constraint(stacked, rule=lambda _m, *k: stack(k, False))


def add_chp_and_energy_saving(m: pyo.ConcreteModel, cl: Clusters) -> None:
    """chp_heat_max: h <= ratio g[chp]; non_es_min: non_es_gen >= sum_j (g + loss h) - inserv[es]."""
    g, h, rest = m.th_gen, m.chp_heat, m.non_es_gen
    ratio = {
        c: (t.retrofits.heating.heat_ratio_max if t.retrofits and t.retrofits.heating else 0.0)
        for c, t in cl.techs.items()
    }
    m.chp_heat_max = pyo.Constraint(
        cl.chp_index(), rule=lambda _m, c, z, p, t: h[c, z, p, t] <= ratio[c] * g["chp", c, z, p, t]
    )

    def equiv(c: str, z: str, p: int, t: int) -> Any:
        """Condensing-equivalent output of the cluster: sum_j g + loss * h."""
        return sum(g[j, c, z, p, t] + heat_term(m, cl, j, c, z, p, t) for j in parts_of(cl.techs[c]))

    m.non_es_min = pyo.Constraint(
        cl.es_index(),
        rule=lambda _m, c, z, p, t: rest[c, z, p, t] >= equiv(c, z, p, t) - cl.inserv["es", c, z, p],
    )


def add_cluster_terms(ctx: Ctx, m: pyo.ConcreteModel, cl: Clusters) -> None:
    """Balance, capacity and generation for targets, fuel, O&M and start-up costs, emissions and
    coal: fuel [tce] = hr * (sum_j g + loss h) - dhr * (that - non_es_gen) (module docstring)."""
    g, h, rest, su = m.th_gen, m.chp_heat, m.non_es_gen, m.th_startup
    for c, z in cl.items:
        t_ = cl.techs[c]
        fuel, co2, coal = marginal(ctx, t_, f"technologies.{c}")
        hr = ctx.by_period(t_.heat_rate, f"technologies.{c}.heat_rate") * HEAT_RATE  # tce/MWh
        dhr = (
            t_.retrofits.energy_saving.heat_rate_reduction * HEAT_RATE
            if t_.retrofits and t_.retrofits.energy_saving
            else 0.0
        )
        price = fuel / np.where(hr > 0, hr, 1.0)  # CNY/tce
        f_per_t = co2 / np.where(hr > 0, hr, 1.0)  # tCO2/tce
        c_per_t = coal / np.where(hr > 0, hr, 1.0)
        parts = parts_of(t_)
        for jp, p in enumerate(cl.periods):
            out = sum(ctx.annual(g, (j, c, z, p)) for j in parts)  # GWh/yr
            eq = out + (cl.loss[c] * ctx.annual(h, (c, z, p)) if "chp" in parts else 0.0)
            saved = dhr * (eq - ctx.annual(rest, (c, z, p))) if ("es", c, z) in cl.retrofitted else 0.0
            tce = float(hr[jp]) * eq - saved  # GWh * tce/MWh = ktce
            for j in parts:
                ctx.add_balance(z, p, 1.0, g, (j, c, z, p))
            ctx.capacity[(c, z, p)] = cl.cap[c, z, p]
            ctx.generation[(c, z, p)] = out
            ctx.add_cost("fuel", p, float(price[jp]) * PER_MWH * tce)
            if t_.vom:
                ctx.add_cost("variable_om", p, t_.vom * PER_MWH * out)
            ctx.emissions[p] += float(f_per_t[jp]) * MW * tce
            ctx.coal[p] += float(c_per_t[jp]) * MW * tce
            cm = t_.commitment
            if cm is not None and cm.enabled and (cost := cm.startup_cost_per_mw()):
                starts = sum(ctx.annual(su, (j, c, z, p)) for j in parts)
                ctx.add_cost("startup", p, cost * PER_MWH * starts)


def add_thermal(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """The thermal clusters with commitment or retrofits, in the order of the module docstring."""
    techs = {n: t for n, t in ctx.inputs.scenario.technologies.items() if uses_thermal_module(t)}
    fleet = fleet_of(ctx, TH, techs, "technologies")
    cl = Clusters(techs, fleet.items, ctx.periods, list(ctx.steps))
    th_cap, _ = add_fleet(ctx, m, fleet)
    cl.cap = add_retirement(ctx, m, techs, fleet.items, th_cap)  # capacity in service (th_inserv)
    add_retrofits(ctx, m, cl)
    cl.parts = [(j, c, z) for c, z in cl.items for j in parts_of(techs[c])]
    cl.committed = [x for x in cl.parts if commits(techs[x[1]])]
    cl.loss = {
        c: (t.retrofits.heating.power_loss if t.retrofits and t.retrofits.heating else 0.0)
        for c, t in techs.items()
    }
    add_operation_variables(m, cl)
    add_output_limits(m, cl)
    add_commitment_and_ramps(ctx, m, cl)
    add_chp_and_energy_saving(m, cl)
    add_heat_balance(ctx, m, cl.chp_index())
    add_cluster_terms(ctx, m, cl)
    ctx.info["th"] = cl.items
    ctx.info["th_parts"] = cl.parts


def add_heat_balance(ctx: Ctx, m: pyo.ConcreteModel, chp: list[tuple[str, str, int, int]]) -> None:
    """Heat demand met by CHP parts and back-up boilers (heat_balance)."""
    s = ctx.inputs.scenario
    if s.heat is None:
        m.heat_boiler = pyo.Var([], domain=pyo.NonNegativeReals)
        return
    P, T = ctx.periods, ctx.steps
    demand = {
        (z, p): on_steps(ctx.time, ctx.inputs.heat[p][z].to_numpy(), "heat", p, z) * MW
        for z in ctx.zones
        for p in P
    }
    idx = [(z, p, t) for z in ctx.zones for p in P for t in T if demand[z, p].max() > 0]
    m.heat_boiler = pyo.Var(idx, domain=pyo.NonNegativeReals)
    by_zone: dict[tuple[str, int, int], list[Any]] = {}
    for c, z, p, t in chp:
        by_zone.setdefault((z, p, t), []).append(m.chp_heat[c, z, p, t])
    m.heat_balance = pyo.Constraint(
        idx,
        rule=lambda _m, z, p, t: (
            sum(by_zone.get((z, p, t), [])) + m.heat_boiler[z, p, t] == float(demand[z, p][t])
        ),
    )
    h = s.heat
    for z in ctx.zones:
        for p in P:
            if demand[z, p].max() <= 0:
                continue
            e = ctx.annual(m.heat_boiler, (z, p))  # GWh_th/yr
            ctx.add_cost("heat_boilers", p, h.boiler_cost * PER_MWH * e)
            ctx.emissions[p] += h.boiler_co2 * MW * e
            ctx.coal[p] += h.boiler_coal * MW * e


def read_thermal(rb: Readback) -> None:
    """Capacity and generation of the clusters (summed over parts) [MW], commitment, start-ups,
    heat [MW_th] and 三改联动 retrofits [MW]; heat and non_es_gen also go to the fuel by tech."""
    m, ctx, T, ds = rb.m, rb.ctx, rb.n_steps, rb.ds
    P, Z, G = ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)
    rb.read_capacity(TH)
    read_retirement(rb)  # capacity in service of the clusters that opt in
    for j, c, z in ctx.info.get("th_parts", []):
        for p in P:
            rb.generation[(p, z, c)] = (
                rb.generation.get((p, z, c), 0.0) + series(m.th_gen, (j, c, z, p), T) * GW
            )
    rb.techs.extend(ctx.info.get("th", []))
    dims: list[Sequence[Any]] = [P, Z, G]
    commit: dict[tuple[Any, ...], np.ndarray] = {}
    start: dict[tuple[Any, ...], np.ndarray] = {}
    for j, c, z in ctx.info.get("th_parts", []):
        for p in P:
            k = (p, z, c)
            if (j, c, z, p, 0) in m.th_commit:
                commit[k] = commit.get(k, 0.0) + series(m.th_commit, (j, c, z, p), T) * GW
                start[k] = start.get(k, 0.0) + series(m.th_startup, (j, c, z, p), T) * GW
            if j == "chp":
                rb.heat[k] = series(m.chp_heat, (c, z, p), T) * GW
    for c, z, p, t in m.non_es_gen:
        if t == 0:
            rb.non_es_output[(p, z, c)] = series(m.non_es_gen, (c, z, p), T) * GW
    ds["commitment"] = (
        ("period", "zone", "tech", "time"),
        grid(commit, dims, T),
        {"units": "MW", "long_name": "committed capacity"},
    )
    ds["startup"] = (
        ("period", "zone", "tech", "time"),
        grid(start, dims, T),
        {"units": "MW", "long_name": "capacity started up"},
    )
    ds["heat_output"] = (("period", "zone", "tech", "time"), grid(rb.heat, dims, T), {"units": "MW_th"})
    read_retrofits(rb)
    boiler = np.zeros((len(P), len(Z), T))
    for (z, p, t), v in m.heat_boiler.items():
        boiler[P.index(p), Z.index(z), t] = (v.value or 0.0) * GW
    ds["heat_boiler"] = (
        ("period", "zone", "time"),
        boiler,
        {"units": "MW_th", "long_name": "heat from back-up boilers"},
    )


def read_retrofits(rb: Readback) -> None:
    """retrofit_new and retrofit_in_service [MW] by (retrofit kind, period, zone, tech)."""
    m, ctx, ds = rb.m, rb.ctx, rb.ds
    P, Z, G = ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)
    kinds = [FIELDS[k] for k in KINDS]
    new: dict[tuple[Any, ...], float] = {}
    ins: dict[tuple[Any, ...], float] = {}
    for k in m.retro_cap:
        r, c, z, p = k
        key = (FIELDS[r], p, z, c)
        new[key] = (m.retro_new[k].value or 0.0) * GW if k in m.retro_new else 0.0
        ins[key] = (m.retro_inserv[k].value or 0.0) * GW
    rdims: list[Sequence[Any]] = [kinds, P, Z, G]
    ds.coords["retrofit"] = kinds
    ds["retrofit_new"] = (
        ("retrofit", "period", "zone", "tech"),
        grid(new, rdims),
        {"units": "MW", "long_name": "三改联动 retrofit done in the period"},
    )
    ds["retrofit_in_service"] = (
        ("retrofit", "period", "zone", "tech"),
        grid(ins, rdims),
        {"units": "MW", "long_name": "retrofitted capacity in service"},
    )


THERMAL = Family(
    "thermal",
    add_thermal,
    (
        *TH.components,
        *RETRO.components,
        *EXT.components,
        *RETIREMENT,
        "retro_inserv",
        "retro_in_service",
        "retro_parts",
        "retro_es_max",
        "th_above",
        "th_gen",
        "th_offline",
        "th_commit",
        "th_startup",
        "chp_heat",
        "non_es_gen",
        "out_max",
        "out_min",
        "out_min_stack",
        "commit_change",
        "ramp_up",
        "ramp_down",
        "ramp_up_stack",
        "ramp_down_stack",
        "chp_heat_max",
        "non_es_min",
        "heat_boiler",
        "heat_balance",
    ),
    read_thermal,
    fleets=(TH, RETRO, EXT),
)
