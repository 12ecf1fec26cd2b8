"""Calibration report for the Jiangxi base case: the synthesised profiles and the 2025 system.

Reads inputs/jiangxi/timeseries/*.csv and prints each metric next to its target and source.
If the PIK 2018 reference load (/work/shared/reference/jiangxi_hourly_load_2018_pik.csv) is
present, also compares the load shape with it (comparison only; nothing is copied).
With --system, solves the case's 2025 period alone (a dispatch LP of the recorded fleet, see
`historical_periods`) and prints model against published figures (`system_table()`).

Usage: python scripts/calibration.py [--dir DIR] [--reference CSV] [--system [CASE]]
From a test: load this file with importlib and call `calibration_table()` or `system_table()`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HOURS = 8760
YEAR = 2025
ZONES = ["core", "north", "west", "south"]
TS_DIR = Path(__file__).resolve().parents[1] / "inputs" / "jiangxi" / "timeseries"
REFERENCE = Path("/work/shared/reference/jiangxi_hourly_load_2018_pik.csv")
SPRING_FESTIVAL_DAY = 28  # 29 Jan 2025, 0-based day of year
YAZHONG_MW, FUJIAN_MW = 8000.0, 3000.0

SRC_PEAK = "37.47 GW on 7 Jul 2025, dispatch basis (tuiwangpu.cn/news/show-15258.html)"
SRC_ENERGY = (
    "estimate: 215-220 TWh from H1 2025 = 105.28 TWh (tuiwangpu.cn) and PIK 218 TWh;"
    " 37.5 GW x LF 0.63 = 207 TWh"
)
SRC_SHAPE = "PIK Hourly_demand_of_31_province_China_modified_V2.1.csv, JX column (2018 shape)"
SRC_PV = "estimate: 1,238 kWh/m2 (pimagazine-asia.com) x PR 0.80-0.85"
SRC_WIND = "estimate: 1,900-2,100 h; 2,340 h in 2011 on early lakeside sites (cacpa.com.cn)"


def read(folder: Path, stem: str) -> pd.DataFrame:
    """One profile CSV, indexed by hour 1..8760."""
    return pd.read_csv(folder / f"{stem}.csv", index_col="hour")


def stamp(i: int) -> str:
    """0-based hour of the year -> 'YYYY-MM-DD HH:00' (interval start, UTC+8)."""
    t = pd.Timestamp(f"{YEAR}-01-01") + pd.Timedelta(hours=int(i))
    return f"{t:%Y-%m-%d %H:00} (hour {i + 1})"


def hourly_index() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", periods=HOURS, freq="h")


def row(
    metric: str, value: float | str, lo: float | None, hi: float | None, target: str, source: str
) -> dict[str, object]:
    """One table row; `ok` is None when the metric has no numeric range."""
    ok = None
    if lo is not None and hi is not None and not isinstance(value, str):
        ok = bool(lo <= value <= hi)
    return {
        "metric": metric,
        "achieved": value,
        "target": target,
        "lo": lo,
        "hi": hi,
        "ok": ok,
        "source": source,
    }


def daily_profile(x: np.ndarray) -> np.ndarray:
    """Mean value by hour of day (0..23 = interval start) of an 8760-hour series."""
    return x.reshape(-1, 24).mean(axis=0)


def by_day(x: np.ndarray) -> np.ndarray:
    """8760 hours -> (365, 24)."""
    return x.reshape(-1, 24)


def load_rows(folder: Path) -> list[dict[str, object]]:
    """Metrics of load + EV summed over zones."""
    load = read(folder, "load")[ZONES].sum(axis=1).to_numpy()
    ev = read(folder, "ev_charging")[ZONES].sum(axis=1).to_numpy()
    tot = load + ev
    idx = hourly_index()
    m = idx.month.to_numpy()
    dmonth = m[::24]
    wk = idx.dayofweek.to_numpy()[::24]
    peak = float(tot.max())
    ipeak = int(np.argmax(tot))
    energy = float(tot.sum()) / 1e6
    prof = daily_profile(tot)
    dmax, dmin, dmean = by_day(tot).max(axis=1), by_day(tot).min(axis=1), by_day(tot).mean(axis=1)
    ratio = dmin / dmax
    mmax = np.array([tot[m == k].max() for k in range(1, 13)]) / peak
    week = np.convolve(dmean, np.ones(7) / 7, mode="same")
    sf = week[SPRING_FESTIVAL_DAY - 7 : SPRING_FESTIVAL_DAY + 14].min()
    jan = dmean[:14].mean()
    winter = tot[np.isin(m, (12, 1, 2))].max()
    summer = tot[np.isin(m, (6, 7, 8))].max()
    rows = [
        row("2025 energy, load+EV [TWh]", round(energy, 1), 207, 218, "207-218 (chosen 214)", SRC_ENERGY),
        row(
            "  of which EV charging [TWh]",
            round(ev.sum() / 1e6, 2),
            3.0,
            4.0,
            "~3-4",
            "estimate (see PROFILES.md)",
        ),
        row("annual peak, load+EV [GW]", round(peak / 1e3, 2), 37.0, 38.0, "37.47", SRC_PEAK),
        row(
            "annual peak at", stamp(ipeak), None, None, "summer evening ~21:00 (2025 max was 7 Jul)", SRC_PEAK
        ),
        row("annual peak hour of day", ipeak % 24, 20, 22, "21", SRC_SHAPE),
        row(
            "load factor",
            round(energy * 1e6 / peak / HOURS, 3),
            0.63,
            0.66,
            "0.63-0.66",
            SRC_SHAPE + "; 0.634 in 2018",
        ),
        row("morning peak hour (mean day, 08-14)", int(8 + np.argmax(prof[8:15])), 10, 12, "~11", SRC_SHAPE),
        row(
            "evening peak hour (mean day, 17-23)", int(17 + np.argmax(prof[17:24])), 20, 22, "~21", SRC_SHAPE
        ),
        row(
            "evening / morning peak (mean day)",
            round(prof[17:24].max() / prof[8:15].max(), 3),
            1.0,
            1.1,
            ">1 (21:00 higher)",
            SRC_SHAPE,
        ),
        row("trough hour (mean day)", int(np.argmin(prof)), 4, 6, "~05", SRC_SHAPE),
        row(
            "winter (Dec-Feb) / summer (Jun-Aug) peak",
            round(winter / summer, 3),
            0.95,
            1.03,
            "~1 (both ~37.5 GW)",
            "2018 shape: summer 0.93-0.95 of winter; 2025: summer record",
        ),
        row(
            "daily min/max, Dec-Feb mean",
            round(float(ratio[np.isin(dmonth, (12, 1, 2))].mean()), 3),
            0.57,
            0.63,
            "~0.60",
            SRC_SHAPE,
        ),
        row(
            "daily min/max, Jul-Aug mean",
            round(float(ratio[np.isin(dmonth, (7, 8))].mean()), 3),
            0.69,
            0.75,
            "~0.72",
            SRC_SHAPE,
        ),
    ]
    for mo, name in ((4, "Apr"), (5, "May"), (10, "Oct")):
        rows.append(
            row(
                f"{name} max / annual peak", round(float(mmax[mo - 1]), 3), 0.71, 0.78, "0.71-0.78", SRC_SHAPE
            )
        )
    for mo, name in ((7, "Jul"), (8, "Aug"), (12, "Dec")):
        rows.append(
            row(
                f"{name} max / annual peak",
                round(float(mmax[mo - 1]), 3),
                0.93,
                1.0,
                "0.93-1.0",
                SRC_SHAPE + "; 2025 summer record",
            )
        )
    rows += [
        row(
            "weekend / weekday daily energy",
            round(dmean[wk >= 5].mean() / dmean[wk < 5].mean(), 3),
            0.95,
            0.99,
            "~0.97",
            "estimate",
        ),
        row(
            "Spring Festival 7-day mean / early Jan",
            round(float(sf / jan), 3),
            0.80,
            0.92,
            "0.80-0.92",
            "estimate; Spring Festival 29 Jan 2025",
        ),
        row(
            "H1 share of annual energy",
            round(float(tot[:4344].sum() / tot.sum()), 3),
            0.45,
            0.49,
            "0.45-0.49",
            "estimate; H1 2025 = 105.28 TWh (tuiwangpu.cn)",
        ),
    ]
    return rows


def zone_rows(folder: Path) -> list[dict[str, object]]:
    """Load shares and per-zone VRE/hydro metrics."""
    load = read(folder, "load")[ZONES]
    share = load.sum() / load.sum().sum()
    rows = [
        row(
            f"load share {z}",
            round(float(share[z]), 3),
            None,
            None,
            "~0.38/0.20/0.20/0.22",
            "estimate from city economic weight",
        )
        for z in ZONES
    ]
    pv = read(folder, "solar")[ZONES]
    wind = read(folder, "wind")[ZONES]
    hydro = read(folder, "hydro")[ZONES]
    idx = hourly_index()
    for z in ZONES:
        rows.append(
            row(f"solar full-load hours {z}", round(float(pv[z].sum())), 1000, 1100, "~1,050", SRC_PV)
        )
    rows.append(
        row(
            "solar max p.u. (all zones)",
            round(float(pv.to_numpy().max()), 4),
            0.0,
            1.0,
            "<=1",
            "AC-capacity limit",
        )
    )
    rows.append(
        row(
            "solar FLH south - north",
            round(float(pv["south"].sum() - pv["north"].sum())),
            0,
            150,
            ">0",
            "estimate: lower latitude, fewer overcast days",
        )
    )
    c = pv.corr().to_numpy()[np.triu_indices(4, 1)]
    rows.append(
        row(
            "solar daily-energy corr. between zones (mean)",
            round(
                float(
                    pv.groupby(np.arange(HOURS) // 24).sum().corr().to_numpy()[np.triu_indices(4, 1)].mean()
                ),
                3,
            ),
            0.5,
            0.95,
            "0.5-0.95",
            f"shared weather (hourly corr. {c.mean():.2f})",
        )
    )
    for z in ZONES:
        rows.append(
            row(f"wind full-load hours {z}", round(float(wind[z].sum())), 1900, 2100, "~2,000", SRC_WIND)
        )
    lag1 = np.mean([wind[z].autocorr(1) for z in ZONES])
    rows.append(
        row(
            "wind lag-1 h autocorrelation (p.u., mean)",
            round(float(lag1), 3),
            0.95,
            1.0,
            ">=0.95",
            "estimate (hourly persistence)",
        )
    )
    w = wind.mean(axis=1).to_numpy()
    hod = idx.hour.to_numpy()
    night = w[(hod >= 22) | (hod < 6)].mean() / w[(hod >= 10) & (hod < 18)].mean()
    rows.append(
        row(
            "wind night (22-06) / day (10-18)",
            round(float(night), 3),
            1.02,
            1.5,
            ">1",
            "estimate: inland, stable daytime mixing weaker",
        )
    )
    mon = idx.month.to_numpy()
    ws = w[np.isin(mon, (12, 1, 2, 3, 4))].mean() / w[np.isin(mon, (6, 7, 8, 9))].mean()
    rows.append(
        row("wind Dec-Apr / Jun-Sep", round(float(ws), 3), 1.05, 1.8, ">1", "estimate: winter monsoon")
    )
    rows.append(
        row(
            "wind corr. between zones (mean)",
            round(float(wind.corr().to_numpy()[np.triu_indices(4, 1)].mean()), 3),
            0.4,
            0.9,
            "0.4-0.9",
            "estimate",
        )
    )
    for z in ZONES:
        rows.append(
            row(
                f"hydro full-load hours {z}",
                round(float(hydro[z].sum())),
                1800,
                2300,
                "1,800-2,300",
                "estimate (see PROFILES.md)",
            )
        )
    h = hydro.mean(axis=1)
    wet = h[np.isin(mon, (4, 5, 6))].sum() / h.sum()
    rows.append(
        row(
            "hydro Apr-Jun share of annual inflow",
            round(float(wet), 3),
            0.38,
            0.50,
            "~0.4-0.5",
            "estimate: Gan River wet season",
        )
    )
    return rows


def other_rows(folder: Path) -> list[dict[str, object]]:
    """Heat shape and import-channel availability."""
    heat = read(folder, "heat")[ZONES]
    imp = read(folder, "imports")
    idx = hourly_index()
    m = idx.month.to_numpy()
    rows = [
        row(
            "heat mean p.u. (all zones)",
            round(float(heat.to_numpy().mean()), 3),
            0.55,
            0.75,
            "industrial steam ~0.6-0.7",
            "estimate",
        ),
        row(
            "heat Dec-Feb / Jun-Aug mean",
            round(
                float(
                    heat[np.isin(m, (12, 1, 2))].to_numpy().mean()
                    / heat[np.isin(m, (6, 7, 8))].to_numpy().mean()
                ),
                3,
            ),
            1.1,
            1.6,
            ">1 (space heating)",
            "estimate",
        ),
    ]
    yz = imp["yazhong"]
    rows += [
        row(
            "yazhong mean availability",
            round(float(yz.mean()), 3),
            0.29,
            0.51,
            "0.29-0.51",
            "8 GW, design 36 TWh/yr (news.gqsoso.com); 9.82 TWh in 2022 (2018eiz.cn)",
        ),
        row(
            "yazhong implied energy at 8 GW [TWh]",
            round(float(yz.sum()) * YAZHONG_MW / 1e6, 1),
            20,
            36,
            "20-36",
            "design 36 TWh; 2022 actual 9.82 TWh (dry year)",
        ),
        row(
            "yazhong Jun-Oct / Dec-Apr mean",
            round(
                float(yz[np.isin(m, (6, 7, 8, 9, 10))].mean() / yz[np.isin(m, (12, 1, 2, 3, 4))].mean()), 2
            ),
            2.0,
            4.5,
            ">2 (wet/dry)",
            "estimate: Yalong hydro seasonality",
        ),
    ]
    cc = imp["central_china"]
    se = np.isin(m, (7, 8)) & (idx.hour >= 18) & (idx.hour <= 22)
    rows += [
        row(
            "central_china mean availability",
            round(float(cc.mean()), 3),
            0.6,
            0.9,
            "0.6-0.9",
            "estimate; import capability 11.2 GW after 1 Nov 2024 (pc.yun.jxntv.cn)",
        ),
        row(
            "central_china Jul-Aug 18-23h mean",
            round(float(cc[se].mean()), 3),
            0.55,
            0.75,
            "lower at summer evening peak",
            "estimate: Hubei/Hunan short at the same time",
        ),
        row(
            "fujian mean availability",
            round(float(imp["fujian"].mean()), 3),
            0.85,
            0.95,
            "~0.9",
            "estimate; 3 GW VSC due before summer 2027 (m.digipub.cc)",
        ),
        row(
            "fujian implied energy at 3 GW [TWh]",
            round(float(imp["fujian"].sum()) * FUJIAN_MW / 1e6, 1),
            None,
            None,
            "upper bound",
            "availability x 3 GW x 8760 h",
        ),
    ]
    return rows


def calibration_table(folder: Path | str = TS_DIR) -> pd.DataFrame:
    """All calibration metrics: metric, achieved, target, lo, hi, ok, source."""
    folder = Path(folder)
    return pd.DataFrame(load_rows(folder) + zone_rows(folder) + other_rows(folder))


def reference_comparison(
    folder: Path | str = TS_DIR, reference: Path | str = REFERENCE
) -> pd.DataFrame | None:
    """Shape comparison of synthesised load+EV with the 2018 reference; None if it is absent."""
    reference = Path(reference)
    if not reference.is_file():
        return None
    folder = Path(folder)
    ours = (
        read(folder, "load")[ZONES].sum(axis=1) + read(folder, "ev_charging")[ZONES].sum(axis=1)
    ).to_numpy()
    ref = pd.read_csv(reference).iloc[:, 1].to_numpy(dtype=float)
    m = hourly_index().month.to_numpy()  # 2018 has the same month lengths as 2025
    pa, pb = daily_profile(ours), daily_profile(ref)
    rows: list[dict[str, object]] = [
        {
            "metric": "mean daily profile (normalised) correlation",
            "ours": round(float(np.corrcoef(pa, pb)[0, 1]), 3),
            "reference": 1.0,
        },
        {
            "metric": "load factor",
            "ours": round(float(ours.mean() / ours.max()), 3),
            "reference": round(float(ref.mean() / ref.max()), 3),
        },
        {
            "metric": "mean-day trough / max",
            "ours": round(float(pa.min() / pa.max()), 3),
            "reference": round(float(pb.min() / pb.max()), 3),
        },
        {"metric": "mean-day argmax hour", "ours": int(np.argmax(pa)), "reference": int(np.argmax(pb))},
    ]
    months = [pd.Timestamp(YEAR, k, 1).strftime("%b") for k in range(1, 13)]
    ma, mb = (np.array([x[m == k].max() for k in range(1, 13)]) / x.max() for x in (ours, ref))
    ea, eb = (np.array([x[m == k].mean() for k in range(1, 13)]) / x.max() for x in (ours, ref))
    for i, name in enumerate(months):
        rows.append(
            {
                "metric": f"{name} max / annual max",
                "ours": round(float(ma[i]), 3),
                "reference": round(float(mb[i]), 3),
            }
        )
    for i, name in enumerate(months):
        rows.append(
            {
                "metric": f"{name} mean / annual max",
                "ours": round(float(ea[i]), 3),
                "reference": round(float(eb[i]), 3),
            }
        )
    rows.append(
        {
            "metric": "monthly max pattern correlation",
            "ours": round(float(np.corrcoef(ma, mb)[0, 1]), 3),
            "reference": 1.0,
        }
    )
    rows.append(
        {
            "metric": "monthly mean pattern correlation",
            "ours": round(float(np.corrcoef(ea, eb)[0, 1]), 3),
            "reference": 1.0,
        }
    )
    return pd.DataFrame(rows)


# --- the 2025 system: model against published figures -----------------------------------------

CASE = TS_DIR.parent
CREA = "NBS/CEC series via energyandcleanair/china_co2 inst/csv (Wind export, 2025)"
# type -> (technology groups, published end-2025 capacity [GW], source)
CAPACITY: dict[str, tuple[tuple[str, ...], float, str]] = {
    "coal": (
        ("coal",),
        32.1,
        "estimate: thermal 6 MW+ 31.61 GW end 2024 (" + CREA + ") + Jiujiang II 2 GW (Oct 2025, "
        "csec.com) - bioenergy 1.5 GW",
    ),
    "bioenergy (biomass + waste)": (
        ("biomass", "bioenergy"),
        1.5,
        "estimate: 0.80 GW in 2020 incl. waste (dampscompany.com; NEA counts waste in 生物质发电)",
    ),
    "hydro (conventional)": (("hydro",), 5.6, "6.80 GW hydro end 2024 incl. 1.2 GW pumped (" + CREA + ")"),
    "wind": (("wind",), 6.5, "estimate: 6.15 GW Nov 2024 (" + CREA + ") + 0.3-0.4 GW/yr"),
    "solar": (("solar",), 32.0, "estimate: 25.64 GW end 2024 (" + CREA + ") + 6-7 GW/yr (2023-24 pace)"),
    "pumped hydro": (("pumped_hydro",), 1.2, "Hongping I (escn.com.cn/news/show-1639971.html)"),
    "new-type storage": (("new_type_storage",), 1.0, "estimate: < 2 GW (not in NEA's > 2 GW lists, 2024-25)"),
}
TOTAL_CAPACITY = (80.0, "> 80 GW, renewables 56.2% (dampscompany.com/news/news-1107995-1.html, 2025)")
# type -> (published 2025 generation [TWh], half band [share], source)
GENERATION: dict[str, tuple[float, float, str]] = {
    "coal": (
        131.0,
        0.10,
        "estimate: thermal 140.7 / 140.3 TWh gross in 2023 / 2024 (" + CREA + ") - 5.5% own use "
        "- bioenergy ~6 TWh, +3% in 2025 (the model's generation is net)",
    ),
    "bioenergy (biomass + waste)": (
        7.0,
        0.15,
        "estimate: 1.5 GW x ~4,700 h (national waste 5,080 h, agri 3,830 h, cibb.net.cn 2020)",
    ),
    "hydro (conventional)": (
        9.26,
        0.15,
        "9.26 TWh in 2024 (" + CREA + "), large plants incl. ~1.5 TWh pumped, excl. small hydro: "
        "estimate band",
    ),
    "wind": (13.5, 0.15, "estimate: 2,237 h in 2023 (" + CREA + ") x ~6.3 GW"),
    "solar": (32.0, 0.15, "estimate: end-2025 fleet 32 GW x ~1,000 h (the model runs it all year)"),
}
CONSUMPTION = (
    223.0,
    "estimate: 218.05 TWh in 2024 (" + CREA + ") x 1.053 (H1 2025 +5.3%, tuiwangpu.cn) = 230 TWh, "
    "less ~7 TWh power-plant own use (the model's generation is net)",
)
PEAK = (37.47, "37.47 GW on 7 Jul 2025, dispatch basis (tuiwangpu.cn/news/show-15258.html)")
IMPORTS = (38.0, 0.20, "estimate: 2024 balance 218 - ~185 TWh generation + own use = 35-40 TWh; 21.0 in 2022")
COAL_USE = (40.0, "estimate: ~131 TWh net coal x ~0.30 kgce/kWh + ~1 Mtce boilers (no published figure)")
CO2 = (106.0, "estimate: coal ~40 Mtce x 2.66 tCO2/tce, in-province plants and boilers (no published figure)")
NON_FOSSIL = (
    0.35,
    "estimate: 30-33% of consumption with Yazhong hydro for the year's average fleet (not published); "
    "+~2 points for the end-2025 PV fleet run all year",
)


def _band(metric: str, model: float, pub: float, half: float, source: str, unit: str) -> dict[str, object]:
    lo, hi = pub * (1 - half), pub * (1 + half)
    d = row(metric, round(model, 2), round(lo, 2), round(hi, 2), f"{pub:g} {unit} +-{half:.0%}", source)
    d["published"] = pub
    return d


def _members(case: Any, groups: tuple[str, ...]) -> list[str]:
    s = case.scenario
    units = {
        **{n: t.groups for n, t in s.technologies.items()},
        **{n: t.groups for n, t in s.storage.items()},
    }
    return [n for n, g in units.items() if set(g) & set(groups)]


def system_rows(case_dir: Path | str = CASE, period: int = YEAR) -> list[dict[str, object]]:
    """Model figures of one period, solved alone, against published figures [user units]."""
    from gridplan.case import load_case
    from gridplan.pipeline import solve_inputs

    case = load_case(Path(case_dir))
    return rows_of(case, solve_inputs(case, periods=[period]), period)


def rows_of(case: Any, results: Any, period: int = YEAR) -> list[dict[str, object]]:
    """The calibration rows of one period of a results dataset (a full run or one period alone)."""
    ds = results.sel(period=period)
    load = case.load[period].sum(axis=1).to_numpy()
    ipk = int(np.argmax(load))
    t = pd.Timestamp(f"{YEAR}-01-01") + pd.Timedelta(hours=ipk)
    rows = [
        _band(
            "consumption (load) [TWh]", float(load.sum()) / 1e6, CONSUMPTION[0], 0.10, CONSUMPTION[1], "TWh"
        ),
        _band("peak load [GW]", float(load.max()) / 1e3, PEAK[0], 0.10, PEAK[1], "GW"),
        row(
            "peak load month, hour",
            f"{t:%b} {t:%H}:00",
            None,
            None,
            "Jul, evening",
            PEAK[1] + "; 27.83 GW at 21:37 on 14 Jul 2021 (gd.huaxia.com)",
        ),
    ]
    rows[-1]["ok"] = bool(t.month in (7, 8) and 19 <= t.hour <= 22)
    cap = ds.capacity.sum("zone").to_series()
    sto = ds.storage_power.sum("zone").to_series()
    total = 0.0
    for name, (groups, pub, src) in CAPACITY.items():
        techs = _members(case, groups)
        v = float(
            cap[[n for n in techs if n in cap.index]].sum() + sto[[n for n in techs if n in sto.index]].sum()
        )
        total += v
        rows.append(_band(f"capacity {name} [GW]", v / 1e3, pub, 0.10, src, "GW"))
    rows.append(_band("capacity total [GW]", total / 1e3, TOTAL_CAPACITY[0], 0.10, TOTAL_CAPACITY[1], "GW"))
    energy = ds.energy.sum("zone").to_series()
    for name, (pub, half, src) in GENERATION.items():
        techs = [n for n in _members(case, CAPACITY[name][0]) if n in energy.index]
        rows.append(
            _band(f"generation {name} [TWh]", float(energy[techs].sum()) / 1e6, pub, half, src, "TWh")
        )
    imp = float((ds.imports * ds.weight).sum()) / 1e6
    imp_re = float((ds.imports_renewable * ds.weight).sum()) / 1e6
    rows.append(_band("imports [TWh]", imp, IMPORTS[0], IMPORTS[1], IMPORTS[2], "TWh"))
    rows.append(
        _band(
            "coal use, power and heat [Mtce]",
            float(ds.coal_use) / 1e6,
            COAL_USE[0],
            0.10,
            COAL_USE[1],
            "Mtce",
        )
    )
    own = float(ds.emissions) - sum(
        ch.co2_intensity * float(((ds.imports - ds.imports_renewable).sel(channel=c) * ds.weight).sum())
        for c, ch in case.scenario.imports.items()
    )
    rows.append(_band("in-province power-sector CO2 [Mt]", own / 1e6, CO2[0], 0.10, CO2[1], "Mt"))
    s = case.scenario
    fossil = [n for n, t in s.technologies.items() if t.fuel is not None and s.fuels[t.fuel].fossil]
    gen = float(energy.sum()) / 1e6
    clean = gen - float(energy[[n for n in fossil if n in energy.index]].sum()) / 1e6
    share = (clean + imp_re) / (gen + imp)
    rows.append(
        _band("non-fossil share of supply (gen. + imports)", share, NON_FOSSIL[0], 0.10, NON_FOSSIL[1], "")
    )
    return rows


def system_table(case_dir: Path | str = CASE, period: int = YEAR) -> pd.DataFrame:
    """The 2025 model-vs-published table: metric, achieved, target, lo, hi, ok, source."""
    return pd.DataFrame(system_rows(case_dir, period))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=TS_DIR, help="folder with the profile CSVs")
    ap.add_argument("--reference", type=Path, default=REFERENCE, help="reference load CSV")
    ap.add_argument(
        "--system", nargs="?", type=Path, const=CASE, default=None, help="also the 2025 system of CASE"
    )
    args = ap.parse_args()
    if args.system is not None:
        tab = system_table(args.system)
        show = tab.assign(ok=tab["ok"].map({True: "ok", False: "OUT", None: ""}))
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 90, "display.width", 250):
            print(show[["metric", "achieved", "target", "ok", "source"]].to_string(index=False))
        print(f"\n{int(tab['ok'].eq(False).sum())} metric(s) of the 2025 system outside their band\n")
    table = calibration_table(args.dir)
    show = table.assign(ok=table["ok"].map({True: "ok", False: "OUT", None: ""}))
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 70, "display.width", 250):
        print(show[["metric", "achieved", "target", "ok", "source"]].to_string(index=False))
        n_out = int(table["ok"].eq(False).sum())
        print(f"\n{n_out} metric(s) outside their target range")
        comp = reference_comparison(args.dir, args.reference)
        if comp is None:
            print(f"\nreference {args.reference} not found: shape comparison skipped")
        else:
            print(f"\nShape comparison with {args.reference.name} (2018 level, comparison only):")
            print(comp.to_string(index=False))


if __name__ == "__main__":
    main()
