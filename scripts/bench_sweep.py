"""Sweep throughput on this machine: scenarios per minute with 1 and 2 Dask workers, with and
without model reuse (warm start of HiGHS simplex from the base case's optimal basis).

    python scripts/bench_sweep.py [--work DIR] [--jiangxi] [--json results.json]

The benchmark case is synthetic and moderate: 1 zone, 3 periods (2025/2030/2035), 30
representative days (720 steps), coal with linearised commitment, gas, solar, wind, a battery,
a non-fossil share and a CO2 cap (~26k rows x 24k columns). The sweep varies battery energy
cost (x0.7 .. x1.3, 5 levels) and coal price (x0.8, x1.0, x1.2): 15 scenarios, only costs change, so
every scenario can start from the base basis. Each configuration runs in a fresh output folder on
an already started LocalCluster (cluster start-up is reported apart); throughput counts the time
from the first submission to the combined sweep.nc, including the base solve that warm starts need.
With --jiangxi, inputs/sweeps/jiangxi_battery_coal.yaml is run too (2 workers, reuse on; add
--jiangxi-cold for a second run without reuse).
The machine has 2 cores shared with other work: expect noise of 10-20 % between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from gridplan.sweep import SweepSpec, dask_client, make_sweep, run_sweep

H = 8760
ROOT = Path(__file__).resolve().parents[1]


def profiles(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hourly load [MW], solar and wind availability [p.u.]: daily and seasonal shapes plus noise."""
    rng = np.random.default_rng(seed)
    h = np.arange(H)
    hod, doy = h % 24, h // 24
    season = 1 + 0.25 * np.cos(2 * np.pi * (doy - 200) / 365)
    day_noise = 1 + 0.05 * rng.standard_normal(365).repeat(24)
    load = 1000 * (0.75 + 0.2 * np.sin(np.pi * (hod - 6) / 16).clip(0)) * season * day_noise
    sun = np.clip(np.sin(np.pi * (hod - 6) / 12), 0, None) * (
        0.7 + 0.3 * np.cos(2 * np.pi * (doy - 172) / 365)
    )
    solar = np.clip(sun * np.clip(rng.normal(0.8, 0.25, 365), 0.1, 1).repeat(24), 0, 1)
    wind = np.empty(H)
    x = 0.3
    for i in range(H):  # AR(1) around 0.3
        x = 0.97 * x + 0.03 * 0.3 + 0.05 * rng.standard_normal()
        wind[i] = x
    return load, solar, np.clip(wind, 0, 1)


