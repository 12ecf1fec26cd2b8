"""Sets, weights and the shared expressions every family adds to (the build context `Ctx`).

Quantities are in internal units (gridplan/lp/units.py): GW, GWh, MCNY, Mt, Mtce.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.case import Inputs, per_period, per_zone_period
from gridplan.errors import Problem
from gridplan.timesteps import Time


def crf(rate: float, life: float) -> float:
    """Capital recovery factor: r / (1 - (1 + r)^-n); 1/n when r = 0."""
    return 1.0 / life if rate == 0 else rate / (1.0 - (1.0 + rate) ** -life)


@dataclass
class Ctx:
    """What the families share while the model is built."""

    inputs: Inputs
    time: Time
    periods: list[int]
    zones: list[str]
    years: np.ndarray  # [P] years each period represents
    W: np.ndarray  # [P] objective weight: discounted sum of the period's years
    w: np.ndarray  # [T] hours each step represents
    all_periods: list[int] = field(default_factory=list)  # scenario periods (periods: a subset)
    discount_rate: float = 0.0  # r of W[p] and of the capital recovery factors
    problems: list[Problem] = field(default_factory=list)
    # zone balance: (zone, period) -> list of (coef per step [T], indexed var, key prefix)
    balance: dict[tuple[str, int], list[tuple[np.ndarray, Any, tuple[Any, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # annual expressions by period: cost components [MCNY, discounted], emissions [Mt/yr],
    # coal [Mtce/yr], energy by label [TWh/yr]
    cost: dict[str, dict[int, Any]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    emissions: dict[int, Any] = field(default_factory=lambda: defaultdict(float))
    coal: dict[int, Any] = field(default_factory=lambda: defaultdict(float))
    info: dict[str, Any] = field(default_factory=dict)  # item lists of each family
    # for targets: installed capacity [GW] and annual generation [GWh/yr] by (name, zone, period)
    capacity: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    generation: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    # load [GW] of each (zone, period) on the steps: the right-hand side of the balance (lp/demand.py)
    load: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return str(self.inputs.path)

    @property
    def steps(self) -> range:
        return range(self.time.n)

    def by_zone_period(self, value: Any, field_: str, fill: float = 0.0) -> np.ndarray:
        """Expand a per-zone-period value [user units] to an array [zone, period]."""
        v = per_zone_period(value, self.zones, self.all_periods, (self.file, field_), self.problems, fill)
        return v[:, self._pidx]

    def by_period(self, value: Any, field_: str) -> np.ndarray:
        """Expand a per-period value [user units] to an array [period]."""
        return per_period(value, self.all_periods, (self.file, field_), self.problems)[self._pidx]

    @property
    def _pidx(self) -> list[int]:
        return [self.all_periods.index(p) for p in self.periods]

    def alive(self, built: int, period: int, life: float) -> bool:
        """Capacity built in period `built` still serves in `period`."""
        return built <= period < built + life

    def add_balance(
        self, zone: str, period: int, coef: np.ndarray | float, var: Any, key: tuple[Any, ...]
    ) -> None:
        """Add coef[t] * var[key + (t,)] to the energy balance of (zone, period) [GW]."""
        self.balance[(zone, period)].append(
            (np.broadcast_to(np.asarray(coef, float), (self.time.n,)), var, key)
        )

    def annual(self, var: Any, key: tuple[Any, ...], coef: np.ndarray | float = 1.0) -> Any:
        """sum_t w[t] * coef[t] * var[key, t] [GWh/yr when var is GW]."""
        c = self.w * np.broadcast_to(np.asarray(coef, float), (self.time.n,))
        return pyo.quicksum(float(c[t]) * var[(*key, t)] for t in self.steps if c[t] != 0)

    def total_cost(self) -> Any:
        """sum_components sum_p cost[component][p]: the total discounted cost [MCNY], the objective."""
        return sum(e for comp in self.cost.values() for e in comp.values())

    def add_cost(self, component: str, period: int, expr: Any) -> None:
        """Add an annual cost [MCNY/yr] of `period` to the objective, weighted by W[period]."""
        i = self.periods.index(period)
        self.cost[component][period] += float(self.W[i]) * expr


def make_ctx(inputs: Inputs, time: Time, periods: list[int] | None = None) -> Ctx:
    """Build context on the given time steps, for all the scenario's periods or a subset."""
    s = inputs.scenario
    every = list(s.periods)
    if s.period_years:
        years_all = np.array([float(s.period_years[p]) for p in every])
    else:
        gaps = np.diff(every)
        years_all = np.array([*gaps, gaps[-1] if len(gaps) else 1], dtype=float)
    periods = every if periods is None else list(periods)
    years = years_all[[every.index(p) for p in periods]]
    base = s.base_year if s.base_year is not None else every[0]
    r = s.discount_rate
    W = np.array(
        [
            sum((1 + r) ** -(p + k - base) for k in range(round(y)))
            for p, y in zip(periods, years, strict=True)
        ]
    )
    return Ctx(
        inputs, time, periods, list(s.zones), years, W, time.weight.astype(float), every, discount_rate=r
    )
