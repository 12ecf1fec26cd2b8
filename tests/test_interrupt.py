"""Ctrl-C stops a run at once: exit code 130 within 2 s, no results file; live progress on stderr."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import gridplan
from cases import base, series, write_case
from gridplan.watch import Reporter, Status, line, takes_status


def slow_case(folder: Path, zones: tuple[str, ...] = ("a", "b")) -> Path:
    """Full year, two zones, solar, wind, gas, storage, noisy load: a solve of many seconds."""
    rng = np.random.default_rng(1)
    h = np.arange(8760)
    sun = np.clip(np.sin(2 * np.pi * (h % 24 - 6) / 24), 0, None) * rng.uniform(0.3, 1.0, 8760)
    wind = rng.uniform(0, 1, 8760)
    sc = base(
        zones=zones,
        profiles={"solar": "solar.csv", "wind": "wind.csv"},
        technologies={
            "pv": {"kind": "variable", "profile": "solar", "capex": 2000, "lifetime": 25, "build_max": "inf"},
            "wt": {"kind": "variable", "profile": "wind", "capex": 3500, "lifetime": 25, "build_max": "inf"},
            "gas": {"kind": "thermal", "vom": 600, "capex": 3000, "lifetime": 30, "build_max": "inf"},
        },
        storage={"bat": {"capex_power": 500, "capex_energy": 800, "lifetime": 15, "build_max": "inf"}},
    )
    if len(zones) > 1:
        sc["links"] = {"ab": {"from": zones[0], "to": zones[1], "capacity": 30, "loss": 0.03}}
    sc["_load"] = {z: 60 + 30 * rng.uniform(0, 1, 8760) for z in zones}
    profiles = {
        "solar.csv": series(**dict.fromkeys(zones, sun)),
        "wind.csv": series(**dict.fromkeys(zones, wind)),
    }
    return write_case(folder, sc, profiles)


def _default_sigint() -> None:
    """A child of a non-interactive shell may inherit SIGINT ignored; Ctrl-C from a terminal is not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.timeout(600)
@pytest.mark.parametrize(
    ("stage", "method"), [("solve", "simplex"), ("solve", "ipm"), ("solve", "hipo"), ("build", "simplex")]
)
def test_ctrl_c_exits_130_at_once_and_writes_nothing(tmp_path: Path, stage: str, method: str) -> None:
    """SIGINT in the solve once its status line shows an iteration; in the build (3-20 s here)
    as soon as the stage before it ends."""
    case = slow_case(tmp_path / "case")
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("gridplan")
    p = subprocess.Popen(
        [str(exe), "run", str(case), "--out", str(out), "--method", method],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert p.stderr is not None
    seen = []
    for text in p.stderr:
        seen.append(text)
        if stage == "build" and text.startswith("[   time]"):
            break
        if stage == "solve" and text.startswith("[  solve]") and "iteration" in text:
            break
    else:
        pytest.fail(f"no {stage} progress line; stderr: {''.join(seen)[-2000:]}")
    t = time.perf_counter()
    p.send_signal(signal.SIGINT)
    try:
        p.wait(timeout=10)
    finally:
        p.kill()
    waited = time.perf_counter() - t
    assert p.returncode == 130, (p.returncode, p.stderr.read()[-2000:])
    assert waited < 2.0, f"{stage} ({method}): {waited:.2f} s after SIGINT"
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())


def test_python_progress_gets_stage_ends_and_live_status(tmp_path: Path) -> None:
    """A two-argument progress sees each stage end once; a three-argument one also the solve."""
    case = slow_case(tmp_path / "case", zones=("a",))
    (case / "scenario.yaml").write_text(
        (case / "scenario.yaml")
        .read_text()
        .replace("mode: full_year", "mode: representative_days\n  days: 3")
    )
    ends: list[str] = []
    live: list[Status | None] = []
    gridplan.run(case, progress=lambda stage, seconds: ends.append(stage))
    assert ends == ["load", "time", "build", "solve", "results"]

    def rich(stage: str, seconds: float, status: Status | None = None) -> None:
        live.append(status)

    assert takes_status(rich) and not takes_status(lambda a, b: None)
    gridplan.run(case, progress=rich)
    stages = [s.stage for s in live if s is not None and not s.done]
    assert stages[:4] == ["load", "time", "build", "solve"]
    assert [s.stage for s in live if s is not None and s.done] == ends
    assert any(s.phase == "compile" for s in live if s is not None)


def test_status_line_reads_without_exponents() -> None:
    st = Status("solve", 65.2, phase="ipx", iteration=15, objective=617.438e9, gap=1.2e-5)
    assert line(st) == "[  solve] 1 min 05 s  ipx  iteration 15  objective 617.438 bn CNY  gap 0.0012%"
    st = Status("check", 3.0, step=3, steps=12)
    assert "[#####---------------]  3/12" in line(st)
    assert "nan" not in line(Status("build", math.nan)).lower()


def test_reporter_plain_lines(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    with path.open("w") as f:
        r = Reporter(f, every=0.0)
        r("build", 0.0, Status("build", 0.0))
        r("build", 1.5, Status("build", 1.5, done=True))
        r("solve", 2.0)
    text = path.read_text().splitlines()
    assert text[-2:] == ["[  build]     1.50 s", "[  solve]     2.00 s"]
    assert "\r" not in path.read_text()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("method", ["hipo", "clarabel"])
def test_ctrl_c_in_python_stops_highs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """In Python, Ctrl-C during the solve raises KeyboardInterrupt once HiGHS (or Clarabel, through
    its termination callback) has stopped (at its next iteration, well before the solve would
    end): its thread has ended, so the interrupt callback worked, not only an abandoned thread."""
    import threading

    from gridplan import watch

    monkeypatch.setattr(watch, "STOP_WAIT", 8.0)
    case = slow_case(tmp_path / "case")
    sent: list[float] = []

    def progress(stage: str, seconds: float, status: Status | None = None) -> None:
        if status is not None and status.stage == "solve" and status.iteration >= 1 and not sent:
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)

    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            gridplan.run(case, progress=progress, solver={"method": method})
    finally:
        signal.signal(signal.SIGINT, old)
    assert sent and time.perf_counter() - sent[0] < 8.0
    assert not any(t.name == "highs" and t.is_alive() for t in threading.enumerate())


def test_writing_is_all_or_nothing(tmp_path: Path) -> None:
    """`gridplan run` writes into a hidden folder and moves the files at the end: Ctrl-C while
    writing leaves the output folder as it was; a finished run leaves no hidden folder."""
    from data.tiny import write_tiny
    from typer.testing import CliRunner

    from gridplan.cli import _staged, app

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), _staged(out) as tmp:
        (tmp / "results.nc").write_text("partial")
        raise KeyboardInterrupt
    assert list(out.iterdir()) == []
    r = CliRunner().invoke(app, ["run", str(write_tiny(tmp_path / "case")), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.nc"]
    assert f"results: {out / 'results.nc'}" in r.output
