"""Combining a sweep's results along the `scenario` dimension into <out>/sweep.nc.

Combined results, `<out>/sweep.nc`: every time-independent variable of results.nc stacked along
`scenario` with `xr.concat(join="outer")` (targets or technologies missing from a scenario are NaN);
per-time-step variables (dims `time`/`hour`) are left out unless `keep_time` is set, since steps differ
when the time reduction is varied and they would dominate the file (each scenario's results.nc keeps
them). Booleans become 0/1 floats; per-scenario attributes (objective, status, timings) become
variables; each varied parameter is a coordinate along `scenario` named by its path (factor for
`scale`, value for `values`; JSON text when the values are mappings). `results_path` points to each
scenario's full results.nc.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from gridplan.errors import GridplanError
from gridplan.sweep.design import Planned, is_number
from gridplan.sweep.ledger import Outcome
from gridplan.sweep.spec import Sweep

TIME_DIMS = ("time", "hour")


ATTR_VARS = {  # per-scenario attributes of results.nc -> variables along `scenario`
    "objective": "CNY",
    "seconds_scenario": "s",
    "seconds_cpu_scenario": "s",
    "seconds_load": "s",
    "seconds_build": "s",
    "seconds_compile": "s",
    "seconds_solve": "s",
    "seconds_results": "s",
    "lp_simplex_iterations": "",
    "lp_rows": "",
    "lp_columns": "",
}


def _coordinate(values: list[Any]) -> tuple[np.ndarray, str]:
    """Parameter levels as a coordinate: float, bool, or JSON text when they are mappings."""
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool), "bool"
    if all(is_number(v) for v in values):
        return np.array(values, dtype=float), "number"
    return np.array(
        [json.dumps(v, sort_keys=True, default=str) if not isinstance(v, str) else v for v in values],
        dtype=str,
    ), "text"


def combine_results(sweep: Sweep, planned: list[Planned], outcomes: dict[str, Outcome]) -> Path:
    """Stack every finished scenario's results into <out>/sweep.nc along `scenario` (see module doc)."""
    from gridplan.results import write

    ids = [sc.id for sc in planned]
    comb, attrs = _stacked(sweep, ids, outcomes)
    for a, unit in ATTR_VARS.items():
        comb[a] = (
            "scenario",
            np.array([float(attrs[s].get(a, np.nan)) if s in attrs else np.nan for s in ids]),
            {"units": unit} if unit else {},
        )
    comb["objective"].attrs["long_name"] = "total system cost, present value"
    _add_records(comb, planned, outcomes, attrs)
    comb = _add_parameters(comb, sweep, planned)
    first = next(iter(attrs.values()), {})
    comb.attrs = {
        "sweep": sweep.name,
        "base_case": str(sweep.base),
        "design": sweep.spec.design,
        "fingerprint": sweep.fingerprint,
        "parameters": json.dumps(sweep.modes()),
        "objective_units": "CNY (present value)",
        "keep_time": int(sweep.spec.keep_time),
        "gridplan_version": str(first.get("gridplan_version", "")),
        "time_mode": str(first.get("time_mode", "")),
        "note": "per-time-step variables are in each scenario's results.nc"
        if not sweep.spec.keep_time
        else "time steps joined by index (outer join)",
    }
    return write(comb, sweep.out / "sweep.nc")


