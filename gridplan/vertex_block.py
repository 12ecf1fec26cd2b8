"""The rows whose columns are all fixed: their part of the vertex's basis chosen by their duals.

After the restricted LP of `clarabel_ipm`'s vertex, HiGHS's postsolve leaves every row whose
columns are all fixed basic with dual 0 (presolve removed it), and the fixed columns in it then
have reduced costs of the wrong sign: 96% of the wrong signs on the base case's 2025 part, 78% on
its big part (model/performance.md, "Where the clean-up's wrong signs come from"). Those rows R
hold only fixed nonbasic columns, so the basis on the other rows and its duals y_K stay as they
are, and a basis of the block whose duals y_R give the block's columns j the reduced cost
d_j = c_j - a_Kj'y_K - a_Rj'y_R of their bound's sign is dual feasible there. y_R is a vertex of

    a_Rj'y_R <= c_j - a_Kj'y_K  (j fixed at its lower bound),  >= (at its upper bound),
    y_i >= 0 (row i at its lower bound),  <= 0 (upper),  free (both: an equality row),

without the constraints that the interior point's own duals (clipped to those signs) violate by
more than VIOLATION_TOL: those columns keep their wrong sign for primal simplex. Among those
vertices the one with the least sum of |y_i| is taken, so a row that cannot bind keeps the dual 0
that postsolve gave it where that is dual feasible (the new channels' share in 2025,
model/performance.md). A tight constraint makes column j basic, a y_i that is basic makes row i
nonbasic at its bound; the block's basis is the transpose of the small LP's, so nonsingular with it.
"""

from __future__ import annotations

from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

VIOLATION_TOL = 1e-7  # a constraint the interior point's duals violate by more is left out
BOUND_TOL = 1e-6  # a row is at a bound within this (relative to 1 + |activity|)


def block_basis(
    A: sp.csc_matrix,
    cost: np.ndarray,
    col: np.ndarray,
    col_lower: np.ndarray,
    pinned: np.ndarray,
    activity: np.ndarray,
    rl: np.ndarray,
    ru: np.ndarray,
    y_point: np.ndarray,
    y_basis: np.ndarray,
    status: tuple[list[Any], list[Any]],
) -> tuple[list[Any], list[Any]] | None:
    """The basis statuses (columns, rows) with the block of rows whose columns are all fixed
    re-chosen (module docstring); None when there is no such block or its LP does not solve.
    `col` are the columns fixed by the vertex (at their lower bound where the mask `col_lower`),
    `pinned` marks those with l = u as written (any reduced cost), `activity` is A x at the
    restricted LP's vertex and y_basis its row duals."""
    B = highspy.HighsBasisStatus
    cols, rows = list(status[0]), list(status[1])
    col_basic = np.array([s == B.kBasic for s in cols], dtype=bool)
    row_basic = np.array([s == B.kBasic for s in rows], dtype=bool)
    fixed = np.zeros(len(cols), dtype=bool)
    fixed[col] = True
    nonbasic_fixed = (fixed | pinned) & ~col_basic
    Ar = A.tocsr()
    free_entries = abs(Ar) @ (~nonbasic_fixed).astype(float)
    tol = BOUND_TOL * (1 + np.abs(activity))
    lower, upper = activity - rl <= tol, ru - activity <= tol
    R = np.flatnonzero((free_entries == 0) & (np.diff(Ar.indptr) > 0) & row_basic & (lower | upper))
    if not len(R):
        return None
    AR = Ar[R].tocsc()
    F = np.flatnonzero((np.diff(AR.indptr) > 0) & fixed & ~col_basic)
    if not len(F):
        return None
    y_K = y_basis.copy()
    y_K[R] = 0.0
    r = cost[F] - A[:, F].T @ y_K
    at_lower = col_lower[F]
    lo, up = lower[R], upper[R]
    y_lo = np.where(lo & ~up, 0.0, -np.inf)
    y_up = np.where(up & ~lo, 0.0, np.inf)
    M = AR[:, F].T.tocsr()  # |F| x |R|
    g = M @ np.clip(y_point[R], y_lo, y_up)
    keep = np.where(at_lower, g - r, r - g) <= VIOLATION_TOL
    F, r, at_lower, M = F[keep], r[keep], at_lower[keep], M[keep].tocsc()
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(R), len(F)
    lp.col_cost_ = np.where(lo & ~up, 1.0, np.where(up & ~lo, -1.0, 0.0))  # min sum |y_i|: 0 where it may
    lp.col_lower_, lp.col_upper_ = np.maximum(y_lo, -inf), np.minimum(y_up, inf)
    lp.row_lower_ = np.where(at_lower, -inf, r)
    lp.row_upper_ = np.where(at_lower, r, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = M.indptr, M.indices, M.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("presolve", "off")
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or not h.getBasis().valid:
        return None
    basis = h.getBasis()
    for k, s in enumerate(list(basis.row_status)):
        if s != B.kBasic:  # the constraint is tight: d_j = 0
            cols[F[k]] = B.kBasic
    for k, s in enumerate(list(basis.col_status)):
        if s == B.kBasic:  # y_i away from its bound: the row is nonbasic at it
            rows[R[k]] = B.kLower if lo[k] else B.kUpper
    return cols, rows
