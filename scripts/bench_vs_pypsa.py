"""Side by side: the same single-zone capacity-expansion LP in gridplan and in PyPSA.

The case is a gridplan case (by default the synthetic full-year case of scripts/bench.py)
restricted to what PyPSA expresses directly: generators (thermal without commitment,
variable renewables), storage with a fixed duration, a CO2 cap, capacity targets on one
technology, one zone, one period, one block of time steps. `to_pypsa` builds the identical
network from the same `Inputs`:

    gridplan                                 PyPSA
    gen <= avail * cap, cap = existing + new   Generator p_max_pu, p_nom_extendable, p_nom = existing
    capex * crf (new) + fom (all capacity)     capital_cost = capex * crf + fom on p_nom_opt
    fuel + vom per MWh                         marginal_cost
    storage duration_min = duration_max = h    StorageUnit max_hours = h, cyclic state of charge
    unserved <= load at VoLL                   Generator 'unserved' (p_max_pu = load / peak) at VoLL
    co2_cap target [tCO2/yr]                   GlobalConstraint primary_energy (co2_emissions per MWh)
    capacity target min/max on one tech        p_nom_min / p_nom_max

PyPSA charges capital_cost on all of p_nom_opt, gridplan charges capex on new capacity only and
fom on all; the known difference (crf * capex * existing of extendable units, fom * existing of
fixed units) is the `offset` added to PyPSA's objective before the two are compared.

Each tool runs in its own fresh subprocess of the same interpreter (same highspy, so the same
HiGHS build), which also makes the peak memory (ru_maxrss) each tool's own. Wall time runs from
reading the case to having the solution (gridplan: results Dataset; PyPSA: solution assigned to
the network), without the Python imports (reported apart).

Usage:
    python scripts/bench_vs_pypsa.py                        # full year, default and best options
    python scripts/bench_vs_pypsa.py --hours 24 --repeat 1  # quick check
    python scripts/bench_vs_pypsa.py --case inputs/mycase   # another single-zone case
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import cpu_seconds, peak_mb, run_gridplan, synthetic_case, write_case

# Configurations compared. "default": each tool as shipped. The others are HiGHS strategies;
# the best found for each tool on this machine is marked in the printed table.
CONFIGS: dict[str, dict[str, Any]] = {
    "gridplan default": {"tool": "gridplan", "solver": {}},
    "gridplan simplex": {"tool": "gridplan", "solver": {"method": "simplex"}},
    "gridplan simplex -presolve": {"tool": "gridplan", "solver": {"method": "simplex", "presolve": False}},
    "gridplan ipx": {"tool": "gridplan", "solver": {"method": "ipm", "crossover": True}},
    "gridplan hipo": {"tool": "gridplan", "solver": {"method": "hipo", "crossover": True}},
    "gridplan hipo -crossover": {"tool": "gridplan", "solver": {"method": "hipo", "crossover": False}},
    "gridplan clarabel": {"tool": "gridplan", "solver": {"method": "clarabel", "crossover": False}},
    "pypsa default": {"tool": "pypsa", "options": {}, "io_api": None},
    "pypsa direct": {"tool": "pypsa", "options": {}, "io_api": "direct"},
    "pypsa simplex -presolve": {
        "tool": "pypsa",
        "options": {"solver": "simplex", "presolve": "off"},
        "io_api": "direct",
    },
    "pypsa ipx": {"tool": "pypsa", "options": {"solver": "ipx"}, "io_api": "direct"},
    "pypsa hipo": {"tool": "pypsa", "options": {"solver": "hipo"}, "io_api": "direct"},
    "pypsa hipo -crossover": {
        "tool": "pypsa",
        "options": {"solver": "hipo", "run_crossover": "off"},
        "io_api": "direct",
    },
}
QUICK = ["gridplan default", "pypsa default", "gridplan hipo -crossover", "pypsa hipo -crossover"]


class Unsupported(ValueError):
    """The case uses something the PyPSA translation does not express."""


def to_pypsa(inputs: Any, steps: Any) -> tuple[Any, float, float]:
    """The PyPSA network of a single-zone, single-period gridplan case on the given time steps.

    Returns (network, offset [CNY], W) such that gridplan's objective [CNY] equals
    W * (PyPSA objective + offset), W being the period's objective weight (discounted years).
    """
    import pypsa

    from gridplan.lp.generators import uses_thermal_module
    from gridplan.lp.terms import crf, make_ctx

    s = inputs.scenario
    problems = []
    if len(s.zones) != 1 or len(s.periods) != 1:
        problems.append("one zone and one period only")
    if s.links or s.imports or s.demand_response or s.heat is not None:
        problems.append("no links, imports, demand response or heat")
    if s.storage and steps.n_blocks > 1:
        problems.append("storage needs one block of time steps (full year or one representative day)")
    if problems:
        raise Unsupported("; ".join(problems))
    ctx = make_ctx(inputs, steps)
    (z,), (p,) = ctx.zones, ctx.periods
    r = s.discount_rate
    w = ctx.w
    n = pypsa.Network()
    n.set_snapshots(np.arange(steps.n))
    n.snapshot_weightings.loc[:, "objective"] = w
    n.snapshot_weightings.loc[:, "generators"] = w
    n.snapshot_weightings.loc[:, "stores"] = 1.0  # state of charge moves hour by hour inside a block
    n.add("Bus", z)
    load = inputs.load[p][z].to_numpy()[steps.hour]
    n.add("Load", "load", bus=z, p_set=load)
    offset = 0.0

    def bounds(name: str) -> tuple[float, float]:
        lo, hi = 0.0, np.inf
        for tname, tg in s.targets.items():
            if not tg.enabled:
                continue
            if tg.kind == "capacity" and set(tg.technologies) == {name} and tg.zone in (None, z):
                lo = max(lo, float(ctx.by_period(tg.min, tname)[0])) if tg.min is not None else lo
                hi = min(hi, float(ctx.by_period(tg.max, tname)[0])) if tg.max is not None else hi
        return lo, hi

    for tname, tg in s.targets.items():
        if not tg.enabled:
            continue
        soft = tg.soft if tg.soft is not None else s.targets_mode == "soft"
        named = set(tg.technologies)
        if soft:
            raise Unsupported(f"target {tname}: soft targets")
        if tg.kind == "co2_cap" and tg.max is not None and tg.zone is None:
            continue
        if tg.kind == "capacity" and len(named) == 1 and named <= set(s.technologies) | set(s.storage):
            continue
        raise Unsupported(f"target {tname}: only co2_cap (max) and capacity targets on one technology")
    co2 = [t for t in s.targets.values() if t.enabled and t.kind == "co2_cap"]
    for name, t in s.technologies.items():
        if t.kind == "hydro" or uses_thermal_module(t):
            raise Unsupported(f"technology {name}: hydro, commitment and retrofits are not translated")
        existing = float(ctx.by_zone_period(t.existing, name)[0, 0])
        bmin = float(ctx.by_zone_period(t.build_min, name)[0, 0])
        bmax = float(ctx.by_zone_period(t.build_max, name)[0, 0])
        pot = float(ctx.by_zone_period(t.potential, name, np.inf)[0, 0])
        lo, hi = bounds(name)
        ext = bmax > 0 and pot > existing
        if not ext and existing <= 0:
            continue
        fuel, co2_t, _ = (np.zeros(1),) * 3
        if t.fuel and t.fuel in s.fuels:
            hr = float(ctx.by_period(t.heat_rate, name)[0]) * 1e-3  # tce/MWh
            fuel = np.array([hr * float(ctx.by_period(s.fuels[t.fuel].price, t.fuel)[0])])
            co2_t = np.array([hr * s.fuels[t.fuel].co2])
        n.add("Carrier", name, co2_emissions=float(co2_t[0]))
        annuity = crf(r, t.lifetime) * float(ctx.by_period(t.capex, name)[0]) * 1e3  # CNY/MW-yr
        kw: dict[str, Any] = {
            "bus": z,
            "carrier": name,
            "marginal_cost": t.vom + float(fuel[0]),
            "efficiency": 1.0,
            "p_min_pu": t.min_output,
        }
        if t.kind == "variable":
            assert t.profile is not None
            kw["p_max_pu"] = inputs.profiles[t.profile][z].to_numpy()[steps.hour]
        if ext:
            kw.update(
                p_nom_extendable=True,
                p_nom=existing,
                capital_cost=annuity + t.fom * 1e3,
                p_nom_min=max(existing + bmin, lo),
                p_nom_max=min(existing + bmax, pot, hi),
            )
            offset -= annuity * existing
        else:
            if existing < lo or existing > hi:
                raise Unsupported(f"technology {name}: fixed capacity outside its capacity target")
            kw["p_nom"] = existing
            offset += t.fom * 1e3 * existing
        n.add("Generator", name, **kw)
    for name, u in s.storage.items():
        existing = float(ctx.by_zone_period(u.existing, name)[0, 0])
        bmax = float(ctx.by_zone_period(u.build_max, name)[0, 0])
        if bmax <= 0 and existing <= 0:
            continue
        if u.duration_min != u.duration_max or (existing > 0 and u.existing_duration != u.duration_min):
            raise Unsupported(f"storage {name}: PyPSA StorageUnit needs one fixed duration")
        hours = u.duration_min
        lo, hi = bounds(name)
        cost = (
            crf(r, u.lifetime)
            * (
                float(ctx.by_period(u.capex_power, name)[0])
                + hours * float(ctx.by_period(u.capex_energy, name)[0])
            )
            * 1e3
        )
        n.add("Carrier", name)
        n.add(
            "StorageUnit",
            name,
            bus=z,
            carrier=name,
            p_nom_extendable=bmax > 0,
            p_nom=existing,
            p_nom_min=max(existing, lo),
            p_nom_max=min(existing + bmax, hi),
            max_hours=hours,
            efficiency_store=u.eff_charge,
            efficiency_dispatch=u.eff_discharge,
            standing_loss=u.self_discharge,
            capital_cost=cost + u.fom * 1e3,
            marginal_cost=u.vom,
            cyclic_state_of_charge=True,
        )
        offset -= cost * existing if bmax > 0 else -u.fom * 1e3 * existing
    peak = float(load.max())
    if peak > 0:
        n.add("Carrier", "unserved")
        n.add(
            "Generator",
            "unserved",
            bus=z,
            carrier="unserved",
            p_nom=peak,
            p_max_pu=load / peak,
            marginal_cost=s.value_of_lost_load,
        )
    for i, tg in enumerate(co2):
        n.add(
            "GlobalConstraint",
            f"co2_{i}",
            type="primary_energy",
            carrier_attribute="co2_emissions",
            sense="<=",
            constant=float(ctx.by_period(tg.max, "co2")[0]),
        )
    return n, offset, float(ctx.W[0])


@contextlib.contextmanager
def timed_highs_run() -> Iterator[dict[str, Any]]:
    """While active, highspy.Highs.run records the seconds spent inside HiGHS, its iteration
    counts and the LP size it solved (linopy calls run() itself); restored afterwards."""
    import highspy

    rec: dict[str, Any] = {"solve": 0.0}
    inner = highspy.Highs.run

    def run(self: Any) -> Any:
        t = time.perf_counter()
        out = inner(self)
        rec["solve"] += time.perf_counter() - t
        info = self.getInfo()
        rec.update(
            simplex_iterations=info.simplex_iteration_count,
            ipm_iterations=info.ipm_iteration_count,
            crossover_iterations=info.crossover_iteration_count,
            rows=self.getNumRow(),
            columns=self.getNumCol(),
            nonzeros=self.getNumNz(),
            highs_version=self.version(),
        )
        return out

    highspy.Highs.run = run  # type: ignore[method-assign]
    try:
        yield rec
    finally:
        highspy.Highs.run = inner  # type: ignore[method-assign]


def run_pypsa(case: Path, options: dict[str, Any], io_api: str | None) -> dict[str, Any]:
    """Read the case with gridplan, build the PyPSA network, optimise; seconds and objective.

    Stages: load (read the case, build the Network), build (linopy model), handover (LP file
    or direct matrices, and assigning the solution back), solve (inside HiGHS run())."""
    t0 = time.perf_counter()
    import logging

    import pypsa

    from gridplan.case import load_case
    from gridplan.timesteps import select

    logging.getLogger("linopy").setLevel(logging.WARNING)
    logging.getLogger("pypsa").setLevel(logging.WARNING)
    out: dict[str, Any] = {"import": time.perf_counter() - t0, "import_mb": peak_mb()}
    c0 = cpu_seconds()
    with timed_highs_run() as rec:
        t = time.perf_counter()
        inputs = load_case(case)
        steps = select(inputs)
        n, offset, weight = to_pypsa(inputs, steps)
        out["load"], t = time.perf_counter() - t, time.perf_counter()
        n.optimize.create_model(include_objective_constant=False)
        out["build"], t = time.perf_counter() - t, time.perf_counter()
        kw = {} if io_api is None else {"io_api": io_api}
        status, condition = n.optimize.solve_model(solver_name="highs", solver_options=dict(options), **kw)
        total = time.perf_counter() - t
    out["cpu"] = cpu_seconds() - c0
    out["solve"] = rec["solve"]
    out["handover"] = total - rec["solve"]
    out.update({k: v for k, v in rec.items() if k != "solve"})
    out.update(
        {
            "status": f"{status}/{condition}",
            "pypsa": pypsa.__version__,
            "objective_cny": weight * (float(n.objective) + offset),
            "peak_mb": peak_mb(),
        }
    )
    return out


def worker(args: argparse.Namespace) -> None:
    cfg = CONFIGS[args.worker]
    case = Path(args.case)
    if cfg["tool"] == "gridplan":
        res = run_gridplan(case, cfg["solver"])
        res["handover"] = res["compile"] + res["handover"]
    else:
        res = run_pypsa(case, cfg["options"], cfg["io_api"])
        res["extract"] = 0.0
    res["wall"] = sum(res[k] for k in ("load", "time", "build", "handover", "solve", "extract") if k in res)
    print("RESULT " + json.dumps(res))


def measure(config: str, case: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", config, "--case", str(case)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout:.0f} s"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("RESULT ")]
    if p.returncode != 0 or not lines:
        return {"status": f"failed (exit {p.returncode}): {p.stderr.strip().splitlines()[-1:]}"}
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def compare(case: Path, configs: list[str], repeat: int, timeout: float) -> list[dict[str, Any]]:
    """Run every configuration `repeat` times; keep the minimum of each time and of peak memory."""
    rows = []
    for c in configs:
        runs = []
        for i in range(repeat):
            r = measure(c, case, timeout)
            print(
                f"  {c} run {i + 1}/{repeat}: "
                + (
                    f"wall {r['wall']:.2f} s, solve {r['solve']:.2f} s, peak {r['peak_mb']:.0f} MB"
                    if "wall" in r
                    else r["status"]
                ),
                file=sys.stderr,
                flush=True,
            )
            runs.append(r)
        ok = [r for r in runs if "wall" in r]
        if not ok:
            rows.append({"config": c, **runs[-1]})
            continue
        row = {"config": c, **ok[0]}
        for k in ("wall", "cpu", "load", "build", "handover", "solve", "extract", "peak_mb", "import"):
            row[k] = min(r.get(k, 0.0) for r in ok)
        rows.append(row)
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    """The table, the objective check and the ratios gridplan / PyPSA."""
    ok = [r for r in rows if "wall" in r]
    lines = [
        f"{'configuration':<30} {'wall':>7} {'cpu':>7} {'load':>6} {'build':>6} {'handover':>8} {'solve':>7} "
        f"{'extract':>7} {'peak':>5} {'iter':>6} {'import':>6}  objective [CNY]       status",
        f"{'':<30} {'[s]':>7} {'[s]':>7} {'[s]':>6} {'[s]':>6} {'[s]':>8} {'[s]':>7} {'[s]':>7} {'[MB]':>5} "
        f"{'':>6} {'[s]':>6}",
    ]
    for r in rows:
        if "wall" not in r:
            lines.append(f"{r['config']:<30} {r['status']}")
            continue
        it = r.get("ipm_iterations", 0) + r.get("simplex_iterations", 0) + r.get("crossover_iterations", 0)
        lines.append(
            f"{r['config']:<30} {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['load']:>6.2f} {r['build']:>6.2f} "
            f"{r['handover']:>8.2f} {r['solve']:>7.2f} {r['extract']:>7.2f} {r['peak_mb']:>5.0f} "
            f"{it:>6} {r['import']:>6.2f}  {r['objective_cny']:>20.6f}  {r['status']}"
        )
    if not ok:
        return "\n".join(lines)
    g = [r for r in ok if r["config"].startswith("gridplan")]
    p = [r for r in ok if r["config"].startswith("pypsa")]
    ref = ok[0]["objective_cny"]
    worst = max(abs(r["objective_cny"] - ref) / abs(ref) for r in ok)
    lines.append(
        f"objectives agree to {worst:.2e} relative (required: 1e-6): " + ("yes" if worst <= 1e-6 else "NO")
    )
    versions = sorted({str(r.get("highs_version", "?")) for r in ok})
    lines.append(
        f"HiGHS version(s) used: {', '.join(versions)}; LP sizes: "
        + "; ".join(
            sorted(
                {
                    f"{r['config'].split()[0]} {r['rows']} rows x {r['columns']} cols, {r['nonzeros']} nnz"
                    for r in ok
                }
            )
        )
    )
    if g and p:
        gd = next((r for r in g if r["config"] == "gridplan default"), None)
        pd_ = next((r for r in p if r["config"] == "pypsa default"), None)
        gb = min(g, key=lambda r: r["wall"])
        pb = min(p, key=lambda r: r["wall"])
        pairs = [
            ("gridplan default / pypsa default", gd, pd_),
            ("gridplan default / pypsa best", gd, pb),
            ("gridplan best / pypsa best", gb, pb),
        ]
        lines.append(f"best: gridplan = {gb['config']}, pypsa = {pb['config']}")
        for label, a, b in pairs:
            if a is None or b is None:
                continue
            lines.append(
                f"{label:<36} wall {a['wall'] / b['wall']:.2f}  cpu {a['cpu'] / b['cpu']:.2f}  "
                f"solve {a['solve'] / b['solve']:.2f}  "
                f"peak memory {a['peak_mb'] / b['peak_mb']:.2f}"
            )
        if gd is not None:
            share = (gd["build"] + gd["handover"]) / gd["wall"]
            lines.append(f"gridplan default: Pyomo build + hand-over = {100 * share:.1f}% of its wall time")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", type=Path, help="a single-zone gridplan case; default: the synthetic case")
    ap.add_argument("--hours", type=int, default=8760, help="synthetic case: 8760 (full year) or 24")
    ap.add_argument(
        "--configs",
        default="all",
        help=f"'all', 'quick' ({', '.join(QUICK)}) or a comma-separated list of: " + ", ".join(CONFIGS),
    )
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; the minimum is shown")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return
    names = (
        list(CONFIGS)
        if args.configs == "all"
        else QUICK
        if args.configs == "quick"
        else [c.strip() for c in args.configs.split(",")]
    )
    unknown = [c for c in names if c not in CONFIGS]
    if unknown:
        ap.error(f"unknown configuration(s) {unknown}; choose from {list(CONFIGS)}")
    with tempfile.TemporaryDirectory() as tmp:
        case = args.case or write_case(Path(tmp) / "case", *synthetic_case(hours=args.hours))
        rows = compare(case, names, args.repeat, args.timeout)
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
