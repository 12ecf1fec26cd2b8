"""The report of one run: its figures and tables (the chart registry, in order) on one HTML page.

Quantities follow the results file (MW, MWh, CNY, tCO2, tce) and are scaled for display (GW, TWh,
bn CNY; 万千瓦, 亿千瓦时, 亿元 in Chinese); every axis names its unit. Long series are reduced:
price duration curves to PLOT_POINTS samples, full-year state of charge to daily minimum / mean /
maximum; dispatch charts show every hour of the chosen week.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from gridplan.atomic import write_text
from gridplan.report import charts
from gridplan.report.charts.prices import PLOT_POINTS
from gridplan.report.html import Item, page, tidy_label
from gridplan.report.i18n import check_lang, status_name, text
from gridplan.report.layout import money
from gridplan.report.run import make_run, split
from gridplan.report.tables import scenario_facts


def figures(ds: xr.Dataset, lang: str = "en") -> dict[str, Item]:
    """The report's figures and tables of one run, by key, in the order of charts.CHARTS (charts
    without content are left out). A Dataset with a `scenario` dimension: the first scenario."""
    lang = check_lang(lang)
    r = make_run(split(ds)[0], lang)
    items = {chart.key: chart.draw(r) for chart in charts.CHARTS}
    return {k: v for k, v in items.items() if v is not None}


def notes(lang: str) -> list[str]:
    """The notes under a report: reduced series, units."""
    return [text("note_downsample", lang, n=PLOT_POINTS), text("note_units", lang)]


def facts(ds: xr.Dataset, lang: str) -> list[str]:
    """The lines under a report's title: scenario and description, cost, status, time steps, version."""
    a, c, sep = ds.attrs, text("colon", lang), text("semicolon", lang)
    desc = scenario_facts(ds, lang)
    mode = str(a.get("time_mode", ""))
    steps = text(
        "steps",
        lang,
        mode=text(mode, lang) if mode in ("full_year", "representative_days", "tsam") else mode,
        n=ds.sizes.get("time", 0),
    )
    return [
        f"{text('scenario', lang)}{c}{tidy_label(str(a.get('scenario', '')))}"
        + (f"{text('dash', lang)}{desc}" if desc else ""),
        f"{text('objective', lang)}{c}{money(float(a.get('objective', np.nan)), lang)}{sep}"
        f"{text('status', lang)}{c}{status_name(str(a.get('solver_status', '')), lang)}{sep}"
        f"{text('time_mode', lang)}{c}{steps}",
        text("generated", lang, version=a.get("gridplan_version", ""), solver=a.get("solver", "")),
    ]


def write_report(ds: xr.Dataset, path: str | Path, lang: str = "en") -> Path:
    """Write the report of one run as a self-contained HTML file (atomically); returns the path."""
    lang = check_lang(lang)
    ds = split(ds)[0]
    title = text("report_title", lang, name=tidy_label(str(ds.attrs.get("scenario", ""))))
    return write_text(Path(path), page(title, facts(ds, lang), figures(ds, lang), lang, notes(lang)))
