"""Read a case: scenario.yaml (with `extends`) and its CSV time series, with checks.

Every problem found is collected (not only the first) and raised together as an
InputError whose lines name the file, the field or column, and the row (CSV: the line of the
file, header = line 1; YAML: the line of the key). What is checked, in order:

1. YAML files: syntax (with line), duplicate keys, alias bombs, `extends` chains (missing or
   circular parents), file paths that leave the case folder. YAML is read with the safe loader:
   nothing in a case is ever executed.
2. Schema (pydantic, gridplan/config.py): unknown keys (with did-you-mean), types, ranges.
3. Cross-references (fuels, profiles, zones, periods, technologies/groups named by targets),
   signs, non-finite values, per-zone/per-period mappings naming undefined zones or periods.
4. Implausible magnitudes that betray a wrong unit (kW for MW, CNY/MW for CNY/kW, ...), see
   PLAUSIBLE.
5. CSV tables: missing file or column, duplicate columns, length, hour gaps/duplicates/order,
   NaN or text, range (profiles in [0, 1]), loads in kW.
6. Infeasibility visible from the data: build_min above build_max or potential, existing above
   potential, hard capacity and peak-response targets above what can be built (or below what
   must remain), import minimum energy above what the channel can carry, min above max.
7. gridplan/checks.py: hard bounds (base_year, years per period, NUL bytes) and plausibility
   bounds (errors unless `allow_implausible: true`), outliers of series scaled to an annual energy.

Warnings (listed by `gridplan validate`, never fatal): CSV files in the case folder that no
scenario uses, CSV columns that are not used.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import math
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from gridplan.checks import check_scenario, check_shapes, is_dir, is_file, nul_problem
from gridplan.config import PerPeriod, PerZone, PerZonePeriod, Scenario, Target
from gridplan.errors import ERROR, WARNING, InputError, Problem
from gridplan.history import check_history
from gridplan.outputs import safe_name

HOURS = 8760
SCENARIO_FILE = "scenario.yaml"
MAX_YAML_NODES = 200_000  # nodes after expanding aliases: more is an alias bomb, not a case
MAX_YAML_BYTES = 16_000_000  # a scenario or sweep file is a few kB
MAX_EXTRA_SCAN = 2_000  # files looked at when searching the case folder for unused CSVs

# Plausible magnitudes of positive values, by (section, field): (low, high, unit, hint if below,
# hint if above). A value outside is almost surely in another unit; 0 always passes (not set).
PLAUSIBLE: dict[tuple[str, str], tuple[float, float, str, str, str]] = {
    ("*", "capex"): (1.0, 1e6, "CNY/kW", "万元/kW (×10000)", "CNY/MW (÷1000)"),
    ("storage", "capex_power"): (1.0, 1e6, "CNY/kW", "万元/kW (×10000)", "CNY/MW (÷1000)"),
    ("storage", "capex_energy"): (1.0, 1e6, "CNY/kWh", "万元/kWh (×10000)", "CNY/MWh (÷1000)"),
    ("technologies", "heat_rate"): (
        150.0,
        600.0,
        "gce/kWh",
        "kgce/kWh or tce/MWh (×1000)",
        "gce/MWh, kcal/kWh or kJ/kWh",
    ),
    ("fuels", "price"): (10.0, 1e5, "CNY/tce", "CNY/kgce (×1000)", ""),
    ("fuels", "co2"): (0.0, 10.0, "tCO2/tce", "", "kgCO2/tce (÷1000)"),
    ("technologies", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("storage", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("links", "capacity"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("imports", "capacity"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("demand_response", "potential"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("demand_response", "existing"): (0.0, 1e6, "MW", "", "kW (÷1000)"),
    ("imports", "price"): (1.0, 1e5, "CNY/MWh", "CNY/kWh (×1000)", "CNY/GWh"),
    ("imports", "price_renewable"): (1.0, 1e5, "CNY/MWh", "CNY/kWh (×1000)", "CNY/GWh"),
    ("demand", "annual_energy"): (0.0, 1e6 * HOURS, "MWh", "", "kWh (÷1000)"),
    ("heat", "annual_energy"): (0.0, 1e6 * HOURS, "MWh_th", "", "kWh (÷1000)"),
}
MAX_ZONE_LOAD = 1e6  # MW: no zone has a load above 1 TW; larger values are kW
# fields where an infinite value means "no limit"; everywhere else numbers must be finite
INF_OK = {"build_max", "potential", "max_energy", "duration_max", "max_hours", "time_limit", "max"}


@dataclass
class Inputs:
    """A validated case: the scenario plus its hourly data for a full year."""

    scenario: Scenario
    path: Path
    files: dict[str, Path]
    input_hash: str
    load: dict[int, pd.DataFrame]  # period -> hour x zone [MW], all components
    profiles: dict[str, pd.DataFrame]  # name -> hour x column [p.u.]
    heat: dict[int, pd.DataFrame] = field(default_factory=dict)  # period -> hour x zone [MW_th]
    warnings: list[Problem] = field(default_factory=list)  # not fatal: unused files and columns
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)  # field path -> (YAML, line)
    # demand.components: name -> period -> hour x zone [MW] (already included in `load`)
    components: dict[str, dict[int, pd.DataFrame]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.scenario.name

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """Problems of scenario fields, pointed at the YAML file and line defining the field."""
        return locate(problems, str(self.path), self.locations)


def case_file(case: str | Path) -> Path:
    """The scenario YAML of a case given as a folder or a YAML file."""
    p = Path(case)
    return p / SCENARIO_FILE if is_dir(p) else p


# --------------------------------------------------------------------------------------------
# YAML


class _Cycle(Exception):
    """A YAML alias used inside its own anchor."""


def _yaml_size(node: yaml.Node, problems: list[Problem], path: Path) -> int:
    """Nodes after expanding aliases (memoised); recursive aliases and absurd nesting are reported."""
    memo: dict[int, int] = {}
    busy: set[int] = set()

    def size(n: yaml.Node) -> int:
        k = id(n)
        if k in memo:
            return memo[k]
        if k in busy:
            raise _Cycle
        busy.add(k)
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(a) + size(b) for a, b in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(a) for a in n.value)
        else:
            total = 1
        busy.discard(k)
        memo[k] = min(total, 10 * MAX_YAML_NODES)
        return memo[k]

    try:
        return size(node)
    except _Cycle:
        problems.append(
            Problem(
                str(path),
                message="recursive YAML alias (an anchor used inside itself); expected plain nested values",
            )
        )
    except RecursionError:
        problems.append(Problem(str(path), message="values nested too deeply; expected a scenario or sweep"))
    return -1


def _yaml_lines(node: yaml.Node, path: Path, problems: list[Problem]) -> dict[str, int]:
    """Line of every key, by dotted field path (sequence items by index); duplicate keys."""
    lines: dict[str, int] = {}

    def walk(n: yaml.Node, prefix: str) -> None:
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if k.tag == "tag:yaml.org,2002:merge":
                    for m in v.value if isinstance(v, yaml.SequenceNode) else [v]:
                        walk(m, prefix)
                    continue
                key = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                line = k.start_mark.line + 1
                p = f"{prefix}.{key}" if prefix else key
                if key in seen:
                    problems.append(
                        Problem(
                            str(path),
                            p,
                            line,
                            (
                                f"duplicate key '{key}' (first on line {seen[key]}); YAML would silently keep "
                                "the last one; expected each key once"
                            ),
                        )
                    )
                seen[key] = line
                lines.setdefault(p, line)
                walk(v, p)
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                p = f"{prefix}.{i}" if prefix else str(i)
                lines.setdefault(p, v.start_mark.line + 1)
                walk(v, p)

    walk(node, "")
    return lines


def _read_yaml(
    path: Path, problems: list[Problem], lines: dict[str, int] | None = None, what: str = "scenario"
) -> dict[str, Any] | None:
    """One YAML file (a scenario, or a sweep: `what`) with the safe loader (no Python tags: nothing
    is executed), a size guard against alias bombs and duplicate keys reported."""
    if not is_file(path):
        problems.append(Problem(str(path), message=f"file not found (expected a {what} YAML)"))
        return None
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            problems.append(
                Problem(str(path), message=f"larger than {MAX_YAML_BYTES:,} bytes; expected a {what} YAML")
            )
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(
            Problem(
                str(path),
                message=f"not UTF-8 text ({e.reason} at byte {e.start}); expected a UTF-8 encoded YAML file",
            )
        )
        return None
    except OSError as e:
        problems.append(Problem(str(path), message=f"cannot be read: {e.strerror}"))
        return None
    n0 = len(problems)
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(str(path), message=f"empty file; expected a mapping of {what} fields"))
            return None
        if _yaml_size(node, problems, path) > MAX_YAML_NODES:
            problems.append(
                Problem(
                    str(path),
                    message=(
                        f"more than {MAX_YAML_NODES} values after expanding aliases; expected a {what}, "
                        "not an alias bomb"
                    ),
                )
            )
        if len(problems) > n0:
            return None
        found = _yaml_lines(node, path, problems)
        if lines is not None:
            lines.update(found)
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as e:  # a control character or other unprintable one
        line = text.count("\n", 0, e.position) + 1
        problems.append(
            Problem(
                str(path),
                row=line,
                message=(f"character #x{e.character:04x} is not allowed in YAML; expected printable text"),
            )
        )
        return None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        row = mark.line + 1 if mark is not None else None
        ctx, ctx_mark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if ctx and ctx_mark is not None and ctx_mark.line + 1 != row:
            ctx = f"{ctx} started on line {ctx_mark.line + 1}:"
        what = " ".join(str(x) for x in (ctx, getattr(e, "problem", None)) if x)
        problems.append(Problem(str(path), row=row, message=f"YAML syntax error: {what or e}"))
        return None
    except (RecursionError, ValueError, TypeError) as e:  # deeply nested or odd scalars
        problems.append(Problem(str(path), message=f"cannot be parsed as YAML: {e}"))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(data, dict):
        problems.append(
            Problem(
                str(path),
                row=1,
                message=(f"found a {type(data).__name__}; expected a mapping of {what} fields (key: value)"),
            )
        )
        return None
    return data


def _is_path_field(key: str, parent: str) -> bool:
    """Keys whose values are files: `file`, `*_file`, the values of `profiles`, any '*.csv'."""
    return key == "file" or key.endswith("_file") or parent == "profiles"


def _resolve_paths(
    node: Any,
    base: Path,
    yaml_path: Path,
    where: str,
    problems: list[Problem],
    key: str = "",
    parent: str = "",
) -> Any:
    """Make every file path absolute against the folder of the YAML that names it; a path that
    leaves that folder (absolute, '..', or a symlink pointing out) is an error."""
    if isinstance(node, dict):
        return {
            k: _resolve_paths(v, base, yaml_path, f"{where}.{k}" if where else str(k), problems, str(k), key)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [
            _resolve_paths(v, base, yaml_path, f"{where}.{i}", problems, key, parent)
            for i, v in enumerate(node)
        ]
    if (
        isinstance(node, str)
        and key not in ("description", "name", "name_zh", "extends")
        and (_is_path_field(key, parent) or node.lower().endswith(".csv"))
    ):
        try:
            target = (base / node).resolve()
        except (OSError, RuntimeError, ValueError) as e:
            problems.append(Problem(str(yaml_path), where, message=f"path '{node}' is not valid: {e}"))
            return node
        if Path(node).is_absolute() or not target.is_relative_to(base.resolve()):
            problems.append(
                Problem(
                    str(yaml_path),
                    where,
                    message=(f"path '{node}' leaves the case folder {base}; expected a path inside it"),
                )
            )
        return str(target)
    return node


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: the child's values override the parent's, mapping by mapping."""
    out = dict(parent)
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def load_layers(
    case: str | Path, problems: list[Problem], index: list[tuple[Path, dict[str, int]]] | None = None
) -> tuple[dict[str, Any], list[Path]]:
    """The merged scenario mapping and the chain of YAML files (child first).

    `index`, when given, receives (file, {field path: line}) for every layer, child first."""
    chain: list[Path] = []
    data: dict[str, Any] = {}
    path = case_file(case).resolve()
    layers: list[dict[str, Any]] = []
    while True:
        if path in chain:
            cycle = " -> ".join(str(p) for p in [*chain, path])
            problems.append(
                Problem(
                    str(chain[-1]),
                    "extends",
                    message=f"circular extends: {cycle}; expected a chain of parents that ends",
                )
            )
            break
        lines: dict[str, int] = {}
        n0 = len(problems)
        raw = _read_yaml(path, problems, lines)
        if raw is None:
            if (
                chain
                and len(problems) == n0 + 1
                and problems[-1].file == str(path)
                and "not found" in problems[-1].message
            ):
                problems[-1] = Problem(
                    str(chain[-1]),
                    "extends",
                    message=(f"parent case '{path}' does not exist; expected a case folder or YAML file"),
                )
            break
        chain.append(path)
        if index is not None:
            index.append((path, lines))
        layers.append(_resolve_paths(raw, path.parent, path, "", problems))
        parent = raw.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str) or not parent.strip():
            problems.append(
                Problem(
                    str(path),
                    "extends",
                    message=(f"found {parent!r}; expected a folder or YAML path of the parent case"),
                )
            )
            break
        path = case_file(path.parent / parent).resolve()
    for layer in reversed(layers):
        data = _merge(data, layer)
    if layers:
        data.pop("extends", None)
        if "name" not in layers[0]:
            data["name"] = safe_name(
                chain[0].parent.name if chain[0].name == SCENARIO_FILE else chain[0].stem
            )
    return data, chain


