"""Hand the Pyomo model to HiGHS in memory and read the solution back.

Pyomo's LinearStandardFormCompiler turns the model into sparse matrices (no LP file);
highspy receives them with passModel. Row duals are d(objective)/d(right-hand side).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from gridplan.config import Solver

STATUS = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnbounded": "unbounded",
    "kUnboundedOrInfeasible": "infeasible_or_unbounded",
    "kTimeLimit": "time_limit",
    "kIterationLimit": "iteration_limit",
    "kObjectiveBound": "objective_bound",
    "kSolveError": "solve_error",
    "kModelEmpty": "optimal",
}


@dataclass
class Solution:
    status: str
    optimal: bool
    feasible: bool  # a primal feasible point is available
    objective: float  # internal units (MCNY, discounted)
    x: np.ndarray
    duals: dict[int, float]  # id(ConstraintData) -> dual
    columns: list[Any]
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    solver: str = ""

    def dual(self, con: Any) -> float:
        return self.duals.get(id(con), 0.0)


def options_for(opts: Solver, n_cols: int) -> dict[str, Any]:
    """HiGHS options from the scenario's solver section (see model/parameters.md)."""
    method = opts.method
    if method == "choose":  # measured in scripts/bench.py: IPM wins on large expansion LPs
        method = "ipm" if n_cols > 50_000 else "simplex"
    if method == "hipo" and not _has_hipo():
        method = "ipm"
    out: dict[str, Any] = {
        "solver": method,
        "run_crossover": "on" if opts.crossover else "off",
        "primal_feasibility_tolerance": opts.tolerance,
        "dual_feasibility_tolerance": opts.tolerance,
        "presolve": "on" if opts.presolve else "off",
        "output_flag": opts.log,
        "random_seed": 0,
    }
    if method in ("ipm", "hipo"):
        out["ipm_optimality_tolerance"] = min(1e-8, opts.tolerance)
    if math.isfinite(opts.time_limit):
        out["time_limit"] = float(opts.time_limit)
    if opts.threads:
        out["threads"] = opts.threads
    out.update(opts.options)
    return out


def _has_hipo() -> bool:
    try:
        import highspy_extras  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def to_highs(m: pyo.ConcreteModel) -> tuple[highspy.HighsLp, Any, float]:
    """Standard form of the model as a HighsLp; also the compiled info and objective offset."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    cols = info.columns
    n, k = len(cols), len(info.rows)
    lb = np.fromiter((-np.inf if v.lb is None else v.lb for v in cols), float, n)
    ub = np.fromiter((np.inf if v.ub is None else v.ub for v in cols), float, n)
    kind = np.fromiter((r.bound_type for r in info.rows), int, k)
    rhs = np.asarray(info.rhs, dtype=float)
    A = info.A.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, k
    lp.col_cost_ = np.asarray(info.c.toarray()).ravel() if n else np.zeros(0)
    lp.col_lower_, lp.col_upper_ = lb, ub
    lp.row_lower_ = np.where(kind <= 0, rhs, -np.inf)
    lp.row_upper_ = np.where(kind >= 0, rhs, np.inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    offset = float(np.asarray(info.c_offset).ravel()[0]) if len(info.c_offset) else 0.0
    return lp, info, offset


def solve(m: pyo.ConcreteModel, opts: Solver) -> Solution:
    """Solve with HiGHS; load values into the model's variables when a feasible point exists."""
    t0 = time.perf_counter()
    lp, info, offset = to_highs(m)
    t1 = time.perf_counter()
    h = highspy.Highs()
    for k, v in options_for(opts, lp.num_col_).items():
        h.setOptionValue(k, v)
    h.passModel(lp)
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    status = STATUS.get(h.getModelStatus().name, h.getModelStatus().name)
    hinfo = h.getInfo()
    feasible = hinfo.primal_solution_status == 2
    sol = h.getSolution()
    x = np.asarray(sol.col_value) if feasible else np.zeros(lp.num_col_)
    duals: dict[int, float] = {}
    if status == "optimal" and hinfo.dual_solution_status == 2:
        for r, d in zip(info.rows, sol.row_dual, strict=True):
            key = id(r.constraint)
            duals[key] = duals.get(key, 0.0) + d
    if feasible:
        for v, val in zip(info.columns, x, strict=True):
            v.set_value(float(val), skip_validation=True)
    t4 = time.perf_counter()
    return Solution(
        status=status, optimal=status == "optimal", feasible=feasible,
        objective=(hinfo.objective_function_value + offset) if feasible else math.nan,
        x=x, duals=duals, columns=info.columns,
        timings={"compile": t1 - t0, "handover": t2 - t1, "solve": t3 - t2, "load": t4 - t3},
        stats={"rows": lp.num_row_, "columns": lp.num_col_, "nonzeros": len(lp.a_matrix_.value_),
               "simplex_iterations": hinfo.simplex_iteration_count,
               "ipm_iterations": hinfo.ipm_iteration_count,
               "crossover_iterations": hinfo.crossover_iteration_count},
        solver=f"HiGHS {h.version()} via highspy ({h.getOptionValue('solver')[1]})")
