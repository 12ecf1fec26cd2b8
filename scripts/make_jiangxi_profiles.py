"""Synthesise typical-year hourly profiles for the Jiangxi base case.

Writes inputs/jiangxi/timeseries/{load,ev_charging,solar,wind,hydro,heat,imports,import_renewable}.csv:
8760 rows (calendar of 2025, non-leap; hour 1 = 1 Jan 00:00-01:00 China Standard Time,
UTC+8), column `hour` 1..8760 then one column per zone (imports: one per channel).

Deterministic: every random draw comes from a numpy Generator seeded with SEED and the
name of the component, so re-running gives byte-identical files. No network access.
How each profile is built and where every number comes from: inputs/jiangxi/PROFILES.md.

Usage: python scripts/make_jiangxi_profiles.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from scipy.signal import lfilter
from scipy.special import ndtr

SEED = 20250707
YEAR = 2025  # calendar used for weekdays and holidays (non-leap, 1 Jan = Wednesday)
HOURS = 8760
DAYS = 365
TZ = "Etc/GMT-8"  # China Standard Time, UTC+8, no daylight saving
OUT_DIR = Path(__file__).resolve().parents[1] / "inputs" / "jiangxi" / "timeseries"

ZONES = ("core", "north", "west", "south")
CITIES: dict[str, tuple[float, float]] = {  # lat, lon (pyecharts city_coordinates.json)
    "Nanchang": (28.68, 115.85),
    "Fuzhou": (28.00, 116.35),
    "Yingtan": (28.27, 117.07),
    "Shangrao": (28.45, 117.97),
    "Jiujiang": (29.70, 116.00),
    "Jingdezhen": (29.27, 117.17),
    "Yichun": (27.80, 114.38),
    "Xinyu": (27.82, 114.92),
    "Pingxiang": (27.63, 113.85),
    "Ganzhou": (25.83, 114.93),
    "Ji'an": (27.12, 114.98),
}
ZONE_CITIES: dict[str, tuple[str, ...]] = {
    "core": ("Nanchang", "Fuzhou", "Yingtan", "Shangrao"),
    "north": ("Jiujiang", "Jingdezhen"),
    "west": ("Yichun", "Xinyu", "Pingxiang"),
    "south": ("Ganzhou", "Ji'an"),
}
ZONE_ALTITUDE = {"core": 40.0, "north": 40.0, "west": 100.0, "south": 130.0}  # m, estimate
# Share of provincial consumption (estimate from the cities' economic weight).
ZONE_SHARE = {"core": 0.38, "north": 0.20, "west": 0.20, "south": 0.22}

# --- load targets (2025, load + EV summed over zones) ---
PEAK_MW = 37_500.0  # 37.47 GW dispatch-basis peak, 7 Jul 2025
ENERGY_MWH = 214.0e6  # estimate inside 207-218 TWh, see PROFILES.md
EV_MWH = 3.5e6  # estimate
EV_HOME_SHARE = 0.58  # share of EV energy charged at home (estimate)
SPRING_FESTIVAL = dt.date(2025, 1, 29)  # Chinese New Year's Day 2025
HOLIDAYS = {  # (first day, last day, factor on the daily peak level): 2025 public holidays
    "labour_day": (dt.date(2025, 5, 1), dt.date(2025, 5, 5), 0.95),
    "national_day": (dt.date(2025, 10, 1), dt.date(2025, 10, 8), 0.94),
}
HEAT_WAVE = (dt.date(2025, 7, 7), 4.0, 2.0)  # centre day, anomaly [sd], half-width [days]
COLD_WAVE = (dt.date(2025, 12, 26), -3.6, 2.0)

# Monthly anchors (mid-month), index 0 = January. All marked as estimates in PROFILES.md.
LOAD_PEAK_LEVEL = (0.86, 0.80, 0.69, 0.69, 0.67, 0.79, 0.91, 0.90, 0.82, 0.70, 0.74, 0.86)
TROUGH_RATIO = (0.61, 0.62, 0.63, 0.65, 0.67, 0.69, 0.73, 0.73, 0.68, 0.65, 0.63, 0.61)
# Load change per sd of daily temperature anomaly (+ = more load when warmer).
WEATHER_SENS = (-0.030, -0.025, -0.010, 0.000, 0.012, 0.025, 0.032, 0.032, 0.025, 0.008, -0.012, -0.030)
SUMMERNESS = (0.0, 0.0, 0.1, 0.3, 0.6, 0.9, 1.0, 1.0, 0.9, 0.5, 0.2, 0.0)
TEMP_C = (5.5, 8.0, 12.0, 18.0, 23.0, 26.5, 29.8, 29.3, 25.3, 19.5, 13.5, 7.5)
TEMP_SD = (2.6, 2.6, 2.4, 2.0, 1.6, 1.2, 1.1, 1.1, 1.4, 1.8, 2.2, 2.5)  # C per sd of anomaly
ZONE_TEMP_OFFSET = {"core": 0.0, "north": -0.5, "west": -0.3, "south": 1.0}

# --- solar ---
PV_TILT, PV_AZIMUTH = 20.0, 180.0
LINKE = (3.8, 4.0, 4.3, 4.6, 4.8, 5.0, 4.9, 4.7, 4.3, 3.9, 3.7, 3.6)
# Daily sky classes: clear, partly cloudy, overcast, rainy.
SKY_PROB = (
    (0.22, 0.30, 0.28, 0.20),
    (0.16, 0.26, 0.30, 0.28),
    (0.13, 0.25, 0.28, 0.34),
    (0.15, 0.28, 0.25, 0.32),
    (0.18, 0.30, 0.22, 0.30),
    (0.15, 0.30, 0.20, 0.35),
    (0.42, 0.38, 0.11, 0.09),
    (0.42, 0.38, 0.11, 0.09),
    (0.38, 0.35, 0.15, 0.12),
    (0.40, 0.33, 0.17, 0.10),
    (0.30, 0.32, 0.23, 0.15),
    (0.26, 0.30, 0.26, 0.18),
)
SKY_PERSIST = 0.45  # weight of "stay in yesterday's class" in the daily Markov chain
SKY_KT = ((0.92, 0.04), (0.70, 0.08), (0.38, 0.07), (0.17, 0.05))  # mean, sd of GHI/GHI_clear
SKY_HOURLY_SD = (0.04, 0.18, 0.14, 0.10)
PV_GAMMA = -0.0035  # power temperature coefficient [1/K]
PV_NOCT_RISE = 25.0 / 800.0  # K per W/m2 (NOCT 45 C)
SOLAR_FLH = 1050.0  # mean over zones; one scalar for the province (PR x DC/AC ratio)

# --- wind ---
WIND_FLH = {"core": 1980.0, "north": 2060.0, "west": 1990.0, "south": 1960.0}
WIND_PHI = 0.975  # hourly AR(1) of the latent wind process
WIND_COMMON = 0.70  # share of variance from the provincial component
WIND_WEIBULL_K = 2.0
WIND_SEASON = (1.10, 1.10, 1.09, 1.05, 0.98, 0.92, 0.90, 0.90, 0.95, 1.00, 1.05, 1.09)
WIND_DIURNAL_AMP = 0.10  # speed +-10 %, maximum around 02:00
POWER_CURVE_V = (0.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 20.0, 20.5, 40.0)
POWER_CURVE_P = (0.0, 0.0, 0.02, 0.07, 0.15, 0.26, 0.40, 0.56, 0.72, 0.86, 0.95, 1.0, 1.0, 0.0, 0.0)
WIND_LOSS = 0.93  # wake, availability and electrical losses

# --- hydro ---
HYDRO_MONTH = (0.20, 0.25, 0.36, 0.50, 0.58, 0.60, 0.42, 0.30, 0.25, 0.20, 0.18, 0.17)
HYDRO_FLH = {"core": 1950.0, "north": 1950.0, "west": 2000.0, "south": 2100.0}

# --- heat ---
HEAT_SPACE = 0.28  # winter space-heating amplitude, same units as HEAT_INDUSTRY
HEAT_INDUSTRY = {"core": 0.66, "north": 0.72, "west": 0.70, "south": 0.64}  # before /peak

# --- imports ---
YAZHONG_MONTH = (0.22, 0.20, 0.22, 0.28, 0.40, 0.60, 0.72, 0.75, 0.72, 0.58, 0.36, 0.25)
# --- sending-end renewable availability (p.u. of channel capacity), all estimates: PROFILES.md §9
CENTRAL_HYDRO_MONTH = (0.25, 0.25, 0.30, 0.38, 0.45, 0.55, 0.58, 0.55, 0.48, 0.38, 0.30, 0.26)
FUJIAN_HYDRO_MONTH = (0.30, 0.35, 0.50, 0.62, 0.80, 0.90, 0.62, 0.50, 0.45, 0.35, 0.30, 0.30)
FUJIAN_WIND_SEASON = (1.20, 1.15, 1.05, 0.95, 0.85, 0.80, 0.80, 0.85, 0.95, 1.10, 1.20, 1.22)
FUJIAN_MIX = (0.5, 0.4)  # (wind, hydro) GW per GW of link
FUJIAN_WIND_FLH = 2800.0  # coastal and offshore wind
NW_MIX = (0.8, 0.7)  # (solar, wind) GW per GW of line: a bundled wind-solar base
NW_SOLAR_GAIN = 1.45  # NW irradiance against Jiangxi's (about 1,500 against 1,050 full-load hours)
NW_SOLAR_LAG = 1  # hours: solar noon about an hour later in the north-west (UTC+8 clock)
NW_WIND_FLH = 2200.0


# ----------------------------------------------------------------------------- helpers
def rng(name: str) -> np.random.Generator:
    """Generator for one named component (stable across edits to other components)."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def calendar() -> pd.DataFrame:
    """Per-hour calendar: day of year (0-based), hour of day (interval start), month, weekday."""
    t = pd.date_range(f"{YEAR}-01-01", periods=HOURS, freq="h")
    return pd.DataFrame(
        {
            "doy": t.dayofyear.to_numpy() - 1,
            "hod": t.hour.to_numpy(),
            "month": t.month.to_numpy(),
            "weekday": t.dayofweek.to_numpy(),
        }
    )


