"""Scenario schema: what `scenario.yaml` may contain, with units and defaults.

Every field is documented in model/parameters.md under the same name. Values that
vary by period are written as a scalar (same in every period) or as a mapping
``{period: value}``; values that vary by zone as a scalar or ``{zone: value}``;
values by zone and period as ``{zone: {period: value}}`` or any of the shorter forms.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from gridplan.case.schema_thermal import (
    Commitment as Commitment,
)
from gridplan.case.schema_thermal import (
    EnergySavingRetrofit as EnergySavingRetrofit,
)
from gridplan.case.schema_thermal import (
    FlexibilityRetrofit as FlexibilityRetrofit,
)
from gridplan.case.schema_thermal import (
    HeatingRetrofit as HeatingRetrofit,
)
from gridplan.case.schema_thermal import (
    LifeExtension as LifeExtension,
)
from gridplan.case.schema_thermal import (
    Retirement as Retirement,
)
from gridplan.case.schema_thermal import (
    Retrofits as Retrofits,
)
from gridplan.case.schema_types import (
    INF as INF,
)
from gridplan.case.schema_types import (
    MAX_PERIOD_YEARS as MAX_PERIOD_YEARS,
)
from gridplan.case.schema_types import (
    MAX_TOLERANCE as MAX_TOLERANCE,
)
from gridplan.case.schema_types import (
    MAX_UP_DOWN as MAX_UP_DOWN,
)
from gridplan.case.schema_types import (
    MIN_TOLERANCE as MIN_TOLERANCE,
)
from gridplan.case.schema_types import (
    Count as Count,
)
from gridplan.case.schema_types import (
    Number as Number,
)
from gridplan.case.schema_types import (
    PerPeriod as PerPeriod,
)
from gridplan.case.schema_types import (
    PerZone as PerZone,
)
from gridplan.case.schema_types import (
    PerZonePeriod as PerZonePeriod,
)
from gridplan.case.schema_types import (
    Strict as Strict,
)
from gridplan.case.schema_types import (
    TargetKindName as TargetKindName,
)
from gridplan.case.schema_types import (
    TechKindName as TechKindName,
)
from gridplan.case.schema_types import (
    Years as Years,
)
from gridplan.case.schema_types import (
    _at_most_cores as _at_most_cores,
)
from gridplan.case.schema_types import (
    _kinds_text as _kinds_text,
)
from gridplan.case.schema_types import (
    _no_bool as _no_bool,
)
from gridplan.case.schema_types import (
    cores as cores,
)
from gridplan.kinds import TARGET_KINDS, TECH_KINDS


class Fuel(Strict):
    """A fuel, measured in tonnes of standard coal equivalent (tce, 29.3 GJ)."""

    price: PerPeriod = Field(0.0, description="fuel price, delivered [CNY/tce]")
    co2: Number = Field(0.0, ge=0, description="CO2 per unit of fuel burned [tCO2/tce]")
    fossil: bool = Field(True, description="counts as fossil in shares and coal accounting")
    coal: bool = Field(False, description="counts as coal in coal-consumption targets")


class Technology(Strict):
    """A generator: thermal (coal, gas, biomass, nuclear), variable (solar, wind) or hydro."""

    kind: TechKindName = Field(description=f"one of: {_kinds_text(TECH_KINDS)}")
    name_zh: str = Field("", description="Chinese name, for reports")
    groups: list[str] = Field(default_factory=list, description="groups used by targets")
    profile: str | None = Field(None, description="availability profile name [p.u.]")
    hydro_energy: Literal["day", "hour"] = Field(
        "day", description="hydro: inflow budget per day or per hour"
    )
    fuel: str | None = Field(None, description="fuel name (thermal)")
    heat_rate: PerPeriod = Field(0.0, description="fuel use [gce/kWh]")
    vom: Number = Field(0.0, ge=0, description="variable O&M [CNY/MWh]")
    capex: PerPeriod = Field(0.0, description="overnight cost of new build [CNY/kW]")
    fom: Number = Field(0.0, ge=0, description="fixed O&M [CNY/kW-yr]")
    lifetime: Number = Field(30.0, gt=0, description="economic life [years]")
    existing: PerZonePeriod = Field(0.0, description="existing capacity in service [MW]")
    build_min: PerZonePeriod = Field(0.0, description="minimum new build per period [MW]")
    build_max: PerZonePeriod = Field(
        0.0, description="maximum new build per period [MW]; 0: not extendable, inf: no limit"
    )
    potential: PerZone = Field(INF, description="maximum installed capacity, existing + new [MW]")
    min_output: Number = Field(0.0, ge=0, le=1, description="must-run output [share of capacity]")
    max_energy: PerZonePeriod = Field(
        INF, description="annual energy limit of the resource, e.g. waste tonnage x kWh/t [MWh/yr]"
    )
    commitment: Commitment | None = Field(None, description="linearised unit commitment (thermal)")
    retrofits: Retrofits | None = Field(None, description="三改联动 retrofit options (thermal)")
    retirement: Retirement | None = Field(
        None, description="retirement, mothballing and life extension of existing capacity (thermal)"
    )


class Storage(Strict):
    """Storage with separately sized power [MW] and energy [MWh]."""

    name_zh: str = Field("", description="Chinese name, for reports")
    groups: list[str] = Field(default_factory=list, description="groups used by targets")
    eff_charge: Number = Field(0.9, gt=0, le=1, description="charging efficiency [-]")
    eff_discharge: Number = Field(0.9, gt=0, le=1, description="discharging efficiency [-]")
    self_discharge: Number = Field(0.0, ge=0, lt=1, description="loss of stored energy [share per hour]")
    capex_power: PerPeriod = Field(0.0, description="cost of power capacity [CNY/kW]")
    capex_energy: PerPeriod = Field(0.0, description="cost of energy capacity [CNY/kWh]")
    fom: Number = Field(0.0, ge=0, description="fixed O&M of power capacity [CNY/kW-yr]")
    vom: Number = Field(0.0, ge=0, description="variable O&M on discharge [CNY/MWh]")
    lifetime: Number = Field(20.0, gt=0, description="economic life [years]")
    existing: PerZonePeriod = Field(0.0, description="existing power capacity [MW]")
    existing_duration: Number = Field(4.0, gt=0, description="energy/power of existing storage [h]")
    duration_min: Number = Field(0.0, ge=0, description="minimum energy/power of new build [h]")
    duration_max: Number = Field(INF, gt=0, description="maximum energy/power of new build [h]")
    build_min: PerZonePeriod = Field(0.0, description="minimum new power per period [MW]")
    build_max: PerZonePeriod = Field(
        0.0, description="maximum new power per period [MW]; 0: not extendable, inf: no limit"
    )
    potential: PerZone = Field(INF, description="maximum installed power [MW]")
    linking: Literal["cyclic", "linked"] = Field(
        "cyclic", description="state of charge cyclic per representative period, or linked across them"
    )


class Link(Strict):
    """A transmission corridor between two zones, usable in both directions."""

    from_zone: str = Field(alias="from", description="zone at the sending end (flows go both ways)")
    to_zone: str = Field(alias="to", description="zone at the other end")
    capacity: PerPeriod = Field(0.0, description="existing transfer capacity [MW]")
    loss: Number = Field(0.0, ge=0, lt=1, description="loss on the energy sent [share]")
    capex: Number = Field(0.0, ge=0, description="expansion cost [CNY/kW]")
    fom: Number = Field(0.0, ge=0, description="fixed O&M of new capacity [CNY/kW-yr]")
    lifetime: Number = Field(40.0, gt=0, description="economic life [years]")
    build_max: PerPeriod = Field(0.0, description="maximum expansion per period [MW]")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ImportChannel(Strict):
    """Power bought from outside the province at a price, delivered into one zone."""

    zone: str = Field(description="zone the channel delivers into")
    name_zh: str = Field("", description="Chinese name, for reports")
    capacity: PerPeriod = Field(0.0, description="existing channel capacity [MW]")
    profile: str | None = Field(None, description="availability profile name [p.u.]")
    price: PerPeriod = Field(0.0, description="price of non-renewable energy [CNY/MWh]")
    price_renewable: PerPeriod | None = Field(
        None, description="price of renewable energy [CNY/MWh]; default: price"
    )
    renewable_share: Number | None = Field(
        None, ge=0, le=1, description="declared renewable share, fixed [-]; None: chosen"
    )
    renewable_profile: str | None = Field(
        None,
        description="sending-end renewable availability profile [p.u. of capacity], column = channel; "
        "None: the renewable part is limited only by `profile` (a new channel gets a warning)",
    )
    co2_intensity: Number = Field(0.0, ge=0, description="CO2 of non-renewable part [tCO2/MWh]")
    counts_in_co2: bool = Field(
        True, description="the non-renewable part's CO2 counts in the case's emissions (CO2 targets)"
    )
    min_energy: PerPeriod = Field(0.0, description="minimum annual energy [MWh]")
    max_energy: PerPeriod = Field(INF, description="maximum annual energy [MWh]")
    monthly_shape: list[Number] | None = Field(
        None,
        description="share of min_energy and max_energy due in each calendar month, 12 values "
        "summing to 1 [-]; None: annual limits only",
    )
    new: bool = Field(False, description="a new channel (新建通道), subject to renewable-share targets")
    capex: Number = Field(0.0, ge=0, description="cost of new channel capacity [CNY/kW]")
    lifetime: Number = Field(40.0, gt=0, description="economic life [years]")
    build_max: PerPeriod = Field(0.0, description="maximum new capacity per period [MW]")

    @model_validator(mode="after")
    def _twelve_months(self) -> ImportChannel:
        m = self.monthly_shape
        if m is not None and (len(m) != 12 or min(m) < 0 or abs(sum(m) - 1.0) > 1e-6):
            raise ValueError(
                f"monthly_shape must be 12 shares >= 0 summing to 1; found {len(m)} values summing to {sum(m):g}"
            )
        return self


class DemandResponse(Strict):
    """Demand response: load shed (interruptible) or shifted within the day."""

    name_zh: str = Field("", description="Chinese name, for reports")
    mode: Literal["shed", "shift"] = Field(
        "shed", description="shed: load dropped; shift: paid back the same day"
    )
    potential: PerZonePeriod = Field(0.0, description="maximum contracted capacity [MW]")
    existing: PerZonePeriod = Field(0.0, description="capacity already contracted [MW]")
    fixed_cost: Number = Field(0.0, ge=0, description="contract cost [CNY/kW-yr]")
    dispatch_cost: Number = Field(0.0, ge=0, description="cost per energy called [CNY/MWh]")
    max_hours: Number = Field(INF, gt=0, description="full-capacity hours callable per year [h]")
    max_hours_day: Number = Field(24.0, gt=0, le=24, description="full-capacity hours per day [h]")
    shift_loss: Number = Field(0.0, ge=0, lt=1, description="shift: extra energy paid back [share]")
    acts_on: str | None = Field(
        None,
        description=(
            "load it acts on: a key of demand.components (e.g. ev_charging); reductions are then at"
            " most that component's load each hour; unset: the whole zone load"
        ),
    )
    payback_peak: Number = Field(
        1.0,
        ge=0,
        description=(
            "shift on a component: payback may raise the component's load up to this share of its"
            " annual peak in the zone [p.u.]"
        ),
    )


class Demand(Strict):
    """Electricity demand: a base hourly profile scaled to an annual energy, plus components."""

    file: str = Field(description="hourly load per zone, CSV: hour + one column per zone [MW]")
    annual_energy: PerPeriod | None = Field(
        None, description="annual energy of the base profile, all zones [MWh]; None: as in file"
    )
    components: dict[str, Component] = Field(
        default_factory=dict, description="extra load components, e.g. EV charging"
    )


class Component(Strict):
    """An explicit, adjustable load component (e.g. EV charging), scaled to its annual energy."""

    file: str = Field(description="hourly shape per zone, CSV: hour + one column per zone")
    annual_energy: PerPeriod = Field(description="annual energy of this component, all zones [MWh]")


class Heat(Strict):
    """Heat demand per zone, met by CHP (heating-retrofitted coal) or back-up boilers."""

    file: str = Field(description="hourly heat-demand shape per zone, CSV [p.u.]")
    annual_energy: PerZonePeriod = Field(description="annual heat demand [MWh_th]")
    boiler_cost: Number = Field(300.0, ge=0, description="cost of heat from back-up boilers [CNY/MWh_th]")
    boiler_co2: Number = Field(0.35, ge=0, description="CO2 of boiler heat [tCO2/MWh_th]")
    boiler_coal: Number = Field(0.14, ge=0, description="coal per boiler heat [tce/MWh_th]")


class Target(Strict):
    """A plan target: a named constraint per period (see model/formulation.md, policies)."""

    kind: TargetKindName = Field(
        description=f"what is constrained, one of {', '.join(TARGET_KINDS)} (model/formulation.md, policies)"
    )
    name_zh: str = Field("", description="the plan's Chinese name of the target")
    description: str = Field("", description="free text for reports")
    enabled: bool = Field(True, description="off: the target is not imposed (counterfactuals)")
    technologies: list[str] = Field(default_factory=list, description="techs or groups counted")
    zone: str | None = Field(None, description="zone, or None for the whole province")
    min: PerPeriod | None = Field(
        None, description="lower bound by period [MW, share, tCO2 or tce by kind]; unlisted periods: none"
    )
    max: PerPeriod | None = Field(
        None, description="upper bound by period [same units as min]; co2_peak: the peak level [tCO2/yr]"
    )
    basis: Literal["generation", "consumption"] = Field(
        "generation", description="non_fossil_share: of generation or of consumption"
    )
    peak_year: Count | None = Field(
        None, description="co2_peak: emissions peak no later than this year and never rise afterwards"
    )
    base_level: Number | None = Field(
        None, ge=0, description="co2_peak: stated base emissions for the peak level [tCO2/yr]"
    )
    max_growth: Number | None = Field(
        None, ge=0, description="co2_peak: peak level = base_level * (1 + max_growth) [share]"
    )
    pooled: bool = Field(
        False,
        description="import_renewable_share: one rule over all named channels instead of one per channel",
    )
    total_energy: PerPeriod | None = Field(
        None, description="non_fossil_primary_share: stated total energy consumption [tce/yr]"
    )
    other_non_fossil: PerPeriod = Field(
        0.0, description="non_fossil_primary_share: stated non-power non-fossil energy [tce/yr]"
    )
    coal_equivalent: PerPeriod = Field(
        300.0,
        description="non_fossil_primary_share: coal-equivalent of non-fossil electricity (发电煤耗法) [gce/kWh]",
    )
    credits: dict[str, PerPeriod] = Field(
        default_factory=dict,
        description="reserve_margin: capacity credit of each technology, storage, DR, import channel or "
        "group (a key may be both), a number or {period: number}; a resource's own name wins over a group; unnamed "
        "counts 0 [p.u. of capacity in service]",
    )
    storage_hours: Number | None = Field(
        4.0,
        gt=0,
        description="reserve_margin: hours of discharge at firm power that earn storage its full credit "
        "(firm <= credit * power and <= eff_discharge * energy / storage_hours; None: power only) [h]",
    )
    soft: bool | None = Field(None, description="allow a penalised shortfall; None: follow targets_mode")
    penalty: Number | None = Field(
        None,
        ge=0,
        description="soft: cost of shortfall [CNY per unit of the target and year]; None: soft_penalty",
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The reserve_margin fields only when set: other targets keep their input_hash."""
        out: dict[str, Any] = handler(self)
        for key, default in (("credits", {}), ("storage_hours", 4.0)):
            if out.get(key) == default:
                out.pop(key)
        return out


