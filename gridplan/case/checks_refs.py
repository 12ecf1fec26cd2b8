"""Cross-references of a validated scenario: every fuel, profile, zone, demand component,
technology or group, and period a field names must be defined elsewhere in the case."""

from __future__ import annotations

import math

from gridplan.case.schema import Scenario
from gridplan.case.spelling import did_you_mean
from gridplan.errors import WARNING, Problem
from gridplan.kinds import tech_kind


def need(
    problems: list[Problem], file: str, name: str | None, pool: list[str], field_: str, what: str
) -> None:
    """A problem when `name` (if given) is not one of `pool`, with a did-you-mean."""
    if name is not None and name not in pool:
        hint = did_you_mean(name, pool)
        problems.append(
            Problem(file, field_, message=f"{what} '{name}' is not defined{hint}; defined: {pool}")
        )


def undefined_period(file: str, field_: str, period: int, periods: list[int]) -> Problem:
    """A mapping names a period the case does not have."""
    return Problem(file, field_, message=f"period {period} is not defined; periods are {periods}")


def check_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Names used in one place must be defined in another (targets: checks_targets.py)."""
    _technology_refs(s, file, problems)
    _link_refs(s, file, problems)
    for n, r in s.demand_response.items():
        comps = list(s.demand.components)
        need(problems, file, r.acts_on, comps, f"demand_response.{n}.acts_on", "demand component")
    _import_refs(s, file, problems)


def _technology_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Fuels and profiles exist; a kind with a profile has one; a heat rate has a fuel to burn."""
    for n, t in s.technologies.items():
        need(problems, file, t.fuel, list(s.fuels), f"technologies.{n}.fuel", "fuel")
        need(problems, file, t.profile, list(s.profiles), f"technologies.{n}.profile", "profile")
        kind = tech_kind(t.kind)
        if kind.profile and t.profile is None:
            problems.append(
                Problem(
                    file,
                    f"technologies.{n}.profile",
                    message=f"missing: a {t.kind} technology needs an availability profile",
                )
            )
        if kind.dispatchable and t.fuel is None and t.heat_rate != 0:
            problems.append(
                Problem(
                    file, f"technologies.{n}.fuel", message="missing: heat_rate is given but no fuel to burn"
                )
            )


def _link_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """A link joins two different defined zones."""
    zones = list(s.zones)
    for n, ln in s.links.items():
        need(problems, file, ln.from_zone, zones, f"links.{n}.from", "zone")
        need(problems, file, ln.to_zone, zones, f"links.{n}.to", "zone")
        if ln.from_zone == ln.to_zone:
            problems.append(
                Problem(
                    file,
                    f"links.{n}.to",
                    message=(
                        f"found '{ln.to_zone}' at both ends; expected a link between two different zones"
                    ),
                )
            )


def _import_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """A channel's zone and profiles exist; a new channel should have a renewable profile."""
    profiles = list(s.profiles)
    for n, c in s.imports.items():
        need(problems, file, c.zone, list(s.zones), f"imports.{n}.zone", "zone")
        need(problems, file, c.profile, profiles, f"imports.{n}.profile", "profile")
        need(problems, file, c.renewable_profile, profiles, f"imports.{n}.renewable_profile", "profile")
        if c.new and c.renewable_profile is None and c.renewable_share != 0:
            problems.append(
                Problem(
                    file,
                    f"imports.{n}.renewable_profile",
                    severity=WARNING,
                    message=(
                        "a new channel without a sending-end renewable profile: its renewable energy is "
                        "limited only by the channel's availability, hour by hour (renewable power at "
                        "night); expected the sending region's wind/solar/hydro availability"
                    ),
                )
            )


def check_period_years(s: Scenario, file: str, problems: list[Problem]) -> None:
    """period_years names each period once, and only periods, with years > 0."""
    if s.period_years is None:
        return
    for p in s.periods:
        if p not in s.period_years:
            problems.append(Problem(file, "period_years", message=f"no value for period {p}"))
    for k, y in s.period_years.items():
        if k not in s.periods:
            problems.append(undefined_period(file, f"period_years.{k}", k, s.periods))
        elif not (y > 0 and math.isfinite(y)):
            problems.append(Problem(file, f"period_years.{k}", message=f"found {y}; expected years > 0"))
