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

Lang = Literal["en", "zh"]
LANGS: tuple[str, ...] = ("en", "zh")

# UI texts: key -> (English, Chinese)
TEXT: dict[str, tuple[str, str]] = {
    "report": ("gridplan report", "gridplan 电力规划结果报告"),
    "report_title": ("gridplan report: {name}", "gridplan 电力规划结果报告：{name}"),
    "steps": ("{mode}, {n} time steps", "{mode}，{n} 个时段"),
    "compare": ("Build-out plans compared", "规划方案对比"),
    "scenario": ("scenario", "方案"),
    "objective": ("total system cost (present value)", "系统总成本（现值）"),
    "status": ("solver status", "求解状态"),
    "time_mode": ("time steps", "时间分辨率"),
    "full_year": ("full year, 8760 h", "全年 8760 小时"),
    "representative_days": ("representative days", "典型日"),
    "tsam": ("typical periods (tsam)", "典型时段（tsam）"),
    "generated": (
        "written by gridplan {version} · solver {solver}",
        "由 gridplan {version} 生成 · 求解器 {solver}",
    ),
    "dash": (" — ", "——"),
    "contents": ("Contents", "目录"),
    "notes": ("How to read this report", "阅读说明"),
    "note_downsample": (
        "Long hourly series are reduced before plotting: price duration curves of more than {n} steps are "
        "sampled at {n} evenly spaced hours of the year; full-year state of charge is shown as daily "
        "minimum, mean and maximum. Dispatch charts show every hour of the chosen week.",
        "为控制报告大小，较长的逐时序列在绘图前做了抽样：超过 {n} 个时段的电价持续曲线按全年均匀分布的 {n} 个小时取值；"
        "全年储能荷电状态按日最小、平均和最大值显示。调度图显示所选一周内的全部小时。",
    ),
    "note_units": (
        "Units are on every axis. Costs per period are undiscounted annual values.",
        "各坐标轴均标注单位。分期成本为未折现的年度值。",
    ),
    "colon": (": ", "："),
    "semicolon": ("; ", "；"),
    "paren": (" ({x})", "（{x}）"),
    "describe": (
        "periods {periods}; {zone} zones, {tech} technologies, {storage} storage types, {target} plan targets",
        "规划水平年 {periods}；{zone} 个分区、{tech} 类电源、{storage} 类储能、{target} 项规划目标",
    ),
    "all_zones": ("all zones", "全省"),
    "period": ("period", "规划水平年"),
    "zone": ("zone", "分区"),
    "yr": ("/yr", "/年"),
    # capacity
    "capacity": ("Installed capacity by period and zone", "分期分区装机容量"),
    "capacity_sub": (
        "solid: existing fleet in service; hatched: built by the model; storage at its power rating",
        "实心：现役机组；斜线：模型新增；储能按功率计",
    ),
    "capacity_axis": ("capacity", "装机容量"),
    "existing": ("existing", "现役"),
    "new": ("new", "新增"),
    "retired": ("retired", "退役"),
    "changes": ("New build, retirements and 三改联动 retrofits", "新增、退役与煤电“三改联动”改造"),
    "changes_sub": (
        "all zones; retirements: capacity of the previous period plus new build minus capacity",
        "全省；退役 = 上一期装机 + 本期新增 − 本期装机",
    ),
    "changes_left": ("new (+) and retired (−) capacity", "新增（+）与退役（−）装机"),
    "changes_right": (
        "三改联动 retrofitted capacity in service (hover: done in the period)",
        "“三改联动”累计在运改造容量（悬停显示本期改造量）",
    ),
    "retrofit_done": ("retrofit done", "本期改造"),
    "retrofit_in_service": ("retrofitted, in service", "已改造在运"),
    "no_retrofits": ("no 三改联动 retrofits in this case", "本方案无“三改联动”改造"),
    # energy
    "energy": ("Annual energy mix and curtailment", "年度电量结构与弃电"),
    "energy_sub": (
        "all zones; hatched: curtailed energy; diamonds: annual demand",
        "全省；斜线：弃电量；菱形：全年用电量",
    ),
    "energy_axis": ("energy", "电量"),
    "curtailed": ("curtailed", "弃电"),
    "demand": ("demand", "用电负荷"),
    "annual_demand": ("annual demand", "全年用电量"),
    "storage_discharge": ("discharge", "放电"),
    "storage_charge": ("charge", "充电"),
    "dr_payback": ("payback", "负荷回补"),
    "unserved": ("unserved energy", "失负荷"),
    "imports": ("imports", "外来电"),
    "link_in": ("from other zones", "区间受入"),
    "link_out": ("to other zones", "区间送出"),
    "link_losses": ("corridor losses", "通道损耗"),
    # dispatch
    "dispatch_peak": ("Hourly dispatch: peak-load week", "逐时调度：最大负荷周"),
    "dispatch_solar": ("Hourly dispatch: high-solar week", "逐时调度：光伏大发周"),
    "dispatch_vre": ("Hourly dispatch: high-renewable week", "逐时调度：新能源大发周"),
    "power_axis": ("power", "功率"),
    "week_full": ("{view}; 7 days from {date}", "{view}；自{date}起连续 7 天"),
    "week_blocks": (
        "{view}; representative days from {date} to {end} in calendar order (×n: days each one represents)",
        "{view}；{date}至{end}的典型日，按日历顺序排列（×n：代表天数）",
    ),
    "week_inside": (
        "{view}; one week of the typical period that starts on {date}",
        "{view}；始于{date}的典型时段中的一周",
    ),
    "peak_at": ("; peak load at {date}", "；最大负荷出现在{date}"),
    "view": ("view", "视图"),
    # storage
    "storage": ("Storage state of charge", "储能荷电状态"),
    "soc_axis": ("energy stored", "储能电量"),
    "soc_blocks": (
        "all zones; representative days in calendar order (×n: days each one represents)",
        "全省；典型日按日历顺序排列（×n：代表天数）",
    ),
    "soc_year": (
        "all zones; daily minimum–maximum (band) and mean (line)",
        "全省；日最小至最大值（色带）与日均值（线）",
    ),
    "cyclic_days": ("storage cycling within each representative day", "典型日内循环的储能"),
    "linked_year": ("linked storage over the year, daily range", "跨典型日连续储能的全年荷电状态（日范围）"),
    "day_of_year": ("day of the year", "日序"),
    "daily_range": ("daily range", "日内范围"),
    # emissions
    "emissions": ("CO₂ emissions and coal use by period, against their caps", "分期碳排放与煤炭消费及其上限"),
    "emissions_sub": ("all zones; lines: caps from the plan targets", "全省；横线：规划目标上限"),
    "co2_axis": ("CO₂ emissions", "二氧化碳排放"),
    "coal_axis": ("coal use", "煤炭消费"),
    "other_sources": ("other (boilers, imports)", "其他（锅炉、外来电）"),
    "cap": ("cap", "上限"),
    # prices
    "prices": ("Marginal price duration curves by zone", "分区边际电价持续曲线"),
    "prices_sub": (
        "price of energy (dual of the zone balance), sorted; each step counts the hours it represents",
        "分区电量平衡约束的对偶价格，降序排列；每个时段按其代表小时数计",
    ),
    "price_axis": ("marginal price", "边际电价"),
    "hours_axis": ("hours of the year", "全年小时数"),
    "no_prices": ("no prices: the solver returned no duals", "无电价：求解器未返回对偶值"),
    # targets
    "targets": ("Plan targets: required, achieved and shadow price", "规划目标：要求值、实现值与影子价格"),
    "targets_sub": (
        "shadow price: cost of tightening the target by one unit, per year",
        "影子价格：目标收紧一个单位的年度成本",
    ),
    "target": ("target", "目标"),
    "name_zh": ("Chinese name", "中文名称"),
    "kind": ("kind", "类型"),
    "required": ("required", "要求值"),
    "achieved": ("achieved", "实现值"),
    "unit": ("unit", "单位"),
    "shadow_price": ("shadow price", "影子价格"),
    "price_unit": ("price unit", "价格单位"),
    "binds": ("binds", "是否紧约束"),
    "shortfall": ("shortfall", "缺口"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    # costs
    "costs": ("System cost by component", "分项系统成本"),
    "costs_sub": (
        "undiscounted annual cost in each period; total present value {total}",
        "各规划水平年的未折现年度成本；总现值 {total}",
    ),
    "cost_axis": ("annual cost", "年度成本"),
    # network
    "network": ("Zones and corridor flows", "分区与输电通道潮流"),
    "network_sub": (
        "{period}, schematic (zones placed by latitude and longitude): arrows show the net annual energy "
        "sent; line width: corridor capacity; circle area: peak demand",
        "{period}年，示意图（按经纬度布置分区）：箭头为全年净送电量；线宽：通道容量；圆面积：最大负荷",
    ),
    "peak_demand": ("peak demand", "最大负荷"),
    "corridor_capacity": ("corridor capacity", "通道容量"),
    # compare
    "summary": ("Summary across build-out plans", "方案汇总"),
    "summary_sub": ("Δ: difference from the first plan", "Δ：与第一个方案之差"),
    "metric": ("metric", "指标"),
    "total_cost": ("total system cost (present value)", "系统总成本（现值）"),
    "capacity_in": ("capacity {period}: {name}", "{period}年装机：{name}"),
    "emissions_in": ("CO₂ emissions {period}", "{period}年碳排放"),
    "coal_in": ("coal use {period}", "{period}年煤炭消费"),
    "curtailment_in": ("curtailed energy {period}", "{period}年弃电量"),
    "target_price_in": ("shadow price {period}: {name}", "{period}年影子价格：{name}"),
    "target_cost_in": ("target cost {period}: {name}", "{period}年目标成本：{name}"),
    "cmp_capacity": ("Installed capacity by plan", "各方案装机容量"),
    "cmp_capacity_diff": ("Capacity difference from {ref}", "装机容量与“{ref}”之差"),
    "cmp_energy": ("Annual energy mix by plan", "各方案年度电量结构"),
    "cmp_emissions": ("CO₂ emissions and coal use by plan", "各方案碳排放与煤炭消费"),
    "cmp_costs": ("System cost by plan", "各方案系统成本"),
    "cmp_prices": (
        "Marginal price duration curves by plan, {period}",
        "各方案边际电价持续曲线（{period}年）",
    ),
    "cmp_targets": (
        "Plan targets by plan: achieved value and shadow price",
        "各方案规划目标：实现值与影子价格",
    ),
    "cmp_dispatch": (
        "Peak-load week side by side, {period}, all zones",
        "最大负荷周调度对比（{period}年，全省）",
    ),
    "cmp_sub": ("all zones", "全省"),
    # sweeps and target costs
    "sens_title": ("Sensitivity sweep {name}", "敏感性分析：{name}"),
    "sens_facts": (
        "base case {base}; design {design}; {n} scenarios, {done} solved, {failed} failed",
        "基准方案 {base}；抽样设计 {design}；共 {n} 个方案，{done} 个已求解，{failed} 个失败",
    ),
    "sens_note": (
        "Tornado bars: the output at the lowest (blue) and highest (red) level of each parameter, drawn "
        "from the base case's output (the mean of all scenarios when the base is not in the sweep); "
        "parameters varied by a factor show the factor.",
        "龙卷风图：各参数取最低（蓝）和最高（红）水平时的输出值，柱条自基准方案的输出值起画"
        "（扫描中无基准方案时自全部方案均值起）；按倍数变化的参数显示倍数。",
    ),
    "tornado": ("Tornado: {y}", "龙卷风图：{y}"),
    "tornado_sub": ("bars from the {ref}; {how}", "柱条自{ref}起；{how}"),
    "base_case": ("base case", "基准方案"),
    "mean_all": ("mean of all scenarios", "全部方案均值"),
    "lowest": ("lowest level", "最低水平"),
    "highest": ("highest level", "最高水平"),
    "unmarked": ("unmarked", "无标记"),
    "method_base": ("others at base", "其他参数取基准值"),
    "method_mean": ("mean over the others", "对其他参数取平均"),
    "method_fit": ("linear fit", "线性拟合"),
    "vs_param": ("{y} against each parameter", "{y}随各参数的变化"),
    "all_scenarios": ("all scenarios", "全部方案"),
    "factor_on_base": ("factor on base", "相对基准的倍数"),
    "value": ("value", "取值"),
    "scenarios": ("Scenarios", "方案列表"),
    "id": ("id", "编号"),
    "settings": ("settings", "参数设置"),
    "run_status": ("status", "状态"),
    "run_done": ("done", "已求解"),
    "run_failed": ("failed", "失败"),
    "reason": ("reason", "原因"),
    "no_output_var": (
        "output {name}: no variable '{var}' in the results",
        "输出 {name}：结果中无变量“{var}”",
    ),
    "out_cost": ("total cost, present value", "系统总成本现值"),
    "out_storage": ("new storage power, all periods", "各期新增储能功率合计"),
    "out_co2": ("CO₂ emissions in {period}", "{period}年碳排放"),
    "out_capacity": ("new generating capacity, all periods", "各期新增发电装机合计"),
    "tc_title": ("Plan-target costs: {base}", "规划目标成本：{base}"),
    "tc_facts": (
        "{base}: each target removed in turn and the case re-solved; premium = total cost with all targets "
        "− total cost without this one (present value, and per year over the discounted years of the "
        "horizon). Shadow prices are from the base run.",
        "{base}：逐一去掉各项目标并重新求解；成本溢价 = 含全部目标的系统总成本 − 去掉该目标后的系统总成本"
        "（现值，以及按规划期折现年数折算的年值）。影子价格取自基准方案。",
    ),
    "tc_premium": (
        "What each plan target costs (base − without the target)",
        "各项规划目标的成本（基准 − 去掉该目标）",
    ),
    "tc_premium_sub": (
        "total-cost premium, levelised per year; differences below the solver tolerance shown as 0",
        "系统总成本溢价（年化）；小于求解精度的差值显示为 0",
    ),
    "premium_axis": ("total-cost premium", "成本溢价"),
    "tc_capacity": ("Capacity caused by each target in {period}", "{period}年各项目标带来的装机变化"),
    "tc_capacity_axis": ("capacity with − without the target", "有目标 − 无目标装机"),
    "tc_table": ("Premium and shadow prices by target", "各目标成本溢价与影子价格"),
    "tc_table_sub": (
        "Δ capacity: with − without the target, last period",
        "装机变化：有目标 − 无目标（末期）",
    ),
    "tc_pv": ("premium, present value", "成本溢价（现值）"),
    "tc_yr": ("premium per year", "年化成本溢价"),
    "tc_shadow": ("shadow price {period}", "{period}年影子价格"),
    "tc_delta": ("Δ capacity {tech} {period} [{unit}]", "{period}年{tech}装机变化（{unit}）"),
    "tc_note": ("note", "备注"),
    "tc_cap_table": ("Capacity change by period and technology", "分期分技术装机变化"),
    "tc_with": ("with the target", "有目标"),
    "tc_without": ("without the target", "无目标"),
    "tc_change": ("change", "变化"),
    "tc_note_noise": (
        "Premiums smaller than 1e-7 of the base run's annual cost (at least 1 CNY/yr) are solver noise and "
        "shown as 0.",
        "小于基准方案年度成本 1e-7（至少 1 元/年）的成本溢价属求解误差，显示为 0。",
    ),
    "technology": ("technology", "技术"),
    "storage_word": ("storage", "储能"),
    "plans": ("Plans compared", "对比方案"),
    "plans_sub": (
        "long scenario names are shortened to S1, S2, ... in the charts and tables below",
        "下文图表中较长的方案名称以 S1、S2 等代号表示",
    ),
    "alias": ("alias", "代号"),
    "plan": ("scenario", "方案"),
    "disabled_note": (
        "Italic: the target is not imposed in that run (disabled); its achieved value is computed from "
        "the run's results with the target's definition, and it has no shadow price.",
        "斜体：该方案未施加此目标（已停用），实现值按目标定义由该方案结果计算，无影子价格。",
    ),
}

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
    "variable_om": ("variable O&M", "可变运维"),
    "fuel": ("fuel", "燃料"),
    "imports": ("imports", "外购电"),
    "startup": ("start-ups", "启停"),
    "heat_boilers": ("heat from boilers", "锅炉供热"),
    "unserved": ("unserved energy", "失负荷"),
    "demand_response": ("demand response", "需求响应"),
    "target_penalty": ("target shortfall penalty", "目标未达惩罚"),
}

TARGET_KINDS: dict[str, tuple[str, str]] = {
    "capacity": ("capacity", "装机规模"),
    "non_fossil_share": ("non-fossil share of electricity", "非化石电力占比"),
    "non_fossil_primary_share": ("non-fossil share of energy use", "非化石能源消费比重"),
    "co2_cap": ("CO₂ cap", "碳排放上限"),
    "co2_peak": ("CO₂ peak", "碳达峰"),
    "coal_cap": ("coal cap", "煤炭消费上限"),
    "coal_share": ("coal share", "煤电占比"),
    "import_renewable_share": ("renewable share of imports", "外来电可再生能源占比"),
    "peak_response": ("peak demand response", "尖峰负荷响应能力"),
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
        return pick(TARGET_KINDS[kind], self.lang) if kind in TARGET_KINDS else kind

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
