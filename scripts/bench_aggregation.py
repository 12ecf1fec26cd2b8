"""Accuracy of time aggregation: one case at full year (8760 h) and at several aggregation levels.

Prints side by side, for every run: total system cost, new capacity by technology and storage,
emissions, curtailment, unserved energy, LP size and wall time, with the deviation from the
full-year result; writes the table to CSV. The goal (issue 6): cost within 1 % of full year,
new capacity of every technology within 5 % (or 100 MW; storage energy: 5 % or 400 MWh), at a
wall time 20x shorter or better.

The default case is one zone (Jiangxi's central `core` zone profiles, inputs/jiangxi/timeseries)
in 2030: existing coal with linearised commitment, new coal, gas, solar, wind, hydro, batteries
(cyclic) and pumped hydro (linked across periods), under a CO2 cap. `--case DIR` runs another
case instead (its `time` settings are overridden through a child YAML that `extends` it).

The full-year run is slow (minutes); its results are cached as NetCDF in the output folder and
reused while the case's input hash is unchanged (`--refresh` re-solves it).

Usage:
    python scripts/bench_aggregation.py                              # default ladder
    python scripts/bench_aggregation.py --runs tsam:d8,tsam:d16 --out /tmp/agg_bench
    python scripts/bench_aggregation.py --case inputs/jiangxi --runs tsam:d8+x

Run labels: `full`, `tsam:dN` (N typical days), `tsam:wN` (N typical weeks), `rep:dN` (N
representative days of the lead's consecutive-run method); suffixes `+x` keep the peak-load and
lowest-renewable periods (as clusters that attract nearby periods; with `+app` each extreme
period stands only for itself), `+raw` switches the energy correction off, `+km` uses exact
k-medoids instead of hierarchical clustering.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

import gridplan
from gridplan.case import Time, load_case
from gridplan.results import write
from gridplan.timesteps import tsam_days

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "inputs" / "jiangxi" / "timeseries"
DEFAULT_RUNS = (
    "full,tsam:d4+x,tsam:d8+x,tsam:d16+x,tsam:d24+x,tsam:d32+x,tsam:d40+x,tsam:d32,tsam:d32+x+app,"
    "tsam:d32+x+raw,tsam:w4+x,tsam:w8+x,rep:d16+x,rep:d32+x"
)
DEFAULT_REGRET = "tsam:d16+x,tsam:d32+x,tsam:d40+x,rep:d32+x"
COST_TOL = 0.01  # share of full-year cost
CAP_TOL, CAP_ABS = 0.05, 100.0  # share, MW
ENERGY_ABS = 400.0  # MWh, storage energy capacity
SPEEDUP_GOAL = 20.0


def synthetic_case(folder: Path) -> Path:
    """The default one-zone case (module docstring), written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ts = folder / "timeseries"
    ts.mkdir(exist_ok=True)
    for name in ("load", "solar", "wind", "hydro"):
        src = PROFILES / f"{name}.csv"
        if not src.is_file():
            sys.exit(f"bench_aggregation: {src} is missing (run scripts/make_jiangxi_profiles.py)")
        df = pd.read_csv(src, usecols=["hour", "core"])
        df.to_csv(ts / f"{name}.csv", index=False)
    sc: dict[str, Any] = {
        "name": "agg_bench",
        "description": "one zone (Jiangxi core profiles), 2030, CO2 cap; time-aggregation benchmark",
        "periods": [2030],
        "period_years": {2030: 1},
        "discount_rate": 0.06,
        "value_of_lost_load": 20000.0,
        "zones": {"core": {}},
        "profiles": {k: f"timeseries/{k}.csv" for k in ("solar", "wind", "hydro")},
        "demand": {"file": "timeseries/load.csv", "annual_energy": {2030: 96.0e6}},
        "fuels": {
            "coal": {"price": 1050.0, "co2": 2.66, "coal": True},
            "gas": {"price": 2500.0, "co2": 1.644},
        },
        "technologies": {
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300.0,
                "vom": 10.0,
                "fom": 62.0,
                "lifetime": 40,
                "existing": 9000,
                "commitment": {"unit_size": 600, "min_stable": 0.4, "ramp": 0.5, "startup_cost": 500.0},
            },
            "coal_new": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 270.0,
                "vom": 10.0,
                "capex": 4200.0,
                "fom": 62.0,
                "lifetime": 40,
                "build_max": "inf",
            },
            "gas": {
                "kind": "thermal",
                "fuel": "gas",
                "heat_rate": 215.0,
                "vom": 10.0,
                "capex": 2500.0,
                "fom": 98.0,
                "lifetime": 30,
                "build_max": "inf",
            },
            "hydro": {
                "kind": "hydro",
                "profile": "hydro",
                "vom": 5.0,
                "fom": 100.0,
                "lifetime": 60,
                "existing": 800,
            },
            "solar": {
                "kind": "variable",
                "profile": "solar",
                "capex": 2200.0,
                "fom": 7.5,
                "lifetime": 25,
                "existing": 5000,
                "build_max": "inf",
                "potential": 40000,
            },
            "wind": {
                "kind": "variable",
                "profile": "wind",
                "capex": 3700.0,
                "fom": 45.0,
                "lifetime": 25,
                "existing": 1500,
                "build_max": "inf",
                "potential": 20000,
            },
        },
        "storage": {
            "battery": {
                "eff_charge": 0.95,
                "eff_discharge": 0.95,
                "self_discharge": 0.0001,
                "capex_power": 300.0,
                "capex_energy": 400.0,
                "fom": 10.0,
                "lifetime": 15,
                "existing": 200,
                "existing_duration": 2.0,
                "duration_min": 1.0,
                "duration_max": 8.0,
                "build_max": "inf",
                "linking": "cyclic",
            },
            "pumped_hydro": {
                "eff_charge": 0.883,
                "eff_discharge": 0.883,
                "capex_power": 5000.0,
                "capex_energy": 100.0,
                "fom": 50.0,
                "lifetime": 40,
                "existing": 1200,
                "existing_duration": 6.0,
                "duration_min": 6.0,
                "duration_max": 24.0,
                "build_max": 5000,
                "linking": "linked",
            },
        },
        "targets": {"co2": {"kind": "co2_cap", "max": 28.0e6}},
    }
    (folder / "scenario.yaml").write_text(yaml.safe_dump(sc, sort_keys=False, allow_unicode=True))
    return folder


