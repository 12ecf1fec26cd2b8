"""Sensitivity sweeps on Dask (issue 9): planning, overrides, a killed worker, resume, target costs."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

import gridplan
from cases import base, daily, series, write_case
from gridplan.errors import InputError
from gridplan.sweep import (
    Outcome,
    ParamError,
    Setting,
    SweepSpec,
    load_sweep,
    make_sweep,
    override,
    plan_scenarios,
    read_log,
    run_sweep,
    scenario_id,
    target_costs,
    write_scenario,
)
from gridplan.sweep.cli import sweep_cli

SUN = [0.0] * 6 + [0.5] * 12 + [0.0] * 6  # 6 MWh per MW and day, 2190 MWh/MW-yr
COAL = {"coal": {"price": 1000.0, "co2": 2.66, "coal": True}}  # 300 gce/kWh -> 300 CNY/MWh, 0.798 t/MWh


def small_case(folder: Path, days: int = 40) -> Path:
    """Coal (new build), solar and a battery against a load with a daily and seasonal shape."""
    season = np.repeat(1.0 + 0.2 * np.cos(2 * np.pi * np.arange(365) / 365), 24)
    sun = np.clip(np.sin(np.pi * (np.arange(24) - 6) / 12), 0, None)
    sc = base(
        daily([80.0] * 7 + [100.0] * 12 + [120.0] * 5) * season,
        profiles={"solar": "solar.csv"},
        fuels=COAL,
        technologies={
            "coal": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300,
                "capex": 3000,
                "lifetime": 20,
                "build_max": "inf",
            },
            "solar": {
                "kind": "variable",
                "profile": "solar",
                "capex": 2500,
                "lifetime": 20,
                "build_max": "inf",
                "potential": 400,
            },
        },
        storage={
            "battery": {"capex_power": {2025: 300}, "capex_energy": 800, "lifetime": 10, "build_max": "inf"}
        },
        targets={
            "solar_min": {"kind": "capacity", "name_zh": "光伏装机", "technologies": ["solar"], "min": 20},
            "solar_cap": {"kind": "capacity", "technologies": ["solar"], "max": 30, "enabled": False},
        },
        time={"mode": "representative_days", "days": days},
    )
    return write_case(folder, sc, {"solar.csv": series(z=daily(list(sun)) * (0.9 - 0.3 * (season - 1)))})


def write_sweep(folder: Path, spec: dict[str, Any]) -> Path:
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two single-threaded worker processes on loopback, shared by the tests that solve."""
    from gridplan.sweep import dask_client

    with dask_client(workers=2) as c:
        yield c


# ----------------------------------------------------------------------------------------------
# planning and parameter paths (no solving)


