"""The report's tables: plan targets of one run, and the summary, targets and plans of a comparison.

Values are shown in the units of the charts (MW/GW, ktCO₂/MtCO₂ in English; 万千瓦, 万吨CO₂,
万吨标准煤 in Chinese): a target row's values are divided by the unit `scale` picks for its
largest value. Shares are in %. Solver noise (|x| < 1e-9 of the unit) is shown as 0.

A comparison may hold runs in which a target was disabled (targets.<name>.enabled = false, a
counterfactual): such a run has no row of that target, so its achieved value is computed from the
run's results and the target's definition in the scenario (`achieved`, one function per target
kind in ACHIEVED):
    capacity          sum of capacity, storage power, DR and import capacity of the named
                      technologies/groups, resources and channels [MW]
    co2_cap, co2_peak emissions[p] [tCO2/yr];   coal_cap: coal_use[p] [tce/yr]
    non_fossil_share  sum energy of the named (else non-fossil) technologies / sum energy
    coal_share        sum energy of coal-fired technologies / sum energy
(zone-restricted when the target names a zone; other kinds, and consumption-basis shares: not shown).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from gridplan.report.html import Table, number
from gridplan.report.i18n import per_year, scale, status_name, text, unit_name
from gridplan.report.layout import money
from gridplan.report.run import Run, variable
from gridplan.report.series import capacity_items

QUANTITY = {"MW": "power", "MWh": "energy", "tCO2": "co2", "tce": "coal"}


def _fmt(v: float, unit: str) -> str:
    """A table number: shares in %, large values without decimals, tiny values (solver noise) as 0."""
    if not np.isfinite(v):
        return "–"
    if abs(v) < 1e-9:
        v = 0.0
    if unit == "share":
        return f"{v * 100:.1f} %"
    if abs(v) >= 1e5:
        return f"{v:,.0f}"
    return f"{v:,.4g}" if abs(v) < 1e3 else f"{v:,.1f}"


def display_unit(unit: str, largest: float, lang: str) -> tuple[float, str]:
    """(size, label) of the chart unit for values of a results unit (MW, tCO2, tce, share, ...)."""
    if unit in QUANTITY:
        return scale(QUANTITY[unit], largest, lang)
    return 1.0, ("" if unit == "share" else unit_name(unit, lang))


def _num(v: float, signed: bool = False) -> str:
    """A summary-table number (4 significant digits; solver noise below 1e-9 shown as 0)."""
    if not np.isfinite(v):
        return "–"
    if abs(v) < 1e-9:
        v = 0.0
    if v == 0.0:
        return "0"
    s = f"{v:+,.4g}" if signed else f"{v:,.4g}"
    return s if abs(v) < 1e4 else (f"{v:+,.0f}" if signed else f"{v:,.0f}")


def targets_table(r: Run) -> Table | None:
    """Plan-target table: English and Chinese names, required, achieved, shadow price, binds, shortfall."""
    ds, lang = r.ds, r.lang
    if "target" not in ds.dims or not ds.sizes["target"]:
        return None
    rows: list[list[str]] = []
    for tg in ds["target"].values:
        t = ds.sel(target=tg)
        unit = str(t["target_unit"].values) if "target_unit" in t else ""
        pu = str(t["target_price_unit"].values) if "target_price_unit" in t else ""
        kind = str(t["target_kind"].values) if "target_kind" in t else ""
        both = np.concatenate([t["target_required"].values, t["target_achieved"].values]).astype(float)
        size, shown = display_unit(
            unit, float(np.nanmax(np.abs(both))) if np.isfinite(both).any() else 0, lang
        )
        for p in r.periods:
            req = float(t["target_required"].sel(period=p))
            if not np.isfinite(req):
                continue
            short = float(t["target_shortfall"].sel(period=p)) if "target_shortfall" in t else 0.0
            binds = bool(t["target_binds"].sel(period=p)) if "target_binds" in t else False
            rows.append(
                [
                    str(tg),
                    r.names.target_zh(str(tg)),
                    r.names.target_kind(kind),
                    str(p),
                    _fmt(req / size, unit),
                    _fmt(float(t["target_achieved"].sel(period=p)) / size, unit),
                    shown or ("%" if unit == "share" else ""),
                    _fmt(float(t["target_shadow_price"].sel(period=p)), ""),
                    unit_name(pu, lang),
                    (text("yes", lang) if binds else text("no", lang))
                    + (f" · {text('shortfall', lang)} {number(short)}" if short > 1e-9 else ""),
                ]
            )
    keys = ["target", "name_zh", "kind", "period", "required", "achieved", "unit", "shadow_price"]
    keys += ["price_unit", "binds"]
    align = ["l", "l", "l", "c", "r", "r", "l", "r", "l", "l"]
    if lang == "zh":  # Chinese name first
        order = [1, 0, *range(2, 10)]
        keys, align = [keys[i] for i in order], [align[i] for i in order]
        rows = [[row[i] for i in order] for row in rows]
    return Table(text("targets", lang), text("targets_sub", lang), [text(k, lang) for k in keys], rows, align)


def plans_table(runs: list[Run], labels: list[str]) -> Table | None:
    """Alias, full label, total cost and solver status of each run of a comparison (None when the
    runs are shown by their full labels)."""
    lang = runs[0].lang
    if runs[0].label == labels[0]:
        return None
    rows = [
        [
            r.label,
            lab,
            money(float(r.ds.attrs.get("objective", np.nan)), lang),
            status_name(str(r.ds.attrs.get("solver_status", "")), lang),
        ]
        for r, lab in zip(runs, labels, strict=True)
    ]
    header = [text(k, lang) for k in ("alias", "plan", "objective", "status")]
    return Table(text("plans", lang), text("plans_sub", lang), header, rows, ["l", "l", "r", "l"])


def _summary_rows(runs: list[Run], lang: str) -> list[tuple[str, str, list[float]]]:
    """(metric, unit, value per run): total cost, capacity by type (last period), emissions, coal and
    curtailment by period, and each target's shadow price (and cost, when the results have it)."""
    rows: list[tuple[str, str, list[float]]] = []
    obj = [float(r.ds.attrs.get("objective", np.nan)) for r in runs]
    size, unit = scale("money", float(np.nanmax(np.abs(obj))) if obj else 0.0, lang)
    rows.append((text("total_cost", lang), unit, [v / size for v in obj]))
    periods = sorted({p for r in runs for p in r.periods})
    last = periods[-1]
    caps: dict[str, list[float]] = {}
    for i, r in enumerate(runs):
        if last not in r.periods:
            continue
        li = r.periods.index(last)
        for _key, name, _c, ex, new in capacity_items(r):
            caps.setdefault(name, [np.nan] * len(runs))[i] = float((ex + new)[li].sum())
    if caps:
        size, unit = scale("power", max(max(np.nan_to_num(v)) for v in caps.values()), lang)
        for name, vals in caps.items():
            rows.append((text("capacity_in", lang, period=last, name=name), unit, [v / size for v in vals]))
    for var, key, q in (("emissions", "emissions_in", "co2"), ("coal_use", "coal_in", "coal")):
        by_period = {
            p: [float(r.ds[var].sel(period=p)) if var in r.ds and p in r.periods else np.nan for r in runs]
            for p in periods
        }
        size, unit = scale(
            q, max([float(np.nanmax(v)) for v in by_period.values() if np.any(np.isfinite(v))] + [0.0]), lang
        )
        for p, v in by_period.items():
            rows.append((text(key, lang, period=p), per_year(unit, lang), [x / size for x in v]))
    cur = {
        p: [
            float(r.ds["curtailed_energy"].sel(period=p).sum())
            if "curtailed_energy" in r.ds and p in r.periods
            else np.nan
            for r in runs
        ]
        for p in periods
    }
    size, unit = scale(
        "energy", max([float(np.nanmax(v)) for v in cur.values() if np.any(np.isfinite(v))] + [0.0]), lang
    )
    for p, v in cur.items():
        rows.append((text("curtailment_in", lang, period=p), per_year(unit, lang), [x / size for x in v]))
    for tg in _target_labels(runs):
        for p in periods:
            vals, pu, costs = [], "", []
            for r in runs:
                ok = "target" in r.ds.dims and tg in r.ds["target"].values and p in r.periods
                req = float(r.ds["target_required"].sel(target=tg, period=p)) if ok else np.nan
                vals.append(
                    float(r.ds["target_shadow_price"].sel(target=tg, period=p))
                    if ok and np.isfinite(req)
                    else np.nan
                )
                if ok:
                    pu = str(r.ds["target_price_unit"].sel(target=tg).values)
                tc = variable(r.ds, "target_cost")
                costs.append(
                    float(tc.sel(target=tg, period=p))
                    if ok and tc is not None and "period" in tc.dims
                    else np.nan
                )
            if not np.any(np.isfinite(vals)):
                continue
            name = runs[0].names.target(tg)
            rows.append((text("target_price_in", lang, period=p, name=name), unit_name(pu, lang), vals))
            if np.any(np.isfinite(costs)):
                size, unit = scale("money", float(np.nanmax(np.abs(costs))), lang)
                rows.append(
                    (
                        text("target_cost_in", lang, period=p, name=name),
                        per_year(unit, lang),
                        [c / size for c in costs],
                    )
                )
    return rows


