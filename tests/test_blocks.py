"""Independent parts of an LP solved side by side (gridplan/blocks.py): the parts are found
exactly, and the joined answer is the whole LP's (objective, prices)."""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp
from test_history import H, two_periods

import gridplan
import gridplan.blocks
from cases import write_case
from gridplan.blocks import blocks


def lp_of(A: np.ndarray) -> highspy.HighsLp:
    """min sum x s.t. A x >= 1, x >= 0."""
    M = sp.csc_matrix(A)
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = M.shape
    lp.col_cost_ = np.ones(M.shape[1])
    lp.col_lower_, lp.col_upper_ = np.zeros(M.shape[1]), np.full(M.shape[1], np.inf)
    lp.row_lower_, lp.row_upper_ = np.ones(M.shape[0]), np.full(M.shape[0], np.inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = M.indptr.astype(np.int32), M.indices.astype(np.int32)
    lp.a_matrix_.value_ = M.data.astype(float)
    return lp


def test_parts_are_the_connected_components() -> None:
    """Columns {0, 2} share rows 0-1, columns {1, 3} row 2; column 4 is in no row. Two groups of
    two columns each; the loose column joins the first (equal loads: the first group)."""
    A = np.array([[1, 0, 1, 0, 0], [0, 0, 2, 0, 0], [0, 1, 0, 3, 0]], dtype=float)
    parts = blocks(lp_of(A), 2, min_columns=1)
    assert parts is not None
    assert [b.cols.tolist() for b in parts] == [[0, 2, 4], [1, 3]]
    assert [b.rows.tolist() for b in parts] == [[0, 1], [2]]
    assert parts[0].lp.num_col_ == 3 and parts[1].lp.num_row_ == 1
    assert blocks(lp_of(A), 2, min_columns=3) is None  # the first part is too small


def test_one_linking_row_makes_one_part() -> None:
    A = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1]], dtype=float)
    assert blocks(lp_of(A), 2, min_columns=1) is None


def test_historical_period_solved_as_its_own_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """test_history's case with 2025 historical and 150 MW of the old plant: no row links 2025
    with 2030, so the interior point solves the two periods side by side. The answer is the one
    by hand (500 x 100 x 8,760 + 1,000 x 100,000 CNY) and the prices are those of the whole LP:
    500 CNY/MWh in every hour of 2025 (the old plant is marginal, with 50 MW to spare)."""
    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)

    def case(blocks: bool) -> dict:
        sc = two_periods(historical_periods=[2025], solver={"method": "hipo", "blocks": blocks})
        sc["technologies"]["dear"]["existing"] = 150
        return sc

    split = gridplan.run(write_case(tmp_path / "a", case(True)))
    whole = gridplan.run(write_case(tmp_path / "b", case(False)))
    assert "2 independent parts" in split.attrs["solver"]
    assert "independent" not in whole.attrs["solver"]
    assert split.attrs["objective"] == pytest.approx(500 * 100 * H + 1000 * 100e3, rel=1e-7)
    assert split.attrs["objective"] == pytest.approx(whole.attrs["objective"], rel=1e-9)
    np.testing.assert_allclose(split.price.sel(period=2025).values, 500.0, rtol=1e-6)
    np.testing.assert_allclose(split.price.values, whole.price.values, rtol=1e-6, atol=1e-6)


def test_periods_linked_by_capacity_stay_one_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without historical periods the periods share rows (what is built in 2025 is still there
    in 2030): one LP."""
    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)
    ds = gridplan.run(write_case(tmp_path, two_periods(solver={"method": "hipo"})))
    assert "independent" not in ds.attrs["solver"]
