"""Running a sweep on Dask distributed: plan, skip what is finished, submit, follow, combine.

Every scenario is a Dask task (gridplan.sweep.worker.run_job) on a LocalCluster (default: `workers`
worker processes of one thread each, on loopback) or on an existing scheduler (gridplan installed
on every worker); HiGHS runs with one thread per scenario unless the sweep's `solver` says
otherwise. The output folder must be on a file system every worker sees; what each task leaves
there, and what a re-run skips, is gridplan/sweep/ledger.py (sweep.nc points only at this run's
results). A scenario lost with its worker is retried by the scheduler and, failing that, on the
next run. `<out>/sweep.json` is the manifest. The output folder is checked writable before
anything runs, and locked (`<out>/.gridplan.lock`) while a sweep writes to it: a second sweep on
the same output fails at once (exit 2, "another sweep is writing to ..."). Temporary files carry
their writer's host and process id, so a clean-up removes only those of writers that are gone
(gridplan/atomic.py).

Model reuse (`reuse: true`): the base case is solved first and its optimal simplex basis kept in
`<out>/reference/`; every scenario whose constraint matrix is the base's (only costs, bounds or
right-hand sides differ) starts HiGHS dual simplex from that basis (gridplan/warm_start.py). Every
scenario starts from the same basis, so the answer does not depend on which worker ran what.
Warm starts are used only where HiGHS would use simplex anyway (`reuse: always` forces them); for
larger cases the base is only built to find out (scripts/bench_sweep.py measures the gain).

Part reuse (exact; off with GRIDPLAN_PARTS=off): interior-point scenarios are solved by independent parts
(gridplan/blocks.py), and a part that is the same in another scenario (the historical period in a
sweep over investment costs), or was solved by an earlier command (`gridplan run` of the base), is
read back from the shared store instead of solved again (gridplan/block_store.py, shared_folder).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gridplan.atomic import exclusive
from gridplan.block_store import shared_folder
from gridplan.errors import InputError, Problem
from gridplan.outputs import check_output, writing
from gridplan.report.fmt import bar
from gridplan.sweep.combine import combine_results
from gridplan.sweep.design import ParamError, Planned, plan_scenarios, scenario_id, write_scenario
from gridplan.sweep.ledger import Outcome, log_event, record_failure, status, write_json
from gridplan.sweep.spec import Sweep, sha256_hex
from gridplan.sweep.views import sensitivity_html
from gridplan.sweep.worker import Job, reference_state, run_job

Echo = Callable[[str], None]


def stderr_echo(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@dataclass
class SweepRun:
    """The result of `run_sweep`: outcomes by scenario, files written, counts and timing."""

    sweep: Sweep
    planned: list[Planned]
    outcomes: dict[str, Outcome]
    combined: Path | None
    html: Path | None
    seconds: float
    workers: int

    @property
    def computed(self) -> int:
        return sum(o.computed for o in self.outcomes.values())

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes.values())

    @property
    def done(self) -> int:
        return sum(o.status == "done" for o in self.outcomes.values())


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Client on `scheduler`, or on a LocalCluster of `workers` single-threaded processes (loopback)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP server: loopback, any port
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "?"
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min" if s < 5400 else f"{s / 3600:.1f} h"


def run_sweep(
    sweep: Sweep,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int = 2,
    retry_failed: bool = False,
    echo: Echo = stderr_echo,
    on_result: Callable[[Outcome], None] | None = None,
    threads: int = 1,
) -> SweepRun:
    """Run every scenario not yet finished on Dask, then combine and draw; see the module docstring.

    `client`: an existing dask Client (else one is made from `scheduler`, or a LocalCluster of
    `workers`). `on_result` is called on the client side after each scenario of this run.
    `threads`: HiGHS threads per scenario unless the sweep's solver sets them (1: one core per
    worker; more for a scenario run alone)."""
    from gridplan.case import cores

    limit = cores()
    if client is None and scheduler is None and not 1 <= workers <= limit:
        raise InputError(
            [
                Problem(
                    "command line",
                    "--workers",
                    message=f"found {workers}; expected 1..{limit} local worker processes (the cores of this machine)",
                )
            ]
        )
    check_output(sweep.out, "out")
    with exclusive(sweep.out, "sweep"):
        return _run_sweep(sweep, client, scheduler, workers, retry_failed, echo, on_result, threads)


def _run_sweep(
    sweep: Sweep,
    client: Any,
    scheduler: str | None,
    workers: int,
    retry_failed: bool,
    echo: Echo,
    on_result: Callable[[Outcome], None] | None,
    threads: int,
) -> SweepRun:
    """run_sweep, holding the output folder's lock."""
    t_start = time.perf_counter()
    planned = plan_scenarios(sweep)
    out = sweep.out
    out.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, Outcome] = {}
    jobs: list[Job] = []
    solver = {"threads": threads} if "threads" not in sweep.spec.solver else {}
    folder_of_parts = shared_folder()
    parts = None if folder_of_parts is None else str(folder_of_parts)
    for sc in planned:
        folder = out / sc.id
        st, info = status(folder, sweep.fingerprint)
        if st == "done":
            outcomes[sc.id] = Outcome(sc.id, sc.label, "done")
            continue
        if st == "failed" and not retry_failed:
            outcomes[sc.id] = Outcome(
                sc.id, sc.label, "failed", reason=info.get("reason", ""), kind=info.get("kind", "")
            )
            continue
        try:
            case = write_scenario(sweep, sc)
        except ParamError as e:
            info = record_failure(folder, sc.id, sweep.fingerprint, "parameter", str(e))
            log_event(folder, "failed", kind="parameter", reason=str(e))
            outcomes[sc.id] = Outcome(
                sc.id, sc.label, "failed", reason=str(e), kind="parameter", computed=True
            )
            continue
        jobs.append(Job(sc.id, str(case), str(folder), sweep.fingerprint, solver, parts=parts))
    skipped = len(outcomes)
    bad = [o for o in outcomes.values() if o.kind == "parameter"]
    echo(
        f"sweep {sweep.name}: {len(planned)} scenarios ({sweep.spec.design}), base {sweep.base}; "
        f"{skipped - len(bad)} already finished, {len(bad)} cannot be built, {len(jobs)} to run; "
        f"output {out}"
    )
    for o in bad:
        echo(f"  failed {o.id} ({o.label}): {o.reason}")
    write_manifest(sweep, planned, outcomes, "running")
    n_workers = 0
    if jobs:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(scheduler, workers))
            n_workers = len(client.nthreads())
            echo(f"dask: scheduler {client.scheduler_info().get('address', scheduler)}, {n_workers} workers")
            try:
                _execute(sweep, planned, jobs, client, outcomes, echo, on_result)
            except KeyboardInterrupt:
                write_manifest(sweep, planned, outcomes, "interrupted")
                echo("interrupted: finished scenarios are saved; run the same command again to resume")
                raise
    combined = html = None
    if any(o.status == "done" for o in outcomes.values()):
        with writing("the combined results", out / "sweep.nc"):  # disk full: exit 7, results kept
            combined = combine_results(sweep, planned, outcomes)
        try:
            html = sensitivity_html(sweep, combined, out / "sensitivity.html")
        except Exception as e:  # noqa: BLE001 - the views are extra: a plotting problem must not lose the sweep
            echo(f"warning: sensitivity views not written: {type(e).__name__}: {e}")
    run = SweepRun(sweep, planned, outcomes, combined, html, time.perf_counter() - t_start, n_workers)
    write_manifest(sweep, planned, outcomes, "finished", run)
    return run


