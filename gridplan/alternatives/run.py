"""Near-optimal alternatives on the sweep's Dask machinery: plan, run (resumable), combine, draw.

Output folder layout (the same ledger as a sweep's scenarios, gridplan/sweep):

    <out>/optimum/results.nc            the case's optimum (or --base: an existing results.nc)
    <out>/<id>/results.nc               one alternative, id = s<slack>-<direction>-<min|max>
    <out>/<id>/failed.json, log.jsonl   why it failed; every attempt
    <out>/alternatives.nc               all of them along `alternative` (gridplan/alternatives/combine.py)
    <out>/alternatives.html             ranges of capacity, must-build minimum, costs (page.py)
    <out>/alternatives.json             the manifest

The optimum runs first (its cost C* sets every cost row); then every alternative is a Dask task
(`run_alternative`) on a LocalCluster of `workers` single-threaded processes or on `scheduler`.
Each results.nc carries a fingerprint (inputs, solver settings, C*, slack, direction, sense): a
re-run skips finished alternatives and those that failed for a reason that would repeat, and
retries those lost with a worker.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from gridplan.alternatives.directions import Direction
from gridplan.alternatives.mga import solve_alternative
from gridplan.atomic import exclusive, remove_stale, write_text
from gridplan.case import Inputs
from gridplan.errors import GridplanError, InputError, Problem
from gridplan.lp.units import MCNY
from gridplan.outputs import check_output
from gridplan.report.fmt import bar
from gridplan.sweep import dask_client, status
from gridplan.sweep.ledger import log_event, record_failure

Echo = Callable[[str], None]
OPTIMUM = "optimum"


@dataclass(frozen=True)
class AltJob:
    """What a worker needs for one alternative (plain data, pickled to the worker)."""

    id: str
    case: str
    folder: str
    fingerprint: str
    model_key: str  # inputs and solver settings: a worker's built model serves equal keys
    solver: dict[str, Any] = field(default_factory=dict)
    limit: float | None = None  # cost row [MCNY]; None: the optimum
    direction: Direction | None = None
    sense: str = "min"
    slack: float = 0.0


@dataclass
class AltOutcome:
    id: str
    status: str  # done | failed
    objective: float = math.nan  # total cost [CNY]
    value: float = math.nan  # direction value [its unit]
    seconds: float = math.nan
    reason: str = ""
    kind: str = ""
    reused: int = 0


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_alternative(job: AltJob) -> dict[str, Any]:
    """One alternative (a Dask task): write results.nc, or failed.json with the reason."""
    from gridplan.results import write

    folder = Path(job.folder)
    folder.mkdir(parents=True, exist_ok=True)
    if status(folder, job.fingerprint)[0] == "done":
        return {"id": job.id, "status": "done", "again": True}
    remove_stale(folder)
    log_event(folder, "start")
    t0 = time.perf_counter()
    try:
        ds = solve_alternative(job.case, job.model_key, job.solver, job.limit, job.direction, job.sense)
        ds.attrs.update({"alternative": job.id, "mga_slack": job.slack, "sweep_fingerprint": job.fingerprint})
        write(ds, folder / "results.nc")
    except InputError as e:
        kind, reason = "input", str(e)
    except GridplanError as e:
        kind, reason = str(getattr(e, "status", "solve")), str(e)
    except OSError as e:
        kind, reason = "output", f"results.nc could not be written: {e}"
    except Exception as e:  # noqa: BLE001 - one alternative's failure is recorded; the others go on
        kind, reason = "error", f"{type(e).__name__}: {e}"
    else:
        (folder / "failed.json").unlink(missing_ok=True)
        out = {
            "id": job.id,
            "status": "done",
            "objective": ds.attrs["objective"],
            "value": ds.attrs.get("mga_direction_value", math.nan),
            "seconds": time.perf_counter() - t0,
            "reused": int(ds.attrs["model_reused"]),
        }
        log_event(folder, "done", **{k: v for k, v in out.items() if k not in ("id", "status")})
        return out
    record_failure(folder, job.id, job.fingerprint, kind, reason)
    log_event(folder, "failed", kind=kind, reason=reason[:2000])
    return {"id": job.id, "status": "failed", "kind": kind, "reason": reason}


def alternative_id(slack: float, direction: Direction, sense: str) -> str:
    return f"s{slack:g}-{direction.name}-{sense}"


@dataclass
class AltRun:
    """The result of run_alternatives."""

    out: Path
    optimum: float  # CNY
    outcomes: dict[str, AltOutcome]
    combined: Path | None
    html: Path | None
    seconds: float
    jobs: list[AltJob] = field(default_factory=list)


def plan(
    inputs: Inputs,
    directions: list[Direction],
    slacks: list[float],
    out: Path,
    solver: dict[str, Any],
    optimum: float,
) -> list[AltJob]:
    """One job per slack, direction and sense; `optimum` [CNY] sets each cost row."""
    key = model_key(inputs, solver)
    jobs = []
    for s in slacks:
        for d in directions:
            for sense in d.senses:
                aid = alternative_id(s, d, sense)
                fp = _hash(key, optimum, s, asdict(d), sense)
                limit = (1.0 + s) * optimum / MCNY
                jobs.append(
                    AltJob(aid, str(inputs.path), str(out / aid), fp, key, solver, limit, d, sense, s)
                )
    return jobs


def model_key(inputs: Inputs, solver: dict[str, Any]) -> str:
    from gridplan import __version__

    return _hash(inputs.input_hash, solver, __version__)


def _optimum(
    inputs: Inputs, out: Path, solver: dict[str, Any], base: Path | None, client: Any, echo: Echo
) -> tuple[float, Path]:
    """C* [CNY] and the optimum's results.nc: --base (checked to be of these inputs), an earlier
    run's, or solved now on the cluster."""
    if base is not None:
        with xr.open_dataset(base) as ds:
            attrs = dict(ds.attrs)
        plain = (
            attrs.get("foresight", "perfect") == "perfect" and attrs.get("mga_direction", OPTIMUM) == OPTIMUM
        )
        if attrs.get("input_hash") != inputs.input_hash or not attrs.get("optimal", 0) or not plain:
            raise InputError(
                [
                    Problem(
                        "command line",
                        "--base",
                        message=f"{base} is not an optimal perfect-foresight run of these inputs",
                    )
                ]
            )
        echo(f"optimum from {base}: {attrs['objective'] / 1e9:,.4f} bn CNY")
        return float(attrs["objective"]), base
    key = model_key(inputs, solver)
    job = AltJob(OPTIMUM, str(inputs.path), str(out / OPTIMUM), key, key, solver)
    path = out / OPTIMUM / "results.nc"
    if status(path.parent, key)[0] != "done":
        echo("solving the optimum first: its cost sets every alternative's cost row")
        res = client.submit(run_alternative, job, pure=False).result()
        if res["status"] != "done":
            raise GridplanError(f"the optimum did not solve: {res.get('reason', '')}")
    with xr.open_dataset(path) as ds:
        c = float(ds.attrs["objective"])
    echo(f"optimum: {c / 1e9:,.4f} bn CNY")
    return c, path


