"""Hourly demand of a case: the base load shape scaled to its annual energy plus the demand
components [MW], and heat demand [MW_th], for every period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gridplan.case.schema import Scenario
from gridplan.case.values import per_period, per_zone_period
from gridplan.errors import Problem


def hourly_loads(
    s: Scenario, file: str, tables: dict[str, pd.DataFrame | None], problems: list[Problem]
) -> tuple[dict[int, pd.DataFrame], dict[int, pd.DataFrame], dict[str, dict[int, pd.DataFrame]]]:
    """Hourly load [MW] per period (base shape scaled to annual_energy, plus components), heat,
    and each component's own hourly load per period."""
    periods = list(s.periods)
    base = tables["demand.file"]
    assert base is not None
    scratch: list[Problem] = []  # map problems are reported by check_maps
    loads: dict[int, pd.DataFrame] = {}
    comps: dict[str, dict[int, pd.DataFrame]] = {n: {} for n in s.demand.components}
    energy = (
        None
        if s.demand.annual_energy is None
        else per_period(s.demand.annual_energy, periods, (file, "demand.annual_energy"), scratch)
    )
    base_sum = float(base.to_numpy().sum())
    if energy is not None and base_sum <= 0 and energy.max() > 0:
        problems.append(
            Problem(
                str(s.demand.file),
                message=(
                    "every load is 0, so the file cannot be scaled to demand.annual_energy; expected a load shape"
                ),
            )
        )
    for i, p in enumerate(periods):
        total = base.copy()
        if energy is not None:
            total *= energy[i] / max(base_sum, 1e-12)
        for n, c in s.demand.components.items():
            shape = tables[f"demand.components.{n}"]
            assert shape is not None
            e = per_period(c.annual_energy, periods, (file, f"demand.components.{n}.annual_energy"), scratch)
            ssum = float(shape.to_numpy().sum())
            if ssum <= 0 and e[i] > 0:
                problems.append(
                    Problem(
                        str(c.file),
                        message=(
                            f"every value is 0, so it cannot be scaled to demand.components.{n}.annual_energy; "
                            "expected a load shape"
                        ),
                    )
                )
                continue
            comps[n][p] = shape * (e[i] / max(ssum, 1e-12))
            total += comps[n][p]
        loads[p] = total
    return loads, _heat_loads(s, file, tables.get("heat.file"), problems), comps


def _heat_loads(
    s: Scenario, file: str, shape: pd.DataFrame | None, problems: list[Problem]
) -> dict[int, pd.DataFrame]:
    """Hourly heat demand [MW_th] per period: each zone's shape spread over its annual energy."""
    zones, periods = list(s.zones), list(s.periods)
    scratch: list[Problem] = []  # map problems are reported by check_maps
    heat: dict[int, pd.DataFrame] = {}
    if s.heat is not None and shape is not None:
        he = per_zone_period(s.heat.annual_energy, zones, periods, (file, "heat.annual_energy"), scratch)
        sums = shape.sum().to_numpy()
        empty = [z for z, v, row in zip(zones, sums, he, strict=True) if v <= 0 and row.max() > 0]
        for z in empty:
            problems.append(
                Problem(
                    str(s.heat.file),
                    z,
                    message=(
                        "every value is 0, so heat.annual_energy of this zone cannot be spread over the year; "
                        "expected a heat-demand shape"
                    ),
                )
            )
        for i, p in enumerate(periods):
            heat[p] = shape * (he[:, i] / np.maximum(sums, 1e-12))
    return heat
