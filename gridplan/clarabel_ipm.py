"""Clarabel's interior point on the LP (solver.method `clarabel`).

Clarabel (a primal-dual interior-point solver with a plain sparse LDL' factorisation,
https://clarabel.org) solves the LP as it is handed to HiGHS; there is no crossover, so the answer
is a point of the optimal face, not a vertex (model/performance.md, "Clarabel"). For the point
alone HiGHS's presolve is not used: pure postsolve of an interior point's duals (no basis) breaks
their balance on the quick case (dual residual 380). With crossover (below) it is: HiGHS presolves
the LP (with solver.presolve on), Clarabel and the vertex steps run on the presolved LP, and
HiGHS's postsolve with the vertex's basis, which is exact, brings the vertex back to the LP as
written and checks it there with simplex (the base case's big part: 13,057 clean-up pivots against
15,450; on a sweep scenario more: neutral on average, model/performance.md, 8 Dec 2026).

Clarabel's form is  min c'x  s.t.  G x + s = h,  s in K;  the LP  min c'x,  rl <= A x <= ru,
l <= x <= u  becomes the rows  A_eq x + s = ru (zero cone) and  A x + s = ru,  -A x + s = -rl,
x + s = u,  -x + s = -l (s >= 0) for the finite bounds. From Clarabel's cone duals z
(c + G'z = 0), HiGHS's row duals (d objective / d right-hand side) are  y = -z_eq - z_up + z_lo.
A row whose columns are all fixed (l = u: a target on the historical fleet) has any dual at all;
the interior point gives it the centre of that range, a vertex 0, and so does this module.
A row that cannot bind for another reason (the new channels' share in 2025, their flows held at 0
by capacity rows) keeps the interior point's price, as do ties between rows.
A Clarabel run that ends without a solution (iteration limit, numerical trouble) is run again by
HiGHS's own interior point, so a stall costs time, never the result; one stopped by
solver.time_limit ends with status time_limit and no point.

With crossover (solver.crossover), the point is turned into an optimal vertex (`vertex`): the
columns at a bound whose reduced cost d = c - A'y is clearly positive at the lower bound (negative
at the upper) are fixed there, x_j - l_j <= FIX_TOL (1 + |x_j|) and d_j > FIX_TOL, and so are the
inequality rows at a bound with a clear dual of that sign (the row's activity Ax in place of x,
its dual y_i in place of d); HiGHS's interior point with crossover solves that restricted LP (an
optimal vertex of it is feasible for the LP, with the LP's optimal objective when the fixing is
right; fixing the rows as well makes it about 5x faster on the base case's big part); the bounds
are restored, the fixed columns and rows made nonbasic at their bound, the rows whose columns are
all fixed given their part of the basis by their duals (gridplan/vertex_block.py), and primal
simplex runs from that primal-feasible basis on the whole LP until no reduced cost has the wrong
sign. The answer is then HiGHS's own: an optimal basis of the LP as written, its vertex duals
the prices.
That primal simplex is abandoned when its objective, with no primal infeasibility, falls more than
FLOOR_TOL below Clarabel's dual objective (a lower bound on the optimum: HiGHS's numerics went
astray, as on a sweep scenario, model/performance.md), when it falls into phase 1 (it starts
primal feasible: seen from a dual simplex basis, stuck there for minutes) or after CLEANUP_LIMIT
iterations per row; the steps are then redone with the columns alone fixed. If they do not end
optimal either, the whole LP goes to HiGHS's interior point with crossover, as without Clarabel.
"""

from __future__ import annotations

import functools
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from gridplan.blocks import matrix
from gridplan.vertex_block import block_basis
from gridplan.watch import follow

