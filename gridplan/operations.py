"""The plan checked hour by hour: its fleet operated over all 8,760 hours of every period.

A plan found on typical periods is only as good as its operation in the real year. With
`hourly_check.enabled`, the plan's capacity decisions are fixed and operation is re-solved on the
chronological hours of each period (as PyPSA-Eur's `solve_operations_network` and GenX's runs
with fixed capacities do). The monolithic 8,760-hour expansion LP of a multi-zone, multi-period
case is too large for one machine (inputs/jiangxi: about 9 million columns); with capacities
fixed, the periods separate, and the year is cut into chronological windows of `window_days`:

    window k of period p: hours H_k (whole days), steps weighted w = 8760 / |H_k|
    *_new, *_cap, dr_cap fixed to the plan's values; *_cap_def, *_potential dropped
    storage state and commitment cyclic over the window; annual limits (import energy,
    demand-response hours) apply to each window pro rata
    plan targets are not re-imposed; the plan's CO2 and coal targets (the kinds with an
    `hourly_price`, gridplan/kinds.py) are priced instead at their shadow prices (Lagrangian terms
    of the plan's rows, per tonne and period):
        co2_cap, coal_cap row in p with price pi:          pi on emissions (coal) of p
        co2_peak level row in p with price pi:             pi on emissions of p
        co2_peak no-rise row in p (vs ref) with price pi:  pi on emissions of p,
                                                           -pi * W[p] / W[ref] on those of ref
        objective += sum_p W[p] * (price_co2[p] * emissions[p] + price_coal[p] * coal[p])

Results of the year: hourly series are the windows' series in order (weight 1 h each); annual
values (units ending in /yr, and costs in CNY) are sum_k |H_k| / 8760 * value_k; capacities and
investment costs are the plan's. Windows cannot move energy or budgets to one another, so a window's cost is at least
that of one 8,760-hour dispatch of the same fleet and prices.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.expr.visitor import identify_variables

from gridplan.case import HOURS, Inputs
from gridplan.errors import SolveError
from gridplan.kinds import target_kind
from gridplan.lp.retirement import DECISIONS as RETIREMENT_DECISIONS
from gridplan.lp.terms import Ctx
from gridplan.pipeline import solve_inputs
from gridplan.timesteps import DAYS, Time
from gridplan.watch import Status, live_of

Values = dict[str, dict[Any, float]]
Prices = dict[int, tuple[float, float]]  # period -> (CNY/tCO2, CNY/tce)
Progress = Callable[[str, float], None]
DROPPED = ("storage_soc_year", "block_of_period")  # per typical period or expanded year: not here


def is_capacity(name: str) -> bool:
    """Capacity decisions of the plan: every fleet's new build and capacity, DR capacity, and
    retired and mothballed thermal capacity (lp/retirement.py)."""
    return name.endswith(("_new", "_cap")) or name == "dr_cap" or name in RETIREMENT_DECISIONS


def capacities(m: pyo.ConcreteModel) -> Values:
    """The solved plan's capacity decisions, by variable name and index."""
    return {
        v.name: {k: float(pyo.value(d, exception=False) or 0.0) for k, d in v.items()}
        for v in m.component_objects(pyo.Var)
        if is_capacity(v.name)
    }


def fix_capacities(m: pyo.ConcreteModel, values: Values) -> None:
    """Fix every capacity decision to the plan's value and drop the constraints left without
    a free variable (capacity definitions, potentials, storage durations)."""
    for name, vals in values.items():
        var = getattr(m, name, None)
        if var is None:
            continue
        for k, d in var.items():
            if k in vals:
                d.fix(vals[k])
    for con in m.component_objects(pyo.Constraint, active=True):
        if con.name.endswith(("_cap_def", "_potential")):
            con.deactivate()
        elif len(con) < 10_000:  # per-step families always hold a free variable
            for c in con.values():
                if not any(True for _ in identify_variables(c.body, include_fixed=False)):
                    c.deactivate()


