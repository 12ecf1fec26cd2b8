"""Solved model -> one xarray.Dataset in user units (MW, MWh, CNY, tCO2, tce), written atomically.

Prices are the duals of the zone balance divided by the weight of their step:
    price[z,p,t] = dual(balance[z,p,t]) / (W[p] * w[t]) * 1e3      [CNY/MWh]
Target shadow prices are duals divided by W[p] (already in CNY per unit, see lp/policies.py),
signed as the cost of tightening the target by one unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from gridplan.atomic import replacing
from gridplan.inputs import HOURS
from gridplan.kinds import target_kind
from gridplan.lp.demand import load_on_steps
from gridplan.lp.generators import availability
from gridplan.lp.policies import Row
from gridplan.lp.terms import Ctx
from gridplan.solve import Solution
from gridplan.timesteps import linked_soc_year

GW = 1e3  # GW -> MW
MCNY = 1e6  # MCNY -> CNY


def _val(x: Any) -> float:
    return float(pyo.value(x)) if not isinstance(x, int | float) else float(x)


def _series(var: Any, key: tuple[Any, ...], T: int) -> np.ndarray:
    """Values of var[key + (t,)] over the time steps, as an array [T] (internal units); var may be
    an indexed variable or expression (th_commit = K - th_offline)."""
    return np.array([pyo.value(var[(*key, t)], exception=False) or 0.0 for t in range(T)])


def _grid(values: dict[tuple[Any, ...], Any], dims: Sequence[Sequence[Any]], tail: int = 0) -> np.ndarray:
    """Scatter {(i, j, ...): value or array} onto a dense array over `dims` (+ a tail axis)."""
    shape = [len(d) for d in dims] + ([tail] if tail else [])
    out = np.zeros(shape)
    pos = [{v: i for i, v in enumerate(d)} for d in dims]
    for k, v in values.items():
        out[tuple(p[x] for p, x in zip(pos, k, strict=True))] = v
    return out


def dataset(m: pyo.ConcreteModel, ctx: Ctx, sol: Solution) -> xr.Dataset:
    s = ctx.inputs.scenario
    P, Z, T = ctx.periods, ctx.zones, ctx.time.n
    techs = list(s.technologies)
    W = dict(zip(P, ctx.W, strict=True))
    ds = xr.Dataset(
        coords={
            "period": P,
            "zone": Z,
            "tech": techs,
            "storage": list(s.storage),
            "link": list(s.links),
            "channel": list(s.imports),
            "dr": list(s.demand_response),
            "time": np.arange(T),
        }
    )
    ds["weight"] = (
        "time",
        ctx.time.weight,
        {"units": "h", "long_name": "hours of the year each step represents"},
    )
    ds["hour_of_year"] = (
        "time",
        ctx.time.hour,
        {"units": "h", "long_name": "hour of the year (0-based) of the step's data"},
    )
    ds["block"] = ("time", ctx.time.block, {"long_name": "representative period of the step"})
    ds["block_of_period"] = (
        "original_period",
        ctx.time.order,
        {"long_name": "block representing each original period (day or week) of the year"},
    )
    ds["period_weight"] = (
        "period",
        ctx.W,
        {"units": "yr", "long_name": "discounted years the period stands for"},
    )
    ds["period_years"] = ("period", ctx.years, {"units": "yr"})

    # capacity [MW]
    cap_total: dict[tuple[Any, ...], float] = {}
    cap_new: dict[tuple[Any, ...], float] = {}
    for fam in ("gen", "th"):
        cap, new = getattr(m, f"{fam}_cap"), getattr(m, f"{fam}_new")
        for k in cap:
            g, z, p = k
            cap_total[(p, z, g)] = (cap[k].value or 0.0) * GW
            cap_new[(p, z, g)] = (new[k].value or 0.0) * GW if k in new else 0.0
    dims3: list[Sequence[Any]] = [P, Z, techs]
    ds["capacity"] = (
        ("period", "zone", "tech"),
        _grid(cap_total, dims3),
        {"units": "MW", "long_name": "installed capacity"},
    )
    ds["capacity_new"] = (
        ("period", "zone", "tech"),
        _grid(cap_new, dims3),
        {"units": "MW", "long_name": "capacity built in the period"},
    )
    ds["capacity_existing"] = (
        ("period", "zone", "tech"),
        _existing(ctx, techs),
        {"units": "MW", "long_name": "existing and committed capacity"},
    )

    # generation, curtailment [MW]
    gen: dict[tuple[Any, ...], np.ndarray] = {}
    for g, z in ctx.info["gen"]:
        for p in P:
            gen[(p, z, g)] = _series(m.gen, (g, z, p), T) * GW
    for j, c, z in ctx.info.get("th_parts", []):
        for p in P:
            gen[(p, z, c)] = gen.get((p, z, c), 0.0) + _series(m.th_gen, (j, c, z, p), T) * GW
    ds["generation"] = (("period", "zone", "tech", "time"), _grid(gen, dims3, T), {"units": "MW"})
    curt: dict[tuple[Any, ...], np.ndarray] = {}
    for g, z in ctx.info["gen"]:
        t_ = s.technologies[g]
        if t_.kind == "variable" and t_.profile:
            av = availability(ctx, t_.profile, z)
            for p in P:
                curt[(p, z, g)] = np.maximum(av * cap_total[(p, z, g)] - gen[(p, z, g)], 0.0)
    ds["curtailment"] = (("period", "zone", "tech", "time"), _grid(curt, dims3, T), {"units": "MW"})

    _storage(ds, m, ctx, T)
    _network(ds, m, ctx, T)
    _demand(ds, m, ctx, T)
    _thermal(ds, m, ctx, T)

    # prices [CNY/MWh]
    price = np.full((len(P), len(Z), T), np.nan)
    if sol.duals:
        w = ctx.w
        for (z, p, t), con in m.balance.items():
            price[P.index(p), Z.index(z), t] = sol.dual(con) / (W[p] * w[t]) * 1e3
    ds["price"] = (
        ("period", "zone", "time"),
        price,
        {"units": "CNY/MWh", "long_name": "marginal price of energy (dual of balance)"},
    )

    # annual totals
    ds["emissions"] = ("period", [_val(ctx.emissions[p]) * 1e6 for p in P], {"units": "tCO2/yr"})
    ds["coal_use"] = ("period", [_val(ctx.coal[p]) * 1e6 for p in P], {"units": "tce/yr"})
    comps = sorted(ctx.cost)
    cost = np.array([[_val(ctx.cost[c].get(p, 0.0)) * MCNY for p in P] for c in comps]).reshape(
        len(comps), len(P)
    )
    ds = ds.assign_coords(component=comps)
    ds["cost"] = (
        ("component", "period"),
        cost,
        {"units": "CNY", "long_name": "discounted cost (present value)"},
    )
    ds["cost_annual"] = (
        ("component", "period"),
        cost / ctx.W,
        {"units": "CNY/yr", "long_name": "cost per year of the period, undiscounted"},
    )
    ds = _policy(ds, m, ctx, sol, W)
    ds.attrs.update(
        {
            "scenario": s.name,
            "description": s.description,
            "objective": sol.objective * MCNY,
            "objective_units": "CNY (present value)",
            "solver": sol.solver,
            "solver_status": sol.status,
            "optimal": int(sol.optimal),
            "time_mode": ctx.time.mode,
            "discount_rate": s.discount_rate,
            "base_year": s.base_year or P[0],
            "scenario_yaml": s.model_dump_json(by_alias=True),
        }
    )
    for k, v in sol.stats.items():
        ds.attrs[f"lp_{k}"] = int(v)
    return conventions(ds)


# long names of the variables and coordinates that do not set their own (CF: every variable)
LONG_NAMES = {
    "period": "planning period (its first year)",
    "zone": "zone",
    "tech": "generation technology",
    "storage": "storage technology",
    "link": "transmission corridor between two zones",
    "channel": "import channel",
    "dr": "demand-response programme",
    "time": "time step (index; see hour_of_year and weight)",
    "hour": "hour of the year (0-based)",
    "original_period": "original period (day or week) of the year (0-based)",
    "retrofit": "三改联动 retrofit kind",
    "component": "cost component",
    "target": "plan target (江西省碳达峰实施方案)",
    "period_years": "years the period lasts",
    "generation": "generation",
    "curtailment": "curtailed renewable output",
    "storage_power": "storage power capacity",
    "storage_energy": "storage energy capacity",
    "storage_power_new": "storage power capacity built in the period",
    "storage_charge": "storage charging",
    "storage_discharge": "storage discharging",
    "storage_soc": "storage state of charge",
    "link_capacity": "link capacity",
    "link_from": "zone a link starts from",
    "link_to": "zone a link goes to",
    "imports": "imported power",
    "imports_renewable": "renewable part of the imported power",
    "import_capacity": "import channel capacity",
    "channel_zone": "zone an import channel delivers to",
    "demand": "load",
    "unserved": "unserved load",
    "dr_capacity": "demand-response capacity",
    "annual_load": "annual load energy",
    "heat_output": "heat output of combined heat and power",
    "coal_use_by_tech": "coal burned",
    "emissions_by_tech": "CO2 emissions",
    "emissions": "CO2 emissions",
    "coal_use": "coal burned, standard coal equivalent",
    "target_kind": "what the target constrains",
    "target_unit": "unit of required, achieved, slack and shortfall",
    "target_name_zh": "target name in the plan",
    "target_required": "required value",
    "target_achieved": "achieved value",
    "target_price_unit": "unit of the shadow price",
    "target_binds": "the target binds (tight, with a nonzero price)",
}


def conventions(ds: xr.Dataset) -> xr.Dataset:
    """CF-1.10 where it fits: the Conventions attribute, a long_name on every variable and
    coordinate (LONG_NAMES, else the name in words), coordinates for `hour` and
    `original_period`. `units` hold UDUNITS strings for physical quantities (MW, MWh, h, yr,
    MWh/yr); CNY, tCO2, tce and MW_th are not UDUNITS units and are kept as planners write them;
    the target variables hold one unit per target (target_unit, target_price_unit)."""
    for dim, unit in (("hour", "h"), ("original_period", "")):
        if dim in ds.dims and dim not in ds.coords:
            ds = ds.assign_coords({dim: np.arange(ds.sizes[dim])})
            if unit:
                ds[dim].attrs["units"] = unit
    for name in list(ds.variables):
        da = ds[name]
        if "long_name" not in da.attrs:
            da.attrs["long_name"] = LONG_NAMES.get(str(name), str(name).replace("_", " "))
    ds.attrs["Conventions"] = "CF-1.10"
    return ds


def _existing(ctx: Ctx, techs: list[str]) -> np.ndarray:
    s = ctx.inputs.scenario
    out = np.zeros((len(ctx.periods), len(ctx.zones), len(techs)))
    for i, g in enumerate(techs):
        out[:, :, i] = ctx.pz(s.technologies[g].existing, f"technologies.{g}.existing").T
    return out


def _storage(ds: xr.Dataset, m: pyo.ConcreteModel, ctx: Ctx, T: int) -> None:
    P, Z, S = ctx.periods, ctx.zones, list(ctx.inputs.scenario.storage)
    items = ctx.info["sto"]
    dims: list[Sequence[Any]] = [P, Z, S]
    pw = {(p, z, n): (m.sto_cap[n, z, p].value or 0.0) * GW for n, z in items for p in P}
    en = {(p, z, n): (m.sto_energy_cap[n, z, p].value or 0.0) * GW for n, z in items for p in P}
    new = {
        (p, z, n): (m.sto_new[n, z, p].value or 0.0) * GW
        for n, z in items
        for p in P
        if (n, z, p) in m.sto_new
    }
    ds["storage_power"] = (("period", "zone", "storage"), _grid(pw, dims), {"units": "MW"})
    ds["storage_energy"] = (("period", "zone", "storage"), _grid(en, dims), {"units": "MWh"})
    ds["storage_power_new"] = (("period", "zone", "storage"), _grid(new, dims), {"units": "MW"})
    linked = set(ctx.info.get("linked", []))
    for name, var in (
        ("storage_charge", m.charge),
        ("storage_discharge", m.discharge),
        ("storage_soc", m.soc),
    ):
        vals = {(p, z, n): _series(var, (n, z, p), T) * GW for n, z in items for p in P}
        unit = "MWh" if name == "storage_soc" else "MW"
        attrs = {"units": unit}
        if name == "storage_soc" and linked:
            attrs["note"] = (
                "linked storage: relative to the start of each representative period; see storage_soc_year"
            )
        ds[name] = (("period", "zone", "storage", "time"), _grid(vals, dims, T), attrs)
    if linked:
        N, L = len(ctx.time.order), ctx.time.block_len
        year = np.zeros((len(P), len(Z), len(S), HOURS))
        for n, z in linked:
            loss = ctx.inputs.scenario.storage[n].self_discharge
            for p in P:
                intra = _series(m.soc, (n, z, p), T)
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


def _network(ds: xr.Dataset, m: pyo.ConcreteModel, ctx: Ctx, T: int) -> None:
    P = ctx.periods
    L = ctx.info["link"]
    C = ctx.info["import"]
    flow = np.zeros((len(P), len(L), T))
    fwd = np.zeros((len(P), len(L), T))
    bwd = np.zeros((len(P), len(L), T))
    lcap = np.zeros((len(P), len(L)))
    for i, n in enumerate(L):
        for j, p in enumerate(P):
            fwd[j, i] = _series(m.flow_fwd, (n, p), T) * GW
            bwd[j, i] = _series(m.flow_bwd, (n, p), T) * GW
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
    imp = np.zeros((len(P), len(C), T))
    imp_re = np.zeros((len(P), len(C), T))
    icap = np.zeros((len(P), len(C)))
    for i, c in enumerate(C):
        for j, p in enumerate(P):
            imp_re[j, i] = _series(m.imp_re, (c, p), T) * GW
            imp[j, i] = imp_re[j, i] + _series(m.imp_oth, (c, p), T) * GW
            icap[j, i] = (m.import_cap[c, p].value or 0.0) * GW
    ds["imports"] = (("period", "channel", "time"), imp, {"units": "MW"})
    ds["imports_renewable"] = (("period", "channel", "time"), imp_re, {"units": "MW"})
    ds["import_capacity"] = (("period", "channel"), icap, {"units": "MW"})
    ds["channel_zone"] = ("channel", [ctx.inputs.scenario.imports[c].zone for c in C])


def _demand(ds: xr.Dataset, m: pyo.ConcreteModel, ctx: Ctx, T: int) -> None:
    P, Z = ctx.periods, ctx.zones
    D = list(ctx.inputs.scenario.demand_response)
    steps = load_on_steps(ctx)
    load = np.array([[steps[z, p] * GW for z in Z] for p in P])
    ds["demand"] = (("period", "zone", "time"), load, {"units": "MW"})
    uns = np.array([[_series(m.unserved, (z, p), T) * GW for z in Z] for p in P])
    ds["unserved"] = (("period", "zone", "time"), uns, {"units": "MW"})
    items = ctx.info["dr"]
    dims: list[Sequence[Any]] = [P, Z, D]
    down = {(p, z, d): _series(m.dr_down, (d, z, p), T) * GW for d, z in items for p in P}
    up = {
        (p, z, d): _series(m.dr_up, (d, z, p), T) * GW for d, z in items for p in P if (d, z, p, 0) in m.dr_up
    }
    cap = {(p, z, d): (m.dr_cap[d, z, p].value or 0.0) * GW for d, z in items for p in P}
    ds["dr_reduction"] = (
        ("period", "zone", "dr", "time"),
        _grid(down, dims, T),
        {"units": "MW", "long_name": "load reduced by demand response"},
    )
    ds["dr_payback"] = (
        ("period", "zone", "dr", "time"),
        _grid(up, dims, T),
        {"units": "MW", "long_name": "shifted load paid back"},
    )
    ds["dr_capacity"] = (("period", "zone", "dr"), _grid(cap, dims), {"units": "MW"})
    peak = [float(ctx.inputs.load[p].sum(axis=1).max()) for p in P]
    ds["peak_load"] = (
        "period",
        peak,
        {"units": "MW", "long_name": "peak of the full-year hourly load, all zones"},
    )
    ds["annual_load"] = (
        "period",
        [float(ctx.inputs.load[p].to_numpy().sum()) for p in P],
        {"units": "MWh/yr"},
    )


def _thermal(ds: xr.Dataset, m: pyo.ConcreteModel, ctx: Ctx, T: int) -> None:
    """Commitment, start-ups, heat, retrofits of thermal clusters [MW, MW_th]."""
    P, Z, G = ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)
    dims: list[Sequence[Any]] = [P, Z, G]
    commit: dict[tuple[Any, ...], np.ndarray] = {}
    start: dict[tuple[Any, ...], np.ndarray] = {}
    heat: dict[tuple[Any, ...], np.ndarray] = {}
    for j, c, z in ctx.info.get("th_parts", []):
        for p in P:
            k = (p, z, c)
            if (j, c, z, p, 0) in m.th_commit:
                commit[k] = commit.get(k, 0.0) + _series(m.th_commit, (j, c, z, p), T) * GW
                start[k] = start.get(k, 0.0) + _series(m.th_startup, (j, c, z, p), T) * GW
            if j == "chp":
                heat[k] = _series(m.chp_heat, (c, z, p), T) * GW
    ds["commitment"] = (
        ("period", "zone", "tech", "time"),
        _grid(commit, dims, T),
        {"units": "MW", "long_name": "committed capacity"},
    )
    ds["startup"] = (
        ("period", "zone", "tech", "time"),
        _grid(start, dims, T),
        {"units": "MW", "long_name": "capacity started up"},
    )
    ds["heat_output"] = (("period", "zone", "tech", "time"), _grid(heat, dims, T), {"units": "MW_th"})
    kinds = ["energy_saving", "flexibility", "heating"]
    short = {"es": "energy_saving", "flex": "flexibility", "chp": "heating"}
    new: dict[tuple[Any, ...], float] = {}
    ins: dict[tuple[Any, ...], float] = {}
    for k in m.retro_cap:
        r, c, z, p = k
        key = (short[r], p, z, c)
        new[key] = (m.retro_new[k].value or 0.0) * GW if k in m.retro_new else 0.0
        ins[key] = (m.retro_inserv[k].value or 0.0) * GW
    rdims: list[Sequence[Any]] = [kinds, P, Z, G]
    ds.coords["retrofit"] = kinds
    ds["retrofit_new"] = (
        ("retrofit", "period", "zone", "tech"),
        _grid(new, rdims),
        {"units": "MW", "long_name": "三改联动 retrofit done in the period"},
    )
    ds["retrofit_in_service"] = (
        ("retrofit", "period", "zone", "tech"),
        _grid(ins, rdims),
        {"units": "MW", "long_name": "retrofitted capacity in service"},
    )
    boiler = np.zeros((len(P), len(Z), T))
    for (z, p, t), v in m.heat_boiler.items():
        boiler[P.index(p), Z.index(z), t] = (v.value or 0.0) * GW
    ds["heat_boiler"] = (
        ("period", "zone", "time"),
        boiler,
        {"units": "MW_th", "long_name": "heat from back-up boilers"},
    )
    ds["energy"] = (
        (ds["generation"] * ds["weight"])
        .sum("time")
        .assign_attrs(units="MWh/yr", long_name="annual generation")
    )
    ds["curtailed_energy"] = (
        (ds["curtailment"] * ds["weight"])
        .sum("time")
        .assign_attrs(units="MWh/yr", long_name="annual curtailed energy")
    )
    fuel = np.zeros((len(P), len(Z), len(G)))
    co2 = np.zeros_like(fuel)
    coal = np.zeros_like(fuel)
    w = ctx.w
    for c, z in ctx.info.get("th", []) + ctx.info["gen"]:
        t_ = ctx.inputs.scenario.technologies[c]
        hr = ctx.pp(t_.heat_rate, f"technologies.{c}.heat_rate") * 1e-3  # tce/MWh
        f = ctx.inputs.scenario.fuels.get(t_.fuel or "")
        r = t_.retrofits
        loss = r.heating.power_loss if r and r.heating else 0.0
        dhr = r.energy_saving.heat_rate_reduction * 1e-3 if r and r.energy_saving else 0.0
        for j, p in enumerate(P):
            i = (j, Z.index(z), G.index(c))
            eq = float(ds["energy"].values[i]) + loss * float((heat.get((p, z, c), np.zeros(T)) * w).sum())
            saved = 0.0
            if (c, z, p, 0) in m.non_es_gen:  # energy-saved output: all but non_es_gen
                saved = dhr * (eq - float((_series(m.non_es_gen, (c, z, p), T) * GW * w).sum()))
            fuel[i] = hr[j] * eq - saved
            co2[i] = fuel[i] * (f.co2 if f else 0.0)
            coal[i] = fuel[i] if f and f.coal else 0.0
    ds["fuel_use"] = (
        ("period", "zone", "tech"),
        fuel,
        {"units": "tce/yr", "long_name": "fuel burned, standard coal equivalent"},
    )
    ds["coal_use_by_tech"] = (("period", "zone", "tech"), coal, {"units": "tce/yr"})
    ds["emissions_by_tech"] = (("period", "zone", "tech"), co2, {"units": "tCO2/yr"})


def _label(r: Row, rows: list[Row]) -> str:
    both = sum(1 for x in rows if x.label == r.label and x.period == r.period) > 1
    return f"{r.label}_{'min' if r.sense == '>=' else 'max'}" if both else r.label


def _policy(ds: xr.Dataset, m: pyo.ConcreteModel, ctx: Ctx, sol: Solution, W: dict[int, float]) -> xr.Dataset:
    """The plan-target table: required, achieved, slack, shortfall and shadow price by period."""
    rows: list[Row] = ctx.info.get("targets", [])
    labels = list(dict.fromkeys(_label(r, rows) for r in rows))
    P = ctx.periods
    shape = (len(labels), len(P))
    req, ach, slack, short, price = (np.full(shape, np.nan) for _ in range(5))
    binds = np.zeros(shape, dtype=bool)
    kinds = [""] * len(labels)
    units = [""] * len(labels)
    names_zh = [""] * len(labels)
    names = [""] * len(labels)
    senses = [""] * len(labels)
    ref = np.full(shape, np.nan)
    for r in rows:
        i, j = labels.index(_label(r, rows)), P.index(r.period)
        kind = target_kind(r.kind)
        unit, scale = kind.unit, kind.scale
        kinds[i], units[i], names[i] = r.kind, unit, r.target
        senses[i] = "min" if r.sense == ">=" else "max"
        names_zh[i] = ctx.inputs.scenario.targets[r.target].name_zh
        if r.ref_period is not None:
            ref[i, j] = r.ref_period
        if r.den is not None:
            den = _val(r.den)
            ach[i, j] = _val(r.lhs) / den if den > 1e-12 else np.nan
            req[i, j] = r.share if r.share is not None else np.nan
        else:
            ach[i, j] = _val(r.lhs) * scale
            req[i, j] = _val(r.rhs) * scale
        gap = ach[i, j] - req[i, j]
        slack[i, j] = gap if r.sense == ">=" else -gap
        key = (r.label, r.period, r.sense)
        d = sol.dual(m.target[key]) if key in m.target else 0.0
        price[i, j] = (d if r.sense == ">=" else -d) / W[r.period] if sol.duals else np.nan
        short[i, j] = (m.target_slack[key].value or 0.0) * scale if key in m.target_slack else 0.0
        tight = abs(slack[i, j]) <= 1e-6 * max(1.0, abs(req[i, j]))
        binds[i, j] = bool(tight and (abs(price[i, j]) > 1e-6 if sol.duals else True))
    ds = ds.assign_coords(target=labels)
    ds["target_name"] = ("target", names, {"long_name": "the scenario's target this row belongs to"})
    ds["target_reference_period"] = (
        ("target", "period"),
        ref,
        {"long_name": "co2_peak no-rise rows: the period whose emissions bound this one"},
    )
    ds["target_kind"] = ("target", kinds)
    ds["target_unit"] = ("target", units)
    ds["target_name_zh"] = ("target", names_zh)
    ds["target_sense"] = ("target", senses, {"long_name": "min: achieved >= required; max: a cap"})
    ds["target_required"] = (("target", "period"), req, {"units": "see target_unit"})
    ds["target_achieved"] = (("target", "period"), ach, {"units": "see target_unit"})
    ds["target_slack"] = (
        ("target", "period"),
        slack,
        {"units": "see target_unit", "long_name": "achieved beyond required (>= 0 when met)"},
    )
    ds["target_shortfall"] = (
        ("target", "period"),
        short,
        {"units": "see target_unit (TWh/yr for shares)", "long_name": "soft-target violation"},
    )
    ds["target_shadow_price"] = (
        ("target", "period"),
        price,
        {
            "units": "CNY per unit (see target_price_unit)",
            "long_name": "cost of tightening the target by one unit",
        },
    )
    ds["target_price_unit"] = ("target", [target_kind(k).price_unit if k else "" for k in kinds])
    ds["target_binds"] = (("target", "period"), binds)
    return ds


def write(ds: xr.Dataset, path: str | Path) -> Path:
    """Write NetCDF atomically (gridplan/atomic.py)."""
    enc = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars if ds[v].dtype.kind == "f"}
    with replacing(path) as tmp:
        ds.to_netcdf(tmp, engine="netcdf4", encoding=enc)
    return Path(path)
