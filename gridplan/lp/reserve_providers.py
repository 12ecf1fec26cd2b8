"""Who may hold operating reserve (旋转备用) and how much: each provider's limits (lp/reserves.py).

A limit is a row  sum_{r in R_i} a_r * res[r,i,p,t] <= rhs[i,p,t]  over the requirements R_i of
one direction that provider i serves (distinct products share its headroom); rhs >= 0 at every
feasible point of the other families' rows, so a provider with one limit serving one requirement
holds exactly rhs / a_r and needs neither a variable nor a row. The headrooms are the slacks of
the rows that bound the provider's output (read through the model, not rebuilt):

    thermal part, committed (lp/thermal.py)     up:   u - g - loss h            (slack of out_max)
                                                down: th_above = g - min u      (out_min)
                                                      g - (lo_b u - (lo_b - lo_f) Kf)   (out_min_stack)
                                                      (ratio g - h) / ratio     (chp_heat_max)
        both, when ramp * response < 1 - min:   sum_r res / response_r <= ramp u          (reserve_ramp)
                                                ... <= r_b u + (r_f - r_b) Kf            (reserve_ramp_stack)
    generator (lp/generators.py)                up:   avail cap - gen or cap - gen  (gen_avail, gen_max)
                                                down: gen - floor cap or gen    (gen_min)
    storage (lp/storage.py)                     up:   cap - discharge + charge;  sum_r d_r res <= eff_d soc
                                                down: cap - charge + discharge;  sum_r d_r eff_c res <= ecap - soc
    demand response (lp/demand.py)              up:   dr_cap - dr_down (dr_max); the load acted on (reserve_dr_load)

For linked storage soc is relative to its block: the absolute state at step t of original period i
is decay * soc_inter[i] + soc[t], bounded below by res_soc_floor[b(t)] + soc[t] and above by
res_soc_ceiling[b(t)] + soc[t] (reserve_soc_floor, reserve_soc_ceiling rows, one per original period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case.schema import Reserve
from gridplan.kinds import tech_kind
from gridplan.lp.evaluate import evaluate
from gridplan.lp.terms import Ctx
from gridplan.lp.thermal import flex_params, part_params
from gridplan.timesteps import period_hours

Expr = Callable[[int, int], Any]  # (period, step) -> linear expression [GW or GWh]


@dataclass
class Limit:
    """sum_r coef(r) * res[r] <= rhs(p, t): one row of a provider (module docstring)."""

    row: str  # the constraint it becomes: reserve_output, reserve_ramp, ...
    rhs: Expr
    coef: Callable[[Reserve], float] = lambda _r: 1.0


@dataclass
class Provider:
    """A resource in one zone (a thermal cluster's part, a generator, storage, demand response)."""

    name: str  # technology, storage or demand-response name
    kind: str  # "technology", "storage" or "demand_response"
    zone: str
    part: str = ""  # thermal part (base, chp), else ""
    limits: dict[str, list[Limit]] = field(default_factory=dict)  # by direction
    default: dict[str, bool] = field(default_factory=dict)  # a provider when `providers` is None
    grouped: bool = False  # shares a row with others (reserve_dr_load): always a variable

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}:{self.zone}" + (f":{self.part}" if self.part else "")


def slack(con: Any) -> Any:
    """The slack of a one-sided row, >= 0 when it holds: upper - body or body - lower."""
    return con.upper - con.body if con.has_ub() else con.body - con.lower


def slack_value(con: Any) -> float:
    """The value of slack(con) at the solution, without building its expression (read-back):
    ub - body or body - lb, as Pyomo's uslack() and lslack()."""
    body = evaluate(con.body)
    return float(con.ub - body if con.has_ub() else body - con.lb)


def _row_or(comp: Any, key: tuple[Any, ...], fallback: Any) -> Any:
    return slack(comp[key]) if key in comp else fallback


def _slack_at(m: pyo.ConcreteModel, row: str, key: tuple[Any, ...], p: int, t: int) -> Any:
    """The slack of row[key + (p, t)]."""
    return slack(m.component(row)[(*key, p, t)])


