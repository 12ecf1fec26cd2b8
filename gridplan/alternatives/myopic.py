"""Myopic foresight (time.foresight: myopic): the periods p1..pN solved in sequence.

Step k builds the LP of periods p1..p(k+L) (L = time.look_ahead) on the case's time steps
(lp/build.build with a subset of periods: costs and targets of those periods only), with the
decisions of p1..p(k-1) fixed at the values earlier steps chose:

    new[i, b] = new*[i, b]  for every fleet (`<fam>_new`: generators, thermal, storage power and
                            energy, links, import channels, retrofits) and b < p_k
    dr_cap[d, z, b] = dr_cap*[d, z, b]   (contracted demand response) for b < p_k

so capacity carried forward (cap = existing + builds still alive) and retirements (end of life,
`existing` falling) follow from the fixed builds exactly as in the perfect-foresight LP. A step
also knows the sites' potentials and the committed fleet of the periods it does not see: for
every fleet item i with a finite potential and each later period q,

    existing[i, q] + sum_{b in horizon, b alive in q} new[i, b] <= potential[i]   (myopic_potential)

(read from the full model's `<fam>_cap_def` and `<fam>_potential` rows), so no step builds what a
later period's committed projects would push over the site's limit. Step k
keeps only period p_k's decisions (the look-ahead periods' are made again in later steps). A step
whose period is historical (nothing is decided there) is skipped. The step that first sees the
last period (k + L >= N) is the last: its decisions for p_k..pN are kept, and its solve (all
periods, through gridplan.pipeline.solve_inputs) gives the results, in the same format as a
perfect-foresight run. Its objective is the total discounted cost of the myopic plan; the
earlier periods' dispatch is re-optimised there with their fleet fixed, so it equals what each
step chose unless a constraint couples periods (e.g. a cumulative budget). `gridplan compare`
of the perfect-foresight and the myopic results.nc gives the cost of myopia. A target's shadow price
in a period decided before the last step is the one its own step saw (the last step has those
builds fixed, so a capacity target there would show no price).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.repn import generate_standard_repn

from gridplan.case import Inputs, load_case, load_layers
from gridplan.errors import InputError, Problem, SolveError
from gridplan.lp.build import build
from gridplan.lp.policies import binds, target_prices
from gridplan.lp.retirement import DECISIONS as RETIREMENT_DECISIONS
from gridplan.lp.terms import Ctx
from gridplan.pipeline import Progress, done, run_with_check, solve_inputs, solver_options
from gridplan.solve import solve
from gridplan.solve_outcome import EXIT, usable
from gridplan.timesteps import select

Fixed = dict[tuple[str, Any], float]  # (variable name, index) -> value
Prices = dict[tuple[str, int], float]  # (target row label, period) -> shadow price


def decisions(m: pyo.ConcreteModel) -> Iterator[tuple[str, Any, Any]]:
    """(name, index, variable) of every investment decision: `<fam>_new`, `dr_cap` and retired
    and mothballed thermal capacity (lp/retirement.py)."""
    for v in m.component_objects(pyo.Var, descend_into=False):
        if v.name.endswith("_new") or v.name == "dr_cap" or v.name in RETIREMENT_DECISIONS:
            for idx in v:
                yield v.name, idx, v[idx]


def plan_steps(
    periods: list[int], historical: set[int], look_ahead: int
) -> list[tuple[list[int], list[int]]]:
    """(periods whose decisions a step keeps, periods the step's LP sees), in order."""
    out = []
    for k, p in enumerate(periods):
        horizon = periods[: k + 1 + look_ahead]
        if len(horizon) == len(periods):
            out.append((periods[k:], periods))
            break
        if p not in historical:
            out.append(([p], horizon))
    return out


@dataclass(frozen=True)
class Limit:
    """existing + sum_b coef_b * new[b] <= potential: item `key` of fleet `fam` in period `period`."""

    fam: str
    key: tuple[Any, ...]
    period: int
    headroom: float  # potential - existing [GW or GWh]
    builds: tuple[tuple[tuple[Any, ...], float], ...]  # (index of <fam>_new, coefficient)


def potential_limits(m: pyo.ConcreteModel) -> list[Limit]:
    """Each finite potential row cap[i, q] <= potential of a full model, with cap[i, q] written
    out from `<fam>_cap_def` as existing + sum coef * new."""
    out = []
    for con in m.component_objects(pyo.Constraint, descend_into=False):
        if not con.name.endswith("_potential"):
            continue
        fam = con.name[: -len("_potential")]
        defs = getattr(m, f"{fam}_cap_def")
        for idx, row in con.items():
            if idx not in defs:
                continue
            d = defs[idx]
            repn = generate_standard_repn(d.body)
            coefs = {
                (v.parent_component().name, v.index()): float(c)
                for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)
            }
            a = coefs[(f"{fam}_cap", idx)]
            existing = (float(d.upper) - float(repn.constant)) / a
            builds = tuple((k, -c / a) for (name, k), c in coefs.items() if name == f"{fam}_new")
            out.append(Limit(fam, idx, int(idx[-1]), float(row.upper) - existing, builds))
    return out


def _add_limits(m: pyo.ConcreteModel, limits: list[Limit], horizon: list[int]) -> None:
    """myopic_potential rows of the periods after `horizon`, on the builds the step can make."""
    rows = []
    for lim in limits:
        if lim.period in horizon:
            continue
        new = getattr(m, f"{lim.fam}_new")
        terms = [(new[k], c) for k, c in lim.builds if k in new]
        if terms:
            rows.append((terms, lim.headroom))
    m.myopic_potential = pyo.Constraint(
        range(len(rows)), rule=lambda _m, i: sum(c * v for v, c in rows[i][0]) <= rows[i][1]
    )


