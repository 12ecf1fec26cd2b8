"""Capacity difference of each run of a comparison from the first, by technology and period."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import hover_template, layout, multi_x
from gridplan.report.run import (
    TOL,
    Run,
)
from gridplan.report.series import capacity_items


def cmp_capacity_diff(runs: list[Run], labels: list[str]) -> go.Figure | None:
    """Installed capacity of each run minus that of the first, by technology and period [MW]."""
    lang = runs[0].lang
    if len(runs) < 2:
        return None
    ref = runs[0]
    periods = sorted({p for r in runs for p in r.periods})
    x = multi_x([r.label for r in runs[1:]], periods)
    n = len(x[0])

    def totals(r: Run) -> dict[str, tuple[str, str, np.ndarray]]:
        out = {}
        for key, name, colour, ex, new in capacity_items(r):
            v = np.zeros(len(periods))
            for i, p in enumerate(r.periods):
                v[periods.index(p)] = (ex + new)[i].sum()
            out[key] = (name, colour, v)
        return out

    base = totals(ref)
    diffs: dict[str, tuple[str, str, np.ndarray]] = {}
    for gi, r in enumerate(runs[1:]):
        cur = totals(r)
        for key in set(base) | set(cur):
            name, colour, _ = cur.get(key) or base[key]
            d = diffs.setdefault(key, (name, colour, np.zeros(n)))[2]
            d[gi * len(periods) : (gi + 1) * len(periods)] = (cur[key][2] if key in cur else 0.0) - (
                base[key][2] if key in base else 0.0
            )
    largest = max([float(np.max(np.abs(v[2]))) for v in diffs.values()] + [0.0])
    size, unit = scale("power", largest, lang)
    fig = go.Figure()
    for _key, (name, colour, v) in diffs.items():
        if np.any(np.abs(v) > TOL):
            fig.add_trace(
                go.Bar(
                    x=x, y=v / size, name=name, marker_color=colour, hovertemplate=hover_template(name, unit)
                )
            )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang))
    return layout(fig, text("cmp_capacity_diff", lang, ref=ref.label), text("cmp_sub", lang))