class Reserve(Strict):
    """An operating-reserve requirement (旋转备用 spinning reserve, 负荷备用) held in every time step."""

    name_zh: str = Field("", description="Chinese name, for reports")
    description: str = Field("", description="free text for reports")
    enabled: bool = Field(True, description="off: no requirement (counterfactuals)")
    direction: Literal["up", "down"] = Field(
        "up", description="up: headroom to raise output; down: to lower it"
    )
    scope: Literal["system", "zone"] = Field(
        "system", description="system: one requirement over the zones; zone: one per zone, met in the zone"
    )
    zones: list[str] = Field(default_factory=list, description="zones covered; empty: all")
    load_share: PerPeriod = Field(0.0, description="requirement per MW of load [p.u.]")
    load_basis: Literal["step", "peak"] = Field(
        "step", description="load of each step, or the period's annual peak load of the scope"
    )
    variable_share: PerPeriod = Field(0.0, description="requirement per MW of wind and solar [p.u.]")
    variable_basis: Literal["available", "output"] = Field(
        "available", description="wind and solar available (capacity x profile), or their output"
    )
    providers: list[str] | None = Field(
        None,
        description="technologies, groups, storage or demand response that may provide; None: committed "
        "thermal clusters, hydro, storage and (up) demand response",
    )
    duration: Number = Field(1.0, gt=0, description="hours storage must sustain its reserve [h]")
    response_time: Number = Field(
        1.0, gt=0, le=1, description="time to deliver, limiting thermal reserve to ramp x this [h]"
    )
    shortfall_cost: Number | None = Field(
        None, ge=0, description="cost of a shortfall [CNY/MW-h]; None: value_of_lost_load"
    )


