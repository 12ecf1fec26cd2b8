"""The page of near-optimal alternatives (self-contained HTML, the look of the run reports).

Per period with new building, and per slack s (the optimum and every alternative of slack <= s,
all of which cost at most (1 + s) C*):
    range of installed capacity [GW] per technology and storage: min and max over those plans,
    with the optimum's value marked;
    must-build [GW]: the smallest new capacity built by the period (sum of capacity_new, or
    storage_power_new, over periods <= p) in any of those plans, i.e. what every plan builds.
Then the total cost [bn CNY] of each alternative against its cost limit, and a table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from gridplan.atomic import write_text
from gridplan.lp.units import GW
from gridplan.report.html import Item, Table, number, page
from gridplan.report.layout import layout

BN = 1e9  # CNY per bn CNY
COLOURS = ["#264653", "#2a9d8f", "#e9c46a", "#e76f51", "#8e44ad", "#5aa9e6"]


def _fleet(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """(installed, cumulative new) capacity [GW] by alternative, period and item (techs, storage)."""
    cap = ds["capacity"].sum("zone").rename(tech="item")
    new = ds["capacity_new"].sum("zone").rename(tech="item")
    if "storage_power" in ds:
        cap = xr.concat([cap, ds["storage_power"].sum("zone").rename(storage="item")], "item")
        new = xr.concat([new, ds["storage_power_new"].sum("zone").rename(storage="item")], "item")
    return cap / GW, new.cumsum("period") / GW


def _groups(ds: xr.Dataset) -> list[tuple[float, list[str]]]:
    """Per slack: the alternatives within it (the optimum and every alternative of slack <= s)."""
    slack = ds["slack"].values
    ids = [str(a) for a in ds["alternative"].values]
    return [
        (float(s), [a for a, t in zip(ids, slack, strict=True) if t <= s]) for s in sorted(set(slack) - {0.0})
    ]


def _range_figure(cap: xr.DataArray, groups: list[tuple[float, list[str]]], p: int) -> go.Figure:
    c = cap.sel(period=p)
    items = [str(i) for i in c["item"].values if float(c.sel(item=i).max()) > 1e-3]
    fig = go.Figure()
    for k, (s, ids) in enumerate(groups):
        lo = c.sel(alternative=ids, item=items).min("alternative").values
        hi = c.sel(alternative=ids, item=items).max("alternative").values
        fig.add_bar(
            y=items,
            x=hi - lo,
            base=lo,
            orientation="h",
            name=f"within {s:.0%} of the optimum",
            marker_color=COLOURS[k % len(COLOURS)],
            opacity=0.75,
            hovertemplate="%{y}: %{base:,.2f} to %{customdata:,.2f} GW<extra></extra>",
            customdata=hi,
        )
    opt = c.sel(alternative="optimum", item=items).values
    fig.add_scatter(
        y=items,
        x=opt,
        mode="markers",
        name="optimum",
        marker={"symbol": "line-ns-open", "size": 18, "color": "black"},
    )
    title = f"Capacity range across near-optimal plans, {p}"
    sub = "bars: min to max over the plans within the slack"
    return _bars(fig, title, sub, f"installed capacity in {p} [GW]", len(items) * max(1, len(groups)))


def _must_figure(new: xr.DataArray, groups: list[tuple[float, list[str]]], p: int) -> go.Figure:
    n = new.sel(period=p)
    items = [str(i) for i in n["item"].values if float(n.sel(item=i).max()) > 1e-3]
    fig = go.Figure()
    for k, (s, ids) in enumerate(groups):
        fig.add_bar(
            y=items,
            x=n.sel(alternative=ids, item=items).min("alternative").values,
            orientation="h",
            name=f"within {s:.0%}",
            marker_color=COLOURS[k % len(COLOURS)],
        )
    sub = "the least new capacity any plan within the slack builds"
    axis = f"new capacity built by {p} in every plan [GW]"
    return _bars(fig, f"Must-build minimum by {p}", sub, axis, len(items) * max(1, len(groups)))


def _bars(fig: go.Figure, title: str, subtitle: str, axis: str, bars: int) -> go.Figure:
    """Grouped horizontal bars in the reports' look, 30 px per bar."""
    fig.update_layout(barmode="group", xaxis_title=axis)
    return layout(fig, title, subtitle, height=140 + 30 * bars)


