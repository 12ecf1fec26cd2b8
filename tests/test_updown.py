"""Minimum up and down times of committed thermal clusters, and unit_size in the start-up cost
(issue 22), on one cyclic day computed by hand.

Every case: load 50 MW, 100 MW in peak hours; `base` 50 MW at 100 CNY/MW h (no commitment), coal
50 MW at 200 CNY/MWh (minimum 50% of committed, start-up 100 CNY/MW), gas 100 MW at 1,000 CNY/MWh.
The peak's extra 50 MW come from coal (200 x 2 h + 100 = 500 CNY per MW and peak, against 2,000 by
gas). One representative day stands for 365 (no discounting, one year), so the objective is 365
times the daily cost; the day is cyclic: hour 0 follows hour 23.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyomo.environ as pyo
import pytest

import gridplan
from cases import base, daily, series, write_case
from gridplan.case import load_case
from gridplan.errors import InputError
from gridplan.lp.build import build
from gridplan.timesteps import select

DAYS = 365


def day(peaks: list[int]) -> list[float]:
    """50 MW, 100 MW in the peak hours."""
    return [100.0 if h in peaks else 50.0 for h in range(24)]


def case(
    folder: Path,
    peaks: list[int],
    wind: list[int],
    commitment: dict[str, Any],
    time: str = "days",
    capacity: float = 50.0,
) -> Path:
    """The system of the module docstring; free wind of 50 MW in the hours `wind` (load 50 there)."""
    cm = {"min_stable": 0.5, "ramp": 1.0, **commitment}
    if "startup_cost_unit" not in cm:
        cm.setdefault("startup_cost", 100.0)
    coal = {"kind": "thermal", "vom": 200.0, "existing": capacity, "commitment": cm}
    sc = base(
        daily(day(peaks)),
        profiles={"wind": "wind.csv"},
        technologies={
            "base": {"kind": "thermal", "vom": 100.0, "existing": 50.0},
            "coal": coal,
            "gas": {"kind": "thermal", "vom": 1000.0, "existing": 100.0},
            "wind": {"kind": "variable", "profile": "wind", "existing": 50.0},
        },
        time={"mode": "representative_days", "days": 1} if time == "days" else {"mode": "full_year"},
    )
    profile = daily([1.0 if h in wind else 0.0 for h in range(24)])
    return write_case(folder, sc, {"wind.csv": series(z=profile)})


def committed(ds: Any, tech: str = "coal") -> np.ndarray:
    """Committed MW of the first day's 24 hours."""
    return ds.commitment.sel(period=2025, zone="z", tech=tech).isel(time=slice(0, 24)).values


@pytest.mark.parametrize("start", [18, 22])
@pytest.mark.parametrize(("min_up", "per_day"), [(0, 115_000.0), (2, 115_000.0), (6, 125_000.0)])
def test_min_up_time_keeps_coal_on_after_the_peak(
    tmp_path: Path, start: int, min_up: int, per_day: float
) -> None:
    """Peak at `start`, `start`+1; wind covers the load in the 6 hours before it.
    Without a minimum up time (or with 2 h, the peak's length) coal runs 50 MW in the 2 peak hours:
    base 16 x 50 + 2 x 50 = 900 MWh x 100 = 90,000; coal 100 MWh x 200 = 20,000; start-up 50 MW x
    100 = 5,000: 115,000 CNY a day. With min_up 6 h the 50 MW started stay on 4 hours more, at their
    minimum of 25 MW, which displaces base: 4 x 25 x (200 - 100) = +10,000 CNY a day (125,000).
    Starting earlier would displace free wind (200 CNY/MWh), so coal is on exactly from `start` for
    6 hours; from 22 h that is 22, 23 and, across the end of the cyclic day, 0-3 h."""
    peaks = [start, (start + 1) % 24]
    wind = [(start - 6 + i) % 24 for i in range(6)]
    ds = gridplan.run(case(tmp_path, peaks, wind, {"min_up": min_up}))
    assert ds.attrs["objective"] == pytest.approx(DAYS * per_day, rel=1e-7)
    on = max(min_up, 2)
    want = np.zeros(24)
    want[[(start + i) % 24 for i in range(on)]] = 50.0
    np.testing.assert_allclose(committed(ds), want, atol=1e-5)
    gen = ds.generation.sel(period=2025, zone="z", tech="coal").isel(time=slice(0, 24)).values
    np.testing.assert_allclose(
        gen, np.where(want > 0, 25.0, 0.0) + np.where(np.isin(range(24), peaks), 25.0, 0.0)
    )


