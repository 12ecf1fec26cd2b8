"""Early retirement (提前退役), mothballing (封存/应急备用) and life extension (延寿) of the existing
capacity of the thermal clusters that opt in (`technologies.<c>.retirement`; model/formulation.md,
"Retirement, mothballing and life extension").

For an opt-in cluster c in zone z [GW]: E[p] its existing schedule (`existing`, which already
falls as units reach their lifetime), q the period before p in the model, dep[p] = max(0, E[q] -
E[p]) the capacity the schedule retires between them; ret = th_retired (retired early: standing
capacity below the schedule), mb = th_mothball, x = th_ext_new and X = th_ext_cap (life extension,
a fleet), back = th_mb_return (mothballed capacity returned to service):

    X[p] = sum_{b <= p < b + years} x[b],  x[b] <= min(build_max, max_share * dep[b])  (th_ext fleet)
    ret[p] + mb[p] <= E[p] + X[p]                                            (th_retire_max)
    L[p] = dep[p] + X[q] - X[p] + ret[p] - ret[q] >= 0                       (th_retire_irrev)
    back[p] >= mb[q] - mb[p] - L[p]                                          (th_mothball_return)
    S[p] = th_cap[p] + X[p] - ret[p] - mb[p]        capacity in service      (th_inserv_def)
    cost[p] += W[p] * (fom * (X - ret - mb) + fom_adder * X)   (fixed_om: the fleet pays fom * th_cap)
             + W[p] * (mothball_fom * mb + return_cost / years[p] * back)    (mothball)

L[p] = A[q] - A[p] + max(0, E[p] - E[q]) is the standing capacity (A = E + X - ret) that leaves
between q and p net of the schedule's new units (scheduled departures not extended, extensions
that expire, early retirements): th_retire_irrev keeps it >= 0, so a retired unit never comes
back, and an extension keeps a standing unit (x[p] is not an entry: a unit retired early cannot
be extended back into service).
Nothing is decided in a historical period (no variable there, S = th_cap). S = th_inserv, a variable with its
defining row (so each per-step row holds one capacity column, not four), replaces th_cap wherever
the thermal family uses capacity (retrofit rows, the parts' K, output limits, ctx.capacity,
results); for a cluster that does not opt in th_cap itself is used, so its LP is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Technology, per_zone_period
from gridplan.lp.family import Readback, grid
from gridplan.lp.investment import Fleet, FleetNames, add_fleet
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, MW

EXT = FleetNames(
    "th_ext", None, new="th_ext_new", cap="th_ext_cap", cap_def="th_ext_cap_def", potential="th_ext_potential"
)
# capacity decisions besides the fleets' <fam>_new / <fam>_cap (fixed by the hourly check and,
# for earlier periods, by myopic foresight)
DECISIONS = ("th_retired", "th_mothball")
COMPONENTS = (
    "th_retired",
    "th_mothball",
    "th_mb_return",
    "th_inserv",
    "th_inserv_def",
    "th_retire_max",
    "th_retire_irrev",
    "th_mothball_return",
)
Key = tuple[Any, ...]


def opts_in(t: Technology) -> bool:
    """The technology's existing capacity can retire, be mothballed or be life-extended."""
    return t.retirement is not None


def schedule(ctx: Ctx, name: str, t: Technology) -> np.ndarray:
    """E: the existing capacity [GW] by zone and period of the scenario (all periods)."""
    field = (ctx.file, f"technologies.{name}.existing")
    return per_zone_period(t.existing, ctx.zones, ctx.all_periods, field, ctx.problems) * MW


def departures(e: np.ndarray, periods: list[int], every: list[int]) -> np.ndarray:
    """dep[z, p] = max(0, E[prev p] - E[p]) [GW] for the given periods, prev in `every` (0 first)."""
    out = np.zeros((e.shape[0], len(periods)))
    for j, p in enumerate(periods):
        i = every.index(p)
        if i > 0:
            out[:, j] = np.maximum(e[:, i - 1] - e[:, i], 0.0)
    return out


