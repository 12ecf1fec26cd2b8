"""The LP of a case as the independent parts `gridplan run` solves side by side, written to MPS,
and HiGHS on one part with gridplan's options: iterations, seconds, objective. The measurements
of model/performance.md on the base case's parts are made with it.

    python scripts/bench_parts.py write [--case inputs/jiangxi] [--out bench_out/parts]
        [--hold-off cluster,... [--periods 2030,...]]
    python scripts/bench_parts.py solve bench_out/parts/part0.mps [--option k=v ...]
        [--drop name,...] [--fix name,... --solution x.npy] [--save x.npy] [--log]

`write` builds and compiles the case as `gridplan run` does, splits the LP into its independent
parts (gridplan/blocks.py) and writes part<i>.mps, part<i>_names.npz (the Pyomo component of each
row and column, for --drop and --fix) and parts.json (the objective offset [MCNY], the HiGHS
options gridplan gives this case and what --hold-off held). --hold-off adds the rows hold_off,
th_commit = 0 at every step of these clusters' committed parts: the LP restricted to plans in
which they never run (its objective is the case's when the case's plan never commits them).
`solve` runs HiGHS on one part file with those options, one thread (as a part runs), then the
--option overrides (HiGHS names and values; `solver=clarabel` runs Clarabel as gridplan does,
gridplan/clarabel_ipm.py: with the case's crossover, then its vertex; add `run_crossover=off` for
its point alone). Diagnostics: --drop deletes the rows of these
constraints, --fix fixes the columns of these variables at the values of --solution (a --save of
an earlier solve, e.g. with crossover for a vertex). A changed LP no longer has the case's
objective. The case's objective [CNY] is 1e6 x (offset + the sum of the
parts' objectives) in gridplan's internal units (MCNY).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from gridplan.blocks import blocks
from gridplan.case import load_case
from gridplan.clarabel_ipm import ClarabelHighs
from gridplan.lp.build import build
from gridplan.solve import PARTS, highs_with, options_for, shape_of, to_highs
from gridplan.timesteps import select

ROOT = Path(__file__).resolve().parents[1]


def hold_off(m: pyo.ConcreteModel, techs: list[str], periods: list[int]) -> int:
    """hold_off: th_commit = 0 at every step of the committed parts of these clusters, in these
    periods (all when empty): the LP of a plan in which they never run. The number of rows."""
    have = {k[1] for k in getattr(m, "th_offline", [])}
    if missing := sorted(set(techs) - have):
        raise SystemExit(f"--hold-off: no committed parts of {', '.join(missing)} in this case")
    idx = [k for k in m.th_offline if k[1] in techs and (not periods or k[3] in periods)]
    m.hold_off = pyo.Constraint(idx, rule=lambda _m, *k: _m.th_commit[k] == 0)
    return len(idx)


def write_parts(
    case: Path,
    out: Path,
    min_columns: int | None = None,
    held: list[str] | None = None,
    periods: list[int] | None = None,
) -> list[dict[str, Any]]:
    """The case's LP as part<i>.mps in `out` (the whole LP as part0 when it has one part), with
    the clusters `held` held off (hold_off) in `periods` when given."""
    inputs = load_case(case)
    m, _ = build(inputs, select(inputs))
    held_rows = hold_off(m, held, periods or []) if held else 0
    lp, info, offset = to_highs(m)
    rows = np.array([r.constraint.parent_component().name for r in info.rows])
    cols = np.array([v.parent_component().name for v in info.columns])
    parts = blocks(lp, PARTS, min_columns) or []
    pieces = [(b.lp, b.rows, b.cols) for b in parts] or [(lp, np.arange(len(rows)), np.arange(len(cols)))]
    out.mkdir(parents=True, exist_ok=True)
    sizes = []
    for i, (part, r, c) in enumerate(pieces):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(part)
        h.writeModel(str(out / f"part{i}.mps"))
        np.savez(out / f"part{i}_names.npz", rows=rows[r], cols=cols[c])
        sizes.append({"part": i, "rows": int(part.num_row_), "columns": int(part.num_col_)})
    options = options_for(inputs.scenario.solver, lp.num_col_, *shape_of(m))
    meta = {"case": str(case), "offset_mcny": offset, "options": options, "parts": sizes}
    if held:  # the parts' objective is then that of the restricted LP, not the case's
        meta["hold_off"] = {"clusters": held, "periods": periods or "all", "rows": held_rows}
    (out / "parts.json").write_text(json.dumps(meta, indent=1) + "\n")
    return sizes


def _names(text: str) -> list[str]:
    """The items of a comma-separated command-line list."""
    return [n for n in text.split(",") if n]


def _value(text: str) -> Any:
    """A HiGHS option value from the command line: int, float or string."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def options_of(mps: Path, overrides: list[str], log: bool) -> dict[str, Any]:
    """gridplan's options for the case (parts.json beside the file), one thread, then overrides."""
    meta = json.loads((mps.parent / "parts.json").read_text())
    opts: dict[str, Any] = {**meta["options"], "threads": 1, "output_flag": True, "log_to_console": log}
    for item in overrides:
        name, _, value = item.partition("=")
        opts[name] = _value(value)
    return opts


