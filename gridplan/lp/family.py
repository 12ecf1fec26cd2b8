"""What an LP family is: how it adds to the model and how its results are read back.

A family (generators, thermal clusters, storage, links, ...) is one module of gridplan/lp/ that
declares a `Family`: `add` puts its variables and rows into the model and its terms into the
shared balance, costs, emissions and target expressions (lp/terms.py: Ctx); `read_results`
writes its solved variables into the results Dataset (gridplan/results.py); `components` names
every Pyomo component it adds (tests/test_docs.py checks each is written down in
model/formulation.md and that the families together cover the whole model). The registry,
in build order, is gridplan/lp/families.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from gridplan.lp.evaluate import evaluate
from gridplan.lp.investment import FleetNames
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW

if TYPE_CHECKING:
    from gridplan.solve import Solution

Key = tuple[Any, ...]


@dataclass
class Readback:
    """The solved model and the Dataset the families write their results into [user units].

    The per-technology quantities that two families (generators, thermal clusters) both hold
    are gathered here by (period, zone, tech) and written as one variable by results.dataset."""

    m: pyo.ConcreteModel
    ctx: Ctx
    sol: Solution
    ds: xr.Dataset
    capacity: dict[Key, float] = field(default_factory=dict)  # [MW]
    capacity_new: dict[Key, float] = field(default_factory=dict)  # [MW]
    generation: dict[Key, Any] = field(default_factory=dict)  # [T] MW
    curtailment: dict[Key, np.ndarray] = field(default_factory=dict)  # [T] MW
    heat: dict[Key, np.ndarray] = field(default_factory=dict)  # [T] MW_th of CHP parts
    non_es_output: dict[Key, np.ndarray] = field(default_factory=dict)  # [T] MW, thermal.py
    techs: list[tuple[str, str]] = field(default_factory=list)  # (tech, zone) with output

    @property
    def n_steps(self) -> int:
        """T: the number of time steps."""
        return self.ctx.time.n

    def read_capacity(self, names: FleetNames) -> None:
        """Installed and new capacity [MW] of a technology fleet, by (period, zone, tech)."""
        cap, new = self.m.component(names.cap), self.m.component(names.new)
        for k in cap:
            g, z, p = k
            self.capacity[(p, z, g)] = (cap[k].value or 0.0) * GW
            self.capacity_new[(p, z, g)] = (new[k].value or 0.0) * GW if k in new else 0.0


@dataclass(frozen=True)
class Family:
    """One family of the LP (module docstring)."""

    name: str
    add: Callable[[Ctx, pyo.ConcreteModel], None]
    components: tuple[str, ...]  # Pyomo components it adds, fleets' included
    read_results: Callable[[Readback], None] | None = None
    fleets: tuple[FleetNames, ...] = ()


def value(x: Any) -> float:
    """The value of a Pyomo expression or a number (gridplan/lp/evaluate.py)."""
    return evaluate(x)


def series(var: Any, key: Key, steps: int) -> np.ndarray:
    """Values of var[key + (t,)] over the time steps, as an array [T] (internal units); var may be
    an indexed variable or expression (th_commit = K - th_offline)."""
    return np.array([evaluate(var[(*key, t)], exception=False) or 0.0 for t in range(steps)])


def grid(values: dict[Key, Any], dims: Sequence[Sequence[Any]], tail: int = 0) -> np.ndarray:
    """Scatter {(i, j, ...): value or array} onto a dense array over `dims` (+ a tail axis)."""
    shape = [len(d) for d in dims] + ([tail] if tail else [])
    out = np.zeros(shape)
    pos = [{v: i for i, v in enumerate(d)} for d in dims]
    for k, v in values.items():
        out[tuple(p[x] for p, x in zip(pos, k, strict=True))] = v
    return out
