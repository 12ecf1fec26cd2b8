"""Time steps of the model: the `Time` a case is solved on and the readers every family uses.

A `Time` is a list of steps (one hour each) grouped into blocks (one block for the
full year; one per representative day or typical period). Step weights are the hours of the
year each step stands for; they sum to 8760. Chronology holds inside a block only; `order`
maps every original period (day, week) of the year to the block that represents it (for linked
storage and for expanding results back to 8760 h). `ScaledTime` adds the per-series energy
correction of typical periods (timesteps/tsam_days.py), which `on_steps` applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gridplan.case import HOURS

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


def full_year() -> Time:
    return Time(
        "full_year",
        np.arange(HOURS),
        np.ones(HOURS),
        np.zeros(HOURS, dtype=int),
        HOURS,
        np.zeros(DAYS, dtype=int),
    )


@dataclass(frozen=True)
class ScaledTime(Time):
    """Time steps plus per-series correction factors on the steps (see module docstring).

    scale[key][t] multiplies the hourly value hour[t] of series `key`; energy_error[key] holds
    the relative error of the weighted annual energy before and after the correction."""

    scale: dict[str, np.ndarray] = field(default_factory=dict)
    energy_error: dict[str, tuple[float, float]] = field(default_factory=dict)
    extreme_blocks: tuple[int, ...] = ()


def series_key(*parts: object) -> str:
    """Name of an hourly series: e.g. ('load', 2030, 'core') -> 'load/2030/core'."""
    return "/".join(str(p) for p in parts)


def on_steps(time: Time, hourly: np.ndarray, *key: object) -> np.ndarray:
    """Values of an hourly series [8760] on the model's steps: hourly[hour[t]] * scale[key][t].

    key: ('load', period, zone), ('profile', name, column) or ('heat', period, zone)."""
    values = np.asarray(hourly, dtype=float)[time.hour]
    scale = getattr(time, "scale", None)
    if scale:
        f = scale.get(series_key(*key))
        if f is not None:
            values = values * f
    return values


def period_hours(time: Time) -> np.ndarray:
    """Hours of each original period [N]: block_len, except a shorter last one when the
    period length does not divide the year."""
    n, length = len(time.order), time.block_len
    hours = np.clip(HOURS - np.arange(n) * length, 0, length)
    if hours.sum() != HOURS or hours.min() <= 0:
        raise ValueError(f"{n} periods of {length} h do not cover a year of {HOURS} h")
    return hours
