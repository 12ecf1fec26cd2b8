"""One run: load -> time steps -> build -> solve -> results, with timings.

Solver outcomes (exit codes of the command line, see gridplan/errors.py):
    optimal                                    -> the results
    time or iteration limit, feasible point    -> the results, attrs optimal=0 and `warning`
    infeasible (3), unbounded (4), limit without a feasible point (5), numerical trouble or
    any other failure (6)                      -> SolveError; nothing is returned or written
HiGHS runs with fixed options (random_seed 0), so the same inputs give the same results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
import xarray as xr
from pydantic import ValidationError

from gridplan import __version__
from gridplan.config import Solver
from gridplan.conflicts import explain
from gridplan.errors import InputError, Problem, SolveError
from gridplan.inputs import Inputs, load
from gridplan.lp.build import build
from gridplan.lp.policies import Row
from gridplan.lp.terms import Ctx
from gridplan.results import dataset
from gridplan.solve import Solution, solve
from gridplan.timeseries import select
from gridplan.watch import Status, live_of, takes_status, watching

# progress(stage, seconds) at the end of each stage; a callable that also takes a third argument,
# progress(stage, seconds, status), gets live updates too: a gridplan.watch.Status at the start
# of each stage, about every second of the solve (phase, iteration, objective, gap) and once per
# step of long loops (hourly-check windows), then status.done=True at the end
Progress = Callable[[str, float], None]
EXIT = {"infeasible": 3, "infeasible_or_unbounded": 3, "unbounded": 4, "time_limit": 5, "iteration_limit": 5}
LIMITS = ("time_limit", "iteration_limit")
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
    modify: Modify | None = None,
) -> xr.Dataset:
    """Build and solve a loaded case; raise SolveError unless a usable solution exists.
    `modify(model, ctx)` runs after the build and before the solve (e.g. near-optimal
    alternatives add their cost row and swap the objective, gridplan/alternatives/mga.py)."""
    return _solve(inputs, progress, solver, modify=modify)[0]


def _solve(
    inputs: Inputs, progress: Progress, solver: dict[str, Any] | None, *, modify: Modify | None = None
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
    steps = select(inputs)
    t = stage("time", t, "build")
    m, ctx = build(inputs, steps)
    if modify is not None:
        modify(m, ctx)
    t = stage("build", t, "solve")
    with watching(live):
        sol = solve(m, inputs.scenario.solver)
    for k in ("compile", "handover"):
        timings[k] = sol.timings[k]
    timings["solve"] = sol.timings["solve"]
    done(progress, "solve", sol.timings["compile"] + sol.timings["handover"] + sol.timings["solve"])
    live(Status("results", 0.0))
    t = time.perf_counter()
    if not usable(sol):
        raise _failure(inputs, sol, m, ctx.info.get("targets"))
    ds = dataset(m, ctx, sol)
    stage("results", t)
    ds.attrs.update(
        {"gridplan_version": __version__, "input_hash": inputs.input_hash, "case": str(inputs.path)}
    )
    if not sol.optimal:
        ds.attrs["warning"] = (
            f"solver stopped with status '{sol.status}' ({_limit(inputs, sol)}): the results are a "
            "feasible, not optimal, solution"
        )
    if inputs.warnings:
        ds.attrs["input_warnings"] = "\n".join(str(w) for w in inputs.warnings)
    for k, v in timings.items():
        ds.attrs[f"seconds_{k}"] = round(v, 3)
    return ds, m


def done(progress: Progress, stage: str, seconds: float) -> None:
    """The end of a stage: progress(stage, seconds), and status.done=True for a live progress."""
    if takes_status(progress):
        progress(stage, seconds, Status(stage, seconds, done=True))  # type: ignore[call-arg]
    else:
        progress(stage, seconds)


def usable(sol: Solution) -> bool:
    """Optimal, or stopped at a time/iteration limit with a primal feasible point. Any other
    status (even with a feasible point, as HiGHS gives for an unbounded LP) is a failure."""
    return sol.optimal or (sol.status in LIMITS and sol.feasible)


def _limit(inputs: Inputs, sol: Solution) -> str:
    opts = inputs.scenario.solver
    if sol.status == "time_limit" and math.isfinite(opts.time_limit):
        return f"time limit {opts.time_limit:g} s reached"
    return "iteration limit reached" if sol.status == "iteration_limit" else sol.status


def _failure(
    inputs: Inputs, sol: Solution, m: pyo.ConcreteModel | None = None, rows: list[Row] | None = None
) -> SolveError:
    """A clear error per solver status; for an infeasible case, the minimal sets of the user's
    limits that cannot hold together (gridplan/conflicts.py); an 'infeasible or unbounded'
    verdict of presolve is settled by re-solving without presolve."""
    status = sol.status
    if status == "infeasible_or_unbounded" and m is not None and inputs.scenario.solver.presolve:
        again = solve(m, inputs.scenario.solver.model_copy(update={"presolve": False}))
        if again.status in ("infeasible", "unbounded"):
            status = again.status
    code = EXIT.get(status, 6)
    if status in ("infeasible", "infeasible_or_unbounded"):
        msg = f"the case is infeasible (solver status '{status}'): "
        named = explain(inputs, m, rows) if m is not None else None
        msg += named or (
            "no plan satisfies every constraint. "
            "Unserved energy is always allowed, so look at hard limits: must-run output "
            "(min_output), build_min, import min_energy, fixed renewable shares, hard targets"
        )
    elif status == "unbounded":
        msg = (
            "the case is unbounded (solver status 'unbounded'): the cost can fall without limit; "
            "look for negative costs or prices and for variables without an upper bound"
        )
    elif status in LIMITS:
        msg = (
            f"the solver stopped at its limit ({_limit(inputs, sol)}) before it found a feasible "
            "solution; nothing was saved. Raise solver.time_limit (or --time-limit), use "
            "representative days, or solver.method: ipm"
        )
    elif status == "solve_error":
        msg = (
            "the solver failed with numerical trouble (status 'solve_error'); nothing was saved. "
            "Try solver.method: simplex, presolve on, or inputs with less extreme magnitudes"
        )
    else:
        msg = f"the solver stopped without a feasible solution: status '{status}'; nothing was saved"
    return SolveError(status, msg, code)


def run(case: str | Path, progress: Progress = _quiet, solver: dict[str, Any] | None = None) -> xr.Dataset:
    """Solve a case (a folder with scenario.yaml, or a YAML file) and return its results.
    `progress`: see Progress above; Ctrl-C stops the solve and raises KeyboardInterrupt."""
    return run_with_check(case, progress, solver, check=False)[0]


def run_with_check(
    case: str | Path, progress: Progress = _quiet, solver: dict[str, Any] | None = None, check: bool = True
) -> tuple[xr.Dataset, xr.Dataset | None]:
    """The plan's results and, when the case asks for `hourly_check`, the plan's operation over
    all 8,760 hours of each period (gridplan/operations.py)."""
    t0 = time.perf_counter()
    live_of(progress)(Status("load", 0.0))
    inputs = load(case)
    seconds = time.perf_counter() - t0
    done(progress, "load", seconds)
    ds, m = _solve(inputs, progress, solver)
    ds.attrs["seconds_load"] = round(seconds, 3)
    if not (check and inputs.scenario.hourly_check.enabled):
        return ds, None
    from gridplan.operations import capacities, hourly_check

    return ds, hourly_check(inputs, capacities(m), ds, progress)
