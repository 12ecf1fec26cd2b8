"""The time steps a scenario asks for (`time.mode`): full year, representative days or tsam."""

from __future__ import annotations

from gridplan.case import Inputs
from gridplan.timesteps.steps import Time, full_year
from gridplan.timesteps.tsam_days import tsam_periods
from gridplan.timesteps.typical_days import representative_days


def select(inputs: Inputs) -> Time:
    """The time steps the scenario asks for."""
    t = inputs.scenario.time
    if t.mode == "full_year":
        return full_year()
    if t.mode == "tsam":
        return tsam_periods(inputs)
    return representative_days(inputs, t.days, list(t.extreme_periods))
