"""Benchmark gridplan on synthetic cases of growing size (hours x zones x periods).

For each case, in a fresh Python subprocess (so that peak memory is the case's own), prints
the seconds spent to load the inputs, build the Pyomo model, compile it to matrices, hand it
to HiGHS, solve, and extract the results (values back into Pyomo plus the xarray Dataset),
with peak memory [MB], rows, columns, nonzeros and the HiGHS iteration counts. Writes a CSV
(one row per case and repetition) and a plotly HTML figure of seconds against LP size.

Usage:
    python scripts/bench.py                                  # default ladder of cases
    python scripts/bench.py --cases 8760x1x1 --repeat 3 --methods choose,simplex,hipo
    python scripts/bench.py --cases 24x1x1,168x1x1 --out bench_out

A case is written `HOURSxZONESxPERIODS`: 8760 hours is the full chronological year, fewer
hours are that many hours of representative days (HOURS / 24 days). The synthetic system
(`synthetic_case`) is also used by scripts/bench_vs_pypsa.py and tests/test_bench.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

HOURS = 8760
DEFAULT_CASES = "168x1x1,720x1x1,2184x1x1,4368x1x1,8760x1x1,168x4x3,720x4x1,720x4x3,2184x4x1,8760x1x3"
STAGES = ["load", "time", "build", "compile", "handover", "solve", "extract"]
# --methods: label -> solver section overrides (gridplan's solver.method / crossover)
METHODS: dict[str, dict[str, Any]] = {
    "choose": {},
    "simplex": {"method": "simplex"},
    "ipx": {"method": "ipm", "crossover": True},
    "ipx-nox": {"method": "ipm", "crossover": False},
    "hipo": {"method": "hipo", "crossover": True},
    "hipo-nox": {"method": "hipo", "crossover": False},
    "pdlp": {"method": "pdlp", "crossover": False},
    "clarabel": {"method": "clarabel", "crossover": False},
}


def profiles(seed: int = 0) -> dict[str, np.ndarray]:
    """Hourly shapes for one zone: load [p.u. of mean], solar and wind availability [p.u.].

    Load: evening peak over a day-time plateau, +12% in summer and +8% in winter, 3% noise.
    Solar: a daylight arc whose length follows the season (10-14 h) times a daily cloud factor.
    Wind: exp of an AR(1) process (phi 0.97) around a mean of 0.30 (higher in winter).
    Availability is rounded to 1e-3 p.u. (smaller values become 0), as metered data are.
    """
    rng = np.random.default_rng(seed)
    h = np.arange(HOURS)
    day, hod = h // 24, h % 24
    winter = np.cos(2 * np.pi * (day - 15) / 365)
    summer = np.cos(2 * np.pi * (day - 200) / 365)
    daytime = ((hod >= 6) & (hod <= 22)) * np.sin(np.pi * (hod - 6) / 16) ** 2
    shape = 0.75 + 0.25 * daytime + 0.1 * ((hod >= 18) & (hod <= 21))
    load = shape * (1 + 0.12 * np.maximum(summer, 0) + 0.08 * np.maximum(winter, 0))
    load *= 1 + 0.03 * rng.standard_normal(HOURS)
    length = 12 + 2 * summer
    x = (hod + 0.5 - (12 - length / 2)) / length
    arc = np.where((x > 0) & (x < 1), np.sin(np.pi * np.clip(x, 0, 1)), 0.0)
    clouds = np.repeat(np.clip(0.75 + 0.25 * rng.standard_normal(HOURS // 24), 0.1, 1.0), 24)
    solar = np.clip(0.85 * arc**1.5 * clouds, 0.0, 1.0)
    e = rng.standard_normal(HOURS)
    a = np.zeros(HOURS)
    for t in range(1, HOURS):
        a[t] = 0.97 * a[t - 1] + 0.25 * e[t]
    wind = np.clip((0.30 + 0.06 * winter) * np.exp(0.5 * a - 0.25), 0.0, 1.0)
    return {"load": load / load.mean(), "solar": np.round(solar, 3), "wind": np.round(wind, 3)}


def synthetic_case(
    hours: int = HOURS, zones: int = 1, periods: int = 1, seed: int = 0, mean_load_mw: float = 20_000.0
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """A gridplan scenario (as a mapping) and its CSV tables.

    Per zone: mean load `mean_load_mw` [MW] (zones after the first 40-70% of it); existing coal
    (18 GW per 20 GW of mean load), new gas, solar, wind (potential 15 GW per 20 GW of load) and
    4-hour batteries; a province-wide CO2 cap of 65 MtCO2/yr per 20 GW of mean load and a
    minimum solar capacity of 20 GW per 20 GW of load. Zones form a chain of expandable links.
    Periods are 5 years apart with 4%/yr load growth and a 6% discount rate when periods > 1;
    a single period is one undiscounted year (objective = one year's annualised cost).
    """
    names = [f"z{i + 1}" for i in range(zones)]
    share = [1.0] + [0.4 + 0.3 * ((i * 0.618) % 1.0) for i in range(1, zones)]
    k = [s * mean_load_mw / 20_000.0 for s in share]  # size of each zone relative to the reference
    shapes = [profiles(seed + i) for i in range(zones)]
    hour = np.arange(1, HOURS + 1)
    load = pd.DataFrame(
        {"hour": hour, **{z: np.round(20_000.0 * k[i] * shapes[i]["load"], 3) for i, z in enumerate(names)}}
    )
    solar = pd.DataFrame({"hour": hour, **{z: shapes[i]["solar"] for i, z in enumerate(names)}})
    wind = pd.DataFrame({"hour": hour, **{z: shapes[i]["wind"] for i, z in enumerate(names)}})
    years = [2025 + 5 * j for j in range(periods)]
    growth = {p: 1.04 ** (p - 2025) for p in years}
    total = float(load[names].to_numpy().sum())
    per_zone = lambda v: {z: v * k[i] for i, z in enumerate(names)}  # noqa: E731
    sc: dict[str, Any] = {
        "name": f"synthetic_{hours}x{zones}x{periods}",
        "periods": years,
        "period_years": {p: 1 if periods == 1 else 5 for p in years},
        "discount_rate": 0.0 if periods == 1 else 0.06,
        "value_of_lost_load": 30_000.0,
        "zones": {z: {} for z in names},
        "profiles": {"solar": "solar.csv", "wind": "wind.csv"},
        "demand": {"file": "load.csv", "annual_energy": {p: total * g for p, g in growth.items()}},
        "fuels": {
            "coal": {"price": 1000.0, "co2": 2.66, "coal": True},
            "gas": {"price": 2800.0, "co2": 1.65},
        },
        "technologies": {
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300.0,
                "vom": 10.0,
                "fom": 150.0,
                "lifetime": 40.0,
                "existing": per_zone(18_000.0),
            },
            "gas": {
                "kind": "thermal",
                "fuel": "gas",
                "heat_rate": 230.0,
                "vom": 15.0,
                "capex": 2800.0,
                "fom": 80.0,
                "lifetime": 30.0,
                "build_max": "inf",
            },
            "solar": {
                "kind": "variable",
                "profile": "solar",
                "capex": 3200.0,
                "fom": 45.0,
                "lifetime": 25.0,
                "build_max": "inf",
            },
            "wind": {
                "kind": "variable",
                "profile": "wind",
                "capex": 5500.0,
                "fom": 120.0,
                "lifetime": 25.0,
                "build_max": "inf",
                "potential": per_zone(15_000.0),
            },
        },
        "storage": {
            "battery": {
                "eff_charge": 0.95,
                "eff_discharge": 0.95,
                "capex_power": 600.0,
                "capex_energy": 900.0,
                "lifetime": 15.0,
                "duration_min": 4.0,
                "duration_max": 4.0,
                "build_max": "inf",
            }
        },
        "links": {
            f"l{i + 1}": {
                "from": names[i],
                "to": names[i + 1],
                "capacity": 2000.0,
                "loss": 0.02,
                "capex": 1500.0,
                "lifetime": 40.0,
                "build_max": "inf",
            }
            for i in range(zones - 1)
        },
        "targets": {
            "co2": {"kind": "co2_cap", "max": {p: 65e6 * sum(k) * (0.85**j) for j, p in enumerate(years)}},
            "solar_min": {"kind": "capacity", "technologies": ["solar"], "min": 20_000.0 * sum(k)},
        },
        "time": {"mode": "full_year"}
        if hours >= HOURS
        else {"mode": "representative_days", "days": max(1, hours // 24)},
    }
    return sc, {"load.csv": load, "solar.csv": solar, "wind.csv": wind}


def write_case(folder: Path, scenario: dict[str, Any], tables: dict[str, pd.DataFrame]) -> Path:
    """Write scenario.yaml and the CSV tables into `folder`; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / name, index=False)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    return folder