def run_alternatives(
    inputs: Inputs,
    directions: list[Direction],
    slacks: list[float],
    out: Path,
    *,
    solver: dict[str, Any] | None = None,
    base: Path | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    echo: Echo = print,
) -> AltRun:
    """Solve the optimum, then every alternative not yet finished; combine and draw."""
    from gridplan.alternatives.combine import combine
    from gridplan.alternatives.page import write_page

    t0 = time.perf_counter()
    solver = {"threads": 1, **(solver or {})}
    check_output(out, "--out")
    out.mkdir(parents=True, exist_ok=True)
    with exclusive(out, "alternatives run"), dask_client(scheduler, workers) as client:
        optimum, opt_path = _optimum(inputs, out, solver, base, client, echo)
        jobs = plan(inputs, directions, slacks, out, solver, optimum)
        outcomes = _execute(jobs, client, echo)
    paths = {OPTIMUM: opt_path} | {
        j.id: Path(j.folder) / "results.nc" for j in jobs if outcomes[j.id].status == "done"
    }
    combined = html = None
    if len(paths) > 1:
        combined = combine(paths, out / "alternatives.nc")
        html = write_page(combined, out / "alternatives.html")
    run = AltRun(out, optimum, outcomes, combined, html, time.perf_counter() - t0, jobs)
    _manifest(run, inputs)
    return run


