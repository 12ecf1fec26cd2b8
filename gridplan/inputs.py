"""Read a case: scenario.yaml (with `extends`) and its CSV time series, with checks.

Every problem found is collected (not only the first) and raised together as an
InputError whose lines name the file, the field or column, and the row.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from gridplan.config import Scenario
from gridplan.errors import InputError, Problem

HOURS = 8760
SCENARIO_FILE = "scenario.yaml"


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

    @property
    def name(self) -> str:
        return self.scenario.name


def case_file(case: str | Path) -> Path:
    """The scenario YAML of a case given as a folder or a YAML file."""
    p = Path(case)
    return p / SCENARIO_FILE if p.is_dir() else p


def _read_yaml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    if not path.is_file():
        problems.append(Problem(str(path), message="file not found (expected a scenario YAML)"))
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problems.append(Problem(str(path), row=row, message=f"YAML syntax error: {e}"))
        return None
    except UnicodeDecodeError as e:
        problems.append(Problem(str(path), message=f"not UTF-8 text: {e}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), message="expected a mapping of scenario fields"))
        return None
    return data


def _resolve_paths(node: Any, base: Path, yaml_path: Path, where: str, problems: list[Problem]) -> Any:
    """Make every '*.csv' string absolute against the folder of the YAML that names it."""
    if isinstance(node, dict):
        return {k: _resolve_paths(v, base, yaml_path, f"{where}.{k}" if where else str(k), problems)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_paths(v, base, yaml_path, f"{where}[{i}]", problems) for i, v in enumerate(node)]
    if isinstance(node, str) and node.lower().endswith(".csv"):
        target = (base / node).resolve()
        if Path(node).is_absolute() or not target.is_relative_to(base.resolve()):
            problems.append(Problem(str(yaml_path), where, message=(
                f"path '{node}' leaves the case folder {base}; expected a path inside it")))
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


def load_layers(case: str | Path, problems: list[Problem]) -> tuple[dict[str, Any], list[Path]]:
    """The merged scenario mapping and the chain of YAML files (child last)."""
    chain: list[Path] = []
    data: dict[str, Any] = {}
    path = case_file(case).resolve()
    layers: list[dict[str, Any]] = []
    while True:
        if path in chain:
            cycle = " -> ".join(str(p) for p in [*chain, path])
            problems.append(Problem(str(chain[-1]), "extends", message=f"circular extends: {cycle}"))
            break
        raw = _read_yaml(path, problems)
        if raw is None:
            if chain:
                problems[-1] = Problem(str(chain[-1]), "extends", message=(
                    f"parent case '{path}' cannot be read: {problems[-1].message}"))
            break
        chain.append(path)
        layers.append(_resolve_paths(raw, path.parent, path, "", problems))
        parent = raw.get("extends")
        if not parent:
            break
        if not isinstance(parent, str):
            problems.append(Problem(str(path), "extends", message="expected a folder or YAML path"))
            break
        path = case_file(path.parent / parent).resolve()
    for layer in reversed(layers):
        data = _merge(data, layer)
    if layers:
        data.pop("extends", None)
        if "name" not in layers[0]:
            data["name"] = chain[0].parent.name if chain[0].name == SCENARIO_FILE else chain[0].stem
    return data, chain


def _did_you_mean(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    close = difflib.get_close_matches(key, list(model.model_fields), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the field at `loc` (for did-you-mean)."""
    model: Any = Scenario
    for part in loc[:-1]:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        f = model.model_fields.get(str(part))
        if f is None:
            continue  # a dict key (a zone or technology name)
        ann = f.annotation
        args = getattr(ann, "__args__", ())
        cands = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not cands:  # dict[str, Model]
            cands = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            for a in args:
                cands += [b for b in getattr(a, "__args__", ()) if isinstance(b, type)
                          and issubclass(b, BaseModel)]
        model = cands[0] if cands else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def validation_problems(e: ValidationError, file: str) -> list[Problem]:
    """Pydantic errors as Problems with a dotted field path and a did-you-mean for typos."""
    out: list[Problem] = []
    for err in e.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        path = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'" + _did_you_mean(_model_at(loc), str(loc[-1]))
        else:
            found = err.get("input")
            found_s = "" if isinstance(found, dict) else f"; found {found!r}"
            msg = f"{err['msg']}{found_s}"
        out.append(Problem(file, path, message=msg))
    # one line per location: union types repeat the same location several times
    seen: dict[str, Problem] = {}
    for p in out:
        seen.setdefault(p.field, p)
    return list(seen.values())