def locate(
    problems: list[Problem],
    file: str,
    locations: dict[str, tuple[str, int]],
    own: dict[str, dict[str, int]] | None = None,
) -> list[Problem]:
    """Point problems of scenario fields (file == the case YAML, no row) at the YAML file and line
    that define the field, or the closest enclosing key; problems naming another YAML file of
    the chain (`own`: file -> {field: line}) get a line from that file."""
    out = []
    for p in problems:
        if p.row is None and p.field:
            table: dict[str, tuple[str, int]] | None = None
            if p.file == file:
                table = locations
            elif own and p.file in own:
                table = {k: (p.file, v) for k, v in own[p.file].items()}
            parts = p.field.split(".")
            for n in range(len(parts), 0, -1):
                hit = (table or {}).get(".".join(parts[:n]))
                if hit:
                    p = Problem(hit[0], p.field, hit[1], p.message, p.severity)
                    break
        out.append(p)
    return out


def _locations(index: list[tuple[Path, dict[str, int]]]) -> dict[str, tuple[str, int]]:
    """field path -> (file, line), the child's definition winning over its parents'."""
    out: dict[str, tuple[str, int]] = {}
    for path, lines in index:  # child first
        for k, line in lines.items():
            out.setdefault(k, (str(path), line))
    return out


# --------------------------------------------------------------------------------------------
# schema errors


def _union_args(ann: Any) -> tuple[Any, ...]:
    if isinstance(ann, types.UnionType) or typing.get_origin(ann) is typing.Union:
        return tuple(a for a in typing.get_args(ann) if a is not type(None))
    return (ann,)


def value_kind(ann: Any) -> str | None:
    """'period', 'zone' or 'zone_period' for PerPeriod, PerZone, PerZonePeriod (optional or not)."""
    args = set(_union_args(ann))
    for kind, alias in (("period", PerPeriod), ("zone", PerZone), ("zone_period", PerZonePeriod)):
        if args == set(_union_args(alias)):
            return kind
    if typing.get_origin(ann) is dict and typing.get_args(ann)[0] is int:
        return "period_map"
    return None


EXPECT = {
    "period": "a number, or a mapping {period: number} covering every period",
    "zone": "a number, or a mapping {zone: number}",
    "zone_period": "a number, a mapping {zone: number}, or {zone: {period: number}}",
    "period_map": "a mapping {period: number}",
}


