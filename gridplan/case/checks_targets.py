"""Checks of plan targets before solving: what every target must state, what each kind needs in
addition (KIND_CHECKS, by target kind), bounds in range, and capacity or peak-response targets
that no plan can reach.

A target kind that needs a check of its own registers it in KIND_CHECKS; a kind without an entry
gets the checks every kind gets (a min or a max, no co2_peak fields).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridplan.case import margin
from gridplan.case.checks_fleets import capacity_range, named_members
from gridplan.case.checks_refs import need, undefined_period
from gridplan.case.schema import Scenario, Target
from gridplan.case.values import target_bounds
from gridplan.errors import ERROR, WARNING, Problem
from gridplan.kinds import target_kind

# (target name, target, scenario file, problems)
StatedCheck = Callable[[str, Target, str, list[Problem]], None]
# (scenario, target name, target, scenario file, problems)
FieldCheck = Callable[[Scenario, str, Target, str, list[Problem]], None]
# (scenario, target name, target, file, problems, hourly load by period [MW] or None)
ReachCheck = Callable[[Scenario, str, Target, str, list[Problem], dict[int, pd.DataFrame] | None], None]


def check_target_fields(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Members, zone and periods a target names are defined; the kind's own fields (KIND_CHECKS)."""
    groups = {g for t in s.technologies.values() for g in t.groups} | {
        g for st in s.storage.values() for g in st.groups
    }
    names = [*s.technologies, *s.storage, *s.demand_response, *s.imports, *sorted(groups)]
    for n, tg in s.targets.items():
        for i, member in enumerate(tg.technologies):
            need(problems, file, member, names, f"targets.{n}.technologies.{i}", "technology or group")
        need(problems, file, tg.zone, list(s.zones), f"targets.{n}.zone", "zone")
        for check in kind_checks(tg.kind).stated:
            check(n, tg, file, problems)
        for fcheck in kind_checks(tg.kind).fields:
            fcheck(s, n, tg, file, problems)
        for bound in ("min", "max"):
            v = getattr(tg, bound)
            for k in v if isinstance(v, dict) else []:
                if k not in s.periods:
                    problems.append(undefined_period(file, f"targets.{n}.{bound}.{k}", k, s.periods))