def _fixer(fixed: Fixed, holder: list[pyo.ConcreteModel]) -> Any:
    def fix(m: pyo.ConcreteModel, ctx: Ctx) -> None:
        del ctx
        for (name, idx), value in fixed.items():
            var = getattr(m, name)
            if idx in var:
                var[idx].fix(value)
        holder.append(m)

    return fix


def _step(
    inputs: Inputs,
    steps: Any,
    horizon: list[int],
    keep: list[int],
    fixed: Fixed,
    limits: list[Limit],
    solver: dict[str, Any] | None,
) -> tuple[float, Prices]:
    """Solve one intermediate step; add its kept decisions to `fixed`; return its objective [CNY]
    and the shadow prices of its kept periods' targets."""
    m, ctx = build(inputs, steps, horizon)
    _fixer(fixed, [])(m, ctx)
    _add_limits(m, limits, horizon)
    sol = solve(m, solver_options(inputs.scenario.solver, solver))
    if not usable(sol):
        raise SolveError(
            sol.status,
            f"myopic step {keep[0]} (periods {horizon}): solver status '{sol.status}'; the plan fixed by "
            "the earlier steps may leave a later target out of reach",
            EXIT.get(sol.status, 6),
        )
    for name, idx, var in decisions(m):
        if idx[-1] in keep:
            fixed[(name, idx)] = float(var.value or 0.0)
    return sol.objective * 1e6, target_prices(m, ctx, sol, keep)


def _step_prices(ds: xr.Dataset, prices: Prices) -> None:
    """target_shadow_price of the periods decided before the last step: their own step's price (in
    the last step their builds are fixed, so a capacity target there has no dual); target_binds
    follows: met with no slack and a nonzero price."""
    if "target" not in ds.coords:
        return
    for (label, period), price in prices.items():
        if label not in ds.coords["target"] or np.isnan(price):
            continue
        cell = {"target": label, "period": period}
        ds["target_shadow_price"].loc[cell] = price
        slack, req = float(ds.target_slack.loc[cell]), float(ds.target_required.loc[cell])
        ds["target_binds"].loc[cell] = binds(slack, req, price)
    ds["target_shadow_price"].attrs["myopic"] = (
        "a period decided before the last step carries the price its own step saw (myopic_steps)"
    )


def run_myopic(
    inputs: Inputs, progress: Progress, solver: dict[str, Any] | None = None, check: bool = True
) -> tuple[xr.Dataset, xr.Dataset | None]:
    """The myopic plan's results (and its hourly check when the case asks for one)."""
    s = inputs.scenario
    periods, look_ahead = list(s.periods), s.time.look_ahead
    fixed: Fixed = {}
    records: list[dict[str, Any]] = []
    prices: Prices = {}
    steps = select(inputs)
    t_all = time.perf_counter()
    plan = plan_steps(periods, set(s.historical_periods), look_ahead)
    limits = potential_limits(build(inputs, steps)[0]) if len(plan) > 1 else []
    for keep, horizon in plan[:-1]:
        t = time.perf_counter()
        objective, step_prices = _step(inputs, steps, horizon, keep, fixed, limits, solver)
        prices.update(step_prices)
        seconds = time.perf_counter() - t
        done(progress, f"myopic step {keep[0]}", seconds)
        records.append(
            {"periods": horizon, "keeps": keep, "objective": objective, "seconds": round(seconds, 3)}
        )
    keep, horizon = plan[-1]
    holder: list[pyo.ConcreteModel] = []
    t = time.perf_counter()
    ds = solve_inputs(inputs, progress, solver, modify=_fixer(fixed, holder))
    records.append(
        {
            "periods": horizon,
            "keeps": keep,
            "objective": ds.attrs["objective"],
            "seconds": round(time.perf_counter() - t, 3),
        }
    )
    _step_prices(ds, prices)
    ds.attrs.update(
        {
            "scenario": f"{s.name}-myopic",  # compare labels, default folder results/<name>-myopic
            "foresight": "myopic",
            "look_ahead": look_ahead,
            "myopic_steps": json.dumps(records),
            "myopic_fixed_decisions": len(fixed),
            "seconds_myopic": round(time.perf_counter() - t_all, 3),
        }
    )
    if not (check and s.hourly_check.enabled):
        return ds, None
    from gridplan.operations import capacities, hourly_check

    return ds, hourly_check(inputs, capacities(holder[0]), ds, progress)


def foresight_of(case: str | Path) -> str:
    """time.foresight of a case, read from its YAML layers (no time series loaded)."""
    data, _ = load_layers(case, [])
    time_ = data.get("time") if isinstance(data, dict) else None
    return str(time_.get("foresight", "perfect")) if isinstance(time_, dict) else "perfect"


def run_foresight(
    case: str | Path, progress: Progress, solver: dict[str, Any] | None, foresight: str | None
) -> tuple[xr.Dataset, xr.Dataset | None]:
    """`gridplan run`: perfect foresight (gridplan.pipeline.run_with_check) unless `foresight`
    (the command line's, else the case's time.foresight) is myopic."""
    if foresight not in (None, "perfect", "myopic"):
        raise InputError(
            [
                Problem(
                    "command line", "--foresight", message=f"found {foresight!r}; expected perfect or myopic"
                )
            ]
        )
    if (foresight or foresight_of(case)) != "myopic":
        return run_with_check(case, progress, solver)
    t0 = time.perf_counter()
    inputs = load_case(case)
    inputs.scenario.time.foresight = "myopic"
    done(progress, "load", time.perf_counter() - t0)
    return run_myopic(inputs, progress, solver)
