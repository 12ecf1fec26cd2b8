"""The `gridplan report` and `gridplan compare` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import xarray as xr

from gridplan.report.compare import write_compare
from gridplan.report.i18n import check_lang
from gridplan.report.run import load_runs, run_labels
from gridplan.report.single import write_report


def _open(path: Path) -> list[xr.Dataset]:
    from gridplan.case import is_file

    if not is_file(Path(path)):
        typer.echo(f"error: {path}: no such results file", err=True)
        raise typer.Exit(2)
    try:
        parts = load_runs(path)
    except (OSError, ValueError) as e:
        typer.echo(f"error: {path}: not a readable results file ({e})", err=True)
        raise typer.Exit(2) from e
    need = ("period", "capacity_new")
    for ds in parts:
        missing = [v for v in need if v not in ds.variables]
        if missing:
            typer.echo(
                f"error: {path}: not a gridplan results file (no {', '.join(missing)}); expected the "
                "results.nc of `gridplan run` or the sweep.nc of `gridplan sweep`",
                err=True,
            )
            raise typer.Exit(2)
    return parts


def _lang(lang: str) -> str:
    try:
        return check_lang(lang)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e


def report_cli(
    results: Annotated[Path, typer.Argument(help="results.nc of a run (or of a sweep)")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file; default report.html beside the results")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the report: en or zh")] = "en",
) -> None:
    """Write an interactive HTML report of one run (a sweep: one report per scenario)."""
    lang = _lang(lang)
    parts = _open(results)
    out = output or results.with_name("report.html" if lang == "en" else "report.zh.html")
    if not parts:
        typer.echo(f"error: {results}: no solved scenario in the file", err=True)
        raise typer.Exit(2)
    if len(parts) == 1:
        typer.echo(f"report: {write_report(parts[0], out, lang)}")
        return
    for d, label in zip(parts, run_labels(parts), strict=True):
        safe = "".join(c if c.isalnum() or c in "-." else "_" for c in label)
        safe = "_".join(w for w in safe.split("_") if w)[:60]
        typer.echo(f"report: {write_report(d, out.with_name(f'{out.stem}-{safe}{out.suffix}'), lang)}")


def compare_cli(
    results: Annotated[
        list[Path], typer.Argument(help="results.nc files (a sweep file counts as its scenarios)")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file; default compare.html")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the report: en or zh")] = "en",
) -> None:
    """Compare runs side by side in one interactive HTML file, labelled by scenario name."""
    lang = _lang(lang)
    datasets = [d for p in results for d in _open(p)]
    out = output or Path("compare.html" if lang == "en" else "compare.zh.html")
    typer.echo(f"compare: {write_compare(datasets, out, lang)}")