def test_designs_ids_and_overrides(tmp_path: Path) -> None:
    """Grid 3x2 = 6; one-at-a-time = base + 2 + 1 (levels equal to the base fold into it);
    ids depend on the values only; `scale` multiplies a per-period mapping; an absolute value
    equal to the base value is not a change."""
    small_case(tmp_path / "case")
    params = {
        "storage.battery.capex_energy": {"scale": [0.7, 1.0, 1.3]},
        "technologies.solar.capex": {"values": [2500, 2000]},
    }
    grid = make_sweep(SweepSpec(base="case", parameters=params), tmp_path)
    g = plan_scenarios(grid)
    assert len(g) == 6
    assert [sc.id for sc in g] == [sc.id for sc in plan_scenarios(grid)]
    ids = {sc.label: sc.id for sc in g}
    assert ids["base case"] == scenario_id({})  # (1.0, 2500) is the base: no settings
    oat = make_sweep(SweepSpec(base="case", design="one_at_a_time", parameters=params), tmp_path)
    o = plan_scenarios(oat)
    assert len(o) == 4 and o[0].label == "base case"
    assert {sc.id for sc in o} <= {sc.id for sc in g}  # same scenarios, same ids, across designs
    sc = next(
        s
        for s in g
        if s.settings.get("storage.battery.capex_energy", Setting("", "scale", 1)).value == 0.7
        and "technologies.solar.capex" in s.settings
    )
    variant = yaml.safe_load(write_scenario(grid, sc).read_text())
    assert variant["extends"] == str((tmp_path / "case" / "scenario.yaml").resolve())
    assert variant["storage"] == {"battery": {"capex_energy": pytest.approx(560.0)}}
    assert variant["technologies"] == {"solar": {"capex": 2000}}
    path = "storage.battery.capex_power"
    assert override(grid, {path: Setting(path, "scale", 0.5)}) == {
        "storage": {"battery": {"capex_power": {2025: 150.0}}}
    }
    per_period = override(grid, {"fuels.coal.price.2025": Setting("fuels.coal.price.2025", "value", 700)})
    assert per_period == {"fuels": {"coal": {"price": {2025: 700}}}}  # a scalar, addressed per period

    # one factor on several paths: battery power and energy cost together
    linked = make_sweep(
        SweepSpec(
            base="case",
            parameters={
                "battery_cost": {
                    "paths": ["storage.battery.capex_power", "storage.battery.capex_energy"],
                    "scale": [0.5],
                }
            },
        ),
        tmp_path,
    )
    (both,) = plan_scenarios(linked)
    assert both.label == "battery_cost ×0.5" and both.levels == {"battery_cost": 0.5}
    assert override(linked, both.settings) == {
        "storage": {"battery": {"capex_power": {2025: 150.0}, "capex_energy": 400.0}}
    }

    lhs = make_sweep(
        SweepSpec(
            base="case",
            design="latin_hypercube",
            samples=5,
            seed=3,
            parameters={
                "discount_rate": {"range": [0.04, 0.08]},
                "fuels.coal.price": {"scale_range": [0.8, 1.2]},
            },
        ),
        tmp_path,
    )
    a, b = plan_scenarios(lhs), plan_scenarios(lhs)
    assert len(a) == 5 and [s.id for s in a] == [s.id for s in b]
    rates = sorted(s.levels["discount_rate"] for s in a)
    # one sample in each fifth of [0.04, 0.08]: the Latin hypercube property
    assert [int((r - 0.04) / 0.008) for r in rates] == [0, 1, 2, 3, 4]


def test_bad_paths_and_values_are_clear(tmp_path: Path) -> None:
    small_case(tmp_path / "case")
    sw = make_sweep(SweepSpec(base="case", parameters={"discount_rate": [0.05]}), tmp_path)

    def err(path: str, mode: str, value: Any) -> str:
        with pytest.raises(ParamError) as e:
            override(sw, {path: Setting(path, mode, value)})
        return str(e.value)

    msg = err("storage.batery.capex_energy", "scale", 0.7)
    assert "no such field 'batery' in storage (did you mean 'battery'?)" in msg
    assert "did you mean 'capex_energy'" in err("storage.battery.capex_enrgy", "value", 1.0)
    assert "demand.annual_energy is not set in the base case" in err(
        "demand.annual_energy.2025", "scale", 1.1
    )
    assert "discount_rate" in err("discount_rate", "value", 1.5) and "less than 1" in err(
        "discount_rate", "value", 1.5
    )
    assert "cannot scale" in err("targets.solar_min.enabled", "scale", 0.5)
    bad = write_sweep(tmp_path, {"base": "case", "design": "grid", "parameter": {"x": [1]}})
    with pytest.raises(InputError, match="unknown key 'parameter' \\(did you mean 'parameters'\\?\\)"):
        load_sweep(bad)
    bad = write_sweep(
        tmp_path, {"base": "case", "parameters": {"discount_rate": {"values": [1], "scale": [1]}}}
    )
    with pytest.raises(InputError, match="exactly one of values, scale, range, scale_range"):
        load_sweep(bad)


def test_cli_bad_sweep_file_exits_2(tmp_path: Path) -> None:
    import typer

    with pytest.raises(typer.Exit) as e:
        sweep_cli(write_sweep(tmp_path, {"base": "nowhere", "parameters": {"discount_rate": [0.05]}}))
    assert e.value.exit_code == 2


