"""Interactive reports: plotly figures of one run, and of several runs side by side.

`figures(ds)` returns the figures and tables of one results Dataset, `write_report` puts them in one
self-contained HTML file (plotly.js and a subset of Noto Sans CJK SC embedded, no network);
`compare_figures` / `write_compare` do the same for several runs; `load_runs` reads a results or
sweep file. The modules:

    run        a Run (one Dataset in one language), its colours, the readers of its variables
    series     capacity items and the energy flows, declared once (FAMILIES) for the energy and
               dispatch charts
    window     the week shown by the hourly charts
    layout     the shared look of a figure: layout, menus, hover texts, units
    charts/    one module per chart; charts/__init__.py is the registry the pages loop over
    tables     the target, summary and plans tables
    single, compare   the two pages;  html  the page itself;  cli  the commands
    i18n, i18n_text   English and Chinese texts and units;  fmt  console numbers;  show  show/export
    sweep_pages       the pages of a sensitivity sweep and of target costs

Importing the package is cheap (the console formatting in fmt and show needs no plotly): the
public functions load their modules on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {
    "figures": "gridplan.report.single",
    "write_report": "gridplan.report.single",
    "compare_figures": "gridplan.report.compare",
    "write_compare": "gridplan.report.compare",
    "load_runs": "gridplan.report.run",
}
__all__ = list(_PUBLIC)


def __getattr__(name: str) -> Any:
    """gridplan.report.figures and the other public functions, imported when first used."""
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
