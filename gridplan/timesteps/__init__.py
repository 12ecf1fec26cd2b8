"""Time steps of the model: the full year, representative days or tsam typical periods.

steps.py         Time (steps, weights, blocks), month weights, reading hourly series on the steps
typical_days.py  representative days by runs of consecutive days, extreme days
tsam_days.py     typical periods chosen by tsam, with the energy-preserving correction
selection.py     `select`: the time steps a scenario asks for
expansion.py     per-step results mapped back to the 8760 hours of the year
"""

from gridplan.timesteps.expansion import expand_to_year, hour_to_step, linked_soc_year
from gridplan.timesteps.selection import select
from gridplan.timesteps.steps import (
    DAYS,
    ScaledTime,
    Time,
    full_year,
    month_weights,
    on_steps,
    period_hours,
    series_key,
)
from gridplan.timesteps.tsam_days import tsam_periods
from gridplan.timesteps.typical_days import extreme_days, representative_days

__all__ = [
    "DAYS",
    "ScaledTime",
    "Time",
    "expand_to_year",
    "extreme_days",
    "full_year",
    "hour_to_step",
    "linked_soc_year",
    "month_weights",
    "on_steps",
    "period_hours",
    "representative_days",
    "select",
    "series_key",
    "tsam_periods",
]
