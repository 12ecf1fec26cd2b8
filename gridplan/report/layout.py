"""Shared look of the report's figures: the plotly layout, menus, hover texts, category axes, units.

`layout` gives every figure the same template, font (FONT_STACK, a CJK-capable subset embedded by
report.html), title with subtitle and margins, and makes it tall enough for its legend.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from gridplan.report.html import FONT_STACK
from gridplan.report.i18n import SCALES, scale

LEGEND_ROW_PX = 21  # height of one entry of a vertical plotly legend at font size 13


def legend_entries(fig: go.Figure) -> int:
    """Legend entries of the largest view: distinct (legend group, name) of traces shown in the legend."""
    shown = {
        (tr.legendgroup, tr.name)
        for tr in fig.data
        if tr.showlegend is not False and tr.name and fig.layout.showlegend is not False
    }
    return len(shown)


def layout(
    fig: go.Figure, title: str, subtitle: str = "", height: int = 480, top: int = 96, bottom: int = 60
) -> go.Figure:
    """Shared look: white template, the CJK-capable font, title with subtitle, margins, plain
    numbers on the axes (no SI prefixes such as '150f'); tall enough for every legend entry."""
    height = max(height, top + bottom + 10 + LEGEND_ROW_PX * legend_entries(fig))
    fig.update_layout(
        template="plotly_white",
        height=height,
        title={"text": title, "subtitle": {"text": subtitle}, "x": 0.01, "xanchor": "left"},
        font={"family": FONT_STACK, "size": 13},
        margin={"t": top, "l": 70, "r": 20, "b": bottom},
        legend={"traceorder": "normal"},
        hoverlabel={"font": {"family": FONT_STACK}},
    )
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def menu(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A drop-down menu at the top right of the plot area (empty for a single choice)."""
    if len(buttons) < 2:
        return []
    return [
        {
            "buttons": buttons,
            "direction": "down",
            "x": 1.0,
            "xanchor": "right",
            "y": 1.01,
            "yanchor": "bottom",
            "showactive": True,
            "pad": {"r": 0, "t": 0},
        }
    ]


def hover_template(name: str, unit: str, fmt: str = ",.1f") -> str:
    """Hover text of a trace: 'name: y unit', no trace box."""
    return f"{name}: %{{y:{fmt}}} {unit}<extra></extra>"


def multi_x(groups: list[str], periods: list[int]) -> list[list[str]]:
    """Two-level category axis: group (zone or scenario) then period."""
    return [[g for g in groups for _ in periods], [str(p) for _ in groups for p in periods]]


def group_period_axis(groups: list[tuple[str, Any]]) -> tuple[list[int], Any]:
    """The periods of all groups (runs) and the bar positions: group then period when there are
    several groups, the periods alone otherwise."""
    periods = sorted({p for _, r in groups for p in r.periods})
    x = multi_x([g for g, _ in groups], periods) if len(groups) > 1 else [str(p) for p in periods]
    return periods, x


def unit_label(quantity: str, size: float, lang: str) -> str:
    """Label of the unit of `quantity` whose size is `size`."""
    for lab, s in SCALES[quantity][lang if lang == "zh" else "en"]:
        if s == size:
            return lab
    return ""


def money(v: float, lang: str) -> str:
    """An amount of CNY in the unit its size calls for (bn CNY, 亿元)."""
    size, unit = scale("money", abs(v), lang)
    return f"{v / size:,.3f} {unit}"
