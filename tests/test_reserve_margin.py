"""The planning reserve margin (规划备用率, target kind `reserve_margin`), issue 22: hand-computed
optima on one-zone systems, its shadow price checked by perturbing the margin, and its loopholes
shown closed.

Unless a test says otherwise: one zone, 2025 (one year, no discounting), a flat 100 MW load for
8,760 hours, 100 MW of existing coal (credit 1.0). Candidates, annualised at r = 0 as capex /
lifetime:
    peaker  capex 1,000 CNY/kW over 10 yr + FOM 20 = 120 CNY/kW-yr, 300 CNY/MWh: never runs
    ccgt    capex 1,000 CNY/kW over 10 yr + FOM 30 = 130 CNY/kW-yr, 5 CNY/MWh below coal
"""

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
PEAKER = {"kind": "thermal", "vom": 300.0, "capex": 1000.0, "lifetime": 10, "fom": 20.0, "build_max": "inf"}


def case(
    coal_vom: float = 100.0,
    margin: Any = 0.2,
    credits: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """The module's system with a reserve_margin target `rm` of `margin` and `credits`."""
    techs = {"coal": {"kind": "thermal", "vom": coal_vom, "existing": 100.0}, "peaker": PEAKER}
    techs.update(extra or {})
    tg = {"kind": "reserve_margin", "name_zh": "规划备用率", "min": margin}
    tg["credits"] = credits if credits is not None else {"coal": 1.0, "peaker": 1.0}
    return base(100.0, technologies=techs, targets={"rm": tg}, **kw)


def row(ds: xr.Dataset, var: str, label: str = "rm", period: int = 2025) -> float:
    return float(ds[var].sel(target=label, period=period))


def cap(ds: xr.Dataset, tech: str) -> float:
    return float(ds.capacity.sel(period=2025, tech=tech).sum())


def test_margin_met_by_the_cheapest_firm_option_at_its_net_cost(tmp_path: Path) -> None:
    """Margin 20% on a 100 MW peak: 120 MW firm, 20 MW more than the coal. The ccgt (vom 95 against
    coal's 100) earns 5 CNY/MWh x 8,760 h = 43.8 CNY/kW-yr of energy value when it runs all year,
    so its net annual cost is 130 - 43.8 = 86.2 CNY/kW-yr, below the peaker's 120 - 0 (it never
    runs): the margin is met by 20 MW of ccgt, and its shadow price is 86.2 CNY/kW-yr.
    Objective: coal 80 MW x 8,760 x 100 + ccgt 20 x 8,760 x 95 + 20,000 kW x 130
    = 70,080,000 + 16,644,000 + 2,600,000 = 89,324,000 CNY (the case without the target:
    100 x 8,760 x 100 = 87,600,000; the difference is 20,000 kW x 86.2).
    Perturbed to 21%: one more MW of ccgt, +86,200 CNY, the shadow price again."""
    ccgt = {"kind": "thermal", "vom": 95.0, "capex": 1000.0, "lifetime": 10, "fom": 30.0, "build_max": "inf"}
    credits = {"coal": 1.0, "peaker": 1.0, "ccgt": 1.0}
    ds = gridplan.run(write_case(tmp_path / "a", case(credits=credits, extra={"ccgt": ccgt})))
    assert cap(ds, "ccgt") == pytest.approx(20.0, rel=1e-6)
    assert cap(ds, "peaker") == pytest.approx(0.0, abs=1e-6)
    assert row(ds, "target_required") == pytest.approx(120.0, rel=1e-9)
    assert row(ds, "target_achieved") == pytest.approx(120.0, rel=1e-6)
    assert row(ds, "target_shadow_price") == pytest.approx(130.0 - 5.0 * H / 1000, rel=1e-6)
    assert bool(ds.target_binds.sel(target="rm", period=2025))
    assert str(ds.target_price_unit.sel(target="rm").values) == "CNY/kW-yr"
    assert ds.attrs["objective"] == pytest.approx(89_324_000.0, rel=1e-7)
    up = gridplan.run(write_case(tmp_path / "b", case(margin=0.21, credits=credits, extra={"ccgt": ccgt})))
    slope = (up.attrs["objective"] - ds.attrs["objective"]) / (0.01 * 100.0 * 1000)  # CNY per kW
    assert slope == pytest.approx(86.2, rel=1e-6)
    assert row(ds, "target_shadow_price") == pytest.approx(slope, rel=1e-6)
    # the results' firm-capacity table: credit x capacity in service, and the requirement
    firm = ds.firm_capacity.sel(reserve_margin="rm", period=2025)
    assert float(firm.sel(resource="coal")) == pytest.approx(100.0)
    assert float(firm.sel(resource="ccgt")) == pytest.approx(20.0, rel=1e-6)
    assert float(ds.firm_requirement.sel(reserve_margin="rm", period=2025)) == pytest.approx(120.0)
    assert ds.firm_capacity.attrs["units"] == "MW"


def wind_case(credit: float) -> dict[str, Any]:
    """Coal at 20 CNY/MWh; wind 600 CNY/kW over 10 yr = 60 CNY/kW-yr, availability 0.2."""
    wind = {"kind": "variable", "profile": "wind", "capex": 600.0, "lifetime": 10, "build_max": "inf"}
    sc = case(coal_vom=20.0, credits={"coal": 1.0, "peaker": 1.0, "wind": credit}, extra={"wind": wind})
    sc["profiles"] = {"wind": "wind.csv"}
    return sc


def test_wind_at_credit_01_loses_to_gas_at_credit_1(tmp_path: Path) -> None:
    """20 MW firm needed. A kW of wind yields 0.2 x 8,760 = 1,752 kWh/yr, saving coal at 20
    CNY/MWh: 35.04 CNY/kW-yr against its 60, a net 24.96 CNY/kW-yr, i.e. 24.96 / credit per kW of
    firm capacity. Credit 0.1: 249.6 > the peaker's 120: 20 MW of peaker, no wind, price 120;
    objective 100 x 8,760 x 20 + 20,000 x 120 = 19,920,000 CNY. Credit 0.5: 49.92 < 120: 40 MW of
    wind (40 x 0.5 = 20 firm), no peaker, price 49.92; objective 17,520,000 + 40,000 x 24.96
    = 18,518,400 CNY."""
    tables = {"wind.csv": series(z=0.2)}
    low = gridplan.run(write_case(tmp_path / "low", wind_case(0.1), tables))
    assert cap(low, "peaker") == pytest.approx(20.0, rel=1e-6)
    assert cap(low, "wind") == pytest.approx(0.0, abs=1e-6)
    assert row(low, "target_shadow_price") == pytest.approx(120.0, rel=1e-6)
    assert low.attrs["objective"] == pytest.approx(19_920_000.0, rel=1e-7)
    high = gridplan.run(write_case(tmp_path / "high", wind_case(0.5), tables))
    assert cap(high, "wind") == pytest.approx(40.0, rel=1e-6)
    assert cap(high, "peaker") == pytest.approx(0.0, abs=1e-6)
    assert row(high, "target_shadow_price") == pytest.approx(49.92, rel=1e-6)
    assert high.attrs["objective"] == pytest.approx(18_518_400.0, rel=1e-7)


def battery_case(hours: float | None) -> dict[str, Any]:
    """A lossless battery: power 100 CNY/kW and energy 10 CNY/kWh over 10 yr (10 CNY/kW-yr and
    1 CNY/kWh-yr), any duration."""
    bat = {
        "capex_power": 100.0,
        "capex_energy": 10.0,
        "lifetime": 10,
        "eff_charge": 1.0,
        "eff_discharge": 1.0,
        "build_max": "inf",
    }
    sc = case(credits={"coal": 1.0, "peaker": 1.0, "bat": 1.0}, storage={"bat": bat})
    sc["targets"]["rm"]["storage_hours"] = hours
    return sc


def test_storage_counts_by_its_duration(tmp_path: Path) -> None:
    """Flat load, flat price: the battery has no energy value. With storage_hours 4 a firm kW needs
    1 kW of power and 4 kWh (margin_storage_power, margin_storage_energy): 10 + 4 = 14 CNY/kW-yr
    below the peaker's 120, so 20 MW / 80 MWh is built, price 14. Without the duration rule
    (storage_hours null) power alone counts: 20 MW with no energy, price 10 — the loophole of
    counting a zero-hour battery as firm that the default closes."""
    ds = gridplan.run(write_case(tmp_path / "h4", battery_case(4.0)))
    assert float(ds.storage_power.sel(period=2025, storage="bat").sum()) == pytest.approx(20.0, rel=1e-6)
    assert float(ds.storage_energy.sel(period=2025, storage="bat").sum()) == pytest.approx(80.0, rel=1e-6)
    assert row(ds, "target_shadow_price") == pytest.approx(14.0, rel=1e-6)
    firm = ds.firm_capacity.sel(reserve_margin="rm", period=2025, resource="bat")
    assert float(firm) == pytest.approx(20.0, rel=1e-6)
    free = gridplan.run(write_case(tmp_path / "none", battery_case(None)))
    assert float(free.storage_energy.sel(period=2025, storage="bat").sum()) == pytest.approx(0.0, abs=1e-6)
    assert row(free, "target_shadow_price") == pytest.approx(10.0, rel=1e-6)


EV = [0.0] * 18 + [20.0] * 4 + [0.0] * 2  # MW by hour of day


def test_the_peak_is_exogenous_and_dr_counts_once(tmp_path: Path) -> None:
    """The loopholes closed. A base load of 100 MW, with one spike of 140 MW at noon on day 200,
    and EV charging (a demand component) of 20 MW in hours 18-21: the input's peak is 140 MW
    (the spike; 120 MW every evening). Solved on ONE representative day, whose own peak is 120 MW.
    Coal 120 MW (credit 1); interruptible DR `ind` (credit 1, up to 10 MW at 5 CNY/kW-yr); EV
    managed charging `ev` shifts the EV load (credit 0: not named).
    Requirement: 1.2 x 140 = 168 MW, the full-year peak before DR, not 1.2 x 120 (the typical day)
    nor 1.2 x 100 (the load after shifting the EV charging away). The DR counts once, as supply:
    10 MW, and the peaker 168 - 120 - 10 = 38 MW (counting DR twice, also off the peak, would
    leave 1.2 x 130 - 130 = 26 MW). Price: the peaker's 120 CNY/kW-yr."""
    load = daily([100.0] * 24)
    load[199 * 24 + 12] = 140.0
    sc = case(
        credits={"coal": 1.0, "peaker": 1.0, "ind": 1.0},
        demand_response={
            "ind": {"potential": 10.0, "fixed_cost": 5.0, "dispatch_cost": 5000.0},
            "ev": {"mode": "shift", "acts_on": "ev_charging", "potential": 20.0},
        },
        time={"mode": "representative_days", "days": 1},
    )
    sc["technologies"]["coal"]["existing"] = 120.0
    sc["_load"] = load
    sc["demand"]["components"] = {"ev_charging": {"file": "ev.csv", "annual_energy": 20.0 * 4 * 365}}
    ds = gridplan.run(write_case(tmp_path, sc, {"ev.csv": series(z=daily(EV))}))
    assert float(ds.demand.sel(period=2025).max()) == pytest.approx(120.0, rel=1e-6)  # the typical day
    assert row(ds, "target_required") == pytest.approx(168.0, rel=1e-9)
    assert float(ds.firm_peak_load.sel(reserve_margin="rm", period=2025)) == pytest.approx(140.0)
    assert float(ds.dr_capacity.sel(period=2025, dr="ind").sum()) == pytest.approx(10.0, rel=1e-6)
    assert cap(ds, "peaker") == pytest.approx(38.0, rel=1e-6)
    assert row(ds, "target_shadow_price") == pytest.approx(120.0, rel=1e-6)
    assert "ev" not in ds.resource.values  # what the credits do not name counts nothing


def test_a_zone_counts_its_own_resources_and_channels(tmp_path: Path) -> None:
    """Two zones joined by a 200 MW link; loads a 100 MW, b 50 MW (flat). Coal 200 MW in a only.
    The target on zone b (margin 10%: 55 MW) counts b's resources: an import channel into b of
    20 MW at credit 0.5 (10 MW firm, too dear to use) and the peaker built in b: 45 MW. The coal in
    a counts nothing for b."""
    sc = base(
        100.0,
        zones=("a", "b"),
        technologies={
            "coal": {"kind": "thermal", "vom": 100.0, "existing": {"a": 200.0}},
            "peaker": PEAKER,
        },
        links={"ab": {"from": "a", "to": "b", "capacity": 200.0}},
        imports={"imp": {"zone": "b", "capacity": 20.0, "price": 5000.0}},
        targets={
            "rm_b": {
                "kind": "reserve_margin",
                "zone": "b",
                "min": 0.1,
                "credits": {"coal": 1.0, "peaker": 1.0, "imp": 0.5},
            }
        },
    )
    sc["_load"] = {"a": 100.0, "b": 50.0}
    ds = gridplan.run(write_case(tmp_path, sc))
    assert row(ds, "target_required", "rm_b") == pytest.approx(55.0)
    assert float(ds.capacity.sel(period=2025, tech="peaker", zone="b")) == pytest.approx(45.0, rel=1e-6)
    assert float(ds.capacity.sel(period=2025, tech="peaker", zone="a")) == pytest.approx(0.0, abs=1e-6)
    firm = ds.firm_capacity.sel(reserve_margin="rm_b", period=2025)
    assert float(firm.sel(resource="imp")) == pytest.approx(10.0)
    assert float(firm.sel(resource="coal")) == pytest.approx(0.0)
    assert str(ds.reserve_margin_zone.sel(reserve_margin="rm_b").values) == "b"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"min": 1.5}, "targets.rm.min", "share in [0, 1]"),
        ({"min": -0.1}, "targets.rm.min", "share in [0, 1]"),
        ({"credits": {"coal": 1.2}}, "targets.rm.credits.coal", "credit in [0, 1]"),
        ({"credits": {"coal": {2025: -0.1}}}, "targets.rm.credits.coal.2025", "credit in [0, 1]"),
        ({"credits": {"cole": 1.0}}, "targets.rm.credits.cole", "did you mean"),
        ({"credits": {}}, "targets.rm.credits", "needs credits"),
        ({"zone": "north"}, "targets.rm.zone", "zone 'north' is not defined"),
        ({"max": 0.3}, "targets.rm.max", "takes no max"),
        ({"credits": {"coal": {2030: 1.0}}}, "targets.rm.credits.coal.2030", "period 2030"),
        ({"min": 0.5, "credits": {"coal": 1.0}}, "targets.rm.min", "at most 100 MW"),
    ],
)
def test_bad_reserve_margin_input_is_named(
    tmp_path: Path, change: dict[str, Any], field: str, words: str
) -> None:
    """Each mistake is an error naming the field (no solve): margins outside [0, 1], credits outside
    [0, 1] or naming nothing, a zone that does not exist, a max, a period the case lacks, and a
    margin the credited resources cannot reach (1.5 x 100 MW with only the coal credited)."""
    sc = case()
    sc["technologies"]["peaker"] = {**PEAKER, "build_max": 0}
    sc["targets"]["rm"].update(change)
    errs = [p for p in check(write_case(tmp_path, sc)) if p.is_error]
    assert any(p.field == field and words in p.message for p in errs), [str(p) for p in errs]


