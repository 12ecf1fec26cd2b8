"""Operating reserves (旋转备用, issue 22): requirements, providers and prices on systems computed
by hand. Unless a test says otherwise: one zone, 100 MW of flat load, 200 MW of free solar that
could serve it alone (flat profile 1.0), and 100 MW of coal at 300 gce/kWh x 1000 CNY/tce = 300
CNY/MWh with commitment (min_stable 0.5, ramp 1, no start-up cost), on one representative day
standing for the year (8,760 h). The objective is then 300 CNY/MWh x coal output x 8,760 h."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

import gridplan
from cases import base, daily, series, write_case
from gridplan.case import load_case
from gridplan.errors import InputError
from gridplan.lp.build import build
from gridplan.solve import solve
from gridplan.timesteps import select

H = 8760
COAL = 300.0  # CNY/MWh


def coal(**commitment: Any) -> dict[str, Any]:
    c = {"min_stable": 0.5, "ramp": 1.0}
    c.update(commitment)
    return {"kind": "thermal", "fuel": "coal", "heat_rate": 300.0, "existing": 100.0, "commitment": c}


def case(
    folder: Path,
    reserves: dict[str, Any],
    load: float | np.ndarray = 100.0,
    days: int = 1,
    technologies: dict[str, Any] | None = None,
    sun: float | np.ndarray = 1.0,
    tables: dict[str, Any] | None = None,
    **kw: Any,
) -> Path:
    """The module's system (its docstring) with `reserves`, on `days` representative days."""
    sc = base(
        load,
        fuels={"coal": {"price": 1000.0}},
        profiles={"sun": "sun.csv"},
        technologies={
            "coal": coal(),
            "pv": {"kind": "variable", "profile": "sun", "existing": 200.0},
            **(technologies or {}),
        },
        reserves=reserves,
        time={"mode": "representative_days", "days": days},
        **kw,
    )
    profiles = {"sun.csv": series(**dict.fromkeys(sc["zones"], sun))}
    return write_case(folder, sc, {**profiles, **(tables or {})})


def run(folder: Path, reserves: dict[str, Any], **kw: Any) -> xr.Dataset:
    return gridplan.run(case(folder, reserves, **kw))


def spin(**kw: Any) -> dict[str, Any]:
    return {"spin": {"name_zh": "旋转备用", **kw}}


def test_spinning_reserve_forces_coal_commitment(tmp_path: Path) -> None:
    """Solar alone serves the load at zero cost. A requirement of 10% of load (10 MW) can only be
    held by committed coal: headroom u - g >= 10 with g >= 0.5 u, cheapest at u = 20 MW, g = 10 MW
    (solar curtailed by 10 MW): 10 MW x 300 CNY/MWh x 8,760 h = 26,280,000 CNY. The price of one
    more MW of reserve is 2 MW more committed at 0.5 output, 1 MWh of coal an hour: 300 CNY/MW-h,
    in every step; the requirement valued at it is 10 MW x 300 x 8,760 = 26,280,000 CNY/yr."""
    assert run(tmp_path / "none", {}).attrs["objective"] == pytest.approx(0.0, abs=1e-3)
    ds = run(tmp_path / "ten", spin(load_share=0.10))
    assert ds.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-9)
    assert float(ds.commitment.sel(tech="coal").mean()) == pytest.approx(20.0, rel=1e-7)
    assert float(ds.generation.sel(tech="coal").mean()) == pytest.approx(10.0, rel=1e-7)
    req = ds.reserve_requirement.sel(reserve="spin", area="system", period=2025)
    assert np.allclose(req.values, 10.0)
    assert np.allclose(ds.reserve_price.sel(reserve="spin", area="system").values, 300.0, rtol=1e-7)
    assert ds.reserve_price.attrs["units"] == "CNY/MW-h"
    assert float(ds.reserve_cost.sel(reserve="spin", period=2025)) == pytest.approx(26_280_000.0, rel=1e-7)
    held = ds.reserve_available.sel(reserve="spin", period=2025).sum(("zone", "reserve_provider"))
    assert np.allclose(held.values, 10.0)
    assert float(ds.reserve_shortfall.sum()) == pytest.approx(0.0, abs=1e-6)