def _model_of(ann: Any) -> type[BaseModel] | None:
    for a in _union_args(ann):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def _walk_loc(loc: tuple[Any, ...]) -> tuple[list[str], str | None, type[BaseModel] | None, Any, int]:
    """Follow a pydantic error location through the schema.

    Returns the field path (union tags and '[key]' markers dropped), the value kind of the field
    the error is in (None when not a per-period/zone value), the model owning the last named
    field, that field's FieldInfo (or None) and the length of the path up to that field."""
    model: type[BaseModel] | None = Scenario
    path: list[str] = []
    i = 0
    info = None
    while i < len(loc) and model is not None:
        part = loc[i]
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        f = fields.get(str(part)) or model.model_fields.get(str(part))
        if f is None:  # unknown key (extra_forbidden)
            path.append(str(part))
            return path, None, model, None, len(path)
        path.append(str(part))
        info = f
        kind = value_kind(f.annotation)
        if kind is not None:
            n = len(path)
            return path + [str(x) for x in loc[i + 1 :] if not _is_tag(x)], kind, model, f, n
        sub = _model_of(f.annotation)
        if sub is not None:
            model, i = sub, i + 1
            continue
        args = typing.get_args(_union_args(f.annotation)[0])
        if typing.get_origin(_union_args(f.annotation)[0]) is dict and args and _model_of(args[-1]):
            if i + 1 < len(loc):
                path.append(str(loc[i + 1]))
            model, i = _model_of(args[-1]), i + 2
            continue
        n = len(path)
        return path + [str(x) for x in loc[i + 1 :] if not _is_tag(x)], None, model, f, n
    return path, None, model, info, len(path)


def _is_tag(part: Any) -> bool:
    """Union-branch tags and key markers pydantic puts into error locations."""
    return isinstance(part, str) and ("[" in part or part in ("float", "int", "str", "bool", "none"))


def _lookup(data: Any, parts: list[str]) -> Any:
    """The raw value at a field path (keys compared as text)."""
    for p in parts:
        if isinstance(data, dict):
            match = [v for k, v in data.items() if str(k) == p]
            if not match:
                return None
            data = match[0]
        elif isinstance(data, list) and p.isdigit() and int(p) < len(data):
            data = data[int(p)]
        else:
            return None
    return data


def _unit(info: Any) -> str:
    m = re.search(r"\[([^\]]+)\]", (getattr(info, "description", None) or ""))
    return f" [{m.group(1)}]" if m else ""


def _percent_hint(value: Any, le: Any) -> str:
    if le == 1 and isinstance(value, int | float) and 2 < value <= 100:
        return f"; it looks like a percentage: write {value / 100:g} for {value:g}%"
    return ""


def validation_problems(e: ValidationError, file: str, data: dict[str, Any] | None = None) -> list[Problem]:
    """Pydantic errors as Problems: a dotted field path, what was found and what was expected,
    a did-you-mean for unknown keys; one problem per field (unions report once)."""
    groups: dict[str, list[tuple[Any, list[str], str | None, Any, Any]]] = {}
    for err in e.errors():
        loc = tuple(err["loc"])
        path, kind, model, info, n = _walk_loc(loc)
        if not loc and "periods" in str(err.get("msg", "")):
            path = ["periods"]
        key = ".".join(path[:n]) if kind is not None else ".".join(path)
        groups.setdefault(key, []).append((dict(err), path, kind, model, info))
    out: list[Problem] = []
    for key, errs in groups.items():
        err, path, kind, model, info = errs[0]
        if kind is not None:
            out.append(_value_problem(file, key, errs, kind, info, data))
            continue
        if err["type"] == "extra_forbidden":
            hint = _hint(path[-1], list(model.model_fields) if model else [])
            out.append(Problem(file, key, message=f"unknown key '{path[-1]}'{hint}"))
            continue
        if err["type"] == "missing":
            desc = getattr(info, "description", None)
            out.append(
                Problem(
                    file, key, message=f"missing required field '{path[-1]}'" + (f" ({desc})" if desc else "")
                )
            )
            continue
        found = _lookup(data, path) if not err["loc"] and data is not None else err.get("input")
        found_s = "" if isinstance(found, dict) else f"; found {found!r}"
        ctx = err.get("ctx") or {}
        msg = f"{str(err['msg']).removeprefix('Value error, ')}{found_s}{_percent_hint(found, ctx.get('le'))}"
        if "[key]" in [str(x) for x in err["loc"]]:
            msg = f"name {found!r} must be text; write it in quotes ('{found}')"
        out.append(Problem(file, key, message=msg))
    return out


def _value_problem(
    file: str, key: str, errs: list[Any], kind: str, info: Any, data: dict[str, Any] | None
) -> Problem:
    """One message for a per-period/zone value whatever union branch pydantic complained in."""
    expect = EXPECT[kind] + _unit(info)
    depth = len(key.split("."))
    found = _lookup(data, key.split(".")) if data is not None else errs[0][0].get("input")
    keyerr = [e for e, *_ in errs if "[key]" in [str(x) for x in e["loc"]]]
    deep = [
        (e, p)
        for e, p, *_ in errs
        if len(p) > depth
        and "[key]" not in [str(x) for x in e["loc"]]
        and not isinstance(e.get("input"), dict)
    ]
    if keyerr:
        k = keyerr[0].get("input")
        hint = ""
        if kind in ("zone", "zone_period") and isinstance(k, int):
            hint = f"; {k} looks like a period: write {{zone: {{{k}: value}}}} (values by zone and period)"
        elif kind in ("period", "period_map"):
            hint = "; keys must be periods (years), e.g. {2025: value}"
        return Problem(file, key, message=f"found key {k!r}; expected {expect}{hint}")
    if deep:
        e, p = max(deep, key=lambda x: len(x[1]))
        return Problem(file, ".".join(p), message=f"found {e.get('input')!r}; expected a number{_unit(info)}")
    return Problem(file, key, message=f"found {found!r}; expected {expect}")


# --------------------------------------------------------------------------------------------
# CSV tables


