"""Warm starts: a simplex basis carried from one solve of a case to variants of it.

When only costs, bounds or right-hand sides differ between two LPs (the constraint matrix, its
shape and its order are the same: equal `signature`), the optimal basis of one is a valid
starting basis for the other, and dual simplex from it needs fewer iterations than from scratch.
A reference folder holds the basis (`basis.bas`) and `reference.json` with the matrix signature:

    save       the solve keeps its optimal basis and the signature in the folder
    reference  the solve starts dual simplex from the folder's basis when the signatures match
    any_method also where `choose` would use an interior point (at that size a warm dual
               simplex can be slower than a cold interior point, model/performance.md)

A warm start changes the path to the optimum, not the optimum: a warm solve that does not end
optimal is redone cold (gridplan.solve.solve).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gridplan.atomic import replacing, write_text

BASIS = "basis.bas"
REFERENCE = "reference.json"


class WarmStartNotUsed(Exception):
    """A basis was asked for (`save`), but at this size HiGHS would not use simplex, so no variant
    could start from it: nothing was solved."""


@dataclass(frozen=True)
class WarmStart:
    """Where a solve's starting basis comes from and where its optimal basis goes."""

    reference: Path | None = None
    save: Path | None = None
    any_method: bool = False

    def start(self, lp: Any, solver: str) -> tuple[Path | None, str]:
        """(basis file to start from or None, a note for the results' `warm_start` attribute) for
        an LP that HiGHS would solve with `solver`; WarmStartNotUsed when a basis is to be saved
        but simplex would not be used."""
        simplex = solver == "simplex" or self.any_method
        if self.save is not None and not simplex:
            raise WarmStartNotUsed(f"{solver} is used at this size: no simplex warm starts")
        if self.reference is None:
            return None, "off"
        ref = json.loads((self.reference / REFERENCE).read_text(encoding="utf-8"))
        if ref["signature"] != signature(lp):
            return None, "cold: the constraint matrix differs from the base case's"
        if not simplex:
            return None, f"cold: {solver} is used at this size, where a simplex warm start does not pay"
        return self.reference / BASIS, "base basis"

    def keep(self, h: Any, lp: Any, objective: float) -> None:
        """Save the optimal basis of the solved Highs `h` and the signature of `lp` (`objective`
        in CNY is recorded for the reader)."""
        if self.save is None or not h.getBasis().valid:
            return
        with replacing(self.save / BASIS) as tmp:
            h.writeBasis(str(tmp))
        text = json.dumps({"signature": signature(lp), "objective": objective}, indent=1)
        write_text(self.save / REFERENCE, text + "\n")


def signature(lp: Any) -> str:
    """Hash of the constraint matrix and its shape: equal signatures -> a basis carries over."""
    h = hashlib.sha256()
    h.update(np.array([lp.num_col_, lp.num_row_], dtype=np.int64).tobytes())
    for a in (lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()
