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
    reserve_margin sum credit * cap[n,z,p] >= (1 + min) * peak_load[p]  [GW] -> CNY/kW-yr
                   (its builder and firm capacity: lp/margin.py)
Soft targets get a slack >= 0 on the lenient side costing W[p] * penalty * slack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Target
from gridplan.case.schema import Fuel
from gridplan.case.values import period_values
from gridplan.errors import Problem
from gridplan.kinds import target_kind
from gridplan.lp.family import Family, Readback, value
from gridplan.lp.terms import Ctx
from gridplan.lp.units import HEAT_RATE, MW, T_TO_MT, TWH, per_year

if TYPE_CHECKING:
    from gridplan.solve import Solution

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
    achieved: Callable[[], float] | None = None  # the achieved value [internal] when not value(lhs)

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


def generation_sum(ctx: Ctx, names: set[str] | None, zone: str | None, p: int) -> Any:
    """Annual generation [TWh/yr] of the named technologies (every one when None), in a zone or all."""
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


def peak_level(tg: Target, periods: list[int]) -> np.ndarray | None:
    """The stated peak level of a co2_peak target [tCO2/yr] by period: `max`, or
    base_level * (1 + max_growth); None when the target states no level."""
    if tg.max is not None:
        return period_values(tg.max, periods)
    if tg.base_level is not None:
        return np.full(len(periods), tg.base_level * (1.0 + (tg.max_growth or 0.0)))
    return None


@dataclass
class TargetSpec:
    """One enabled target while its rows are built: the scenario's target and how it is enforced."""

    ctx: Ctx
    m: pyo.ConcreteModel
    name: str
    tg: Target
    soft: bool
    penalty: float

    def row(self, p: int, sense: str, lhs: Any, rhs: Any, **kw: Any) -> Row:
        return Row(self.name, self.tg.kind, p, sense, lhs, rhs, soft=self.soft, penalty=self.penalty, **kw)

    def bounds(self) -> Iterator[tuple[int, str, float]]:
        """(period, sense, stated value) of every min and max the target states, period by period."""
        vals = {b: period_values(getattr(self.tg, b), self.ctx.periods) for b in ("min", "max")}
        for j, p in enumerate(self.ctx.periods):
            for b, sense in (("min", ">="), ("max", "<=")):
                v = vals[b]
                if v is not None and not np.isnan(v[j]):
                    yield p, sense, float(v[j])


# target kind -> the function writing its rows: adding a target kind is one entry in
# gridplan/kinds.py (TARGET_KINDS) and one builder here (tests/test_docs.py checks both agree)
ROW_BUILDERS: dict[str, Callable[[TargetSpec], list[Row]]] = {}


def builds(kind: str) -> Callable[[Callable[[TargetSpec], list[Row]]], Callable[[TargetSpec], list[Row]]]:
    """Register the row builder of target kind `kind` (a registered gridplan.kinds.TargetKind)."""
    target_kind(kind)

    def register(fn: Callable[[TargetSpec], list[Row]]) -> Callable[[TargetSpec], list[Row]]:
        ROW_BUILDERS[kind] = fn
        return fn

    return register


def target_rows(ctx: Ctx, m: pyo.ConcreteModel, name: str, tg: Target) -> list[Row]:
    """The rows of one target, in internal units."""
    s = ctx.inputs.scenario
    soft = tg.soft if tg.soft is not None else s.targets_mode == "soft"
    pen = tg.penalty if tg.penalty is not None else s.soft_penalty
    return ROW_BUILDERS[tg.kind](TargetSpec(ctx, m, name, tg, soft, pen))


@builds("capacity")
def capacity_rows(t: TargetSpec) -> list[Row]:
    """sum cap[n,z,p] >= min (<= max) [GW] over the named technologies, storage, DR or channels."""
    ctx, tg = t.ctx, t.tg
    return [
        t.row(p, sense, _capacity_sum(ctx, members(ctx, tg.technologies), tg.zone, p), v * MW)
        for p, sense, v in t.bounds()
    ]


@builds("peak_response")
def peak_response_rows(t: TargetSpec) -> list[Row]:
    """sum dr_cap[d,z,p] >= min * peak_load[p] [GW] (every DR resource unless named)."""
    ctx, tg = t.ctx, t.tg
    rows: list[Row] = []
    for p, sense, v in t.bounds():
        drs = members(ctx, tg.technologies) if tg.technologies else set(ctx.inputs.scenario.demand_response)
        rows.append(
            t.row(p, sense, _capacity_sum(ctx, drs, tg.zone, p), v * peak_load(ctx, p, tg.zone), share=v)
        )
    return rows


@builds("co2_cap")
def co2_cap_rows(t: TargetSpec) -> list[Row]:
    """emissions[p] <= max [Mt/yr]."""
    return [t.row(p, sense, t.ctx.emissions[p], v * T_TO_MT) for p, sense, v in t.bounds()]


@builds("coal_cap")
def coal_cap_rows(t: TargetSpec) -> list[Row]:
    """coal[p] <= max [Mtce/yr]."""
    return [t.row(p, sense, t.ctx.coal[p], v * T_TO_MT) for p, sense, v in t.bounds()]


