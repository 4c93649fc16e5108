"""Reports: the methods notes and the report CLI's messages."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # --- methods: how each figure is computed ---------------------------------------------
    "method.period": {
        ZH: "统计期间为 {start}至{end}（{tz_name}）。数据按小时汇总，每一小时计入它开始的那一天。",
        EN: "The report covers {start} to {end} ({tz_name}). Figures are kept per hour, each "
            "hour counted in the day it starts.",
    },
    "method.availability": {
        ZH: "可用率是检查成功的次数占全部检查次数的比例，一个应用的所有检查项合在一起算。"
            "页面打不开、报错，或者打开太慢（超过该检查设定的时限），都算一次失败。",
        EN: "Availability is the share of checks that succeeded, over all of an app's checks "
            "together. A page that does not open, answers with an error, or answers too slowly "
            "(beyond the limit set for that check) counts as a failed check.",
    },
    "method.maintenance": {
        ZH: "事先登记的维护时段不计入统计：维护期间的检查不算成功也不算失败。"
            "由于数据按小时汇总，维护时段所在的整小时都不计入。本月共有 {count} 个维护时段。",
        EN: "Announced maintenance is left out: checks during it count neither as successes "
            "nor as failures. Figures are kept per hour, so every hour a maintenance touches is "
            "left out whole. Maintenance periods this month: {count}.",
    },
    "method.monitor_faults": {
        ZH: "监测系统自身出问题（例如本机网络中断）时，检查结果记为“无法判断”，"
            "不算应用的失败，也不计入可用率，这些时段记为无数据。本月监测中断 {blind} 次。"
            "证书即将到期之类的提醒不算故障，不计入可用率和处置时限。",
        EN: "When the monitoring system itself has a problem (its own network is cut off, "
            "say), a check is recorded as \"could not tell\": not the app's failure, and left "
            "out of availability as no data. The monitor was cut off {blind} time(s) this "
            "month. Reminders such as a certificate close to expiry are not incidents and "
            "count in neither availability nor the response limits.",
    },
    "method.totals": {
        ZH: "总体可用率把所有应用的检查次数合在一起计算，检查多的应用分量更重。",
        EN: "Overall availability puts every app's checks together, so an app checked more "
            "often weighs more.",
    },
    "method.latency": {
        ZH: "响应时间看的是检查得到应答用了多久：p50 表示一半的检查快于这个时间，"
            "p95 表示 95% 的检查快于这个时间。没有得到应答的检查（如连接被拒绝）不计入响应时间。"
            "数值为近似值，误差在百分之五以内。",
        EN: "Response time is how long a check waited for the app's answer: half of the "
            "checks were faster than p50, 95 in 100 faster than p95. Checks that got no answer "
            "(a refused connection, say) are left out. The values are close approximations, "
            "within five per cent.",
    },
    "method.incidents": {
        ZH: "故障指本月发现并登记的故障。平均响应时间是从登记到值班人员确认的平均用时，"
            "平均解决时间是从登记到恢复的平均用时；总计是所有故障一起平均。",
        EN: "Incidents are those recorded this month. Mean time to respond is the average "
            "from recording to the on-call engineer's acknowledgement, mean time to resolve the "
            "average from recording to recovery; totals average all incidents together.",
    },
    "method.sla": {
        ZH: "处置时限：{response}内响应，{resolution}内解决。超过时限才响应或解决、"
            "或到出报告时已超时仍未处理的，都算超时；尚未到时限的故障暂不计入。"
            "及时率 = 按时处理的 ÷（按时处理的 + 超时的）。",
        EN: "Limits: respond within {response}, resolve within {resolution}. Responding or "
            "resolving late, or still not done past the limit when the report is made, counts "
            "as late; incidents not yet at their limit are left out. On-time rate = on time / "
            "(on time + late).",
    },
    "method.percentages": {
        ZH: "百分比保留两位小数，多余的位数直接舍去、不进位，因此 100% 只表示一次失败也没有。",
        EN: "Percentages show two decimals, cut rather than rounded up, so 100% means not a "
            "single failure.",
    },
    "method.certificates": {
        ZH: "证书：列出剩余有效期不足 {days} 天的应用，按最近一次检查看到的情况，"
            "一个应用有多个证书时按最早到期的算。",
        EN: "Certificates: apps with fewer than {days} days left, as last seen by a check; an "
            "app with several certificates is listed once, by the one expiring first.",
    },
    "method.watch_list": {
        ZH: "关注名单（季度通报前需要整改）：本月可用率低于 {target}%，或任意连续 7 天里"
            "失败的检查占 {week}% 以上，或本月没有任何检查数据的应用。",
        EN: "Watch-list (to fix before the quarterly notice): apps whose availability this "
            "month was below {target}%, or with {week}% or more failed checks over any 7 days "
            "in a row, or with no checks at all this month.",
    },
    "method.correlated": {
        ZH: "多个应用同时出现、很可能同一原因的故障记为一次大面积故障，在故障总数中只算一次。"
            "本月共 {events} 次，涉及 {incidents} 个应用的故障；"
            "每个应用的故障仍计入该应用自己的统计和处置时限。",
        EN: "Several apps failing together, most likely from one cause, count as one wide "
            "outage in the total: {events} this month, covering {incidents} apps' incidents. "
            "Each app's incident still counts in that app's own figures and limits.",
    },
    "method.requests": {
        ZH: "服务请求：用户通过电话、钉钉、现场等渠道提出、登记在系统中的一般请求，"
            "只要求在 {limit}内响应，不计解决时限，也不计入应用的故障和可用率。"
            "用户报告的应用故障与监测发现的故障一样计入该应用。",
        EN: "Service requests: ordinary requests people made (by phone, DingTalk, on site...) "
            "and that were entered in the system. They must be answered within {limit}; there "
            "is no resolution limit, and they are neither the app's incidents nor part of its "
            "availability. App failures people reported count as the app's incidents.",
    },
    "method.scope": {
        ZH: "统计范围为当前登记的应用；已移除的应用本月有 {other} 个故障，未计入。",
        EN: "The report covers the apps currently registered; {other} incident(s) of apps "
            "since removed are not counted.",
    },
    "method.comparison": {
        ZH: "与上月的比较按同样的方法计算上月数据；上月没有检查数据时注明“无上月数据”。",
        EN: "Last month's figures are computed the same way; without data for last month "
            "the report says so.",
    },
    "method.traffic": {
        ZH: "访问量来自各应用上报或采集的每日访问次数和访问人数；月访问人数为每日人数相加，"
            "同一人在不同日期访问会重复计算，因此是上限。",
        EN: "Traffic comes from each app's daily page views and visitors, pushed or "
            "collected; a month's visitors are the days' visitors added up, so one person "
            "visiting on two days counts twice: an upper bound.",
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
    # --- dates in words ---------------------------------------------------------------------
    "date.day": {ZH: "{y}年{m}月{d}日", EN: "{d} {m} {y}"},
    "date.month_day": {ZH: "{m}月{d}日", EN: "{d} {m}"},
    "date.month": {ZH: "{y}年{m}月", EN: "{m} {y}"},
    **{f"date.mon.{n}": {ZH: str(n), EN: name} for n, name in enumerate(
        ("January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"), 1)},
    # --- the cover ----------------------------------------------------------------------------
    "doc.organisation": {ZH: "运维服务单位", EN: "The operations team"},
    "doc.title": {
        ZH: "{organisation}浙政钉上架应用运行质量月报（{month}）",
        EN: "{organisation}: service quality of the apps on the Zhezhengding workbench, {month}",
    },
    "doc.title_plain": {
        ZH: "浙政钉上架应用运行质量月报（{month}）",
        EN: "Service quality of the apps on the Zhezhengding workbench, {month}",
    },
    "doc.number": {ZH: "运维〔{year}〕{n}号", EN: "Ops [{year}] No. {n}"},
    "doc.period": {ZH: "{start}至{end}", EN: "{start} to {end}"},
    "doc.period_open": {
        ZH: "截至 {date}（本月尚未结束）",
        EN: "up to {date} (the month has not ended)",
    },
    # --- the written summary (综述) --------------------------------------------------------------
    "sum.availability": {
        ZH: "本月共监测上架应用 {apps} 个，总体可用率 {pct}，{verdict} {target} 的目标。",
        EN: "{apps} apps were monitored this month; overall availability was {pct}, "
            "{verdict} the {target} target.",
    },
    "sum.met": {ZH: "达到", EN: "meeting"},
    "sum.missed": {ZH: "未达到", EN: "short of"},
    "sum.below": {ZH: "其中 {n} 个应用低于目标。", EN: "{n} app(s) fell below it."},
    "sum.all_met": {ZH: "各应用均达到目标。", EN: "Every app met it."},
    "sum.no_probes": {
        ZH: "本月共监测上架应用 {apps} 个，尚无检查数据。",
        EN: "{apps} apps are monitored; there are no checks yet this month.",
    },
    "sum.incidents": {
        ZH: "本月发生故障 {events} 起，其中{severities}。",
        EN: "{events} incident(s) this month: {severities}.",
    },
    "sum.severity": {ZH: "{name} {n} 起", EN: "{n} {name}"},
    "sum.kinds": {ZH: "按检查类型分：{kinds}。", EN: "By kind of check: {kinds}."},
    "sum.kind": {ZH: "{name} {n} 起", EN: "{name} {n}"},
    "sum.reported": {
        ZH: "其中 {n} 起由用户报告。",
        EN: "{n} of them were reported by people.",
    },
    "sum.correlated": {
        ZH: "其中 {events} 起为多个应用同时发生的大面积故障，涉及 {incidents} 个应用。",
        EN: "{events} of them were wide outages, several apps at once, {incidents} apps' "
            "incidents in all.",
    },
    "sum.no_incidents": {ZH: "本月没有发生故障。", EN: "There were no incidents this month."},
    "sum.sla": {
        ZH: "{response}内响应 {r_within} 起、超时 {r_late} 起，及时响应率 {r_pct}；"
            "{resolution}内解决 {s_within} 起、超时 {s_late} 起，及时解决率 {s_pct}。"
            "平均响应时间 {mtta}，平均解决时间 {mttr}。",
        EN: "Responded within {response}: {r_within}, late: {r_late}, on time {r_pct}; "
            "resolved within {resolution}: {s_within}, late: {s_late}, on time {s_pct}. "
            "Mean time to respond {mtta}, to resolve {mttr}.",
    },
    "sum.attention": {
        ZH: "需要关注的应用 {n} 个：{apps}，详见“整改建议”。",
        EN: "{n} app(s) need attention: {apps}. See the recommendations.",
    },
    "sum.attention_more": {ZH: "{apps}等", EN: "{apps} and others"},
    "sum.attention_app": {ZH: "{name}（{why}）", EN: "{name} ({why})"},
    "sum.attention_none": {
        ZH: "本月没有需要整改的应用。",
        EN: "No app needs corrective work this month.",
    },
    "sum.previous": {
        ZH: "与上月（{month}）相比，总体可用率由 {before} 变为 {now}（{pct_change}），"
            "故障由 {e_before} 起变为 {e_now} 起（{e_change}）。",
        EN: "Against last month ({month}): overall availability {before} → {now} "
            "({pct_change}); incidents {e_before} → {e_now} ({e_change}).",
    },
    "sum.up_pp": {ZH: "上升 {n} 个百分点", EN: "up {n} points"},
    "sum.down_pp": {ZH: "下降 {n} 个百分点", EN: "down {n} points"},
    "sum.same": {ZH: "持平", EN: "unchanged"},
    "sum.more": {ZH: "增加 {n} 起", EN: "{n} more"},
    "sum.fewer": {ZH: "减少 {n} 起", EN: "{n} fewer"},
    "sum.no_previous": {ZH: "无上月数据，暂不比较。", EN: "No data for last month to compare."},
    "sum.traffic": {
        ZH: "{n} 个应用记录了访问量，本月合计访问 {pv} 次。",
        EN: "{n} app(s) recorded traffic: {pv} page views this month.",
    },
    # --- recommendations (整改建议): the problem, then what to do, per reason ---------------------
    "why.availability_below_target": {ZH: "可用率低于目标", EN: "below the target"},
    "why.week_failed_probes": {ZH: "连续 7 天失败偏多", EN: "a bad week"},
    "why.no_probes": {ZH: "无检查数据", EN: "no checks"},
    "why.repeated_incidents": {ZH: "故障反复", EN: "repeated incidents"},
    "why.sla_breaches": {ZH: "处置超时", EN: "late handling"},
    "why.certificate": {ZH: "证书即将到期", EN: "certificate expiring"},
    "why.open_items": {ZH: "整改未完成", EN: "rectification open"},
    "rec.availability_below_target": {
        ZH: "本月可用率 {pct}，低于 {target} 的目标",
        EN: "availability {pct} this month, below the {target} target",
    },
    "act.availability_below_target": {
        ZH: "查明失败原因并整改，季度通报前使可用率回到 {target} 以上",
        EN: "find why checks fail and fix it, back above {target} before the quarterly notice",
    },
    "rec.week_failed_probes": {
        ZH: "连续 7 天内失败的检查最多占 {pct}（应低于 {limit}）",
        EN: "up to {pct} of checks failed over 7 days in a row (should stay under {limit})",
    },
    "act.week_failed_probes": {
        ZH: "查明失败集中的时段和原因",
        EN: "find when and why the failures clustered",
    },
    "rec.no_probes": {ZH: "本月没有检查数据", EN: "no checks at all this month"},
    "act.no_probes": {
        ZH: "核实监测配置，确认应用是否仍在运行",
        EN: "verify the monitoring set-up and whether the app still runs",
    },
    "rec.repeated_incidents": {ZH: "本月发生故障 {n} 起", EN: "{n} incidents this month"},
    "act.repeated_incidents": {
        ZH: "分析反复故障的根本原因并落实整改",
        EN: "find the root cause of the repeated incidents and fix it",
    },
    "rec.sla_breaches": {
        ZH: "超时响应 {response} 起、超时解决 {resolution} 起",
        EN: "{response} late response(s), {resolution} late resolution(s)",
    },
    "act.sla_breaches": {
        ZH: "复核值班响应和处置流程",
        EN: "review the on-call response and handling",
    },
    "rec.certificate": {
        ZH: "证书 {days} 天后到期（{date}）",
        EN: "certificate expires in {days} days ({date})",
    },
    "act.certificate": {ZH: "到期前续期证书", EN: "renew the certificate before it expires"},
    "rec.open_items": {
        ZH: "整改事项 {n} 项尚未完成，其中逾期 {overdue} 项",
        EN: "{n} rectification item(s) still open, {overdue} overdue",
    },
    "act.open_items": {
        ZH: "督促责任部门按期完成整改",
        EN: "press the owning department to finish them on time",
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