def day_of(date: dt.date) -> int:
    """0-based day of year of a date in YEAR."""
    return (date - dt.date(YEAR, 1, 1)).days


def monthly(values: tuple[float, ...], doy: np.ndarray) -> np.ndarray:
    """Periodic linear interpolation of mid-month anchors to (fractional) day of year."""
    starts = pd.date_range(f"{YEAR}-01-01", periods=12, freq="MS")
    mids = np.array([s.dayofyear - 1 + s.days_in_month / 2 for s in starts])
    return np.interp(doy, mids, np.asarray(values, dtype=float), period=DAYS)


def ar1(gen: np.random.Generator, n: int, phi: float, width: int = 1) -> np.ndarray:
    """Stationary AR(1) series with unit variance, shape (n, width)."""
    burn = 500
    e = gen.standard_normal((n + burn, width))
    x = lfilter([np.sqrt(1.0 - phi**2)], [1.0, -phi], e, axis=0)
    return x[burn:]


def correlated(gen: np.random.Generator, n: int, phi: float, common: float) -> np.ndarray:
    """AR(1) series per zone (n, zones) sharing `common` of their variance."""
    shared = ar1(gen, n, phi, 1)
    own = ar1(gen, n, phi, len(ZONES))
    return np.sqrt(common) * shared + np.sqrt(1.0 - common) * own


