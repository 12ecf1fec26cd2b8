"""Operating reserve (旋转备用): what each resource could hold against the requirement, hour by hour,
with the reserve price; and, for a comparison, the reserve price and cost by plan and period."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from gridplan.report import i18n
from gridplan.report.html import Table
from gridplan.report.i18n import axis, scale, text
from gridplan.report.layout import layout, menu
from gridplan.report.run import TOL, Run, as_array, dim_labels
from gridplan.report.window import Window, add_window_traces, pick_window, window_layout

i18n.add_texts(
    {
        "reserves": (
            "Operating reserve: what resources could hold, the requirement and its price",
            "运行备用：各类资源可提供的备用、备用需求与备用价格",
        ),
        "reserves_note": (
            "stacked: reserve each resource could hold in the hour (its headroom); line: the requirement; "
            "dashed: the reserve price (dual of the requirement)",
            "堆积：各资源当小时可提供的备用（裕度）；实线：备用需求；虚线：备用价格（需求约束的对偶值）",
        ),
        "reserve_required": ("requirement", "备用需求"),
        "reserve_price_axis": ("reserve price", "备用价格"),
        "reserve_axis": ("reserve", "备用容量"),
        "reserve_price_at": ("; highest price at {date}", "；备用价格最高出现在{date}"),
        "cmp_reserves": ("Operating reserve price and cost by plan", "各方案运行备用价格与成本"),
        "cmp_reserves_sub": (
            "hour-weighted mean and highest price of each requirement; cost: the requirement valued at its price",
            "各备用需求的按小时加权平均价格与最高价格；成本：备用需求按备用价格计价",
        ),
        "reserve": ("reserve", "备用"),
        "price_mean": ("mean price", "平均价格"),
        "price_max": ("highest price", "最高价格"),
        "reserve_cost": ("cost", "成本"),
    }
)
PRICE_UNIT = {"en": "CNY/MW-h", "zh": "元/(兆瓦·时)"}


def price_unit(lang: str) -> str:
    return PRICE_UNIT["zh" if lang == "zh" else "en"]


def reserve_name(r: Run, name: str) -> str:
    """'spinning_up 旋转备用(上调)' / '旋转备用(上调)（spinning_up）'."""
    ds = r.ds
    zh = str(ds["reserve_name_zh"].sel(reserve=name).values) if "reserve_name_zh" in ds else ""
    if not zh:
        return name
    return f"{zh}（{name}）" if r.lang == "zh" else f"{name} {zh}"


def provider_name(r: Run, key: str, kind: str) -> tuple[str, str]:
    """Display name and colour of a reserve provider."""
    name = key.split(":", 1)[-1]
    if kind == "storage":
        return r.names.storage(name), r.colour(name, "storage")
    if kind == "demand_response":
        return r.names.dr(name), r.colour(f"dr:{name}")
    return r.names.tech(name), r.colour(name)


def _view(
    r: Run, res: str, p: int
) -> tuple[list[tuple[str, str, str, np.ndarray, str]], np.ndarray, xr.DataArray]:
    """The stacked series of what each provider could hold (all zones), the requirement (all areas)
    and the price by area of one requirement and period."""
    ds, n = r.ds, r.ds.sizes["time"]
    avail = ds["reserve_available"].sel(reserve=res, period=p).sum("zone")
    kinds = dict(
        zip(dim_labels(r, "reserve_provider"), ds["reserve_provider_kind"].values.astype(str), strict=True)
    )
    series = []
    for key, kind in kinds.items():
        v = as_array(avail.sel(reserve_provider=key), n)
        if np.any(np.abs(v) > TOL):
            name, colour = provider_name(r, key, kind)
            series.append((key, name, colour, v, "reserve"))
    need = ds["reserve_requirement"].sel(reserve=res, period=p)
    total = as_array(need.sum("area", min_count=1), n)
    series.append(("requirement", text("reserve_required", r.lang), "#111111", total, "line"))
    price = ds["reserve_price"].sel(reserve=res, period=p)
    return series, total, price


def fig_reserves(r: Run) -> go.Figure | None:
    """Up to a week around the highest reserve price (else the highest requirement) of each
    requirement and period: stacked reserve each resource could hold, the requirement, the price."""
    ds, lang = r.ds, r.lang
    if "reserve_requirement" not in ds or "time" not in ds.dims or "weight" not in ds:
        return None
    views = [(str(x), p) for x in ds["reserve"].values for p in reversed(r.periods)]
    data = {v: _view(r, *v) for v in views}
    views = [v for v in views if np.any(data[v][1] > TOL)]
    if not views:
        return None
    largest = max(float(np.max(s[3])) for v in views for s in data[v][0])
    size, unit = scale("power", largest, lang)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    spans, windows = [], {}
    for i, (res, p) in enumerate(views):
        series, total, price = data[res, p]
        top = price.max("area", skipna=True).fillna(0.0).values
        score = top if np.any(top > TOL) else total
        w = pick_window(r, np.asarray(score, float), "peak", f"{p} · {reserve_name(r, res)}")
        w = _price_subtitle(w, lang, np.asarray(score, float), bool(np.any(top > TOL)))
        windows[res, p] = w
        start = len(fig.data)
        add_window_traces(fig, series, w, unit, size, visible=(i == 0))
        x = np.arange(len(w.steps))
        for a in [str(a) for a in price["area"].values]:
            y = price.sel(area=a).values[w.steps]
            if not np.isfinite(y).any():
                continue
            label = text("reserve_price_axis", lang) + ("" if a == "system" else f" · {r.names.zone(a)}")
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y.astype(np.float32),
                    name=label,
                    mode="lines",
                    visible=(i == 0),
                    line={"color": "#d62728", "dash": "dash", "width": 1.6, "shape": "hv"},
                    hovertemplate=f"{label}: %{{y:,.1f}} {price_unit(lang)}<extra></extra>",
                ),
                secondary_y=True,
            )
        spans.append((start, len(fig.data)))
    title = text("reserves", lang)
    buttons = [
        {
            "label": f"{p} · {res}",
            "method": "update",
            "args": [
                {"visible": [spans[i][0] <= k < spans[i][1] for k in range(len(fig.data))]},
                window_layout(windows[res, p], windows[res, p].subtitle, title),
            ],
        }
        for i, (res, p) in enumerate(views)
    ]
    w0 = windows[views[0]]
    fig.update_layout(**window_layout(w0, w0.subtitle, title, flat=False))
    if len(buttons) > 1:
        fig.update_layout(updatemenus=menu(buttons))
    fig.update_yaxes(title_text=axis("reserve_axis", unit, lang), secondary_y=False, rangemode="tozero")
    fig.update_yaxes(
        title_text=axis("reserve_price_axis", price_unit(lang), lang), secondary_y=True, rangemode="tozero"
    )
    layout(fig, title, w0.subtitle, height=540)
    fig.update_layout(hovermode="x unified", xaxis={"unifiedhovertitle": {"text": " "}})
    return fig


def _price_subtitle(w: Window, lang: str, score: np.ndarray, priced: bool) -> Window:
    """The window's subtitle with the hour of the highest price (not 'peak load at') and what the
    lines mean."""
    sub = w.subtitle.split(text("peak_at", lang, date=""))[0]
    if priced:
        sub += text("reserve_price_at", lang, date=w.hover[int(np.argmax(score[w.steps]))])
    w.subtitle = sub + ("; " if lang != "zh" else "；") + text("reserves_note", lang)
    return w


def cmp_reserves(runs: list[Run], labels: list[str]) -> Table | None:
    """Mean and highest reserve price [CNY/MW-h] and the requirement valued at its price
    [million CNY/yr] of each requirement and period, one column per run."""
    lang = runs[0].lang
    have = [r for r in runs if "reserve_cost" in r.ds]
    if not have:
        return None
    names = list(dict.fromkeys(str(x) for r in have for x in r.ds["reserve"].values))
    periods = sorted({p for r in have for p in r.periods})
    money_size, money_unit = scale("money", 1e6, lang)
    rows: list[list[str]] = []
    for res in names:
        for p in periods:
            cells: dict[str, list[str]] = {k: [] for k in ("price_mean", "price_max", "reserve_cost")}
            for r in runs:
                got = _metrics(r, res, p)
                for k in cells:
                    cells[k].append(
                        "–" if got is None else _cell(got[k] / (money_size if k == "reserve_cost" else 1))
                    )
            if all(c == "–" for v in cells.values() for c in v):
                continue
            for k, unit in (
                ("price_mean", price_unit(lang)),
                ("price_max", price_unit(lang)),
                ("reserve_cost", i18n.per_year(money_unit, lang)),
            ):
                rows.append([res, str(p), f"{text(k, lang)} [{unit}]", *cells[k]])
    header = [text("reserve", lang), text("period", lang), text("metric", lang), *[r.label for r in runs]]
    align = ["l", "c", "l", *["r"] * len(runs)]
    return Table(text("cmp_reserves", lang), text("cmp_reserves_sub", lang), header, rows, align)


def _cell(v: float) -> str:
    """A number of the table: one decimal, solver noise (and -0) shown as 0."""
    if not np.isfinite(v):
        return "–"
    return "0" if abs(v) < 0.05 else f"{v:,.1f}"


def _metrics(r: Run, res: str, p: int) -> dict[str, float] | None:
    """Hour-weighted mean and highest price over the areas, and reserve_cost, of one requirement
    and period of a run; None when it has none."""
    ds = r.ds
    if "reserve_cost" not in ds or res not in [str(x) for x in ds["reserve"].values] or p not in r.periods:
        return None
    cost = float(ds["reserve_cost"].sel(reserve=res, period=p))
    if "reserve_price" not in ds or "weight" not in ds:
        return {"price_mean": np.nan, "price_max": np.nan, "reserve_cost": cost}
    price = ds["reserve_price"].sel(reserve=res, period=p)
    need = ds["reserve_requirement"].sel(reserve=res, period=p)
    w = ds["weight"] * need.notnull()
    if float(w.sum()) <= 0:
        return None
    mean = float((price.fillna(0.0) * w).sum() / w.sum())
    return {"price_mean": mean, "price_max": float(price.max(skipna=True)), "reserve_cost": cost}
