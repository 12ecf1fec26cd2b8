"""One run: load -> time steps -> build -> solve -> results, with timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xarray as xr

from gridplan import __version__
from gridplan.errors import SolveError
from gridplan.inputs import Inputs, load
from gridplan.lp.build import build
from gridplan.results import dataset
from gridplan.solve import Solution, solve
from gridplan.timeseries import select

Progress = Callable[[str, float], None]
EXIT = {"infeasible": 3, "infeasible_or_unbounded": 3, "unbounded": 4, "time_limit": 5,
        "iteration_limit": 5}


def _quiet(stage: str, seconds: float) -> None:
    del stage, seconds


def solve_inputs(inputs: Inputs, progress: Progress = _quiet,
                 solver: dict[str, Any] | None = None) -> xr.Dataset:
    """Build and solve a loaded case; raise SolveError unless a usable solution exists."""
    if solver:
        inputs.scenario.solver = inputs.scenario.solver.model_copy(update=solver)
    timings: dict[str, float] = {}

    def stage(name: str, t0: float) -> float:
        t1 = time.perf_counter()
        timings[name] = t1 - t0
        progress(name, t1 - t0)
        return t1

    t = time.perf_counter()
    steps = select(inputs)
    t = stage("time", t)
    m, ctx = build(inputs, steps)
    t = stage("build", t)
    sol = solve(m, inputs.scenario.solver)
    for k in ("compile", "handover"):
        timings[k] = sol.timings[k]
    timings["solve"] = sol.timings["solve"]
    progress("solve", sol.timings["compile"] + sol.timings["handover"] + sol.timings["solve"])
    t = time.perf_counter()
    if not sol.feasible:
        raise _failure(inputs, sol)
    ds = dataset(m, ctx, sol)
    stage("results", t)
    ds.attrs.update({"gridplan_version": __version__, "input_hash": inputs.input_hash,
                     "case": str(inputs.path)})
    if not sol.optimal:
        ds.attrs["warning"] = f"solver stopped with status '{sol.status}': a feasible, not optimal, solution"
    for k, v in timings.items():
        ds.attrs[f"seconds_{k}"] = round(v, 3)
    return ds


def _failure(inputs: Inputs, sol: Solution) -> SolveError:
    """A clear error; for an infeasible case with hard targets, name the targets to relax."""
    code = EXIT.get(sol.status, 6)
    msg = f"the solver stopped without a feasible solution: status '{sol.status}'"
    if sol.status == "solve_error":
        msg += " (numerical trouble: try solver.method: simplex, or tighter scaling of inputs)"
    s = inputs.scenario
    hard = [n for n, t in s.targets.items() if t.enabled and not (t.soft or s.targets_mode == "soft")]
    if sol.status.startswith("infeasible") and hard:
        failing = diagnose(inputs)
        if failing:
            msg += "; re-solved with soft targets, these cannot all be met:\n" + "\n".join(
                f"  - {name} in {p}: short by {v:.6g} {u}" for name, p, v, u in failing)
    return SolveError(sol.status, msg, code)


def diagnose(inputs: Inputs) -> list[tuple[str, int, float, str]]:
    """Re-solve with every target soft; the targets that then fall short, with the amount."""
    s = inputs.scenario.model_copy(deep=True)
    for t in s.targets.values():
        t.soft = True
    soft = Inputs(s, inputs.path, inputs.files, inputs.input_hash, inputs.load, inputs.profiles,
                  inputs.heat)
    try:
        ds = solve_inputs(soft)
    except SolveError:
        return []
    out = []
    for tgt in ds["target"].values:
        for p in ds["period"].values:
            v = float(ds["target_shortfall"].sel(target=tgt, period=p))
            if v > 1e-6:
                out.append((str(tgt), int(p), v, str(ds["target_unit"].sel(target=tgt).values)))
    return out


def run(case: str | Path, progress: Progress = _quiet, solver: dict[str, Any] | None = None) -> xr.Dataset:
    """Solve a case (a folder with scenario.yaml, or a YAML file) and return its results."""
    t0 = time.perf_counter()
    inputs = load(case)
    seconds = time.perf_counter() - t0
    progress("load", seconds)
    ds = solve_inputs(inputs, progress, solver)
    ds.attrs["seconds_load"] = round(seconds, 3)
    return ds
