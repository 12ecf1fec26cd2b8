"""Clarabel's interior point (gridplan/clarabel_ipm.py): the optimum and the duals of LPs solved
by hand, the fixed rows' dual, the fallback to HiGHS, the progress line, and when `choose` runs it."""

from __future__ import annotations

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest

from gridplan.case import Solver
from gridplan.clarabel_ipm import SETTINGS, ClarabelHighs
from gridplan.solve import engine_version, options_for, solve, to_highs
from gridplan.watch import Status, Watcher, _callback, never


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
    sol = solve(m, Solver(method="clarabel", crossover=False), live=seen.append)
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


def two_equal_plants() -> pyo.ConcreteModel:
    """min 3 x + 3 y  s.t.  x + y >= 10,  x, y <= 8: every split with x + y = 10 and both at most
    8 is optimal (cost 30). An interior point takes the middle (5, 5); a vertex runs one plant at
    its limit, (8, 2) or (2, 8); the demand's dual is 3 either way."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 8))
    m.y = pyo.Var(bounds=(0, 8))
    m.demand = pyo.Constraint(expr=m.x + m.y >= 10)
    m.o = pyo.Objective(expr=3 * m.x + 3 * m.y)
    return m


def cheap_capacity() -> pyo.ConcreteModel:
    """min 3 cap + 3 (g1a + g1b) + 5 (g2a + g2b)  s.t.  g1a + g2a >= 10, g1b + g2b >= 8 (two
    hours' demand), g1a, g1b <= cap (plant 1's capacity, cap <= 20), z = 1 fixed with z >= 0.5,
    g2a <= 100. A unit of cap saves 5 - 3 in both hours up to 8 (4 > 3), in hour a alone beyond (2
    < 3): cap = g1a = g1b = 8, g2a = 2, g2b = 0, cost 82. Duals: hour a 5 (plant 2 at the margin),
    hour b 4 (a unit more needs a unit of cap, 3, and of g1b, 3, and lets g1a replace g2a, -2),
    capacity rows -2 and -1 (their sum pays for cap), the rows presolve removes 0."""
    m = pyo.ConcreteModel()
    m.cap = pyo.Var(bounds=(0, 20))
    m.g1a, m.g1b, m.g2a, m.g2b = (pyo.Var(domain=pyo.NonNegativeReals) for _ in range(4))
    m.z = pyo.Var(bounds=(1, 1))
    m.demand_a = pyo.Constraint(expr=m.g1a + m.g2a >= 10)
    m.demand_b = pyo.Constraint(expr=m.g1b + m.g2b >= 8)
    m.cap_a = pyo.Constraint(expr=m.g1a <= m.cap)
    m.cap_b = pyo.Constraint(expr=m.g1b <= m.cap)
    m.record = pyo.Constraint(expr=m.z >= 0.5)
    m.limit = pyo.Constraint(expr=m.g2a <= 100)
    m.o = pyo.Objective(expr=3 * m.cap + 3 * m.g1a + 3 * m.g1b + 5 * m.g2a + 5 * m.g2b)
    return m


@pytest.mark.parametrize("presolve", [True, False])
def test_the_vertex_on_the_presolved_lp_is_the_lps(presolve: bool) -> None:
    """With crossover and presolve on, Clarabel and the vertex steps run on HiGHS's presolved LP
    and postsolve with its basis brings the vertex back: the hand-computed optimum and duals, as
    on the LP as written (presolve off)."""
    m = cheap_capacity()
    sol = solve(m, Solver(method="clarabel", presolve=presolve))
    assert sol.optimal and sol.objective == pytest.approx(82, rel=1e-9)
    x = [pyo.value(v) for v in (m.cap, m.g1a, m.g2a, m.g1b, m.g2b)]
    assert x == pytest.approx([8, 8, 2, 8, 0], abs=1e-9)
    duals = [sol.dual(c) for c in (m.demand_a, m.demand_b, m.cap_a, m.cap_b, m.record, m.limit)]
    assert duals == pytest.approx([5, 4, -2, -1, 0, 0], abs=1e-9)
    assert ("on HiGHS's presolved LP" in sol.solver) == presolve


def test_clarabel_with_crossover_ends_at_a_vertex() -> None:
    """solver.crossover: Clarabel's point, then its vertex (restricted LP, primal simplex on the
    whole LP): a basis, and a corner of the tie instead of its middle."""
    middle = two_equal_plants()
    solve(middle, Solver(method="clarabel", crossover=False))
    assert (pyo.value(middle.x), pyo.value(middle.y)) == pytest.approx((5, 5), abs=1e-4)
    m = two_equal_plants()
    sol = solve(m, Solver(method="clarabel"))
    assert sol.optimal and sol.objective == pytest.approx(30, rel=1e-9)
    assert sorted([pyo.value(m.x), pyo.value(m.y)]) == pytest.approx([2, 8], abs=1e-9)
    assert sol.dual(m.demand) == pytest.approx(3, abs=1e-9)
    assert "vertex from Clarabel's point" in sol.solver and "no crossover" not in sol.solver
    plants = two_plants()
    sol = solve(plants, Solver(method="clarabel"))
    assert (pyo.value(plants.x), pyo.value(plants.y)) == pytest.approx((6, 4), abs=1e-9)
    assert (sol.dual(plants.demand), sol.dual(plants.capacity)) == pytest.approx((5, -2), abs=1e-9)


def test_choose_runs_clarabel_without_crossover_and_for_large_lps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large multi-zone LP: Clarabel, with its vertex when crossover is on (the default of
    `gridplan run` on the base case), its point without (the re-solves of target-costs,
    `--no-crossover`); a mid-size one: HiPO with crossover (faster there, model/performance.md);
    small or one-zone LPs stay on simplex. Clarabel's settings are part of the store's key."""
    big = {"n_cols": 200_000, "zones": 4, "periods": 3}
    mid = {"n_cols": 50_000, "zones": 4, "periods": 3}
    vertex = options_for(Solver(), **big)
    assert vertex["solver"] == "clarabel" and vertex["run_crossover"] == "on"
    assert options_for(Solver(), **mid)["solver"] == "hipo"
    off = options_for(Solver(crossover=False), **big)
    assert off["solver"] == "clarabel" and off["run_crossover"] == "off"
    assert options_for(Solver(crossover=False), **mid)["solver"] == "clarabel"
    assert options_for(Solver(crossover=False), n_cols=5_000, zones=4, periods=3)["solver"] == "simplex"
    assert options_for(Solver(method="hipo", crossover=False), **big)["solver"] == "hipo"
    assert engine_version(off) != engine_version(options_for(Solver(), **mid))  # another store key
    before = engine_version(off)  # Clarabel's settings are in the key: they change its answer
    monkeypatch.setitem(SETTINGS, "iterative_refinement_enable", True)
    assert engine_version(off) != before


