"""Hand the Pyomo model to HiGHS in memory and read the solution back.

Pyomo's LinearStandardFormCompiler turns the model into sparse matrices (no LP file);
highspy receives them with passModel. Row duals are d(objective)/d(right-hand side).

Solver strategy (solver.method), measured with scripts/bench.py (model/performance.md):
    simplex  HiGHS dual simplex
    ipm      HiGHS IPX interior point (solver "ipx"; with highspy-extras installed HiGHS's own
             "ipm" means HiPO, so IPX is named explicitly)
    hipo     HiGHS HiPO interior point (needs the highspy-extras package; IPX without it)
    pdlp     first-order PDLP (low accuracy, no crossover: for experiments only)
    clarabel Clarabel's interior point (gridplan/clarabel_ipm.py); with crossover, then its vertex:
             the restricted LP by HiPO with crossover, then primal simplex on the whole LP, all on
             HiGHS's presolved LP (with presolve on) and brought back by postsolve with the basis
    choose   simplex for any LP up to SMALL_LP_COLUMNS columns and for one zone up to
             SIMPLEX_MAX_COLUMNS columns (any size without HiPO: IPX loses to simplex there);
             otherwise interior point: HiPO if installed, else IPX. For one zone and one period
             (a single chronological year or representative days) simplex runs without HiGHS
             presolve: there it removes little (limits of fixed-capacity units) and the simplex
             ran 1.3-2x slower with it on the full year; to keep presolve, name the method.
             An interior-point solve without crossover (solver.crossover false: the re-solves of
             target-costs, `gridplan run --no-crossover`) runs Clarabel: 2.6x faster than HiPO
             on the base case's big part (model/performance.md, "Clarabel"); with crossover, an
             LP of CLARABEL_VERTEX_COLUMNS columns or more runs Clarabel and then its vertex
             (the base case's solve stage: 104 s against 144 s with HiPO), a smaller one HiPO.
HiPO runs with AMD ordering: on the base case its analysis takes 8-9 s against 21-29 s with
HiGHS's default (METIS), for the same iterations and factor size.
Crossover (solver.crossover, on by default) turns the interior point into a vertex, so prices
are vertex duals like the simplex's; it costs 1-14% of the interior-point time. An interior-point
run that ends without a usable answer (HiPO/IPX "no progress", status unknown) is re-run once with
dual simplex, so a numerical stall costs time, never the result.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from gridplan.block_store import BlockStore
from gridplan.block_store import current as stored_parts
from gridplan.blocks import Block, blocks
from gridplan.case import Solver
from gridplan.clarabel_ipm import ClarabelHighs
from gridplan.clarabel_ipm import available as has_clarabel
from gridplan.clarabel_ipm import key as clarabel_key
from gridplan.clarabel_ipm import version as clarabel_version
from gridplan.warm_start import WarmStart
from gridplan.watch import Live, Status, Watcher, current, never, run_all

STATUS = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnbounded": "unbounded",
    "kUnboundedOrInfeasible": "infeasible_or_unbounded",
    "kTimeLimit": "time_limit",
    "kIterationLimit": "iteration_limit",
    "kObjectiveBound": "objective_bound",
    "kSolveError": "solve_error",
    "kModelEmpty": "optimal",
    "kUnknown": "unknown",
}
# choose: measured break-even points (model/performance.md, "Solver strategy")
SMALL_LP_COLUMNS = 10_000  # below: simplex always (interior-point set-up does not pay)
SIMPLEX_MAX_COLUMNS = 100_000  # one zone: simplex up to here (break-even with HiPO ~105k columns)
CLARABEL_VERTEX_COLUMNS = 100_000  # with crossover, from here Clarabel + its vertex (base case: 209k)
RETRY_STATUSES = ("unknown", "solve_error")
ITERATIONS = ("simplex_iterations", "ipm_iterations", "crossover_iterations")


@dataclass
class Solution:
    status: str
    optimal: bool
    feasible: bool  # a primal feasible point is available
    objective: float  # internal units (MCNY, discounted)
    x: np.ndarray
    duals: dict[int, float]  # id(ConstraintData) -> dual
    columns: list[Any]
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    solver: str = ""
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # |coefficient| ranges
    warm_start: str = ""  # how a warm start went (gridplan/warm_start.py); empty: none asked for

    def dual(self, con: Any) -> float:
        return self.duals.get(id(con), 0.0)


@functools.cache
def has_hipo() -> bool:
    """HiPO needs the highspy-extras package (its linear-algebra libraries)."""
    try:
        import highspy_extras  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _ipm_name() -> str:
    """HiGHS's name for IPX: 'ipx' (HiGHS >= 1.12), else 'ipm' (which then is IPX)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return "ipx" if h.setOptionValue("solver", "ipx") == highspy.HighsStatus.kOk else "ipm"


