"""The benchmark scripts: the synthetic case, and gridplan and PyPSA solving the same LP.

No timings are asserted. The PyPSA comparison runs one representative day (24 steps of
weight 365 h) so that it stays cheap; it is skipped when pypsa is not installed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def script(name: str) -> ModuleType:
    """Import scripts/<name>.py as a module (scripts/ is not a package)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_synthetic_profiles_have_the_stated_shape() -> None:
    p = script("bench").profiles(seed=0)
    assert p["load"].mean() == pytest.approx(1.0)
    assert 1.2 < p["load"].max() < 1.5 and 0.6 < p["load"].min() < 0.9
    assert 0.15 < p["solar"].mean() < 0.22  # capacity factor of a sunny inland province
    assert 0.2 < p["wind"].mean() < 0.35
    night = np.arange(8760) % 24 < 4
    assert p["solar"][night].max() == 0.0
    assert np.all(np.round(p["wind"], 3) == p["wind"])  # availability rounded to 1e-3 p.u.


def test_single_zone_case_is_well_scaled_and_solves(tmp_path: Path) -> None:
    bench = script("bench")
    case = bench.write_case(tmp_path / "c", *bench.synthetic_case(hours=24))
    r = bench.run_gridplan(case, {"method": "choose"})
    assert r["status"] == "optimal"
    assert r["columns"] > 0 and r["rows"] > 0
    for kind, (lo, hi) in r["ranges"].items():  # internal units keep every range within 1e4
        assert hi / lo < 1e4, (kind, lo, hi)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # pypsa 1.4 on pandas 3 string dtypes
def test_gridplan_and_pypsa_agree_on_one_day(tmp_path: Path) -> None:
    pytest.importorskip("pypsa")
    vs = script("bench_vs_pypsa")
    case = vs.write_case(tmp_path / "c", *vs.synthetic_case(hours=24))
    g = vs.run_gridplan(case, {})
    p = vs.run_pypsa(case, {}, "direct")
    assert g["status"] == "optimal" and p["status"] == "ok/optimal"
    assert g["objective_cny"] == pytest.approx(p["objective_cny"], rel=1e-6)
    # a hand check of the scale: one year of a 20 GW system costs tens of billions of CNY
    assert 1e10 < g["objective_cny"] < 1e11


def test_translation_refuses_what_pypsa_cannot_express(tmp_path: Path) -> None:
    pytest.importorskip("pypsa")
    vs = script("bench_vs_pypsa")
    from gridplan.case import load_case
    from gridplan.timesteps import select

    case = vs.write_case(tmp_path / "c", *vs.synthetic_case(hours=24, zones=2))
    inputs = load_case(case)
    with pytest.raises(vs.Unsupported, match="one zone"):
        vs.to_pypsa(inputs, select(inputs))
