"""Build tiny cases in a temporary folder: a scenario mapping plus hourly CSVs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import yaml

HOURS = 8760


def series(**columns: float | np.ndarray) -> pd.DataFrame:
    """An hourly table: `hour` 1..8760 plus the given columns (scalars are repeated)."""
    data = {"hour": np.arange(1, HOURS + 1)}
    data.update({k: np.broadcast_to(np.asarray(v, float), (HOURS,)) for k, v in columns.items()})
    return pd.DataFrame(data)


def daily(pattern: list[float]) -> np.ndarray:
    """A 24-value pattern repeated over the year."""
    return np.tile(np.asarray(pattern, float), HOURS // 24)


def base(load: float | np.ndarray = 100.0, zones: tuple[str, ...] = ("z",), **extra: Any) -> dict[str, Any]:
    """One period (2025, one year, no discounting), full-year time steps."""
    sc: dict[str, Any] = {
        "name": "tiny",
        "periods": [2025],
        "period_years": {2025: 1},
        "discount_rate": 0.0,
        "value_of_lost_load": 10000.0,
        "zones": {z: {} for z in zones},
        "demand": {"file": "load.csv"},
        "time": {"mode": "full_year"},
        "_load": load,
    }
    sc.update(extra)
    return sc


def write_case(folder: Path, scenario: dict[str, Any], tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write scenario.yaml and CSVs; `_load` in the scenario becomes load.csv for every zone."""
    folder.mkdir(parents=True, exist_ok=True)
    sc = dict(scenario)
    load = sc.pop("_load", None)
    if load is not None:
        series(**dict.fromkeys(sc["zones"], load)).to_csv(folder / "load.csv", index=False) if not isinstance(
            load, dict
        ) else series(**load).to_csv(folder / "load.csv", index=False)
    for name, df in (tables or {}).items():
        df.to_csv(folder / name, index=False)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(sc, sort_keys=False))
    return folder


def load_script(name: str) -> ModuleType:
    """A module of scripts/ (not a package), e.g. load_script("calibration")."""
    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
