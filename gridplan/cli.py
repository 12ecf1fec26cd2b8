"""Command line: gridplan run | validate | show | export | report | compare | sweep | target-costs |
alternatives."""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
import xarray as xr

from gridplan import watch
from gridplan.errors import GridplanError
from gridplan.report import fmt
from gridplan.watch import Reporter

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="gridplan: least-cost capacity expansion with plan targets (Pyomo + HiGHS).",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from gridplan import __version__

        typer.echo(f"gridplan {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """gridplan: least-cost capacity expansion with plan targets (Pyomo + HiGHS)."""


BASE_CASE = Path("inputs/jiangxi")


def default_case() -> Path:
    """inputs/jiangxi in the current folder, else beside the installed source tree."""
    if BASE_CASE.exists():
        return BASE_CASE
    return Path(__file__).resolve().parents[1] / BASE_CASE


@contextmanager
def _staged(folder: Path) -> Iterator[Path]:
    """A hidden folder inside `folder` to write into; on success its files are moved into
    `folder` (os.replace, one by one), on any error or Ctrl-C it is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".gridplan-", dir=folder))
    try:
        yield tmp
        for f in sorted(tmp.iterdir()):
            os.replace(f, folder / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def reporter(live: bool = True) -> Reporter:
    """Progress on stderr (gridplan/watch.py; live=False: stage ends only, as beside the HiGHS
    log); after Ctrl-C wait at most 1 s for HiGHS to stop."""
    watch.STOP_WAIT = 1.0
    return Reporter(sys.stderr, live=live)


def fail(e: GridplanError) -> None:
    typer.echo(f"error: {e}", err=True)
    raise typer.Exit(e.exit_code)


def summary(ds: xr.Dataset) -> str:
    """Objective, new capacity by technology and period, emissions, unserved energy, targets."""
    lines = [
        f"scenario {ds.attrs['scenario']}: status {ds.attrs['solver_status']}, "
        f"objective {ds.attrs['objective'] / 1e9:,.3f} bn CNY (present value)"
    ]
    new = pd.DataFrame(
        ds["capacity_new"].sum("zone").transpose("tech", "period").values,
        index=ds["tech"].values,
        columns=ds["period"].values,
    )
    spow = pd.DataFrame(
        ds["storage_power_new"].sum("zone").transpose("storage", "period").values,
        index=[f"{s} (storage)" for s in ds["storage"].values],
        columns=ds["period"].values,
    )
    table = [df[(df > 0.5).to_numpy().any(axis=1)] for df in (new, spow)]
    lines.append("new capacity [MW] by technology and period:")
    for df in table:
        for name, row in df.iterrows():
            lines.append(f"  {name:<28}" + "".join(f"{p}: {fmt.fixed(v):>10}  " for p, v in row.items()))
    lines += retirement_lines(ds)
    for p in ds["period"].values:
        y = _year(ds, p)
        lines.append(
            f"{p}: emissions {fmt.fixed(y['emissions'], 2)} MtCO2/yr, coal {fmt.fixed(y['coal'], 2)} Mtce/yr, "
            f"curtailed {fmt.fixed(y['curtailed'], 3)} TWh/yr, unserved {fmt.fixed(y['unserved'] * 1e6, 1)} MWh/yr"
        )
    if ds.sizes.get("target", 0):
        lines.append("plan targets (required min or max / achieved, shadow price):")
        lines += [f"  {row}" for row in target_lines(ds)]
    if "reserve_requirement" in ds:
        lines.append("operating reserves (largest requirement, reserve price range and mean, shortfall):")
        lines += [f"  {row}" for row in reserve_lines(ds)]
    return "\n".join(lines)


def reserve_lines(ds: xr.Dataset) -> list[str]:
    """One line per reserve requirement and period: "spinning_up 旋转备用 2030: up to 2,599 MW,
    0 - 310.5 CNY/MW-h (mean 12.3), short 0 MWh/yr" (the price over the steps and areas, the mean
    weighted by hours)."""
    from gridplan.report.show import TABLES

    df = TABLES["reserves"](ds)
    out = []
    for (res, p), g in df.groupby(["reserve", "period"], sort=False):
        zh = str(ds["reserve_name_zh"].sel(reserve=res).values) if "reserve_name_zh" in ds else ""
        mean = float(g["price_mean_CNY_per_MW_h"].mean())
        out.append(
            f"{' '.join(filter(None, (str(res), zh, str(p))))}: up to {fmt.fixed(float(g['requirement_max_MW'].max()))} MW, "
            f"{fmt.num(float(g['price_min_CNY_per_MW_h'].min()))} - {fmt.num(float(g['price_max_CNY_per_MW_h'].max()))} "
            f"CNY/MW-h (mean {fmt.num(mean)}), short {fmt.fixed(float(g['shortfall_MWh_per_yr'].sum()))} MWh/yr"
        )
    return out


def retirement_lines(ds: xr.Dataset) -> list[str]:
    """Retired, mothballed and life-extended capacity [MW] by technology and period (all zones),
    for results with retirement decisions (lp/retirement.py); [] otherwise."""
    kinds = [k for k in ("retired", "mothballed", "life_extended") if k in ds]
    if not kinds:
        return []
    rows = []
    for kind in kinds:
        da = ds[kind].sum("zone")
        for t in ds["tech"].values:
            v = da.sel(tech=t)
            if float(abs(v).max()) > 0.5:
                cells = "".join(
                    f"{p}: {fmt.fixed(float(v.sel(period=p))):>10}  " for p in ds["period"].values
                )
                rows.append(f"  {f'{t} {kind}':<28}" + cells)
    head = "retired, mothballed and life-extended capacity [MW] by technology and period:"
    return [head, *rows] if rows else [head.replace(" by technology and period:", ": none")]


def target_lines(ds: xr.Dataset) -> list[str]:
    """One line per target and period: "co2_peak 碳达峰 2035: 89.77 max / 89.77 MtCO2 achieved,
    22.74 CNY/tCO2 (binds)"; values in MW, MtCO2, Mtce or %, solver noise as 0."""
    out = []
    for tgt in ds["target"].values:
        t = ds.sel(target=tgt)
        zh, unit, pu = (str(t[k].values) for k in ("target_name_zh", "target_unit", "target_price_unit"))
        for p in ds["period"].values:
            req = float(t["target_required"].sel(period=p))
            if math.isnan(req):  # not set in this period
                continue
            ach = float(t["target_achieved"].sel(period=p))  # NaN: a share of nothing
            achieved = "- (no energy to share)" if math.isnan(ach) else f"{fmt.quantity(ach, unit)} achieved"
            short = float(t["target_shortfall"].sel(period=p))
            line = (
                f"{' '.join(filter(None, (str(tgt), zh, str(p))))}: {' '.join(filter(None, (fmt.quantity(req, unit), _sense(t, p))))} / {achieved}, "
                f"{fmt.num(float(t['target_shadow_price'].sel(period=p)))} {pu}"
            )
            if bool(t["target_binds"].sel(period=p)):
                line += " (binds)"
            if not fmt.is_noise(short, req if unit != "share" else 1.0) and short > 0:
                line += f", SHORT by {fmt.num(short) + ' TWh/yr' if unit == 'share' else fmt.quantity(short, unit)}"
            out.append(line)
    return out


def _sense(t: xr.Dataset, p: int) -> str:
    """min or max of one target (results before target_sense: from the label or the slack)."""
    if "target_sense" in t:
        return str(t["target_sense"].values)
    label = str(t["target"].values)
    if label.endswith(("_min", "_max")):
        return label[-3:]
    ach, req = float(t["target_achieved"].sel(period=p)), float(t["target_required"].sel(period=p))
    gap = ach - req  # slack = gap for a minimum, -gap for a cap
    if not math.isfinite(gap) or fmt.is_noise(gap, req):
        return ""
    return "min" if float(t["target_slack"].sel(period=p)) * gap > 0 else "max"


def _year(ds: xr.Dataset, p: int) -> dict[str, float]:
    """Annual figures of one period: operating cost [bn CNY/yr], emissions [Mt/yr], energies [TWh/yr]."""
    w = ds["weight"]
    cost = ds["cost_annual"].sel(period=p)
    fixed = [
        c for c in ("investment", "fixed_om", "mothball", "target_penalty") if c in ds["component"].values
    ]
    return {
        "operating cost": float(cost.drop_sel(component=fixed).sum()) / 1e9,
        "emissions": float(ds["emissions"].sel(period=p)) / 1e6,
        "coal": float(ds["coal_use"].sel(period=p)) / 1e6,
        "curtailed": float(ds["curtailed_energy"].sel(period=p).sum()) / 1e6,
        "imports": float((ds["imports"].sel(period=p).sum("channel") * w).sum()) / 1e6,
        "unserved": float((ds["unserved"].sel(period=p).sum("zone") * w).sum()) / 1e6,
        "unserved peak": float(ds["unserved"].sel(period=p).sum("zone").max()),
    }


def check_summary(plan: xr.Dataset, check: xr.Dataset) -> str:
    """The plan on typical periods against its fleet operated hour by hour over the year."""
    units = {
        "operating cost": "bn CNY/yr",
        "emissions": "MtCO2/yr",
        "coal": "Mtce/yr",
        "curtailed": "TWh/yr",
        "imports": "TWh/yr",
        "unserved": "TWh/yr",
        "unserved peak": "MW",
    }
    lines = [
        f"hourly check: the plan's fleet over all 8,760 h of each period, {check.attrs['windows']} windows "
        f"of {check.attrs['window_days']} days, {check.attrs['seconds_check']:.0f} s "
        "(plan on typical periods -> hour by hour):"
    ]
    for p in plan["period"].values:
        a, b = _year(plan, p), _year(check, p)
        lines.append(
            f"  {p}: "
            + "; ".join(f"{k} {fmt.fixed(a[k], 3)} -> {fmt.fixed(b[k], 3)} {units[k]}" for k in units)
        )
    return "\n".join(lines)


@app.command()
def run(
    case: Annotated[Path | None, typer.Argument(help="case folder or YAML; default inputs/jiangxi")] = None,
    out: Annotated[Path | None, typer.Option(help="output folder; default results/<scenario>")] = None,
    method: Annotated[str | None, typer.Option(help="method: choose|simplex|ipm|hipo|pdlp|clarabel")] = None,
    time_limit: Annotated[float | None, typer.Option(help="solver time limit [s]")] = None,
    threads: Annotated[int | None, typer.Option(help="solver threads")] = None,
    crossover: Annotated[bool | None, typer.Option(help="run crossover after IPM")] = None,
    log: Annotated[bool, typer.Option(help="show the HiGHS log")] = False,
    report: Annotated[bool, typer.Option(help="also write report.html")] = True,
    foresight: Annotated[
        str | None,
        typer.Option(help="perfect | myopic (periods in sequence); default: the case's time.foresight"),
    ] = None,
) -> None:
    """Solve a case and write <out>/results.nc (and report.html)."""
    from gridplan.alternatives.myopic import run_foresight
    from gridplan.block_store import reusing, shared_folder
    from gridplan.results import write

    case = case or default_case()
    solver = {
        k: v
        for k, v in {
            "method": method,
            "time_limit": time_limit,
            "threads": threads,
            "crossover": crossover,
            "log": log or None,
        }.items()
        if v is not None
    }

    progress = reporter(live=not log)
    try:
        precheck_output(case, out)
        with reusing(shared_folder()):  # parts solved before are read back (gridplan/block_store.py)
            ds, check = run_foresight(case, progress, solver, foresight)
    except GridplanError as e:
        progress.close()
        fail(e)
        return
    finally:
        progress.close()
    for w in str(ds.attrs.get("input_warnings", "")).splitlines():  # str(Problem): "warning: ..."
        typer.echo(w, err=True)
    folder = out or Path("results") / str(ds.attrs["scenario"])
    typer.echo(summary(ds))
    if check is not None:
        typer.echo(check_summary(ds, check))
    with _staged(folder) as tmp:  # Ctrl-C or a failed write leaves the folder as it was
        written = [("results", saved("results", write, ds, tmp / "results.nc", folder))]
        if check is not None:
            written.append(
                ("hourly check", saved("hourly check", write, check, tmp / "hourly_check.nc", folder))
            )
    if report:  # after the results are in place: a failed report keeps them (exit 7)
        from gridplan.report import write_report

        what = "the report (results are saved)"
        with _staged(folder) as tmp:
            written.append(("report", saved(what, write_report, ds, tmp / "report.html", folder)))
            if check is not None:
                page = saved(what, write_report, check, tmp / "hourly_check.html", folder)
                written.append(("hourly check report", page))
    for label, p in written:
        typer.echo(f"{label}: {folder / p.name}")
    if not bool(ds.attrs.get("optimal", 1)):
        typer.echo(f"warning: {ds.attrs.get('warning')}", err=True)
        raise typer.Exit(5)


def precheck_output(case: Path, out: Path | None) -> None:
    """Before solving: the output folder (--out, else results/<scenario name>) must be writable;
    InputError (exit 2) when it is a file, not writable or too long (gridplan/outputs.py)."""
    from gridplan.outputs import check_output, planned_name

    name = planned_name(case) if out is None else None
    if out is not None or name is not None:
        check_output(out or Path("results") / str(name), "--out" if out is not None else "name")


def saved(
    what: str, save: Callable[[Any, Path], Path], obj: Any, path: Path, folder: Path | None = None
) -> Path:
    """save(obj, path); an OSError (disk full, ...) ends the command with a clear error, exit 7,
    files written before kept. `folder`: where the file is going (path may be a staging file)."""
    from gridplan.outputs import OutputError, writing

    try:
        with writing(what, path if folder is None else folder / path.name):
            return save(obj, path)
    except OutputError as e:
        fail(e)
        raise


@app.command()
def validate(case: Annotated[Path, typer.Argument(help="case folder or YAML")]) -> None:
    """Check a case without solving; list every problem (errors exit 2, warnings alone exit 0)."""
    from gridplan.validate import check, report

    text, code = report(case, check(case))
    typer.echo(text, err=code != 0)
    if code:
        raise typer.Exit(code)


def _register() -> None:
    """Commands that live beside their modules: report, compare (gridplan.report), sweep and
    target-costs (gridplan.sweep)."""
    from gridplan.alternatives.command import alternatives_cli
    from gridplan.report.cli import compare_cli, report_cli
    from gridplan.report.show import export_cli, show_cli
    from gridplan.sweep.cli import sweep_cli, target_costs_cli

    app.command("show")(show_cli)
    app.command("export")(export_cli)
    app.command("report")(report_cli)
    app.command("compare")(compare_cli)
    app.command("sweep")(sweep_cli)
    app.command("target-costs")(target_costs_cli)
    app.command("alternatives")(alternatives_cli)


_register()


INTERRUPTED = 130  # exit code after Ctrl-C (128 + SIGINT), as shells report it


def main() -> None:
    """Entry point of the `gridplan` command. Ctrl-C anywhere ends with exit code 130 at once
    (typer turns KeyboardInterrupt into it); results are written atomically (gridplan/atomic.py),
    so an interrupted run leaves no file behind. The exit skips interpreter clean-up so that a
    HiGHS thread that has not stopped yet cannot delay it."""
    try:
        app()
    except SystemExit as e:
        if e.code == INTERRUPTED:
            sys.stdout.flush()
            sys.stderr.write("\ninterrupted (Ctrl-C)\n")
            sys.stderr.flush()
            os._exit(INTERRUPTED)
        raise
    except GridplanError as e:  # pragma: no cover - errors raised outside a command
        typer.echo(f"error: {e}", err=True)
        sys.exit(e.exit_code)
    except Exception as e:  # noqa: BLE001 - a bug must not end in a bare traceback
        typer.echo(f"internal error: {type(e).__name__}: {e} (please report it with the case)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
