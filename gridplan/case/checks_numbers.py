"""Numbers of a validated scenario that the schema cannot check: signs and finiteness inside
per-zone/per-period maps, maps that name undefined zones or miss periods, ranges between fields
(durations, retrofits), and magnitudes that betray a wrong unit (UNIT_RANGES: kW for MW, CNY/MW
for CNY/kW, ...). Targets are checked in checks_targets.py."""

from __future__ import annotations

import math

import numpy as np

from gridplan.case.schema import Scenario
from gridplan.case.tables import HOURS
from gridplan.case.values import numbers, per_period, per_zone_period, value_fields
from gridplan.errors import Problem

# Plausible magnitudes of positive values, by (section, field): (low, high, unit, hint if below,
# hint if above). A value outside is almost surely in another unit; 0 always passes (not set).
UNIT_RANGES: dict[tuple[str, str], tuple[float, float, str, str, str]] = {
    ("*", "capex"): (1.0, 1e6, "CNY/kW", "万元/kW (×10000)", "CNY/MW (÷1000)"),
    ("storage", "capex_power"): (1.0, 1e6, "CNY/kW", "万元/kW (×10000)", "CNY/MW (÷1000)"),
    ("storage", "capex_energy"): (1.0, 1e6, "CNY/kWh", "万元/kWh (×10000)", "CNY/MWh (÷1000)"),
    ("technologies", "heat_rate"): (
        150.0,
        600.0,
        "gce/kWh",
        "kgce/kWh or tce/MWh (×1000)",
        "gce/MWh, kcal/kWh or kJ/kWh",
    ),
    ("fuels", "price"): (10.0, 1e5, "CNY/tce", "CNY/kgce (×1000)", ""),
    ("fuels", "co2"): (0.0, 10.0, "tCO2/tce", "", "kgCO2/tce (÷1000)"),
    ("technologies", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("storage", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("links", "capacity"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("imports", "capacity"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("demand_response", "potential"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("demand_response", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("imports", "price"): (1.0, 1e5, "CNY/MWh", "CNY/kWh (×1000)", "CNY/GWh"),
    ("imports", "price_renewable"): (1.0, 1e5, "CNY/MWh", "CNY/kWh (×1000)", "CNY/GWh"),
    ("demand", "annual_energy"): (0.0, 1e6 * HOURS, "MWh", "", "kWh (÷1000)"),
    ("heat", "annual_energy"): (0.0, 1e6 * HOURS, "MWh_th", "", "kWh (÷1000)"),
}
# fields where an infinite value means "no limit"; everywhere else numbers must be finite
INF_OK = {"build_max", "potential", "max_energy", "duration_max", "max_hours", "time_limit", "max"}


def check_numbers(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Signs, finiteness and ranges that the schema cannot express (values inside maps)."""
    skip = ("zones.", "solver.options", "targets.", "period_years.")
    for path, name, v in numbers(s):
        if path.startswith(skip) or name in ("lat", "lon", "base_year"):
            continue
        if math.isnan(v):
            problems.append(Problem(file, path, message="found NaN; expected a number"))
        elif v < 0:
            problems.append(Problem(file, path, message=f"found {v:g}; expected a value >= 0"))
        elif math.isinf(v) and name not in INF_OK:
            problems.append(
                Problem(
                    file,
                    path,
                    message=(
                        "found inf; expected a finite number (only build_max, potential, max_energy, "
                        "duration_max, max_hours may be inf)"
                    ),
                )
            )
    for n, st in s.storage.items():
        if st.duration_min > st.duration_max:
            problems.append(
                Problem(
                    file,
                    f"storage.{n}.duration_min",
                    message=(
                        f"found duration_min {st.duration_min:g} h > duration_max {st.duration_max:g} h; "
                        "expected min <= max"
                    ),
                )
            )
    for n, t in s.technologies.items():
        fx, cm = (t.retrofits.flexibility if t.retrofits else None), t.commitment
        if fx is not None and cm is not None and cm.enabled:
            for key, bad, bound, verb in (
                ("min_stable", fx.min_stable > cm.min_stable, "at most", "lowers"),
                ("ramp", fx.ramp < cm.ramp, "at least", "raises"),
            ):
                if bad:
                    problems.append(
                        Problem(
                            file,
                            f"technologies.{n}.retrofits.flexibility.{key}",
                            message=(
                                f"found {getattr(fx, key):g}; expected {bound} the unretrofitted "
                                f"commitment.{key} {getattr(cm, key):g} (a flexibility retrofit {verb} it)"
                            ),
                        )
                    )
        es = t.retrofits.energy_saving if t.retrofits else None
        hr = np.atleast_1d(
            np.array(
                list(t.heat_rate.values()) if isinstance(t.heat_rate, dict) else [t.heat_rate], dtype=float
            )
        )
        if es is not None and len(hr) and es.heat_rate_reduction >= hr.min() > 0:
            problems.append(
                Problem(
                    file,
                    f"technologies.{n}.retrofits.energy_saving.heat_rate_reduction",
                    message=(
                        f"found {es.heat_rate_reduction:g} gce/kWh; expected less than "
                        f"the heat rate {hr.min():g} gce/kWh"
                    ),
                )
            )


def check_maps(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Per-zone and per-period mappings must name defined zones and cover every period."""
    zones, periods = list(s.zones), list(s.periods)
    for path, _name, v, kind in value_fields(s):
        if path.startswith("targets."):
            continue  # a target names only the periods it applies to
        if kind == "period":
            per_period(v, periods, (file, path), problems)
        elif kind in ("zone", "zone_period"):
            per_zone_period(v, zones, periods, (file, path), problems)


def check_magnitudes(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Values far outside what any real system has: almost surely the wrong unit."""
    flagged: set[str] = set()
    for path, name, v in numbers(s):
        sect = path.split(".")[0]
        rule = UNIT_RANGES.get((sect, name)) or UNIT_RANGES.get(("*", name))
        if rule is None or v <= 0 or not math.isfinite(v):
            continue
        if sect == "targets" or (sect == "solver"):
            continue
        lo, hi, unit, hint_lo, hint_hi = rule
        parts = path.split(".")
        owner = ".".join(parts[: parts.index(name) + 1]) if name in parts else path
        if owner in flagged:
            continue
        if v < lo or v > hi:
            flagged.add(owner)
            hint = hint_lo if v < lo else hint_hi
            problems.append(
                Problem(
                    file,
                    path,
                    message=(
                        f"found {v:g} {unit}, outside the plausible range {lo:g}..{hi:g} {unit}"
                        + (f"; is it in {hint}?" if hint else "")
                        + f" expected {unit}"
                    ),
                )
            )