def test_reserve_price_is_the_marginal_cost(tmp_path: Path) -> None:
    """Perturbing the share from 0.10 to 0.11 raises the requirement by 1 MW in all 8,760 h and the
    cost by 2,628,000 CNY: 2,628,000 / 8,760 MW-h = 300 CNY/MW-h, the price of the base run."""
    a = run(tmp_path / "a", spin(load_share=0.10))
    b = run(tmp_path / "b", spin(load_share=0.11))
    delta = b.attrs["objective"] - a.attrs["objective"]
    assert delta == pytest.approx(2_628_000.0, rel=1e-7)
    w = a.weight.values
    price = a.reserve_price.sel(reserve="spin", area="system", period=2025).values
    assert delta / (1.0 * w.sum()) == pytest.approx(float((price * w).sum() / w.sum()), rel=1e-7)


def test_requirement_cannot_be_dodged_by_shedding_load(tmp_path: Path) -> None:
    """The requirement is 10% of the load input, not of the load served. Interruptible load at
    1 CNY/MWh (100 MW) could otherwise shed the whole load for 100 x 8,760 x 1 = 876,000 CNY and
    need no reserve; here shedding buys nothing (only coal may hold reserve) and the cost stays
    26,280,000 CNY with no load shed."""
    dr = {"shed": {"mode": "shed", "existing": 100.0, "potential": 100.0, "dispatch_cost": 1.0}}
    ds = run(tmp_path, spin(load_share=0.10, providers=["coal"]), demand_response=dr)
    assert ds.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-9)
    assert float(ds.dr_reduction.sum()) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    ("basis", "coal_mw"),
    [("available", 20.0), ("output", 15.0 / 1.05)],
)
def test_wind_and_solar_share(tmp_path: Path, basis: str, coal_mw: float) -> None:
    """variable_share 0.05 on top of 10% of load. Available basis: 5% of the 200 MW of solar
    available, 10 + 10 = 20 MW, held by coal at u = 40, g = 20: 20 x 300 x 8,760 = 52,560,000 CNY;
    curtailing solar does not lower it. Output basis: 5% of solar output 100 - g, so
    0.5 u = u - g >= 10 + 0.05 (100 - g) with u = 2 g: g = 15 / 1.05 = 14.2857 MW,
    37,542,857 CNY (a planner using `output` accepts that curtailed solar needs no reserve)."""
    ds = run(tmp_path, spin(load_share=0.10, variable_share=0.05, variable_basis=basis))
    assert ds.attrs["objective"] == pytest.approx(coal_mw * COAL * H, rel=1e-8)
    req = ds.reserve_requirement.sel(reserve="spin", area="system", period=2025)
    assert np.allclose(req.values, 2 * coal_mw - coal_mw, rtol=1e-7)  # headroom u - g = g


def test_peak_load_basis(tmp_path: Path) -> None:
    """load_basis peak: 10% of the annual peak (load 100 MW for 12 h and 60 MW for 12 h a day),
    10 MW in every hour: coal at 10 MW all day, 26,280,000 CNY; on the step load it would be
    10 MW for 12 h and 6 MW for 12 h: (10 + 6) x 12 x 365 x 300 = 21,024,000 CNY."""
    load = daily([100.0] * 12 + [60.0] * 12)
    peak = run(tmp_path / "peak", spin(load_share=0.10, load_basis="peak"), load=load)
    step = run(tmp_path / "step", spin(load_share=0.10), load=load)
    assert peak.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-8)
    assert step.attrs["objective"] == pytest.approx(21_024_000.0, rel=1e-8)


def battery(**kw: Any) -> dict[str, Any]:
    b = {"existing": 50.0, "existing_duration": 0.2, "eff_charge": 1.0, "eff_discharge": 1.0}
    b.update(kw)
    return {"battery": b}


