"""The block of rows whose columns are all fixed gets a dual-feasible basis (gridplan/vertex_block.py).

min -x1 + 2 x2  s.t.  x1 - x2 <= 0,  0 <= x1, x2 <= 10: the optimum is x = 0, and its duals are
y in [-2, -1] (d1 = -1 - y >= 0, d2 = 2 + y >= 0). With both columns fixed at 0 the row drops out,
and the restricted LP's basis has the row basic with y = 0, so d1 = -1 has the wrong sign."""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp

from gridplan.vertex_block import block_basis

B = highspy.HighsBasisStatus


def _lp() -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2, 1
    lp.col_cost_ = np.array([-1.0, 2.0])
    lp.col_lower_, lp.col_upper_ = np.zeros(2), np.full(2, 10.0)
    lp.row_lower_, lp.row_upper_ = np.array([-highspy.kHighsInf]), np.array([0.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.array([0, 1, 2]), np.array([0, 0])
    lp.a_matrix_.value_ = np.array([1.0, -1.0])
    return lp


def _iterations(cols: list, rows: list) -> tuple[int, float]:
    """Primal simplex iterations on the LP from the basis, and its objective."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(_lp())
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)
    h.setOptionValue("presolve", "off")
    basis = h.getBasis()
    basis.col_status, basis.row_status = cols, rows
    assert h.setBasis(basis) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().simplex_iteration_count, h.getInfo().objective_function_value


def test_block_basis_is_dual_feasible() -> None:
    A = sp.csc_matrix(np.array([[1.0, -1.0]]))
    postsolved = ([B.kLower, B.kLower], [B.kBasic])  # the row basic with y = 0
    assert _iterations(*postsolved)[0] >= 1  # d1 = -1: primal simplex has to pivot
    chosen = block_basis(
        A,
        np.array([-1.0, 2.0]),
        np.array([0, 1]),
        np.array([True, True]),
        np.array([False, False]),
        np.array([0.0]),
        np.array([-np.inf]),
        np.array([0.0]),
        np.array([-1.5]),  # the interior point's dual, inside [-2, -1]
        np.array([0.0]),
        postsolved,
    )
    assert chosen is not None
    cols, rows = chosen
    assert rows == [B.kUpper]  # the row nonbasic at its upper bound, y in [-2, -1]
    assert sorted(s == B.kBasic for s in cols) == [False, True]  # one column basic at 0
    assert _iterations(cols, rows) == (0, 0.0)  # already optimal


def test_block_basis_leaves_a_basis_without_such_rows() -> None:
    A = sp.csc_matrix(np.array([[1.0, -1.0]]))
    status = ([B.kBasic, B.kLower], [B.kUpper])  # x1 basic: the row is not all fixed and nonbasic
    args = (np.array([-1.0, 2.0]), np.array([1]), np.array([False, True]))
    pinned, act = np.array([False, False]), np.array([0.0])
    lo, up = np.array([-np.inf]), np.array([0.0])
    assert block_basis(A, *args, pinned, act, lo, up, np.array([-1.5]), np.array([-1.0]), status) is None
