"""Put tests/ on the import path so test modules can share `cases`; give each test its own store of
solved parts."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _own_parts_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty shared store of solved parts (gridplan/block_store.py), so no test
    reads back another's solve or writes to the user's cache."""
    monkeypatch.setenv("GRIDPLAN_PARTS", str(tmp_path / "shared-parts"))
