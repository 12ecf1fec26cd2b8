"""The CSV tables a case names: which files and columns each field needs, reading them all
(even when the schema has problems, so every problem is listed at once), and the CSV files in
the case folder that no scenario there names (warnings)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from gridplan.case.paths import is_dir, is_file
from gridplan.case.tables import read_table
from gridplan.case.yaml_io import read_yaml
from gridplan.errors import WARNING, Problem

MAX_ZONE_LOAD = 1e6  # MW: no zone has a load above 1 TW; larger values are kW
MAX_EXTRA_SCAN = 2_000  # files looked at when searching the case folder for unused CSVs
# (files key, field path, path, columns, lo, hi, plausible max) of one table
TableSpec = tuple[str, str, str, list[str], float | None, float | None, float | None]


def table_specs(data: dict[str, Any]) -> list[TableSpec]:
    """(files key, field path, path, columns, lo, hi, plausible max) of every CSV a case names,
    taken from the raw mapping so that tables are checked even when the schema has problems."""
    zones = [str(z) for z in data["zones"]] if isinstance(data.get("zones"), dict) else []
    techs: dict[Any, Any] = data["technologies"] if isinstance(data.get("technologies"), dict) else {}
    chans: dict[Any, Any] = data["imports"] if isinstance(data.get("imports"), dict) else {}
    out: list[TableSpec] = []
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


def read_case_tables(
    data: dict[str, Any], file: str, problems: list[Problem]
) -> tuple[dict[str, pd.DataFrame | None], dict[str, Path]]:
    """Every table of the case by files key (None when unreadable) and the path of each."""
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, Path] = {}
    for key, where, f, cols, lo, hi, plaus in table_specs(data):
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


def unused_csv_files(chain: list[Path], used: dict[str, Path]) -> list[Problem]:
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
        raw = read_yaml(y, scratch)
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
    """Every string in a nested YAML mapping."""
    if isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif isinstance(node, str):
        yield node
