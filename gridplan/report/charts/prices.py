"""Duration curves of the marginal price by zone (one run: a panel per period; a comparison: a panel per zone)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import layout
from gridplan.report.run import (
    Run,
)

PLOT_POINTS = 500  # samples of a price duration curve longer than this
ZONE_COLOURS = [  # lines of the zones of a run, or of the runs of a comparison
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
]


def duration_curve(price: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted duration curve as step starts: x = hours with a higher price, y = price (descending).

    More than PLOT_POINTS steps: sampled at PLOT_POINTS + 1 evenly spaced hours (first and last kept)."""
    ok = np.isfinite(price)
    p, w = price[ok], weight[ok]
    order = np.argsort(-p, kind="stable")
    p, w = p[order], w[order]
    end = np.cumsum(w)
    x = np.concatenate([[0.0], end[:-1], [end[-1]]]) if len(p) else np.zeros(0)
    y = np.concatenate([p, p[-1:]]) if len(p) else np.zeros(0)
    if len(p) > PLOT_POINTS:
        xs = np.linspace(0, end[-1], PLOT_POINTS + 1)
        i = np.minimum(np.searchsorted(end, xs, side="right"), len(p) - 1)
        return xs, p[i]
    return x, y


def fig_prices(r: Run) -> go.Figure | None:
    """Duration curves of the marginal price by zone, one panel per period."""
    lang = r.lang
    if "price" not in r.ds or "weight" not in r.ds:
        return None
    price = r.ds["price"]
    weight = r.ds["weight"].values
    fig = make_subplots(
        rows=1,
        cols=len(r.periods),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[str(p) for p in r.periods],
    )
    unit = scale("price", 1.0, lang)[1]
    any_price = False
    for j, p in enumerate(r.periods):
        for k, z in enumerate(r.zones):
            x, y = duration_curve(np.asarray(price.sel(period=p, zone=z).values, dtype=float), weight)
            if not len(x):
                continue
            any_price = True
            name = r.names.zone(z)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=name,
                    legendgroup=z,
                    showlegend=j == 0,
                    line={"shape": "hv", "color": ZONE_COLOURS[k % len(ZONE_COLOURS)], "width": 2},
                    hovertemplate=f"{name}: %{{y:,.1f}} {unit}, %{{x:,.0f}} h<extra>{p}</extra>",
                ),
                row=1,
                col=j + 1,
            )
        fig.update_xaxes(title_text=axis("hours_axis", scale("hours", 1.0, lang)[1], lang), row=1, col=j + 1)
    if not any_price:
        fig.add_annotation(
            text=text("no_prices", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )
    fig.update_yaxes(title_text=axis("price_axis", unit, lang), row=1, col=1)
    return layout(fig, text("prices", lang), text("prices_sub", lang), top=124)


def cmp_prices(runs: list[Run], labels: list[str]) -> go.Figure | None:
    """Price duration curves of the last common period, one panel per zone, one line per run."""
    lang = runs[0].lang
    common = sorted(set.intersection(*[set(r.periods) for r in runs]))
    if not common or not all("price" in r.ds and "weight" in r.ds for r in runs):
        return None
    p = common[-1]
    zones = list(dict.fromkeys(z for r in runs for z in r.zones))
    fig = make_subplots(
        rows=1,
        cols=len(zones),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[runs[0].names.zone(z) for z in zones],
    )
    unit = scale("price", 1.0, lang)[1]
    for i, r in enumerate(runs):
        for j, z in enumerate(zones):
            if z not in r.zones:
                continue
            x, y = duration_curve(
                np.asarray(r.ds["price"].sel(period=p, zone=z).values, dtype=float), r.ds["weight"].values
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=r.label,
                    legendgroup=r.label,
                    showlegend=j == 0,
                    line={"shape": "hv", "color": ZONE_COLOURS[i % len(ZONE_COLOURS)], "width": 2},
                    hovertemplate=f"{r.label}: %{{y:,.1f}} {unit}<extra></extra>",
                ),
                row=1,
                col=j + 1,
            )
        for j in range(len(zones)):
            fig.update_xaxes(
                title_text=axis("hours_axis", scale("hours", 1.0, lang)[1], lang), row=1, col=j + 1
            )
    fig.update_yaxes(title_text=axis("price_axis", unit, lang), row=1, col=1)
    return layout(fig, text("cmp_prices", lang, period=p), text("prices_sub", lang), top=124)
