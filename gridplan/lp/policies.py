"""Plan targets: one named constraint per target and period (constraint `target`).

Each target is written in internal units so that its dual, divided by the period's
objective weight W[p], is the shadow price in user units:
    capacity       sum cap[n,z,p] >= min (<= max)            [GW]     -> CNY/kW-yr
    peak_response  sum dr_cap[d,z,p] >= min * peak_load[p]  [GW]     -> CNY/kW-yr
    *_share        num[p] - share * den[p] >= 0 (<= 0)      [TWh/yr] -> CNY/MWh
    co2_cap        emissions[p] <= max                       [Mt/yr]  -> CNY/tCO2
    co2_peak       emissions[p] <= emissions[peak period]    [Mt/yr]  -> CNY/tCO2
    coal_cap       coal[p] <= max                            [Mtce/yr]-> CNY/tce
Soft targets get a slack >= 0 on the lenient side costing W[p] * penalty * slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.config import Fuel, Target
from gridplan.errors import Problem
from gridplan.lp.network import TWH
from gridplan.lp.terms import MW, Ctx

_NOT_COAL = Fuel(coal=False)

# kind -> (unit of required/achieved values, unit of the shadow price, user units per internal unit)
UNITS: dict[str, tuple[str, str, float]] = {
    "capacity": ("MW", "CNY/kW-yr", 1e3),
    "peak_response": ("MW", "CNY/kW-yr", 1e3),
    "non_fossil_share": ("share", "CNY/MWh", 1.0),
    "coal_share": ("share", "CNY/MWh", 1.0),
    "import_renewable_share": ("share", "CNY/MWh", 1.0),
    "co2_cap": ("tCO2", "CNY/tCO2", 1e6),
    "co2_peak": ("tCO2", "CNY/tCO2", 1e6),
    "coal_cap": ("tce", "CNY/tce", 1e6),
}


@dataclass
class Row:
    """One target in one period, as the results report it."""

    target: str
    kind: str
    period: int
    sense: str  # ">=" or "<="
    lhs: Any  # internal units
    rhs: Any  # internal units (expression for shares and peaks)
    den: Any = None  # share denominator, for the achieved ratio
    share: float | None = None
    soft: bool = False
    penalty: float = 0.0


def members(ctx: Ctx, names: list[str]) -> set[str]:
    """Technologies, storage, DR or channels named directly or through a group."""
    s = ctx.inputs.scenario
    units: dict[str, list[str]] = {
        **{n: t.groups for n, t in s.technologies.items()},
        **{n: t.groups for n, t in s.storage.items()},
    }
    out = {n for n in names if n in units or n in s.demand_response or n in s.imports}
    out |= {n for n, groups in units.items() if set(groups) & set(names)}
    return out


def _capacity_sum(ctx: Ctx, names: set[str], zone: str | None, p: int) -> Any:
    return sum(
        v for (n, z, q), v in ctx.capacity.items() if q == p and n in names and (zone is None or z == zone)
    )


def _gen_sum(ctx: Ctx, names: set[str] | None, zone: str | None, p: int) -> Any:
    return TWH * sum(
        v
        for (n, z, q), v in ctx.generation.items()
        if q == p and (names is None or n in names) and (zone is None or z == zone)
    )


def is_fossil(ctx: Ctx, tech: str) -> bool:
    s = ctx.inputs.scenario
    t = s.technologies.get(tech)
    return t is not None and t.fuel is not None and s.fuels[t.fuel].fossil


def peak_load(ctx: Ctx, p: int, zone: str | None) -> float:
    """Peak of the full-year hourly load [GW] (before any time reduction)."""
    df = ctx.inputs.load[p]
    return float((df[zone] if zone else df.sum(axis=1)).max()) * MW


def target_values(value: Any, periods: list[int]) -> np.ndarray | None:
    """A target bound by period: a scalar applies to every period, a mapping only to the periods
    it names (NaN elsewhere: no target in that period)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return np.array([float(value[p]) if p in value else np.nan for p in periods])
    return np.full(len(periods), float(value))


