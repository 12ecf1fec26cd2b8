"""State of charge of the storage types: daily range of a full year, or the representative days in calendar order."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gridplan.report.i18n import axis, date_label, scale, text
from gridplan.report.layout import hover_template, layout, menu
from gridplan.report.run import (
    TOL,
    Run,
    as_array,
    dim_labels,
    lighten,
    variable,
)
from gridplan.report.window import chronology


def _daily(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily minimum, mean and maximum of an hourly year."""
    days = values[: len(values) // 24 * 24].reshape(-1, 24)
    return days.min(axis=1), days.mean(axis=1), days.max(axis=1)


def fig_storage(r: Run) -> go.Figure | None:
    """State of charge [MWh] by storage type, all zones, a menu of periods.

    Full year: daily min/mean/max. Representative days: the days in calendar order (cyclic storage)
    and, for linked storage, its year-long state (storage_soc_year) as a daily range."""
    ds, lang = r.ds, r.lang
    S = dim_labels(r, "storage")
    if not S or "storage_soc" not in ds or "weight" not in ds:
        return None
    blocks, _ = chronology(ds)
    yearly = len(blocks) == 1 and ds.sizes["time"] >= 24 * 7
    soc_year = variable(ds, "storage_soc_year")
    linked = [s for s in S if soc_year is not None and float(abs(soc_year.sel(storage=s)).sum()) > TOL]
    soc = ds["storage_soc"]
    largest = float(soc.sum("zone").max()) if soc.size else 0.0
    if soc_year is not None and soc_year.size:
        largest = max(largest, float(soc_year.sum("zone").max()))
    if largest <= TOL:
        return None
    size, unit = scale("energy", largest, lang)
    two = bool(linked) and not yearly
    fig = make_subplots(
        rows=2 if two else 1,
        cols=1,
        vertical_spacing=0.22,
        subplot_titles=[text("cyclic_days", lang), text("linked_year", lang)] if two else None,
    )
    spans = []
    steps = np.concatenate(blocks)
    for pi, p in enumerate(reversed(r.periods)):
        start = len(fig.data)
        _period_traces(fig, r, p, pi == 0, steps, linked, (yearly, two), (size, unit))
        spans.append((start, len(fig.data)))
    if len(r.periods) > 1:
        buttons = [
            {
                "label": str(p),
                "method": "update",
                "args": [{"visible": [spans[i][0] <= k < spans[i][1] for k in range(len(fig.data))]}],
            }
            for i, p in enumerate(reversed(r.periods))
        ]
        fig.update_layout(updatemenus=menu(buttons))
    sub = _storage_axes(fig, r, blocks, yearly, two)
    for row in range(1, 3 if two else 2):
        fig.update_yaxes(title_text=axis("soc_axis", unit, lang), rangemode="tozero", row=row, col=1)
    return layout(
        fig,
        text("storage", lang),
        sub,
        height=640 if two else 460,
        top=124 if two else 96,
    )


def _period_traces(
    fig: go.Figure,
    r: Run,
    p: int,
    vis: bool,
    steps: np.ndarray,
    linked: list[str],
    shape: tuple[bool, bool],
    display: tuple[float, str],
) -> None:
    """The state-of-charge traces of period p: a daily band per storage type (full year), else a line
    over the representative days and, for linked storage in a second panel, its year-long band.
    shape: (yearly, two panels); display: (unit size, unit label)."""
    soc, soc_year = r.ds["storage_soc"], variable(r.ds, "storage_soc_year")
    (yearly, two), (size, unit) = shape, display
    for s in dim_labels(r, "storage"):
        colour = r.colour(s, "storage")
        name = r.names.storage(s)
        if float(abs(soc.sel(storage=s)).sum()) <= TOL and s not in linked:
            continue  # nothing stored in any period: no line
        if yearly:
            days = np.arange(1, 366)
            lo, mean, hi = _daily(as_array(soc.sel(period=p, storage=s).sum("zone"), 0)[steps])
            _band(fig, days[: len(lo)], lo / size, mean / size, hi / size, name, colour, unit, vis, s)
            continue
        if s not in linked or not two:
            y = as_array(soc.sel(period=p, storage=s).sum("zone"), 0)[steps] / size
            fig.add_trace(
                go.Scatter(
                    x=np.arange(len(steps)),
                    y=y.astype(np.float32),
                    name=name,
                    legendgroup=s,
                    visible=vis,
                    line={"color": colour, "width": 2},
                    hovertemplate=hover_template(name, unit),
                ),
                row=1,
                col=1,
            )
        if two and s in linked and soc_year is not None:
            lo, mean, hi = _daily(as_array(soc_year.sel(period=p, storage=s).sum("zone"), 0))
            _band(
                fig,
                np.arange(1, len(lo) + 1),
                lo / size,
                mean / size,
                hi / size,
                name,
                colour,
                unit,
                vis,
                s,
                row=2,
            )


def _storage_axes(fig: go.Figure, r: Run, blocks: list[np.ndarray], yearly: bool, two: bool) -> str:
    """Day-of-year axis (full year, linked panel) or the representative days' dates; returns the subtitle."""
    ds, lang = r.ds, r.lang
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    weight = ds["weight"].values
    if yearly:
        fig.update_xaxes(title_text=axis("day_of_year", "d" if lang == "en" else "日", lang))
        sub = text("soc_year", lang)
    else:
        pos, tv, tt = 0, [], []
        for idx in blocks:
            tv.append(pos)
            tt.append(f"{date_label(hour[idx[0]], lang)} ×{weight[idx[0]]:g}")
            pos += len(idx)
        fig.update_xaxes(tickvals=tv, ticktext=tt, row=1, col=1)
        sub = text("soc_blocks", lang)
        if two:
            fig.update_xaxes(
                title_text=axis("day_of_year", "d" if lang == "en" else "日", lang), row=2, col=1
            )
    return sub


def _band(
    fig: go.Figure,
    x: np.ndarray,
    lo: np.ndarray,
    mean: np.ndarray,
    hi: np.ndarray,
    name: str,
    colour: str,
    unit: str,
    visible: bool,
    group: str,
    row: int = 1,
) -> None:
    """A min-max band with a mean line."""
    edge = {"mode": "lines", "line": {"width": 0, "color": colour}}
    hidden = {"showlegend": False, "legendgroup": group, "visible": visible, "hoverinfo": "skip"}
    fig.add_trace(go.Scatter(x=x, y=lo.astype(np.float32), **edge, **hidden), row=row, col=1)
    fill = {"fill": "tonexty", "fillcolor": lighten(colour, 0.55)}
    fig.add_trace(go.Scatter(x=x, y=hi.astype(np.float32), **edge, **fill, **hidden), row=row, col=1)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=mean.astype(np.float32),
            mode="lines",
            name=name,
            legendgroup=group,
            visible=visible,
            line={"color": colour, "width": 1.6},
            hovertemplate=hover_template(name, unit),
        ),
        row=row,
        col=1,
    )
