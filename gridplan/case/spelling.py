"""Did-you-mean hints: the defined name closest to a misspelt one."""

from __future__ import annotations

import difflib


def close_match(name: str, pool: list[str]) -> str | None:
    """The name in `pool` closest to `name` (case-insensitive), if any is close."""
    lower = {str(p).lower(): str(p) for p in pool}
    hit = difflib.get_close_matches(str(name).lower(), list(lower), n=1)
    return lower[hit[0]] if hit else None


def did_you_mean(name: str, pool: list[str]) -> str:
    """The hint " (did you mean 'x'?)" naming the closest name in `pool`; empty when none is close."""
    close = close_match(name, pool)
    return f" (did you mean '{close}'?)" if close else ""
