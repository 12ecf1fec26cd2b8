"""`gridplan alternatives CASE`: near-optimal alternatives of a case (gridplan/alternatives/run.py)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from gridplan.errors import GridplanError, InputError, Problem

DEFAULT_SLACK = 0.05


def _slacks(text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or any(not (0 < v < 10) or not math.isfinite(v) for v in values):
        raise InputError(
            [
                Problem(
                    "command line", "--slack", message=f"found {text!r}; expected fractions such as 0.02,0.05"
                )
            ]
        )
    return values


def alternatives_cli(
    case: Annotated[Path, typer.Argument(help="case folder or YAML")],
    slack: Annotated[
        str, typer.Option(help="cost slack(s) as fractions of the optimum, comma-separated")
    ] = str(DEFAULT_SLACK),
    directions: Annotated[
        list[str] | None,
        typer.Option(
            "--directions",
            "-d",
            help="NAME=KIND:NAMES@PERIOD/ZONE (all but KIND or NAMES optional), e.g. wind=capacity:wind_*@2030; "
            "repeat or comma-separate; default: each technology's and storage's capacity in the last period",
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="random directions to add (minimised)")] = 0,
    seed: Annotated[int, typer.Option(help="seed of the random directions")] = 0,
    base: Annotated[
        Path | None, typer.Option(help="results.nc of this case's optimum (skips its solve)")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="address of a running Dask scheduler; default: a LocalCluster here")
    ] = None,
    workers: Annotated[int, typer.Option(help="LocalCluster worker processes (one thread each)")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="output folder; default results/alternatives/<scenario>")
    ] = None,
    method: Annotated[str | None, typer.Option(help="method: choose|simplex|ipm|hipo|pdlp|clarabel")] = None,
    time_limit: Annotated[float | None, typer.Option(help="solver time limit per solve [s]")] = None,
    crossover: Annotated[
        bool | None,
        typer.Option(
            help="crossover after the interior point (its vertex lets the polish make the extreme exact)"
        ),
    ] = None,
) -> None:
    """Near-optimal alternatives: min and max of each direction with cost <= (1 + slack) x optimum."""
    from gridplan.alternatives.directions import default_directions, parse, random_directions
    from gridplan.alternatives.run import run_alternatives
    from gridplan.case import load_case

    given = {"method": method, "time_limit": time_limit, "crossover": crossover}
    solver = {k: v for k, v in given.items() if v is not None}
    try:
        slacks = _slacks(slack)
        inputs = load_case(case)
        texts = [t for d in directions or [] for t in d.split(",") if t.strip()]
        dirs = [parse(t, inputs) for t in texts] or ([] if samples else default_directions(inputs))
        dirs += random_directions(inputs, samples, seed)
        names = [d.name for d in dirs]
        if len(set(names)) < len(names):
            raise InputError(
                [Problem("command line", "--directions", message=f"two directions share a name: {names}")]
            )
        run = run_alternatives(
            inputs,
            dirs,
            slacks,
            out or Path("results") / "alternatives" / inputs.name,
            solver=solver,
            base=base,
            scheduler=scheduler,
            workers=workers,
            echo=lambda s: typer.echo(s, err=True),
        )
    except GridplanError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    failed = [o for o in run.outcomes.values() if o.status != "done"]
    typer.echo(
        f"{len(run.outcomes) - len(failed)} alternatives done, {len(failed)} failed, in {run.seconds:.0f} s; "
        f"optimum {run.optimum / 1e9:,.4f} bn CNY"
    )
    for label, p in (("combined", run.combined), ("page", run.html)):
        if p is not None:
            typer.echo(f"{label}: {p}")
    if failed and len(failed) == len(run.outcomes):
        raise typer.Exit(1)