def extension_fleet(ctx: Ctx, techs: dict[str, Technology], items: list[Key]) -> Fleet:
    """The 延寿 fleet keyed (cluster, zone): x[p] <= min(build_max, max_share * dep[p]) [GW],
    annuity of `capex` over `years`, `fom_adder` as its fixed O&M."""
    P, every = ctx.periods, ctx.all_periods
    rows: list[Key] = []
    bmax, life, capex, fom = [], [], [], []
    for c in dict.fromkeys(c for c, _ in items):
        t = techs[c]
        le = t.retirement.life_extension if t.retirement else None
        if le is None:
            continue
        e = schedule(ctx, c, t)
        dep = departures(e, P, every)
        cap = ctx.by_zone_period(le.build_max, f"technologies.{c}.retirement.life_extension.build_max") * MW
        for z in [z for c2, z in items if c2 == c]:
            zi = ctx.zones.index(z)
            hi = np.minimum(cap[zi], le.max_share * dep[zi])
            if hi.max() > 0:
                rows.append((c, z))
                bmax.append(hi)
                life.append(le.years)
                capex.append(np.full(len(P), le.capex))
                fom.append(le.fom_adder)
    n_p = len(P)
    z2 = np.zeros((len(rows), n_p))
    return Fleet(
        EXT,
        rows,
        z2,
        z2.copy(),
        np.array(bmax).reshape(-1, n_p),
        np.full(len(rows), np.inf),
        np.array(life),
        np.array(capex).reshape(-1, n_p),
        np.array(fom),
    )