def bump(x: np.ndarray, centre: float, width: float, period: float = 24.0) -> np.ndarray:
    """Periodic Gaussian bump."""
    d = (x - centre + period / 2) % period - period / 2
    return np.exp(-0.5 * (d / width) ** 2)


def event(days: np.ndarray, spec: tuple[dt.date, float, float]) -> np.ndarray:
    """Smooth weather event (anomaly in sd) centred on a date."""
    centre, size, half = spec
    return size * bump(days.astype(float), day_of(centre), half, DAYS)


def zone_location(zone: str) -> tuple[float, float]:
    """Mean latitude and longitude of the zone's cities."""
    pts = np.array([CITIES[c] for c in ZONE_CITIES[zone]])
    return float(pts[:, 0].mean()), float(pts[:, 1].mean())


def calibrate(fn: Callable[[float], float], target: float, lo: float, hi: float, iters: int = 60) -> float:
    """Bisection for x in [lo, hi] with increasing fn(x) == target."""
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if fn(mid) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def clipped_sum(scale: float, x: np.ndarray, per: float = 1.0) -> float:
    """Sum of min(scale * x, 1) over all entries, divided by `per` (full-load hours)."""
    return float(np.minimum(scale * x, 1.0).sum()) / per


# ----------------------------------------------------------------------------- weather
def temperature_anomaly() -> np.ndarray:
    """Daily temperature anomaly per zone in sd units (365, zones): AR(1) noise, replaced by
    the two prescribed events (heat wave, cold wave) inside their windows."""
    days = np.arange(DAYS)
    z = correlated(rng("temperature"), DAYS, 0.75, 0.90)
    heat, cold = event(days, HEAT_WAVE), event(days, COLD_WAVE)
    inside = np.maximum(np.abs(heat) / abs(HEAT_WAVE[1]), np.abs(cold) / abs(COLD_WAVE[1]))
    return z * (1.0 - inside[:, None]) + (heat + cold)[:, None]


