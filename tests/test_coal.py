"""Coal clusters: commitment and 三改联动 retrofits on systems computed by hand (issue 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import gridplan
from cases import base, series, write_case

H = 8760
NOON = np.tile(np.array([0.0] * 10 + [1.0] * 5 + [0.0] * 9), 365)  # solar 10:00-15:00


def coal(**kw: Any) -> dict[str, Any]:
    """100 MW of coal at 300 CNY/MWh, kept committed by a prohibitive start-up cost."""
    c: dict[str, Any] = {
        "kind": "thermal",
        "vom": 300.0,
        "existing": 100.0,
        "commitment": {"min_stable": 0.5, "ramp": 1.0, "startup_cost": 1e6},
    }
    c.update(kw)
    return c


@pytest.mark.parametrize(("capex", "built"), [(100.0, 100.0), (120.0, 0.0)])
def test_flexibility_retrofit_pays_for_avoided_curtailment(
    tmp_path: Path, capex: float, built: float
) -> None:
    """Min load 0.5 forces 50 MW of coal at noon while free solar could cover the load. Retrofit to 0.3
    saves 0.2 MW per MW retrofitted for 5 h a day at 300 CNY/MWh: 0.2 * 5 * 365 * 300 = 109.5 CNY/kW-yr.
    At 100 CNY/kW (1-year life) it is built on all 100 MW; at 120 CNY/kW not at all."""
    flex = {"flexibility": {"capex": capex, "min_stable": 0.3, "lifetime": 1, "build_max": "inf"}}
    sc = base(
        100.0,
        profiles={"sun": "sun.csv"},
        technologies={
            "coal": coal(retrofits=flex),
            "pv": {"kind": "variable", "profile": "sun", "existing": 100.0},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"sun.csv": series(z=NOON)}))
    got = float(ds.retrofit_in_service.sel(retrofit="flexibility", period=2025, zone="z", tech="coal"))
    assert got == pytest.approx(built, abs=1e-4)
    noon_coal = 50.0 - 0.2 * built
    fuel = (19 * 100.0 + 5 * noon_coal) * 365 * 300.0
    assert ds.attrs["objective"] == pytest.approx(fuel + capex * 1e3 * built, rel=1e-7)
    curtailed = float(ds.curtailed_energy.sum())
    assert curtailed == pytest.approx(5 * noon_coal * 365, rel=1e-6)


@pytest.mark.parametrize(("capex", "built"), [(87.0, 100.0), (88.0, 0.0)])
def test_energy_saving_retrofit_pays_back_exactly(tmp_path: Path, capex: float, built: float) -> None:
    """-10 gce/kWh at 1000 CNY/tce saves 10 CNY/MWh * 8760 h = 87.6 CNY/kW-yr on a unit at full load."""
    es = {"energy_saving": {"capex": capex, "heat_rate_reduction": 10.0, "lifetime": 1, "build_max": "inf"}}
    sc = base(
        100.0,
        fuels={"coal": {"price": 1000.0, "co2": 2.66, "coal": True}},
        technologies={
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300.0,
                "existing": 100.0,
                "retrofits": es,
            }
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    got = float(ds.retrofit_in_service.sel(retrofit="energy_saving", period=2025, zone="z", tech="coal"))
    assert got == pytest.approx(built, abs=1e-4)
    hr = 300.0 - 10.0 * built / 100.0
    assert float(ds.coal_use.sel(period=2025)) == pytest.approx(hr / 1000 * 100 * H, rel=1e-7)
    assert float(ds.emissions.sel(period=2025)) == pytest.approx(hr / 1000 * 100 * H * 2.66, rel=1e-7)


def test_heat_demand_keeps_chp_above_computable_output(tmp_path: Path) -> None:
    """40 MW_th of heat with at most 0.5 MW_th per MW of electricity keeps the CHP unit at >= 80 MW,
    although free solar could serve the whole load; boilers are prohibitively dear."""
    chp = {
        "kind": "thermal",
        "vom": 300.0,
        "existing": 100.0,
        "retrofits": {"heating": {"capex": 0.0, "heat_ratio_max": 0.5, "power_loss": 0.1, "existing": 100.0}},
    }
    sc = base(
        100.0,
        profiles={"sun": "sun.csv"},
        heat={"file": "heat.csv", "annual_energy": {"z": 40.0 * H}, "boiler_cost": 1e5},
        technologies={"chp": chp, "pv": {"kind": "variable", "profile": "sun", "existing": 100.0}},
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"sun.csv": series(z=1.0), "heat.csv": series(z=1.0)}))
    g = ds.generation.sel(period=2025, zone="z", tech="chp")
    assert float(g.min()) == pytest.approx(80.0, rel=1e-6)
    assert float(g.max()) == pytest.approx(80.0, rel=1e-6)
    assert float(ds.heat_output.sel(tech="chp").mean()) == pytest.approx(40.0, rel=1e-6)
    assert float(ds.heat_boiler.max()) == pytest.approx(0.0, abs=1e-6)
    assert float(ds.curtailed_energy.sum()) == pytest.approx(80.0 * H, rel=1e-6)


def test_commitment_off_is_a_plain_capacity_limit(tmp_path: Path) -> None:
    """The same noon case without commitment: coal drops to 0 at noon, no curtailment."""
    sc = base(
        100.0,
        profiles={"sun": "sun.csv"},
        technologies={
            "coal": coal(commitment={"enabled": False}),
            "pv": {"kind": "variable", "profile": "sun", "existing": 100.0},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"sun.csv": series(z=NOON)}))
    assert float(ds.curtailed_energy.sum()) == pytest.approx(0.0, abs=1e-4)
    assert ds.attrs["objective"] == pytest.approx(19 * 100.0 * 365 * 300.0, rel=1e-7)


def test_partly_flexible_cluster_commits_flexible_units_first(tmp_path: Path) -> None:
    """100 MW kept committed, 40 MW of it flexibility-retrofitted (min 0.3, ramp 0.6 against 0.5, 0.2).
    Flexible units first: the cluster's minimum is 0.5*60 + 0.3*40 = 42 MW and its ramp
    0.2*60 + 0.6*40 = 36 MW/h, not 30 and 60 (all flexible) nor 50 and 20 (none). Load 50 MW
    (free sun of 50 MW at 06-10h) then 100 MW from 12h: coal 50, 42 (06-10h), 50 (11h, to ramp),
    86 (12h), 100, 86 (23h, to come down to 50), gas at 1000 CNY/MWh fills 14 MW at 12h and 23h."""
    flex = {"flexibility": {"capex": 0.0, "min_stable": 0.3, "ramp": 0.6, "existing": 40.0, "build_max": 0}}
    load = np.array([50.0] * 12 + [100.0] * 12)
    sun = np.array([0.0] * 6 + [1.0] * 5 + [0.0] * 13)
    sc = base(
        np.tile(load, 365),
        profiles={"sun": "sun.csv"},
        technologies={
            "coal": coal(retrofits=flex, commitment={"min_stable": 0.5, "ramp": 0.2, "startup_cost": 1e6}),
            "gas": {"kind": "thermal", "vom": 1000.0, "existing": 100.0},
            "pv": {"kind": "variable", "profile": "sun", "existing": 50.0},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"sun.csv": series(z=np.tile(sun, 365))}))
    day = ds.generation.sel(period=2025, zone="z").isel(time=slice(24, 48))
    want = [50.0] * 6 + [42.0] * 5 + [50.0, 86.0] + [100.0] * 10 + [86.0]
    np.testing.assert_allclose(day.sel(tech="coal").values, want, atol=1e-5)
    coal_mwh, gas_mwh = sum(want), 1800.0 - sum(want) - 5 * 8.0
    assert gas_mwh == pytest.approx(28.0)
    assert ds.attrs["objective"] == pytest.approx(365 * (coal_mwh * 300.0 + gas_mwh * 1000.0), rel=1e-7)
    assert float(ds.curtailed_energy.sum()) == pytest.approx(365 * 5 * 42.0, rel=1e-6)


def test_units_at_full_minimum_output_never_go_below_zero(tmp_path: Path) -> None:
    """min_stable 1 (out_min kept as the row th_gen >= th_commit, not the bound th_above >= 0, which
    would let th_commit = K - th_offline and the output go below 0, a sink that earns the fuel
    cost): load 50 MW, 100 MW of coal without start-up cost, 100 MW of sun 10:00-15:00. Coal runs
    at 50 MW committed 50 MW outside noon and at 0 at noon; sun covers the load there, 50 MW curtailed.
    Objective 50 MW * 19 h * 365 * 300 CNY/MWh."""
    sc = base(
        50.0,
        profiles={"sun": "sun.csv"},
        technologies={
            "coal": coal(commitment={"min_stable": 1.0, "ramp": 1.0, "startup_cost": 0.0}),
            "pv": {"kind": "variable", "profile": "sun", "existing": 100.0},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"sun.csv": series(z=NOON)}))
    g = ds.generation.sel(tech="coal").values.ravel()
    np.testing.assert_allclose(g, ds.commitment.sel(tech="coal").values.ravel(), atol=1e-6)
    np.testing.assert_allclose(g, np.where(NOON > 0, 0.0, 50.0), atol=1e-6)
    assert float(ds.curtailed_energy.sum()) == pytest.approx(50.0 * 5 * 365, rel=1e-6)
    assert ds.attrs["objective"] == pytest.approx(50.0 * 19 * 365 * 300.0, rel=1e-7)
