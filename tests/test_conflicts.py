"""An infeasible case names exactly the limits that cannot hold together (issue 17, item 5).

Each test asserts the whole conflicting set (field, zone, period and what the limit says) and
the amount by which each member fails while the others hold, computed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gridplan
from cases import base, write_case
from gridplan.errors import SolveError

HEAD = "the case is infeasible (solver status 'infeasible'): these cannot hold together: "


def solar(**extra: Any) -> dict[str, Any]:
    """A buildable zero-emission plant (no profile is needed: the targets count capacity)."""
    return {"kind": "thermal", "capex": 100.0, "lifetime": 30, "build_max": "inf", **extra}


def case(tmp_path: Path, targets: dict[str, Any], **over: Any) -> Path:
    """100 MW flat load met by 200 MW of existing gas; solar and wind may be built."""
    sc = base(
        100.0,
        technologies={
            "gas": {"kind": "thermal", "vom": 100.0, "existing": 200.0, **over.pop("gas", {})},
            "solar": solar(**over.pop("solar", {})),
            "wind": solar(),
        },
        targets=targets,
        time={"mode": "representative_days", "days": 2},
        **over,
    )
    return write_case(tmp_path, sc)


def named(folder: Path) -> tuple[str, list[str]]:
    """The conflict line of the error (after the status) and its member lines, each with the
    YAML file (relative to the case folder), field and line."""
    with pytest.raises(SolveError) as e:
        gridplan.run(folder)
    assert e.value.exit_code == 3
    text = str(e.value).replace(f"{folder}/", "")
    assert "nan" not in text
    head, *members = text.split("\n")
    assert head.startswith(HEAD)
    return head[len(HEAD) :], [m.removeprefix("  - ") for m in members]


def test_two_conflicting_targets_and_nothing_else(tmp_path: Path) -> None:
    """solar >= 700 MW and solar <= 600 MW; gas >= 150 MW holds (200 MW exist) and is not named."""
    folder = case(
        tmp_path,
        {
            "gas_kept": {"kind": "capacity", "technologies": ["gas"], "min": 150.0},
            "solar_min": {"kind": "capacity", "technologies": ["solar"], "min": 700.0},
            "solar_max": {"kind": "capacity", "technologies": ["solar"], "max": 600.0},
        },
    )
    head, members = named(folder)
    assert (
        head
        == "targets.solar_min.min (2025) requires >= 700 MW; targets.solar_max.max (2025) allows <= 600 MW"
    )
    assert members == [  # lines 40 and 45 of the written YAML hold `min: 700.0` and `max: 600.0`
        "scenario.yaml, field/column 'targets.solar_min.min', line 40: "
        "solar_min in 2025: short by 100 MW while the others hold",
        "scenario.yaml, field/column 'targets.solar_max.max', line 45: "
        "solar_max in 2025: exceeded by 100 MW while the others hold",
    ]


RE = {"kind": "capacity", "technologies": ["solar", "wind"], "min": 700.0}
WIND_MAX = {"kind": "capacity", "technologies": ["wind"], "max": 100.0}


def test_target_against_a_build_limit(tmp_path: Path) -> None:
    """Solar + wind >= 700 MW, at most 500 MW of solar may be built and wind <= 100 MW: each of
    the three fails by 100 MW while the others hold. (A target against its own technologies'
    build_max alone is refused before solving, exit 2: case/checks_targets.py `check_target_reach`.)"""
    folder = case(tmp_path, {"re": RE, "wind_max": WIND_MAX}, solar={"build_max": 500.0})
    head, members = named(folder)
    assert head == (
        "targets.re.min (2025) requires >= 700 MW; targets.wind_max.max (2025) allows <= 100 MW; "
        "technologies.solar.build_max (zone z, 2025) allows <= 500 MW built in 2025"
    )
    assert [m.split(": ", 1)[1] for m in members] == [
        "re in 2025: short by 100 MW while the others hold",
        "wind_max in 2025: exceeded by 100 MW while the others hold",
        "zone z, 2025: exceeded by 100 MW while the others hold",
    ]


def test_target_against_a_potential(tmp_path: Path) -> None:
    """As above with solar's potential 450 MW instead of a build limit: 150 MW short. The
    potential is the upper bound of the new build and the cap of the capacity: named once."""
    folder = case(tmp_path, {"re": RE, "wind_max": WIND_MAX}, solar={"potential": 450.0})
    head, members = named(folder)
    assert head == (
        "technologies.solar.potential (zone z, 2025) allows <= 450 MW in total; "
        "targets.re.min (2025) requires >= 700 MW; targets.wind_max.max (2025) allows <= 100 MW"
    )
    assert [m.split(": ", 1)[1] for m in members] == [
        "zone z, 2025: exceeded by 150 MW while the others hold",
        "re in 2025: short by 150 MW while the others hold",
        "wind_max in 2025: exceeded by 150 MW while the others hold",
    ]


def test_only_the_conflicting_period_is_named(tmp_path: Path) -> None:
    """Two periods; the bounds conflict in 2030 only (700 > 600), 2025 has no maximum at all."""
    folder = case(
        tmp_path,
        {
            "solar_min": {"kind": "capacity", "technologies": ["solar"], "min": {2025: 100.0, 2030: 700.0}},
            "solar_max": {"kind": "capacity", "technologies": ["solar"], "max": {2030: 600.0}},
        },
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
    )
    head, members = named(folder)
    assert (
        head
        == "targets.solar_min.min (2030) requires >= 700 MW; targets.solar_max.max (2030) allows <= 600 MW"
    )
    assert [m.split(": ", 1)[1] for m in members] == [
        "solar_min in 2030: short by 100 MW while the others hold",
        "solar_max in 2030: exceeded by 100 MW while the others hold",
    ]


def test_two_separate_conflicts_are_both_named(tmp_path: Path) -> None:
    """solar >= 700 against solar <= 600 MW, and gas >= 300 against gas <= 250 MW: two sets."""
    folder = case(
        tmp_path,
        {
            "solar_min": {"kind": "capacity", "technologies": ["solar"], "min": 700.0},
            "solar_max": {"kind": "capacity", "technologies": ["solar"], "max": 600.0},
            "gas_min": {"kind": "capacity", "technologies": ["gas"], "min": 300.0},
            "gas_max": {"kind": "capacity", "technologies": ["gas"], "max": 250.0},
        },
        gas={"capex": 10.0, "build_max": "inf"},
    )
    with pytest.raises(SolveError) as e:
        gridplan.run(folder)
    sets = [
        line.split("these cannot hold together: ")[1]
        for line in str(e.value).split("\n")
        if " together: " in line
    ]
    assert sorted(sets) == [
        "targets.gas_min.min (2025) requires >= 300 MW; targets.gas_max.max (2025) allows <= 250 MW",
        "targets.solar_min.min (2025) requires >= 700 MW; targets.solar_max.max (2025) allows <= 600 MW",
    ]


def test_must_run_against_a_build_minimum(tmp_path: Path) -> None:
    """300 MW of solar must be built and run at >= 50%: 150 MW > the 100 MW load, and surplus
    energy has nowhere to go. At most 200 MW can be built (0.5 x 200 = 100 MW): 100 MW short.
    The satisfied gas target is not named; min_output has no amount (it is a fraction)."""
    folder = case(
        tmp_path,
        {"gas_kept": {"kind": "capacity", "technologies": ["gas"], "min": 150.0}},
        solar={"build_min": 300.0, "min_output": 0.5},
    )
    head, members = named(folder)
    assert head == (
        "technologies.solar.min_output (zone z, 2025) requires output >= 0.5 of capacity every hour; "
        "technologies.solar.build_min (zone z, 2025) requires >= 300 MW built in 2025"
    )
    assert [m.split(": ", 1)[1] for m in members] == [
        "zone z, 2025: requires output >= 0.5 of capacity every hour",
        "zone z, 2025: short by 100 MW while the others hold",
    ]


def test_peak_response_against_a_demand_response_potential(tmp_path: Path) -> None:
    """30% of the 100 MW peak = 30 MW of DR; resource a can give 20 MW, b is held to 5 MW by a
    capacity target: 5 MW short, each of the three."""
    dr = {"fixed_cost": 30.0, "dispatch_cost": 5000.0}
    folder = case(
        tmp_path,
        {
            "peak": {"kind": "peak_response", "min": 0.3},
            "b_max": {"kind": "capacity", "technologies": ["b"], "max": 5.0},
        },
        demand_response={"a": {"potential": 20.0, **dr}, "b": {"potential": 50.0, **dr}},
    )
    head, members = named(folder)
    assert head == (
        "targets.peak.min (2025) requires >= 0.3 of peak load; targets.b_max.max (2025) allows <= 5 MW; "
        "demand_response.a.potential (zone z, 2025) allows <= 20 MW"
    )
    assert [m.split(": ", 1)[1] for m in members] == [
        "peak in 2025: short by 5 MW while the others hold",
        "b_max in 2025: exceeded by 5 MW while the others hold",
        "zone z, 2025: exceeded by 5 MW while the others hold",
    ]
