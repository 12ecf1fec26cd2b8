"""Early retirement, mothballing (封存/应急备用) and life extension (延寿) of existing thermal
capacity (issue 22; lp/retirement.py), on systems computed by hand.

Common set-up unless a test says otherwise: one zone, full-year hourly steps, no discounting,
value of lost load 10,000 CNY/MWh; a flat load of 100 MW served by 100 MW of `gas` at 20 CNY/MWh
(no fixed cost), and a coal cluster at 300 CNY/MWh whose energy is needed only in PEAK hours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xarray as xr

import gridplan
from cases import base, write_case
from gridplan.case import load_case
from gridplan.errors import InputError
from gridplan.lp.build import build
from gridplan.pipeline import run_with_check
from gridplan.timesteps import select

H = 8760
PEAK = [d * 24 + 18 for d in range(10)]  # 18:00 on the first ten days: 10 h a year
GAS = {"kind": "thermal", "vom": 20.0, "existing": 100.0}
GAS_COST = 100 * H * 20.0  # 17,520,000 CNY/yr


def load(peak: float) -> np.ndarray:
    """100 MW flat, `peak` MW in the PEAK hours."""
    x = np.full(H, 100.0)
    x[PEAK] = peak
    return x


def coal(fom: float, retirement: dict[str, Any] | None, existing: Any = 100.0, **kw: Any) -> dict[str, Any]:
    """A coal cluster at 300 CNY/MWh with linearised commitment (free start-ups)."""
    c: dict[str, Any] = {
        "kind": "thermal",
        "vom": 300.0,
        "fom": fom,
        "existing": existing,
        "commitment": {"min_stable": 0.5, "ramp": 1.0, "startup_cost": 0.0},
    }
    if retirement is not None:
        c["retirement"] = retirement
    c.update(kw)
    return c


def at(ds: xr.Dataset, name: str, period: int = 2025) -> float:
    return float(ds[name].sel(period=period, zone="z", tech="coal"))


@pytest.mark.parametrize(("fom", "kept"), [(90.0, 50.0), (100.0, 0.0)])
def test_unit_retires_exactly_when_its_fixed_om_exceeds_its_value(
    tmp_path: Path, fom: float, kept: float
) -> None:
    """The peak (150 MW, 10 h a year) needs 50 MW of coal beyond the gas; the other 50 MW are
    never needed and retire whatever their FOM. A kW kept for the peak avoids 10 h x (10,000 -
    300) CNY/MWh = 97 CNY/kW-yr of lost load: with FOM 90 < 97 the 50 MW are kept, with FOM 100 >
    97 they retire too and the peak goes unserved.
      FOM 90:  17,520,000 + 50 MW x 10 h x 300 (150,000) + 90 x 50,000 kW (4,500,000) = 22,170,000
      FOM 100: 17,520,000 + 50 MW x 10 h x 10,000 (5,000,000) = 22,520,000
    Without the decision (FOM 100) the plan pays FOM on all 100 MW: 17,520,000 + 150,000 +
    10,000,000 = 27,670,000, i.e. the saving is FOM x retired capacity net of the lost load."""
    sc = base(load(150.0), technologies={"gas": GAS, "coal": coal(fom, {"early": True})})
    ds = gridplan.run(write_case(tmp_path / "r", sc))
    expected = GAS_COST + (kept * 10 * 300 + fom * kept * 1e3 if kept else 50 * 10 * 10000.0)
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)
    assert at(ds, "retired") == pytest.approx(100.0 - kept, abs=1e-4)
    assert at(ds, "capacity") == pytest.approx(kept, abs=1e-4)  # capacity in service
    assert at(ds, "capacity_existing") == pytest.approx(100.0)
    # retired capacity neither produces nor is committed
    commit = ds.commitment.sel(period=2025, zone="z", tech="coal")
    assert float(commit.max()) <= kept + 1e-4
    assert float(ds.cost.sel(component="fixed_om", period=2025)) == pytest.approx(fom * kept * 1e3, rel=1e-7)
    if fom == 100.0:
        sc["technologies"]["coal"] = coal(fom, None)
        fixed = gridplan.run(write_case(tmp_path / "f", sc))
        assert fixed.attrs["objective"] == pytest.approx(GAS_COST + 150_000 + 10_000_000, rel=1e-7)
        assert "retired" not in fixed


def test_capacity_requirement_keeps_capacity_and_mothballed_units_do_not_count(tmp_path: Path) -> None:
    """Coal's energy is never needed (flat 100 MW), but a capacity target requires 80 MW of coal
    in service. Mothballing costs 20 CNY/kW-yr and retiring nothing, so the 20 MW beyond the
    target retire and none is mothballed: a mothballed unit is not in service, it cannot meet the
    target. Objective 17,520,000 + 62 x 80,000 = 22,480,000 CNY; the target's shadow price is the
    FOM of keeping one more kW, 62 CNY/kW-yr, and 81 MW cost 62,000 CNY more.
    (Once the planning reserve margin lands, the same test with the margin in place of the
    capacity target: the unit kept at its FOM, the margin's price equal to that FOM.)"""
    ret = {"early": True, "mothball_fom": 20.0}

    def solve(minimum: float, folder: str) -> xr.Dataset:
        sc = base(
            100.0,
            technologies={"gas": GAS, "coal": coal(62.0, ret)},
            targets={"coal_min": {"kind": "capacity", "technologies": ["coal"], "min": minimum}},
        )
        return gridplan.run(write_case(tmp_path / folder, sc))

    ds = solve(80.0, "a")
    assert ds.attrs["objective"] == pytest.approx(GAS_COST + 62 * 80_000, rel=1e-7)
    assert at(ds, "capacity") == pytest.approx(80.0, abs=1e-4)
    assert at(ds, "retired") == pytest.approx(20.0, abs=1e-4)
    assert at(ds, "mothballed") == pytest.approx(0.0, abs=1e-4)
    price = float(ds.target_shadow_price.sel(target="coal_min", period=2025))
    assert price == pytest.approx(62.0, rel=1e-6)
    more = solve(81.0, "b")
    assert more.attrs["objective"] - ds.attrs["objective"] == pytest.approx(62_000.0, rel=1e-6)


def two_periods(coal_: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """2025 and 2030, five years each, no discounting; gas 150 MW in 2025 and 100 MW in 2030, the
    peak 150 MW: coal is needed only in 2030 (50 MW for 10 h a year)."""
    return base(
        load(150.0),
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        technologies={"gas": {**GAS, "existing": {"z": {2025: 150.0, 2030: 100.0}}}, "coal": coal_},
        **kw,
    )


def test_mothballing_is_chosen_when_the_unit_is_needed_again(tmp_path: Path) -> None:
    """50 MW of coal, FOM 62, idle in 2025 and needed at the 2030 peak. Per kW over 2025 (5 yr):
    keep 62 x 5 = 310 CNY; mothball 20 x 5 + return 30 = 130 CNY; retire for good 0, but then the
    2030 peak (50 MW x 10 h x 5 yr at 10,000) costs 25,000,000 CNY against 15,500,000 + 750,000 of
    the coal in service in 2030, i.e. 175 CNY/kW more. Mothballing (130) beats retiring (175),
    which beats keeping (310). So the 50 MW are mothballed in 2025 and returned in 2030:
      2025: gas 5 x (17,520,000 + 50 x 10 x 20) = 87,650,000; mothball 20 x 50,000 x 5 = 5,000,000
      2030: 5 x (17,520,000 + 50 x 10 x 300 + 62 x 50,000) = 103,850,000; return 30 x 50,000 = 1,500,000
      total 198,000,000 CNY.
    Without mothballing, retirement is irreversible: retiring in 2025 and coming back in 2030
    (87,650,000 + 103,850,000 = 191,500,000) is impossible; retiring for good costs 87,650,000 +
    5 x (17,520,000 + 5,000,000) = 200,250,000 and keeping 207,000,000 CNY."""
    ret = {"early": True, "mothball_fom": 20.0, "mothball_return_cost": 30.0}
    ds = gridplan.run(write_case(tmp_path / "m", two_periods(coal(62.0, ret, existing=50.0))))
    assert ds.attrs["objective"] == pytest.approx(198_000_000.0, rel=1e-7)
    assert at(ds, "mothballed", 2025) == pytest.approx(50.0, abs=1e-4)
    assert at(ds, "mothballed", 2030) == pytest.approx(0.0, abs=1e-4)
    assert at(ds, "mothball_returned", 2030) == pytest.approx(50.0, abs=1e-4)
    assert at(ds, "retired", 2025) + at(ds, "retired", 2030) == pytest.approx(0.0, abs=1e-4)
    assert at(ds, "capacity", 2025) == pytest.approx(0.0, abs=1e-4)
    assert at(ds, "capacity", 2030) == pytest.approx(50.0, abs=1e-4)
    assert float(ds.cost.sel(component="mothball").sum()) == pytest.approx(6_500_000.0, rel=1e-7)
    # mothballed capacity produces nothing: the 2025 peak is met by gas
    assert float(ds.generation.sel(period=2025, zone="z", tech="coal").max()) == pytest.approx(0.0, abs=1e-4)

    irreversible = gridplan.run(
        write_case(tmp_path / "r", two_periods(coal(62.0, {"early": True}, existing=50.0)))
    )
    assert irreversible.attrs["objective"] == pytest.approx(200_250_000.0, rel=1e-7)
    assert at(irreversible, "retired", 2025) == pytest.approx(50.0, abs=1e-4)
    assert at(irreversible, "retired", 2030) == pytest.approx(50.0, abs=1e-4)
    assert at(irreversible, "capacity", 2030) == pytest.approx(0.0, abs=1e-4)


@pytest.mark.parametrize(
    ("capex", "share", "extended"), [(1000.0, 1.0, 100.0), (1100.0, 1.0, 0.0), (1000.0, 0.5, 50.0)]
)
def test_life_extension_is_chosen_when_cheaper_than_new_build(
    tmp_path: Path, capex: float, share: float, extended: float
) -> None:
    """Load 100 MW flat, only coal: 100 MW existing in 2025, retired by the schedule in 2030
    (`existing` 100 -> 0). 2030 needs 100 MW: new coal at 4,200 CNY/kW over 40 years is 105
    CNY/kW-yr; extending the old units for 10 years at `capex` is capex / 10 CNY/kW-yr (both pay
    FOM 62, no fuel). capex 1,000 (100/yr) extends all 100 MW; 1,100 (110/yr) builds new; with
    max_share 0.5 half is extended and half built.
      2025: 62 x 100,000 x 5 = 31,000,000; 2030: FOM 31,000,000 + 5 x (100 x ext + 105 x new) x 1,000
      extend 100: 112,000,000; build 100: 114,500,000; 50 + 50: 113,250,000 CNY."""
    le = {"capex": capex, "years": 10, "max_share": share}
    old = {"kind": "thermal", "fom": 62.0, "existing": {"z": {2025: 100.0, 2030: 0.0}}}
    old["retirement"] = {"early": False, "life_extension": le}
    new = {"kind": "thermal", "fom": 62.0, "capex": 4200.0, "lifetime": 40, "build_max": "inf"}
    sc = base(
        100.0,
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        technologies={"coal": old, "coal_new": new},
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    built = 100.0 - extended
    expected = 31_000_000 + 31_000_000 + 5 * (capex / 10 * extended + 105.0 * built) * 1e3
    assert ds.attrs["objective"] == pytest.approx(expected, rel=1e-7)
    assert at(ds, "life_extended", 2030) == pytest.approx(extended, abs=1e-4)
    assert at(ds, "capacity", 2030) == pytest.approx(extended, abs=1e-4)
    assert float(ds.capacity_new.sel(period=2030, zone="z", tech="coal_new")) == pytest.approx(
        built, abs=1e-4
    )


def test_no_decision_in_a_historical_period(tmp_path: Path) -> None:
    """2025 is historical: the recorded coal fleet stays (FOM 62 on 50 MW paid for 5 years) even
    though its energy is never needed (gas covers the flat load in both periods); it retires in
    2030, the first period with decisions. 5 x 17,520,000 x 2 + 62 x 50,000 x 5 = 190,700,000."""
    sc = base(
        100.0,
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        historical_periods=[2025],
        technologies={"gas": GAS, "coal": coal(62.0, {"early": True, "mothball_fom": 20.0}, existing=50.0)},
    )
    case = write_case(tmp_path, sc)
    ds = gridplan.run(case)
    assert ds.attrs["objective"] == pytest.approx(10 * GAS_COST + 15_500_000, rel=1e-7)
    assert at(ds, "retired", 2025) == 0.0 and at(ds, "capacity", 2025) == pytest.approx(50.0)
    assert at(ds, "retired", 2030) == pytest.approx(50.0, abs=1e-4)
    inputs = load_case(case)
    m, _ = build(inputs, select(inputs))
    assert sorted(m.th_retired) == [("coal", "z", 2030)] and sorted(m.th_mothball) == [("coal", "z", 2030)]


def test_retrofit_rows_use_capacity_in_service(tmp_path: Path) -> None:
    """A retrofitted unit that is retired takes its retrofit with it: retro_parts and retro_es_max
    bound the retrofitted capacity in service by th_inserv (th_cap less retired and mothballed,
    th_inserv_def), and the parts' K (out_max: th_gen <= th_commit = K - th_offline) is built on it. Coal's energy is never needed:
    all 100 MW retire and no retrofitted capacity is left in service, although 100 MW were
    retrofitted before (existing retrofits)."""
    retro = {
        "energy_saving": {"capex": 1.0, "heat_rate_reduction": 10.0, "existing": 100.0},
        "flexibility": {"capex": 1.0, "min_stable": 0.3, "existing": 100.0},
    }
    c = coal(62.0, {"early": True, "mothball_fom": 20.0}, retrofits=retro)
    case = write_case(tmp_path, base(100.0, technologies={"gas": GAS, "coal": c}))
    inputs = load_case(case)
    m, _ = build(inputs, select(inputs))
    for row in (
        m.retro_parts["coal", "z", 2025],
        m.retro_es_max["coal", "z", 2025],
        m.out_max["base", "coal", "z", 2025, 0],
    ):
        assert "th_inserv" in {v.parent_component().name for v in pyo_vars(row.body)}
        assert "th_cap" not in {v.parent_component().name for v in pyo_vars(row.body)}
    names = {v.parent_component().name for v in pyo_vars(m.th_inserv_def["coal", "z", 2025].body)}
    assert names == {"th_inserv", "th_retired", "th_mothball", "th_cap"}
    ds = gridplan.run(case)
    assert at(ds, "retired") == pytest.approx(100.0, abs=1e-4)
    assert float(ds.retrofit_in_service.sum()) == pytest.approx(0.0, abs=1e-4)
    assert ds.attrs["objective"] == pytest.approx(GAS_COST, rel=1e-7)


def pyo_vars(expr: Any) -> list[Any]:
    from pyomo.core.expr.visitor import identify_variables

    return list(identify_variables(expr))


def test_hourly_check_keeps_the_plan_s_retirements(tmp_path: Path) -> None:
    """The hourly check fixes retired and mothballed capacity with the other capacity decisions:
    on the full-year plan of the first test (FOM 90: 50 MW kept for the peak) the check, solved in
    windows of 73 days, finds the same capacity in service and the same cost."""
    sc = base(
        load(150.0),
        technologies={"gas": GAS, "coal": coal(90.0, {"early": True, "mothball_fom": 20.0})},
        hourly_check={"enabled": True, "window_days": 73, "workers": 1},
    )
    plan, check = run_with_check(write_case(tmp_path, sc))
    assert check is not None
    xr.testing.assert_allclose(check.capacity, plan.capacity)
    assert at(check, "retired") == pytest.approx(50.0, abs=1e-4)
    assert float(check.cost_annual.sum()) == pytest.approx(float(plan.cost_annual.sum()), rel=1e-6)


@pytest.mark.parametrize(
    ("tech", "field", "says"),
    [
        ({"kind": "hydro", "profile": "p", "existing": 10.0, "retirement": {}}, "retirement", "dispatchable"),
        (
            {"kind": "thermal", "existing": 10.0, "min_output": 0.5, "retirement": {}},
            "min_output",
            "commitment",
        ),
    ],
)
def test_bad_retirement_input_names_the_field(
    tmp_path: Path, tech: dict[str, Any], field: str, says: str
) -> None:
    from cases import series

    sc = base(100.0, profiles={"p": "p.csv"}, technologies={"x": tech})
    case = write_case(tmp_path, sc, {"p.csv": series(z=1.0)})
    with pytest.raises(InputError) as e:
        load_case(case)
    assert f"technologies.x.{field}" in str(e.value) and says in str(e.value)


def test_results_summary_and_report_show_retirement(tmp_path: Path) -> None:
    """The mothballing plan above (50 MW mothballed in 2025, returned in 2030): the summary lists
    it, the report's chart has a 50 MW bar at (2025, mothballed) in English and Chinese, and the
    comparison with the plan that may only retire shows both plans' bars (its 50 MW retired in
    2025 and 2030)."""
    from gridplan.cli import summary
    from gridplan.report.charts.retirement import cmp_retirement, fig_retirement
    from gridplan.report.compare import write_compare
    from gridplan.report.run import make_run
    from gridplan.report.single import write_report

    ret = {"early": True, "mothball_fom": 20.0, "mothball_return_cost": 30.0}
    a = gridplan.run(write_case(tmp_path / "m", two_periods(coal(62.0, ret, existing=50.0))))
    b = gridplan.run(write_case(tmp_path / "r", two_periods(coal(62.0, {"early": True}, existing=50.0))))
    assert a["mothballed"].attrs["units"] == "MW" and a["retired"].attrs["units"] == "MW"
    text = summary(a)
    assert "retired, mothballed and life-extended capacity [MW]" in text
    assert "coal mothballed" in text and "2025:         50" in text
    for lang, label, shown, unit in (("en", "mothballed", 50.0, "MW"), ("zh", "封存", 5.0, "万千瓦")):
        fig = fig_retirement(make_run(a, lang))
        assert fig is not None
        bars = [t for t in fig.data if t.name.endswith(label)]
        assert len(bars) == 1
        pairs = list(zip(bars[0].x[0], bars[0].x[1], strict=True))
        assert float(bars[0].y[pairs.index(("2025", label))]) == pytest.approx(shown, abs=1e-4)
        assert unit in fig.layout.yaxis.title.text  # 50 MW = 5 万千瓦
    cmp = cmp_retirement([make_run(a, "en", "a"), make_run(b, "en", "b")], ["a", "b"])
    assert cmp is not None
    retired = next(t for t in cmp.data if t.name.endswith("retired early"))
    pairs = list(zip(retired.x[0], retired.x[1], strict=True))
    assert float(retired.y[pairs.index(("b", "2030"))]) == pytest.approx(50.0, abs=1e-3)
    assert 'id="fig-retirement"' in write_report(a, tmp_path / "report.html", "zh").read_text()
    assert 'id="fig-retirement"' in write_compare([a, b], tmp_path / "compare.html").read_text()


def test_myopic_step_retires_what_perfect_foresight_mothballs(tmp_path: Path) -> None:
    """The mothballing case solved myopically: the 2025 step sees no 2030 peak, so it retires the
    idle 50 MW for good (the cheapest choice in 2025 alone: 87,650,000), and the 2030 step keeps
    that irreversible decision (th_retired of 2025 fixed): the 2030 peak goes unserved, 200,250,000
    CNY in all against 198,000,000 with perfect foresight (the cost of myopia 2,250,000)."""
    from gridplan.alternatives.myopic import run_foresight
    from gridplan.pipeline import _quiet

    ret = {"early": True, "mothball_fom": 20.0, "mothball_return_cost": 30.0}
    case = write_case(tmp_path, two_periods(coal(62.0, ret, existing=50.0)))
    ds, _ = run_foresight(case, _quiet, None, "myopic")
    assert ds.attrs["objective"] == pytest.approx(200_250_000.0, rel=1e-7)
    assert at(ds, "retired", 2025) == pytest.approx(50.0, abs=1e-4)
    assert at(ds, "capacity", 2030) == pytest.approx(0.0, abs=1e-4)


def test_a_capacity_cap_below_the_existing_fleet_is_met_by_retiring(tmp_path: Path) -> None:
    """Coal (300 CNY/MWh, FOM 62) serves the flat 100 MW; gas at 400 CNY/MWh is the alternative. A
    cap of 60 MW on coal capacity is infeasible before solving when the 100 MW are fixed, and met
    by retiring 40 MW when they may retire. Each MW retired shifts 8,760 MWh to gas (+100 CNY/MWh)
    and saves 62,000 CNY of FOM, so the cap's shadow price is 876 - 62 = 814 CNY/kW-yr:
    60 x 8,760 x 300 + 40 x 8,760 x 400 + 62 x 60,000 = 301,560,000 CNY."""
    gas = {"kind": "thermal", "vom": 400.0, "existing": 100.0}
    cap = {"coal_cap": {"kind": "capacity", "technologies": ["coal"], "max": 60.0}}
    coal_ = {"kind": "thermal", "vom": 300.0, "fom": 62.0, "existing": 100.0}
    fixed = base(100.0, technologies={"gas": gas, "coal": coal_}, targets=cap)
    with pytest.raises(InputError, match="coal_cap"):
        load_case(write_case(tmp_path / "fixed", fixed))
    free = base(100.0, technologies={"gas": gas, "coal": {**coal_, "retirement": {}}}, targets=cap)
    ds = gridplan.run(write_case(tmp_path / "free", free))
    assert ds.attrs["objective"] == pytest.approx(301_560_000.0, rel=1e-7)
    assert at(ds, "retired") == pytest.approx(40.0, abs=1e-4)
    assert float(ds.target_shadow_price.sel(target="coal_cap", period=2025)) == pytest.approx(814.0, rel=1e-6)


@pytest.mark.parametrize(("mothball", "per_kw"), [(None, 770.0), (20.0, 560.0)])
def test_a_retired_unit_cannot_be_life_extended_back(
    tmp_path: Path, mothball: float | None, per_kw: float
) -> None:
    """Old coal (100 MW, FOM 62, 300 CNY/MWh) is idle in 2025 (gas, 20 CNY/MWh, covers the flat
    100 MW) and retired by its schedule in 2030, when the gas is gone too and 100 MW of coal are
    needed. Per kW over both periods (5 years each): keep in 2025 (62 x 5 = 310) and extend (300
    CNY/kW over 10 years: 30 x 5 = 150) plus 2030 FOM 310 = 770; retire in 2025 and build new
    (105 x 5 + 310) = 835. Retiring in 2025 and extending the retired unit in 2030 (460) is not
    possible: th_retire_irrev counts an extension as a unit kept, not as one that enters. With
    mothballing (20 CNY/kW-yr) the unit waits mothballed and is extended: 100 + 150 + 310 = 560.
    Objective 5 x (100 x 8,760 x 20) + 5 x (100 x 8,760 x 300) + 100,000 x per_kw."""
    ret: dict[str, Any] = {"early": True, "life_extension": {"capex": 300.0, "years": 10}}
    if mothball is not None:
        ret["mothball_fom"] = mothball
    old = coal(62.0, ret, existing={"z": {2025: 100.0, 2030: 0.0}})
    new = {"kind": "thermal", "vom": 300.0, "fom": 62.0, "capex": 4200.0, "lifetime": 40, "build_max": "inf"}
    gas = {**GAS, "existing": {"z": {2025: 100.0, 2030: 0.0}}}
    sc = base(
        100.0,
        periods=[2025, 2030],
        period_years={2025: 5, 2030: 5},
        technologies={"gas": gas, "coal": old, "coal_new": new},
    )
    ds = gridplan.run(write_case(tmp_path, sc))
    energy = 5 * 100 * H * 20.0 + 5 * 100 * H * 300.0
    assert ds.attrs["objective"] == pytest.approx(energy + 100_000 * per_kw, rel=1e-9)
    assert at(ds, "life_extended", 2030) == pytest.approx(100.0, abs=1e-4)
    assert at(ds, "retired", 2025) == pytest.approx(0.0, abs=1e-4)
    assert at(ds, "mothballed", 2025) == pytest.approx(100.0 if mothball else 0.0, abs=1e-4)
