"""Modelling to generate alternatives (MGA): near-optimal plans pushed in a chosen direction.

With C* the optimal total cost (present value, MCNY) of the case and s the slack:

    sum_components sum_p cost[component][p] <= (1 + s) * C*        (mga_cost_slack)
    minimise  d(x)   or   minimise  -d(x)   (maximise d)             (polish_objective)

solved in two steps: the interior point minimises (+-)d(x) + TIE_BREAK * cost(x) / limit
(`mga_objective`: among plans of equal d the cheapest, which keeps HiPO off the flat optimal face
of d, where it stalls), then primal simplex from its vertex minimises (+-)d(x) itself
(`polish_objective`, gridplan/solve.py), so the answer is exact. Without a vertex (crossover
off) there is no polish; `mga_direction_bound` then says how far the exact extreme can lie
beyond the value found (0 when the cost row binds).

where d is a direction (gridplan/alternatives/directions.py). The original objective is
deactivated, not removed. The cost row's right-hand side is a mutable parameter
(`mga_cost_limit`), so one built model serves every slack and direction: a worker keeps the last
model it built (keyed by the case's inputs and solver settings) and only changes the right-hand
side and the objective between alternatives; the LP is compiled and solved afresh each time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo
import xarray as xr

from gridplan import __version__
from gridplan.alternatives.directions import Direction, expression
from gridplan.case import Inputs, load_case
from gridplan.errors import SolveError
from gridplan.lp.terms import Ctx
from gridplan.lp.units import MCNY
from gridplan.pipeline import solve_inputs, solver_options
from gridplan.results import dataset
from gridplan.solve import POLISH, solve
from gridplan.solve_outcome import usable


@dataclass
class Built:
    """A built model kept by a worker between alternatives."""

    key: str
    inputs: Inputs
    model: pyo.ConcreteModel
    ctx: Ctx


_KEPT: dict[str, Built] = {}  # at most one entry: the worker's last model
# what the whole cost limit is worth in the interior point's objective, in the direction's
# internal unit (GW, MtCO2/yr, TWh/yr): a tie-break among plans of equal direction value, without
# which HiPO stalls on the LP's flat optimal face; the polish then solves the exact objective
TIE_BREAK = 75.0


def set_alternative(
    m: pyo.ConcreteModel, ctx: Ctx, limit: float | None, direction: Direction | None, sense: str
) -> None:
    """Cost row at `limit` [MCNY] and the direction's objective; limit None: the original
    problem (cost row and direction objective off, the original objective on)."""
    if not hasattr(m, "mga_cost_limit"):
        m.mga_cost_limit = pyo.Param(mutable=True, initialize=0.0)
        m.mga_cost_slack = pyo.Constraint(expr=ctx.total_cost() <= m.mga_cost_limit)
        m.mga_cost_slack.deactivate()
    for name in ("mga_objective", POLISH):
        if hasattr(m, name):
            m.del_component(name)
    if limit is None or direction is None:
        m.mga_cost_slack.deactivate()
        m.objective.activate()
        return
    m.mga_cost_limit.set_value(limit)
    m.mga_cost_slack.activate()
    m.objective.deactivate()
    sign = 1.0 if sense == "min" else -1.0
    d = sign * expression(direction, m, ctx)
    m.mga_objective = pyo.Objective(expr=d + TIE_BREAK / limit * ctx.total_cost(), sense=pyo.minimize)
    setattr(m, POLISH, pyo.Objective(expr=d, sense=pyo.minimize))
    getattr(m, POLISH).deactivate()


def solve_alternative(
    case: str,
    key: str,
    solver: dict[str, Any],
    limit: float | None,
    direction: Direction | None,
    sense: str,
) -> xr.Dataset:
    """Results of one alternative (limit None: the optimum). Reuses the worker's built model
    when its key matches; otherwise builds it through gridplan.pipeline.solve_inputs."""
    kept = _KEPT.get(key)
    t0 = time.perf_counter()
    if kept is None:
        _KEPT.clear()
        inputs = load_case(case)
        t_load = time.perf_counter() - t0
        holder: list[Built] = []

        def modify(m: pyo.ConcreteModel, ctx: Ctx) -> None:
            set_alternative(m, ctx, limit, direction, sense)
            holder.append(Built(key, inputs, m, ctx))

        ds = solve_inputs(inputs, solver=solver, modify=modify)
        ds.attrs["seconds_load"] = round(t_load, 3)
        kept = holder[0]
        _KEPT[key] = kept
        reused = 0
    else:
        m, ctx, inputs = kept.model, kept.ctx, kept.inputs
        set_alternative(m, ctx, limit, direction, sense)
        opts = solver_options(inputs.scenario.solver, solver)
        sol = solve(m, opts)
        if not usable(sol):
            raise SolveError(sol.status, f"the alternative did not solve: solver status '{sol.status}'")
        t = time.perf_counter()
        ds = dataset(m, ctx, sol)
        ds.attrs.update(
            {"gridplan_version": __version__, "input_hash": inputs.input_hash, "case": str(inputs.path)}
        )
        for k in ("compile", "handover", "solve"):
            ds.attrs[f"seconds_{k}"] = round(sol.timings[k], 3)
        ds.attrs["seconds_results"] = round(time.perf_counter() - t, 3)
        reused = 1
    _label(ds, kept, limit, direction, sense)
    ds.attrs["model_reused"] = reused
    ds.attrs["seconds_alternative"] = round(time.perf_counter() - t0, 3)
    return ds


def _label(ds: xr.Dataset, kept: Built, limit: float | None, direction: Direction | None, sense: str) -> None:
    """The alternative's attributes; `objective` is its total cost [CNY], as in any results.nc."""
    m, ctx = kept.model, kept.ctx
    ds.attrs["objective"] = float(pyo.value(ctx.total_cost())) * MCNY
    if limit is None or direction is None:
        ds.attrs["mga_direction"] = "optimum"
        return
    ds.attrs.update(
        {
            "mga_direction": direction.name,
            "mga_direction_text": direction.text,
            "mga_sense": sense,
            "mga_cost_limit": limit * MCNY,
            "mga_direction_value": float(pyo.value(expression(direction, m, ctx))),
            "mga_direction_unit": direction.unit,
            "mga_note": "prices and shadow prices are duals of the alternative's LP, not marginal costs",
            "mga_direction_bound": tie_bound(ds, kept, limit),
        }
    )


def tie_bound(ds: xr.Dataset, kept: Built, limit: float) -> float:
    """How far the direction's true extreme can lie beyond the value found [direction unit]:
    0 when the polish solved the exact objective; else (interior point without crossover, so no
    basis to polish from) TIE_BREAK * (limit - cost) / limit, since every plan x with
    cost(x) <= limit has d(x) >= d_found - TIE_BREAK * (limit - cost_found) / limit (the found
    plan minimises d + TIE_BREAK * cost / limit)."""
    if "then primal simplex on the exact objective" in str(ds.attrs.get("solver", "")):
        return 0.0
    cost = float(pyo.value(kept.ctx.total_cost()))
    return max(0.0, TIE_BREAK * (limit - cost) / limit)