def test_min_up_time_on_the_full_year_wraps_at_the_year_end(tmp_path: Path) -> None:
    """The 22 h case over 8,760 chronological hours: the same 125,000 CNY a day, and the start of
    hour 8,758 (22 h of the last day) keeps coal on through hours 0-3 of the first day."""
    ds = gridplan.run(case(tmp_path, [22, 23], list(range(16, 22)), {"min_up": 6}, time="full_year"))
    assert ds.attrs["objective"] == pytest.approx(DAYS * 125_000.0, rel=1e-7)
    np.testing.assert_allclose(committed(ds)[:4], 50.0, atol=1e-5)


@pytest.mark.parametrize("first", [8, 22])
@pytest.mark.parametrize(
    ("min_down", "capacity", "per_day"),
    [
        (0, 50.0, 170_000.0),
        (4, 50.0, 170_000.0),
        (5, 50.0, 175_000.0),
        (6, 50.0, 175_000.0),
        (6, 100.0, 170_000.0),
    ],
)
def test_min_down_time_keeps_coal_on_between_two_peaks(
    tmp_path: Path, first: int, min_down: int, capacity: float, per_day: float
) -> None:
    """Two 2-hour peaks 4 hours apart (8-9 h and 14-15 h; or 22-23 h and, across midnight, 4-5 h).
    With 50 MW of coal and no minimum down time (or 4 h, the gap) coal starts twice: base 24 x 50 =
    1,200 MWh x 100 = 120,000; coal 200 MWh x 200 = 40,000; 2 x 50 MW x 100 = 10,000: 170,000 CNY a
    day. A minimum down time of 5 or 6 h forbids the restart after 4 hours off: coal stays on
    through the gap at 25 MW, base gives 100 MWh less: 110,000 + 300 MWh x 200 = 60,000 + one
    start 5,000 = 175,000 CNY a day (serving the second peak by gas would cost 75,000 more).
    With 100 MW of coal the second peak is served by the other 50 MW, which have been off all
    along: the clustered rows allow it and the cost stays 170,000."""
    peaks = [(first + h) % 24 for h in (0, 1, 6, 7)]
    ds = gridplan.run(case(tmp_path, peaks, [], {"min_down": min_down}, capacity=capacity))
    assert ds.attrs["objective"] == pytest.approx(DAYS * per_day, rel=1e-7)
    if capacity == 50.0:
        gap = [(first + h) % 24 for h in range(2, 6)]
        assert committed(ds)[gap] == pytest.approx([50.0 if per_day > 170_000 else 0.0] * 4, abs=1e-5)


def test_min_up_time_longer_than_the_cyclic_day(tmp_path: Path) -> None:
    """min_up 30 h on a 24-hour cyclic day (peak 18-19 h, wind 12-17 h). The day repeats, so the
    window of 30 steps counts 18 h twice at 18-23 h: with x MW committed at 0-17 h and y at 18-23 h
    (start-ups y - x at 18 h) the rows are y >= 2 (y - x) and x >= y - x, i.e. y <= 2x: units that
    start at 18 h run until 23 h of the next day, two batches alternating. Against gas for the peak,
    the daily cost changes by -1,600 y (peak by coal) + 0.5 x (12 x 100 + 6 x 200) (minimum output at
    0-17 h displacing base and wind) + 0.5 y x 4 x 100 (20-23 h) + 100 (y - x) (start-ups) =
    -1,300 y + 1,100 x, least at y = 50, x = 25: coal 18 x 12.5 + 2 x 50 + 4 x 25 = 425 MWh x 200 =
    85,000; base 12 x 37.5 + 2 x 50 + 4 x 25 = 650 MWh x 100 = 65,000; 25 MW started x 100 = 2,500:
    152,500 CNY a day (keeping 50 MW on all day, with no start-up, costs 180,000)."""
    ds = gridplan.run(case(tmp_path, [18, 19], list(range(12, 18)), {"min_up": 30}))
    assert ds.attrs["objective"] == pytest.approx(DAYS * 152_500.0, rel=1e-7)
    np.testing.assert_allclose(committed(ds), [25.0] * 18 + [50.0] * 6, atol=1e-5)
    start = ds.startup.sel(period=2025, zone="z", tech="coal").isel(time=slice(0, 24)).values
    np.testing.assert_allclose(start, [0.0] * 18 + [25.0] + [0.0] * 5, atol=1e-5)