def _header(path: Path) -> list[str] | None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def read_table(
    path: Path,
    columns: list[str],
    where: str,
    problems: list[Problem],
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    plausible_max: float | None = None,
    warn_unused: bool = False,
) -> pd.DataFrame | None:
    """Read an hourly CSV: `hour` 1..8760 then the given numeric columns, checked.

    Rows in messages are file lines (header = 1). `plausible_max` flags values that betray a
    wrong unit (e.g. loads in kW); `warn_unused` adds a warning for columns nobody uses."""
    name = str(path)
    if not is_file(path):
        problems.append(Problem(name, where, message="file not found"))
        return None
    nul = nul_problem(path)
    if nul is not None:
        problems.append(nul)
        return None
    header = _header(path)
    try:
        df = pd.read_csv(
            path, encoding="utf-8-sig", skip_blank_lines=False, keep_default_na=False, na_values=[""]
        )
    except UnicodeDecodeError as e:
        problems.append(
            Problem(
                name,
                message=f"not UTF-8 text ({e.reason} at byte {e.start}); "
                "expected a UTF-8 CSV (save from Excel as 'CSV UTF-8')",
            )
        )
        return None
    except Exception as e:  # noqa: BLE001 - any parser failure is reported to the user
        m = re.search(r"line (\d+)", str(e))
        problems.append(
            Problem(
                name,
                row=int(m.group(1)) if m else None,
                message=f"cannot read as CSV: {str(e).strip()}; expected comma-separated "
                "values with one header line",
            )
        )
        return None
    n0 = len(problems)
    if header:
        dup = sorted({c for c in header if header.count(c) > 1})
        for c in dup:
            problems.append(
                Problem(
                    name,
                    c,
                    1,
                    message="column appears more than once in the header; expected each column once",
                )
            )
    if "hour" not in df.columns:
        cols = [str(c) for c in df.columns]
        hint = ""
        if len(cols) == 1 and (";" in cols[0] or "\t" in cols[0]):
            hint = f" (the separator looks like {';' if ';' in cols[0] else 'a tab'!r}; expected commas)"
        problems.append(
            Problem(
                name,
                "hour",
                1,
                message=f"missing column; found {cols}{hint}; "
                "expected 'hour' then one column per zone or channel",
            )
        )
        return None
    for c in columns:
        if c not in df.columns:
            hint = _hint(c, [str(x) for x in df.columns])
            problems.append(Problem(name, c, 1, message=f"missing column{hint}; needed by {where}"))
    if warn_unused:
        for c in df.columns:
            if c != "hour" and c not in columns and re.sub(r"\.\d+$", "", str(c)) not in dup_names(header):
                problems.append(
                    Problem(
                        name,
                        str(c),
                        1,
                        severity=WARNING,
                        message=(
                            f"column not used by {where} (used: {columns}); a misspelt zone or channel?"
                        ),
                    )
                )
    hour = pd.to_numeric(df["hour"], errors="coerce")
    if len(df) != HOURS:
        problems.append(
            Problem(
                name,
                "hour",
                message=f"{len(df)} data rows; expected {HOURS} (one per hour "
                "of a 365-day year, no leap day)",
            )
        )
    bad = np.flatnonzero(hour.to_numpy() != np.arange(1, len(df) + 1))
    if len(bad):
        r = int(bad[0])
        hint = " (hours look 0-based; expected 1..8760)" if len(df) and hour.iloc[0] == 0 else ""
        problems.append(
            Problem(
                name,
                "hour",
                r + 2,
                message=(
                    f"found {_show(df['hour'].iloc[r])}; expected {r + 1} (hours 1..{HOURS} in order, "
                    f"no gaps or duplicates){hint}"
                ),
            )
        )
    for c in [c for c in columns if c in df.columns]:
        col = pd.to_numeric(df[c], errors="coerce")
        bad = np.flatnonzero(col.isna().to_numpy())
        if len(bad):
            r = int(bad[0])
            problems.append(
                Problem(
                    name,
                    c,
                    r + 2,
                    message=(f"found {_show(df[c].iloc[r])}; expected a number ({len(bad)} such rows)"),
                )
            )
            continue
        v = col.to_numpy(dtype=float)
        inf = np.flatnonzero(~np.isfinite(v))
        if len(inf):
            r = int(inf[0])
            problems.append(Problem(name, c, r + 2, message=f"found {v[r]}; expected a finite number"))
            continue
        for bound, test, word in ((lo, v < (lo or 0) - 1e-9, "below"), (hi, v > (hi or 0) + 1e-9, "above")):
            if bound is not None and test.any():
                r = int(np.flatnonzero(test)[0])
                hint = ""
                if word == "above" and hi == 1.0 and 2 < v.max() <= 100:
                    hint = "; it looks like percent: expected per-unit values (0.85 for 85%)"
                problems.append(
                    Problem(
                        name,
                        c,
                        r + 2,
                        message=(
                            f"found {v[r]:g}{unit and ' ' + unit}, {word} the allowed range "
                            f"{_range(lo, hi)} "
                            f"({int(test.sum())} rows){hint}"
                        ),
                    )
                )
        if plausible_max is not None and len(v) and v.max() > plausible_max:
            r = int(np.argmax(v))
            problems.append(
                Problem(
                    name,
                    c,
                    r + 2,
                    message=(
                        f"found {v[r]:.4g} {unit}, more than any plausible value ({plausible_max:g} {unit}); "
                        f"is it in {'kW' if unit == 'MW' else 'a 1000 times smaller unit'} (÷1000)? expected {unit}"
                    ),
                )
            )
    if len(problems) > n0 and any(p.is_error for p in problems[n0:]):
        return None
    out = df[columns].astype(float)
    out.index = pd.RangeIndex(1, HOURS + 1, name="hour")
    return out


def _range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"[{lo:g}, {hi:g}]"
    return f">= {lo:g}" if lo is not None else f"<= {hi:g}"


def _show(val: Any) -> str:
    """A cell as a person would read it: numbers plain, text quoted, empty cells named."""
    if isinstance(val, np.generic):
        val = val.item()
    if val is None or (isinstance(val, float) and math.isnan(val)):
        return "an empty cell"
    if isinstance(val, float | int) and not isinstance(val, bool):
        return f"{val:g}"
    return repr(val)


def close_match(name: str, pool: list[str]) -> str | None:
    """The name in `pool` closest to `name` (case-insensitive), if any is close."""
    lower = {str(p).lower(): str(p) for p in pool}
    hit = difflib.get_close_matches(str(name).lower(), list(lower), n=1)
    return lower[hit[0]] if hit else None


def _hint(name: str, pool: list[str]) -> str:
    close = close_match(name, pool)
    return f" (did you mean '{close}'?)" if close else ""


def dup_names(header: list[str] | None) -> set[str]:
    return {c for c in header or [] if header is not None and header.count(c) > 1}


# --------------------------------------------------------------------------------------------
# values by period and zone


def per_period(value: Any, periods: list[int], where: tuple[str, str], problems: list[Problem]) -> np.ndarray:
    """Scalar or {period: value} -> array over periods (missing periods: error)."""
    if isinstance(value, dict):
        out = np.full(len(periods), np.nan)
        for k in value:
            if k not in periods:
                close = difflib.get_close_matches(str(k), [str(p) for p in periods], n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(
                    Problem(
                        where[0],
                        f"{where[1]}.{k}",
                        message=(f"period {k} is not defined{hint}; periods are {periods}"),
                    )
                )
        missing = [p for p in periods if p not in value]
        for i, p in enumerate(periods):
            if p in value:
                out[i] = value[p]
        if missing:
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    message=(
                        f"no value for period(s) {missing}; expected a value for every period {periods} "
                        "(or one number for all)"
                    ),
                )
            )
        return out
    return np.full(len(periods), float(value))


def per_zone_period(
    value: Any,
    zones: list[str],
    periods: list[int],
    where: tuple[str, str],
    problems: list[Problem],
    fill: float = 0.0,
) -> np.ndarray:
    """Scalar, {zone: scalar}, or {zone: {period: v}} -> array [zone, period].

    Zones not listed in a mapping get `fill` (e.g. 0 MW existing)."""
    out = np.full((len(zones), len(periods)), fill)
    if not isinstance(value, dict):
        out[:] = float(value)
        return out
    for z, v in value.items():
        if z not in zones:
            hint = _hint(str(z), zones)
            if isinstance(z, int) or (isinstance(z, str) and z.isdigit() and int(z) in periods):
                hint += "; values by period are written {zone: {period: value}}"
            problems.append(
                Problem(
                    where[0],
                    f"{where[1]}.{z}",
                    message=(f"zone '{z}' is not defined{hint}; zones are {zones}"),
                )
            )
            continue
        out[zones.index(z)] = per_period(v, periods, (where[0], f"{where[1]}.{z}"), problems)
    return out


def value_fields(obj: BaseModel, path: str = "") -> Iterator[tuple[str, str, Any, str]]:
    """(path, field name, value, kind) of every per-period/zone value in a validated scenario."""
    for name, f in type(obj).model_fields.items():
        v = getattr(obj, name)
        p = f"{path}.{f.alias or name}" if path else (f.alias or name)
        kind = value_kind(f.annotation)
        if kind is not None:
            if v is not None:
                yield p, name, v, kind
        elif isinstance(v, BaseModel):
            yield from value_fields(v, p)
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, BaseModel):
                    yield from value_fields(x, f"{p}.{k}")


def numbers(obj: BaseModel, path: str = "") -> Iterator[tuple[str, str, float]]:
    """(path, field name, number) of every number in a validated scenario, inside maps too."""
    for name, f in type(obj).model_fields.items():
        v = getattr(obj, name)
        p = f"{path}.{f.alias or name}" if path else (f.alias or name)
        if isinstance(v, BaseModel):
            yield from numbers(v, p)
        elif isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, BaseModel):
                    yield from numbers(x, f"{p}.{k}")
                elif isinstance(x, dict):
                    for k2, y in x.items():
                        if isinstance(y, int | float) and not isinstance(y, bool):
                            yield f"{p}.{k}.{k2}", name, float(y)
                elif isinstance(x, int | float) and not isinstance(x, bool):
                    yield f"{p}.{k}", name, float(x)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            yield p, name, float(v)


# --------------------------------------------------------------------------------------------
# scenario checks


def _need(
    problems: list[Problem], file: str, name: str | None, pool: list[str], field_: str, what: str
) -> None:
    if name is not None and name not in pool:
        hint = _hint(name, pool)
        problems.append(
            Problem(file, field_, message=f"{what} '{name}' is not defined{hint}; defined: {pool}")
        )