@pytest.mark.parametrize(("duration", "coal_mw"), [(1.0, 20.0), (0.5, 10.0), (0.2, 0.0)])
def test_storage_reserve_limited_by_state_of_charge(tmp_path: Path, duration: float, coal_mw: float) -> None:
    """A 50 MW / 10 MWh battery (lossless) and a requirement of 30 MW. Its power (50 MW) could hold
    it all, but reserve must last `duration` hours from the energy stored: r x d <= 10 MWh. d = 1 h:
    the battery holds 10 MW and coal 20 MW (u = 40, g = 20): 20 x 300 x 8,760 = 52,560,000 CNY;
    d = 0.5 h: 20 MW and 10 MW of coal, 26,280,000 CNY; d = 0.2 h: all 30 MW, 0 CNY. What it could
    hold (reserve_available) is 10 MWh / d where coal is needed (10 and 20 MW), else at least 30 MW
    (its state of charge is then free between 6 and 10 MWh)."""
    ds = run(tmp_path, spin(load_share=0.30, duration=duration), storage=battery())
    assert ds.attrs["objective"] == pytest.approx(coal_mw * COAL * H, rel=1e-8, abs=1e-3)
    sto = ds.reserve_available.sel(reserve="spin", reserve_provider="battery").sum("zone")
    assert (sto.values >= 30.0 - coal_mw - 1e-6).all()
    if coal_mw:  # full, and all of it needed: it could hold exactly 10 MWh / d
        assert np.allclose(sto.values, 10.0 / duration, rtol=1e-7)
        assert np.allclose(ds.reserve_price.sel(area="system").values, 300.0, rtol=1e-7)


def test_linked_storage_on_typical_days(tmp_path: Path) -> None:
    """The same 50 MW / 10 MWh battery with its state linked across two representative days
    (soc relative to each day's start, the absolute state soc_inter + soc): it stays full, so it
    holds 10 MW in every hour as in the cyclic case: 52,560,000 CNY. Counting the relative soc
    alone, the battery would have to empty overnight and recharge in the first hour of each day,
    holding nothing then: 10 MW more of coal for 365 h, 53,655,000 CNY."""
    sun = np.where(np.arange(H) < H // 2, 1.0, 0.9)  # two kinds of day
    ds = run(tmp_path, spin(load_share=0.30), storage=battery(linking="linked"), days=2, sun=sun)
    assert ds.sizes["time"] == 48
    assert ds.attrs["objective"] == pytest.approx(52_560_000.0, rel=1e-8)
    sto = ds.reserve_available.sel(reserve="spin", reserve_provider="battery").sum("zone")
    assert np.allclose(sto.values, 10.0, rtol=1e-7)


def test_ramp_limits_thermal_reserve(tmp_path: Path) -> None:
    """Reserve delivered within 15 min (response_time 0.25 h) by coal ramping 0.5 of committed
    capacity an hour: r <= 0.5 x 0.25 u = 0.125 u. 10 MW needs u = 80 MW, run at g = 40 MW:
    40 x 300 x 8,760 = 105,120,000 CNY; the price is 8 MW committed at half load per MW,
    1,200 CNY/MW-h. With response_time 1 h the ramp (0.5 u) never binds before the headroom."""
    tech = {"coal": coal(ramp=0.5)}
    ds = run(tmp_path / "fast", spin(load_share=0.10, response_time=0.25), technologies=tech)
    assert ds.attrs["objective"] == pytest.approx(105_120_000.0, rel=1e-8)
    assert np.allclose(ds.reserve_price.sel(area="system").values, 1200.0, rtol=1e-7)
    slow = run(tmp_path / "slow", spin(load_share=0.10), technologies=tech)
    assert slow.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-8)


def test_down_reserve(tmp_path: Path) -> None:
    """10 MW of down reserve: coal output above its minimum, g - 0.5 u >= 10 with g <= u, cheapest
    at u = g = 20 MW: 52,560,000 CNY, price 600 CNY/MW-h (2 MW more output per MW). Solar named as
    a provider can lower its 100 MW of output instead: 0 CNY."""
    ds = run(tmp_path / "coal", spin(direction="down", load_share=0.10))
    assert ds.attrs["objective"] == pytest.approx(52_560_000.0, rel=1e-8)
    assert np.allclose(ds.reserve_price.sel(area="system").values, 600.0, rtol=1e-7)
    pv = run(tmp_path / "pv", spin(direction="down", load_share=0.10, providers=["coal", "pv"]))
    assert pv.attrs["objective"] == pytest.approx(0.0, abs=1e-3)


