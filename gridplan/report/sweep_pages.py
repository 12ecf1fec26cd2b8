"""Pages of sweeps and target costs, styled like the reports and written in English and Chinese.

`write_sensitivity` draws tornado charts (output swing per parameter around the base) and
output-vs-parameter curves of a sweep; `target_page` the total-cost premium of each plan target
(cost with all targets − cost without it) and the capacity it causes. Each writes the English page
and its Chinese twin beside it (`name.zh.html`). Premiums smaller than the solver's tolerance
(NOISE × the base run's annual cost, at least 1 CNY/yr) are solver noise and shown as 0.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.atomic import write_text
from gridplan.report.html import Item, Table, number, page, tidy_label
from gridplan.report.i18n import Names, axis, per_year, scale, text, unit_name
from gridplan.report.layout import layout

NOISE = 1e-7  # relative tolerance of a cost difference between two solves
LANG_PAIR = ("en", "zh")
TARGET_COLOURS = ["#264653", "#e76f51", "#2a9d8f", "#e9c46a", "#8e44ad", "#5aa9e6", "#7f5539", "#d62728"]
METHODS = {"others at base": "method_base", "mean over the others": "method_mean", "linear fit": "method_fit"}


def zh_path(path: Path) -> Path:
    """report.html -> report.zh.html"""
    return path.with_name(f"{path.stem}.zh{path.suffix}")


def _clean(v: float, tol: float) -> float:
    """0 for |v| < tol (solver noise), else v."""
    return 0.0 if not math.isfinite(v) or abs(v) < tol else v


def _output(ds: Any, name: str, spec: Any, lang: str) -> tuple[np.ndarray, str]:
    """One number per scenario and its axis label; the default outputs in the language's units."""
    from gridplan.sweep import default_outputs, output_values

    y, label = output_values(ds, name, spec)
    default = default_outputs(ds).get(name)
    if default is None or default != spec:
        return y, label
    last = int(ds["period"].values[-1])
    quantity, base, key = {
        "total_cost": ("money", 1e9, "out_cost"),
        "new_storage_power": ("power", 1.0, "out_storage"),
        f"emissions_{last}": ("co2", 1.0, "out_co2"),
        "new_capacity": ("power", 1.0, "out_capacity"),
    }[name]
    size, unit = scale(quantity, float(np.nanmax(np.abs(y * base))) if np.isfinite(y).any() else 0, lang)
    unit = per_year(unit, lang) if quantity == "co2" else unit
    return y * base / size, axis(key, unit, lang).replace("{period}", str(last))


def _level(v: Any) -> str:
    return number(float(v)) if isinstance(v, int | float) and not isinstance(v, bool) else tidy_label(str(v))


def _sensitivity_items(sweep: Any, ds: Any, lang: str) -> tuple[list[str], dict[str, Item]]:
    """Per output: a tornado of the parameters' effects and the output against each parameter; the
    scenario table last. Returns (notes on outputs whose variable the results lack, the items)."""
    from gridplan.sweep import base_level, default_outputs, effects, scenario_id
    from gridplan.sweep import plain as _plain

    modes = sweep.modes()
    base = {p: _plain(base_level(sweep, sweep.paths(p)[0], m)) for p, m in modes.items()}
    outputs = {**default_outputs(ds), **sweep.spec.outputs}
    random = sweep.spec.design in ("latin_hypercube", "random")
    ids = ds["scenario"].values.tolist()
    base_id = scenario_id({})
    items: dict[str, Item] = {}
    missing: list[str] = []
    for k, (name, spec) in enumerate(outputs.items()):
        if spec.var != "objective" and spec.var not in ds:
            missing.append(text("no_output_var", lang, name=name, var=spec.var))
            continue
        y, ylabel = _output(ds, name, spec, lang)
        if not np.isfinite(y).any():
            continue
        has_base = base_id in ids and bool(np.isfinite(y[ids.index(base_id)]))
        y_base = float(y[ids.index(base_id)]) if has_base else float(np.nanmean(y))
        ref = text("base_case" if has_base else "mean_all", lang)
        eff = effects(ds, y, modes, random, base)
        eff.sort(key=lambda e: max(e.values) - min(e.values) if e.values else 0.0)
        if eff:
            items[f"tornado{k}"] = _tornado(eff, y_base, ylabel, ref, lang)
        items[f"curves{k}"] = _curves(ds, modes, eff, y, ylabel, lang)
    items["scenarios"] = _scenario_table(ds, ids, lang)
    return missing, items