def ambient_temperature(cal: pd.DataFrame, anomaly: np.ndarray) -> np.ndarray:
    """Hourly ambient temperature [C] per zone: monthly normal, diurnal cycle, anomaly."""
    base = monthly(TEMP_C, cal["doy"].to_numpy() + cal["hod"].to_numpy() / 24)
    diurnal = 4.0 * np.cos(2 * np.pi * (cal["hod"].to_numpy() + 0.5 - 14.5) / 24)
    offs = np.array([ZONE_TEMP_OFFSET[z] for z in ZONES])
    sd = monthly(TEMP_SD, cal["doy"].to_numpy())[:, None]
    return (base + diurnal)[:, None] + offs + sd * anomaly[cal["doy"].to_numpy()]


# ----------------------------------------------------------------------------- load
def day_factors() -> np.ndarray:
    """Calendar factor on the daily peak level (365,): weekends, Spring Festival, holidays."""
    days = np.arange(DAYS)
    weekday = pd.date_range(f"{YEAR}-01-01", periods=DAYS, freq="D").dayofweek.to_numpy()
    f = np.where(weekday == 5, 0.975, np.where(weekday == 6, 0.965, 1.0))
    sf = day_of(SPRING_FESTIVAL)
    rel = days - sf
    dip = np.interp(rel, [-12, -4, 0, 6, 12, 20], [0.0, 0.08, 0.12, 0.11, 0.05, 0.0])
    f = f * (1.0 - dip)
    for first, last, factor in HOLIDAYS.values():
        f[day_of(first) : day_of(last) + 1] = np.minimum(f[day_of(first) : day_of(last) + 1], factor)
    return f


def activity(hod: np.ndarray, summer: np.ndarray) -> np.ndarray:
    """Unscaled intraday activity; `summer` in [0, 1] blends the winter and summer shapes."""
    x = hod + 0.5
    rise = 1.0 / (1.0 + np.exp(-(x - 8.2) / 0.9))
    fall = 1.0 / (1.0 + np.exp((x - 23.6) / 0.8))
    day = rise * fall
    a = (
        0.55 * day
        + 0.30 * bump(x, 11.4, 1.3)
        - 0.17 * bump(x, 13.3, 0.8)
        + (0.10 + 0.14 * summer) * bump(x, 15.8, 2.0)
        + 0.48 * bump(x, 21.5, 1.5)
        - 0.12 * bump(x, 6.1, 2.0)
    )
    return a


def intraday_shape(cal: pd.DataFrame, trough: np.ndarray) -> np.ndarray:
    """Hourly shape with daily max 1 and daily min `trough` (per hour, broadcast over zones)."""
    hod = np.arange(24)
    summer = monthly(SUMMERNESS, np.arange(DAYS))
    a = activity(hod[None, :], summer[:, None])  # (days, 24)
    a = (a - a.min(axis=1, keepdims=True)) / np.ptp(a, axis=1, keepdims=True)
    a = a.reshape(-1)[:, None]  # (hours, 1)
    return trough + (1.0 - trough) * a


