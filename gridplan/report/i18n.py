"""Report language: English and Chinese texts, display names and units.

Display names of the scenario's free-form keys (technologies, storage, demand response,
import channels, zones, targets) come, in this order, from the scenario's own `name_zh`
(Chinese only), from the built-in dictionaries below (exact key, then key tokens) and
finally from the key itself. Quantities are shown in units a reader of each language
expects: MW/GW, MWh/GWh/TWh, CNY/bn CNY in English; 兆瓦/万千瓦, 万千瓦时/亿千瓦时,
万元/亿元 in Chinese (the largest unit in which the largest value is still >= 1).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from gridplan.kinds import TARGET_KINDS
from gridplan.report.i18n_text import TEXT

Lang = Literal["en", "zh"]
LANGS: tuple[str, ...] = ("en", "zh")

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Built-in names of common keys: key -> (English, Chinese)
NAMES: dict[str, tuple[str, str]] = {
    "solar": ("Solar PV", "光伏"),
    "pv": ("Solar PV", "光伏"),
    "solar_utility": ("Utility solar PV", "集中式光伏"),
    "solar_pv": ("Solar PV", "光伏"),
    "solar_distributed": ("Distributed solar PV", "分布式光伏"),
    "solar_rooftop": ("Rooftop solar PV", "屋顶分布式光伏"),
    "wind": ("Wind", "风电"),
    "wind_onshore": ("Onshore wind", "陆上风电"),
    "wind_offshore": ("Offshore wind", "海上风电"),
    "hydro": ("Hydropower", "水电"),
    "small_hydro": ("Small hydropower", "小水电"),
    "coal": ("Coal", "煤电"),
    "coal_1000": ("Coal, 1000 MW class", "百万千瓦级煤电"),
    "coal_600": ("Coal, 600 MW class", "60万千瓦级煤电"),
    "coal_300": ("Coal, 300 MW class", "30万千瓦级煤电"),
    "coal_chp": ("Coal CHP", "煤电热电联产"),
    "coal_new": ("New coal", "新建煤电"),
    "gas": ("Gas", "气电"),
    "gas_ccgt": ("Gas combined cycle", "燃气联合循环"),
    "gas_peaker": ("Gas peaker", "燃气调峰机组"),
    "nuclear": ("Nuclear", "核电"),
    "biomass": ("Biomass", "生物质发电"),
    "waste": ("Waste-to-energy", "垃圾焚烧发电"),
    "waste_to_energy": ("Waste-to-energy", "垃圾焚烧发电"),
    "flow_battery": ("Flow battery", "液流电池储能"),
    "coal_approved": ("Coal, approved projects", "核准煤电项目"),
    "pumped_hydro": ("Pumped hydro", "抽水蓄能"),
    "pumped_storage": ("Pumped hydro", "抽水蓄能"),
    "battery": ("New-type storage (battery)", "新型储能"),
    "new_storage": ("New-type storage", "新型储能"),
    "new_type_storage": ("New-type storage", "新型储能"),
    "compressed_air": ("Compressed-air storage", "压缩空气储能"),
    "dr": ("Demand response", "需求响应"),
    "demand_response": ("Demand response", "需求响应"),
    "peak_dr": ("Peak demand response", "尖峰负荷响应"),
    "peak_response": ("Peak demand response", "尖峰负荷响应"),
    "peak_shaving": ("Peak demand response", "尖峰负荷响应"),
    "interruptible": ("Interruptible load", "可中断负荷"),
    "ev": ("EV charging", "电动汽车充电"),
    "ev_charging": ("EV charging", "电动汽车充电"),
    "imports": ("Imports", "外来电"),
    "hydro_import": ("Hydropower imports", "外来水电"),
    "yazhong": ("Yazhong–Jiangxi UHVDC", "雅中—江西特高压直流"),
    "central_china": ("Central China grid", "华中电网"),
    "fujian": ("Fujian", "福建"),
}

# Tokens for keys not in NAMES: "coal_chp_300" -> 煤电热电联产300
TOKENS_ZH: dict[str, str] = {
    "solar": "光伏",
    "pv": "光伏",
    "wind": "风电",
    "onshore": "陆上",
    "offshore": "海上",
    "coal": "煤电",
    "gas": "气电",
    "hydro": "水电",
    "nuclear": "核电",
    "biomass": "生物质",
    "battery": "电池储能",
    "storage": "储能",
    "pumped": "抽水蓄能",
    "chp": "热电联产",
    "import": "外来电",
    "imports": "外来电",
    "dr": "需求响应",
    "peak": "尖峰",
    "new": "新建",
    "existing": "现役",
    "utility": "集中式",
    "distributed": "分布式",
    "rooftop": "屋顶",
    "ccgt": "联合循环",
    "peaker": "调峰",
    "ultra": "超超临界",
    "north": "北部",
    "south": "南部",
    "east": "东部",
    "west": "西部",
    "core": "中部",
    "central": "中部",
}

COMPONENTS: dict[str, tuple[str, str]] = {
    "investment": ("investment (annuities)", "投资（年金）"),
    "fixed_om": ("fixed O&M", "固定运维"),
    "mothball": ("mothballed capacity (fixed cost, return)", "封存机组（固定费用、启封）"),
    "variable_om": ("variable O&M", "可变运维"),
    "fuel": ("fuel", "燃料"),
    "imports": ("imports", "外购电"),
    "startup": ("start-ups", "启停"),
    "heat_boilers": ("heat from boilers", "锅炉供热"),
    "unserved": ("unserved energy", "失负荷"),
    "demand_response": ("demand response", "需求响应"),
    "target_penalty": ("target shortfall penalty", "目标未达惩罚"),
    "reserve_shortfall": ("operating reserve shortfall", "运行备用不足"),
}

RETROFITS: dict[str, tuple[str, str]] = {
    "energy_saving": ("energy-saving retrofit", "节能降碳改造"),
    "flexibility": ("flexibility retrofit", "灵活性改造"),
    "heating": ("heating retrofit", "供热改造"),
}

# Units of values shown as they are (target table): English unit -> Chinese unit
UNIT_ZH: dict[str, str] = {
    "MW": "兆瓦",
    "MWh": "兆瓦时",
    "share": "比例",
    "tCO2": "吨CO₂",
    "tce": "吨标准煤",
    "CNY/kW-yr": "元/千瓦·年",
    "CNY/MWh": "元/兆瓦时",
    "CNY/tCO2": "元/吨CO₂",
    "CNY/tce": "元/吨标准煤",
    "CNY": "元",
    "h": "小时",
}

# Scales: quantity -> language -> [(label, size of the unit in base units)], smallest first.
SCALES: dict[str, dict[str, list[tuple[str, float]]]] = {
    "power": {"en": [("MW", 1.0), ("GW", 1e3)], "zh": [("兆瓦", 1.0), ("万千瓦", 10.0)]},
    "energy": {
        "en": [("MWh", 1.0), ("GWh", 1e3), ("TWh", 1e6)],
        "zh": [("兆瓦时", 1.0), ("万千瓦时", 10.0), ("亿千瓦时", 1e5)],
    },
    "money": {
        "en": [("CNY", 1.0), ("million CNY", 1e6), ("bn CNY", 1e9)],
        "zh": [("元", 1.0), ("万元", 1e4), ("亿元", 1e8)],
    },
    "co2": {
        "en": [("tCO₂", 1.0), ("ktCO₂", 1e3), ("MtCO₂", 1e6)],
        "zh": [("吨CO₂", 1.0), ("万吨CO₂", 1e4), ("亿吨CO₂", 1e8)],
    },
    "coal": {
        "en": [("tce", 1.0), ("ktce", 1e3), ("Mtce", 1e6)],
        "zh": [("吨标准煤", 1.0), ("万吨标准煤", 1e4), ("亿吨标准煤", 1e8)],
    },
    "price": {"en": [("CNY/MWh", 1.0)], "zh": [("元/兆瓦时", 1.0)]},
    "hours": {"en": [("h", 1.0)], "zh": [("小时", 1.0)]},
}


STATUS_ZH: dict[str, str] = {
    "optimal": "最优",
    "time_limit": "达到时间上限（可行解）",
    "iteration_limit": "达到迭代上限（可行解）",
    "feasible": "可行",
}


def status_name(status: str, lang: str) -> str:
    """Solver status in `lang`."""
    return STATUS_ZH.get(status, status) if lang == "zh" else status.replace("_", " ")


def check_lang(lang: str) -> Lang:
    """The language, or a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'")
    return "zh" if lang == "zh" else "en"