def _tornado(eff: list[Any], y_base: float, ylabel: str, ref: str, lang: str) -> go.Figure:
    """Tornado chart: the output at each parameter's lowest and highest level, as bars from the
    reference value `y_base` (base case, else the mean of all scenarios; named in the subtitle)."""
    methods = list(dict.fromkeys(e.method for e in eff))
    mark = {m: "*" * i for i, m in enumerate(methods)}
    names = [f"{e.param} ({_level(e.levels[0])} → {_level(e.levels[-1])}){mark[e.method]}" for e in eff]
    how = text("semicolon", lang).join(
        f"{'*' * i or text('unmarked', lang)}{text('colon', lang)}{text(METHODS[m], lang)}"
        for i, m in enumerate(methods)
    )
    fig = go.Figure()
    for side, idx, colour in (("lowest", 0, "#4477aa"), ("highest", -1, "#cc6677")):
        fig.add_trace(
            go.Bar(
                y=names,
                x=[e.values[idx] - y_base for e in eff],
                base=y_base,
                orientation="h",
                name=text(side, lang),
                marker_color=colour,
                hovertemplate=f"%{{y}}: %{{x:,.4g}}<extra>{text(side, lang)}</extra>",
            )
        )
    fig.add_vline(x=y_base, line_dash="dot", line_color="#555555")  # the reference, named in the subtitle
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=ylabel)
    fig.update_yaxes(automargin=True)
    sub = text("tornado_sub", lang, ref=ref, how=how)
    return layout(fig, text("tornado", lang, y=ylabel), sub, height=200 + 40 * len(eff))


def _curves(
    ds: Any, modes: dict[str, str], eff: list[Any], y: np.ndarray, ylabel: str, lang: str
) -> go.Figure:
    """The output against each parameter: every scenario as a grey dot, the effect curve on top."""
    params = list(modes)
    cols = min(3, len(params)) or 1
    rows = math.ceil(len(params) / cols) or 1
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=params, vertical_spacing=0.3 / rows)
    shown: set[str] = set()
    for i, p in enumerate(params):
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(
            go.Scatter(
                x=ds[p].values.tolist(),
                y=y,
                mode="markers",
                marker={"color": "#bbbbbb", "size": 6},
                text=[tidy_label(str(s)) for s in ds["label"].values.tolist()],
                name=text("all_scenarios", lang),
                showlegend=i == 0,
            ),
            row=r,
            col=c,
        )
        e = next((x for x in eff if x.param == p), None)
        if e is not None:
            fig.add_trace(
                go.Scatter(
                    x=e.levels,
                    y=e.values,
                    mode="lines+markers",
                    line={"color": "#222222" if e.method != "mean over the others" else "#888888"},
                    name=text(METHODS[e.method], lang),
                    showlegend=e.method not in shown,
                ),
                row=r,
                col=c,
            )
            shown.add(e.method)
        unit = text("factor_on_base" if modes[p] == "scale" else "value", lang)
        fig.update_xaxes(title_text=axis_title(p, unit, lang), row=r, col=c)
        fig.update_yaxes(title_text=ylabel if c == 1 else None, row=r, col=c)
    return layout(fig, text("vs_param", lang, y=ylabel), "", height=140 + 300 * rows)


def axis_title(name: str, unit: str, lang: str) -> str:
    return f"{name}（{unit}）" if lang == "zh" else f"{name} [{unit}]"