def _floor_at(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    """Output above the part's minimum: th_above = th_gen - min u, or the slack of the row out_min
    (g - u) where min = 1."""
    return _row_or(m.out_min, (*key, p, t), m.th_above[(*key, p, t)])


def _chp_at(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    """ratio g - h: the slack of chp_heat_max of the cluster of part key = (chp, c, z)."""
    return slack(m.chp_heat_max[key[1], key[2], p, t])


def _ramp_at(m: pyo.ConcreteModel, key: tuple[Any, ...], r: float, p: int, t: int) -> Any:
    return r * m.th_commit[(*key, p, t)]


def _ramp_stack_at(m: pyo.ConcreteModel, key: tuple[Any, ...], rb: float, rf: float, p: int, t: int) -> Any:
    return rb * m.th_commit[(*key, p, t)] + (rf - rb) * m.retro_inserv["flex", key[1], key[2], p]


def _constant(a: float, _r: Reserve) -> float:
    return a


def thermal_providers(ctx: Ctx, m: pyo.ConcreteModel, response: float) -> list[Provider]:
    """The parts of the thermal clusters: committed ones by default; ramp rows when the ramp
    delivered within `response` hours (the shortest of the requirements) is below the headroom."""
    techs = ctx.inputs.scenario.technologies
    out: list[Provider] = []
    for j, c, z in ctx.info.get("th_parts", []):
        t_, key = techs[c], (j, c, z)
        committed = (*key, ctx.periods[0], 0) in m.th_commit
        heating = t_.retrofits.heating if t_.retrofits else None
        ratio = heating.heat_ratio_max if j == "chp" and heating is not None else 0.0
        pv = Provider(c, "technology", z, j, default={"up": committed, "down": committed})
        pv.limits = {
            "up": [Limit("reserve_output", partial(_slack_at, m, "out_max", key))],
            "down": [Limit("reserve_output", partial(_floor_at, m, key))],
        }
        if (*key, ctx.periods[0], 0) in m.out_min_stack:
            pv.limits["down"].append(Limit("reserve_min_stack", partial(_slack_at, m, "out_min_stack", key)))
        if ratio > 0:
            pv.limits["down"].append(
                Limit("reserve_chp", partial(_chp_at, m, key), partial(_constant, ratio))
            )
        if committed:
            lo_b, r_b = part_params(t_, j)
            fp = flex_params(t_) if j == "base" else None
            lo, r = fp if fp is not None else (lo_b, r_b)
            if r * response < 1 - lo or (fp is not None and r_b * response < 1 - lo_b):
                rate = [Limit("reserve_ramp", partial(_ramp_at, m, key, r), _per_response)]
                if fp is not None:
                    rate.append(
                        Limit("reserve_ramp_stack", partial(_ramp_stack_at, m, key, r_b, r), _per_response)
                    )
                pv.limits["up"] += rate
                pv.limits["down"] += rate
        out.append(pv)
    return out


def _per_response(r: Reserve) -> float:
    """A MW of reserve delivered within response_time hours uses 1/response_time MW/h of ramp."""
    return 1.0 / r.response_time


def generator_providers(ctx: Ctx, m: pyo.ConcreteModel) -> list[Provider]:
    """Generators of lp/generators.py: hydro by default; others (wind, solar, thermal without
    commitment) only when named. Up: the slack of gen_avail or gen_max; down: of gen_min, or gen."""
    techs = ctx.inputs.scenario.technologies
    out: list[Provider] = []
    for g, z in ctx.info.get("gen", []):
        key = (g, z)
        limit = "gen_avail" if (*key, ctx.periods[0], 0) in m.gen_avail else "gen_max"
        hydro = tech_kind(techs[g].kind).energy_budget
        pv = Provider(g, "technology", z, default={"up": hydro, "down": hydro})
        pv.limits = {
            "up": [Limit("reserve_output", partial(_slack_at, m, limit, key))],
            "down": [Limit("reserve_output", partial(_gen_floor_at, m, key))],
        }
        out.append(pv)
    return out


def _gen_floor_at(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    return _row_or(m.gen_min, (*key, p, t), m.gen[(*key, p, t)])


def _up_power(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    """cap - discharge + charge."""
    return slack(m.sto_discharge_max[(*key, p, t)]) + m.charge[(*key, p, t)]


def _down_power(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    """cap - charge + discharge."""
    return slack(m.sto_charge_max[(*key, p, t)]) + m.discharge[(*key, p, t)]


def _stored(m: pyo.ConcreteModel, key: tuple[Any, ...], eff: float, block: int | None, p: int, t: int) -> Any:
    """eff_d * (soc + res_soc_floor of the block, linked storage only) [GWh]."""
    base = m.res_soc_floor[(*key, p, block)] if block is not None else 0.0
    return eff * (m.soc[(*key, p, t)] + base)


def _room(m: pyo.ConcreteModel, key: tuple[Any, ...], block: int | None, p: int, t: int) -> Any:
    """ecap - soc - res_soc_ceiling of the block (linked storage only) [GWh]."""
    top = m.res_soc_ceiling[(*key, p, block)] if block is not None else 0.0
    return m.sto_energy_cap[(*key, p)] - m.soc[(*key, p, t)] - top


def _duration(r: Reserve) -> float:
    return r.duration


def _duration_charged(eff: float, r: Reserve) -> float:
    return r.duration * eff


class _PerStep:
    """rhs(p, t) of a storage energy limit, with the block of step t for linked storage."""

    def __init__(
        self,
        f: Callable[..., Any],
        m: pyo.ConcreteModel,
        key: tuple[Any, ...],
        *args: Any,
        linked: bool,
        block: np.ndarray,
    ):
        self.f, self.m, self.key, self.args, self.linked, self.block = f, m, key, args, linked, block

    def __call__(self, p: int, t: int) -> Any:
        b = int(self.block[t]) if self.linked else None
        return self.f(self.m, self.key, *self.args, b, p, t)


def storage_providers(ctx: Ctx, m: pyo.ConcreteModel) -> list[Provider]:
    """Storage: power headroom (stopping a charge counts) and the energy to sustain the reserve
    for `duration` hours; linked storage through res_soc_floor / res_soc_ceiling (add_soc_bounds)."""
    s = ctx.inputs.scenario.storage
    linked = set(ctx.info.get("linked", []))
    block = np.asarray(ctx.time.block)
    out: list[Provider] = []
    for n, z in ctx.info.get("sto", []):
        u, key = s[n], (n, z)
        lk = key in linked
        pv = Provider(n, "storage", z, default={"up": True, "down": True})
        pv.limits = {
            "up": [
                Limit("reserve_output", partial(_up_power, m, key)),
                Limit(
                    "reserve_sto_energy",
                    _PerStep(_stored, m, key, u.eff_discharge, linked=lk, block=block),
                    _duration,
                ),
            ],
            "down": [
                Limit("reserve_output", partial(_down_power, m, key)),
                Limit(
                    "reserve_sto_energy",
                    _PerStep(_room, m, key, linked=lk, block=block),
                    partial(_duration_charged, u.eff_charge),
                ),
            ],
        }
        out.append(pv)
    return out


def add_soc_bounds(ctx: Ctx, m: pyo.ConcreteModel, serving: dict[str, list[tuple[str, str]]]) -> None:
    """res_soc_floor[b] <= decay_i soc_inter[i] (up) and res_soc_ceiling[b] >= soc_inter[i] (down)
    for every original period i represented by block b, for the linked storage `serving` a
    requirement of that direction (reserve_soc_floor, reserve_soc_ceiling): so floor + soc[t] <=
    absolute state <= ceiling + soc[t] in every original period of the block."""
    order = [int(b) for b in ctx.time.order]
    hours = period_hours(ctx.time) if any(serving.values()) else np.zeros(0)
    P, blocks = ctx.periods, range(ctx.time.n_blocks)
    store = ctx.inputs.scenario.storage
    up, down = serving.get("up", []), serving.get("down", [])
    m.res_soc_floor = pyo.Var(
        [(n, z, p, b) for n, z in up for p in P for b in blocks], domain=pyo.NonNegativeReals
    )
    m.res_soc_ceiling = pyo.Var(
        [(n, z, p, b) for n, z in down for p in P for b in blocks], domain=pyo.NonNegativeReals
    )
    lo, hi = m.res_soc_floor, m.res_soc_ceiling
    N = range(len(order)) if any(serving.values()) else range(0)
    m.reserve_soc_floor = pyo.Constraint(
        [(n, z, p, i) for n, z in up for p in P for i in N],
        rule=lambda _m, n, z, p, i: (
            lo[n, z, p, order[i]]
            <= float((1.0 - store[n].self_discharge) ** hours[i]) * m.soc_inter[n, z, p, i]
        ),
    )
    m.reserve_soc_ceiling = pyo.Constraint(
        [(n, z, p, i) for n, z in down for p in P for i in N],
        rule=lambda _m, n, z, p, i: hi[n, z, p, order[i]] >= m.soc_inter[n, z, p, i],
    )


def _dr_headroom(m: pyo.ConcreteModel, key: tuple[Any, ...], p: int, t: int) -> Any:
    return slack(m.dr_max[(*key, p, t)])


def demand_providers(ctx: Ctx, m: pyo.ConcreteModel) -> list[Provider]:
    """Demand response: up reserve from its contracted capacity not already called (dr_max's slack)."""
    out: list[Provider] = []
    for d, z in ctx.info.get("dr", []):
        pv = Provider(d, "demand_response", z, default={"up": True, "down": False})
        pv.limits = {"up": [Limit("reserve_output", partial(_dr_headroom, m, (d, z)))]}
        out.append(pv)
    return out


def all_providers(ctx: Ctx, m: pyo.ConcreteModel, reserves: dict[str, Reserve]) -> list[Provider]:
    """Every resource that could hold reserve, with its limits in each direction."""
    response = min((r.response_time for r in reserves.values()), default=1.0)
    return [
        *thermal_providers(ctx, m, response),
        *generator_providers(ctx, m),
        *storage_providers(ctx, m),
        *demand_providers(ctx, m),
    ]
