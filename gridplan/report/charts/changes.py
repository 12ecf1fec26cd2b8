"""Capacity changes: new build (+) and retirements (−) by technology, and 三改联动 retrofits, by period."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import hover_template, layout
from gridplan.report.run import (
    TOL,
    Run,
    as_array,
    dim_labels,
    tech_labels,
    variable,
)
from gridplan.report.series import capacity_items


def fig_changes(r: Run) -> go.Figure:
    """New build (+) and retirements (−) by technology, and 三改联动 retrofits, by period."""
    lang = r.lang
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        horizontal_spacing=0.1,
        subplot_titles=[text("changes_left", lang), text("changes_right", lang)],
    )
    fig.update_layout(barmode="relative")
    xs = [str(p) for p in r.periods]
    rows = _build_and_retired(r)
    largest = max([float(np.max(b + rt)) for _, _, _, b, rt in rows] + [0.0])
    ret_in = variable(r.ds, "retrofit_in_service")
    if ret_in is not None:
        largest = max(largest, float(ret_in.sum(["zone", "tech"]).max()) if ret_in.size else 0.0)
    size, unit = scale("power", largest, lang)
    for key, name, colour, built, retired in rows:
        _build_bars(fig, xs, key, name, colour, built, retired, size, unit, lang)
    if not _retrofit_bars(fig, r, xs, size, unit):
        fig.add_annotation(
            text=text("no_retrofits", lang),
            xref="paper",
            yref="paper",
            x=sum(fig.layout.xaxis2.domain) / 2,
            y=0.5,
            showarrow=False,
            font={"color": "#777"},
        )
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang), row=1, col=1)
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang), row=1, col=2)
    fig.update_xaxes(type="category")
    return layout(fig, text("changes", lang), text("changes_sub", lang), top=124)


def _build_and_retired(r: Run) -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(key, name, colour, built[P], retired[P]) of each technology and storage type, all zones [MW];
    retired[p] = max(0, cap[p-1] + built[p] - cap[p])."""
    xs = r.periods
    rows = []
    for key, name, colour, ex, new_total in capacity_items(r):
        cap = (ex + new_total).sum(axis=1)
        var, dim = ("capacity_new", "tech") if key in tech_labels(r) else ("storage_power_new", "storage")
        da = variable(r.ds, var)
        built = as_array(da.sel({dim: key}).sum("zone"), 0) if da is not None else np.zeros(len(xs))
        retired = np.zeros(len(xs))
        retired[1:] = np.clip(cap[:-1] + built[1:] - cap[1:], 0, None)
        rows.append((key, name, colour, built, retired))
    return rows


def _build_bars(
    fig: go.Figure,
    xs: list[str],
    key: str,
    name: str,
    colour: str,
    built: np.ndarray,
    retired: np.ndarray,
    size: float,
    unit: str,
    lang: str,
) -> None:
    """New build above zero and retirements (hatched) below, in the left panel."""
    if np.any(built > TOL):
        fig.add_trace(
            go.Bar(
                x=xs,
                y=built / size,
                name=name,
                legendgroup=key,
                marker_color=colour,
                hovertemplate=hover_template(f"{name} ({text('new', lang)})", unit),
            ),
            row=1,
            col=1,
        )
    if np.any(retired > TOL):
        fig.add_trace(
            go.Bar(
                x=xs,
                y=-retired / size,
                name=name,
                legendgroup=key,
                marker_color=colour,
                showlegend=not np.any(built > TOL),
                marker_pattern={"shape": "x", "fillmode": "overlay", "fgcolor": "#ffffff"},
                hovertemplate=hover_template(f"{name} ({text('retired', lang)})", unit),
            ),
            row=1,
            col=1,
        )


def _retrofit_bars(fig: go.Figure, r: Run, xs: list[str], size: float, unit: str) -> bool:
    """Retrofits in service by kind in the right panel (hover: also those done in the period);
    False when there are none."""
    lang = r.lang
    ret_in = variable(r.ds, "retrofit_in_service")
    ret_new = variable(r.ds, "retrofit_new")
    kinds = dim_labels(r, "retrofit")
    shown = False
    retro_colours = ["#9c6644", "#588157", "#bc4749"]
    for i, k in enumerate(kinds):
        ins = as_array(ret_in.sel(retrofit=k).sum(["zone", "tech"]), 0) if ret_in is not None else np.zeros(1)
        done = (
            as_array(ret_new.sel(retrofit=k).sum(["zone", "tech"]), 0) if ret_new is not None else np.zeros(1)
        )
        if not np.any(ins > TOL) and not np.any(done > TOL):
            continue
        shown = True
        name = r.names.retrofit(k)
        fig.add_trace(
            go.Bar(
                x=xs,
                y=ins / size,
                name=name,
                marker_color=retro_colours[i % 3],
                customdata=done / size,
                hovertemplate=f"{name}: %{{y:,.1f}} {unit} ({text('retrofit_in_service', lang)}), "
                f"%{{customdata:,.1f}} {unit} ({text('retrofit_done', lang)})<extra></extra>",
            ),
            row=1,
            col=2,
        )
    return shown