def test_cli_all_failed_exits_1(tmp_path: Path) -> None:
    """Every scenario has a bad parameter path: nothing runs, all recorded as failed, exit 1."""
    import typer

    small_case(tmp_path / "case")
    f = write_sweep(tmp_path, {"base": "case", "parameters": {"fuels.cole.price": [1, 2]}})
    with pytest.raises(typer.Exit) as e:
        sweep_cli(f, out=tmp_path / "out")
    assert e.value.exit_code == 1
    manifest = json.loads((tmp_path / "out" / "sweep.json").read_text())
    assert [s["status"] for s in manifest["scenarios"]] == ["failed", "failed"]
    assert "did you mean 'coal'" in manifest["scenarios"][0]["reason"]


# ----------------------------------------------------------------------------------------------
# on a LocalCluster


def test_killed_worker_resume_and_serial_equality(tmp_path: Path, client: Any) -> None:
    """Kill the worker process of a running scenario mid-sweep: every scenario still ends up done
    exactly once (one 'done' in its log), with the objective of a serial cold run to 1e-9; a second
    run recomputes nothing and writes nothing."""
    small_case(tmp_path / "case")
    f = write_sweep(
        tmp_path,
        {
            "base": "case",
            "design": "grid",
            "parameters": {
                "storage.battery.capex_energy": {"scale": [0.6, 1.0, 1.4]},
                "fuels.coal.price": [800, 1200],
            },
            "outputs": {"battery_MWh": {"var": "storage_energy", "label": "battery energy [MWh]"}},
        },
    )
    out = tmp_path / "out"
    sweep = load_sweep(f, out)
    killed: dict[str, int] = {}

    def kill_running(_: Outcome) -> None:
        """After a result arrives, find a scenario that a worker has started and not finished,
        and SIGKILL that worker process (the nanny starts a new one; the scheduler re-runs the task)."""
        if killed:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for keys in client.processing().values():
                for k in keys:
                    sid = str(k).split("-")[1]
                    log = read_log(out / sid)
                    if log and log[-1]["event"] == "start":
                        killed[sid] = int(log[-1]["pid"])
                        os.kill(killed[sid], signal.SIGKILL)
                        return
            time.sleep(0.02)

    run = run_sweep(sweep, client=client, on_result=kill_running, echo=lambda s: None)
    assert killed, "no running scenario was found to kill"
    assert run.done == 6 and run.failed == 0 and run.computed == 6
    (sid,) = killed
    starts = [e for e in read_log(out / sid) if e["event"] == "start"]
    assert len(starts) == 2 and starts[0]["pid"] == killed[sid] != starts[1]["pid"]
    for sc in run.planned:
        log = read_log(out / sc.id)
        assert [e["event"] for e in log].count("done") == 1
        assert not (out / sc.id / "failed.json").exists()
        assert not list((out / sc.id).glob(".*.tmp"))
        swept = xr.load_dataset(out / sc.id / "results.nc").attrs["objective"]
        serial = gridplan.run(out / sc.id / "scenario.yaml").attrs["objective"]
        assert swept == pytest.approx(serial, rel=1e-9)
    # the scenario files say what they change: check one by hand against the base case
    cheap = next(
        sc for sc in run.planned if sc.label == "storage.battery.capex_energy ×0.6, fuels.coal.price=800"
    )
    assert yaml.safe_load((out / cheap.id / "scenario.yaml").read_text())["storage"] == {
        "battery": {"capex_energy": pytest.approx(480.0)}
    }

    ds = xr.load_dataset(out / "sweep.nc")
    assert ds.sizes["scenario"] == 6 and list(ds["status"].values) == ["done"] * 6
    assert sorted(set(ds["fuels.coal.price"].values.tolist())) == [800.0, 1200.0]
    assert sorted(set(ds["storage.battery.capex_energy"].values.tolist())) == [0.6, 1.0, 1.4]
    assert "generation" not in ds and "capacity" in ds
    for sc in run.planned:
        assert float(ds["objective"].sel(scenario=sc.id)) == pytest.approx(
            xr.load_dataset(out / sc.id / "results.nc").attrs["objective"], rel=1e-12
        )
    # cheaper batteries: more battery energy at either coal price
    e = ds["storage_energy"].sum(["period", "zone", "storage"])
    for price in (800.0, 1200.0):
        at = e.where(ds["fuels.coal.price"] == price, drop=True)
        lv = at["storage.battery.capex_energy"].values
        assert at.values[np.argmin(lv)] >= at.values[np.argmax(lv)]
    assert "Tornado" in (out / "sensitivity.html").read_text()

    mtimes = {sc.id: (out / sc.id / "results.nc").stat().st_mtime_ns for sc in run.planned}
    again = run_sweep(load_sweep(f, out), client=client, echo=lambda s: None)
    assert again.computed == 0 and again.done == 6
    assert mtimes == {sc.id: (out / sc.id / "results.nc").stat().st_mtime_ns for sc in run.planned}
    assert all([e["event"] for e in read_log(out / sc.id)].count("done") == 1 for sc in run.planned)


