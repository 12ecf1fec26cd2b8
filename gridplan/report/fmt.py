"""Numbers as a planner reads them: thousands separators, no scientific notation, no -0, solver
noise shown as 0. Used by the terminal summary, `gridplan show` and the reports.

    num(98_390_000)        -> "98,390,000"      num(0.5673)   -> "0.5673"
    num(-3e-9)             -> "0"               num(1474.2)   -> "1,474"
    num(9.839e7, scale=1e6) -> "98.39" (a value in t shown in Mt)
"""

from __future__ import annotations

import math

NOISE = 1e-6  # |x| below NOISE x reference is solver noise: shown as 0


def is_noise(x: float, ref: float = 1.0) -> bool:
    """|x| < NOISE * max(1, |ref|): a value a solver returns for zero."""
    return abs(x) < NOISE * max(1.0, abs(ref))


def num(x: float, sig: int = 4, scale: float = 1.0, ref: float = 1.0, max_decimals: int = 10) -> str:
    """x / scale with `sig` significant digits (never fewer than the integer digits), thousands
    separators and no exponent; NaN as "-"; noise (is_noise(x, ref), in x's unit) and -0 as "0"."""
    if not math.isfinite(x):
        return "-" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if is_noise(x, ref):
        return "0"
    v = x / scale
    decimals = min(max(0, sig - 1 - math.floor(math.log10(abs(v)))), max_decimals)
    s = f"{v:,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s.lstrip("-").strip("0.,") == "" else s


def fixed(x: float, decimals: int = 0, scale: float = 1.0) -> str:
    """x / scale with a fixed number of decimals and separators; NaN as "-", -0 as "0"."""
    if not math.isfinite(x):
        return "-" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    s = f"{x / scale:,.{decimals}f}"
    return s[1:] if s.startswith("-") and s.strip("-0.,") == "" else s


def power(mw: float) -> str:
    """A capacity: MW below 10,000 MW, GW from there ("1,350 MW", "100.4 GW")."""
    if math.isfinite(mw) and abs(mw) >= 10_000:
        return f"{num(mw, sig=4, scale=1e3)} GW"
    return f"{num(mw, sig=4)} MW"


# target units in results (t, tce, MW, share) -> the unit, divisor and format a summary shows
DISPLAY = {"tCO2": ("MtCO2", 1e6), "tce": ("Mtce", 1e6), "share": ("%", 0.01), "MWh": ("TWh", 1e6)}


def quantity(x: float, unit: str, sig: int = 4) -> str:
    """A value in a results unit shown in the summary's unit: t -> Mt, share -> %, MWh -> TWh."""
    shown, scale = DISPLAY.get(unit, (unit, 1.0))
    sep = "" if shown == "%" else " "
    return f"{num(x, sig=sig, scale=scale)}{sep}{shown}".rstrip()


# the same in the units of Chinese plans: 万千瓦 (10 MW), 亿千瓦时 (100 GWh), 万吨 (10 kt)
DISPLAY_ZH = {
    "MW": ("万千瓦", 10.0),
    "MWh": ("亿千瓦时", 1e5),
    "tCO2": ("万吨二氧化碳", 1e4),
    "tce": ("万吨标准煤", 1e4),
    "share": ("%", 0.01),
}


def quantity_zh(x: float, unit: str, sig: int = 4) -> str:
    """A value in a results unit in the Chinese plan's unit: 1,350 MW -> "135万千瓦"."""
    shown, scale = DISPLAY_ZH.get(unit, (unit, 1.0))
    return f"{num(x, sig=sig, scale=scale)}{shown}"


def bar(done: int, total: int, width: int = 20) -> str:
    """A text progress bar: "[#########-----------]  9/20"."""
    k = round(width * done / total) if total else width
    return f"[{'#' * k}{'-' * (width - k)}] {done:>{len(str(total))}}/{total}"


def seconds(s: float) -> str:
    """Elapsed time: "42 s", "3 min 05 s", "1 h 02 min"."""
    if not math.isfinite(s):
        return "?"
    s = round(s)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
