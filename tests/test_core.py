"""Tiny systems whose optimum is computed by hand (issue 2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import gridplan
from cases import base, daily, series, write_case
from gridplan.results import write

H = 8760
COAL = {"coal": {"price": 1000.0, "co2": 2.66, "coal": True}}


def thermal(capex: float, fuel_cost: float, **kw: object) -> dict[str, object]:
    """A thermal candidate with a running cost of `fuel_cost` CNY/MWh (as variable O&M)."""
    return {"kind": "thermal", "capex": capex, "vom": fuel_cost, "lifetime": 1, "build_max": "inf", **kw}


def test_one_generator_one_load(tmp_path: Path) -> None:
    """Capacity = peak load; cost = capex + fom + fuel, exactly."""
    sc = base(
        100.0,
        fuels=COAL,
        technologies={
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300,
                "capex": 4000,
                "fom": 100,
                "lifetime": 30,
                "build_max": "inf",
            }
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    assert float(ds.capacity.sum()) == pytest.approx(100.0, rel=1e-7)
    expected = 4000 / 30 * 100e3 + 100 * 100e3 + 0.3 * 1000 * 100 * H
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)
    assert float(ds.emissions.sel(period=2025)) == pytest.approx(0.3 * 2.66 * 100 * H, rel=1e-7)
    assert float(ds.coal_use.sel(period=2025)) == pytest.approx(0.3 * 100 * H, rel=1e-7)


def test_screening_curve(tmp_path: Path) -> None:
    """Base load plant runs above the break-even hours, the peaker below them.

    base: 1000 CNY/kW-yr, 100 CNY/MWh; peaker: 400 CNY/kW-yr, 400 CNY/MWh ->
    break-even at (1000 - 400) * 1000 / (400 - 100) = 2000 h. Load: 60 MW always plus 40 MW
    for 6 h a day (2190 h > 2000 h: base) plus 20 MW for 3 h a day (1095 h < 2000 h: peaker)."""
    pattern = [60.0] * 12 + [100.0] * 6 + [120.0] * 3 + [60.0] * 3
    sc = base(daily(pattern), technologies={"base": thermal(1000, 100.0), "peaker": thermal(400, 400.0)})
    ds = gridplan.run(write_case(tmp_path, sc))
    cap = ds.capacity.sel(period=2025, zone="z").to_pandas()
    assert cap["base"] == pytest.approx(100.0, rel=1e-6)
    assert cap["peaker"] == pytest.approx(20.0, rel=1e-6)
    energy_base = (60 * 24 + 40 * 9) * 365
    energy_peak = 20 * 3 * 365
    expected = 1000 * 100e3 + 400 * 20e3 + 100 * energy_base + 400 * energy_peak
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)


def test_storage_arbitrage(tmp_path: Path) -> None:
    """Free night energy fills a 40 MWh store (44.4 MWh charged at 0.9) that delivers 36 MWh
    (at 0.9) by day, displacing 500 CNY/MWh energy."""
    night = np.array([1.0] * 12 + [0.0] * 12)
    sc = base(
        100.0,
        profiles={"cheap": "cheap.csv"},
        technologies={
            "cheap": {"kind": "variable", "profile": "cheap", "existing": 200},
            "dear": {"kind": "thermal", "vom": 500, "existing": 100},
        },
        storage={"bat": {"existing": 10, "existing_duration": 4, "eff_charge": 0.9, "eff_discharge": 0.9}},
    )
    ds = gridplan.run(write_case(tmp_path, sc, {"cheap.csv": series(z=np.tile(night, 365))}))
    day_energy = 100 * 12 - 40 * 0.9  # MWh of dear energy per day
    assert ds.attrs["objective"] == pytest.approx(500 * day_energy * 365, rel=1e-7)
    by_day = ds.storage_discharge.where(ds.hour_of_year % 24 >= 12)  # night cycling is free
    assert float((by_day * ds.weight).sum()) == pytest.approx(36 * 365, rel=1e-6)


def test_storage_investment_pays_at_known_spread(tmp_path: Path) -> None:
    """Energy capacity is built iff its annualised cost is below the spread it earns.

    Spread 500 CNY/MWh, RTE 1, one cycle a day: 1 kWh of storage earns 0.5 * 365 = 182.5
    CNY/yr. Priced at 180 CNY/kWh-yr it shifts all 1200 MWh of day load; at 185 nothing."""
    night = np.tile(np.array([1.0] * 12 + [0.0] * 12), 365)
    for price, built in ((180.0, 1200.0), (185.0, 0.0)):
        sc = base(
            100.0,
            profiles={"cheap": "cheap.csv"},
            technologies={
                "cheap": {"kind": "variable", "profile": "cheap", "existing": 1000},
                "dear": {"kind": "thermal", "vom": 500, "existing": 200},
            },
            storage={
                "bat": {
                    "capex_energy": price,
                    "capex_power": 0,
                    "lifetime": 1,
                    "build_max": "inf",
                    "eff_charge": 1.0,
                    "eff_discharge": 1.0,
                }
            },
        )
        ds = gridplan.run(write_case(tmp_path / str(price), sc, {"cheap.csv": series(z=night)}))
        assert float(ds.storage_energy.sum()) == pytest.approx(built, abs=1e-4)


def test_link_carries_deficit(tmp_path: Path) -> None:
    """Zone b has no generation: the link sends load / (1 - loss); b's price is a's / (1 - loss)."""
    sc = base(
        zones=("a", "b"),
        technologies={"gen": {"kind": "thermal", "vom": 100, "existing": {"a": 500}}},
        links={"ab": {"from": "a", "to": "b", "capacity": 1000, "loss": 0.05}},
    )
    sc["_load"] = {"a": 50.0, "b": 100.0}
    ds = gridplan.run(write_case(tmp_path, sc))
    flow = ds.link_flow.sel(period=2025, link="ab")
    assert float(flow.min()) == pytest.approx(100 / 0.95, rel=1e-7)
    assert float(flow.max()) == pytest.approx(100 / 0.95, rel=1e-7)
    assert float(ds.price.sel(zone="b").mean()) == pytest.approx(100 / 0.95, rel=1e-6)
    assert float(ds.price.sel(zone="a").mean()) == pytest.approx(100, rel=1e-6)


def test_capacity_reused_in_later_period(tmp_path: Path) -> None:
    """Built in 2025 with a 30-year life: no new build in 2030; with a 3-year life, rebuilt."""
    for life, new_2030 in ((30, 0.0), (3, 100.0)):
        sc = base(
            100.0,
            periods=[2025, 2030],
            period_years={2025: 5, 2030: 5},
            technologies={
                "gen": {"kind": "thermal", "capex": 1000, "vom": 10, "lifetime": life, "build_max": "inf"}
            },
        )
        ds = gridplan.run(write_case(tmp_path / str(life), sc))
        new = ds.capacity_new.sel(zone="z", tech="gen")
        assert float(new.sel(period=2025)) == pytest.approx(100.0, rel=1e-7)
        assert float(new.sel(period=2030)) == pytest.approx(new_2030, abs=1e-6)
        assert float(ds.capacity.sel(zone="z", tech="gen", period=2030)) == pytest.approx(100.0)
        annuity = 1000 / life * 100e3  # r = 0
        years_paid = min(life, 10) if life == 30 else 10  # paid each year the capacity serves
        expected = annuity * years_paid + 10 * 100 * H * 10
        assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)


def balance_residual(ds: xr.Dataset) -> float:
    """Max |supply - load| over zones and hours, re-derived from the results alone."""
    supply = ds.generation.sum("tech") + ds.unserved
    supply = supply + ds.storage_discharge.sum("storage") - ds.storage_charge.sum("storage")
    supply = supply + ds.dr_reduction.sum("dr") - ds.dr_payback.sum("dr")
    for z in ds.zone.values:
        imp = ds.imports.where(ds.channel_zone == z).sum("channel")
        supply.loc[{"zone": z}] = supply.sel(zone=z) + imp
    sent = ds.link_sent_forward
    back = ds.link_sent_backward
    loss = xr.DataArray(
        [gridplan_loss(ds, ln) for ln in ds.link.values], dims="link", coords={"link": ds.link.values}
    )
    for ln in ds.link.values:
        a, b = str(ds.link_from.sel(link=ln).values), str(ds.link_to.sel(link=ln).values)
        f, r, lo = sent.sel(link=ln), back.sel(link=ln), float(loss.sel(link=ln))
        supply.loc[{"zone": a}] = supply.sel(zone=a) - f + (1 - lo) * r
        supply.loc[{"zone": b}] = supply.sel(zone=b) + (1 - lo) * f - r
    return float(abs(supply - ds.demand).max())


def gridplan_loss(ds: xr.Dataset, link: str) -> float:
    import json

    return float(json.loads(ds.attrs["scenario_yaml"])["links"][link]["loss"])


def test_energy_balance_from_results_file(tmp_path: Path) -> None:
    """A two-zone case with solar, storage, a link and DR: the balance closes in every hour."""
    sun = np.tile(np.clip(np.sin(np.linspace(0, 2 * np.pi, 24)), 0, None), 365)
    sc = base(
        zones=("a", "b"),
        profiles={"solar": "solar.csv"},
        technologies={
            "pv": {"kind": "variable", "profile": "solar", "capex": 2000, "lifetime": 25, "build_max": "inf"},
            "gas": {"kind": "thermal", "vom": 600, "capex": 3000, "lifetime": 30, "build_max": "inf"},
        },
        storage={"bat": {"capex_power": 500, "capex_energy": 800, "lifetime": 15, "build_max": "inf"}},
        links={"ab": {"from": "a", "to": "b", "capacity": 30, "loss": 0.03}},
        demand_response={
            "ind": {"potential": {"b": 10}, "fixed_cost": 50, "dispatch_cost": 2000, "max_hours": 200}
        },
        time={"mode": "representative_days", "days": 6},
    )
    sc["_load"] = {"a": daily([60.0] * 18 + [90.0] * 6), "b": daily([40.0] * 18 + [70.0] * 6)}
    d = write_case(tmp_path, sc, {"solar.csv": series(a=sun, b=0.8 * sun)})
    path = write(gridplan.run(d), tmp_path / "out" / "results.nc")
    with xr.open_dataset(path) as ds:
        assert balance_residual(ds) < 1e-4
        assert ds.price.attrs["units"] == "CNY/MWh"
        assert float(ds.weight.sum()) == pytest.approx(8760)