def test_failures_recorded_and_not_rerun(tmp_path: Path, client: Any) -> None:
    """A bad path, a bad value and an infeasible target are recorded with their reasons; the base
    case still solves; a re-run retries none of them."""
    small_case(tmp_path / "case", days=4)
    f = write_sweep(
        tmp_path,
        {
            "base": "case",
            "design": "list",
            "reuse": False,
            "scenarios": [
                {},
                {"storage.batery.capex_energy": 100},
                {"discount_rate": 1.5},
                {"targets.solar_min.min": 50, "targets.solar_cap.enabled": True},
            ],
        },
    )
    run = run_sweep(load_sweep(f, tmp_path / "out"), client=client, echo=lambda s: None)
    by_label = {sc.label: run.outcomes[sc.id] for sc in run.planned}
    assert by_label["base case"].status == "done"
    assert by_label["storage.batery.capex_energy=100"].kind == "parameter"
    assert "did you mean 'battery'" in by_label["storage.batery.capex_energy=100"].reason
    assert "less than 1" in by_label["discount_rate=1.5"].reason
    infeasible = by_label["targets.solar_min.min=50, targets.solar_cap.enabled=True"]
    assert infeasible.status == "failed" and infeasible.kind.startswith("infeasible")
    assert "in 2025: short by 20 MW" in infeasible.reason  # the diagnosis names a target, 50 - 30 MW
    sid = next(
        sc.id for sc in run.planned if sc.label == "targets.solar_min.min=50, targets.solar_cap.enabled=True"
    )
    assert json.loads((tmp_path / "out" / sid / "failed.json").read_text())["reason"] == infeasible.reason
    ds = xr.load_dataset(tmp_path / "out" / "sweep.nc")
    assert list(ds["status"].values) == ["done", "failed", "failed", "failed"]
    assert np.isnan(ds["objective"].values[1:]).all()
    again = run_sweep(load_sweep(f, tmp_path / "out"), client=client, echo=lambda s: None)
    assert again.computed == 0 and again.failed == 3


