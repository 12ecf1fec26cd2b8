"""Reading scenario YAML: the guarded safe loader, the line of every key, file paths resolved
against the YAML that names them, `extends` layers merged, and problems pointed at the YAML
file and line that define their field.

YAML is read with the safe loader: nothing in a case is ever executed. Alias bombs, recursive
aliases, duplicate keys, non-UTF-8 text and files that are too large are reported as problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gridplan.case.paths import SCENARIO_FILE, case_file, is_file
from gridplan.errors import Problem
from gridplan.outputs import safe_name

MAX_YAML_NODES = 200_000  # nodes after expanding aliases: more is an alias bomb, not a case
MAX_YAML_BYTES = 16_000_000  # a scenario or sweep file is a few kB


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


def _yaml_text(path: Path, problems: list[Problem], what: str) -> str | None:
    """The text of a YAML file: it exists, is not too large and is UTF-8."""
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
    return text


def read_yaml(
    path: Path, problems: list[Problem], lines: dict[str, int] | None = None, what: str = "scenario"
) -> dict[str, Any] | None:
    """One YAML file (a scenario, or a sweep: `what`) with the safe loader (no Python tags: nothing
    is executed), a size guard against alias bombs and duplicate keys reported."""
    text = _yaml_text(path, problems, what)
    if text is None:
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


def deep_merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: the child's values override the parent's, mapping by mapping."""
    out = dict(parent)
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
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
        raw = read_yaml(path, problems, lines)
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
        data = deep_merge(data, layer)
    if layers:
        data.pop("extends", None)
        if "name" not in layers[0]:
            data["name"] = safe_name(
                chain[0].parent.name if chain[0].name == SCENARIO_FILE else chain[0].stem
            )
    return data, chain


def at_yaml_lines(
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


def line_index(index: list[tuple[Path, dict[str, int]]]) -> dict[str, tuple[str, int]]:
    """field path -> (file, line), the child's definition winning over its parents'."""
    out: dict[str, tuple[str, int]] = {}
    for path, lines in index:  # child first
        for k, line in lines.items():
            out.setdefault(k, (str(path), line))
    return out
