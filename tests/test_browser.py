"""Reports in a real headless Chromium (issues 8 and 21): every chart renders offline with the
embedded CJK font, no table cell or header is clipped, every legend entry is visible.

Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver fonts-noto-cjk)
and selenium; skipped without them. Screenshots go to $GRIDPLAN_SCREENS (default: tmp_path)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import test_report
import xarray as xr
from test_report import COMPARE, SINGLE, without_targets

from gridplan.report.compare import write_compare
from gridplan.report.single import write_report

solved_runs = test_report.runs  # the fixture `runs`: two small plans solved once per module
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER),
        reason="chromium and chromedriver not installed (Debian: apt-get install chromium chromium-driver)",
    ),
]

# Per table cell: clipped if its content is wider or taller than its box. Per plot: the legend
# entries drawn, the entries expected (traces shown in the legend), and the entries lying outside
# the legend's visible box (cut off by its scroll clip) or outside the figure.
CHECK_JS = """
var clipped = [];
document.querySelectorAll('table.grid th, table.grid td').forEach(function (c) {
  var style = getComputedStyle(c);
  if (c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1 ||
      style.textOverflow === 'ellipsis') { clipped.push(c.textContent); }
});
var legends = {};
document.querySelectorAll('div.plot').forEach(function (gd) {
  var on = gd._fullLayout.showlegend;
  var expected = on ? gd._fullData.filter(function (t) {
    return t.showlegend !== false && t.visible !== false; }).length : 0;
  var items = gd.querySelectorAll('.legend .traces');
  var bg = gd.querySelector('.legend rect.bg');
  var box = bg ? bg.getBoundingClientRect() : null;
  var page = gd.getBoundingClientRect();
  var hidden = [];
  items.forEach(function (it) {
    var r = it.getBoundingClientRect();
    if (!box || r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.right > page.right + 1 ||
        r.left < page.left - 1) { hidden.push(it.textContent); }
  });
  legends[gd.id] = {drawn: items.length, expected: expected, hidden: hidden};
});
return {clipped: clipped, legends: legends, tables: document.querySelectorAll('table.grid').length,
        width: document.documentElement.scrollWidth, window: window.innerWidth};
"""


def screens(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GRIDPLAN_SCREENS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def browse(html: Path, png: Path, width: int = 1400) -> dict[str, Any]:
    """Open a page in headless Chromium, wait until every plot has rendered, run CHECK_JS, save a
    full-page screenshot; return rendered plot ids, the browser's error log, the URLs requested,
    the embedded font's status and the checks."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={width},1000",
    ):
        opts.add_argument(flag)
    if CHROMIUM:
        opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        driver.set_script_timeout(60)
        driver.get(html.resolve().as_uri())
        done = driver.execute_async_script(
            "var cb = arguments[arguments.length - 1];"
            "(window.gridplanDone || Promise.resolve()).then(function () { cb('ok'); },"
            " function (e) { cb('error: ' + e); });"
        )
        info = driver.execute_script(
            "var fonts = []; document.fonts.forEach(function (f) { fonts.push([f.family, f.status]); });"
            "return {rendered: Array.prototype.map.call(document.querySelectorAll('div.plot[data-rendered=\"1\"]'),"
            " function (d) { return d.id; }), svg: document.querySelectorAll('div.plot .main-svg').length,"
            " fonts: fonts, ms: window.gridplanRenderMs,"
            " cjk: document.fonts.check(\"16px 'gridplan-sans'\", '抽水蓄能')};"
        )
        info.update(driver.execute_script(CHECK_JS))
        driver.set_window_size(width, int(driver.execute_script("return document.body.scrollHeight")) + 40)
        driver.save_screenshot(str(png))
        info["done"] = done
        info["errors"] = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        urls = set()
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                urls.add(msg["params"]["request"]["url"])
        info["urls"] = urls
        return info
    finally:
        driver.quit()