def choose_method(n_cols: int, zones: int | None = None, periods: int | None = None) -> tuple[str, bool]:
    """(method, presolve) that `choose` resolves to (see the module docstring).

    `zones` and `periods` are counted from the model's energy balance; None (unknown) counts
    as several, which keeps presolve on and the size rule alone."""
    one_zone = zones == 1
    if n_cols <= SMALL_LP_COLUMNS or (one_zone and (n_cols <= SIMPLEX_MAX_COLUMNS or not has_hipo())):
        return "simplex", not (one_zone and periods == 1)
    return ("hipo" if has_hipo() else "ipm"), True


def options_for(
    opts: Solver, n_cols: int, zones: int | None = None, periods: int | None = None
) -> dict[str, Any]:
    """HiGHS options from the scenario's solver section (see model/parameters.md)."""
    method: str = opts.method
    presolve = opts.presolve
    if method == "choose":
        method, chosen = choose_method(n_cols, zones, periods)
        presolve = presolve and chosen
    if method == "clarabel" and not has_clarabel():
        method = "hipo"
    if method == "hipo" and not has_hipo():
        method = "ipm"
    if (
        method in ("hipo", "ipm")
        and opts.method == "choose"
        and (not opts.crossover or n_cols >= CLARABEL_VERTEX_COLUMNS)
        and has_clarabel()
    ):
        method = "clarabel"
    solver = {"ipm": _ipm_name()}.get(method, method)
    out: dict[str, Any] = {
        "solver": solver,
        "run_crossover": "on" if opts.crossover else "off",
        "primal_feasibility_tolerance": opts.tolerance,
        "dual_feasibility_tolerance": opts.tolerance,
        "presolve": "on" if presolve else "off",
        "output_flag": opts.log,
        "random_seed": 0,
    }
    if method in ("ipm", "hipo", "clarabel"):
        out["ipm_optimality_tolerance"] = min(1e-8, opts.tolerance)
    if solver == "hipo":
        out["hipo_ordering"] = "amd"  # base case: analysis 8-9 s against 21-29 s with METIS, same path
    if math.isfinite(opts.time_limit):
        out["time_limit"] = float(opts.time_limit)
    if opts.threads:
        out["threads"] = opts.threads
    out.update(opts.options)
    return out


def shape_of(m: pyo.ConcreteModel) -> tuple[int | None, int | None]:
    """(zones, periods) of the model's energy balance `balance[z, p, t]`; (None, None) without one."""
    bal = getattr(m, "balance", None)
    if bal is None or not bal.is_indexed() or bal.index_set().dimen != 3:
        return None, None
    keys = list(bal.index_set())
    return len({k[0] for k in keys}), len({k[1] for k in keys})


