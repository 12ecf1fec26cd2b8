"""Typical periods (tsam), storage linked across them, and expansion back to 8760 h (issue 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import gridplan
from cases import base, daily, series, write_case
from gridplan.case import load_case
from gridplan.errors import InputError
from gridplan.lp.build import build
from gridplan.solve import solve
from gridplan.timesteps import (
    expand_to_year,
    hour_to_step,
    linked_soc_year,
    on_steps,
    period_hours,
    select,
    tsam_periods,
)

H = 8760
SUNNY_DAYS = 182  # days 0..181 sunny, 182..364 dark
NOON = np.array([0.0] * 12 + [1.0] + [0.0] * 11)


def sun() -> np.ndarray:
    """Solar availability 1.0 at 12:00 on the first 182 days, 0 otherwise."""
    return np.concatenate([np.tile(NOON, SUNNY_DAYS), np.zeros(24 * (365 - SUNNY_DAYS))])


def seasonal(tmp: Path, linking: str, time: dict[str, Any], eff: float, duration: float) -> Path:
    """Flat 10 MW load; 480 MW of free solar; 'dear' at 500 CNY/MWh; 500 MW of existing storage."""
    sc = base(
        10.0,
        profiles={"solar": "solar.csv"},
        time=time,
        technologies={
            "pv": {"kind": "variable", "profile": "solar", "existing": 480},
            "dear": {"kind": "thermal", "vom": 500, "existing": 10},
        },
        storage={
            "store": {
                "existing": 500,
                "existing_duration": duration,
                "eff_charge": eff,
                "eff_discharge": eff,
                "linking": linking,
            }
        },
    )
    return write_case(tmp, sc, {"solar.csv": series(z=sun())})


TWO_DAYS = {"mode": "tsam", "days": 2, "hours_per_period": 24}


def test_linked_storage_carries_sun_into_the_dark_season(tmp_path: Path) -> None:
    """Every MWh of solar beyond the 10 MW used at noon goes through storage (RTE 0.81):
    linked: dear = 365*240 - 182*(10 + 470*0.81) = 16 492.6 MWh -> 8 246 300 CNY, as at full year;
    cyclic: each day closes its own balance, the 183 dark days burn dear: 183*240*500 = 21 960 000 CNY."""
    linked = 500 * (365 * 240 - SUNNY_DAYS * (10 + 470 * 0.81))
    cyclic = 500 * 183 * 240
    ds = gridplan.run(seasonal(tmp_path / "l", "linked", TWO_DAYS, 0.9, 100))
    assert ds.sizes["time"] == 48
    assert sorted(ds.weight.values[::24]) == [182, 183]
    assert ds.attrs["objective"] == pytest.approx(linked, rel=1e-7)
    assert gridplan.run(seasonal(tmp_path / "c", "cyclic", TWO_DAYS, 0.9, 100)).attrs[
        "objective"
    ] == pytest.approx(cyclic, rel=1e-7)
    full = gridplan.run(seasonal(tmp_path / "f", "linked", {"mode": "full_year"}, 0.9, 100))
    assert full.attrs["objective"] == pytest.approx(linked, rel=1e-7)


def test_linked_bounds_hold_in_every_original_day(tmp_path: Path) -> None:
    """Lossless storage of 20 000 MWh: it fills by noon of the last sunny day, 10 MW a night
    hour drains it. Storage carries 20 000 - 110 MWh into the dark season (11 evening hours
    of the last sunny day) and the first morning (120 MWh) burns dear:
    dear = 120 + 183*240 - 19 890 = 24 150 MWh -> 12 075 000 CNY, as at full year; the state
    of charge stays within [0, 20 000] MWh in every hour of the year and reaches both ends."""
    expected = 500 * (120 + 183 * 240 - (20000 - 110))
    ds = gridplan.run(seasonal(tmp_path / "l", "linked", TWO_DAYS, 1.0, 40))
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)
    full = gridplan.run(seasonal(tmp_path / "f", "linked", {"mode": "full_year"}, 1.0, 40))
    assert full.attrs["objective"] == pytest.approx(expected, rel=1e-7)
    soc = ds.storage_soc_year.sel(storage="store", zone="z", period=2025).values
    assert soc.shape == (H,)
    assert soc.min() >= -1e-6 and soc.max() <= 20000 + 1e-6
    assert soc.max() == pytest.approx(20000, abs=1e-4)
    assert soc.min() == pytest.approx(0, abs=1e-4)
    cyc = gridplan.run(seasonal(tmp_path / "c", "cyclic", TWO_DAYS, 1.0, 40))
    assert cyc.attrs["objective"] == pytest.approx(500 * 183 * 240, rel=1e-7)


def test_weeks_with_a_partial_last_period(tmp_path: Path) -> None:
    """52 weeks + 1 day: the last day is a period of 24 h counted as 1/7 of its week. The sunny
    half is 26 weeks, the dark half 26 weeks + the last day (26 1/7 weeks): the linked optimum is
    the one of test_linked_storage_carries_sun_into_the_dark_season."""
    weeks = {"mode": "tsam", "days": 2, "hours_per_period": 168}
    path = seasonal(tmp_path, "linked", weeks, 0.9, 100)
    time = select(load_case(path))
    assert time.block_len == 168 and len(time.order) == 53
    assert list(period_hours(time)[-2:]) == [168, 24]
    assert float(time.weight.sum()) == pytest.approx(H)
    assert sorted(time.weight[::168]) == pytest.approx([26, 26 + 1 / 7])
    assert time.order[52] == time.order[51] != time.order[0]
    ds = gridplan.run(path)
    assert ds.attrs["objective"] == pytest.approx(
        500 * (365 * 240 - SUNNY_DAYS * (10 + 470 * 0.81)), rel=1e-7
    )
    soc = ds.storage_soc_year.sel(storage="store", zone="z", period=2025).values[:H]
    assert soc.min() >= -1e-6


def test_linked_soc_year_matches_model(tmp_path: Path) -> None:
    """linked_soc_year rebuilds, from soc_inter and the relative soc, the state the results hold."""
    path = seasonal(tmp_path, "linked", TWO_DAYS, 1.0, 40)
    inputs = load_case(path)
    time = select(inputs)
    m, _ = build(inputs, time)
    assert solve(m, inputs.scenario.solver).optimal
    intra = np.array([m.soc["store", "z", 2025, t].value for t in range(time.n)]) * 1e3
    inter = np.array([m.soc_inter["store", "z", 2025, i].value for i in range(len(time.order) + 1)]) * 1e3
    year = linked_soc_year(intra, inter, time.order, time.block_len, 0.0)
    assert year.min() >= -1e-6 and year.max() <= 20000 + 1e-6
    # end of each day = start of the next day
    assert np.allclose(year[23::24][:-1], inter[1:-1], atol=1e-6)


def test_time_contract_and_energy_correction(tmp_path: Path) -> None:
    """Blocks are consecutive original periods; weights sum to 8760; the corrected series keep
    their annual energy, stay within 1 p.u., and the peak-load day keeps its true peak."""
    rng = np.random.default_rng(7)
    wind = np.clip(np.repeat(rng.gamma(0.6, 0.35, 365), 24) * (0.8 + 0.2 * rng.random(H)), 0, 1)
    solar = np.tile(np.clip(np.sin(np.linspace(-np.pi / 2, 3 * np.pi / 2, 24)), 0, None), 365)
    solar *= np.repeat(0.5 + 0.5 * rng.random(365), 24)
    load_ = 100 + 30 * np.tile(np.sin(np.linspace(0, 2 * np.pi, 24)), 365) + 20 * rng.random(H)
    sc = base(
        load_,
        profiles={"wind": "wind.csv", "solar": "solar.csv"},
        technologies={
            "w": {"kind": "variable", "profile": "wind", "existing": 50},
            "s": {"kind": "variable", "profile": "solar", "existing": 50},
        },
        time={"mode": "tsam", "days": 6, "extreme_periods": ["peak_load", "min_renewable"]},
    )
    inputs = load_case(write_case(tmp_path, sc, {"wind.csv": series(z=wind), "solar.csv": series(z=solar)}))
    t = tsam_periods(inputs)
    L = t.block_len
    assert t.n == t.n_blocks * L
    assert np.all(np.diff(t.hour.reshape(t.n_blocks, L), axis=1) == 1)  # chronology inside a block
    assert float(t.weight.sum()) == pytest.approx(H)
    assert np.allclose(np.bincount(t.order, minlength=t.n_blocks), t.weight[::L])
    assert len(t.extreme_blocks) == 2 and t.n_blocks == 8
    for key, hourly, cap in (("wind", wind, 1.0), ("solar", solar, 1.0), ("load", load_, np.inf)):
        k = ("load", 2025, "z") if key == "load" else ("profile", key, "z")
        v = on_steps(t, hourly, *k)
        assert float((t.weight * v).sum()) == pytest.approx(hourly.sum(), rel=1e-9)
        assert v.max() <= cap + 1e-12
    assert abs(t.energy_error["profile/wind/z"][0]) > 0.01  # medoids alone miss wind energy
    peak = on_steps(t, load_, "load", 2025, "z").max()
    assert peak == pytest.approx(load_.max(), rel=1e-12)


def test_ramps_hold_inside_each_representative_period(tmp_path: Path) -> None:
    """A coal cluster ramping 20 %/h of committed capacity (start-ups priced out, so without
    start-ups or shut-downs): in every block, from each step to the previous one of the same block
    (cyclic), |g[t] - g[t-1]| <= 0.2 u[t]; the limit binds."""
    pattern = [60.0] * 8 + [120.0] * 8 + [80.0] * 8
    low = [40.0] * 8 + [70.0] * 8 + [50.0] * 8
    load_ = np.concatenate([np.tile(pattern, 200), np.tile(low, 165)])
    sc = base(
        load_,
        time={"mode": "tsam", "days": 2},
        technologies={
            "coal": {
                "kind": "thermal",
                "vom": 100,
                "existing": 120,
                "commitment": {"min_stable": 0.0, "ramp": 0.2, "startup_cost": 1e5},
            },
            "peak": {"kind": "thermal", "vom": 900, "existing": 120},
        },
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    g = ds.generation.sel(tech="coal", zone="z", period=2025).values
    u = ds.commitment.sel(tech="coal", zone="z", period=2025).values
    L = int((ds.block.values == 0).sum())
    prev = np.arange(len(g)) - 1
    prev[::L] += L  # the first step of a block follows its own last step
    ratio = np.abs(g - g[prev]) / np.maximum(u, 1e-9)
    assert ratio.max() <= 0.2 + 1e-6
    assert ratio.max() == pytest.approx(0.2, abs=1e-6)


def test_expand_to_year(tmp_path: Path) -> None:
    """Every hour takes the value of its representative step: annual energy from the expanded
    year equals the weighted sum over steps (days: exactly); linked storage gets its absolute state."""
    path = seasonal(tmp_path, "linked", TWO_DAYS, 0.9, 100)
    time = select(load_case(path))
    ds = gridplan.run(path)
    year = expand_to_year(ds, time.order)
    assert year.sizes["hour"] == H
    assert "generation" in year.attrs["expanded_to_year"].split()
    gen = year.generation.sel(period=2025, zone="z")
    weighted = (ds.generation.sel(period=2025, zone="z") * ds.weight).sum("time")
    assert np.allclose(gen.sum("hour").values, weighted.values, rtol=1e-9)
    assert np.array_equal(year.source_step.values, hour_to_step(time.order, 24))
    # solar is produced only on sunny days, at noon
    pv = gen.sel(tech="pv").values.reshape(365, 24)
    assert pv[SUNNY_DAYS:].max() == 0 and pv[:SUNNY_DAYS, 12].min() == pytest.approx(480)
    soc = year.storage_soc.sel(period=2025, zone="z", storage="store").values
    assert np.array_equal(soc, ds.storage_soc_year.sel(period=2025, zone="z", storage="store").values)
    assert soc[24 * SUNNY_DAYS - 1] > 25000  # carried across the sunny season
    full = gridplan.run(seasonal(tmp_path / "f", "cyclic", {"mode": "full_year"}, 0.9, 100))
    same = expand_to_year(full)
    assert np.array_equal(same.generation.values, full.generation.values)


def test_bad_time_settings(tmp_path: Path) -> None:
    sc = base(
        daily([1.0] * 24),
        time={"mode": "tsam", "days": 60, "hours_per_period": 168},
        technologies={"g": {"kind": "thermal", "existing": 10}},
    )
    with pytest.raises(InputError, match=r"time\.days.*only 53 periods of 168 h"):
        gridplan.run(write_case(tmp_path, sc))