def raw_load(cal: pd.DataFrame, anomaly: np.ndarray) -> np.ndarray:
    """Unscaled hourly load per zone (hours, zones)."""
    days = np.arange(DAYS)
    doy = cal["doy"].to_numpy()
    level = monthly(LOAD_PEAK_LEVEL, days)[:, None]
    sens = monthly(WEATHER_SENS, days)[:, None]
    # zone weather sensitivity: the south has milder winters and hotter summers
    zsens = np.array([[1.0, 1.0, 1.0, 1.0]]) + np.where(sens > 0, 1.0, -1.0) * np.array(
        [[0.0, -0.10, 0.0, 0.10]]
    )
    peak = level * day_factors()[:, None] * (1.0 + sens * zsens * anomaly)
    trough = monthly(TROUGH_RATIO, days)[:, None] + np.array([[-0.01, 0.02, 0.02, -0.01]])
    sf = np.abs(days - day_of(SPRING_FESTIVAL)) <= 7
    trough = trough - 0.03 * sf[:, None]
    # warm nights in summer lift the trough a little
    trough = np.clip(trough + 0.01 * np.clip(anomaly, -2, 2) * (sens > 0), 0.5, 0.8)
    shape = intraday_shape(cal, trough[doy])
    noise = 1.0 + 0.012 * correlated(rng("load_hourly"), HOURS, 0.8, 0.5)
    return peak[doy] * shape * noise


def ev_charging(cal: pd.DataFrame) -> np.ndarray:
    """EV charging per zone [MW] (hours, zones): home evening plus public/fleet midday."""
    x = cal["hod"].to_numpy() + 0.5
    weekend = cal["weekday"].to_numpy() >= 5
    home = 0.75 * bump(x, 21.3, 1.6) + 0.35 * bump(x, 0.3, 1.4)  # after work; timer/valley
    public = bump(x, 13.0, 2.6) + 0.35 * bump(x, 8.0, 1.2) + 0.15  # fleets, taxis, public DC
    home, public = home / home.mean(), public / public.mean()
    shape = EV_HOME_SHARE * home * np.where(weekend, 1.06, 1.0) + (1.0 - EV_HOME_SHARE) * public * np.where(
        weekend, 0.85, 1.0
    )
    season = monthly(
        (1.08, 1.04, 1.0, 0.97, 0.97, 1.0, 1.06, 1.06, 1.0, 0.96, 0.97, 1.04), cal["doy"].to_numpy()
    )
    noise = 1.0 + 0.05 * ar1(rng("ev"), DAYS, 0.6)[cal["doy"].to_numpy(), 0]
    prov = shape * season * noise
    prov = prov * EV_MWH / prov.sum()
    return prov[:, None] * np.array([ZONE_SHARE[z] for z in ZONES])[None, :]


def scaled_load(raw: np.ndarray, ev: np.ndarray) -> tuple[np.ndarray, float]:
    """Zone load [MW]: zone energy = share x (ENERGY - EV); exponent set so the peak of
    load + EV equals PEAK_MW."""
    share = np.array([ZONE_SHARE[z] for z in ZONES])
    energy = share * (ENERGY_MWH - EV_MWH)
    norm = raw / raw.max(axis=0)

    def load(g: float) -> np.ndarray:
        x = norm**g
        return x * energy / x.sum(axis=0)

    gamma = calibrate(lambda g: float((load(g).sum(axis=1) + ev.sum(axis=1)).max()), PEAK_MW, 0.3, 3.0)
    return load(gamma), gamma


# ----------------------------------------------------------------------------- solar
def sky_classes(gen: np.random.Generator) -> np.ndarray:
    """Daily sky class per zone (365, zones): provincial Markov chain, zones shifted at times."""
    months = pd.date_range(f"{YEAR}-01-01", periods=DAYS, freq="D").month.to_numpy() - 1
    prov = np.zeros(DAYS, dtype=int)
    state = int(gen.choice(4, p=SKY_PROB[0]))
    for d in range(DAYS):
        p = (1 - SKY_PERSIST) * np.asarray(SKY_PROB[months[d]]) + SKY_PERSIST * np.eye(4)[state]
        # keep the monthly climatology: the stationary law of this chain is SKY_PROB[m]
        state = int(gen.choice(4, p=p / p.sum()))
        prov[d] = state
    shift = gen.choice([-1, 0, 1], size=(DAYS, len(ZONES)), p=[0.15, 0.70, 0.15])
    return np.clip(prov[:, None] + shift, 0, 3)


def cloud_factor(gen: np.random.Generator) -> np.ndarray:
    """Hourly GHI / clear-sky GHI per zone (hours, zones)."""
    cls = np.repeat(sky_classes(gen), 24, axis=0)
    kt = np.array(SKY_KT)
    day_draw = np.repeat(gen.standard_normal((DAYS, len(ZONES))), 24, axis=0)
    mean = kt[cls, 0] + kt[cls, 1] * day_draw
    hourly = correlated(gen, HOURS, 0.6, 0.4) * np.asarray(SKY_HOURLY_SD)[cls]
    return np.clip(mean * (1.0 + hourly), 0.03, 1.05)


