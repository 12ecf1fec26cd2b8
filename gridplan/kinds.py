"""The registries of technology kinds and target kinds: each kind's properties, declared once.

Config validates `kind` against these tables, the case checks, the LP, the results, the report
and the hourly check read the properties here instead of comparing kind strings. Adding a kind
starts with one entry here (ARCHITECTURE.md walks through it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TechKind:
    """How a generator kind behaves in the model.

    dispatchable  output is a decision between min_output and capacity (fuel, commitment, ramps)
    profile       needs an availability or inflow profile [p.u.]
    curtailable   output <= availability * capacity; the unused part is curtailment
    energy_budget output is limited by the profile's energy per day or hour (hydro inflow)
    must_run      output >= must_run * capacity in every step, whatever the technology's
                  min_output [share of capacity] (row gen_min; clusters without commitment)
    """

    name: str
    description: str
    dispatchable: bool = False
    profile: bool = False
    curtailable: bool = False
    energy_budget: bool = False
    must_run: float = 0.0


TECH_KINDS: dict[str, TechKind] = {
    k.name: k
    for k in (
        TechKind("thermal", "dispatchable: coal, gas, biomass, nuclear", dispatchable=True),
        TechKind(
            "variable",
            "solar and wind: output up to the availability profile",
            profile=True,
            curtailable=True,
        ),
        TechKind("hydro", "hydro: inflow budget per day or per hour", profile=True, energy_budget=True),
    )
}


@dataclass(frozen=True)
class TargetKind:
    """What a target kind constrains and how its numbers are shown.

    form         "share": min/max are shares in [0, 1]; "level": quantities in `unit`
    unit         unit of required and achieved values
    price_unit   unit of the shadow price
    scale        user units per internal unit of the row (row dual / W[p] / scale = price)
    fleet        bounds installed capacity (a recorded-fleet period fixes it, history.py)
    hourly_price the hourly check's price its shadow price becomes: "co2" (on emissions),
                 "coal" (on coal use) or "" (not priced; gridplan/operations.py)
    name_en, name_zh  the kind's name in reports
    share_of     a share of something other than energy: what (peak_response: "peak load")
    no_rise      besides a level, the rows keep the quantity from rising after `peak_year`
    """

    name: str
    form: str
    unit: str
    price_unit: str
    scale: float
    name_en: str
    name_zh: str
    fleet: bool = False
    share_of: str = ""
    no_rise: bool = False
    hourly_price: str = ""


TARGET_KINDS: dict[str, TargetKind] = {
    k.name: k
    for k in (
        TargetKind("capacity", "level", "MW", "CNY/kW-yr", 1e3, "capacity", "装机规模", fleet=True),
        TargetKind(
            "non_fossil_share",
            "share",
            "share",
            "CNY/MWh",
            1.0,
            "non-fossil share of electricity",
            "非化石电力占比",
        ),
        TargetKind(
            "non_fossil_primary_share",
            "share",
            "share",
            "CNY/tce",
            1.0,
            "non-fossil share of energy use",
            "非化石能源消费比重",
        ),
        TargetKind("co2_cap", "level", "tCO2", "CNY/tCO2", 1e6, "CO₂ cap", "碳排放上限", hourly_price="co2"),
        TargetKind(
            "co2_peak",
            "level",
            "tCO2",
            "CNY/tCO2",
            1e6,
            "CO₂ peak",
            "碳达峰",
            no_rise=True,
            hourly_price="co2",
        ),
        TargetKind(
            "coal_cap", "level", "tce", "CNY/tce", 1e6, "coal cap", "煤炭消费上限", hourly_price="coal"
        ),
        TargetKind("coal_share", "share", "share", "CNY/MWh", 1.0, "coal share", "煤电占比"),
        TargetKind(
            "import_renewable_share",
            "share",
            "share",
            "CNY/MWh",
            1.0,
            "renewable share of imports",
            "外来电可再生能源占比",
        ),
        TargetKind(
            "peak_response",
            "share",
            "MW",
            "CNY/kW-yr",
            1e3,
            "peak demand response",
            "尖峰负荷响应能力",
            fleet=True,
            share_of="peak load",
        ),
        TargetKind(
            "reserve_margin",
            "share",
            "MW",
            "CNY/kW-yr",
            1e3,
            "planning reserve margin",
            "规划备用率",
            fleet=True,
            share_of="peak load held in reserve above it",
        ),
    )
}


def tech_kind(name: str) -> TechKind:
    """The registered technology kind `name` (KeyError names the known kinds)."""
    try:
        return TECH_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown technology kind {name!r}; known: {', '.join(TECH_KINDS)}") from None


def target_kind(name: str) -> TargetKind:
    """The registered target kind `name` (KeyError names the known kinds)."""
    try:
        return TARGET_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown target kind {name!r}; known: {', '.join(TARGET_KINDS)}") from None
