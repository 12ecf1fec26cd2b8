"""Solved model -> one xarray.Dataset in user units (MW, MWh, CNY, tCO2, tce), written atomically.

Each family of lp/families.py reads its own variables back (its `read_results`); here are the
time steps, the per-technology variables that several families contribute to (capacity,
generation, curtailment, fuel), the prices, the annual totals and costs.

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
from gridplan.lp.families import FAMILIES
from gridplan.lp.family import Readback, grid, value
from gridplan.lp.terms import Ctx
from gridplan.lp.units import CNY_PER_MWH, HEAT_RATE, MCNY, MT, per_year
from gridplan.solve import Solution


def dataset(m: pyo.ConcreteModel, ctx: Ctx, sol: Solution) -> xr.Dataset:
    """The results of a solved model (module docstring)."""
    s = ctx.inputs.scenario
    ds = _time_steps(ctx)
    rb = Readback(m, ctx, sol, ds)
    for family in FAMILIES:
        if family.read_results is not None:
            family.read_results(rb)
    _technologies(rb)
    _fuel_by_tech(rb)
    _prices(rb)
    _totals(rb)
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
            "base_year": s.base_year or ctx.periods[0],
            "scenario_yaml": s.model_dump_json(by_alias=True),
        }
    )
    for k, v in sol.stats.items():
        ds.attrs[f"lp_{k}"] = int(v)
    return conventions(ds)


def _time_steps(ctx: Ctx) -> xr.Dataset:
    """The coordinates, the steps' weights and hours, and the periods' weights."""
    s = ctx.inputs.scenario
    ds = xr.Dataset(
        coords={
            "period": ctx.periods,
            "zone": ctx.zones,
            "tech": list(s.technologies),
            "storage": list(s.storage),
            "link": list(s.links),
            "channel": list(s.imports),
            "dr": list(s.demand_response),
            "time": np.arange(ctx.time.n),
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
    return ds


def _technologies(rb: Readback) -> None:
    """Capacity [MW], generation and curtailment [MW] and their annual energy [MWh/yr] by tech,
    from what the generator families read."""
    ctx, ds, T = rb.ctx, rb.ds, rb.n_steps
    dims3: list[Sequence[Any]] = [ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)]
    dims = ("period", "zone", "tech")
    ds["capacity"] = (
        dims,
        grid(rb.capacity, dims3),
        {"units": "MW", "long_name": "installed capacity in service (less retired and mothballed)"},
    )
    ds["capacity_new"] = (
        dims,
        grid(rb.capacity_new, dims3),
        {"units": "MW", "long_name": "capacity built in the period"},
    )
    ds["capacity_existing"] = (
        dims,
        _existing(ctx, list(ctx.inputs.scenario.technologies)),
        {"units": "MW", "long_name": "existing and committed capacity"},
    )
    ds["generation"] = ((*dims, "time"), grid(rb.generation, dims3, T), {"units": "MW"})
    ds["curtailment"] = ((*dims, "time"), grid(rb.curtailment, dims3, T), {"units": "MW"})
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


def _fuel_by_tech(rb: Readback) -> None:
    """Fuel [tce/yr], coal and CO2 by tech: hr * (energy + loss * heat) less what the
    energy-saving retrofit saves on the output beyond non_es_gen (lp/thermal.py)."""
    ctx, ds, T = rb.ctx, rb.ds, rb.n_steps
    P, Z, G = ctx.periods, ctx.zones, list(ctx.inputs.scenario.technologies)
    fuel = np.zeros((len(P), len(Z), len(G)))
    co2 = np.zeros_like(fuel)
    coal = np.zeros_like(fuel)
    w = ctx.w
    for c, z in rb.techs:
        t_ = ctx.inputs.scenario.technologies[c]
        hr = ctx.by_period(t_.heat_rate, f"technologies.{c}.heat_rate") * HEAT_RATE  # tce/MWh
        f = ctx.inputs.scenario.fuels.get(t_.fuel or "")
        r = t_.retrofits
        loss = r.heating.power_loss if r and r.heating else 0.0
        dhr = r.energy_saving.heat_rate_reduction * HEAT_RATE if r and r.energy_saving else 0.0
        for j, p in enumerate(P):
            i = (j, Z.index(z), G.index(c))
            heat = rb.heat.get((p, z, c), np.zeros(T))
            eq = float(ds["energy"].values[i]) + loss * float((heat * w).sum())
            saved = 0.0
            if (p, z, c) in rb.non_es_output:  # energy-saved output: all but non_es_gen
                saved = dhr * (eq - float((rb.non_es_output[(p, z, c)] * w).sum()))
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


def _prices(rb: Readback) -> None:
    """price [CNY/MWh]: dual of the zone balance per hour of the step and year of the period."""
    m, ctx, ds, sol = rb.m, rb.ctx, rb.ds, rb.sol
    P, Z = ctx.periods, ctx.zones
    W = dict(zip(P, ctx.W, strict=True))
    price = np.full((len(P), len(Z), ctx.time.n), np.nan)
    if sol.duals:
        w = ctx.w
        for (z, p, t), con in m.balance.items():
            price[P.index(p), Z.index(z), t] = per_year(sol.dual(con), W[p] * w[t]) * CNY_PER_MWH
    ds["price"] = (
        ("period", "zone", "time"),
        price,
        {"units": "CNY/MWh", "long_name": "marginal price of energy (dual of balance)"},
    )


def _totals(rb: Readback) -> None:
    """Annual emissions [tCO2/yr], coal [tce/yr], and the cost components [CNY, CNY/yr]."""
    ctx, ds, P = rb.ctx, rb.ds, rb.ctx.periods
    ds["emissions"] = ("period", [value(ctx.emissions[p]) * MT for p in P], {"units": "tCO2/yr"})
    ds["coal_use"] = ("period", [value(ctx.coal[p]) * MT for p in P], {"units": "tce/yr"})
    comps = sorted(ctx.cost)
    cost = np.array([[value(ctx.cost[c].get(p, 0.0)) * MCNY for p in P] for c in comps]).reshape(
        len(comps), len(P)
    )
    ds.coords["component"] = comps
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
        out[:, :, i] = ctx.by_zone_period(s.technologies[g].existing, f"technologies.{g}.existing").T
    return out


def write(ds: xr.Dataset, path: str | Path) -> Path:
    """Write NetCDF atomically (gridplan/atomic.py)."""
    enc = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars if ds[v].dtype.kind == "f"}
    with replacing(path) as tmp:
        ds.to_netcdf(tmp, engine="netcdf4", encoding=enc)
    return Path(path)
