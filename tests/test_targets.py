"""Plan targets with shadow prices a person can compute (issue 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xarray as xr

import gridplan
from cases import base, write_case
from gridplan.errors import SolveError

H = 8760


def target(ds: xr.Dataset, name: str, var: str, period: int = 2025) -> float:
    return float(ds[var].sel(target=name, period=period))


def test_storage_minimum_costs_its_annuity(tmp_path: Path) -> None:
    """Nobody builds storage under a flat load; forcing 10 MW (2 h) costs 100 + 2 * 50 = 200 CNY/kW-yr."""
    sc = base(
        100.0,
        technologies={"gen": {"kind": "thermal", "vom": 100.0, "existing": 100.0}},
        storage={
            "bat": {
                "capex_power": 100.0,
                "capex_energy": 50.0,
                "lifetime": 1,
                "build_max": "inf",
                "duration_min": 2,
                "duration_max": 2,
                "groups": ["new_type"],
            }
        },
        targets={
            "storage": {"kind": "capacity", "technologies": ["new_type"], "min": 10.0, "name_zh": "新型储能"}
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    assert target(ds, "storage", "target_achieved") == pytest.approx(10.0, rel=1e-7)
    assert target(ds, "storage", "target_shadow_price") == pytest.approx(200.0, rel=1e-6)
    assert bool(ds.target_binds.sel(target="storage", period=2025))
    assert ds.attrs["objective"] == pytest.approx(100.0 * 100 * H + 200.0 * 10e3, rel=1e-7)
    assert str(ds.target_price_unit.sel(target="storage").values) == "CNY/kW-yr"


def test_co2_cap_has_the_fuel_switch_price(tmp_path: Path) -> None:
    """Coal 200 CNY/MWh at 0.9 t/MWh, gas 400 CNY/MWh at 0.4 t/MWh: a binding cap prices CO2 at
    (400 - 200) / (0.9 - 0.4) = 400 CNY/tCO2."""
    fuels = {"coal": {"price": 1000.0, "co2": 4.5, "coal": True}, "gas": {"price": 2000.0, "co2": 2.0}}
    techs = {
        "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 200.0, "existing": 100.0},
        "gas": {"kind": "thermal", "fuel": "gas", "heat_rate": 200.0, "existing": 100.0},
    }
    cap = 0.65 * 100 * H  # tCO2: half coal, half gas
    sc = base(
        100.0,
        fuels=fuels,
        technologies=techs,
        targets={"co2": {"kind": "co2_cap", "max": cap}, "coal_use": {"kind": "coal_cap", "max": 1e12}},
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    assert float(ds.emissions.sel(period=2025)) == pytest.approx(cap, rel=1e-7)
    assert target(ds, "co2", "target_shadow_price") == pytest.approx(400.0, rel=1e-6)
    assert target(ds, "coal_use", "target_shadow_price") == pytest.approx(0.0, abs=1e-6)
    coal = float((ds.generation.sel(tech="coal") * ds.weight).sum())
    assert coal == pytest.approx(50 * H, rel=1e-6)


def test_non_fossil_share_prices_the_cost_gap(tmp_path: Path) -> None:
    """Biomass at 300 CNY/MWh replaces coal at 200 CNY/MWh to reach a 30% share: 100 CNY/MWh."""
    fuels = {
        "coal": {"price": 1000.0, "co2": 2.66, "coal": True},
        "bio": {"price": 1000.0, "co2": 0.0, "fossil": False},
    }
    techs = {
        "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 200.0, "existing": 100.0},
        "bio": {"kind": "thermal", "fuel": "bio", "heat_rate": 300.0, "existing": 100.0},
    }
    sc = base(
        100.0,
        fuels=fuels,
        technologies=techs,
        targets={
            "nf": {"kind": "non_fossil_share", "min": 0.3},
            "coal_share": {"kind": "coal_share", "max": 0.9},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    assert target(ds, "nf", "target_achieved") == pytest.approx(0.3, rel=1e-7)
    assert target(ds, "nf", "target_shadow_price") == pytest.approx(100.0, rel=1e-6)
    assert target(ds, "coal_share", "target_achieved") == pytest.approx(0.7, rel=1e-7)
    assert not bool(ds.target_binds.sel(target="coal_share", period=2025))


def test_peak_response_costs_the_contract(tmp_path: Path) -> None:
    """5% of a 100 MW peak = 5 MW of DR at 30 CNY/kW-yr, never called under a flat load."""
    sc = base(
        100.0,
        technologies={"gen": {"kind": "thermal", "vom": 100.0, "existing": 100.0}},
        demand_response={"ind": {"potential": 20.0, "fixed_cost": 30.0, "dispatch_cost": 5000.0}},
        targets={"peak": {"kind": "peak_response", "min": 0.05, "name_zh": "尖峰负荷响应"}},
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    assert target(ds, "peak", "target_required") == pytest.approx(5.0, rel=1e-7)
    assert float(ds.dr_capacity.sum()) == pytest.approx(5.0, rel=1e-7)
    assert target(ds, "peak", "target_shadow_price") == pytest.approx(30.0, rel=1e-6)


def impossible(tmp_path: Path, mode: str) -> Path:
    """Renewables >= 100 MW, but solar is capped at 40 MW and wind's potential is 30 MW."""
    vre: dict[str, Any] = {
        "kind": "thermal",
        "capex": 100.0,
        "lifetime": 1,
        "build_max": "inf",
        "groups": ["re"],
    }
    sc = base(
        100.0,
        technologies={
            "gen": {"kind": "thermal", "vom": 100.0, "existing": 100.0},
            "solar": vre,
            "wind": {**vre, "potential": 30.0},
        },
        targets={
            "re_min": {"kind": "capacity", "technologies": ["re"], "min": 100.0},
            "solar_max": {"kind": "capacity", "technologies": ["solar"], "max": 40.0},
        },
        targets_mode=mode,
    )
    return write_case(tmp_path / mode, sc)


