"""Zones joined by links, and import channels from outside the province.

Links (both directions, loss on the energy sent):
    flow_fwd[l,p,t] <= cap[l,p];  flow_bwd[l,p,t] <= cap[l,p]          (link_fwd_max, link_bwd_max)
    balance[from] += -flow_fwd + (1 - loss) * flow_bwd
    balance[to]   += (1 - loss) * flow_fwd - flow_bwd
Import channels (renewable and other energy kept apart, so shares can be required):
    imp_re[c,p,t] + imp_oth[c,p,t] <= avail[c,t] * cap[c,p]                     (import_max)
    imp_re[c,p,t] <= avail_re[c,t] * cap[c,p]   with a sending-end renewable_profile (import_re_avail)
    emissions[p] += co2_intensity_c * sum_t w imp_oth[c,p,t]                     (if counts_in_co2)
    sum_t w imp_re = share_c * sum_t w (imp_re + imp_oth)     if share declared (import_share_fixed)
    min_energy_c <= sum_t w (imp_re + imp_oth) <= max_energy_c                  (import_energy_min/max)
    shape_c[k] * min_energy_c <= sum_t wm[k,t] (imp_re + imp_oth) <= shape_c[k] * max_energy_c
                                     for each month k, with a monthly_shape   (import_month_min/max)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from gridplan.lp.family import Family, Readback, series
from gridplan.lp.generators import availability
from gridplan.lp.investment import Fleet, FleetNames, add_fleet
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW, MW, MWH_TO_TWH, PER_MWH, TWH
from gridplan.timesteps import month_weights

LINK = FleetNames(
    "link", "links", new="link_new", cap="link_cap", cap_def="link_cap_def", potential="link_potential"
)
IMPORT = FleetNames(
    "import",
    "imports",
    new="import_new",
    cap="import_cap",
    cap_def="import_cap_def",
    potential="import_potential",
)


def _fleet(ctx: Ctx, names: FleetNames, items: dict[str, Any], fom: bool) -> Fleet:
    """Capacity data of links or import channels [GW], keyed by the item's name."""
    section = names.section
    n_p = len(ctx.periods)
    keys = list(items)
    rows: list[tuple[str, ...]] = [(k,) for k in keys]
    ex = (
        np.array([ctx.by_period(items[k].capacity, f"{section}.{k}.capacity") for k in keys]).reshape(-1, n_p)
        * MW
    )
    hi = (
        np.array([ctx.by_period(items[k].build_max, f"{section}.{k}.build_max") for k in keys]).reshape(
            -1, n_p
        )
        * MW
    )
    capex = np.array([np.full(n_p, items[k].capex) for k in keys]).reshape(-1, n_p)
    return Fleet(
        names,
        rows,
        ex,
        np.zeros_like(hi),
        hi,
        np.full(len(keys), np.inf),
        np.array([items[k].lifetime for k in keys]),
        capex,
        np.array([items[k].fom if fom else 0.0 for k in keys]),
    )


