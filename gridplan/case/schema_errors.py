"""Pydantic validation errors as Problems: a dotted field path, what was found and what was
expected (in the words of model/parameters.md), a did-you-mean for unknown keys, one problem per
field (the branches of a union report once)."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from gridplan.case.schema import Scenario
from gridplan.case.spelling import did_you_mean
from gridplan.case.values import union_members, value_kind
from gridplan.errors import Problem

EXPECT = {
    "period": "a number, or a mapping {period: number} covering every period",
    "zone": "a number, or a mapping {zone: number}",
    "zone_period": "a number, a mapping {zone: number}, or {zone: {period: number}}",
    "period_map": "a mapping {period: number}",
}


def _model_of(ann: Any) -> type[BaseModel] | None:
    """The pydantic model among the members of an annotation, if any."""
    for a in union_members(ann):
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
        args = typing.get_args(union_members(f.annotation)[0])
        if typing.get_origin(union_members(f.annotation)[0]) is dict and args and _model_of(args[-1]):
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
    """' [unit]' from the field's description, or ''."""
    m = re.search(r"\[([^\]]+)\]", (getattr(info, "description", None) or ""))
    return f" [{m.group(1)}]" if m else ""


def _percent_hint(value: Any, le: Any) -> str:
    """A hint when a share (at most 1) was written as a percentage."""
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
            hint = did_you_mean(path[-1], list(model.model_fields) if model else [])
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
