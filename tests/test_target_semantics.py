"""Plan targets mean what the plan says (issue 17): each loophole shown, and shown closed, on
small cases whose optimum is computed by hand in the docstrings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

import gridplan
from cases import base, daily, series, write_case
from gridplan.validate import check

H = 8760
DAY = [0.0] * 6 + [1.0] * 12 + [0.0] * 6  # sending-end solar: 06:00-18:00


def price(ds: xr.Dataset, label: str, period: int = 2025) -> float:
    return float(ds["target_shadow_price"].sel(target=label, period=period))


def achieved(ds: xr.Dataset, label: str, period: int = 2025) -> float:
    return float(ds["target_achieved"].sel(target=label, period=period))


# ----------------------------------------------------------------------------- carbon peak


def peak_case(targets: dict[str, Any]) -> dict[str, Any]:
    """2025 and 2030 (1 year each, no discounting); load 100 MW then 200 MW.

    clean 60 MW at 100 CNY/MWh, coal 300 MW at 200 CNY/MWh and 0.9 t/MWh, gas 300 MW at 400 and
    0.4 t/MWh, clean2 300 MW at 500 CNY/MWh. Without targets: clean 60 + coal 40 in 2025
    (36 MW x 8760 h of CO2 intensity 0.9 -> 36 * 8760 t) and clean 60 + coal 140 in 2030
    (126 * 8760 t): emissions rise."""
    sc = base(
        100.0,
        periods=[2025, 2030],
        period_years={2025: 1, 2030: 1},
        fuels={"coal": {"price": 1000.0, "co2": 4.5, "coal": True}, "gas": {"price": 2000.0, "co2": 2.0}},
        technologies={
            "clean": {"kind": "thermal", "vom": 100.0, "existing": 60.0},
            "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 200.0, "existing": 300.0},
            "gas": {"kind": "thermal", "fuel": "gas", "heat_rate": 200.0, "existing": 300.0},
            "clean2": {"kind": "thermal", "vom": 500.0, "existing": 300.0},
        },
        targets=targets,
    )
    sc["demand"] = {"file": "load.csv", "annual_energy": {2025: 100.0 * H, 2030: 200.0 * H}}
    return sc


def emissions(ds: xr.Dataset) -> list[float]:
    return [float(ds.emissions.sel(period=p)) / H for p in (2025, 2030)]


def test_carbon_peak_without_a_level_is_gamed_and_warned(tmp_path: Path) -> None:
    """No level, peak 2025: 2030 <= 2025 only. Coal instead of clean in 2025 costs 100 / 0.9 = 111
    CNY/t; each tonne more in 2030 saves (500 - 200) / 0.9 = 333 CNY/t (coal instead of clean2). So
    the optimum burns coal for all 100 MW in 2025: 90 t/h, +150% above the counterfactual's 36."""
    free = peak_case({})
    ds0 = gridplan.run(write_case(tmp_path / "none", free))
    assert emissions(ds0) == pytest.approx([36.0, 126.0], rel=1e-6)
    case = write_case(tmp_path / "peak", peak_case({"peak": {"kind": "co2_peak", "peak_year": 2025}}))
    ds = gridplan.run(case)
    assert emissions(ds) == pytest.approx([90.0, 90.0], rel=1e-6)  # 2025 raised from 36 to 90
    # 2025: 100 MW coal = 20,000 CNY/h; 2030: clean 60 + coal 100 + clean2 40 = 46,000 CNY/h
    assert ds.attrs["objective"] == pytest.approx(66_000.0 * H, rel=1e-7)
    assert float(ds["target_required"].sel(target="peak.no_rise", period=2030)) == pytest.approx(90.0 * H)
    warnings = [p for p in check(case) if not p.is_error]
    assert any("raising the peak" in p.message and p.field == "targets.peak" for p in warnings)


def test_carbon_peak_with_a_level_cannot_be_gamed(tmp_path: Path) -> None:
    """Level = the counterfactual's 2025 emissions (36 t/h): 2025 stays as without the target, and
    2030 keeps 36 t/h with coal 40 + clean2 100 (coal's 333 CNY/t beats gas's 250 CNY/t):
    14,000 + 64,000 CNY/h. No period emits more than the counterfactual."""
    level = 36.0 * H
    ds = gridplan.run(
        write_case(tmp_path, peak_case({"peak": {"kind": "co2_peak", "peak_year": 2025, "max": level}}))
    )
    e = emissions(ds)
    assert e == pytest.approx([36.0, 36.0], rel=1e-6)
    assert all(x <= c * (1 + 1e-9) for x, c in zip(e, [36.0, 126.0], strict=True))
    assert ds.attrs["objective"] == pytest.approx(78_000.0 * H, rel=1e-7)
    # the level and the no-rise rows are reported under their own labels
    assert float(ds["target_required"].sel(target="peak", period=2030)) == pytest.approx(level)
    assert float(ds["target_reference_period"].sel(target="peak.no_rise", period=2030)) == 2025


