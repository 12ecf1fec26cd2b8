"""Name the limits of an infeasible case that cannot hold together: a minimal conflicting set.

Candidates are the limits a user sets (the structure of the model, e.g. the energy balance or
the capacity accounting, always holds):
    hard target rows            target[name, p, sense]           targets.<name>.min / .max
    new-build bounds            <fam>_new lower / upper bound    <section>.<n>.build_min / build_max
                                (the upper bound is min(build_max, potential))
    potentials                  <fam>_potential                  <section>.<n>.potential
    demand response             dr_cap upper bound               demand_response.<d>.potential
    must-run output             gen_min (all hours of a period)  technologies.<n>.min_output
    import energy               import_energy_min / _max         imports.<c>.min_energy / max_energy
    fixed renewable share       import_share_fixed               imports.<c>.renewable_share
Every candidate gets elastic slacks (row: a x + s >= b, bound: x + s >= lb), which are either
hard (s = 0), relaxed (s free, no cost) or elastic (cost 1/|b|, or 1/max|a| when b = 0: a
violation relative to the limit's own size). Then (Chinneck's elastic and deletion filters):
    1. elastic filter: solve with all candidates elastic; make the violated ones hard; repeat
       until the LP is infeasible. The hard set H conflicts on its own (others relaxed).
    2. deletion filter: for each c in H, if H - {c} is still infeasible, drop c for good.
What is left is irreducible: it is infeasible, and relaxing any one member makes it feasible.
The penalties only steer which candidates are tried; the set is decided by feasibility alone.
Relaxing a found set and repeating finds further, disjoint conflicts (at most MAX_SETS).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from gridplan.case import Inputs
from gridplan.case.values import period_values as target_values
from gridplan.errors import Problem
from gridplan.kinds import target_kind
from gridplan.lp.families import fleets
from gridplan.lp.investment import FleetNames
from gridplan.lp.policies import Row
from gridplan.lp.thermal import FIELDS, RETRO
from gridplan.lp.units import GW, MT, TWH_TO_MWH
from gridplan.solve import options_for, shape_of, to_highs

MAX_SETS = 5
BUDGET = 600.0  # seconds for the whole search
TOL = 1e-6  # a member is violated when its slacks sum above this (row units)
INF = highspy.kHighsInf
S = highspy.HighsModelStatus
SETTLED = (S.kOptimal, S.kInfeasible, S.kUnboundedOrInfeasible, S.kTimeLimit)
# fleets by the names of their potential rows and new-build columns (lp/families.py)
BY_POTENTIAL: dict[str, FleetNames] = {f.potential: f for f in fleets()}
BY_NEW: dict[str, FleetNames] = {f.new: f for f in fleets()}


@dataclass
class Member:
    """One user-facing limit in one period (and zone), with the model parts it consists of."""

    field: str  # scenario field, e.g. targets.solar_min.min
    zone: str | None
    period: int | None
    says: str  # e.g. "requires >= 700 MW"
    lower: bool  # a minimum (short by) rather than a maximum (exceeded by)
    unit: str = ""  # unit of the amount; "" = no amount
    scale: float = 1.0  # amount unit per row unit
    label: str = ""  # how the results name it, e.g. "solar_min in 2025"
    share: Row | None = None  # share targets: the amount is divided by the denominator
    parts: list[tuple[str, int, float]] = dataclasses.field(default_factory=list)  # (row|lb|ub, index, value)

    def context(self) -> str:
        bits = [f"zone {self.zone}"] if self.zone else []
        return ", ".join(bits + ([str(self.period)] if self.period is not None else []))

    def where(self) -> str:
        return f"{self.field} ({self.context()})" if self.context() else self.field


@dataclass
class Conflict:
    members: list[Member]
    amounts: list[float | None]  # how far each member is from holding while the others hold
    minimal: bool = True


def num(v: float) -> str:
    """A number as a planner reads it: 6 significant digits, thousands separators, no -0."""
    v = float(f"{v:.6g}") + 0.0
    if v.is_integer():
        return f"{int(v):,}"
    return np.format_float_positional(v, trim="-")


def _target(inputs: Inputs, idx: tuple[Any, ...], soft: set[Any], rows: dict[Any, Row]) -> Member | None:
    label, p, sense = idx
    if idx in soft or idx not in rows:
        return None
    row = rows[idx]
    name, tg = row.target, inputs.scenario.targets[row.target]
    kind = target_kind(tg.kind)
    unit, scale = kind.unit, kind.scale
    b = "min" if sense == ">=" else "max"
    if kind.no_rise:
        if row.ref_period is not None:  # a no-rise row
            says = f"allows emissions <= those of {row.ref_period}"
            return Member(f"targets.{name}.peak_year", tg.zone, p, says, False, "tCO2", MT, f"{label} in {p}")
        where = "max" if tg.max is not None else "base_level"
        says = f"allows emissions <= {num(float(row.rhs) * MT)} tCO2 (the peak level)"
        return Member(f"targets.{name}.{where}", tg.zone, p, says, False, "tCO2", MT, f"{label} in {p}")
    vals = target_values(getattr(tg, b), [p])
    v = float(vals[0]) if vals is not None else float("nan")
    word = "requires >=" if b == "min" else "allows <="
    what = f"{num(v)} of {kind.share_of}" if kind.share_of else f"{num(v)} {unit}"
    share = row if unit == "share" else None
    return Member(
        f"targets.{name}.{b}", tg.zone, p, f"{word} {what}", b == "min", unit, scale, f"{label} in {p}", share
    )


def _fleet(fleet: FleetNames, idx: tuple[Any, ...]) -> tuple[str, str | None, int] | None:
    """(field prefix, zone, period) of a fleet item's key."""
    if fleet is RETRO:
        k, c, z, p = idx
        return f"technologies.{c}.retrofits.{FIELDS[k]}", z, p
    if fleet.section is None:
        return None
    if len(idx) == 3:
        return f"{fleet.section}.{idx[0]}", idx[1], idx[2]
    return f"{fleet.section}.{idx[0]}", None, idx[1]