def target_rows(ctx: Ctx, m: pyo.ConcreteModel, name: str, tg: Target) -> list[Row]:
    """The rows of one target, in internal units."""
    s = ctx.inputs.scenario
    soft = tg.soft if tg.soft is not None else s.targets_mode == "soft"
    pen = tg.penalty if tg.penalty is not None else s.soft_penalty
    rows: list[Row] = []
    bounds = {b: target_values(getattr(tg, b), ctx.periods) for b in ("min", "max")}
    gens = set(ctx.inputs.scenario.technologies)
    for j, p in enumerate(ctx.periods):
        for b, sense in (("min", ">="), ("max", "<=")):
            vals = bounds[b]
            if vals is None or np.isnan(vals[j]) or tg.kind == "co2_peak":
                continue
            v = float(vals[j])
            k = tg.kind
            row = Row(name, k, p, sense, None, None, soft=soft, penalty=pen)
            if k == "capacity":
                row.lhs, row.rhs = _capacity_sum(ctx, members(ctx, tg.technologies), tg.zone, p), v * MW
            elif k == "peak_response":
                drs = members(ctx, tg.technologies) if tg.technologies else set(s.demand_response)
                row.lhs = _capacity_sum(ctx, drs, tg.zone, p)
                row.rhs, row.share = v * peak_load(ctx, p, tg.zone), v
            elif k == "co2_cap":
                row.lhs, row.rhs = ctx.emissions[p], v * 1e-6
            elif k == "coal_cap":
                row.lhs, row.rhs = ctx.coal[p], v * 1e-6
            else:
                row.lhs, row.den = share_terms(ctx, m, tg, p, gens)
                row.share, row.rhs = v, 0.0
            rows.append(row)
        if tg.kind == "co2_peak" and tg.peak_year is not None and p > tg.peak_year:
            rows.append(
                Row(
                    name,
                    "co2_peak",
                    p,
                    "<=",
                    ctx.emissions[p],
                    ctx.emissions[tg.peak_year],
                    soft=soft,
                    penalty=pen,
                )
            )
    return rows


def share_terms(ctx: Ctx, m: pyo.ConcreteModel, tg: Target, p: int, gens: set[str]) -> tuple[Any, Any]:
    """Numerator and denominator [TWh/yr] of a share target."""
    s = ctx.inputs.scenario
    if tg.kind == "import_renewable_share":
        chans = (
            members(ctx, tg.technologies) if tg.technologies else {c for c, ch in s.imports.items() if ch.new}
        )
        num = TWH * sum(ctx.annual(m.imp_re, (c, p)) for c in chans)
        return num, num + TWH * sum(ctx.annual(m.imp_oth, (c, p)) for c in chans)
    total = _gen_sum(ctx, None, tg.zone, p)
    if tg.kind == "coal_share":
        coal = {n for n in gens if s.fuels.get(s.technologies[n].fuel or "", _NOT_COAL).coal}
        return _gen_sum(ctx, coal, tg.zone, p), total
    clean = members(ctx, tg.technologies) if tg.technologies else {n for n in gens if not is_fossil(ctx, n)}
    num = _gen_sum(ctx, clean, tg.zone, p)
    if tg.basis == "consumption":
        local = [c for c, ch in s.imports.items() if tg.zone is None or ch.zone == tg.zone]
        num = num + TWH * sum(ctx.annual(m.imp_re, (c, p)) for c in local)
        total = total + TWH * sum(ctx.annual(m.imp_re, (c, p)) + ctx.annual(m.imp_oth, (c, p)) for c in local)
    return num, total


def add_policies(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    rows = [
        r for n, tg in ctx.inputs.scenario.targets.items() if tg.enabled for r in target_rows(ctx, m, n, tg)
    ]
    keys = [(r.target, r.period, r.sense) for r in rows]
    soft = [k for k, r in zip(keys, rows, strict=True) if r.soft]
    m.target_slack = pyo.Var(soft, domain=pyo.NonNegativeReals)
    by_key = dict(zip(keys, rows, strict=True))

    def rule(_m: pyo.ConcreteModel, name: str, p: int, sense: str) -> Any:
        r = by_key[name, p, sense]
        body = r.lhs - r.share * r.den if r.den is not None else r.lhs - r.rhs
        if r.soft:
            body = body + (1 if sense == ">=" else -1) * m.target_slack[name, p, sense]
        if isinstance(body, int | float):  # nothing counted: a constant row
            if body < -1e-12 if sense == ">=" else body > 1e-12:
                ctx.problems.append(
                    Problem(
                        ctx.file,
                        f"targets.{name}",
                        message=(
                            f"cannot be met in {p}: nothing it counts can exist (no capacity, "
                            "potential or generation of the named technologies)"
                        ),
                    )
                )
            return pyo.Constraint.Skip
        return body >= 0 if sense == ">=" else body <= 0

    m.target = pyo.Constraint(keys, rule=rule)
    for k in soft:
        r = by_key[k]
        ctx.add_cost("target_penalty", r.period, r.penalty * m.target_slack[k])
    ctx.info["targets"] = rows
