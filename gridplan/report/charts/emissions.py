"""CO₂ and coal use by technology and period, with the caps of the plan targets that limit them."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.kinds import TARGET_KINDS
from gridplan.report.i18n import axis, per_year, scale, text
from gridplan.report.layout import group_period_axis, hover_template, layout
from gridplan.report.run import (
    TOL,
    Run,
    as_array,
    tech_labels,
    variable,
)


def _caps(r: Run, unit: str) -> list[tuple[str, np.ndarray]]:
    """(display name, required by period) of the targets that cap a level in `unit` (the registered
    target kinds of form "level" in that unit: co2_cap and co2_peak in tCO2, coal_cap in tce)."""
    ds = r.ds
    out: list[tuple[str, np.ndarray]] = []
    if "target" not in ds.dims or "target_kind" not in ds:
        return out
    for tg in ds["target"].values:
        kind = TARGET_KINDS.get(str(ds["target_kind"].sel(target=tg).values))
        if kind is not None and kind.form == "level" and kind.unit == unit:
            req = np.asarray(ds["target_required"].sel(target=tg).values, dtype=float)
            if np.any(np.isfinite(req)):
                out.append((r.names.target(str(tg)), req))
    return out


def _by_tech_bars(
    fig: go.Figure,
    groups: list[tuple[str, Run]],
    var: str,
    total: str,
    cap_unit: str,
    quantity: str,
    title_key: str,
    col: int,
) -> None:
    """Bars of `var` by technology (and the rest of `total` as other sources) of each group and
    period, in subplot column `col`, with the caps in `cap_unit` as red markers."""
    lang = groups[0][1].lang
    periods, x = group_period_axis(groups)
    n = len(x[0]) if len(groups) > 1 else len(periods)
    series: dict[str, dict[str, Any]] = {}
    totals = np.zeros(n)
    caps: dict[str, np.ndarray] = {}
    for gi, (_, r) in enumerate(groups):
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        tot = as_array(variable(r.ds, total), len(r.periods))
        totals[idx] = tot
        rest = tot.copy()
        by = variable(r.ds, var)
        if by is not None:
            for t in tech_labels(r):
                v = as_array(by.sel(tech=t).sum("zone"), len(r.periods))
                rest -= v
                if np.any(np.abs(v) > TOL):
                    s = series.setdefault(
                        r.names.tech(t), {"colour": r.colour(t), "y": np.zeros(n), "key": t}
                    )
                    s["y"][idx] = v
        if np.any(rest > 1e-6 * max(float(np.max(tot)), 1.0)):
            s = series.setdefault(
                text("other_sources", lang),
                {"colour": "#e0e0e0", "y": np.zeros(n), "key": "o", "pattern": "."},
            )
            s["y"][idx] = np.clip(rest, 0, None)
        for name, req in _caps(r, cap_unit):
            c = caps.setdefault(name, np.full(n, np.nan))
            c[idx] = req
    largest = max([float(np.nanmax(totals)) if n else 0.0] + [float(np.nanmax(c)) for c in caps.values()])
    size, unit = scale(quantity, largest, lang)
    unit = per_year(unit, lang)
    for name, s in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=s["y"] / size,
                name=name,
                marker_color=s["colour"],
                marker_pattern={"shape": s.get("pattern", ""), "fgcolor": "#777777"},
                legendgroup=s["key"],
                hovertemplate=hover_template(name, unit, ",.3g"),
            ),
            row=1,
            col=col,
        )
    for name, c in caps.items():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=c / size,
                name=f"{text('cap', lang)}{text('colon', lang)}{name}",
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 34, "line": {"width": 3, "color": "#c1121f"}},
                hovertemplate=hover_template(f"{text('cap', lang)}{text('colon', lang)}{name}", unit, ",.3g"),
            ),
            row=1,
            col=col,
        )
    fig.update_yaxes(title_text=axis(title_key, unit, lang), row=1, col=col, rangemode="tozero")


def fig_emissions(r: Run) -> go.Figure:
    """CO2 [tCO2/yr] and coal use [tce/yr] by technology and period, with caps of the plan targets."""
    return emissions_figure([(r.label, r)], r.lang, text("emissions", r.lang), text("emissions_sub", r.lang))


def emissions_figure(groups: list[tuple[str, Run]], lang: str, title: str, sub: str) -> go.Figure:
    """CO₂ (left) and coal use (right) of each group (run) and period; one legend entry per name."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12)
    fig.update_layout(barmode="stack")
    _by_tech_bars(fig, groups, "emissions_by_tech", "emissions", "tCO2", "co2", "co2_axis", 1)
    n_left = len(fig.data)
    _by_tech_bars(fig, groups, "coal_use_by_tech", "coal_use", "tce", "coal", "coal_axis", 2)
    seen = {tr.name for tr in fig.data[:n_left]}
    for tr in fig.data[n_left:]:
        if tr.name in seen:
            tr.showlegend = False
    for tr in fig.data[:n_left]:
        tr.showlegend = True
    if len(groups) == 1:
        fig.update_xaxes(type="category")
    return layout(fig, title, sub)


def cmp_emissions(runs: list[Run], labels: list[str]) -> go.Figure:
    """CO₂ and coal use of each run, by period."""
    lang = runs[0].lang
    groups = [(r.label, r) for r in runs]
    return emissions_figure(groups, lang, text("cmp_emissions", lang), text("emissions_sub", lang))
