"""Interactive reports: plotly figures of one run, and of several runs side by side.

`figures(ds)` returns the plotly figures (and, as html_page.Table, the plan-target table) of one
results Dataset; `write_report` puts them in one self-contained HTML file (gridplan.html_page:
plotly.js and a subset of Noto Sans CJK SC embedded, no network); `compare_figures` /
`write_compare` do the same for several runs, labelled by scenario name, or S1, S2, ... when a
name is long (tables: gridplan.html_tables). A Dataset with a `scenario` dimension (a sweep) is
split into one run per scenario label.

Quantities follow the results file (MW, MWh, CNY, tCO2, tce) and are scaled for display
(GW, TWh, bn CNY; 万千瓦, 亿千瓦时, 亿元 in Chinese); every axis names its unit. Annual
energies are sum_t weight[t] * x[t] (weight: hours each step represents). Long series are
reduced: price duration curves to PLOT_POINTS samples, full-year state of charge to daily
minimum / mean / maximum; dispatch charts show every hour of the chosen week.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import plotly.graph_objects as go
import typer
import xarray as xr
from plotly.subplots import make_subplots

from gridplan.atomic import write_text
from gridplan.html_page import Item, aliases, page, tidy_label
from gridplan.html_page import layout as _layout
from gridplan.i18n import Names, axis, check_lang, date_label, per_year, scale, status_name, text

PLOT_POINTS = 500  # samples of a price duration curve longer than this
WEEK = 168  # hours in a dispatch window
TOL = 1e-6

# colours: first keyword found in a technology's key, profile, fuel and groups wins
KEYWORD_COLOURS: list[tuple[str, str]] = [
    ("pumped", "#2a9d8f"),
    ("battery", "#e76f51"),
    ("compressed", "#f4a261"),
    ("storage", "#f4a261"),
    ("offshore", "#1d5f9e"),
    ("wind", "#5aa9e6"),
    ("distributed", "#ffd166"),
    ("rooftop", "#ffd166"),
    ("solar", "#f2b705"),
    ("pv", "#f2b705"),
    ("nuclear", "#9467bd"),
    ("chp", "#6d2e46"),  # wine: apart from the brown shades of the coal classes
    ("coal", "#4a3f35"),
    ("gas", "#d17a22"),
    ("biomass", "#6a994e"),
    ("waste", "#8d6e63"),
    ("hydro", "#1f4e9c"),
]
FALLBACK = ["#17becf", "#bcbd22", "#e377c2", "#8c564b", "#7f7f7f", "#1f77b4", "#ff7f0e", "#2ca02c"]
SPECIAL = {
    "imports": "#b279a2",  # mauve: apart from the greys and browns of coal
    "link": "#b5b5b5",
    "dr": "#8e44ad",
    "unserved": "#d62728",
    "demand": "#111111",
    "losses": "#cccccc",
}


@dataclass
class Palette:
    """Colours by key, shared by the runs of a comparison so that a technology keeps its colour."""

    colours: dict[str, str] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)


@dataclass
class Run:
    """One results Dataset prepared for plotting in one language."""

    ds: xr.Dataset
    lang: str
    label: str
    names: Names
    periods: list[int]
    zones: list[str]
    palette: Palette = field(default_factory=Palette)

    def colour(self, key: str, hint: str = "") -> str:
        """A stable colour per key from the first keyword found in its key, then its profile, fuel
        and groups; keys that share a base colour get successively lighter shades of its hue."""
        pal = self.palette
        if key in pal.colours:
            return pal.colours[key]
        info = self.names.tech_info(key)
        texts = [
            key,
            hint,
            str(info.get("profile") or ""),
            str(info.get("fuel") or ""),
            " ".join(info.get("groups") or []),
        ]
        prefix = {"imp:": SPECIAL["imports"], "dr:": SPECIAL["dr"]}
        base = next((c for p, c in prefix.items() if key.startswith(p)), None)
        if base is None:
            base = next((c for t in texts for kw, c in KEYWORD_COLOURS if kw in t.lower()), None)
        if base is None:
            used = set(pal.bases.values())
            base = next((c for c in FALLBACK if c not in used), FALLBACK[len(pal.colours) % len(FALLBACK)])
        shade = sum(1 for b in pal.bases.values() if b == base)
        pal.bases[key] = base
        pal.colours[key] = base if shade == 0 else _shade(base, shade)
        return pal.colours[key]


def _shade(hex_colour: str, k: int) -> str:
    """The k-th lighter shade of a colour's hue: HLS lightness + 0.13 k (at most 0.8), saturation
    at least 0.4, so that shades of a dark brown stay brown instead of turning grey."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    h, lum, sat = colorsys.rgb_to_hls(*rgb)
    out = colorsys.hls_to_rgb(h, min(lum + 0.13 * k, 0.8), max(sat, 0.4))
    return "#" + "".join(f"{round(c * 255):02x}" for c in out)


def charge_colour(colour: str) -> str:
    """Storage charging: a lighter shade of the discharge colour (and hatched where drawn as bars)."""
    return _lighten(colour, 0.5)


def _lighten(hex_colour: str, amount: float) -> str:
    """Mix a #rrggbb colour with white by `amount` (0..1)."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def split(ds: xr.Dataset) -> list[xr.Dataset]:
    """One Dataset per scenario of a sweep (dimension `scenario`), else [ds]. Per-scenario
    variables of a sweep file (label, objective, solver_status, scenario_yaml) become attributes;
    scenarios that did not solve (all-NaN capacity) are left out."""
    if "scenario" not in ds.dims:
        return [ds]
    out = []
    for s in ds["scenario"].values:
        one = ds.sel(scenario=s)
        if "capacity" in one and not bool(np.isfinite(one["capacity"].values).any()):
            continue
        attrs = dict(ds.attrs)
        attrs["scenario"] = str(s)
        for k in ("label", "scenario_yaml", "objective", "solver_status"):
            if k in one.variables and one[k].ndim == 0:
                attrs["scenario" if k == "label" else k] = one[k].item()
        if attrs.get("scenario") in ("", None):
            attrs["scenario"] = str(s)
        drop = [v for v in ("label", "scenario_yaml", "objective", "solver_status") if v in one.data_vars]
        out.append(one.drop_vars(drop).assign_attrs(attrs))
    return out


def load(path: str | Path) -> list[xr.Dataset]:
    """Results to report from a file: one run, or the scenarios of a sweep. A sweep file without
    hourly variables brings in each scenario's full results.nc (its `results_path`) when present."""
    path = Path(path)
    with xr.open_dataset(path) as f:
        ds = f.load()
    if "scenario" not in ds.dims or "time" in ds.dims or "results_path" not in ds:
        return split(ds)
    out = []
    for one in split(ds):
        rel = str(ds["results_path"].sel(scenario=one["scenario"].item()).values)
        full = path.parent / rel
        if rel and full.is_file():
            with xr.open_dataset(full) as f:
                out.append(f.load().assign_attrs(scenario=one.attrs["scenario"]))
        else:
            out.append(one)
    return out


def _labels(datasets: list[xr.Dataset]) -> list[str]:
    """Scenario names (long decimals cut to 4 significant digits), made unique by a counter."""
    out: list[str] = []
    for i, ds in enumerate(datasets):
        name = tidy_label(str(ds.attrs.get("scenario") or f"run {i + 1}"))
        label, n = name, 2
        while label in out:
            label, n = f"{name} ({n})", n + 1
        out.append(label)
    return out