def test_carbon_peak_level_as_base_plus_growth_and_its_price(tmp_path: Path) -> None:
    """base_level 32 t/h + 25% growth = a level of 40 t/h, above the counterfactual's 2025 (36):
    the planner's level leaves room, so 2025 rises to it (coal 400/9 MW) and 2030 keeps 40 t/h
    (coal 400/9, clean2 860/9): 130,000/9 + 564,000/9 CNY/h. One more tonne of level costs 111 in
    2025 and saves 333 in 2030: the level rows' prices sum to 222.2 CNY/t, the objective's slope."""
    tg = {"kind": "co2_peak", "peak_year": 2025, "base_level": 32.0 * H, "max_growth": 0.25}
    ds = gridplan.run(write_case(tmp_path / "a", peak_case({"peak": tg})))
    assert emissions(ds) == pytest.approx([40.0, 40.0], rel=1e-6)
    assert ds.attrs["objective"] == pytest.approx(694_000.0 / 9 * H, rel=1e-7)
    up = gridplan.run(write_case(tmp_path / "b", peak_case({"peak": {**tg, "max_growth": 0.26}})))
    slope = (ds.attrs["objective"] - up.attrs["objective"]) / (0.01 * 32.0 * H)
    assert slope == pytest.approx(200.0 / 0.9, rel=1e-6)
    assert price(ds, "peak", 2025) + price(ds, "peak", 2030) == pytest.approx(slope, rel=1e-6)


def test_carbon_peak_level_checks(tmp_path: Path) -> None:
    both = {"kind": "co2_peak", "peak_year": 2025, "max": 1.0, "base_level": 1.0}
    errs = [p for p in check(write_case(tmp_path / "a", peak_case({"p": both}))) if p.is_error]
    assert [p.field for p in errs] == ["targets.p.base_level"]
    growth = {"kind": "co2_peak", "peak_year": 2025, "max_growth": 0.1}
    errs = [p for p in check(write_case(tmp_path / "b", peak_case({"p": growth}))) if p.is_error]
    assert [p.field for p in errs] == ["targets.p.max_growth"]


# ----------------------------------------------------------------------------- import channels


