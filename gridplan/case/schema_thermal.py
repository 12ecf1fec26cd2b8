"""The option blocks of a thermal technology in the schema: commitment, 三改联动 retrofits,
retirement and life extension (gridplan/case/schema.py; model/parameters.md lists every field)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from gridplan.case.schema_types import INF, MAX_UP_DOWN, Count, Number, PerZonePeriod, Strict


class Commitment(Strict):
    """Linearised unit commitment of a thermal cluster (issue 3)."""

    enabled: bool = Field(True, description="off: plain capacity limit")
    unit_size: Number = Field(
        600.0, gt=0, description="size of one unit; turns startup_cost_unit into a cost per MW [MW]"
    )
    min_stable: Number = Field(0.5, ge=0, le=1, description="minimum stable output [share of committed]")
    ramp: Number = Field(1.0, gt=0, le=1, description="ramp limit [share of committed per hour]")
    startup_cost: Number = Field(0.0, ge=0, description="start-up cost [CNY/MW started]")
    startup_cost_unit: Number = Field(
        0.0,
        ge=0,
        description="start-up cost of one unit, instead of startup_cost (startup_cost_unit / unit_size "
        "per MW started) [CNY per unit start]",
    )
    min_up: Count = Field(
        0, ge=0, le=MAX_UP_DOWN, description="minimum up time: hours a started unit stays on (0, 1: none) [h]"
    )
    min_down: Count = Field(
        0,
        ge=0,
        le=MAX_UP_DOWN,
        description="minimum down time: hours a stopped unit stays off (0, 1: none) [h]",
    )

    @model_validator(mode="after")
    def _one_startup_cost(self) -> Commitment:
        if self.startup_cost and self.startup_cost_unit:
            raise ValueError(
                f"give startup_cost [CNY/MW] or startup_cost_unit [CNY per unit start], not both; found "
                f"{self.startup_cost:g} and {self.startup_cost_unit:g}"
            )
        return self

    def startup_cost_per_mw(self) -> float:
        """Start-up cost [CNY/MW started]: startup_cost, or startup_cost_unit / unit_size."""
        return self.startup_cost or self.startup_cost_unit / self.unit_size

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The fields of issue 22 only when set: cases without them keep their input_hash."""
        out: dict[str, Any] = handler(self)
        for key in ("startup_cost_unit", "min_up", "min_down"):
            if not out.get(key):
                out.pop(key, None)
        return out


class EnergySavingRetrofit(Strict):
    """节能降碳改造: lowers the heat rate of the retrofitted part."""

    capex: Number = Field(ge=0, description="retrofit cost [CNY/kW]")
    heat_rate_reduction: Number = Field(gt=0, description="heat-rate cut [gce/kWh]")
    existing: PerZonePeriod = Field(0.0, description="capacity already retrofitted [MW]")
    build_max: PerZonePeriod = Field(INF, description="maximum retrofit per period [MW]")
    lifetime: Number = Field(15.0, gt=0, description="economic life [years]")


class FlexibilityRetrofit(Strict):
    """灵活性改造: lower minimum stable output and faster ramps on the retrofitted part."""

    capex: Number = Field(ge=0, description="retrofit cost [CNY/kW]")
    min_stable: Number = Field(
        ge=0, le=1, description="minimum stable output after retrofit, at most commitment.min_stable [share]"
    )
    ramp: Number = Field(
        1.0, gt=0, le=1, description="ramp limit after retrofit, at least commitment.ramp [share per hour]"
    )
    existing: PerZonePeriod = Field(0.0, description="capacity already retrofitted [MW]")
    build_max: PerZonePeriod = Field(INF, description="maximum retrofit per period [MW]")
    lifetime: Number = Field(15.0, gt=0, description="economic life [years]")


class HeatingRetrofit(Strict):
    """供热改造: the retrofitted part becomes an extraction CHP unit."""

    capex: Number = Field(ge=0, description="retrofit cost [CNY/kW]")
    heat_ratio_max: Number = Field(
        1.0, gt=0, description="max heat output per MW of electric output [MW_th/MW]"
    )
    power_loss: Number = Field(
        0.15, ge=0, le=1, description="electric output lost per MW_th extracted [MW/MW_th]"
    )
    min_stable: Number | None = Field(
        None, ge=0, le=1, description="minimum stable output of CHP units [share]; None: cluster's"
    )
    existing: PerZonePeriod = Field(0.0, description="capacity already retrofitted [MW]")
    build_max: PerZonePeriod = Field(INF, description="maximum retrofit per period [MW]")
    lifetime: Number = Field(20.0, gt=0, description="economic life [years]")


class Retrofits(Strict):
    """三改联动 retrofit options of a thermal cluster; an absent option cannot be chosen."""

    energy_saving: EnergySavingRetrofit | None = Field(None, description="节能降碳改造 option")
    flexibility: FlexibilityRetrofit | None = Field(None, description="灵活性改造 option")
    heating: HeatingRetrofit | None = Field(None, description="供热改造 option")


class LifeExtension(Strict):
    """延寿: keep in service, at a cost, capacity that the `existing` schedule retires."""

    capex: Number = Field(
        0.0, ge=0, description="one-off cost of extending a unit's life, annuitised over `years` [CNY/kW]"
    )
    fom_adder: Number = Field(
        0.0, ge=0, description="extra fixed O&M of life-extended capacity, on top of fom [CNY/kW-yr]"
    )
    years: Number = Field(10.0, gt=0, description="how long an extension keeps a unit in service [years]")
    max_share: Number = Field(
        1.0,
        ge=0,
        le=1,
        description="share of the capacity the schedule retires in a period that may be extended [share]",
    )
    build_max: PerZonePeriod = Field(INF, description="maximum capacity extended per period [MW]")


class Retirement(Strict):
    """Early retirement (提前退役), mothballing (封存/应急备用) and life extension (延寿) of the
    existing capacity as decisions, from the first period that is not historical."""

    early: bool = Field(True, description="existing capacity may retire before its schedule (irreversible)")
    mothball_fom: Number | None = Field(
        None, ge=0, description="fixed cost of mothballed capacity [CNY/kW-yr]; None: no mothballing"
    )
    mothball_return_cost: Number = Field(
        0.0, ge=0, description="one-off cost of returning mothballed capacity to service [CNY/kW]"
    )
    life_extension: LifeExtension | None = Field(None, description="延寿 option; None: the schedule holds")
