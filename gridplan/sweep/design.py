"""Planning the scenarios of a sweep: the design, each scenario's settings, id, label and file.

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
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import ValidationError

from gridplan.atomic import write_text
from gridplan.sweep.spec import Sweep, sha256_hex


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


class ParamError(ValueError):
    """A parameter path or value that cannot be applied to the base case."""


def _key(node: dict[Any, Any], part: str) -> Any:
    """The key of `node` spelled `part` (period keys are integers)."""
    if part in node:
        return part
    if part.lstrip("-").isdigit() and int(part) in node:
        return int(part)
    return None


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _expandable(sweep: Sweep, part: str) -> Any:
    """A scalar can be addressed per period or per zone: the key, or None."""
    if part.lstrip("-").isdigit() and int(part) in sweep.periods:
        return int(part)
    return part if part in sweep.zones else None


def find_setting(sweep: Sweep, path: str) -> tuple[list[Any], Any]:
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
        elif is_number(node) and _expandable(sweep, part) is not None and i == len(parts) - 1:
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
    if is_number(value):
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
    from gridplan.case import Scenario, validation_problems

    data = copy.deepcopy(sweep.raw)
    for s in settings.values():
        keys, old = find_setting(sweep, s.path)
        if s.mode == "scale" and not is_number(s.value):
            raise ParamError(f"parameter path '{s.path}': scale factor {s.value!r} is not a number")
        new = scaled(old, float(s.value), s.path) if s.mode == "scale" else s.value
        node, dnode = data, sweep.dump
        for i, k in enumerate(keys[:-1]):
            dnext = dnode[k]
            nxt = node.get(k)
            if not isinstance(nxt, dict):  # not written in the case: start from the base's value
                last = i == len(keys) - 2
                if is_number(nxt if nxt is not None else dnext) and last:
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


def _canonical(sweep: Sweep, assignment: dict[str, tuple[str, Any]]) -> dict[str, Setting]:
    """Settings by path that differ from the base (scale 1 and values equal to the base are dropped)."""
    out: dict[str, Setting] = {}
    for name, (mode, v) in assignment.items():
        for path in sweep.paths(name):
            if mode == "scale" and is_number(v) and float(v) == 1.0:
                continue
            if mode == "value":
                try:
                    _, old = find_setting(sweep, path)
                except ParamError:
                    old = object()
                if _equal(v, old):
                    continue
            value = float(v) if mode == "scale" and is_number(v) else plain(v)
            out[path] = Setting(path, mode, value)  # type: ignore[arg-type]
    return out


def _equal(a: Any, b: Any) -> bool:
    """Same value as written in a scenario: numbers compare as floats, booleans only with booleans."""
    if is_number(a) and is_number(b):
        return float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def plain(v: Any) -> Any:
    """numpy scalars and nested values as plain Python (for YAML, JSON and hashing)."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def scenario_id(settings: dict[str, Setting]) -> str:
    """Deterministic id: a hash of the settings (path, mode, value), sorted by path."""
    key = json.dumps({p: [s.mode, s.value] for p, s in sorted(settings.items())}, sort_keys=True, default=str)
    return "s" + sha256_hex(key)[:10]


def _label(sweep: Sweep, assignment: dict[str, tuple[str, Any]], settings: dict[str, Setting]) -> str:
    """'name ×factor, name=value' for the parameters that change something; 'base case' if none do."""
    parts = [
        f"{n} ×{float(v):g}" if mode == "scale" and is_number(v) else f"{n}={_shown(plain(v))}"
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
        return find_setting(sweep, path)[1]
    except ParamError:
        return None


def plan_scenarios(sweep: Sweep) -> list[Planned]:
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
            n: (plain(row[n][1]) if n in row else base_level(sweep, sweep.paths(n)[0], m))
            for n, m in modes.items()
        }
        out[sid] = Planned(sid, settings, levels, _label(sweep, row, settings))
    return list(out.values())


def write_scenario(sweep: Sweep, sc: Planned, folder: Path | None = None) -> Path:
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
        + yaml.safe_dump(plain(doc), sort_keys=False, allow_unicode=True)
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
