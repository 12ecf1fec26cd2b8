"""Historical periods: the recorded fleet is dispatched, nothing is built there (issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gridplan
from cases import base, write_case
from gridplan.case import load_case
from gridplan.errors import InputError

H = 8760


def two_periods(**extra: Any) -> dict[str, Any]:
    """Load 100 MW in 2025 and 2030 (one year each, no discounting). An existing 100 MW plant
    runs at 500 CNY/MWh; a new plant costs 1,000 CNY/kW-yr (capex 1,000, life 1 yr) and runs for
    free, so building it saves 500 x 8,760 = 4.38 M CNY per MW and year: cheapest everywhere.
    Interruptible load (10 MW, 10 CNY/kW-yr, 200 CNY/MWh) beats the old plant but not the new one."""
    sc = base(
        100.0,
        periods=[2025, 2030],
        period_years={2025: 1, 2030: 1},
        technologies={
            "dear": {"kind": "thermal", "vom": 500.0, "existing": 100},
            "cheap": {"kind": "thermal", "capex": 1000.0, "lifetime": 1, "build_max": "inf"},
        },
        storage={"bat": {"capex_energy": 1.0, "build_max": "inf", "duration_max": 4}},
        demand_response={
            "shed": {"mode": "shed", "potential": 10, "fixed_cost": 10.0, "dispatch_cost": 200.0}
        },
    )
    sc.update(extra)
    return sc


def test_historical_period_builds_nothing(tmp_path: Path) -> None:
    """2025 historical: the existing plant runs all year (100 MW x 8,760 h x 500 CNY/MWh =
    438 M CNY), no DR is contracted; 2030 builds 100 MW of the new plant (100 M CNY)."""
    ds = gridplan.run(write_case(tmp_path, two_periods(historical_periods=[2025])))
    cap = ds.capacity.sel(zone="z").to_pandas()
    assert cap.loc[2025, "cheap"] == pytest.approx(0.0, abs=1e-6)
    assert cap.loc[2030, "cheap"] == pytest.approx(100.0, rel=1e-6)
    assert float(ds.dr_capacity.sel(period=2025).sum()) == pytest.approx(0.0, abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx(500 * 100 * H + 1000 * 100e3, rel=1e-7)


def test_without_history_both_periods_build(tmp_path: Path) -> None:
    """The same case without historical_periods builds in 2025 too: 2 x 100 M CNY."""
    ds = gridplan.run(write_case(tmp_path, two_periods()))
    cap = ds.capacity.sel(zone="z").to_pandas()
    assert cap.loc[2025, "cheap"] == pytest.approx(100.0, rel=1e-6)
    assert ds.attrs["objective"] == pytest.approx(2 * 1000 * 100e3, rel=1e-7)


def test_history_has_no_build_variables(tmp_path: Path) -> None:
    """No `<fam>_new` index of a historical period in any fleet; DR fixed at existing."""
    from gridplan.lp.build import build
    from gridplan.lp.families import fleets
    from gridplan.timesteps import select

    inputs = load_case(write_case(tmp_path, two_periods(historical_periods=[2025])))
    m, _ = build(inputs, select(inputs))
    for fleet in fleets():
        new = m.component(fleet.new)
        assert new is None or all(k[-1] != 2025 for k in new), fleet.new
    assert m.dr_cap["shed", "z", 2025].ub == pytest.approx(0.0)
    assert m.dr_cap["shed", "z", 2030].ub == pytest.approx(0.01)


def test_build_min_in_history_is_an_input_error(tmp_path: Path) -> None:
    sc = two_periods(historical_periods=[2025])
    sc["technologies"]["cheap"]["build_min"] = {"z": {2025: 50, 2030: 0}}
    with pytest.raises(InputError) as e:
        load_case(write_case(tmp_path, sc))
    assert e.value.exit_code == 2
    msg = str(e.value)
    assert "technologies.cheap.build_min" in msg and "period 2025" in msg and "expected 0" in msg


def test_historical_period_must_be_a_period(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"historical_periods.*found 2020"):
        load_case(write_case(tmp_path, two_periods(historical_periods=[2020])))
