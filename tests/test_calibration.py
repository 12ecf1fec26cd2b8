"""The Jiangxi 2025 period against published figures (scripts/calibration.py --system).

The 2025 period is historical (the recorded end-2025 fleet), so this is a dispatch LP; every row
must stay inside its band so that no later change of data or model silently breaks the
calibration."""

from __future__ import annotations

import pytest

from cases import load_script


@pytest.mark.slow
def test_2025_system_within_published_bands() -> None:
    table = load_script("calibration").system_table()
    bad = table[table.ok.eq(False)]
    assert bad.empty, bad[["metric", "achieved", "target"]].to_string()
    metrics = " ".join(table.metric)
    for word in ("consumption", "peak", "capacity", "generation", "imports", "coal use", "CO2", "non-fossil"):
        assert word in metrics
    assert table.ok.notna().all()  # every row has a band