def _cost_figure(ds: xr.Dataset) -> go.Figure:
    ids = [str(a) for a in ds["alternative"].values]
    cost = ds["total_cost"].values / BN
    opt = float(ds.attrs["optimum"]) / BN
    fig = go.Figure()
    fig.add_bar(x=ids, y=cost, name="total cost", marker_color=COLOURS[0])
    for s in sorted(set(ds["slack"].values) - {0.0}):
        fig.add_scatter(
            x=ids,
            y=[(1 + s) * opt] * len(ids),
            mode="lines",
            name=f"cost limit at {s:.0%}",
            line={"dash": "dash"},
        )
    lo = min(float(np.nanmin(cost)), opt)
    fig.update_layout(
        xaxis_title="alternative",
        yaxis_title="total cost, present value [bn CNY]",
        yaxis_range=[lo * 0.995, float(np.nanmax(cost)) * 1.005],
    )
    return layout(fig, "Cost of each alternative", f"optimum {number(opt)} bn CNY")


def _table(ds: xr.Dataset) -> Table:
    opt = float(ds.attrs["optimum"])
    rows = [
        [
            str(a),
            str(d),
            str(se),
            f"{float(s):.0%}",
            number(float(c) / BN, 6),
            f"{(float(c) / opt - 1):+.3%}",
            f"{number(float(v))} {u}" if np.isfinite(v) else "",
            (f"{number(float(b))} {u}" if b > 0 else "exact") if np.isfinite(v) else "",
            number(float(t), 3),
        ]
        for a, d, se, s, c, v, u, b, t in zip(
            ds["alternative"].values,
            ds["direction"].values,
            ds["sense"].values,
            ds["slack"].values,
            ds["total_cost"].values,
            ds["direction_value"].values,
            ds["direction_unit"].values,
            ds["direction_bound"].values,
            ds["seconds"].values,
            strict=True,
        )
    ]
    header = [
        "alternative",
        "direction",
        "sense",
        "slack",
        "total cost [bn CNY]",
        "vs optimum",
        "direction value",
        "exact extreme within",
        "time [s]",
    ]
    return Table("Alternatives", "", header, rows, ["l", "l", "l", "r", "r", "r", "r", "r", "r"])


def write_page(combined: Path, path: Path) -> Path:
    """Write the alternatives page for the combined NetCDF at `combined`."""
    ds = xr.load_dataset(combined)
    cap, new = _fleet(ds)
    groups = _groups(ds)
    items: dict[str, Item] = {}
    for p in [int(x) for x in ds["period"].values]:
        if (
            float(new.sel(period=p).max()) - float(new.sel(period=p).min()) > 1e-6
            or float(new.sel(period=p).max()) > 1e-3
        ):
            items[f"range{p}"] = _range_figure(cap, groups, p)
            items[f"must{p}"] = _must_figure(new, groups, p)
    items["cost"] = _cost_figure(ds)
    items["table"] = _table(ds)
    facts = [
        f"case {ds.attrs.get('case', '')}: optimum {number(float(ds.attrs['optimum']) / BN, 6)} bn CNY (present value), {ds.sizes['alternative'] - 1} alternatives"
    ]
    notes = [
        "Each alternative minimises or maximises its direction subject to total cost <= (1 + slack) x optimum (model/formulation.md, near-optimal alternatives).",
        "A range shows what the cost surface leaves free; the must-build minimum is built in every plan within the slack.",
        "'exact extreme within': without a vertex to polish from (crossover off) the interior point minimised the direction plus a cost tie-break, so the true minimum or maximum can lie up to this far beyond the value found; 0 when the cost row binds (model/formulation.md).",
    ]
    return write_text(path, page("Near-optimal alternatives", facts, items, "en", notes))
