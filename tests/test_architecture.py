"""ARCHITECTURE.md's worked examples run as written: each `# example:` code block is executed and
the numbers the page promises are checked on tiny cases solved by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xarray as xr
from test_report import runs  # noqa: F401 (runs: the module-scoped fixture)

import gridplan
from cases import base, write_case
from gridplan import kinds
from gridplan.errors import InputError
from gridplan.lp import policies
from gridplan.report import charts, i18n
from gridplan.report.single import figures, write_report

ROOT = Path(__file__).resolve().parents[1]
H = 8760


def example(name: str) -> str:
    """The code block of ARCHITECTURE.md that starts with `# example: <name>`."""
    text = (ROOT / "ARCHITECTURE.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    found = [b for b in blocks if b.startswith(f"# example: {name}\n")]
    assert len(found) == 1, f"ARCHITECTURE.md has {len(found)} blocks '# example: {name}'"
    return found[0]


@pytest.fixture
def registries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What an example registers stays in its test."""
    saved = [(d, dict(d)) for d in (kinds.TECH_KINDS, kinds.TARGET_KINDS, policies.ROW_BUILDERS)]
    monkeypatch.setattr(charts, "CHARTS", list(charts.CHARTS))
    monkeypatch.setattr(i18n, "TEXT", dict(i18n.TEXT))
    yield
    for d, before in saved:
        d.clear()
        d.update(before)


def two_plants(tmp_path: Path, other: dict[str, Any], **extra: Any) -> Path:
    """100 MW of flat load for a year; gas at 20 CNY/MWh (200 MW) and one other plant."""
    sc = base(
        100.0,
        technologies={"gas": {"kind": "thermal", "vom": 20.0, "existing": 200.0}, **other},
        **extra,
    )
    return write_case(tmp_path, sc)


def test_tech_kind_example(tmp_path: Path, registries: None) -> None:
    nuclear = {"nuc": {"kind": "thermal", "vom": 60.0, "existing": 80.0}}
    ds = gridplan.run(two_plants(tmp_path / "thermal", nuclear))
    assert ds.attrs["objective"] == pytest.approx(100 * H * 20.0, rel=1e-9)  # nuclear idle
    with pytest.raises(InputError, match="kind"):
        gridplan.run(two_plants(tmp_path / "unknown", {"nuc": {**nuclear["nuc"], "kind": "nuclear"}}))
    exec(example("tech_kind"), {})
    ds = gridplan.run(two_plants(tmp_path / "nuclear", {"nuc": {**nuclear["nuc"], "kind": "nuclear"}}))
    assert ds.attrs["objective"] == pytest.approx(H * (72 * 60.0 + 28 * 20.0), rel=1e-9)  # 42,748,800
    nuc = ds["generation"].sel(tech="nuc", period=2025).sum("zone")
    assert float(nuc.min()) == pytest.approx(72.0, rel=1e-9)


def test_target_kind_example(tmp_path: Path, registries: None) -> None:
    bio = {"bio": {"kind": "thermal", "vom": 70.0, "existing": 200.0, "groups": ["biomass"]}}
    target = {"bio_energy": {"kind": "generation_min", "technologies": ["biomass"], "min": 100_000.0}}
    with pytest.raises(InputError, match="kind"):
        gridplan.run(two_plants(tmp_path / "unknown", bio, targets=target))
    exec(example("target_kind"), {})
    ds = gridplan.run(two_plants(tmp_path / "known", bio, targets=target))
    assert ds.attrs["objective"] == pytest.approx(876_000 * 20.0 + 100_000 * 50.0, rel=1e-9)
    row = {
        v: float(ds[v].sel(target="bio_energy", period=2025))
        for v in ("target_achieved", "target_shadow_price")
    }
    assert row["target_achieved"] == pytest.approx(100_000.0, rel=1e-7)
    assert row["target_shadow_price"] == pytest.approx(50.0, rel=1e-6)
    assert str(ds["target_kind"].sel(target="bio_energy").values) == "generation_min"


def test_chart_example(runs: tuple[xr.Dataset, xr.Dataset], tmp_path: Path, registries: None) -> None:  # noqa: F811
    exec(example("chart"), {})
    ds = runs[0]
    figs = figures(ds)
    assert list(figs)[-1] == "peak_by_zone"
    peak = ds["demand"].sel(period=2030).max("time")
    assert list(figs["peak_by_zone"].data[0].y) == [float(peak.sel(zone=z)) for z in ("a", "b")]
    html = write_report(ds, tmp_path / "report.html").read_text()
    assert 'id="fig-peak_by_zone"' in html and "Peak demand by zone, 2030" in html
    assert figures(ds, "zh")["peak_by_zone"].layout.title.text == "各区最大负荷（2030年）"
