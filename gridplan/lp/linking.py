"""Storage linked across representative periods (Kotzur et al. 2018, Applied Energy 213).

Each original period i (a day, or a typical period's length) of the year is represented by
block b(i); `soc` of linked storage is the state of charge relative to the block's start.
The absolute state at the start of period i is `soc_inter[i]`:

    soc_inter[i+1] = (1 - loss)^L * soc_inter[i] + soc[b(i), last step]        (sto_inter_balance)
    soc_inter[N] = soc_inter[0]                                                 (cyclic year)
    soc_hi[b] >= soc[b, t];  soc_lo[b] <= soc[b, t]   for t in block b          (sto_intra_hi, sto_intra_lo)
    soc_inter[i] + soc_hi[b(i)] <= ecap                                         (sto_linked_max)
    (1 - loss)^L * soc_inter[i] + soc_lo[b(i)] >= 0                             (sto_linked_min)
so the state of charge stays within [0, ecap] in every hour of every original period
(conservatively when self-discharge > 0).
"""

from __future__ import annotations

import pyomo.environ as pyo

from gridplan.lp.storage import is_linked
from gridplan.lp.terms import Ctx


def add_linking(ctx: Ctx, m: pyo.ConcreteModel) -> None:
    items = [(n, z) for n, z in ctx.info.get("sto", []) if is_linked(ctx, n)]
    P = ctx.periods
    order = ctx.time.order
    N, L = len(order), ctx.time.block_len
    blocks = range(ctx.time.n_blocks)
    last = {b: b * L + L - 1 for b in blocks}
    m.soc_inter = pyo.Var([(n, z, p, i) for n, z in items for p in P for i in range(N + 1)],
                          domain=pyo.NonNegativeReals)
    bidx = [(n, z, p, b) for n, z in items for p in P for b in blocks]
    m.soc_hi = pyo.Var(bidx)
    m.soc_lo = pyo.Var(bidx)
    soc, si, hi, lo = m.soc, m.soc_inter, m.soc_hi, m.soc_lo
    ecap = m.sto_energy_cap
    decay = {n: (1 - ctx.inputs.scenario.storage[n].self_discharge) ** L for n, _ in items}
    idx = [(n, z, p, i) for n, z in items for p in P for i in range(N)]
    m.sto_inter_balance = pyo.Constraint(idx, rule=lambda _m, n, z, p, i: (
        si[n, z, p, i + 1] == decay[n] * si[n, z, p, i] + soc[n, z, p, last[int(order[i])]]))
    m.sto_inter_cyclic = pyo.Constraint(
        [(n, z, p) for n, z in items for p in P],
        rule=lambda _m, n, z, p: si[n, z, p, N] == si[n, z, p, 0])
    steps = [(n, z, p, t) for n, z in items for p in P for t in ctx.steps]
    block = ctx.time.block
    m.sto_intra_hi = pyo.Constraint(steps, rule=lambda _m, n, z, p, t: (
        hi[n, z, p, int(block[t])] >= soc[n, z, p, t]))
    m.sto_intra_lo = pyo.Constraint(steps, rule=lambda _m, n, z, p, t: (
        lo[n, z, p, int(block[t])] <= soc[n, z, p, t]))
    m.sto_linked_max = pyo.Constraint(idx, rule=lambda _m, n, z, p, i: (
        si[n, z, p, i] + hi[n, z, p, int(order[i])] <= ecap[n, z, p]))
    m.sto_linked_min = pyo.Constraint(idx, rule=lambda _m, n, z, p, i: (
        decay[n] * si[n, z, p, i] + lo[n, z, p, int(order[i])] >= 0))
    ctx.info["linked"] = items