def _stacked(
    sweep: Sweep, ids: list[str], outcomes: dict[str, Outcome]
) -> tuple[xr.Dataset, dict[str, dict[str, Any]]]:
    """The finished scenarios' results along `scenario` (all of `ids`, NaN where none), text
    variables joined over their own dimension; and each scenario's attributes."""
    import pandas as pd

    parts: list[xr.Dataset] = []
    done: list[str] = []
    static: dict[str, dict[Any, Any]] = {}
    static_dims: dict[str, str] = {}
    attrs: dict[str, dict[str, Any]] = {}
    for sid in ids:
        p = sweep.out / sid / "results.nc"
        if outcomes.get(sid) is None or outcomes[sid].status != "done" or not p.is_file():
            continue
        ds = xr.load_dataset(p)
        attrs[sid] = dict(ds.attrs)
        if not sweep.spec.keep_time:
            ds = ds.drop_vars([v for v in ds.variables if any(d in TIME_DIMS for d in ds[v].dims)])
        for v in [str(x) for x in ds.data_vars]:
            if ds[v].dtype.kind in "OUS":  # names and units by target/link/channel: not stacked
                dim = str(ds[v].dims[0])
                static_dims[v] = dim
                static.setdefault(v, {}).update(
                    zip(ds[dim].values.tolist(), ds[v].values.tolist(), strict=True)
                )
                ds = ds.drop_vars(v)
            elif ds[v].dtype.kind == "b":
                ds[v] = ds[v].astype(float).assign_attrs(ds[v].attrs, flag_values="1 true, 0 false")
        ds.attrs = {}
        parts.append(ds)
        done.append(sid)
    parts = _common_dims(parts)
    comb = xr.concat(
        parts,
        dim=pd.Index(done, name="scenario"),
        join="outer",
        data_vars="all",
        coords="different",
        compat="equals",
        combine_attrs="drop",
    )
    comb = comb.reindex(scenario=ids)
    for v, mapping in static.items():
        dim = static_dims[v]
        comb[v] = (dim, np.array([str(mapping.get(k, "")) for k in comb[dim].values.tolist()], dtype=str))
    return comb, attrs


def _common_dims(parts: list[xr.Dataset]) -> list[xr.Dataset]:
    """Each dataset with every labelled dimension of the others (the union of their labels), so
    that a dimension one scenario lacks (a disabled reserve-margin target, a technology group)
    joins as NaN instead of failing the concatenation."""
    labels: dict[Any, dict[Any, None]] = {}
    for ds in parts:
        for d in ds.dims:
            if d in ds.coords:
                labels.setdefault(d, {}).update(dict.fromkeys(ds[d].values.tolist()))
    return [ds.assign_coords({d: list(v) for d, v in labels.items() if d not in ds.dims}) for ds in parts]


def _add_records(
    comb: xr.Dataset, planned: list[Planned], outcomes: dict[str, Outcome], attrs: dict[str, dict[str, Any]]
) -> None:
    """Per scenario: status, failure reason, solver status, resolved scenario, warm start, label
    and the path of its results."""
    ids = [sc.id for sc in planned]
    by_id = {sc.id: sc for sc in planned}

    def text(f: Callable[[str], Any]) -> np.ndarray:
        return np.array([str(f(s)) for s in ids], dtype=str)

    comb["status"] = ("scenario", text(lambda s: outcomes[s].status if s in outcomes else "pending"))
    comb["reason"] = ("scenario", text(lambda s: outcomes[s].reason if s in outcomes else ""))
    comb["solver_status"] = ("scenario", text(lambda s: attrs.get(s, {}).get("solver_status", "")))
    comb["scenario_yaml"] = (
        "scenario",
        text(lambda s: attrs.get(s, {}).get("scenario_yaml", "")),
        {"long_name": "resolved scenario (JSON), as in each results.nc"},
    )
    comb["warm_start"] = ("scenario", text(lambda s: attrs.get(s, {}).get("warm_start", "")))
    comb["label"] = ("scenario", text(lambda s: by_id[s].label))
    comb["results_path"] = (
        "scenario",
        text(lambda s: f"{s}/results.nc" if s in attrs else ""),  # only results of this run
        {"long_name": "full results of the scenario, relative to this file; empty: none of this run"},
    )


def _add_parameters(comb: xr.Dataset, sweep: Sweep, planned: list[Planned]) -> xr.Dataset:
    """Each varied parameter as a coordinate along `scenario`, named by its name (usually its path)."""
    by_id = {sc.id: sc for sc in planned}
    for name, mode in sweep.modes().items():
        vals, kind = _coordinate([by_id[sc.id].levels.get(name) for sc in planned])
        if name in comb.variables:
            raise GridplanError(f"parameter name '{name}' is also a results variable: choose another name")
        comb = comb.assign_coords({name: ("scenario", vals)})
        comb[name].attrs.update(
            {
                "parameter_path": ", ".join(sweep.paths(name)),
                "mode": mode,
                "kind": kind,
                "units": "factor on the base value"
                if mode == "scale"
                else "as in the scenario file (model/parameters.md)",
            }
        )
    return comb
