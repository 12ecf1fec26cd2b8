"""Results without a browser or a re-solve: `gridplan show RESULTS.nc` prints the run summary and
the plan-target table; `gridplan export RESULTS.nc --csv DIR` writes tidy tables a spreadsheet
opens (one row per period/zone/technology..., units in the column names, full precision so a
value read back is the value in results.nc). `open_results(path)` (gridplan.open) loads a Dataset.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
import xarray as xr

from gridplan.atomic import replacing


def open_results(path: str | Path) -> xr.Dataset:
    """A results.nc (or hourly_check.nc) loaded into memory; the file is closed again."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such results file (gridplan run writes results/<scenario>/results.nc)"
        )
    with xr.open_dataset(path) as ds:
        return ds.load()


def _tidy(ds: xr.Dataset, columns: dict[str, str], dims: tuple[str, ...]) -> pd.DataFrame:
    """Variables over `dims` as one long table: a column per dimension, then {column: variable}."""
    present = {c: v for c, v in columns.items() if v in ds}
    if not present or any(d not in ds.dims for d in dims):
        return pd.DataFrame(columns=[*dims, *columns])
    df = ds[list(present.values())].transpose(*dims, ...).to_dataframe()[list(present.values())]
    return df.rename(columns={v: c for c, v in present.items()}).reset_index()


def _prices(ds: xr.Dataset) -> pd.DataFrame:
    """Energy price by period and zone: time-weighted mean, min and max [CNY/MWh]."""
    if "price" not in ds:
        return pd.DataFrame()
    w = ds["weight"]
    p = ds["price"]
    out = xr.Dataset(
        {
            "price_mean_CNY_per_MWh": (p * w).sum("time") / w.sum("time"),
            "price_min_CNY_per_MWh": p.min("time"),
            "price_max_CNY_per_MWh": p.max("time"),
        }
    )
    return out.to_dataframe().reset_index()


def _targets(ds: xr.Dataset) -> pd.DataFrame:
    """The plan-target table, one row per target and period where the target is set; values in
    the target's unit (column unit), prices in price_unit."""
    if not ds.sizes.get("target", 0):
        return pd.DataFrame()
    names = {
        "required": "target_required",
        "achieved": "target_achieved",
        "slack": "target_slack",
        "shortfall": "target_shortfall",
        "shadow_price": "target_shadow_price",
        "binds": "target_binds",
    }
    df = _tidy(ds, names, ("target", "period"))
    per_target = {"name_zh": "target_name_zh", "kind": "target_kind", "sense": "target_sense"}
    per_target |= {"unit": "target_unit", "price_unit": "target_price_unit"}
    for col, var in per_target.items():
        if var in ds:
            df[col] = df["target"].map(
                dict(zip(ds["target"].values, ds[var].values.astype(str), strict=True))
            )
    df = df[df["required"].notna()]
    first = ["target", "name_zh", "period", "kind", "sense", "unit", "required", "achieved"]
    return df[[c for c in first if c in df] + [c for c in df if c not in first]].reset_index(drop=True)


def _reserves(ds: xr.Dataset) -> pd.DataFrame:
    """Operating reserve by requirement, period and area: the largest requirement [MW], the
    time-weighted mean, least and highest price [CNY/MW-h], the shortfall [MWh/yr]; reserve_cost
    [CNY/yr] per requirement and period (lp/reserves.py)."""
    if "reserve_requirement" not in ds or "weight" not in ds:
        return pd.DataFrame()
    need, price, w = ds["reserve_requirement"], ds["reserve_price"], ds["weight"]
    hours = (w * need.notnull()).sum("time")
    out = xr.Dataset(
        {
            "requirement_max_MW": need.max("time"),
            "price_mean_CNY_per_MW_h": (price.fillna(0.0) * w).sum("time") / hours.where(hours > 0),
            "price_min_CNY_per_MW_h": price.min("time"),
            "price_max_CNY_per_MW_h": price.max("time"),
            "shortfall_MWh_per_yr": (ds["reserve_shortfall"].fillna(0.0) * w).sum("time"),
            "cost_CNY_per_yr": ds["reserve_cost"],
        }
    )
    df = out.to_dataframe().reset_index()
    return df[df["requirement_max_MW"].notna()].reset_index(drop=True)


