"""Results without a re-solve: `gridplan show`, `gridplan export --csv/--xlsx`, gridplan.open,
--version, -h. The exported tables read back to the results' values exactly."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from data.tiny import write_tiny
from typer.testing import CliRunner

import gridplan
from gridplan.cli import app, target_lines
from gridplan.report.show import read_table
from gridplan.results import write


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("show")
    return write(gridplan.run(write_tiny(d / "case")), d / "out" / "results.nc")


def test_open_returns_the_dataset_closed(results: Path) -> None:
    ds = gridplan.open(results)
    with xr.open_dataset(results) as ref:
        xr.testing.assert_identical(ds, ref.load())
    results.rename(results.with_suffix(".moved"))  # the file is not held open
    results.with_suffix(".moved").rename(results)
    with pytest.raises(FileNotFoundError, match="no such results file"):
        gridplan.open(results.parent / "missing.nc")


def test_show_prints_summary_and_targets(results: Path) -> None:
    r = CliRunner().invoke(app, ["show", str(results)])
    assert r.exit_code == 0, r.output
    ds = gridplan.open(results)
    assert ds.sizes["target"] >= 2
    assert f"scenario {ds.attrs['scenario']}: status optimal" in r.output
    for line in target_lines(ds):
        assert f"  {line}\n" in r.output
    assert "e+" not in r.output and "e-" not in r.output and "-0 " not in r.output
    missing = CliRunner().invoke(app, ["show", str(results.parent / "nope.nc")])
    assert missing.exit_code == 2 and "no such results file" in missing.output


def test_csv_export_round_trips_targets_and_capacities(results: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["export", str(results), "--csv", str(tmp_path / "csv")])
    assert r.exit_code == 0, r.output
    ds = gridplan.open(results)
    cap = read_table(tmp_path / "csv" / "capacity.csv")
    assert list(cap.columns[:4]) == ["period", "zone", "tech", "capacity_MW"]
    assert len(cap) == ds["capacity"].size
    for row in cap.itertuples():
        key = {"period": row.period, "zone": row.zone, "tech": row.tech}
        assert row.capacity_MW == float(ds["capacity"].sel(key))  # exact, not approx
        assert row.capacity_new_MW == float(ds["capacity_new"].sel(key))
    tg = read_table(tmp_path / "csv" / "targets.csv")
    set_ = [
        (str(t), int(p))
        for t in ds.target.values
        for p in ds.period.values
        if not math.isnan(float(ds.target_required.sel(target=t, period=p)))
    ]
    assert sorted(zip(tg.target, tg.period, strict=True)) == sorted(set_)
    for row in tg.itertuples():
        key = {"target": row.target, "period": row.period}
        for col in ("required", "achieved", "shadow_price", "slack", "shortfall"):
            want = float(ds[f"target_{col}"].sel(key))
            got = getattr(row, col)
            assert (math.isnan(want) and math.isnan(got)) or got == want, (row.target, col, got, want)
        assert bool(row.binds) == bool(ds.target_binds.sel(key))
        assert row.unit == str(ds.target_unit.sel(target=row.target).values)
        assert row.sense in ("min", "max")
    costs = read_table(tmp_path / "csv" / "costs.csv")
    assert costs["cost_CNY_present_value"].sum() == pytest.approx(ds.attrs["objective"], rel=1e-9)
    prices = read_table(tmp_path / "csv" / "prices.csv")
    assert np.all(prices.price_min_CNY_per_MWh <= prices.price_mean_CNY_per_MWh + 1e-9)


def test_xlsx_export(results: Path, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import pandas as pd

    r = CliRunner().invoke(app, ["export", str(results), "--xlsx", str(tmp_path / "r.xlsx")])
    assert r.exit_code == 0, r.output
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)
    assert {"capacity", "targets", "costs"} <= set(sheets)
    cap = sheets["capacity"]
    assert cap["capacity_MW"].sum() == pytest.approx(float(gridplan.open(results).capacity.sum()), rel=1e-12)


def test_version_and_short_help() -> None:
    v = CliRunner().invoke(app, ["--version"])
    assert v.exit_code == 0 and v.output.strip() == f"gridplan {gridplan.__version__}"
    h = CliRunner().invoke(app, ["-h"])
    assert h.exit_code == 0 and "show" in h.output and "export" in h.output


def test_import_beside_clone(tmp_path: Path) -> None:
    """Python started in the clone's parent folder (the clone named gridplan) imports the package,
    not the clone folder as an empty namespace package (pyproject: package-dir, a plain .pth)."""
    import subprocess
    import sys

    root = Path(gridplan.__file__).resolve().parents[1]
    (tmp_path / "gridplan").symlink_to(root, target_is_directory=True)
    r = subprocess.run(
        [sys.executable, "-c", "import gridplan; print(gridplan.run.__module__, gridplan.open.__module__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, (
        f"{r.stderr[-800:]}\n(an editable install from before this fix: pip install -e .)"
    )
    assert r.stdout.split() == ["gridplan.pipeline", "gridplan.report.show"]


def test_results_follow_cf_where_it_fits(results: Path) -> None:
    """Conventions, a long_name on every variable and coordinate, coordinates for the hour and
    original-period dimensions, and the curtailed energy named as such."""
    ds = gridplan.open(results)
    assert ds.attrs["Conventions"] == "CF-1.10"
    missing = [str(n) for n, v in ds.variables.items() if not v.attrs.get("long_name")]
    assert missing == []
    assert ds["curtailed_energy"].attrs == {"units": "MWh/yr", "long_name": "annual curtailed energy"}
    assert "original_period" in ds.coords and list(ds["original_period"].values[:2]) == [0, 1]
    assert ds["capacity"].attrs["units"] == "MW" and ds["price"].attrs["units"] == "CNY/MWh"


def test_numbers_read_at_a_glance() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from gridplan.report import fmt

    assert fmt.num(1e4) == "10,000" and fmt.num(9.839e7, scale=1e6) == "98.39"
    assert fmt.num(-0.0) == "0" and fmt.num(-3e-9) == "0" and fmt.num(1474.2) == "1,474"
    assert fmt.num(float("nan")) == "-" and fmt.fixed(-0.0004, 3) == "0.000"
    assert fmt.quantity(8.977e7, "tCO2") == "89.77 MtCO2" and fmt.quantity(0.31, "share") == "31%"
    assert fmt.quantity(1650.0, "MW") == "1,650 MW" and fmt.power(100_440.0) == "100.4 GW"
    assert (
        fmt.quantity_zh(1350.0, "MW") == "135万千瓦"
        and fmt.quantity_zh(8.977e7, "tCO2") == "8,977万吨二氧化碳"
    )
    assert fmt.bar(0, 4) == "[--------------------] 0/4" and fmt.seconds(3725) == "1 h 02 min"

    @given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
    def no_exponent(x: float) -> None:
        s = fmt.num(x)
        assert "e" not in s and s != "-0"
        assert s == "0" or float(s.replace(",", "")) == pytest.approx(x, rel=1e-3)

    no_exponent()
