"""The model is written down: every component of every registered LP family (lp/families.py)
appears in model/formulation.md, the families cover the whole built model, and
model/parameters.md matches the schema."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyomo.environ as pyo

from cases import base, daily, series, write_case
from gridplan.case import load_case
from gridplan.kinds import TARGET_KINDS
from gridplan.lp.build import build
from gridplan.lp.families import FAMILIES, MODEL_COMPONENTS, fleets
from gridplan.lp.policies import ROW_BUILDERS
from gridplan.timesteps import select

ROOT = Path(__file__).resolve().parents[1]


def full_case(folder: Path) -> Path:
    """A two-zone case that switches on every family of the model."""
    sun = np.tile(np.clip(np.sin(np.linspace(0, 2 * np.pi, 24)), 0, None), 365)
    coal = {
        "kind": "thermal",
        "fuel": "coal",
        "heat_rate": 300,
        "existing": {"a": 80},
        "commitment": {"min_stable": 0.5, "ramp": 0.5, "startup_cost": 100},
        "retrofits": {
            "energy_saving": {"capex": 100, "heat_rate_reduction": 10, "build_max": "inf"},
            "flexibility": {"capex": 100, "min_stable": 0.3, "build_max": "inf"},
            "heating": {"capex": 100, "build_max": "inf"},
        },
    }
    sc = base(
        zones=("a", "b"),
        profiles={"solar": "solar.csv"},
        fuels={"coal": {"price": 1000, "co2": 2.66, "coal": True}},
        heat={"file": "heat.csv", "annual_energy": {"a": 50000}},
        technologies={
            "coal": coal,
            "pv": {
                "kind": "variable",
                "profile": "solar",
                "capex": 2000,
                "build_max": "inf",
                "groups": ["re"],
            },
            "hyd": {"kind": "hydro", "profile": "solar", "existing": {"b": 5}},
            "nuc": {"kind": "thermal", "existing": {"b": 5}, "min_output": 0.5},
        },
        storage={
            "phs": {
                "capex_power": 500,
                "build_max": "inf",
                "duration_min": 4,
                "duration_max": 8,
                "linking": "linked",
            }
        },
        links={"ab": {"from": "a", "to": "b", "capacity": 30, "capex": 100, "build_max": 50}},
        imports={
            "imp": {
                "zone": "b",
                "capacity": 10,
                "renewable_share": 0.5,
                "min_energy": 1000,
                "max_energy": 50000,
            }
        },
        demand_response={"shift": {"mode": "shift", "potential": 5, "max_hours": 100, "max_hours_day": 4}},
        targets={
            "re": {"kind": "capacity", "technologies": ["re"], "min": 10, "soft": True},
            "co2": {"kind": "co2_peak", "peak_year": 2025},
        },
        reserves={
            "up": {"load_share": 0.05, "variable_share": 0.05, "response_time": 0.5},
            "down": {"direction": "down", "load_share": 0.02, "providers": ["coal", "phs", "pv"]},
        },
        time={"mode": "representative_days", "days": 3},
    )
    sc["_load"] = {"a": daily([60.0] * 18 + [90.0] * 6), "b": daily([40.0] * 18 + [70.0] * 6)}
    return write_case(folder, sc, {"solar.csv": series(a=sun, b=sun), "heat.csv": series(a=1.0, b=0.0)})


def built_components(m: pyo.ConcreteModel) -> list[str]:
    kinds = (pyo.Constraint, pyo.Var, pyo.Objective, pyo.Expression)
    return [c.name for c in m.component_objects(kinds, descend_into=False)]


def documented(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def test_every_component_is_documented() -> None:
    """Each registered family's components, the fleets (as F in F_cap, F_new, ...), the balance
    and the objective are written down in model/formulation.md."""
    text = (ROOT / "model" / "formulation.md").read_text(encoding="utf-8")
    fleet_names = {n for f in fleets() for n in f.components}
    declared = [n for fam in FAMILIES for n in fam.components if n not in fleet_names]
    missing = [n for n in [*declared, *MODEL_COMPONENTS] if not documented(n, text)]
    missing += [f"fleet {f.prefix}" for f in fleets() if f"`{f.prefix}`" not in text]
    assert len(declared) > 40
    assert len(fleets()) == 8
    assert not missing, f"not written down in model/formulation.md: {missing}"


def test_families_cover_the_model(tmp_path: Path) -> None:
    """Every component of a model with every family switched on belongs to exactly one registered
    family (or is the balance or the objective), and every declared component is built."""
    inputs = load_case(full_case(tmp_path))
    m, _ = build(inputs, select(inputs))
    built = built_components(m)
    declared = [n for fam in FAMILIES for n in fam.components]
    assert len(declared) == len(set(declared)), "a component declared by two families"
    outside = sorted(set(built) - set(declared) - set(MODEL_COMPONENTS))
    assert not outside, f"built outside a registered family: {outside}"
    assert sorted(set(declared) - set(built)) == []
    assert len(built) == len(declared) + len(MODEL_COMPONENTS)


def test_every_target_kind_has_a_row_builder() -> None:
    assert sorted(ROW_BUILDERS) == sorted(TARGET_KINDS)


def test_parameter_tables_are_current() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_parameter_tables.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
