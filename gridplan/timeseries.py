"""Time resolution: the full chronological year, or representative days with weights.

A `Time` is a list of steps (one hour each) grouped into blocks (one block for the
full year; one per representative day). Step weights are the hours of the year each
step stands for; they sum to 8760. Chronology holds inside a block only; `order`
maps every day of the year to the block that represents it (for linked storage
and for expanding results back to 8760 h).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridplan.case import HOURS, Inputs

DAYS = HOURS // 24
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Time:
    mode: str
    hour: np.ndarray  # [T] hour of the year (0-based) that each step takes its data from
    weight: np.ndarray  # [T] hours of the year each step represents
    block: np.ndarray  # [T] block of each step
    block_len: int  # steps per block
    order: np.ndarray  # [days or periods of the year] block representing each original period

    @property
    def n(self) -> int:
        return len(self.hour)

    @property
    def n_blocks(self) -> int:
        return int(self.block.max()) + 1

    def prev(self) -> np.ndarray:
        """Index of the previous step, cyclic inside each block."""
        t = np.arange(self.n)
        start = self.block * self.block_len
        return np.where(t == start, start + self.block_len - 1, t - 1)

    def day(self) -> np.ndarray:
        """Day group of each step (24 consecutive steps inside one block)."""
        return self.block * (self.block_len // 24 or 1) + (np.arange(self.n) % self.block_len) // 24


def month_weights(time: Time) -> np.ndarray:
    """[12, T]: hours of each calendar month (non-leap year) that step t stands for. Step k of
    block b stands for hour i * L + k of every original period i with order[i] = b (L = block_len;
    hours past the year's end do not count)."""
    month = np.repeat(np.arange(12), 24 * np.array(DAYS_IN_MONTH))
    out = np.zeros((12, time.n))
    k = np.arange(time.block_len)
    for i, b in enumerate(np.asarray(time.order, dtype=int)):
        h = i * time.block_len + k
        ok = h < HOURS
        np.add.at(out, (month[h[ok]], b * time.block_len + k[ok]), 1.0)
    return out


def features(inputs: Inputs) -> np.ndarray:
    """Hourly matrix [8760, k] of the first period's load and every profile, each scaled to [0, 1]."""
    cols = [inputs.load[inputs.scenario.periods[0]].to_numpy()]
    cols += [df.to_numpy() for df in inputs.profiles.values()]
    x = np.concatenate(cols, axis=1)
    span = x.max(axis=0) - x.min(axis=0)
    return (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)


def full_year() -> Time:
    return Time(
        "full_year",
        np.arange(HOURS),
        np.ones(HOURS),
        np.zeros(HOURS, dtype=int),
        HOURS,
        np.zeros(DAYS, dtype=int),
    )


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
                if t.kind == "variable" and t.profile in inputs.profiles
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
    x = features(inputs)[: DAYS * 24].reshape(DAYS, -1)
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


def select(inputs: Inputs) -> Time:
    """The time steps the scenario asks for."""
    t = inputs.scenario.time
    if t.mode == "full_year":
        return full_year()
    if t.mode == "tsam":
        from gridplan.aggregation import tsam_periods

        return tsam_periods(inputs)
    return representative_days(inputs, t.days, list(t.extreme_periods))
