"""Representative days: the year split into runs of consecutive days, each represented by its
medoid day and weighted by the run's length, plus extreme days kept on purpose
(`time.mode: representative_days`).
"""

from __future__ import annotations

import numpy as np

from gridplan.case import Inputs
from gridplan.kinds import tech_kind
from gridplan.timesteps.steps import DAYS, Time


def scaled_load_and_profiles(inputs: Inputs) -> np.ndarray:
    """Hourly matrix [8760, k] of the first period's load and every profile, each scaled to [0, 1]."""
    cols = [inputs.load[inputs.scenario.periods[0]].to_numpy()]
    cols += [df.to_numpy() for df in inputs.profiles.values()]
    x = np.concatenate(cols, axis=1)
    span = x.max(axis=0) - x.min(axis=0)
    return (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)


def extreme_days(inputs: Inputs, kinds: list[str]) -> list[int]:
    """Days kept on purpose: the day of peak total load, the day of least renewable availability."""
    out: list[int] = []
    load = sum(df.to_numpy().sum(axis=1) for df in inputs.load.values())
    for kind in kinds:
        if kind == "peak_load":
            d = int(np.argmax(np.asarray(load))) // 24
        else:
            vre = [
                inputs.profiles[t.profile]
                for t in inputs.scenario.technologies.values()
                if tech_kind(t.kind).curtailable and t.profile in inputs.profiles
            ]
            if not vre:
                continue
            avail = sum(df.to_numpy().mean(axis=1) for df in vre)
            d = int(np.argmin(np.asarray(avail)[: DAYS * 24].reshape(DAYS, 24).sum(axis=1)))
        if d not in out:
            out.append(d)
    return out


def representative_days(inputs: Inputs, n: int, extremes: list[str]) -> Time:
    """Split the year into n runs of consecutive days; each run is represented by its medoid
    day (the day closest to the run's mean day), weighted by the run's length. Extreme days
    represent only themselves (weight 1)."""
    x = scaled_load_and_profiles(inputs)[: DAYS * 24].reshape(DAYS, -1)
    keep = extreme_days(inputs, extremes)
    rest = np.array([d for d in range(DAYS) if d not in keep])
    chunks = [c for c in np.array_split(rest, min(n, len(rest))) if len(c)]
    reps: list[int] = []
    order = np.zeros(DAYS, dtype=int)
    counts: list[int] = []
    for b, days in enumerate(chunks):
        mean = x[days].mean(axis=0)
        reps.append(int(days[np.argmin(((x[days] - mean) ** 2).sum(axis=1))]))
        order[days] = b
        counts.append(len(days))
    for d in keep:
        order[d] = len(reps)
        reps.append(d)
        counts.append(1)
    hour = np.concatenate([np.arange(d * 24, d * 24 + 24) for d in reps])
    weight = np.repeat(np.array(counts, dtype=float), 24)
    block = np.repeat(np.arange(len(reps)), 24)
    return Time("representative_days", hour, weight, block, 24, order)