def channel_case(rule: dict[str, Any], b_profile: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Load 100 MW; local generation 1000 CNY/MWh. New channel A (30 MW) is all renewable at 300
    CNY/MWh; new channel B (50 MW) sells other energy at 200 and renewable energy at 400."""
    chans = {
        "a": {
            "zone": "z",
            "capacity": 30.0,
            "price": 300.0,
            "renewable_share": 1.0,
            "new": True,
            "renewable_profile": "re",
        },
        "b": {
            "zone": "z",
            "capacity": 50.0,
            "price": 200.0,
            "price_renewable": 400.0,
            "co2_intensity": 0.8,
            "new": True,
            "renewable_profile": b_profile or "re",
        },
    }
    sc = base(
        100.0,
        technologies={"local": {"kind": "thermal", "vom": 1000.0, "existing": 100.0}},
        imports=chans,
        profiles={"re": "re.csv", "day": "day.csv"},
        targets={"new": {"kind": "import_renewable_share", **rule}},
    )
    tables = {"re.csv": series(a=1.0, b=1.0), "day.csv": series(a=1.0, b=daily(DAY))}
    return sc, tables


def test_renewable_rule_holds_per_channel(tmp_path: Path) -> None:
    """Per channel: A is at 100%, which does not excuse B: B carries 25 renewable + 25 other
    (9,000 + 15,000 + 20,000 local = 44,000 CNY/h); B's rule binds at 200 CNY/MWh (one MWh of B
    moved from renewable to other saves 400 - 200 and moves the row by 1 MWh), A's is slack."""
    sc, tables = channel_case({"min": 0.5})
    ds = gridplan.run(write_case(tmp_path, sc, tables))
    assert achieved(ds, "new.a") == pytest.approx(1.0, rel=1e-9)
    assert achieved(ds, "new.b") == pytest.approx(0.5, rel=1e-9)
    assert price(ds, "new.b") == pytest.approx(200.0, rel=1e-6)
    assert price(ds, "new.a") == pytest.approx(0.0, abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx(44_000.0 * H, rel=1e-7)
    # perturbation: the share of B from 0.5 to 0.51 moves 0.01 * 50 MW from other to renewable
    sc2, _ = channel_case({"min": 0.51})
    up = gridplan.run(write_case(tmp_path / "up", sc2, tables))
    slope = (up.attrs["objective"] - ds.attrs["objective"]) / (0.01 * 50.0 * H)
    assert slope == pytest.approx(price(ds, "new.b"), rel=1e-6)


def test_pooled_form_lets_one_channel_excuse_another(tmp_path: Path) -> None:
    """Pooled (the old form, by name): (30 + re_B) >= 0.5 * 80, so B needs only 10 renewable:
    9,000 + 10 * 400 + 40 * 200 + 20,000 = 41,000 CNY/h."""
    sc, tables = channel_case({"min": 0.5, "pooled": True})
    ds = gridplan.run(write_case(tmp_path, sc, tables))
    assert achieved(ds, "new") == pytest.approx(0.5, rel=1e-9)
    assert float(ds.imports_renewable.sel(channel="b").mean()) == pytest.approx(10.0, rel=1e-6)
    assert ds.attrs["objective"] == pytest.approx(41_000.0 * H, rel=1e-7)


def test_sending_end_profile_forbids_renewable_import_at_night(tmp_path: Path) -> None:
    """B's sending end is solar (06:00-18:00). Renewable energy is B's 50 MW by day only, so B may
    carry at most as much other energy (50 MW at night): nothing renewable arrives at night."""
    sc, tables = channel_case({"min": 0.5}, b_profile="day")
    sc["imports"]["b"]["price_renewable"] = 150.0  # renewable cheaper: B wants it every hour
    ds = gridplan.run(write_case(tmp_path, sc, tables))
    re = ds.imports_renewable.sel(channel="b", period=2025).values.reshape(-1, 24)
    total = ds.imports.sel(channel="b", period=2025).values.reshape(-1, 24)
    night = np.array(DAY) == 0.0
    assert np.abs(re[:, night]).max() < 1e-6
    assert re[:, ~night] == pytest.approx(50.0, rel=1e-6)
    assert total[:, night] == pytest.approx(50.0, rel=1e-6)  # other energy at night
    assert achieved(ds, "new.b") == pytest.approx(0.5, rel=1e-9)
    # day: A 30 * 300 + B 50 * 150 + local 20 * 1000; night: A 9,000 + B 50 * 200 + 20,000
    assert ds.attrs["objective"] == pytest.approx((36_500.0 + 39_000.0) * 12 * 365, rel=1e-7)


def test_channel_emissions_count_only_when_the_case_says_so(tmp_path: Path) -> None:
    """B's other energy (25 MW at 0.8 t/MWh) adds 20 t/h to the case's emissions, unless
    counts_in_co2 is false."""
    sc, tables = channel_case({"min": 0.5})
    ds = gridplan.run(write_case(tmp_path / "a", sc, tables))
    assert float(ds.emissions.sel(period=2025)) == pytest.approx(20.0 * H, rel=1e-6)
    sc["imports"]["b"]["counts_in_co2"] = False
    ds = gridplan.run(write_case(tmp_path / "b", sc, tables))
    assert float(ds.emissions.sel(period=2025)) == pytest.approx(0.0, abs=1e-3)


# ----------------------------------------------------------------------------- primary energy


def primary_case(share: float) -> dict[str, Any]:
    """Load 100 MW (876,000 MWh/yr); coal at 300 gce/kWh and 500 CNY/tce (150 CNY/MWh), a
    non-fossil plant at 300 CNY/MWh. Stated total energy 1,000,000 tce/yr, other non-fossil
    50,000 tce/yr, coal equivalent 300 gce/kWh."""
    return base(
        100.0,
        fuels={"coal": {"price": 500.0, "co2": 2.66, "coal": True}},
        technologies={
            "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 300.0, "existing": 100.0},
            "clean": {"kind": "thermal", "vom": 300.0, "existing": 100.0},
        },
        targets={
            "nf": {
                "kind": "non_fossil_primary_share",
                "min": share,
                "total_energy": 1.0e6,
                "other_non_fossil": 5.0e4,
                "coal_equivalent": 300.0,
            }
        },
    )


def test_primary_energy_share_by_hand(tmp_path: Path) -> None:
    """20% of 1,000,000 tce = 200,000 tce of non-fossil energy; 50,000 come from outside power, so
    non-fossil power supplies 150,000 tce = 500,000 MWh at 0.3 tce/MWh. Cost 500,000 * 300 +
    376,000 * 150; shadow price (300 - 150) / 0.3 = 500 CNY/tce, checked by moving the share."""
    ds = gridplan.run(write_case(tmp_path / "a", primary_case(0.2)))
    clean = float((ds.generation.sel(tech="clean", period=2025) * ds.weight).sum())
    assert clean == pytest.approx(500_000.0, rel=1e-7)
    assert achieved(ds, "nf") == pytest.approx(0.2, rel=1e-9)
    assert ds.attrs["objective"] == pytest.approx(500_000 * 300.0 + 376_000 * 150.0, rel=1e-9)
    assert price(ds, "nf") == pytest.approx(500.0, rel=1e-6)
    assert str(ds["target_price_unit"].sel(target="nf").values) == "CNY/tce"
    up = gridplan.run(write_case(tmp_path / "b", primary_case(0.201)))
    slope = (up.attrs["objective"] - ds.attrs["objective"]) / (0.001 * 1.0e6)
    assert slope == pytest.approx(price(ds, "nf"), rel=1e-6)


def test_primary_energy_share_needs_total_energy(tmp_path: Path) -> None:
    sc = primary_case(0.2)
    del sc["targets"]["nf"]["total_energy"]
    errs = [p for p in check(write_case(tmp_path, sc)) if p.is_error]
    assert [p.field for p in errs] == ["targets.nf.total_energy"]


# ----------------------------------------------------------------------------- contracts


def contract_case(chan: dict[str, Any]) -> dict[str, Any]:
    """Load 100 MW from a local plant at 100 CNY/MWh or a 50 MW channel."""
    return base(
        100.0,
        technologies={"local": {"kind": "thermal", "vom": 100.0, "existing": 100.0}},
        imports={"c": {"zone": "z", "capacity": 50.0, **chan}},
    )


def monthly_energy(ds: xr.Dataset) -> np.ndarray:
    hours = np.repeat(np.arange(12), 24 * np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]))
    flow = ds.imports.sel(channel="c", period=2025).values
    return np.bincount(hours, weights=flow, minlength=12)


