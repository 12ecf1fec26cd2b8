"""Retired (提前退役), mothballed (封存/应急备用) and life-extended (延寿) capacity [MW] by cluster
and period (one run) and by run and period (a comparison); the run summary's lines are
gridplan/cli.py's retirement_lines.

The quantities are the results' `retired`, `mothballed` and `life_extended` (lp/retirement.py):
retired is the capacity below the existing schedule, mothballed stands but is out of service,
life-extended is kept beyond the schedule.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from gridplan.report import i18n
from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import hover_template, layout
from gridplan.report.run import TOL, Run, lighten, variable

i18n.add_texts(
    {
        "retirement": (
            "Retired, mothballed and life-extended capacity by cluster and period",
            "分期分机组群提前退役、封存（应急备用）与延寿容量",
        ),
        "retirement_sub": (
            "retired: below the existing schedule; mothballed: standing, no energy or reserve; extended: kept beyond the schedule",
            "退役：低于既有退役计划的容量；封存：保留但不发电、不提供备用；延寿：计划退役后继续运行",
        ),
        "retirement_none": (
            "none: the existing capacity serves as scheduled",
            "无：既有机组按计划运行",
        ),
        "cmp_retirement": ("Retired, mothballed and life-extended capacity", "提前退役、封存与延寿容量对比"),
        "ret_retired": ("retired early", "提前退役"),
        "ret_mothballed": ("mothballed", "封存"),
        "ret_life_extended": ("life-extended", "延寿"),
    }
)
KINDS = ("retired", "mothballed", "life_extended")
PATTERN = {"retired": "", "mothballed": "/", "life_extended": "."}


def _present(ds: xr.Dataset) -> bool:
    return any(k in ds for k in KINDS)


def _values(r: Run, kind: str) -> dict[str, np.ndarray]:
    """{tech: MW by period (all zones)} of one quantity, techs with any non-zero value."""
    da = variable(r.ds, kind)
    if da is None:
        return {}
    out = {}
    for t in [str(x) for x in r.ds["tech"].values]:
        v = np.nan_to_num(da.sel(tech=t).sum("zone").values.astype(float))
        if np.any(np.abs(v) > TOL):
            out[t] = v
    return out


def _bars(fig: go.Figure, groups: list[tuple[str, Run]], lang: str) -> None:
    """Bars stacked by (cluster, quantity). One run: a slot per (period, quantity); several runs:
    a slot per (run, period), the quantities told apart by pattern."""
    periods = sorted({p for _, r in groups for p in r.periods})
    one = len(groups) == 1
    kinds = [k for k in KINDS if any(_values(r, k) for _, r in groups)]
    outer, inner = (periods, kinds) if one else ([g for g, _ in groups], periods)
    x = [
        [str(o) for o in outer for _ in inner],
        [text(f"ret_{i}", lang) if one else str(i) for _ in outer for i in inner],
    ]
    n = len(x[0])
    series: dict[tuple[str, str], tuple[str, str, np.ndarray]] = {}
    for gi, (_, r) in enumerate(groups):
        for kind in kinds:
            for t, v in _values(r, kind).items():
                colour = r.colour(t)
                name = f"{r.names.tech(t)} {text('ret_' + kind, lang)}"
                s = series.setdefault(
                    (t, kind), (name, colour if kind == "retired" else lighten(colour, 0.45), np.zeros(n))
                )
                for i, p in enumerate(r.periods):
                    j = periods.index(p)
                    s[2][j * len(kinds) + kinds.index(kind) if one else gi * len(periods) + j] = v[i]
    totals = sum((s[2] for s in series.values()), np.zeros(n))
    size, unit = scale("power", float(np.max(totals)) if n else 0.0, lang)
    for (_, kind), (name, colour, v) in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=v / size,
                name=name,
                marker={"color": colour, "pattern": {"shape": PATTERN[kind]}},
                hovertemplate=hover_template(name, unit, ",.0f"),
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang))


def fig_retirement(r: Run) -> go.Figure | None:
    """Retired, mothballed and life-extended MW by cluster (stacked per quantity) and period; for
    results with retirement decisions (a plan that keeps everything says so on the chart)."""
    if not _present(r.ds):
        return None
    fig = go.Figure()
    if any(_values(r, k) for k in KINDS):
        _bars(fig, [(r.label, r)], r.lang)
    else:
        fig.add_annotation(
            text=text("retirement_none", r.lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    return layout(fig, text("retirement", r.lang), text("retirement_sub", r.lang))


def cmp_retirement(runs: list[Run], labels: list[str]) -> go.Figure | None:
    """The same quantities of each run side by side, by run and period."""
    del labels
    if not any(_present(r.ds) for r in runs):
        return None
    fig = go.Figure()
    _bars(fig, [(r.label, r) for r in runs], runs[0].lang)
    return layout(fig, text("cmp_retirement", runs[0].lang), text("retirement_sub", runs[0].lang))
