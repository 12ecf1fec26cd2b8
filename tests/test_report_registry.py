"""The report's registries: every registered chart is drawn and on the page, a chart or an energy
family added through its registry shows up without touching anything else, and the kind names and
achieved values come from gridplan.kinds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
import xarray as xr
from test_report import COMPARE, SINGLE, runs  # noqa: F401 (runs: the module-scoped fixture)

from gridplan.kinds import TARGET_KINDS
from gridplan.report import charts, i18n, series
from gridplan.report.charts import CHARTS, COMPARE_CHARTS, Chart
from gridplan.report.charts.emissions import _caps
from gridplan.report.compare import compare_figures, write_compare
from gridplan.report.i18n import Names, axis, text
from gridplan.report.i18n_text import TEXT
from gridplan.report.layout import layout
from gridplan.report.run import Run, is_variable, make_run
from gridplan.report.series import DISPATCH, ENERGY, FAMILIES, Family, Flow, dispatch_series, energy_series
from gridplan.report.single import figures, write_report
from gridplan.report.tables import ACHIEVED

Runs = tuple[xr.Dataset, xr.Dataset]


def title_of(item: object) -> str:
    return str(item.title if hasattr(item, "rows") else item.layout.title.text)  # type: ignore[attr-defined]


def fixed_part(key: str) -> str:
    """The English text of a key up to its first format field ('Capacity difference from ')."""
    return i18n.TEXT[key][0].split("{")[0]


def test_every_registered_chart_is_drawn_titled_and_on_the_page(runs: Runs, tmp_path: Path) -> None:  # noqa: F811
    assert [c.key for c in CHARTS] == SINGLE
    figs = figures(runs[0])
    assert list(figs) == SINGLE  # the test scenario has something for every chart
    for c in CHARTS:
        assert title_of(figs[c.key]).startswith(fixed_part(c.title)), c.key
    html = write_report(runs[0], tmp_path / "report.html").read_text()
    for key in SINGLE:
        assert f'id="fig-{key}"' in html and f'href="#fig-{key}"' in html

    assert [c.key for c in COMPARE_CHARTS] == ["plans", *COMPARE]
    items = compare_figures(list(runs))
    assert list(items) == COMPARE  # short labels: no plans table
    for c in COMPARE_CHARTS[1:]:
        assert title_of(items[c.key]).startswith(fixed_part(c.title)), c.key
    html = write_compare(list(runs), tmp_path / "compare.html").read_text()
    for key in COMPARE:
        assert f'id="fig-{key}"' in html


PEAK_TEXTS = {"peak_by_zone": ("Peak demand by zone, {period}", "各区最大负荷（{period}年）")}


def fig_peak_by_zone(r: Run) -> go.Figure:
    """The chart of the worked example: peak demand [MW] by zone in the last period."""
    last = r.periods[-1]
    peak = r.ds["demand"].sel(period=last).max("time")
    fig = go.Figure(go.Bar(x=r.zones, y=[float(peak.sel(zone=z)) for z in r.zones], name="peak"))
    fig.update_yaxes(title_text=axis("power_axis", "MW", r.lang))
    return layout(fig, text("peak_by_zone", r.lang, period=last), text("all_zones", r.lang))


def test_a_chart_added_through_the_registry_is_on_the_page(
    runs: Runs,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding a chart: its module (here the texts and function above, the texts added with
    i18n.add_texts) and one line in charts.CHARTS."""
    monkeypatch.setattr(i18n, "TEXT", dict(TEXT))  # the added texts stay in this test
    i18n.add_texts(PEAK_TEXTS)
    chart = Chart("peak_by_zone", fig_peak_by_zone, "peak_by_zone")
    monkeypatch.setattr(charts, "CHARTS", [*CHARTS, chart])
    ds = runs[0]
    figs = figures(ds)
    assert list(figs) == [*SINGLE, "peak_by_zone"]
    peak = ds["demand"].sel(period=2030).max("time")
    assert list(figs["peak_by_zone"].data[0].y) == [float(peak.sel(zone="a")), float(peak.sel(zone="b"))]
    assert float(peak.sel(zone="a")) > float(peak.sel(zone="b")) > 0  # zone a carries 60 % of the load
    html = write_report(ds, tmp_path / "report.html").read_text()
    assert 'id="fig-peak_by_zone"' in html and 'href="#fig-peak_by_zone"' in html
    assert "Peak demand by zone, 2030" in html
    assert figures(ds, "zh")["peak_by_zone"].layout.title.text == "各区最大负荷（2030年）"
    with pytest.raises(ValueError, match="already"):
        i18n.add_texts({"peak_by_zone": ("Peak load", "最大负荷")})


def test_every_family_is_shown_somewhere() -> None:
    assert set(ENERGY) <= set(FAMILIES) and set(DISPATCH) <= set(FAMILIES)
    assert set(FAMILIES) == set(ENERGY) | set(DISPATCH)


def test_an_energy_family_added_through_the_registry_is_in_both_charts(
    runs: Runs,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding a family: one entry in FAMILIES and its name in ENERGY and DISPATCH. Here a made-up
    fuel cell discharging 5 MW in zone a every step: 5 MW * sum_t weight[t] MWh/yr in the energy
    chart, 5 MW in each step of the dispatch chart (zone b: nothing)."""
    ds = runs[0].copy()
    cell = xr.zeros_like(ds["unserved"])
    cell.loc[{"zone": "a"}] = 5.0
    ds["fuel_cell"] = cell
    family = Family("", lambda r, _: ("fuel_cell", "Fuel cell", "#00aa88"), (Flow("fuel_cell"),))
    monkeypatch.setitem(FAMILIES, "fuel_cell", family)
    monkeypatch.setattr(series, "ENERGY", (*ENERGY, "fuel_cell"))
    monkeypatch.setattr(series, "DISPATCH", (*DISPATCH, "fuel_cell"))
    r = make_run(ds, "en")
    energy = {s[1]: s for s in energy_series(r)}
    hours = float(ds["weight"].sum())
    assert hours == pytest.approx(8760.0)  # the representative days stand for the whole year
    np.testing.assert_allclose(energy["Fuel cell"][3], [5.0 * hours] * 2)
    assert energy["Fuel cell"][4] == "pos"
    in_a = {s[1]: s for s in dispatch_series(r, 2030, "a")}
    np.testing.assert_allclose(in_a["Fuel cell"][3], 5.0)
    in_b = {s[1]: s for s in dispatch_series(r, 2030, "b")}
    np.testing.assert_allclose(in_b["Fuel cell"][3], 0.0)


def test_kind_names_caps_and_achieved_values_come_from_the_kind_registry(runs: Runs) -> None:  # noqa: F811
    assert set(ACHIEVED) <= set(TARGET_KINDS)
    for kind, k in TARGET_KINDS.items():
        assert Names({}, "en").target_kind(kind) == k.name_en
        assert Names({}, "zh").target_kind(kind) == k.name_zh
    assert Names({}, "zh").target_kind("not_a_kind") == "not_a_kind"
    r = make_run(runs[0], "en")
    assert is_variable(r, "solar_utility") and is_variable(r, "wind_onshore")
    assert not is_variable(r, "coal_600") and not is_variable(r, "gas_peaker")
    (name, required), *rest = _caps(r, "tCO2")  # the co2_cap target: a level in tCO2
    assert rest == [] and name.startswith("co2") and list(required) == [1.2e5, 4.0e4]
    assert _caps(r, "tce") == []  # no coal cap in the test scenario
