"""A case: its schema, reading its YAML and CSV files, the checks that run before any solve, and
the one reader of per-period and per-zone values.

    schema.py          what scenario.yaml may contain (pydantic), with units and defaults
    schema_types.py    its number types, value forms, kind-name validators and strict base model
    schema_thermal.py  its option blocks of a thermal technology (commitment, retrofits, retirement)
    yaml_io.py         YAML with line numbers, `extends` layers, file paths, problems at their line
    schema_errors.py   pydantic errors as Problems naming file, field and line
    values.py          the value forms by period / zone / zone and period; target bounds
    tables.py          one hourly CSV table, checked
    case_tables.py     the tables a case names; CSV files nobody names
    loads.py           hourly electricity and heat demand per period
    checks_*.py        cross-references, numbers and units, plausibility bounds, fleets, targets
    history.py         historical periods
    margin.py          the reserve margin's capacity credits by resource, and their checks
    read.py            Inputs, read, load_case, the input hash
"""

from __future__ import annotations

from gridplan.case.paths import SCENARIO_FILE, case_file, is_dir, is_file
from gridplan.case.read import Inputs, case_hash, input_hash, load_case, read
from gridplan.case.schema import Scenario, Solver, Target, Technology, Time, cores
from gridplan.case.schema_errors import validation_problems
from gridplan.case.tables import HOURS
from gridplan.case.values import per_period, per_zone_period, period_values, target_bounds
from gridplan.case.yaml_io import load_layers, read_yaml

__all__ = [
    "HOURS",
    "SCENARIO_FILE",
    "Inputs",
    "Scenario",
    "Solver",
    "Target",
    "Technology",
    "Time",
    "case_file",
    "case_hash",
    "cores",
    "input_hash",
    "is_dir",
    "is_file",
    "load_case",
    "load_layers",
    "per_period",
    "per_zone_period",
    "period_values",
    "read",
    "read_yaml",
    "target_bounds",
    "validation_problems",
]
