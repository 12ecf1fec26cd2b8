"""The series the charts draw: capacity items, and the energy flows of the energy and dispatch charts.

The flows are declared once, in FAMILIES: a family is one kind of member (technologies, import
channels, corridors, storage, demand response, unserved energy, load) and its flows, each a results
variable [MW per step] with the side of zero it is stacked on. The energy chart reads every flow as
sum_t weight[t] * x[t] [MWh/yr] by period, all zones, for the families in ENERGY (in that order);
the dispatch chart reads it per step of one period, in one zone or all, for those in DISPATCH.
Adding a family (say hydrogen storage) is one entry in FAMILIES and its name in ENERGY and DISPATCH.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gridplan.report.i18n import text
from gridplan.report.run import (
    SPECIAL,
    TOL,
    Run,
    annual,
    as_array,
    charge_colour,
    dim_labels,
    link_directions,
    link_loss,
    storage_existing,
    tech_labels,
    variable,
    zone_sum,
)

Series = tuple[str, str, str, np.ndarray, str]  # (legend key, name, colour, values, stack)
Member = tuple[str, str, str]  # (legend key, display name, colour)


@dataclass(frozen=True)
class Flow:
    """One results variable of a family [MW per step].

    stack      pos: above zero | neg: below zero (values negated) | curtailed: the energy chart's
               hatched bars | line: the dispatch chart's load line
    suffix     text key appended to the member's name ('' : the name alone)
    charge     drawn in the lighter charge shade of the member's colour
    annual_var the results' own annual variable [MWh/yr], read instead of summing var when present
    """

    var: str
    stack: str = "pos"
    suffix: str = ""
    charge: bool = False
    annual_var: str = ""


@dataclass(frozen=True)
class Family:
    """Members along dimension `dim` ('' : one series over all members) and their flows; `zone_of`
    ties a member to one zone (import channels); `energy`/`dispatch` read a family whose series are
    not one per member and flow (corridors: losses, inflow and outflow of a zone)."""

    dim: str
    member: Callable[[Run, str], Member] | None = None
    flows: tuple[Flow, ...] = ()
    zone_of: Callable[[Run, str], str | None] | None = None
    energy: Callable[[Run], list[Series]] | None = None
    dispatch: Callable[[Run, int, str | None], list[Series]] | None = None


def _tech(r: Run, t: str) -> Member:
    return t, r.names.tech(t), r.colour(t)


def _channel(r: Run, c: str) -> Member:
    return f"imp:{c}", r.names.channel(c), r.colour(f"imp:{c}")


def _storage(r: Run, s: str) -> Member:
    return s, r.names.storage(s), r.colour(s, "storage")


def _dr(r: Run, d: str) -> Member:
    return f"dr:{d}", r.names.dr(d), r.colour(f"dr:{d}")


def _unserved(r: Run, _: str) -> Member:
    return "unserved", text("unserved", r.lang), SPECIAL["unserved"]


def _load(r: Run, _: str) -> Member:
    return "demand", text("demand", r.lang), SPECIAL["demand"]


def _channel_zone(r: Run, channel: str) -> str | None:
    return str(r.ds["channel_zone"].sel(channel=channel).values) if "channel_zone" in r.ds else None


def _corridor_energy(r: Run) -> list[Series]:
    """Corridor losses [MWh/yr]: sum over links of loss * annual energy sent both ways."""
    ds, n = r.ds, len(r.periods)
    if "link_flow" not in ds or "link" not in ds.dims:
        return []
    fwd, bwd = link_directions(ds)
    loss = sum(
        link_loss(r, ln) * as_array(annual(r, fwd.sel(link=ln) + bwd.sel(link=ln)), n)
        for ln in dim_labels(r, "link")
    )
    return [("losses", text("link_losses", r.lang), SPECIAL["losses"], -np.asarray(loss) * np.ones(n), "neg")]


def _corridor_dispatch(r: Run, p: int, zone: str | None) -> list[Series]:
    """All zones: corridor losses [MW]; one zone: inflow (after losses) and outflow."""
    ds, lang = r.ds, r.lang
    if "link_flow" not in ds or "link" not in ds.dims:
        return []
    T = ds.sizes["time"]
    recv, sent = np.zeros(T), np.zeros(T)
    for ln in dim_labels(r, "link"):
        a, b = str(ds["link_from"].sel(link=ln).values), str(ds["link_to"].sel(link=ln).values)
        lo = link_loss(r, ln)
        fwd, bwd = (as_array(d.sel({"period": p}).sel(link=ln), T) for d in link_directions(ds))
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
        return [("losses", text("link_losses", lang), SPECIAL["losses"], -sent, "neg")]
    return [
        ("link_in", text("link_in", lang), SPECIAL["link"], recv, "pos"),
        ("link_out", text("link_out", lang), SPECIAL["link"], -sent, "neg"),
    ]


FAMILIES: dict[str, Family] = {
    "generation": Family("tech", _tech, (Flow("generation", annual_var="energy"),)),
    "curtailment": Family(
        "tech", _tech, (Flow("curtailment", "curtailed", "curtailed", annual_var="curtailed_energy"),)
    ),
    "imports": Family("channel", _channel, (Flow("imports"),), zone_of=_channel_zone),
    "corridors": Family("link", energy=_corridor_energy, dispatch=_corridor_dispatch),
    "storage": Family(
        "storage",
        _storage,
        (
            Flow("storage_discharge", "pos", "storage_discharge"),
            Flow("storage_charge", "neg", "storage_charge", charge=True),
        ),
    ),
    "demand_response": Family("dr", _dr, (Flow("dr_reduction"), Flow("dr_payback", "neg", "dr_payback"))),
    "unserved": Family("", _unserved, (Flow("unserved"),)),
    "load": Family("", _load, (Flow("demand", "line"),)),
}
ENERGY = ("generation", "imports", "storage", "demand_response", "unserved", "corridors", "curtailment")
DISPATCH = ("generation", "imports", "corridors", "storage", "demand_response", "unserved", "load")


def capacity_items(r: Run) -> list[tuple[str, str, str, np.ndarray, np.ndarray]]:
    """(key, name, colour, existing[P, Z], new[P, Z]) of each technology and storage, MW."""
    out = []
    ds = r.ds
    for t in tech_labels(r):
        cap = as_array(ds["capacity"].sel(tech=t), 0)
        existing = variable(ds, "capacity_existing")
        ex = (
            np.minimum(as_array(existing.sel(tech=t), 0), cap) if existing is not None else np.zeros_like(cap)
        )
        out.append((t, r.names.tech(t), r.colour(t), ex, cap - ex))
    if "storage_power" in ds:
        ex_all = storage_existing(r)
        for k, s in enumerate(dim_labels(r, "storage")):
            cap = as_array(ds["storage_power"].sel(storage=s), 0)
            ex = np.minimum(ex_all[:, :, k], cap)
            out.append((s, r.names.storage(s), r.colour(s, "storage"), ex, cap - ex))
    return [x for x in out if float(np.abs(x[3]).sum() + np.abs(x[4]).sum()) > TOL]


Reader = Callable[[Family, Flow, str], np.ndarray]  # values of one flow of one member


def _series(r: Run, fam: Family, zone: str | None, read: Reader, with_annual: bool) -> list[Series]:
    """One series per member (in `zone`, when members belong to zones) and flow present in the results."""
    flows = [f for f in fam.flows if f.var in r.ds or (with_annual and f.annual_var and f.annual_var in r.ds)]
    if not flows or fam.member is None or (fam.dim and fam.dim not in r.ds.dims):
        return []
    out: list[Series] = []
    for m in dim_labels(r, fam.dim) if fam.dim else [""]:
        if fam.zone_of is not None and zone is not None and fam.zone_of(r, m) != zone:
            continue
        key, name, colour = fam.member(r, m)
        for f in flows:
            label = f"{name} {text(f.suffix, r.lang)}" if f.suffix else name
            values = read(fam, f, m)
            out.append(
                (
                    key,
                    label,
                    charge_colour(colour) if f.charge else colour,
                    -values if f.stack == "neg" else values,
                    f.stack,
                )
            )
    return out


def energy_series(r: Run) -> list[Series]:
    """(key, name, colour, MWh/yr by period, stack) of the ENERGY families, all zones, zero series left out."""
    ds, n = r.ds, len(r.periods)

    def read(fam: Family, f: Flow, m: str) -> np.ndarray:
        if f.annual_var:
            da = ds[f.annual_var] if f.annual_var in ds else annual(r, ds[f.var])
            return as_array(da.sel({fam.dim: m}).sum("zone"), n)
        da = ds[f.var].sel({fam.dim: m}) if fam.dim else ds[f.var]
        return as_array(annual(r, zone_sum(da, None)), n)

    out: list[Series] = []
    for name in ENERGY:
        fam = FAMILIES[name]
        out += fam.energy(r) if fam.energy is not None else _series(r, fam, None, read, with_annual=True)
    return [x for x in out if float(np.abs(x[3]).sum()) > TOL]


def dispatch_series(r: Run, p: int, zone: str | None) -> list[Series]:
    """(key, name, colour, MW[T], stack) of the DISPATCH families in period p, one zone (None: all);
    read once per run (the peak-week and solar-week charts show the same views)."""
    if (p, zone) not in r.dispatch:
        r.dispatch[p, zone] = _dispatch_series(r, p, zone)
    return list(r.dispatch[p, zone])


def _dispatch_series(r: Run, p: int, zone: str | None) -> list[Series]:
    ds = r.ds
    T = ds.sizes["time"]

    def read(fam: Family, f: Flow, m: str) -> np.ndarray:
        da = ds[f.var].sel({"period": p})
        return as_array(zone_sum(da.sel({fam.dim: m}) if fam.dim else da, zone), T)

    out: list[Series] = []
    for name in DISPATCH:
        fam = FAMILIES[name]
        out += fam.dispatch(r, p, zone) if fam.dispatch is not None else _series(r, fam, zone, read, False)
    return out
