"""Historical periods: periods that record the system as it stood (Scenario.historical_periods).

In a historical period nothing is built (every fleet's `<fam>_new` is absent, lp/investment.py),
retrofitted (`retro` fleet) or newly contracted (demand response at `existing`, lp/demand.py);
the LP only dispatches the recorded fleet there. This module checks the inputs of that rule.
"""

from __future__ import annotations

from gridplan.case.schema import Scenario
from gridplan.case.values import per_zone_period
from gridplan.errors import WARNING, Problem
from gridplan.kinds import target_kind


def check_history(s: Scenario, file: str, problems: list[Problem]) -> None:
    """historical_periods are periods of the case; build_min is 0 in them; capacity targets there
    are only a check of the record (warning)."""
    hist = list(s.historical_periods)
    for p in hist:
        if p not in s.periods:
            problems.append(
                Problem(
                    file,
                    "historical_periods",
                    message=f"found {p}; expected one of the periods {list(s.periods)}",
                )
            )
    hist = [p for p in hist if p in s.periods]
    if not hist:
        return
    zones, periods = list(s.zones), list(s.periods)
    for sect, items in (("technologies", s.technologies), ("storage", s.storage)):
        for n, it in items.items():
            lo = per_zone_period(it.build_min, zones, periods, ("", ""), [])
            bad = [
                (z, p)
                for zi, z in enumerate(zones)
                for j, p in enumerate(periods)
                if p in hist and lo[zi, j] > 0
            ]
            if bad:
                z, p = bad[0]
                problems.append(
                    Problem(
                        file,
                        f"{sect}.{n}.build_min",
                        message=(
                            f"found {lo[zones.index(z), periods.index(p)]:g} MW in zone '{z}', period {p}, a "
                            f"historical period ({len(bad)} zone-period(s)); expected 0: nothing is built in "
                            "historical_periods (give recorded capacity as `existing`)"
                        ),
                    )
                )
    for n, tg in s.targets.items():
        if not tg.enabled or not target_kind(tg.kind).fleet:
            continue
        named = [p for b in (tg.min, tg.max) if isinstance(b, dict) for p in b if p in hist]
        named += [p for b in (tg.min, tg.max) if b is not None and not isinstance(b, dict) for p in hist]
        if named:
            problems.append(
                Problem(
                    file,
                    f"targets.{n}",
                    message=(
                        f"bounds the historical period {sorted(set(named))[0]}, where the fleet is the recorded "
                        "one: the target only checks the record (it holds, or the case is infeasible)"
                    ),
                    severity=WARNING,
                )
            )
