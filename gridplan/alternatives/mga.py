"""Modelling to generate alternatives (MGA): near-optimal plans pushed in a chosen direction.

With C* the optimal total cost (present value, MCNY) of the case and s the slack:

    sum_components sum_p cost[component][p] <= (1 + s) * C*        (mga_cost_slack)
    minimise  d(x)   or   minimise  -d(x)   (maximise d)             (mga_objective)

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
from gridplan.solve import solve
from gridplan.solve_outcome import usable


@dataclass
class Built:
    """A built model kept by a worker between alternatives."""

    key: str
    inputs: Inputs
    model: pyo.ConcreteModel
    ctx: Ctx


_KEPT: dict[str, Built] = {}  # at most one entry: the worker's last model


def set_alternative(
    m: pyo.ConcreteModel, ctx: Ctx, limit: float | None, direction: Direction | None, sense: str
) -> None:
    """Cost row at `limit` [MCNY] and the direction's objective; limit None: the original
    problem (cost row and direction objective off, the original objective on)."""
    if not hasattr(m, "mga_cost_limit"):
        m.mga_cost_limit = pyo.Param(mutable=True, initialize=0.0)
        m.mga_cost_slack = pyo.Constraint(expr=ctx.total_cost() <= m.mga_cost_limit)
        m.mga_cost_slack.deactivate()
    if hasattr(m, "mga_objective"):
        m.del_component(m.mga_objective)
    if limit is None or direction is None:
        m.mga_cost_slack.deactivate()
        m.objective.activate()
        return
    m.mga_cost_limit.set_value(limit)
    m.mga_cost_slack.activate()
    m.objective.deactivate()
    sign = 1.0 if sense == "min" else -1.0
    m.mga_objective = pyo.Objective(expr=sign * expression(direction, m, ctx), sense=pyo.minimize)


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
        }
    )
