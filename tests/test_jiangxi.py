"""The Jiangxi base case: calibrated profiles, a valid case and variants, every plan target present."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_core import balance_residual

from cases import load_script
from gridplan.case import load_case
from gridplan.lp.build import build
from gridplan.pipeline import solve_inputs
from gridplan.timesteps import select

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "inputs" / "jiangxi"
VARIANTS = ["plan", "no-targets", "high-demand", "cheap-storage", "no-retrofits", "full-year"]
PLAN_TARGETS = {  # target -> periods it must be reported for
    "new_type_storage_2025": [2025],
    "pumped_hydro_2030": [2030],
    "wind_solar_2030": [2030],
    "biomass_2030": [2030],
    "peak_response_2030": [2030],
    "non_fossil_energy_2025": [2025],
    "non_fossil_electricity_2030": [2030],
    "co2_peak": [2025, 2030, 2035],
    "coal_growth": [2030],
    "new_channel_renewable_share": [2025, 2030],
    "reserve_margin": [2030, 2035],
}


def test_profiles_are_calibrated() -> None:
    """Every calibration metric (energy, peak and its timing, load factor, full-load hours) in range."""
    table = load_script("calibration").calibration_table()
    bad = table[table.ok.eq(False)]
    assert bad.empty, bad[["metric", "achieved", "target"]].to_string()
    assert len(table) > 30


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_load(variant: str) -> None:
    """Each variant reads and checks cleanly (building them all would be slow)."""
    assert load_case(ROOT / "inputs" / f"{variant}.yaml").scenario.name == variant


def test_base_case_is_valid_and_has_every_plan_target() -> None:
    """Loading and building raise InputError on any problem (what `gridplan validate` runs)."""
    inputs = load_case(CASE)
    assert inputs.scenario.periods == [2025, 2030, 2035]
    assert list(inputs.scenario.zones) == ["core", "north", "west", "south"]
    _, ctx = build(inputs, select(inputs))
    rows = {(r.target, r.period) for r in ctx.info["targets"]}
    for name, periods in PLAN_TARGETS.items():
        for p in periods:
            assert (name, p) in rows, f"target {name} missing in {p}"


def test_variants_differ_from_the_base_case_in_a_few_lines() -> None:
    for v in VARIANTS:
        text = (ROOT / "inputs" / f"{v}.yaml").read_text(encoding="utf-8")
        assert "extends: jiangxi" in text
        assert len(text.splitlines()) <= 20
    no = load_case(ROOT / "inputs" / "no-targets.yaml").scenario
    assert not any(t.enabled for t in no.targets.values())
    full = load_case(ROOT / "inputs" / "full-year.yaml").scenario
    assert full.hourly_check.enabled and full.time.mode == "tsam"


def test_base_case_on_one_typical_day_regression() -> None:
    """The Jiangxi case on one typical day without extreme days (about 20 s): a regression value for
    the objective (any change of data or model shows here), every plan target met, every step
    balanced when re-derived from the results, and the cost table adding up to the objective."""
    inputs = load_case(CASE)
    inputs.scenario.time.days = 1
    inputs.scenario.time.extreme_periods = []
    ds = solve_inputs(inputs)
    assert ds.attrs["optimal"] == 1
    # CNY, present value; 710,082,525,047 before issue 22, 704,826,898,973 with the coal clusters'
    # retirement decisions, before the 15% reserve margin of 2030 and 2035
    assert ds.attrs["objective"] == pytest.approx(710_806_481_472, rel=1e-6)
    assert float(ds.cost.sum()) == pytest.approx(ds.attrs["objective"], rel=1e-9)
    assert float(ds.target_shortfall.fillna(0).max()) <= 1e-6
    assert float(ds.target_achieved.sel(target="pumped_hydro_2030", period=2030)) == pytest.approx(
        10_000, abs=1e-3
    )
    assert float(ds.target_achieved.sel(target="wind_solar_2030", period=2030)) >= 60_000
    assert float(ds.target_achieved.sel(target="reserve_margin", period=2035)) == pytest.approx(
        float(ds.firm_requirement.sel(reserve_margin="reserve_margin", period=2035)), rel=1e-6
    )  # the margin binds in 2035
    assert balance_residual(ds) < 1e-3  # MW
