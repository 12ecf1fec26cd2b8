"""Myopic foresight on a case whose myopic plan is computed by hand (issue 23)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr
from test_core import balance_residual

import gridplan
from cases import base, write_case
from gridplan.alternatives.myopic import plan_steps, run_foresight
from gridplan.pipeline import _quiet

H = 8760


def growing(look_ahead: int = 0, foresight: str = "perfect") -> dict[str, object]:
    """Load 100 MW in 2030 and 300 MW in 2035 (5 years each, no discounting). `base` costs
    5000 CNY/kW (10-year life: 500 CNY/kW-yr while it serves) and 100 CNY/MWh, at most 150 MW
    built per period; `peaker` costs nothing to build and 400 CNY/MWh to run.

    Perfect foresight builds 150 MW of base in 2030 (50 MW idle then) and 150 MW in 2035: the
    extra 50 MW cost 500 * 10 yr = 5,000 CNY/kW and save (400 - 100) * 8760 * 5 = 13,140 CNY/kW
    in 2035. A myopic 2030 step sees no use for them: 100 MW then, 150 MW in 2035, and 50 MW of
    peaker in 2035. Cost of myopia: 50 MW * (13,140 - 5,000) CNY/kW = 407 MCNY."""
    return base(
        100.0,
        periods=[2030, 2035],
        period_years={2030: 5, 2035: 5},
        demand={"file": "load.csv", "annual_energy": {2030: 100 * H, 2035: 300 * H}},
        time={"mode": "representative_days", "days": 1, "foresight": foresight, "look_ahead": look_ahead},
        technologies={
            "base": {"kind": "thermal", "capex": 5000, "vom": 100, "lifetime": 10, "build_max": 150},
            "peaker": {"kind": "thermal", "vom": 400, "lifetime": 10, "build_max": "inf"},
        },
    )


PERFECT = (150 * 500e3 * 5 + 100 * H * 5 * 100) + (300 * 500e3 * 5 + 300 * H * 5 * 100)
MYOPIC = (100 * 500e3 * 5 + 100 * H * 5 * 100) + (250 * 500e3 * 5 + 250 * H * 5 * 100 + 50 * H * 5 * 400)


def test_steps_skip_historical_periods_and_end_with_the_whole_horizon() -> None:
    assert plan_steps([2025, 2030, 2035], {2025}, 0) == [([2030], [2025, 2030]), ([2035], [2025, 2030, 2035])]
    assert plan_steps([2025, 2030, 2035], set(), 1) == [
        ([2025], [2025, 2030]),
        ([2030, 2035], [2025, 2030, 2035]),
    ]
    assert plan_steps([2030], set(), 0) == [([2030], [2030])]


def test_myopic_builds_less_early_and_costs_the_hand_computed_premium(tmp_path: Path) -> None:
    perfect = gridplan.run(write_case(tmp_path / "perfect", growing()))
    myopic, _ = run_foresight(write_case(tmp_path / "myopic", growing()), _quiet, None, "myopic")
    new_p = perfect.capacity_new.sel(zone="z", tech="base")
    new_m = myopic.capacity_new.sel(zone="z", tech="base")
    assert [float(new_p.sel(period=p)) for p in (2030, 2035)] == pytest.approx([150.0, 150.0], rel=1e-6)
    assert [float(new_m.sel(period=p)) for p in (2030, 2035)] == pytest.approx([100.0, 150.0], rel=1e-6)
    assert float(myopic.capacity.sel(zone="z", tech="peaker", period=2035)) == pytest.approx(50.0, rel=1e-6)
    assert perfect.attrs["objective"] == pytest.approx(PERFECT, rel=1e-7)
    assert myopic.attrs["objective"] == pytest.approx(MYOPIC, rel=1e-7)
    assert myopic.attrs["objective"] - perfect.attrs["objective"] == pytest.approx(
        50 * (13_140e3 - 5_000e3), rel=1e-6
    )
    steps = json.loads(myopic.attrs["myopic_steps"])
    assert [s["periods"] for s in steps] == [[2030], [2030, 2035]]
    # the 2030 step alone: 100 MW of base, the 2030 costs only
    assert steps[0]["objective"] == pytest.approx(100 * 500e3 * 5 + 100 * H * 5 * 100, rel=1e-7)
    assert myopic.attrs["foresight"] == "myopic"
    assert myopic.attrs["scenario"] == "tiny-myopic"  # beside the perfect run in `compare`


def test_look_ahead_sees_the_later_need_and_the_case_setting_is_read(tmp_path: Path) -> None:
    """With one period of look-ahead the first step sees 2035: the perfect-foresight plan."""
    ds, _ = run_foresight(write_case(tmp_path, growing(look_ahead=1, foresight="myopic")), _quiet, None, None)
    assert ds.attrs["foresight"] == "myopic"
    assert ds.attrs["objective"] == pytest.approx(PERFECT, rel=1e-7)
    assert len(json.loads(ds.attrs["myopic_steps"])) == 1


def test_a_step_keeps_room_for_the_committed_fleet_of_later_periods(tmp_path: Path) -> None:
    """`base` may reach 200 MW on its site, and a committed 100 MW unit arrives in 2035. Load
    150 MW in 2030: the 2030 step builds at most 200 - 100 = 100 MW (myopic_potential), not the
    150 MW it would build blind (which would leave 2035 infeasible); the peaker covers 50 MW."""
    sc = growing()
    sc["demand"] = {"file": "load.csv", "annual_energy": {2030: 150 * H, 2035: 250 * H}}
    sc["technologies"]["base"].update(potential=200, existing={"z": {2030: 0, 2035: 100}}, build_max="inf")  # type: ignore[index]
    ds, _ = run_foresight(write_case(tmp_path, sc), _quiet, None, "myopic")
    new = ds.capacity_new.sel(zone="z", tech="base")
    assert float(new.sel(period=2030)) == pytest.approx(100.0, rel=1e-6)
    assert float(ds.capacity.sel(zone="z", tech="base", period=2035)) == pytest.approx(200.0, rel=1e-6)
    peaker = ds.capacity.sel(zone="z", tech="peaker")
    assert [float(peaker.sel(period=p)) for p in (2030, 2035)] == pytest.approx([50.0, 50.0], rel=1e-6)


def test_the_hourly_check_runs_on_the_myopic_fleet(tmp_path: Path) -> None:
    """With an hourly check the myopic plan is replayed over all 8,760 hours on its own fleet:
    100 + 150 MW of base and 50 MW of peaker in 2035 (not perfect foresight's 300 MW of base);
    flat load, so the check's dispatch and cost equal the plan's, and every hour balances."""
    sc = growing()
    sc["hourly_check"] = {"enabled": True, "window_days": 30, "workers": 1}
    ds, check = run_foresight(write_case(tmp_path, sc), _quiet, None, "myopic")
    assert check is not None and check.sizes["time"] == H
    xr.testing.assert_allclose(check.capacity, ds.capacity)
    assert float(check.capacity.sel(zone="z", tech="peaker", period=2035)) == pytest.approx(50.0, rel=1e-6)
    assert float(check.capacity.sel(zone="z", tech="base", period=2035)) == pytest.approx(250.0, rel=1e-6)
    peaker = check.generation.sel(zone="z", tech="peaker", period=2035)
    assert float((peaker * check.weight).sum()) == pytest.approx(50 * H, rel=1e-6)  # MWh/yr
    assert float(check.cost.sum()) == pytest.approx(MYOPIC, rel=1e-6)
    assert balance_residual(check) < 1e-6


def test_a_target_met_by_an_earlier_step_keeps_the_price_that_step_paid(tmp_path: Path) -> None:
    """A 2030 target of 120 MW of base: the myopic 2030 step builds 20 MW more than its 100 MW load
    needs, idle in 2030, so tightening the target by 1 kW costs that step 500 CNY/kW-yr (its capex,
    nothing saved). The last step has the 2030 builds fixed (no dual there): the results carry the
    2030 step's 500 CNY/kW-yr. Perfect foresight builds 150 MW in 2030 anyway: price 0."""
    sc = growing()
    sc["targets"] = {"base_2030": {"kind": "capacity", "technologies": ["base"], "min": {2030: 120}}}
    perfect = gridplan.run(write_case(tmp_path / "perfect", sc))
    myopic, _ = run_foresight(write_case(tmp_path / "myopic", sc), _quiet, None, "myopic")
    cell = {"target": "base_2030", "period": 2030}
    assert float(myopic.capacity_new.sel(zone="z", tech="base", period=2030)) == pytest.approx(
        120.0, rel=1e-6
    )
    assert float(myopic.target_shadow_price.sel(cell)) == pytest.approx(500.0, rel=1e-6)
    assert bool(myopic.target_binds.sel(cell))
    assert float(perfect.target_shadow_price.sel(cell)) == pytest.approx(0.0, abs=1e-6)
    assert not bool(perfect.target_binds.sel(cell))
