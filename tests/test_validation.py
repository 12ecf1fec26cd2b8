"""Bad inputs (issue 10): a catalogue of corruptions of a valid tiny case, each giving a clear error
that names the file, the field or column and the row or line, and no result file; and random
corruptions (hypothesis) that give clean errors, never a traceback."""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from data.tiny import SCENARIO, write_tiny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gridplan.case import load_case, read
from gridplan.case.checks_targets import KIND_CHECKS, check_levels, kind_checks
from gridplan.cli import app
from gridplan.errors import InputError, Problem
from gridplan.kinds import TARGET_KINDS, TECH_KINDS
from gridplan.validate import check, report

Mutate = Callable[[Path], None]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` (what a person would count)."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in the scenario")


def sub(old: str, new: str) -> Mutate:
    """Replace text in scenario.yaml."""

    def f(d: Path) -> None:
        text = (d / "scenario.yaml").read_text(encoding="utf-8")
        assert old in text, old
        (d / "scenario.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")

    return f


def cell(name: str, row: int, column: str, value: str) -> Mutate:
    """Set one CSV cell; `row` is the file line (header = 1)."""

    def f(d: Path) -> None:
        df = pd.read_csv(d / name, dtype=str)
        df.loc[row - 2, column] = value
        df.to_csv(d / name, index=False)

    return f


def frame(name: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> Mutate:
    def f(d: Path) -> None:
        fn(pd.read_csv(d / name)).to_csv(d / name, index=False)

    return f


def text(name: str, content: str | bytes) -> Mutate:
    def f(d: Path) -> None:
        if isinstance(content, bytes):
            (d / name).write_bytes(content)
        else:
            (d / name).write_text(content, encoding="utf-8")

    return f


def both(*fs: Mutate) -> Mutate:
    def f(d: Path) -> None:
        for g in fs:
            g(d)

    return f


def remove(name: str) -> Mutate:
    return lambda d: (d / name).unlink()


@dataclass
class Bad:
    """One bad input: how to make it, and where the error must point."""

    id: str
    mutate: Mutate
    file: str  # name of the file the problem names
    field: str | None  # field path or CSV column; None: no field
    row: int | str | None  # CSV line, or a text to find in the YAML (its line), or None
    says: str  # a fragment of the message (what was found / expected)


def yaml_line(needle: str) -> str:
    return "yaml:" + needle


def nul_in(name: str, line: int) -> Mutate:
    """Put a NUL byte inside the first number of a CSV line (1-based, header = 1)."""

    def f(d: Path) -> None:
        lines = (d / name).read_bytes().split(b"\n")
        head, _, rest = lines[line - 1].partition(b",")
        lines[line - 1] = head + b"," + rest[:1] + b"\x00" + rest[1:]
        (d / name).write_bytes(b"\n".join(lines))

    return f


CATALOGUE = [
    # --- files ---
    Bad("missing scenario", remove("scenario.yaml"), "scenario.yaml", None, None, "file not found"),
    Bad(
        "missing csv",
        remove("load.csv"),
        "scenario.yaml",
        "demand.file",
        yaml_line("file: load.csv"),
        "not found",
    ),
    Bad(
        "csv path escapes case",
        both(sub("file: load.csv", "file: ../load.csv")),
        "scenario.yaml",
        "demand.file",
        yaml_line("file: ../load.csv"),
        "leaves the case folder",
    ),
    Bad(
        "absolute csv path",
        sub("solar: solar.csv", "solar: /etc/solar.csv"),
        "scenario.yaml",
        "profiles.solar",
        yaml_line("solar: /etc/solar.csv"),
        "leaves the case folder",
    ),
    Bad(
        "non-csv path escapes",
        sub("file: load.csv", "file: ../../etc/passwd"),
        "scenario.yaml",
        "demand.file",
        yaml_line("../../etc/passwd"),
        "leaves the case folder",
    ),
    # --- YAML ---
    Bad(
        "yaml syntax",
        sub("  b: {name_zh: 乙}", "  b: {name_zh: 乙"),
        "scenario.yaml",
        None,
        yaml_line("profiles:"),
        "YAML syntax error",
    ),
    Bad(
        "yaml bad indent",
        sub("    fuel: coal\n", "     fuel: coal\n"),
        "scenario.yaml",
        None,
        yaml_line("     fuel: coal"),
        "YAML syntax error",
    ),
    Bad(
        "yaml python tag",
        sub("name: tiny", "name: !!python/object/apply:os.system ['touch PWNED']"),
        "scenario.yaml",
        None,
        1,
        "YAML syntax error",
    ),
    Bad(
        "duplicate key",
        sub("  pv:\n", "  coal:\n    kind: thermal\n  pv:\n"),
        "scenario.yaml",
        "technologies.coal",
        26,
        "duplicate key 'coal' (first on line 18)",
    ),
    Bad(
        "not a mapping",
        text("scenario.yaml", "- just\n- a list\n"),
        "scenario.yaml",
        None,
        1,
        "expected a mapping",
    ),
    Bad(
        "extends missing parent",
        sub("name: tiny", "extends: ../nowhere"),
        "scenario.yaml",
        "extends",
        yaml_line("extends:"),
        "does not exist",
    ),
    Bad(
        "extends circular",
        both(sub("name: tiny", "extends: child.yaml"), text("child.yaml", "extends: scenario.yaml\n")),
        "child.yaml",
        "extends",
        None,
        "circular extends",
    ),
    # --- schema: keys, types ---
    Bad(
        "unknown key",
        sub("    capex: 4000", "    capx: 4000"),
        "scenario.yaml",
        "technologies.coal.capx",
        yaml_line("capx: 4000"),
        "unknown key 'capx' (did you mean 'capex'?)",
    ),
    Bad(
        "unknown top-level key",
        sub("technologies:", "technology:"),
        "scenario.yaml",
        "technology",
        yaml_line("technology:"),
        "did you mean 'technologies'?",
    ),
    Bad(
        "missing required field",
        sub("    kind: variable\n", ""),
        "scenario.yaml",
        "technologies.pv.kind",
        yaml_line("  pv:"),
        "missing required field 'kind'",
    ),
    Bad(
        "wrong type number",
        sub("    capex: 3000", "    capex: cheap"),
        "scenario.yaml",
        "technologies.pv.capex",
        yaml_line("capex: cheap"),
        "found 'cheap'; expected a number",
    ),
    Bad(
        "wrong type list",
        sub("periods: [2025, 2030]", "periods: 2025"),
        "scenario.yaml",
        "periods",
        yaml_line("periods: 2025"),
        "valid list",
    ),
    Bad(
        "unknown kind",
        sub("    kind: thermal", "    kind: nuclear"),
        "scenario.yaml",
        "technologies.coal.kind",
        yaml_line("kind: nuclear"),
        "'thermal', 'variable' or 'hydro'",
    ),
    Bad(
        "periods not increasing",
        sub("periods: [2025, 2030]", "periods: [2030, 2025]"),
        "scenario.yaml",
        "periods",
        2,
        "increasing",
    ),
    Bad(
        "period as zone key",
        sub("existing: {a: 100}", "existing: {2025: 100}"),
        "scenario.yaml",
        "technologies.coal.existing",
        yaml_line("existing: {2025"),
        "looks like a period",
    ),
    # --- values ---
    Bad(
        "negative number",
        sub("existing: {a: 100}", "existing: {a: -100}"),
        "scenario.yaml",
        "technologies.coal.existing.a",
        yaml_line("existing: {a: -100}"),
        "found -100; expected a value >= 0",
    ),
    Bad(
        "negative schema",
        sub("max_hours: 50", "max_hours: -50"),
        "scenario.yaml",
        "demand_response.ind.max_hours",
        yaml_line("max_hours: -50"),
        "greater than 0",
    ),
    Bad(
        "efficiency above 1",
        sub("eff_charge: 0.95", "eff_charge: 1.2"),
        "scenario.yaml",
        "storage.bat.eff_charge",
        yaml_line("eff_charge: 1.2"),
        "less than or equal to 1; found 1.2",
    ),
    Bad(
        "efficiency in percent",
        sub("eff_discharge: 0.95", "eff_discharge: 95"),
        "scenario.yaml",
        "storage.bat.eff_discharge",
        yaml_line("eff_discharge: 95"),
        "write 0.95 for 95%",
    ),
    Bad(
        "share above 1",
        sub("min: {2030: 0.3}", "min: {2030: 30}"),
        "scenario.yaml",
        "targets.clean.min.2030",
        yaml_line("clean:"),
        "expected a share in [0, 1]; it looks like a percentage: write 0.3",
    ),
    Bad(
        "target min above max",
        sub("min: {2030: 150}}", "min: {2030: 150}, max: {2030: 100}}"),
        "scenario.yaml",
        "targets.pv_2030.min",
        yaml_line("pv_2030"),
        "min 150 > max 100 in 2030",
    ),
    Bad(
        "build_min above build_max",
        sub("    build_max: 100\n", "    build_max: 100\n    build_min: 150\n"),
        "scenario.yaml",
        "technologies.coal.build_min",
        yaml_line("build_min: 150"),
        "build_min 150 MW > build_max 100 MW in zone 'a', period 2025",
    ),
    Bad(
        "duration min above max",
        sub("duration_min: 1", "duration_min: 10"),
        "scenario.yaml",
        "storage.bat.duration_min",
        yaml_line("duration_min: 10"),
        "duration_min 10 h > duration_max 8 h",
    ),
    Bad(
        "existing above potential",
        sub("potential: 500", "potential: 500\n    existing: {b: 600}"),
        "scenario.yaml",
        "technologies.pv.existing",
        yaml_line("existing: {b: 600}"),
        "600 MW in zone 'b', period 2025, above the potential 500 MW",
    ),
    Bad(
        "infinite where finite",
        sub("existing: {a: 100}", "existing: {a: .inf}"),
        "scenario.yaml",
        "technologies.coal.existing.a",
        yaml_line("existing: {a: .inf}"),
        "expected a finite number",
    ),
    Bad(
        "undefined period key",
        sub("annual_energy: {2025: 1500000, 2030: 1800000}", "annual_energy: {2025: 1500000, 2035: 1800000}"),
        "scenario.yaml",
        "demand.annual_energy.2035",
        yaml_line("annual_energy"),
        "period 2035 is not defined",
    ),
    Bad(
        "missing period value",
        sub("capex: 4000", "capex: {2025: 4000}"),
        "scenario.yaml",
        "technologies.coal.capex",
        yaml_line("capex: {2025: 4000}"),
        "no value for period(s) [2030]",
    ),
    # --- units by magnitude ---
    Bad(
        "capex in CNY/MW",
        sub("capex: 4000", "capex: 4000000"),
        "scenario.yaml",
        "technologies.coal.capex",
        yaml_line("capex: 4000000"),
        "is it in CNY/MW",
    ),
    Bad(
        "capex in 10k CNY/kW",
        sub("capex: 3000", "capex: 0.3"),
        "scenario.yaml",
        "technologies.pv.capex",
        yaml_line("capex: 0.3"),
        "万元/kW",
    ),
    Bad(
        "heat rate in tce/MWh",
        sub("heat_rate: 300", "heat_rate: 0.3"),
        "scenario.yaml",
        "technologies.coal.heat_rate",
        yaml_line("heat_rate: 0.3"),
        "150..600 gce/kWh",
    ),
    Bad(
        "flexibility retrofit raises the minimum",
        sub(
            "build_max: 100\n",
            "build_max: 100\n    commitment: {min_stable: 0.4}\n"
            "    retrofits: {flexibility: {capex: 100, min_stable: 0.5}}\n",
        ),
        "scenario.yaml",
        "technologies.coal.retrofits.flexibility.min_stable",
        None,
        "expected at most the unretrofitted commitment.min_stable 0.4",
    ),
    Bad(
        "fuel price per kgce",
        sub("price: 1000", "price: 1.0"),
        "scenario.yaml",
        "fuels.coal.price",
        yaml_line("coal: {price: 1.0"),
        "CNY/kgce",
    ),
    Bad(
        "existing in kW",
        sub("existing: {a: 100}", "existing: {a: 100000000}"),
        "scenario.yaml",
        "technologies.coal.existing.a",
        yaml_line("existing: {a: 100000000}"),
        "kW",
    ),
    Bad(
        "annual energy in kWh",
        sub("{2025: 1500000, 2030: 1800000}", "{2025: 1.5e+13, 2030: 1.8e+13}"),
        "scenario.yaml",
        "demand.annual_energy.2025",
        yaml_line("annual_energy"),
        "kWh",
    ),
    Bad(
        "load in kW",
        both(
            sub("  annual_energy: {2025: 1500000, 2030: 1800000}\n", ""),
            frame("load.csv", lambda df: df.assign(a=df["a"] * 1000 * 250)),
        ),
        "load.csv",
        "a",
        10,
        "is it in kW (÷1000)? expected MW",
    ),
    # --- references ---
    Bad(
        "undefined fuel",
        sub("    fuel: coal", "    fuel: cole"),
        "scenario.yaml",
        "technologies.coal.fuel",
        yaml_line("fuel: cole"),
        "fuel 'cole' is not defined (did you mean 'coal'?)",
    ),
    Bad(
        "undefined profile",
        sub("profile: solar", "profile: sun"),
        "scenario.yaml",
        "technologies.pv.profile",
        yaml_line("profile: sun"),
        "profile 'sun' is not defined",
    ),
    Bad(
        "link to undefined zone",
        sub("to: b,", "to: c,"),
        "scenario.yaml",
        "links.ab.to",
        yaml_line("ab: {from"),
        "zone 'c' is not defined",
    ),
    Bad(
        "undefined zone in mapping",
        sub("potential: {a: 10}", "potential: {c: 10}"),
        "scenario.yaml",
        "demand_response.ind.potential.c",
        yaml_line("ind: {potential"),
        "zone 'c' is not defined",
    ),
    Bad(
        "target names unknown group",
        sub("technologies: [solar_all]", "technologies: [solar_al]"),
        "scenario.yaml",
        "targets.pv_2030.technologies.0",
        yaml_line("pv_2030"),
        "technology or group 'solar_al' is not defined (did you mean 'solar_all'?)",
    ),
    Bad(
        "target names undefined period",
        sub("min: {2030: 150}", "min: {2040: 150}"),
        "scenario.yaml",
        "targets.pv_2030.min.2040",
        yaml_line("pv_2030"),
        "period 2040 is not defined",
    ),
    # --- infeasible before solving ---
    Bad(
        "capacity target above buildable",
        sub("min: {2030: 150}", "min: {2030: 1500}"),
        "scenario.yaml",
        "targets.pv_2030.min",
        yaml_line("pv_2030"),
        "at most 800 MW of ['pv'] can exist in 2030",
    ),
    Bad(
        "import minimum above capacity",
        sub("min_energy: 1000", "min_energy: 300000"),
        "scenario.yaml",
        "imports.hydro_in.min_energy",
        yaml_line("hydro_in"),
        "at most 262,800 MWh",
    ),
    Bad(
        "peak response above potential",
        sub("\ntime:", "\n  dr: {kind: peak_response, min: {2030: 0.5}}\ntime:"),
        "scenario.yaml",
        "targets.dr.min",
        yaml_line("dr: {kind"),
        "can provide at most 10 MW",
    ),
    # --- CSV tables ---
    Bad(
        "csv too short",
        frame("load.csv", lambda df: df.iloc[:8000]),
        "load.csv",
        "hour",
        None,
        "8000 data rows; expected 8760",
    ),
    Bad(
        "csv hour gap",
        frame("load.csv", lambda df: df.drop(index=99)),
        "load.csv",
        "hour",
        101,
        "found 101; expected 100",
    ),
    Bad(
        "csv duplicate hour",
        cell("load.csv", 51, "hour", "49"),
        "load.csv",
        "hour",
        51,
        "found 49; expected 50",
    ),
    Bad(
        "csv shuffled hours",
        frame("solar.csv", lambda df: df.iloc[np.r_[1, 0, 2 : len(df)]]),
        "solar.csv",
        "hour",
        2,
        "found 2; expected 1",
    ),
    Bad("csv empty cell", cell("load.csv", 201, "b", ""), "load.csv", "b", 201, "found an empty cell"),
    Bad("csv NaN", cell("load.csv", 202, "b", "NaN"), "load.csv", "b", 202, "expected a number"),
    Bad(
        "csv text", cell("load.csv", 301, "a", "n/a"), "load.csv", "a", 301, "found 'n/a'; expected a number"
    ),
    Bad("negative load", cell("load.csv", 11, "a", "-5"), "load.csv", "a", 11, "below the allowed range"),
    Bad(
        "profile above 1",
        cell("solar.csv", 14, "a", "1.5"),
        "solar.csv",
        "a",
        14,
        "found 1.5 p.u., above the allowed range [0, 1]",
    ),
    Bad(
        "profile in percent",
        frame("solar.csv", lambda df: df.assign(b=df["b"] * 100)),
        "solar.csv",
        "b",
        None,
        "it looks like percent",
    ),
    Bad(
        "profile negative",
        cell("imports.csv", 7, "hydro_in", "-0.1"),
        "imports.csv",
        "hydro_in",
        7,
        "below the allowed range",
    ),
    Bad(
        "csv missing column",
        frame("solar.csv", lambda df: df.rename(columns={"b": "B"})),
        "solar.csv",
        "b",
        1,
        "missing column (did you mean 'B'?)",
    ),
    Bad(
        "csv duplicate column",
        text("imports.csv", "hour,hydro_in,hydro_in\n" + "".join(f"{h},0.5,0.5\n" for h in range(1, 8761))),
        "imports.csv",
        "hydro_in",
        1,
        "more than once",
    ),
    Bad(
        "csv semicolons",
        text("imports.csv", "hour;hydro_in\n" + "".join(f"{h};0.5\n" for h in range(1, 8761))),
        "imports.csv",
        "hour",
        1,
        "separator looks like ';'",
    ),
    Bad(
        "csv zero-based hours",
        frame("imports.csv", lambda df: df.assign(hour=df["hour"] - 1)),
        "imports.csv",
        "hour",
        2,
        "hours look 0-based",
    ),
    Bad(
        "csv not utf-8",
        text("imports.csv", b"hour,hydro_in\n1,0.5\n" + "2,０.５\n".encode("gbk")),
        "imports.csv",
        None,
        None,
        "not UTF-8",
    ),
    Bad(
        "csv ragged row",
        text(
            "imports.csv",
            "hour,hydro_in\n" + "".join(f"{h},0.5\n" if h != 5 else "5,0.5,7\n" for h in range(1, 8761)),
        ),
        "imports.csv",
        None,
        6,
        "cannot read as CSV",
    ),
    Bad(
        "csv blank line",
        text(
            "imports.csv",
            "hour,hydro_in\n" + "".join(f"{h},0.5\n" if h != 5 else "\n5,0.5\n" for h in range(1, 8761)),
        ),
        "imports.csv",
        None,
        6,
        "",
    ),
    Bad("csv empty file", text("imports.csv", ""), "imports.csv", None, None, "cannot read as CSV"),
    # --- issue 20: YAML booleans are not numbers ---
    Bad(
        "boolean efficiency",
        sub("eff_charge: 0.95", "eff_charge: yes"),
        "scenario.yaml",
        "storage.bat.eff_charge",
        yaml_line("eff_charge: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean discount rate",
        sub("discount_rate: 0.05", "discount_rate: no"),
        "scenario.yaml",
        "discount_rate",
        yaml_line("discount_rate: no"),
        "YAML boolean",
    ),
    Bad(
        "boolean value of lost load",
        sub("value_of_lost_load: 20000", "value_of_lost_load: on"),
        "scenario.yaml",
        "value_of_lost_load",
        yaml_line("value_of_lost_load: on"),
        "YAML boolean",
    ),
    Bad(
        "boolean per-period capex",
        sub("    capex: 4000", "    capex: true"),
        "scenario.yaml",
        "technologies.coal.capex",
        yaml_line("capex: true"),
        "found True; expected a number",
    ),
    Bad(
        "boolean days",
        sub("days: 2}", "days: yes}"),
        "scenario.yaml",
        "time.days",
        yaml_line("days: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean period",
        sub("periods: [2025, 2030]", "periods: [yes, 2030]"),
        "scenario.yaml",
        "periods.0",
        yaml_line("periods: [yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean link loss",
        sub("loss: 0.02}", "loss: yes}"),
        "scenario.yaml",
        "links.ab.loss",
        yaml_line("loss: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean import capacity",
        sub("hydro_in: {zone: a, capacity: 50", "hydro_in: {zone: a, capacity: true"),
        "scenario.yaml",
        "imports.hydro_in.capacity",
        yaml_line("capacity: true"),
        "found True",
    ),
    Bad(
        "boolean existing by zone",
        sub("    existing: {a: 100}", "    existing: {a: yes}"),
        "scenario.yaml",
        "technologies.coal.existing.a",
        yaml_line("existing: {a: yes}"),
        "found True; expected a number [MW]",
    ),
    Bad(
        "boolean period years",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: yes, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "YAML boolean",
    ),
    Bad(
        "boolean target bound",
        sub("min: {2030: 0.3}", "min: {2030: yes}"),
        "scenario.yaml",
        "targets.clean.min.2030",
        yaml_line("clean:"),
        "found True; expected a number",
    ),
    Bad(
        "boolean DR max hours",
        sub("max_hours: 50}", "max_hours: yes}"),
        "scenario.yaml",
        "demand_response.ind.max_hours",
        yaml_line("max_hours: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean soft penalty",
        sub("time: {", "soft_penalty: yes\ntime: {"),
        "scenario.yaml",
        "soft_penalty",
        yaml_line("soft_penalty: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean zone latitude",
        sub("a: {name_zh: 甲}", "a: {name_zh: 甲, lat: yes}"),
        "scenario.yaml",
        "zones.a.lat",
        yaml_line("lat: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean solver threads",
        sub("time: {", "solver: {threads: yes}\ntime: {"),
        "scenario.yaml",
        "solver.threads",
        yaml_line("threads: yes"),
        "YAML boolean",
    ),
    Bad(
        "boolean time limit",
        sub("time: {", "solver: {time_limit: on}\ntime: {"),
        "scenario.yaml",
        "solver.time_limit",
        yaml_line("time_limit: on"),
        "YAML boolean",
    ),
    # --- issue 20: solver options checked against their meaning ---
    Bad(
        "tolerance too loose",
        sub("time: {", "solver: {tolerance: 0.1}\ntime: {"),
        "scenario.yaml",
        "solver.tolerance",
        yaml_line("tolerance: 0.1"),
        "less than or equal to 0.0001",
    ),
    Bad(
        "tolerance absurd",
        sub("time: {", "solver: {tolerance: 10}\ntime: {"),
        "scenario.yaml",
        "solver.tolerance",
        yaml_line("tolerance: 10"),
        "less than or equal to 0.0001",
    ),
    Bad(
        "tolerance too tight",
        sub("time: {", "solver: {tolerance: 1.0e-15}\ntime: {"),
        "scenario.yaml",
        "solver.tolerance",
        yaml_line("tolerance: 1.0e-15"),
        "greater than or equal to 0.0000000001",
    ),
    Bad(
        "threads beyond the cores",
        sub("time: {", "solver: {threads: 100000}\ntime: {"),
        "scenario.yaml",
        "solver.threads",
        yaml_line("threads: 100000"),
        "the cores of this machine",
    ),
    Bad(
        "unknown HiGHS option",
        sub("time: {", "solver: {options: {primal_feasibilty_tolerance: 1.0e-7}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "did you mean 'primal_feasibility_tolerance'",
    ),
    Bad(
        "HiGHS option of the wrong type",
        sub("time: {", "solver: {options: {simplex_iteration_limit: fast}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "expected a int",
    ),
    Bad(
        "HiGHS option out of its range",
        sub("time: {", "solver: {options: {simplex_strategy: 99}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "outside the values HiGHS accepts",
    ),
    Bad(
        "HiGHS option choice unknown",
        sub("time: {", "solver: {options: {presolve: maybe}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "outside the values HiGHS accepts",
    ),
    Bad(
        "HiGHS tolerance option too loose",
        sub("time: {", "solver: {options: {dual_feasibility_tolerance: 0.1}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "wrong answer marked optimal",
    ),
    Bad(
        "HiGHS ipm tolerance too loose",
        sub("time: {", "solver: {options: {ipm_optimality_tolerance: 10}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "expected a tolerance",
    ),
    Bad(
        "HiGHS option changes the model",
        sub("time: {", "solver: {options: {small_matrix_value: 1}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "matrix entries below it would be dropped",
    ),
    Bad(
        "HiGHS option cuts the objective",
        sub("time: {", "solver: {options: {objective_bound: 0}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "is not allowed",
    ),
    Bad(
        "HiGHS option writes a file",
        sub("time: {", "solver: {options: {solution_file: x.sol}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "writes its own files",
    ),
    Bad(
        "HiGHS threads option beyond the cores",
        sub("time: {", "solver: {options: {threads: 100000}}\ntime: {"),
        "scenario.yaml",
        "solver.options",
        yaml_line("options:"),
        "the cores of this machine",
    ),
    Bad(
        "hourly check workers beyond the cores",
        sub("time: {", "hourly_check: {workers: 100000}\ntime: {"),
        "scenario.yaml",
        "hourly_check.workers",
        yaml_line("workers: 100000"),
        "the cores of this machine",
    ),
    Bad(
        "hourly check workers negative",
        sub("time: {", "hourly_check: {workers: -1}\ntime: {"),
        "scenario.yaml",
        "hourly_check.workers",
        yaml_line("workers: -1"),
        "greater than or equal to 0",
    ),
    # --- issue 20: time and money fields ---
    Bad(
        "base year centuries before",
        sub("discount_rate: 0.05", "discount_rate: 0.05\nbase_year: 1700"),
        "scenario.yaml",
        "base_year",
        yaml_line("base_year: 1700"),
        "within 50 years of the periods",
    ),
    Bad(
        "base year centuries after",
        sub("discount_rate: 0.05", "discount_rate: 0.05\nbase_year: 2500"),
        "scenario.yaml",
        "base_year",
        yaml_line("base_year: 2500"),
        "every cost vanish or explode",
    ),
    Bad(
        "fractional period years",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: 2.5, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "expected whole years",
    ),
    Bad(
        "period years below one",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: 0.4, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "expected whole years",
    ),
    Bad(
        "period years absurd",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: 1.0e+9, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "less than or equal to 100",
    ),
    Bad(
        "period years zero",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: 0, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "greater than or equal to 1",
    ),
    Bad(
        "period years negative",
        sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: -5, 2030: 5}"),
        "scenario.yaml",
        "period_years.2025",
        yaml_line("period_years:"),
        "greater than or equal to 1",
    ),
    Bad(
        "periods centuries apart",
        both(
            sub("period_years: {2025: 5, 2030: 5}\n", ""),
            sub("periods: [2025, 2030]", "periods: [2025, 2030, 2140]"),
        ),
        "scenario.yaml",
        "periods",
        yaml_line("periods:"),
        "at most 100 years per period",
    ),
    Bad(
        "negative period",
        sub("periods: [2025, 2030]", "periods: [-5, 2025, 2030]"),
        "scenario.yaml",
        "periods.0",
        yaml_line("periods:"),
        "expected a year in 1950..2150",
    ),
    Bad(
        "period in the far future",
        sub("periods: [2025, 2030]", "periods: [2025, 2030, 3000]"),
        "scenario.yaml",
        "periods.2",
        yaml_line("periods:"),
        "allow_implausible",
    ),
    # --- issue 20: absurd values (plausibility bounds, allow_implausible overrides) ---
    Bad(
        "value of lost load tiny",
        sub("value_of_lost_load: 20000", "value_of_lost_load: 1.0e-6"),
        "scenario.yaml",
        "value_of_lost_load",
        yaml_line("value_of_lost_load:"),
        "outside the plausible range 1000..1e+06 CNY/MWh",
    ),
    Bad(
        "value of lost load huge",
        sub("value_of_lost_load: 20000", "value_of_lost_load: 1.0e+12"),
        "scenario.yaml",
        "value_of_lost_load",
        yaml_line("value_of_lost_load:"),
        "outside the plausible range",
    ),
    Bad(
        "variable cost 1e300",
        sub("    heat_rate: 300\n", "    heat_rate: 300\n    vom: 1.0e+300\n"),
        "scenario.yaml",
        "technologies.coal.vom",
        yaml_line("vom:"),
        "outside the plausible range 0..100000 CNY/MWh",
    ),
    Bad(
        "dispatch cost 1e300",
        sub("dispatch_cost: 2000", "dispatch_cost: 1.0e+300"),
        "scenario.yaml",
        "demand_response.ind.dispatch_cost",
        yaml_line("dispatch_cost:"),
        "outside the plausible range",
    ),
    Bad(
        "contract cost absurd",
        sub("fixed_cost: 20", "fixed_cost: 1.0e+9"),
        "scenario.yaml",
        "demand_response.ind.fixed_cost",
        yaml_line("fixed_cost:"),
        "CNY/kW-yr",
    ),
    Bad(
        "fixed O&M absurd",
        sub("    potential: 500\n", "    potential: 500\n    fom: 1.0e+9\n"),
        "scenario.yaml",
        "technologies.pv.fom",
        yaml_line("fom:"),
        "outside the plausible range",
    ),
    Bad(
        "lifetime of a thousandth of a year",
        sub("    lifetime: 30", "    lifetime: 0.001"),
        "scenario.yaml",
        "technologies.coal.lifetime",
        yaml_line("lifetime: 0.001"),
        "outside the plausible range 1..100 years",
    ),
    Bad(
        "lifetime of a millennium",
        sub("    lifetime: 30", "    lifetime: 1000"),
        "scenario.yaml",
        "technologies.coal.lifetime",
        yaml_line("lifetime: 1000"),
        "set allow_implausible: true",
    ),
    Bad(
        "storage lifetime absurd",
        sub("    build_max: 50\n", "    build_max: 50\n    lifetime: 0.01\n"),
        "scenario.yaml",
        "storage.bat.lifetime",
        yaml_line("lifetime: 0.01"),
        "outside the plausible range",
    ),
    Bad(
        "link lifetime absurd",
        sub("loss: 0.02}", "loss: 0.02, lifetime: 5000}"),
        "scenario.yaml",
        "links.ab.lifetime",
        yaml_line("lifetime: 5000"),
        "outside the plausible range",
    ),
    # --- issue 20: outliers of series scaled to annual_energy, NUL bytes ---
    Bad("load cell 1e308", cell("load.csv", 5, "a", "1e308"), "load.csv", "a", 5, "a finite number"),
    Bad(
        "load cell 10000 times its neighbours",
        cell("load.csv", 100, "a", "1000000"),
        "load.csv",
        "a",
        100,
        "times the column's mean",
    ),
    Bad(
        "load cell 100 times its neighbours",
        cell("load.csv", 7, "b", "6000"),
        "load.csv",
        "b",
        7,
        "an outlier",
    ),
    Bad("NUL byte in a load number", nul_in("load.csv", 10), "load.csv", "a", 10, "NUL byte"),
    Bad("NUL byte in a profile", nul_in("solar.csv", 30), "solar.csv", "a", 30, "NUL byte"),
    Bad("NUL byte in an import profile", nul_in("imports.csv", 2), "imports.csv", "hydro_in", 2, "NUL byte"),
    # --- issue 20: output names (results/<name>) ---
    Bad(
        "name climbs out of results",
        sub("name: tiny", "name: ../../x"),
        "scenario.yaml",
        "name",
        yaml_line("name: ../../x"),
        "expected a plain folder name",
    ),
    Bad(
        "name is an absolute path",
        sub("name: tiny", "name: /tmp/x"),
        "scenario.yaml",
        "name",
        yaml_line("name: /tmp/x"),
        "expected a plain folder name",
    ),
    Bad(
        "name is dot-dot",
        sub("name: tiny", "name: '..'"),
        "scenario.yaml",
        "name",
        yaml_line("name: '..'"),
        "expected a plain folder name",
    ),
    Bad(
        "name is empty",
        sub("name: tiny", "name: ''"),
        "scenario.yaml",
        "name",
        yaml_line("name: ''"),
        "an empty name",
    ),
    Bad(
        "name with a backslash",
        sub("name: tiny", "name: 'a\\b'"),
        "scenario.yaml",
        "name",
        yaml_line("name: 'a"),
        "expected a plain folder name",
    ),
    Bad(
        "name with a control character",
        sub("name: tiny", 'name: "a\\tb"'),
        "scenario.yaml",
        "name",
        yaml_line('name: "a'),
        "control",
    ),
    Bad(
        "csv name too long for the file system",
        sub("file: load.csv", "file: " + "l" * 300 + ".csv"),
        "scenario.yaml",
        "demand.file",
        yaml_line("file: lll"),
        "not found",
    ),
    Bad(
        "name too long",
        sub("name: tiny", "name: " + "x" * 300),
        "scenario.yaml",
        "name",
        yaml_line("name: xxx"),
        "expected at most 120",
    ),
]


def make(tmp: Path, bad: Bad) -> Path:
    d = write_tiny(tmp / "case")
    bad.mutate(d)
    return d


def expected_row(bad: Bad, case: Path) -> int | None:
    if isinstance(bad.row, str):
        return line_of((case / "scenario.yaml").read_text(encoding="utf-8"), bad.row[5:])
    return bad.row


def matches(p: Problem, bad: Bad, case: Path) -> bool:
    row = expected_row(bad, case)
    return (
        p.is_error
        and Path(p.file).name == bad.file
        and (bad.field is None or p.field == bad.field)
        and (bad.row is None or p.row == row)
        and bad.says in p.message
    )


def test_tiny_case_is_clean(tmp_path: Path) -> None:
    assert check(write_tiny(tmp_path)) == []


def test_catalogue_is_large_and_distinct() -> None:
    assert len(CATALOGUE) >= 120
    assert len({b.id for b in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("bad", CATALOGUE, ids=[b.id for b in CATALOGUE])
def test_bad_input_is_named(tmp_path: Path, bad: Bad) -> None:
    """validate lists a problem naming the file, field/column and row/line; load raises InputError."""
    case = make(tmp_path, bad)
    problems = check(case)
    assert any(matches(p, bad, case) for p in problems), "\n".join(map(str, problems))
    with pytest.raises(InputError) as e:
        load_case(case)
    assert any(matches(p, bad, case) for p in e.value.problems)
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


RUNNER = CliRunner()


@pytest.mark.parametrize("bad", CATALOGUE[::4], ids=[b.id for b in CATALOGUE[::4]])
def test_cli_run_on_bad_input_writes_nothing(tmp_path: Path, bad: Bad) -> None:
    """`gridplan run` exits 2 with the problem on stderr, and no results.nc appears."""
    case = make(tmp_path, bad)
    out = tmp_path / "out"
    r = RUNNER.invoke(app, ["run", str(case), "--out", str(out), "--no-report"])
    assert r.exit_code == 2, r.output
    assert not out.exists() or not any(out.iterdir())
    v = RUNNER.invoke(app, ["validate", str(case)])
    assert v.exit_code == 2


def test_validate_lists_every_problem(tmp_path: Path) -> None:
    """Several problems at once, in the YAML and in two CSVs: all are listed, with lines and rows."""
    case = write_tiny(tmp_path)
    for m in (
        sub("    capex: 4000", "    capx: 4000"),
        sub("eff_charge: 0.95", "eff_charge: 1.2"),
        cell("load.csv", 301, "a", "n/a"),
        cell("solar.csv", 14, "a", "1.5"),
    ):
        m(case)
    problems = check(case)
    found = {(Path(p.file).name, p.field, p.row) for p in problems}
    eff = line_of(SCENARIO, "eff_charge")
    assert {
        ("scenario.yaml", "technologies.coal.capx", line_of(SCENARIO, "capex: 4000")),
        ("scenario.yaml", "storage.bat.eff_charge", eff),
        ("load.csv", "a", 301),
        ("solar.csv", "a", 14),
    } <= found
    text_, code = report(case, problems)
    assert code == 2 and "4 error(s)" in text_
    assert f"scenario.yaml, field/column 'storage.bat.eff_charge', line {eff}: " in text_
    assert "load.csv, field/column 'a', row 301: found 'n/a'; expected a number" in text_


def test_message_format(tmp_path: Path) -> None:
    """A message reads: file, field/column 'x', row N: found ...; expected ..."""
    case = make(tmp_path, CATALOGUE[[b.id for b in CATALOGUE].index("csv text")])
    (p,) = [p for p in check(case) if p.field == "a"]
    assert str(p).endswith(
        "load.csv, field/column 'a', row 301: found 'n/a'; expected a number (1 such rows)"
    )


def test_yaml_error_in_parent_names_parent(tmp_path: Path) -> None:
    """A problem in a field the parent defines points at the parent's file and line."""
    parent = write_tiny(tmp_path / "base")
    sub("eff_charge: 0.95", "eff_charge: 1.5")(parent)
    child = tmp_path / "variant.yaml"
    child.write_text("extends: base\nname: variant\ndiscount_rate: 0.08\n")
    problems = check(child)
    (p,) = [p for p in problems if p.field == "storage.bat.eff_charge"]
    assert Path(p.file) == (parent / "scenario.yaml").resolve()
    assert p.row == line_of(SCENARIO, "eff_charge")


def test_extends_child_overrides_and_csv_paths_follow_their_yaml(tmp_path: Path) -> None:
    """CSV paths are resolved against the folder of the YAML that names them."""
    write_tiny(tmp_path / "base")
    (tmp_path / "variants").mkdir()
    (tmp_path / "variants" / "more.yaml").write_text(
        "extends: ../base\nname: more\ndemand: {annual_energy: {2025: 2.0e+6, 2030: 2.0e+6}}\n"
    )
    inputs = load_case(tmp_path / "variants" / "more.yaml")
    assert inputs.files["demand.file"] == (tmp_path / "base" / "load.csv").resolve()
    assert float(inputs.load[2030].to_numpy().sum()) == pytest.approx(2.0e6)


def test_extra_files_are_warnings_not_errors(tmp_path: Path) -> None:
    """An unused CSV in the case folder is listed by validate (exit 0); run does not fail on it."""
    case = write_tiny(tmp_path / "case")
    (case / "old_load.csv").write_text("hour,a\n1,1\n")
    pd.read_csv(case / "imports.csv").assign(spare=0.5).to_csv(case / "imports.csv", index=False)
    problems = check(case)
    assert problems and not [p for p in problems if p.is_error]
    assert {(Path(p.file).name, p.field) for p in problems} == {
        ("old_load.csv", ""),
        ("imports.csv", "spare"),
    }
    text_, code = report(case, problems)
    assert code == 0 and "warning: " in text_ and "old_load.csv" in text_
    inputs = load_case(case)
    assert len(inputs.warnings) == 2


def test_other_scenarios_in_the_folder_are_not_extra(tmp_path: Path) -> None:
    """A CSV named by a sibling scenario YAML is not flagged as unused."""
    case = write_tiny(tmp_path / "case")
    (case / "ev.csv").write_text("hour,a\n")
    (case / "ev-variant.yaml").write_text(
        "extends: scenario.yaml\ndemand: {components: {ev: {file: ev.csv, annual_energy: 1000}}}\n"
    )
    assert [p for p in check(case) if "ev.csv" in p.file] == []


def test_nothing_in_a_case_is_executed(tmp_path: Path) -> None:
    """Python tags are refused by the safe loader; the command never runs."""
    case = write_tiny(tmp_path)
    marker = tmp_path / "PWNED"
    sub("name: tiny", f"name: !!python/object/apply:os.system ['touch {marker}']")(case)
    with pytest.raises(InputError, match="YAML syntax error"):
        load_case(case)
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """A 'billion laughs' YAML is refused before anything expands it."""
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (tmp_path / "scenario.yaml").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="alias bomb"):
        load_case(tmp_path)


def test_solver_override_is_validated(tmp_path: Path) -> None:
    from gridplan.pipeline import run

    with pytest.raises(InputError, match="time_limit"):
        run(write_tiny(tmp_path), solver={"time_limit": -1})


# --------------------------------------------------------------------------------------------
# random corruptions (hypothesis): a clean error or a pass, never another exception

TEMPLATE: dict[str, Path] = {}


def fresh() -> Path:
    """A fresh copy of the tiny case in a new folder under one temporary root, removed at exit."""
    if "dir" not in TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="gridplan-bad-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        TEMPLATE["root"] = root
        TEMPLATE["dir"] = write_tiny(root / "tiny")
    d = Path(tempfile.mkdtemp(dir=TEMPLATE["root"]))
    shutil.copytree(TEMPLATE["dir"], d, dirs_exist_ok=True)
    return d


def outcome(case: Path) -> list[Problem]:
    """check() returns problems or []; load_case() raises only InputError, and agrees with check."""
    problems = check(case)
    try:
        load_case(case)
    except InputError as e:
        assert e.problems and all(isinstance(p, Problem) for p in e.problems)
        assert [p for p in problems if p.is_error], "load failed where validate saw no error"
        for p in e.problems:
            assert p.file and str(p)
    else:
        assert not [p for p in problems if p.is_error and "cannot be met" not in p.message]
    return problems


def paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every key path of a nested mapping/list."""
    out: list[tuple[object, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*prefix, i))
            out += paths(v, (*prefix, i))
    return out


BASE = yaml.safe_load(SCENARIO)
KEYS = paths(BASE)
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _set(node: object, path: tuple[object, ...], value: object, delete: bool) -> None:
    for k in path[:-1]:
        node = node[k]  # type: ignore[index]
    if delete:
        del node[path[-1]]  # type: ignore[attr-defined]
    else:
        node[path[-1]] = value  # type: ignore[index]


@FAST
@given(st.lists(st.tuples(st.sampled_from(KEYS), JUNK, st.booleans()), min_size=1, max_size=3))
def test_random_yaml_values(edits: list[tuple[tuple[object, ...], object, bool]]) -> None:
    """Delete keys or put values of another type anywhere in the scenario."""
    data = yaml.safe_load(SCENARIO)
    for path, value, delete in edits:
        try:
            _set(data, path, value, delete)
        except (KeyError, IndexError, TypeError):
            continue
    case = fresh()
    (case / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outcome(case)


@FAST
@given(st.integers(0, len(SCENARIO) - 1), st.integers(0, 40), st.text(max_size=6))
def test_random_yaml_text(at: int, cut: int, insert: str) -> None:
    """Cut and insert random characters (any unicode) anywhere in the YAML text."""
    case = fresh()
    (case / "scenario.yaml").write_text(SCENARIO[:at] + insert + SCENARIO[at + cut :], encoding="utf-8")
    outcome(case)


CORRUPT = st.sampled_from(
    [
        "text",
        "nan",
        "negative",
        "huge",
        "empty",
        "truncate",
        "duplicate",
        "shuffle",
        "drop_column",
        "big_profile",
        "blank_line",
    ]
)


@FAST
@given(
    st.sampled_from(["load.csv", "solar.csv", "imports.csv"]),
    CORRUPT,
    st.integers(0, 8759),
    st.integers(1, 500),
)
def test_random_csv_corruptions(name: str, how: str, row: int, n: int) -> None:
    """Text, NaN, negative or huge cells, truncation, duplicated or shuffled rows, dropped columns."""
    case = fresh()
    df = pd.read_csv(case / name)
    col = df.columns[-1]
    if how == "text":
        df[col] = df[col].astype(object)
        df.loc[row, col] = "x"
    elif how == "nan":
        df.loc[row, col] = np.nan
    elif how == "negative":
        df.loc[row, col] = -1.0
    elif how == "huge":
        df.loc[row, col] = 1e12
    elif how == "empty":
        df = df.iloc[:0]
    elif how == "truncate":
        df = df.iloc[: max(0, len(df) - n)]
    elif how == "duplicate":
        df = pd.concat([df.iloc[: row + 1], df.iloc[row : row + n], df.iloc[row + 1 :]])
    elif how == "shuffle":
        df = df.sample(frac=1.0, random_state=row)
    elif how == "drop_column":
        df = df.drop(columns=[col])
    elif how == "big_profile":
        df[col] = df[col] * (1 + n)
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    content = buf.getvalue()
    if how == "blank_line":
        lines = content.splitlines(keepends=True)
        content = "".join([*lines[: row + 1], "\n", *lines[row + 1 :]])
    (case / name).write_text(content)
    problems = outcome(case)
    if how in ("text", "nan", "negative", "empty", "truncate", "duplicate", "drop_column", "blank_line"):
        assert any(p.is_error and Path(p.file).name == name for p in problems)


@FAST
@given(st.binary(max_size=200))
def test_random_bytes(blob: bytes) -> None:
    """Arbitrary bytes as scenario.yaml or as a CSV."""
    case = fresh()
    (case / "scenario.yaml").write_bytes(blob)
    assert outcome(case)
    case = fresh()
    (case / "solar.csv").write_bytes(blob)
    assert any(p.is_error for p in outcome(case))


def test_read_collects_yaml_and_csv_problems_together(tmp_path: Path) -> None:
    """read() keeps going after schema problems: CSV problems are listed in the same pass."""
    case = write_tiny(tmp_path)
    sub("kind: variable", "kind: sun")(case)
    cell("load.csv", 5, "a", "x")(case)
    problems: list[Problem] = []
    assert read(case, problems) is None
    assert {Path(p.file).name for p in problems} == {"scenario.yaml", "load.csv"}


# --------------------------------------------------------------------------------------------
# random numbers in the scenario's numeric fields and solver options (issue 20)


def _get(node: object, path: tuple[object, ...]) -> object:
    for k in path:
        node = node[k]  # type: ignore[index]
    return node


def _put(node: dict[str, object], path: tuple[object, ...], value: object) -> None:
    """Set a value, creating the sections on the way (solver, hourly_check, ...)."""
    for k in path[:-1]:
        node = node.setdefault(k, {})  # type: ignore[assignment, arg-type]
    node[path[-1]] = value  # type: ignore[index]


NUMERIC = [
    p for p in KEYS if isinstance(_get(BASE, p), int | float) and not isinstance(_get(BASE, p), bool)
] + [
    ("solver", "tolerance"),
    ("solver", "threads"),
    ("solver", "time_limit"),
    ("hourly_check", "workers"),
    ("hourly_check", "window_days"),
    ("base_year",),
    ("soft_penalty",),
    ("storage", "bat", "self_discharge"),
    ("technologies", "coal", "vom"),
    ("technologies", "coal", "fom"),
    ("demand_response", "ind", "max_hours_day"),
]
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**15), 10**15),
    st.booleans(),
    st.sampled_from([0, -0.0, 1e-300, 1e300, 1e308, 0.5, 2.5, 1e9, -1]),
)


def names_field(p: Problem, path: tuple[object, ...]) -> bool:
    """The problem points at the field (or at the mapping holding it, or at an entry inside it)."""
    dotted = ".".join(str(k) for k in path)
    return bool(p.field) and (dotted.startswith(p.field) or p.field.startswith(dotted))


@FAST
@given(st.sampled_from(NUMERIC), NUMBER)
def test_random_numbers_in_numeric_fields(path: tuple[object, ...], value: object) -> None:
    """Any value in any numeric field: a clean pass, or errors (never a traceback); a boolean or a
    NaN is always an error that names the field."""
    data = yaml.safe_load(SCENARIO)
    _put(data, path, value)
    case = fresh()
    (case / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = [p for p in outcome(case) if p.is_error]
    if isinstance(value, bool) or (isinstance(value, float) and value != value):
        assert any(names_field(p, path) for p in problems), (path, value, [str(p) for p in problems])


OPTION_NAMES = [
    "primal_feasibility_tolerance",
    "dual_feasibility_tolerance",
    "ipm_optimality_tolerance",
    "simplex_strategy",
    "simplex_iteration_limit",
    "threads",
    "presolve",
    "random_seed",
    "time_limit",
    "run_crossover",
    "small_matrix_value",
    "infinite_cost",
    "mip_rel_gap",
    "primal_feasibilty_tolerance",
]
SOLVER_FIELDS = ["tolerance", "threads", "time_limit", "presolve", "crossover", "method"]
REFERENCE: dict[str, float] = {}


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.tuples(st.just("field"), st.sampled_from(SOLVER_FIELDS), NUMBER | st.text(max_size=6)),
        st.tuples(
            st.just("option"), st.sampled_from(OPTION_NAMES), NUMBER | st.sampled_from(["on", "off", "x"])
        ),
    )
)
def test_random_solver_options_never_give_a_wrong_optimum(kind_name_value: tuple[str, str, object]) -> None:
    """Any solver setting or HiGHS option: exit 2 naming the solver field, a solver outcome
    (3-6), or exit 0 with the optimal objective of the default settings (to 1e-6): never a
    traceback (exit 1), never a wrong answer marked optimal."""
    kind, name, value = kind_name_value
    data = yaml.safe_load(SCENARIO)
    _put(data, ("solver", name) if kind == "field" else ("solver", "options", name), value)
    case = fresh()
    if "objective" not in REFERENCE:
        REFERENCE["objective"] = float(load_and_run(case))
    (case / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = case / "out"
    r = RUNNER.invoke(app, ["run", str(case), "--out", str(out), "--no-report"])
    assert r.exit_code in (0, 2, 3, 4, 5, 6), (r.exit_code, r.output, r.exception)
    if r.exit_code == 2:
        assert "solver" in r.output and not (out / "results.nc").exists()
    if r.exit_code == 0:
        import xarray as xr

        with xr.open_dataset(out / "results.nc") as ds:
            assert ds.attrs["solver_status"] == "optimal"
            assert ds.attrs["objective"] == pytest.approx(REFERENCE["objective"], rel=1e-6)


def load_and_run(case: Path) -> float:
    from gridplan.pipeline import run

    return float(run(case).attrs["objective"])


def test_allow_implausible_turns_plausibility_errors_into_warnings(tmp_path: Path) -> None:
    """value_of_lost_load 1e-6, a lifetime of 1000 years and a load outlier are errors; with
    `allow_implausible: true` they are warnings and the case loads. Hard bounds stay errors."""
    case = write_tiny(tmp_path / "case")
    sub("value_of_lost_load: 20000", "value_of_lost_load: 1.0e-6")(case)
    sub("    lifetime: 30", "    lifetime: 1000")(case)
    cell("load.csv", 100, "a", "1000000")(case)
    errors = {p.field for p in check(case) if p.is_error}
    assert {"value_of_lost_load", "technologies.coal.lifetime", "a"} <= errors
    sub("name: tiny", "name: tiny\nallow_implausible: true")(case)
    problems = check(case)
    assert not [p for p in problems if p.is_error], [str(p) for p in problems]
    assert {"value_of_lost_load", "technologies.coal.lifetime", "a"} <= {p.field for p in problems}
    assert load_case(case).scenario.value_of_lost_load == 1e-6
    sub("discount_rate: 0.05", "discount_rate: 0.05\nbase_year: 1700")(case)
    assert any(p.is_error and p.field == "base_year" for p in check(case))


def test_numbers_stay_numbers(tmp_path: Path) -> None:
    """The strict number type keeps integers, floats, 'inf' and exponent forms working."""
    case = write_tiny(tmp_path / "case")
    sub("eff_charge: 0.95", "eff_charge: 1")(case)
    sub("    build_max: 100", "    build_max: .inf")(case)
    sub("capex_power: 500", "capex_power: 5.0e+2")(case)
    sub("period_years: {2025: 5, 2030: 5}", "period_years: {2025: 5.0, 2030: 5}")(case)
    s = load_case(case).scenario
    assert s.storage["bat"].eff_charge == 1.0 and s.period_years == {2025: 5, 2030: 5}
    assert s.technologies["coal"].build_max == float("inf") and s.storage["bat"].capex_power == 500.0


def test_kinds_come_from_the_registries(tmp_path: Path) -> None:
    """A kind is valid when gridplan/kinds.py registers it: the error for an unknown one lists
    every registered kind, in registry order, as pydantic lists a Literal's values."""
    case = write_tiny(tmp_path / "case")
    sub("    kind: thermal", "    kind: nuclear")(case)
    sub("kind: non_fossil_share", "kind: non_fossil")(case)
    by_field = {p.field: p.message for p in check(case)}

    def listed(names: list[str]) -> str:
        return ", ".join(repr(k) for k in names[:-1]) + f" or {names[-1]!r}"

    assert (
        by_field["technologies.coal.kind"] == f"Input should be {listed(list(TECH_KINDS))}; found 'nuclear'"
    )
    assert (
        by_field["targets.clean.kind"] == f"Input should be {listed(list(TARGET_KINDS))}; found 'non_fossil'"
    )
    assert "'capacity', 'non_fossil_share'," in by_field["targets.clean.kind"]


def test_target_checks_are_registered_for_known_kinds() -> None:
    """Every kind with checks of its own is a registered target kind; co2_peak states its level
    with base_level, so it alone skips the 'needs min or max' check."""
    assert set(KIND_CHECKS) <= set(TARGET_KINDS)
    skip = [k for k in TARGET_KINDS if check_levels not in kind_checks(k).stated]
    assert skip == ["co2_peak"]


def test_run_prints_each_input_warning_once_prefixed(tmp_path: Path) -> None:
    """`gridplan run` on a case with an unused CSV solves and prints the warning with one
    "warning: " prefix (not "warning: warning: ")."""
    case = write_tiny(tmp_path / "case")
    (case / "old_load.csv").write_text("hour,a\n1,1\n")
    r = RUNNER.invoke(app, ["run", str(case), "--out", str(tmp_path / "out"), "--no-report"])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.output.splitlines() if "old_load.csv" in ln]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "warning: warning" not in lines[0]