TABLES: dict[str, Callable[[xr.Dataset], pd.DataFrame]] = {
    "capacity": lambda ds: _tidy(
        ds,
        {
            "capacity_MW": "capacity",
            "capacity_new_MW": "capacity_new",
            "capacity_existing_MW": "capacity_existing",
            "retired_MW": "retired",
            "mothballed_MW": "mothballed",
            "life_extended_MW": "life_extended",
        },
        ("period", "zone", "tech"),
    ),
    "storage": lambda ds: _tidy(
        ds,
        {"power_MW": "storage_power", "power_new_MW": "storage_power_new", "energy_MWh": "storage_energy"},
        ("period", "zone", "storage"),
    ),
    "energy": lambda ds: _tidy(
        ds,
        {
            "generation_MWh_per_yr": "energy",
            "curtailed_MWh_per_yr": "curtailed_energy",
            "fuel_tce_per_yr": "fuel_use",
            "coal_tce_per_yr": "coal_use_by_tech",
            "emissions_tCO2_per_yr": "emissions_by_tech",
        },
        ("period", "zone", "tech"),
    ),
    "emissions": lambda ds: _tidy(
        ds,
        {
            "emissions_tCO2_per_yr": "emissions",
            "coal_use_tce_per_yr": "coal_use",
            "peak_load_MW": "peak_load",
            "annual_load_MWh_per_yr": "annual_load",
        },
        ("period",),
    ),
    "costs": lambda ds: _tidy(
        ds,
        {"cost_CNY_present_value": "cost", "cost_annual_CNY_per_yr": "cost_annual"},
        ("period", "component"),
    ),
    "links": lambda ds: _tidy(ds, {"capacity_MW": "link_capacity"}, ("period", "link")),
    "imports": lambda ds: _tidy(ds, {"capacity_MW": "import_capacity"}, ("period", "channel")),
    "targets": _targets,
    "firm": lambda ds: _tidy(
        ds,
        {"firm_capacity_MW": "firm_capacity", "capacity_credit": "capacity_credit"},
        ("reserve_margin", "period", "resource"),
    ).dropna(subset=["firm_capacity_MW"]),
    "prices": _prices,
    "reserves": _reserves,
}


def export_csv(ds: xr.Dataset, folder: str | Path) -> list[Path]:
    """Write every table of TABLES as <folder>/<name>.csv (UTF-8 with BOM, so a spreadsheet reads
    the Chinese names); empty tables are skipped. Each file is written atomically."""
    folder = Path(folder)
    out = []
    for name, make in TABLES.items():
        df = make(ds)
        if df.empty:
            continue
        with replacing(folder / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False, encoding="utf-8-sig")
        out.append(folder / f"{name}.csv")
    return out


def export_xlsx(ds: xr.Dataset, path: str | Path) -> Path:
    """The same tables as sheets of one Excel workbook (needs openpyxl)."""
    with replacing(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, make in TABLES.items():
            df = make(ds)
            if not df.empty:
                df.to_excel(xl, sheet_name=name, index=False)
    return Path(path)


def read_table(path: str | Path) -> pd.DataFrame:
    """An exported CSV read back (the BOM removed, floats parsed exactly)."""
    return pd.read_csv(path, encoding="utf-8-sig", float_precision="round_trip")


def _load(results: Path) -> xr.Dataset:
    try:
        return open_results(results)
    except (FileNotFoundError, OSError, ValueError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None


def show_cli(
    results: Annotated[Path, typer.Argument(help="a results.nc written by gridplan run")],
) -> None:
    """Print the summary and the plan-target table of a results file (no solve, no browser)."""
    from gridplan.cli import summary

    typer.echo(summary(_load(results)))


def export_cli(
    results: Annotated[Path, typer.Argument(help="a results.nc written by gridplan run")],
    csv: Annotated[Path | None, typer.Option(help="folder for the CSV tables")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Excel workbook to write (needs openpyxl)")] = None,
) -> None:
    """Write tidy CSV tables (units in the column names) and optionally an Excel workbook."""
    if csv is None and xlsx is None:
        csv = results.parent / "tables"
    ds = _load(results)
    if csv is not None:
        for p in export_csv(ds, csv):
            typer.echo(f"{p} ({os.path.getsize(p):,} bytes)")
    if xlsx is not None:
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            typer.echo("error: --xlsx needs openpyxl: pip install 'gridplan[excel]'", err=True)
            raise typer.Exit(2) from None
        typer.echo(str(export_xlsx(ds, xlsx)))
