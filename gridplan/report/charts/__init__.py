"""The chart registry: which charts and tables a report shows, in page order.

CHARTS are the items of a run's report, each drawn from one Run; COMPARE_CHARTS those of a
comparison, each drawn from the runs and their full labels. A chart function returns a plotly
Figure or a Table, or None when the results have nothing to show (the item is then left out).
Adding a chart is one module in this folder with its function, and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gridplan.report.charts.capacity import cmp_capacity, fig_capacity
from gridplan.report.charts.capacity_diff import cmp_capacity_diff
from gridplan.report.charts.changes import fig_changes
from gridplan.report.charts.costs import cmp_costs, fig_costs
from gridplan.report.charts.dispatch import cmp_dispatch, fig_dispatch_peak, fig_dispatch_solar
from gridplan.report.charts.emissions import cmp_emissions, fig_emissions
from gridplan.report.charts.energy import cmp_energy, fig_energy
from gridplan.report.charts.firm import cmp_firm, fig_firm
from gridplan.report.charts.network import fig_network
from gridplan.report.charts.prices import cmp_prices, fig_prices
from gridplan.report.charts.reserves import cmp_reserves, fig_reserves
from gridplan.report.charts.retirement import cmp_retirement, fig_retirement
from gridplan.report.charts.storage import fig_storage
from gridplan.report.html import Item
from gridplan.report.run import Run
from gridplan.report.tables import compare_targets_table, plans_table, summary_table, targets_table


@dataclass(frozen=True)
class Chart:
    """A report item: its key (the page anchor fig-<key>), how it is drawn, and the i18n text key
    of its title."""

    key: str
    draw: Callable[[Run], Item | None]
    title: str


@dataclass(frozen=True)
class CompareChart:
    """An item of a comparison: drawn from the runs (labelled by alias) and their full labels."""

    key: str
    draw: Callable[[list[Run], list[str]], Item | None]
    title: str


CHARTS: list[Chart] = [
    Chart("capacity", fig_capacity, "capacity"),
    Chart("changes", fig_changes, "changes"),
    Chart("energy", fig_energy, "energy"),
    Chart("dispatch_peak", fig_dispatch_peak, "dispatch_peak"),
    Chart("dispatch_solar", fig_dispatch_solar, "dispatch_solar"),
    Chart("storage", fig_storage, "storage"),
    Chart("emissions", fig_emissions, "emissions"),
    Chart("prices", fig_prices, "prices"),
    Chart("reserves", fig_reserves, "reserves"),
    Chart("retirement", fig_retirement, "retirement"),
    Chart("targets", targets_table, "targets"),
    Chart("firm", fig_firm, "firm"),
    Chart("costs", fig_costs, "costs"),
    Chart("network", fig_network, "network"),
]

COMPARE_CHARTS: list[CompareChart] = [
    CompareChart("plans", plans_table, "plans"),
    CompareChart("summary", summary_table, "summary"),
    CompareChart("capacity", cmp_capacity, "cmp_capacity"),
    CompareChart("capacity_diff", cmp_capacity_diff, "cmp_capacity_diff"),
    CompareChart("retirement", cmp_retirement, "cmp_retirement"),
    CompareChart("energy", cmp_energy, "cmp_energy"),
    CompareChart("emissions", cmp_emissions, "cmp_emissions"),
    CompareChart("costs", cmp_costs, "cmp_costs"),
    CompareChart("prices", cmp_prices, "cmp_prices"),
    CompareChart("reserves", cmp_reserves, "cmp_reserves"),
    CompareChart("targets", compare_targets_table, "cmp_targets"),
    CompareChart("firm", cmp_firm, "cmp_firm"),
    CompareChart("dispatch", cmp_dispatch, "cmp_dispatch"),
]
