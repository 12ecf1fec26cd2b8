"""Reports (issue 8): figures whose numbers a person can check against the results, the HTML
written atomically and offline, and the page rendered in a real headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import typer
import xarray as xr
from typer.testing import CliRunner

import gridplan
from cases import base, daily, series, write_case
from gridplan.report.charts.prices import PLOT_POINTS, duration_curve
from gridplan.report.cli import compare_cli, report_cli
from gridplan.report.compare import compare_figures
from gridplan.report.run import load_runs, make_run, run_labels, split
from gridplan.report.series import dispatch_series
from gridplan.report.single import figures
from gridplan.report.window import pick_window
from gridplan.results import write

H = 8760
SINGLE = [
    "capacity",
    "changes",
    "energy",
    "dispatch_peak",
    "dispatch_solar",
    "storage",
    "emissions",
    "prices",
    "reserves",
    "retirement",
    "targets",
    "firm",
    "costs",
    "network",
]
COMPARE = [
    "summary",
    "capacity",
    "capacity_diff",
    "retirement",
    "energy",
    "emissions",
    "costs",
    "prices",
    "reserves",
    "targets",
    "firm",
    "dispatch",
]


def scenario(co2_2030: float, name: str) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Two zones, two periods, solar, wind, coal (with retirement and life extension), a gas peaker,
    pumped hydro and batteries, a corridor, an import channel, peak demand response and three
    targets, on 12 representative days."""
    hours = np.arange(H)
    season = 0.8 + 0.2 * np.sin(2 * np.pi * hours / H - np.pi / 2)
    sun = np.clip(np.sin((hours % 24 - 6) / 12 * np.pi), 0, None) * season
    wind = 0.35 + 0.25 * np.sin(2 * np.pi * hours / 97.0)
    load = daily([0.7] * 7 + [0.9] * 10 + [1.1] * 5 + [0.8] * 2) * (
        1 + 0.25 * np.cos(2 * np.pi * (hours - 4800) / H)
    )
    sc = base(
        zones=("a", "b"),
        name=name,
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        discount_rate=0.05,
        fuels={"coal": {"price": 900.0, "co2": 2.66, "coal": True}},
        profiles={"solar": "solar.csv", "wind": "wind.csv", "imp": "imp.csv"},
        technologies={
            "solar_utility": {
                "kind": "variable",
                "profile": "solar",
                "capex": 3000,
                "lifetime": 25,
                "build_max": "inf",
                "groups": ["solar"],
            },
            "wind_onshore": {
                "kind": "variable",
                "profile": "wind",
                "capex": 7000,
                "lifetime": 25,
                "build_max": "inf",
                "existing": {"b": 20},
            },
            "coal_600": {
                "kind": "thermal",
                "fuel": "coal",
                "heat_rate": 300,
                "vom": 20,
                "capex": 3800,
                "lifetime": 30,
                "existing": {"a": {2025: 80, 2030: 50}, "b": 40},
                "build_max": "inf",
                "retirement": {"mothball_fom": 20.0, "life_extension": {"capex": 300.0, "years": 10}},
            },
            "gas_peaker": {
                "kind": "thermal",
                "vom": 700,
                "capex": 2500,
                "lifetime": 25,
                "build_max": "inf",
                "name_zh": "燃气调峰",
            },
        },
        storage={
            "pumped_hydro": {
                "existing": {"a": 10},
                "existing_duration": 6,
                "eff_charge": 0.88,
                "eff_discharge": 0.9,
            },
            "battery": {"capex_power": 600, "capex_energy": 700, "lifetime": 15, "build_max": "inf"},
        },
        links={"ab": {"from": "a", "to": "b", "capacity": 30, "loss": 0.03, "capex": 1500, "build_max": 100}},
        imports={
            "hydro_import": {
                "zone": "a",
                "capacity": 15,
                "profile": "imp",
                "price": 200,
                "name_zh": "外来水电",
            }
        },
        demand_response={
            "peak_dr": {"potential": {"b": 10}, "fixed_cost": 20, "dispatch_cost": 300, "max_hours": 200}
        },
        targets={
            "solar_capacity": {
                "kind": "capacity",
                "technologies": ["solar"],
                "min": {2025: 0, 2030: 120},
                "name_zh": "光伏装机",
            },
            "co2": {"kind": "co2_cap", "max": {2025: 1.2e5, 2030: co2_2030}, "name_zh": "碳排放总量"},
            "clean_share": {
                "kind": "non_fossil_share",
                "min": {2025: 0.2, 2030: 0.35},
                "name_zh": "非化石能源发电占比",
            },
            "firm": {  # 2025 only, not binding: 120 coal + 10 pumped hydro + 15 import >= 137.5 MW peak
                "kind": "reserve_margin",
                "min": {2025: 0.0},
                "credits": {"coal_600": 1.0, "pumped_hydro": 1.0, "hydro_import": 1.0},
                "name_zh": "规划备用率",
            },
        },
        reserves={"spinning": {"load_share": 0.05, "name_zh": "旋转备用"}},
        time={"mode": "representative_days", "days": 12, "extreme_periods": ["peak_load"]},
    )
    sc["zones"] = {
        "a": {"name_zh": "赣北", "lat": 29.5, "lon": 116.0},
        "b": {"name_zh": "赣南", "lat": 25.8, "lon": 115.0},
    }
    sc["_load"] = {"a": 60 * load, "b": 40 * load}
    tables = {
        "solar.csv": series(a=sun, b=0.9 * sun),
        "wind.csv": series(a=wind, b=0.8 * wind),
        "imp.csv": series(hydro_import=np.full(H, 0.9)),
    }
    return sc, tables


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[xr.Dataset, xr.Dataset]:
    """The base plan and one with a tighter 2030 CO2 cap, each read back from its results file."""
    out = []
    for cap, name in ((4.0e4, "base plan"), (3.0e4, "tight CO2")):
        folder = tmp_path_factory.mktemp(name.replace(" ", "_"))
        sc, tables = scenario(cap, name)
        path = write(gridplan.run(write_case(folder / "case", sc, tables)), folder / "results.nc")
        with xr.open_dataset(path) as ds:
            out.append(ds.load())
    return out[0], out[1]


