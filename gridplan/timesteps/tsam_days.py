"""Typical periods chosen by tsam, with the energy-preserving correction (`time.mode: tsam`).

Typical periods (`time.mode: tsam`)
    The year is cut into N original periods of L = `time.hours_per_period` hours (24: days,
    168: weeks). When L does not divide 8760 the last period is partial (R = 8760 - (N-1) L
    hours; for weeks N = 53, R = 24): it is filled up to L hours by repeating its own R hours
    (so it clusters by what it holds) and counts as R/L of a period. Load of every zone and
    period, every availability profile and the heat demand are clustered jointly (hierarchical
    clustering, or exact k-medoids); each cluster is represented by its medoid, an original
    period, so step t takes its data from hour `hour[t]` of the year. Extreme periods asked
    for by the scenario (the period holding the peak total load, the period of least mean
    availability of the variable renewables) are added as clusters of their own (tsam's
    `new_cluster` method: periods closer to an extreme than to their own medoid join it).

    weight[t] = count[b(t)]  (original periods block b stands for; sum_t weight[t] = 8760)
    order[i]  = block representing original period i  (i = 0..N-1)

Energy correction
    A medoid is a typical period, not an average one: on skewed series (wind) the weighted
    medoids miss the annual energy by up to 20-45 % (wind), 5-35 % (solar), 5-13 % (hydro) and
    0.4-3 % (load) with 4-32 typical days or weeks (measured on inputs/jiangxi). Each series s
    (load per period and zone, each profile column, heat per period and zone) therefore gets a
    factor f_s on the steps of the ordinary (non-extreme) blocks, found by bisection so that

        sum_{t extreme} w_t x_s[h_t] + sum_{t ordinary} w_t min(f_s x_s[h_t], cap_s) = sum_h x_s[h]

    with cap_s = 1 p.u. for profiles and no cap for load and heat (extreme blocks keep their
    true values, so the peak stays exact). The model reads the corrected values through
    `on_steps(time, hourly, kind, name, column)`; series without a factor are read unchanged.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from gridplan.case import HOURS, Inputs
from gridplan.errors import InputError, Problem
from gridplan.kinds import tech_kind
from gridplan.timesteps.steps import ScaledTime, series_key

# tsam clustering per scenario `time.method`; all are represented by medoids (original periods)
METHODS = {"medoid": "hierarchical", "hierarchical": "hierarchical", "k_medoids": "kmedoids"}
KMEDOIDS_TIME_LIMIT = 300.0  # s: exact k-medoids is a MILP over all period pairs
# tsam: periods closer to an extreme period than to their own medoid join it ("new_cluster"), or
# each extreme period stands only for itself ("append")
EXTREME_METHOD: Literal["append", "new_cluster"] = "new_cluster"


def hourly_series(inputs: Inputs) -> dict[str, tuple[np.ndarray, float]]:
    """Every hourly series the model reads, with its upper cap (1 p.u. for profiles)."""
    out: dict[str, tuple[np.ndarray, float]] = {}
    for p, df in inputs.load.items():
        for z in df.columns:
            out[series_key("load", p, z)] = (df[z].to_numpy(dtype=float), np.inf)
    for name, df in inputs.profiles.items():
        for c in df.columns:
            out[series_key("profile", name, c)] = (df[c].to_numpy(dtype=float), 1.0)
    for p, df in inputs.heat.items():
        for z in df.columns:
            out[series_key("heat", p, z)] = (df[z].to_numpy(dtype=float), np.inf)
    return out


def tsam_feature_table(inputs: Inputs) -> tuple[pd.DataFrame, dict[str, float], dict[str, list[str]]]:
    """Columns clustered by tsam, their weights, and the extreme-period columns.

    Load and heat columns of each period weigh 1/n_periods (the periods share one shape up to
    growth), profile columns 1. Constant columns carry no information and are left out. The
    helper columns `_peak/<period>` (total load) and `_renewable` (mean availability of all
    variable technologies' profile columns) only locate extreme periods: they weigh the
    least tsam accepts."""
    from tsam import options

    n_p = max(len(inputs.load), 1)
    cols: dict[str, np.ndarray] = {}
    weights: dict[str, float] = {}
    for key, (x, _) in hourly_series(inputs).items():
        if np.ptp(x) > 1e-9:
            cols[key] = x
            weights[key] = 1.0 if key.startswith("profile/") else 1.0 / n_p
    extremes: dict[str, list[str]] = {"max_value": [], "min_period": []}
    kinds = set(inputs.scenario.time.extreme_periods)
    tiny = float(options.min_weight)
    if "peak_load" in kinds:
        for p, df in inputs.load.items():
            total = df.to_numpy(dtype=float).sum(axis=1)
            if np.ptp(total) > 1e-9:
                cols[f"_peak/{p}"] = total
                weights[f"_peak/{p}"] = tiny
                extremes["max_value"].append(f"_peak/{p}")
    if "min_renewable" in kinds:
        s = inputs.scenario
        vre = [
            inputs.profiles[t.profile][c].to_numpy(dtype=float)
            for t in s.technologies.values()
            if tech_kind(t.kind).curtailable and t.profile in inputs.profiles
            for c in inputs.profiles[t.profile].columns
        ]
        if vre:
            avail = np.mean(vre, axis=0)
            if np.ptp(avail) > 1e-9:
                cols["_renewable"] = avail
                weights["_renewable"] = tiny
                extremes["min_period"].append("_renewable")
    return pd.DataFrame(cols), weights, extremes


def _problem(inputs: Inputs, fld: str, message: str) -> InputError:
    return InputError([Problem(str(inputs.path), fld, message=message)])


def _cluster(
    inputs: Inputs, length: int, n_periods: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """tsam clustering: (medoid period of each block, block of each period, count of each block,
    blocks holding extreme periods). Blocks are numbered in calendar order of their medoids."""
    import tsam
    from tsam import ClusterConfig, ExtremeConfig, KMedoids

    t = inputs.scenario.time
    data, weights, ext = tsam_feature_table(inputs)
    if not data.shape[1] or n_periods == 1:  # nothing varies: any one period stands for all
        return np.zeros(1, dtype=int), np.zeros(n_periods, dtype=int), np.array([HOURS / length]), []
    data = data.iloc[padded_hours(length)].reset_index(drop=True)
    method: Any = METHODS[t.method]
    if method == "kmedoids":
        method = KMedoids(options={"time_limit": KMEDOIDS_TIME_LIMIT})
    extremes = ExtremeConfig(method=EXTREME_METHOD, **ext) if any(ext.values()) else None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*minimal tolerable weighting.*")
        # medoids are input days, so an aggregated maximum above the input's is rounding (1e-12)
        warnings.filterwarnings("ignore", message=".*exceeds the maximal value the input.*")
        try:
            res = tsam.aggregate(
                data,
                min(t.days, n_periods),
                period_duration=length,
                temporal_resolution=1.0,
                cluster=ClusterConfig(method=method, representation="medoid"),
                extremes=extremes,
                weights=weights,
                preserve_column_means=False,
            )
        except RuntimeError as e:  # the k-medoids MILP stopped without a solution
            raise _problem(
                inputs,
                "time.method",
                f"exact k-medoids of {n_periods} periods found no clustering within "
                f"{KMEDOIDS_TIME_LIMIT:.0f} s ({e}); use 'hierarchical', or weeks (hours_per_period: 168)",
            ) from None
    c = res.clustering
    if c.cluster_centers is None:
        raise RuntimeError("tsam returned no medoid periods")
    centers = np.array(c.cluster_centers, dtype=int)
    assign = np.array(c.cluster_assignments, dtype=int)
    counts = np.array([float(res.cluster_counts[b]) for b in range(len(centers))])
    counts[assign[-1]] -= 1.0 - (HOURS - (n_periods - 1) * length) / length  # partial last period
    extreme = list(c.extreme_cluster_indices or ())
    rank = np.argsort(centers, kind="stable")  # new block j = old block rank[j]
    new_of_old = np.empty_like(rank)
    new_of_old[rank] = np.arange(len(rank))
    return centers[rank], new_of_old[assign], counts[rank], sorted(int(new_of_old[e]) for e in extreme)


def padded_hours(length: int) -> np.ndarray:
    """Hour of the year behind each of the N L clustered hours: the year, then the partial last
    period's own R hours repeated to fill it up to L."""
    n = -(-HOURS // length)
    rest = HOURS - (n - 1) * length
    return np.concatenate([np.arange(HOURS), HOURS - rest + np.arange(n * length - HOURS) % rest])


def _factor(x: np.ndarray, w: np.ndarray, fixed: np.ndarray, target: float, cap: float) -> float:
    """f >= 0 with sum_fixed w x + sum_free w min(f x, cap) = target (bisection; monotone in f)."""
    base = float((w * x)[fixed].sum())
    free = ~fixed
    xf, wf = x[free], w[free]
    if float((wf * xf).sum()) <= 0 or target - base <= 0:
        return 1.0
    if not np.isfinite(cap):
        return (target - base) / float((wf * xf).sum())

    def energy(f: float) -> float:
        return base + float((wf * np.minimum(f * xf, cap)).sum())

    lo, hi = 0.0, 1.0
    while energy(hi) < target and hi < 1e6:
        lo, hi = hi, hi * 2.0
    if energy(hi) < target:
        return hi
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if energy(mid) < target else (lo, mid)
    return 0.5 * (lo + hi)


def energy_scale(
    inputs: Inputs, hour: np.ndarray, weight: np.ndarray, fixed: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, tuple[float, float]]]:
    """Per-step multipliers that restore each series' annual energy (module docstring), and the
    relative energy error of each series before and after."""
    scale: dict[str, np.ndarray] = {}
    errors: dict[str, tuple[float, float]] = {}
    for key, (x, cap) in hourly_series(inputs).items():
        target = float(x.sum())
        xs = x[hour]
        before = float((weight * xs).sum())
        if target <= 0:
            continue
        f = _factor(xs, weight, fixed, target, cap)
        scaled = np.where(fixed, xs, np.minimum(f * xs, cap))
        mult = np.divide(scaled, xs, out=np.ones_like(xs), where=xs > 0)
        after = float((weight * xs * mult).sum())
        errors[key] = (before / target - 1.0, after / target - 1.0)
        if np.abs(mult - 1.0).max() > 1e-12:
            scale[key] = mult
    return scale, errors


def tsam_periods(inputs: Inputs) -> ScaledTime:
    """Typical periods of `time.hours_per_period` hours chosen by tsam (module docstring)."""
    t = inputs.scenario.time
    length = int(t.hours_per_period)
    if length > HOURS:
        raise _problem(inputs, "time.hours_per_period", f"{length} h is longer than a year ({HOURS} h)")
    n_periods = -(-HOURS // length)
    if t.days > n_periods:
        raise _problem(
            inputs,
            "time.days",
            f"{t.days} typical periods asked for, but a year has only {n_periods} periods of {length} h",
        )
    centers, order, counts, extreme = _cluster(inputs, length, n_periods)
    n_blocks = len(centers)
    hour = padded_hours(length)[(centers[:, None] * length + np.arange(length)[None, :]).ravel()]
    weight = np.repeat(counts, length)
    block = np.repeat(np.arange(n_blocks), length)
    fixed = np.isin(block, extreme)
    scale, errors = energy_scale(inputs, hour, weight, fixed)
    if not getattr(t, "rescale", True):  # correction switched off: report the raw errors
        scale, errors = {}, {k: (e, e) for k, (e, _) in errors.items()}
    return ScaledTime(
        "tsam",
        hour,
        weight,
        block,
        length,
        order.astype(int),
        scale=scale,
        energy_error=errors,
        extreme_blocks=tuple(extreme),
    )
