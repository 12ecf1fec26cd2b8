"""The sensitivity views of a sweep: outputs per scenario, each parameter's effect on them, and
<out>/sensitivity.html (tornado charts and output-vs-parameter curves, gridplan.report.sweep_pages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gridplan.sweep.design import is_number
from gridplan.sweep.spec import Output, Sweep


@dataclass
class Effect:
    """The swing of one output with one parameter: the output at each level, others held."""

    param: str
    levels: list[Any]
    values: list[float]
    method: str  # 'others at base' | 'mean over the others' | 'linear fit'


def output_values(ds: Any, name: str, out: Output | None) -> tuple[np.ndarray, str]:
    """One number per scenario: the variable, selected, summed over its other dims; and its label."""
    if out is None or out.var == "objective":
        return ds["objective"].values / 1e9, "total cost, present value [bn CNY]"
    da = ds[out.var]
    sel = {k: v for k, v in out.sel.items() if k in da.dims}
    da = da.sel(sel)
    dims = [d for d in da.dims if d != "scenario"]
    vals = da.sum(dims, min_count=1).values if dims else da.values
    where = ", ".join(f"{k}={v}" for k, v in sel.items())
    unit = da.attrs.get("units", "")
    return np.asarray(vals, float), out.label or f"{out.var}{' (' + where + ')' if where else ''} [{unit}]"


def default_outputs(ds: Any) -> dict[str, Output]:
    """Total cost, new storage power, last-period emissions, new capacity (when present)."""
    outs: dict[str, Output] = {"total_cost": Output(var="objective")}
    if ds.sizes.get("storage", 0):
        outs["new_storage_power"] = Output(
            var="storage_power_new", label="new storage power, all periods [MW]"
        )
    if "emissions" in ds:
        last = int(ds["period"].values[-1])
        outs[f"emissions_{last}"] = Output(
            var="emissions", sel={"period": last}, label=f"CO2 emissions in {last} [tCO2/yr]"
        )
    if "capacity_new" in ds:
        outs["new_capacity"] = Output(var="capacity_new", label="new generating capacity, all periods [MW]")
    return outs


def effects(
    ds: Any, y: np.ndarray, modes: dict[str, str], random: bool, base: dict[str, Any]
) -> list[Effect]:
    """Per parameter: the output at its levels with the other parameters at their base level (when the
    design holds such points), else averaged over the others; for random designs a linear fit."""
    ok = np.isfinite(y)
    out: list[Effect] = []
    lv = {p: list(ds[p].values.tolist()) for p in modes}
    if random:
        num = [p for p in modes if ds[p].dtype.kind in "fib"]
        if not num or ok.sum() <= len(num):
            return []
        X = np.column_stack([np.asarray(lv[p], float)[ok] for p in num])
        A = np.column_stack([np.ones(len(X)), X - X.mean(axis=0)])
        coef, *_ = np.linalg.lstsq(A, y[ok], rcond=None)
        for j, p in enumerate(num):
            lo, hi = float(X[:, j].min()), float(X[:, j].max())
            m = float(X[:, j].mean())
            out.append(
                Effect(
                    p,
                    [lo, hi],
                    [float(coef[0] + coef[j + 1] * (lo - m)), float(coef[0] + coef[j + 1] * (hi - m))],
                    "linear fit",
                )
            )
        return out
    for p in modes:
        others = [q for q in modes if q != p]
        at_base = ok.copy()
        for q in others:
            at_base &= np.array([_same(v, base[q]) for v in lv[q]])
        pts: dict[Any, list[float]] = {}
        sel = at_base if len({_key_of(v) for v, b in zip(lv[p], at_base, strict=True) if b}) >= 2 else ok
        for v, yy, b in zip(lv[p], y, sel, strict=True):
            if b:
                pts.setdefault(_key_of(v), []).append(float(yy))
        keys = sorted(pts, key=_sort_key)
        out.append(
            Effect(
                p,
                keys,
                [float(np.mean(pts[k])) for k in keys],
                "others at base" if sel is at_base else "mean over the others",
            )
        )
    return out


def _key_of(v: Any) -> Any:
    return round(v, 12) if isinstance(v, float) else v


def _sort_key(v: Any) -> tuple[int, Any]:
    return (0, float(v)) if isinstance(v, int | float) else (1, str(v))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and is_number(b):
        return abs(a - float(b)) <= 1e-12 * max(1.0, abs(a))
    if isinstance(b, dict | list):
        return a == json.dumps(b, sort_keys=True, default=str)
    return bool(a == b)


def sensitivity_html(sweep: Sweep, combined: Path, path: Path) -> Path:
    """Tornado charts (output swing per parameter around the base) and output-vs-parameter curves,
    at `path` in English and beside it in Chinese (sensitivity.zh.html); see gridplan.report.sweep_pages."""
    from gridplan.report.sweep_pages import write_sensitivity

    return write_sensitivity(sweep, combined, path)
