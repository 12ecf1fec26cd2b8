"""Infeasibility visible from the data of fleets and import channels, before solving: build_min
above build_max or potential, existing above potential, an import minimum energy the channel
cannot carry; and the least and most capacity each fleet item can have (for target checks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridplan.case.checks_retirement import retirement_range
from gridplan.case.schema import Scenario
from gridplan.case.tables import HOURS
from gridplan.case.values import per_period, per_zone_period
from gridplan.errors import Problem


def _alive(built: int, period: int, life: float) -> bool:
    """A build of period `built` is still in service in `period` (lifetime `life` years)."""
    return built <= period < built + life


def fleet_range(s: Scenario, item: Any, periods: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Least and most installed capacity [MW] by zone and period a fleet item can have:
    min = existing + build_min of builds alive; max = min(potential, existing + build_max alive)."""
    zones = list(s.zones)
    scratch: list[Problem] = []
    e = per_zone_period(item.existing, zones, periods, ("", ""), scratch)
    lo = per_zone_period(item.build_min, zones, periods, ("", ""), scratch)
    hi = per_zone_period(item.build_max, zones, periods, ("", ""), scratch)
    po = per_zone_period(item.potential, zones, periods, ("", ""), scratch, np.inf)[:, 0]
    hi = np.where(hi > 0, np.minimum(hi, po[:, None]), 0.0)
    lo = np.where(hi > 0, lo, 0.0)
    cmin, cmax = e.copy(), e.copy()
    for j, p in enumerate(periods):
        alive = [b for b, q in enumerate(periods) if _alive(q, p, item.lifetime)]
        cmin[:, j] += lo[:, alive].sum(axis=1)
        with np.errstate(invalid="ignore"):
            cmax[:, j] = np.maximum(np.minimum(po, e[:, j] + hi[:, alive].sum(axis=1)), e[:, j])
    return cmin, cmax


def _first_cell(bad: np.ndarray) -> tuple[int, int, int] | None:
    """(zone index, period index, number of cells) of the first True cell of [zone, period]."""
    cells = np.argwhere(bad)
    return (int(cells[0][0]), int(cells[0][1]), len(cells)) if len(cells) else None


def check_fleets(s: Scenario, file: str, problems: list[Problem]) -> None:
    """build_min <= build_max, existing <= potential, existing + build_min <= potential (the first
    rule a fleet breaks, at its first zone and period)."""
    zones, periods = list(s.zones), list(s.periods)
    scratch: list[Problem] = []
    for sect, items in (("technologies", s.technologies), ("storage", s.storage)):
        for n, it in items.items():
            e = per_zone_period(it.existing, zones, periods, ("", ""), scratch)
            lo = per_zone_period(it.build_min, zones, periods, ("", ""), scratch)
            hi = per_zone_period(it.build_max, zones, periods, ("", ""), scratch)
            po = per_zone_period(it.potential, zones, periods, ("", ""), scratch, np.inf)[:, 0]
            if cell := _first_cell(lo > hi + 1e-9):
                zi, j, k = cell
                message = (
                    f"found build_min {lo[zi, j]:g} MW > build_max {hi[zi, j]:g} MW in zone '{zones[zi]}', "
                    f"period {periods[j]} ({k} zone-period(s)); expected build_min <= build_max"
                )
                problems.append(Problem(file, f"{sect}.{n}.build_min", message=message))
            elif cell := _first_cell(e > po[:, None] + 1e-9):
                zi, j, _ = cell
                message = (
                    f"found {e[zi, j]:g} MW in zone '{zones[zi]}', period {periods[j]}, above the potential "
                    f"{po[zi]:g} MW; expected existing <= potential (potential counts existing + new)"
                )
                problems.append(Problem(file, f"{sect}.{n}.existing", message=message))
            elif cell := _first_cell((cmin := fleet_range(s, it, periods)[0]) > po[:, None] + 1e-9):
                zi, j, _ = cell
                message = (
                    f"existing + build_min reach {cmin[zi, j]:g} MW in zone '{zones[zi]}', period {periods[j]}, "
                    f"above the potential {po[zi]:g} MW: infeasible before solving; expected "
                    "existing + build_min <= potential"
                )
                problems.append(Problem(file, f"{sect}.{n}.build_min", message=message))