def visible(fig: Any) -> list[Any]:
    return [t for t in fig.data if t.visible is not False]


def slot(fig: Any, group: str, period: str) -> float:
    """Sum of all bar values at one (group, period) slot of a two-level category axis."""
    total = 0.0
    for t in fig.data:
        if t.type == "bar":
            pairs = list(zip(t.x[0], t.x[1], strict=True))
            total += float(np.asarray(t.y)[pairs.index((group, period))])
    return total


def test_figures_present_with_units(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    figs = figures(runs[0])
    assert list(figs) == SINGLE
    assert figs["capacity"].layout.yaxis.title.text == "capacity [MW]"
    assert figs["energy"].layout.yaxis.title.text == "energy [GWh/yr]"
    assert figs["dispatch_peak"].layout.yaxis.title.text == "power [MW]"
    assert figs["prices"].layout.yaxis.title.text == "marginal price [CNY/MWh]"
    assert figs["prices"].layout.xaxis.title.text == "hours of the year [h]"
    assert figs["emissions"].layout.yaxis.title.text == "CO₂ emissions [ktCO₂/yr]"
    assert figs["emissions"].layout.yaxis2.title.text == "coal use [ktce/yr]"
    assert figs["costs"].layout.yaxis.title.text == "annual cost [million CNY/yr]"


def test_capacity_bars_add_up_to_installed_capacity(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """All-zone bar of 2030 = generation capacity + storage power in 2030 [MW]; zone a's likewise."""
    ds = runs[0]
    fig = figures(ds)["capacity"]
    total = float(ds.capacity.sel(period=2030).sum() + ds.storage_power.sel(period=2030).sum())
    assert slot(fig, "all zones", "2030") == pytest.approx(total, rel=1e-9)
    zone_a = float(
        ds.capacity.sel(period=2030, zone="a").sum() + ds.storage_power.sel(period=2030, zone="a").sum()
    )
    assert slot(fig, "a", "2030") == pytest.approx(zone_a, rel=1e-9)
    # existing pumped hydro is solid (10 MW in zone a), nothing of it hatched
    ph = [t for t in fig.data if t.name == "Pumped hydro"]
    assert [t.marker.pattern.shape for t in ph] == [""]


def test_dispatch_stack_closes_the_balance(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """In every hour shown, the stack above zero minus the stack below it equals the load line,
    for the province and for each zone (links, imports, storage, DR and losses included)."""
    ds = runs[0]
    r = make_run(ds, "en")
    for zone in (None, "a", "b"):
        s = dispatch_series(r, 2030, zone)
        stacked = sum(v for _, _, _, v, kind in s if kind != "line")
        load = next(v for key, _, _, v, kind in s if kind == "line")
        assert np.max(np.abs(stacked - load)) < 1e-4 * float(load.max())

    def line(zone: str | None) -> np.ndarray:  # read back from the run's memo after the first call
        return next(v for _, _, _, v, kind in dispatch_series(r, 2030, zone) if kind == "line")

    assert np.allclose(line(None), line("a") + line("b"))  # the memo is per zone
    assert not np.allclose(line("a"), line("b"))
    fig = figures(ds)["dispatch_peak"]
    shown = visible(fig)  # the default view: last period, all zones
    line = next(t for t in shown if t.stackgroup is None)
    areas = sum(np.asarray(t.y, dtype=float) for t in shown if t.stackgroup)
    assert np.max(np.abs(areas - np.asarray(line.y))) < 1e-3
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels == ["2030 · all zones", "2030 · a", "2030 · b", "2025 · all zones", "2025 · a", "2025 · b"]


def test_dispatch_window_of_representative_days(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """Seven representative days in calendar order, including the day of peak load (kept as an
    extreme day that represents itself: ×1)."""
    ds = runs[0]
    r = make_run(ds, "en")
    load = ds.demand.sel(period=2030).sum("zone").values
    w = pick_window(r, load, "peak", "2030")
    assert len(w.steps) == 7 * 24
    first_hours = ds.hour_of_year.values[w.steps[::24]]
    assert list(first_hours) == sorted(first_hours)
    assert int(np.argmax(load)) in set(w.steps.tolist())
    assert any(label.endswith("×1") for _, label in w.ticks)
    assert "peak load at" in w.subtitle


def test_full_year_week_starts_three_days_before_the_peak() -> None:
    """Full hourly year with the peak at hour 100*24 + 18: the week shown is days 97..103."""
    load = np.full(H, 50.0)
    load[100 * 24 + 18] = 90.0
    ds = xr.Dataset(
        {
            "weight": ("time", np.ones(H)),
            "hour_of_year": ("time", np.arange(H)),
            "block": ("time", np.zeros(H)),
            "demand": (("period", "zone", "time"), load[None, None, :]),
        },
        coords={"period": [2025], "zone": ["z"], "time": np.arange(H)},
    )
    w = pick_window(make_run(ds, "en"), load, "peak", "2025")
    assert w.steps[0] == 97 * 24 and w.steps[-1] == 104 * 24 - 1
    assert w.ticks[0] == (0, "8 Apr")  # day 97 of a non-leap year
    assert "7 days from 8 Apr" in w.subtitle


def test_price_duration_curve_weighted_and_downsampled(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    # two steps: 20 CNY/MWh for 1 h, 10 CNY/MWh for 3 h
    x, y = duration_curve(np.array([10.0, 20.0]), np.array([3.0, 1.0]))
    assert list(x) == [0.0, 1.0, 4.0] and list(y) == [20.0, 10.0, 10.0]
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 500, H)
    x, y = duration_curve(p, np.ones(H))
    assert len(x) == PLOT_POINTS + 1 and x[-1] == H
    assert y[0] == p.max() and y[-1] == p.min() and np.all(np.diff(y) <= 0)
    ds = runs[0]
    fig = figures(ds)["prices"]
    curve = next(t for t in fig.data if t.name == "a" and t.xaxis == "x2")  # 2030, zone a
    assert curve.x[-1] == pytest.approx(float(ds.weight.sum()))
    assert curve.y[0] == pytest.approx(float(ds.price.sel(period=2030, zone="a").max()))


def test_targets_emissions_and_costs_match_results(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    ds = runs[0]
    figs = figures(ds)
    rows = figs["targets"].rows
    solar_2030 = next(r for r in rows if r[0] == "solar_capacity" and r[3] == "2030")
    assert solar_2030[1] == "光伏装机"  # Chinese name beside the English
    assert (
        solar_2030[4] == "120"
        and solar_2030[7] == f"{float(ds.target_shadow_price.sel(target='solar_capacity', period=2030)):,.4g}"
    )
    caps = [t for t in figs["emissions"].data if t.name == "cap: co2 碳排放总量"]
    assert list(np.asarray(caps[0].y)) == pytest.approx([120.0, 40.0])  # ktCO2/yr
    co2 = sum(
        np.asarray(t.y, dtype=float) for t in figs["emissions"].data if t.type == "bar" and t.xaxis == "x"
    )
    assert co2 * 1e3 == pytest.approx(ds.emissions.values, rel=1e-9)
    costs = sum(np.asarray(t.y, dtype=float) for t in figs["costs"].data)
    assert costs * 1e6 == pytest.approx(ds.cost_annual.sum("component").values, rel=1e-9)
    assert figs["costs"].layout.title.subtitle.text.endswith(f"{ds.attrs['objective'] / 1e9:,.3f} bn CNY")


def test_chinese_report(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """--lang zh: Chinese titles, axes in 万千瓦 / 亿千瓦时-style units and Chinese names of
    technologies (built-in or the scenario's name_zh), storage, DR, imports and targets."""
    figs = figures(runs[0], "zh")
    assert figs["capacity"].layout.title.text == "分期分区装机容量"
    assert figs["capacity"].layout.yaxis.title.text == "装机容量（万千瓦）"
    assert figs["prices"].layout.yaxis.title.text == "边际电价（元/兆瓦时）"
    names = {t.name for f in figs.values() if isinstance(f, go.Figure) for t in f.data if t.name}
    for expected in ("集中式光伏", "陆上风电", "60万千瓦级煤电", "抽水蓄能", "新型储能", "外来水电"):
        assert expected in names
    dispatch = {t.name for t in figs["dispatch_peak"].data}
    assert "尖峰负荷响应" in dispatch  # peak_dr: built-in name
    assert "抽水蓄能 放电" in dispatch and "新型储能 充电" in dispatch
    table = figs["targets"]
    assert table.header[:2] == ["中文名称", "目标"]
    # values in the chart units: 120 MW of solar = 12 万千瓦, the 2030 CO2 cap 40,000 t = 4 万吨CO₂
    solar = next(r for r in table.rows if r[1] == "solar_capacity" and r[3] == "2030")
    assert (solar[4], solar[6]) == ("12", "万千瓦")
    co2 = next(r for r in table.rows if r[1] == "co2" and r[3] == "2030")
    assert (co2[4], co2[6]) == ("4", "万吨CO₂")
    assert "上限：碳排放总量（co2）" in {t.name for t in figs["emissions"].data}
    zones = [b.label for b in figs["dispatch_peak"].layout.updatemenus[0].buttons]
    assert "2030 · 赣北" in zones


def test_compare_summary_and_sweep_split(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    a, b = runs
    figs = compare_figures([a, b])
    assert list(figs) == COMPARE
    table = figs["summary"]
    assert table.header[2:] == ["base plan", "tight CO2", "Δ tight CO2"]
    cells = {row[0]: row[2:] for row in table.rows}
    cost = cells["total system cost (present value)"]
    assert float(cost[0]) == pytest.approx(a.attrs["objective"] / 1e9, rel=1e-3)
    assert float(cost[2]) == pytest.approx(
        (b.attrs["objective"] - a.attrs["objective"]) / 1e9, rel=1e-2, abs=1e-3
    )
    co2 = cells["CO₂ emissions 2030"]
    assert [float(co2[0]), float(co2[1])] == pytest.approx([40.0, 30.0], rel=1e-4)  # ktCO2/yr at the caps
    # a sweep file: one dataset with a `scenario` dimension is split per label
    sweep = xr.concat([a, b], dim=pd.Index(["base", "tight"], name="scenario"), join="outer")
    parts = split(sweep)
    assert [p.attrs["scenario"] for p in parts] == ["base", "tight"]
    assert float(parts[1].emissions.sel(period=2030)) == pytest.approx(float(b.emissions.sel(period=2030)))
    labels = [t.name for t in compare_figures([sweep])["prices"].data if t.showlegend]
    assert labels == ["base", "tight"]
    # a sweep file keeps no hourly variables: the charts that need them are left out
    static = sweep.drop_dims([d for d in ("time", "hour") if d in sweep.dims])
    hourly = {"dispatch_peak", "dispatch_solar", "storage", "prices", "reserves"}
    assert list(figures(static)) == [k for k in SINGLE if k not in hourly]
    assert list(compare_figures([static])) == [k for k in COMPARE if k not in {"prices", "dispatch"}]


def test_cli_writes_reports_atomically(runs: tuple[xr.Dataset, xr.Dataset], tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("report")(report_cli)
    app.command("compare")(compare_cli)
    a, b = (write(ds, tmp_path / f"{i}.nc") for i, ds in enumerate(runs))
    cli = CliRunner()
    res = cli.invoke(app, ["report", str(a), "-o", str(tmp_path / "r.html"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "@font-face" in html and "gridplan 电力规划结果报告" in html
    assert "<script src=" not in html and "<link " not in html  # everything inline
    assert not list(tmp_path.glob(".r.html.*"))  # no temporary file left behind
    res = cli.invoke(app, ["compare", str(a), str(b), "-o", str(tmp_path / "c.html")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "c.html").stat().st_size < 20e6
    # a sweep file without hourly variables: each scenario's full results.nc is read instead
    sweep = xr.concat(list(runs), dim=pd.Index(["s0", "s1"], name="scenario"), join="outer")
    sweep = sweep.drop_dims([d for d in ("time", "hour") if d in sweep.dims])
    sweep["label"] = ("scenario", ["base", "tight"])
    sweep["results_path"] = ("scenario", [a.name, b.name])
    sweep.to_netcdf(tmp_path / "sweep.nc")
    parts = load_runs(tmp_path / "sweep.nc")
    assert [p.attrs["scenario"] for p in parts] == ["base", "tight"] and all("time" in p.dims for p in parts)
    res = cli.invoke(app, ["report", str(tmp_path / "sweep.nc"), "-o", str(tmp_path / "s.html")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s-base.html").exists() and (tmp_path / "s-tight.html").exists()
    res = cli.invoke(app, ["report", str(a), "--lang", "fr"])
    assert res.exit_code == 2 and "--lang must be one of en, zh" in res.output
    res = cli.invoke(app, ["report", str(tmp_path / "missing.nc")])
    assert res.exit_code == 2 and "no such results file" in res.output


def without_targets(ds: xr.Dataset, names: list[str], label: str) -> xr.Dataset:
    """The results as a run with these targets disabled would store them: no rows of the targets,
    `enabled: false` in the scenario, another scenario label (the physical results kept)."""
    sc = json.loads(ds.attrs["scenario_yaml"])
    for n in names:
        sc["targets"][n]["enabled"] = False
    keep = [t for t in ds["target"].values if str(t) not in names]
    return ds.sel(target=keep).assign_attrs(scenario=label, scenario_yaml=json.dumps(sc))


def test_compare_shows_achieved_values_of_disabled_targets(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """A run without the solar, CO2 and clean-share targets still shows what it achieves: solar
    capacity, emissions and the non-fossil share computed from its results equal the values the
    model reported for the same results when the targets were imposed (in italics, no price)."""
    a = runs[0]
    off = without_targets(a, ["solar_capacity", "co2", "clean_share"], "no targets")
    table = compare_figures([a, off])["targets"]
    assert table.header[4:6] == ["achieved: base plan", "achieved: no targets"]
    rows = {(r[0], r[1]): (i, r) for i, r in enumerate(table.rows)}
    for label, name, unit in (
        ("solar_capacity", "solar_capacity 光伏装机", "MW"),
        ("co2", "co2 碳排放总量", "tCO2"),
        ("clean_share", "clean_share 非化石能源发电占比", "share"),
    ):
        i, row = rows[(name, "2030")]
        model = float(a.target_achieved.sel(target=label, period=2030))
        shown = row[5]
        if unit == "share":
            assert shown == f"{model * 100:.1f} %"
        elif unit == "tCO2":  # ktCO2 in the table
            assert float(shown.replace(",", "")) == pytest.approx(model / 1e3, rel=1e-3)
        else:
            assert float(shown.replace(",", "")) == pytest.approx(model, rel=1e-3)
        assert row[4] == shown  # same results: same achieved value
        assert (i, 5) in table.marked and (i, 4) not in table.marked
        assert row[7] == "–"  # no shadow price where the target is not imposed
    assert "not imposed" in table.note


def test_long_labels_get_aliases_and_rounded_values(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    a, b = runs
    long = b.assign_attrs(scenario="storage.battery.capex_power ×0.712345678912, fuels.coal.price ×1.2")
    assert run_labels([long, long]) == [
        "storage.battery.capex_power ×0.7123, fuels.coal.price ×1.2",
        "storage.battery.capex_power ×0.7123, fuels.coal.price ×1.2 (2)",
    ]
    figs = compare_figures([a, long])
    assert figs["plans"].rows[1][:2] == ["S2", "storage.battery.capex_power ×0.7123, fuels.coal.price ×1.2"]
    assert figs["summary"].header[2:] == ["S1", "S2", "Δ S2"]
    assert {tuple(t.x[0]) for t in figs["capacity"].data} == {("S1", "S1", "S2", "S2")}


def test_charge_and_imports_have_their_own_colours(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    fig = figures(runs[0])["energy"]
    colour = {t.name: t.marker.color for t in fig.data if t.type == "bar"}
    assert colour["Pumped hydro charge"] != colour["Pumped hydro discharge"]
    assert colour["Hydropower imports"] not in {colour[k] for k in colour if k.startswith("Coal")}


def test_target_cost_page_draws_noise_as_zero(tmp_path: Path) -> None:
    """Premiums of 1.5e-7 CNY/yr (solver noise; 1e-7 of a 1e9 CNY/yr system is 100 CNY/yr) are drawn
    and tabled as 0; 2.7665e6 CNY/yr is 2.767 million CNY/yr and 276.6 万元/年; plain axis numbers."""
    from gridplan.report.sweep_pages import target_page

    table = pd.DataFrame(
        {
            "target": ["solar_min", "co2"],
            "name_zh": ["光伏", "碳排放"],
            "kind": ["capacity", "co2_cap"],
            "premium [CNY, PV]": [-1.5e-7, 2.7665e6],
            "premium [CNY/yr]": [1.5e-7, 2.7665e6],
            "shadow price 2025": [0.0, -196.27],
            "shadow price unit": ["CNY/kW-yr", "CNY/tCO2"],
            "note": ["", ""],
        }
    )
    cap = pd.DataFrame(
        columns=["target", "period", "tech", "change [MW]", "with target [MW]", "without target [MW]"]
    )
    for lang, unit, value in (("en", "million CNY/yr", 2.7665), ("zh", "万元/年", 276.65)):
        html = target_page("c/scenario.yaml", table, cap, tmp_path / f"{lang}.html", lang, 1e9).read_text(
            "utf-8"
        )
        fig = json.loads(
            re.search(r'id="data-premium">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</")
        )
        assert fig["data"][0]["y"][0] == 0.0 and fig["data"][0]["y"][1] == pytest.approx(value)
        assert fig["data"][0]["text"] == ["0", f"{value:,.4g}"]
        assert (
            fig["layout"]["yaxis"]["exponentformat"] == "none"
            and unit in fig["layout"]["yaxis"]["title"]["text"]
        )
        assert ("碳排放（co2）" in html) == (lang == "zh")


def test_achieved_capacity_counts_groups_dr_and_imports(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """Capacity of a target's members: the group 'solar', the DR resource (only in zone b), the
    import channel (15 MW in zone a) and storage, as the results hold them."""
    from gridplan.report.tables import achieved

    a = runs[0]
    r = make_run(a, "en")
    cap = {"kind": "capacity"}
    solar = float(a.capacity.sel(period=2030, tech="solar_utility").sum())
    assert achieved(r, {**cap, "technologies": ["solar"]}, 2030) == pytest.approx(solar)
    dr = float(a.dr_capacity.sel(period=2030).sum())
    assert dr > 0
    assert achieved(r, {**cap, "technologies": ["peak_dr"]}, 2030) == pytest.approx(dr)
    assert achieved(r, {**cap, "technologies": ["peak_dr"], "zone": "a"}, 2030) == 0.0
    assert achieved(r, {**cap, "technologies": ["hydro_import"], "zone": "a"}, 2030) == pytest.approx(15.0)
    assert achieved(r, {**cap, "technologies": ["hydro_import"], "zone": "b"}, 2030) == 0.0
    battery = float(a.storage_power.sel(period=2030, storage="battery").sum())
    assert achieved(r, {**cap, "technologies": ["battery", "solar"]}, 2030) == pytest.approx(battery + solar)
    assert np.isnan(achieved(r, {"kind": "peak_response"}, 2030))


def test_reserve_chart_and_table_match_results(runs: tuple[xr.Dataset, xr.Dataset]) -> None:
    """The reserve chart's default view (2030): in every hour shown, the stacked areas add up to
    what the resources could hold (reserve_available summed over zones and resources), the line is
    the requirement (5% of load) and the dashed line the reserve price. The comparison table's
    mean price is the hour-weighted mean of reserve_price; its cost is reserve_cost in million CNY/yr."""
    ds = runs[0]
    fig = figures(ds)["reserves"]
    shown = visible(fig)
    steps = next(t for t in shown if t.name == "requirement")
    avail = ds.reserve_available.sel(reserve="spinning", period=2030).sum(("zone", "reserve_provider")).values
    need = ds.reserve_requirement.sel(reserve="spinning", period=2030, area="system").values
    assert np.allclose(need, 0.05 * ds.demand.sel(period=2030).sum("zone").values, rtol=1e-9)
    areas = sum(np.asarray(t.y, dtype=float) for t in shown if t.stackgroup)
    price_2030 = ds.reserve_price.sel(reserve="spinning", period=2030).max("area").values
    score = price_2030 if np.nanmax(price_2030) > 1e-6 else need  # the window: around its peak
    idx = pick_window(make_run(ds, "en"), np.nan_to_num(score), "peak", "").steps
    assert np.allclose(np.asarray(steps.y, dtype=float), need[idx], rtol=1e-6)
    assert np.allclose(areas, avail[idx], rtol=1e-5)
    assert (areas >= np.asarray(steps.y, dtype=float) * (1 - 1e-6)).all()  # the requirement is met
    price = next(t for t in shown if t.yaxis == "y2")
    p = ds.reserve_price.sel(reserve="spinning", period=2030, area="system").values
    assert np.allclose(np.asarray(price.y, dtype=float), p[idx], atol=1e-3)
    assert figures(ds, "zh")["reserves"].layout.title.text.startswith("运行备用")
    table = compare_figures(list(runs))["reserves"]
    row = next(r for r in table.rows if r[1] == "2025" and r[2].startswith("mean price"))
    w = ds.weight.values
    p25 = ds.reserve_price.sel(reserve="spinning", period=2025, area="system").values
    assert float(row[3].replace(",", "")) == pytest.approx(float((p25 * w).sum() / w.sum()), abs=0.05)
    assert float(p25.max()) > 1.0  # 2025's reserve binds in some hours
    cost = next(r for r in table.rows if r[1] == "2025" and r[2].startswith("cost"))
    assert float(cost[3].replace(",", "")) == pytest.approx(
        float(ds.reserve_cost.sel(reserve="spinning", period=2025)) / 1e6, abs=0.05
    )
