"""Firm capacity against the planning reserve margin's requirement (规划备用率, 顶峰能力), by period.

Stacked bars: each credited resource's firm capacity (credit x capacity in service, results
`firm_capacity`); red markers: the requirement (1 + margin) x peak load (`firm_requirement`); black
markers: the peak load itself (`firm_peak_load`). One slot per (reserve-margin target, period) in a
run's report, per (run, period) in a comparison. A comparison's run without the target (disabled)
has no bars; its firm capacity in the target table is computed by `margin_achieved` (registered
in report/tables.ACHIEVED).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from gridplan.report import i18n
from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import hover_template, layout, multi_x
from gridplan.report.run import SPECIAL, TOL, Run, dim_labels, variable
from gridplan.report.tables import ACHIEVED, _members, _total

i18n.add_texts(
    {
        "firm": ("Firm capacity against the reserve-margin requirement", "有效容量与规划备用要求"),
        "firm_sub": (
            "credit × capacity in service, by resource; requirement = (1 + margin) × peak load of the "
            "full-year demand before demand response",
            "按资源：容量置信度 × 在运装机；要求 = (1 + 备用率) × 全年需求最大负荷（需求响应前）",
        ),
        "cmp_firm": ("Firm capacity against the reserve-margin requirement", "有效容量与规划备用要求对比"),
        "firm_requirement": ("requirement", "备用要求"),
        "firm_peak": ("peak load", "最大负荷"),
        "firm_axis": ("firm capacity", "有效容量"),
    }
)

Group = tuple[str, Run, str]  # (slot label, run, reserve-margin target)


def _resource_name(r: Run, key: str) -> tuple[str, str]:
    """Display name and colour of a resource (technology, storage, DR or import channel)."""
    if key in dim_labels(r, "storage"):
        return r.names.storage(key), r.colour(key, "storage")
    if key in dim_labels(r, "dr"):
        return r.names.dr(key), r.colour(f"dr:{key}")
    if key in dim_labels(r, "channel"):
        return r.names.channel(key), SPECIAL["imports"]
    return r.names.tech(key), r.colour(key)


def firm_figure(groups: list[Group], lang: str, title: str, sub: str) -> go.Figure | None:
    """Stacked firm capacity by resource and the requirement, one slot per (group, period)."""
    if not groups:
        return None
    periods = sorted({p for _, r, _ in groups for p in r.periods})
    x = multi_x([g for g, _, _ in groups], periods) if len(groups) > 1 else [str(p) for p in periods]
    n = len(groups) * len(periods)
    bars: dict[str, dict[str, Any]] = {}
    req, peak = np.full(n, np.nan), np.full(n, np.nan)
    for gi, (_, r, k) in enumerate(groups):
        fc = r.ds["firm_capacity"].sel(reserve_margin=k)
        for pi, p in enumerate(periods):
            if p not in r.periods:
                continue
            i = gi * len(periods) + pi
            req[i] = float(r.ds["firm_requirement"].sel(reserve_margin=k, period=p))
            peak[i] = float(r.ds["firm_peak_load"].sel(reserve_margin=k, period=p))
            for res in dim_labels(r, "resource"):
                v = float(np.nan_to_num(fc.sel(period=p, resource=res)))
                if abs(v) > TOL:
                    name, colour = _resource_name(r, res)
                    bars.setdefault(res, {"name": name, "colour": colour, "y": np.zeros(n)})["y"][i] = v
    if not bars and not np.isfinite(req).any():
        return None
    totals = sum((b["y"] for b in bars.values()), np.zeros(n))
    largest = max(
        float(np.nanmax(totals)) if n else 0.0, float(np.nanmax(req)) if np.isfinite(req).any() else 0.0
    )
    size, unit = scale("power", largest, lang)
    fig = go.Figure()
    for b in bars.values():
        fig.add_trace(
            go.Bar(
                x=x,
                y=b["y"] / size,
                name=b["name"],
                marker_color=b["colour"],
                hovertemplate=hover_template(b["name"], unit, ",.3g"),
            )
        )
    for key, values, colour in (("firm_requirement", req, "#c1121f"), ("firm_peak", peak, "#111111")):
        name = text(key, lang)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=values / size,
                name=name,
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 34, "line": {"width": 3, "color": colour}},
                hovertemplate=hover_template(name, unit, ",.3g"),
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=axis("firm_axis", unit, lang), rangemode="tozero")
    if len(groups) == 1:
        fig.update_xaxes(type="category", title_text=text("period", lang))
    return layout(fig, title, sub, height=520)


def _targets(r: Run) -> list[str]:
    return dim_labels(r, "reserve_margin") if "firm_capacity" in r.ds else []


def fig_firm(r: Run) -> go.Figure | None:
    """Firm capacity by resource against the requirement of each reserve-margin target, by period."""
    names = _targets(r)
    groups = [(r.names.target(k), r, k) for k in names]
    return firm_figure(groups, r.lang, text("firm", r.lang), text("firm_sub", r.lang))


def cmp_firm(runs: list[Run], labels: list[str]) -> go.Figure | None:
    """The same for each run of a comparison (a run's every reserve-margin target)."""
    lang = runs[0].lang
    groups: list[Group] = []
    for r in runs:
        names = _targets(r)
        groups += [(r.label if len(names) == 1 else f"{r.label} {k}", r, k) for k in names]
    return firm_figure(groups, lang, text("cmp_firm", lang), text("firm_sub", lang))


def margin_achieved(r: Run, tg: dict[str, Any], p: int) -> float:
    """Firm capacity [MW] a run without the target would count: credit x capacity of each credited
    technology, DR resource and channel (in the zone), storage at min(credit x power,
    eff_discharge x energy / storage_hours); direct names before groups (gridplan/case/margin.py)."""
    credits: dict[str, Any] = dict(tg.get("credits") or {})
    zone, hours = tg.get("zone"), tg.get("storage_hours", 4.0)
    sc = r.names.sc
    direct = {
        n for sect in ("technologies", "storage", "demand_response", "imports") for n in sc.get(sect) or {}
    }
    per: dict[str, float] = {}
    for first in (True, False):  # direct names first, then the members of groups
        for key, v in credits.items():
            c = v.get(str(p), v.get(p)) if isinstance(v, dict) else v
            if c is None:
                continue
            for n in ({key} & direct) if first else _members(r, [key]):
                per.setdefault(n, float(c))
    total = 0.0
    chans = {str(c): str(z) for c, z in zip(dim_labels(r, "channel"), _channel_zones(r), strict=False)}
    for n, c in per.items():
        if n in dim_labels(r, "storage"):
            pw = _total(r, zone, p, "storage_power", "storage", {n})
            en = _total(r, zone, p, "storage_energy", "storage", {n})
            eff = float(((r.names.sc.get("storage") or {}).get(n) or {}).get("eff_discharge", 0.9))
            total += min(c * pw, eff * en / hours) if hours else c * pw
        elif n in chans:
            if zone is None or chans[n] == zone:
                total += c * _total(r, None, p, "import_capacity", "channel", {n})
        elif n in dim_labels(r, "dr"):
            total += c * _total(r, zone, p, "dr_capacity", "dr", {n})
        else:
            total += c * _total(r, zone, p, "capacity", "tech", {n})
    return total


def _channel_zones(r: Run) -> list[str]:
    cz = variable(r.ds, "channel_zone")
    return [str(z) for z in cz.values] if cz is not None else []


ACHIEVED["reserve_margin"] = margin_achieved