def parse_case(text: str) -> tuple[int, int, int]:
    """'8760x1x1' -> (hours, zones, periods)."""
    parts = [int(x) for x in text.lower().split("x")]
    if len(parts) != 3 or min(parts) < 1:
        raise argparse.ArgumentTypeError(f"case '{text}': expected HOURSxZONESxPERIODS, e.g. 8760x1x1")
    return parts[0], parts[1], parts[2]


def peak_mb() -> float:
    """Peak resident memory of this process [MB] (Linux reports ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process so far [s] (all threads)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_gridplan(case: Path, solver: dict[str, Any]) -> dict[str, Any]:
    """Run one case stage by stage in this process; seconds per stage, LP size, objective [CNY].

    Imports are timed apart ("import"), including scipy.sparse: Pyomo resolves its deferred
    scipy import (scipy.stats, .sparse, .spatial, .integrate) on the first compile, a one-off
    cost of every process that would otherwise be booked to "compile"."""
    t0 = time.perf_counter()
    import highspy
    import scipy.sparse  # noqa: F401

    from gridplan.case import load_case
    from gridplan.lp.build import build
    from gridplan.results import dataset
    from gridplan.solve import solve
    from gridplan.timesteps import select

    t_import = time.perf_counter() - t0
    mem0 = peak_mb()
    out: dict[str, Any] = {"import": t_import}
    c0 = cpu_seconds()
    t = time.perf_counter()
    inputs = load_case(case)
    if solver:
        inputs.scenario.solver = inputs.scenario.solver.model_validate(
            {**inputs.scenario.solver.model_dump(), **solver}
        )
    out["load"], t = time.perf_counter() - t, time.perf_counter()
    steps = select(inputs)
    out["time"], t = time.perf_counter() - t, time.perf_counter()
    m, ctx = build(inputs, steps)
    out["build"] = time.perf_counter() - t
    sol = solve(m, inputs.scenario.solver)
    t = time.perf_counter()
    ds = dataset(m, ctx, sol)
    out.update({k: sol.timings[k] for k in ("compile", "handover", "solve")})
    out["extract"] = sol.timings["load"] + time.perf_counter() - t
    out["cpu"] = cpu_seconds() - c0
    out.update({k: int(v) for k, v in sol.stats.items()})
    out.update(
        {
            "status": sol.status,
            "objective_cny": float(ds.attrs["objective"]),
            "solver": sol.solver,
            "highs_version": highspy.Highs().version(),
            "ranges": sol.ranges,
            "peak_mb": peak_mb(),
            "import_mb": mem0,
        }
    )
    return out


def worker(args: argparse.Namespace) -> None:
    """Subprocess entry: write the case to a temporary folder, run it, print one JSON line."""
    hours, zones, periods = parse_case(args.worker)
    solver = json.loads(args.solver) if args.solver else {}
    with tempfile.TemporaryDirectory() as tmp:
        case = write_case(Path(tmp), *synthetic_case(hours, zones, periods))
        res = run_gridplan(case, solver)
    res.update({"hours": hours, "zones": zones, "periods": periods})
    print("RESULT " + json.dumps(res))


def measure(case: str, solver: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its JSON result ({'status': ...} on failure)."""
    cmd = [sys.executable, __file__, "--worker", case, "--solver", json.dumps(solver)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")]
    if p.returncode != 0 or not lines:
        last = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": f"failed (exit {p.returncode}): {last}"}
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def table(rows: list[dict[str, Any]]) -> str:
    """Fixed-width table: one line per case and method (minimum over repetitions of each time)."""
    head = (
        f"{'case':>10} {'method':>8} {'rows':>8} {'cols':>8} {'nnz':>8} "
        + " ".join(f"{s:>8}" for s in STAGES)
        + f" {'total':>8} {'build%':>6} {'iter':>7} {'peak':>6}  status"
    )
    units = (
        f"{'':>10} {'':>8} {'':>8} {'':>8} {'':>8} "
        + " ".join(f"{'[s]':>8}" for _ in STAGES)
        + f" {'[s]':>8} {'':>6} {'':>7} {'[MB]':>6}"
    )
    lines = [head, units]
    for r in rows:
        if "solve" not in r:
            lines.append(f"{r['case']:>10} {r['method']:>8}  {r['status']}")
            continue
        lines.append(
            f"{r['case']:>10} {r['method']:>8} {r['rows']:>8} {r['columns']:>8} {r['nonzeros']:>8} "
            + " ".join(f"{r[s]:>8.2f}" for s in STAGES)
            + f" {r['total']:>8.2f} {100 * r['build_share']:>5.1f}% {r['iterations']:>7} {r['peak_mb']:>6.0f}  "
            + f"{r['status']} ({r['solver'].split('(', 1)[-1].rstrip(')')})"
        )
    return "\n".join(lines)


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Minimum of each time and of peak memory over the repetitions; size of the first run."""
    ok = [x for x in runs if "solve" in x]
    if not ok:
        return dict(runs[-1])
    r = dict(ok[0])
    for s in [*STAGES, "import", "peak_mb"]:
        r[s] = min(x[s] for x in ok)
    r["total"] = sum(r[s] for s in STAGES)
    r["build_share"] = (r["build"] + r["compile"] + r["handover"]) / r["total"]
    r["iterations"] = r["ipm_iterations"] + r["simplex_iterations"] + r["crossover_iterations"]
    return r


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Seconds per stage against LP columns: stacked bars per case and method, peak memory on the
    right axis; written as a plotly HTML file."""
    import plotly.graph_objects as go

    rows = sorted((r for r in rows if "solve" in r), key=lambda r: (r["columns"], r["method"]))
    labels = [f"{r['case']} {r['method']}<br>{r['columns'] / 1e3:.0f}k cols" for r in rows]
    fig = go.Figure()
    for s in STAGES:
        fig.add_bar(name=f"{s} [s]", x=labels, y=[r[s] for r in rows])
    fig.add_scatter(
        name="peak memory [MB]", x=labels, y=[r["peak_mb"] for r in rows], yaxis="y2", mode="markers"
    )
    fig.update_layout(
        barmode="stack",
        title="gridplan: seconds per stage against LP size",
        xaxis_title="case (hours x zones x periods) and HiGHS method, LP columns",
        yaxis_title="time [s]",
        yaxis2={"title": "peak memory [MB]", "overlaying": "y", "side": "right"},
    )
    fig.write_html(path, include_plotlyjs="cdn")


CSV_KEYS = [
    "case", "method", "repeat", "hours", "zones", "periods", "rows", "columns", "nonzeros", "import",
    *STAGES, "cpu", "simplex_iterations", "ipm_iterations", "crossover_iterations", "peak_mb", "import_mb",
    "objective_cny", "status", "solver", "highs_version",
]  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default=DEFAULT_CASES, help="comma-separated HOURSxZONESxPERIODS")
    ap.add_argument("--methods", default="choose", help=f"comma-separated, of: {', '.join(METHODS)}")
    ap.add_argument("--repeat", type=int, default=1, help="runs per case; the table shows the minimum")
    ap.add_argument("--option", action="append", default=[], help="extra HiGHS option NAME=VALUE")
    ap.add_argument("--out", type=Path, default=Path("bench_out"), help="folder for bench.csv and bench.html")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per case run")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--solver", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    methods = [x.strip() for x in args.methods.split(",") if x.strip()]
    bad = [x for x in methods if x not in METHODS]
    if bad:
        ap.error(f"unknown method(s) {bad}; choose from {list(METHODS)}")
    extra = {k: yaml.safe_load(v) for k, v in (o.split("=", 1) for o in args.option)}
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    for c in cases:
        parse_case(c)
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    for c in cases:
        for meth in methods:
            solver = {**METHODS[meth], **({"options": extra} if extra else {})}
            runs = []
            for i in range(args.repeat):
                r = measure(c, solver, args.timeout)
                r.update({"case": c, "method": meth, "repeat": i})
                runs.append(r)
                raw.append(r)
                note = (
                    f"solve {r['solve']:.2f} s, peak {r['peak_mb']:.0f} MB" if "solve" in r else r["status"]
                )
                print(f"  {c} {meth} run {i + 1}/{args.repeat}: {note}", file=sys.stderr, flush=True)
            rows.append(summarise(runs))
    print(table(rows))
    first = next((r for r in rows if "solve" in r), None)
    if first is not None:
        rng = "; ".join(f"{k} [{a:.0e}, {b:.0e}]" for k, (a, b) in first["ranges"].items())
        print(f"HiGHS {first['highs_version']}; coefficient ranges of {first['case']}: {rng}")
    print(f"times: minimum of {args.repeat} run(s); build% = (build + compile + handover) / total")
    with open(args.out / "bench.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_KEYS, extrasaction="ignore")
        w.writeheader()
        w.writerows(raw)
    plot(rows, args.out / "bench.html")
    print(f"wrote {args.out / 'bench.csv'} and {args.out / 'bench.html'}")


if __name__ == "__main__":
    main()
