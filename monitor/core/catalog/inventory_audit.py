"""The inventory audit's own words (monitor.governance.inventory): the names of its codes, the
evidence behind each class (one sentence per reason code, filled with that reason's figures), the
suggested rectifications, the rules, and the workbook's sheets and columns.

The page's headings are in the `inventory` area. Figures are put in by
monitor.governance.inventory.texts, which also joins the pieces; the Chinese is the centre's
own wording, kept as it was.
"""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # --- names of codes ----------------------------------------------------------------------
    "field.owner_name": {ZH: "负责人", EN: "owner"},
    "field.owner_mobile": {ZH: "负责人手机", EN: "owner's mobile"},
    "field.department": {ZH: "所属部门", EN: "department"},
    "field.irs_id": {ZH: "IRS编号", EN: "IRS number"},
    "field.tier": {ZH: "等级", EN: "tier"},
    "field.target_users": {ZH: "目标用户数", EN: "target users"},
    "class.zombie": {ZH: "僵尸应用", EN: "Zombie app"},
    "class.low_frequency": {ZH: "低频应用", EN: "Low-frequency app"},
    "class.low_availability": {ZH: "低可用应用", EN: "Low-availability app"},
    "level.flagged": {ZH: "已认定", EN: "flagged"},
    "level.warning": {ZH: "预警", EN: "warning"},
    "status.up": {ZH: "正常", EN: "Up"},
    "status.down": {ZH: "不可达", EN: "Unreachable"},
    "status.unknown": {ZH: "未知", EN: "Unknown"},
    "trend.up": {ZH: "上升", EN: "up"},
    "trend.down": {ZH: "下降", EN: "down"},
    "trend.flat": {ZH: "持平", EN: "flat"},
    "trend.unknown": {ZH: "数据不足", EN: "not enough data"},
    "metric.availability_pct": {ZH: "月可用率", EN: "Monthly availability"},
    "metric.uv_sum": {ZH: "月访问人次", EN: "Monthly visitors"},
    "tier.1": {ZH: "一级（关键）", EN: "1 (critical)"},
    "tier.2": {ZH: "二级（重要）", EN: "2 (important)"},
    "tier.3": {ZH: "三级（一般）", EN: "3 (normal)"},
    "duplicate.url": {ZH: "地址相同", EN: "Same URL"},
    "duplicate.name": {ZH: "名称相同", EN: "Same name"},
    "traffic.none": {ZH: "无访问量数据", EN: "No traffic data"},
    "traffic.stale": {
        ZH: "访问量数据已中断（最后数据日 {day}）",
        EN: "Traffic data stopped (last day with data: {day})",
    },
    # --- joining pieces ----------------------------------------------------------------------
    "sep": {ZH: "；", EN: "; "},
    "list_sep": {ZH: "、", EN: ", "},
    "no_data": {ZH: "无数据", EN: "no data"},
    "labelled": {ZH: "{label}：{text}", EN: "{label}: {text}"},
    "class_level": {ZH: "{label}（{level}）", EN: "{label} ({level})"},
    "status_since": {ZH: "{status}（自 {when}）", EN: "{status} (since {when})"},
    "trend_text": {ZH: "{metric}{direction}（{values}）", EN: "{metric} {direction} ({values})"},
    # --- the evidence: one sentence per reason code (monitor.governance.inventory.classify) ---
    "basis.no_owner": {ZH: "台账未登记负责人", EN: "no owner on record"},
    "basis.zero_visitors": {
        ZH: "{since} 至 {until} 连续 {days} 天{more}无访问{gaps}（最近有访问：{last}；"
            "认定线 {limit} 天，预警线 {warning} 天）",
        EN: "no visitor from {since} to {until}, {days} days{more} running{gaps} (last visit: "
            "{last}; line {limit} days, warning from {warning} days)",
    },
    "basis.more": {ZH: "以上", EN: " or more"},
    "basis.gap_days": {
        ZH: "，其间另有 {n} 天无数据不计",
        EN: ", leaving out days without data: {n}",
    },
    "basis.no_visit": {ZH: "统计期内无", EN: "none in the period read"},
    "basis.unreachable": {
        ZH: "自 {since} 起全部检查持续失败 {days} 天{more}（{hours} 个有探测的小时、"
            "{failed} 次探测全部失败；认定线 {limit} 天）",
        EN: "every check failing since {since}, for {days} days{more} ({hours} hours with "
            "runs, all {failed} runs failed; line {limit} days)",
    },
    "basis.under_threshold": {
        ZH: "月访问人次（日访客数之和）{figures}；连续 {run} 个月低于门槛 {threshold}"
            "（max({min}, 目标用户数 {target} × {share})；认定需连续 {required} 个月）",
        EN: "monthly visitors (sum of daily visitors) {figures}; months running under the "
            "line of {threshold}: {run} (max({min}, target users {target} × {share}); flagged "
            "after {required} months running)",
    },
    "basis.no_target": {ZH: "未登记", EN: "not on record"},
    "basis.month_below_target": {
        ZH: "{month} 月可用率 {pct}，低于 {target}%（{probes} 次探测失败 {failed} 次，"
            "维护时段 {excluded} 小时不计）",
        EN: "availability in {month} {pct}, under {target}% ({failed} of {probes} runs "
            "failed; maintenance hours left out: {excluded})",
    },
    "basis.bad_week": {
        ZH: "{start}～{end} 一周探测失败 {pct}（{failed}/{probes}），达到 {limit}%",
        EN: "week {start} to {end}: {pct} of runs failed ({failed}/{probes}), at or over "
            "{limit}%",
    },
    # --- suggested rectification (整改建议), per class and reason or level ---------------------
    "action.zombie.no_owner": {
        ZH: "明确并登记应用负责人（姓名、手机），无人认领则申请下架",
        EN: "Name the app's owner and put them on record (name, mobile); if nobody claims the "
            "app, apply to delist it",
    },
    "action.zombie.zero_visitors": {
        ZH: "联系负责人确认是否仍在使用；无人使用则申请下架",
        EN: "Ask the owner whether the app is still used; if nobody uses it, apply to delist it",
    },
    "action.zombie.unreachable": {
        ZH: "核实应用是否已停止服务：恢复访问，或申请下架",
        EN: "Check whether the app has stopped serving: restore access, or apply to delist it",
    },
    "action.zombie.warning": {
        ZH: "连续 {warning} 天以上无访问：提醒负责人确认使用情况，避免 {limit} 天后认定为僵尸应用",
        EN: "No visitor for {warning} days or more: remind the owner to confirm the app is "
            "used, before it is flagged as a zombie app after {limit} days",
    },
    "action.low_frequency.flagged": {
        ZH: "联系负责人推广使用或与同类应用合并；确无需求则申请下架",
        EN: "Ask the owner to promote the app or merge it with a similar one; if there is no "
            "need for it, apply to delist it",
    },
    "action.low_frequency.warning": {
        ZH: "访问人数低于门槛：提醒负责人推广使用，避免连续 {months} 个月后认定为低频应用",
        EN: "Visitors under the line: remind the owner to promote the app, before it is "
            "flagged as a low-frequency app after {months} months running",
    },
    "action.low_availability.month_below_target": {
        ZH: "排查故障原因并整改，使月可用率不低于 {target}%；提交故障分析报告",
        EN: "Find and fix the cause of the failures so that monthly availability is at least "
            "{target}%; submit a failure analysis report",
    },
    "action.low_availability.bad_week": {
        ZH: "排查该周集中失败的原因（见故障记录）并整改，防止再次发生",
        EN: "Find and fix the cause of that week's failures (see the incident records) so "
            "they do not recur",
    },
    "action.missing": {ZH: "补全台账信息：{fields}", EN: "Complete the record: {fields}"},
    "action.duplicate": {
        ZH: "核实重复登记（与 {ids}），合并或下架重复项",
        EN: "Check the duplicate entries (with {ids}); merge them or delist the duplicate",
    },
    # --- the rules, as the page and the JSON state them ---------------------------------------
    "rule.zombie": {
        ZH: "僵尸应用：自最近一次访问起，有数据的日子累计 {zero} 天无访问（{warning} 天起预警；"
            "无数据的日子不计，今天未过完也不计）；或全部检查连续 {unreachable} 天失败（按小时"
            "汇总，只看有探测的小时，维护时段不计）；或台账未登记负责人。",
        EN: "Zombie app: {zero} days with data and no visitor since the last visit (a warning "
            "from {warning} days; days without data do not count, nor does today, which is not "
            "over); or every check failing for {unreachable} days running (by the hour, only "
            "hours with runs, maintenance left out); or no owner on record.",
    },
    "rule.low_frequency": {
        ZH: "低频应用：月访问人次低于 max({min}, 目标用户数 × {share})，连续 {months} 个完整月"
            "（1～2 个月为预警）。月访问人次取当月日访客数之和：跨日去重的访客数无法从日统计"
            "恢复，日访客数之和是当月独立访客数的上限，低于门槛即可确认低频；只有当月每天都有"
            "数据时才据此认定。",
        EN: "Low-frequency app: monthly visitors under max({min}, target users × {share}) for "
            "{months} full months running (1-2 months is a warning). Monthly visitors are the "
            "sum of the month's daily visitors: visitors counted once across days cannot be "
            "recovered from daily figures, and the sum of daily visitors is an upper bound of "
            "the month's unique visitors, so a sum under the line proves low frequency; it is "
            "used only when every day of the month has data.",
    },
    "rule.low_availability": {
        ZH: "低可用应用：上一完整月可用率低于 {target}%（维护时段不计，与运维月报同一算法），"
            "或最近 {weeks} 周中任一周失败探测占比不低于 {limit}%。",
        EN: "Low-availability app: availability of the last full month under {target}% "
            "(maintenance left out, computed as in the monthly operations report), or {limit}% "
            "or more failed runs in any of the last {weeks} weeks.",
    },
    "rule.traffic": {
        ZH: "访问量数据：某日有数据源写入（含 0）才算有数据；无数据的日子不算无访问，也不打断"
            "连续天数。{stale} 天无任何数据视为数据中断，不按访问量分类。只统计请求数的数据源"
            "（有访问次数、无访客数）视为有访问，但当月访问人次记为未知。",
        EN: "Traffic data: a day has data when a source wrote a figure for it (0 included); a "
            "day without data is not a day without visitors and does not break a run of days. "
            "{stale} days without any data mean the data stopped: the app is then not "
            "classified by traffic. A source that counts only requests (requests, no visitors) "
            "counts as visited, but the month's visitors are unknown.",
    },
    "rule.trend": {
        ZH: "趋势：最近 {months} 个完整月的数值，末月比首月变化超过 {points} 个百分点（可用率）"
            "或 {share}（访问人次，至少 1 人）为上升或下降，否则持平。",
        EN: "Trend: over the last {months} full months, up or down when the last month differs "
            "from the first by more than {points} percentage points (availability) or {share} "
            "(visitors, at least 1), else flat.",
    },
    "rule.deadline": {
        ZH: "整改期限：通报日（季度末）前 {before} 天；若距今不足 {min} 天，则为今天起 {min} 天，"
            "但不晚于季度末。距通报天数按服务时区的日历日计算，季度末当天为 0。",
        EN: "Rectification deadline: {before} days before the notice day (the end of the "
            "quarter); if that is less than {min} days away, {min} days from today, but not "
            "after the end of the quarter. Days until the notice are calendar days in the "
            "service's time zone; the end of the quarter itself is 0.",
    },
    "rule.tier": {
        ZH: "等级缺失：配置未写等级时按三级（一般）监测，但仍列为缺失信息。",
        EN: "Missing tier: an app whose config gives no tier is monitored as tier 3 (normal), "
            "but still listed as missing that detail.",
    },
    # --- the workbook (monitor.governance.inventory.xlsx) ---
    "sheet.apps": {ZH: "应用清单", EN: "App inventory"},
    "sheet.summary": {ZH: "汇总", EN: "Summary"},
    "col.id": {ZH: "应用编号", EN: "App ID"},
    "col.name": {ZH: "应用名称", EN: "App name"},
    "col.department": {ZH: "所属部门", EN: "Department"},
    "col.category": {ZH: "应用分类", EN: "Category"},
    "col.tier": {ZH: "等级", EN: "Tier"},
    "col.owner": {ZH: "负责人", EN: "Owner"},
    "col.mobile": {ZH: "手机", EN: "Mobile"},
    "col.missing": {ZH: "缺失信息", EN: "Missing details"},
    "col.duplicates": {ZH: "重复", EN: "Duplicates"},
    "col.reach": {ZH: "可达性", EN: "Reachability"},
    "col.classes": {ZH: "分类", EN: "Classes"},
    "col.basis": {ZH: "依据", EN: "Evidence"},
    "col.trend": {ZH: "趋势", EN: "Trend"},
    "col.days_left": {ZH: "距通报天数", EN: "Days to notice"},
    "col.actions": {ZH: "整改建议", EN: "Rectification"},
    "col.deadline": {ZH: "整改期限", EN: "Deadline"},
    "sum.item": {ZH: "项目", EN: "Item"},
    "sum.value": {ZH: "数值", EN: "Value"},
    "sum.generated": {ZH: "生成时间", EN: "Generated"},
    "sum.today": {ZH: "审计日", EN: "Audit day"},
    "sum.quarter_end": {ZH: "通报日（季度末）", EN: "Notice day (end of quarter)"},
    "sum.days_left": {ZH: "距通报天数", EN: "Days until the notice"},
    "sum.deadline": {ZH: "整改期限", EN: "Rectification deadline"},
    "sum.apps": {ZH: "应用总数", EN: "Apps"},
    "sum.apps_flagged": {ZH: "有认定分类的应用", EN: "Apps with a flagged class"},
    "sum.apps_warning_only": {ZH: "仅有预警的应用", EN: "Apps with warnings only"},
    "sum.apps_missing_fields": {ZH: "缺失信息的应用", EN: "Apps missing details"},
    "sum.apps_duplicated": {ZH: "重复登记的应用", EN: "Apps listed twice"},
    "sum.apps_to_rectify": {ZH: "需整改的应用", EN: "Apps to rectify"},
    "sum.now.up": {ZH: "当前正常", EN: "Up now"},
    "sum.now.down": {ZH: "当前不可达", EN: "Unreachable now"},
    "sum.now.unknown": {ZH: "当前未知", EN: "Unknown now"},
    "sum.apps_without_traffic_data": {ZH: "无访问量数据的应用", EN: "Apps without traffic data"},
}
