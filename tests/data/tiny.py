"""A small valid case with one of everything, written as text so tests can corrupt it line by line.

Two zones (a, b), two periods, coal + solar + storage + a link + an import channel + demand
response + two targets, representative days (2) so that building and solving take well under a
second. Load: a = 100 MW + 40 MW from 8 to 20 h, b = 60 MW; scaled to demand.annual_energy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HOURS = 8760

SCENARIO = """\
name: tiny
periods: [2025, 2030]
period_years: {2025: 5, 2030: 5}
discount_rate: 0.05
value_of_lost_load: 20000
zones:
  a: {name_zh: 甲}
  b: {name_zh: 乙}
profiles:
  solar: solar.csv
  imp: imports.csv
demand:
  file: load.csv
  annual_energy: {2025: 1500000, 2030: 1800000}
fuels:
  coal: {price: 1000, co2: 2.66, coal: true}
technologies:
  coal:
    kind: thermal
    fuel: coal
    heat_rate: 300
    capex: 4000
    existing: {a: 100}
    build_max: 100
    lifetime: 30
  pv:
    kind: variable
    groups: [solar_all]
    profile: solar
    capex: 3000
    build_max: 200
    potential: 500
storage:
  bat:
    eff_charge: 0.95
    eff_discharge: 0.95
    capex_power: 500
    capex_energy: 800
    duration_min: 1
    duration_max: 8
    build_max: 50
links:
  ab: {from: a, to: b, capacity: 50, loss: 0.02}
imports:
  hydro_in: {zone: a, capacity: 50, profile: imp, price: 300, min_energy: 1000}
demand_response:
  ind: {potential: {a: 10}, fixed_cost: 20, dispatch_cost: 2000, max_hours: 50}
targets:
  pv_2030: {kind: capacity, technologies: [solar_all], min: {2030: 150}}
  clean: {kind: non_fossil_share, min: {2030: 0.3}}
time: {mode: representative_days, days: 2}
"""


def tables() -> dict[str, pd.DataFrame]:
    """The hourly CSVs of the tiny case (hour 1..8760 then one column per zone or channel)."""
    hour = np.arange(1, HOURS + 1)
    h = (hour - 1) % 24
    sun = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None).round(4)
    return {
        "load.csv": pd.DataFrame({"hour": hour, "a": 100.0 + 40.0 * ((h >= 8) & (h < 20)), "b": 60.0}),
        "solar.csv": pd.DataFrame({"hour": hour, "a": sun, "b": (0.8 * sun).round(4)}),
        "imports.csv": pd.DataFrame({"hour": hour, "hydro_in": 0.6}),
    }


def write_tiny(folder: Path, scenario: str = SCENARIO) -> Path:
    """Write the tiny case into `folder` (created) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(scenario, encoding="utf-8")
    for name, df in tables().items():
        df.to_csv(folder / name, index=False)
    return folder
