"""File-system look-ups that never raise, and the scenario file of a case (folder or YAML)."""

from __future__ import annotations

from pathlib import Path

SCENARIO_FILE = "scenario.yaml"


def is_file(path: Path) -> bool:
    """Path.is_file, False for a path that cannot even be looked up (a name too long, ...)."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """Path.is_dir, False for a path that cannot even be looked up."""
    try:
        return path.is_dir()
    except OSError:
        return False


def case_file(case: str | Path) -> Path:
    """The scenario YAML of a case given as a folder or a YAML file."""
    p = Path(case)
    return p / SCENARIO_FILE if is_dir(p) else p