def candidates(inputs: Inputs, m: pyo.ConcreteModel, info: Any, lp: Any, rows: list[Row]) -> list[Member]:
    """The user's limits among the compiled rows and column bounds, grouped by field, zone, period."""
    soft = set(m.target_slack.index_set()) if hasattr(m, "target_slack") else set()
    by_key = {(r.label, r.period, r.sense): r for r in rows}
    out: dict[tuple[str, str | None, int | None], Member] = {}
    pot_rhs: dict[tuple[str, tuple[Any, ...]], float] = {}

    def add(mem: Member | None, part: tuple[str, int, float]) -> None:
        if mem is not None:
            out.setdefault((mem.field, mem.zone, mem.period), mem).parts.append(part)

    for i, r in enumerate(info.rows):
        con = r.constraint
        comp, idx = con.parent_component().name, con.index()
        idx = idx if isinstance(idx, tuple) else (idx,)
        rhs = float(info.rhs[i])
        mem: Member | None = None
        if comp == "target":
            mem = _target(inputs, idx, soft, by_key)
        elif comp in BY_POTENTIAL and (at := _fleet(BY_POTENTIAL[comp], idx)):
            pot_rhs[(BY_POTENTIAL[comp].prefix, idx)] = rhs
            says = f"allows <= {num(rhs * GW)} MW in total"
            mem = Member(f"{at[0]}.potential", at[1], at[2], says, False, "MW", GW)
        elif comp == "gen_min":
            g, z, p, _ = idx
            frac = inputs.scenario.technologies[g].min_output
            says = f"requires output >= {num(frac)} of capacity every hour"
            mem = Member(f"technologies.{g}.min_output", z, p, says, True)
        elif comp in ("import_energy_min", "import_energy_max"):
            c, p = idx
            lo = comp.endswith("min")
            word, f = ("requires >=", "min_energy") if lo else ("allows <=", "max_energy")
            says = f"{word} {num(rhs * TWH_TO_MWH)} MWh/yr"
            mem = Member(f"imports.{c}.{f}", None, p, says, lo, "MWh/yr", TWH_TO_MWH)
        elif comp == "import_share_fixed":
            c, p = idx
            share = inputs.scenario.imports[c].renewable_share
            mem = Member(
                f"imports.{c}.renewable_share",
                None,
                p,
                f"fixes the renewable share at {num(share or 0)}",
                False,
            )
        add(mem, ("row", i, rhs))
    for j, v in enumerate(info.columns):
        comp = v.parent_component().name
        if comp == "dr_cap" and np.isfinite(ub := float(lp.col_upper_[j])):
            d, z, p = v.index()
            says = f"allows <= {num(ub * GW)} MW"
            add(Member(f"demand_response.{d}.potential", z, p, says, False, "MW", GW), ("ub", j, ub))
        if comp not in BY_NEW:
            continue
        fleet, idx = BY_NEW[comp], v.index()
        fam = fleet.prefix
        at = _fleet(fleet, idx if isinstance(idx, tuple) else (idx,))
        if at is None:
            continue
        lb, ub = float(lp.col_lower_[j]), float(lp.col_upper_[j])
        if lb > 0:
            says = f"requires >= {num(lb * GW)} MW built in {at[2]}"
            add(Member(f"{at[0]}.build_min", at[1], at[2], says, True, "MW", GW), ("lb", j, lb))
        if np.isfinite(ub):
            pot = pot_rhs.get((fam, idx))
            if pot is not None and abs(pot - ub) <= 1e-9 * max(1.0, abs(ub)):
                says = f"allows <= {num(ub * GW)} MW in total"
                add(Member(f"{at[0]}.potential", at[1], at[2], says, False, "MW", GW), ("ub", j, ub))
            else:
                says = f"allows <= {num(ub * GW)} MW built in {at[2]}"
                add(Member(f"{at[0]}.build_max", at[1], at[2], says, False, "MW", GW), ("ub", j, ub))
    return list(out.values())