def summary_table(runs: list[Run], labels: list[str]) -> Table:
    """One row per metric, one column per run, then the difference of each run from the first."""
    lang = runs[0].lang
    data = _summary_rows(runs, lang)
    labels = [r.label for r in runs]  # the aliases
    rows = [
        [m, unit_name(u, lang), *[_num(x) for x in v], *[_num(x - v[0], signed=True) for x in v[1:]]]
        for m, u, v in data
    ]
    header = [text("metric", lang), text("unit", lang), *labels, *[f"Δ {lab}" for lab in labels[1:]]]
    align = ["l", "l"] + ["r"] * (len(header) - 2)
    return Table(text("summary", lang), text("summary_sub", lang), header, rows, align)


def _target_labels(runs: list[Run]) -> list[str]:
    labels: list[str] = []
    for r in runs:
        if "target" in r.ds.dims:
            labels += [str(t) for t in r.ds["target"].values if str(t) not in labels]
    return labels


def _definition(runs: list[Run], label: str) -> dict[str, Any]:
    """The scenario entry of a target row label ('name', 'name_min', 'name_max', 'name.channel',
    'name.no_rise'), from the first run whose scenario has it."""
    base = label.removesuffix("_min").removesuffix("_max")
    for r in runs:
        tgs = r.names.sc.get("targets") or {}
        for key in (label, base, base.split(".")[0]):
            if isinstance(tgs.get(key), dict):
                return dict(tgs[key])
    return {}


