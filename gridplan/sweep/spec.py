"""The sweep file: its schema (SweepSpec, Param, Output) and the loaded sweep (Sweep).

A sweep file (YAML) names a base case and the parameters to vary, each by its dotted path in
the resolved scenario mapping::

    name: battery_coal                      # default: the file's stem
    base: ../jiangxi                        # case folder or YAML, relative to this file
    out: results/sweeps/battery_coal        # default results/sweeps/<name>, relative to the current folder
    design: grid        # grid | one_at_a_time | zip | latin_hypercube | random | list
    samples: 20         # latin_hypercube / random: number of scenarios
    seed: 0
    reuse: true         # warm-start HiGHS simplex from the base case's basis when only costs/RHS change
                        # (where simplex is the method anyway; `always`: also for interior-point sizes)
    keep_time: false    # also stack per-time-step variables in sweep.nc
    solver: {time_limit: 600}                   # scenario solver settings for every run
    parameters:
      storage.battery.capex_energy: {scale: [0.7, 1.0, 1.3]}    # factors on the base value(s)
      fuels.coal.price: {values: [720, 900, 1080]}               # absolute values (a bare list also works)
      discount_rate: {range: [0.04, 0.08], steps: 3}            # evenly spaced absolute values
      demand.annual_energy.2030: {scale_range: [0.9, 1.1]}      # evenly spaced factors
      targets.co2_peak.enabled: [true, false]
      battery_cost:                             # one factor on several paths; the key is a name
        paths: [storage.battery.capex_power, storage.battery.capex_energy]
        scale: [0.7, 1.0, 1.3]
    scenarios:          # design: list -- each a mapping path -> value or {scale: factor}
      - {fuels.coal.price: 1200, discount_rate: 0.05}
    outputs:            # extra outputs for the sensitivity views (total cost is always shown)
      storage_2035: {var: storage_power_new, sel: {period: 2035}}

The base case is loaded and checked once (make_sweep); its fingerprint (hash of its inputs and of
the sweep's solver settings) tells results of this base apart from those of an earlier one.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gridplan.errors import InputError, Problem

MAX_SCENARIOS = 10_000  # scenarios one sweep may plan


MAX_SWEEP_NAME = 100  # a scenario of the sweep is named <sweep>-<id>, 12 characters more


class Param(BaseModel):
    """How one parameter varies: exactly one of values, scale, range, scale_range."""

    model_config = ConfigDict(extra="forbid")

    values: list[Any] | None = Field(None, description="absolute values")
    scale: list[float] | None = Field(None, description="factors on the base value(s)")
    range: tuple[float, float] | None = Field(None, description="absolute [low, high]")
    scale_range: tuple[float, float] | None = Field(None, description="factors [low, high]")
    steps: int = Field(
        3, ge=2, le=MAX_SCENARIOS, description="levels of a range in grid / one-at-a-time / zip designs"
    )
    paths: list[str] | None = Field(
        None, min_length=1, description="several paths moved together (the key is then a name)"
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        return {"values": data} if isinstance(data, list) else data

    @model_validator(mode="after")
    def _one_form(self) -> Param:
        given = [k for k in ("values", "scale", "range", "scale_range") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of values, scale, range, scale_range"
                + (f"; found {given}" if given else "")
            )
        lst = self.values if self.values is not None else self.scale
        if lst is not None and not lst:
            raise ValueError("an empty list of levels")
        return self

    @property
    def mode(self) -> Literal["scale", "value"]:
        return "scale" if self.scale is not None or self.scale_range is not None else "value"

    def levels(self) -> list[Any]:
        """The discrete levels (ranges: `steps` evenly spaced values, ends included)."""
        if self.values is not None:
            return list(self.values)
        if self.scale is not None:
            return [float(x) for x in self.scale]
        lo, hi = self.range if self.range is not None else self.scale_range  # type: ignore[misc]
        return [round(float(x), 12) for x in np.linspace(lo, hi, self.steps)]

    def sample(self, u: float) -> Any:
        """The level at quantile u in [0, 1): continuous for ranges, a list item otherwise."""
        span = self.range if self.range is not None else self.scale_range
        if span is not None:
            return round(span[0] + u * (span[1] - span[0]), 12)
        lv = self.levels()
        return lv[min(int(u * len(lv)), len(lv) - 1)]


class Output(BaseModel):
    """An output of the sensitivity views: a results variable, selected, summed over the other dims."""

    model_config = ConfigDict(extra="forbid")

    var: str
    sel: dict[str, Any] = Field(default_factory=dict)
    label: str = ""


class SweepSpec(BaseModel):
    """The sweep file (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    description: str = ""
    base: str
    out: str | None = None
    design: Literal["grid", "one_at_a_time", "zip", "latin_hypercube", "random", "list"] = "grid"
    samples: int = Field(10, ge=1, le=MAX_SCENARIOS)
    seed: int = 0
    parameters: dict[str, Param] = Field(default_factory=dict)
    scenarios: list[dict[str, Any]] = Field(default_factory=list)
    solver: dict[str, Any] = Field(default_factory=dict)
    reuse: bool | Literal["always"] = True
    keep_time: bool = False
    outputs: dict[str, Output] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str | None) -> str | None:
        from gridplan.outputs import name_problem

        bad = None if v is None else name_problem(v, MAX_SWEEP_NAME)
        if bad:
            raise ValueError(bad)
        return v

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        if (
            self.design == "grid"
            and math.prod(len(p.levels()) for p in self.parameters.values()) > MAX_SCENARIOS
        ):
            raise ValueError(f"the grid has more than {MAX_SCENARIOS} scenarios; expected fewer levels")
        if self.design == "list":
            if not self.scenarios:
                raise ValueError("design 'list' needs a list of scenarios")
        elif not self.parameters:
            raise ValueError(f"design '{self.design}' needs parameters to vary")
        if self.design == "zip":
            n = {len(p.levels()) for p in self.parameters.values()}
            if len(n) > 1:
                raise ValueError(f"design 'zip' needs lists of equal length; found lengths {sorted(n)}")
        return self