def _execute(
    sweep: Sweep,
    planned: list[Planned],
    jobs: list[Job],
    client: Any,
    outcomes: dict[str, Outcome],
    echo: Echo,
    on_result: Callable[[Outcome], None] | None,
) -> None:
    """Submit the jobs (the warm-start reference first, if any), follow them, record each outcome."""
    from dask.distributed import as_completed

    tracker = _Tracker(
        sweep, {sc.id: sc.label for sc in planned}, len(jobs), client, outcomes, echo, on_result
    )
    if sweep.spec.reuse:
        jobs = _with_reference(sweep, jobs, tracker)
    futures = {tracker.submit(j): j for j in jobs}
    try:
        for fut in as_completed(list(futures)):
            tracker.record(futures[fut], fut)
    except BaseException:
        for f in futures:
            f.cancel()
        raise


class _Tracker:
    """Submits jobs to the client, records each finished one in `outcomes` and echoes progress."""

    def __init__(
        self,
        sweep: Sweep,
        labels: dict[str, str],
        total: int,
        client: Any,
        outcomes: dict[str, Outcome],
        echo: Echo,
        on_result: Callable[[Outcome], None] | None,
    ) -> None:
        self.sweep, self.labels, self.total, self.client = sweep, labels, total, client
        self.outcomes, self.echo, self.on_result = outcomes, echo, on_result
        self.finished = 0
        self.t0 = time.perf_counter()
        self.token = sha256_hex(f"{time.time()}{os.getpid()}")[:6]
        self.count = itertools.count()

    def submit(self, job: Job) -> Any:
        """The job as a task with a key of its own per submission (the base may go twice)."""
        key = f"gridplan-{job.id}-{next(self.count)}-{self.token}"
        return self.client.submit(run_job, job, key=key, pure=False)

    def record(self, job: Job, fut: Any) -> None:
        """The finished task's outcome (a lost worker or a cancelled task: a transient failure)."""
        try:
            res = fut.result()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # noqa: BLE001 - a lost worker or a cancelled task: recorded, retried next run
            res = self._lost(job, e)
        self.finished += 1
        o = Outcome(
            job.id,
            self.labels.get(job.id, job.id),
            res["status"],
            res.get("objective", math.nan),
            res.get("seconds", math.nan),
            res.get("reason", ""),
            res.get("kind", ""),
            True,
            res.get("warm_start", ""),
        )
        self.outcomes[job.id] = o
        self.echo(f"{self._progress()} | {job.id} {o.label}: {_what(o)}")
        if self.on_result is not None:
            self.on_result(o)

    def _lost(self, job: Job, e: BaseException) -> dict[str, Any]:
        st, _ = status(Path(job.folder), self.sweep.fingerprint)
        if st == "done":
            return {"id": job.id, "status": "done"}
        kind = "interrupted" if type(e).__name__ == "CancelledError" else "worker"
        reason = f"{type(e).__name__}: {e} (the task's worker died or was lost; retried next run)"
        record_failure(Path(job.folder), job.id, self.sweep.fingerprint, kind, reason)
        return {"id": job.id, "status": "failed", "kind": kind, "reason": reason}

    def _progress(self) -> str:
        """Bar, counts, running and queued tasks, elapsed and expected time left."""
        done = sum(x.computed and x.status == "done" for x in self.outcomes.values())
        failed = sum(x.computed and x.status == "failed" for x in self.outcomes.values())
        elapsed = time.perf_counter() - self.t0
        left = (self.total - self.finished) * elapsed / self.finished if self.finished else math.inf
        try:  # tasks held by workers, at most one running per worker thread
            held = sum(
                1 for keys in self.client.processing().values() for k in keys if str(k).endswith(self.token)
            )
            running = min(held, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001 - progress only
            running = 0
        return (
            f"{bar(self.finished, self.total)} done {done}, failed {failed}, running {running}, "
            f"queued {max(self.total - self.finished - running, 0)}; {fmt_seconds(elapsed)} elapsed, "
            f"~{fmt_seconds(left)} left"
        )


def _what(o: Outcome) -> str:
    """How one scenario ended, for the progress line."""
    if o.status == "done" and math.isfinite(o.objective):
        return f"ok {o.objective / 1e9:,.4f} bn CNY in {o.seconds:.1f} s" + (
            " (warm)" if o.warm_start == "base basis" else ""
        )
    if o.status == "done":
        return "ok"
    return f"FAILED ({o.kind}): {(o.reason.splitlines() or [''])[0][:160]}"


def _with_reference(sweep: Sweep, jobs: list[Job], tracker: _Tracker) -> list[Job]:
    """The jobs to run after the warm-start reference: the base case is solved first (when no valid
    reference is kept) and, when its basis is kept, every job starts from it."""
    always = sweep.spec.reuse == "always"
    ref_dir = sweep.out / "reference"
    base_id = scenario_id({})
    if reference_state(ref_dir, sweep.fingerprint) == "missing":
        # the base case first: for a simplex-sized LP it is solved and its basis kept; for an
        # interior-point-sized one it is only built (a simplex warm start would not pay) and the
        # base scenario, if any, runs cold with the others
        base_job = next((j for j in jobs if j.id == base_id), None)
        if base_job is None:
            case = write_scenario(sweep, Planned("reference", {}, {}, "base case (reference)"), ref_dir)
            base_job = Job(
                "reference",
                str(case),
                str(ref_dir),
                sweep.fingerprint,
                jobs[0].solver,
                write_results=False,
                parts=jobs[0].parts,
            )
        ref_job = replace(base_job, save_reference=str(ref_dir), any_method=always)
        tracker.echo("base case first: its optimal basis can warm-start the other scenarios")
        fut = tracker.submit(ref_job)
        try:
            res = fut.result()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # noqa: BLE001 - handled as a failed scenario below
            res = {"status": "failed", "reason": f"{type(e).__name__}: {e}"}
        if res["status"] != "skipped" and ref_job.write_results:
            tracker.record(ref_job, fut)
            jobs = [j for j in jobs if j.id != base_id]
        elif res["status"] == "failed":
            tracker.echo(f"  base case: {res.get('reason', '')[:300]}")
    state = reference_state(ref_dir, sweep.fingerprint)
    if state == "valid":
        return [replace(j, reference=str(ref_dir), any_method=always) for j in jobs]
    tracker.echo(
        "no warm starts: an interior point is used at this size (reuse: always forces simplex warm starts)"
        if state == "none"
        else "no warm starts: the base case did not solve"
    )
    return jobs


def write_manifest(
    sweep: Sweep,
    planned: list[Planned],
    outcomes: dict[str, Outcome],
    state: str,
    run: SweepRun | None = None,
) -> Path:
    """<out>/sweep.json: the sweep, its base, and every scenario with its settings and status."""
    data: dict[str, Any] = {
        "name": sweep.name,
        "state": state,
        "sweep_file": str(sweep.file) if sweep.file else None,
        "base": str(sweep.base),
        "fingerprint": sweep.fingerprint,
        "design": sweep.spec.design,
        "spec": sweep.spec.model_dump(mode="json"),
        "parameters": sweep.modes(),
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "scenarios": [
            {
                "id": sc.id,
                "label": sc.label,
                "folder": sc.id,
                "settings": {p: {s.mode: s.value} for p, s in sc.settings.items()},
                "levels": sc.levels,
                "status": outcomes[sc.id].status if sc.id in outcomes else "pending",
                **(
                    {"reason": outcomes[sc.id].reason, "kind": outcomes[sc.id].kind}
                    if sc.id in outcomes and outcomes[sc.id].status == "failed"
                    else {}
                ),
            }
            for sc in planned
        ],
    }
    if run is not None:
        data.update(
            {
                "combined": str(run.combined) if run.combined else None,
                "html": str(run.html) if run.html else None,
                "seconds": round(run.seconds, 2),
                "computed": run.computed,
                "workers": run.workers,
            }
        )
    path = sweep.out / "sweep.json"
    write_json(path, data)
    return path
