"""Per-step results mapped back to the 8760 hours of the year.

`expand_to_year(ds)` maps every per-step result back to 8760 h: hour h of original period
i = h // L takes the value of step order[i] L + (h - i L). Linked storage uses the
absolute state of charge `linked_soc_year` instead of its relative, per-block one.
"""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from gridplan.case import HOURS

STEP_DIMS = ("weight", "hour_of_year", "block")  # per-step metadata, not expanded


def hour_to_step(order: np.ndarray, block_len: int) -> np.ndarray:
    """Step whose value each hour of the year takes: order[h // L] * L + h % L  [8760]."""
    h = np.arange(HOURS)
    i = np.minimum(h // block_len, len(order) - 1)
    k = h - i * block_len
    if k.max() >= block_len:
        raise ValueError(f"{len(order)} periods of {block_len} h do not cover a year of {HOURS} h")
    return np.asarray(order, dtype=int)[i] * block_len + k


def linked_soc_year(
    intra: np.ndarray, inter: np.ndarray, order: np.ndarray, block_len: int, self_discharge: float
) -> np.ndarray:
    """Absolute state of charge of linked storage after each hour of the year [8760].

    In original period i (block b, R_i hours, frac = R_i / L), after its hour k:
        soc = (1 - loss)^(k+1) * inter[i] + frac * intra[b L + ceil((k+1) / frac) - 1]
    i.e. the block's profile, compressed into a partial last period and scaled like the link
    (lp/linking.py); for whole periods simply inter[i] decayed plus the block's own profile."""
    n, length = len(order), block_len
    hours = np.clip(HOURS - np.arange(n) * length, 0, length)
    i = np.repeat(np.arange(n), hours)
    k = np.arange(HOURS) - i * length
    frac = hours[i] / length
    idx = np.asarray(order, dtype=int)[i] * length + np.ceil((k + 1) / frac - 1e-9).astype(int) - 1
    decay = (1.0 - self_discharge) ** (k + 1)
    return decay * np.asarray(inter, dtype=float)[i] + frac * np.asarray(intra, dtype=float)[idx]


def _linked_storage(ds: xr.Dataset) -> list[str]:
    """Storage with linking 'linked' (from the scenario stored in the results)."""
    try:
        storage = json.loads(ds.attrs.get("scenario_yaml", "{}")).get("storage", {})
    except (TypeError, ValueError):
        return []
    return [n for n, s in storage.items() if isinstance(s, dict) and s.get("linking") == "linked"]


def expand_to_year(ds: xr.Dataset, order: np.ndarray | None = None) -> xr.Dataset:
    """Per-step results mapped back to the 8760 hours of the year (dimension `hour`).

    Every variable on `time` (dispatch, storage, prices, flows, imports, unserved, demand, ...)
    is expanded with `hour_to_step`; the state of charge of linked storage comes from
    `storage_soc_year` (absolute), that of cyclic storage from its representative periods.
    `order` (block of each original period) defaults to ds['block_of_period']; results of a
    full-year run need neither. attrs['expanded_to_year'] lists the expanded variables."""
    n_steps = ds.sizes["time"]
    blocks = ds["block"].values
    block_len = int((blocks == 0).sum())
    if order is None:
        if "block_of_period" in ds:
            order = ds["block_of_period"].values
        elif int(blocks.max()) == 0 and n_steps == HOURS:
            order = np.zeros(1, dtype=int)
        else:
            raise ValueError(
                "results of representative periods need `block_of_period` "
                "(the block of each original period) to be expanded to a year"
            )
    step = hour_to_step(np.asarray(order), block_len)
    if step.max() >= n_steps:
        raise ValueError(f"`block_of_period` names blocks beyond the {n_steps} steps of the results")
    out = xr.Dataset(coords={c: ds.coords[c] for c in ds.coords if "time" not in ds.coords[c].dims})
    out = out.assign_coords(hour=np.arange(HOURS))
    out["hour"].attrs.update(units="h", long_name="hour of the year (0-based)")
    names = []
    for name, var in ds.data_vars.items():
        if "time" not in var.dims or name in STEP_DIMS:
            continue
        out[name] = var.isel(time=xr.DataArray(step, dims="hour")).drop_vars("time", errors="ignore")
        out[name].attrs = dict(var.attrs)
        names.append(str(name))
    linked = [n for n in _linked_storage(ds) if "storage" in ds.coords and n in ds["storage"].values]
    if "storage_soc" in out and linked and int(blocks.max()) > 0:
        if "storage_soc_year" not in ds:
            raise ValueError("linked storage needs `storage_soc_year` in the results to be expanded")
        year = ds["storage_soc_year"].isel(hour=slice(0, HOURS)).assign_coords(hour=np.arange(HOURS))
        soc = out["storage_soc"].copy()
        soc.loc[{"storage": linked}] = year.sel(storage=linked).transpose(*soc.dims).values
        soc.attrs = {"units": "MWh", "long_name": "state of charge (absolute for linked storage)"}
        out["storage_soc"] = soc
    out["source_step"] = ("hour", step, {"long_name": "model step whose value the hour takes"})
    out.attrs.update({k: v for k, v in ds.attrs.items() if k != "expanded_to_year"})
    out.attrs["expanded_to_year"] = " ".join(names)
    out.attrs["expanded_note"] = (
        "hour h of original period i takes the value of the same hour of the "
        "representative period of i; linked storage: absolute state of charge"
    )
    return out
