"""The quarterly watch report (季度通报预警): its cover, summary, tables, mail and CLI words."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # --- the document ---------------------------------------------------------------------
    "title": {ZH: "季度通报预警", EN: "Quarterly notice watch report"},
    "doc.organisation": {ZH: "应用运维服务单位", EN: "App operations service"},
    "doc.title": {
        ZH: "{organisation}浙政钉上架应用季度通报预警（{quarter}）",
        EN: "{organisation}: workbench apps at risk of the quarterly notice ({quarter})",
    },
    "doc.title_plain": {
        ZH: "浙政钉上架应用季度通报预警（{quarter}）",
        EN: "Workbench apps at risk of the quarterly notice ({quarter})",
    },
    "doc.number": {ZH: "预警〔{year}〕{n}号", EN: "Watch {year} No. {n}"},
    "quarter.name": {ZH: "{year}年第{nth}季度", EN: "Q{n} {year}"},
    "quarter.nth.1": {ZH: "一", EN: "1"},
    "quarter.nth.2": {ZH: "二", EN: "2"},
    "quarter.nth.3": {ZH: "三", EN: "3"},
    "quarter.nth.4": {ZH: "四", EN: "4"},
    "period": {ZH: "{start}至{end}", EN: "{start} to {end}"},
    "cover.issuer": {ZH: "发文单位", EN: "Issued by"},
    "cover.period": {ZH: "本季度", EN: "Quarter"},
    "cover.notice": {ZH: "省级通报日", EN: "Province's notice"},
    "cover.days_left": {ZH: "距通报", EN: "Days left"},
    "cover.date": {ZH: "编制日期", EN: "Date"},
    "days": {ZH: "{n} 天", EN: "{n} days"},
    "sign.prepared": {ZH: "编制", EN: "Prepared by"},
    "sign.reviewed": {ZH: "审核", EN: "Reviewed by"},
    "sign.date": {ZH: "日期", EN: "Date"},
    # --- summary --------------------------------------------------------------------------
    "sec.summary": {ZH: "一、总体情况", EN: "1. Summary"},
    "sec.class": {ZH: "{number}、{name}（{n} 个）", EN: "{number}. {name}s ({n})"},
    "sec.rules": {ZH: "附：判定规则", EN: "Annex: how apps are classed"},
    "number.2": {ZH: "二", EN: "2"},
    "number.3": {ZH: "三", EN: "3"},
    "number.4": {ZH: "四", EN: "4"},
    "summary.lead": {
        ZH: "截至{today}，工作台已上架应用 {listed} 个，其中 {at_risk} 个有被省里季度通报的风险"
            "（{flagged} 个已达到通报条件，{warning} 个处于预警）。",
        EN: "On {today}, {listed} apps are listed on the workbench; {at_risk} of them are at "
            "risk of the province's quarterly notice ({flagged} already meet its conditions, "
            "{warning} are early warnings).",
    },
    "summary.days_left": {
        ZH: "省里将于本季度末（{end}）通报，距今还有 {days} 天。",
        EN: "The province's notice comes at the end of the quarter ({end}): {days} days from "
            "today.",
    },
    "summary.ended": {
        ZH: "本季度已于{end}结束，以下为季度末的情况。",
        EN: "The quarter ended on {end}; what follows is its state at the end.",
    },
    "summary.items": {
        ZH: "已建整改项 {items} 个：进行中 {open} 个，已逾期 {overdue} 个，已完成 {done} 个；"
            "{none} 个风险应用尚未建整改项（预警不建整改项）。",
        EN: "Rectification items: {items} ({open} in progress, {overdue} overdue, {done} done); "
            "{none} apps at risk have no item (warnings open none).",
    },
    "summary.months": {
        ZH: "判定依据为 {months} 的整月数据（标 * 的月份属于本季度）；本月尚未结束，不计入。",
        EN: "Classes are decided on the full months {months} (* marks the quarter's months); "
            "the current month has not ended and is not counted.",
    },
    "summary.none": {
        ZH: "本季度没有应用有被通报的风险。",
        EN: "No app is at risk of the quarterly notice.",
    },
    "col.class": {ZH: "类别", EN: "Class"},
    "col.flagged": {ZH: "已达通报条件", EN: "Meets the notice"},
    "col.warning": {ZH: "预警", EN: "Early warning"},
    "col.total": {ZH: "合计", EN: "Total"},
    "col.app": {ZH: "应用", EN: "App"},
    "col.department": {ZH: "部门 / 负责人", EN: "Department / owner"},
    "col.level": {ZH: "程度", EN: "Level"},
    "col.evidence": {ZH: "依据", EN: "Evidence"},
    "col.months": {ZH: "逐月数据", EN: "Month by month"},
    "col.item": {ZH: "整改项与进展", EN: "Rectification and progress"},
    "col.month": {ZH: "月份", EN: "Month"},
    "col.availability": {ZH: "可用率", EN: "Availability"},
    "col.failed": {ZH: "失败/探测", EN: "Failed/probes"},
    "col.visitors": {ZH: "访问人次", EN: "Visitors"},
    "col.pv": {ZH: "访问量", EN: "Page views"},
    "col.traffic_days": {ZH: "有数据天数", EN: "Days with data"},
    "zero_days": {ZH: "连续 {n} 天无人访问", EN: "{n} days without a visitor"},
    "no_data": {ZH: "无数据", EN: "no data"},
    "dash": {ZH: "—", EN: "—"},
    "empty.class": {ZH: "本类没有风险应用。", EN: "No app at risk in this class."},
    # --- rectification items -----------------------------------------------------------------
    "item.none": {ZH: "未建整改项", EN: "No item"},
    "item.suggested": {ZH: "建议：{actions}", EN: "Suggested: {actions}"},
    "item.state.open": {ZH: "整改中", EN: "in progress"},
    "item.state.overdue": {ZH: "已逾期", EN: "overdue"},
    "item.state.done": {ZH: "已完成", EN: "done"},
    "item.state_by": {ZH: "{state}（{by}）", EN: "{state} ({by})"},
    "item.deadline": {ZH: "期限 {date}（剩 {days} 天）", EN: "due {date} ({days} days left)"},
    "item.deadline.past": {ZH: "期限 {date}（已过 {days} 天）", EN: "due {date} ({days} days ago)"},
    "by.audit": {ZH: "自动复核", EN: "audit"},
    "by.delisting": {ZH: "下架", EN: "delisting"},
    "item.closed_by.audit": {ZH: "复核不再触发", EN: "no longer flagged"},
    "item.closed_by.delisting": {ZH: "应用已下架", EN: "app delisted"},
    "progress.opened": {ZH: "建立", EN: "opened"},
    "progress.reminded": {ZH: "到期提醒", EN: "reminded"},
    "progress.still_flagged": {ZH: "仍被标记", EN: "still flagged"},
    "progress.closed": {ZH: "关闭", EN: "closed"},
    "progress.note": {ZH: "进展", EN: "progress"},
    "progress.line": {ZH: "{when} {kind}（{by}）{note}", EN: "{when} {kind} ({by}) {note}"},
    # --- mail ------------------------------------------------------------------------------
    "mail.subject": {ZH: "季度通报预警 {quarter}", EN: "Quarterly notice watch report {quarter}"},
    "mail.attached": {ZH: "完整报告见附件 PDF。", EN: "The full report is attached as a PDF."},
    # --- the command line ---------------------------------------------------------------------
    "cli.help": {ZH: "季度通报预警报告", EN: "the quarterly notice watch report"},
    "cli.quarter": {ZH: "季度，例如 2026Q4", EN: "the quarter, e.g. 2026Q4"},
    "cli.bad_quarter": {
        ZH: "季度应写成 2026Q4 这样（第 1 至 {count} 季度）：{detail}",
        EN: "a quarter is written like 2026Q4 (quarters 1 to {count}): {detail}",
    },
    "cli.not_started": {
        ZH: "{quarter}尚未开始（{start} 开始）",
        EN: "{quarter} has not started yet (it starts on {start})",
    },
}
