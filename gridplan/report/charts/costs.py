"""Annual (undiscounted) cost by component and period; the subtitle gives the present value."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gridplan.report.i18n import axis, per_year, scale, text
from gridplan.report.layout import group_period_axis, hover_template, layout, money
from gridplan.report.run import (
    SPECIAL,
    TOL,
    Run,
    as_array,
    dim_labels,
    variable,
)


def cost_bars(fig: go.Figure, groups: list[tuple[str, Run]], lang: str) -> str:
    """Bars of the annual cost components of each group (run) and period; returns the unit."""
    periods, x = group_period_axis(groups)
    n = len(periods) * len(groups)
    series: dict[str, np.ndarray] = {}
    names: dict[str, str] = {}
    for gi, (_, r) in enumerate(groups):
        ca = variable(r.ds, "cost_annual")
        if ca is None:
            continue
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        for c in dim_labels(r, "component"):
            v = as_array(ca.sel(component=c), len(r.periods))
            if np.any(np.abs(v) > TOL):
                series.setdefault(c, np.zeros(n))[idx] = v
                names[c] = r.names.component(c)
    totals = sum(series.values()) if series else np.zeros(1)
    size, unit = scale("money", float(np.max(totals)) if np.size(totals) else 0.0, lang)
    unit = per_year(unit, lang)
    colours = {
        "investment": "#264653",
        "fixed_om": "#2a9d8f",
        "mothball": "#76c893",
        "variable_om": "#8ab17d",
        "fuel": "#4a3f35",
        "imports": SPECIAL["imports"],
        "startup": "#e9c46a",
        "heat_boilers": "#f4a261",
        "unserved": "#d62728",
        "demand_response": "#8e44ad",
        "target_penalty": "#e76f51",
    }
    for c, v in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=v / size,
                name=names[c],
                marker_color=colours.get(c),
                hovertemplate=hover_template(names[c], unit, ",.3f"),
            )
        )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("cost_axis", unit, lang))
    if len(groups) == 1:
        fig.update_xaxes(type="category", title_text=text("period", lang))
    return unit


def fig_costs(r: Run) -> go.Figure:
    """Annual (undiscounted) cost by component and period; the subtitle gives the present value."""
    fig = go.Figure()
    cost_bars(fig, [(r.label, r)], r.lang)
    total = float(r.ds.attrs.get("objective", float(r.ds["cost"].sum()) if "cost" in r.ds else 0.0))
    return layout(fig, text("costs", r.lang), text("costs_sub", r.lang, total=money(total, r.lang)))


def cmp_costs(runs: list[Run], labels: list[str]) -> go.Figure:
    """Annual cost by component of each run, by period."""
    lang = runs[0].lang
    fig = go.Figure()
    cost_bars(fig, [(r.label, r) for r in runs], lang)
    return layout(fig, text("cmp_costs", lang), text("cmp_sub", lang))