def assert_readable(info: dict[str, Any], name: str, keys: list[str]) -> None:
    """Rendered offline with the CJK font, no clipped cell, every legend entry drawn and visible."""
    assert info["done"] == "ok", name
    assert sorted(info["rendered"]) == sorted(f"plot-{k}" for k in keys), name
    assert info["svg"] >= len(keys), name
    assert info["errors"] == [], name
    outside = {u for u in info["urls"] if not u.startswith(("file:", "data:"))}
    assert outside == set(), name
    assert ["gridplan-sans", "loaded"] in info["fonts"] and info["cjk"], name
    assert info["clipped"] == [], name
    for plot, leg in info["legends"].items():
        assert leg["drawn"] == leg["expected"], (name, plot, leg)
        assert leg["hidden"] == [], (name, plot, leg)
    assert info["width"] <= info["window"], name  # wide tables scroll inside their box, not the page


def test_reports_readable_in_chromium(solved_runs: tuple[xr.Dataset, xr.Dataset], tmp_path: Path) -> None:
    """English and Chinese run reports; a comparison of three plans (a long sweep-style label, a
    counterfactual without two targets) in both languages, also in a narrow window."""
    a, b = solved_runs
    long = b.assign_attrs(scenario="storage.battery.capex_power ×0.712345678912, fuels.coal.price ×1.2")
    off = without_targets(a, ["solar_capacity", "co2"], "no solar or CO₂ target")
    plans = [a, long, off]
    folder = screens(tmp_path)
    pages = {
        "report-en": (write_report(a, tmp_path / "report-en.html", "en"), SINGLE, 1400),
        "report-zh": (write_report(a, tmp_path / "report-zh.html", "zh"), SINGLE, 1400),
        "compare-en": (write_compare(plans, tmp_path / "compare-en.html", "en"), COMPARE, 1400),
        "compare-zh": (write_compare(plans, tmp_path / "compare-zh.html", "zh"), COMPARE, 1400),
        "compare-zh-narrow": (tmp_path / "compare-zh.html", COMPARE, 800),
    }
    for name, (html, keys, width) in pages.items():
        assert html.stat().st_size < 20e6
        info = browse(html, folder / f"{name}.png", width)
        tables = ("summary", "targets") + (() if name.startswith("report") else ("reserves",))  # not plots
        assert_readable(info, name, [k for k in keys if k not in tables])
        assert info["tables"] == (1 if name.startswith("report") else 4), name
        assert (folder / f"{name}.png").stat().st_size > 50_000


def test_target_costs_page_readable_in_chromium(tmp_path: Path) -> None:
    """The target-cost page (built from a table like target_costs writes): styled like the reports,
    bilingual, no clipped cell; solver noise drawn as a zero bar."""
    from gridplan.report.sweep_pages import target_page

    table = pd.DataFrame(
        {
            "target": ["solar_min", "co2"],
            "name_zh": ["光伏", "碳排放"],
            "kind": ["capacity", "co2_cap"],
            "premium [CNY, PV]": [1.5e-7, 2.7665e6],
            "premium [CNY/yr]": [1.5e-7, 2.7665e6],
            "shadow price 2025": [0.0, -196.27],
            "shadow price unit": ["CNY/kW-yr", "CNY/tCO2"],
            "Δ capacity solar 2025 [MW]": [0.0, 8.0656],
            "note": ["", ""],
        }
    )
    cap = pd.DataFrame(
        {
            "target": ["co2", "co2"],
            "period": [2025, 2025],
            "tech": ["solar", "coal"],
            "change [MW]": [8.0656, 0.0],
            "with target [MW]": [28.0656, 100.0],
            "without target [MW]": [20.0, 100.0],
        }
    )
    folder = screens(tmp_path)
    for lang in ("en", "zh"):
        html = target_page("case.yaml", table, cap, tmp_path / f"tc-{lang}.html", lang, 1e9)
        info = browse(html, folder / f"target-costs-{lang}.png")
        assert_readable(info, f"target-costs-{lang}", ["premium", "capacity"])


