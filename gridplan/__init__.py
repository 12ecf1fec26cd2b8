"""gridplan: least-cost capacity expansion for provincial power systems (Pyomo + HiGHS)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("gridplan")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+src"

from gridplan.pipeline import run
from gridplan.report.show import open_results as open

__all__ = ["__version__", "open", "run"]