def solar_zone(zone: str, cloud: np.ndarray, temp: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Un-calibrated PV output per kW_p (hours,), annual GHI and POA [kWh/m2] for one zone."""
    lat, lon = zone_location(zone)
    sub = 4
    times = pd.date_range(f"{YEAR}-01-01 00:07:30", periods=HOURS * sub, freq="15min", tz=TZ)
    loc = pvlib.location.Location(lat, lon, tz=TZ, altitude=ZONE_ALTITUDE[zone])
    pos = loc.get_solarposition(times)
    doy_frac = (times.dayofyear.to_numpy() - 1) + times.hour.to_numpy() / 24
    linke = pd.Series(monthly(LINKE, doy_frac), index=times)
    cs = loc.get_clearsky(times, model="ineichen", solar_position=pos, linke_turbidity=linke)
    ghi = cs["ghi"].to_numpy() * np.repeat(cloud, sub)
    zen = pos["apparent_zenith"].to_numpy()
    dec = pvlib.irradiance.erbs(ghi, zen, times)
    dni_extra = pvlib.irradiance.get_extra_radiation(times).to_numpy()
    poa = pvlib.irradiance.get_total_irradiance(
        PV_TILT,
        PV_AZIMUTH,
        zen,
        pos["azimuth"].to_numpy(),
        dec["dni"],
        ghi,
        dec["dhi"],
        dni_extra=dni_extra,
        model="haydavies",
        albedo=0.2,
    )["poa_global"]
    poa = np.nan_to_num(np.asarray(poa, dtype=float)).reshape(HOURS, sub).mean(axis=1)
    cell = temp + PV_NOCT_RISE * poa
    out = poa / 1000.0 * (1.0 + PV_GAMMA * (cell - 25.0))
    return out, float(ghi.sum() / sub / 1000.0), float(poa.sum() / 1000.0)


def solar(temp: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """PV availability p.u. per zone; one scalar sets the zone-mean full-load hours to
    SOLAR_FLH. Diagnostics: annual GHI and POA per zone, the scalar."""
    cloud = cloud_factor(rng("solar"))
    raw = np.zeros((HOURS, len(ZONES)))
    diag: dict[str, float] = {}
    for i, z in enumerate(ZONES):
        raw[:, i], diag[f"ghi_kwh_m2_{z}"], diag[f"poa_kwh_m2_{z}"] = solar_zone(z, cloud[:, i], temp[:, i])
    raw = np.clip(raw, 0.0, None)
    k = calibrate(partial(clipped_sum, x=raw, per=float(len(ZONES))), SOLAR_FLH, 0.1, 5.0)
    diag["pv_scalar"] = k
    return np.minimum(k * raw, 1.0), diag


# ----------------------------------------------------------------------------- wind
def power_curve(v: np.ndarray) -> np.ndarray:
    """Wind-farm power curve: turbine curve averaged over +-1.5 m/s speed spread, with losses."""
    offs = np.linspace(-1.5, 1.5, 7)
    w = np.exp(-0.5 * (offs / 0.75) ** 2)
    p = sum(wi * np.interp(v + o, POWER_CURVE_V, POWER_CURVE_P) for o, wi in zip(offs, w, strict=True))
    return WIND_LOSS * p / w.sum()


def wind_energy(scale: float, x: np.ndarray) -> float:
    """Full-load hours of the farm power curve at speeds scale * x."""
    return float(power_curve(scale * x).sum())


def wind(cal: pd.DataFrame) -> np.ndarray:
    """Onshore wind availability p.u. per zone, calibrated to WIND_FLH."""
    z = correlated(rng("wind"), HOURS, WIND_PHI, WIND_COMMON)
    # unit-Weibull quantile of the latent Gaussian (mean of the Weibull is scale x 0.886)
    u = np.clip(ndtr(z), 1e-9, 1 - 1e-9)
    unit = (-np.log1p(-u)) ** (1.0 / WIND_WEIBULL_K)
    x = cal["hod"].to_numpy() + 0.5
    mod = monthly(WIND_SEASON, cal["doy"].to_numpy() + x / 24) * (
        1.0 + WIND_DIURNAL_AMP * np.cos(2 * np.pi * (x - 2.0) / 24)
    )
    base = unit * mod[:, None]
    out = np.zeros_like(base)
    for i, zone in enumerate(ZONES):
        c = calibrate(partial(wind_energy, x=base[:, i]), WIND_FLH[zone], 2.0, 15.0)
        out[:, i] = power_curve(c * base[:, i])
    return out


# ----------------------------------------------------------------------------- hydro
def hydro(cal: pd.DataFrame) -> np.ndarray:
    """Daily inflow availability p.u. per zone (flat within each day), calibrated to HYDRO_FLH."""
    gen = rng("hydro")
    days = np.arange(DAYS)
    season = monthly(HYDRO_MONTH, days)[:, None]
    # rain events feed a recession (exponential filter) on top of a slow AR(1) wetness
    rain = gen.exponential(1.0, (DAYS, 1)) * (gen.random((DAYS, 1)) < 0.25)
    rain = 0.6 * rain + 0.4 * rain * (gen.random((DAYS, len(ZONES))) < 0.8)
    runoff = lfilter([0.25], [1.0, -0.75], rain, axis=0)
    wet = correlated(gen, DAYS, 0.9, 0.7)
    daily = season * np.exp(0.20 * wet) * (0.7 + 0.3 * runoff / runoff.mean(axis=0))
    out = np.zeros((DAYS, len(ZONES)))
    for i, z in enumerate(ZONES):
        k = calibrate(partial(clipped_sum, x=daily[:, i], per=1 / 24), HYDRO_FLH[z], 0.1, 10.0)
        out[:, i] = np.minimum(k * daily[:, i], 1.0)
    return out[cal["doy"].to_numpy()]


# ----------------------------------------------------------------------------- heat
def heat(cal: pd.DataFrame, anomaly: np.ndarray) -> np.ndarray:
    """Heat-demand shape p.u. of each zone's peak: industrial steam plus winter space heating."""
    doy = cal["doy"].to_numpy()
    x = cal["hod"].to_numpy() + 0.5
    weekend = (cal["weekday"].to_numpy() >= 5)[:, None]
    night = ((x < 7) | (x > 22))[:, None]
    ind = np.array([HEAT_INDUSTRY[z] for z in ZONES])[None, :]
    ind = ind * np.where(weekend & night, 0.85, np.where(weekend, 0.95, 1.0))
    sf = np.abs(np.arange(DAYS) - day_of(SPRING_FESTIVAL))
    ind = ind * (1.0 - np.interp(sf, [0, 6, 14], [0.25, 0.20, 0.0]))[doy, None]
    winter = bump(doy.astype(float), day_of(dt.date(YEAR, 1, 15)), 28.0, DAYS)
    space_day = 0.7 + 0.3 * (bump(x, 8.0, 1.5) + bump(x, 20.0, 2.0))
    cold = np.clip(1.0 - 0.15 * anomaly[doy], 0.5, 1.6)
    space = HEAT_SPACE * winter[:, None] * space_day[:, None] * cold
    noise = 1.0 + 0.02 * correlated(rng("heat"), HOURS, 0.9, 0.5)
    h = (ind + space) * noise
    return h / h.max(axis=0)


# ----------------------------------------------------------------------------- imports
def imports(cal: pd.DataFrame) -> pd.DataFrame:
    """Availability p.u. of the three import channels."""
    gen = rng("imports")
    doy = cal["doy"].to_numpy()
    x = cal["hod"].to_numpy() + 0.5
    month = cal["month"].to_numpy()
    d = ar1(gen, DAYS, 0.85, 3)[doy]
    dry = 1.0 - monthly(tuple(min(1.0, v / 0.5) for v in YAZHONG_MONTH), doy)
    yz = monthly(YAZHONG_MONTH, doy) * (1.0 + 0.10 * d[:, 0])
    yz = yz * (1.0 - 0.10 * dry * bump(x, 21.0, 1.5))  # Sichuan keeps water for its own peak
    evening = bump(x, 20.5, 2.0)
    summer = np.isin(month, (7, 8))
    winter = np.isin(month, (12, 1))
    cc = 0.82 - evening * np.where(summer, 0.20, np.where(winter, 0.10, 0.03)) + 0.03 * d[:, 1]
    fj = 0.90 + 0.03 * np.cos(2 * np.pi * (doy - 105) / DAYS) - 0.04 * summer * evening
    fj = fj + 0.01 * d[:, 2]
    return pd.DataFrame(
        {
            "yazhong": np.clip(yz, 0.05, 0.95),
            "central_china": np.clip(cc, 0.55, 0.90),
            "fujian": np.clip(fj, 0.80, 0.95),
        }
    )


def farm(name: str, cal: pd.DataFrame, season: tuple[float, ...], flh: float) -> np.ndarray:
    """One wind-farm availability series p.u. outside Jiangxi: its own random stream, a Weibull
    speed with a seasonal factor, the same power curve, calibrated to `flh` full-load hours."""
    z = ar1(rng(name), HOURS, WIND_PHI)[:, 0]
    unit = (-np.log1p(-np.clip(ndtr(z), 1e-9, 1 - 1e-9))) ** (1.0 / WIND_WEIBULL_K)
    x = cal["hod"].to_numpy() + 0.5
    base = unit * monthly(season, cal["doy"].to_numpy() + x / 24)
    c = calibrate(partial(wind_energy, x=base), flh, 2.0, 15.0)
    return power_curve(c * base)


def import_renewable(cal: pd.DataFrame, pv: np.ndarray) -> pd.DataFrame:
    """Sending-end renewable availability p.u. of channel capacity (PROFILES.md §9): what the
    sending region's wind, solar and hydro can put on each channel in each hour."""
    doy = cal["doy"].to_numpy()
    nw_pv = np.minimum(NW_SOLAR_GAIN * np.roll(pv.mean(axis=1), NW_SOLAR_LAG), 1.0)
    nw = NW_MIX[0] * nw_pv + NW_MIX[1] * farm("import_wind_nw", cal, WIND_SEASON, NW_WIND_FLH)
    fj_wind = farm("import_wind_fujian", cal, FUJIAN_WIND_SEASON, FUJIAN_WIND_FLH)
    fj = FUJIAN_MIX[0] * fj_wind + FUJIAN_MIX[1] * monthly(FUJIAN_HYDRO_MONTH, doy)
    return pd.DataFrame(
        {
            "central_china": np.clip(monthly(CENTRAL_HYDRO_MONTH, doy), 0.0, 0.9),
            "fujian": np.clip(fj, 0.0, 0.95),
            "new_uhvdc": np.clip(nw, 0.0, 1.0),
        }
    )


# ----------------------------------------------------------------------------- output
def frame(values: np.ndarray | pd.DataFrame, decimals: int) -> pd.DataFrame:
    """CSV frame: `hour` 1..8760 then the rounded columns (no negative zeros)."""
    df = values if isinstance(values, pd.DataFrame) else pd.DataFrame(values, columns=list(ZONES))
    df = df.round(decimals) + 0.0
    df.insert(0, "hour", np.arange(1, HOURS + 1))
    return df


def write(df: pd.DataFrame, path: Path, decimals: int) -> None:
    """Write one CSV with a fixed float format and Unix line endings."""
    df.to_csv(path, index=False, float_format=f"%.{decimals}f", lineterminator="\n")


def build() -> tuple[dict[str, tuple[pd.DataFrame, int]], dict[str, float]]:
    """All profiles as {file stem: (frame, decimals)} plus diagnostics."""
    cal = calendar()
    anomaly = temperature_anomaly()
    temp = ambient_temperature(cal, anomaly)
    ev = ev_charging(cal)
    load, gamma = scaled_load(raw_load(cal, anomaly), ev)
    pv, diag = solar(temp)
    tables = {
        "load": (frame(load, 1), 1),
        "ev_charging": (frame(ev, 1), 1),
        "solar": (frame(pv, 4), 4),
        "wind": (frame(wind(cal), 4), 4),
        "hydro": (frame(hydro(cal), 4), 4),
        "heat": (frame(heat(cal, anomaly), 4), 4),
        "imports": (frame(imports(cal), 4), 4),
        "import_renewable": (frame(import_renewable(cal, pv), 4), 4),
    }
    return tables, {"load_exponent": gamma, **diag}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tables, diag = build()
    for stem, (df, decimals) in tables.items():
        write(df, args.out / f"{stem}.csv", decimals)
        print(f"wrote {args.out / f'{stem}.csv'}")
    for k, v in diag.items():
        print(f"{k}: {v:.4g}")


if __name__ == "__main__":
    main()