def windows(days: int) -> list[np.ndarray]:
    """Hours of the year in chronological windows of `days` whole days (365 days do not divide
    evenly: the first windows take a day more)."""
    n = max(1, DAYS // days)
    return [np.arange(d[0] * 24, d[-1] * 24 + 24) for d in np.array_split(np.arange(DAYS), n)]


def window_time(hours: np.ndarray) -> Time:
    """One block of consecutive hours, each step standing for 8760 / len(hours) hours."""
    n = len(hours)
    return Time(
        "hourly_check", hours, np.full(n, HOURS / n), np.zeros(n, dtype=int), n, np.zeros(1, dtype=int)
    )


def without_targets(inputs: Inputs) -> Inputs:
    """The case with every plan target switched off (a copy)."""
    s = inputs.scenario.model_copy(deep=True)
    for t in s.targets.values():
        t.enabled = False
    return replace(inputs, scenario=s)


def target_prices(plan: xr.Dataset) -> Prices:
    """CO2 and coal prices per period that stand for the plan's CO2 and coal targets (module
    docstring), from their shadow prices in the plan."""
    W = {int(p): float(plan["period_weight"].sel(period=p)) for p in plan["period"].values}
    co2, coal = dict.fromkeys(W, 0.0), dict.fromkeys(W, 0.0)
    prices = {"co2": co2, "coal": coal}
    for name in plan["target"].values:
        priced = prices.get(target_kind(str(plan["target_kind"].sel(target=name).values)).hourly_price)
        if priced is None:
            continue
        for p in W:
            pi = float(plan["target_shadow_price"].sel(target=name, period=p))
            if not np.isfinite(pi) or pi == 0.0:
                continue
            priced[p] += pi
            ref = float(plan["target_reference_period"].sel(target=name, period=p))
            if np.isfinite(ref) and int(ref) in W:  # a no-rise row: emissions[p] - emissions[ref]
                priced[int(ref)] -= pi * W[p] / W[int(ref)]
    return {p: (co2[p], coal[p]) for p in W}


def solve_window(
    inputs: Inputs, values: Values, prices: Prices, period: int, hours: np.ndarray
) -> xr.Dataset:
    """Operation of one window of one period with the plan's capacities fixed, solved by the
    pipeline; the plan's CO2 and coal shadow prices are added to the objective."""

    def fix_and_price(m: pyo.ConcreteModel, ctx: Ctx) -> None:
        fix_capacities(m, values)
        co2, coal = prices.get(period, (0.0, 0.0))
        if co2 or coal:  # CNY/t = MCNY/Mt: W [yr] * price * Mt/yr
            m.objective.expr += float(ctx.W[0]) * (co2 * ctx.emissions[period] + coal * ctx.coal[period])

    where = f"hourly check, period {period}, hours {hours[0] + 1}-{hours[-1] + 1}"
    try:
        ds = solve_inputs(inputs, modify=fix_and_price, steps=window_time(hours), periods=[period])
    except SolveError as e:
        raise SolveError(e.status, f"{where}: {e}", e.exit_code) from None
    if not ds.attrs["optimal"]:
        status = str(ds.attrs["solver_status"])
        raise SolveError(status, f"{where}: solver status '{status}'", 6)
    return ds.drop_vars([v for v in DROPPED if v in ds.variables])


_SHARED: tuple[Inputs, Values, Prices] | None = None  # what every window of a check shares


def _share(*shared: Any) -> None:
    """Process-pool initializer: the case, the plan's capacities and prices, sent once per worker."""
    global _SHARED
    _SHARED = shared  # type: ignore[assignment]


def _window_job(job: tuple[int, np.ndarray]) -> xr.Dataset:
    assert _SHARED is not None
    return solve_window(*_SHARED, *job)


def combine_windows(parts: list[xr.Dataset]) -> xr.Dataset:
    """One period's windows (in order) as one chronological year."""
    first = parts[0]
    share = [d.sizes["time"] / HOURS for d in parts]
    out = {}
    for name, da in first.data_vars.items():
        if "time" in da.dims:
            out[name] = xr.concat([d[name] for d in parts], dim="time", coords="minimal", compat="override")
        elif str(da.attrs.get("units", "")).endswith("/yr") or da.attrs.get("units") == "CNY":
            out[name] = xr.concat([d[name] * f for d, f in zip(parts, share, strict=True)], dim="w").sum("w")
            out[name].attrs = da.attrs
        elif name == "peak_load":
            out[name] = xr.concat([d[name] for d in parts], dim="w").max("w")
            out[name].attrs = da.attrs
        else:
            out[name] = da
    ds = xr.Dataset(out, attrs=dict(first.attrs))
    ds = ds.assign_coords(time=np.arange(ds.sizes["time"]))
    ds["weight"] = ("time", np.ones(ds.sizes["time"]), first["weight"].attrs)
    ds["block"] = ("time", np.zeros(ds.sizes["time"], dtype=int))
    return ds


def hourly_check(
    inputs: Inputs,
    values: Values,
    plan: xr.Dataset,
    progress: Progress | None = None,
) -> xr.Dataset:
    """The plan's fleet (`values`, from `capacities`) operated over every hour of every period
    (module docstring); `plan` gives the target prices and the investment costs."""
    t0 = time.perf_counter()
    spec = inputs.scenario.hourly_check
    chk = without_targets(inputs)
    if chk.scenario.solver.method == "choose":  # dispatch windows: dual simplex (model/performance.md)
        chk.scenario.solver.method = "simplex"
    hours = windows(spec.window_days)
    prices = target_prices(plan)
    jobs = [(p, h) for p in chk.scenario.periods for h in hours]
    n = spec.workers or os.cpu_count() or 1
    k = len(hours)
    results: list[xr.Dataset] = []
    live = live_of(progress)

    def collect(done: Iterable[xr.Dataset]) -> None:
        live(Status("check", time.perf_counter() - t0, step=0, steps=len(jobs)))
        for ds in done:
            results.append(ds)
            live(Status("check", time.perf_counter() - t0, step=len(results), steps=len(jobs)))
            if progress is not None and len(results) % k == 0:
                progress(f"check {chk.scenario.periods[len(results) // k - 1]}", time.perf_counter() - t0)

    if n > 1:
        chk.scenario.solver.threads = chk.scenario.solver.threads or 1  # one core per window
        # spawn, not fork: the parent holds HiGHS's thread pool, which a forked child must not inherit
        with ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_share,
            initargs=(chk, values, prices),
        ) as pool:
            try:
                collect(pool.map(_window_job, jobs))
            except KeyboardInterrupt:  # Ctrl-C: drop the queued windows, stop the running ones
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.terminate()
                raise
    else:
        _share(chk, values, prices)
        collect(map(_window_job, jobs))
    years = [combine_windows(results[i * k : (i + 1) * k]) for i in range(len(chk.scenario.periods))]
    ds = xr.concat(years, dim="period", data_vars="minimal", coords="minimal", compat="override")
    if "investment" in ds["component"].values:  # a one-period window knows only its period's builds
        for name in ("cost", "cost_annual"):
            ds[name].loc[{"component": "investment"}] = plan[name].sel(component="investment")
    seconds = time.perf_counter() - t0
    if progress is not None:
        progress("check", seconds)
    ds.attrs.update(
        {
            "time_mode": "hourly_check",
            "window_days": spec.window_days,
            "windows": len(jobs),
            "objective": float(ds["cost"].sum()),
            "lp_columns_max": max(int(d.attrs.get("lp_columns", 0)) for d in results),
            "seconds_check": round(seconds, 3),
            "check_workers": n,
            "co2_price": ", ".join(f"{p}: {v[0]:.4g}" for p, v in prices.items()) + " CNY/tCO2",
            "coal_price": ", ".join(f"{p}: {v[1]:.4g}" for p, v in prices.items()) + " CNY/tce",
        }
    )
    per_window = ("lp_rows", "lp_columns", "lp_nonzeros", "warm_start")  # and each window's timings
    for key in [
        k for k in ds.attrs if k in per_window or (k.startswith("seconds_") and k != "seconds_check")
    ]:
        ds.attrs.pop(key)
    return ds