def read_table(path: Path, columns: list[str], where: str, problems: list[Problem],
               lo: float | None = None, hi: float | None = None) -> pd.DataFrame | None:
    """Read an hourly CSV: `hour` 1..8760 then the given numeric columns, checked."""
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, where, message="file not found"))
        return None
    try:
        df = pd.read_csv(path)
    except Exception as e:  # noqa: BLE001 - any parser failure is reported to the user
        problems.append(Problem(name, message=f"cannot read as CSV: {e}"))
        return None
    n0 = len(problems)
    if "hour" not in df.columns:
        problems.append(Problem(name, "hour", message=f"missing column; found {list(df.columns)}"))
        return None
    for c in columns:
        if c not in df.columns:
            close = difflib.get_close_matches(c, [str(x) for x in df.columns], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(name, c, message=f"missing column{hint}; needed by {where}"))
    hour = pd.to_numeric(df["hour"], errors="coerce")
    if len(df) != HOURS:
        problems.append(Problem(name, "hour", message=f"{len(df)} rows; expected {HOURS} (one per hour)"))
    bad = np.flatnonzero(hour.to_numpy() != np.arange(1, len(df) + 1))
    if len(bad):
        r = int(bad[0])
        problems.append(Problem(name, "hour", r + 2, message=(
            f"found {df['hour'].iloc[r]!r}; expected {r + 1} (hours 1..{HOURS} in order, "
            "no gaps or duplicates)")))
    for c in [c for c in columns if c in df.columns]:
        col = pd.to_numeric(df[c], errors="coerce")
        bad = np.flatnonzero(col.isna().to_numpy())
        if len(bad):
            r = int(bad[0])
            problems.append(Problem(name, c, r + 2, message=(
                f"found {df[c].iloc[r]!r}; expected a number ({len(bad)} such rows)")))
            continue
        v = col.to_numpy(dtype=float)
        for bound, test, word in ((lo, v < (lo or 0) - 1e-9, "below"), (hi, v > (hi or 0) + 1e-9, "above")):
            if bound is not None and test.any():
                r = int(np.flatnonzero(test)[0])
                problems.append(Problem(name, c, r + 2, message=(
                    f"found {v[r]:g}, {word} the allowed range [{lo}, {hi}] ({int(test.sum())} rows)")))
    if len(problems) > n0:
        return None
    out = df[columns].astype(float)
    out.index = pd.RangeIndex(1, HOURS + 1, name="hour")
    return out


def per_period(value: Any, periods: list[int], where: tuple[str, str], problems: list[Problem]) -> np.ndarray:
    """Scalar or {period: value} -> array over periods (missing periods: error)."""
    if isinstance(value, dict):
        out = np.full(len(periods), np.nan)
        for k, v in value.items():
            if k not in periods:
                problems.append(Problem(where[0], f"{where[1]}.{k}", message=(
                    f"period {k} is not defined; periods are {periods}")))
        for i, p in enumerate(periods):
            if p in value:
                out[i] = value[p]
            else:
                problems.append(Problem(where[0], where[1], message=f"no value for period {p}"))
        return out
    return np.full(len(periods), float(value))


def per_zone_period(value: Any, zones: list[str], periods: list[int], where: tuple[str, str],
                    problems: list[Problem], fill: float = 0.0) -> np.ndarray:
    """Scalar, {zone: scalar}, or {zone: {period: v}} -> array [zone, period].

    Zones not listed in a mapping get `fill` (e.g. 0 MW existing)."""
    out = np.full((len(zones), len(periods)), fill)
    if not isinstance(value, dict):
        out[:] = float(value)
        return out
    for z, v in value.items():
        if z not in zones:
            close = difflib.get_close_matches(str(z), zones, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(where[0], f"{where[1]}.{z}", message=(
                f"zone '{z}' is not defined{hint}; zones are {zones}")))
            continue
        out[zones.index(z)] = per_period(v, periods, (where[0], f"{where[1]}.{z}"), problems)
    return out


