"""Sensitivity sweeps on Dask distributed: variants of a base case, combined along `scenario`.

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

A path addresses the merged scenario mapping; a period or zone key may address one entry of a
scalar (`fuels.coal.price.2030` when the price is one number: the other periods keep it). A path
that does not exist is an error naming the nearest field ("did you mean ...").

Designs: `grid` is the full factorial; `one_at_a_time` is the base plus each parameter varied alone;
`zip` pairs the i-th values of equally long lists; `latin_hypercube` (scipy.stats.qmc) and `random`
draw `samples` points, continuous within `range`/`scale_range` and uniform over list levels.

Each scenario is a small YAML in `<out>/<id>/scenario.yaml` that `extends` the base case with only the
changed values (so it documents the scenario); `scale` multiplies a scalar or every number of a
per-period/per-zone mapping. The id is a hash of the changed values (settings equal to the base are
dropped, so the base point of a grid and of a one-at-a-time design is the same scenario).

Runs: every scenario is a Dask task (`gridplan.sweep.run_job`) on a LocalCluster (default: `workers`
worker processes of one thread each, on loopback) or on an existing scheduler (gridplan installed on
every worker); HiGHS runs with one thread per scenario unless the sweep's `solver` says otherwise. The output folder must
be on a file system every worker sees. A task writes `<id>/results.nc` atomically as soon as it
finishes, or `<id>/failed.json` with the reason (a results.nc of an earlier run is kept as it was:
a failed run never deletes or overwrites results, and sweep.nc points only at this run's); `<id>/log.jsonl` records every attempt (start, done,
failed, with process id). A re-run skips scenarios whose results carry the same base fingerprint (hash
of the base case's inputs and the sweep's solver settings) and scenarios that failed for a reason
that would repeat (bad parameter, bad input, infeasible); a scenario lost with its worker is retried
by the scheduler and, failing that, on the next run. `<out>/sweep.json` is the manifest. The output
folder is checked writable before anything runs, and locked (`<out>/.gridplan.lock`) while a sweep
writes to it: a second sweep on the same output fails at once (exit 2, "another sweep is writing
to ..."). Temporary files carry their writer's host and process id, so a clean-up removes only
those of writers that are gone (gridplan/atomic.py).

Model reuse (`reuse: true`): the base case is solved first and its optimal simplex basis saved in
`<out>/reference/`; every scenario whose constraint matrix is identical to the base's (same hash: only
costs, bounds or right-hand sides differ) starts HiGHS simplex from that basis instead of from scratch.
The model is still built and compiled per scenario (Pyomo gives no cheaper way to the new cost vector),
so only the solve gets shorter; the answer does not depend on which worker ran what, since every
scenario starts from the same basis. Other scenarios (e.g. a target dropped: rows change) start cold.
Measured with scripts/bench_sweep.py: on a 1-zone, 30-day, 3-period case (26k rows, 24k columns,
simplex) the median solve fell from 1.3-1.5 s to 0.6-1.0 s and CPU per scenario from 2.0-2.1 s to
1.3-1.6 s (three runs on a shared machine), 1-worker throughput rose from 19-25 to 21-36 scenarios/min; on
the Jiangxi case (438k rows, 344k columns, solved cold by HiPO in 288 s of CPU) a warm dual simplex
had used more than 360 s of CPU without finishing, so warm starts are used only where HiGHS would use
simplex anyway (`reuse: always` forces them), and for larger cases the base is only built to find out.

Combined results, `<out>/sweep.nc`: every time-independent variable of results.nc stacked along
`scenario` with `xr.concat(join="outer")` (targets or technologies missing from a scenario are NaN);
per-time-step variables (dims `time`/`hour`) are left out unless `keep_time` is set, since steps differ
when the time reduction is varied and they would dominate the file (each scenario's results.nc keeps
them). Booleans become 0/1 floats; per-scenario attributes (objective, status, timings) become
variables; each varied parameter is a coordinate along `scenario` named by its path (factor for
`scale`, value for `values`; JSON text when the values are mappings). `results_path` points to each
scenario's full results.nc. `<out>/sensitivity.html` holds tornado charts and output-vs-parameter curves.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import hashlib
import itertools
import json
import math
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import typer
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gridplan.atomic import exclusive, remove_stale, replacing, write_text
from gridplan.errors import GridplanError, InputError, Problem
from gridplan.outputs import OutputError, check_output, writing
from gridplan.report.fmt import bar

TIME_DIMS = ("time", "hour")
TRANSIENT = ("worker", "interrupted", "output")  # failure kinds retried on the next run
Echo = Callable[[str], None]


MAX_SCENARIOS = 10_000  # scenarios one sweep may plan
MAX_SWEEP_NAME = 100  # a scenario of the sweep is named <sweep>-<id>, 12 characters more


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# sweep file


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


@dataclass(frozen=True)
class Setting:
    """One parameter of one scenario: `value` replaces, or `scale` multiplies, the base value."""

    path: str
    mode: Literal["scale", "value"]
    value: Any


@dataclass
class Planned:
    """One scenario of a sweep: its id, its settings (only those that differ from the base) and
    the level of every varied parameter (factor or value; the base level where not set)."""

    id: str
    settings: dict[str, Setting]
    levels: dict[str, Any]
    label: str


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


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_sweep(spec: SweepSpec, folder: Path, out: Path | None = None, file: Path | None = None) -> Sweep:
    """Resolve the base case (relative to `folder`) and load it; raise InputError if it is bad."""
    from gridplan.config import Scenario
    from gridplan.inputs import case_file, load, load_layers, validation_problems
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
    inputs = load(base)  # full checks of the base case, and its input hash
    name = spec.name or (safe_name(file.stem)[:MAX_SWEEP_NAME] if file else scenario.name[:MAX_SWEEP_NAME])
    fp = _hash(inputs.input_hash + json.dumps(spec.solver, sort_keys=True, default=str))[:16]
    target = out or (Path(spec.out) if spec.out else Path("results") / "sweeps" / name)
    return Sweep(spec, name, base, target.resolve(), raw, scenario.model_dump(by_alias=True), fp, file)


def load_sweep(file: str | Path, out: Path | None = None) -> Sweep:
    """Read and check a sweep file; raise InputError naming the file and field on any problem."""
    from gridplan.inputs import _read_yaml, validation_problems

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


# ----------------------------------------------------------------------------------------------
# parameter paths


class ParamError(ValueError):
    """A parameter path or value that cannot be applied to the base case."""


def _key(node: dict[Any, Any], part: str) -> Any:
    """The key of `node` spelled `part` (period keys are integers)."""
    if part in node:
        return part
    if part.lstrip("-").isdigit() and int(part) in node:
        return int(part)
    return None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _expandable(sweep: Sweep, part: str) -> Any:
    """A scalar can be addressed per period or per zone: the key, or None."""
    if part.lstrip("-").isdigit() and int(part) in sweep.periods:
        return int(part)
    return part if part in sweep.zones else None


def locate(sweep: Sweep, path: str) -> tuple[list[Any], Any]:
    """The typed keys of `path` and the base value there; ParamError with a did-you-mean if absent."""
    parts = path.split(".")
    node: Any = sweep.dump
    keys: list[Any] = []
    for i, part in enumerate(parts):
        where = ".".join(parts[:i]) or "the scenario"
        if isinstance(node, dict):
            key = _key(node, part)
            if key is None:
                pool = [str(k) for k in node]
                close = difflib.get_close_matches(part, pool, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                shown = ", ".join(pool[:12]) + (", ..." if len(pool) > 12 else "")
                raise ParamError(
                    f"parameter path '{path}': no such field '{part}' in {where}{hint}; "
                    f"found: {shown or 'nothing'}"
                )
            keys.append(key)
            node = node[key]
        elif node is None:
            raise ParamError(
                f"parameter path '{path}': {where} is not set in the base case, so it has no field '{part}'"
            )
        elif _is_number(node) and _expandable(sweep, part) is not None and i == len(parts) - 1:
            keys.append(_expandable(sweep, part))  # scalar -> per period / per zone
        else:
            raise ParamError(
                f"parameter path '{path}': {where} is {node!r}, it has no field '{part}' "
                f"(a scalar can be addressed per period {sweep.periods} or per zone "
                f"{sweep.zones} only)"
            )
    return keys, node


def scaled(value: Any, factor: float, path: str) -> Any:
    """`value` times `factor`: a number, or every number in a (nested) mapping."""
    if isinstance(value, dict):
        return {k: scaled(v, factor, f"{path}.{k}") for k, v in value.items()}
    if _is_number(value):
        return value * factor
    raise ParamError(f"parameter path '{path}': cannot scale {value!r} (not a number)")


def _diff(old: dict[Any, Any], new: dict[Any, Any]) -> dict[Any, Any]:
    """The smallest mapping that, deep-merged onto `old`, gives `new` (keys are never removed)."""
    out: dict[Any, Any] = {}
    for k, v in new.items():
        if k not in old:
            out[k] = v
        elif isinstance(v, dict) and isinstance(old[k], dict):
            d = _diff(old[k], v)
            if d:
                out[k] = d
        elif v != old[k] or type(v) is not type(old[k]):
            out[k] = v
    return out


def override(sweep: Sweep, settings: dict[str, Setting]) -> dict[str, Any]:
    """The changed values, nested as a mapping for an `extends` layer; validated against the schema."""
    from gridplan.config import Scenario
    from gridplan.inputs import validation_problems

    data = copy.deepcopy(sweep.raw)
    for s in settings.values():
        keys, old = locate(sweep, s.path)
        if s.mode == "scale" and not _is_number(s.value):
            raise ParamError(f"parameter path '{s.path}': scale factor {s.value!r} is not a number")
        new = scaled(old, float(s.value), s.path) if s.mode == "scale" else s.value
        node, dnode = data, sweep.dump
        for i, k in enumerate(keys[:-1]):
            dnext = dnode[k]
            nxt = node.get(k)
            if not isinstance(nxt, dict):  # not written in the case: start from the base's value
                last = i == len(keys) - 2
                if _is_number(nxt if nxt is not None else dnext) and last:
                    v = nxt if nxt is not None else dnext
                    pool = sweep.periods if isinstance(keys[-1], int) else sweep.zones
                    nxt = dict.fromkeys(pool, v)
                else:
                    nxt = {}
                node[k] = nxt
            node, dnode = nxt, dnext if isinstance(dnext, dict) else {}
        node[keys[-1]] = new
    try:
        Scenario.model_validate(data)
    except ValidationError as e:
        lines = "; ".join(f"{p.field}: {p.message}" for p in validation_problems(e, "scenario"))
        paths = ", ".join(settings)
        raise ParamError(f"parameters {paths}: the scenario is not valid: {lines}") from None
    return _diff(sweep.raw, data)


# ----------------------------------------------------------------------------------------------
# planning


def _canonical(sweep: Sweep, assignment: dict[str, tuple[str, Any]]) -> dict[str, Setting]:
    """Settings by path that differ from the base (scale 1 and values equal to the base are dropped)."""
    out: dict[str, Setting] = {}
    for name, (mode, v) in assignment.items():
        for path in sweep.paths(name):
            if mode == "scale" and _is_number(v) and float(v) == 1.0:
                continue
            if mode == "value":
                try:
                    _, old = locate(sweep, path)
                except ParamError:
                    old = object()
                if _equal(v, old):
                    continue
            value = float(v) if mode == "scale" and _is_number(v) else _plain(v)
            out[path] = Setting(path, mode, value)  # type: ignore[arg-type]
    return out


def _equal(a: Any, b: Any) -> bool:
    """Same value as written in a scenario: numbers compare as floats, booleans only with booleans."""
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _plain(v: Any) -> Any:
    """numpy scalars and nested values as plain Python (for YAML, JSON and hashing)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def scenario_id(settings: dict[str, Setting]) -> str:
    """Deterministic id: a hash of the settings (path, mode, value), sorted by path."""
    key = json.dumps({p: [s.mode, s.value] for p, s in sorted(settings.items())}, sort_keys=True, default=str)
    return "s" + _hash(key)[:10]


