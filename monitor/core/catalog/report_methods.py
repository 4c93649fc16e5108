"""Reports: the methods notes and the report CLI's messages."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # --- methods: how each figure is computed ---------------------------------------------
    "method.period": {
        ZH: "统计区间为 {start} 至 {end}（{tz}）。数据来自小时汇总（UTC 整点小时），"
            "按小时起点归属到日期和月份。",
        EN: "The month runs from {start} to {end} ({tz}). Figures come from hourly rollups "
            "(UTC hours), each counted in the day and month its start falls in.",
    },
    "method.availability": {
        ZH: "可用率 = 100 ×（1 − 失败次数 / 探测次数），合计应用全部检查的运行次数。"
            "探测失败的运行均计为失败，包括响应慢于 max_latency 的运行。",
        EN: "Availability = 100 × (1 − failed runs / runs) over every check of the app. A run "
            "counts as failed whenever its probe failed, slower than max_latency included.",
    },
    "method.maintenance": {
        ZH: "与覆盖该应用的维护窗口（以服务记录的实际发生为准）有重叠的整小时不计入探测次数、"
            "失败次数和耗时；汇总粒度为一小时，因此部分重叠的小时整小时剔除。"
            "本月记录 {count} 个窗口。",
        EN: "Whole hours overlapping a maintenance window that covers the app (as the service "
            "recorded it) are left out of runs, failures and latency; the rollup granularity "
            "is one hour, so a partly covered hour is left out whole. Windows this month: "
            "{count}.",
    },
    "method.monitor_faults": {
        ZH: "监测服务自身的故障不算作应用故障：本机文件描述符或内存耗尽、事件循环卡顿、"
            "服务正在停止，或连通性自检发现本机网络中断时，探测结果记为“监测异常”（unknown），"
            "既不算成功也不算失败，不计入可用率；这些时段记为无数据。本月监测中断 {blind} 次。"
            "证书即将过期等预警不计时限、不计入可用率和 SLA，只有真正故障计入。",
        EN: "The monitor's own faults are not the apps': when this machine ran out of file "
            "descriptors or memory, its event loop stalled, the service was stopping, or the "
            "connectivity guard found the monitor cut off from the network, a run is "
            "`unknown`, neither up nor down, and left out of availability as no data. Blind "
            "periods this month: {blind}. Warnings (a certificate close to expiry) carry no "
            "SLA clocks and count in neither availability nor SLA figures; only outages do.",
    },
    "method.totals": {
        ZH: "总体可用率按探测次数加权：全部应用失败次数之和除以探测次数之和。",
        EN: "Overall availability is weighted by runs: all apps' failed runs over all their "
            "runs.",
    },
    "method.latency": {
        ZH: "耗时 p50/p95/p99 由各小时耗时直方图合并后按最近秩取分位数，相对误差不超过 4.76%；"
            "只统计通过的运行与慢响应运行（其他失败的耗时反映的是失败本身，如超时或拒绝连接）。",
        EN: "Latency p50/p95/p99: nearest-rank quantiles of the merged hourly histograms, "
            "within 4.76 % relative error, over passing and slow runs only (other failures "
            "measure the failure, a timeout or a refused connect, not the app).",
    },
    "method.incidents": {
        ZH: "故障数为本月开单的故障。MTTA 为其中已确认故障“开单→确认”时长的平均值，"
            "MTTR 为其中已解决故障“开单→解决”时长的平均值，单位秒；总计为全部故障的平均值，"
            "不是各应用平均值的平均。",
        EN: "Incidents are those opened in the month. MTTA is the mean opened→acknowledged "
            "time of the acknowledged ones, MTTR the mean opened→resolved time of the resolved "
            "ones, in seconds; totals average all incidents, not the apps' means.",
    },
    "method.sla": {
        ZH: "SLA：响应时限 {response}，解决时限 {resolution}。服务已标记超时、晚于时限确认或解决、"
            "或生成报告时已过时限仍未确认或解决，均计为超时；时限未到的未结故障暂不计入。"
            "达成率 = 时限内 /（时限内 + 超时）。",
        EN: "SLA: respond within {response}, resolve within {resolution}. Flagged as breached "
            "by the service, acknowledged or resolved late, or still missing past the limit "
            "when the report is made all count as breached; open incidents not yet at the "
            "limit are left out. Achievement = within / (within + breached).",
    },
    "method.percentages": {
        ZH: "百分比截断保留三位小数（不四舍五入），因此 100 只表示没有任何失败。",
        EN: "Percentages are truncated to three decimals, never rounded up, so 100 means "
            "nothing failed.",
    },
    "method.certificates": {
        ZH: "证书：最近一次检查看到的证书剩余有效期少于 {days} 天的列出（生成报告时的状态）。",
        EN: "Certificates: those with fewer than {days} days left when last seen by a check "
            "(the state when the report is made).",
    },
    "method.watch_list": {
        ZH: "关注名单（季度通报前整改）：月可用率低于 {target}%，或任意连续 7 天失败探测占比 "
            "≥ {week}%，或本月没有探测数据的应用。",
        EN: "Watch-list (fix before the quarterly notice): monthly availability below "
            "{target} %, or at least {week} % failed runs over any 7 consecutive days, or no "
            "runs at all this month.",
    },
    "method.correlated": {
        ZH: "大面积故障（多个应用同时故障）在总计的故障数中只算一次，本月共 {events} 起，"
            "涉及 {incidents} 个应用故障；各应用的故障仍计入该应用自己的一行，响应与解决时限、"
            "MTTA、MTTR 和 SLA 达成率按各应用的故障计算。大面积故障本身不是应用，不单列一行，"
            "也不计入 SLA。",
        EN: "A correlated outage (several apps failing together) counts once in the total "
            "number of incidents: {events} this month, covering {incidents} app incidents. "
            "Each app's own incident still counts in that app's row, and response and "
            "resolution limits, MTTA, MTTR and SLA achievement are computed over the apps' "
            "incidents. The correlated outage itself is no app: it has no row and no SLA "
            "figures.",
    },
    "method.requests": {
        ZH: "服务请求：用户通过电话、钉钉、现场等渠道报告、在控制台或接口登记的一般请求，"
            "只计响应时限 {limit}（登记→确认），不计解决时限，不计入应用的故障数和可用率；"
            "超时规则同上，及时响应率 = 时限内 /（时限内 + 超时）。"
            "人工登记的故障与监测发现的故障一样计入该应用。",
        EN: "Service requests: ordinary requests people reported (by phone, DingTalk, on "
            "site...) and entered in the console or the API. Only the response limit counts, "
            "{limit} (reported→acknowledged); no resolution limit, and they are neither the "
            "app's incidents nor part of its availability. Breaches by the rule above; "
            "answered in time = within / (within + breached). Faults people reported count "
            "as their app's incidents like the monitor's own.",
    },
    "method.scope": {
        ZH: "统计范围为当前配置中的应用；已从配置移除的应用本月有 {other} 个故障，未计入。",
        EN: "The report covers the apps in the current configuration; {other} incident(s) "
            "of apps no longer configured are not counted.",
    },
    # --- methods of the incident analysis report ------------------------------------------
    "imethod.evidence": {
        ZH: "故障检查的原始探测结果取自首次失败前 {margin} 至恢复（或生成报告时）后 {margin}；"
            "同一应用其他检查在此区间内有失败的一并列出。图表按分钟汇总，耗时只统计通过与慢响应的运行。",
        EN: "Raw results of the failing check from {margin} before the first failure to "
            "{margin} after the resolve (or the report, if still open); other checks of the app "
            "that failed in that window are listed too. Charts are per minute; latency counts "
            "passing and slow runs only.",
    },
    "imethod.sla": {
        ZH: "响应时限 {response}（开单→确认），解决时限 {resolution}（开单→解决）。",
        EN: "Respond within {response} (opened→acknowledged), resolve within {resolution} "
            "(opened→resolved).",
    },
    "imethod.notes": {
        ZH: "原因、整改与经验来自故障备注：以“直接原因:”“根本原因:”“整改:”“经验:”开头的行"
            "归入对应章节，整改写作“整改: 内容; 负责人: 姓名; 期限: YYYY-MM-DD”；"
            "其余备注作为处置过程。解决时填写的原因未加前缀时作为直接原因。",
        EN: "Causes, actions and lessons come from the incident notes: lines starting with "
            "\"direct cause:\", \"root cause:\", \"action:\" or \"lessons:\" go to that section, "
            "an action written \"action: <what>; owner: <who>; deadline: YYYY-MM-DD\"; other "
            "notes are handling steps. A resolve cause without a prefix is the direct cause.",
    },
    "imethod.correlated": {
        ZH: "大面积故障：多个应用同时故障、很可能同一原因时，各应用的故障并入一个大面积故障。"
            "大面积故障本身不计响应和解决时限，各应用的故障保留各自的时限与处置记录；"
            "证据为各应用故障检查在其首次失败至恢复期间的原始探测结果。",
        EN: "Correlated outage: when several apps fail together, probably from one cause, "
            "their incidents join one correlated outage. It has no SLA clocks of its own; "
            "each app's incident keeps its own clocks and record. The evidence is each app's "
            "failing check, from its first failure to its recovery.",
    },
    # --- the CLI -------------------------------------------------------------------------
    "cli.bad_month": {
        ZH: "月份无效：{detail}（应为 YYYY-MM，且不晚于当前月份）",
        EN: "Invalid month: {detail} (expected YYYY-MM, not after the current month)",
    },
    "cli.not_found": {ZH: "未找到故障 ID：{id}", EN: "Incident ID not found: {id}"},
    "cli.format_unavailable": {
        ZH: "{format} 格式的报告尚未提供（not yet available），请先使用 --format json。",
        EN: "{format} reports are not yet available; use --format json for now.",
    },
    "cli.no_data": {
        ZH: "数据目录中没有监控数据：{path}（服务是否在该 data_dir 运行过？）",
        EN: "No monitoring data in {path} (has the service run with this data_dir?)",
    },
    "cli.storage": {ZH: "读取监控数据失败：{detail}", EN: "Cannot read monitoring data: {detail}"},
    "cli.write_failed": {ZH: "无法写入 {path}：{detail}", EN: "Cannot write {path}: {detail}"},
    "cli.render_failed": {ZH: "无法生成 PDF：{detail}", EN: "Cannot draw the PDF: {detail}"},
    "cli.written": {ZH: "报告已写入 {path}", EN: "Report written to {path}"},
    # --- durations in prose ----------------------------------------------------------------
    "unit.hours": {ZH: "{n} 小时", EN: "{n} h"},
    "unit.minutes": {ZH: "{n} 分钟", EN: "{n} min"},
    "unit.seconds": {ZH: "{n} 秒", EN: "{n} s"},
}
