"""The planning reserve margin (规划备用率, 顶峰能力): firm capacity against the exogenous peak.

For each enabled `reserve_margin` target k and period p with a margin m[p] (zone Z, or all):

    firm[k,n,z,p] = credit[k,n,p] * cap[n,z,p]      technologies, DR, import channels, and storage
                                                      with storage_hours None (ctx.capacity)
    margin_storage[k,s,z,p] <= credit[k,s,p] * sto_cap[s,z,p]                (margin_storage_power)
    margin_storage[k,s,z,p] <= eff_discharge[s] * sto_energy_cap[s,z,p] / h[k]  (margin_storage_energy)
    sum_{n,z in Z} firm + sum_{s,z in Z} margin_storage >= (1 + m[p]) * peak[p,Z]   (target row)

cap is the capacity in service of lp/investment.py's fleets (existing + new builds alive), as every
family writes it into ctx.capacity. peak[p,Z] is the maximum over the 8,760 hours of the period's
full-year demand input (base load and every component, before demand response), a number: the
row's right-hand side does not depend on any LP variable. Demand response counts on the supply
side only, by its credit times its contracted capacity. Its shadow price, dual / W[p] / 1e3, is in
CNY/kW-yr of firm capacity (lp/policies.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case.margin import resource_credits, resources
from gridplan.case.values import period_values
from gridplan.lp.family import Family, Readback, value
from gridplan.lp.policies import Row, TargetSpec, builds, peak_load
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW

KIND = "reserve_margin"
# ctx.info["margin"]: target -> period -> resource -> (firm expression [GW], its zone)
Firm = dict[str, dict[int, dict[tuple[str, str], Any]]]


def margin_targets(ctx: Ctx) -> dict[str, Any]:
    """The enabled reserve_margin targets of the case."""
    return {n: tg for n, tg in ctx.inputs.scenario.targets.items() if tg.enabled and tg.kind == KIND}


def add_margin(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """margin_storage and its two rows, and the firm capacity of every credited resource (module
    docstring); empty components when the case has no reserve_margin target."""
    s = ctx.inputs.scenario
    P = ctx.periods
    firm: Firm = {}
    sto_idx: list[tuple[str, str, str, int]] = []
    bound: dict[tuple[str, str, str, int], tuple[float, float]] = {}
    for name, tg in margin_targets(ctx).items():
        credit = resource_credits(s, tg, P)
        lo = period_values(tg.min, P)
        firm[name] = {}
        for j, p in enumerate(P):
            if lo is None or np.isnan(lo[j]):
                continue
            here = firm[name][p] = {}
            for (n, z, q), cap in ctx.capacity.items():
                c = float(np.nan_to_num(credit[n][j])) if n in credit else 0.0
                if q != p or c <= 0 or (tg.zone is not None and z != tg.zone):
                    continue
                if n in s.storage and tg.storage_hours is not None:
                    sto_idx.append((name, n, z, p))
                    bound[name, n, z, p] = (c, s.storage[n].eff_discharge / tg.storage_hours)
                else:
                    here[(n, z)] = c * cap
    m.margin_storage = pyo.Var(sto_idx, domain=pyo.NonNegativeReals)
    ms = m.margin_storage
    m.margin_storage_power = pyo.Constraint(
        sto_idx, rule=lambda _m, k, n, z, p: ms[k, n, z, p] <= bound[k, n, z, p][0] * m.sto_cap[n, z, p]
    )
    m.margin_storage_energy = pyo.Constraint(
        sto_idx,
        rule=lambda _m, k, n, z, p: ms[k, n, z, p] <= bound[k, n, z, p][1] * m.sto_energy_cap[n, z, p],
    )
    for k, n, z, p in sto_idx:
        firm[k][p][(n, z)] = ms[k, n, z, p]
    ctx.info["margin"] = firm
    ctx.info["margin_storage"] = bound


@builds(KIND)
def reserve_margin_rows(t: TargetSpec) -> list[Row]:
    """sum firm[n,z,p] >= (1 + margin[p]) * peak[p] [GW] (module docstring); min only."""
    firm: Firm = t.ctx.info["margin"]
    rows: list[Row] = []
    for p, sense, v in t.bounds():
        if sense != ">=":
            continue
        lhs = sum(firm[t.name][p].values())
        rhs = (1.0 + v) * peak_load(t.ctx, p, t.tg.zone)

        def achieved(p: int = p) -> float:
            return sum(firm_value(t.ctx, t.m, t.name, n, z, p) for n, z in firm[t.name][p]) / GW

        rows.append(t.row(p, ">=", lhs, rhs, share=v, achieved=achieved))
    return rows


def firm_value(ctx: Ctx, m: pyo.ConcreteModel, name: str, n: str, z: str, p: int) -> float:
    """Firm capacity [MW] of one resource as solved: credit x capacity, for storage with
    storage_hours the lesser of credit x power and eff_discharge x energy / hours (the variable
    margin_storage may sit below it where the margin does not bind)."""
    key = (name, n, z, p)
    bound = ctx.info["margin_storage"]
    if key in bound:
        c, per_h = bound[key]
        return min(c * value(m.sto_cap[n, z, p]), per_h * value(m.sto_energy_cap[n, z, p])) * GW
    return value(ctx.info["margin"][name][p][(n, z)]) * GW


def read_margin(rb: Readback) -> None:
    """Firm capacity by resource [MW], the stated credits [p.u.], the peak load and the requirement
    [MW] of each reserve_margin target and period (nothing when the case has none)."""
    ctx, ds = rb.ctx, rb.ds
    firm: Firm = ctx.info.get("margin", {})
    if not firm:
        return
    s, P = ctx.inputs.scenario, ctx.periods
    names = list(firm)
    res = [r for r in resources(s) if any(r in resource_credits(s, s.targets[k], P) for k in names)]
    shape = (len(names), len(P), len(res))
    fc, cr = np.full(shape, np.nan), np.full(shape, np.nan)
    peak, req = np.full(shape[:2], np.nan), np.full(shape[:2], np.nan)
    for i, k in enumerate(names):
        tg = s.targets[k]
        credit = resource_credits(s, tg, P)
        lo = period_values(tg.min, P)
        for j, p in enumerate(P):
            if p not in firm[k]:
                continue
            peak[i, j] = peak_load(ctx, p, tg.zone) * GW
            req[i, j] = (1.0 + float(lo[j])) * peak[i, j] if lo is not None else np.nan
            fc[i, j] = 0.0
            for r, c in credit.items():
                cr[i, j, res.index(r)] = float(np.nan_to_num(c[j]))
            for n, z in firm[k][p]:
                fc[i, j, res.index(n)] += firm_value(ctx, rb.m, k, n, z, p)
    ds.coords["reserve_margin"] = names
    ds.coords["resource"] = res
    ds["reserve_margin_zone"] = ("reserve_margin", [s.targets[k].zone or "" for k in names])
    dims = ("reserve_margin", "period", "resource")
    ds["firm_capacity"] = (
        dims,
        fc,
        {
            "units": "MW",
            "long_name": "firm capacity counted by the reserve margin: credit x capacity in service",
        },
    )
    ds["capacity_credit"] = (
        dims,
        cr,
        {"units": "1", "long_name": "stated capacity credit (p.u. of capacity)"},
    )
    ds["firm_peak_load"] = (
        dims[:2],
        peak,
        {"units": "MW", "long_name": "peak of the full-year demand input, before demand response"},
    )
    ds["firm_requirement"] = (
        dims[:2],
        req,
        {"units": "MW", "long_name": "(1 + margin) x peak load: the firm capacity required"},
    )


MARGIN = Family(
    "reserve_margin",
    add_margin,
    ("margin_storage", "margin_storage_power", "margin_storage_energy"),
    read_margin,
)