def _label(sweep: Sweep, assignment: dict[str, tuple[str, Any]], settings: dict[str, Setting]) -> str:
    """'name ×factor, name=value' for the parameters that change something; 'base case' if none do."""
    parts = [
        f"{n} ×{float(v):g}" if mode == "scale" and _is_number(v) else f"{n}={_shown(_plain(v))}"
        for n, (mode, v) in assignment.items()
        if any(p in settings for p in sweep.paths(n))
    ]
    return ", ".join(parts) or "base case"


def _shown(v: Any) -> Any:
    """A value as a label shows it: floats to 6 significant digits (a sampled 1109.951753165385
    reads 1109.95); the scenario id keeps the exact value."""
    return f"{v:.6g}" if isinstance(v, float) else v


def base_level(sweep: Sweep, path: str, mode: str) -> Any:
    """The level of a parameter in the base case: factor 1, or the base value (None if absent)."""
    if mode == "scale":
        return 1.0
    try:
        return locate(sweep, path)[1]
    except ParamError:
        return None


def plan(sweep: Sweep) -> list[Planned]:
    """The scenarios of the sweep's design, deduplicated by id, in design order."""
    spec = sweep.spec
    params = spec.parameters
    names = list(params)
    rows: list[dict[str, tuple[str, Any]]] = []
    if spec.design == "grid":
        for combo in itertools.product(*(params[n].levels() for n in names)):
            rows.append({n: (params[n].mode, v) for n, v in zip(names, combo, strict=True)})
    elif spec.design == "zip":
        for combo in zip(*(params[n].levels() for n in names), strict=True):
            rows.append({n: (params[n].mode, v) for n, v in zip(names, combo, strict=True)})
    elif spec.design == "one_at_a_time":
        rows.append({})
        for n in names:
            rows += [{n: (params[n].mode, v)} for v in params[n].levels()]
    elif spec.design in ("latin_hypercube", "random"):
        if spec.design == "latin_hypercube":
            from scipy.stats import qmc

            u = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(spec.seed)).random(spec.samples)
        else:
            u = np.random.default_rng(spec.seed).random((spec.samples, len(names)))
        for row in u:
            rows.append(
                {n: (params[n].mode, params[n].sample(float(x))) for n, x in zip(names, row, strict=True)}
            )
    else:  # list
        for sc in spec.scenarios:
            rows.append(
                {
                    p: ("scale", v["scale"]) if isinstance(v, dict) and set(v) == {"scale"} else ("value", v)
                    for p, v in sc.items()
                }
            )
    modes = sweep.modes()
    out: dict[str, Planned] = {}
    for row in rows:
        settings = _canonical(sweep, row)
        sid = scenario_id(settings)
        if sid in out:
            continue
        levels = {
            n: (_plain(row[n][1]) if n in row else base_level(sweep, sweep.paths(n)[0], m))
            for n, m in modes.items()
        }
        out[sid] = Planned(sid, settings, levels, _label(sweep, row, settings))
    return list(out.values())