def _check_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Names used in one place must be defined in another."""
    zones = list(s.zones)
    profiles = list(s.profiles)

    def need(name: str | None, pool: list[str], field_: str, what: str) -> None:
        _need(problems, file, name, pool, field_, what)

    for n, t in s.technologies.items():
        need(t.fuel, list(s.fuels), f"technologies.{n}.fuel", "fuel")
        need(t.profile, profiles, f"technologies.{n}.profile", "profile")
        if t.kind in ("variable", "hydro") and t.profile is None:
            problems.append(
                Problem(
                    file,
                    f"technologies.{n}.profile",
                    message=f"missing: a {t.kind} technology needs an availability profile",
                )
            )
        if t.kind == "thermal" and t.fuel is None and t.heat_rate != 0:
            problems.append(
                Problem(
                    file, f"technologies.{n}.fuel", message="missing: heat_rate is given but no fuel to burn"
                )
            )
    for n, ln in s.links.items():
        need(ln.from_zone, zones, f"links.{n}.from", "zone")
        need(ln.to_zone, zones, f"links.{n}.to", "zone")
        if ln.from_zone == ln.to_zone:
            problems.append(
                Problem(
                    file,
                    f"links.{n}.to",
                    message=(
                        f"found '{ln.to_zone}' at both ends; expected a link between two different zones"
                    ),
                )
            )
    for n, r in s.demand_response.items():
        need(r.acts_on, list(s.demand.components), f"demand_response.{n}.acts_on", "demand component")
    for n, c in s.imports.items():
        need(c.zone, zones, f"imports.{n}.zone", "zone")
        need(c.profile, profiles, f"imports.{n}.profile", "profile")
        need(c.renewable_profile, profiles, f"imports.{n}.renewable_profile", "profile")
        if c.new and c.renewable_profile is None and c.renewable_share != 0:
            problems.append(
                Problem(
                    file,
                    f"imports.{n}.renewable_profile",
                    severity=WARNING,
                    message=(
                        "a new channel without a sending-end renewable profile: its renewable energy is "
                        "limited only by the channel's availability, hour by hour (renewable power at "
                        "night); expected the sending region's wind/solar/hydro availability"
                    ),
                )
            )
    groups = {g for t in s.technologies.values() for g in t.groups} | {
        g for st in s.storage.values() for g in st.groups
    }
    names = [*s.technologies, *s.storage, *s.demand_response, *s.imports, *sorted(groups)]
    for n, tg in s.targets.items():
        for i, member in enumerate(tg.technologies):
            need(member, names, f"targets.{n}.technologies.{i}", "technology or group")
        need(tg.zone, zones, f"targets.{n}.zone", "zone")
        if tg.kind == "co2_peak":
            _check_peak(n, tg, file, problems)
        elif tg.kind == "non_fossil_primary_share" and tg.total_energy is None:
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.total_energy",
                    message="missing: a non_fossil_primary_share target needs the stated total energy "
                    "consumption [tce/yr] by period",
                )
            )
        if tg.kind != "co2_peak" and (tg.base_level is not None or tg.max_growth is not None):
            problems.append(
                Problem(
                    file,
                    f"targets.{n}.base_level",
                    message=f"only co2_peak takes a base_level; found kind {tg.kind}",
                )
            )
        if tg.kind != "co2_peak" and tg.min is None and tg.max is None:
            problems.append(Problem(file, f"targets.{n}", message="missing: a target needs 'min' or 'max'"))
        for bound in ("min", "max"):
            v = getattr(tg, bound)
            for k in v if isinstance(v, dict) else []:
                if k not in s.periods:
                    problems.append(
                        Problem(
                            file,
                            f"targets.{n}.{bound}.{k}",
                            message=(f"period {k} is not defined; periods are {s.periods}"),
                        )
                    )
    if s.period_years is not None:
        for p in s.periods:
            if p not in s.period_years:
                problems.append(Problem(file, "period_years", message=f"no value for period {p}"))
        for k, y in s.period_years.items():
            if k not in s.periods:
                problems.append(
                    Problem(
                        file,
                        f"period_years.{k}",
                        message=(f"period {k} is not defined; periods are {s.periods}"),
                    )
                )
            elif not (y > 0 and math.isfinite(y)):
                problems.append(Problem(file, f"period_years.{k}", message=f"found {y}; expected years > 0"))


def _check_peak(n: str, tg: Target, file: str, problems: list[Problem]) -> None:
    """co2_peak: a peak year, and a stated level (max, or base_level with max_growth), not both."""
    if tg.peak_year is None:
        problems.append(
            Problem(file, f"targets.{n}.peak_year", message="missing: a co2_peak target needs a peak_year")
        )
    if tg.min is not None:
        problems.append(
            Problem(file, f"targets.{n}.min", message="a co2_peak target takes no min; its level is 'max'")
        )
    if tg.max is not None and tg.base_level is not None:
        problems.append(
            Problem(
                file,
                f"targets.{n}.base_level",
                message="found both max and base_level; expected one peak level: max [tCO2/yr], or "
                "base_level [tCO2/yr] with max_growth",
            )
        )
    if tg.max_growth is not None and tg.base_level is None:
        problems.append(
            Problem(file, f"targets.{n}.max_growth", message="max_growth needs a base_level [tCO2/yr]")
        )
    if tg.max is None and tg.base_level is None:
        problems.append(
            Problem(
                file,
                f"targets.{n}",
                severity=WARNING,
                message=(
                    "a carbon peak without a level can be met by raising the peak period's emissions; "
                    "expected a peak level: max [tCO2/yr], or base_level with max_growth"
                ),
            )
        )


def _check_numbers(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Signs, finiteness and ranges that the schema cannot express (values inside maps)."""
    skip = ("zones.", "solver.options", "targets.", "period_years.")
    for path, name, v in numbers(s):
        if path.startswith(skip) or name in ("lat", "lon", "base_year"):
            continue
        if math.isnan(v):
            problems.append(Problem(file, path, message="found NaN; expected a number"))
        elif v < 0:
            problems.append(Problem(file, path, message=f"found {v:g}; expected a value >= 0"))
        elif math.isinf(v) and name not in INF_OK:
            problems.append(
                Problem(
                    file,
                    path,
                    message=(
                        "found inf; expected a finite number (only build_max, potential, max_energy, "
                        "duration_max, max_hours may be inf)"
                    ),
                )
            )
    for n, st in s.storage.items():
        if st.duration_min > st.duration_max:
            problems.append(
                Problem(
                    file,
                    f"storage.{n}.duration_min",
                    message=(
                        f"found duration_min {st.duration_min:g} h > duration_max {st.duration_max:g} h; "
                        "expected min <= max"
                    ),
                )
            )
    for n, t in s.technologies.items():
        fx, cm = (t.retrofits.flexibility if t.retrofits else None), t.commitment
        if fx is not None and cm is not None and cm.enabled:
            for key, bad, bound, verb in (
                ("min_stable", fx.min_stable > cm.min_stable, "at most", "lowers"),
                ("ramp", fx.ramp < cm.ramp, "at least", "raises"),
            ):
                if bad:
                    problems.append(
                        Problem(
                            file,
                            f"technologies.{n}.retrofits.flexibility.{key}",
                            message=(
                                f"found {getattr(fx, key):g}; expected {bound} the unretrofitted "
                                f"commitment.{key} {getattr(cm, key):g} (a flexibility retrofit {verb} it)"
                            ),
                        )
                    )
        es = t.retrofits.energy_saving if t.retrofits else None
        hr = np.atleast_1d(
            np.array(
                list(t.heat_rate.values()) if isinstance(t.heat_rate, dict) else [t.heat_rate], dtype=float
            )
        )
        if es is not None and len(hr) and es.heat_rate_reduction >= hr.min() > 0:
            problems.append(
                Problem(
                    file,
                    f"technologies.{n}.retrofits.energy_saving.heat_rate_reduction",
                    message=(
                        f"found {es.heat_rate_reduction:g} gce/kWh; expected less than "
                        f"the heat rate {hr.min():g} gce/kWh"
                    ),
                )
            )
    share_kinds = (
        "non_fossil_share",
        "non_fossil_primary_share",
        "coal_share",
        "import_renewable_share",
        "peak_response",
    )
    for n, tg in s.targets.items():
        share = tg.kind in share_kinds
        for b in ("min", "max"):
            v = getattr(tg, b)
            items = v.items() if isinstance(v, dict) else ([] if v is None else [(None, v)])
            for k, x in items:
                where = f"targets.{n}.{b}" + (f".{k}" if k is not None else "")
                if math.isnan(x) or (math.isinf(x) and b == "min"):
                    problems.append(Problem(file, where, message=f"found {x}; expected a finite number"))
                elif x < 0 or (share and x > 1):
                    hint = (
                        f"; it looks like a percentage: write {x / 100:g}" if share and 2 < x <= 100 else ""
                    )
                    problems.append(
                        Problem(
                            file,
                            where,
                            message=(
                                f"found {x:g}; expected {'a share in [0, 1]' if share else 'a value >= 0'}{hint}"
                            ),
                        )
                    )
        lo, hi = _bounds(tg, s.periods)
        for j, p in enumerate(s.periods):
            if lo is not None and hi is not None and lo[j] > hi[j] + 1e-9:
                problems.append(
                    Problem(
                        file,
                        f"targets.{n}.min",
                        message=(f"found min {lo[j]:g} > max {hi[j]:g} in {p}; expected min <= max"),
                    )
                )