def time_settings(label: str) -> dict[str, Any]:
    """Scenario `time` of a run label (module docstring)."""
    if label == "full":
        return {"mode": "full_year"}
    mode, _, spec = label.partition(":")
    base, *flags = spec.split("+")
    n, kind = int(base[1:]), base[0]
    t: dict[str, Any] = {"mode": "tsam" if mode == "tsam" else "representative_days", "days": n}
    if mode == "tsam":
        t["hours_per_period"] = 168 if kind == "w" else 24
        t["method"] = "k_medoids" if "km" in flags else "hierarchical"
        if "raw" in flags:
            if "rescale" not in Time.model_fields:
                raise SystemExit(f"{label}: this gridplan has no time.rescale switch")
            t["rescale"] = False
    elif kind != "d":
        raise SystemExit(f"{label}: representative_days has days only")
    if "x" in flags:
        t["extreme_periods"] = ["peak_load", "min_renewable"]
    return t


def variant(case: Path, out: Path, label: str) -> Path:
    """A child case that extends `case` with the run's time settings."""
    folder = out / "cases" / label.replace(":", "_").replace("+", "_")
    folder.mkdir(parents=True, exist_ok=True)
    parent = (case / "scenario.yaml") if case.is_dir() else case
    child = {"extends": str(parent.resolve()), "time": time_settings(label)}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(child, sort_keys=False))
    return folder


def solve(case: Path, out: Path, label: str, refresh: bool) -> tuple[xr.Dataset, float, bool]:
    """Results and wall time [s] of one run; the full-year run is cached by input hash."""
    path = variant(case, out, label)
    cache = out / "full_year.nc"
    if label == "full" and cache.is_file() and not refresh:
        digest = load_case(path).input_hash
        with xr.open_dataset(cache) as ds:
            if ds.attrs.get("input_hash") == digest:
                return ds.load(), float(ds.attrs["bench_wall_seconds"]), True
    method = tsam_days.EXTREME_METHOD
    tsam_days.EXTREME_METHOD = "append" if label.endswith("+app") or "+app+" in label else method
    try:
        t0 = time.perf_counter()
        ds = gridplan.run(path)
        wall = time.perf_counter() - t0
    finally:
        tsam_days.EXTREME_METHOD = method
    ds.attrs["bench_wall_seconds"] = wall
    if label == "full":
        write(ds, cache)
    return ds, wall, False


