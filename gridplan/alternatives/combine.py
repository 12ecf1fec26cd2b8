"""Near-optimal alternatives combined along an `alternative` dimension in one NetCDF.

Every numeric, time-independent variable of each results.nc (capacity, storage_power, emissions,
cost, target_achieved, ...) is stacked with `xr.concat(join="outer")`; per-time-step variables
(dims `time`/`hour`) and text variables are left out (each alternative's results.nc keeps them).
Per-alternative attributes become variables along `alternative`: total_cost [CNY], slack,
direction, sense, direction_value, direction_unit and direction_bound (how far the exact
extreme can lie beyond direction_value, gridplan/alternatives/mga.py), seconds, model_reused; `results_path`
points to each full results.nc. The optimum is the alternative named `optimum` (slack 0).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from gridplan.results import write

TIME_DIMS = {"time", "hour"}
ATTRS = {  # results.nc attribute -> (variable along `alternative`, default, units)
    "objective": ("total_cost", np.nan, "CNY"),
    "mga_slack": ("slack", 0.0, "1"),
    "mga_direction": ("direction", "optimum", ""),
    "mga_sense": ("sense", "", ""),
    "mga_direction_value": ("direction_value", np.nan, "see direction_unit"),
    "mga_direction_unit": ("direction_unit", "", ""),
    "mga_direction_bound": ("direction_bound", 0.0, "see direction_unit"),
    "seconds_alternative": ("seconds", np.nan, "s"),
    "model_reused": ("model_reused", 0, "1"),
}


def _static(ds: xr.Dataset) -> xr.Dataset:
    """The numeric variables without a time dimension (booleans as 0/1 floats)."""
    keep = [v for v in ds.data_vars if not TIME_DIMS & set(ds[v].dims) and ds[v].dtype.kind in "biuf"]
    out = ds[keep]
    out = out.drop_vars([c for c in out.coords if TIME_DIMS & set(out[c].dims)])
    return out.map(lambda a: a.astype(float) if a.dtype.kind == "b" else a, keep_attrs=True)


def combine(paths: dict[str, Path], target: Path) -> Path:
    """Stack the results at `paths` (alternative id -> results.nc) and write them to `target`."""
    parts, attrs = [], []
    for aid, p in paths.items():
        with xr.open_dataset(p) as ds:
            parts.append(_static(ds).load().expand_dims(alternative=[aid]))
            attrs.append(dict(ds.attrs))
    out = xr.concat(parts, "alternative", join="outer", combine_attrs="drop_conflicts")
    for key, (name, default, units) in ATTRS.items():
        out[name] = ("alternative", [a.get(key, default) for a in attrs], {"units": units} if units else {})
    out["results_path"] = ("alternative", [str(p) for p in paths.values()])
    out.attrs = {
        "title": "near-optimal alternatives",
        "case": str(attrs[0].get("case", "")),
        "input_hash": str(attrs[0].get("input_hash", "")),
        "optimum": float(attrs[0].get("objective", np.nan)),
        "optimum_units": "CNY (present value)",
    }
    return write(out, target)
