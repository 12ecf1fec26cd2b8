"""UI texts of the reports, English and Chinese: key -> (English, Chinese) (read by gridplan.report.i18n.text)."""

from __future__ import annotations

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
        "horizon). A target with shadow price 0 in every period of the base run is not re-solved: the "
        "base plan stays optimal without it (LP duality), so its premium is 0. Shadow prices are from "
        "the base run.",
        "{base}：逐一去掉各项目标并重新求解；成本溢价 = 含全部目标的系统总成本 − 去掉该目标后的系统总成本"
        "（现值，以及按规划期折现年数折算的年值）。基准方案中各期影子价格均为 0 的目标不重新求解：去掉它后"
        "基准方案仍为最优（线性规划对偶理论），成本溢价为 0。影子价格取自基准方案。",
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
    "tc_not_resolved": (
        "not re-solved: shadow price 0 in the base run, premium 0 by LP duality",
        "未重新求解：基准方案影子价格为 0，由对偶理论成本溢价为 0",
    ),
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