class Time(Strict):
    """Time resolution: the full chronological year or representative periods."""

    mode: Literal["full_year", "representative_days", "tsam"] = Field(
        "representative_days",
        description="full_year: 8760 h; representative_days: medoid days; tsam: clustering",
    )
    days: Count = Field(12, ge=1, le=365, description="number of representative (typical) periods")
    hours_per_period: Count = Field(
        24, ge=1, description="tsam: hours per typical period [h] (24 days, 168 weeks)"
    )
    method: Literal["medoid", "k_medoids", "hierarchical"] = Field(
        "medoid", description="tsam: clustering method"
    )
    extreme_periods: list[Literal["peak_load", "min_renewable"]] = Field(
        default_factory=list,
        description="periods kept on purpose (tsam: as clusters of their own that similar periods may join)",
    )
    rescale: bool = Field(
        True,
        description="tsam: scale the ordinary periods so each load, profile and heat series keeps its annual energy",
    )
    foresight: Literal["perfect", "myopic"] = Field(
        "perfect",
        description="perfect: all periods in one LP; myopic: periods solved in sequence, earlier decisions fixed",
    )
    look_ahead: Count = Field(
        0,
        ge=0,
        description="myopic: later periods each step also sees (their decisions are re-made) [periods]",
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """foresight and look_ahead only when not the defaults: perfect-foresight cases keep
        their input_hash and scenario_yaml."""
        out: dict[str, Any] = handler(self)
        for key, default in (("foresight", "perfect"), ("look_ahead", 0)):
            if out.get(key) == default:
                out.pop(key)
        return out


class HourlyCheck(Strict):
    """The plan's fleet operated over all 8,760 hours of each period (see gridplan/operations.py)."""

    enabled: bool = Field(False, description="after the plan, re-solve its operation hour by hour")
    window_days: Count = Field(
        7,
        ge=1,
        le=365,
        description="length of each chronological window, storage and commitment cyclic in it [days]",
    )
    workers: Count = Field(
        0, ge=0, description="processes solving windows at once, at most the machine's cores; 0: one per core"
    )

    @field_validator("workers")
    @classmethod
    def _workers(cls, v: int) -> int:
        return _at_most_cores(v, "processes")


class Solver(Strict):
    """HiGHS options (command-line flags of `gridplan run` override them)."""

    method: Literal["choose", "simplex", "ipm", "hipo", "pdlp", "clarabel"] = Field(
        "choose",
        description="choose: simplex or interior point by zones, periods and columns; Clarabel for an "
        "interior point without crossover, and with crossover from 100,000 columns (model/performance.md); "
        "ipm = IPX; hipo needs highspy-extras; clarabel: Clarabel's interior point, with crossover then "
        "its vertex (restricted LP, primal simplex)",
    )
    crossover: bool = Field(True, description="run crossover after interior point (exact duals)")
    time_limit: Number = Field(INF, gt=0, description="solver time limit [s]")
    threads: Count = Field(
        0, ge=0, description="solver threads, at most the machine's cores; 0: HiGHS default"
    )
    tolerance: Number = Field(
        1e-7,
        ge=MIN_TOLERANCE,
        le=MAX_TOLERANCE,
        description=f"primal and dual feasibility tolerance, {MIN_TOLERANCE:g}..{MAX_TOLERANCE:g}",
    )
    presolve: bool = Field(
        True,
        description="HiGHS presolve; with method choose, off for one-zone, one-period simplex; "
        "Clarabel's vertex (with crossover) is found on the presolved LP",
    )
    log: bool = Field(False, description="print the HiGHS log")
    blocks: bool = Field(
        True,
        description="interior point: solve independent parts of the LP (a historical period) side by side "
        "(gridplan/blocks.py), one after the other with threads 1; in run, sweep and target-costs a part "
        "solved before is read back from the shared store (gridplan/block_store.py, GRIDPLAN_PARTS)",
    )
    options: dict[str, str | float | int | bool] = Field(
        default_factory=dict,
        description="any further HiGHS option by its HiGHS name, checked against HiGHS's own list, type and range",
    )

    @field_validator("threads")
    @classmethod
    def _threads(cls, v: int) -> int:
        return _at_most_cores(v, "threads")

    @field_validator("options")
    @classmethod
    def _options(cls, v: dict[str, Any]) -> dict[str, Any]:
        from gridplan.highs_options import option_errors

        bad = option_errors(v)
        if bad:
            raise ValueError("; ".join(bad))
        return v


class Scenario(Strict):
    """A case: everything one run needs (scenario.yaml)."""

    name: str = Field(
        "case",
        description="run name, a plain folder name; results go to results/<name>; default: folder name",
    )
    description: str = Field("", description="free text")
    extends: str | None = Field(None, description="parent case folder or YAML")
    periods: list[Count] = Field(min_length=1, description="investment periods [year], increasing")
    period_years: dict[int, Years] | None = Field(
        None,
        description=f"whole years each period represents, 1..{MAX_PERIOD_YEARS}; default: spacing of periods",
    )
    base_year: Count | None = Field(
        None,
        description="year costs are discounted to, within 50 years of the periods; default: first period",
    )
    historical_periods: list[int] = Field(
        default_factory=list,
        description="periods that record the system as it stood: nothing is built, retrofitted or "
        "contracted in them (fleets at `existing`)",
    )
    discount_rate: Number = Field(0.06, ge=0, lt=1, description="real discount rate [1/yr]")
    value_of_lost_load: Number = Field(30000.0, gt=0, description="cost of unserved energy [CNY/MWh]")
    zones: dict[str, Zone] = Field(description="zones of the network, by id")
    profiles: dict[str, str] = Field(
        default_factory=dict, description="profile name -> CSV (hour + one column per zone)"
    )
    demand: Demand = Field(description="electricity demand")
    heat: Heat | None = Field(None, description="heat demand met by CHP and boilers")
    fuels: dict[str, Fuel] = Field(default_factory=dict, description="fuels by name")
    technologies: dict[str, Technology] = Field(default_factory=dict, description="generators by name")
    storage: dict[str, Storage] = Field(default_factory=dict, description="storage by name")
    links: dict[str, Link] = Field(default_factory=dict, description="inter-zone corridors by name")
    imports: dict[str, ImportChannel] = Field(default_factory=dict, description="import channels by name")
    demand_response: dict[str, DemandResponse] = Field(
        default_factory=dict, description="demand-response resources by name"
    )
    targets: dict[str, Target] = Field(default_factory=dict, description="plan targets by name")
    reserves: dict[str, Reserve] = Field(
        default_factory=dict, description="operating-reserve requirements by name (旋转备用)"
    )
    targets_mode: Literal["hard", "soft"] = Field(
        "hard", description="soft: every target may fall short at a penalty"
    )
    soft_penalty: Number = Field(
        1e4, gt=0, description="default soft-target penalty [CNY per unit of the target and year]"
    )
    time: Time = Field(default_factory=Time, description="time resolution")
    hourly_check: HourlyCheck = Field(
        default_factory=HourlyCheck, description="check the plan hour by hour over the full year"
    )
    solver: Solver = Field(default_factory=Solver, description="solver options")
    allow_implausible: bool = Field(
        False,
        description="values outside the plausibility bounds (gridplan/case/checks_bounds.py) are warnings, not errors",
    )

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        from gridplan.outputs import name_problem

        bad = name_problem(v)
        if bad:
            raise ValueError(bad)
        return v

    @model_validator(mode="after")
    def _sorted_periods(self) -> Scenario:
        if self.periods != sorted(set(self.periods)):
            raise ValueError("periods must be increasing and unique")
        return self


class Zone(Strict):
    """A zone: one node of the network with its own balance and price."""

    name_zh: str = Field("", description="Chinese name, for reports")
    lat: Number | None = Field(None, ge=-90, le=90, description="latitude, for maps [deg]")
    lon: Number | None = Field(None, ge=-180, le=180, description="longitude, for maps [deg]")
    cities: list[str] = Field(default_factory=list, description="prefecture cities in the zone")


Demand.model_rebuild()
Scenario.model_rebuild()