def _run(ds: xr.Dataset, lang: str, label: str | None = None, palette: Palette | None = None) -> Run:
    """A Run: display names from the scenario (and the targets' Chinese names), periods, zones."""
    zh = {}
    if "target" in ds.dims and "target_name_zh" in ds:
        zh = {str(k): str(v) for k, v in zip(ds["target"].values, ds["target_name_zh"].values, strict=True)}
    names = Names.of(dict(ds.attrs), lang, zh)
    periods = [int(p) for p in ds["period"].values]
    zones = [str(z) for z in ds["zone"].values]
    label = label or str(ds.attrs.get("scenario", ""))
    return Run(ds, lang, label, names, periods, zones, palette or Palette())


# ----------------------------------------------------------------------------- data helpers


def _get(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    return ds[name] if name in ds.variables else None


def _zsum(da: xr.DataArray, zone: str | None) -> xr.DataArray:
    """Sum over zones, or one zone."""
    if "zone" not in da.dims:
        return da
    return da.sum("zone") if zone is None else da.sel(zone=zone)


def _annual(r: Run, da: xr.DataArray) -> xr.DataArray:
    """sum_t weight[t] * x[t]: MW -> MWh/yr."""
    return (da * r.ds["weight"]).sum("time")


def _values(da: xr.DataArray | None, n: int) -> np.ndarray:
    return np.zeros(n) if da is None else np.nan_to_num(np.asarray(da.values, dtype=float))


def _per_zone_period(value: Any, zones: list[str], periods: list[int]) -> np.ndarray:
    """A scenario value given as scalar | {zone: scalar | {period: v}} -> array [period, zone]."""
    out = np.zeros((len(periods), len(zones)))
    if isinstance(value, int | float):
        out[:] = float(value)
        return out
    if isinstance(value, dict):
        for j, z in enumerate(zones):
            v = value.get(z, 0.0)
            if isinstance(v, dict):
                for i, p in enumerate(periods):
                    out[i, j] = float(v.get(str(p), v.get(p)) or 0.0)
            else:
                out[:, j] = float(v)
    return out


def _storage_existing(r: Run) -> np.ndarray:
    """Existing storage power [MW] from the scenario, as [period, zone, storage]."""
    S = [str(s) for s in r.ds["storage"].values] if "storage" in r.ds.dims else []
    out = np.zeros((len(r.periods), len(r.zones), len(S)))
    for k, s in enumerate(S):
        entry = (r.names.sc.get("storage") or {}).get(s) or {}
        out[:, :, k] = _per_zone_period(entry.get("existing", 0.0), r.zones, r.periods)
    return out


def _link_loss(r: Run, link: str) -> float:
    entry = (r.names.sc.get("links") or {}).get(link) or {}
    return float(entry.get("loss", 0.0) or 0.0)


def _is_solar(r: Run, tech: str) -> bool:
    info = r.names.tech_info(tech)
    words = " ".join([tech, str(info.get("profile") or ""), " ".join(info.get("groups") or [])]).lower()
    return "solar" in words or "pv" in words.split("_") or " pv" in f" {words}"


def _is_variable(r: Run, tech: str) -> bool:
    info = r.names.tech_info(tech)
    if info:
        return info.get("kind") == "variable"
    cur = _get(r.ds, "curtailment")
    return cur is not None and float(abs(cur.sel(tech=tech)).sum()) > 0


def _techs(r: Run) -> list[str]:
    return [str(t) for t in r.ds["tech"].values] if "tech" in r.ds.dims else []


def _dim(r: Run, name: str) -> list[str]:
    return [str(x) for x in r.ds[name].values] if name in r.ds.dims else []


# ----------------------------------------------------------------------------- layout helpers


def _menu(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def _hover(name: str, unit: str, fmt: str = ",.1f") -> str:
    return f"{name}: %{{y:{fmt}}} {unit}<extra></extra>"


def _multi_x(groups: list[str], periods: list[int]) -> list[list[str]]:
    """Two-level category axis: group (zone or scenario) then period."""
    return [[g for g in groups for _ in periods], [str(p) for _ in groups for p in periods]]


# ----------------------------------------------------------------------------- capacity


def _capacity_items(r: Run) -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(key, name, colour, existing[P, Z], new[P, Z]) of each technology and storage, MW."""
    out = []
    ds = r.ds
    for t in _techs(r):
        cap = _values(ds["capacity"].sel(tech=t), 0)
        existing = _get(ds, "capacity_existing")
        ex = np.minimum(_values(existing.sel(tech=t), 0), cap) if existing is not None else np.zeros_like(cap)
        out.append((t, r.names.tech(t), r.colour(t), ex, cap - ex))
    if "storage_power" in ds:
        ex_all = _storage_existing(r)
        for k, s in enumerate(_dim(r, "storage")):
            cap = _values(ds["storage_power"].sel(storage=s), 0)
            ex = np.minimum(ex_all[:, :, k], cap)
            out.append((s, r.names.storage(s), r.colour(s, "storage"), ex, cap - ex))
    return [x for x in out if float(np.abs(x[3]).sum() + np.abs(x[4]).sum()) > TOL]


def fig_capacity(r: Run) -> go.Figure:
    """Installed capacity by period and zone (all zones first), existing vs new."""
    groups: list[tuple[str, Run, str | None]] = [(text("all_zones", r.lang), r, None)]
    if len(r.zones) > 1:
        groups += [(r.names.zone(z), r, z) for z in r.zones]
    fig = go.Figure()
    fig.update_layout(barmode="relative")
    size = _stacked_capacity(fig, groups, r.lang)
    unit = _unit_label("power", size, r.lang)
    fig.update_yaxes(title_text=axis("capacity_axis", unit, r.lang))
    return _layout(fig, text("capacity", r.lang), text("capacity_sub", r.lang), height=520)


def _unit_label(quantity: str, size: float, lang: str) -> str:
    """Label of the unit of `quantity` whose size is `size`."""
    from gridplan.i18n import SCALES

    for lab, s in SCALES[quantity][lang if lang == "zh" else "en"]:
        if s == size:
            return lab
    return ""


def _stacked_capacity(
    fig: go.Figure,
    groups: list[tuple[str, Run, str | None]],
    lang: str,
    row: int | None = None,
    col: int | None = None,
) -> float:
    """Stacked capacity bars, one slot per (group, period); returns the unit size used."""
    periods = sorted({p for _, r, _ in groups for p in r.periods})
    x = _multi_x([g for g, _, _ in groups], periods)
    n = len(x[0])
    series: dict[str, dict[str, Any]] = {}
    totals = np.zeros(n)
    for gi, (_, r, zone) in enumerate(groups):
        for key, name, colour, ex, new in _capacity_items(r):
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
                    hovertemplate=_hover(f"{s['name']} ({text(part, lang)})", unit),
                ),
                row=row,
                col=col,
            )
    return size


def fig_changes(r: Run) -> go.Figure:
    """New build (+) and retirements (−) by technology, and 三改联动 retrofits, by period."""
    lang = r.lang
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        horizontal_spacing=0.1,
        subplot_titles=[text("changes_left", lang), text("changes_right", lang)],
    )
    fig.update_layout(barmode="relative")
    xs = [str(p) for p in r.periods]
    rows = []
    for key, name, colour, ex, new_total in _capacity_items(r):
        cap = (ex + new_total).sum(axis=1)
        var, dim = ("capacity_new", "tech") if key in _techs(r) else ("storage_power_new", "storage")
        da = _get(r.ds, var)
        built = _values(da.sel({dim: key}).sum("zone"), 0) if da is not None else np.zeros(len(xs))
        retired = np.zeros(len(xs))
        retired[1:] = np.clip(cap[:-1] + built[1:] - cap[1:], 0, None)
        rows.append((key, name, colour, built, retired))
    largest = max([float(np.max(b + rt)) for _, _, _, b, rt in rows] + [0.0])
    ret_in = _get(r.ds, "retrofit_in_service")
    ret_new = _get(r.ds, "retrofit_new")
    kinds = _dim(r, "retrofit")
    if ret_in is not None:
        largest = max(largest, float(ret_in.sum(["zone", "tech"]).max()) if ret_in.size else 0.0)
    size, unit = scale("power", largest, lang)
    for key, name, colour, built, retired in rows:
        if np.any(built > TOL):
            fig.add_trace(
                go.Bar(
                    x=xs,
                    y=built / size,
                    name=name,
                    legendgroup=key,
                    marker_color=colour,
                    hovertemplate=_hover(f"{name} ({text('new', lang)})", unit),
                ),
                row=1,
                col=1,
            )
        if np.any(retired > TOL):
            fig.add_trace(
                go.Bar(
                    x=xs,
                    y=-retired / size,
                    name=name,
                    legendgroup=key,
                    marker_color=colour,
                    showlegend=not np.any(built > TOL),
                    marker_pattern={"shape": "x", "fillmode": "overlay", "fgcolor": "#ffffff"},
                    hovertemplate=_hover(f"{name} ({text('retired', lang)})", unit),
                ),
                row=1,
                col=1,
            )
    shown = False
    retro_colours = ["#9c6644", "#588157", "#bc4749"]
    for i, k in enumerate(kinds):
        ins = _values(ret_in.sel(retrofit=k).sum(["zone", "tech"]), 0) if ret_in is not None else np.zeros(1)
        done = (
            _values(ret_new.sel(retrofit=k).sum(["zone", "tech"]), 0) if ret_new is not None else np.zeros(1)
        )
        if not np.any(ins > TOL) and not np.any(done > TOL):
            continue
        shown = True
        name = r.names.retrofit(k)
        fig.add_trace(
            go.Bar(
                x=xs,
                y=ins / size,
                name=name,
                marker_color=retro_colours[i % 3],
                customdata=done / size,
                hovertemplate=f"{name}: %{{y:,.1f}} {unit} ({text('retrofit_in_service', lang)}), "
                f"%{{customdata:,.1f}} {unit} ({text('retrofit_done', lang)})<extra></extra>",
            ),
            row=1,
            col=2,
        )
    if not shown:
        fig.add_annotation(
            text=text("no_retrofits", lang),
            xref="paper",
            yref="paper",
            x=sum(fig.layout.xaxis2.domain) / 2,
            y=0.5,
            showarrow=False,
            font={"color": "#777"},
        )
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang), row=1, col=1)
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang), row=1, col=2)
    fig.update_xaxes(type="category")
    return _layout(fig, text("changes", lang), text("changes_sub", lang), top=124)


# ----------------------------------------------------------------------------- energy


def _energy_series(r: Run) -> list[tuple[str, str, str, np.ndarray, str]]:
    """(key, name, colour, MWh/yr by period, kind) with kind in pos|neg|curtailed, all zones."""
    ds, n = r.ds, len(r.periods)
    out: list[tuple[str, str, str, np.ndarray, str]] = []
    energy = _get(ds, "energy")
    if energy is None and "generation" in ds:
        energy = _annual(r, ds["generation"])
    for t in _techs(r):
        out.append(
            (
                t,
                r.names.tech(t),
                r.colour(t),
                _values(energy.sel(tech=t).sum("zone") if energy is not None else None, n),
                "pos",
            )
        )
    if "imports" in ds and "channel" in ds.dims:
        for c in _dim(r, "channel"):
            out.append(
                (
                    f"imp:{c}",
                    r.names.channel(c),
                    r.colour(f"imp:{c}"),
                    _values(_annual(r, ds["imports"].sel(channel=c)), n),
                    "pos",
                )
            )
    for s in _dim(r, "storage"):
        name = r.names.storage(s)
        if "storage_discharge" in ds:
            out.append(
                (
                    s,
                    f"{name} {text('storage_discharge', r.lang)}",
                    r.colour(s, "storage"),
                    _values(_annual(r, ds["storage_discharge"].sel(storage=s).sum("zone")), n),
                    "pos",
                )
            )
        if "storage_charge" in ds:
            out.append(
                (
                    s,
                    f"{name} {text('storage_charge', r.lang)}",
                    charge_colour(r.colour(s, "storage")),
                    -_values(_annual(r, ds["storage_charge"].sel(storage=s).sum("zone")), n),
                    "neg",
                )
            )
    for d in _dim(r, "dr"):
        name = r.names.dr(d)
        if "dr_reduction" in ds:
            out.append(
                (
                    f"dr:{d}",
                    name,
                    r.colour(f"dr:{d}"),
                    _values(_annual(r, ds["dr_reduction"].sel(dr=d).sum("zone")), n),
                    "pos",
                )
            )
        if "dr_payback" in ds:
            out.append(
                (
                    f"dr:{d}",
                    f"{name} {text('dr_payback', r.lang)}",
                    r.colour(f"dr:{d}"),
                    -_values(_annual(r, ds["dr_payback"].sel(dr=d).sum("zone")), n),
                    "neg",
                )
            )
    if "unserved" in ds:
        out.append(
            (
                "unserved",
                text("unserved", r.lang),
                SPECIAL["unserved"],
                _values(_annual(r, ds["unserved"].sum("zone")), n),
                "pos",
            )
        )
    if "link_flow" in ds and "link" in ds.dims:
        fwd, bwd = _directions(ds)
        loss = sum(
            _link_loss(r, ln) * _values(_annual(r, fwd.sel(link=ln) + bwd.sel(link=ln)), n)
            for ln in _dim(r, "link")
        )
        out.append(
            ("losses", text("link_losses", r.lang), SPECIAL["losses"], -np.asarray(loss) * np.ones(n), "neg")
        )
    cur = _get(ds, "curtailed_energy")
    if cur is None and "curtailment" in ds:
        cur = _annual(r, ds["curtailment"])
    for t in _techs(r):
        if cur is not None:
            out.append(
                (
                    t,
                    f"{r.names.tech(t)} {text('curtailed', r.lang)}",
                    r.colour(t),
                    _values(cur.sel(tech=t).sum("zone"), n),
                    "curtailed",
                )
            )
    return [x for x in out if float(np.abs(x[3]).sum()) > TOL]


def _energy_bars(fig: go.Figure, groups: list[tuple[str, Run]], lang: str) -> None:
    periods = sorted({p for _, r in groups for p in r.periods})
    x = _multi_x([g for g, _ in groups], periods) if len(groups) > 1 else [str(p) for p in periods]
    n = len(periods) * len(groups)
    order: list[tuple[str, str]] = []
    data: dict[tuple[str, str], dict[str, Any]] = {}
    demand = np.zeros(n)
    for gi, (_, r) in enumerate(groups):
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        for key, name, colour, vals, kind in _energy_series(r):
            k = (name, kind)
            if k not in data:
                order.append(k)
                data[k] = {"key": key, "colour": colour, "y": np.zeros(n)}
            data[k]["y"][idx] = vals
        if "demand" in r.ds:
            demand[idx] = _values(_annual(r, r.ds["demand"].sum("zone")), len(r.periods))
    largest = max([float(np.max(np.abs(d["y"]))) for d in data.values()] + [float(demand.max())])
    size, unit = scale("energy", largest, lang)
    unit = per_year(unit, lang)
    for (name, kind), d in sorted(
        data.items(), key=lambda kv: {"pos": 0, "neg": 1, "curtailed": 2}[kv[0][1]]
    ):
        pattern = (
            {"shape": "x", "fillmode": "overlay", "fgcolor": "#ffffff", "size": 6}
            if kind == "curtailed"
            else {}
        )
        fig.add_trace(
            go.Bar(
                x=x,
                y=d["y"] / size,
                name=name,
                marker_color=d["colour"],
                marker_pattern=pattern,
                legendgroup=d["key"],
                hovertemplate=_hover(name, unit),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=demand / size,
            mode="markers",
            name=text("annual_demand", lang),
            marker={"symbol": "diamond", "size": 11, "color": SPECIAL["demand"]},
            hovertemplate=_hover(text("annual_demand", lang), unit),
        )
    )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("energy_axis", unit, lang))
    if len(groups) == 1:
        fig.update_xaxes(type="category", title_text=text("period", lang))


def fig_energy(r: Run) -> go.Figure:
    """Annual energy by source (+), storage charging and payback (−), curtailment (hatched), per period."""
    fig = go.Figure()
    _energy_bars(fig, [(r.label, r)], r.lang)
    return _layout(fig, text("energy", r.lang), text("energy_sub", r.lang), height=520)


# ----------------------------------------------------------------------------- dispatch


@dataclass
class Window:
    steps: np.ndarray  # indices into `time`, in display order
    ticks: list[tuple[int, str]]  # (position, label)
    separators: list[int]  # positions where a non-adjacent block starts
    subtitle: str
    hover: list[str]  # label of every shown step


def _chronology(ds: xr.Dataset) -> tuple[list[np.ndarray], int]:
    """Blocks of steps in calendar order of their first hour, and the block length."""
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    block = ds["block"].values.astype(int) if "block" in ds else np.zeros(ds.sizes["time"], dtype=int)
    blocks = [np.flatnonzero(block == b) for b in np.unique(block)]
    blocks.sort(key=lambda idx: int(hour[idx[0]]))
    return blocks, max(len(b) for b in blocks)


def _window(r: Run, score: np.ndarray, mode: str, view: str) -> Window:
    """Up to WEEK steps around the step of highest score (mode 'peak') or of highest total score
    over a week (mode 'sum'), in calendar order."""
    ds, lang = r.ds, r.lang
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    weight = ds["weight"].values
    blocks, L = _chronology(ds)
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


def _directions(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """Energy sent forward and backward on each link [MW]; from the net flow for older files."""
    if "link_sent_forward" in ds:
        return ds["link_sent_forward"], ds["link_sent_backward"]
    return ds["link_flow"].clip(min=0), (-ds["link_flow"]).clip(min=0)


def _dispatch_series(r: Run, p: int, zone: str | None) -> list[tuple[str, str, str, np.ndarray, str]]:
    """(key, name, colour, MW[T], stack) for one period and zone (None: all zones); stack pos|neg|line."""
    ds, lang = r.ds, r.lang
    sel = {"period": p}
    T = ds.sizes["time"]
    out: list[tuple[str, str, str, np.ndarray, str]] = []
    if "generation" in ds:
        gen = _zsum(ds["generation"].sel(sel), zone)
        for t in _techs(r):
            out.append((t, r.names.tech(t), r.colour(t), _values(gen.sel(tech=t), T), "pos"))
    if "imports" in ds and "channel" in ds.dims:
        for c in _dim(r, "channel"):
            cz = str(ds["channel_zone"].sel(channel=c).values) if "channel_zone" in ds else None
            if zone is None or cz == zone:
                out.append(
                    (
                        f"imp:{c}",
                        r.names.channel(c),
                        r.colour(f"imp:{c}"),
                        _values(ds["imports"].sel(sel).sel(channel=c), T),
                        "pos",
                    )
                )
    if "link_flow" in ds and "link" in ds.dims:
        recv, sent = np.zeros(T), np.zeros(T)
        for ln in _dim(r, "link"):
            a, b = str(ds["link_from"].sel(link=ln).values), str(ds["link_to"].sel(link=ln).values)
            lo = _link_loss(r, ln)
            fwd, bwd = (_values(d.sel(sel).sel(link=ln), T) for d in _directions(ds))
            if zone is None:
                sent += lo * (fwd + bwd)
            else:
                if zone == a:
                    sent += fwd
                    recv += (1 - lo) * bwd
                if zone == b:
                    sent += bwd
                    recv += (1 - lo) * fwd
        if zone is None:
            out.append(("losses", text("link_losses", lang), SPECIAL["losses"], -sent, "neg"))
        else:
            out.append(("link_in", text("link_in", lang), SPECIAL["link"], recv, "pos"))
            out.append(("link_out", text("link_out", lang), SPECIAL["link"], -sent, "neg"))
    for s in _dim(r, "storage"):
        name = r.names.storage(s)
        if "storage_discharge" in ds:
            out.append(
                (
                    s,
                    f"{name} {text('storage_discharge', lang)}",
                    r.colour(s, "storage"),
                    _values(_zsum(ds["storage_discharge"].sel(sel).sel(storage=s), zone), T),
                    "pos",
                )
            )
        if "storage_charge" in ds:
            out.append(
                (
                    s,
                    f"{name} {text('storage_charge', lang)}",
                    charge_colour(r.colour(s, "storage")),
                    -_values(_zsum(ds["storage_charge"].sel(sel).sel(storage=s), zone), T),
                    "neg",
                )
            )
    for d in _dim(r, "dr"):
        name = r.names.dr(d)
        if "dr_reduction" in ds:
            out.append(
                (
                    f"dr:{d}",
                    name,
                    r.colour(f"dr:{d}"),
                    _values(_zsum(ds["dr_reduction"].sel(sel).sel(dr=d), zone), T),
                    "pos",
                )
            )
        if "dr_payback" in ds:
            out.append(
                (
                    f"dr:{d}",
                    f"{name} {text('dr_payback', lang)}",
                    r.colour(f"dr:{d}"),
                    -_values(_zsum(ds["dr_payback"].sel(sel).sel(dr=d), zone), T),
                    "neg",
                )
            )
    if "unserved" in ds:
        out.append(
            (
                "unserved",
                text("unserved", lang),
                SPECIAL["unserved"],
                _values(_zsum(ds["unserved"].sel(sel), zone), T),
                "pos",
            )
        )
    if "demand" in ds:
        out.append(
            (
                "demand",
                text("demand", lang),
                SPECIAL["demand"],
                _values(_zsum(ds["demand"].sel(sel), zone), T),
                "line",
            )
        )
    return out


def _solar_score(r: Run, p: int) -> tuple[np.ndarray, bool] | None:
    """Available solar (generation + curtailment, all zones) per step; else all variable renewables."""
    ds = r.ds
    if "generation" not in ds:
        return None
    avail = ds["generation"].sel(period=p).sum("zone")
    if "curtailment" in ds:
        avail = avail + ds["curtailment"].sel(period=p).sum("zone")
    solar = [t for t in _techs(r) if _is_solar(r, t)]
    techs, is_solar = (solar, True) if solar else ([t for t in _techs(r) if _is_variable(r, t)], False)
    if not techs:
        return None
    score = _values(avail.sel(tech=techs).sum("tech"), ds.sizes["time"])
    return (score, is_solar) if float(score.sum()) > TOL else None


def _add_traces_window(
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


def fig_dispatch(r: Run, which: str) -> go.Figure | None:
    """Hourly dispatch stack of one week ('peak' or 'solar'), a menu of period x zone views.

    Supply (generation, imports, inflow from zones, storage discharge, DR, unserved) is stacked
    above zero; storage charging, DR payback, outflow and corridor losses below; the line is load.
    None without hourly results (e.g. a sweep file without its time steps)."""
    lang = r.lang
    if "time" not in r.ds.dims or "demand" not in r.ds or "weight" not in r.ds:
        return None
    views = [(p, z) for p in reversed(r.periods) for z in [None, *(r.zones if len(r.zones) > 1 else [])]]
    windows: dict[int, Window] = {}
    title = text("dispatch_peak", lang)
    for p in r.periods:
        label = f"{p} · {text('all_zones', lang)}"
        if which == "peak":
            score = (
                _values(r.ds["demand"].sel(period=p).sum("zone"), r.ds.sizes["time"])
                if "demand" in r.ds
                else np.zeros(r.ds.sizes["time"])
            )
            windows[p] = _window(r, score, "peak", label)
        else:
            got = _solar_score(r, p)
            if got is None:
                return None
            score, is_solar = got
            title = text("dispatch_solar" if is_solar else "dispatch_vre", lang)
            windows[p] = _window(r, score, "sum", label)
    all_series = {(p, z): _dispatch_series(r, p, z) for p, z in views}
    largest = max(float(np.max(np.abs(v[3]))) for s in all_series.values() for v in s) if all_series else 1.0
    size, unit = scale("power", largest, lang)
    fig = go.Figure()
    spans: list[tuple[int, int]] = []
    for i, (p, z) in enumerate(views):
        start = len(fig.data)
        _add_traces_window(fig, all_series[(p, z)], windows[p], unit, size, visible=(i == 0))
        spans.append((start, len(fig.data)))
    buttons = []
    for i, (p, z) in enumerate(views):
        vis = [spans[i][0] <= k < spans[i][1] for k in range(len(fig.data))]
        w = windows[p]
        zone_label = text("all_zones", lang) if z is None else r.names.zone(z)
        sub = w.subtitle.replace(f"{p} · {text('all_zones', lang)}", f"{p} · {zone_label}")
        buttons.append(
            {
                "label": f"{p} · {zone_label}",
                "method": "update",
                "args": [{"visible": vis}, _window_layout(w, sub, title)],
            }
        )
    w0 = windows[views[0][0]]
    sub0 = w0.subtitle
    fig.update_layout(**_window_layout(w0, sub0, title, flat=False))
    if len(buttons) > 1:
        fig.update_layout(updatemenus=_menu(buttons))
    fig.update_yaxes(title_text=axis("power_axis", unit, lang))
    _layout(fig, title, sub0, height=540)
    fig.update_layout(hovermode="x unified", xaxis={"unifiedhovertitle": {"text": " "}})
    return fig


def _window_layout(w: Window, subtitle: str, title: str, flat: bool = True) -> dict[str, Any]:
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


# ----------------------------------------------------------------------------- storage


def _daily(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily minimum, mean and maximum of an hourly year."""
    days = values[: len(values) // 24 * 24].reshape(-1, 24)
    return days.min(axis=1), days.mean(axis=1), days.max(axis=1)


def fig_storage(r: Run) -> go.Figure | None:
    """State of charge [MWh] by storage type, all zones, a menu of periods.

    Full year: daily min/mean/max. Representative days: the days in calendar order (cyclic storage)
    and, for linked storage, its year-long state (storage_soc_year) as a daily range."""
    ds, lang = r.ds, r.lang
    S = _dim(r, "storage")
    if not S or "storage_soc" not in ds or "weight" not in ds:
        return None
    blocks, _ = _chronology(ds)
    yearly = len(blocks) == 1 and ds.sizes["time"] >= 24 * 7
    soc_year = _get(ds, "storage_soc_year")
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
    hour = ds["hour_of_year"].values.astype(int) if "hour_of_year" in ds else np.arange(ds.sizes["time"])
    weight = ds["weight"].values
    for pi, p in enumerate(reversed(r.periods)):
        start = len(fig.data)
        vis = pi == 0
        for s in S:
            colour = r.colour(s, "storage")
            name = r.names.storage(s)
            if float(abs(soc.sel(storage=s)).sum()) <= TOL and s not in linked:
                continue  # nothing stored in any period: no line
            if yearly:
                days = np.arange(1, 366)
                lo, mean, hi = _daily(_values(soc.sel(period=p, storage=s).sum("zone"), 0)[steps])
                _band(fig, days[: len(lo)], lo / size, mean / size, hi / size, name, colour, unit, vis, s)
                continue
            if s not in linked or not two:
                y = _values(soc.sel(period=p, storage=s).sum("zone"), 0)[steps] / size
                fig.add_trace(
                    go.Scatter(
                        x=np.arange(len(steps)),
                        y=y.astype(np.float32),
                        name=name,
                        legendgroup=s,
                        visible=vis,
                        line={"color": colour, "width": 2},
                        hovertemplate=_hover(name, unit),
                    ),
                    row=1,
                    col=1,
                )
            if two and s in linked and soc_year is not None:
                lo, mean, hi = _daily(_values(soc_year.sel(period=p, storage=s).sum("zone"), 0))
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
        fig.update_layout(updatemenus=_menu(buttons))
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
    for row in range(1, 3 if two else 2):
        fig.update_yaxes(title_text=axis("soc_axis", unit, lang), rangemode="tozero", row=row, col=1)
    return _layout(
        fig,
        text("storage", lang),
        sub,
        height=640 if two else 460,
        top=124 if two else 96,
    )


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
    fig.add_trace(
        go.Scatter(
            x=x,
            y=lo.astype(np.float32),
            mode="lines",
            line={"width": 0, "color": colour},
            showlegend=False,
            legendgroup=group,
            visible=visible,
            hoverinfo="skip",
        ),
        row=row,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=hi.astype(np.float32),
            mode="lines",
            line={"width": 0, "color": colour},
            fill="tonexty",
            fillcolor=_lighten(colour, 0.55),
            showlegend=False,
            legendgroup=group,
            visible=visible,
            hoverinfo="skip",
        ),
        row=row,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=mean.astype(np.float32),
            mode="lines",
            name=name,
            legendgroup=group,
            visible=visible,
            line={"color": colour, "width": 1.6},
            hovertemplate=_hover(name, unit),
        ),
        row=row,
        col=1,
    )


# ----------------------------------------------------------------------------- emissions and coal


def _caps(r: Run, kinds: tuple[str, ...]) -> list[tuple[str, np.ndarray]]:
    """(display name, required by period) of the targets of these kinds."""
    ds = r.ds
    out: list[tuple[str, np.ndarray]] = []
    if "target" not in ds.dims or "target_kind" not in ds:
        return out
    for tg in ds["target"].values:
        if str(ds["target_kind"].sel(target=tg).values) in kinds:
            req = np.asarray(ds["target_required"].sel(target=tg).values, dtype=float)
            if np.any(np.isfinite(req)):
                out.append((r.names.target(str(tg)), req))
    return out


def _by_tech_bars(
    fig: go.Figure,
    groups: list[tuple[str, Run]],
    var: str,
    total: str,
    cap_kinds: tuple[str, ...],
    quantity: str,
    title_key: str,
    col: int,
) -> None:
    lang = groups[0][1].lang
    periods = sorted({p for _, r in groups for p in r.periods})
    x = _multi_x([g for g, _ in groups], periods) if len(groups) > 1 else [str(p) for p in periods]
    n = len(x[0]) if len(groups) > 1 else len(periods)
    series: dict[str, dict[str, Any]] = {}
    totals = np.zeros(n)
    caps: dict[str, np.ndarray] = {}
    for gi, (_, r) in enumerate(groups):
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        tot = _values(_get(r.ds, total), len(r.periods))
        totals[idx] = tot
        rest = tot.copy()
        by = _get(r.ds, var)
        if by is not None:
            for t in _techs(r):
                v = _values(by.sel(tech=t).sum("zone"), len(r.periods))
                rest -= v
                if np.any(np.abs(v) > TOL):
                    s = series.setdefault(
                        r.names.tech(t), {"colour": r.colour(t), "y": np.zeros(n), "key": t}
                    )
                    s["y"][idx] = v
        if np.any(rest > 1e-6 * max(float(np.max(tot)), 1.0)):
            s = series.setdefault(
                text("other_sources", lang),
                {"colour": "#e0e0e0", "y": np.zeros(n), "key": "o", "pattern": "."},
            )
            s["y"][idx] = np.clip(rest, 0, None)
        for name, req in _caps(r, cap_kinds):
            c = caps.setdefault(name, np.full(n, np.nan))
            c[idx] = req
    largest = max([float(np.nanmax(totals)) if n else 0.0] + [float(np.nanmax(c)) for c in caps.values()])
    size, unit = scale(quantity, largest, lang)
    unit = per_year(unit, lang)
    for name, s in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=s["y"] / size,
                name=name,
                marker_color=s["colour"],
                marker_pattern={"shape": s.get("pattern", ""), "fgcolor": "#777777"},
                legendgroup=s["key"],
                hovertemplate=_hover(name, unit, ",.3g"),
            ),
            row=1,
            col=col,
        )
    for name, c in caps.items():
        fig.add_trace(
            go.Scatter(
                x=x,
                y=c / size,
                name=f"{text('cap', lang)}{text('colon', lang)}{name}",
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 34, "line": {"width": 3, "color": "#c1121f"}},
                hovertemplate=_hover(f"{text('cap', lang)}{text('colon', lang)}{name}", unit, ",.3g"),
            ),
            row=1,
            col=col,
        )
    fig.update_yaxes(title_text=axis(title_key, unit, lang), row=1, col=col, rangemode="tozero")


