"""One scenario of a sweep, on a Dask worker: solved by the pipeline, recorded in its folder.

A task writes `<id>/results.nc` atomically as soon as it finishes, or `<id>/failed.json` with the
reason; a results.nc of an earlier run is kept as it was (a failed run never deletes or overwrites
results). The scenario is solved by gridplan.pipeline.run, as `gridplan run` solves it, with the
job's warm start (gridplan/warm_start.py) and the study's store of solved independent parts
(gridplan/block_store.py, shared_folder): its results are those of `gridplan run` plus the sweep's
own attributes (`sweep_id`, `sweep_fingerprint`, `warm_start`, `seconds_scenario`,
`seconds_cpu_scenario`).
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from gridplan.atomic import remove_stale
from gridplan.block_store import reusing
from gridplan.errors import GridplanError, InputError
from gridplan.sweep.ledger import log_event, record_failure, results_fingerprint, write_json
from gridplan.warm_start import REFERENCE, WarmStart, WarmStartNotUsed


@dataclass(frozen=True)
class Job:
    """What a worker needs to run one scenario (plain data, pickled to the worker)."""

    id: str
    case: str  # variant scenario.yaml
    folder: str  # where results.nc / failed.json / log.jsonl go
    fingerprint: str
    solver: dict[str, Any] = field(default_factory=dict)  # run-time solver overrides (threads)
    reference: str | None = None  # folder with basis.bas + reference.json to warm-start from
    save_reference: str | None = None  # write this run's optimal basis here
    write_results: bool = True
    any_method: bool = False  # warm-start also where an interior point would be used (reuse: always)
    parts: str | None = None  # folder of solved independent parts, shared by the jobs (block_store.py)

    def warm_start(self) -> WarmStart | None:
        """The job's warm start, None when it asks for none."""
        if self.reference is None and self.save_reference is None:
            return None
        return WarmStart(
            Path(self.reference) if self.reference else None,
            Path(self.save_reference) if self.save_reference else None,
            self.any_method,
        )


def solve_job(job: Job) -> xr.Dataset:
    """The job's scenario solved by the pipeline (gridplan.pipeline.run) with its solver overrides
    and warm start; WarmStartNotUsed when only a basis was asked for and none would be used."""
    from gridplan.pipeline import run

    with reusing(job.parts):
        ds = run(job.case, solver=job.solver, warm=job.warm_start())
    ds.attrs.setdefault("warm_start", "off")
    return ds


def run_job(job: Job) -> dict[str, Any]:
    """Run one scenario (a Dask task): write results.nc, or failed.json with the reason.

    Idempotent: if a finished results.nc with this fingerprint is already there (a retry after the
    worker died between writing and reporting), it is not recomputed."""
    folder = Path(job.folder)
    folder.mkdir(parents=True, exist_ok=True)
    if job.write_results and results_fingerprint(folder / "results.nc") == job.fingerprint:
        return {"id": job.id, "status": "done", "again": True}
    remove_stale(folder)  # left by an attempt killed while writing; never a live writer's
    log_event(folder, "start")
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        ds = solve_job(job)
    except WarmStartNotUsed:
        return _no_reference(job, folder)
    except InputError as e:
        kind, reason = "input", str(e)
    except GridplanError as e:
        kind, reason = str(getattr(e, "status", "solve")), str(e)
    except Exception as e:  # noqa: BLE001 - one scenario's failure is recorded; the others go on
        kind, reason = "error", f"{type(e).__name__}: {e}"
    else:
        ds.attrs.update(
            {
                "sweep_id": job.id,
                "sweep_fingerprint": job.fingerprint,
                "seconds_scenario": round(time.perf_counter() - t0, 3),
                "seconds_cpu_scenario": round(time.process_time() - cpu0, 3),
            }
        )
        return _finished(job, folder, ds)
    if job.write_results:  # an earlier run's results.nc stays as it was (failed.json says why)
        record_failure(folder, job.id, job.fingerprint, kind, reason)
    log_event(folder, "failed", kind=kind, reason=reason[:2000])
    return {"id": job.id, "status": "failed", "kind": kind, "reason": reason}


def _no_reference(job: Job, folder: Path) -> dict[str, Any]:
    """A base case of interior-point size: record that no scenario can start from its basis."""
    if job.save_reference:
        write_json(
            Path(job.save_reference) / REFERENCE,
            {
                "signature": None,
                "fingerprint": job.fingerprint,
                "note": "interior point at this size: no simplex warm starts",
            },
        )
    log_event(folder, "skipped", reason="no warm starts at this size: nothing to solve")
    return {"id": job.id, "status": "skipped"}


def _finished(job: Job, folder: Path, ds: xr.Dataset) -> dict[str, Any]:
    """Write the results of a solved scenario (if asked) and record it as done."""
    from gridplan.results import write

    if job.write_results:
        try:
            write(ds, folder / "results.nc")
        except OSError as e:  # disk full, ...: an earlier results.nc stays (atomic write)
            reason = (
                f"results.nc could not be written: {e.strerror or e} (errno {e.errno}); earlier results kept"
            )
            with contextlib.suppress(OSError):
                record_failure(folder, job.id, job.fingerprint, "output", reason)
                log_event(folder, "failed", kind="output", reason=reason)
            return {"id": job.id, "status": "failed", "kind": "output", "reason": reason}
        (folder / "failed.json").unlink(missing_ok=True)
    ref = Path(job.save_reference) / REFERENCE if job.save_reference else None
    if ref is not None and ref.is_file():
        write_json(ref, {**json.loads(ref.read_text(encoding="utf-8")), "fingerprint": job.fingerprint})
    seconds = float(ds.attrs["seconds_scenario"])
    warm = ds.attrs.get("warm_start", "")
    log_event(folder, "done", objective=ds.attrs["objective"], seconds=seconds, warm_start=warm)
    return {
        "id": job.id,
        "status": "done",
        "objective": ds.attrs["objective"],
        "seconds": seconds,
        "warm_start": warm,
    }


def reference_state(ref_dir: Path, fingerprint: str) -> str:
    """'valid': a base basis for this base case and solver settings; 'none': known to be of no use
    (interior point at this size); 'missing': to be made."""
    try:
        info = json.loads((ref_dir / REFERENCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "missing"
    if info.get("fingerprint") != fingerprint:
        return "missing"
    if info.get("signature") is None:
        return "none"
    return "valid" if (ref_dir / "basis.bas").is_file() else "missing"