INF = 1e20  # bounds at or beyond it are infinite (HiGHS's kHighsInf is inf)
TIME_LIMIT = "MaxTime"
SOLVED = ("Solved",)  # not AlmostSolved: its reduced tolerances (5e-5) are too loose
PHASE = "clarabel"  # the progress line's phase while Clarabel iterates
# vertex: when removing its bound perturbation leaves a few primal infeasibilities, HiGHS's primal
# simplex hands them to dual simplex, whose steepest-edge weights cost one BTRAN per row (27 s on
# the base case's big part for 2 iterations); Devex weights cost nothing to start. HiGHS reads the
# option when its simplex first starts on the LP, so it is set before the restricted LP.
EDGE_WEIGHT, DEVEX = "simplex_dual_edge_weight_strategy", 1
FIX_TOL = 1e-6  # vertex: a column or row is fixed at a bound within this (relative), its dual above it
# vertex: the primal simplex clean-up is abandoned when its objective falls this far (relative) below
# Clarabel's dual objective, or after CLEANUP_LIMIT iterations per row (at least MIN_LIMIT). Measured
# on the big part: clean-ups of 0.15-0.16 iterations per row; HiGHS's bound perturbation moved the
# objective by 1.4e-5; a clean-up gone astray fell 12% below the optimum in 9 s.
FLOOR_TOL, CLEANUP_LIMIT, MIN_LIMIT = 1e-3, 0.5, 10_000
SAVED = ("presolve", "simplex_strategy", "simplex_iteration_limit", EDGE_WEIGHT)  # restored after the vertex
# Clarabel's settings besides the tolerances, part of the store's key (key()). Iterative
# refinement off: the same iterations and a point within the same tolerances (they are checked on
# the iterate, not on the linear solves), 42% less time on the base case's big part (27.3 s against
# 46.7 s, 102 iterations against 103; model/performance.md, 7 Dec 2026, evening).
SETTINGS: dict[str, Any] = {"direct_solve_method": "qdldl", "iterative_refinement_enable": False}
VERTEX = "vertex-on-presolved-lp"  # with presolve on, since 8 Dec 2026 (ClarabelHighs._presolved)


@functools.cache
def available() -> bool:
    """Whether the clarabel package is installed."""
    try:
        import clarabel  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def version() -> str:
    import clarabel

    return str(clarabel.__version__)


def key() -> str:
    """Clarabel's version, gridplan's settings of it (SETTINGS) and how its vertex is found
    (VERTEX), for the store's key; the options in the key say whether presolve and crossover ran."""
    return f"{version()} " + ",".join(f"{k}={v}" for k, v in SETTINGS.items()) + f" {VERTEX}"


def conic_form(lp: highspy.HighsLp) -> tuple[sp.csc_matrix, np.ndarray, list[np.ndarray], np.ndarray]:
    """(G, h, masks, fixed) of the LP in Clarabel's form (module docstring): masks are the rows
    (equal, upper, lower) and columns (upper, lower) each block of G stands for, fixed the rows
    whose columns all have l = u (their activity is a constant)."""
    A = matrix(lp).tocsr()
    rl, ru = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    cl, cu = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    eq = rl == ru
    up, lo = ~eq & (ru < INF), ~eq & (rl > -INF)
    cup, clo = cu < INF, cl > -INF
    eye = sp.identity(lp.num_col_, format="csr")
    G = sp.vstack([A[eq], A[up], -A[lo], eye[cup], -eye[clo]]).tocsc()
    h = np.concatenate([ru[eq], ru[up], -rl[lo], cu[cup], -cl[clo]])
    fixed = np.asarray(abs(A) @ (cl < cu).astype(float) == 0).ravel()
    return G, h, [eq, up, lo, cup, clo], fixed