def test_clarabel_keeps_the_time_limit() -> None:
    """solver.time_limit reaches Clarabel: a limit it cannot meet ends with status time_limit and
    no feasible point, not with a second, HiGHS, solve."""
    sol = solve(two_plants(), Solver(method="clarabel", crossover=False, time_limit=1e-9))
    assert sol.status == "time_limit" and not sol.feasible
    assert "after Clarabel" not in sol.solver


def vertex_from(
    m: pyo.ConcreteModel, x: dict[str, float], y: dict[str, float]
) -> tuple[ClarabelHighs, dict[str, float], highspy.HighsLp]:
    """The vertex step alone on m's LP from the point x (by column name) and row duals y (by
    constraint name, 0 elsewhere): the HiGHS object, its primal values by name, and the LP."""
    lp, info, _ = to_highs(m)
    names = [v.name for v in info.columns]
    h = ClarabelHighs(1e-8, 1e-8, "hipo", vertex=True)
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h._vertex(
        lp, np.array([x[n] for n in names]), np.array([y.get(r.constraint.name, 0.0) for r in info.rows])
    )
    return h, dict(zip(names, h.getSolution().col_value, strict=True)), lp


def test_a_wrong_fixing_is_undone_by_the_primal_simplex() -> None:
    """The vertex step from a bad point: the cheap plant at 0 with reduced cost 3 (all duals 0) is
    fixed there, so the restricted LP's optimum is the dear plant alone (cost 50); primal simplex
    on the whole LP from that basis still ends at the optimum, x = 6, y = 4, cost 38."""
    h, x, _ = vertex_from(two_plants(), {"x": 0.0, "y": 10.0, "z": 1.0}, {})
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert (x["x"], x["y"]) == pytest.approx((6, 4), abs=1e-9)
    assert h.getInfo().objective_function_value == pytest.approx(38, abs=1e-9)
    assert "vertex from Clarabel's point" in h.note


def test_a_wrong_row_fixing_is_undone_and_the_bounds_restored() -> None:
    """The vertex step from a bad point on two_plants with a second limit y <= 8: (x, y) = (2, 8)
    costs 46 with y <= 8 at its bound and dual -2 (all other duals 0), so that row alone is fixed,
    y = 8; the restricted LP keeps x = 2 (cost 46); primal simplex from its basis, the row
    nonbasic at its upper bound, ends at the optimum x = 6, y = 4 (cost 38), the row's bound back."""
    m = two_plants()
    m.dear_limit = pyo.Constraint(expr=m.y <= 8)
    h, x, lp = vertex_from(m, {"x": 2.0, "y": 8.0, "z": 1.0}, {"dear_limit": -2.0})
    assert h.fixings == (0, 1)
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert (x["x"], x["y"]) == pytest.approx((6, 4), abs=1e-9)
    assert h.getInfo().objective_function_value == pytest.approx(38, abs=1e-9)
    assert list(h.getLp().row_upper_) == list(lp.row_upper_)
    assert list(h.getLp().row_lower_) == list(lp.row_lower_)


