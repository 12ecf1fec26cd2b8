"""Annual energy limit of a resource (Technology.max_energy, row gen_energy_max), by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

import gridplan
from cases import base, write_case

H = 8760


def case(limit: float | None, commitment: bool = False) -> dict[str, object]:
    """Load 100 MW flat. Waste-to-energy: 100 MW existing at 10 CNY/MWh; gas: 100 MW existing at
    500 CNY/MWh. Without a limit waste covers all 876,000 MWh; with a limit L it covers L."""
    waste: dict[str, object] = {"kind": "thermal", "vom": 10.0, "existing": 100}
    if limit is not None:
        waste["max_energy"] = limit
    if commitment:
        waste["commitment"] = {"unit_size": 50, "min_stable": 0.0}
    return base(
        100.0, technologies={"waste": waste, "gas": {"kind": "thermal", "vom": 500.0, "existing": 100}}
    )


@pytest.mark.parametrize("commitment", [False, True])
def test_energy_limit_binds(tmp_path: Path, commitment: bool) -> None:
    """Limit 300,000 MWh/yr: waste 300,000 MWh, gas the other 576,000 MWh; the limit's dual is
    the cost saved by one more MWh of waste, 500 - 10 = 490 CNY/MWh (the objective moves by it)."""
    ds = gridplan.run(write_case(tmp_path / "a", case(300_000.0, commitment)))
    e = ds.energy.sel(period=2025, zone="z").to_pandas()
    assert e["waste"] == pytest.approx(300_000.0, rel=1e-6)
    assert e["gas"] == pytest.approx(576_000.0, rel=1e-6)
    obj = 10 * 300_000 + 500 * 576_000
    assert ds.attrs["objective"] == pytest.approx(obj, rel=1e-7)
    more = gridplan.run(write_case(tmp_path / "b", case(301_000.0, commitment)))
    assert obj - more.attrs["objective"] == pytest.approx(490 * 1000, rel=1e-6)


def test_no_limit_by_default(tmp_path: Path) -> None:
    ds = gridplan.run(write_case(tmp_path, case(None)))
    assert float(ds.energy.sel(period=2025, zone="z", tech="waste")) == pytest.approx(100 * H, rel=1e-6)
