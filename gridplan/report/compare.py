"""Several runs side by side: the comparison's figures and tables (the compare-chart registry, in
order) on one HTML page, runs labelled by scenario name, or S1, S2, ... when a name is long (then a
`plans` table maps each alias to its name). Sweeps count as their scenarios.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from gridplan.atomic import write_text
from gridplan.report import charts
from gridplan.report.html import Item, aliases, page
from gridplan.report.i18n import check_lang, status_name, text
from gridplan.report.layout import money
from gridplan.report.run import Palette, Run, make_run, run_labels, split
from gridplan.report.series import capacity_items, energy_series
from gridplan.report.single import notes


def _assign_colours(runs: list[Run]) -> None:
    """Colours of the shared palette in the order of the capacity chart, then the energy chart (a
    technology keeps its colour and shade whichever chart asks first)."""
    for r in runs:
        capacity_items(r)
    for r in runs:
        energy_series(r)


def compare_figures(datasets: list[xr.Dataset], lang: str = "en") -> dict[str, Item]:
    """Figures and tables comparing runs, by key, in the order of charts.COMPARE_CHARTS (items
    without content are left out)."""
    lang = check_lang(lang)
    flat = [d for ds in datasets for d in split(ds)]
    if not flat:
        raise ValueError("compare needs at least one results dataset")
    palette = Palette()
    labels = run_labels(flat)
    runs = [make_run(d, lang, a, palette) for d, a in zip(flat, aliases(labels), strict=True)]
    _assign_colours(runs)
    items = {chart.key: chart.draw(runs, labels) for chart in charts.COMPARE_CHARTS}
    return {k: v for k, v in items.items() if v is not None}


def write_compare(datasets: list[xr.Dataset], path: str | Path, lang: str = "en") -> Path:
    """Write the comparison of several runs as a self-contained HTML file (atomically)."""
    lang = check_lang(lang)
    flat = [d for ds in datasets for d in split(ds)]
    labels = run_labels(flat)
    c = text("colon", lang)
    facts = [
        f"{lab}{c}{money(float(d.attrs.get('objective', np.nan)), lang)}"
        f"{text('paren', lang, x=status_name(str(d.attrs.get('solver_status', '')), lang))}"
        for lab, d in zip(aliases(labels), flat, strict=True)
    ]
    items = compare_figures(flat, lang)
    return write_text(Path(path), page(text("compare", lang), facts, items, lang, notes(lang)))


# ----------------------------------------------------------------------------- command line
