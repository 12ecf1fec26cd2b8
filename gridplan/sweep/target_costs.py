"""What each plan target costs: the case re-solved once without each enabled target (a sweep of
design `list`), the premium in total cost, the base run's shadow prices and the capacity change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gridplan.atomic import write_text
from gridplan.errors import GridplanError, InputError, Problem
from gridplan.outputs import writing
from gridplan.report.html import number
from gridplan.report.i18n import text
from gridplan.sweep.design import Setting, scenario_id
from gridplan.sweep.run import Echo, SweepRun, run_sweep, stderr_echo
from gridplan.sweep.spec import Sweep, SweepSpec, make_sweep

# a re-solve needs the objective and the build-out, not a vertex: interior point without crossover
RESOLVE: dict[str, Any] = {"solver.crossover": False}
PRICE_TOL = 1e-6  # a shadow price at most this [CNY per target unit] counts as 0


@dataclass
class TargetCosts:
    """Per plan target: total-cost premium, base shadow prices, and the build-out it causes."""

    table: Any  # pandas DataFrame, one row per target
    capacity: Any  # pandas DataFrame: target, period, tech, with [MW], without [MW], change [MW]
    run: SweepRun
    csv: Path
    html: Path


def target_costs(
    case: Path,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int = 2,
    out: Path | None = None,
    echo: Echo = stderr_echo,
    resolve_all: bool = False,
) -> TargetCosts:
    """Re-solve `case` once with each enabled plan target removed (targets.<name>.enabled = false).

    premium [CNY, PV] = cost(base) - cost(without the target); premium per year [CNY/yr] = premium /
    sum over periods of period_weight (the discounted years the horizon stands for), i.e. the level
    annual cost with the same present value. Capacity change [MW] = capacity(base) - capacity(without),
    summed over zones: the build-out the target causes (negative: it displaces).

    The base is solved first. A target whose every row has shadow price 0 in the base run is not
    re-solved (unless `resolve_all`): the base duals, with 0 for its rows, certify that the base
    plan is optimal without it too, so its premium is 0 and its capacity change 0. The re-solves
    run without crossover (RESOLVE): only their objective and capacities are read."""
    import xarray as xr

    from gridplan.case import case_file, load_layers
    from gridplan.outputs import name_problem

    base = case_file(case).resolve()
    problems: list[Problem] = []
    raw, _ = load_layers(base, problems)
    if problems:
        raise InputError(problems)
    targets = raw.get("targets") or {}
    names = [n for n, t in targets.items() if isinstance(t, dict) and t.get("enabled", True)]
    if not names:
        raise InputError([Problem(str(base), "targets", message="no enabled plan targets to cost")])
    name = str(raw.get("name", base.stem))
    bad = name_problem(name)
    if bad:
        raise InputError([Problem(str(base), "name", message=bad)])
    folder = out or Path("results") / "target_costs" / name

    def sweep_of(disabled: list[str]) -> Sweep:
        scenarios: list[dict[str, Any]] = [{}] + [_without(n) for n in disabled]
        spec = SweepSpec(
            name=f"{name}_target_costs", base=str(base), design="list", scenarios=scenarios, reuse=False
        )
        return make_sweep(spec, base.parent, folder)

    # the base first, alone, with every core (its independent blocks side by side, gridplan/blocks.py)
    first = run_sweep(
        sweep_of([]), client=client, scheduler=scheduler, workers=workers, echo=echo, threads=workers
    )
    base_id = scenario_id({})
    if first.outcomes[base_id].status != "done":
        raise GridplanError(f"the base case did not solve: {first.outcomes[base_id].reason}")
    base_ds = xr.load_dataset(first.sweep.out / base_id / "results.nc")
    priced = [n for n in names if resolve_all or _priced(base_ds, n)]
    if len(priced) < len(names):
        echo(
            f"not re-solved (shadow price 0 in every period of the base run, premium 0 by LP duality): "
            f"{', '.join(n for n in names if n not in priced)}"
        )
    sweep = sweep_of(priced)
    run = run_sweep(sweep, client=client, scheduler=scheduler, workers=workers, echo=echo)
    table, cap = _target_table(sweep, run, base_ds, names, priced)
    csv = sweep.out / "target_costs.csv"
    with writing("the target-cost tables", sweep.out):  # disk full: exit 7, the sweep's results kept
        write_text(csv, table.to_csv(index=False))
        write_text(sweep.out / "target_capacity_change.csv", cap.to_csv(index=False))
        html = _target_html(sweep, base_ds, table, cap, sweep.out / "target_costs.html")
    return TargetCosts(table, cap, run, csv, html)


def _without(name: str) -> dict[str, Any]:
    """The scenario settings of the re-solve without target `name`."""
    return {**RESOLVE, f"targets.{name}.enabled": False}


def _labels(base: Any, name: str) -> list[str]:
    """The results' target rows (labels) of the scenario's target `name`."""
    return [str(t) for t in base["target"].values if str(base["target_name"].sel(target=t).values) == name]


def _priced(base: Any, name: str) -> bool:
    """Some row of target `name` has a nonzero shadow price in the base run (> 1e-6 in the price
    unit), or a row without a dual (NaN: no price known)."""
    labels = _labels(base, name)
    if not labels:
        return True
    sel = base.sel(target=labels)
    rows = np.isfinite(sel["target_required"].values)
    price = sel["target_shadow_price"].values[rows]
    return bool(not rows.any() or np.isnan(price).any() or (np.abs(price) > PRICE_TOL).any())


def _target_table(
    sweep: Sweep, run: SweepRun, base: Any, names: list[str], priced: list[str]
) -> tuple[Any, Any]:
    """One row per target (premium, shadow prices, capacity change in the last period) and the
    long table of capacity changes by target, period and technology, against the base results
    `base`; a target not in `priced` was not re-solved: premium 0, capacity unchanged."""
    import pandas as pd
    import xarray as xr

    ids = {sc.id: sc for sc in run.planned}
    years = float(base["period_weight"].sum())
    rows: list[dict[str, Any]] = []
    caps: list[Any] = []
    last = int(base["period"].values[-1])
    cap_base: Any = _by_tech(base)
    for n in names:
        row: dict[str, Any] = {
            "target": n,
            "name_zh": sweep.dump["targets"][n].get("name_zh", ""),
            "kind": sweep.dump["targets"][n]["kind"],
            **_shadow_prices(base, n),
            "re-solved": n in priced,
        }
        rows.append(row)
        if n in priced:
            sid = scenario_id({k: Setting(k, "value", v) for k, v in _without(n).items()})
            assert sid in ids
            o = run.outcomes[sid]
            if o.status != "done":
                reason = (o.reason.splitlines() or [""])[0][:200]
                row.update(
                    {
                        "premium [CNY, PV]": math.nan,
                        "premium [CNY/yr]": math.nan,
                        "note": f"re-solve without the target failed: {reason}",
                    }
                )
                continue
            ds = xr.load_dataset(sweep.out / sid / "results.nc")
            prem = float(base.attrs["objective"]) - float(ds.attrs["objective"])
            row.update({"premium [CNY, PV]": prem, "premium [CNY/yr]": prem / years, "note": ""})
            without = _by_tech(ds)
        else:
            row.update(
                {"premium [CNY, PV]": 0.0, "premium [CNY/yr]": 0.0, "note": text("tc_not_resolved", "en")}
            )
            without = cap_base
        long = _changes(n, cap_base, without)
        for tech, change in long[long["period"] == last].set_index("tech")["change [MW]"].items():
            row[f"Δ capacity {tech} {last} [MW]"] = float(change)
        caps.append(long)
    cap = (
        pd.concat(caps, ignore_index=True)
        if caps
        else pd.DataFrame(
            columns=["target", "period", "tech", "change [MW]", "with target [MW]", "without target [MW]"]
        )
    )
    return _ordered(pd.DataFrame(rows)), cap


def _changes(name: str, with_: Any, without: Any) -> Any:
    """The long table of target `name`: period, tech, change, with and without the target [MW]."""
    diff: Any = with_.sub(without, fill_value=0.0)
    long: Any = diff.stack().rename("change [MW]").reset_index()
    long.columns = ["period", "tech", "change [MW]"]
    long.insert(0, "target", name)
    long["with target [MW]"] = [
        float(with_.loc[p, t]) if t in with_ else 0.0
        for p, t in zip(long["period"], long["tech"], strict=True)
    ]
    long["without target [MW]"] = long["with target [MW]"] - long["change [MW]"]
    return long


def _by_tech(ds: Any) -> Any:
    """Capacity by period and technology, summed over zones, storage power included [MW]."""
    import pandas as pd

    cap: Any = ds["capacity"].sum("zone").to_pandas()
    if ds.sizes.get("storage", 0):
        st: Any = ds["storage_power"].sum("zone").to_pandas()
        cap = pd.concat([cap, st.rename(columns=lambda s: f"{s} (storage)")], axis=1)
    return cap  # period x tech [MW]


def _shadow_prices(base: Any, name: str) -> dict[str, Any]:
    """Per period, the base run's shadow price of the binding side of target `name` (a target with
    min and max has two rows), and its unit."""
    labels = _labels(base, name)
    row: dict[str, Any] = {
        "shadow price unit": str(base["target_price_unit"].sel(target=labels[0]).values) if labels else ""
    }
    for p in base["period"].values:
        vals = [float(base["target_shadow_price"].sel(target=lab, period=p)) for lab in labels]
        vals = [v for v in vals if math.isfinite(v)]
        row[f"shadow price {int(p)}"] = max(vals, key=abs) if vals else math.nan
    return row


def _ordered(table: Any) -> Any:
    """The target table's columns in reading order; capacity changes of at most 0.5 MW dropped."""
    dcols = [c for c in table.columns if c.startswith("Δ capacity")]
    keep = [c for c in dcols if (table[c].abs() > 0.5).any()]
    table = table.drop(columns=[c for c in dcols if c not in keep])
    first = ["target", "name_zh", "kind", "premium [CNY, PV]", "premium [CNY/yr]"]
    shadow = [c for c in table.columns if c.startswith("shadow price") and c != "shadow price unit"]
    shadow.append("shadow price unit")
    order = [c for c in first if c in table] + shadow + keep + ["note"]
    return table[order + [c for c in table.columns if c not in order]]


