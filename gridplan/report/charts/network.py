"""The network map: zones, corridors with their capacity and net annual flow, import channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from gridplan.report.i18n import per_year, scale, text
from gridplan.report.layout import layout, menu
from gridplan.report.run import (
    SPECIAL,
    TOL,
    Run,
    annual,
    as_array,
    dim_labels,
)


def _positions(r: Run) -> dict[str, tuple[float, float]]:
    """Zone positions in a unit box: longitude/latitude from the scenario (each axis scaled to
    0..1, a schematic) when all zones have them, else a circle."""
    pos = {z: r.names.zone_position(z) for z in r.zones}
    if all(v is not None for v in pos.values()) and len(set(pos.values())) == len(pos):
        xy = np.array([v for v in pos.values() if v is not None], dtype=float)
        lo, span = xy.min(axis=0), np.ptp(xy, axis=0)
        unit = np.where(span > 0, (xy - lo) / np.where(span > 0, span, 1.0), 0.5)
        return {z: (float(u[0]), float(u[1])) for z, u in zip(pos, unit, strict=True)}
    n = len(r.zones)
    ang = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    return {
        z: (0.5 + 0.5 * float(np.cos(a)), 0.5 + 0.5 * float(np.sin(a)))
        for z, a in zip(r.zones, ang, strict=True)
    }


def fig_network(r: Run) -> go.Figure | None:
    """Zones (circle area: peak demand) and corridors (width: capacity; arrow: net annual energy sent),
    with import channels drawn from outside; a menu of periods."""
    ds, lang = r.ds, r.lang
    links, chans = dim_labels(r, "link"), dim_labels(r, "channel")
    if len(r.zones) < 2 and not links:
        return None
    pos = _positions(r)
    xs = np.array([v[0] for v in pos.values()])
    ys = np.array([v[1] for v in pos.values()])
    span = max(float(np.ptp(xs)), float(np.ptp(ys)), 1e-6)
    fig = go.Figure()
    spans, annotations = [], []
    e_largest = 1.0
    if "link_flow" in ds and links:
        e_largest = max(e_largest, float(abs(annual(r, ds["link_flow"])).max()))
    if "imports" in ds and chans:
        e_largest = max(e_largest, float(annual(r, ds["imports"]).max()))
    esize, eunit = scale("energy", e_largest, lang)
    psize, punit = scale("power", float(ds["demand"].max()) if "demand" in ds else 1.0, lang)
    units = _Units(esize, per_year(eunit, lang), psize, punit, span)
    for pi, p in enumerate(reversed(r.periods)):
        start, vis, notes = len(fig.data), pi == 0, []
        notes += _corridor_traces(fig, r, p, vis, pos, units)
        notes += _channel_traces(fig, r, p, vis, pos, units)
        _zone_trace(fig, r, p, vis, pos, units)
        spans.append((start, len(fig.data)))
        annotations.append(notes)
    periods = list(reversed(r.periods))
    buttons = [
        {
            "label": str(p),
            "method": "update",
            "args": [
                {"visible": [spans[i][0] <= k < spans[i][1] for k in range(len(fig.data))]},
                {"annotations": annotations[i], "title.subtitle.text": text("network_sub", lang, period=p)},
            ],
        }
        for i, p in enumerate(periods)
    ]
    fig.update_layout(annotations=annotations[0], showlegend=False)
    if len(buttons) > 1:
        fig.update_layout(updatemenus=menu(buttons))
    fig.update_xaxes(visible=False, range=[-0.5, 1.5])
    fig.update_yaxes(visible=False, range=[-0.45, 1.45])
    return layout(fig, text("network", lang), text("network_sub", lang, period=periods[0]), height=620)


@dataclass(frozen=True)
class _Units:
    """Display units of the map: energy [MWh/yr] and power [MW] sizes and labels, and the span of
    the zone positions (distance of the channel markers)."""

    energy_size: float
    energy: str
    power_size: float
    power: str
    span: float


def _corridor_traces(
    fig: go.Figure, r: Run, p: int, vis: bool, pos: dict[str, tuple[float, float]], units: _Units
) -> list[dict[str, Any]]:
    """One line per corridor (width: capacity), and the annotations of its net annual flow (arrow, label)."""
    ds, lang = r.ds, r.lang
    esize, eunit, psize, punit = units.energy_size, units.energy, units.power_size, units.power
    links = dim_labels(r, "link")
    notes: list[dict[str, Any]] = []
    caps = (
        as_array(ds["link_capacity"].sel(period=p), len(links))
        if "link_capacity" in ds
        else np.zeros(len(links))
    )
    cmax = max(float(caps.max()) if len(caps) else 0.0, 1.0)
    for k, ln in enumerate(links):
        a, b = str(ds["link_from"].sel(link=ln).values), str(ds["link_to"].sel(link=ln).values)
        (x0, y0), (x1, y1) = pos[a], pos[b]
        net = float(annual(r, ds["link_flow"].sel(period=p, link=ln))) if "link_flow" in ds else 0.0
        fig.add_trace(
            go.Scatter(
                x=[x0, (x0 + x1) / 2, x1],
                y=[y0, (y0 + y1) / 2, y1],
                mode="lines",
                visible=vis,
                showlegend=False,
                line={"width": 2 + 10 * caps[k] / cmax, "color": "#9aa5b1"},
                hovertemplate=f"{ln} ({a} → {b}): {text('corridor_capacity', lang)} {caps[k] / psize:,.1f} {punit}; "
                f"{net / esize:,.2f} {eunit}<extra></extra>",
            )
        )
        if abs(net) > TOL:
            (sx, sy), (tx, ty) = ((x0, y0), (x1, y1)) if net > 0 else ((x1, y1), (x0, y0))
            notes.append(
                _arrow(
                    sx + 0.3 * (tx - sx),
                    sy + 0.3 * (ty - sy),
                    sx + 0.7 * (tx - sx),
                    sy + 0.7 * (ty - sy),
                    "",
                    "#33415c",
                )
            )
            notes.append(
                {
                    "x": (x0 + x1) / 2,
                    "y": (y0 + y1) / 2,
                    "xref": "x",
                    "yref": "y",
                    "text": f"{abs(net) / esize:,.2f} {eunit}",
                    "showarrow": False,
                    "yshift": 14,
                    "font": {"size": 12, "color": "#33415c"},
                    "bgcolor": "rgba(255,255,255,0.85)",
                }
            )
    return notes


def _channel_traces(
    fig: go.Figure, r: Run, p: int, vis: bool, pos: dict[str, tuple[float, float]], units: _Units
) -> list[dict[str, Any]]:
    """One marker per import channel, outside its zone, with its annual energy; arrows to the zone."""
    ds = r.ds
    esize, eunit = units.energy_size, units.energy
    notes: list[dict[str, Any]] = []
    for c in dim_labels(r, "channel"):
        ox, oy, zx, zy = _channel_position(r, c, pos, units.span)
        e = float(annual(r, ds["imports"].sel(period=p, channel=c))) if "imports" in ds else 0.0
        name = r.names.channel(c)
        label = f"{name}<br>{e / esize:,.2f} {eunit}"
        fig.add_trace(
            go.Scatter(
                x=[ox],
                y=[oy],
                mode="markers+text",
                text=[label],
                textposition="top center",
                marker={"symbol": "square", "size": 14, "color": SPECIAL["imports"]},
                visible=vis,
                showlegend=False,
                hovertemplate=f"{name}: {e / esize:,.2f} {eunit}<extra></extra>",
            )
        )
        notes.append(_arrow(ox, oy, ox + 0.75 * (zx - ox), oy + 0.75 * (zy - oy), "", "#6c757d"))
    return notes


def _zone_trace(
    fig: go.Figure, r: Run, p: int, vis: bool, pos: dict[str, tuple[float, float]], units: _Units
) -> None:
    """The zones as circles (area: peak demand of period p)."""
    ds, lang = r.ds, r.lang
    psize, punit = units.power_size, units.power
    peaks = np.array(
        [float(ds["demand"].sel(period=p, zone=z).max()) if "demand" in ds else 1.0 for z in r.zones]
    )
    sizes = 26 + 34 * np.sqrt(peaks / max(float(peaks.max()), TOL))
    labels = [r.names.zone(z) for z in r.zones]
    fig.add_trace(
        go.Scatter(
            x=[pos[z][0] for z in r.zones],
            y=[pos[z][1] for z in r.zones],
            mode="markers+text",
            text=[f"<b>{lab}</b>" for lab in labels],
            textposition=["top center" if pos[z][1] > 0.5 else "bottom center" for z in r.zones],
            textfont={"size": 14, "color": "#1d3557"},
            visible=vis,
            showlegend=False,
            customdata=peaks / psize,
            marker={"size": sizes, "color": "#a8dadc", "line": {"color": "#1d3557", "width": 1.5}},
            hovertemplate=f"%{{text}}: {text('peak_demand', lang)} %{{customdata:,.1f}} {punit}<extra></extra>",
        )
    )


def _channel_position(
    r: Run, channel: str, pos: dict[str, tuple[float, float]], span: float
) -> tuple[float, float, float, float]:
    """(x, y) of an import channel's marker, outside its zone (away from the centre, channels of one
    zone fanned out), and (x, y) of the zone."""
    ds = r.ds
    zone_of = (
        {str(c): str(z) for c, z in zip(ds["channel"].values, ds["channel_zone"].values, strict=True)}
        if "channel_zone" in ds
        else {}
    )
    z = zone_of.get(channel, r.zones[0])
    same = [c for c in dim_labels(r, "channel") if zone_of.get(c, r.zones[0]) == z]
    zx, zy = pos.get(z, (0.0, 0.0))
    cx = float(np.mean([v[0] for v in pos.values()]))
    cy = float(np.mean([v[1] for v in pos.values()]))
    base = float(np.arctan2(zy - cy, zx - cx)) if (zx, zy) != (cx, cy) else np.pi
    ang = base + 0.75 * (same.index(channel) - (len(same) - 1) / 2)
    return zx + 0.3 * span * np.cos(ang), zy + 0.3 * span * np.sin(ang), zx, zy


def _arrow(x0: float, y0: float, x1: float, y1: float, label: str, colour: str) -> dict[str, Any]:
    return {
        "x": x1,
        "y": y1,
        "ax": x0,
        "ay": y0,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 3,
        "arrowsize": 1.4,
        "arrowwidth": 2,
        "arrowcolor": colour,
        "text": label,
        "font": {"size": 12, "color": colour},
        "bgcolor": "rgba(255,255,255,0.8)",
    }