def _execute(jobs: list[AltJob], client: Any, echo: Echo) -> dict[str, AltOutcome]:
    """Submit the unfinished jobs, follow them, record each outcome (resumable)."""
    from dask.distributed import as_completed

    outcomes: dict[str, AltOutcome] = {}
    todo = []
    for j in jobs:
        st, info = status(Path(j.folder), j.fingerprint)
        if st == "done":
            with xr.open_dataset(Path(j.folder) / "results.nc") as ds:
                a = ds.attrs
                outcomes[j.id] = AltOutcome(
                    j.id,
                    "done",
                    a["objective"],
                    a.get("mga_direction_value", math.nan),
                    a.get("seconds_alternative", math.nan),
                )
        elif st == "failed":
            outcomes[j.id] = AltOutcome(
                j.id, "failed", reason=info.get("reason", ""), kind=info.get("kind", "")
            )
        else:
            todo.append(j)
    echo(
        f"{len(jobs)} alternatives: {len(jobs) - len(todo)} already finished or failed for good, {len(todo)} to run"
    )
    futures = {
        client.submit(run_alternative, j, pure=False, key=f"gridplan-alt-{j.fingerprint}-{time.time_ns()}"): j
        for j in todo
    }
    t0 = time.perf_counter()
    try:
        for k, fut in enumerate(as_completed(list(futures)), 1):
            j = futures[fut]
            try:
                r = fut.result()
            except Exception as e:  # noqa: BLE001 - a lost worker: recorded, retried next run
                reason = f"{type(e).__name__}: {e} (the task's worker died or was lost; retried next run)"
                record_failure(Path(j.folder), j.id, j.fingerprint, "worker", reason)
                r = {"status": "failed", "kind": "worker", "reason": reason}
            o = AltOutcome(
                j.id,
                r["status"],
                r.get("objective", math.nan),
                r.get("value", math.nan),
                r.get("seconds", math.nan),
                r.get("reason", ""),
                r.get("kind", ""),
                r.get("reused", 0),
            )
            outcomes[j.id] = o
            what = (
                f"cost {o.objective / 1e9:,.4f} bn CNY, {j.direction.name if j.direction else ''} "
                f"{o.value:,.3f} {j.direction.unit if j.direction else ''} in {o.seconds:.1f} s"
                + (" (model reused)" if o.reused else "")
                if o.status == "done"
                else f"FAILED ({o.kind}): {(o.reason.splitlines() or [''])[0][:160]}"
            )
            echo(f"{bar(k, len(todo))} {time.perf_counter() - t0:.0f} s | {j.id}: {what}")
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    return outcomes


def _manifest(run: AltRun, inputs: Inputs) -> None:
    data = {
        "case": str(inputs.path),
        "input_hash": inputs.input_hash,
        "optimum_cny": run.optimum,
        "seconds": round(run.seconds, 3),
        "alternatives": [
            {
                **asdict(run.outcomes[j.id]),
                "slack": j.slack,
                "direction": j.direction.text if j.direction else "",
                "sense": j.sense,
                "folder": j.folder,
            }
            for j in run.jobs
        ],
        "combined": str(run.combined) if run.combined else None,
        "page": str(run.html) if run.html else None,
    }
    write_text(run.out / "alternatives.json", json.dumps(data, indent=1, default=str) + "\n")