def fixed_fleet(ds: xr.Dataset) -> dict[str, Any]:
    """Scenario overrides that freeze a run's capacities (MW, MWh) as existing, nothing to build.

    Storage energy becomes existing_duration = energy / power (one value per storage: exact for
    one zone and one period, a mean otherwise)."""
    nested: dict[str, Any] = {
        "technologies": {},
        "storage": {},
        "targets_mode": "soft",  # a fleet that cannot meet a target pays soft_penalty instead
    }
    zones, periods = [str(z) for z in ds["zone"].values], [int(p) for p in ds["period"].values]
    for tech in ds["tech"].values:
        cap = ds["capacity"].sel(tech=tech)
        nested["technologies"][str(tech)] = {
            "existing": {z: {p: float(cap.sel(zone=z, period=p)) for p in periods} for z in zones},
            "build_min": 0.0,
            "build_max": 0.0,
        }
    for sto in ds["storage"].values:
        power, energy = ds["storage_power"].sel(storage=sto), ds["storage_energy"].sel(storage=sto)
        total = float(power.sum())
        nested["storage"][str(sto)] = {
            "existing": {z: {p: float(power.sel(zone=z, period=p)) for p in periods} for z in zones},
            "existing_duration": float(energy.sum()) / total if total > 0 else 1.0,
            "build_min": 0.0,
            "build_max": 0.0,
        }
    return nested


def regret(case: Path, out: Path, label: str, ds: xr.Dataset) -> tuple[dict[str, float], float]:
    """The fleet a run chose, dispatched over the full year: its cost [CNY] (the run's investment
    plus the full-year operation; targets are soft, a shortfall pays soft_penalty), the target
    shortfall and the unserved energy; and the wall time [s] of that full-year run."""
    folder = out / "cases" / ("regret_" + label.replace(":", "_").replace("+", "_"))
    folder.mkdir(parents=True, exist_ok=True)
    parent = variant(case, out, "full") / "scenario.yaml"
    child = {"extends": str(parent.resolve()), **fixed_fleet(ds)}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(child, sort_keys=False))
    t0 = time.perf_counter()
    fixed = gridplan.run(folder)
    wall = time.perf_counter() - t0
    investment = (
        float(ds["cost"].sel(component="investment").sum()) if "investment" in ds["component"] else 0.0
    )
    fleet = {
        "fleet cost at full year [CNY]": float(fixed.attrs["objective"]) + investment,
        "fleet target shortfall [target units]": float(fixed["target_shortfall"].sum()),
        "fleet unserved [MWh/yr]": float((fixed["unserved"] * fixed["weight"]).sum()),
    }
    return fleet, wall


def metrics(ds: xr.Dataset, wall: float) -> dict[str, float]:
    """The compared figures of one run, in user units (summed over zones and periods)."""
    w = ds["weight"]
    out: dict[str, float] = {
        "total cost [CNY]": float(ds.attrs["objective"]),
        "emissions [tCO2/yr]": float(ds["emissions"].sum()),
        "curtailment [MWh/yr]": float(ds["curtailed_energy"].sum()),
        "unserved [MWh/yr]": float((ds["unserved"] * w).sum()),
        "blocks": float(ds["block"].max()) + 1,
        "steps": float(ds.sizes["time"]),
        "LP columns": float(ds.attrs.get("lp_columns", np.nan)),
        "solve time [s]": float(ds.attrs.get("seconds_solve", np.nan)),
        "wall time [s]": wall,
    }
    for tech in ds["tech"].values:
        out[f"new {tech} [MW]"] = float(ds["capacity_new"].sel(tech=tech).sum())
    for s in ds["storage"].values:
        out[f"new {s} power [MW]"] = float(ds["storage_power_new"].sel(storage=s).sum())
        out[f"{s} energy [MWh]"] = float(ds["storage_energy"].sel(storage=s).sum())
    return out