def moderate_case(folder: Path) -> Path:
    """Write the benchmark case (see the module docstring); return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    load, solar, wind = profiles()
    hour = np.arange(1, H + 1)
    for name, v in (("load", load), ("solar", solar), ("wind", wind)):
        pd.DataFrame({"hour": hour, "core": v}).to_csv(folder / f"{name}.csv", index=False)
    sc: dict[str, Any] = {
        "name": "bench_moderate",
        "periods": [2025, 2030, 2035],
        "discount_rate": 0.06,
        "zones": {"core": {}},
        "profiles": {"solar": "solar.csv", "wind": "wind.csv"},
        "demand": {"file": "load.csv", "annual_energy": {2025: 9.0e6, 2030: 1.05e7, 2035: 1.2e7}},
        "fuels": {"coal": {"price": 900, "co2": 2.66, "coal": True}, "gas": {"price": 2500, "co2": 1.6}},
        "technologies": {
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300,
                "vom": 10,
                "fom": 150,
                "capex": 3800,
                "existing": 1100,
                "build_max": "inf",
                "lifetime": 30,
                "commitment": {"unit_size": 300, "min_stable": 0.45, "startup_cost": 300},
            },
            "gas": {
                "kind": "thermal",
                "fuel": "gas",
                "heat_rate": 220,
                "vom": 8,
                "fom": 80,
                "capex": 2600,
                "build_max": "inf",
                "lifetime": 25,
            },
            "solar": {
                "kind": "variable",
                "profile": "solar",
                "capex": {2025: 3200, 2030: 2800, 2035: 2500},
                "fom": 40,
                "existing": 300,
                "build_max": "inf",
                "lifetime": 25,
                "groups": ["renewable"],
            },
            "wind": {
                "kind": "variable",
                "profile": "wind",
                "capex": 7500,
                "fom": 120,
                "existing": 200,
                "build_max": "inf",
                "lifetime": 25,
                "groups": ["renewable"],
            },
        },
        "storage": {
            "battery": {
                "capex_power": 500,
                "capex_energy": 900,
                "fom": 20,
                "build_max": "inf",
                "lifetime": 15,
                "eff_charge": 0.93,
                "eff_discharge": 0.93,
            }
        },
        "targets": {
            "res_share": {
                "kind": "non_fossil_share",
                "name_zh": "非化石能源占比",
                "technologies": ["renewable"],
                "min": {2025: 0.1, 2030: 0.3, 2035: 0.45},
            },
            "co2": {
                "kind": "co2_cap",
                "name_zh": "碳排放上限",
                "max": {2025: 9.0e6, 2030: 8.0e6, 2035: 5.0e6},
            },
        },
        "time": {"mode": "representative_days", "days": 30},
    }
    (folder / "scenario.yaml").write_text(yaml.safe_dump(sc, sort_keys=False, allow_unicode=True))
    return folder


def measure(spec: SweepSpec, folder: Path, out: Path, client: Any, label: str) -> dict[str, Any]:
    """Run one sweep into a fresh folder; throughput and per-scenario timings."""
    shutil.rmtree(out, ignore_errors=True)
    sweep = make_sweep(spec, folder, out)
    t0 = time.perf_counter()
    run = run_sweep(sweep, client=client, echo=lambda s: None)
    wall = time.perf_counter() - t0
    ds = xr.load_dataset(run.combined) if run.combined else None
    n = run.done
    res: dict[str, Any] = {
        "config": label,
        "workers": len(client.nthreads()),
        "scenarios": n,
        "failed": run.failed,
        "wall_s": round(wall, 1),
        "per_min": round(60 * n / wall, 2),
    }
    if ds is not None:
        for k in (
            "seconds_scenario",
            "seconds_cpu_scenario",
            "seconds_load",
            "seconds_build",
            "seconds_compile",
            "seconds_solve",
            "seconds_results",
            "lp_simplex_iterations",
        ):
            v = ds[k].values[np.isfinite(ds[k].values)]
            res[f"median_{k}"] = round(float(statistics.median(v)), 3) if len(v) else None
        warm = ds["warm_start"].values == "base basis"
        res["warm"] = int(warm.sum())
        solve = ds["seconds_solve"].values
        cold = ~warm & np.isfinite(solve)
        res["median_solve_warm_s"] = round(float(np.median(solve[warm])), 3) if warm.any() else None
        res["median_solve_cold_s"] = round(float(np.median(solve[cold])), 3) if cold.any() else None
        res["objectives"] = {
            str(s): float(o) for s, o in zip(ds.scenario.values, ds.objective.values, strict=True)
        }
    print(
        f"  {label:<26} {res['workers']} worker(s): {n} scenarios in {wall:6.1f} s = {res['per_min']:6.2f}/min"
        f"; median per scenario {res.get('median_seconds_scenario')} s wall, "
        f"{res.get('median_seconds_cpu_scenario')} s CPU (solve {res.get('median_seconds_solve')} s), "
        f"warm-started {res.get('warm', 0)} (median solve warm {res.get('median_solve_warm_s')} s, "
        f"cold {res.get('median_solve_cold_s')} s); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--jiangxi", action="store_true", help="also run inputs/sweeps/jiangxi_battery_coal.yaml")
    ap.add_argument("--jiangxi-cold", action="store_true", help="also run the Jiangxi sweep without reuse")
    ap.add_argument("--skip-moderate", action="store_true", help="only the Jiangxi sweep")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="gridplan_bench_sweep_"))
    case = moderate_case(work / "case")
    results: list[dict[str, Any]] = []
    params = {
        "storage.battery.capex_energy": {"scale": [0.7, 0.85, 1.0, 1.15, 1.3]},
        "fuels.coal.price": {"scale": [0.8, 1.0, 1.2]},
    }
    if not args.skip_moderate:
        print(f"moderate case: {case} (15 scenarios)", flush=True)
        for workers in (1, 2):
            t0 = time.perf_counter()
            with dask_client(workers=workers) as client:
                client.wait_for_workers(workers)
                print(
                    f" LocalCluster with {workers} worker(s) started in {time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
                for reuse in (False, True):
                    spec = SweepSpec(
                        name="bench",
                        base="case",
                        design="grid",
                        parameters=params,  # type: ignore[arg-type]
                        reuse=reuse,
                    )
                    label = f"moderate, reuse {'on' if reuse else 'off'}"
                    results.append(measure(spec, work, work / f"out_{workers}_{reuse}", client, label))
        objs = [r["objectives"] for r in results]
        worst = max(abs(o[k] - objs[0][k]) / abs(objs[0][k]) for o in objs for k in o)
        print(f" largest relative difference of an objective between configurations: {worst:.2e}")
    jx = ROOT / "inputs" / "sweeps" / "jiangxi_battery_coal.yaml"
    # Jiangxi: one solve takes minutes, so by default only reuse on (the base's cold solve is the
    # comparison); --jiangxi-cold adds a full run without reuse.
    if args.jiangxi:
        if not (ROOT / "inputs" / "jiangxi" / "scenario.yaml").is_file():
            print("inputs/jiangxi/scenario.yaml not found: Jiangxi sweep skipped")
        else:
            data = yaml.safe_load(jx.read_text())
            data["base"] = str((jx.parent / data["base"]).resolve())
            data.pop("out", None)
            print(f"Jiangxi sweep: {jx}", flush=True)
            with dask_client(workers=2) as client:
                client.wait_for_workers(2)
                for reuse in (True, False) if args.jiangxi_cold else (True,):
                    spec = SweepSpec.model_validate({**data, "reuse": reuse})
                    results.append(
                        measure(
                            spec,
                            jx.parent,
                            work / f"jiangxi_{reuse}",
                            client,
                            f"jiangxi, reuse {'on' if reuse else 'off'}",
                        )
                    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
