"""Windows of hourly charts: up to a week of steps in calendar order, with date ticks.

A full-year run shows WEEK consecutive hours; representative days are shown as consecutive blocks
(each labelled with its date and weight, separated by dotted lines). Used by the dispatch charts
(the week of peak load or of most solar) and the storage chart (`chronology`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from gridplan.report.i18n import date_label, text
from gridplan.report.run import TOL, Run

WEEK = 168  # hours in a dispatch window


@dataclass
class Window:
    """The steps a window shows, its date ticks, block separators, subtitle and hover labels."""

    steps: np.ndarray  # indices into `time`, in display order
    ticks: list[tuple[int, str]]  # (position, label)
    separators: list[int]  # positions where a non-adjacent block starts
    subtitle: str
    hover: list[str]  # label of every shown step


def chronology(ds: xr.Dataset) -> tuple[list[np.ndarray], int]:
    """Blocks of steps in calendar order of their first hour, and the block length."""
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    block = ds["block"].values.astype(int) if "block" in ds else np.zeros(ds.sizes["time"], dtype=int)
    blocks = [np.flatnonzero(block == b) for b in np.unique(block)]
    blocks.sort(key=lambda idx: int(hour[idx[0]]))
    return blocks, max(len(b) for b in blocks)


def pick_window(r: Run, score: np.ndarray, mode: str, view: str) -> Window:
    """Up to WEEK steps around the step of highest score (mode 'peak') or of highest total score
    over a week (mode 'sum'), in calendar order."""
    ds, lang = r.ds, r.lang
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    weight = ds["weight"].values
    blocks, L = chronology(ds)
    if L >= WEEK:
        best, start = -np.inf, (0, 0)
        for bi, idx in enumerate(blocks):
            if len(idx) <= WEEK:
                cands = [0]
            elif mode == "peak":
                p = int(np.argmax(score[idx]))
                cands = [int(np.clip(p - p % 24 - 72, 0, len(idx) - WEEK))]
            else:
                cands = list(range(0, len(idx) - WEEK + 1, 24))
            for c in cands:
                seg = score[idx[c : c + WEEK]]
                val = float(seg.max() if mode == "peak" else seg.sum())
                if val > best:
                    best, start = val, (bi, c)
        bi, c = start
        steps = blocks[bi][c : c + WEEK]
        ticks = [(i, date_label(hour[s], lang)) for i, s in enumerate(steps) if hour[s] % 24 == 0]
        key = "week_full" if len(blocks) == 1 else "week_inside"
        sub = text(
            key, lang, view=view, date=date_label(hour[steps[0] if len(blocks) == 1 else blocks[bi][0]], lang)
        )
        seps: list[int] = []
    else:
        k = max(1, min(WEEK // L, len(blocks)))
        if mode == "peak":
            top = int(np.argmax(score))
            bi = next(i for i, idx in enumerate(blocks) if top in idx)
            s0 = int(np.clip(bi - k // 2, 0, len(blocks) - k))
        else:
            sums = [
                sum(float(score[idx].sum()) for idx in blocks[i : i + k]) for i in range(len(blocks) - k + 1)
            ]
            s0 = int(np.argmax(sums))
        chosen = blocks[s0 : s0 + k]
        steps = np.concatenate(chosen)
        ticks, seps, pos = [], [], 0
        for idx in chosen:
            ticks.append((pos, f"{date_label(hour[idx[0]], lang)} ×{weight[idx[0]]:g}"))
            if pos:
                seps.append(pos)
            pos += len(idx)
        sub = text(
            "week_blocks",
            lang,
            view=view,
            date=date_label(hour[chosen[0][0]], lang),
            end=date_label(hour[chosen[-1][0]], lang),
        )
    hover = [f"{date_label(hour[s], lang)} {hour[s] % 24:02d}:00" for s in steps]
    if mode == "peak":
        top = int(steps[int(np.argmax(score[steps]))])
        sub += text("peak_at", lang, date=hover[list(steps).index(top)])
    return Window(np.asarray(steps), ticks, seps, sub, hover)


def add_window_traces(
    fig: go.Figure,
    series: list[tuple[str, str, str, np.ndarray, str]],
    w: Window,
    unit: str,
    size: float,
    visible: bool,
    legend: bool = True,
    row: int | None = None,
    col: int | None = None,
) -> int:
    """Add the window of each series: stacked areas (stepped: each value holds for its hour), then the
    load line on top, ranked first in legend and hover (its hover row names the hour); all-zero series
    are left out."""
    x = np.arange(len(w.steps))
    count = 0
    ordered = [s for s in series if s[4] != "line"] + [s for s in series if s[4] == "line"]
    for key, name, colour, vals, stack in ordered:
        y = vals[w.steps] / size
        if stack != "line" and not np.any(np.abs(y) > TOL):
            continue
        common = {
            "x": x,
            "y": y.astype(np.float32),
            "name": name,
            "legendgroup": key,
            "visible": visible,
            "showlegend": legend,
        }
        if stack == "line":
            fig.add_trace(
                go.Scatter(
                    **common,
                    mode="lines",
                    line={"color": colour, "width": 2.2, "shape": "hv"},
                    customdata=w.hover,
                    legendrank=1,
                    hovertemplate=f"<b>%{{customdata}}</b> · {name}: %{{y:,.1f}} {unit}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        else:
            fig.add_trace(
                go.Scatter(
                    **common,
                    mode="lines",
                    stackgroup=stack,
                    line={"width": 0, "shape": "hv"},
                    fillcolor=colour,
                    hovertemplate=f"{name}: %{{y:,.1f}} {unit}<extra></extra>",
                ),
                row=row,
                col=col,
            )
        count += 1
    return count


def window_layout(w: Window, subtitle: str, title: str, flat: bool = True) -> dict[str, Any]:
    """Ticks, separators and subtitle of a window, as a layout update (flat keys for menus)."""
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": s - 0.5,
            "x1": s - 0.5,
            "y0": 0,
            "y1": 1,
            "line": {"color": "#888", "width": 1, "dash": "dot"},
        }
        for s in w.separators
    ]
    tickvals = [t for t, _ in w.ticks]
    ticktext = [s for _, s in w.ticks]
    if flat:
        return {
            "xaxis.tickvals": tickvals,
            "xaxis.ticktext": ticktext,
            "shapes": shapes,
            "title.subtitle.text": subtitle,
            "xaxis.range": [-0.5, len(w.steps) - 0.5],
        }
    return {
        "xaxis": {"tickvals": tickvals, "ticktext": ticktext, "range": [-0.5, len(w.steps) - 0.5]},
        "shapes": shapes,
        "title": {"text": title, "subtitle": {"text": subtitle}},
    }