def test_down_reserve_of_partly_flexible_coal(tmp_path: Path) -> None:
    """5 MW of the coal is flexibility-retrofitted (min 0.3), committed first: the committed stack's
    minimum is max(0.3 u, 0.5 u - 0.2 x 5) (out_min, out_min_stack). At full output the down reserve
    is u - 0.5 u + 1 >= 10: u = g = 18 MW, 18 x 300 x 8,760 = 47,304,000 CNY (with the flexible
    minimum alone it would be 0.7 u >= 10, u = 14.29 MW)."""
    flex = {"flexibility": {"capex": 0.0, "min_stable": 0.3, "existing": 5.0, "build_max": 0.0}}
    ds = run(
        tmp_path,
        spin(direction="down", load_share=0.10),
        technologies={"coal": {**coal(), "retrofits": flex}},
    )
    assert ds.attrs["objective"] == pytest.approx(47_304_000.0, rel=1e-8)


def test_zonal_requirement_needs_local_providers(tmp_path: Path) -> None:
    """Two zones of 50 MW each, coal only in a, solar in both, a 100 MW link. System-wide 10%:
    coal holds 10 MW, 26,280,000 CNY. Per zone: a's 5 MW from coal (u = 10, g = 5: 13,140,000 CNY)
    and b's 5 MW short at 1,000 CNY/MW-h: 5 x 1,000 x 8,760 = 43,800,000 CNY; b's price is the
    shortfall cost, a's the coal's 300 CNY/MW-h."""
    two = {
        "zones": ("a", "b"),
        "links": {"ab": {"from": "a", "to": "b", "capacity": 100.0}},
        "technologies": {
            "coal": {**coal(), "existing": {"a": 100.0}},
            "pv": {"kind": "variable", "profile": "sun", "existing": 100.0},
        },
    }
    system = run(tmp_path / "sys", spin(load_share=0.10, shortfall_cost=1000.0), load=50.0, **two)
    assert system.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-8)
    zonal = run(
        tmp_path / "zone", spin(load_share=0.10, scope="zone", shortfall_cost=1000.0), load=50.0, **two
    )
    assert zonal.attrs["objective"] == pytest.approx(13_140_000.0 + 43_800_000.0, rel=1e-8)
    price = zonal.reserve_price.sel(reserve="spin", period=2025)
    assert np.allclose(price.sel(area="a").values, 300.0, rtol=1e-7)
    assert np.allclose(price.sel(area="b").values, 1000.0, rtol=1e-7)
    assert np.isnan(price.sel(area="system").values).all()
    assert np.allclose(zonal.reserve_shortfall.sel(area="b").values, 5.0, rtol=1e-7)
    assert float(zonal.cost_annual.sel(component="reserve_shortfall", period=2025)) == pytest.approx(
        43_800_000.0
    )


def test_demand_response_holds_reserve_within_its_load(tmp_path: Path) -> None:
    """Demand response holds up reserve with its capacity not called. 5 MW acting on the whole
    load holds 5 of 10 MW: coal 5 MW, 13,140,000 CNY. Acting on EV charging of 2 MW (a demand
    component; base load 98 MW, total 100) it can hold only the 2 MW it could shed
    (reserve_dr_load): coal 8 MW, 21,024,000 CNY."""
    dr = {"dr": {"mode": "shed", "existing": 5.0, "potential": 5.0}}
    whole = run(tmp_path / "whole", spin(load_share=0.10), demand_response=dr)
    assert whole.attrs["objective"] == pytest.approx(13_140_000.0, rel=1e-8)
    ev = {"dr": {**dr["dr"], "acts_on": "ev"}}
    demand = {"file": "load.csv", "components": {"ev": {"file": "ev.csv", "annual_energy": 2.0 * H}}}
    ds = run(
        tmp_path / "ev",
        spin(load_share=0.10),
        load=98.0,
        demand_response=ev,
        demand=demand,
        tables={"ev.csv": series(z=1.0)},
    )
    assert float(ds.demand.mean()) == pytest.approx(100.0, rel=1e-9)
    assert ds.attrs["objective"] == pytest.approx(21_024_000.0, rel=1e-8)