def test_groups_with_different_credits_are_an_error(tmp_path: Path) -> None:
    sc = case(credits={"thermal_fleet": 1.0, "coal_group": 0.9, "peaker": 1.0})
    sc["technologies"]["coal"]["groups"] = ["thermal_fleet", "coal_group"]
    errs = [p for p in check(write_case(tmp_path, sc)) if p.is_error]
    assert [p.field for p in errs] == ["targets.rm.credits.coal_group"]
    sc["targets"]["rm"]["credits"]["coal"] = 0.9  # a direct name decides
    assert not [p for p in check(write_case(tmp_path / "b", sc)) if p.is_error]


def test_no_margin_target_leaves_the_lp_as_it_was(tmp_path: Path) -> None:
    """Without a reserve_margin target the margin family adds no row and no column."""
    from gridplan.case import load_case
    from gridplan.lp.build import build
    from gridplan.timesteps import select

    sc = case()
    sc["targets"] = {}
    inputs = load_case(write_case(tmp_path, sc))
    m, _ = build(inputs, select(inputs))
    assert len(m.margin_storage) == len(m.margin_storage_power) == len(m.margin_storage_energy) == 0
    assert not np.any([c.name.startswith("margin") for c in m.component_data_objects()])


def test_report_and_compare_show_firm_capacity_against_the_requirement(tmp_path: Path) -> None:
    """The report's chart stacks 100 MW of coal and 20 MW of peaker against the 120 MW requirement
    (markers) and the 100 MW peak, in English and Chinese; `compare` shows it per run, and the
    target table computes the firm capacity of a run without the target from its results: the
    coal's 100 MW."""
    from gridplan.report import compare_figures, figures

    ds = gridplan.run(write_case(tmp_path / "a", case()))
    fig = figures(ds)["firm"]
    bars = {t.name: float(t.y[0]) for t in fig.data if t.type == "bar"}
    assert bars == pytest.approx({"Coal": 100.0, "peaker": 20.0}, rel=1e-6)
    marks = {t.name: float(t.y[0]) for t in fig.data if t.type == "scatter"}
    assert marks == pytest.approx({"requirement": 120.0, "peak load": 100.0})
    assert "MW" in fig.layout.yaxis.title.text
    zh = figures(ds, lang="zh")["firm"]
    assert zh.layout.title.text == "有效容量与规划备用要求"
    off = case()
    off["targets"]["rm"]["enabled"] = False
    off["name"] = "no-margin"
    ds0 = gridplan.run(write_case(tmp_path / "b", off))
    items = compare_figures([ds, ds0])
    assert "firm" in items
    table = items["targets"]
    row_ = next(r for r in table.rows if r[0].startswith("rm"))
    assert row_[2].startswith("120") and row_[4] == "120" and row_[5] == "100"