def test_target_costs_by_hand(tmp_path: Path, client: Any) -> None:
    """100 MW flat load, 100 MW existing coal at 300 CNY/MWh (0.798 tCO2/MWh), solar at
    1000 CNY/kW-yr saving 657 CNY/kW-yr of coal (2190 MWh/MW-yr). Targets: solar >= 20 MW and
    CO2 <= 650,000 t. The CO2 cap needs solar >= (876,000 - 650,000/0.798)/2190 = 28.0656 MW.
      without the CO2 cap: 20 MW solar -> premium 343e3 CNY/MW-yr * 8.0656 MW = 2.7665e6 CNY/yr
      without the solar target: still 28.0656 MW -> premium 0
    CO2 shadow price: 343e3 / (2190 * 0.798) = 196.27 CNY/tCO2."""
    sc = base(
        100.0,
        profiles={"solar": "solar.csv"},
        fuels=COAL,
        technologies={
            "coal": {"kind": "thermal", "fuel": "coal", "heat_rate": 300, "existing": 100},
            "solar": {
                "kind": "variable",
                "profile": "solar",
                "capex": 1000,
                "lifetime": 1,
                "build_max": "inf",
            },
        },
        targets={
            "solar_min": {"kind": "capacity", "name_zh": "光伏", "technologies": ["solar"], "min": 20},
            "co2": {"kind": "co2_cap", "name_zh": "碳排放", "max": 650_000},
        },
        time={"mode": "representative_days", "days": 1},
    )
    case = write_case(tmp_path / "case", sc, {"solar.csv": series(z=daily(SUN))})
    tc = target_costs(case, client=client, out=tmp_path / "tc", echo=lambda s: None)
    s_need = (876_000 - 650_000 / 0.798) / 2190
    t = tc.table.set_index("target")
    assert t.loc["co2", "premium [CNY, PV]"] == pytest.approx(343e3 * (s_need - 20), rel=1e-6)
    assert t.loc["co2", "premium [CNY/yr]"] == pytest.approx(343e3 * (s_need - 20), rel=1e-6)
    assert t.loc["solar_min", "premium [CNY, PV]"] == pytest.approx(0.0, abs=1.0)
    assert t.loc["co2", "shadow price unit"] == "CNY/tCO2"
    assert abs(t.loc["co2", "shadow price 2025"]) == pytest.approx(343e3 / (2190 * 0.798), rel=1e-6)
    assert t.loc["solar_min", "shadow price 2025"] == pytest.approx(0.0, abs=1e-6)
    assert t.loc["co2", "Δ capacity solar 2025 [MW]"] == pytest.approx(s_need - 20, rel=1e-6)
    assert t.loc["co2", "name_zh"] == "碳排放"
    assert tc.csv.is_file() and "碳排放" in tc.html.read_text(encoding="utf-8")
    # the solar target has price 0 in the base run: not re-solved, premium 0 by LP duality ...
    assert not t.loc["solar_min", "re-solved"] and t.loc["co2", "re-solved"]
    assert "not re-solved" in t.loc["solar_min", "note"]
    assert len(tc.run.planned) == 2  # the base and the CO2 cap only
    resolved = [sc for sc in tc.run.planned if sc.settings]
    assert resolved[0].settings["solver.crossover"].value is False  # a re-solve needs no vertex
    change = tc.capacity.set_index("target").loc["solar_min", "change [MW]"]
    assert (change == 0.0).all() and len(change) == 2  # coal and solar, unchanged
    # ... and re-solving it agrees: the same premium (0) and the same CO2 premium
    full = target_costs(case, client=client, out=tmp_path / "tc_all", echo=lambda s: None, resolve_all=True)
    f = full.table.set_index("target")
    assert f.loc["solar_min", "re-solved"] and len(full.run.planned) == 3
    assert f.loc["solar_min", "premium [CNY, PV]"] == pytest.approx(0.0, abs=1.0)
    assert f.loc["co2", "premium [CNY, PV]"] == pytest.approx(t.loc["co2", "premium [CNY, PV]"], rel=1e-9)