def to_highs(m: pyo.ConcreteModel) -> tuple[highspy.HighsLp, Any, float]:
    """Standard form of the model as a HighsLp; also the compiled info and objective offset."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    cols = info.columns
    n, k = len(cols), len(info.rows)
    lb = np.fromiter((-np.inf if v.lb is None else v.lb for v in cols), float, n)
    ub = np.fromiter((np.inf if v.ub is None else v.ub for v in cols), float, n)
    kind = np.fromiter((r.bound_type for r in info.rows), int, k)
    rhs = np.asarray(info.rhs, dtype=float)
    A = info.A.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, k
    lp.col_cost_ = np.asarray(info.c.toarray()).ravel() if n else np.zeros(0)
    lp.col_lower_, lp.col_upper_ = lb, ub
    lp.row_lower_ = np.where(kind <= 0, rhs, -np.inf)
    lp.row_upper_ = np.where(kind >= 0, rhs, np.inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    offset = float(np.asarray(info.c_offset).ravel()[0]) if len(info.c_offset) else 0.0
    return lp, info, offset


def coefficient_ranges(lp: highspy.HighsLp) -> dict[str, tuple[float, float]]:
    """Smallest and largest nonzero |value| of matrix, costs, finite bounds and right-hand sides,
    as HiGHS prints them ("Coefficient ranges"); ratios above ~1e6-1e7 hurt its robustness."""

    def span(a: Any) -> tuple[float, float]:
        v = np.abs(np.asarray(a, dtype=float))
        v = v[np.isfinite(v) & (v > 0)]
        return (float(v.min()), float(v.max())) if len(v) else (0.0, 0.0)

    return {
        "matrix": span(lp.a_matrix_.value_),
        "cost": span(lp.col_cost_),
        "bound": span(np.concatenate([lp.col_lower_, lp.col_upper_])),
        "rhs": span(np.concatenate([lp.row_lower_, lp.row_upper_])),
    }


def solve(
    m: pyo.ConcreteModel,
    opts: Solver,
    live: Live | None = None,
    scale: float = 1e6,
    *,
    warm: WarmStart | None = None,
) -> Solution:
    """Solve with HiGHS; load values into the model's variables when a feasible point exists.
    `live` (default: that of an enclosing gridplan.watch.watching block) gets the solver's
    progress, the objective times `scale` [CNY]; Ctrl-C stops the solve and raises
    KeyboardInterrupt. `warm` (gridplan/warm_start.py): dual simplex from a reference basis when
    the constraint matrix is the reference's, and/or keep this solve's optimal basis; a warm
    solve that does not end optimal is redone cold. Without a warm start, an interior-point
    solve of an LP made of independent parts solves the parts side by side (gridplan/blocks.py),
    and inside `gridplan.block_store.reusing` reads back the parts solved before (_solve_parts).
    A deactivated Objective named POLISH on the model is re-optimised after an optimal solve
    with a basis: primal simplex from that basis (_polish)."""
    t0 = time.perf_counter()
    live = live or current()
    live(Status("solve", 0.0, phase="compile"))
    lp, info, offset = to_highs(m)
    t1 = time.perf_counter()
    options = options_for(opts, lp.num_col_, *shape_of(m))
    basis, warm_note = warm.start(lp, options["solver"]) if warm is not None else (None, "")
    if basis is not None:
        options["solver"] = "simplex"
    polish = getattr(m, POLISH, None)
    store = stored_parts()
    parts = None
    if (
        warm is None
        and polish is None
        and opts.blocks
        and (opts.threads != 1 or store is not None)
        and options["solver"] != "simplex"
    ):
        parts = blocks(lp, PARTS)
    t2 = time.perf_counter()
    if parts:
        raws, note = _solve_parts(parts, options, Watcher(live, options["solver"], offset, scale, t0), store)
        h = None
        status = _worst([r.status for r in raws])
    else:
        job = _job(options, lp, Watcher(live, options["solver"], offset, scale, t0))
        h = job[0]
        if basis is not None:
            accepted = h.readBasis(str(basis)) == highspy.HighsStatus.kOk
            warm_note = "base basis" if accepted else "cold: the base basis was rejected"
        t2 = time.perf_counter()
        run_all([job])
        raws = [_retry(*job, options["solver"])]
        if polish is not None and raws[0].status == "optimal" and h.getBasis().valid:
            raws[0] = _polish(*job, polish, info, offset)
        status, note = raws[0].status, raws[0].note
    if basis is not None and status != "optimal":  # the answer must not depend on the start
        again = solve(m, opts, live, scale)
        again.warm_start = f"cold: the first solve ended with status '{status}'"
        return again
    t3 = time.perf_counter()
    if warm_note == "base basis":
        note += ", warm start from the base case's basis"
    engine = options["solver"]
    if engine == CLARABEL:
        engine = f"Clarabel {clarabel_version()}"
    label = (
        f"HiGHS {highs_version()} via highspy ({engine}"
        f"{'' if options['run_crossover'] == 'on' or options['solver'] == 'simplex' else ', no crossover'}"
        f"{'' if options['presolve'] == 'on' else ', no presolve'}{note})"
    )
    raw = raws[0] if parts is None else _join(raws, parts, lp)
    sol = collect(raw, lp, info, offset, {"compile": t1 - t0, "handover": t2 - t1, "solve": t3 - t2}, label)
    sol.warm_start = warm_note
    if warm is not None and sol.optimal and h is not None:
        warm.keep(h, lp, sol.objective * scale)
    return sol


def highs_with(options: dict[str, Any]) -> highspy.Highs:
    """A HiGHS object with these options; its log goes to the progress callback, not the console.
    For Clarabel, one whose run() is Clarabel's on the LP (gridplan/clarabel_ipm.py), with HiGHS's
    interior point as its fallback."""
    if options["solver"] == CLARABEL:
        fallback = "hipo" if has_hipo() else _ipm_name()
        tol = options["ipm_optimality_tolerance"]
        h: highspy.Highs = ClarabelHighs(tol, tol, fallback, vertex=options["run_crossover"] == "on")
        options = {**options, "solver": fallback}
    else:
        h = highspy.Highs()
    for k, v in options.items():
        h.setOptionValue(k, v)
    if not options["output_flag"]:
        h.setOptionValue("output_flag", True)
        h.setOptionValue("log_to_console", False)
    return h


def _job(options: dict[str, Any], lp: highspy.HighsLp, watcher: Watcher) -> tuple[highspy.Highs, Watcher]:
    """A HiGHS object holding `lp`, and the watcher that follows its run."""
    h = highs_with(options)
    h.passModel(lp)
    if isinstance(h, ClarabelHighs):
        h.watcher = watcher
    return h, watcher


@functools.cache
def highs_version() -> str:
    """The version of the HiGHS library highspy runs."""
    return str(highspy.Highs().version())


def engine_version(options: dict[str, Any]) -> str:
    """The versions of the libraries that solve with these options (the store's key)."""
    return highs_version() + (f" clarabel {clarabel_key()}" if options["solver"] == CLARABEL else "")


def _solve_parts(
    parts: list[Block], options: dict[str, Any], watcher: Watcher, store: BlockStore | None
) -> tuple[list[Raw], str]:
    """Each independent part solved in its own HiGHS object, side by side (or read back from the
    store, gridplan/block_store.py); with a store every part runs on one thread, and the parts run
    one after the other when the solve has one. The progress callback follows the first part solved."""
    side_by_side = store is None or options.get("threads", 0) != 1
    if store is not None:
        options = {**options, "threads": 1}
    keys = [store.key(b.lp, options, engine_version(options)) if store else "" for b in parts]
    vertex = options["run_crossover"] == "on"
    raws: list[Raw | None] = [None] * len(parts)
    for i, key in enumerate(keys):
        found = store.get(key, vertex) if store else None
        if found is not None:
            raws[i] = Raw(**found, iterations=dict.fromkeys(ITERATIONS, 0))
    todo = [i for i in range(len(parts)) if raws[i] is None]
    jobs = []
    for n, i in enumerate(todo):
        live = watcher.live if n == 0 or not side_by_side else never
        w = Watcher(live, options["solver"], watcher.offset, watcher.scale, watcher.t0)
        w.part = f"{len(parts)} independent parts"
        h, _ = _job(options, parts[i].lp, w)
        jobs.append((i, h, w))
    for batch in [jobs] if side_by_side else [[j] for j in jobs]:
        run_all([(h, w) for _, h, w in batch])
    for i, h, w in jobs:
        raws[i] = _retry(h, w, options["solver"])
        if store is not None:
            store.put(keys[i], vars(raws[i]), vertex)
    reused = len(parts) - len(jobs)
    how = "side by side" if side_by_side else "one after the other"
    sizes = ", ".join(f"{len(b.cols):,}" for b in parts)
    note = f", {len(parts)} independent parts {how} ({sizes} columns)"
    if reused:
        note += f", {reused} of them reused from an earlier identical solve"
    note += "".join(dict.fromkeys(r.note for r in raws if r is not None))
    return [r for r in raws if r is not None], note


CLARABEL = "clarabel"  # options["solver"] of a Clarabel solve (HiGHS has no such solver)
PARTS = 2  # independent parts solved side by side (the reference machine has 2 cores)
POLISH = "polish_objective"  # a deactivated Objective re-optimised from the final basis (_polish)


@dataclass
class Raw:
    """What one HiGHS run gives: status, whether its primal and dual points are valid, the
    points, objective (without the offset) and iteration counts."""

    status: str
    primal: bool
    dual: bool
    x: np.ndarray
    row_dual: np.ndarray
    objective: float
    iterations: dict[str, int]
    note: str = ""


def _read(h: highspy.Highs, note: str = "") -> Raw:
    note = getattr(h, "note", "") + note  # a Clarabel run that fell back to HiGHS says so
    hinfo = h.getInfo()
    sol = h.getSolution()
    return Raw(
        status=STATUS.get(h.getModelStatus().name, h.getModelStatus().name),
        primal=hinfo.primal_solution_status == 2,
        dual=hinfo.dual_solution_status == 2,
        x=np.asarray(sol.col_value),
        row_dual=np.asarray(sol.row_dual),
        objective=hinfo.objective_function_value,
        iterations={k: getattr(hinfo, k.replace("iterations", "iteration_count")) for k in ITERATIONS},
        note=note,
    )


def _retry(h: highspy.Highs, watcher: Watcher, solver: str) -> Raw:
    """The run's result; an interior-point run that ended without a usable answer is run again
    with dual simplex."""
    if isinstance(h, ClarabelHighs) and h.point is not None:
        return Raw(**h.point)
    status = STATUS.get(h.getModelStatus().name, h.getModelStatus().name)
    if status not in RETRY_STATUSES or solver == "simplex":
        return _read(h)
    h.setOptionValue("solver", "simplex")
    run_all([(h, watcher)])
    return _read(h, f", simplex after {solver} ended '{status}'")


def _polish(h: highspy.Highs, watcher: Watcher, polish: Any, info: Any, offset: float) -> Raw:
    """Primal simplex from the solve's optimal basis on the objective `polish` (a deactivated
    Objective of the model): the basis stays primal feasible when only costs change, and near
    the new optimum when the solved objective was `polish` plus a small tie-break, so few
    iterations remain (near-optimal alternatives, gridplan/alternatives/mga.py)."""
    repn = generate_standard_repn(polish.expr, compute_values=True)
    index = {id(v): j for j, v in enumerate(info.columns)}
    n = len(info.columns)
    cost = np.zeros(n)
    sign = -1.0 if polish.sense == pyo.maximize else 1.0
    for v, a in zip(repn.linear_vars, repn.linear_coefs, strict=True):
        if id(v) in index:  # a variable in no row or objective of the LP is not part of it
            cost[index[id(v)]] += sign * a
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)  # primal: the basis is primal feasible
    h.setOptionValue("presolve", "off")  # keep the basis
    run_all([(h, watcher)])
    raw = _read(h, ", then primal simplex on the exact objective from its basis")
    raw.objective += sign * float(repn.constant) - offset
    return raw