class Elastic:
    """The model with an elastic slack on every part of every candidate, in one Highs object."""

    def __init__(
        self, lp: Any, info: Any, members: list[Member], deadline: float, options: dict[str, Any]
    ) -> None:
        self.deadline = deadline
        self.h = h = highspy.Highs()
        for k, v in {**options, "output_flag": False}.items():
            h.setOptionValue(k, v)
        n = lp.num_col_
        lp.col_cost_ = np.zeros(n)  # feasibility only
        lower, upper = np.array(lp.col_lower_, float), np.array(lp.col_upper_, float)
        bounded = [(j, kind, val) for mem in members for kind, j, val in mem.parts if kind != "row"]
        for j, kind, _ in bounded:  # a bound becomes a row x + s >= lb (x - s <= ub)
            lower[j] = 0.0 if kind == "lb" else lower[j]
            upper[j] = INF if kind == "ub" else upper[j]
        lp.col_lower_, lp.col_upper_ = lower, upper
        h.passModel(lp)
        A = info.A.tocsr()
        big = np.zeros(lp.num_row_)
        if A.nnz:
            big = np.asarray(abs(A).max(axis=1).todense()).ravel()
        kind_of = np.fromiter((r.bound_type for r in info.rows), int, lp.num_row_)
        self.cols: list[list[int]] = []  # slack columns of each member
        self.weight: list[list[float]] = []  # their elastic costs: 1 / size of the limit
        col = n
        for mem in members:
            cols, weights = [], []
            for kind, j, val in mem.parts:
                norm = abs(val) if abs(val) > 1e-9 else (big[j] if kind == "row" and big[j] > 0 else 1.0)
                if kind == "row":
                    signs = [1.0, -1.0] if kind_of[j] == 0 else [1.0 if kind_of[j] < 0 else -1.0]
                    for sg in signs:
                        h.addCol(0.0, 0.0, 0.0, 1, np.array([j], np.int32), np.array([sg]))
                        cols.append(col)
                        weights.append(1.0 / norm)
                        col += 1
                else:
                    h.addCol(0.0, 0.0, 0.0, 0, np.array([], np.int32), np.array([]))
                    lo, up, sg = (val, INF, 1.0) if kind == "lb" else (-INF, val, -1.0)
                    h.addRow(lo, up, 2, np.array([j, col], np.int32), np.array([1.0, sg]))
                    cols.append(col)
                    weights.append(1.0 / norm)
                    col += 1
            self.cols.append(cols)
            self.weight.append(weights)
        self.x = np.zeros(col)

    def solve(self, hard: set[int], elastic: set[int] | None = None, weighted: bool = True) -> bool:
        """Feasible with `hard` members held, `elastic` ones costing their violation (relative to
        the limit's size if `weighted`, else in row units) and the others relaxed?"""
        elastic = elastic or set()
        idx, up, cost = [], [], []
        for k, cols in enumerate(self.cols):
            for c, w in zip(cols, self.weight[k], strict=True):
                idx.append(c)
                up.append(0.0 if k in hard else INF)
                cost.append((w if weighted else 1.0) if k in elastic else 0.0)
        if idx:
            ix = np.array(idx, np.int32)
            self.h.changeColsBounds(len(ix), ix, np.zeros(len(ix)), np.array(up))
            self.h.changeColsCost(len(ix), ix, np.array(cost))
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError
        self.h.setOptionValue("time_limit", float(left))
        self.h.run()
        status = self.h.getModelStatus()
        if status not in SETTLED and self.h.getOptionValue("solver")[1] != "simplex":
            self.h.setOptionValue("solver", "simplex")  # an interior point that stalled, as in solve.py
            self.h.run()
            status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kTimeLimit:
            raise TimeoutError
        ok = status == highspy.HighsModelStatus.kOptimal
        if ok:
            self.x = np.asarray(self.h.getSolution().col_value)
        return ok

    def slack(self, k: int, total: bool = False) -> float:
        """Violation of member k: its largest slack (a potential's bound and row count once),
        or the sum of its slacks."""
        v = [float(self.x[c]) for c in self.cols[k]]
        return sum(v) if total else max(v, default=0.0)


