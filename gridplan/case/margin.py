"""The planning reserve margin's inputs (规划备用率, target kind `reserve_margin`): the capacity
credit of each resource, read once for the LP (lp/margin.py) and the checks, and the checks before
any solve (registered in checks_targets.KIND_CHECKS).

A target's `credits` maps a technology, storage, demand-response resource, import channel or a
group of technologies and storage to a credit [p.u. of capacity in service], a number or
{period: number}. A key may name a resource, a group or both (as in capacity targets); a resource
named directly takes its own credit over any group's; a resource no key names counts 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from gridplan.case.checks_fleets import capacity_range
from gridplan.case.checks_refs import need, undefined_period
from gridplan.case.schema import Scenario, Target
from gridplan.case.values import period_values, target_bounds
from gridplan.errors import ERROR, WARNING, Problem

SECTIONS = ("technologies", "storage", "demand_response", "imports")


def resources(s: Scenario) -> dict[str, str]:
    """Every resource that can hold a credit -> its scenario section."""
    out: dict[str, str] = {}
    for sect in SECTIONS:
        out.update(dict.fromkeys(getattr(s, sect), sect))
    return out


def groups_of(s: Scenario) -> dict[str, list[str]]:
    """Group -> the technologies and storage in it."""
    out: dict[str, list[str]] = {}
    for items in (s.technologies, s.storage):
        for n, it in items.items():
            for g in it.groups:
                out.setdefault(g, []).append(n)
    return out


def resource_credits(s: Scenario, tg: Target, periods: list[int]) -> dict[str, np.ndarray]:
    """Credit [p.u.] by resource and period (NaN in periods a mapping leaves out); direct names
    first, then the members of groups in the order the target lists them (check_fields reports
    two groups that disagree)."""
    res, groups = resources(s), groups_of(s)
    out: dict[str, np.ndarray] = {}
    for key, v in tg.credits.items():
        if key in res:
            vals = period_values(v, periods)
            if vals is not None:
                out[key] = vals
    for key, v in tg.credits.items():
        vals = period_values(v, periods)
        if vals is None:
            continue
        for n in groups.get(key, []):
            out.setdefault(n, vals)
    return out


def check_fields(s: Scenario, n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """min only (the margin, a share checked by check_target_numbers; check_levels asks for one
    bound at all); credits name defined
    resources or groups, lie in [0, 1], cover every period with a margin, and agree where two
    groups name one resource."""
    where = f"targets.{n}"
    if tg.max is not None:
        problems.append(
            Problem(
                file, f"{where}.max", message="a reserve_margin takes no max; its margin is 'min' [share]"
            )
        )
    if tg.min is None and tg.max is not None:  # neither: check_levels says so
        problems.append(
            Problem(
                file, where, message="missing: a reserve_margin needs 'min', the margin over the peak [share]"
            )
        )
    if tg.technologies:
        problems.append(
            Problem(
                file,
                f"{where}.technologies",
                message="a reserve_margin counts what `credits` names; expected no 'technologies'",
            )
        )
    if not tg.credits:
        problems.append(
            Problem(
                file,
                f"{where}.credits",
                message="missing: a reserve_margin needs credits [p.u.] of the resources it counts "
                "(e.g. {coal: 0.95, wind: 0.05})",
            )
        )
    res, groups = resources(s), groups_of(s)
    periods = list(s.periods)
    lo, _ = target_bounds(tg, periods)
    needed = [p for j, p in enumerate(periods) if lo is not None and not np.isnan(lo[j])]
    for key, v in tg.credits.items():
        f = f"{where}.credits.{key}"
        need(problems, file, key, [*res, *sorted(set(groups) - set(res))], f, "resource or group")
        items = v.items() if isinstance(v, dict) else [(None, v)]
        for k, x in items:
            if k is not None and k not in periods:
                problems.append(undefined_period(file, f"{f}.{k}", k, periods))
            elif not (math.isfinite(x) and 0.0 <= x <= 1.0):
                problems.append(
                    Problem(
                        file,
                        f if k is None else f"{f}.{k}",
                        message=f"found {x:g}; expected a capacity credit in [0, 1] [p.u. of capacity]",
                    )
                )
        if isinstance(v, dict):
            missing = [p for p in needed if p not in v]
            if missing:
                problems.append(
                    Problem(
                        file,
                        f,
                        message=f"no credit for {missing}, where the target sets a margin; expected a "
                        "number or {period: number} covering those periods",
                    )
                )
    seen: dict[str, str] = {}
    for key, v in tg.credits.items():
        for m in groups.get(key, []):
            if m in tg.credits or m not in seen:
                seen.setdefault(m, key)
                continue
            if tg.credits[seen[m]] != v:
                problems.append(
                    Problem(
                        file,
                        f"{where}.credits.{key}",
                        message=f"'{m}' is in groups '{seen[m]}' and '{key}' with different credits; "
                        f"expected one credit: name '{m}' itself to say which",
                    )
                )


def check_reach(
    s: Scenario, n: str, tg: Target, file: str, problems: list[Problem], loads: dict[int, pd.DataFrame] | None
) -> None:
    """The most firm capacity the credited resources can have (credit x the most capacity each can
    have in service; storage at full credit) below (1 + margin) x peak: infeasible before solving."""
    periods = list(s.periods)
    lo, _ = target_bounds(tg, periods)
    if loads is None or lo is None:
        return
    res = resources(s)
    cred = resource_credits(s, tg, periods)
    top = np.zeros(len(periods))
    for r, c in cred.items():
        top += np.nan_to_num(c) * capacity_range(s, res[r], r, tg.zone)[1]
    soft = tg.soft if tg.soft is not None else s.targets_mode == "soft"
    for j, p in enumerate(periods):
        if np.isnan(lo[j]):
            continue
        df = loads[p]
        peak = float((df[tg.zone] if tg.zone else df.sum(axis=1)).max())
        need_mw = (1.0 + lo[j]) * peak
        if top[j] < need_mw - 1e-6:
            tail = (
                "; as a soft target it will fall short and pay its penalty"
                if soft
                else ": the plan is infeasible before solving; raise build_max, potential or credits, "
                "or lower the margin"
            )
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.min",
                    severity=WARNING if soft else ERROR,
                    message=(
                        f"found a margin of {lo[j]:g} on the peak load {peak:,.0f} MW = {need_mw:,.0f} MW "
                        f"of firm capacity in {p}; the credited resources can give at most {top[j]:,.0f} MW"
                        f"{tail}"
                    ),
                )
            )