def text(key: str, lang: str, **fmt: Any) -> str:
    """The UI text `key` in `lang`, formatted with `fmt`."""
    en, zh = TEXT[key]
    s = zh if lang == "zh" else en
    return s.format(**fmt) if fmt else s


def add_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Add UI texts, key -> (English, Chinese), e.g. the title of a chart from its own module; a key
    that already stands for other texts is a ValueError."""
    for key, pair in texts.items():
        if TEXT.get(key, pair) != pair:
            raise ValueError(f"UI text {key!r} is already {TEXT[key]!r}")
    TEXT.update(texts)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def scale(quantity: str, largest: float, lang: str) -> tuple[float, str]:
    """(size of the unit in base units, unit label): the largest unit in which `largest` is >= 1."""
    options = SCALES[quantity][lang if lang == "zh" else "en"]
    size, label = options[0][1], options[0][0]
    for lab, s in options:
        if abs(largest) / s >= 1.0:
            size, label = s, lab
    return size, label


def axis(key: str, unit: str, lang: str) -> str:
    """Axis title with its unit: 'capacity [GW]' / '装机容量（万千瓦）'."""
    return f"{text(key, lang)}（{unit}）" if lang == "zh" else f"{text(key, lang)} [{unit}]"


def per_year(unit: str, lang: str) -> str:
    return unit + text("yr", lang)


def unit_name(unit: str, lang: str) -> str:
    """A unit string of the results (MW, share, CNY/tCO2, ...) in `lang`."""
    return UNIT_ZH.get(unit, unit) if lang == "zh" else unit


def date_label(hour_of_year: int, lang: str) -> str:
    """'15 Jan' / '1月15日' for an hour of a (non-leap) year, 0-based."""
    d = dt.date(2025, 1, 1) + dt.timedelta(days=int(hour_of_year) % 8760 // 24)
    return f"{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {MONTHS_EN[d.month - 1]}"


def translate_key(key: str, lang: str) -> str:
    """Built-in name of a key: exact match, else (Chinese) token by token, else the key."""
    k = key.lower()
    if k in NAMES:
        return pick(NAMES[k], lang)
    if lang != "zh":
        return key
    tokens = k.replace("-", "_").split("_")
    if not any(t in TOKENS_ZH for t in tokens):
        return key
    return "".join(TOKENS_ZH.get(t, t) for t in tokens)


class Names:
    """Display names of one scenario's keys in one language."""

    def __init__(self, scenario: dict[str, Any], lang: str, targets_zh: dict[str, str] | None = None):
        self.lang = lang
        self.sc = scenario
        self.targets_zh = targets_zh or {}

    @classmethod
    def of(cls, attrs: dict[str, Any], lang: str, targets_zh: dict[str, str] | None = None) -> Names:
        """From a results Dataset's attrs (scenario_yaml is the resolved scenario as JSON)."""
        raw = attrs.get("scenario_yaml")
        try:
            sc = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            sc = {}
        return cls(sc if isinstance(sc, dict) else {}, lang, targets_zh)

    def _entry(self, section: str, key: str) -> dict[str, Any]:
        sec = self.sc.get(section) or {}
        e = sec.get(key) if isinstance(sec, dict) else None
        return e if isinstance(e, dict) else {}

    def _name(self, section: str, key: str) -> str:
        zh = str(self._entry(section, key).get("name_zh") or "")
        if self.lang == "zh" and zh:
            return zh
        return translate_key(key, self.lang)

    def tech(self, key: str) -> str:
        return self._name("technologies", key)

    def storage(self, key: str) -> str:
        return self._name("storage", key)

    def dr(self, key: str) -> str:
        return self._name("demand_response", key)

    def channel(self, key: str) -> str:
        return self._name("imports", key)

    def zone(self, key: str) -> str:
        return self._name("zones", key)

    def component(self, key: str) -> str:
        return pick(COMPONENTS[key], self.lang) if key in COMPONENTS else key

    def retrofit(self, key: str) -> str:
        return pick(RETROFITS[key], self.lang) if key in RETROFITS else key

    def target_kind(self, kind: str) -> str:
        """The kind's name in kinds.TARGET_KINDS (name_en, name_zh), else the kind itself."""
        k = TARGET_KINDS.get(kind)
        return pick((k.name_en, k.name_zh), self.lang) if k is not None else kind

    def target_zh(self, label: str) -> str:
        """Chinese name of a target row label ('name' or 'name_min'/'name_max')."""
        if self.targets_zh.get(label):
            return self.targets_zh[label]
        base = label.removesuffix("_min").removesuffix("_max")
        return str(
            self._entry("targets", base).get("name_zh") or self._entry("targets", label).get("name_zh") or ""
        )

    def target(self, label: str) -> str:
        """'solar_capacity 光伏装机' in English; '光伏装机（solar_capacity）' in Chinese: both names side by side."""
        zh = self.target_zh(label)
        if not zh:
            return label
        return f"{zh}（{label}）" if self.lang == "zh" else f"{label} {zh}"

    def tech_info(self, key: str) -> dict[str, Any]:
        """Scenario entry of a technology (kind, profile, fuel, groups), or {}."""
        return self._entry("technologies", key)

    def zone_position(self, key: str) -> tuple[float, float] | None:
        e = self._entry("zones", key)
        lat, lon = e.get("lat"), e.get("lon")
        return (float(lon), float(lat)) if lat is not None and lon is not None else None