def named_members(s: Scenario, names: list[str]) -> list[tuple[str, str]]:
    """(section, name) of the technologies, storage, DR and channels named directly or by group."""
    out: list[tuple[str, str]] = []
    for sect, items in (("technologies", s.technologies), ("storage", s.storage)):
        out += [(sect, n) for n, t in items.items() if n in names or set(t.groups) & set(names)]
    out += [("demand_response", n) for n in s.demand_response if n in names]
    out += [("imports", n) for n in s.imports if n in names]
    return out


def capacity_range(s: Scenario, sect: str, name: str, zone: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Least and most capacity [MW] by period of one member of a capacity target (zone or all)."""
    zones, periods = list(s.zones), list(s.periods)
    scratch: list[Problem] = []
    keep = np.array([zone is None or z == zone for z in zones])
    if sect in ("technologies", "storage"):
        item = (s.technologies if sect == "technologies" else s.storage)[name]
        cmin, cmax = fleet_range(s, item, periods)
        if sect == "technologies":  # capacity in service: retirement lowers it, extension raises it
            cmin, cmax = retirement_range(s, s.technologies[name], periods, cmin, cmax)
        return cmin[keep].sum(axis=0), cmax[keep].sum(axis=0)
    if sect == "demand_response":
        d = s.demand_response[name]
        e = per_zone_period(d.existing, zones, periods, ("", ""), scratch)
        pot = np.maximum(per_zone_period(d.potential, zones, periods, ("", ""), scratch), e)
        return e[keep].sum(axis=0), pot[keep].sum(axis=0)
    ch = s.imports[name]
    if zone is not None and ch.zone != zone:
        return np.zeros(len(periods)), np.zeros(len(periods))
    cap = per_period(ch.capacity, periods, ("", ""), scratch)
    hi = per_period(ch.build_max, periods, ("", ""), scratch)
    top = np.array(
        [
            cap[j] + sum(hi[b] for b, q in enumerate(periods) if _alive(q, p, ch.lifetime))
            for j, p in enumerate(periods)
        ]
    )
    return cap, top


def check_imports(s: Scenario, file: str, problems: list[Problem], profiles: dict[str, pd.DataFrame]) -> None:
    """An import channel's minimum energy must fit its capacity and availability, and its maximum."""
    periods = list(s.periods)
    scratch: list[Problem] = []
    for c, ch in s.imports.items():
        lo = per_period(ch.min_energy, periods, ("", ""), scratch)
        hi = per_period(ch.max_energy, periods, ("", ""), scratch)
        _, cap = capacity_range(s, "imports", c, None)
        if ch.profile is not None and ch.profile not in profiles:
            continue
        hours = float(profiles[ch.profile][c].sum()) if ch.profile is not None else float(HOURS)
        for j, p in enumerate(periods):
            if lo[j] > hi[j] + 1e-6:
                problems.append(
                    Problem(
                        file,
                        f"imports.{c}.min_energy",
                        message=(
                            f"found min_energy {lo[j]:g} MWh > max_energy {hi[j]:g} MWh in {p}; expected min <= max"
                        ),
                    )
                )
            elif lo[j] > cap[j] * hours + 1e-6:
                problems.append(
                    Problem(
                        file,
                        f"imports.{c}.min_energy",
                        message=(
                            f"found {lo[j]:g} MWh in {p}; the channel can carry at most {cap[j] * hours:,.0f} MWh "
                            f"({cap[j]:g} MW x {hours:,.0f} full-load hours of availability): infeasible before "
                            "solving"
                        ),
                    )
                )