def test_target_costs_of_a_reserve_margin(tmp_path: Path, client: Any) -> None:
    """A reserve-margin target adds its own dimension (reserve_margin) to the results; without it
    the dimension is absent, and the combined sweep (3 scenarios: xarray's concat failed there)
    must still be written. 100 MW flat load, 100 MW existing coal at 100 CNY/MWh, margin 20%:
    20 MW of ccgt (vom 95, 130 CNY/kW-yr) at a net
    130 - 5 x 8.76 = 86.2 CNY/kW-yr, so the premium is 20,000 kW x 86.2 = 1,724,000 CNY/yr
    (tests/test_reserve_margin.py derives the two objectives, 89,324,000 and 87,600,000 CNY)."""
    ccgt = {"kind": "thermal", "vom": 95.0, "capex": 1000.0, "lifetime": 10, "fom": 30.0, "build_max": "inf"}
    rm = {
        "kind": "reserve_margin",
        "name_zh": "规划备用率",
        "min": 0.2,
        "credits": {"coal": 1.0, "ccgt": 1.0},
    }
    sc = base(
        100.0,
        technologies={"coal": {"kind": "thermal", "vom": 100.0, "existing": 100.0}, "ccgt": ccgt},
        targets={"rm": rm, "coal_min": {"kind": "capacity", "technologies": ["coal"], "min": 50}},
    )
    case = write_case(tmp_path / "case", sc, {})
    tc = target_costs(case, client=client, out=tmp_path / "tc", echo=lambda s: None, resolve_all=True)
    t = tc.table.set_index("target")
    assert len(tc.run.planned) == 3 and t.loc["rm", "re-solved"]
    assert t.loc["coal_min", "premium [CNY/yr]"] == pytest.approx(0.0, abs=1.0)
    assert t.loc["rm", "premium [CNY/yr]"] == pytest.approx(20_000 * 86.2, rel=1e-6)
    assert t.loc["rm", "Δ capacity ccgt 2025 [MW]"] == pytest.approx(20.0, rel=1e-6)
    comb = xr.load_dataset(tc.run.sweep.out / "sweep.nc")
    firm = comb["firm_capacity"].sel(reserve_margin="rm", period=2025, resource="ccgt")
    assert float(firm.sel(scenario=scenario_id({}))) == pytest.approx(20.0, rel=1e-6)
    (no_rm,) = [sc.id for sc in tc.run.planned if "targets.rm.enabled" in sc.settings]
    assert np.isnan(float(firm.sel(scenario=no_rm)))  # no margin, no firm capacity


# ----------------------------------------------------------------------------------------------
# no data loss, no runaway sweep files (issue 20)


def test_sweep_file_goes_through_the_guarded_reader(tmp_path: Path) -> None:
    """Duplicate keys and alias bombs in a sweep file are errors naming the file and line; an
    unsafe sweep name and a grid of millions of scenarios are refused."""
    small_case(tmp_path / "case")
    f = tmp_path / "dup.yaml"
    f.write_text("base: case\nparameters: {discount_rate: [0.05]}\nbase: other\n")
    with pytest.raises(InputError, match=r"line 3.*duplicate key 'base'"):
        load_sweep(f)
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    f.write_text("\n".join(lines) + "\n")
    t0 = time.monotonic()
    with pytest.raises(InputError, match="alias bomb"):
        load_sweep(f)
    assert time.monotonic() - t0 < 5
    with pytest.raises(InputError, match="plain folder name"):
        load_sweep(write_sweep(tmp_path, {"name": "../../x", "base": "case", "parameters": {"seed": [1]}}))
    grid = {f"p{i}": {"paths": ["discount_rate"], "range": [0.01, 0.09], "steps": 10} for i in range(8)}
    with pytest.raises(InputError, match="more than 10000 scenarios"):
        load_sweep(write_sweep(tmp_path, {"base": "case", "parameters": grid}))
    with pytest.raises(InputError, match="samples"):
        load_sweep(
            write_sweep(
                tmp_path,
                {
                    "base": "case",
                    "design": "random",
                    "samples": 10**9,
                    "parameters": {"discount_rate": [0.05]},
                },
            )
        )


def test_failing_rerun_keeps_earlier_results(tmp_path: Path, client: Any) -> None:
    """A re-run after the base case changed, in which two of three scenarios fail: their earlier
    results.nc stay byte for byte, the one that solves is replaced, and sweep.nc points only at
    results of this run, every one of which exists."""
    case = small_case(tmp_path / "case", days=4)
    f = write_sweep(
        tmp_path,
        {
            "base": "case",
            "design": "list",
            "reuse": False,
            "scenarios": [{"targets.solar_min.min": v} for v in (10, 60, 80)],
        },
    )
    out = tmp_path / "out"
    first = run_sweep(load_sweep(f, out), client=client, echo=lambda s: None)
    assert first.done == 3
    before = {sc.id: (out / sc.id / "results.nc").read_bytes() for sc in first.planned}
    text = (case / "scenario.yaml").read_text()
    (case / "scenario.yaml").write_text(text.replace("potential: 400", "potential: 50"))
    again = run_sweep(load_sweep(f, out), client=client, echo=lambda s: None)
    status = {sc.label: again.outcomes[sc.id].status for sc in again.planned}
    assert status == {
        "targets.solar_min.min=10": "done",
        "targets.solar_min.min=60": "failed",
        "targets.solar_min.min=80": "failed",
    }
    for sc in again.planned:
        now = (out / sc.id / "results.nc").read_bytes()
        assert (now == before[sc.id]) == (again.outcomes[sc.id].status == "failed")
        assert (out / sc.id / "failed.json").is_file() == (again.outcomes[sc.id].status == "failed")
    ds = xr.load_dataset(out / "sweep.nc")
    paths = [str(p) for p in ds["results_path"].values]
    assert [bool(p) for p in paths] == [True, False, False]
    assert all((out / p).is_file() for p in paths if p)