def one_set(el: Elastic, active: set[int]) -> tuple[list[int], bool] | None:
    """A minimal conflicting subset of `active` (others relaxed), or None when they can all hold;
    the flag is False when the time ran out before the set was reduced."""
    hard: set[int] = set()
    while True:
        free = active - hard
        if el.solve(hard, free):
            hit = {k for k in free if el.slack(k, total=True) > TOL}
            if not hit:
                return None
            hard |= hit
        else:
            break
    try:
        for k in sorted(hard):
            if not el.solve(hard - {k}):
                hard.discard(k)
    except TimeoutError:
        return sorted(hard), False
    return sorted(hard), True


def find(
    inputs: Inputs, m: pyo.ConcreteModel, rows: list[Row] | None = None, budget: float = BUDGET
) -> list[Conflict] | None:
    """The conflicting sets of an infeasible model; None when the structure alone is infeasible
    (no user limit to relax) or the search ran out of time before finding one."""
    lp, info, _ = to_highs(m)
    members = candidates(inputs, m, info, lp, rows or [])
    opts = options_for(inputs.scenario.solver, lp.num_col_, *shape_of(m))  # as the run itself
    el = Elastic(lp, info, members, time.perf_counter() + budget, opts)
    everyone = set(range(len(members)))
    found: list[tuple[list[int], bool]] = []
    try:
        if not el.solve(set()):
            return None
        relaxed: set[int] = set()
        while len(found) < MAX_SETS:
            got = one_set(el, everyone - relaxed)
            if got is None:
                break
            found.append(got)
            relaxed |= set(got[0])
    except TimeoutError:
        pass
    if not found:
        return None
    out = []
    for n, (ks, minimal) in enumerate(found):
        others = {k for i, (o, _) in enumerate(found) if i != n for k in o}
        amounts = [_amount(el, info, members[k], k, everyone - others - {k}) for k in ks] if minimal else []
        out.append(Conflict([members[k] for k in ks], amounts or [None] * len(ks), minimal))
    return out


def _amount(el: Elastic, info: Any, mem: Member, k: int, hard: set[int]) -> float | None:
    """The least violation of member k [its unit] with the `hard` ones held."""
    if not mem.unit:
        return None
    try:
        if not el.solve(hard, {k}, weighted=False):
            return None
    except TimeoutError:
        return None
    s = el.slack(k) * (1.0 if mem.share is not None else mem.scale)
    if mem.share is not None:  # a share target: the row's slack [TWh/yr] over the denominator
        for v, val in zip(info.columns, el.x[: len(info.columns)].tolist(), strict=True):
            v.set_value(val, skip_validation=True)
        den = float(pyo.value(mem.share.den))
        return s / den if den > 1e-12 else None
    return s


def explain(inputs: Inputs, m: pyo.ConcreteModel, rows: list[Row] | None = None) -> str | None:
    """The message naming the conflicting sets, each member with its field, file and line."""
    sets = find(inputs, m, rows)
    if not sets:
        return None
    blocks = []
    for c in sets:
        head = "these cannot hold together: " + "; ".join(f"{x.where()} {x.says}" for x in c.members)
        if not c.minimal:
            head += " (time ran out before this set was reduced to a minimal one)"
        located = inputs.with_yaml_lines([Problem(str(inputs.path), x.field) for x in c.members])
        lines = []
        for x, a, p in zip(c.members, c.amounts, located, strict=True):
            say = x.says
            if a is not None:
                say = f"{'short by' if x.lower else 'exceeded by'} {num(a)} {x.unit} while the others hold"
            lines.append(f"  - {Problem(p.file, x.field, p.row, f'{x.label or x.context()}: {say}')}")
        blocks.append(head + "\n" + "\n".join(lines))
    return "\n".join(blocks)