def add_retirement(
    ctx: Ctx, m: pyo.ConcreteModel, techs: dict[str, Technology], items: list[Key], cap: Any
) -> Any:
    """The decisions and rows of the module docstring; returns the capacity in service [GW] of
    every cluster by (c, z, p): th_inserv for those that opt in, th_cap for the others."""
    P, every = ctx.periods, ctx.all_periods
    hist = set(ctx.inputs.scenario.historical_periods)
    opt = [(c, z) for c, z in items if opts_in(techs[c])]
    ext = extension_fleet(ctx, techs, opt)
    xcap, _ = add_fleet(ctx, m, ext)
    has_x = set(ext.items)
    E: dict[Key, float] = {}
    for c in dict.fromkeys(c for c, _ in opt):
        e = schedule(ctx, c, techs[c])
        for z in [z for c2, z in opt if c2 == c]:
            for p in P:
                E[(c, z, p)] = float(e[ctx.zones.index(z), every.index(p)])

    def X(c: str, z: str, p: int) -> Any:
        return xcap[c, z, p] if (c, z) in has_x else 0.0

    def decided(c: str, z: str, p: int) -> bool:
        return p not in hist and (E[c, z, p] > 0 or (c, z) in has_x)

    spec = {c: rt for c, _ in opt if (rt := techs[c].retirement) is not None}
    ret_idx = [(c, z, p) for c, z in opt for p in P if decided(c, z, p) and spec[c].early]
    mb_idx = [(c, z, p) for c, z in opt for p in P if decided(c, z, p) and spec[c].mothball_fom is not None]
    m.th_retired = pyo.Var(ret_idx, domain=pyo.NonNegativeReals)
    m.th_mothball = pyo.Var(mb_idx, domain=pyo.NonNegativeReals)
    ret, mb = m.th_retired, m.th_mothball

    R: dict[Key, Any] = {k: ret[k] for k in ret_idx}
    B: dict[Key, Any] = {k: mb[k] for k in mb_idx}

    def r(c: str, z: str, p: int) -> Any:
        return R.get((c, z, p), 0.0)

    def b(c: str, z: str, p: int) -> Any:
        return B.get((c, z, p), 0.0)

    either = set(ret_idx) | set(mb_idx)
    m.th_retire_max = pyo.Constraint(
        [(c, z, p) for c, z in opt for p in P if (c, z, p) in either],
        rule=lambda _m, c, z, p: r(c, z, p) + b(c, z, p) <= E[c, z, p] + X(c, z, p),
    )
    prev = {p: P[i - 1] for i, p in enumerate(P) if i > 0}

    def leaving(c: str, z: str, p: int) -> Any:
        """L[p]: standing capacity that leaves between prev(p) and p."""
        q = prev[p]
        dep = max(E[c, z, q] - E[c, z, p], 0.0)
        return dep + X(c, z, q) - X(c, z, p) + r(c, z, p) - r(c, z, q)

    m.th_retire_irrev = pyo.Constraint(
        [k for k in ret_idx if k[2] in prev and (*k[:2], prev[k[2]]) in ret],
        rule=lambda _m, c, z, p: leaving(c, z, p) >= 0,
    )
    back_idx = [
        k
        for k in mb_idx
        if spec[k[0]].mothball_return_cost > 0 and k[2] in prev and (*k[:2], prev[k[2]]) in mb
    ]
    m.th_mb_return = pyo.Var(back_idx, domain=pyo.NonNegativeReals)
    back = m.th_mb_return
    m.th_mothball_return = pyo.Constraint(
        back_idx,
        rule=lambda _m, c, z, p: back[c, z, p] >= b(c, z, prev[p]) - b(c, z, p) - leaving(c, z, p),
    )
    serving = [(c, z, p) for c, z in opt for p in P if p not in hist]  # historical: th_cap as recorded
    m.th_inserv = pyo.Var(serving, domain=pyo.NonNegativeReals)
    S = m.th_inserv
    m.th_inserv_def = pyo.Constraint(
        serving, rule=lambda _m, c, z, p: S[c, z, p] == cap[c, z, p] + X(c, z, p) - r(c, z, p) - b(c, z, p)
    )
    for c, z in opt:
        t, s = techs[c], spec[c]
        for jp, p in enumerate(P):
            off = X(c, z, p) - r(c, z, p) - b(c, z, p)
            if t.fom and not (isinstance(off, float) and off == 0.0):
                ctx.add_cost("fixed_om", p, t.fom * off)
            if (c, z, p) in mb and s.mothball_fom:
                ctx.add_cost("mothball", p, s.mothball_fom * mb[c, z, p])
            if (c, z, p) in back:
                ctx.add_cost("mothball", p, s.mothball_return_cost / float(ctx.years[jp]) * back[c, z, p])
    ctx.info["retiring"] = opt
    return {(c, z, p): S[c, z, p] if (c, z, p) in S else cap[c, z, p] for c, z in items for p in P}


def read_retirement(rb: Readback) -> None:
    """capacity [MW] of opt-in clusters is the capacity in service; retired, mothballed,
    life_extended and mothball_returned [MW] by (period, zone, tech)."""
    m, ctx, ds = rb.m, rb.ctx, rb.ds
    opt = ctx.info.get("retiring", [])
    if not opt:
        return
    P, Z, G = ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)
    for c, z, p in m.th_inserv:
        rb.capacity[(p, z, c)] = float(pyo.value(m.th_inserv[c, z, p])) * GW
    dims: list[Sequence[Any]] = [P, Z, G]
    out = {
        "retired": (m.th_retired, "capacity retired early (below the existing schedule)"),
        "mothballed": (m.th_mothball, "mothballed capacity (封存/应急备用): no energy, no reserve"),
        "life_extended": (m.th_ext_cap, "life-extended capacity (延寿) kept beyond the existing schedule"),
        "mothball_returned": (m.th_mb_return, "mothballed capacity returned to service in the period"),
    }
    for name, (var, long_name) in out.items():
        vals = {(p, z, c): (v.value or 0.0) * GW for (c, z, p), v in var.items()}
        ds[name] = (("period", "zone", "tech"), grid(vals, dims), {"units": "MW", "long_name": long_name})
