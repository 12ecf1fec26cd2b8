"""Thermal clusters with linearised commitment and 三改联动 retrofits (see model/formulation.md).

A cluster c in zone z splits into parts j: `base` (condensing units, flexibility-retrofitted
(灵活性改造) ones committed first) and `chp` (供热改造), each with its own committed capacity u,
output g and start-ups su [GW]. u is the expression K - offline (offline >= 0: the part's capacity
not committed), so u <= K is a bound, not a row; shut-downs are the expression sd = su - (u -
u[prev]), kept >= 0 by commit_change. Kf = inserv[flex] is the flexible share of the base part,
lo/r the minimum and ramp of its units (b: not retrofitted, f: flexible). Energy-saving
(节能降碳改造) lowers the heat rate of retrofitted units, which are loaded first inside the
cluster; `non_es_gen` is the output of the others.

    rcap[k,c,z,p] = existing_k + sum_{b alive} retro[k,c,z,b]        (retro_cap_def)
    inserv[k,c,z,p] <= rcap[k,c,z,p]                                  (retro_in_service)
    inserv[flex] + inserv[chp] <= cap[c,z,p];  inserv[es] <= cap       (retro_parts, retro_es_max)
    K[base] = cap - inserv[chp];  K[chp] = inserv[chp]
    u[j,t] = K[j] - offline[j,t],  offline >= 0   (u >= 0 by out_max)   (th_commit)
    g[j,t] + loss * h[t] <= u[j,t];  g[j,t] >= min_j * u[j,t]          (out_max, out_min)
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
Without commitment a part's u is its capacity K (no start-ups, no minimum).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.config import Technology
from gridplan.lp.generators import fleet_of, marginal, uses_thermal_module
from gridplan.lp.investment import Fleet, add_fleet
from gridplan.lp.terms import Ctx
from gridplan.lp.units import HEAT_RATE, MW, PER_MWH
from gridplan.timesteps import on_steps

KINDS = ("es", "flex", "chp")
FIELDS = {"es": "energy_saving", "flex": "flexibility", "chp": "heating"}


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


def add_thermal(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    s = ctx.inputs.scenario
    techs = {n: t for n, t in s.technologies.items() if uses_thermal_module(t)}
    fleet = fleet_of(ctx, "th", techs, "technologies")
    cap, _ = add_fleet(ctx, m, fleet)
    P, T = ctx.periods, list(ctx.steps)
    items = fleet.items
    # --- retrofit investment ---
    rows: list[tuple[str, ...]] = []
    rdata: list[tuple[np.ndarray, np.ndarray, float, float]] = []
    for c, z in items:
        r = techs[c].retrofits
        for k in KINDS:
            spec = None if r is None else getattr(r, FIELDS[k])
            if spec is None:
                continue
            f = f"technologies.{c}.retrofits.{FIELDS[k]}"
            zi = ctx.zones.index(z)
            rows.append((k, c, z))
            rdata.append(
                (
                    ctx.pz(spec.existing, f"{f}.existing")[zi] * MW,
                    ctx.pz(spec.build_max, f"{f}.build_max")[zi] * MW,
                    spec.lifetime,
                    spec.capex,
                )
            )
    n_p = len(P)
    rf = Fleet(
        "retro",
        rows,
        np.array([d[0] for d in rdata]).reshape(-1, n_p),
        np.zeros((len(rows), n_p)),
        np.array([d[1] for d in rdata]).reshape(-1, n_p),
        np.full(len(rows), np.inf),
        np.array([d[2] for d in rdata]),
        np.array([np.full(n_p, d[3]) for d in rdata]).reshape(-1, n_p),
        np.zeros(len(rows)),
    )
    rcap, _ = add_fleet(ctx, m, rf)
    m.retro_inserv = pyo.Var([(*k, p) for k in rows for p in P], domain=pyo.NonNegativeReals)
    ins = m.retro_inserv
    m.retro_in_service = pyo.Constraint(list(ins), rule=lambda _m, *ix: ins[ix] <= rcap[ix])
    has = set(rows)
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

    def K(j: str, c: str, z: str, p: int) -> Any:
        if j == "base":
            return cap[c, z, p] - (ins["chp", c, z, p] if ("chp", c, z) in has else 0.0)
        return ins[j, c, z, p]

    # --- operation ---
    parts = [(j, c, z) for c, z in items for j in parts_of(techs[c])]
    committed = [x for x in parts if commits(techs[x[1]])]
    idx = [(*x, p, t) for x in parts for p in P for t in T]
    cidx = [(*x, p, t) for x in committed for p in P for t in T]
    m.th_gen = pyo.Var(idx, domain=pyo.NonNegativeReals)
    m.th_offline = pyo.Var(cidx, domain=pyo.NonNegativeReals)
    m.th_commit = pyo.Expression(
        cidx, rule=lambda _m, j, c, z, p, t: K(j, c, z, p) - _m.th_offline[j, c, z, p, t]
    )
    m.th_startup = pyo.Var(cidx, domain=pyo.NonNegativeReals)
    chp = [(c, z, p, t) for j, c, z in parts if j == "chp" for p in P for t in T]
    m.chp_heat = pyo.Var(chp, domain=pyo.NonNegativeReals)
    es_items = [(c, z, p, t) for c, z in items if ("es", c, z) in has for p in P for t in T]
    m.non_es_gen = pyo.Var(es_items, domain=pyo.NonNegativeReals)
    g, u, off, su, h, rest = m.th_gen, m.th_commit, m.th_offline, m.th_startup, m.chp_heat, m.non_es_gen
    cset = set(committed)
    loss = {
        c: (t.retrofits.heating.power_loss if t.retrofits and t.retrofits.heating else 0.0)
        for c, t in techs.items()
    }

    def ucap(j: str, c: str, z: str, p: int, t: int) -> Any:
        return u[j, c, z, p, t] if (j, c, z) in cset else K(j, c, z, p)

    def heat_term(j: str, c: str, z: str, p: int, t: int) -> Any:
        return loss[c] * h[c, z, p, t] if j == "chp" else 0.0

    m.out_max = pyo.Constraint(
        idx, rule=lambda _m, j, c, z, p, t: g[j, c, z, p, t] + heat_term(j, c, z, p, t) <= ucap(j, c, z, p, t)
    )
    own = {x: part_params(techs[x[1]], x[0]) for x in parts}
    # the base part with flexible units: they are committed first, so its least minimum and
    # fastest ramp are theirs (out_min, ramp_*), its units' own hold beyond Kf (*_stack)
    flex = {x: fp for x in committed if x[0] == "base" and (fp := flex_params(techs[x[1]])) is not None}
    mins = {x: flex.get(x, own[x]) for x in parts}
    m.out_min = pyo.Constraint(
        [k for k in cidx if mins[k[:3]][0] > 0],
        rule=lambda _m, j, c, z, p, t: g[j, c, z, p, t] >= mins[j, c, z][0] * u[j, c, z, p, t],
    )

    def kf(c: str, z: str, p: int) -> Any:
        return ins["flex", c, z, p]

    m.out_min_stack = pyo.Constraint(
        [k for k in cidx if k[:3] in flex and own[k[:3]][0] > flex[k[:3]][0]],
        rule=lambda _m, j, c, z, p, t: (
            g[j, c, z, p, t]
            >= own[j, c, z][0] * u[j, c, z, p, t] - (own[j, c, z][0] - flex[j, c, z][0]) * kf(c, z, p)
        ),
    )
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

    ramped = [k for k in cidx if mins[k[:3]][1] < 1.0]
    m.ramp_up = pyo.Constraint(ramped, rule=lambda _m, *k: ramp(k, True, *mins[k[:3]], 0.0))
    m.ramp_down = pyo.Constraint(ramped, rule=lambda _m, *k: ramp(k, False, *mins[k[:3]], 0.0))

    def stack(k: tuple[Any, ...], up: bool) -> Any:
        (lo, r), rf = own[k[:3]], flex[k[:3]][1]
        return ramp(k, up, lo, r, (rf - r) * kf(k[1], k[2], k[3]))

    stacked = [k for k in cidx if k[:3] in flex and own[k[:3]][1] < 1.0]
    m.ramp_up_stack = pyo.Constraint(stacked, rule=lambda _m, *k: stack(k, True))
    m.ramp_down_stack = pyo.Constraint(stacked, rule=lambda _m, *k: stack(k, False))
    ratio = {
        c: (t.retrofits.heating.heat_ratio_max if t.retrofits and t.retrofits.heating else 0.0)
        for c, t in techs.items()
    }
    m.chp_heat_max = pyo.Constraint(
        chp, rule=lambda _m, c, z, p, t: h[c, z, p, t] <= ratio[c] * g["chp", c, z, p, t]
    )

    def equiv(c: str, z: str, p: int, t: int) -> Any:
        """Condensing-equivalent output of the cluster: sum_j g + loss * h."""
        return sum(g[j, c, z, p, t] + heat_term(j, c, z, p, t) for j in parts_of(techs[c]))

    m.non_es_min = pyo.Constraint(
        es_items, rule=lambda _m, c, z, p, t: rest[c, z, p, t] >= equiv(c, z, p, t) - ins["es", c, z, p]
    )
    _heat(ctx, m, chp)
    # --- balance, costs, fuel ---
    for c, z in items:
        t_ = techs[c]
        fuel, co2, coal = marginal(ctx, t_, f"technologies.{c}")
        hr = ctx.pp(t_.heat_rate, f"technologies.{c}.heat_rate") * HEAT_RATE  # tce/MWh
        dhr = (
            t_.retrofits.energy_saving.heat_rate_reduction * HEAT_RATE
            if t_.retrofits and t_.retrofits.energy_saving
            else 0.0
        )
        price = fuel / np.where(hr > 0, hr, 1.0)  # CNY/tce
        f_per_t = co2 / np.where(hr > 0, hr, 1.0)  # tCO2/tce
        c_per_t = coal / np.where(hr > 0, hr, 1.0)
        for jp, p in enumerate(P):
            out = sum(ctx.annual(g, (j, c, z, p)) for j in parts_of(t_))  # GWh/yr
            eq = out + (loss[c] * ctx.annual(h, (c, z, p)) if "chp" in parts_of(t_) else 0.0)
            saved = dhr * (eq - ctx.annual(rest, (c, z, p))) if ("es", c, z) in has else 0.0
            tce = float(hr[jp]) * eq - saved  # GWh * tce/MWh = ktce
            for j in parts_of(t_):
                ctx.add_balance(z, p, 1.0, g, (j, c, z, p))
            ctx.capacity[(c, z, p)] = cap[c, z, p]
            ctx.generation[(c, z, p)] = out
            ctx.add_cost("fuel", p, float(price[jp]) * PER_MWH * tce)
            if t_.vom:
                ctx.add_cost("variable_om", p, t_.vom * PER_MWH * out)
            ctx.emissions[p] += float(f_per_t[jp]) * MW * tce
            ctx.coal[p] += float(c_per_t[jp]) * MW * tce
            if t_.commitment is not None and t_.commitment.enabled and t_.commitment.startup_cost:
                starts = sum(ctx.annual(su, (j, c, z, p)) for j in parts_of(t_))
                ctx.add_cost("startup", p, t_.commitment.startup_cost * PER_MWH * starts)
    ctx.info["th"] = items
    ctx.info["th_parts"] = parts


def _heat(ctx: Ctx, m: pyo.ConcreteModel, chp: list[tuple[str, str, int, int]]) -> None:
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