def row_duals(m: int, z: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    """HiGHS's row duals from Clarabel's cone duals z (module docstring)."""
    eq, up, lo = masks[:3]
    z_eq, z_up, z_lo = np.split(z, np.cumsum([k.sum() for k in masks])[:3])[:3]
    y = np.zeros(m)
    y[eq] -= z_eq
    y[up] -= z_up
    y[lo] += z_lo
    return y


def at_bound(
    v: np.ndarray, lower: np.ndarray, upper: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The columns (or rows, v their activity) clearly at a bound of a range l < u and their side:
    v - l <= FIX_TOL (1 + |v|) with d > FIX_TOL (lower), u - v <= FIX_TOL (1 + |v|) with
    d < -FIX_TOL (upper); d is the reduced cost (for a row, its dual: HiGHS signs them alike)."""
    near, ranged = FIX_TOL * (1 + np.abs(v)), lower < upper
    low = (v - lower <= near) & (d > FIX_TOL) & ranged
    high = (upper - v <= near) & (d < -FIX_TOL) & ranged & ~low
    return np.flatnonzero(low | high).astype(np.int32), low


def nonbasic_at(status: list[Any], idx: np.ndarray, lower: np.ndarray) -> list[Any]:
    """The basis statuses with the fixed entries idx that are not basic made nonbasic at their side."""
    for j, low in zip(idx.tolist(), lower.tolist(), strict=True):
        if status[j] != highspy.HighsBasisStatus.kBasic:
            status[j] = highspy.HighsBasisStatus.kLower if low else highspy.HighsBasisStatus.kUpper
    return status


class ClarabelHighs(highspy.Highs):
    """A HiGHS object holding the LP whose first run() is Clarabel's (module docstring), its
    answer in `point`, or with `vertex` HiGHS's own solution of the vertex steps; a later run()
    (gridplan/solve.py's simplex retry) is HiGHS's own. `watcher` gets each Clarabel iteration
    and stops it when asked (gridplan/watch.py)."""

    def __init__(self, gap: float, feasibility: float, fallback: str, vertex: bool = False) -> None:
        super().__init__()
        self.gap, self.feasibility, self.fallback, self.vertex = gap, feasibility, fallback, vertex
        self.watcher: Any = None
        self.note = ""
        self._first = True
        self.point: dict[str, Any] | None = None  # the answer, as gridplan.solve.Raw's fields
        self.fixings = (0, 0)  # vertex: the columns and rows fixed in the restricted LP
        self.counts: Any = None  # vertex on the presolved LP: that solve's HiGHS info

    def run(self) -> highspy.HighsStatus:
        if not self._first:
            self.counts = None
            return super().run()
        self._first = False
        if self.vertex and self.getOptionValue("presolve")[1] != "off":
            return self._presolved()
        return self._clarabel_run()

    def _presolved(self) -> highspy.HighsStatus:
        """The vertex on HiGHS's presolved LP (Clarabel, then the vertex steps), brought back by
        HiGHS's postsolve with its basis, which is exact and ends with simplex on the LP as written
        from the postsolved basis; the LP as written when presolve does not reduce it."""
        if self.presolve() != highspy.HighsStatus.kOk or (
            self.getModelPresolveStatus() != highspy.HighsPresolveStatus.kReduced
        ):
            self.clearSolver()
            return self._clarabel_run()
        inner = ClarabelHighs(self.gap, self.feasibility, self.fallback, vertex=True)
        inner.passOptions(self.getOptions())  # presolve on: the restricted LP needs it
        inner.passModel(self.getPresolvedLp())
        inner._first = False
        if self.watcher is not None:
            inner.watcher = self.watcher
            follow(inner, self.watcher)
        inner._clarabel_run()
        self.fixings, self.note = inner.fixings, inner.note
        if self._stopped():
            return highspy.HighsStatus.kWarning
        if inner.getModelStatus() != highspy.HighsModelStatus.kOptimal or not inner.getBasis().valid:
            return self._own("the presolved LP's vertex ended without an optimal basis")
        self.counts = inner.getInfo()
        self.note += ", on HiGHS's presolved LP"
        self.setOptionValue("solver", "simplex")  # what follows the postsolve starts from its basis
        return self.postsolve(inner.getSolution(), inner.getBasis())

    def getInfo(self) -> highspy.HighsInfo:
        """HiGHS's info, with the iterations of the presolved LP's solve after its postsolve."""
        info = super().getInfo()
        if self.counts is not None:
            for k in ("simplex_iteration_count", "ipm_iteration_count", "crossover_iteration_count"):
                setattr(info, k, max(0, getattr(info, k)) + getattr(self.counts, k))
        return info

    def _clarabel_run(self) -> highspy.HighsStatus:
        """Clarabel on the LP held, then its vertex (`vertex`) or its point (class docstring)."""
        lp = self.getLp()
        G, h, masks, fixed = conic_form(lp)
        result = self._clarabel(lp, G, h, int(masks[0].sum()))
        if self._stopped():
            return highspy.HighsStatus.kWarning  # stopped (Ctrl-C): no answer
        status = str(result.status)
        if status not in (*SOLVED, TIME_LIMIT):
            return self._own(f"Clarabel ended '{result.status}'")
        x, solved = np.asarray(result.x), status in SOLVED  # time limit: no point known feasible
        y = row_duals(lp.num_row_, np.asarray(result.z), masks) * ~fixed * solved
        if solved and self.vertex:
            return self._vertex(lp, x, y, float(result.obj_val_dual) + float(lp.offset_))
        self.point = {
            "status": "optimal" if solved else "time_limit",
            "primal": solved,
            "dual": solved,
            "x": x,
            "row_dual": y,
            "objective": float(np.asarray(lp.col_cost_) @ x + lp.offset_) if solved else float("nan"),
            "iterations": {
                "simplex_iterations": 0,
                "ipm_iterations": int(result.iterations),
                "crossover_iterations": 0,
            },
        }
        return highspy.HighsStatus.kOk if solved else highspy.HighsStatus.kWarning

    def _clarabel(self, lp: highspy.HighsLp, G: sp.csc_matrix, h: np.ndarray, n_eq: int) -> Any:
        """Clarabel's result on  min c'x, G x + s = h, the first n_eq rows of s zero, the rest >= 0."""
        import clarabel

        s = clarabel.DefaultSettings()
        s.verbose = False
        s.max_threads = 1
        for name, value in SETTINGS.items():
            setattr(s, name, value)
        s.tol_gap_abs = s.tol_gap_rel = self.gap
        s.tol_feas = self.feasibility
        limit = float(self.getOptionValue("time_limit")[1])
        if limit < INF:
            s.time_limit = limit
        cones = [clarabel.ZeroConeT(n_eq), clarabel.NonnegativeConeT(G.shape[0] - n_eq)]
        n = lp.num_col_
        solver = clarabel.DefaultSolver(
            sp.csc_matrix((n, n)), np.asarray(lp.col_cost_, dtype=float), G, h, cones, s
        )
        offset = float(lp.offset_)  # 0 for gridplan's LPs (their offset is kept apart)
        watcher = self.watcher
        if watcher is not None:

            def follow(info: Any) -> bool:
                watcher.ipm_iteration(
                    int(info.iterations), info.cost_primal + offset, info.cost_dual + offset, PHASE
                )
                return watcher.stop.is_set()

            solver.set_termination_callback(follow)
        return solver.solve()

    def _vertex(
        self, lp: highspy.HighsLp, x: np.ndarray, y: np.ndarray, bound: float = -np.inf
    ) -> highspy.HighsStatus:
        """An optimal vertex from Clarabel's point (x, y) (module docstring): the restricted LP by
        HiGHS's interior point with crossover, then primal simplex on the whole LP from its basis;
        with columns and rows fixed first, then, if that clean-up is abandoned, columns alone.
        `bound` is Clarabel's dual objective, a lower bound on the optimum up to its tolerance."""
        A = matrix(lp)
        cl, cu = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        rl, ru = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        col, col_lower = at_bound(x, cl, cu, np.asarray(lp.col_cost_) - A.T @ y)
        row, row_lower = at_bound(A @ x, rl, ru, y)
        floor = bound - FLOOR_TOL * (1 + abs(bound))
        saved = {k: self.getOptionValue(k)[1] for k in SAVED}
        for rows in (row, row[:0]) if len(row) else (row,):
            self.fixings = (len(col), len(rows))
            if self._restricted_then_simplex(lp, A, y, col, col_lower, rows, row_lower, floor):
                self.setOptionValue("simplex_iteration_limit", saved["simplex_iteration_limit"])
                fixed = "columns and rows" if len(rows) else "columns"
                self.note = (
                    f", vertex from Clarabel's point ({self.fallback} with crossover on the LP with its "
                    f"{fixed} at a bound fixed, then primal simplex)"
                )
                return highspy.HighsStatus.kOk
            if self._stopped():
                return highspy.HighsStatus.kWarning  # Ctrl-C: no answer, no second solve
            for name, value in saved.items():
                self.setOptionValue(name, value)
            self.clearSolver()
        return self._own("its vertex could not be recovered")

    def _restricted_then_simplex(
        self,
        lp: highspy.HighsLp,
        A: sp.csc_matrix,
        y: np.ndarray,
        col: np.ndarray,
        col_lower: np.ndarray,
        row: np.ndarray,
        row_lower: np.ndarray,
        floor: float,
    ) -> bool:
        """The vertex steps on lp (its bounds as written) with the columns col and rows row fixed
        at their side; whether they ended optimal at or above `floor`. The primal simplex is
        abandoned when its objective, with no primal infeasibility, falls below `floor` (no
        feasible point can: HiGHS's numerics went astray, seen on a sweep scenario), when it falls
        into phase 1 (gridplan/watch.py) or after CLEANUP_LIMIT iterations per row."""
        cl, cu = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
        rl, ru = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        col_value, row_value = np.where(col_lower, cl, cu)[col], np.where(row_lower, rl, ru)[row]
        self._bounds(col, col_value, col_value, row, row_value, row_value)
        self.setOptionValue("solver", self.fallback)
        self.setOptionValue(EDGE_WEIGHT, DEVEX)
        if self.watcher is not None:
            self.watcher.switch(self.fallback)
        restricted = self._run_optimal()
        if restricted:
            sol = self.getSolution()
            activity, y_basis = np.asarray(sol.row_value), np.asarray(sol.row_dual)
        self._bounds(col, cl[col], cu[col], row, rl[row], ru[row])
        if not restricted:
            return False
        basis = self.getBasis()
        status = (
            nonbasic_at(list(basis.col_status), col, col_lower[col]),
            nonbasic_at(list(basis.row_status), row, row_lower[row]),
        )
        cost = np.asarray(lp.col_cost_)
        chosen = block_basis(A, cost, col, col_lower, cl == cu, activity, rl, ru, y, y_basis, status)
        basis.col_status, basis.row_status = chosen or status
        self.setOptionValue("solver", "simplex")
        self.setOptionValue("simplex_strategy", 4)  # primal: the basis is primal feasible
        self.setOptionValue("presolve", "off")  # keep the basis
        self.setOptionValue("simplex_iteration_limit", max(MIN_LIMIT, int(CLEANUP_LIMIT * lp.num_row_)))
        if self.setBasis(basis) != highspy.HighsStatus.kOk:
            return False
        watcher = self.watcher
        if watcher is not None:
            watcher.floor = floor
        try:
            optimal = self._run_optimal() and not (watcher is not None and watcher.abandon.is_set())
            return optimal and self.getInfo().objective_function_value >= floor
        finally:
            if watcher is not None:
                watcher.floor = -np.inf
                watcher.abandon.clear()

    def _bounds(self, col: np.ndarray, cl: Any, cu: Any, row: np.ndarray, rl: Any, ru: Any) -> None:
        """Bounds cl..cu of the columns col and rl..ru of the rows row."""
        self.changeColsBounds(len(col), col, cl, cu)
        self.changeRowsBounds(len(row), row, rl, ru)  # type: ignore[attr-defined]  # not in highspy's stub

    def _run_optimal(self) -> bool:
        """HiGHS's run on the LP as it stands; whether it ended optimal with a basis."""
        if self._stopped() or super().run() == highspy.HighsStatus.kError:
            return False
        return self.getModelStatus() == highspy.HighsModelStatus.kOptimal and self.getBasis().valid

    def _stopped(self) -> bool:
        return self.watcher is not None and bool(self.watcher.stop.is_set())

    def _own(self, why: str) -> highspy.HighsStatus:
        """HiGHS's own interior point on the LP (crossover as the options say), saying why in the label."""
        self.note = f", HiGHS {self.fallback} after {why}"
        self.setOptionValue("solver", self.fallback)
        return super().run()