def test_sensitivity_pages_readable_in_chromium(tmp_path: Path) -> None:
    """A Latin-hypercube sweep of four scenarios on a two-day case: the English and Chinese
    sensitivity pages render like the reports, every legend entry visible, no clipped cell, and no
    sampled value with more than 4 significant digits in a table or a tornado label."""
    import re

    from test_sweep import small_case, write_sweep

    from gridplan.sweep import load_sweep, run_sweep

    small_case(tmp_path / "case", days=2)
    spec = {
        "base": "case",
        "design": "latin_hypercube",
        "samples": 4,
        "parameters": {
            "storage.battery.capex_energy": {"scale_range": [0.5, 1.5]},
            "fuels.coal.price": {"range": [800, 1200]},
        },
    }
    run = run_sweep(load_sweep(write_sweep(tmp_path, spec), tmp_path / "out"), workers=1, echo=lambda s: None)
    assert run.done == 4 and run.html is not None
    folder = screens(tmp_path)
    for lang, html in (("en", run.html), ("zh", run.html.with_name("sensitivity.zh.html"))):
        info = browse(html, folder / f"sensitivity-{lang}.png")
        plots = [p.removeprefix("plot-") for p in info["rendered"]]
        assert len(plots) == 8  # tornado and curves of four default outputs
        assert_readable(info, f"sensitivity-{lang}", plots)
        doc = html.read_text(encoding="utf-8")
        tables = "".join(re.findall(r"<table.*?</table>", doc, re.S))
        assert "latin_hypercube" in doc and ("方案列表" in doc) == (lang == "zh")
        assert tables.count("<tr>") == 5 and not re.search(r"\d\.\d{5,}", tables)
        figs = re.findall(r'id="data-tornado\d+">(.*?)</script>', doc, re.S)
        names = [n for f in figs for n in json.loads(f.replace("<\\/", "</"))["data"][0]["y"]]
        assert len(names) == 2 * len(figs) == 8 and all("→" in n for n in names)
        assert not any(re.search(r"\d\.\d{5,}", n) for n in names), names


def test_checks_catch_clipped_cells_and_hidden_legend_entries(tmp_path: Path) -> None:
    """The checks themselves: 45 legend entries fit (the figure grows with its legend), but the same
    entries in a figure forced to 480 px are reported hidden; a cell forced to clip is reported."""
    import plotly.graph_objects as go

    from gridplan.report.html import Table, page
    from gridplan.report.layout import layout

    def many(n: int) -> go.Figure:
        fig = go.Figure()
        for i in range(n):
            fig.add_trace(go.Bar(x=["a"], y=[i], name=f"technology {i} 抽水蓄能 放电"))
        return fig

    long_label = "storage.battery.capex_power ×0.7123, fuels.coal.price ×1.2 " * 3
    table = Table("t", "", ["plan", "cost [bn CNY]"], [[long_label, "1,040.123"]], ["l", "r"])
    items = {"fits": layout(many(45), "45 entries"), "forced": layout(many(45), "forced"), "t": table}
    items["forced"].update_layout(height=480)
    html = page("checks", [], items, "en", [])
    clipping = html.replace(
        "</style>",
        "table.grid { table-layout: fixed; width: 300px; } table.grid td.l { white-space: nowrap !important; overflow: hidden; }</style>",
    )
    (tmp_path / "ok.html").write_text(clipping, encoding="utf-8")
    info = browse(tmp_path / "ok.html", screens(tmp_path) / "checks.png")
    assert info["legends"]["plot-fits"] == {"drawn": 45, "expected": 45, "hidden": []}
    assert len(info["legends"]["plot-forced"]["hidden"]) > 10
    assert info["clipped"] == [long_label]
