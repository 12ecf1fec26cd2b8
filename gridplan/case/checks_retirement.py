"""Checks of `technologies.<n>.retirement` (early retirement, mothballing, life extension) before
any solve, and the range of capacity in service it allows (for the target checks)."""

from __future__ import annotations

import numpy as np

from gridplan.case.schema import Scenario, Technology
from gridplan.case.values import per_zone_period
from gridplan.errors import WARNING, Problem
from gridplan.kinds import tech_kind


def _schedule(s: Scenario, t: Technology) -> np.ndarray:
    """existing [MW] by zone and period."""
    return per_zone_period(t.existing, list(s.zones), list(s.periods), ("", ""), [])


def check_retirement(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Retirement only for dispatchable kinds modelled in lp/thermal.py (where min_output needs
    commitment); warnings for options that can never act."""
    hist = set(s.historical_periods)
    periods = list(s.periods)
    for n, t in s.technologies.items():
        r = t.retirement
        if r is None:
            continue
        f = f"technologies.{n}.retirement"
        if not tech_kind(t.kind).dispatchable:
            problems.append(
                Problem(
                    file,
                    f,
                    message=f"found on a '{t.kind}' technology; expected a dispatchable kind (thermal)",
                )
            )
            continue
        if t.min_output > 0 and not (t.commitment is not None and t.commitment.enabled):
            problems.append(
                Problem(
                    file,
                    f"technologies.{n}.min_output",
                    message=(
                        f"found {t.min_output:g} with retirement and without commitment; a cluster with "
                        "retirement is modelled in lp/thermal.py, whose must-run floor is commitment.min_stable: "
                        "expected min_output 0 (or commitment with min_stable)"
                    ),
                )
            )
        e = _schedule(s, t)
        open_ = [j for j, p in enumerate(periods) if p not in hist]
        if not open_ or e[:, open_].max() <= 0:
            problems.append(
                Problem(
                    file,
                    f,
                    message="has nothing to act on: no existing capacity in a period that is not historical",
                    severity=WARNING,
                )
            )
        if r.mothball_fom is not None and r.mothball_fom >= t.fom:
            problems.append(
                Problem(
                    file,
                    f"{f}.mothball_fom",
                    message=(
                        f"found {r.mothball_fom:g} CNY/kW-yr, not below fom {t.fom:g}: mothballed capacity "
                        "costs as much as capacity in service, so mothballing is never chosen"
                    ),
                    severity=WARNING,
                )
            )
        if r.mothball_return_cost > 0 and r.mothball_fom is None:
            problems.append(
                Problem(
                    file,
                    f"{f}.mothball_return_cost",
                    message="is set but mothball_fom is not (no mothballing): it has no effect",
                    severity=WARNING,
                )
            )
        if r.life_extension is not None:
            drops = [j for j in open_ if j > 0 and (e[:, j - 1] - e[:, j]).max() > 0]
            if not drops:
                problems.append(
                    Problem(
                        file,
                        f"{f}.life_extension",
                        message=(
                            "has nothing to extend: `existing` does not fall into a period that is not "
                            "historical (life extension keeps capacity the schedule retires)"
                        ),
                        severity=WARNING,
                    )
                )


def retirement_range(
    s: Scenario, t: Technology, periods: list[int], cmin: np.ndarray, cmax: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Least and most capacity in service [MW, zone x period] with retirement: existing may go
    to 0 outside historical periods (early retirement or mothballing), and life extension may keep
    up to min(build_max, max_share * schedule's drop) per period for `years`."""
    r = t.retirement
    if r is None:
        return cmin, cmax
    hist = set(s.historical_periods)
    e = per_zone_period(t.existing, list(s.zones), periods, ("", ""), [])
    cmin, cmax = cmin.copy(), cmax.copy()
    open_ = np.array([p not in hist for p in periods])
    if r.early or r.mothball_fom is not None:
        cmin[:, open_] = np.maximum(cmin[:, open_] - e[:, open_], 0.0)
    le = r.life_extension
    if le is not None:
        cap = per_zone_period(le.build_max, list(s.zones), periods, ("", ""), [])
        for j, p in enumerate(periods):
            for b, q in enumerate(periods):
                if b > 0 and open_[b] and q <= p < q + le.years:
                    drop = np.maximum(e[:, b - 1] - e[:, b], 0.0)
                    cmax[:, j] += np.minimum(cap[:, b], le.max_share * drop)
    return cmin, cmax