def _worst(statuses: list[str]) -> str:
    """The LP's status from its parts': optimal when all are, else the first that is not."""
    return next((s for s in statuses if s != "optimal"), "optimal")


def _join(raws: list[Raw], parts: list[Block], lp: highspy.HighsLp) -> Raw:
    """The whole LP's result from its parts' (objectives and iterations add up)."""
    x, row_dual = np.zeros(lp.num_col_), np.zeros(lp.num_row_)
    for r, b in zip(raws, parts, strict=True):
        x[b.cols], row_dual[b.rows] = r.x, r.row_dual
    return Raw(
        status=_worst([r.status for r in raws]),
        primal=all(r.primal for r in raws),
        dual=all(r.dual for r in raws),
        x=x,
        row_dual=row_dual,
        objective=sum(r.objective for r in raws),
        iterations={k: sum(r.iterations[k] for r in raws) for k in raws[0].iterations},
    )


def collect(
    raw: Raw, lp: highspy.HighsLp, info: Any, offset: float, timings: dict[str, float], solver: str
) -> Solution:
    """Status, primal point and row duals (summed per constraint) of a solved LP; values are
    loaded into the model's variables when a feasible point exists."""
    t = time.perf_counter()
    feasible = raw.primal
    x = raw.x if feasible else np.zeros(lp.num_col_)
    duals: dict[int, float] = {}
    if raw.status == "optimal" and raw.dual:
        for r, d in zip(info.rows, raw.row_dual.tolist(), strict=True):
            key = id(r.constraint)
            duals[key] = duals.get(key, 0.0) + d
    if feasible:
        for v, val in zip(info.columns, x.tolist(), strict=True):
            v.set_value(val, skip_validation=True)
    return Solution(
        status=raw.status,
        optimal=raw.status == "optimal",
        feasible=feasible,
        objective=(raw.objective + offset) if feasible else math.nan,
        x=x,
        duals=duals,
        columns=info.columns,
        timings={**timings, "load": time.perf_counter() - t},
        stats={
            "rows": lp.num_row_,
            "columns": lp.num_col_,
            "nonzeros": len(lp.a_matrix_.value_),
            **raw.iterations,
        },
        solver=solver,
        ranges=coefficient_ranges(lp),
    )
