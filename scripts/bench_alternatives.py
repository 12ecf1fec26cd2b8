"""Model reuse of near-optimal alternatives, measured: the same alternatives solved on a freshly
built model (cold) and on the worker's kept model (only the cost row's right-hand side and the
objective changed; gridplan/alternatives/mga.py).

Usage:
    python scripts/bench_alternatives.py [CASE] [--slack 0.05] [--repeat 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

from gridplan.alternatives import mga
from gridplan.alternatives.directions import default_directions
from gridplan.case import load_case

STAGES = (
    "seconds_load",
    "seconds_time",
    "seconds_build",
    "seconds_compile",
    "seconds_solve",
    "seconds_results",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("case", nargs="?", default="inputs/quick.yaml")
    ap.add_argument("--slack", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=2, help="directions measured (min and max each)")
    args = ap.parse_args()
    inputs = load_case(args.case)
    key = "bench"
    mga._KEPT.clear()
    opt = mga.solve_alternative(args.case, key, {}, None, None, "min")
    limit = (1 + args.slack) * opt.attrs["objective"] / mga.MCNY
    rows: dict[str, list[dict[str, float]]] = {"cold": [], "reused": []}
    for d in default_directions(inputs)[: args.repeat]:
        for sense in d.senses:
            for mode in ("cold", "reused"):
                if mode == "cold":
                    mga._KEPT.clear()
                t = time.perf_counter()
                ds = mga.solve_alternative(args.case, key, {}, limit, d, sense)
                wall = time.perf_counter() - t
                rows[mode].append({"wall": wall, **{k: float(ds.attrs.get(k, 0.0)) for k in STAGES}})
                print(f"{d.name:>20} {sense} {mode:>6}: {wall:6.2f} s, reused={ds.attrs['model_reused']}")
    for mode, rs in rows.items():
        parts = ", ".join(f"{k[8:]} {statistics.median(r[k] for r in rs):.2f}" for k in STAGES)
        print(f"{mode:>6}: median wall {statistics.median(r['wall'] for r in rs):.2f} s ({parts})")


if __name__ == "__main__":
    main()
