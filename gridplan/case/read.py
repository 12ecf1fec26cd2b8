"""Read a case: scenario.yaml (with `extends`) and its CSV time series, with every check.

Every problem found is collected (not only the first) and raised together as an InputError
whose lines name the file, the field or column, and the row (CSV: the line of the file, header =
line 1; YAML: the line of the key). What is checked, in order:

1. YAML files (yaml_io.py): syntax (with line), duplicate keys, alias bombs, `extends` chains
   (missing or circular parents), file paths that leave the case folder.
2. Schema (schema.py, messages by schema_errors.py): unknown keys (with did-you-mean), types,
   ranges, kinds registered in gridplan/kinds.py.
3. CSV tables (case_tables.py, tables.py): missing file or column, duplicate columns, length,
   hour gaps/duplicates/order, NaN or text, range (profiles in [0, 1]), loads in kW, NUL bytes;
   outliers of series scaled to an annual energy (checks_bounds.py).
4. Cross-references (checks_refs.py, checks_targets.py): fuels, profiles, zones, periods,
   technologies/groups named by targets, the fields each target kind needs.
5. Numbers (checks_numbers.py): signs, non-finite values, maps naming undefined zones or
   periods, magnitudes that betray a wrong unit; target bounds (checks_targets.py); hard and
   plausibility bounds (checks_bounds.py; errors unless `allow_implausible: true`).
6. Infeasibility visible from the data (checks_fleets.py, history.py, checks_targets.py):
   build_min above build_max or potential, existing above potential, building in historical
   periods, targets above what can be built (or below what must remain), import minimum energy
   above what the channel can carry.

Warnings (listed by `gridplan validate`, never fatal): CSV files in the case folder that no
scenario uses, CSV columns that are not used, targets on historical periods.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from gridplan.case.case_tables import read_case_tables, unused_csv_files
from gridplan.case.checks_bounds import check_scenario, check_shapes
from gridplan.case.checks_fleets import check_fleets, check_imports
from gridplan.case.checks_numbers import check_magnitudes, check_maps, check_numbers
from gridplan.case.checks_refs import check_period_years, check_refs
from gridplan.case.checks_reserves import check_reserves
from gridplan.case.checks_retirement import check_retirement
from gridplan.case.checks_targets import (
    check_target_fields,
    check_target_magnitudes,
    check_target_numbers,
    check_target_reach,
)
from gridplan.case.history import check_history
from gridplan.case.loads import hourly_loads
from gridplan.case.schema import Scenario
from gridplan.case.schema_errors import validation_problems
from gridplan.case.yaml_io import at_yaml_lines, line_index, load_layers
from gridplan.errors import InputError, Problem


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

    def with_yaml_lines(self, problems: list[Problem]) -> list[Problem]:
        """Problems of scenario fields, pointed at the YAML file and line defining the field."""
        return at_yaml_lines(problems, str(self.path), self.locations)


def _hashable(node: Any, digests: dict[str, str]) -> Any:
    """The scenario as plain JSON-able data, file paths replaced by the digest of their bytes."""
    if isinstance(node, dict):
        return {str(k): _hashable(v, digests) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_hashable(v, digests) for v in node]
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
    h.update(json.dumps(_hashable(body, digests), sort_keys=True).encode())
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
    locations = line_index(index)
    own = {str(path): lines for path, lines in index}
    if not chain or any(p.is_error for p in problems[n0:]):
        problems[n0:] = at_yaml_lines(problems[n0:], str(chain[0]) if chain else "", locations, own)
        return None
    file = str(chain[0])
    s: Scenario | None = None
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        problems += validation_problems(e, file, data)
    except (RecursionError, TypeError, ValueError) as e:
        problems.append(Problem(file, message=f"cannot be checked against the schema: {e}"))
    tables, files = read_case_tables(data, file, problems)
    check_shapes(data, tables, files, problems)
    loads: dict[int, pd.DataFrame] = {}
    heat: dict[int, pd.DataFrame] = {}
    comps: dict[str, dict[int, pd.DataFrame]] = {}
    profiles = {
        k.split(".", 1)[1]: df for k, df in tables.items() if k.startswith("profiles.") and df is not None
    }
    if s is not None:
        before = len(problems)
        check_refs(s, file, problems)
        check_reserves(s, file, problems)
        check_target_fields(s, file, problems)
        check_period_years(s, file, problems)
        check_numbers(s, file, problems)
        check_target_numbers(s, file, problems)
        check_maps(s, file, problems)
        check_magnitudes(s, file, problems)
        check_target_magnitudes(s, file, problems)
        check_scenario(s, file, problems)
        scenario_ok = not any(p.is_error for p in problems[before:])
        if scenario_ok:
            check_fleets(s, file, problems)
            check_history(s, file, problems)
            check_retirement(s, file, problems)
        tables_ok = all(df is not None for df in tables.values())
        if scenario_ok and tables_ok:
            loads, heat, comps = hourly_loads(s, file, tables, problems)
        if scenario_ok:
            check_target_reach(s, file, problems, loads or None)
            check_imports(s, file, problems, profiles)
    problems += unused_csv_files(chain, files)
    problems[n0:] = at_yaml_lines(problems[n0:], file, locations, own)
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


def load_case(case: str | Path) -> Inputs:
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
    return load_case(case).input_hash