def add_links(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    links = ctx.inputs.scenario.links
    cap, _ = add_fleet(ctx, m, _fleet(ctx, LINK, links, fom=True))
    idx = [(n, p, t) for n in links for p in ctx.periods for t in ctx.steps]
    m.flow_fwd = pyo.Var(idx, domain=pyo.NonNegativeReals)
    m.flow_bwd = pyo.Var(idx, domain=pyo.NonNegativeReals)
    fwd, bwd = m.flow_fwd, m.flow_bwd
    m.link_fwd_max = pyo.Constraint(idx, rule=lambda _m, n, p, t: fwd[n, p, t] <= cap[n, p])
    m.link_bwd_max = pyo.Constraint(idx, rule=lambda _m, n, p, t: bwd[n, p, t] <= cap[n, p])
    for n, ln in links.items():
        for p in ctx.periods:
            ctx.add_balance(ln.from_zone, p, -1.0, fwd, (n, p))
            ctx.add_balance(ln.from_zone, p, 1.0 - ln.loss, bwd, (n, p))
            ctx.add_balance(ln.to_zone, p, 1.0 - ln.loss, fwd, (n, p))
            ctx.add_balance(ln.to_zone, p, -1.0, bwd, (n, p))
    ctx.info["link"] = list(links)


def add_imports(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    chans = ctx.inputs.scenario.imports
    cap, _ = add_fleet(ctx, m, _fleet(ctx, IMPORT, chans, fom=False))
    P, T = ctx.periods, ctx.steps
    idx = [(c, p, t) for c in chans for p in P for t in T]
    m.imp_re = pyo.Var(idx, domain=pyo.NonNegativeReals)
    m.imp_oth = pyo.Var(idx, domain=pyo.NonNegativeReals)
    re, oth = m.imp_re, m.imp_oth
    avail = {
        c: (availability(ctx, ch.profile, c) if ch.profile else np.ones(ctx.time.n))
        for c, ch in chans.items()
    }
    m.import_max = pyo.Constraint(
        idx, rule=lambda _m, c, p, t: re[c, p, t] + oth[c, p, t] <= float(avail[c][t]) * cap[c, p]
    )
    sending = {
        c: availability(ctx, ch.renewable_profile, c) for c, ch in chans.items() if ch.renewable_profile
    }
    m.import_re_avail = pyo.Constraint(
        [(c, p, t) for c in sending for p in P for t in T],
        rule=lambda _m, c, p, t: re[c, p, t] <= float(sending[c][t]) * cap[c, p],
    )
    total = {(c, p): ctx.annual(re, (c, p)) + ctx.annual(oth, (c, p)) for c in chans for p in P}
    share = {c: ch.renewable_share for c, ch in chans.items() if ch.renewable_share is not None}
    fixed = [(c, p) for c in share for p in P]
    m.import_share_fixed = pyo.Constraint(
        fixed,
        rule=lambda _m, c, p: TWH * ctx.annual(re, (c, p)) == share[c] * TWH * total[c, p],
    )
    lo = {c: ctx.by_period(ch.min_energy, f"imports.{c}.min_energy") for c, ch in chans.items()}
    hi = {c: ctx.by_period(ch.max_energy, f"imports.{c}.max_energy") for c, ch in chans.items()}
    m.import_energy_min = pyo.Constraint(
        [(c, p) for c in chans for j, p in enumerate(P) if lo[c][j] > 0],
        rule=lambda _m, c, p: TWH * total[c, p] >= float(lo[c][P.index(p)]) * MWH_TO_TWH,
    )
    m.import_energy_max = pyo.Constraint(
        [(c, p) for c in chans for j, p in enumerate(P) if np.isfinite(hi[c][j])],
        rule=lambda _m, c, p: TWH * total[c, p] <= float(hi[c][P.index(p)]) * MWH_TO_TWH,
    )
    _monthly(ctx, m, lo, hi)
    for c, ch in chans.items():
        price = ctx.by_period(ch.price, f"imports.{c}.price")
        price_re = (
            price
            if ch.price_renewable is None
            else ctx.by_period(ch.price_renewable, f"imports.{c}.price_renewable")
        )
        for j, p in enumerate(P):
            ctx.capacity[(c, ch.zone, p)] = cap[c, p]
            ctx.add_balance(ch.zone, p, 1.0, re, (c, p))
            ctx.add_balance(ch.zone, p, 1.0, oth, (c, p))
            ctx.add_cost(
                "imports",
                p,
                PER_MWH
                * (float(price[j]) * ctx.annual(oth, (c, p)) + float(price_re[j]) * ctx.annual(re, (c, p))),
            )
            if ch.co2_intensity and ch.counts_in_co2:
                ctx.emissions[p] += ch.co2_intensity * MW * ctx.annual(oth, (c, p))
    ctx.info["import"] = list(chans)


def _monthly(ctx: Ctx, m: pyo.ConcreteModel, lo: dict[str, np.ndarray], hi: dict[str, np.ndarray]) -> None:
    """Contracts with a monthly shape: the month's energy against its share of the annual limits
    (import_month_min, import_month_max), with month_weights[m, t] the hours of month m step t
    stands for."""
    shaped = {c: ch.monthly_shape for c, ch in ctx.inputs.scenario.imports.items() if ch.monthly_shape}
    if not shaped:
        m.import_month_min = pyo.Constraint([])
        m.import_month_max = pyo.Constraint([])
        return
    P = ctx.periods
    wm = month_weights(ctx.time)

    def energy(c: str, p: int, k: int) -> Any:
        return TWH * sum(
            float(wm[k, t]) * (m.imp_re[c, p, t] + m.imp_oth[c, p, t]) for t in ctx.steps if wm[k, t]
        )

    def rows(limit: dict[str, np.ndarray], ok: Any) -> list[tuple[str, int, int]]:
        return [
            (c, p, k)
            for c, shape in shaped.items()
            for j, p in enumerate(P)
            if ok(limit[c][j])
            for k in range(12)
        ]

    m.import_month_min = pyo.Constraint(
        rows(lo, lambda v: v > 0),
        rule=lambda _m, c, p, k: energy(c, p, k) >= shaped[c][k] * float(lo[c][P.index(p)]) * MWH_TO_TWH,
    )
    m.import_month_max = pyo.Constraint(
        rows(hi, np.isfinite),
        rule=lambda _m, c, p, k: energy(c, p, k) <= shaped[c][k] * float(hi[c][P.index(p)]) * MWH_TO_TWH,
    )


def read_links(rb: Readback) -> None:
    """Flows sent each way, net flow and capacity of the links [MW]."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    P, L = ctx.periods, ctx.info["link"]
    flow = np.zeros((len(P), len(L), T))
    fwd = np.zeros((len(P), len(L), T))
    bwd = np.zeros((len(P), len(L), T))
    lcap = np.zeros((len(P), len(L)))
    for i, n in enumerate(L):
        for j, p in enumerate(P):
            fwd[j, i] = series(m.flow_fwd, (n, p), T) * GW
            bwd[j, i] = series(m.flow_bwd, (n, p), T) * GW
            flow[j, i] = fwd[j, i] - bwd[j, i]
            lcap[j, i] = (m.link_cap[n, p].value or 0.0) * GW
    # both directions: a link may carry flow both ways in one hour (burning surplus in losses at no
    # cost), so losses and zone balances need both, not only the net flow
    ds["link_sent_forward"] = (
        ("period", "link", "time"),
        fwd,
        {"units": "MW", "long_name": "sent from 'from' to 'to'"},
    )
    ds["link_sent_backward"] = (
        ("period", "link", "time"),
        bwd,
        {"units": "MW", "long_name": "sent from 'to' to 'from'"},
    )
    ds["link_flow"] = (
        ("period", "link", "time"),
        flow,
        {"units": "MW", "long_name": "net flow from 'from' to 'to' (sent)"},
    )
    ds["link_capacity"] = (("period", "link"), lcap, {"units": "MW"})
    ds["link_from"] = ("link", [ctx.inputs.scenario.links[n].from_zone for n in L])
    ds["link_to"] = ("link", [ctx.inputs.scenario.links[n].to_zone for n in L])


def read_imports(rb: Readback) -> None:
    """Imported power, its renewable part and the channels' capacity [MW]."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    P, C = ctx.periods, ctx.info["import"]
    imp = np.zeros((len(P), len(C), T))
    imp_re = np.zeros((len(P), len(C), T))
    icap = np.zeros((len(P), len(C)))
    for i, c in enumerate(C):
        for j, p in enumerate(P):
            imp_re[j, i] = series(m.imp_re, (c, p), T) * GW
            imp[j, i] = imp_re[j, i] + series(m.imp_oth, (c, p), T) * GW
            icap[j, i] = (m.import_cap[c, p].value or 0.0) * GW
    ds["imports"] = (("period", "channel", "time"), imp, {"units": "MW"})
    ds["imports_renewable"] = (("period", "channel", "time"), imp_re, {"units": "MW"})
    ds["import_capacity"] = (("period", "channel"), icap, {"units": "MW"})
    ds["channel_zone"] = ("channel", [ctx.inputs.scenario.imports[c].zone for c in C])


LINKS = Family(
    "links",
    add_links,
    (*LINK.components, "flow_fwd", "flow_bwd", "link_fwd_max", "link_bwd_max"),
    read_links,
    fleets=(LINK,),
)
IMPORTS = Family(
    "imports",
    add_imports,
    (
        *IMPORT.components,
        "imp_re",
        "imp_oth",
        "import_max",
        "import_re_avail",
        "import_share_fixed",
        "import_energy_min",
        "import_energy_max",
        "import_month_min",
        "import_month_max",
    ),
    read_imports,
    fleets=(IMPORT,),
)
