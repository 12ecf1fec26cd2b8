"""Solve some periods of a case alone, e.g. a historical first period checked against published
figures (scripts/calibration.py). With the fleet fixed (Scenario.historical_periods) this is a
dispatch LP on the case's time steps.
"""

from __future__ import annotations

import xarray as xr

from gridplan.case.read import Inputs
from gridplan.errors import SolveError
from gridplan.lp.build import build
from gridplan.results import dataset
from gridplan.solve import solve
from gridplan.timesteps import select


def solve_periods(inputs: Inputs, periods: list[int]) -> xr.Dataset:
    """Results of the LP restricted to `periods` (targets and costs of those periods only)."""
    m, ctx = build(inputs, select(inputs), periods=periods)
    sol = solve(m, inputs.scenario.solver)
    if not sol.optimal:
        raise SolveError(sol.status, f"periods {periods} of {inputs.name}: solver status '{sol.status}'")
    return dataset(m, ctx, sol)