def changed(h: highspy.Highs, names: dict[str, np.ndarray], drop: list[str], fix: list[str], x: Any) -> str:
    """Delete the rows of the constraints `drop`; fix the columns of the variables `fix` at x."""
    said = []
    if fix:
        idx = np.flatnonzero(np.isin(names["cols"], fix)).astype(np.int32)
        h.changeColsBounds(len(idx), idx, x[idx], x[idx])
        said.append(f"{len(idx):,} columns fixed")
    if drop:
        idx = np.flatnonzero(np.isin(names["rows"], drop)).astype(np.int32)
        h.deleteRows(len(idx), idx)
        said.append(f"{len(idx):,} rows dropped")
    return ", ".join(said)


def solve_part(
    mps: Path,
    overrides: list[str] | None = None,
    drop: list[str] | None = None,
    fix: list[str] | None = None,
    solution: Path | None = None,
    save: Path | None = None,
    log: bool = False,
) -> dict[str, Any]:
    """HiGHS on one part file: status, IPM and crossover iterations, seconds of run(), objective
    [MCNY, without the offset]. `--option solver=clarabel` runs Clarabel as gridplan does
    (gridplan/clarabel_ipm.py)."""
    if fix and solution is None:
        raise SystemExit("--fix needs --solution")
    h = highs_with(options_of(mps, overrides or [], log))
    h.readModel(str(mps))
    names = dict(np.load(mps.with_name(mps.stem + "_names.npz")))
    x = np.load(solution) if solution is not None else None
    change = changed(h, names, drop or [], fix or [], x)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    info = h.getInfo()
    point = h.point if isinstance(h, ClarabelHighs) else None
    if save is not None:
        np.save(save, point["x"] if point else np.asarray(h.getSolution().col_value))
    return {
        "file": mps.name,
        "status": "Optimal" if point else h.modelStatusToString(h.getModelStatus()),
        "ipm_iterations": point["iterations"]["ipm_iterations"] if point else int(info.ipm_iteration_count),
        "crossover_iterations": 0 if point else int(info.crossover_iteration_count),
        "seconds": seconds,
        "objective_mcny": point["objective"] if point else float(info.objective_function_value),
        "change": change,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write the case's independent parts to MPS")
    w.add_argument("--case", type=Path, default=ROOT / "inputs" / "jiangxi")
    w.add_argument("--out", type=Path, default=ROOT / "bench_out" / "parts")
    w.add_argument(
        "--hold-off", default="", help="clusters whose committed parts never run (comma-separated)"
    )
    w.add_argument("--periods", default="", help="the periods --hold-off applies to (default: all)")
    s = sub.add_parser("solve", help="HiGHS on one part file with gridplan's options")
    s.add_argument("mps", type=Path)
    s.add_argument("--option", action="append", default=[], metavar="NAME=VALUE")
    s.add_argument("--drop", default="", help="constraints whose rows are deleted (comma-separated)")
    s.add_argument("--fix", default="", help="variables fixed at --solution (comma-separated)")
    s.add_argument("--solution", type=Path)
    s.add_argument("--save", type=Path, help="write the primal values here (.npy)")
    s.add_argument("--log", action="store_true", help="show the HiGHS log")
    a = ap.parse_args()
    if a.command == "write":
        t = time.perf_counter()
        periods = [int(p) for p in _names(a.periods)]
        for p in write_parts(a.case, a.out, held=_names(a.hold_off), periods=periods):
            print(f"part{p['part']}: {p['rows']:,} rows x {p['columns']:,} columns")
        print(f"written to {a.out} in {time.perf_counter() - t:.1f} s")
        return
    r = solve_part(a.mps, a.option, _names(a.drop), _names(a.fix), a.solution, a.save, a.log)
    label = " ".join([r["file"], *a.option] + ([f"({r['change']})"] if r["change"] else []))
    print(
        f"{label}: "
        f"{r['status']}, {r['ipm_iterations']} IPM + {r['crossover_iterations']:,} crossover iterations, "
        f"{r['seconds']:.1f} s, objective {r['objective_mcny']:,.6f} MCNY without the offset"
    )


if __name__ == "__main__":
    main()
