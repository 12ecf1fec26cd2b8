"""Checks beyond the schema: plausibility bounds, hard bounds on time and money fields, and
outliers of series against their own shape (issue 20).

Two kinds of bounds:

- **hard** (always errors): what would make the answer meaningless or the run hang, whatever
  the researcher means — `base_year` more than MAX_BASE_YEAR_GAP years from the periods (every
  discounted cost would vanish or explode), a period standing for more than
  schema.MAX_PERIOD_YEARS years (explicitly or by the spacing of `periods`), series that cannot be
  summed in floating point (NUL bytes in a CSV: tables.py).
- **plausibility** (PLAUSIBLE below, and SHAPE_LIMIT): values no real system has. Errors by
  default; with `allow_implausible: true` in the scenario they are listed as warnings and the run
  goes on (a researcher may mean an extreme value).

Outliers: a series scaled to an annual energy (demand.file with `demand.annual_energy`, demand
components, heat) only gives its shape, so its absolute values are never checked against a unit.
Instead each column's peak is compared with the column's own mean: a peak above SHAPE_LIMIT times
the mean (a load cell of 1e308, or one 10,000 times its neighbours) is flagged. Real shapes stay
far below (Jiangxi: at most 3.5 for load, EV charging and heat; 6.9 for a solar profile).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridplan.case.schema import MAX_PERIOD_YEARS, Scenario
from gridplan.case.values import numbers
from gridplan.errors import ERROR, WARNING, Problem

MAX_BASE_YEAR_GAP = 50  # years between base_year and the nearest end of the periods
SHAPE_LIMIT = 50.0  # peak / mean of a scaled series
# field name -> (low, high, unit): positive values outside are implausible; 0 always passes
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "value_of_lost_load": (1e3, 1e6, "CNY/MWh"),
    "vom": (0.0, 1e5, "CNY/MWh"),
    "dispatch_cost": (0.0, 1e5, "CNY/MWh"),
    "boiler_cost": (0.0, 1e5, "CNY/MWh_th"),
    "startup_cost": (0.0, 1e7, "CNY/MW started"),
    "startup_cost_unit": (0.0, 1e10, "CNY per unit start"),
    "fom": (0.0, 1e5, "CNY/kW-yr"),
    "fixed_cost": (0.0, 1e5, "CNY/kW-yr"),
    "lifetime": (1.0, 100.0, "years"),
}
PERIOD_RANGE = (1950, 2150)  # plausible investment years


def check_scenario(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Hard bounds on base_year and the years per period; plausibility bounds (PLAUSIBLE)."""
    first, last = s.periods[0], s.periods[-1]
    if s.base_year is not None and not first - MAX_BASE_YEAR_GAP <= s.base_year <= last + MAX_BASE_YEAR_GAP:
        problems.append(
            Problem(
                file,
                "base_year",
                message=(
                    f"found {s.base_year}; expected a year within {MAX_BASE_YEAR_GAP} years of the periods "
                    f"({first - MAX_BASE_YEAR_GAP}..{last + MAX_BASE_YEAR_GAP}): discounting over centuries makes "
                    "every cost vanish or explode"
                ),
            )
        )
    gaps = np.diff(s.periods)
    if s.period_years is None and len(gaps) and gaps.max() > MAX_PERIOD_YEARS:
        problems.append(
            Problem(
                file,
                "periods",
                message=(
                    f"found periods {gaps.max()} years apart; expected at most {MAX_PERIOD_YEARS} years per period "
                    "(set period_years, or add periods)"
                ),
            )
        )
    severity = WARNING if s.allow_implausible else ERROR
    tail = "; set allow_implausible: true if it is meant"
    lo_p, hi_p = PERIOD_RANGE
    for i, p in enumerate(s.periods):
        if not lo_p <= p <= hi_p:
            problems.append(
                Problem(
                    file,
                    f"periods.{i}",
                    message=f"found {p}; expected a year in {lo_p}..{hi_p}{tail}",
                    severity=severity,
                )
            )
    for path, name, v in numbers(s):
        rule = PLAUSIBLE.get(name)
        if rule is None or path.startswith(("solver.", "targets.")) or not math.isfinite(v) or v <= 0:
            continue
        lo, hi, unit = rule
        if not lo <= v <= hi:
            problems.append(
                Problem(
                    file,
                    path,
                    message=f"found {v:g} {unit}, outside the plausible range {lo:g}..{hi:g} {unit}{tail}",
                    severity=severity,
                )
            )


def scaled_tables(data: dict[str, Any]) -> list[str]:
    """Keys (as in Inputs.files) of the tables that give only a shape scaled to an annual energy."""
    demand = data.get("demand") if isinstance(data.get("demand"), dict) else {}
    out = ["demand.file"] if isinstance(demand, dict) and demand.get("annual_energy") is not None else []
    comps = demand.get("components") if isinstance(demand, dict) else None
    out += [f"demand.components.{n}" for n in comps] if isinstance(comps, dict) else []
    return [*out, "heat.file"]


def check_shapes(
    data: dict[str, Any],
    tables: dict[str, pd.DataFrame | None],
    files: dict[str, Path],
    problems: list[Problem],
) -> None:
    """Outliers of scaled series against their own mean (see the module docstring)."""
    severity = WARNING if data.get("allow_implausible") is True else ERROR
    for key in scaled_tables(data):
        df = tables.get(key)
        if df is None or key not in files:
            continue
        for col in df.columns:
            v = df[col].to_numpy(dtype=float)
            top = float(v.max()) if len(v) else 0.0
            if top <= 0:
                continue
            mean = float((v / top).mean())  # in units of the peak: never overflows
            if top * len(v) > np.finfo(float).max:
                problems.append(
                    Problem(
                        str(files[key]),
                        str(col),
                        int(np.argmax(v)) + 2,
                        message=f"found {top:.4g}; expected values whose annual sum is a finite number",
                    )
                )
            elif 1 / mean > SHAPE_LIMIT:
                problems.append(
                    Problem(
                        str(files[key]),
                        str(col),
                        int(np.argmax(v)) + 2,
                        message=(
                            f"found {top:.4g}, {1 / mean:,.0f} times the column's mean {top * mean:.4g}; expected "
                            f"a peak at most {SHAPE_LIMIT:g} times the mean (an outlier: a typo or a wrong unit "
                            "in one cell?); set allow_implausible: true if it is meant"
                        ),
                        severity=severity,
                    )
                )