def test_soft_mode_names_the_failing_target(tmp_path: Path) -> None:
    ds = gridplan.run(impossible(tmp_path, "soft"))
    short = ds.target_shortfall.sel(period=2025).to_pandas()
    assert float(short.sum()) == pytest.approx(30.0, rel=1e-6)  # 100 - 40 - 30 MW short in all
    assert ds.attrs["solver_status"] == "optimal"


def test_infeasible_hard_targets_are_named(tmp_path: Path) -> None:
    """The minimal conflicting set, all three and nothing else; each fails by 100 - 40 - 30 = 30 MW
    while the other two hold (the soft run's total shortfall above)."""
    with pytest.raises(SolveError) as e:
        gridplan.run(impossible(tmp_path, "hard"))
    assert e.value.exit_code == 3
    head, *lines = str(e.value).split("\n")
    assert head.endswith(
        "these cannot hold together: technologies.wind.potential (zone z, 2025) allows <= 30 MW in total; "
        "targets.re_min.min (2025) requires >= 100 MW; targets.solar_max.max (2025) allows <= 40 MW"
    )
    assert [line.split(": ", 1)[1] for line in lines] == [
        "zone z, 2025: exceeded by 30 MW while the others hold",
        "re_min in 2025: short by 30 MW while the others hold",
        "solar_max in 2025: exceeded by 30 MW while the others hold",
    ]


def test_share_of_no_energy_is_reported_as_such(tmp_path: Path) -> None:
    """The new import channel has no capacity, so its renewable share is 0/0: NaN in the results
    and '- (no energy to share)' in the run summary, never 'nan'."""
    from data.tiny import SCENARIO, write_tiny

    from gridplan.cli import summary

    sc = SCENARIO.replace(
        "  clean: {kind: non_fossil_share",
        "  new_re: {kind: import_renewable_share, min: 0.5}\n  clean: {kind: non_fossil_share",
    ).replace("demand_response:", "  fj: {zone: a, capacity: 0, price: 300, new: true}\ndemand_response:")
    ds = gridplan.run(write_tiny(tmp_path, sc))
    assert ds["target_achieved"].sel(target="new_re.fj").isnull().all()
    text = summary(ds)
    assert "new_re.fj  2030: 0.5 / - (no energy to share)" in text
    assert "nan" not in text