def _scenario_table(ds: Any, ids: list[str], lang: str) -> Table:
    size, unit = scale("money", float(np.nanmax(np.abs(ds["objective"].values))), lang)
    rows = [
        [str(s), tidy_label(str(lab)), _status(str(st), lang), number(float(o) / size), str(reason)[:300]]
        for s, lab, st, o, reason in zip(
            ids,
            ds["label"].values.tolist(),
            ds["status"].values.tolist(),
            ds["objective"].values.tolist(),
            ds["reason"].values.tolist(),
            strict=True,
        )
    ]
    header = [text("id", lang), text("settings", lang), text("run_status", lang)]
    header += [axis("total_cost", unit, lang), text("reason", lang)]
    return Table(text("scenarios", lang), "", header, rows, ["l", "l", "l", "r", "l"])


def _status(status: str, lang: str) -> str:
    return text(f"run_{status}", lang) if status in ("done", "failed") else status


def write_sensitivity(sweep: Any, combined: Path, path: Path) -> Path:
    """Write the sensitivity page of a sweep in English at `path` and in Chinese beside it."""
    import xarray as xr

    ds = xr.load_dataset(combined)
    status = ds["status"].values.tolist()
    for lang in LANG_PAIR:
        missing, items = _sensitivity_items(sweep, ds, lang)
        facts = [
            text(
                "sens_facts",
                lang,
                base=sweep.base,
                design=sweep.spec.design,
                n=len(status),
                done=status.count("done"),
                failed=status.count("failed"),
            ),
            *missing,
        ]
        title = text("sens_title", lang, name=sweep.name)
        write_text(
            path if lang == "en" else zh_path(path),
            page(title, facts, items, lang, [text("sens_note", lang)]),
        )
    return path


def _tech_name(names: Names, key: str, lang: str) -> str:
    """Display name of a capacity column: 'solar' or 'battery (storage)'."""
    if key.endswith(" (storage)"):
        s = key.removesuffix(" (storage)")
        return f"{names.storage(s)}{text('paren', lang, x=text('storage_word', lang))}"
    return names.tech(key)


def _target_name(names: Names, target: str, zh: str, lang: str) -> str:
    if not zh:
        return target
    return f"{zh}（{target}）" if lang == "zh" else f"{target} {zh}"


def _target_items(table: Any, cap: Any, names: Names, lang: str, tol: float) -> dict[str, Item]:
    """Premium chart, capacity chart, and the two tables."""
    labels = [
        _target_name(names, t, str(z or ""), lang)
        for t, z in zip(table["target"], table["name_zh"], strict=True)
    ]
    per_year_cny = [_clean(float(v), tol) for v in table["premium [CNY/yr]"]]
    size, unit = scale("money", max([abs(v) for v in per_year_cny] + [0.0]), lang)
    unit = per_year(unit, lang)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=[v / size for v in per_year_cny],
            marker_color="#2a9d8f",
            text=[number(v / size) for v in per_year_cny],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{text}} {unit}<extra></extra>",
        )
    )
    fig.update_yaxes(title_text=axis("premium_axis", unit, lang), rangemode="tozero")
    fig.update_xaxes(type="category")
    items: dict[str, Item] = {"premium": layout(fig, text("tc_premium", lang), text("tc_premium_sub", lang))}
    last = int(cap["period"].max()) if len(cap) else None
    pv = cap[cap["period"] == last] if last is not None else cap
    big = float(np.abs(pv["with target [MW]"]).max()) if len(pv) else 0.0
    csize, cunit = scale("power", max(float(np.abs(pv["change [MW]"]).max()) if len(pv) else 0.0, 0.0), lang)
    ctol = max(1e-3, 1e-7 * big)
    if len(pv):
        fig2 = go.Figure()
        for i, (t, g) in enumerate(pv.groupby("target", sort=False)):
            zh = str(table.set_index("target")["name_zh"].get(t, "") or "")
            fig2.add_trace(
                go.Bar(
                    name=_target_name(names, str(t), zh, lang),
                    x=[_tech_name(names, str(x), lang) for x in g["tech"]],
                    y=[_clean(float(v), ctol) / csize for v in g["change [MW]"]],
                    marker_color=TARGET_COLOURS[i % len(TARGET_COLOURS)],
                )
            )
        fig2.update_layout(barmode="group", showlegend=True)
        fig2.update_yaxes(title_text=axis("tc_capacity_axis", cunit, lang))
        items["capacity"] = layout(fig2, text("tc_capacity", lang, period=last), text("cmp_sub", lang))
    items["table"] = _premium_table(table, names, lang, tol)
    items["capacity_table"] = _capacity_table(cap, names, lang, ctol)
    return items


