"""Clarabel's interior point (gridplan/clarabel_ipm.py): the optimum and the duals of LPs solved
by hand, the fixed rows' dual, the fallback to HiGHS, the progress line, and when `choose` runs it."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from gridplan.case import Solver
from gridplan.solve import engine_version, options_for, solve
from gridplan.watch import Status


def two_plants() -> pyo.ConcreteModel:
    """min 3 x + 5 y  s.t.  x + y >= 10 (demand),  x <= 6 (capacity),  z = 1 fixed,  z >= 0.5.
    Optimum x = 6, y = 4, cost 38 (+ 0 z); duals: demand 5 (the marginal plant's cost),
    capacity -2 (a unit more of the cheap plant saves 5 - 3), the fixed row 0 (a vertex's)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(domain=pyo.NonNegativeReals)
    m.z = pyo.Var(bounds=(1, 1))
    m.demand = pyo.Constraint(expr=m.x + m.y >= 10)
    m.capacity = pyo.Constraint(expr=m.x <= 6)
    m.record = pyo.Constraint(expr=m.z >= 0.5)
    m.o = pyo.Objective(expr=3 * m.x + 5 * m.y)
    return m


def test_clarabel_finds_the_hand_computed_optimum_and_duals() -> None:
    m = two_plants()
    seen: list[Status] = []
    sol = solve(m, Solver(method="clarabel"), live=seen.append)
    assert sol.status == "optimal" and sol.optimal
    assert sol.objective == pytest.approx(38, rel=1e-7)
    assert (pyo.value(m.x), pyo.value(m.y)) == pytest.approx((6, 4), abs=1e-6)
    assert sol.dual(m.demand) == pytest.approx(5, abs=1e-6)
    assert sol.dual(m.capacity) == pytest.approx(-2, abs=1e-6)
    assert sol.dual(m.record) == 0.0
    assert "Clarabel" in sol.solver and "no crossover" in sol.solver
    assert sol.stats["ipm_iterations"] > 0
    assert any(s.phase == "clarabel" and s.iteration >= 0 for s in seen)
    simplex = solve(two_plants(), Solver(method="simplex"))
    assert sol.objective == pytest.approx(simplex.objective, rel=1e-8)


def test_an_lp_clarabel_cannot_solve_goes_to_highs() -> None:
    """Infeasible: Clarabel ends 'PrimalInfeasible', HiGHS's interior point gives the verdict."""
    m = two_plants()
    m.short = pyo.Constraint(expr=m.x + m.y <= 5)
    sol = solve(m, Solver(method="clarabel", presolve=False))
    assert sol.status == "infeasible" and not sol.feasible
    assert "after Clarabel ended 'PrimalInfeasible'" in sol.solver


def test_choose_runs_clarabel_only_without_crossover() -> None:
    """A large multi-zone LP: HiPO with crossover (the vertex of `gridplan run`), Clarabel without
    (the re-solves of target-costs, `--no-crossover`); small or one-zone LPs stay on simplex."""
    big = {"n_cols": 200_000, "zones": 4, "periods": 3}
    assert options_for(Solver(), **big)["solver"] == "hipo"
    off = options_for(Solver(crossover=False), **big)
    assert off["solver"] == "clarabel" and off["run_crossover"] == "off"
    assert options_for(Solver(crossover=False), n_cols=5_000, zones=4, periods=3)["solver"] == "simplex"
    assert options_for(Solver(method="hipo", crossover=False), **big)["solver"] == "hipo"
    named = options_for(Solver(method="clarabel"), **big)
    assert named["solver"] == "clarabel" and named["run_crossover"] == "off"  # never a vertex
    assert engine_version(off) != engine_version(options_for(Solver(), **big))  # another store key


def test_clarabel_keeps_the_time_limit() -> None:
    """solver.time_limit reaches Clarabel: a limit it cannot meet ends with status time_limit and
    no feasible point, not with a second, HiGHS, solve."""
    sol = solve(two_plants(), Solver(method="clarabel", time_limit=1e-9))
    assert sol.status == "time_limit" and not sol.feasible
    assert "after Clarabel" not in sol.solver
