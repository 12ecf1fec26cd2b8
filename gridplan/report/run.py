"""One results Dataset ready to plot: the Run, its colours, and the readers of its variables.

A Dataset with a `scenario` dimension (a sweep) is split into one run per scenario label
(`split`, `load_runs`). Quantities are those of the results file (MW, MWh, CNY, tCO2, tce);
annual energies are sum_t weight[t] * x[t] (weight: hours each step represents).
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from gridplan.case.values import per_zone_period
from gridplan.kinds import TECH_KINDS
from gridplan.report.html import tidy_label
from gridplan.report.i18n import Names

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
    # report/series.py's dispatch_series, read once per (period, zone)
    dispatch: dict[tuple[int, str | None], list[Any]] = field(default_factory=dict, repr=False, compare=False)

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
    return lighten(colour, 0.5)


def lighten(hex_colour: str, amount: float) -> str:
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


def load_runs(path: str | Path) -> list[xr.Dataset]:
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


def run_labels(datasets: list[xr.Dataset]) -> list[str]:
    """Scenario names (long decimals cut to 4 significant digits), made unique by a counter."""
    out: list[str] = []
    for i, ds in enumerate(datasets):
        name = tidy_label(str(ds.attrs.get("scenario") or f"run {i + 1}"))
        label, n = name, 2
        while label in out:
            label, n = f"{name} ({n})", n + 1
        out.append(label)
    return out


def make_run(ds: xr.Dataset, lang: str, label: str | None = None, palette: Palette | None = None) -> Run:
    """A Run: display names from the scenario (and the targets' Chinese names), periods, zones."""
    zh = {}
    if "target" in ds.dims and "target_name_zh" in ds:
        zh = {str(k): str(v) for k, v in zip(ds["target"].values, ds["target_name_zh"].values, strict=True)}
    names = Names.of(dict(ds.attrs), lang, zh)
    periods = [int(p) for p in ds["period"].values]
    zones = [str(z) for z in ds["zone"].values]
    label = label or str(ds.attrs.get("scenario", ""))
    return Run(ds, lang, label, names, periods, zones, palette or Palette())


def variable(ds: xr.Dataset, name: str) -> xr.DataArray | None:
    """The variable `name`, or None when the results do not have it."""
    return ds[name] if name in ds.variables else None


def zone_sum(da: xr.DataArray, zone: str | None) -> xr.DataArray:
    """Sum over zones, or one zone."""
    if "zone" not in da.dims:
        return da
    return da.sum("zone") if zone is None else da.sel(zone=zone)


def annual(r: Run, da: xr.DataArray) -> xr.DataArray:
    """sum_t weight[t] * x[t]: MW -> MWh/yr."""
    return (da * r.ds["weight"]).sum("time")


def as_array(da: xr.DataArray | None, n: int) -> np.ndarray:
    """Values as floats, NaN as 0; None: n zeros."""
    return np.zeros(n) if da is None else np.nan_to_num(np.asarray(da.values, dtype=float))


def scenario_per_zone_period(value: Any, zones: list[str], periods: list[int]) -> np.ndarray:
    """A scenario value (scalar | {zone: scalar | {period: v}}, as stored in the results, period keys
    as text) read by the case's reader, gridplan/case/values.py -> array [period, zone] (missing 0)."""
    if isinstance(value, dict):
        value = {z: {int(p): x for p, x in v.items()} if isinstance(v, dict) else v for z, v in value.items()}
    return np.nan_to_num(per_zone_period(value, zones, periods, ("results", "scenario_yaml"), [])).T


def storage_existing(r: Run) -> np.ndarray:
    """Existing storage power [MW] from the scenario, as [period, zone, storage]."""
    S = [str(s) for s in r.ds["storage"].values] if "storage" in r.ds.dims else []
    out = np.zeros((len(r.periods), len(r.zones), len(S)))
    for k, s in enumerate(S):
        entry = (r.names.sc.get("storage") or {}).get(s) or {}
        out[:, :, k] = scenario_per_zone_period(entry.get("existing", 0.0), r.zones, r.periods)
    return out


def link_loss(r: Run, link: str) -> float:
    """Loss of a corridor [p.u. of the energy sent], from the scenario."""
    entry = (r.names.sc.get("links") or {}).get(link) or {}
    return float(entry.get("loss", 0.0) or 0.0)


def is_solar(r: Run, tech: str) -> bool:
    """Solar by name: "solar" or "pv" in the key, profile or groups (a keyword test, not a kind)."""
    info = r.names.tech_info(tech)
    words = " ".join([tech, str(info.get("profile") or ""), " ".join(info.get("groups") or [])]).lower()
    return "solar" in words or "pv" in words.split("_") or " pv" in f" {words}"


def is_variable(r: Run, tech: str) -> bool:
    """A curtailable technology (kinds.TechKind.curtailable: solar, wind); without its scenario
    entry, one with curtailment in the results."""
    info = r.names.tech_info(tech)
    if info:
        kind = TECH_KINDS.get(str(info.get("kind")))
        return kind is not None and kind.curtailable
    cur = variable(r.ds, "curtailment")
    return cur is not None and float(abs(cur.sel(tech=tech)).sum()) > 0


def tech_labels(r: Run) -> list[str]:
    """The technologies of the results."""
    return [str(t) for t in r.ds["tech"].values] if "tech" in r.ds.dims else []


def dim_labels(r: Run, name: str) -> list[str]:
    """The labels of dimension `name` ([] when the results do not have it)."""
    return [str(x) for x in r.ds[name].values] if name in r.ds.dims else []


def link_directions(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """Energy sent forward and backward on each link [MW]; from the net flow for older files."""
    if "link_sent_forward" in ds:
        return ds["link_sent_forward"], ds["link_sent_backward"]
    return ds["link_flow"].clip(min=0), (-ds["link_flow"]).clip(min=0)