@builds("non_fossil_primary_share")
def non_fossil_primary_share_rows(t: TargetSpec) -> list[Row]:
    """ce[p] * nonfossil_TWh[p] + other[p] - share * total[p] >= 0 [Mtce/yr] (primary_terms)."""
    rows: list[Row] = []
    for p, sense, v in t.bounds():
        num, total = primary_terms(t.ctx, t.m, t.name, t.tg, p)
        rows.append(t.row(p, sense, num, 0.0, den=total, share=v))
    return rows


@builds("non_fossil_share")
def non_fossil_share_rows(t: TargetSpec) -> list[Row]:
    """non-fossil generation (plus renewable imports on a consumption basis) - share * total >= 0
    [TWh/yr]."""
    rows: list[Row] = []
    for p, sense, v in t.bounds():
        num, den = non_fossil_share_terms(t.ctx, t.m, t.tg, p)
        rows.append(t.row(p, sense, num, 0.0, den=den, share=v))
    return rows


@builds("coal_share")
def coal_share_rows(t: TargetSpec) -> list[Row]:
    """coal-fired generation - share * total generation <= 0 [TWh/yr]."""
    rows: list[Row] = []
    for p, sense, v in t.bounds():
        num, den = coal_share_terms(t.ctx, t.tg, p)
        rows.append(t.row(p, sense, num, 0.0, den=den, share=v))
    return rows


@builds("co2_peak")
def co2_peak_rows(t: TargetSpec) -> list[Row]:
    """co2_peak: emissions[p] <= level[p] in every period with a stated level, and
    emissions[p] <= emissions[prev(p)] for periods after the peak year (model/formulation.md)."""
    ctx, name, tg = t.ctx, t.name, t.tg
    rows: list[Row] = []
    level = peak_level(tg, ctx.periods)
    P = ctx.periods
    for j, p in enumerate(P):
        if level is not None and not np.isnan(level[j]):
            rows.append(t.row(p, "<=", ctx.emissions[p], float(level[j]) * T_TO_MT))
        prev = P[j - 1] if j > 0 else None
        if tg.peak_year is not None and prev is not None and p > tg.peak_year and prev >= tg.peak_year:
            label = f"{name}.{NO_RISE}"
            rows.append(t.row(p, "<=", ctx.emissions[p], ctx.emissions[prev], label=label, ref_period=prev))
    return rows


@builds("import_renewable_share")
def import_renewable_share_rows(t: TargetSpec) -> list[Row]:
    """import_renewable_share: renewable energy >= share of the channel's own energy, one row per
    channel (label <name>.<channel>), or one pooled row over the channels with `pooled`."""
    ctx, m, name, tg = t.ctx, t.m, t.name, t.tg
    s = ctx.inputs.scenario
    chans = members(ctx, tg.technologies) if tg.technologies else {c for c, ch in s.imports.items() if ch.new}
    chans = {c for c in chans if c in s.imports}
    groups = [sorted(chans)] if tg.pooled else [[c] for c in sorted(chans)]
    rows: list[Row] = []
    for b, sense in (("min", ">="), ("max", "<=")):
        vals = period_values(getattr(tg, b), ctx.periods)
        if vals is None:
            continue
        for j, p in enumerate(ctx.periods):
            if np.isnan(vals[j]):
                continue
            for group in groups:
                re = TWH * sum(ctx.annual(m.imp_re, (c, p)) for c in group)
                den = re + TWH * sum(ctx.annual(m.imp_oth, (c, p)) for c in group)
                label = name if tg.pooled else f"{name}.{group[0]}"
                rows.append(t.row(p, sense, re, 0.0, den=den, share=float(vals[j]), label=label))
    return rows


def coal_share_terms(ctx: Ctx, tg: Target, p: int) -> tuple[Any, Any]:
    """Coal-fired and total generation [TWh/yr] of one period."""
    s = ctx.inputs.scenario
    total = generation_sum(ctx, None, tg.zone, p)
    coal = {n for n in s.technologies if s.fuels.get(s.technologies[n].fuel or "", _NOT_COAL).coal}
    return generation_sum(ctx, coal, tg.zone, p), total