@dataclass
class Sweep:
    """A loaded sweep: the spec, the base case (merged mapping and validated dump) and its folders."""

    spec: SweepSpec
    name: str
    base: Path  # scenario YAML of the base case
    out: Path
    raw: dict[str, Any]  # merged base mapping (as load_layers returns it)
    dump: dict[str, Any]  # validated base scenario, defaults filled in
    fingerprint: str  # base inputs + sweep solver settings
    file: Path | None = None

    @property
    def periods(self) -> list[int]:
        return list(self.dump["periods"])

    @property
    def zones(self) -> list[str]:
        return list(self.dump["zones"])

    def paths(self, name: str) -> list[str]:
        """The scenario paths a parameter sets: its `paths`, or its name."""
        spec = self.spec.parameters.get(name) if self.spec.design != "list" else None
        return list(spec.paths) if spec is not None and spec.paths else [name]

    def modes(self) -> dict[str, str]:
        """Varied parameters (names, usually paths) -> 'scale' or 'value'."""
        if self.spec.design != "list":
            return {p: spec.mode for p, spec in self.spec.parameters.items()}
        out: dict[str, str] = {}
        for sc in self.spec.scenarios:
            for p, v in sc.items():
                out.setdefault(p, "scale" if isinstance(v, dict) and set(v) == {"scale"} else "value")
        return out


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_sweep(spec: SweepSpec, folder: Path, out: Path | None = None, file: Path | None = None) -> Sweep:
    """Resolve the base case (relative to `folder`) and load it; raise InputError if it is bad."""
    from gridplan.case import Scenario, case_file, load_case, load_layers, validation_problems
    from gridplan.outputs import safe_name

    where = str(file) if file else "sweep"
    base = case_file((folder / spec.base).resolve())
    if not base.is_file():
        raise InputError([Problem(where, "base", message=f"base case '{spec.base}' not found ({base})")])
    problems: list[Problem] = []
    raw, _ = load_layers(base, problems)
    if problems:
        raise InputError(problems)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        raise InputError(validation_problems(e, str(base))) from None
    inputs = load_case(base)  # full checks of the base case, and its input hash
    name = spec.name or (safe_name(file.stem)[:MAX_SWEEP_NAME] if file else scenario.name[:MAX_SWEEP_NAME])
    fp = sha256_hex(inputs.input_hash + json.dumps(spec.solver, sort_keys=True, default=str))[:16]
    target = out or (Path(spec.out) if spec.out else Path("results") / "sweeps" / name)
    return Sweep(spec, name, base, target.resolve(), raw, scenario.model_dump(by_alias=True), fp, file)


def load_sweep(file: str | Path, out: Path | None = None) -> Sweep:
    """Read and check a sweep file; raise InputError naming the file and field on any problem."""
    from gridplan.case import read_yaml as _read_yaml
    from gridplan.case import validation_problems

    path = Path(file)
    problems: list[Problem] = []
    data = _read_yaml(path, problems, what="sweep")  # the guarded reader of scenario files
    if data is None or problems:
        raise InputError(problems)
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as e:
        probs = validation_problems(e, str(path))
        for i, p in enumerate(probs):  # the scenario schema's did-you-mean does not apply here
            if p.message.startswith("unknown key"):
                key = p.field.split(".")[-1]
                close = difflib.get_close_matches(key, list(SweepSpec.model_fields), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close and "." not in p.field else ""
                probs[i] = Problem(p.file, p.field, message=f"unknown key '{key}'{hint}")
        raise InputError(probs) from None
    return make_sweep(spec, path.resolve().parent, out, path.resolve())