def check_levels(n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """A target states its level as min or max (base_level and max_growth are co2_peak's)."""
    if tg.base_level is not None or tg.max_growth is not None:
        problems.append(
            Problem(
                file,
                f"targets.{n}.base_level",
                message=f"only co2_peak takes a base_level; found kind {tg.kind}",
            )
        )
    if tg.min is None and tg.max is None:
        problems.append(Problem(file, f"targets.{n}", message="missing: a target needs 'min' or 'max'"))


def check_peak(n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """co2_peak: a peak year, and a stated level (max, or base_level with max_growth), not both."""
    if tg.peak_year is None:
        problems.append(
            Problem(file, f"targets.{n}.peak_year", message="missing: a co2_peak target needs a peak_year")
        )
    if tg.min is not None:
        problems.append(
            Problem(file, f"targets.{n}.min", message="a co2_peak target takes no min; its level is 'max'")
        )
    if tg.max is not None and tg.base_level is not None:
        problems.append(
            Problem(
                file,
                f"targets.{n}.base_level",
                message="found both max and base_level; expected one peak level: max [tCO2/yr], or "
                "base_level [tCO2/yr] with max_growth",
            )
        )
    if tg.max_growth is not None and tg.base_level is None:
        problems.append(
            Problem(file, f"targets.{n}.max_growth", message="max_growth needs a base_level [tCO2/yr]")
        )
    if tg.max is None and tg.base_level is None:
        problems.append(
            Problem(
                file,
                f"targets.{n}",
                severity=WARNING,
                message=(
                    "a carbon peak without a level can be met by raising the peak period's emissions; "
                    "expected a peak level: max [tCO2/yr], or base_level with max_growth"
                ),
            )
        )


def check_total_energy(n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """non_fossil_primary_share: the stated total energy consumption is the share's denominator."""
    if tg.total_energy is None:
        problems.append(
            Problem(
                file,
                f"targets.{n}.total_energy",
                message="missing: a non_fossil_primary_share target needs the stated total energy "
                "consumption [tce/yr] by period",
            )
        )


def check_target_numbers(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Bounds are finite (max may be inf), >= 0, shares in [0, 1]; min <= max in every period."""
    for n, tg in s.targets.items():
        share = target_kind(tg.kind).form == "share"
        for b in ("min", "max"):
            v = getattr(tg, b)
            items = v.items() if isinstance(v, dict) else ([] if v is None else [(None, v)])
            for k, x in items:
                where = f"targets.{n}.{b}" + (f".{k}" if k is not None else "")
                if math.isnan(x) or (math.isinf(x) and b == "min"):
                    problems.append(Problem(file, where, message=f"found {x}; expected a finite number"))
                elif x < 0 or (share and x > 1):
                    hint = (
                        f"; it looks like a percentage: write {x / 100:g}" if share and 2 < x <= 100 else ""
                    )
                    problems.append(
                        Problem(
                            file,
                            where,
                            message=(
                                f"found {x:g}; expected {'a share in [0, 1]' if share else 'a value >= 0'}{hint}"
                            ),
                        )
                    )
        lo, hi = target_bounds(tg, s.periods)
        for j, p in enumerate(s.periods):
            if lo is not None and hi is not None and lo[j] > hi[j] + 1e-9:
                problems.append(
                    Problem(
                        file,
                        f"targets.{n}.min",
                        message=(f"found min {lo[j]:g} > max {hi[j]:g} in {p}; expected min <= max"),
                    )
                )


def check_target_magnitudes(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Bounds far outside what any real system has: almost surely the wrong unit (KIND_CHECKS)."""
    for n, tg in s.targets.items():
        check = kind_checks(tg.kind).magnitude
        if check is not None:
            check(n, tg, file, problems)


def _capacity_in_kw(n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """A capacity bound above 1e7 MW is in kW."""
    for b in ("min", "max"):
        v = getattr(tg, b)
        for x in v.values() if isinstance(v, dict) else [] if v is None else [v]:
            if math.isfinite(x) and x > 1e7:
                problems.append(
                    Problem(
                        file,
                        f"targets.{n}.{b}",
                        message=(
                            f"found {x:g} MW, more than any province could install; is it in kW (÷1000)? "
                            "expected MW"
                        ),
                    )
                )
                break


def is_soft(s: Scenario, tg: Target) -> bool:
    """The target may fall short at a penalty (its own `soft`, else the case's targets_mode)."""
    return tg.soft if tg.soft is not None else s.targets_mode == "soft"


def check_target_reach(
    s: Scenario, file: str, problems: list[Problem], loads: dict[int, pd.DataFrame] | None
) -> None:
    """Enabled targets that no plan can meet, found before solving (KIND_CHECKS reach); errors
    for hard targets, warnings for soft ones."""
    for n, tg in s.targets.items():
        check = kind_checks(tg.kind).reach
        if tg.enabled and check is not None:
            check(s, n, tg, file, problems, loads)


def _shortfall(s: Scenario, tg: Target, fix: str) -> tuple[str, str]:
    """Severity and the message's tail for a target that cannot be met."""
    if is_soft(s, tg):
        return WARNING, "; as a soft target it will fall short and pay its penalty"
    return ERROR, f": the plan is infeasible before solving; {fix}, or lower the target"


def _capacity_reach(
    s: Scenario, n: str, tg: Target, file: str, problems: list[Problem], loads: dict[int, pd.DataFrame] | None
) -> None:
    """min above the most the members can have installed; max below the least they must keep."""
    periods = list(s.periods)
    lo, hi = target_bounds(tg, periods)
    sev, tail = _shortfall(s, tg, "raise build_max or potential")
    mem = named_members(s, tg.technologies)
    names = [m[1] for m in mem]
    rng = [capacity_range(s, sect, m, tg.zone) for sect, m in mem]
    cmin = sum((r[0] for r in rng), np.zeros(len(periods)))
    cmax = sum((r[1] for r in rng), np.zeros(len(periods)))
    for j, p in enumerate(periods):
        where = f" in zone '{tg.zone}'" if tg.zone else ""
        if lo is not None and not np.isnan(lo[j]) and cmax[j] < lo[j] - 1e-6:
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.min",
                    severity=sev,
                    message=(
                        f"found min {lo[j]:g} MW in {p}; at most {cmax[j]:g} MW of {names}{where} can exist "
                        f"in {p} (existing + build_max of earlier periods still alive, capped by "
                        f"potential){tail}"
                    ),
                )
            )
        if hi is not None and not np.isnan(hi[j]) and cmin[j] > hi[j] + 1e-6:
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.max",
                    severity=sev,
                    message=(
                        f"found max {hi[j]:g} MW in {p}; at least {cmin[j]:g} MW of {names}{where} exist "
                        f"in {p} (existing + build_min, which cannot retire early){tail}"
                    ),
                )
            )


def _peak_response_reach(
    s: Scenario, n: str, tg: Target, file: str, problems: list[Problem], loads: dict[int, pd.DataFrame] | None
) -> None:
    """min share of the peak load above the most the demand response can provide [MW]."""
    periods = list(s.periods)
    lo, _ = target_bounds(tg, periods)
    if loads is None or lo is None:
        return
    sev, tail = _shortfall(s, tg, "raise the demand-response potential")
    drs = [m for m in tg.technologies if m in s.demand_response] or list(s.demand_response)
    top = sum((capacity_range(s, "demand_response", d, tg.zone)[1] for d in drs), np.zeros(len(periods)))
    for j, p in enumerate(periods):
        if np.isnan(lo[j]):
            continue
        df = loads[p]
        peak = float((df[tg.zone] if tg.zone else df.sum(axis=1)).max())
        if top[j] < lo[j] * peak - 1e-6:
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.min",
                    severity=sev,
                    message=(
                        f"found {lo[j]:g} of the peak load {peak:,.0f} MW = {lo[j] * peak:,.0f} MW in {p}; "
                        f"the demand response {drs} can provide at most {top[j]:,.0f} MW{tail}"
                    ),
                )
            )


@dataclass(frozen=True)
class KindChecks:
    """The pre-solve checks of one target kind.

    stated     on the target's own fields (default: a min or a max, no co2_peak fields)
    magnitude  bounds that betray a wrong unit
    reach      bounds no plan can reach (the fleet's least and most capacity, the peak load)
    fields     on the target's fields against the rest of the scenario (names it refers to)
    """

    stated: tuple[StatedCheck, ...] = (check_levels,)
    fields: tuple[FieldCheck, ...] = ()
    magnitude: StatedCheck | None = None
    reach: ReachCheck | None = None


KIND_CHECKS: dict[str, KindChecks] = {
    "capacity": KindChecks(magnitude=_capacity_in_kw, reach=_capacity_reach),
    "peak_response": KindChecks(reach=_peak_response_reach),
    "co2_peak": KindChecks(stated=(check_peak,)),
    "non_fossil_primary_share": KindChecks(stated=(check_total_energy, check_levels)),
    "reserve_margin": KindChecks(fields=(margin.check_fields,), reach=margin.check_reach),
}


def kind_checks(kind: str) -> KindChecks:
    """The checks of a target kind (the defaults when it registers none)."""
    return KIND_CHECKS.get(kind, KindChecks())
