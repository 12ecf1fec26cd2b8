"""Self-contained HTML pages of the reports: plotly figures and real HTML tables on one page.

One look for every page (run report, comparison, sensitivity sweep, target costs): the same CSS,
plotly.js inline and a subset of Noto Sans CJK SC embedded as a data URL (no network). Tables are
<table> elements whose headers and text cells wrap and whose numbers never clip: a table wider
than the page scrolls sideways inside its own box.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, TypeAlias

import plotly.graph_objects as go

from gridplan.report.i18n import text

FONT_FILE = Path(__file__).parents[1] / "fonts" / "NotoSansCJKsc-Regular-GB2312.woff"
FONT_NAME = "gridplan-sans"
FONT_STACK = (
    f"{FONT_NAME}, 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', "
    "'PingFang SC', sans-serif"
)
ALIAS_LEN = 18  # labels longer than this are replaced by S1, S2, ... in comparisons


@dataclass
class Table:
    """A table of display strings: title, subtitle, header, rows, and per column 'l', 'r' or 'c'.

    `marked` holds (row, column) cells shown in italics (e.g. values computed for a disabled
    target); `note` is printed under the table."""

    title: str
    subtitle: str
    header: list[str]
    rows: list[list[str]]
    align: list[str]
    note: str = ""
    marked: set[tuple[int, int]] = field(default_factory=set)

    def column(self, name: str) -> list[str]:
        """The cells of the column headed `name`."""
        j = self.header.index(name)
        return [r[j] for r in self.rows]

    def strings(self) -> list[str]:
        return [self.title, self.subtitle, self.note, *self.header, *(c for r in self.rows for c in r)]


Item: TypeAlias = Any  # a plotly go.Figure or a Table (plotly has no type stubs)


def table_html(key: str, t: Table) -> str:
    """A <section> with the table: wrapping headers and text cells, numbers on one line."""
    cls = {"l": "l", "r": "r", "c": "c", "left": "l", "right": "r", "center": "c"}
    head = "".join(f"<th>{escape(h)}</th>" for h in t.header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{cls[a]}{" mark" if (i, j) in t.marked else ""}">{escape(c)}</td>'
            for j, (c, a) in enumerate(zip(row, t.align, strict=True))
        )
        + "</tr>"
        for i, row in enumerate(t.rows)
    )
    sub = f'<p class="sub">{escape(t.subtitle)}</p>' if t.subtitle else ""
    note = f'<p class="note">{escape(t.note)}</p>' if t.note else ""
    return (
        f'<section class="table" id="fig-{key}"><h2>{escape(t.title)}</h2>{sub}<div class="scroll">'
        f'<table class="grid" id="table-{key}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        f"</table></div>{note}</section>"
    )


_LONG_FLOAT = re.compile(r"-?\d+\.\d{4,}(?:e[-+]?\d+)?")


def tidy_label(label: str) -> str:
    """A label with long decimals (sampled values such as 0.712345678912) cut to 4 significant digits."""
    return _LONG_FLOAT.sub(lambda m: f"{float(m.group()):.4g}", label)


def number(v: float, digits: int = 4) -> str:
    """A number for a label: `digits` significant digits (all digits of integers part), thousands
    separators, no scientific notation, no -0."""
    if not math.isfinite(v):
        return "–"
    if v == 0 or abs(v) >= 10 ** (digits - 1):
        s = f"{v:,.0f}"
    else:  # fixed point, never scientific notation
        s = f"{v:,.{digits - 1 - math.floor(math.log10(abs(v)))}f}".rstrip("0").rstrip(".")
    return "0" if float(s.replace(",", "")) == 0 else s


def aliases(labels: list[str]) -> list[str]:
    """S1, S2, ... when any label is longer than ALIAS_LEN characters, else the labels."""
    if all(len(lab) <= ALIAS_LEN for lab in labels):
        return list(labels)
    return [f"S{i + 1}" for i in range(len(labels))]


def _strings(obj: Any, out: set[str]) -> None:
    """Every character of every string in a JSON-like object."""
    if isinstance(obj, str):
        out.update(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.update(str(k))
            _strings(v, out)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _strings(v, out)


def font_face(chars: set[str]) -> str:
    """CSS @font-face with the shipped Noto Sans CJK SC subset, cut down to `chars` (plus ASCII)
    when fontTools is available, as a base64 WOFF data URL (no network)."""
    data = FONT_FILE.read_bytes()
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
        opts = subset.Options()
        opts.flavor = "woff"
        opts.hinting = False
        sub = subset.Subsetter(opts)
        sub.populate(text="".join(sorted(chars | {chr(c) for c in range(0x20, 0x7F)})))
        sub.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
        data = buf.getvalue()
    except ImportError:  # without fontTools: the whole shipped subset (about 2.4 MB)
        pass
    b64 = base64.b64encode(data).decode("ascii")
    return (
        f"@font-face {{ font-family: '{FONT_NAME}'; font-style: normal; font-weight: 400 700; "
        f"src: url(data:font/woff;base64,{b64}) format('woff'); }}"
    )


CSS = """
body { font-family: %(stack)s; margin: 0; color: #1b263b; background: #fafafa; }
header { background: #264653; color: white; padding: 18px 28px; }
header h1 { margin: 0 0 6px 0; font-size: 24px; font-weight: 600; }
header p { margin: 2px 0; font-size: 14px; opacity: 0.92; }
nav { padding: 10px 28px; background: #e9f1f2; font-size: 14px; line-height: 1.7; }
nav a { margin-right: 14px; color: #1d3557; text-decoration: none; }
main { padding: 12px 20px 40px 20px; }
section.chart, section.table { background: white; margin: 14px 0; padding: 6px;
  border: 1px solid #e3e3e3; border-radius: 4px; }
section.table { padding: 12px 16px 14px 16px; }
section.table h2 { margin: 2px 0 4px 0; font-size: 17px; font-weight: 400; color: #2a3f5f; }
section.table p.sub { margin: 0 0 10px 0; font-size: 13px; color: #506784; }
section.table p.note { margin: 8px 0 0 0; font-size: 13px; color: #555; }
div.scroll { overflow-x: auto; max-width: 100%%; }
table.grid { border-collapse: collapse; font-size: 13px; }
table.grid th { background: #264653; color: white; font-weight: 600; text-align: left;
  vertical-align: bottom; padding: 6px 8px; white-space: normal; overflow-wrap: anywhere;
  min-width: 3.5em; max-width: 18em; }
table.grid td { padding: 4px 8px; border-bottom: 1px solid #e8e8e8; vertical-align: top; }
table.grid td.r { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.grid td.c { text-align: center; white-space: nowrap; }
table.grid td.l { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 6em;
  max-width: 30em; }
table.grid td.mark { font-style: italic; color: #6c757d; }
table.grid tbody tr:nth-child(even) td { background: #f4f6f6; }
div.plot { width: 100%%; }
footer { padding: 10px 28px 30px 28px; font-size: 13px; color: #555; }
"""

RENDER_JS = """
(function () {
  var t0 = performance.now();
  var plots = Array.prototype.slice.call(document.querySelectorAll('div.plot'));
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud']};
  var font = (document.fonts && document.fonts.load) ?
    document.fonts.load("14px '%(font)s'", '\\u4e2dA').catch(function () { return null; }) : Promise.resolve();
  window.gridplanDone = font.then(function () {
    return Promise.all(plots.map(function (div) {
      var fig = JSON.parse(document.getElementById(div.dataset.src).textContent);
      var t = performance.now();
      return Plotly.newPlot(div, fig.data, fig.layout, config).then(function () {
        div.dataset.rendered = '1';
        div.dataset.ms = String(Math.round(performance.now() - t));
      });
    }));
  }).then(function () {
    window.gridplanRenderMs = performance.now();
    window.gridplanPlotMs = performance.now() - t0;
    document.body.dataset.rendered = String(plots.length);
  });
})();
"""


def _json_script(fig: go.Figure) -> str:
    return fig.to_json().replace("</", "<\\/")


def page(title: str, facts: list[str], items: dict[str, Item], lang: str, notes: list[str]) -> str:
    """A self-contained HTML page: plotly.js, the CJK font subset, every figure and table inline."""
    from plotly.offline import get_plotlyjs

    jsons = {k: _json_script(f) for k, f in items.items() if isinstance(f, go.Figure)}
    chars: set[str] = set()
    for j in jsons.values():
        _strings(json.loads(j.replace("<\\/", "</")), chars)
    for it in items.values():
        if isinstance(it, Table):
            _strings(it.strings(), chars)
    for s in [title, *facts, *notes, text("contents", lang), text("notes", lang)]:
        chars.update(s)

    def heading(k: str, it: Item) -> str:
        return it.title if isinstance(it, Table) else str(it.layout.title.text or k)

    nav = " ".join(f'<a href="#fig-{k}">{escape(heading(k, it))}</a>' for k, it in items.items())
    sections = "\n".join(
        table_html(k, it)
        if isinstance(it, Table)
        else f'<section class="chart" id="fig-{k}"><div class="plot" id="plot-{k}" data-src="data-{k}"></div>'
        f'<script type="application/json" id="data-{k}">{jsons[k]}</script></section>'
        for k, it in items.items()
    )
    css = CSS % {"stack": FONT_STACK}
    foot = (
        f"<footer><b>{escape(text('notes', lang))}.</b> {' '.join(escape(n) for n in notes)}</footer>\n"
        if notes
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
        f"<style>\n{font_face(chars)}\n{css}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n</head>\n<body>\n'
        f"<header><h1>{escape(title)}</h1>{''.join(f'<p>{escape(x)}</p>' for x in facts)}</header>\n"
        f"<nav><b>{escape(text('contents', lang))}{text('colon', lang).strip()}</b> {nav}</nav>\n"
        f"<main>\n{sections}\n</main>\n{foot}"
        f"<script>{RENDER_JS % {'font': FONT_NAME}}</script>\n</body>\n</html>\n"
    )