def fig_emissions(r: Run) -> go.Figure:
    """CO2 [tCO2/yr] and coal use [tce/yr] by technology and period, with caps of the plan targets."""
    return _emissions([(r.label, r)], r.lang, text("emissions", r.lang), text("emissions_sub", r.lang))


def _emissions(groups: list[tuple[str, Run]], lang: str, title: str, sub: str) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12)
    fig.update_layout(barmode="stack")
    _by_tech_bars(
        fig, groups, "emissions_by_tech", "emissions", ("co2_cap", "co2_peak"), "co2", "co2_axis", 1
    )
    n_left = len(fig.data)
    _by_tech_bars(fig, groups, "coal_use_by_tech", "coal_use", ("coal_cap",), "coal", "coal_axis", 2)
    seen = {tr.name for tr in fig.data[:n_left]}
    for tr in fig.data[n_left:]:
        if tr.name in seen:
            tr.showlegend = False
    for tr in fig.data[:n_left]:
        tr.showlegend = True
    if len(groups) == 1:
        fig.update_xaxes(type="category")
    return _layout(fig, title, sub)


# ----------------------------------------------------------------------------- prices


def _duration(price: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted duration curve as step starts: x = hours with a higher price, y = price (descending).

    More than PLOT_POINTS steps: sampled at PLOT_POINTS + 1 evenly spaced hours (first and last kept)."""
    ok = np.isfinite(price)
    p, w = price[ok], weight[ok]
    order = np.argsort(-p, kind="stable")
    p, w = p[order], w[order]
    end = np.cumsum(w)
    x = np.concatenate([[0.0], end[:-1], [end[-1]]]) if len(p) else np.zeros(0)
    y = np.concatenate([p, p[-1:]]) if len(p) else np.zeros(0)
    if len(p) > PLOT_POINTS:
        xs = np.linspace(0, end[-1], PLOT_POINTS + 1)
        i = np.minimum(np.searchsorted(end, xs, side="right"), len(p) - 1)
        return xs, p[i]
    return x, y


def fig_prices(r: Run) -> go.Figure | None:
    """Duration curves of the marginal price by zone, one panel per period."""
    lang = r.lang
    if "price" not in r.ds or "weight" not in r.ds:
        return None
    price = r.ds["price"]
    weight = r.ds["weight"].values
    fig = make_subplots(
        rows=1,
        cols=len(r.periods),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[str(p) for p in r.periods],
    )
    unit = scale("price", 1.0, lang)[1]
    zone_colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    any_price = False
    for j, p in enumerate(r.periods):
        for k, z in enumerate(r.zones):
            x, y = _duration(np.asarray(price.sel(period=p, zone=z).values, dtype=float), weight)
            if not len(x):
                continue
            any_price = True
            name = r.names.zone(z)
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=name,
                    legendgroup=z,
                    showlegend=j == 0,
                    line={"shape": "hv", "color": zone_colours[k % len(zone_colours)], "width": 2},
                    hovertemplate=f"{name}: %{{y:,.1f}} {unit}, %{{x:,.0f}} h<extra>{p}</extra>",
                ),
                row=1,
                col=j + 1,
            )
        fig.update_xaxes(title_text=axis("hours_axis", scale("hours", 1.0, lang)[1], lang), row=1, col=j + 1)
    if not any_price:
        fig.add_annotation(
            text=text("no_prices", lang), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )
    fig.update_yaxes(title_text=axis("price_axis", unit, lang), row=1, col=1)
    return _layout(fig, text("prices", lang), text("prices_sub", lang), top=124)


# ----------------------------------------------------------------------------- targets


# ----------------------------------------------------------------------------- costs


def _cost_bars(fig: go.Figure, groups: list[tuple[str, Run]], lang: str) -> str:
    periods = sorted({p for _, r in groups for p in r.periods})
    x = _multi_x([g for g, _ in groups], periods) if len(groups) > 1 else [str(p) for p in periods]
    n = len(periods) * len(groups)
    series: dict[str, np.ndarray] = {}
    names: dict[str, str] = {}
    for gi, (_, r) in enumerate(groups):
        ca = _get(r.ds, "cost_annual")
        if ca is None:
            continue
        idx = [gi * len(periods) + periods.index(p) for p in r.periods]
        for c in _dim(r, "component"):
            v = _values(ca.sel(component=c), len(r.periods))
            if np.any(np.abs(v) > TOL):
                series.setdefault(c, np.zeros(n))[idx] = v
                names[c] = r.names.component(c)
    totals = sum(series.values()) if series else np.zeros(1)
    size, unit = scale("money", float(np.max(totals)) if np.size(totals) else 0.0, lang)
    unit = per_year(unit, lang)
    colours = {
        "investment": "#264653",
        "fixed_om": "#2a9d8f",
        "variable_om": "#8ab17d",
        "fuel": "#4a3f35",
        "imports": SPECIAL["imports"],
        "startup": "#e9c46a",
        "heat_boilers": "#f4a261",
        "unserved": "#d62728",
        "demand_response": "#8e44ad",
        "target_penalty": "#e76f51",
    }
    for c, v in series.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=v / size,
                name=names[c],
                marker_color=colours.get(c),
                hovertemplate=_hover(names[c], unit, ",.3f"),
            )
        )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("cost_axis", unit, lang))
    if len(groups) == 1:
        fig.update_xaxes(type="category", title_text=text("period", lang))
    return unit


def _money(v: float, lang: str) -> str:
    size, unit = scale("money", abs(v), lang)
    return f"{v / size:,.3f} {unit}"


def fig_costs(r: Run) -> go.Figure:
    """Annual (undiscounted) cost by component and period; the subtitle gives the present value."""
    fig = go.Figure()
    _cost_bars(fig, [(r.label, r)], r.lang)
    total = float(r.ds.attrs.get("objective", float(r.ds["cost"].sum()) if "cost" in r.ds else 0.0))
    return _layout(fig, text("costs", r.lang), text("costs_sub", r.lang, total=_money(total, r.lang)))


# ----------------------------------------------------------------------------- network


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
    links, chans = _dim(r, "link"), _dim(r, "channel")
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
        e_largest = max(e_largest, float(abs(_annual(r, ds["link_flow"])).max()))
    if "imports" in ds and chans:
        e_largest = max(e_largest, float(_annual(r, ds["imports"]).max()))
    esize, eunit = scale("energy", e_largest, lang)
    eunit = per_year(eunit, lang)
    psize, punit = scale("power", float(ds["demand"].max()) if "demand" in ds else 1.0, lang)
    for pi, p in enumerate(reversed(r.periods)):
        start, vis, notes = len(fig.data), pi == 0, []
        caps = (
            _values(ds["link_capacity"].sel(period=p), len(links))
            if "link_capacity" in ds
            else np.zeros(len(links))
        )
        cmax = max(float(caps.max()) if len(caps) else 0.0, 1.0)
        for k, ln in enumerate(links):
            a, b = str(ds["link_from"].sel(link=ln).values), str(ds["link_to"].sel(link=ln).values)
            (x0, y0), (x1, y1) = pos[a], pos[b]
            net = float(_annual(r, ds["link_flow"].sel(period=p, link=ln))) if "link_flow" in ds else 0.0
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
        for c in chans:
            ox, oy, zx, zy = _channel_position(r, c, pos, span)
            e = float(_annual(r, ds["imports"].sel(period=p, channel=c))) if "imports" in ds else 0.0
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
        fig.update_layout(updatemenus=_menu(buttons))
    fig.update_xaxes(visible=False, range=[-0.5, 1.5])
    fig.update_yaxes(visible=False, range=[-0.45, 1.45])
    return _layout(fig, text("network", lang), text("network_sub", lang, period=periods[0]), height=620)


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
    same = [c for c in _dim(r, "channel") if zone_of.get(c, r.zones[0]) == z]
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


# ----------------------------------------------------------------------------- one run


def figures(ds: xr.Dataset, lang: str = "en") -> dict[str, Item]:
    """The report's figures of one run, by key (charts without content are left out).

    Keys: capacity, changes, energy, dispatch_peak, dispatch_solar, storage, emissions, prices,
    targets (a Table), costs, network. A Dataset with a `scenario` dimension: the first scenario."""
    from gridplan.html_tables import targets_table

    lang = check_lang(lang)
    r = _run(split(ds)[0], lang)
    out: dict[str, Item | None] = {
        "capacity": fig_capacity(r),
        "changes": fig_changes(r),
        "energy": fig_energy(r),
        "dispatch_peak": fig_dispatch(r, "peak"),
        "dispatch_solar": fig_dispatch(r, "solar"),
        "storage": fig_storage(r),
        "emissions": fig_emissions(r),
        "prices": fig_prices(r),
        "targets": targets_table(r),
        "costs": fig_costs(r),
        "network": fig_network(r),
    }
    return {k: v for k, v in out.items() if v is not None}


# ----------------------------------------------------------------------------- several runs


def _compare_capacity_diff(runs: list[Run], lang: str) -> go.Figure | None:
    if len(runs) < 2:
        return None
    ref = runs[0]
    periods = sorted({p for r in runs for p in r.periods})
    x = _multi_x([r.label for r in runs[1:]], periods)
    n = len(x[0])

    def totals(r: Run) -> dict[str, tuple[str, str, np.ndarray]]:
        out = {}
        for key, name, colour, ex, new in _capacity_items(r):
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
                go.Bar(x=x, y=v / size, name=name, marker_color=colour, hovertemplate=_hover(name, unit))
            )
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=axis("capacity_axis", unit, lang))
    return _layout(fig, text("cmp_capacity_diff", lang, ref=ref.label), text("cmp_sub", lang))


def _compare_prices(runs: list[Run], lang: str) -> go.Figure | None:
    common = sorted(set.intersection(*[set(r.periods) for r in runs]))
    if not common or not all("price" in r.ds and "weight" in r.ds for r in runs):
        return None
    p = common[-1]
    zones = list(dict.fromkeys(z for r in runs for z in r.zones))
    fig = make_subplots(
        rows=1,
        cols=len(zones),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[runs[0].names.zone(z) for z in zones],
    )
    unit = scale("price", 1.0, lang)[1]
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    for i, r in enumerate(runs):
        for j, z in enumerate(zones):
            if z not in r.zones:
                continue
            x, y = _duration(
                np.asarray(r.ds["price"].sel(period=p, zone=z).values, dtype=float), r.ds["weight"].values
            )
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=r.label,
                    legendgroup=r.label,
                    showlegend=j == 0,
                    line={"shape": "hv", "color": palette[i % len(palette)], "width": 2},
                    hovertemplate=f"{r.label}: %{{y:,.1f}} {unit}<extra></extra>",
                ),
                row=1,
                col=j + 1,
            )
        for j in range(len(zones)):
            fig.update_xaxes(
                title_text=axis("hours_axis", scale("hours", 1.0, lang)[1], lang), row=1, col=j + 1
            )
    fig.update_yaxes(title_text=axis("price_axis", unit, lang), row=1, col=1)
    return _layout(fig, text("cmp_prices", lang, period=p), text("prices_sub", lang), top=124)


def _compare_dispatch(runs: list[Run], lang: str) -> go.Figure | None:
    """Peak-load week of the last common period, all zones, one panel per run (shared y axis)."""
    common = sorted(set.intersection(*[set(r.periods) for r in runs]))
    if not common or not all("demand" in r.ds and "weight" in r.ds for r in runs):
        return None
    p = common[-1]
    ncol = min(len(runs), 2)
    nrow = -(-len(runs) // ncol)
    fig = make_subplots(
        rows=nrow,
        cols=ncol,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.14,
        subplot_titles=[r.label for r in runs],
    )
    series = [_dispatch_series(r, p, None) for r in runs]
    largest = max(float(np.max(np.abs(v[3]))) for s in series for v in s)
    size, unit = scale("power", largest, lang)
    seen: set[str] = set()
    for i, r in enumerate(runs):
        score = _values(r.ds["demand"].sel(period=p).sum("zone"), r.ds.sizes["time"])
        w = _window(r, score, "peak", f"{p} · {text('all_zones', lang)}")
        row, col = i // ncol + 1, i % ncol + 1
        start = len(fig.data)
        _add_traces_window(fig, series[i], w, unit, size, visible=True, row=row, col=col)
        for tr in fig.data[start:]:
            tr.showlegend = tr.name not in seen
            seen.add(tr.name)
            tr.stackgroup = f"{tr.stackgroup}{i}" if tr.stackgroup else None
        fig.update_xaxes(tickvals=[t for t, _ in w.ticks], ticktext=[s for _, s in w.ticks], row=row, col=col)
        if col == 1:
            fig.update_yaxes(title_text=axis("power_axis", unit, lang), row=row, col=col)
    return _layout(
        fig, text("cmp_dispatch", lang, period=p), text("cmp_sub", lang), height=420 * nrow + 140, top=124
    )


def compare_figures(datasets: list[xr.Dataset], lang: str = "en") -> dict[str, Item]:
    """Figures and tables comparing runs (sweeps split per scenario), labelled by scenario name,
    or by S1, S2, ... when a name is long (then a `plans` table maps each alias to its name).

    Keys: [plans,] summary, capacity, capacity_diff (from the first run), energy, emissions, costs,
    prices, targets, dispatch."""
    from gridplan.html_tables import compare_targets_table, plans_table, summary_table

    lang = check_lang(lang)
    flat = [d for ds in datasets for d in split(ds)]
    if not flat:
        raise ValueError("compare needs at least one results dataset")
    palette = Palette()
    labels = _labels(flat)
    runs = [_run(d, lang, a, palette) for d, a in zip(flat, aliases(labels), strict=True)]
    cap = go.Figure()
    cap.update_layout(barmode="relative")
    size = _stacked_capacity(cap, [(r.label, r, None) for r in runs], lang)
    cap.update_yaxes(title_text=axis("capacity_axis", _unit_label("power", size, lang), lang))
    _layout(cap, text("cmp_capacity", lang), text("capacity_sub", lang), height=520)
    energy = go.Figure()
    _energy_bars(energy, [(r.label, r) for r in runs], lang)
    _layout(energy, text("cmp_energy", lang), text("energy_sub", lang), height=540)
    costs = go.Figure()
    _cost_bars(costs, [(r.label, r) for r in runs], lang)
    _layout(costs, text("cmp_costs", lang), text("cmp_sub", lang))
    out: dict[str, Item | None] = {
        "plans": plans_table(runs, labels, lang) if runs[0].label != labels[0] else None,
        "summary": summary_table(runs, lang),
        "capacity": cap,
        "capacity_diff": _compare_capacity_diff(runs, lang),
        "energy": energy,
        "emissions": _emissions(
            [(r.label, r) for r in runs], lang, text("cmp_emissions", lang), text("emissions_sub", lang)
        ),
        "costs": costs,
        "prices": _compare_prices(runs, lang),
        "targets": compare_targets_table(runs, lang),
        "dispatch": _compare_dispatch(runs, lang),
    }
    return {k: v for k, v in out.items() if v is not None}


# ----------------------------------------------------------------------------- HTML


def _notes(lang: str) -> list[str]:
    return [text("note_downsample", lang, n=PLOT_POINTS), text("note_units", lang)]


def _facts(ds: xr.Dataset, lang: str) -> list[str]:
    from gridplan.html_tables import scenario_facts

    a, c, sep = ds.attrs, text("colon", lang), text("semicolon", lang)
    desc = scenario_facts(ds, lang)
    mode = str(a.get("time_mode", ""))
    steps = text(
        "steps",
        lang,
        mode=text(mode, lang) if mode in ("full_year", "representative_days", "tsam") else mode,
        n=ds.sizes.get("time", 0),
    )
    return [
        f"{text('scenario', lang)}{c}{tidy_label(str(a.get('scenario', '')))}"
        + (f"{text('dash', lang)}{desc}" if desc else ""),
        f"{text('objective', lang)}{c}{_money(float(a.get('objective', np.nan)), lang)}{sep}"
        f"{text('status', lang)}{c}{status_name(str(a.get('solver_status', '')), lang)}{sep}"
        f"{text('time_mode', lang)}{c}{steps}",
        text("generated", lang, version=a.get("gridplan_version", ""), solver=a.get("solver", "")),
    ]


def write_report(ds: xr.Dataset, path: str | Path, lang: str = "en") -> Path:
    """Write the report of one run as a self-contained HTML file (atomically); returns the path."""
    lang = check_lang(lang)
    ds = split(ds)[0]
    title = text("report_title", lang, name=tidy_label(str(ds.attrs.get("scenario", ""))))
    return write_text(Path(path), page(title, _facts(ds, lang), figures(ds, lang), lang, _notes(lang)))


def write_compare(datasets: list[xr.Dataset], path: str | Path, lang: str = "en") -> Path:
    """Write the comparison of several runs as a self-contained HTML file (atomically)."""
    lang = check_lang(lang)
    flat = [d for ds in datasets for d in split(ds)]
    labels = _labels(flat)
    c = text("colon", lang)
    facts = [
        f"{lab}{c}{_money(float(d.attrs.get('objective', np.nan)), lang)}"
        f"{text('paren', lang, x=status_name(str(d.attrs.get('solver_status', '')), lang))}"
        for lab, d in zip(aliases(labels), flat, strict=True)
    ]
    items = compare_figures(flat, lang)
    return write_text(Path(path), page(text("compare", lang), facts, items, lang, _notes(lang)))


# ----------------------------------------------------------------------------- command line


def _open(path: Path) -> list[xr.Dataset]:
    from gridplan.case import is_file

    if not is_file(Path(path)):
        typer.echo(f"error: {path}: no such results file", err=True)
        raise typer.Exit(2)
    try:
        parts = load(path)
    except (OSError, ValueError) as e:
        typer.echo(f"error: {path}: not a readable results file ({e})", err=True)
        raise typer.Exit(2) from e
    need = ("period", "capacity_new")
    for ds in parts:
        missing = [v for v in need if v not in ds.variables]
        if missing:
            typer.echo(
                f"error: {path}: not a gridplan results file (no {', '.join(missing)}); expected the "
                "results.nc of `gridplan run` or the sweep.nc of `gridplan sweep`",
                err=True,
            )
            raise typer.Exit(2)
    return parts


def _lang(lang: str) -> str:
    try:
        return check_lang(lang)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e


def report_cli(
    results: Annotated[Path, typer.Argument(help="results.nc of a run (or of a sweep)")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file; default report.html beside the results")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the report: en or zh")] = "en",
) -> None:
    """Write an interactive HTML report of one run (a sweep: one report per scenario)."""
    lang = _lang(lang)
    parts = _open(results)
    out = output or results.with_name("report.html" if lang == "en" else "report.zh.html")
    if not parts:
        typer.echo(f"error: {results}: no solved scenario in the file", err=True)
        raise typer.Exit(2)
    if len(parts) == 1:
        typer.echo(f"report: {write_report(parts[0], out, lang)}")
        return
    for d, label in zip(parts, _labels(parts), strict=True):
        safe = "".join(c if c.isalnum() or c in "-." else "_" for c in label)
        safe = "_".join(w for w in safe.split("_") if w)[:60]
        typer.echo(f"report: {write_report(d, out.with_name(f'{out.stem}-{safe}{out.suffix}'), lang)}")


def compare_cli(
    results: Annotated[
        list[Path], typer.Argument(help="results.nc files (a sweep file counts as its scenarios)")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file; default compare.html")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the report: en or zh")] = "en",
) -> None:
    """Compare runs side by side in one interactive HTML file, labelled by scenario name."""
    lang = _lang(lang)
    datasets = [d for p in results for d in _open(p)]
    out = output or Path("compare.html" if lang == "en" else "compare.zh.html")
    typer.echo(f"compare: {write_compare(datasets, out, lang)}")
