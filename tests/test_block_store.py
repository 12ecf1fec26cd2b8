"""Solved independent parts reused across solves (gridplan/block_store.py): a part the same to the
last number is read back, one that differs in any number is solved, and the answer is the one of a
solve without the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_blocks import lp_of
from test_history import H, two_periods

import gridplan
import gridplan.blocks
from cases import write_case
from gridplan.block_store import BlockStore, reusing


def case(capex: float = 1000.0, vom: float = 500.0, **solver: Any) -> dict[str, Any]:
    """test_history's case with 2025 historical (150 MW of the old plant at `vom`) and the new
    plant's capex in 2030: the two periods are independent parts. The load is flat, so one
    representative day stands exactly for the year (8,760 h) and keeps the solves short."""
    sc = two_periods(historical_periods=[2025], solver={"method": "hipo", **solver})
    sc["time"] = {"mode": "representative_days", "days": 1}
    sc["technologies"]["dear"].update(existing=150, vom=vom)
    sc["technologies"]["cheap"]["capex"] = capex
    return sc


def test_same_part_read_back_other_part_solved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first solve is the hand value 500 CNY/MWh x 100 MW x 8,760 h + 1,000 CNY/kW x 100 MW.
    A 2030 capex change (2,000 CNY/kW) leaves 2025 as it was: its part is reused, and the answer
    is that of a solve without the store, prices included (500 CNY/MWh in 2025). A change of the old plant's vom (600) solves both parts again."""
    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)
    store = tmp_path / "parts"
    with reusing(store):
        first = gridplan.run(write_case(tmp_path / "a", case()))
        again = gridplan.run(write_case(tmp_path / "b", case(capex=2000.0)))
        other = gridplan.run(write_case(tmp_path / "c", case(capex=2000.0, vom=600.0)))
    fresh = gridplan.run(write_case(tmp_path / "d", case(capex=2000.0)))
    assert "2 independent parts" in first.attrs["solver"] and "reused" not in first.attrs["solver"]
    assert "1 of them reused" in again.attrs["solver"]
    assert "reused" not in other.attrs["solver"]
    # 2025 with vom 500 and 600; 2030 three times (the old plant's vom is a cost there too)
    assert len(list(store.glob("*.npz"))) == 5
    assert first.attrs["objective"] == pytest.approx(500 * 100 * H + 1000 * 100e3, rel=1e-7)
    assert again.attrs["objective"] == pytest.approx(fresh.attrs["objective"], rel=1e-9)
    assert other.attrs["objective"] > again.attrs["objective"] + 100 * 100 * H - 1.0  # dearer 2025
    np.testing.assert_allclose(again.price.values, fresh.price.values, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(again.price.sel(period=2025).values, 500.0, rtol=1e-6)


def test_one_thread_solves_the_parts_one_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sweep worker (threads 1) with a store splits the LP too, and runs the parts in turn."""
    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)
    with reusing(tmp_path / "parts"):
        ds = gridplan.run(write_case(tmp_path / "a", case(threads=1)))
    assert "2 independent parts one after the other" in ds.attrs["solver"]
    assert ds.attrs["objective"] == pytest.approx(500 * 100 * H + 1000 * 100e3, rel=1e-7)
    without = gridplan.run(write_case(tmp_path / "b", case(threads=1)))
    assert "independent" not in without.attrs["solver"]  # no store: one LP, as before


def test_key_and_vertex_rule(tmp_path: Path) -> None:
    """Any changed number or option gives another key, crossover does not; a solve with
    crossover reuses only a vertex, one without reuses either; an interior point never replaces
    a stored vertex."""
    store = BlockStore(tmp_path)
    A = np.array([[1.0, 2.0], [0.0, 1.0]])
    lp = lp_of(A)
    opts = {"solver": "hipo", "run_crossover": "on", "threads": 1}
    key = store.key(lp, opts, "1.15.1")
    assert store.key(lp, {**opts, "run_crossover": "off", "output_flag": True}, "1.15.1") == key
    assert store.key(lp, {**opts, "threads": 2}, "1.15.1") != key
    assert store.key(lp, opts, "1.16.0") != key
    lp2 = lp_of(A)
    lp2.col_cost_ = np.array([1.0, 1.0 + 1e-12])
    assert store.key(lp2, opts, "1.15.1") != key
    part = {"status": "optimal", "primal": True, "dual": True, "objective": 1.0}
    interior = {**part, "x": np.array([0.5, 0.25]), "row_dual": np.array([0.5, 0.0])}
    store.put(key, interior, vertex=False)
    assert store.get(key, vertex=True) is None
    assert store.get(key, vertex=False)["x"].tolist() == [0.5, 0.25]
    vertex = {**part, "x": np.array([1.0, 0.0]), "row_dual": np.array([1.0, 0.0])}
    store.put(key, vertex, vertex=True)
    store.put(key, interior, vertex=False)
    assert store.get(key, vertex=True)["x"].tolist() == [1.0, 0.0]
    store.put("other", {**vertex, "status": "time_limit"}, vertex=True)
    assert store.get("other", vertex=False) is None  # only optimal parts are kept
    (tmp_path / "broken.npz").write_bytes(b"not a file of numbers")
    assert store.get("broken", vertex=False) is None
    whole = (tmp_path / f"{key}.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(whole[: len(whole) // 2])  # a part cut short: solved again
    assert store.get("cut", vertex=False) is None


def test_sweep_jobs_share_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sweep jobs (run in this process) with the study's parts folder: the second reads the
    first's 2025 part back; its results.nc says so."""
    import xarray as xr

    from gridplan.sweep.worker import Job, run_job

    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)
    parts = str(tmp_path / "out" / "parts")
    for i, capex in enumerate((1000.0, 2000.0)):
        c = write_case(tmp_path / f"case{i}", case(capex=capex))
        job = Job(f"s{i}", str(c), str(tmp_path / "out" / f"s{i}"), "fp", {"threads": 1}, parts=parts)
        assert run_job(job)["status"] == "done"
    ds = xr.load_dataset(tmp_path / "out" / "s1" / "results.nc")
    assert "one after the other" in ds.attrs["solver"] and "1 of them reused" in ds.attrs["solver"]


