"""What happened to each scenario, kept in its folder so that a sweep can resume.

    <id>/log.jsonl    every attempt (start, done, failed, skipped), with host and process id
    <id>/failed.json  the reason of the last failure and the fingerprint it failed under
    <id>/results.nc   carries `sweep_fingerprint`: finished under this base case and solver settings

A scenario is 'done' when its results.nc has the sweep's fingerprint, 'failed' when it failed for
a reason that would repeat (bad parameter, bad input, infeasible), 'retry' when it failed for a
transient reason (worker lost, interrupted, results not writable), else 'todo'.
"""

from __future__ import annotations

import json
import math
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridplan.atomic import write_text

TRANSIENT = ("worker", "interrupted", "output")  # failure kinds retried on the next run


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")


def log_event(folder: Path, event: str, **info: Any) -> None:
    """Append one line to <folder>/log.jsonl: every attempt of a scenario leaves a trace."""
    rec = {
        "event": event,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        **info,
    }
    with open(folder / "log.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, default=str) + "\n")


def read_log(folder: Path) -> list[dict[str, Any]]:
    """The attempts recorded in <folder>/log.jsonl (empty if none)."""
    p = folder / "log.jsonl"
    if not p.is_file():
        return []
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def results_fingerprint(path: Path) -> str | None:
    """The sweep fingerprint stored in a results.nc, or None if absent or unreadable."""
    if not path.is_file():
        return None
    try:
        import netCDF4

        with netCDF4.Dataset(path) as nc:
            return str(nc.getncattr("sweep_fingerprint"))
    except (OSError, AttributeError, KeyError, RuntimeError):
        return None


def status(folder: Path, fingerprint: str) -> tuple[str, dict[str, Any]]:
    """'done', 'failed' (would fail again), 'retry' (failed transiently) or 'todo', with failure info."""
    if results_fingerprint(folder / "results.nc") == fingerprint:
        return "done", {}
    f = folder / "failed.json"
    if f.is_file():
        try:
            info = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "todo", {}
        if info.get("fingerprint") == fingerprint:
            return ("retry" if info.get("kind") in TRANSIENT else "failed"), info
    return "todo", {}


def record_failure(folder: Path, sid: str, fingerprint: str, kind: str, reason: str) -> dict[str, Any]:
    info = {
        "id": sid,
        "kind": kind,
        "reason": reason,
        "fingerprint": fingerprint,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "failed.json", info)
    return info


@dataclass
class Outcome:
    """What happened to one scenario in this run (or was found from an earlier one)."""

    id: str
    label: str
    status: str  # done | failed
    objective: float = math.nan
    seconds: float = math.nan
    reason: str = ""
    kind: str = ""
    computed: bool = False  # run in this invocation (not found from an earlier run)
    warm_start: str = ""
