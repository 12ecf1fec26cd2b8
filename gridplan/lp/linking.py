"""Storage linked across representative periods (Kotzur et al. 2018, Applied Energy 213).

Each original period i = 0..N-1 of the year (a day, a week, ...) is represented by block
b(i) = order[i] of L steps and lasts R_i hours (R_i = L, except a shorter last period when L
does not divide 8760; it counts as frac_i = R_i / L of its block, as in the step weights).
`soc` of linked storage is the state of charge relative to the block's start (lp/storage.py);
`soc_inter[i]` is the absolute state at the start of period i [GWh]:

    soc_inter[i+1] = (1 - loss)^R_i * soc_inter[i] + frac_i * soc[b(i), last step]   (sto_inter_balance)
    soc_inter[N] = soc_inter[0]                                                     (sto_inter_cyclic)
    soc_hi[b] >= soc[b, t] and soc_lo[b] <= soc[b, t] for t in block b;
    soc_hi >= 0 >= soc_lo (the block's start is one of its states)                  (sto_intra_hi, sto_intra_lo)
    soc_inter[i] + soc_hi[b(i)] <= ecap                                             (sto_linked_max)
    (1 - loss)^R_i * soc_inter[i] + soc_lo[b(i)] >= 0                               (sto_linked_min)

so the absolute state (1 - loss)^(k+1) soc_inter[i] + soc[b(i), k] stays within [0, ecap] after
every hour k of every original period: exactly so without self-discharge, conservatively with it.
Summed over the year the link charges each block count_b times (= its step weight), so the
weighted energy balance of the storage closes: no energy is created across periods.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from gridplan.case import HOURS
from gridplan.lp.family import Family, Readback, series
from gridplan.lp.storage import is_linked
from gridplan.lp.terms import Ctx
from gridplan.lp.units import GW
from gridplan.timesteps import linked_soc_year, period_hours


def add_linking(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    items = [(n, z) for n, z in ctx.info.get("sto", []) if is_linked(ctx, n)]
    ctx.info["linked"] = items
    if not items:
        return
    P = ctx.periods
    order = [int(b) for b in ctx.time.order]
    N, L = len(order), ctx.time.block_len
    hours = period_hours(ctx.time)
    frac = hours / L
    blocks = range(ctx.time.n_blocks)
    last = {b: b * L + L - 1 for b in blocks}
    m.soc_inter = pyo.Var(
        [(n, z, p, i) for n, z in items for p in P for i in range(N + 1)], domain=pyo.NonNegativeReals
    )
    bidx = [(n, z, p, b) for n, z in items for p in P for b in blocks]
    m.soc_hi = pyo.Var(bidx, domain=pyo.NonNegativeReals)
    m.soc_lo = pyo.Var(bidx, domain=pyo.NonPositiveReals)
    soc, si, hi, lo = m.soc, m.soc_inter, m.soc_hi, m.soc_lo
    ecap = m.sto_energy_cap
    keep = {n: 1.0 - ctx.inputs.scenario.storage[n].self_discharge for n, _ in items}
    decay = {n: keep[n] ** hours for n in keep}
    idx = [(n, z, p, i) for n, z in items for p in P for i in range(N)]
    m.sto_inter_balance = pyo.Constraint(
        idx,
        rule=lambda _m, n, z, p, i: (
            si[n, z, p, i + 1]
            == float(decay[n][i]) * si[n, z, p, i] + float(frac[i]) * soc[n, z, p, last[order[i]]]
        ),
    )
    m.sto_inter_cyclic = pyo.Constraint(
        [(n, z, p) for n, z in items for p in P], rule=lambda _m, n, z, p: si[n, z, p, N] == si[n, z, p, 0]
    )
    steps = [(n, z, p, t) for n, z in items for p in P for t in ctx.steps]
    block = np.asarray(ctx.time.block)
    m.sto_intra_hi = pyo.Constraint(
        steps, rule=lambda _m, n, z, p, t: hi[n, z, p, int(block[t])] >= soc[n, z, p, t]
    )
    m.sto_intra_lo = pyo.Constraint(
        steps, rule=lambda _m, n, z, p, t: lo[n, z, p, int(block[t])] <= soc[n, z, p, t]
    )
    m.sto_linked_max = pyo.Constraint(
        idx, rule=lambda _m, n, z, p, i: si[n, z, p, i] + hi[n, z, p, order[i]] <= ecap[n, z, p]
    )
    m.sto_linked_min = pyo.Constraint(
        idx, rule=lambda _m, n, z, p, i: float(decay[n][i]) * si[n, z, p, i] + lo[n, z, p, order[i]] >= 0
    )


def read_linking(rb: Readback) -> None:
    """storage_soc_year: the absolute state of charge of linked storage over the year [MWh]."""
    m, ctx, ds, T = rb.m, rb.ctx, rb.ds, rb.n_steps
    linked = set(ctx.info.get("linked", []))
    if not linked:
        return
    P, Z, S = ctx.periods, ctx.zones, list(ctx.inputs.scenario.storage)
    N, L = len(ctx.time.order), ctx.time.block_len
    year = np.zeros((len(P), len(Z), len(S), HOURS))
    for n, z in linked:
        loss = ctx.inputs.scenario.storage[n].self_discharge
        for p in P:
            intra = series(m.soc, (n, z, p), T)
            inter = np.array([m.soc_inter[n, z, p, i].value or 0.0 for i in range(N)])
            year[P.index(p), Z.index(z), S.index(n)] = (
                linked_soc_year(intra, inter, ctx.time.order, L, loss) * GW
            )
    ds["storage_soc_year"] = (
        ("period", "zone", "storage", "hour"),
        year,
        {"units": "MWh", "long_name": "state of charge over the full year (linked storage)"},
    )
    ds.attrs["expanded_to_year"] = "storage_soc_year"


LINKING = Family(
    "linking",
    add_linking,
    (
        "soc_inter",
        "soc_hi",
        "soc_lo",
        "sto_inter_balance",
        "sto_inter_cyclic",
        "sto_intra_hi",
        "sto_intra_lo",
        "sto_linked_max",
        "sto_linked_min",
    ),
    read_linking,
)