def prepare(sweep: Sweep, sc: Planned, folder: Path | None = None) -> Path:
    """Write `<out>/<id>/scenario.yaml` (extends the base case); ParamError if it cannot be built."""
    ov = override(sweep, sc.settings)
    folder = folder or sweep.out / sc.id
    doc: dict[str, Any] = {
        "extends": str(sweep.base),
        "name": f"{sweep.name}-{folder.name}",
        "description": f"sweep {sweep.name}: {sc.label}",
    }
    if sweep.spec.solver:
        ov = _merge(ov, {"solver": dict(sweep.spec.solver)})
    doc.update(ov)
    text = (
        "# written by gridplan sweep; the settings of one scenario on top of its base case\n"
        + yaml.safe_dump(_plain(doc), sort_keys=False, allow_unicode=True)
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scenario.yaml"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_text(path, text)
    return path


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# ----------------------------------------------------------------------------------------------
# files


def _write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")


def _log(folder: Path, event: str, **info: Any) -> None:
    """Append one line to <folder>/log.jsonl: every attempt of a scenario leaves a trace."""
    rec = {
        "event": event,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        **info,
    }
    with open(folder / "log.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, default=str) + "\n")


def read_log(folder: Path) -> list[dict[str, Any]]:
    """The attempts recorded in <folder>/log.jsonl (empty if none)."""
    p = folder / "log.jsonl"
    if not p.is_file():
        return []
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def _results_fingerprint(path: Path) -> str | None:
    """The sweep fingerprint stored in a results.nc, or None if absent or unreadable."""
    if not path.is_file():
        return None
    try:
        import netCDF4

        with netCDF4.Dataset(path) as nc:
            return str(nc.getncattr("sweep_fingerprint"))
    except (OSError, AttributeError, KeyError, RuntimeError):
        return None


def status(folder: Path, fingerprint: str) -> tuple[str, dict[str, Any]]:
    """'done', 'failed' (would fail again), 'retry' (failed transiently) or 'todo', with failure info."""
    if _results_fingerprint(folder / "results.nc") == fingerprint:
        return "done", {}
    f = folder / "failed.json"
    if f.is_file():
        try:
            info = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "todo", {}
        if info.get("fingerprint") == fingerprint:
            return ("retry" if info.get("kind") in TRANSIENT else "failed"), info
    return "todo", {}


def _record_failure(folder: Path, sid: str, fingerprint: str, kind: str, reason: str) -> dict[str, Any]:
    info = {
        "id": sid,
        "kind": kind,
        "reason": reason,
        "fingerprint": fingerprint,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(folder / "failed.json", info)
    return info


# ----------------------------------------------------------------------------------------------
# one scenario, on a worker


@dataclass(frozen=True)
class Job:
    """What a worker needs to run one scenario (plain data, pickled to the worker)."""

    id: str
    case: str  # variant scenario.yaml
    folder: str  # where results.nc / failed.json / log.jsonl go
    fingerprint: str
    solver: dict[str, Any] = field(default_factory=dict)  # run-time solver overrides (threads)
    reference: str | None = None  # folder with basis.bas + reference.json to warm-start from
    save_reference: str | None = None  # write this run's optimal basis here
    write_results: bool = True
    any_method: bool = False  # warm-start also where an interior point would be used (reuse: always)


def _signature(lp: Any) -> str:
    """Hash of the constraint matrix and its shape: equal signatures -> a basis carries over."""
    h = hashlib.sha256()
    h.update(np.array([lp.num_col_, lp.num_row_], dtype=np.int64).tobytes())
    for a in (lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _run_highs(
    lp: Any, info: Any, offset: float, options: dict[str, Any], basis: Path | None, timings: dict[str, float]
) -> tuple[Any, Any, bool]:
    """Pass the LP to a new HiGHS, from a starting basis if given (then dual simplex), and solve;
    return (Solution, the Highs object, whether the basis was accepted), read by gridplan.solve.collect."""
    import highspy

    from gridplan.solve import collect

    t1 = time.perf_counter()
    h = highspy.Highs()
    for k, v in options.items():
        h.setOptionValue(k, v)
    h.passModel(lp)
    warm = False
    if basis is not None:
        h.setOptionValue("solver", "simplex")
        warm = h.readBasis(str(basis)) == highspy.HighsStatus.kOk
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    method = str(h.getOptionValue("solver")[1])
    label = f"HiGHS {h.version()} via highspy ({method}" + (
        ", warm start from the base case's basis)" if warm else ")"
    )
    out = collect(h, lp, info, offset, {**timings, "handover": t2 - t1, "solve": t3 - t2}, label)
    return out, h, warm


def solve_case(
    case: Path,
    solver: dict[str, Any] | None = None,
    reference: Path | None = None,
    save_reference: Path | None = None,
    any_method: bool = False,
) -> Any:
    """Load, build and solve one case -> results Dataset (None: nothing was asked of it).

    Without `reference` and `save_reference` this is exactly gridplan.pipeline.run. With
    `reference` (a folder written by an earlier `save_reference`), when this case's constraint
    matrix equals the reference's (only costs, bounds or right-hand sides differ) and simplex is the
    method HiGHS would use for it anyway (or `any_method`), dual simplex starts from the reference's
    optimal basis. `save_reference` keeps this run's optimal basis and matrix signature there; when
    no scenario could use it (interior point at this size, not `any_method`), nothing is solved and
    None is returned. A solve that does not end optimal is redone by
    gridplan.pipeline.solve_inputs (cold, raising SolveError with its diagnosis when it fails)."""
    from gridplan import __version__
    from gridplan.inputs import load
    from gridplan.lp.build import build
    from gridplan.pipeline import solve_inputs, solver_options, usable
    from gridplan.results import dataset
    from gridplan.solve import options_for, shape_of, to_highs
    from gridplan.timeseries import select

    timings: dict[str, float] = {}
    t = time.perf_counter()
    inputs = load(case)
    inputs.scenario.solver = solver_options(inputs.scenario.solver, solver)
    timings["load"] = time.perf_counter() - t
    if reference is None and save_reference is None:
        ds = solve_inputs(inputs)
        ds.attrs.update({"seconds_load": round(timings["load"], 3), "warm_start": "off"})
        return ds
    t = time.perf_counter()
    steps = select(inputs)
    t, timings["time"] = time.perf_counter(), time.perf_counter() - t
    m, ctx = build(inputs, steps)
    t, timings["build"] = time.perf_counter(), time.perf_counter() - t
    lp, info, offset = to_highs(m)
    timings["compile"] = time.perf_counter() - t
    sig = _signature(lp)
    options = options_for(inputs.scenario.solver, lp.num_col_, *shape_of(m))  # as solve.solve does
    simplex = options["solver"] == "simplex" or any_method
    if save_reference is not None and not simplex:
        return None  # a basis is asked for, but no scenario of this size would use it
    basis, note = None, "off"
    if reference is not None:
        ref = json.loads((reference / "reference.json").read_text(encoding="utf-8"))
        if ref["signature"] != sig:
            note = "cold: the constraint matrix differs from the base case's"
        elif not simplex:
            note = f"cold: {options['solver']} is used at this size, where a simplex warm start does not pay"
        else:
            basis = reference / "basis.bas"
    sol, h, warm = _run_highs(lp, info, offset, options, basis, timings)
    timings.update({k: sol.timings[k] for k in ("handover", "solve") if k in sol.timings})
    if basis is not None:
        note = "base basis" if warm else "cold: the base basis was rejected"
    if not sol.optimal and (basis is not None or not usable(sol)):
        ds = solve_inputs(inputs)  # cold, as gridplan run: its result, or its SolveError
        ds.attrs["warm_start"] = f"cold: the first solve ended with status '{sol.status}'"
        return ds
    t = time.perf_counter()
    ds = dataset(m, ctx, sol)
    timings["results"] = time.perf_counter() - t
    ds.attrs.update(
        {
            "gridplan_version": __version__,
            "input_hash": inputs.input_hash,
            "case": str(inputs.path),
            "warm_start": note,
        }
    )
    if not sol.optimal:
        ds.attrs["warning"] = f"solver stopped with status '{sol.status}': a feasible, not optimal, solution"
    for k, v in timings.items():
        ds.attrs[f"seconds_{k}"] = round(v, 3)
    if save_reference is not None and simplex and sol.optimal and h.getBasis().valid:
        with replacing(save_reference / "basis.bas") as tmp:
            h.writeBasis(str(tmp))
        _write_json(
            save_reference / "reference.json",
            {"signature": sig, "objective": ds.attrs["objective"], "case": str(case)},
        )
    return ds


def run_job(job: Job) -> dict[str, Any]:
    """Run one scenario (a Dask task): write results.nc, or failed.json with the reason.

    Idempotent: if a finished results.nc with this fingerprint is already there (a retry after the
    worker died between writing and reporting), it is not recomputed."""
    from gridplan.results import write

    folder = Path(job.folder)
    folder.mkdir(parents=True, exist_ok=True)
    if job.write_results and _results_fingerprint(folder / "results.nc") == job.fingerprint:
        return {"id": job.id, "status": "done", "again": True}
    remove_stale(folder)  # left by an attempt killed while writing; never a live writer's
    _log(folder, "start")
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        ds = solve_case(
            Path(job.case),
            job.solver,
            Path(job.reference) if job.reference else None,
            Path(job.save_reference) if job.save_reference else None,
            job.any_method,
        )
        if ds is None:  # only a basis was asked for, and no scenario would use it
            if job.save_reference:
                _write_json(
                    Path(job.save_reference) / "reference.json",
                    {
                        "signature": None,
                        "fingerprint": job.fingerprint,
                        "note": "interior point at this size: no simplex warm starts",
                    },
                )
            _log(folder, "skipped", reason="no warm starts at this size: nothing to solve")
            return {"id": job.id, "status": "skipped"}
    except InputError as e:
        kind, reason = "input", str(e)
    except GridplanError as e:
        kind, reason = str(getattr(e, "status", "solve")), str(e)
    except Exception as e:  # noqa: BLE001 - one scenario's failure is recorded; the others go on
        kind, reason = "error", f"{type(e).__name__}: {e}"
    else:
        seconds = time.perf_counter() - t0
        ds.attrs.update(
            {
                "sweep_id": job.id,
                "sweep_fingerprint": job.fingerprint,
                "seconds_scenario": round(seconds, 3),
                "seconds_cpu_scenario": round(time.process_time() - cpu0, 3),
            }
        )
        if job.write_results:
            try:
                write(ds, folder / "results.nc")
            except OSError as e:  # disk full, ...: an earlier results.nc stays (atomic write)
                reason = f"results.nc could not be written: {e.strerror or e} (errno {e.errno}); earlier results kept"
                with contextlib.suppress(OSError):
                    _record_failure(folder, job.id, job.fingerprint, "output", reason)
                    _log(folder, "failed", kind="output", reason=reason)
                return {"id": job.id, "status": "failed", "kind": "output", "reason": reason}
            (folder / "failed.json").unlink(missing_ok=True)
        ref = Path(job.save_reference) / "reference.json" if job.save_reference else None
        if ref is not None and ref.is_file():
            _write_json(ref, {**json.loads(ref.read_text(encoding="utf-8")), "fingerprint": job.fingerprint})
        _log(
            folder,
            "done",
            objective=ds.attrs["objective"],
            seconds=round(seconds, 3),
            warm_start=ds.attrs.get("warm_start", ""),
        )
        return {
            "id": job.id,
            "status": "done",
            "objective": ds.attrs["objective"],
            "seconds": seconds,
            "warm_start": ds.attrs.get("warm_start", ""),
        }
    if (
        job.write_results
    ):  # an earlier run's results.nc stays as it was (failed.json says why this run failed)
        _record_failure(folder, job.id, job.fingerprint, kind, reason)
    _log(folder, "failed", kind=kind, reason=reason[:2000])
    return {"id": job.id, "status": "failed", "kind": kind, "reason": reason}


# ----------------------------------------------------------------------------------------------
# running a sweep


@dataclass
class Outcome:
    """What happened to one scenario in this run (or was found from an earlier one)."""

    id: str
    label: str
    status: str  # done | failed
    objective: float = math.nan
    seconds: float = math.nan
    reason: str = ""
    kind: str = ""
    computed: bool = False  # run in this invocation (not found from an earlier run)
    warm_start: str = ""


@dataclass
class SweepRun:
    """The result of `run_sweep`: outcomes by scenario, files written, counts and timing."""

    sweep: Sweep
    planned: list[Planned]
    outcomes: dict[str, Outcome]
    combined: Path | None
    html: Path | None
    seconds: float
    workers: int

    @property
    def computed(self) -> int:
        return sum(o.computed for o in self.outcomes.values())

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes.values())

    @property
    def done(self) -> int:
        return sum(o.status == "done" for o in self.outcomes.values())


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A Client on `scheduler`, or on a LocalCluster of `workers` single-threaded processes (loopback)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP server: loopback, any port
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "?"
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min" if s < 5400 else f"{s / 3600:.1f} h"


def run_sweep(
    sweep: Sweep,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int = 2,
    retry_failed: bool = False,
    echo: Echo = _stderr,
    on_result: Callable[[Outcome], None] | None = None,
) -> SweepRun:
    """Run every scenario not yet finished on Dask, then combine and draw; see the module docstring.

    `client`: an existing dask Client (else one is made from `scheduler`, or a LocalCluster of
    `workers`). `on_result` is called on the client side after each scenario of this run."""
    from gridplan.config import cores

    limit = cores()
    if client is None and scheduler is None and not 1 <= workers <= limit:
        raise InputError(
            [
                Problem(
                    "command line",
                    "--workers",
                    message=f"found {workers}; expected 1..{limit} local worker processes (the cores of this machine)",
                )
            ]
        )
    check_output(sweep.out, "out")
    with exclusive(sweep.out, "sweep"):
        return _run_sweep(sweep, client, scheduler, workers, retry_failed, echo, on_result)


def _run_sweep(
    sweep: Sweep,
    client: Any,
    scheduler: str | None,
    workers: int,
    retry_failed: bool,
    echo: Echo,
    on_result: Callable[[Outcome], None] | None,
) -> SweepRun:
    """run_sweep, holding the output folder's lock."""
    t_start = time.perf_counter()
    planned = plan(sweep)
    out = sweep.out
    out.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, Outcome] = {}
    jobs: list[Job] = []
    solver = {"threads": 1} if "threads" not in sweep.spec.solver else {}
    for sc in planned:
        folder = out / sc.id
        st, info = status(folder, sweep.fingerprint)
        if st == "done":
            outcomes[sc.id] = Outcome(sc.id, sc.label, "done")
            continue
        if st == "failed" and not retry_failed:
            outcomes[sc.id] = Outcome(
                sc.id, sc.label, "failed", reason=info.get("reason", ""), kind=info.get("kind", "")
            )
            continue
        try:
            case = prepare(sweep, sc)
        except ParamError as e:
            info = _record_failure(folder, sc.id, sweep.fingerprint, "parameter", str(e))
            _log(folder, "failed", kind="parameter", reason=str(e))
            outcomes[sc.id] = Outcome(
                sc.id, sc.label, "failed", reason=str(e), kind="parameter", computed=True
            )
            continue
        jobs.append(Job(sc.id, str(case), str(folder), sweep.fingerprint, solver))
    skipped = len(outcomes)
    bad = [o for o in outcomes.values() if o.kind == "parameter"]
    echo(
        f"sweep {sweep.name}: {len(planned)} scenarios ({sweep.spec.design}), base {sweep.base}; "
        f"{skipped - len(bad)} already finished, {len(bad)} cannot be built, {len(jobs)} to run; "
        f"output {out}"
    )
    for o in bad:
        echo(f"  failed {o.id} ({o.label}): {o.reason}")
    _write_manifest(sweep, planned, outcomes, "running")
    n_workers = 0
    if jobs:
        with contextlib.ExitStack() as stack:
            if client is None:
                client = stack.enter_context(dask_client(scheduler, workers))
            n_workers = len(client.nthreads())
            echo(f"dask: scheduler {client.scheduler_info().get('address', scheduler)}, {n_workers} workers")
            try:
                _execute(sweep, planned, jobs, client, outcomes, echo, on_result)
            except KeyboardInterrupt:
                _write_manifest(sweep, planned, outcomes, "interrupted")
                echo("interrupted: finished scenarios are saved; run the same command again to resume")
                raise
    combined = html = None
    if any(o.status == "done" for o in outcomes.values()):
        with writing("the combined results", out / "sweep.nc"):  # disk full: exit 7, results kept
            combined = combine(sweep, planned, outcomes)
        try:
            html = sensitivity_html(sweep, combined, out / "sensitivity.html")
        except Exception as e:  # noqa: BLE001 - the views are extra: a plotting problem must not lose the sweep
            echo(f"warning: sensitivity views not written: {type(e).__name__}: {e}")
    run = SweepRun(sweep, planned, outcomes, combined, html, time.perf_counter() - t_start, n_workers)
    _write_manifest(sweep, planned, outcomes, "finished", run)
    return run


def _execute(
    sweep: Sweep,
    planned: list[Planned],
    jobs: list[Job],
    client: Any,
    outcomes: dict[str, Outcome],
    echo: Echo,
    on_result: Callable[[Outcome], None] | None,
) -> None:
    """Submit the jobs (the warm-start reference first, if any), follow them, record each outcome."""
    from dask.distributed import as_completed

    labels = {sc.id: sc.label for sc in planned}
    base_id = scenario_id({})
    ref_dir = sweep.out / "reference"
    total = len(jobs)
    finished = 0
    t0 = time.perf_counter()
    token = _hash(f"{time.time()}{os.getpid()}")[:6]

    count = itertools.count()

    def submit(job: Job) -> Any:  # a key of its own per submission (the base may go twice)
        return client.submit(run_job, job, key=f"gridplan-{job.id}-{next(count)}-{token}", pure=False)

    def record(job: Job, fut: Any) -> None:
        nonlocal finished
        try:
            res = fut.result()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as e:  # noqa: BLE001 - a lost worker or a cancelled task: recorded, retried next run
            st, _ = status(Path(job.folder), sweep.fingerprint)
            if st == "done":
                res = {"id": job.id, "status": "done"}
            else:
                kind = "interrupted" if type(e).__name__ == "CancelledError" else "worker"
                reason = f"{type(e).__name__}: {e} (the task's worker died or was lost; retried next run)"
                _record_failure(Path(job.folder), job.id, sweep.fingerprint, kind, reason)
                res = {"id": job.id, "status": "failed", "kind": kind, "reason": reason}
        finished += 1
        o = Outcome(
            job.id,
            labels.get(job.id, job.id),
            res["status"],
            res.get("objective", math.nan),
            res.get("seconds", math.nan),
            res.get("reason", ""),
            res.get("kind", ""),
            True,
            res.get("warm_start", ""),
        )
        outcomes[job.id] = o
        done = sum(x.computed and x.status == "done" for x in outcomes.values())
        failed = sum(x.computed and x.status == "failed" for x in outcomes.values())
        elapsed = time.perf_counter() - t0
        left = (total - finished) * elapsed / finished if finished else math.inf
        try:  # tasks held by workers, at most one running per worker thread
            held = sum(1 for keys in client.processing().values() for k in keys if str(k).endswith(token))
            running = min(held, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 - progress only
            running = 0
        what = (
            f"ok {o.objective / 1e9:,.4f} bn CNY in {o.seconds:.1f} s"
            + (" (warm)" if o.warm_start == "base basis" else "")
            if o.status == "done" and math.isfinite(o.objective)
            else "ok"
            if o.status == "done"
            else f"FAILED ({o.kind}): {(o.reason.splitlines() or [''])[0][:160]}"
        )
        echo(
            f"{bar(finished, total)} done {done}, failed {failed}, running {running}, "
            f"queued {max(total - finished - running, 0)}; {_fmt_seconds(elapsed)} elapsed, "
            f"~{_fmt_seconds(left)} left | {job.id} {o.label}: {what}"
        )
        if on_result is not None:
            on_result(o)

    if sweep.spec.reuse:
        always = sweep.spec.reuse == "always"
        if _reference_state(ref_dir, sweep.fingerprint) == "missing":
            # the base case first: for a simplex-sized LP it is solved and its basis kept; for an
            # interior-point-sized one it is only built (a simplex warm start would not pay) and the
            # base scenario, if any, runs cold with the others
            base_job = next((j for j in jobs if j.id == base_id), None)
            if base_job is None:
                case = prepare(sweep, Planned("reference", {}, {}, "base case (reference)"), ref_dir)
                base_job = Job(
                    "reference",
                    str(case),
                    str(ref_dir),
                    sweep.fingerprint,
                    jobs[0].solver,
                    write_results=False,
                )
            ref_job = replace(base_job, save_reference=str(ref_dir), any_method=always)
            echo("base case first: its optimal basis can warm-start the other scenarios")
            fut = submit(ref_job)
            try:
                res = fut.result()
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as e:  # noqa: BLE001 - handled as a failed scenario below
                res = {"status": "failed", "reason": f"{type(e).__name__}: {e}"}
            if res["status"] != "skipped" and ref_job.write_results:
                record(ref_job, fut)
                jobs = [j for j in jobs if j.id != base_id]
            elif res["status"] == "failed":
                echo(f"  base case: {res.get('reason', '')[:300]}")
        state = _reference_state(ref_dir, sweep.fingerprint)
        if state == "valid":
            jobs = [replace(j, reference=str(ref_dir), any_method=always) for j in jobs]
        else:
            echo(
                "no warm starts: an interior point is used at this size (reuse: always forces simplex "
                "warm starts)"
                if state == "none"
                else "no warm starts: the base case did not solve"
            )
    futures = {submit(j): j for j in jobs}
    try:
        for fut in as_completed(list(futures)):
            record(futures[fut], fut)
    except BaseException:
        for f in futures:
            f.cancel()
        raise


def _reference_state(ref_dir: Path, fingerprint: str) -> str:
    """'valid': a base basis for this base case and solver settings; 'none': known to be of no use
    (interior point at this size); 'missing': to be made."""
    try:
        info = json.loads((ref_dir / "reference.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "missing"
    if info.get("fingerprint") != fingerprint:
        return "missing"
    if info.get("signature") is None:
        return "none"
    return "valid" if (ref_dir / "basis.bas").is_file() else "missing"


def _reference_valid(ref_dir: Path, fingerprint: str) -> bool:
    return _reference_state(ref_dir, fingerprint) == "valid"


def _write_manifest(
    sweep: Sweep,
    planned: list[Planned],
    outcomes: dict[str, Outcome],
    state: str,
    run: SweepRun | None = None,
) -> Path:
    """<out>/sweep.json: the sweep, its base, and every scenario with its settings and status."""
    data: dict[str, Any] = {
        "name": sweep.name,
        "state": state,
        "sweep_file": str(sweep.file) if sweep.file else None,
        "base": str(sweep.base),
        "fingerprint": sweep.fingerprint,
        "design": sweep.spec.design,
        "spec": sweep.spec.model_dump(mode="json"),
        "parameters": sweep.modes(),
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "scenarios": [
            {
                "id": sc.id,
                "label": sc.label,
                "folder": sc.id,
                "settings": {p: {s.mode: s.value} for p, s in sc.settings.items()},
                "levels": sc.levels,
                "status": outcomes[sc.id].status if sc.id in outcomes else "pending",
                **(
                    {"reason": outcomes[sc.id].reason, "kind": outcomes[sc.id].kind}
                    if sc.id in outcomes and outcomes[sc.id].status == "failed"
                    else {}
                ),
            }
            for sc in planned
        ],
    }
    if run is not None:
        data.update(
            {
                "combined": str(run.combined) if run.combined else None,
                "html": str(run.html) if run.html else None,
                "seconds": round(run.seconds, 2),
                "computed": run.computed,
                "workers": run.workers,
            }
        )
    path = sweep.out / "sweep.json"
    _write_json(path, data)
    return path


# ----------------------------------------------------------------------------------------------
# combining


ATTR_VARS = {  # per-scenario attributes of results.nc -> variables along `scenario`
    "objective": "CNY",
    "seconds_scenario": "s",
    "seconds_cpu_scenario": "s",
    "seconds_load": "s",
    "seconds_build": "s",
    "seconds_compile": "s",
    "seconds_solve": "s",
    "seconds_results": "s",
    "lp_simplex_iterations": "",
    "lp_rows": "",
    "lp_columns": "",
}


def _coordinate(values: list[Any]) -> tuple[np.ndarray, str]:
    """Parameter levels as a coordinate: float, bool, or JSON text when they are mappings."""
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool), "bool"
    if all(_is_number(v) for v in values):
        return np.array(values, dtype=float), "number"
    return np.array(
        [json.dumps(v, sort_keys=True, default=str) if not isinstance(v, str) else v for v in values],
        dtype=str,
    ), "text"


def combine(sweep: Sweep, planned: list[Planned], outcomes: dict[str, Outcome]) -> Path:
    """Stack every finished scenario's results into <out>/sweep.nc along `scenario` (see module doc)."""
    import pandas as pd
    import xarray as xr

    from gridplan.results import write

    ids = [sc.id for sc in planned]
    parts: list[xr.Dataset] = []
    done: list[str] = []
    static: dict[str, dict[Any, Any]] = {}
    static_dims: dict[str, str] = {}
    attrs: dict[str, dict[str, Any]] = {}
    for sid in ids:
        p = sweep.out / sid / "results.nc"
        if outcomes.get(sid) is None or outcomes[sid].status != "done" or not p.is_file():
            continue
        ds = xr.load_dataset(p)
        attrs[sid] = dict(ds.attrs)
        if not sweep.spec.keep_time:
            ds = ds.drop_vars([v for v in ds.variables if any(d in TIME_DIMS for d in ds[v].dims)])
        for v in [str(x) for x in ds.data_vars]:
            if ds[v].dtype.kind in "OUS":  # names and units by target/link/channel: not stacked
                dim = str(ds[v].dims[0])
                static_dims[v] = dim
                static.setdefault(v, {}).update(
                    zip(ds[dim].values.tolist(), ds[v].values.tolist(), strict=True)
                )
                ds = ds.drop_vars(v)
            elif ds[v].dtype.kind == "b":
                ds[v] = ds[v].astype(float).assign_attrs(ds[v].attrs, flag_values="1 true, 0 false")
        ds.attrs = {}
        parts.append(ds)
        done.append(sid)
    comb = xr.concat(
        parts,
        dim=pd.Index(done, name="scenario"),
        join="outer",
        data_vars="all",
        coords="different",
        compat="equals",
        combine_attrs="drop",
    )
    comb = comb.reindex(scenario=ids)
    for v, mapping in static.items():
        dim = static_dims[v]
        comb[v] = (dim, np.array([str(mapping.get(k, "")) for k in comb[dim].values.tolist()], dtype=str))
    for a, unit in ATTR_VARS.items():
        comb[a] = (
            "scenario",
            np.array([float(attrs[s].get(a, np.nan)) if s in attrs else np.nan for s in ids]),
            {"units": unit} if unit else {},
        )
    comb["objective"].attrs["long_name"] = "total system cost, present value"
    by_id = {sc.id: sc for sc in planned}

    def text(f: Callable[[str], Any]) -> np.ndarray:
        return np.array([str(f(s)) for s in ids], dtype=str)

    comb["status"] = ("scenario", text(lambda s: outcomes[s].status if s in outcomes else "pending"))
    comb["reason"] = ("scenario", text(lambda s: outcomes[s].reason if s in outcomes else ""))
    comb["solver_status"] = ("scenario", text(lambda s: attrs.get(s, {}).get("solver_status", "")))
    comb["scenario_yaml"] = (
        "scenario",
        text(lambda s: attrs.get(s, {}).get("scenario_yaml", "")),
        {"long_name": "resolved scenario (JSON), as in each results.nc"},
    )
    comb["warm_start"] = ("scenario", text(lambda s: attrs.get(s, {}).get("warm_start", "")))
    comb["label"] = ("scenario", text(lambda s: by_id[s].label))
    comb["results_path"] = (
        "scenario",
        text(lambda s: f"{s}/results.nc" if s in attrs else ""),  # only results of this run
        {"long_name": "full results of the scenario, relative to this file; empty: none of this run"},
    )
    for name, mode in sweep.modes().items():
        vals, kind = _coordinate([by_id[s].levels.get(name) for s in ids])
        if name in comb.variables:
            raise GridplanError(f"parameter name '{name}' is also a results variable: choose another name")
        comb = comb.assign_coords({name: ("scenario", vals)})
        comb[name].attrs.update(
            {
                "parameter_path": ", ".join(sweep.paths(name)),
                "mode": mode,
                "kind": kind,
                "units": "factor on the base value"
                if mode == "scale"
                else "as in the scenario file (model/parameters.md)",
            }
        )
    first = next(iter(attrs.values()), {})
    comb.attrs = {
        "sweep": sweep.name,
        "base_case": str(sweep.base),
        "design": sweep.spec.design,
        "fingerprint": sweep.fingerprint,
        "parameters": json.dumps(sweep.modes()),
        "objective_units": "CNY (present value)",
        "keep_time": int(sweep.spec.keep_time),
        "gridplan_version": str(first.get("gridplan_version", "")),
        "time_mode": str(first.get("time_mode", "")),
        "note": "per-time-step variables are in each scenario's results.nc"
        if not sweep.spec.keep_time
        else "time steps joined by index (outer join)",
    }
    return write(comb, sweep.out / "sweep.nc")


# ----------------------------------------------------------------------------------------------
# sensitivity views


@dataclass
class Effect:
    """The swing of one output with one parameter: the output at each level, others held."""

    param: str
    levels: list[Any]
    values: list[float]
    method: str  # 'others at base' | 'mean over the others' | 'linear fit'


def output_values(ds: Any, name: str, out: Output | None) -> tuple[np.ndarray, str]:
    """One number per scenario: the variable, selected, summed over its other dims; and its label."""
    if out is None or out.var == "objective":
        return ds["objective"].values / 1e9, "total cost, present value [bn CNY]"
    da = ds[out.var]
    sel = {k: v for k, v in out.sel.items() if k in da.dims}
    da = da.sel(sel)
    dims = [d for d in da.dims if d != "scenario"]
    vals = da.sum(dims, min_count=1).values if dims else da.values
    where = ", ".join(f"{k}={v}" for k, v in sel.items())
    unit = da.attrs.get("units", "")
    return np.asarray(vals, float), out.label or f"{out.var}{' (' + where + ')' if where else ''} [{unit}]"


def default_outputs(ds: Any) -> dict[str, Output]:
    """Total cost, new storage power, last-period emissions, new capacity (when present)."""
    outs: dict[str, Output] = {"total_cost": Output(var="objective")}
    if ds.sizes.get("storage", 0):
        outs["new_storage_power"] = Output(
            var="storage_power_new", label="new storage power, all periods [MW]"
        )
    if "emissions" in ds:
        last = int(ds["period"].values[-1])
        outs[f"emissions_{last}"] = Output(
            var="emissions", sel={"period": last}, label=f"CO2 emissions in {last} [tCO2/yr]"
        )
    if "capacity_new" in ds:
        outs["new_capacity"] = Output(var="capacity_new", label="new generating capacity, all periods [MW]")
    return outs


def effects(
    ds: Any, y: np.ndarray, modes: dict[str, str], random: bool, base: dict[str, Any]
) -> list[Effect]:
    """Per parameter: the output at its levels with the other parameters at their base level (when the
    design holds such points), else averaged over the others; for random designs a linear fit."""
    ok = np.isfinite(y)
    out: list[Effect] = []
    lv = {p: list(ds[p].values.tolist()) for p in modes}
    if random:
        num = [p for p in modes if ds[p].dtype.kind in "fib"]
        if not num or ok.sum() <= len(num):
            return []
        X = np.column_stack([np.asarray(lv[p], float)[ok] for p in num])
        A = np.column_stack([np.ones(len(X)), X - X.mean(axis=0)])
        coef, *_ = np.linalg.lstsq(A, y[ok], rcond=None)
        for j, p in enumerate(num):
            lo, hi = float(X[:, j].min()), float(X[:, j].max())
            m = float(X[:, j].mean())
            out.append(
                Effect(
                    p,
                    [lo, hi],
                    [float(coef[0] + coef[j + 1] * (lo - m)), float(coef[0] + coef[j + 1] * (hi - m))],
                    "linear fit",
                )
            )
        return out
    for p in modes:
        others = [q for q in modes if q != p]
        at_base = ok.copy()
        for q in others:
            at_base &= np.array([_same(v, base[q]) for v in lv[q]])
        pts: dict[Any, list[float]] = {}
        sel = at_base if len({_key_of(v) for v, b in zip(lv[p], at_base, strict=True) if b}) >= 2 else ok
        for v, yy, b in zip(lv[p], y, sel, strict=True):
            if b:
                pts.setdefault(_key_of(v), []).append(float(yy))
        keys = sorted(pts, key=_sort_key)
        out.append(
            Effect(
                p,
                keys,
                [float(np.mean(pts[k])) for k in keys],
                "others at base" if sel is at_base else "mean over the others",
            )
        )
    return out


def _key_of(v: Any) -> Any:
    return round(v, 12) if isinstance(v, float) else v


def _sort_key(v: Any) -> tuple[int, Any]:
    return (0, float(v)) if isinstance(v, int | float) else (1, str(v))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and _is_number(b):
        return abs(a - float(b)) <= 1e-12 * max(1.0, abs(a))
    if isinstance(b, dict | list):
        return a == json.dumps(b, sort_keys=True, default=str)
    return bool(a == b)


def sensitivity_html(sweep: Sweep, combined: Path, path: Path) -> Path:
    """Tornado charts (output swing per parameter around the base) and output-vs-parameter curves,
    at `path` in English and beside it in Chinese (sensitivity.zh.html); see gridplan.html_sweep."""
    from gridplan.report.sweep_pages import write_sensitivity

    return write_sensitivity(sweep, combined, path)


# ----------------------------------------------------------------------------------------------
# target costs


@dataclass
class TargetCosts:
    """Per plan target: total-cost premium, base shadow prices, and the build-out it causes."""

    table: Any  # pandas DataFrame, one row per target
    capacity: Any  # pandas DataFrame: target, period, tech, with [MW], without [MW], change [MW]
    run: SweepRun
    csv: Path
    html: Path


def target_costs(
    case: Path,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int = 2,
    out: Path | None = None,
    echo: Echo = _stderr,
) -> TargetCosts:
    """Re-solve `case` once with each enabled plan target removed (targets.<name>.enabled = false).

    premium [CNY, PV] = cost(base) - cost(without the target); premium per year [CNY/yr] = premium /
    sum over periods of period_weight (the discounted years the horizon stands for), i.e. the level
    annual cost with the same present value. Capacity change [MW] = capacity(base) - capacity(without),
    summed over zones: the build-out the target causes (negative: it displaces)."""
    from gridplan.inputs import case_file, load_layers
    from gridplan.outputs import name_problem

    base = case_file(case).resolve()
    problems: list[Problem] = []
    raw, _ = load_layers(base, problems)
    if problems:
        raise InputError(problems)
    targets = raw.get("targets") or {}
    names = [n for n, t in targets.items() if isinstance(t, dict) and t.get("enabled", True)]
    if not names:
        raise InputError([Problem(str(base), "targets", message="no enabled plan targets to cost")])
    name = str(raw.get("name", base.stem))
    bad = name_problem(name)
    if bad:
        raise InputError([Problem(str(base), "name", message=bad)])
    spec = SweepSpec(
        name=f"{name}_target_costs",
        base=str(base),
        design="list",
        scenarios=[{}] + [{f"targets.{n}.enabled": False} for n in names],
        reuse=False,
    )
    sweep = make_sweep(spec, base.parent, out or Path("results") / "target_costs" / name)
    run = run_sweep(sweep, client=client, scheduler=scheduler, workers=workers, echo=echo)
    table, cap = _target_table(sweep, run, names)
    csv = sweep.out / "target_costs.csv"
    with writing("the target-cost tables", sweep.out):  # disk full: exit 7, the sweep's results kept
        write_text(csv, table.to_csv(index=False))
        write_text(sweep.out / "target_capacity_change.csv", cap.to_csv(index=False))
        html = _target_html(sweep, table, cap, sweep.out / "target_costs.html")
    return TargetCosts(table, cap, run, csv, html)


def _target_table(sweep: Sweep, run: SweepRun, names: list[str]) -> tuple[Any, Any]:
    import pandas as pd
    import xarray as xr

    ids = {sc.id: sc for sc in run.planned}
    base_id = scenario_id({})
    if run.outcomes[base_id].status != "done":
        raise GridplanError(f"the base case did not solve: {run.outcomes[base_id].reason}")
    base = xr.load_dataset(sweep.out / base_id / "results.nc")
    years = float(base["period_weight"].sum())
    rows: list[dict[str, Any]] = []
    caps: list[Any] = []
    last = int(base["period"].values[-1])

    def by_tech(ds: xr.Dataset) -> Any:
        cap: Any = ds["capacity"].sum("zone").to_pandas()
        if ds.sizes.get("storage", 0):
            st: Any = ds["storage_power"].sum("zone").to_pandas()
            cap = pd.concat([cap, st.rename(columns=lambda s: f"{s} (storage)")], axis=1)
        return cap  # period x tech [MW]

    cap_base: Any = by_tech(base)
    for n in names:
        sid = scenario_id({f"targets.{n}.enabled": Setting(f"targets.{n}.enabled", "value", False)})
        assert sid in ids
        labels = [str(t) for t in base["target"].values if str(base["target_name"].sel(target=t).values) == n]
        row: dict[str, Any] = {
            "target": n,
            "name_zh": sweep.dump["targets"][n].get("name_zh", ""),
            "kind": sweep.dump["targets"][n]["kind"],
        }
        # per period, the shadow price of the binding side (a target with min and max has two rows)
        row["shadow price unit"] = (
            str(base["target_price_unit"].sel(target=labels[0]).values) if labels else ""
        )
        for p in base["period"].values:
            vals = [float(base["target_shadow_price"].sel(target=lab, period=p)) for lab in labels]
            vals = [v for v in vals if math.isfinite(v)]
            row[f"shadow price {int(p)}"] = max(vals, key=abs) if vals else math.nan
        o = run.outcomes[sid]
        if o.status != "done":
            row.update(
                {
                    "premium [CNY, PV]": math.nan,
                    "premium [CNY/yr]": math.nan,
                    "note": f"re-solve without the target failed: {(o.reason.splitlines() or [''])[0][:200]}",
                }
            )
            rows.append(row)
            continue
        ds = xr.load_dataset(sweep.out / sid / "results.nc")
        prem = float(base.attrs["objective"]) - float(ds.attrs["objective"])
        row.update({"premium [CNY, PV]": prem, "premium [CNY/yr]": prem / years, "note": ""})
        diff: Any = cap_base.sub(by_tech(ds), fill_value=0.0)
        for tech in diff.columns:
            row[f"Δ capacity {tech} {last} [MW]"] = float(diff.loc[last, tech])
        long: Any = diff.stack().rename("change [MW]").reset_index()
        long.columns = ["period", "tech", "change [MW]"]
        long.insert(0, "target", n)
        long["with target [MW]"] = [
            float(cap_base.loc[p, t]) for p, t in zip(long["period"], long["tech"], strict=True)
        ]
        long["without target [MW]"] = long["with target [MW]"] - long["change [MW]"]
        caps.append(long)
        rows.append(row)
    table = pd.DataFrame(rows)
    dcols = [c for c in table.columns if c.startswith("Δ capacity")]
    keep = [c for c in dcols if (table[c].abs() > 0.5).any()]
    table = table.drop(columns=[c for c in dcols if c not in keep])
    first = ["target", "name_zh", "kind", "premium [CNY, PV]", "premium [CNY/yr]"]
    shadow = [c for c in table.columns if c.startswith("shadow price") and c != "shadow price unit"]
    shadow.append("shadow price unit")
    order = [c for c in first if c in table] + shadow + keep + ["note"]
    table = table[order + [c for c in table.columns if c not in order]]
    cap = (
        pd.concat(caps, ignore_index=True)
        if caps
        else pd.DataFrame(
            columns=["target", "period", "tech", "change [MW]", "with target [MW]", "without target [MW]"]
        )
    )
    return table, cap


def format_target_table(table: Any) -> str:
    """A terminal table: premium in bn CNY (PV) and mn CNY/yr, shadow prices, capacity change [MW]."""
    lines = [f"{'target':<22} {'name_zh':<12} {'premium [bn CNY PV]':>20} {'[mn CNY/yr]':>12}"]
    for _, r in table.iterrows():
        lines.append(
            f"{r['target']:<22} {r['name_zh']!s:<12} {r['premium [CNY, PV]'] / 1e9:>20,.4f} "
            f"{r['premium [CNY/yr]'] / 1e6:>12,.2f}" + (f"  {r['note']}" if r.get("note") else "")
        )
        prices = [
            f"{c.removeprefix('shadow price ')}: {r[c]:,.4g}"
            for c in table.columns
            if c.startswith("shadow price ") and c != "shadow price unit" and math.isfinite(r[c])
        ]
        if prices:
            lines.append(f"    shadow price in the base run [{r['shadow price unit']}]: " + ", ".join(prices))
        built = [
            f"{c.removeprefix('Δ capacity ')}: {r[c]:+,.0f}"
            for c in table.columns
            if c.startswith("Δ capacity") and math.isfinite(r[c]) and abs(r[c]) > 0.5
        ]
        if built:
            lines.append("    capacity with − without the target: " + ", ".join(built))
    return "\n".join(lines)


def _target_html(sweep: Sweep, table: Any, cap: Any, path: Path) -> Path:
    """The target-cost page at `path` (English) and beside it in Chinese (target_costs.zh.html)."""
    import xarray as xr

    from gridplan.report.sweep_pages import target_page, zh_path

    with xr.open_dataset(sweep.out / scenario_id({}) / "results.nc") as base:
        annual = float(base.attrs.get("objective", math.nan)) / float(base["period_weight"].sum())
    for lang in ("en", "zh"):
        target_page(
            str(sweep.base), table, cap, path if lang == "en" else zh_path(path), lang, annual, sweep.dump
        )
    return path


# ----------------------------------------------------------------------------------------------
# command line (registered by gridplan.cli)


def _summary(run: SweepRun) -> str:
    lines = [
        f"sweep {run.sweep.name}: {run.done} done, {run.failed} failed of {len(run.planned)} "
        f"({run.computed} computed now) in {_fmt_seconds(run.seconds)}"
    ]
    for sc in run.planned:
        o = run.outcomes.get(sc.id)
        if o is not None and o.status == "failed":
            lines.append(f"  failed {sc.id} ({sc.label}): {(o.reason.splitlines() or [''])[0][:300]}")
    if run.combined:
        lines.append(f"combined: {run.combined}")
    if run.html:
        lines.append(f"sensitivity views: {run.html}")
    lines.append(f"manifest: {run.sweep.out / 'sweep.json'}")
    return "\n".join(lines)


def sweep_cli(
    sweep_file: Annotated[Path, typer.Argument(help="sweep file (YAML): base case and parameters to vary")],
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="address of a running Dask scheduler, e.g. tcp://host:8786; default: a LocalCluster here"
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="LocalCluster worker processes (one thread each)")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="output folder; default: the file's `out`, else results/sweeps/<name>")
    ] = None,
    retry_failed: Annotated[bool, typer.Option(help="re-run scenarios that failed before")] = False,
) -> None:
    """Run a sensitivity sweep on Dask; results in <out>/sweep.nc, views in <out>/sensitivity.html."""
    try:
        sweep = load_sweep(sweep_file, out)
    except GridplanError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    try:
        run = run_sweep(
            sweep,
            scheduler=scheduler,
            workers=workers,
            retry_failed=retry_failed,
            echo=lambda s: typer.echo(s, err=True),
        )
    except GridplanError as e:  # output folder not writable or busy (2), a result not writable (7)
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    typer.echo(_summary(run))
    if run.planned and run.done == 0:
        raise typer.Exit(1)


def target_costs_cli(
    case: Annotated[Path, typer.Argument(help="case folder or YAML")],
    scheduler: Annotated[
        str | None, typer.Option(help="address of a running Dask scheduler; default: a LocalCluster here")
    ] = None,
    workers: Annotated[int, typer.Option(help="LocalCluster worker processes (one thread each)")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="output folder; default results/target_costs/<scenario>")
    ] = None,
) -> None:
    """What each plan target costs in total: the case re-solved once without each target."""
    try:
        tc = target_costs(
            case, scheduler=scheduler, workers=workers, out=out, echo=lambda s: typer.echo(s, err=True)
        )
    except InputError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    except GridplanError as e:  # a file not written: 7 (gridplan/outputs.py); else 1
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(7 if isinstance(e, OutputError) else 1) from None
    typer.echo(format_target_table(tc.table))
    typer.echo(
        f"table: {tc.csv}\ncapacity change: {tc.csv.parent / 'target_capacity_change.csv'}\nreport: {tc.html}"
    )