def _bounds(tg: Target, periods: list[int]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """A target's min and max by period; NaN where a mapping does not name the period."""

    def one(v: Any) -> np.ndarray | None:
        if v is None:
            return None
        if isinstance(v, dict):
            return np.array([float(v[p]) if p in v else np.nan for p in periods])
        return np.full(len(periods), float(v))

    return one(tg.min), one(tg.max)


def _check_maps(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Per-zone and per-period mappings must name defined zones and cover every period."""
    zones, periods = list(s.zones), list(s.periods)
    for path, _name, v, kind in value_fields(s):
        if path.startswith("targets."):
            continue  # a target names only the periods it applies to
        if kind == "period":
            per_period(v, periods, (file, path), problems)
        elif kind in ("zone", "zone_period"):
            per_zone_period(v, zones, periods, (file, path), problems)


def _check_magnitudes(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Values far outside what any real system has: almost surely the wrong unit."""
    flagged: set[str] = set()
    for path, name, v in numbers(s):
        sect = path.split(".")[0]
        rule = PLAUSIBLE.get((sect, name)) or PLAUSIBLE.get(("*", name))
        if rule is None or v <= 0 or not math.isfinite(v):
            continue
        if sect == "targets" or (sect == "solver"):
            continue
        lo, hi, unit, hint_lo, hint_hi = rule
        parts = path.split(".")
        owner = ".".join(parts[: parts.index(name) + 1]) if name in parts else path
        if owner in flagged:
            continue
        if v < lo or v > hi:
            flagged.add(owner)
            hint = hint_lo if v < lo else hint_hi
            problems.append(
                Problem(
                    file,
                    path,
                    message=(
                        f"found {v:g} {unit}, outside the plausible range {lo:g}..{hi:g} {unit}"
                        + (f"; is it in {hint}?" if hint else "")
                        + f" expected {unit}"
                    ),
                )
            )
    for n, tg in s.targets.items():
        if tg.kind != "capacity":
            continue
        for b in ("min", "max"):
            v = getattr(tg, b)
            for x in v.values() if isinstance(v, dict) else [] if v is None else [v]:
                if math.isfinite(x) and x > 1e7:
                    problems.append(
                        Problem(
                            file,
                            f"targets.{n}.{b}",
                            message=(
                                f"found {x:g} MW, more than any province could install; is it in kW (÷1000)? "
                                "expected MW"
                            ),
                        )
                    )
                    break


# --------------------------------------------------------------------------------------------
# infeasibility visible from the data


def _alive(built: int, period: int, life: float) -> bool:
    return built <= period < built + life


def _fleet_range(s: Scenario, item: Any, periods: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Least and most installed capacity [MW] by zone and period a fleet item can have:
    min = existing + build_min of builds alive; max = min(potential, existing + build_max alive)."""
    zones = list(s.zones)
    scratch: list[Problem] = []
    e = per_zone_period(item.existing, zones, periods, ("", ""), scratch)
    lo = per_zone_period(item.build_min, zones, periods, ("", ""), scratch)
    hi = per_zone_period(item.build_max, zones, periods, ("", ""), scratch)
    po = per_zone_period(item.potential, zones, periods, ("", ""), scratch, np.inf)[:, 0]
    hi = np.where(hi > 0, np.minimum(hi, po[:, None]), 0.0)
    lo = np.where(hi > 0, lo, 0.0)
    cmin, cmax = e.copy(), e.copy()
    for j, p in enumerate(periods):
        alive = [b for b, q in enumerate(periods) if _alive(q, p, item.lifetime)]
        cmin[:, j] += lo[:, alive].sum(axis=1)
        with np.errstate(invalid="ignore"):
            cmax[:, j] = np.maximum(np.minimum(po, e[:, j] + hi[:, alive].sum(axis=1)), e[:, j])
    return cmin, cmax


def _check_fleets(s: Scenario, file: str, problems: list[Problem]) -> None:
    """build_min <= build_max, existing <= potential, existing + build_min <= potential."""
    zones, periods = list(s.zones), list(s.periods)
    scratch: list[Problem] = []
    for sect, items in (("technologies", s.technologies), ("storage", s.storage)):
        for n, it in items.items():
            e = per_zone_period(it.existing, zones, periods, ("", ""), scratch)
            lo = per_zone_period(it.build_min, zones, periods, ("", ""), scratch)
            hi = per_zone_period(it.build_max, zones, periods, ("", ""), scratch)
            po = per_zone_period(it.potential, zones, periods, ("", ""), scratch, np.inf)[:, 0]
            bad = np.argwhere(lo > hi + 1e-9)
            if len(bad):
                zi, j = bad[0]
                problems.append(
                    Problem(
                        file,
                        f"{sect}.{n}.build_min",
                        message=(
                            f"found build_min {lo[zi, j]:g} MW > build_max {hi[zi, j]:g} MW in zone '{zones[zi]}', "
                            f"period {periods[j]} ({len(bad)} zone-period(s)); expected build_min <= build_max"
                        ),
                    )
                )
                continue
            bad = np.argwhere(e > po[:, None] + 1e-9)
            if len(bad):
                zi, j = bad[0]
                problems.append(
                    Problem(
                        file,
                        f"{sect}.{n}.existing",
                        message=(
                            f"found {e[zi, j]:g} MW in zone '{zones[zi]}', period {periods[j]}, above the potential "
                            f"{po[zi]:g} MW; expected existing <= potential (potential counts existing + new)"
                        ),
                    )
                )
                continue
            cmin, _ = _fleet_range(s, it, periods)
            bad = np.argwhere(cmin > po[:, None] + 1e-9)
            if len(bad):
                zi, j = bad[0]
                problems.append(
                    Problem(
                        file,
                        f"{sect}.{n}.build_min",
                        message=(
                            f"existing + build_min reach {cmin[zi, j]:g} MW in zone '{zones[zi]}', period {periods[j]}, "
                            f"above the potential {po[zi]:g} MW: infeasible before solving; expected "
                            "existing + build_min <= potential"
                        ),
                    )
                )


def members(s: Scenario, names: list[str]) -> list[tuple[str, str]]:
    """(section, name) of the technologies, storage, DR and channels named directly or by group."""
    out: list[tuple[str, str]] = []
    for sect, items in (("technologies", s.technologies), ("storage", s.storage)):
        out += [(sect, n) for n, t in items.items() if n in names or set(t.groups) & set(names)]
    out += [("demand_response", n) for n in s.demand_response if n in names]
    out += [("imports", n) for n in s.imports if n in names]
    return out


def capacity_range(s: Scenario, sect: str, name: str, zone: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Least and most capacity [MW] by period of one member of a capacity target (zone or all)."""
    zones, periods = list(s.zones), list(s.periods)
    scratch: list[Problem] = []
    keep = np.array([zone is None or z == zone for z in zones])
    if sect in ("technologies", "storage"):
        item = (s.technologies if sect == "technologies" else s.storage)[name]
        cmin, cmax = _fleet_range(s, item, periods)
        return cmin[keep].sum(axis=0), cmax[keep].sum(axis=0)
    if sect == "demand_response":
        d = s.demand_response[name]
        e = per_zone_period(d.existing, zones, periods, ("", ""), scratch)
        pot = np.maximum(per_zone_period(d.potential, zones, periods, ("", ""), scratch), e)
        return e[keep].sum(axis=0), pot[keep].sum(axis=0)
    ch = s.imports[name]
    if zone is not None and ch.zone != zone:
        return np.zeros(len(periods)), np.zeros(len(periods))
    cap = per_period(ch.capacity, periods, ("", ""), scratch)
    hi = per_period(ch.build_max, periods, ("", ""), scratch)
    top = np.array(
        [
            cap[j] + sum(hi[b] for b, q in enumerate(periods) if _alive(q, p, ch.lifetime))
            for j, p in enumerate(periods)
        ]
    )
    return cap, top


def _is_soft(s: Scenario, tg: Target) -> bool:
    return tg.soft if tg.soft is not None else s.targets_mode == "soft"


def _check_targets(
    s: Scenario, file: str, problems: list[Problem], loads: dict[int, pd.DataFrame] | None
) -> None:
    """Hard capacity/peak-response targets that no plan can meet, found before solving."""
    periods = list(s.periods)
    for n, tg in s.targets.items():
        if not tg.enabled or tg.kind not in ("capacity", "peak_response"):
            continue
        lo, hi = _bounds(tg, periods)
        soft = _is_soft(s, tg)
        sev = WARNING if soft else ERROR
        fix = (
            "raise build_max or potential" if tg.kind == "capacity" else "raise the demand-response potential"
        )
        tail = (
            "; as a soft target it will fall short and pay its penalty"
            if soft
            else f": the plan is infeasible before solving; {fix}, or lower the target"
        )
        if tg.kind == "capacity":
            mem = members(s, tg.technologies)
            names = [m[1] for m in mem]
            rng = [capacity_range(s, sect, m, tg.zone) for sect, m in mem]
            cmin = sum((r[0] for r in rng), np.zeros(len(periods)))
            cmax = sum((r[1] for r in rng), np.zeros(len(periods)))
            for j, p in enumerate(periods):
                where = f" in zone '{tg.zone}'" if tg.zone else ""
                if lo is not None and not np.isnan(lo[j]) and cmax[j] < lo[j] - 1e-6:
                    problems.append(
                        Problem(
                            file,
                            f"targets.{n}.min",
                            severity=sev,
                            message=(
                                f"found min {lo[j]:g} MW in {p}; at most {cmax[j]:g} MW of {names}{where} can exist "
                                f"in {p} (existing + build_max of earlier periods still alive, capped by "
                                f"potential){tail}"
                            ),
                        )
                    )
                if hi is not None and not np.isnan(hi[j]) and cmin[j] > hi[j] + 1e-6:
                    problems.append(
                        Problem(
                            file,
                            f"targets.{n}.max",
                            severity=sev,
                            message=(
                                f"found max {hi[j]:g} MW in {p}; at least {cmin[j]:g} MW of {names}{where} exist "
                                f"in {p} (existing + build_min, which cannot retire early){tail}"
                            ),
                        )
                    )
        elif loads is not None and lo is not None:
            drs = [m for m in tg.technologies if m in s.demand_response] or list(s.demand_response)
            top = sum(
                (capacity_range(s, "demand_response", d, tg.zone)[1] for d in drs), np.zeros(len(periods))
            )
            for j, p in enumerate(periods):
                if np.isnan(lo[j]):
                    continue
                df = loads[p]
                peak = float((df[tg.zone] if tg.zone else df.sum(axis=1)).max())
                if top[j] < lo[j] * peak - 1e-6:
                    problems.append(
                        Problem(
                            file,
                            f"targets.{n}.min",
                            severity=sev,
                            message=(
                                f"found {lo[j]:g} of the peak load {peak:,.0f} MW = {lo[j] * peak:,.0f} MW in {p}; "
                                f"the demand response {drs} can provide at most {top[j]:,.0f} MW{tail}"
                            ),
                        )
                    )


def _check_imports(
    s: Scenario, file: str, problems: list[Problem], profiles: dict[str, pd.DataFrame]
) -> None:
    """An import channel's minimum energy must fit its capacity and availability, and its maximum."""
    periods = list(s.periods)
    scratch: list[Problem] = []
    for c, ch in s.imports.items():
        lo = per_period(ch.min_energy, periods, ("", ""), scratch)
        hi = per_period(ch.max_energy, periods, ("", ""), scratch)
        _, cap = capacity_range(s, "imports", c, None)
        if ch.profile is not None and ch.profile not in profiles:
            continue
        hours = float(profiles[ch.profile][c].sum()) if ch.profile is not None else float(HOURS)
        for j, p in enumerate(periods):
            if lo[j] > hi[j] + 1e-6:
                problems.append(
                    Problem(
                        file,
                        f"imports.{c}.min_energy",
                        message=(
                            f"found min_energy {lo[j]:g} MWh > max_energy {hi[j]:g} MWh in {p}; expected min <= max"
                        ),
                    )
                )
            elif lo[j] > cap[j] * hours + 1e-6:
                problems.append(
                    Problem(
                        file,
                        f"imports.{c}.min_energy",
                        message=(
                            f"found {lo[j]:g} MWh in {p}; the channel can carry at most {cap[j] * hours:,.0f} MWh "
                            f"({cap[j]:g} MW x {hours:,.0f} full-load hours of availability): infeasible before "
                            "solving"
                        ),
                    )
                )


# --------------------------------------------------------------------------------------------
# tables of a case


def _table_specs(
    data: dict[str, Any],
) -> list[tuple[str, str, str, list[str], float | None, float | None, float | None]]:
    """(files key, field path, path, columns, lo, hi, plausible max) of every CSV a case names,
    taken from the raw mapping so that tables are checked even when the schema has problems."""
    zones = [str(z) for z in data["zones"]] if isinstance(data.get("zones"), dict) else []
    techs: dict[Any, Any] = data["technologies"] if isinstance(data.get("technologies"), dict) else {}
    chans: dict[Any, Any] = data["imports"] if isinstance(data.get("imports"), dict) else {}
    out: list[tuple[str, str, str, list[str], float | None, float | None, float | None]] = []
    demand = data.get("demand")
    if isinstance(demand, dict):
        if isinstance(demand.get("file"), str):
            scaled = demand.get("annual_energy") is not None
            out.append(
                (
                    "demand.file",
                    "demand.file",
                    demand["file"],
                    zones,
                    0.0,
                    None,
                    None if scaled else MAX_ZONE_LOAD,
                )
            )
        comps = demand.get("components")
        for n, c in comps.items() if isinstance(comps, dict) else []:
            if isinstance(c, dict) and isinstance(c.get("file"), str):
                out.append(
                    (
                        f"demand.components.{n}",
                        f"demand.components.{n}.file",
                        c["file"],
                        zones,
                        0.0,
                        None,
                        None,
                    )
                )
    profiles = data.get("profiles")
    for n, f in profiles.items() if isinstance(profiles, dict) else []:
        if not isinstance(f, str):
            continue
        used = any(isinstance(t, dict) and t.get("profile") == n for t in techs.values())
        cols = [
            *(zones if used else []),
            *(
                str(c)
                for c, ch in chans.items()
                if isinstance(ch, dict) and n in (ch.get("profile"), ch.get("renewable_profile"))
            ),
        ]
        out.append((f"profiles.{n}", f"profiles.{n}", f, sorted(set(cols), key=cols.index), 0.0, 1.0, None))
    heat = data.get("heat")
    if isinstance(heat, dict) and isinstance(heat.get("file"), str):
        out.append(("heat.file", "heat.file", heat["file"], zones, 0.0, None, None))
    return out


def _read_tables(
    data: dict[str, Any], file: str, problems: list[Problem]
) -> tuple[dict[str, pd.DataFrame | None], dict[str, Path]]:
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, Path] = {}
    for key, where, f, cols, lo, hi, plaus in _table_specs(data):
        path = Path(f)
        files[key] = path
        if not is_file(path):
            what = "a folder" if is_dir(path) else "not found"
            problems.append(Problem(file, where, message=f"file '{path}' {what}; expected a CSV file"))
            tables[key] = None
            continue
        unit = "MW" if key == "demand.file" else ("p.u." if key.startswith("profiles.") else "")
        if not cols and key.startswith("profiles."):
            problems.append(
                Problem(
                    file,
                    where,
                    severity=WARNING,
                    message=(
                        "profile not used by any technology or import channel; a misspelt profile name?"
                    ),
                )
            )
        tables[key] = read_table(
            path, cols, where, problems, lo, hi, unit=unit, plausible_max=plaus, warn_unused=bool(cols)
        )
    return tables, files


def _extra_files(chain: list[Path], used: dict[str, Path]) -> list[Problem]:
    """CSV files in the case folder that neither this scenario nor any other YAML there names."""
    root = chain[0].parent
    named = {p.resolve() for p in used.values()}
    csvs: list[Path] = []
    others: list[Path] = []
    for i, p in enumerate(root.rglob("*")):
        if i > MAX_EXTRA_SCAN:
            break
        rel = p.relative_to(root).parts
        if any(x.startswith(".") or x in ("results", "__pycache__") for x in rel):
            continue
        if p.suffix.lower() == ".csv":
            csvs.append(p)
        elif p.suffix.lower() in (".yaml", ".yml") and p.resolve() not in chain:
            others.append(p)
    for y in others:
        scratch: list[Problem] = []
        raw = _read_yaml(y, scratch)
        if raw is not None:
            for s in _strings(raw):
                if s.lower().endswith(".csv"):
                    named.add((y.parent / s).resolve())
    return [
        Problem(
            str(p),
            severity=WARNING,
            message=(
                "CSV file not used by the scenario (no file field names it); expected every table in the case "
                "folder to be referenced, or a misspelt file name?"
            ),
        )
        for p in sorted(csvs)
        if p.resolve() not in named
    ]


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node


# --------------------------------------------------------------------------------------------
# reading a case


def _canonical(node: Any, digests: dict[str, str]) -> Any:
    """The scenario as plain JSON-able data, file paths replaced by the digest of their bytes."""
    if isinstance(node, dict):
        return {str(k): _canonical(v, digests) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_canonical(v, digests) for v in node]
    if isinstance(node, str) and node in digests:
        return digests[node]
    if isinstance(node, float) and not math.isfinite(node):
        return str(node)
    return node


def input_hash(data: dict[str, Any], files: dict[str, Path]) -> str:
    """sha256 over the resolved scenario (canonical JSON; `name` and `description` left out, file
    paths replaced by the sha256 of the file's bytes) and the bytes of every CSV it uses.

    The hash depends on what the inputs say, not on where the case folder lies: a copy of a case
    elsewhere has the same hash; any changed number, in the YAML or a CSV, changes it."""
    digests = {str(p): "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()}
    body = {k: v for k, v in data.items() if k not in ("name", "description")}
    h = hashlib.sha256()
    h.update(json.dumps(_canonical(body, digests), sort_keys=True).encode())
    for key in sorted(files):
        h.update(key.encode())
        h.update(digests[str(files[key])].encode())
    return h.hexdigest()


def read(case: str | Path, problems: list[Problem]) -> Inputs | None:
    """Read and check a case, adding every problem (errors and warnings) to `problems`;
    the Inputs when there is no error, else None."""
    index: list[tuple[Path, dict[str, int]]] = []
    n0 = len(problems)
    data, chain = load_layers(case, problems, index)
    locations = _locations(index)
    own = {str(path): lines for path, lines in index}
    if not chain or any(p.is_error for p in problems[n0:]):
        problems[n0:] = locate(problems[n0:], str(chain[0]) if chain else "", locations, own)
        return None
    file = str(chain[0])
    s: Scenario | None = None
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        problems += validation_problems(e, file, data)
    except (RecursionError, TypeError, ValueError) as e:
        problems.append(Problem(file, message=f"cannot be checked against the schema: {e}"))
    tables, files = _read_tables(data, file, problems)
    check_shapes(data, tables, files, problems)
    loads: dict[int, pd.DataFrame] = {}
    heat: dict[int, pd.DataFrame] = {}
    comps: dict[str, dict[int, pd.DataFrame]] = {}
    profiles = {
        k.split(".", 1)[1]: df for k, df in tables.items() if k.startswith("profiles.") and df is not None
    }
    if s is not None:
        before = len(problems)
        _check_refs(s, file, problems)
        _check_numbers(s, file, problems)
        _check_maps(s, file, problems)
        _check_magnitudes(s, file, problems)
        check_scenario(s, file, problems)
        scenario_ok = not any(p.is_error for p in problems[before:])
        if scenario_ok:
            _check_fleets(s, file, problems)
            check_history(s, file, problems)
        tables_ok = all(df is not None for df in tables.values())
        if scenario_ok and tables_ok:
            loads, heat, comps = _build_loads(s, file, tables, problems)
        if scenario_ok:
            _check_targets(s, file, problems, loads or None)
            _check_imports(s, file, problems, profiles)
    problems += _extra_files(chain, files)
    problems[n0:] = locate(problems[n0:], file, locations, own)
    if s is None or any(p.is_error for p in problems[n0:]):
        return None
    canon = s.model_dump(by_alias=True)
    return Inputs(
        s,
        chain[0],
        files,
        input_hash(canon, files),
        loads,
        profiles,
        heat,
        [p for p in problems[n0:] if not p.is_error],
        locations,
        comps,
    )


def _build_loads(
    s: Scenario, file: str, tables: dict[str, pd.DataFrame | None], problems: list[Problem]
) -> tuple[dict[int, pd.DataFrame], dict[int, pd.DataFrame], dict[str, dict[int, pd.DataFrame]]]:
    """Hourly load [MW] per period (base shape scaled to annual_energy, plus components), heat,
    and each component's own hourly load per period."""
    zones, periods = list(s.zones), list(s.periods)
    base = tables["demand.file"]
    assert base is not None
    scratch: list[Problem] = []  # map problems are reported by _check_maps
    loads: dict[int, pd.DataFrame] = {}
    comps: dict[str, dict[int, pd.DataFrame]] = {n: {} for n in s.demand.components}
    energy = (
        None
        if s.demand.annual_energy is None
        else per_period(s.demand.annual_energy, periods, (file, "demand.annual_energy"), scratch)
    )
    base_sum = float(base.to_numpy().sum())
    if energy is not None and base_sum <= 0 and energy.max() > 0:
        problems.append(
            Problem(
                str(s.demand.file),
                message=(
                    "every load is 0, so the file cannot be scaled to demand.annual_energy; expected a load shape"
                ),
            )
        )
    for i, p in enumerate(periods):
        total = base.copy()
        if energy is not None:
            total *= energy[i] / max(base_sum, 1e-12)
        for n, c in s.demand.components.items():
            shape = tables[f"demand.components.{n}"]
            assert shape is not None
            e = per_period(c.annual_energy, periods, (file, f"demand.components.{n}.annual_energy"), scratch)
            ssum = float(shape.to_numpy().sum())
            if ssum <= 0 and e[i] > 0:
                problems.append(
                    Problem(
                        str(c.file),
                        message=(
                            f"every value is 0, so it cannot be scaled to demand.components.{n}.annual_energy; "
                            "expected a load shape"
                        ),
                    )
                )
                continue
            comps[n][p] = shape * (e[i] / max(ssum, 1e-12))
            total += comps[n][p]
        loads[p] = total
    heat: dict[int, pd.DataFrame] = {}
    shape = tables.get("heat.file")
    if s.heat is not None and shape is not None:
        he = per_zone_period(s.heat.annual_energy, zones, periods, (file, "heat.annual_energy"), scratch)
        sums = shape.sum().to_numpy()
        empty = [z for z, v, row in zip(zones, sums, he, strict=True) if v <= 0 and row.max() > 0]
        for z in empty:
            problems.append(
                Problem(
                    str(s.heat.file),
                    z,
                    message=(
                        "every value is 0, so heat.annual_energy of this zone cannot be spread over the year; "
                        "expected a heat-demand shape"
                    ),
                )
            )
        for i, p in enumerate(periods):
            heat[p] = shape * (he[:, i] / np.maximum(sums, 1e-12))
    return loads, heat, comps


def load(case: str | Path) -> Inputs:
    """Read and check a case; raise InputError listing every error found (warnings are kept in
    `Inputs.warnings`)."""
    problems: list[Problem] = []
    inputs = read(case, problems)
    errors = [p for p in problems if p.is_error]
    if inputs is None or errors:
        raise InputError(errors or problems)
    return inputs


def case_hash(case: str | Path) -> str:
    """The input hash of a case, as stored in the `input_hash` attribute of its results."""
    return load(case).input_hash
