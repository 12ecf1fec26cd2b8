"""Demand response bounded by the load it acts on (issue 17, item 4): hand-computed optima.

One zone, a full year of identical days. A cheap generator (100 MW existing, 100 CNY/MWh) and a
peaker (1000 MW existing, 2000 CNY/MWh), nothing to build. EV charging is a demand component of
10 MW in hours 18-21 and 0 otherwise (14,600 MWh/yr), on top of a flat 100 MW base load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

import gridplan
from cases import base, daily, series, write_case
from gridplan.case import load_case
from gridplan.cli import app
from gridplan.errors import InputError
from gridplan.lp.build import build
from gridplan.timesteps import select

ROOT = Path(__file__).resolve().parents[1]
DAYS = 365
EV = [0.0] * 18 + [10.0] * 4 + [0.0] * 2  # MW by hour of day


def case(tmp_path: Path, base_load: list[float], drs: dict[str, Any], cheap: float = 100.0) -> Path:
    """The system of the module docstring with the given base-load day and DR resources."""
    sc = base(
        daily(base_load),
        technologies={
            "cheap": {"kind": "thermal", "vom": 100, "existing": cheap, "build_max": 0},
            "peaker": {"kind": "thermal", "vom": 2000, "existing": 1000, "build_max": 0},
        },
        demand_response=drs,
    )
    sc["demand"]["components"] = {"ev_charging": {"file": "ev.csv", "annual_energy": 10.0 * 4 * DAYS}}
    return write_case(tmp_path, sc, {"ev.csv": series(z=daily(EV))})


def day_of(ds: xr.Dataset, var: str, dr: str) -> np.ndarray:
    """A DR series [MW] of the first day (every day is the same)."""
    return ds[var].sel(period=2025, zone="z", dr=dr).to_numpy()[:24]


SPIKE = [100.0] * 19 + [130.0] + [100.0] * 4  # base load with a 30 MW spike at 19:00


def test_shed_is_capped_by_the_ev_load(tmp_path: Path) -> None:
    """DR on EV charging (cap 100 MW, 500 CNY/MWh) sheds where the peaker runs (hours 18-21,
    load 110/140/110/110 MW), at most the EV load: 10 MW in each of the four hours; the peaker
    still covers 30 MW at 19:00. Cost/yr: 100 MW * 8760 h * 100 + 40 MWh/day * 365 * 500
    + 30 MWh/day * 365 * 2000 = 87.6 + 7.3 + 21.9 = 116.8 million CNY."""
    drs = {"ev": {"acts_on": "ev_charging", "potential": 100, "dispatch_cost": 500}}
    ds = gridplan.run(case(tmp_path, SPIKE, drs))
    down = day_of(ds, "dr_reduction", "ev")
    assert down == pytest.approx(np.array(EV), abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx(87.6e6 + 7.3e6 + 21.9e6, rel=1e-7)


def test_without_acts_on_the_whole_load_is_shed(tmp_path: Path) -> None:
    """The same resource on the whole zone load (the old behaviour) sheds all 40 MW at 19:00:
    DR 70 MWh/day * 365 * 500 = 12.775 million CNY, no peaker; 100.375 million CNY in all."""
    drs = {"ev": {"potential": 100, "dispatch_cost": 500}}
    ds = gridplan.run(case(tmp_path, SPIKE, drs))
    down = day_of(ds, "dr_reduction", "ev")
    assert down[18:22] == pytest.approx([10.0, 40.0, 10.0, 10.0], abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx(87.6e6 + 12.775e6, rel=1e-7)


def test_two_resources_share_the_component(tmp_path: Path) -> None:
    """Two resources on EV charging, 8 MW each at 500 and 600 CNY/MWh: together at most the
    10 MW of EV load, the cheaper first (8 + 2 MW in each of hours 18-21). Cost/yr:
    87.6 + (32 * 500 + 8 * 600) * 365 + 21.9 million CNY = 117.092 million CNY."""
    drs = {
        "a": {"acts_on": "ev_charging", "potential": 8, "dispatch_cost": 500},
        "b": {"acts_on": "ev_charging", "potential": 8, "dispatch_cost": 600},
    }
    ds = gridplan.run(case(tmp_path, SPIKE, drs))
    a, b = day_of(ds, "dr_reduction", "a"), day_of(ds, "dr_reduction", "b")
    assert a[18:22] == pytest.approx([8.0] * 4, abs=1e-6)
    assert (a + b) == pytest.approx(np.array(EV), abs=1e-6)
    expected = 87.6e6 + (32 * 500 + 8 * 600) * DAYS + 21.9e6
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)


def test_payback_only_where_the_component_has_headroom(tmp_path: Path) -> None:
    """Shift on EV charging with payback_peak 0.5: payback raises EV charging to at most
    0.5 * 10 MW (its peak) = 5 MW, so 5 MW in a non-EV hour. The base load is 80 MW in hours 0-5
    (cheap spare 20 MW), else 100 MW; paying back outside hours 0-5 costs the peaker's 2000 CNY/MWh,
    what the shift saved, plus 10 CNY/MWh of dispatch cost, so only 6 h * 5 MW = 30 MWh/day move:
    dr_up = 5 MW in hours 0-5, dr_down 30 MWh/day within hours 18-21. Cost/day: cheap
    (2320 - 10) MWh * 100 + peaker 10 MWh * 2000 + 30 MWh * 10 = 251,300 CNY; * 365."""
    night = [80.0] * 6 + [100.0] * 18
    drs = {
        "ev": {
            "acts_on": "ev_charging",
            "mode": "shift",
            "potential": 100,
            "dispatch_cost": 10,
            "payback_peak": 0.5,
        }
    }
    ds = gridplan.run(case(tmp_path, night, drs))
    up, down = day_of(ds, "dr_payback", "ev"), day_of(ds, "dr_reduction", "ev")
    assert up == pytest.approx([5.0] * 6 + [0.0] * 18, abs=1e-6)
    assert down.sum() == pytest.approx(30.0, abs=1e-6)
    assert down[:18].sum() + down[22:].sum() == pytest.approx(0.0, abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx(251_300 * DAYS, rel=1e-7)
    # the default payback_peak 1.0 leaves 10 MW of headroom at night: all 40 MWh/day move
    drs["ev"]["payback_peak"] = 1.0
    ds = gridplan.run(case(tmp_path / "full", night, drs))
    assert day_of(ds, "dr_reduction", "ev").sum() == pytest.approx(40.0, abs=1e-6)
    assert ds.attrs["objective"] == pytest.approx((2320 * 100 + 40 * 10) * DAYS, rel=1e-7)


def test_unknown_component_is_an_input_error(tmp_path: Path) -> None:
    """acts_on must name a demand component: the error names the field and the nearest name."""
    drs = {"ev": {"acts_on": "ev_charge", "potential": 100}}
    path = case(tmp_path, SPIKE, drs)
    with pytest.raises(InputError) as e:
        load_case(path)
    msg = str(e.value)
    assert "demand_response.ev.acts_on" in msg and "did you mean 'ev_charging'" in msg
    assert "scenario.yaml" in msg
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--no-report"])
    assert r.exit_code == 2, r.output
    assert "demand_response.ev.acts_on" in r.output
    assert not out.exists() or not any(out.iterdir())


def test_new_rows_are_documented(tmp_path: Path) -> None:
    """dr_load_max and dr_payback_max are built and written down in model/formulation.md."""
    drs = {"ev": {"acts_on": "ev_charging", "mode": "shift", "potential": 100}, "ind": {"potential": 5}}
    inputs = load_case(case(tmp_path, SPIKE, drs))
    m, _ = build(inputs, select(inputs))
    text = (ROOT / "model" / "formulation.md").read_text(encoding="utf-8")
    for name in ("dr_load_max", "dr_payback_max"):
        assert len(getattr(m, name)) > 0
        assert re.search(rf"`{name}`", text), name
    assert ("*", "z", 2025, 0) in m.dr_load_max  # the whole-load row of `ind` (and `ev`)