def non_fossil_share_terms(ctx: Ctx, m: pyo.ConcreteModel, tg: Target, p: int) -> tuple[Any, Any]:
    """Non-fossil and total generation [TWh/yr], with the imports on a consumption basis."""
    s = ctx.inputs.scenario
    total = generation_sum(ctx, None, tg.zone, p)
    num = generation_sum(ctx, non_fossil(ctx, tg), tg.zone, p)
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
        float(ctx.by_period(getattr(tg, f), f"targets.{name}.{f}")[j])
        for f in ("coal_equivalent", "other_non_fossil", "total_energy")
    )
    local = [c for c, ch in s.imports.items() if tg.zone is None or ch.zone == tg.zone]
    twh = generation_sum(ctx, non_fossil(ctx, tg), tg.zone, p) + TWH * sum(
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


def _label(r: Row, rows: list[Row]) -> str:
    """The row's name in the results: its label, with _min/_max when a period has both."""
    both = sum(1 for x in rows if x.label == r.label and x.period == r.period) > 1
    return f"{r.label}_{'min' if r.sense == '>=' else 'max'}" if both else r.label


def row_price(m: pyo.ConcreteModel, sol: Solution, r: Row, weight: float) -> float:
    """A target row's shadow price: dual / W[p], signed as the cost of tightening (NaN without duals)."""
    if not sol.duals:
        return float("nan")
    key = (r.label, r.period, r.sense)
    d = sol.dual(m.target[key]) if key in m.target else 0.0
    return per_year(d if r.sense == ">=" else -d, weight)


def binds(slack: float, required: float, price: float) -> bool:
    """A target binds when met with no slack (1e-6 relative) and a nonzero price (NaN: no duals,
    tightness alone)."""
    tight = abs(slack) <= 1e-6 * max(1.0, abs(required))
    return bool(tight and (np.isnan(price) or abs(price) > 1e-6))


def target_prices(
    m: pyo.ConcreteModel, ctx: Ctx, sol: Solution, periods: list[int]
) -> dict[tuple[str, int], float]:
    """(results label, period) -> shadow price of every target row of `periods` (as read_targets)."""
    rows: list[Row] = ctx.info.get("targets", [])
    W = dict(zip(ctx.periods, ctx.W, strict=True))
    return {
        (_label(r, rows), r.period): row_price(m, sol, r, W[r.period]) for r in rows if r.period in periods
    }


def read_targets(rb: Readback) -> None:
    """The plan-target table: required, achieved, slack, shortfall and shadow price by period
    (price = dual / W[p], in the kind's price unit, signed as the cost of tightening)."""
    m, ctx, sol, ds = rb.m, rb.ctx, rb.sol, rb.ds
    rows: list[Row] = ctx.info.get("targets", [])
    labels = list(dict.fromkeys(_label(r, rows) for r in rows))
    P = ctx.periods
    W = dict(zip(P, ctx.W, strict=True))
    shape = (len(labels), len(P))
    req, ach, slack, short, price = (np.full(shape, np.nan) for _ in range(5))
    bound = np.zeros(shape, dtype=bool)
    kinds, units, names_zh, names, senses = ([""] * len(labels) for _ in range(5))
    ref = np.full(shape, np.nan)
    for r in rows:
        i, j = labels.index(_label(r, rows)), P.index(r.period)
        kind = target_kind(r.kind)
        kinds[i], units[i], names[i] = r.kind, kind.unit, r.target
        senses[i] = "min" if r.sense == ">=" else "max"
        names_zh[i] = ctx.inputs.scenario.targets[r.target].name_zh
        if r.ref_period is not None:
            ref[i, j] = r.ref_period
        if r.den is not None:
            den = value(r.den)
            ach[i, j] = value(r.lhs) / den if den > 1e-12 else np.nan
            req[i, j] = r.share if r.share is not None else np.nan
        else:
            ach[i, j] = (r.achieved() if r.achieved is not None else value(r.lhs)) * kind.scale
            req[i, j] = value(r.rhs) * kind.scale
        gap = ach[i, j] - req[i, j]
        slack[i, j] = gap if r.sense == ">=" else -gap
        key = (r.label, r.period, r.sense)
        price[i, j] = row_price(m, sol, r, W[r.period])
        short[i, j] = (m.target_slack[key].value or 0.0) * kind.scale if key in m.target_slack else 0.0
        bound[i, j] = binds(slack[i, j], req[i, j], price[i, j])
    ds.coords["target"] = labels
    ds["target_name"] = ("target", names, {"long_name": "the scenario's target this row belongs to"})
    ds["target_reference_period"] = (
        ("target", "period"),
        ref,
        {"long_name": "co2_peak no-rise rows: the period whose emissions bound this one"},
    )
    ds["target_kind"] = ("target", kinds)
    ds["target_unit"] = ("target", units)
    ds["target_name_zh"] = ("target", names_zh)
    ds["target_sense"] = ("target", senses, {"long_name": "min: achieved >= required; max: a cap"})
    ds["target_required"] = (("target", "period"), req, {"units": "see target_unit"})
    ds["target_achieved"] = (("target", "period"), ach, {"units": "see target_unit"})
    ds["target_slack"] = (
        ("target", "period"),
        slack,
        {"units": "see target_unit", "long_name": "achieved beyond required (>= 0 when met)"},
    )
    ds["target_shortfall"] = (
        ("target", "period"),
        short,
        {"units": "see target_unit (TWh/yr for shares)", "long_name": "soft-target violation"},
    )
    ds["target_shadow_price"] = (
        ("target", "period"),
        price,
        {
            "units": "CNY per unit (see target_price_unit)",
            "long_name": "cost of tightening the target by one unit",
        },
    )
    ds["target_price_unit"] = ("target", [target_kind(k).price_unit if k else "" for k in kinds])
    ds["target_binds"] = (("target", "period"), bound)


POLICIES = Family("policies", add_policies, ("target", "target_slack"), read_targets)
