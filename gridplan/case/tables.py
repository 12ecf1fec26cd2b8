"""Reading one hourly CSV table (`hour` 1..8760, then one numeric column per zone or channel),
with every problem named by file, column and file line (header = line 1)."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gridplan.case.paths import is_file
from gridplan.case.spelling import did_you_mean
from gridplan.errors import WARNING, Problem

HOURS = 8760  # hours of the 365-day year every table covers
MAX_CSV_BYTES = 256_000_000  # an hourly table of 8760 rows and a few hundred columns is far smaller


def read_table(
    path: Path,
    columns: list[str],
    where: str,
    problems: list[Problem],
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    plausible_max: float | None = None,
    warn_unused: bool = False,
) -> pd.DataFrame | None:
    """Read an hourly CSV: `hour` 1..8760 then the given numeric columns, checked.

    Rows in messages are file lines (header = 1). `plausible_max` flags values that betray a
    wrong unit (e.g. loads in kW); `warn_unused` adds a warning for columns nobody uses."""
    name = str(path)
    if not is_file(path):
        problems.append(Problem(name, where, message="file not found"))
        return None
    nul = nul_problem(path)
    if nul is not None:
        problems.append(nul)
        return None
    header = _header(path)
    df = _parse_csv(path, problems)
    if df is None:
        return None
    n0 = len(problems)
    if not _check_columns(df, header, name, columns, where, problems, warn_unused):
        return None
    _check_hours(df, name, problems)
    for c in [c for c in columns if c in df.columns]:
        _check_values(df[c], name, c, lo, hi, unit, plausible_max, problems)
    if len(problems) > n0 and any(p.is_error for p in problems[n0:]):
        return None
    out = df[columns].astype(float)
    out.index = pd.RangeIndex(1, HOURS + 1, name="hour")
    return out


def _parse_csv(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """The CSV as text cells (empty cells NaN); a problem when it is not UTF-8 or not a CSV."""
    name = str(path)
    try:
        return pd.read_csv(
            path, encoding="utf-8-sig", skip_blank_lines=False, keep_default_na=False, na_values=[""]
        )
    except UnicodeDecodeError as e:
        problems.append(
            Problem(
                name,
                message=f"not UTF-8 text ({e.reason} at byte {e.start}); "
                "expected a UTF-8 CSV (save from Excel as 'CSV UTF-8')",
            )
        )
        return None
    except Exception as e:  # noqa: BLE001 - any parser failure is reported to the user
        m = re.search(r"line (\d+)", str(e))
        problems.append(
            Problem(
                name,
                row=int(m.group(1)) if m else None,
                message=f"cannot read as CSV: {str(e).strip()}; expected comma-separated "
                "values with one header line",
            )
        )
        return None


def _check_columns(
    df: pd.DataFrame,
    header: list[str] | None,
    name: str,
    columns: list[str],
    where: str,
    problems: list[Problem],
    warn_unused: bool,
) -> bool:
    """Duplicate, missing and (warn_unused) unused columns; False when `hour` is missing."""
    if header:
        dup = sorted({c for c in header if header.count(c) > 1})
        for c in dup:
            problems.append(
                Problem(
                    name,
                    c,
                    1,
                    message="column appears more than once in the header; expected each column once",
                )
            )
    if "hour" not in df.columns:
        cols = [str(c) for c in df.columns]
        hint = ""
        if len(cols) == 1 and (";" in cols[0] or "\t" in cols[0]):
            hint = f" (the separator looks like {';' if ';' in cols[0] else 'a tab'!r}; expected commas)"
        problems.append(
            Problem(
                name,
                "hour",
                1,
                message=f"missing column; found {cols}{hint}; "
                "expected 'hour' then one column per zone or channel",
            )
        )
        return False
    for c in columns:
        if c not in df.columns:
            hint = did_you_mean(c, [str(x) for x in df.columns])
            problems.append(Problem(name, c, 1, message=f"missing column{hint}; needed by {where}"))
    if warn_unused:
        for c in df.columns:
            if c != "hour" and c not in columns and re.sub(r"\.\d+$", "", str(c)) not in dup_names(header):
                problems.append(
                    Problem(
                        name,
                        str(c),
                        1,
                        severity=WARNING,
                        message=(
                            f"column not used by {where} (used: {columns}); a misspelt zone or channel?"
                        ),
                    )
                )
    return True


def _check_hours(df: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    """8760 data rows with `hour` 1..8760 in order."""
    hour = pd.to_numeric(df["hour"], errors="coerce")
    if len(df) != HOURS:
        problems.append(
            Problem(
                name,
                "hour",
                message=f"{len(df)} data rows; expected {HOURS} (one per hour "
                "of a 365-day year, no leap day)",
            )
        )
    bad = np.flatnonzero(hour.to_numpy() != np.arange(1, len(df) + 1))
    if len(bad):
        r = int(bad[0])
        hint = " (hours look 0-based; expected 1..8760)" if len(df) and hour.iloc[0] == 0 else ""
        problems.append(
            Problem(
                name,
                "hour",
                r + 2,
                message=(
                    f"found {_show(df['hour'].iloc[r])}; expected {r + 1} (hours 1..{HOURS} in order, "
                    f"no gaps or duplicates){hint}"
                ),
            )
        )


def _check_values(
    cells: pd.Series,
    name: str,
    c: str,
    lo: float | None,
    hi: float | None,
    unit: str,
    plausible_max: float | None,
    problems: list[Problem],
) -> None:
    """Column `c`: numbers, finite, within [lo, hi], at most plausible_max."""
    col = pd.to_numeric(cells, errors="coerce")
    bad = np.flatnonzero(col.isna().to_numpy())
    if len(bad):
        r = int(bad[0])
        problems.append(
            Problem(
                name,
                c,
                r + 2,
                message=(f"found {_show(cells.iloc[r])}; expected a number ({len(bad)} such rows)"),
            )
        )
        return
    v = col.to_numpy(dtype=float)
    inf = np.flatnonzero(~np.isfinite(v))
    if len(inf):
        r = int(inf[0])
        problems.append(Problem(name, c, r + 2, message=f"found {v[r]}; expected a finite number"))
        return
    for bound, test, word in ((lo, v < (lo or 0) - 1e-9, "below"), (hi, v > (hi or 0) + 1e-9, "above")):
        if bound is not None and test.any():
            r = int(np.flatnonzero(test)[0])
            hint = ""
            if word == "above" and hi == 1.0 and 2 < v.max() <= 100:
                hint = "; it looks like percent: expected per-unit values (0.85 for 85%)"
            problems.append(
                Problem(
                    name,
                    c,
                    r + 2,
                    message=(
                        f"found {v[r]:g}{unit and ' ' + unit}, {word} the allowed range "
                        f"{_range(lo, hi)} "
                        f"({int(test.sum())} rows){hint}"
                    ),
                )
            )
    if plausible_max is not None and len(v) and v.max() > plausible_max:
        r = int(np.argmax(v))
        problems.append(
            Problem(
                name,
                c,
                r + 2,
                message=(
                    f"found {v[r]:.4g} {unit}, more than any plausible value ({plausible_max:g} {unit}); "
                    f"is it in {'kW' if unit == 'MW' else 'a 1000 times smaller unit'} (÷1000)? expected {unit}"
                ),
            )
        )


def _header(path: Path) -> list[str] | None:
    """The header cells of a CSV as written (duplicates kept); None when unreadable."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _range(lo: float | None, hi: float | None) -> str:
    """An allowed range as text: [lo, hi], >= lo or <= hi."""
    if lo is not None and hi is not None:
        return f"[{lo:g}, {hi:g}]"
    return f">= {lo:g}" if lo is not None else f"<= {hi:g}"