def test_default_and_named_providers(tmp_path: Path) -> None:
    """An idle 200 MW gas plant without commitment at 500 CNY/MWh is not spinning and holds no
    reserve by default: coal does, 26,280,000 CNY. Named as a provider its headroom counts (as if
    always online): 0 CNY. Hydro (20 MW, daily inflow of 0.5) holds reserve by default: 0 CNY."""
    gas = {"gas": {"kind": "thermal", "vom": 500.0, "existing": 200.0}}
    default = run(tmp_path / "default", spin(load_share=0.10), technologies=gas)
    assert default.attrs["objective"] == pytest.approx(26_280_000.0, rel=1e-8)
    named = run(tmp_path / "named", spin(load_share=0.10, providers=["gas"]), technologies=gas)
    assert named.attrs["objective"] == pytest.approx(0.0, abs=1e-3)
    hydro = {"hydro": {"kind": "hydro", "profile": "sun", "existing": 20.0}}
    with_hydro = run(tmp_path / "hydro", spin(load_share=0.10), technologies=hydro)
    assert with_hydro.attrs["objective"] == pytest.approx(0.0, abs=1e-3)


def lp_size(folder: Path) -> tuple[int, int, float]:
    inputs = load_case(folder)
    m, _ = build(inputs, select(inputs))
    sol = solve(m, inputs.scenario.solver)
    return int(sol.stats["rows"]), int(sol.stats["columns"]), sol.objective


def test_absent_reserves_leave_the_lp_unchanged(tmp_path: Path) -> None:
    """No section, a disabled requirement and one with zero shares build the same LP; a 10%
    requirement adds one row and one shortfall column per step (24) and no provision variable
    (coal's single limit is its headroom)."""
    sizes = [
        lp_size(case(tmp_path / name, r))
        for name, r in (
            ("none", {}),
            ("disabled", spin(load_share=0.1, enabled=False)),
            ("zero", spin(load_share=0.0)),
        )
    ]
    assert sizes[0] == sizes[1] == sizes[2]
    rows, cols, _ = lp_size(case(tmp_path / "ten", spin(load_share=0.1)))
    assert (rows - sizes[0][0], cols - sizes[0][1]) == (24, 24)


def test_input_errors_name_the_field(tmp_path: Path) -> None:
    """Unknown providers and zones, import channels or demand response where they cannot hold
    reserve, and shares above 1 are errors naming the field."""
    bad = {
        "up": {"load_share": 3.0, "providers": ["coal", "nuke"], "zones": ["zz"]},
        "down": {"direction": "down", "load_share": 0.05, "providers": ["dr"]},
    }
    dr = {"dr": {"mode": "shed", "existing": 5.0, "potential": 5.0}}
    with pytest.raises(InputError) as e:
        load_case(case(tmp_path, bad, demand_response=dr))
    text = str(e.value)
    assert "reserves.up.load_share" in text and "at most 1" in text
    assert "reserves.up.providers.1" in text and "'nuke' is not defined" in text
    assert "reserves.up.zones.0" in text
    assert "reserves.down.providers.0" in text and "up reserve only" in text


def test_down_reserve_of_chp_is_kept_up_by_heat(tmp_path: Path) -> None:
    """All 100 MW of coal is CHP (heat_ratio_max 0.8, power_loss 0.15) serving 40 MW_th of heat
    (boilers prohibitive): output g >= 40 / 0.8 = 50 MW, fuel on g + 0.15 x 40 = g + 6. Without
    reserve g = 50: 56 x 300 x 8,760 = 147,168,000 CNY. 10 MW of down reserve must leave the heat
    served after lowering output (reserve_chp: 0.8 (g - r) >= 40), so g = 60 MW:
    66 x 300 x 8,760 = 173,448,000 CNY (its minimum, g - 0.5 u >= 10, alone would allow g = 50)."""
    heating = {"heating": {"capex": 0.0, "heat_ratio_max": 0.8, "existing": 100.0, "build_max": 0.0}}
    kw: dict[str, Any] = {
        "technologies": {"coal": {**coal(), "retrofits": heating}},
        "heat": {"file": "heat.csv", "annual_energy": 40.0 * H, "boiler_cost": 1e4},
        "tables": {"heat.csv": series(z=1.0)},
    }
    none = run(tmp_path / "none", {}, **kw)
    assert none.attrs["objective"] == pytest.approx(147_168_000.0, rel=1e-8)
    down = run(tmp_path / "down", spin(direction="down", load_share=0.10), **kw)
    assert down.attrs["objective"] == pytest.approx(173_448_000.0, rel=1e-8)