def within(value: float, ref: float, share: float, absolute: float) -> bool:
    return abs(value - ref) <= max(share * abs(ref), absolute)


def compare(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Side-by-side table: metrics by run, deviations from full year, and the goal check."""
    table = pd.DataFrame(rows)
    if "full" not in table:
        return table
    ref = table["full"]
    extra: dict[str, dict[str, Any]] = {}
    for label in table.columns:
        col = table[label]
        cost_err = col["total cost [CNY]"] / ref["total cost [CNY]"] - 1
        caps = [k for k in table.index if k.startswith("new ")]
        energy = [k for k in table.index if k.endswith(" energy [MWh]")]
        worst = max(caps, key=lambda k: abs(col[k] - ref[k]) / max(abs(ref[k]), CAP_ABS / CAP_TOL))
        cap_ok = all(within(col[k], ref[k], CAP_TOL, CAP_ABS) for k in caps)
        en_ok = all(within(col[k], ref[k], CAP_TOL, ENERGY_ABS) for k in energy)
        speed = ref["wall time [s]"] / col["wall time [s]"]
        fleet = col.get("fleet cost at full year [CNY]", np.nan)
        extra[label] = {
            "cost error [%]": 100 * cost_err,
            "emissions error [%]": 100 * (col["emissions [tCO2/yr]"] / ref["emissions [tCO2/yr]"] - 1),
            "curtailment error [%]": 100
            * (col["curtailment [MWh/yr]"] / max(ref["curtailment [MWh/yr]"], 1.0) - 1),
            "worst capacity": f"{worst[4:-5]} {col[worst] - ref[worst]:+.0f} MW",
            "fleet regret [%]": 100 * (fleet / ref["total cost [CNY]"] - 1),
            "speedup [x]": speed,
            "goal cost<=1%": bool(abs(cost_err) <= COST_TOL),
            "goal capacity<=5%|100MW": bool(cap_ok and en_ok),
            "goal speedup>=20x": bool(speed >= SPEEDUP_GOAL),
        }
    return pd.concat([table.astype(object), pd.DataFrame(extra)])


def fmt(v: Any) -> str:
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "NO"
    if isinstance(v, float | np.floating):
        a = abs(float(v))
        return f"{v:.3e}" if a >= 1e7 else f"{v:,.0f}" if a >= 100 else f"{v:.2f}"
    return str(v)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", type=Path, help="case folder or YAML (default: the one-zone case)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/gridplan_bench_agg"))
    ap.add_argument(
        "--runs", default=DEFAULT_RUNS, help=f"comma-separated run labels (default {DEFAULT_RUNS})"
    )
    ap.add_argument("--refresh", action="store_true", help="re-solve the cached full-year run")
    ap.add_argument(
        "--regret",
        default=DEFAULT_REGRET,
        help="runs whose fleet is also dispatched over the full year (about a minute each): the cost "
        f"of their capacity choices (default {DEFAULT_REGRET}; '' for none)",
    )
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    case = a.case.resolve() if a.case else synthetic_case(a.out / "case")
    rows: dict[str, dict[str, float]] = {}
    for label in [r.strip() for r in a.runs.split(",") if r.strip()]:
        print(f"[{time.strftime('%H:%M:%S')}] {label} ...", flush=True)
        ds, wall, cached = solve(case, a.out, label, a.refresh)
        rows[label] = metrics(ds, wall)
        note = " (cached)" if cached else ""
        print(f"    cost {rows[label]['total cost [CNY]']:.6e} CNY, wall {wall:.1f} s{note}", flush=True)
        if label in a.regret.split(",") and label != "full":
            fleet, seconds = regret(case, a.out, label, ds)
            rows[label].update(fleet)
            cost = fleet["fleet cost at full year [CNY]"]
            print(f"    its fleet over the full year: {cost:.6e} CNY ({seconds:.0f} s)", flush=True)
    table = compare(rows)
    path = a.out / "bench_aggregation.csv"
    table.to_csv(path)
    with pd.option_context("display.max_rows", 200, "display.max_columns", 50, "display.width", 250):
        print(table.map(fmt).to_string())
    print(f"\nwritten: {path}")


if __name__ == "__main__":
    main()
