"""Minimum up and down times of committed thermal parts (see model/formulation.md).

For each committed part (j, c, z) of lp/thermal.py with UT = commitment.min_up >= 2 or
DT = commitment.min_down >= 2 hours, with u = th_commit, off = th_offline, su = th_startup:

    u[t]               >= sum_{k=0}^{UT-1} su[prev^k(t)]                       (min_up_time)
    off[prev^DT(t)]    >= sum_{k=0}^{DT-1} su[prev^k(t)]                       (min_down_time)

min_down_time is K - u[t] >= sum_{k<DT} sd[prev^k(t)] with the shut-downs sd[t] = su[t] + off[t] -
off[prev t] summed (they telescope), so it needs neither K nor the shut-down expression. prev is
the cyclic previous step inside a block (timesteps.Time.prev): a window longer than its block
wraps around it and counts a step once per pass (the block repeats, as every typical period does).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.lp.family import Family
from gridplan.lp.terms import Ctx
from gridplan.lp.thermal import commits


def windows(prev: np.ndarray, n: int) -> list[Counter[int]]:
    """For each step t, the steps t, prev(t), ..., prev^{n-1}(t) with how often each occurs."""
    at = np.arange(len(prev))
    out = [Counter([t]) for t in at.tolist()]
    for _ in range(n - 1):
        at = prev[at]
        for t, s in enumerate(at.tolist()):
            out[t][s] += 1
    return out


def back(prev: np.ndarray, n: int) -> np.ndarray:
    """prev^n(t) for every step t."""
    at = np.arange(len(prev))
    for _ in range(n):
        at = prev[at]
    return at


def add_min_up_down(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    """min_up_time and min_down_time (module docstring) for the committed parts of lp/thermal.py."""
    techs = ctx.inputs.scenario.technologies
    parts = [x for x in ctx.info.get("th_parts", []) if commits(techs[x[1]])]
    prev = ctx.time.prev()
    su = m.th_startup

    def hours(x: tuple[str, str, str], field: str) -> int:
        return int(getattr(techs[x[1]].commitment, field))

    def index(field: str) -> list[tuple[Any, ...]]:
        return [(*x, p, t) for x in parts if hours(x, field) >= 2 for p in ctx.periods for t in ctx.steps]

    lengths = {hours(x, f) for x in parts for f in ("min_up", "min_down")} - {0, 1}
    win = {n: windows(prev, n) for n in lengths}
    before = {n: back(prev, n) for n in lengths}

    def started(k: tuple[Any, ...], n: int) -> Any:
        """sum_{i<n} su[prev^i(t)] of the part and period of k = (j, c, z, p, t)."""
        return sum(float(a) * su[(*k[:4], s)] for s, a in sorted(win[n][k[4]].items()))

    m.min_up_time = pyo.Constraint(
        index("min_up"), rule=lambda _m, *k: m.th_commit[k] >= started(k, hours(k[:3], "min_up"))
    )

    def down(k: tuple[Any, ...]) -> Any:
        n = hours(k[:3], "min_down")
        return m.th_offline[(*k[:4], int(before[n][k[4]]))] >= started(k, n)

    m.min_down_time = pyo.Constraint(index("min_down"), rule=lambda _m, *k: down(k))


UPDOWN = Family("min_up_down", add_min_up_down, ("min_up_time", "min_down_time"))
