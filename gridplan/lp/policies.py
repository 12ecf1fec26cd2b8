"""Plan targets: one named constraint per target row and period (constraint `target`).

Each target is written in internal units so that its dual, divided by the period's
objective weight W[p], is the shadow price in user units:
    capacity       sum cap[n,z,p] >= min (<= max)            [GW]      -> CNY/kW-yr
    peak_response  sum dr_cap[d,z,p] >= min * peak_load[p]  [GW]      -> CNY/kW-yr
    *_share        num[p] - share * den[p] >= 0 (<= 0)      [TWh/yr]  -> CNY/MWh
                   import_renewable_share: one row per channel (den = the channel's energy)
    non_fossil_primary_share
                   ce[p] * nonfossil_TWh[p] + other[p] - share * total[p] >= 0   [Mtce/yr] -> CNY/tce
    co2_cap        emissions[p] <= max                       [Mt/yr]   -> CNY/tCO2
    co2_peak       emissions[p] <= level[p]                  [Mt/yr]   -> CNY/tCO2   (level rows)
                   emissions[p] - emissions[prev(p)] <= 0 for p > peak_year, prev(p) >= peak_year
                                                             (row label <name>.no_rise)
    coal_cap       coal[p] <= max                            [Mtce/yr] -> CNY/tce
Soft targets get a slack >= 0 on the lenient side costing W[p] * penalty * slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.config import Fuel, Target
from gridplan.errors import Problem
from gridplan.lp.terms import Ctx
from gridplan.lp.units import HEAT_RATE, MW, T_TO_MT, TWH

_NOT_COAL = Fuel(coal=False)
NO_RISE = "no_rise"  # label suffix of the co2_peak rows "emissions never rise after the peak"


@dataclass
class Row:
    """One target row in one period, as the results report it."""

    target: str  # the scenario's target name
    kind: str
    period: int
    sense: str  # ">=" or "<="
    lhs: Any  # internal units
    rhs: Any  # internal units (expression for shares and peaks)
    den: Any = None  # share denominator, for the achieved ratio
    share: float | None = None
    soft: bool = False
    penalty: float = 0.0
    label: str = ""  # the row's name in the results: the target, or target.channel, target.no_rise
    ref_period: int | None = None  # co2_peak no-rise rows: the period whose emissions bound this one

    def __post_init__(self) -> None:
        self.label = self.label or self.target


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


def peak_level(tg: Target, periods: list[int]) -> np.ndarray | None:
    """The stated peak level of a co2_peak target [tCO2/yr] by period: `max`, or
    base_level * (1 + max_growth); None when the target states no level."""
    if tg.max is not None:
        return target_values(tg.max, periods)
    if tg.base_level is not None:
        return np.full(len(periods), tg.base_level * (1.0 + (tg.max_growth or 0.0)))
    return None


def target_rows(ctx: Ctx, m: pyo.ConcreteModel, name: str, tg: Target) -> list[Row]:
    """The rows of one target, in internal units."""
    s = ctx.inputs.scenario
    soft = tg.soft if tg.soft is not None else s.targets_mode == "soft"
    pen = tg.penalty if tg.penalty is not None else s.soft_penalty

    def row(p: int, sense: str, lhs: Any, rhs: Any, **kw: Any) -> Row:
        return Row(name, tg.kind, p, sense, lhs, rhs, soft=soft, penalty=pen, **kw)

    if tg.kind == "co2_peak":
        return _peak_rows(ctx, name, tg, row)
    if tg.kind == "import_renewable_share":
        return _import_rows(ctx, m, name, tg, row)
    rows: list[Row] = []
    bounds = {b: target_values(getattr(tg, b), ctx.periods) for b in ("min", "max")}
    gens = set(s.technologies)
    for j, p in enumerate(ctx.periods):
        for b, sense in (("min", ">="), ("max", "<=")):
            vals = bounds[b]
            if vals is None or np.isnan(vals[j]):
                continue
            v = float(vals[j])
            k = tg.kind
            if k == "capacity":
                rows.append(
                    row(p, sense, _capacity_sum(ctx, members(ctx, tg.technologies), tg.zone, p), v * MW)
                )
            elif k == "peak_response":
                drs = members(ctx, tg.technologies) if tg.technologies else set(s.demand_response)
                rows.append(
                    row(
                        p, sense, _capacity_sum(ctx, drs, tg.zone, p), v * peak_load(ctx, p, tg.zone), share=v
                    )
                )
            elif k == "co2_cap":
                rows.append(row(p, sense, ctx.emissions[p], v * T_TO_MT))
            elif k == "coal_cap":
                rows.append(row(p, sense, ctx.coal[p], v * T_TO_MT))
            elif k == "non_fossil_primary_share":
                num, total = primary_terms(ctx, m, name, tg, p)
                rows.append(row(p, sense, num, 0.0, den=total, share=v))
            else:
                num, den = share_terms(ctx, m, tg, p, gens)
                rows.append(row(p, sense, num, 0.0, den=den, share=v))
    return rows


def _peak_rows(ctx: Ctx, name: str, tg: Target, row: Any) -> list[Row]:
    """co2_peak: emissions[p] <= level[p] in every period with a stated level, and
    emissions[p] <= emissions[prev(p)] for periods after the peak year (model/formulation.md)."""
    rows: list[Row] = []
    level = peak_level(tg, ctx.periods)
    P = ctx.periods
    for j, p in enumerate(P):
        if level is not None and not np.isnan(level[j]):
            rows.append(row(p, "<=", ctx.emissions[p], float(level[j]) * T_TO_MT))
        prev = P[j - 1] if j > 0 else None
        if tg.peak_year is not None and prev is not None and p > tg.peak_year and prev >= tg.peak_year:
            label = f"{name}.{NO_RISE}"
            rows.append(row(p, "<=", ctx.emissions[p], ctx.emissions[prev], label=label, ref_period=prev))
    return rows


def _import_rows(ctx: Ctx, m: pyo.ConcreteModel, name: str, tg: Target, row: Any) -> list[Row]:
    """import_renewable_share: renewable energy >= share of the channel's own energy, one row per
    channel (label <name>.<channel>), or one pooled row over the channels with `pooled`."""
    s = ctx.inputs.scenario
    chans = members(ctx, tg.technologies) if tg.technologies else {c for c, ch in s.imports.items() if ch.new}
    chans = {c for c in chans if c in s.imports}
    groups = [sorted(chans)] if tg.pooled else [[c] for c in sorted(chans)]
    rows: list[Row] = []
    for b, sense in (("min", ">="), ("max", "<=")):
        vals = target_values(getattr(tg, b), ctx.periods)
        if vals is None:
            continue
        for j, p in enumerate(ctx.periods):
            if np.isnan(vals[j]):
                continue
            for group in groups:
                re = TWH * sum(ctx.annual(m.imp_re, (c, p)) for c in group)
                den = re + TWH * sum(ctx.annual(m.imp_oth, (c, p)) for c in group)
                label = name if tg.pooled else f"{name}.{group[0]}"
                rows.append(row(p, sense, re, 0.0, den=den, share=float(vals[j]), label=label))
    return rows


def share_terms(ctx: Ctx, m: pyo.ConcreteModel, tg: Target, p: int, gens: set[str]) -> tuple[Any, Any]:
    """Numerator and denominator [TWh/yr] of a generation or consumption share target."""
    s = ctx.inputs.scenario
    total = _gen_sum(ctx, None, tg.zone, p)
    if tg.kind == "coal_share":
        coal = {n for n in gens if s.fuels.get(s.technologies[n].fuel or "", _NOT_COAL).coal}
        return _gen_sum(ctx, coal, tg.zone, p), total
    num = _gen_sum(ctx, non_fossil(ctx, tg), tg.zone, p)
    if tg.basis == "consumption":
        local = [c for c, ch in s.imports.items() if tg.zone is None or ch.zone == tg.zone]
        num = num + TWH * sum(ctx.annual(m.imp_re, (c, p)) for c in local)
        total = total + TWH * sum(ctx.annual(m.imp_re, (c, p)) + ctx.annual(m.imp_oth, (c, p)) for c in local)
    return num, total


def non_fossil(ctx: Ctx, tg: Target) -> set[str]:
    """The generators a non-fossil target counts: those named, else every one without fossil fuel."""
    gens = set(ctx.inputs.scenario.technologies)
    return members(ctx, tg.technologies) if tg.technologies else {n for n in gens if not is_fossil(ctx, n)}


def primary_terms(ctx: Ctx, m: pyo.ConcreteModel, name: str, tg: Target, p: int) -> tuple[Any, float]:
    """Non-fossil primary energy and stated total energy consumption [Mtce/yr] of one period:
    coal_equivalent [gce/kWh] * (non-fossil generation + renewable imports) [TWh] * 1e-3
    + other_non_fossil [tce] * 1e-6; total_energy [tce] * 1e-6 (发电煤耗法)."""
    s = ctx.inputs.scenario
    j = ctx.periods.index(p)
    ce, other, total = (
        float(ctx.pp(getattr(tg, f), f"targets.{name}.{f}")[j])
        for f in ("coal_equivalent", "other_non_fossil", "total_energy")
    )
    local = [c for c, ch in s.imports.items() if tg.zone is None or ch.zone == tg.zone]
    twh = _gen_sum(ctx, non_fossil(ctx, tg), tg.zone, p) + TWH * sum(
        ctx.annual(m.imp_re, (c, p)) for c in local
    )
    return ce * HEAT_RATE * twh + other * T_TO_MT, total * T_TO_MT


def add_policies(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    rows = [
        r for n, tg in ctx.inputs.scenario.targets.items() if tg.enabled for r in target_rows(ctx, m, n, tg)
    ]
    keys = [(r.label, r.period, r.sense) for r in rows]
    soft = [k for k, r in zip(keys, rows, strict=True) if r.soft]
    m.target_slack = pyo.Var(soft, domain=pyo.NonNegativeReals)
    by_key = dict(zip(keys, rows, strict=True))

    def rule(_m: pyo.ConcreteModel, label: str, p: int, sense: str) -> Any:
        r = by_key[label, p, sense]
        body = r.lhs - r.share * r.den if r.den is not None else r.lhs - r.rhs
        if r.soft:
            body = body + (1 if sense == ">=" else -1) * m.target_slack[label, p, sense]
        if isinstance(body, int | float):  # nothing counted: a constant row
            if body < -1e-12 if sense == ">=" else body > 1e-12:
                ctx.problems.append(
                    Problem(
                        ctx.file,
                        f"targets.{r.target}",
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
