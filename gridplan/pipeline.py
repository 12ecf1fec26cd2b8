"""One run: load -> time steps -> build -> solve -> results, with timings.

What each solver outcome gives (results, results marked not optimal, or a SolveError with its
exit code) is gridplan/solve_outcome.py. HiGHS runs with fixed options (random_seed 0), so the
same inputs give the same results. Sweeps, target costs and the hourly check solve through
here too (an optional warm start: gridplan/warm_start.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
import xarray as xr
from pydantic import ValidationError

from gridplan import __version__
from gridplan.case import Inputs, Solver, load_case
from gridplan.errors import InputError, Problem
from gridplan.lp.build import build
from gridplan.lp.terms import Ctx
from gridplan.results import dataset
from gridplan.solve import solve
from gridplan.solve_outcome import check_usable, limit_reached
from gridplan.timesteps import Time, select
from gridplan.warm_start import WarmStart
from gridplan.watch import Status, live_of, takes_status, watching

# progress(stage, seconds) at the end of each stage; a callable that also takes a third argument,
# progress(stage, seconds, status), gets live updates too: a gridplan.watch.Status at the start
# of each stage, about every second of the solve (phase, iteration, objective, gap) and once per
# step of long loops (hourly-check windows), then status.done=True at the end
Progress = Callable[[str, float], None]
Modify = Callable[[pyo.ConcreteModel, Ctx], None]  # applied to the built model before the solve


def _quiet(stage: str, seconds: float) -> None:
    del stage, seconds


def solver_options(base: Solver, overrides: dict[str, Any] | None) -> Solver:
    """The scenario's solver section with command-line overrides, validated like the YAML."""
    if not overrides:
        return base
    try:
        return Solver.model_validate({**base.model_dump(), **overrides})
    except ValidationError as e:
        raise InputError(
            [
                Problem(
                    "command line",
                    ".".join(str(x) for x in err["loc"]),
                    message=f"{err['msg']}; found {err.get('input')!r}",
                )
                for err in e.errors()
            ]
        ) from None


def solve_inputs(
    inputs: Inputs,
    progress: Progress = _quiet,
    solver: dict[str, Any] | None = None,
    *,
    warm: WarmStart | None = None,
    modify: Modify | None = None,
    steps: Time | None = None,
    periods: list[int] | None = None,
) -> xr.Dataset:
    """Build and solve a loaded case; raise SolveError unless a usable solution exists.
    `warm`: start from, or keep, a simplex basis (gridplan/warm_start.py); the results then carry
    a `warm_start` attribute saying how it went. `modify(model, ctx)` runs after the build and
    before the solve (near-optimal alternatives add their cost row and swap the objective,
    gridplan/alternatives/mga.py; the hourly check fixes the plan's capacities). `steps` and
    `periods`: other time steps than the case's selection, or a subset of its periods."""
    return _solve(inputs, progress, solver, warm=warm, modify=modify, steps=steps, periods=periods)[0]


def _solve(
    inputs: Inputs,
    progress: Progress,
    solver: dict[str, Any] | None,
    *,
    warm: WarmStart | None = None,
    modify: Modify | None = None,
    steps: Time | None = None,
    periods: list[int] | None = None,
) -> tuple[xr.Dataset, pyo.ConcreteModel]:
    """solve_inputs, also returning the solved model."""
    inputs.scenario.solver = solver_options(inputs.scenario.solver, solver)
    timings: dict[str, float] = {}
    live = live_of(progress)

    def stage(name: str, t0: float, next_stage: str = "") -> float:
        t1 = time.perf_counter()
        timings[name] = t1 - t0
        done(progress, name, t1 - t0)
        if next_stage:
            live(Status(next_stage, 0.0))
        return t1

    live(Status("time", 0.0))
    t = time.perf_counter()
    steps = steps or select(inputs)
    t = stage("time", t, "build")
    m, ctx = build(inputs, steps, periods)
    if modify is not None:
        modify(m, ctx)
    t = stage("build", t, "solve")
    with watching(live):
        if warm is None:
            sol = solve(m, inputs.scenario.solver)
        else:
            sol = solve(m, inputs.scenario.solver, warm=warm)
    for k in ("compile", "handover"):
        timings[k] = sol.timings[k]
    timings["solve"] = sol.timings["solve"]
    done(progress, "solve", sol.timings["compile"] + sol.timings["handover"] + sol.timings["solve"])
    live(Status("results", 0.0))
    t = time.perf_counter()
    check_usable(inputs, sol, m, ctx)
    ds = dataset(m, ctx, sol)
    stage("results", t)
    ds.attrs.update(
        {"gridplan_version": __version__, "input_hash": inputs.input_hash, "case": str(inputs.path)}
    )
    if not sol.optimal:
        ds.attrs["warning"] = (
            f"solver stopped with status '{sol.status}' ({limit_reached(inputs, sol)}): the results are a "
            "feasible, not optimal, solution"
        )
    if inputs.warnings:
        ds.attrs["input_warnings"] = "\n".join(str(w) for w in inputs.warnings)
    if warm is not None:
        ds.attrs["warm_start"] = sol.warm_start
    for k, v in timings.items():
        ds.attrs[f"seconds_{k}"] = round(v, 3)
    return ds, m


def done(progress: Progress, stage: str, seconds: float) -> None:
    """The end of a stage: progress(stage, seconds), and status.done=True for a live progress."""
    if takes_status(progress):
        progress(stage, seconds, Status(stage, seconds, done=True))  # type: ignore[call-arg]
    else:
        progress(stage, seconds)


def run(
    case: str | Path,
    progress: Progress = _quiet,
    solver: dict[str, Any] | None = None,
    *,
    warm: WarmStart | None = None,
) -> xr.Dataset:
    """Solve a case (a folder with scenario.yaml, or a YAML file) and return its results.
    `progress`: see Progress above; Ctrl-C stops the solve and raises KeyboardInterrupt.
    `warm`: see solve_inputs."""
    return run_with_check(case, progress, solver, check=False, warm=warm)[0]


def run_with_check(
    case: str | Path,
    progress: Progress = _quiet,
    solver: dict[str, Any] | None = None,
    check: bool = True,
    *,
    warm: WarmStart | None = None,
) -> tuple[xr.Dataset, xr.Dataset | None]:
    """The plan's results and, when the case asks for `hourly_check`, the plan's operation over
    all 8,760 hours of each period (gridplan/operations.py)."""
    t0 = time.perf_counter()
    live_of(progress)(Status("load", 0.0))
    inputs = load_case(case)
    seconds = time.perf_counter() - t0
    done(progress, "load", seconds)
    ds, m = _solve(inputs, progress, solver, warm=warm)
    ds.attrs["seconds_load"] = round(seconds, 3)
    if not (check and inputs.scenario.hourly_check.enabled):
        return ds, None
    from gridplan.operations import capacities, hourly_check

    return ds, hourly_check(inputs, capacities(m), ds, progress)