CONCURRENT = """
import sys
from gridplan.cli import main
sys.argv = ["gridplan", "sweep", sys.argv[1], "--out", sys.argv[2], "--workers", "1"]
main()
"""


def test_two_concurrent_sweeps_on_one_output(tmp_path: Path) -> None:
    """Two sweep processes on the same output at once: each either finishes or fails at once with
    "another sweep is writing to"; every scenario's result equals a serial run of it."""
    import subprocess
    import sys

    small_case(tmp_path / "case", days=4)
    f = write_sweep(
        tmp_path,
        {"base": "case", "design": "list", "reuse": False, "scenarios": [{}, {"fuels.coal.price": 1500}]},
    )
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(f), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=600), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(c for c, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    for code, err in results:
        if code == 2:
            assert "another sweep is writing to" in err
    sweep = load_sweep(f, out)
    for sc in plan_scenarios(sweep):
        with xr.open_dataset(out / sc.id / "results.nc") as ds:
            objective = ds.attrs["objective"]
        assert objective == pytest.approx(
            gridplan.run(out / sc.id / "scenario.yaml").attrs["objective"], rel=1e-9
        )
    assert not list(out.rglob("*.tmp"))


def test_disk_full_in_a_scenario_keeps_its_earlier_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while a worker writes a scenario's results.nc: recorded as an 'output' failure
    (retried on the next run), the earlier results.nc byte for byte."""
    import errno

    import gridplan.results
    from gridplan.sweep import Job, run_job, status

    small_case(tmp_path / "case", days=4)
    sweep = load_sweep(
        write_sweep(tmp_path, {"base": "case", "design": "list", "reuse": False, "scenarios": [{}]}),
        tmp_path / "out",
    )
    (sc,) = plan_scenarios(sweep)
    case = write_scenario(sweep, sc)
    folder = tmp_path / "out" / sc.id
    (folder / "results.nc").write_bytes(b"earlier results")

    def full(ds: Any, path: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gridplan.results, "write", full)
    res = run_job(Job(sc.id, str(case), str(folder), sweep.fingerprint))
    assert res["status"] == "failed" and res["kind"] == "output" and "No space left" in res["reason"]
    assert (folder / "results.nc").read_bytes() == b"earlier results"
    assert status(folder, sweep.fingerprint)[0] == "retry"


def test_local_workers_bounded_by_the_cores(tmp_path: Path) -> None:
    import typer

    small_case(tmp_path / "case", days=4)
    f = write_sweep(tmp_path, {"base": "case", "parameters": {"discount_rate": [0.05]}})
    with pytest.raises(typer.Exit) as e:
        sweep_cli(f, out=tmp_path / "out", workers=100000)
    assert e.value.exit_code == 2 and not (tmp_path / "out").exists()


def test_unwritable_sweep_output_fails_before_solving(tmp_path: Path) -> None:
    """`gridplan sweep` and `gridplan target-costs` with an output that is a file: exit 2 before
    any scenario runs (no Dask cluster is started)."""
    import typer

    from gridplan.sweep.cli import target_costs_cli

    case = small_case(tmp_path / "case", days=4)
    (tmp_path / "afile").write_text("x")
    f = write_sweep(tmp_path, {"base": "case", "parameters": {"discount_rate": [0.05]}})
    for call in (
        lambda: sweep_cli(f, out=tmp_path / "afile"),
        lambda: target_costs_cli(case, out=tmp_path / "afile" / "sub"),
    ):
        t0 = time.monotonic()
        with pytest.raises(typer.Exit) as e:
            call()
        assert e.value.exit_code == 2 and time.monotonic() - t0 < 30
    assert (tmp_path / "afile").read_text() == "x"


def test_sampled_values_are_rounded_in_labels_not_in_ids(tmp_path: Path) -> None:
    """A Latin-hypercube sample's label shows 6 significant digits (no 12-digit floats); the
    scenario id still hashes the exact value, so two samples never share an id."""
    small_case(tmp_path / "case")
    spec = SweepSpec(
        base="case",
        design="random",
        samples=3,
        parameters={"fuels.coal.price": {"range": [800.0, 1200.0]}},
    )
    planned = [sc for sc in plan_scenarios(make_sweep(spec, tmp_path)) if sc.label != "base case"]
    assert len(planned) == 3 and len({sc.id for sc in planned}) == 3
    for sc in planned:
        value = sc.label.split("=", 1)[1]
        assert len(value.replace(".", "")) <= 6, sc.label


SWEEP_ATTRS = ("sweep_id", "sweep_fingerprint", "warm_start")  # the sweep's own records


def _same_as_run(swept: xr.Dataset, run: xr.Dataset) -> None:
    """The same data variables (values, dims, attributes) and the same attributes apart from
    timings (seconds_*) and the sweep's own records."""
    assert list(swept.data_vars) == list(run.data_vars)
    xr.testing.assert_identical(swept.drop_attrs(deep=False), run.drop_attrs(deep=False))

    def kept(ds: xr.Dataset) -> dict[str, Any]:
        return {k: v for k, v in ds.attrs.items() if not k.startswith("seconds_") and k not in SWEEP_ATTRS}

    assert kept(swept) == kept(run)


def test_sweep_scenario_is_gridplan_run(tmp_path: Path, client: Any) -> None:
    """A sweep scenario's results.nc is what `gridplan run --threads 1` gives for its scenario.yaml
    (both go through gridplan.pipeline), input warnings included; with reuse, a scenario that only
    changes a cost starts from the base basis and needs fewer simplex iterations than cold."""
    case = small_case(tmp_path / "case", days=4)
    solar = pd.read_csv(case / "solar.csv")
    solar["extra"] = 0.0  # an unused column: an input warning
    solar.to_csv(case / "solar.csv", index=False)
    runs = {}
    for reuse in (False, True):
        f = write_sweep(
            tmp_path,
            {"base": "case", "design": "list", "reuse": reuse, "scenarios": [{}, {"fuels.coal.price": 1500}]},
        )
        out = tmp_path / f"out_{reuse}"
        runs[reuse] = run_sweep(load_sweep(f, out), client=client, echo=lambda s: None)
        assert runs[reuse].done == 2
    cold, warm = runs[False], runs[True]
    for sc in cold.planned:
        swept = xr.load_dataset(cold.sweep.out / sc.id / "results.nc")
        alone = gridplan.run(cold.sweep.out / sc.id / "scenario.yaml", solver={"threads": 1})
        assert "column not used by profiles.solar" in swept.attrs["input_warnings"]
        assert swept.attrs["warm_start"] == "off"
        _same_as_run(swept, alone)
    base_id, dear_id = (sc.id for sc in warm.planned)
    base = xr.load_dataset(warm.sweep.out / base_id / "results.nc")
    _same_as_run(base, gridplan.run(warm.sweep.out / base_id / "scenario.yaml", solver={"threads": 1}))
    dear = xr.load_dataset(warm.sweep.out / dear_id / "results.nc")
    dear_cold = xr.load_dataset(cold.sweep.out / dear_id / "results.nc")
    assert dear.attrs["warm_start"] == "base basis" and "warm start" in dear.attrs["solver"]
    assert dear.attrs["objective"] == pytest.approx(dear_cold.attrs["objective"], rel=1e-9)
    assert dear.attrs["input_warnings"] == dear_cold.attrs["input_warnings"]
    assert 0 < dear.attrs["lp_simplex_iterations"] < dear_cold.attrs["lp_simplex_iterations"]
