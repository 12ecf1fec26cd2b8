"""The hourly check: a plan's fleet operated over every hour of the year in windows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from test_core import balance_residual
from typer.testing import CliRunner

from cases import base, daily, series, write_case
from gridplan.cli import app
from gridplan.operations import windows
from gridplan.pipeline import run_with_check

H = 8760
GAS = {"kind": "thermal", "capex": 1000.0, "vom": 300.0, "lifetime": 1, "build_max": "inf"}


def test_windows_cover_the_year_in_whole_days() -> None:
    for days in (1, 7, 30, 365):
        w = windows(days)
        assert np.array_equal(np.concatenate(w), np.arange(H))
        assert all(len(x) % 24 == 0 and len(x) >= 24 * days for x in w)


def test_check_reproduces_a_full_year_plan(tmp_path: Path) -> None:
    """A daily-periodic system: weekly windows with cyclic storage lose nothing, so the check's
    hourly dispatch and costs equal the full-year plan's (solar, battery; two periods, the
    second discounted, solved one at a time by the check; capacity built in 2025 still paid for
    in 2030)."""
    sun = daily([0.0] * 6 + [0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5] + [0.0] * 10)
    load = daily([80.0] * 8 + [100.0] * 10 + [120.0] * 6)
    sc = base(
        load,
        profiles={"solar": "solar.csv"},
        technologies={
            "gas": {**GAS, "lifetime": 10, "fom": 20.0},  # 2025 builds serve (and are paid for) in 2030
            "pv": {
                "kind": "variable",
                "profile": "solar",
                "capex": 300.0,
                "lifetime": 10,
                "build_max": "inf",
            },
        },
        storage={"bat": {"capex_power": 50.0, "capex_energy": 60.0, "lifetime": 10, "build_max": "inf"}},
        hourly_check={"enabled": True, "window_days": 7, "workers": 1},
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        discount_rate=0.05,
    )

    case = write_case(tmp_path, sc, {"solar.csv": series(z=sun)})
    plan, check = run_with_check(case)
    assert check is not None
    assert check.sizes["time"] == H and float(check.weight.sum()) == H
    assert float(plan.storage_power.sum()) > 1.0  # the battery is used
    for name in ("generation", "storage_discharge", "unserved"):
        np.testing.assert_allclose(check[name].values, plan[name].values, atol=1e-4)
    np.testing.assert_allclose(check.cost_annual.values, plan.cost_annual.values, rtol=1e-6, atol=1.0)
    np.testing.assert_allclose(
        check.cost.values, plan.cost.values, rtol=1e-6, atol=1.0
    )  # present values [CNY]
    xr.testing.assert_allclose(check.capacity, plan.capacity)


def test_check_finds_the_hour_a_typical_day_plan_misses(tmp_path: Path) -> None:
    """Load 100 MW except one hour of 150 MW on 1 July, which no representative day holds: the
    plan builds 100 MW of gas, and the check serves 50 MWh less in that one hour."""
    load = np.full(H, 100.0)
    load[181 * 24 + 18] = 150.0
    sc = base(
        load,
        technologies={"gas": GAS},
        time={"mode": "representative_days", "days": 4},
        hourly_check={"enabled": True, "window_days": 7, "workers": 2},
    )
    plan, check = run_with_check(write_case(tmp_path, sc))
    assert check is not None
    assert float(plan.capacity.sum()) == pytest.approx(100.0, rel=1e-6)
    assert float((plan.unserved * plan.weight).sum()) == pytest.approx(0.0, abs=1e-6)
    unserved = check.unserved.sel(period=2025, zone="z")
    assert float(unserved.sum()) == pytest.approx(50.0, rel=1e-6)
    assert int(check.hour_of_year[int(unserved.argmax("time"))]) == 181 * 24 + 18
    assert float(check.cost_annual.sel(component="unserved").sum()) == pytest.approx(50.0 * 10000.0, rel=1e-6)


def test_cli_writes_the_hourly_check(tmp_path: Path) -> None:
    load = daily([80.0] * 12 + [120.0] * 12)
    sc = base(load, technologies={"gas": GAS}, hourly_check={"enabled": True, "window_days": 30})
    case = write_case(tmp_path / "case", sc)
    res = CliRunner().invoke(app, ["run", str(case), "--out", str(tmp_path / "out"), "--no-report"])
    assert res.exit_code == 0, res.output
    assert "hourly check" in res.output and "unserved 0.000 -> 0.000" in res.output
    with xr.open_dataset(tmp_path / "out" / "hourly_check.nc") as ds:
        assert ds.attrs["time_mode"] == "hourly_check" and ds.sizes["time"] == H
        assert ds.generation.attrs["units"] == "MW"
        assert balance_residual(ds) < 1e-6  # every hour of the year balances, re-derived


def test_the_plans_carbon_peak_is_priced_in_the_check(tmp_path: Path) -> None:
    """Coal 200 CNY/MWh at 0.9 t/MWh, gas 400 CNY/MWh at 0.4 t/MWh, 100 MW each; load 100 MW in
    2025 and 120 MW in 2030. Carbon peak in 2025: 2030 emissions may not exceed 2025's, so 2030
    switches coal to gas at (400 - 200) / (0.9 - 0.4) = 400 CNY/tCO2. The check prices 2030
    emissions at +400 and, with equal period weights (no discounting), 2025's at -400."""
    fuels = {"coal": {"price": 1000.0, "co2": 4.5, "coal": True}, "gas": {"price": 2000.0, "co2": 2.0}}
    techs = {
        "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 200.0, "existing": 100.0},
        "gas": {"kind": "thermal", "fuel": "gas", "heat_rate": 200.0, "existing": 100.0},
    }
    sc = base(
        {"z": np.where(np.arange(H) >= 0, 100.0, 0.0)},
        fuels=fuels,
        technologies=techs,
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        demand={"file": "load.csv", "annual_energy": {2025: 100.0 * H, 2030: 120.0 * H}},
        targets={"peak": {"kind": "co2_peak", "peak_year": 2025}},
        hourly_check={"enabled": True, "window_days": 73, "workers": 1},
    )
    plan, check = run_with_check(write_case(tmp_path, sc))
    assert check is not None
    e = plan.emissions.to_pandas()
    assert e[2030] == pytest.approx(e[2025], rel=1e-7) and e[2025] == pytest.approx(0.9 * 100 * H, rel=1e-7)
    assert check.attrs["co2_price"] == "2025: -400, 2030: 400 CNY/tCO2"
    coal = (check.generation.sel(tech="coal", zone="z") * check.weight).sum("time").to_pandas()
    assert coal[2025] == pytest.approx(100.0 * H, rel=1e-7)  # -400 CNY/t: coal only, as in the plan