def test_run_shares_its_parts_with_later_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gridplan run` keeps its parts in the shared store ($GRIDPLAN_PARTS): run again, it reads
    both back (same hand value); a sweep job of the same case (as `target-costs` solves its base)
    reads both back too; GRIDPLAN_PARTS=off solves and keeps nothing."""
    import xarray as xr
    from typer.testing import CliRunner

    from gridplan.block_store import shared_folder
    from gridplan.cli import app
    from gridplan.sweep.worker import Job, run_job

    monkeypatch.setattr(gridplan.blocks, "MIN_BLOCK_COLUMNS", 1)
    monkeypatch.setenv("GRIDPLAN_PARTS", str(tmp_path / "shared"))
    c = write_case(tmp_path / "case", case())
    hand = 500 * 100 * H + 1000 * 100e3
    for i in range(2):
        r = CliRunner().invoke(app, ["run", str(c), "--out", str(tmp_path / f"r{i}"), "--no-report"])
        assert r.exit_code == 0, r.output
    first, second = (xr.load_dataset(tmp_path / f"r{i}" / "results.nc") for i in range(2))
    assert "reused" not in first.attrs["solver"] and "2 of them reused" in second.attrs["solver"]
    assert first.attrs["objective"] == pytest.approx(hand, rel=1e-7)
    assert second.attrs["objective"] == first.attrs["objective"]
    np.testing.assert_array_equal(second.price.values, first.price.values)
    assert len(list((tmp_path / "shared").glob("*.npz"))) == 2
    job = Job("s", str(c), str(tmp_path / "sweep" / "s"), "fp", {"threads": 2}, parts=str(shared_folder()))
    assert run_job(job)["status"] == "done"
    swept = xr.load_dataset(tmp_path / "sweep" / "s" / "results.nc")
    assert (
        "2 of them reused" in swept.attrs["solver"] and swept.attrs["objective"] == first.attrs["objective"]
    )
    monkeypatch.setenv("GRIDPLAN_PARTS", "off")
    assert shared_folder() is None
    r = CliRunner().invoke(app, ["run", str(c), "--out", str(tmp_path / "r_off"), "--no-report"])
    assert r.exit_code == 0, r.output
    off = xr.load_dataset(tmp_path / "r_off" / "results.nc")
    assert "reused" not in off.attrs["solver"] and off.attrs["objective"] == pytest.approx(hand, rel=1e-7)
    assert len(list((tmp_path / "shared").glob("*.npz"))) == 2


def test_shared_folder_and_pruning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared folder: $GRIDPLAN_PARTS, else $XDG_CACHE_HOME/gridplan/parts. Pruned to a size,
    the parts read or written longest ago go first; reading a part makes it recent."""
    import os

    from gridplan.block_store import shared_folder

    monkeypatch.delenv("GRIDPLAN_PARTS")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert shared_folder() == tmp_path / "cache" / "gridplan" / "parts"
    monkeypatch.setenv("GRIDPLAN_PARTS", "OFF")
    assert shared_folder() is None
    store = BlockStore(tmp_path / "s")
    part = {"status": "optimal", "primal": True, "dual": True, "objective": 1.0}
    for i, name in enumerate(("a", "b", "c")):
        store.put(name, {**part, "x": np.zeros(1000), "row_dual": np.zeros(1000)}, vertex=True)
        os.utime(store.folder / f"{name}.npz", (1e9 + i, 1e9 + i))  # written in the order a, b, c
    size = (store.folder / "a.npz").stat().st_size
    assert store.get("a", vertex=True) is not None  # a read: now the most recent
    store.prune(limit=2 * size)
    assert sorted(f.stem for f in store.folder.glob("*.npz")) == ["a", "c"]