def _premium_table(table: Any, names: Names, lang: str, tol: float) -> Table:
    pv_size, pv_unit = scale("money", float(np.nanmax(np.abs(table["premium [CNY, PV]"]))), lang)
    yr_size, yr_unit = scale("money", float(np.nanmax(np.abs(table["premium [CNY/yr]"]))), lang)
    shadow = [c for c in table.columns if c.startswith("shadow price ") and c != "shadow price unit"]
    dcap = [c for c in table.columns if c.startswith("Δ capacity")]
    header = [text("target", lang), text("kind", lang), axis("tc_pv", pv_unit, lang)]
    header += [axis("tc_yr", per_year(yr_unit, lang), lang)]
    header += [text("tc_shadow", lang, period=c.removeprefix("shadow price ")) for c in shadow]
    header += [text("price_unit", lang)]
    csize, cunit = scale("power", float(np.nanmax(np.abs(table[dcap].values))) if dcap else 0.0, lang)
    for c in dcap:
        tech, period = c.removeprefix("Δ capacity ").removesuffix(" [MW]").rsplit(" ", 1)
        header.append(text("tc_delta", lang, tech=_tech_name(names, tech, lang), period=period, unit=cunit))
    header.append(text("tc_note", lang))
    rows = []
    for _, r in table.iterrows():
        rows.append(
            [
                _target_name(names, str(r["target"]), str(r["name_zh"] or ""), lang),
                names.target_kind(str(r["kind"])),
            ]
            + [number(_clean(float(r["premium [CNY, PV]"]), tol) / pv_size)]
            + [number(_clean(float(r["premium [CNY/yr]"]), tol) / yr_size)]
            + [number(_clean(float(r[c]), 1e-9)) for c in shadow]
            + [unit_name(str(r["shadow price unit"]), lang)]
            + [number(_clean(float(r[c]), 1e-3) / csize) for c in dcap]
            + [text("tc_not_resolved", lang) if not r.get("re-solved", True) else str(r.get("note") or "")]
        )
    align = ["l", "l", "r", "r"] + ["r"] * len(shadow) + ["l"] + ["r"] * len(dcap) + ["l"]
    return Table(text("tc_table", lang), text("tc_table_sub", lang), header, rows, align)


def _capacity_table(cap: Any, names: Names, lang: str, tol: float) -> Table:
    cols = ["with target [MW]", "without target [MW]", "change [MW]"]
    big = float(np.abs(cap[cols].values).max()) if len(cap) else 0.0
    size, unit = scale("power", big, lang)
    header = [text("target", lang), text("period", lang), text("technology", lang)]
    header += [axis(k, unit, lang) for k in ("tc_with", "tc_without", "tc_change")]
    rows = [
        [str(r["target"]), str(int(r["period"])), _tech_name(names, str(r["tech"]), lang)]
        + [number(_clean(float(r[c]), tol) / size) for c in cols]
        for _, r in cap.iterrows()
    ]
    return Table(text("tc_cap_table", lang), "", header, rows, ["l", "c", "l", "r", "r", "r"])


def target_page(
    base: str,
    table: Any,
    cap: Any,
    path: Path,
    lang: str,
    annual_cost: float,
    scenario: dict[str, Any] | None = None,
) -> Path:
    """Write the target-cost page in one language; premiums below NOISE * annual_cost [CNY/yr] are 0."""
    names = Names(scenario or {}, lang)
    tol = max(1.0, NOISE * abs(annual_cost)) if math.isfinite(annual_cost) else 1.0
    items = _target_items(table, cap, names, lang, tol)
    title = text("tc_title", lang, base=Path(str(base)).parent.name or str(base))
    facts = [text("tc_facts", lang, base=base)]
    return write_text(path, page(title, facts, items, lang, [text("tc_note_noise", lang)]))
