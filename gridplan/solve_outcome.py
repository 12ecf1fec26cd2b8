"""What a solver status means for a run: a usable solution, or a SolveError with a diagnosis.

optimal                                    -> usable
time or iteration limit, feasible point    -> usable (the results say they are not optimal)
infeasible (3), unbounded (4), limit without a feasible point (5), numerical trouble or
any other failure (6)                      -> SolveError (exit code of the command line)
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from gridplan.case import Inputs
from gridplan.conflicts import explain
from gridplan.errors import SolveError
from gridplan.lp.policies import Row
from gridplan.lp.terms import Ctx
from gridplan.solve import Solution, solve

EXIT = {"infeasible": 3, "infeasible_or_unbounded": 3, "unbounded": 4, "time_limit": 5, "iteration_limit": 5}
LIMITS = ("time_limit", "iteration_limit")


def usable(sol: Solution) -> bool:
    """Optimal, or stopped at a time/iteration limit with a primal feasible point. Any other
    status (even with a feasible point, as HiGHS gives for an unbounded LP) is a failure."""
    return sol.optimal or (sol.status in LIMITS and sol.feasible)


def limit_reached(inputs: Inputs, sol: Solution) -> str:
    opts = inputs.scenario.solver
    if sol.status == "time_limit" and math.isfinite(opts.time_limit):
        return f"time limit {opts.time_limit:g} s reached"
    return "iteration limit reached" if sol.status == "iteration_limit" else sol.status


def failure(
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
            f"the solver stopped at its limit ({limit_reached(inputs, sol)}) before it found a feasible "
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


def check_usable(inputs: Inputs, sol: Solution, m: pyo.ConcreteModel, ctx: Ctx) -> None:
    """Raise SolveError with its diagnosis (`_failure`) unless `sol` of the model `m` built from
    `inputs` is usable."""
    if not usable(sol):
        raise failure(inputs, sol, m, ctx.info.get("targets"))
