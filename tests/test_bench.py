"""The benchmark scripts: the synthetic case, gridplan and PyPSA solving the same LP, and a case's
independent parts written to MPS and solved from there (scripts/bench_parts.py).

No timings are asserted. The PyPSA comparison runs one representative day (24 steps of
weight 365 h) so that it stays cheap; it is skipped when pypsa is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from test_coal import coal
from test_history import H, two_periods

from cases import base, write_case

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


def test_parts_written_to_mps_give_the_case_objective(tmp_path: Path) -> None:
    """test_history's two periods with 2025 historical and 150 MW of the old plant: two independent
    parts (one representative day stands for the flat year, as in test_block_store). Solved from
    their MPS files with gridplan's options, offset + parts = the objective by hand, 500 x 100 x
    8,760 + 1,000 x 100,000 CNY, and so with Clarabel (its point, and its vertex). Fixing every column of a part at its saved
    solution keeps its objective; without its balance rows nothing has to run or be built, so its
    objective is 0 (every cost in it is non-negative)."""
    bp = script("bench_parts")
    sc = two_periods(historical_periods=[2025], solver={"method": "hipo"})
    sc["time"] = {"mode": "representative_days", "days": 1}
    sc["technologies"]["dear"]["existing"] = 150
    out = tmp_path / "parts"
    sizes = bp.write_parts(write_case(tmp_path / "c", sc), out, min_columns=1)
    assert len(sizes) == 2
    offset = json.loads((out / "parts.json").read_text())["offset_mcny"]
    files = [out / f"part{i}.mps" for i in range(2)]
    runs = [bp.solve_part(f, save=tmp_path / f"x{i}.npy") for i, f in enumerate(files)]
    assert [r["status"] for r in runs] == ["Optimal", "Optimal"]
    total = 1e6 * (offset + sum(r["objective_mcny"] for r in runs))
    assert total == pytest.approx(500 * 100 * H + 1000 * 100e3, rel=1e-7)
    clarabel = [bp.solve_part(f, ["solver=clarabel", "run_crossover=off"]) for f in files]  # its point
    assert [r["status"] for r in clarabel] == ["Optimal", "Optimal"]
    assert all(r["ipm_iterations"] > 0 for r in clarabel)
    assert 1e6 * (offset + sum(r["objective_mcny"] for r in clarabel)) == pytest.approx(total, rel=1e-7)
    vertex = [bp.solve_part(f, ["solver=clarabel"]) for f in files]  # with crossover: its vertex
    assert [r["status"] for r in vertex] == ["Optimal", "Optimal"]
    assert 1e6 * (offset + sum(r["objective_mcny"] for r in vertex)) == pytest.approx(total, rel=1e-9)
    for i, f in enumerate(files):
        names = np.load(out / f"part{i}_names.npz")
        fixed = bp.solve_part(f, fix=sorted(set(names["cols"])), solution=tmp_path / f"x{i}.npy")
        assert fixed["objective_mcny"] == pytest.approx(runs[i]["objective_mcny"], rel=1e-9)
        assert fixed["change"] == f"{len(names['cols']):,} columns fixed"
        free = bp.solve_part(f, drop=["balance"])
        assert free["objective_mcny"] == pytest.approx(0.0, abs=1e-6)
        assert runs[i]["objective_mcny"] > 1.0  # so the 0 above is the dropped rows' doing


def test_held_off_clusters_cost_what_their_absence_costs(tmp_path: Path) -> None:
    """A flat 100 MW load for a year, 100 MW of committed coal at 300 CNY/MWh and 100 MW of a spare
    committed cluster at 400 CNY/MWh that never runs: 100 x 8,760 x 300 CNY. Holding the spare off
    keeps that objective; holding the coal off makes the spare run every hour, 100 x 8,760 x 400
    CNY; a cluster without committed parts is refused."""
    bp = script("bench_parts")
    sc = base(100.0, technologies={"coal": coal(), "spare": coal(vom=400.0)})
    case = write_case(tmp_path / "c", sc)

    def objective(held: list[str]) -> float:
        out = tmp_path / ("_".join(held) or "none")
        bp.write_parts(case, out, held=held)
        offset = json.loads((out / "parts.json").read_text())["offset_mcny"]
        r = bp.solve_part(out / "part0.mps")
        assert r["status"] == "Optimal"
        names = np.load(out / "part0_names.npz")
        assert (names["rows"] == "hold_off").sum() == (8760 if held else 0)
        return 1e6 * (offset + r["objective_mcny"])

    assert objective([]) == pytest.approx(100 * H * 300.0, rel=1e-7)
    assert objective(["spare"]) == pytest.approx(100 * H * 300.0, rel=1e-7)
    assert objective(["coal"]) == pytest.approx(100 * H * 400.0, rel=1e-7)
    with pytest.raises(SystemExit, match="no committed parts of pv"):
        bp.write_parts(case, tmp_path / "bad", held=["pv"])