def _members(r: Run, names: list[str]) -> set[str]:
    """Technologies and storage named directly or through one of their groups; DR resources and
    import channels named directly."""
    sc = r.names.sc
    units = {**(sc.get("technologies") or {}), **(sc.get("storage") or {})}
    out = {n for n, e in units.items() if n in names or set((e or {}).get("groups") or []) & set(names)}
    return out | {
        n for n in names if n in (sc.get("demand_response") or {}) or n in (sc.get("imports") or {})
    }


Achieved = Callable[[Run, dict[str, Any], int], float]


def _total(
    r: Run, zone: str | None, p: int, var: str, dim: str | None = None, keys: set[str] | None = None
) -> float:
    """Sum of `var` in period p (in `zone` when given), over the members `keys` of `dim` when given."""
    da = variable(r.ds, var)
    if da is None:
        return 0.0
    da = da.sel(period=p)
    if zone is not None and "zone" in da.dims:
        da = da.sel(zone=zone)
    if dim is not None and keys is not None:
        da = da.sel({dim: [x for x in da[dim].values if str(x) in keys]})
    return float(da.sum())


def _capacity_achieved(r: Run, tg: dict[str, Any], p: int) -> float:
    """Capacity, storage power, DR and import capacity of the named members [MW]."""
    ds, zone = r.ds, tg.get("zone")
    names = _members(r, list(tg.get("technologies") or []))
    chans = names & set(r.names.sc.get("imports") or {})
    if zone is not None and "channel_zone" in ds:
        chans = {c for c in chans if str(ds["channel_zone"].sel(channel=c).values) == zone}
    return (
        _total(r, zone, p, "capacity", "tech", names)
        + _total(r, zone, p, "storage_power", "storage", names)
        + _total(r, zone, p, "dr_capacity", "dr", names)
        + _total(r, zone, p, "import_capacity", "channel", chans)
    )


def _level(var: str) -> Achieved:
    """The system total `var` [per yr] of period p (emissions, coal_use)."""

    def read(r: Run, tg: dict[str, Any], p: int) -> float:
        return float(r.ds[var].sel(period=p)) if var in r.ds else np.nan

    return read


def _fuel_flag(r: Run, tech: str, flag: str, default: bool) -> bool:
    """The `flag` (coal, fossil) of a technology's fuel in the scenario; False without a fuel."""
    techs, fuels = r.names.sc.get("technologies") or {}, r.names.sc.get("fuels") or {}
    f = (techs.get(tech) or {}).get("fuel")
    return bool(f) and bool((fuels.get(f) or {}).get(flag, default))


def _energy_share(pick: Callable[[Run, dict[str, Any]], set[str]]) -> Achieved:
    """sum energy of the picked technologies / sum energy (generation basis only; else NaN)."""

    def read(r: Run, tg: dict[str, Any], p: int) -> float:
        if tg.get("basis", "generation") != "generation":
            return np.nan
        zone = tg.get("zone")
        den = _total(r, zone, p, "energy")
        return _total(r, zone, p, "energy", "tech", pick(r, tg)) / den if den > 1e-12 else np.nan

    return read