def _check_refs(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Names used in one place must be defined in another."""
    zones = list(s.zones)

    def need(name: str | None, pool: list[str], field: str, what: str) -> None:
        if name is not None and name not in pool:
            close = difflib.get_close_matches(name, pool, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(file, field, message=f"{what} '{name}' is not defined{hint}; "
                                    f"defined: {pool}"))

    profiles = list(s.profiles)
    for n, t in s.technologies.items():
        need(t.fuel, list(s.fuels), f"technologies.{n}.fuel", "fuel")
        need(t.profile, profiles, f"technologies.{n}.profile", "profile")
        if t.kind in ("variable", "hydro") and t.profile is None:
            problems.append(Problem(file, f"technologies.{n}.profile",
                                    message=f"a {t.kind} technology needs an availability profile"))
        if t.kind == "thermal" and t.fuel is None and (t.heat_rate != 0):
            problems.append(Problem(file, f"technologies.{n}.fuel", message="heat_rate without a fuel"))
    for n, ln in s.links.items():
        need(ln.from_zone, zones, f"links.{n}.from", "zone")
        need(ln.to_zone, zones, f"links.{n}.to", "zone")
        if ln.from_zone == ln.to_zone:
            problems.append(Problem(file, f"links.{n}", message="a link must join two different zones"))
    for n, c in s.imports.items():
        need(c.zone, zones, f"imports.{n}.zone", "zone")
        need(c.profile, profiles, f"imports.{n}.profile", "profile")
    groups = {g for t in [*s.technologies.values(), *s.storage.values()] for g in t.groups}
    names = [*s.technologies, *s.storage, *s.demand_response, *s.imports, *sorted(groups)]
    for n, tg in s.targets.items():
        for t in tg.technologies:
            need(t, names, f"targets.{n}.technologies", "technology or group")
        need(tg.zone, zones, f"targets.{n}.zone", "zone")
        if tg.kind == "co2_peak":
            if tg.peak_year is None:
                problems.append(Problem(file, f"targets.{n}.peak_year", message="co2_peak needs a peak_year"))
            else:
                need(str(tg.peak_year), [str(p) for p in s.periods], f"targets.{n}.peak_year", "period")
        elif tg.min is None and tg.max is None:
            problems.append(Problem(file, f"targets.{n}", message="a target needs 'min' or 'max'"))
        for bound in ("min", "max"):
            v = getattr(tg, bound)
            for k in v if isinstance(v, dict) else []:
                if k not in s.periods:
                    problems.append(Problem(file, f"targets.{n}.{bound}.{k}", message=(
                        f"period {k} is not defined; periods are {s.periods}")))
    if s.period_years is not None:
        for p in s.periods:
            if p not in s.period_years:
                problems.append(Problem(file, "period_years", message=f"no value for period {p}"))


def _check_numbers(s: Scenario, file: str, problems: list[Problem]) -> None:
    """Signs and ranges that the schema cannot express (values inside per-period maps)."""
    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, f"{path}.{k}")
        elif isinstance(v, int | float) and (v < 0 or math.isnan(v)):
            problems.append(Problem(file, path, message=f"found {v}; expected a value >= 0"))

    dump = s.model_dump(by_alias=True, exclude={"targets", "solver", "time", "zones", "period_years"})
    for sect in ("technologies", "storage", "links", "imports", "demand_response", "fuels"):
        for name, item in dump.get(sect, {}).items():
            for k, v in item.items():
                if k not in ("lat", "lon"):
                    walk(v, f"{sect}.{name}.{k}")
    for n, t in s.technologies.items():
        if isinstance(t.build_min, int | float) and isinstance(t.build_max, int | float) \
                and t.build_min > t.build_max:
            problems.append(Problem(file, f"technologies.{n}.build_min", message=(
                f"build_min {t.build_min} > build_max {t.build_max}")))
    for n, st in s.storage.items():
        if st.duration_min > st.duration_max:
            problems.append(Problem(file, f"storage.{n}.duration_min", message=(
                f"duration_min {st.duration_min} h > duration_max {st.duration_max} h")))
    for n, tg in s.targets.items():
        for b in ("min", "max"):
            v = getattr(tg, b)
            vals = v.values() if isinstance(v, dict) else ([] if v is None else [v])
            share = tg.kind in ("non_fossil_share", "coal_share", "import_renewable_share", "peak_response")
            for x in vals:
                if x < 0 or (share and x > 1):
                    problems.append(Problem(file, f"targets.{n}.{b}", message=(
                        f"found {x}; expected {'a share in [0, 1]' if share else 'a value >= 0'}")))


def input_hash(data: dict[str, Any], files: dict[str, Path]) -> str:
    """sha256 over the merged scenario (canonical JSON) and the bytes of every CSV it uses."""
    h = hashlib.sha256()
    h.update(json.dumps(data, sort_keys=True, default=str).encode())
    for key in sorted(files):
        h.update(key.encode())
        h.update(files[key].read_bytes())
    return h.hexdigest()


def load(case: str | Path) -> Inputs:
    """Read and check a case; raise InputError listing every problem found."""
    problems: list[Problem] = []
    data, chain = load_layers(case, problems)
    if problems:
        raise InputError(problems)
    file = str(chain[0])
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        raise InputError(validation_problems(e, file)) from None
    _check_refs(s, file, problems)
    _check_numbers(s, file, problems)
    zones = list(s.zones)
    files: dict[str, Path] = {}

    base = read_table(Path(s.demand.file), zones, "demand.file", problems, lo=0)
    files["demand.file"] = Path(s.demand.file)
    comps: dict[str, pd.DataFrame | None] = {}
    for n, c in s.demand.components.items():
        comps[n] = read_table(Path(c.file), zones, f"demand.components.{n}.file", problems, lo=0)
        files[f"demand.components.{n}"] = Path(c.file)
    profiles: dict[str, pd.DataFrame] = {}
    for n, f in s.profiles.items():
        cols = sorted({*(z for t in s.technologies.values() if t.profile == n for z in zones),
                       *(c for c, ch in s.imports.items() if ch.profile == n)}, key=str)
        df = read_table(Path(f), cols, f"profiles.{n}", problems, lo=0.0, hi=1.0)
        files[f"profiles.{n}"] = Path(f)
        if df is not None:
            profiles[n] = df
    heat_shape = None
    if s.heat is not None:
        heat_shape = read_table(Path(s.heat.file), zones, "heat.file", problems, lo=0)
        files["heat.file"] = Path(s.heat.file)
    if problems:
        raise InputError(problems)
    assert base is not None

    loads: dict[int, pd.DataFrame] = {}
    energy = None if s.demand.annual_energy is None else per_period(
        s.demand.annual_energy, s.periods, (file, "demand.annual_energy"), problems)
    for i, p in enumerate(s.periods):
        total = base.copy()
        if energy is not None:
            total *= energy[i] / max(float(base.to_numpy().sum()), 1e-12)
        for n, c in s.demand.components.items():
            shape = comps[n]
            assert shape is not None
            e = per_period(c.annual_energy, s.periods, (file, f"demand.components.{n}.annual_energy"), problems)
            total += shape * (e[i] / max(float(shape.to_numpy().sum()), 1e-12))
        loads[p] = total
    heat: dict[int, pd.DataFrame] = {}
    if s.heat is not None and heat_shape is not None:
        he = per_zone_period(s.heat.annual_energy, zones, s.periods, (file, "heat.annual_energy"), problems)
        sums = heat_shape.sum().to_numpy()
        for i, p in enumerate(s.periods):
            heat[p] = heat_shape * (he[:, i] / np.maximum(sums, 1e-12))
    if problems:
        raise InputError(problems)
    return Inputs(s, chain[0], files, input_hash(data, files), loads, profiles, heat)
