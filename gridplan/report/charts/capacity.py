"""Installed capacity: existing and new, stacked by technology and storage type, by period and zone (one run) or run (a comparison)."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import hover_template, layout, multi_x, unit_label
from gridplan.report.run import (
    TOL,
    Run,
)
from gridplan.report.series import capacity_items


def fig_capacity(r: Run) -> go.Figure:
    """Installed capacity by period and zone (all zones first), existing vs new."""
    groups: list[tuple[str, Run, str | None]] = [(text("all_zones", r.lang), r, None)]
    if len(r.zones) > 1:
        groups += [(r.names.zone(z), r, z) for z in r.zones]
    fig = go.Figure()
    fig.update_layout(barmode="relative")
    size = stacked_capacity(fig, groups, r.lang)
    unit = unit_label("power", size, r.lang)
    fig.update_yaxes(title_text=axis("capacity_axis", unit, r.lang))
    return layout(fig, text("capacity", r.lang), text("capacity_sub", r.lang), height=520)


def stacked_capacity(
    fig: go.Figure,
    groups: list[tuple[str, Run, str | None]],
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> float:
    """Stacked capacity bars, one slot per (group, period); returns the unit size used."""
    periods = sorted({p for _, r, _ in groups for p in r.periods})
    x = multi_x([g for g, _, _ in groups], periods)
    n = len(x[0])
    series: dict[str, dict[str, Any]] = {}
    totals = np.zeros(n)
    for gi, (_, r, zone) in enumerate(groups):
        for key, name, colour, ex, new in capacity_items(r):
            s = series.setdefault(
                key, {"name": name, "colour": colour, "ex": np.zeros(n), "new": np.zeros(n)}
            )
            for pi, p in enumerate(periods):
                if p not in r.periods:
                    continue
                i = r.periods.index(p)
                e = ex[i].sum() if zone is None else ex[i, r.zones.index(zone)]
                nw = new[i].sum() if zone is None else new[i, r.zones.index(zone)]
                s["ex"][gi * len(periods) + pi] = e
                s["new"][gi * len(periods) + pi] = nw
    for s in series.values():
        totals += s["ex"] + s["new"]
    size, unit = scale("power", float(totals.max()) if n else 0.0, lang)
    for key, s in series.items():
        has_ex = bool(np.any(s["ex"] > TOL))
        for part, vals, pattern in (("existing", s["ex"], ""), ("new", s["new"], "/")):
            if not np.any(vals > TOL):
                continue
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=vals / size,
                    name=s["name"],
                    legendgroup=key,
                    marker_color=s["colour"],
                    marker_pattern={"shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff", "size": 6},
                    showlegend=(part == "existing") or not has_ex,
                    hovertemplate=hover_template(f"{s['name']} ({text(part, lang)})", unit),
                ),
                row=row,
                col=col,
            )
    return size


def cmp_capacity(runs: list[Run], labels: list[str]) -> go.Figure:
    """Installed capacity of each run, existing vs new, by period."""
    lang = runs[0].lang
    fig = go.Figure()
    fig.update_layout(barmode="relative")
    size = stacked_capacity(fig, [(r.label, r, None) for r in runs], lang)
    fig.update_yaxes(title_text=axis("capacity_axis", unit_label("power", size, lang), lang))
    return layout(fig, text("cmp_capacity", lang), text("capacity_sub", lang), height=520)
