"""Checks of the operating-reserve requirements (reserves.<name>, lp/reserves.py) before a solve:
the zones and providers they name exist and can hold reserve in their direction, and the shares
are per-unit values in [0, 1]."""

from __future__ import annotations

from gridplan.case.checks_refs import need
from gridplan.case.schema import Scenario
from gridplan.errors import Problem

SYSTEM = "system"  # the area name of a system-wide requirement in the results


def check_reserves(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Zones, providers and shares of every reserve requirement."""
    groups = sorted(
        {g for t in s.technologies.values() for g in t.groups}
        | {g for st in s.storage.values() for g in st.groups}
    )
    pool = [*s.technologies, *s.storage, *s.demand_response, *groups]
    for n, r in s.reserves.items():
        f = f"reserves.{n}"
        for i, z in enumerate(r.zones):
            need(problems, file, z, list(s.zones), f"{f}.zones.{i}", "zone")
        if r.scope == SYSTEM and SYSTEM in s.zones:
            problems.append(
                Problem(
                    file,
                    f"{f}.scope",
                    message=f"a zone is named '{SYSTEM}'; expected another zone name "
                    "(the results call a system-wide requirement's area so)",
                )
            )
        for i, name in enumerate(r.providers or []):
            where = f"{f}.providers.{i}"
            if name in s.imports:
                problems.append(
                    Problem(
                        file,
                        where,
                        message=f"import channel '{name}' cannot hold reserve; expected a "
                        "technology, group, storage or demand response",
                    )
                )
            elif name in s.demand_response and r.direction == "down":
                problems.append(
                    Problem(
                        file,
                        where,
                        message=f"demand response '{name}' holds up reserve only; expected "
                        "a technology, group or storage for a down requirement",
                    )
                )
            else:
                need(problems, file, name, pool, where, "technology, group, storage or demand response")
        for key in ("load_share", "variable_share"):
            v = getattr(r, key)
            values = v.items() if isinstance(v, dict) else [(None, v)]
            for p, x in values:
                if x > 1:
                    path = f"{f}.{key}" + ("" if p is None else f".{p}")
                    problems.append(
                        Problem(
                            file,
                            path,
                            message=f"found {x:g}; expected a share of at most 1 (p.u., 0.03 = 3%)",
                        )
                    )