def test_a_simplex_objective_below_the_floor_abandons_the_run() -> None:
    """Watcher: a simplex log line whose objective is below `floor` with no primal infeasibility,
    or a phase 1 line while a floor is set, sets `abandon`, and the interrupt callback then stops
    the run; with infeasibilities, at or above the floor, or phase 1 without a floor, nothing
    happens."""

    class Line:
        def __init__(self, message: str) -> None:
            self.message, self.callback_type, self.data_out = message, 0, None
            self.stopped = False

        def interrupt(self) -> None:
            self.stopped = True

    w = Watcher(never, "simplex", 0.0, 1.0, 0.0)
    phase1 = Line("           0    -4.1382633343e+02 Ph1: 4464(2.53864e+06); Du: 51(413.826) 0.6s")
    w.log(phase1)  # a restricted LP's dual simplex: no floor
    assert not w.abandon.is_set()
    w.floor = 100.0
    w.log(phase1)  # the clean-up: its basis was primal feasible
    assert w.abandon.is_set()
    w.abandon.clear()
    w.log(Line("        3375     9.9000000000e+01 Pr: 4(0.5); Du: 44138(2.8e+08) 8.5s"))
    w.log(Line("        3376     1.0000000000e+02 Pr: 0(0); Du: 44138(2.8e+08) 8.6s"))
    assert not w.abandon.is_set()
    w.log(Line("        3377     9.9000000000e+01 Pr: 0(0); Du: 44138(2.8e+08) 8.7s"))
    assert w.abandon.is_set()
    e = Line("Simplex interrupt")
    w.interrupt(e)
    assert e.stopped
    # HiGHS keeps data_in.user_interrupt from one run to the next: the callback must clear it
    # once the abandoned run is over, or the vertex's next step would stop at once
    kind, out = highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt, Line("")
    out.simplex_iteration_count = 1  # type: ignore[attr-defined]
    data_in = Line("")
    _callback(w)(kind, "", out, data_in, None)
    assert data_in.user_interrupt  # type: ignore[attr-defined]
    w.abandon.clear()
    _callback(w)(kind, "", out, data_in, None)
    assert not data_in.user_interrupt  # type: ignore[attr-defined]


def test_an_abandoned_clean_up_is_redone_with_columns_alone_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vertex step of two_plants: the demand and capacity rows are at their bounds with duals
    5 and -2, so the first restricted LP fixes them as well as the columns; when that clean-up
    ends below the floor (here forced: a floor above the optimum for it), the bounds are back and
    the steps are redone with the columns alone fixed, which end at the optimum x = 6, y = 4
    (cost 38) with its duals."""
    real = ClarabelHighs._restricted_then_simplex
    rows_fixed: list[int] = []

    def first_abandoned(self: ClarabelHighs, lp, A, y, col, col_lower, row, row_lower, floor):  # type: ignore[no-untyped-def]
        rows_fixed.append(len(row))
        return real(self, lp, A, y, col, col_lower, row, row_lower, 1e9 if len(row) else floor)

    monkeypatch.setattr(ClarabelHighs, "_restricted_then_simplex", first_abandoned)
    m = two_plants()
    sol = solve(m, Solver(method="clarabel"))
    assert rows_fixed == [2, 0]
    assert sol.optimal and sol.objective == pytest.approx(38, abs=1e-9)
    assert (pyo.value(m.x), pyo.value(m.y)) == pytest.approx((6, 4), abs=1e-9)
    assert (sol.dual(m.demand), sol.dual(m.capacity)) == pytest.approx((5, -2), abs=1e-9)
    assert "with its columns at a bound fixed" in sol.solver


def test_a_vertex_that_cannot_be_recovered_goes_to_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the restricted LP does not end optimal, the whole LP is HiGHS's (with crossover)."""
    monkeypatch.setattr(ClarabelHighs, "_run_optimal", lambda self: False)
    m = two_plants()
    sol = solve(m, Solver(method="clarabel"))
    assert sol.optimal and sol.objective == pytest.approx(38, rel=1e-9)
    assert "after its vertex could not be recovered" in sol.solver
    assert sol.dual(m.demand) == pytest.approx(5, abs=1e-9)
