"""Annual energy by source (+), storage charging, payback and corridor losses (−), curtailment (hatched), by period."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from gridplan.report.i18n import axis, per_year, scale, text
from gridplan.report.layout import group_period_axis, hover_template, layout
from gridplan.report.run import (
    SPECIAL,
    Run,
    annual,
    as_array,
)
from gridplan.report.series import energy_series


def energy_bars(fig: go.Figure, groups: list[tuple[str, Run]], lang: str) -> None:
    """Bars of the energy series of each group (run) and period, and the annual demand as diamonds."""
    periods, x = group_period_axis(groups)
    n = len(periods) * len(groups)
    order: list[tuple[str, str]] = []
    data: dict[tuple[str, str], dict[str, Any]] = {}
    demand = np.zeros(n)
    for gi, (_, r) in enumerate(groups):
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        for key, name, colour, vals, kind in energy_series(r):
            k = (name, kind)
            if k not in data:
                order.append(k)
                data[k] = {"key": key, "colour": colour, "y": np.zeros(n)}
            data[k]["y"][idx] = vals
        if "demand" in r.ds:
            demand[idx] = as_array(annual(r, r.ds["demand"].sum("zone")), len(r.periods))
    largest = max([float(np.max(np.abs(d["y"]))) for d in data.values()] + [float(demand.max())])
    size, unit = scale("energy", largest, lang)
    unit = per_year(unit, lang)
    for (name, kind), d in sorted(
        data.items(), key=lambda kv: {"pos": 0, "neg": 1, "curtailed": 2}[kv[0][1]]
    ):
        pattern = (
            {"shape": "x", "fillmode": "overlay", "fgcolor": "#ffffff", "size": 6}
            if kind == "curtailed"
            else {}
        )
        fig.add_trace(
            go.Bar(
                x=x,
                y=d["y"] / size,
                name=name,
                marker_color=d["colour"],
                marker_pattern=pattern,
                legendgroup=d["key"],
                hovertemplate=hover_template(name, unit),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=demand / size,
            mode="markers",
            name=text("annual_demand", lang),
            marker={"symbol": "diamond", "size": 11, "color": SPECIAL["demand"]},
            hovertemplate=hover_template(text("annual_demand", lang), unit),
        )
    )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("energy_axis", unit, lang))
    if len(groups) == 1:
        fig.update_xaxes(type="category", title_text=text("period", lang))


def fig_energy(r: Run) -> go.Figure:
    """Annual energy by source (+), storage charging and payback (−), curtailment (hatched), per period."""
    fig = go.Figure()
    energy_bars(fig, [(r.label, r)], r.lang)
    return layout(fig, text("energy", r.lang), text("energy_sub", r.lang), height=520)


def cmp_energy(runs: list[Run], labels: list[str]) -> go.Figure:
    """Annual energy by source of each run, by period."""
    lang = runs[0].lang
    fig = go.Figure()
    energy_bars(fig, [(r.label, r) for r in runs], lang)
    return layout(fig, text("cmp_energy", lang), text("energy_sub", lang), height=540)
