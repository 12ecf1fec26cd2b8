"""Independent blocks of an LP, solved side by side.

An LP whose columns fall into groups that share no row is that many LPs: its optimum is the
optimum of each part, objective values add up, and its row and column duals are those of the
parts. A historical period is such a group (its fleet is the recorded one, so no row links its
dispatch to the decisions of the later periods: in the Jiangxi base case the 2025 block has
63,260 of the 190,176 columns). Solving the parts in their own HiGHS objects, one thread each,
costs the time of the largest part instead of that of the whole (model/performance.md,
"Independent blocks").

    blocks  connected components of the bipartite row-column graph of A, packed into at most
            `parts` groups (largest component first, each into the group with fewest columns);
            None when fewer than two groups would have MIN_BLOCK_COLUMNS columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

MIN_BLOCK_COLUMNS = 5_000  # a smaller part is not worth a thread of its own


@dataclass(frozen=True)
class Block:
    """Column and row indices of one part of the LP (sorted), and the part as a HighsLp."""

    cols: np.ndarray
    rows: np.ndarray
    lp: highspy.HighsLp


def matrix(lp: highspy.HighsLp) -> sp.csc_matrix:
    """A of a column-wise HighsLp as a scipy matrix."""
    a = lp.a_matrix_
    return sp.csc_matrix(
        (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)), shape=(lp.num_row_, lp.num_col_)
    )


def blocks(lp: highspy.HighsLp, parts: int = 2, min_columns: int | None = None) -> list[Block] | None:
    """The LP's independent parts, packed into at most `parts` groups of at least `min_columns`
    columns each (default MIN_BLOCK_COLUMNS; module docstring)."""
    least = MIN_BLOCK_COLUMNS if min_columns is None else min_columns
    n = lp.num_col_
    if parts < 2 or n < 2 * least:
        return None
    A = matrix(lp)
    graph = sp.bmat([[None, A.T], [A, None]], format="csr")  # nodes: columns, then rows
    count, label = connected_components(graph, directed=False)
    if count < 2:
        return None
    col_label, row_label = label[:n], label[n:]
    sizes = np.bincount(col_label, minlength=count)
    group_of = np.zeros(count, dtype=np.int64)
    load = np.zeros(parts, dtype=np.int64)
    for c in np.argsort(-sizes, kind="stable"):
        g = int(np.argmin(load))
        group_of[c] = g
        load[g] += sizes[c]
    if np.sum(load >= least) < 2:
        return None
    col_group, row_group = group_of[col_label], group_of[row_label]
    out = []
    for g in range(parts):
        cols = np.flatnonzero(col_group == g)
        if len(cols):
            rows = np.flatnonzero(row_group == g)
            out.append(Block(cols, rows, sub_lp(lp, A, cols, rows)))
    return out


def sub_lp(lp: highspy.HighsLp, A: sp.csc_matrix, cols: np.ndarray, rows: np.ndarray) -> highspy.HighsLp:
    """The part of `lp` on these columns and rows (they share no entry of A with the rest)."""
    B = A[:, cols][rows, :].tocsc()
    s = highspy.HighsLp()
    s.num_col_, s.num_row_ = len(cols), len(rows)
    s.col_cost_ = np.asarray(lp.col_cost_)[cols]
    s.col_lower_ = np.asarray(lp.col_lower_)[cols]
    s.col_upper_ = np.asarray(lp.col_upper_)[cols]
    s.row_lower_ = np.asarray(lp.row_lower_)[rows]
    s.row_upper_ = np.asarray(lp.row_upper_)[rows]
    s.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    s.a_matrix_.start_ = B.indptr.astype(np.int32)
    s.a_matrix_.index_ = B.indices.astype(np.int32)
    s.a_matrix_.value_ = B.data.astype(float)
    return s