@pytest.mark.parametrize(("unit_size", "per_day"), [(50.0, 125_000.0), (25.0, 130_000.0)])
def test_startup_cost_per_unit_start_counts_units_of_unit_size(
    tmp_path: Path, unit_size: float, per_day: float
) -> None:
    """The min_up 6 h case with startup_cost_unit 5,000 CNY per unit start: 50 MW units cost
    5,000 / 50 = 100 CNY/MW started, the 125,000 CNY a day of startup_cost 100; 25 MW units
    cost 200 CNY/MW: 50 MW started once a day cost 5,000 more (130,000; coal still beats gas:
    400 + 200 + 200 < 2,000 CNY per MW)."""
    cm = {"min_up": 6, "unit_size": unit_size, "startup_cost_unit": 5000.0}
    ds = gridplan.run(case(tmp_path, [18, 19], list(range(12, 18)), cm))
    assert ds.attrs["objective"] == pytest.approx(DAYS * per_day, rel=1e-7)
    assert float(ds.startup.sum()) == pytest.approx(50.0, abs=1e-5)


def rows(folder: Path) -> dict[str, int]:
    """Rows of each constraint of the built model."""
    inputs = load_case(folder)
    m, _ = build(inputs, select(inputs))
    return {c.name: len(c) for c in m.component_objects(pyo.Constraint)}


def test_no_rows_without_min_up_or_down_and_hash_unchanged(tmp_path: Path) -> None:
    """min_up, min_down of 0 or 1 add no row (the LP of a case without them is unchanged); left at
    their defaults they are not in the stored scenario, so the input hash of a case is unchanged; min_up 6, min_down 4 add one row per committed part and step (24)."""
    plain = case(tmp_path / "plain", [18, 19], [], {})
    ones = case(tmp_path / "ones", [18, 19], [], {"min_up": 1, "min_down": 1})
    zeros = case(
        tmp_path / "zeros",
        [18, 19],
        [],
        {"min_up": 0, "min_down": 0, "startup_cost_unit": 0, "startup_cost": 100.0},
    )
    both = case(tmp_path / "both", [18, 19], [], {"min_up": 6, "min_down": 4})
    assert rows(ones) == rows(plain)
    assert load_case(zeros).input_hash == load_case(plain).input_hash
    dumped = load_case(plain).scenario.model_dump()["technologies"]["coal"]["commitment"]
    assert set(dumped) == {"enabled", "unit_size", "min_stable", "ramp", "startup_cost"}
    r = rows(both)
    assert (r["min_up_time"], r["min_down_time"]) == (24, 24)
    assert {**r, "min_up_time": 0, "min_down_time": 0} == rows(plain)


@pytest.mark.parametrize(
    ("commitment", "field", "says"),
    [
        ({"min_up": 2.5}, "commitment.min_up', line", "integer"),
        ({"min_down": 200}, "commitment.min_down', line", "168"),
        ({"startup_cost_unit": 5000.0}, "commitment', line", "not both"),
    ],
)
def test_bad_min_up_down_and_startup_costs_are_named(
    tmp_path: Path, commitment: dict[str, Any], field: str, says: str
) -> None:
    """Whole hours up to a week; one start-up cost, per MW or per unit (the case sets 100 CNY/MW)."""
    cm = {"startup_cost": 100.0, **commitment}
    with pytest.raises(InputError) as e:
        load_case(case(tmp_path, [18, 19], [], cm))
    text = str(e.value)
    assert f"'technologies.coal.{field}" in text
    assert says in text
    assert "scenario.yaml" in text


def test_jiangxi_variant_sets_the_times_and_the_base_case_does_not() -> None:
    """inputs/min-up-down.yaml adds the coal clusters' minimum up and down times to the base case,
    which has none (they cost 50-60% solve time without changing the plan: model/performance.md)."""
    from gridplan.case import load_case

    root = Path(__file__).resolve().parents[1] / "inputs"
    variant = load_case(root / "min-up-down.yaml").scenario.technologies
    base = load_case(root / "jiangxi").scenario.technologies
    assert (variant["coal_300"].commitment.min_up, variant["coal_300"].commitment.min_down) == (8, 6)
    assert (variant["coal_1000"].commitment.min_up, variant["coal_1000"].commitment.min_down) == (10, 8)
    assert all(t.commitment is None or t.commitment.min_up == 0 for t in base.values())