def format_target_table(table: Any) -> str:
    """A terminal table: premium in bn CNY (PV) and mn CNY/yr, shadow prices, capacity change [MW]."""
    lines = [f"{'target':<22} {'name_zh':<12} {'premium [bn CNY PV]':>20} {'[mn CNY/yr]':>12}"]
    for _, r in table.iterrows():
        lines.append(
            f"{r['target']:<22} {r['name_zh']!s:<12} {r['premium [CNY, PV]'] / 1e9:>20,.4f} "
            f"{r['premium [CNY/yr]'] / 1e6:>12,.2f}" + (f"  {r['note']}" if r.get("note") else "")
        )
        prices = [
            f"{c.removeprefix('shadow price ')}: {number(float(r[c]))}"
            for c in table.columns
            if c.startswith("shadow price ") and c != "shadow price unit" and math.isfinite(r[c])
        ]
        if prices:
            lines.append(f"    shadow price in the base run [{r['shadow price unit']}]: " + ", ".join(prices))
        built = [
            f"{c.removeprefix('Δ capacity ')}: {r[c]:+,.0f}"
            for c in table.columns
            if c.startswith("Δ capacity") and math.isfinite(r[c]) and abs(r[c]) > 0.5
        ]
        if built:
            lines.append("    capacity with − without the target: " + ", ".join(built))
    return "\n".join(lines)


def _target_html(sweep: Sweep, base: Any, table: Any, cap: Any, path: Path) -> Path:
    """The target-cost page at `path` (English) and beside it in Chinese (target_costs.zh.html);
    `base`: the base results (its annual cost sets the noise level)."""
    from gridplan.report.sweep_pages import target_page, zh_path

    annual = float(base.attrs.get("objective", math.nan)) / float(base["period_weight"].sum())
    for lang in ("en", "zh"):
        target_page(
            str(sweep.base), table, cap, path if lang == "en" else zh_path(path), lang, annual, sweep.dump
        )
    return path