def _non_fossil(r: Run, tg: dict[str, Any]) -> set[str]:
    """The named technologies, else those whose fuel is not fossil."""
    if tg.get("technologies"):
        return _members(r, list(tg["technologies"]))
    return {t for t in r.names.sc.get("technologies") or {} if not _fuel_flag(r, t, "fossil", True)}


def _coal_fired(r: Run, tg: dict[str, Any]) -> set[str]:
    return {t for t in r.names.sc.get("technologies") or {} if _fuel_flag(r, t, "coal", False)}


# the achieved value of each target kind computable from a run's results (keys: kinds.TARGET_KINDS)
ACHIEVED: dict[str, Achieved] = {
    "capacity": _capacity_achieved,
    "co2_cap": _level("emissions"),
    "co2_peak": _level("emissions"),
    "coal_cap": _level("coal_use"),
    "non_fossil_share": _energy_share(_non_fossil),
    "coal_share": _energy_share(_coal_fired),
}


def achieved(r: Run, tg: dict[str, Any], p: int) -> float:
    """The value a target would read in run `r`, period `p`, computed from its results (module doc);
    NaN when the kind is not computable here."""
    read = ACHIEVED.get(str(tg.get("kind")))
    if p not in r.periods or read is None:
        return np.nan
    return read(r, tg, p)


def _target_cell(r: Run, runs: list[Run], tg: str, p: int) -> tuple[float, float, bool]:
    """(achieved, shadow price, computed) of a target row in one run; computed: the run has no such
    row (target disabled) and the achieved value comes from `achieved`."""
    if "target" in r.ds.dims and tg in r.ds["target"].values and p in r.periods:
        t = r.ds.sel(target=tg, period=p)
        if np.isfinite(float(t["target_required"])):
            return float(t["target_achieved"]), float(t["target_shadow_price"]), False
    d = _definition(runs, tg)
    return (achieved(r, d, p) if d else np.nan), np.nan, True


def compare_targets_table(runs: list[Run], labels: list[str]) -> Table | None:
    """Target table across runs: required once, then achieved and shadow price per run. A run without
    the target (disabled) shows its achieved value computed from its results, in italics."""
    lang = runs[0].lang
    labels = _target_labels(runs)
    if not labels:
        return None
    periods = sorted({p for r in runs for p in r.periods})
    rows: list[list[str]] = []
    marked: set[tuple[int, int]] = set()
    for tg in labels:
        ref = next(r for r in runs if "target" in r.ds.dims and tg in r.ds["target"].values)
        t0 = ref.ds.sel(target=tg)
        unit, pu = str(t0["target_unit"].values), str(t0["target_price_unit"].values)
        both = np.concatenate([t0["target_required"].values, t0["target_achieved"].values]).astype(float)
        size, shown = display_unit(
            unit, float(np.nanmax(np.abs(both))) if np.isfinite(both).any() else 0, lang
        )
        for p in periods:
            req = float(t0["target_required"].sel(period=p)) if p in ref.periods else np.nan
            if not np.isfinite(req):
                continue
            cells = [_target_cell(r, runs, tg, p) for r in runs]
            for i, (_, _, computed) in enumerate(cells):
                if computed:
                    marked.add((len(rows), 4 + i))
            rows.append(
                [
                    runs[0].names.target(tg),
                    str(p),
                    f"{_fmt(req / size, unit)} {shown}".strip(),
                    unit_name(pu, lang),
                    *[_fmt(a / size, unit) for a, _, _ in cells],
                    *[_fmt(s, "") for _, s, _ in cells],
                ]
            )
    header = [text("target", lang), text("period", lang), text("required", lang), text("price_unit", lang)]
    header += [f"{text('achieved', lang)}{text('colon', lang)}{r.label}" for r in runs]
    header += [f"{text('shadow_price', lang)}{text('colon', lang)}{r.label}" for r in runs]
    align = ["l", "c", "r", "l"] + ["r"] * (2 * len(runs))
    note = text("disabled_note", lang) if marked else ""
    return Table(text("cmp_targets", lang), text("targets_sub", lang), header, rows, align, note, marked)


def scenario_facts(ds: xr.Dataset, lang: str) -> str:
    """The scenario's description; in Chinese a generated one (periods, zones, technologies, storage,
    targets) unless the description is itself Chinese."""
    desc = str(ds.attrs.get("description", "") or "")
    if lang != "zh" or any(ord(c) >= 0x2E80 for c in desc):
        return desc
    n = {d: ds.sizes.get(d, 0) for d in ("zone", "tech", "storage", "target")}
    periods = "、".join(str(int(p)) for p in ds["period"].values) if "period" in ds else ""
    return text("describe", lang, periods=periods, **n)
