"""Hourly dispatch of one week: the week of peak load, the week of most solar, and the peak week of several runs side by side."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import layout, menu
from gridplan.report.run import (
    TOL,
    Run,
    as_array,
    is_solar,
    is_variable,
    tech_labels,
)
from gridplan.report.series import dispatch_series
from gridplan.report.window import Window, add_window_traces, pick_window, window_layout


def _solar_score(r: Run, p: int) -> tuple[np.ndarray, bool] | None:
    """Available solar (generation + curtailment, all zones) per step; else all variable renewables."""
    ds = r.ds
    if "generation" not in ds:
        return None
    avail = ds["generation"].sel(period=p).sum("zone")
    if "curtailment" in ds:
        avail = avail + ds["curtailment"].sel(period=p).sum("zone")
    solar = [t for t in tech_labels(r) if is_solar(r, t)]
    techs, solar_only = (solar, True) if solar else ([t for t in tech_labels(r) if is_variable(r, t)], False)
    if not techs:
        return None
    score = as_array(avail.sel(tech=techs).sum("tech"), ds.sizes["time"])
    return (score, solar_only) if float(score.sum()) > TOL else None


def fig_dispatch(r: Run, which: str) -> go.Figure | None:
    """Hourly dispatch stack of one week ('peak' or 'solar'), a menu of period x zone views.

    Supply (generation, imports, inflow from zones, storage discharge, DR, unserved) is stacked
    above zero; storage charging, DR payback, outflow and corridor losses below; the line is load.
    None without hourly results (e.g. a sweep file without its time steps)."""
    lang = r.lang
    if "time" not in r.ds.dims or "demand" not in r.ds or "weight" not in r.ds:
        return None
    views = [(p, z) for p in reversed(r.periods) for z in [None, *(r.zones if len(r.zones) > 1 else [])]]
    windows: dict[int, Window] = {}
    title = text("dispatch_peak", lang)
    for p in r.periods:
        label = f"{p} · {text('all_zones', lang)}"
        if which == "peak":
            score = (
                as_array(r.ds["demand"].sel(period=p).sum("zone"), r.ds.sizes["time"])
                if "demand" in r.ds
                else np.zeros(r.ds.sizes["time"])
            )
            windows[p] = pick_window(r, score, "peak", label)
        else:
            got = _solar_score(r, p)
            if got is None:
                return None
            score, solar_only = got
            title = text("dispatch_solar" if solar_only else "dispatch_vre", lang)
            windows[p] = pick_window(r, score, "sum", label)
    all_series = {(p, z): dispatch_series(r, p, z) for p, z in views}
    largest = max(float(np.max(np.abs(v[3]))) for s in all_series.values() for v in s) if all_series else 1.0
    size, unit = scale("power", largest, lang)
    fig = go.Figure()
    spans: list[tuple[int, int]] = []
    for i, (p, z) in enumerate(views):
        start = len(fig.data)
        add_window_traces(fig, all_series[(p, z)], windows[p], unit, size, visible=(i == 0))
        spans.append((start, len(fig.data)))
    buttons = []
    for i, (p, z) in enumerate(views):
        vis = [spans[i][0] <= k < spans[i][1] for k in range(len(fig.data))]
        w = windows[p]
        zone_label = text("all_zones", lang) if z is None else r.names.zone(z)
        sub = w.subtitle.replace(f"{p} · {text('all_zones', lang)}", f"{p} · {zone_label}")
        buttons.append(
            {
                "label": f"{p} · {zone_label}",
                "method": "update",
                "args": [{"visible": vis}, window_layout(w, sub, title)],
            }
        )
    w0 = windows[views[0][0]]
    sub0 = w0.subtitle
    fig.update_layout(**window_layout(w0, sub0, title, flat=False))
    if len(buttons) > 1:
        fig.update_layout(updatemenus=menu(buttons))
    fig.update_yaxes(title_text=axis("power_axis", unit, lang))
    layout(fig, title, sub0, height=540)
    fig.update_layout(hovermode="x unified", xaxis={"unifiedhovertitle": {"text": " "}})
    return fig


def cmp_dispatch(runs: list[Run], labels: list[str]) -> go.Figure | None:
    """Peak-load week of the last common period, all zones, one panel per run (shared y axis)."""
    lang = runs[0].lang
    common = sorted(set.intersection(*[set(r.periods) for r in runs]))
    if not common or not all("demand" in r.ds and "weight" in r.ds for r in runs):
        return None
    p = common[-1]
    ncol = min(len(runs), 2)
    nrow = -(-len(runs) // ncol)
    fig = make_subplots(
        rows=nrow,
        cols=ncol,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.14,
        subplot_titles=[r.label for r in runs],
    )
    series = [dispatch_series(r, p, None) for r in runs]
    largest = max(float(np.max(np.abs(v[3]))) for s in series for v in s)
    size, unit = scale("power", largest, lang)
    seen: set[str] = set()
    for i, r in enumerate(runs):
        score = as_array(r.ds["demand"].sel(period=p).sum("zone"), r.ds.sizes["time"])
        w = pick_window(r, score, "peak", f"{p} · {text('all_zones', lang)}")
        row, col = i // ncol + 1, i % ncol + 1
        start = len(fig.data)
        add_window_traces(fig, series[i], w, unit, size, visible=True, row=row, col=col)
        for tr in fig.data[start:]:
            tr.showlegend = tr.name not in seen
            seen.add(tr.name)
            tr.stackgroup = f"{tr.stackgroup}{i}" if tr.stackgroup else None
        fig.update_xaxes(tickvals=[t for t, _ in w.ticks], ticktext=[s for _, s in w.ticks], row=row, col=col)
        if col == 1:
            fig.update_yaxes(title_text=axis("power_axis", unit, lang), row=row, col=col)
    return layout(
        fig, text("cmp_dispatch", lang, period=p), text("cmp_sub", lang), height=420 * nrow + 140, top=124
    )


def fig_dispatch_peak(r: Run) -> go.Figure | None:
    """The week of peak load (all zones) of each period."""
    return fig_dispatch(r, "peak")


def fig_dispatch_solar(r: Run) -> go.Figure | None:
    """The week of most available solar (else of variable renewables) of each period."""
    return fig_dispatch(r, "solar")
