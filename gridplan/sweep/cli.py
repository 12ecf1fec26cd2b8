"""The command line of sweeps: `gridplan sweep` and `gridplan target-costs` (registered by
gridplan.cli).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridplan.errors import GridplanError, InputError
from gridplan.outputs import OutputError
from gridplan.sweep.run import SweepRun, fmt_seconds, run_sweep
from gridplan.sweep.spec import load_sweep
from gridplan.sweep.target_costs import format_target_table, target_costs


def _summary(run: SweepRun) -> str:
    lines = [
        f"sweep {run.sweep.name}: {run.done} done, {run.failed} failed of {len(run.planned)} "
        f"({run.computed} computed now) in {fmt_seconds(run.seconds)}"
    ]
    for sc in run.planned:
        o = run.outcomes.get(sc.id)
        if o is not None and o.status == "failed":
            lines.append(f"  failed {sc.id} ({sc.label}): {(o.reason.splitlines() or [''])[0][:300]}")
    if run.combined:
        lines.append(f"combined: {run.combined}")
    if run.html:
        lines.append(f"sensitivity views: {run.html}")
    lines.append(f"manifest: {run.sweep.out / 'sweep.json'}")
    return "\n".join(lines)


def sweep_cli(
    sweep_file: Annotated[Path, typer.Argument(help="sweep file (YAML): base case and parameters to vary")],
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="address of a running Dask scheduler, e.g. tcp://host:8786; default: a LocalCluster here"
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="LocalCluster worker processes (one thread each)")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="output folder; default: the file's `out`, else results/sweeps/<name>")
    ] = None,
    retry_failed: Annotated[bool, typer.Option(help="re-run scenarios that failed before")] = False,
) -> None:
    """Run a sensitivity sweep on Dask; results in <out>/sweep.nc, views in <out>/sensitivity.html."""
    try:
        sweep = load_sweep(sweep_file, out)
    except GridplanError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    try:
        run = run_sweep(
            sweep,
            scheduler=scheduler,
            workers=workers,
            retry_failed=retry_failed,
            echo=lambda s: typer.echo(s, err=True),
        )
    except GridplanError as e:  # output folder not writable or busy (2), a result not writable (7)
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    typer.echo(_summary(run))
    if run.planned and run.done == 0:
        raise typer.Exit(1)


def target_costs_cli(
    case: Annotated[Path, typer.Argument(help="case folder or YAML")],
    scheduler: Annotated[
        str | None, typer.Option(help="address of a running Dask scheduler; default: a LocalCluster here")
    ] = None,
    workers: Annotated[int, typer.Option(help="LocalCluster worker processes (one thread each)")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="output folder; default results/target_costs/<scenario>")
    ] = None,
    resolve_all: Annotated[
        bool,
        typer.Option(
            "--resolve-all",
            help="re-solve every target, also those with shadow price 0 in the base run (premium 0 by LP duality)",
        ),
    ] = False,
) -> None:
    """What each plan target costs in total: the base, then the case re-solved once without each
    target whose shadow price is not 0 in the base run."""
    try:
        tc = target_costs(
            case,
            scheduler=scheduler,
            workers=workers,
            out=out,
            echo=lambda s: typer.echo(s, err=True),
            resolve_all=resolve_all,
        )
    except InputError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    except GridplanError as e:  # a file not written: 7 (gridplan/outputs.py); else 1
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(7 if isinstance(e, OutputError) else 1) from None
    typer.echo(format_target_table(tc.table))
    typer.echo(
        f"table: {tc.csv}\ncapacity change: {tc.csv.parent / 'target_capacity_change.csv'}\nreport: {tc.html}"
    )