def test_take_or_pay_with_a_monthly_shape(tmp_path: Path) -> None:
    """A dear channel (300 CNY/MWh) with a take-or-pay minimum of 14,160 MWh, half due in January
    and half in February, delivers exactly 7,080 MWh in each and nothing after; the objective is
    the load at 100 CNY/MWh plus 200 CNY/MWh on the forced energy."""
    shape = [0.5, 0.5] + [0.0] * 10
    ds = gridplan.run(
        write_case(tmp_path, contract_case({"price": 300.0, "min_energy": 14_160.0, "monthly_shape": shape}))
    )
    assert monthly_energy(ds) == pytest.approx([7080.0, 7080.0] + [0.0] * 10, abs=1e-4)
    assert ds.attrs["objective"] == pytest.approx(100.0 * 100 * H + 200.0 * 14_160, rel=1e-9)


def test_contract_maximum_by_month(tmp_path: Path) -> None:
    """A cheap channel (50 CNY/MWh) capped at 87,600 MWh a year spread by days: each month takes
    87,600 * days / 365 (2,880 h at full 50 MW would otherwise be taken in any months)."""
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    shape = [float(d) / 365 for d in days]
    ds = gridplan.run(
        write_case(tmp_path, contract_case({"price": 50.0, "max_energy": 87_600.0, "monthly_shape": shape}))
    )
    assert monthly_energy(ds) == pytest.approx(87_600.0 * days / 365, rel=1e-7)


def test_month_weights_add_up_to_step_weights(tmp_path: Path) -> None:
    from gridplan.case import load_case
    from gridplan.timesteps import full_year, month_weights, representative_days

    sc = base(100.0, technologies={"g": {"kind": "thermal", "vom": 1.0, "existing": 100.0}})
    inputs = load_case(write_case(tmp_path, sc))
    for time in (full_year(), representative_days(inputs, 5, [])):
        wm = month_weights(time)
        assert wm.sum(axis=0) == pytest.approx(time.weight)
        assert wm.sum() == pytest.approx(H)
    assert month_weights(full_year())[0].sum() == 744.0  # January


def test_monthly_shape_must_add_up(tmp_path: Path) -> None:
    errs = [
        p
        for p in check(write_case(tmp_path, contract_case({"min_energy": 1.0, "monthly_shape": [0.5] * 12})))
        if p.is_error
    ]
    assert len(errs) == 1 and errs[0].field == "imports.c" and "12 shares" in errs[0].message