def test_achieved_firm_capacity_of_storage_where_the_margin_does_not_bind(tmp_path: Path) -> None:
    """Margin 0 (requirement = the 100 MW peak), met by the coal alone; an existing 10 MW / 80 MWh
    battery adds min(10, 80 / 4) = 10 MW: achieved 110 MW, slack 10 MW, price 0, whatever value
    the free margin_storage takes below its bounds."""
    sc = battery_case(4.0)
    sc["targets"]["rm"]["min"] = 0.0
    sc["storage"]["bat"].update({"existing": 10.0, "existing_duration": 8.0, "build_max": 0})
    ds = gridplan.run(write_case(tmp_path, sc))
    assert row(ds, "target_achieved") == pytest.approx(110.0, rel=1e-9)
    assert row(ds, "target_slack") == pytest.approx(10.0, rel=1e-9)
    assert row(ds, "target_shadow_price") == pytest.approx(0.0, abs=1e-9)
    total = float(ds.firm_capacity.sel(reserve_margin="rm", period=2025).sum())
    assert total == pytest.approx(110.0, rel=1e-9)


def test_export_writes_the_firm_capacity_table(tmp_path: Path) -> None:
    """`gridplan export --csv` writes firm.csv: one row per target, period and credited resource."""
    from gridplan.report.show import export_csv

    ds = gridplan.run(write_case(tmp_path / "case", case()))
    paths = export_csv(ds, tmp_path / "tables")
    import pandas as pd

    firm = pd.read_csv(next(p for p in paths if p.name == "firm.csv"), encoding="utf-8-sig")
    assert list(firm.columns) == [
        "reserve_margin",
        "period",
        "resource",
        "firm_capacity_MW",
        "capacity_credit",
    ]
    assert dict(zip(firm.resource, firm.firm_capacity_MW, strict=True)) == pytest.approx(
        {"coal": 100.0, "peaker": 20.0}
    )