def _show(val: Any) -> str:
    """A cell as a person would read it: numbers plain, text quoted, empty cells named."""
    if isinstance(val, np.generic):
        val = val.item()
    if val is None or (isinstance(val, float) and math.isnan(val)):
        return "an empty cell"
    if isinstance(val, float | int) and not isinstance(val, bool):
        return f"{val:g}"
    return repr(val)


def dup_names(header: list[str] | None) -> set[str]:
    """Column names that appear more than once in a header."""
    return {c for c in header or [] if header is not None and header.count(c) > 1}


def nul_problem(path: Path) -> Problem | None:
    """A NUL byte anywhere in a CSV (pandas would cut the number at it and read another number)."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            return Problem(
                str(path),
                message=f"larger than {MAX_CSV_BYTES:,} bytes; expected an hourly table of 8760 rows",
            )
        raw = path.read_bytes()
    except OSError:
        return None
    at = raw.find(b"\x00")
    if at < 0:
        return None
    start = raw.rfind(b"\n", 0, at) + 1
    line = raw.count(b"\n", 0, at) + 1
    header = raw[: raw.find(b"\n")].decode("utf-8", "replace").lstrip("\ufeff").split(",")
    col = raw.count(b",", start, at)
    field = header[col].strip() if col < len(header) else ""
    return Problem(
        str(path),
        field,
        line,
        message="found a NUL byte (\\x00) inside a value; expected plain text numbers (a corrupted file?)",
    )
