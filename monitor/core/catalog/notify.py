"""Notifications: DingTalk, webhook and e-mail texts."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "unit.day": {ZH: "{n}天", EN: "{n}d"},
    "unit.hour": {ZH: "{n}小时", EN: "{n}h"},
    "unit.minute": {ZH: "{n}分", EN: "{n}m"},
    "unit.second": {ZH: "{n}秒", EN: "{n}s"},
    "tier.1": {ZH: "一", EN: "1"},
    "tier.2": {ZH: "二", EN: "2"},
    "tier.3": {ZH: "三", EN: "3"},
    "sev.critical": {ZH: "严重故障", EN: "CRITICAL"},
    "sev.major": {ZH: "重要故障", EN: "MAJOR"},
    "sev.minor": {ZH: "一般故障", EN: "MINOR"},
    "tag.incident.reminder": {ZH: "未确认提醒", EN: "REMINDER"},
    "tag.incident.escalated": {ZH: "升级", EN: "ESCALATED"},
    "tag.incident.acknowledged": {ZH: "已确认", EN: "ACKNOWLEDGED"},
    "tag.incident.resolved": {ZH: "已恢复", EN: "RESOLVED"},
    "lead.incident.opened": {
        ZH: "应用发生故障，请在响应时限前确认并处理。",
        EN: "An app is failing. Please acknowledge before the response deadline.",
    },
    "lead.incident.reminder": {
        ZH: "故障仍未确认，请尽快响应！", EN: "Still not acknowledged. Please respond now."
    },
    "lead.incident.escalated": {
        ZH: "故障未及时确认，已升级通知。", EN: "Not acknowledged in time: escalated."
    },
    "lead.incident.acknowledged": {ZH: "{by} 已确认，正在处理。", EN: "{by} acknowledged it."},
    "lead.incident.resolved": {ZH: "故障已恢复。", EN: "The incident is resolved."},
    "lead.auto": {
        ZH: "检查已连续通过，故障自动恢复。", EN: "Checks pass again: resolved automatically."
    },
    "kind.warning": {ZH: "预警", EN: "WARNING"},
    "kind.monitor": {ZH: "监测中断", EN: "MONITOR CUT OFF"},
    "lead.warning.incident.opened": {
        ZH: "预警：尚未故障，但需安排处理（如续期证书）；不计响应和解决时限。",
        EN: "A warning, not an outage: plan the fix (renew the certificate); no SLA clocks.",
    },
    "lead.warning.incident.reminder": {
        ZH: "预警提醒：期限临近，请尽快处理。", EN: "Warning reminder: the deadline is near.",
    },
    "lead.monitor.incident.opened": {
        ZH: "监测服务本机网络中断：期间各应用状态无法判断，不开故障单、不计入可用率。",
        EN: "The monitor is cut off from the network: no app can be judged meanwhile; no app "
            "incident opens and availability is not charged.",
    },
    "lead.monitor.incident.resolved": {
        ZH: "监测服务网络已恢复，继续正常监测。", EN: "The monitor is back online.",
    },
    "lead.flapping": {
        ZH: "仍不稳定：检查反复失败与恢复，故障保持打开，稳定后自动恢复。",
        EN: "Still unstable: the check keeps failing and recovering; the incident stays open "
            "until it is stable.",
    },
    "row.app": {ZH: "应用", EN: "App"},
    "row.check": {ZH: "检查项", EN: "Check"},
    "row.severity": {ZH: "级别", EN: "Severity"},
    "row.summary": {ZH: "故障现象", EN: "What failed"},
    "row.started": {ZH: "首次失败", EN: "Failing since"},
    "row.opened": {ZH: "告警时间", EN: "Opened"},
    "row.respond_by": {ZH: "响应时限", EN: "Respond by"},
    "row.resolve_by": {ZH: "恢复时限", EN: "Resolve by"},
    "row.acked": {ZH: "确认人", EN: "Acknowledged by"},
    "row.response": {ZH: "响应用时", EN: "Response time"},
    "row.resolved": {ZH: "恢复时间", EN: "Resolved at"},
    "row.resolved_by": {ZH: "处理人", EN: "Resolved by"},
    "row.duration": {ZH: "故障时长", EN: "Time to resolve"},
    "row.cause": {ZH: "原因", EN: "Cause"},
    "row.owner": {ZH: "负责人", EN: "Owner"},
    "row.on_duty": {ZH: "值班", EN: "On duty"},
    "list.sep": {ZH: "、", EN: ", "},
    "row.incident": {ZH: "事件编号", EN: "Incident"},
    "breached": {ZH: "（已超时）", EN: " (SLA breached)"},
    "within": {ZH: "（达标）", EN: " (within SLA)"},
    "auto": {ZH: "自动恢复", EN: "automatic"},
    "tier": {ZH: "{n}级", EN: "tier {n}"},
    "ack": {ZH: "立即确认", EN: "Acknowledge"},
    "ack.short": {ZH: "确认", EN: "ack"},
    "details": {ZH: "查看详情", EN: "Details"},
    "digest.title": {ZH: "{n} 条告警合并发送", EN: "{n} alerts in one message"},
    "digest.lead": {
        ZH: "1 分钟内告警较多，已合并为一条发送；逐条详情见控制台。",
        EN: "Too many alerts for one minute, so they come merged; see the console for each.",
    },
    "truncated": {ZH: "\n\n……（内容过长，已截断）", EN: "\n\n… (too long, truncated)"},
    # An incident that failed again soon after it resolved (reopened): not a new outage.
    "tag.reopened": {ZH: "再次故障（第 {n} 次）", EN: "Failed again (failure {n})"},
    "lead.reopened": {
        ZH: "再次故障（第 {n} 次）：恢复后检查又失败了，不是新的故障，请确认并处理。",
        EN: "Failed again (failure {n}): the check failed again after it recovered; not a new "
            "outage. Please acknowledge.",
    },
    "row.reopened": {ZH: "再次失败", EN: "Failed again at"},
    "kind.request": {ZH: "服务请求", EN: "SERVICE REQUEST"},
    # Faults and requests reported by people (source "reported").
    "row.reported_by": {ZH: "报告人", EN: "Reported by"},
    "row.channel": {ZH: "渠道", EN: "Channel"},
    "row.reported_at": {ZH: "登记时间", EN: "Reported at"},
    "channel.phone": {ZH: "电话", EN: "phone"},
    "channel.dingtalk": {ZH: "钉钉", EN: "DingTalk"},
    "channel.onsite": {ZH: "现场", EN: "on site"},
    "channel.other": {ZH: "其他", EN: "other"},
    "lead.request.incident.opened": {
        ZH: "收到服务请求，请在响应时限前确认并处理。",
        EN: "A service request came in. Please acknowledge before the response deadline.",
    },
    "lead.request.incident.reminder": {
        ZH: "服务请求仍未确认，请尽快响应！", EN: "The request is still not acknowledged. "
                                                "Please respond now.",
    },
    "lead.request.incident.escalated": {
        ZH: "服务请求未及时确认，已升级通知。", EN: "The request was not acknowledged in time: "
                                                  "escalated.",
    },
    "lead.request.incident.resolved": {ZH: "服务请求已处理完毕。", EN: "The request is done."},
    # Correlated outages (大面积故障): one parent incident for several apps failing together.
    "kind.correlated": {ZH: "大面积故障", EN: "WIDESPREAD OUTAGE"},
    "tag.incident.joined": {ZH: "新增", EN: "MORE APPS"},
    "corr.title": {ZH: "{n} 个应用同时故障", EN: "{n} apps failing at once"},
    "corr.title.joined": {ZH: "{k} 个应用加入（共 {n} 个）", EN: "{k} more apps (now {n})"},
    "corr.title.done": {ZH: "大面积故障（{n} 个应用）", EN: "widespread outage ({n} apps)"},
    "lead.correlated.incident.opened": {
        ZH: "多个应用同时故障，可能是同一原因（网络、网关或机房）。请先排查共同原因；"
            "确认后全部 {n} 个应用的故障一并确认。",
        EN: "Several apps failed at once, probably from one cause (network, gateway or data "
            "centre). Look for the common cause first; acknowledging covers all {n} apps.",
    },
    "lead.correlated.incident.reminder": {
        ZH: "大面积故障仍未确认，请尽快响应！确认后全部 {n} 个应用的故障一并确认。",
        EN: "The widespread outage is still not acknowledged. Please respond now; "
            "acknowledging covers all {n} apps.",
    },
    "lead.correlated.incident.escalated": {
        ZH: "大面积故障未及时确认，已升级通知。确认后全部 {n} 个应用的故障一并确认。",
        EN: "The widespread outage was not acknowledged in time: escalated. Acknowledging "
            "covers all {n} apps.",
    },
    "lead.correlated.incident.acknowledged": {
        ZH: "{by} 已确认，全部 {n} 个应用的故障一并确认，正在处理。",
        EN: "{by} acknowledged it, for all {n} apps.",
    },
    "lead.correlated.incident.resolved": {
        ZH: "全部 {n} 个应用已恢复。", EN: "All {n} apps are back.",
    },
    "lead.correlated.incident.joined": {
        ZH: "又有 {k} 个应用同时故障，已并入这次大面积故障（共 {n} 个），请一并排查。",
        EN: "{k} more apps failed at the same time and joined the widespread outage (now {n}).",
    },
    "lead.incident.joined": {
        ZH: "更多应用的故障已并入此事件。", EN: "More apps' outages joined this incident.",
    },
    "row.apps": {ZH: "涉及应用", EN: "Apps"},
    "row.apps.count": {ZH: "{n} 个", EN: "{n}"},
    "corr.children": {ZH: "故障应用（{n} 个）", EN: "Failing apps ({n})"},
    "corr.joined": {ZH: "新加入的应用（{k} 个）", EN: "Just joined ({k})"},
    "corr.child": {ZH: "{app} / {check}：{summary}（自 {at}）",
                   EN: "{app} / {check}: {summary} (since {at})"},
    "corr.names.sep": {ZH: "、", EN: ", "},
    "corr.digest.apps": {ZH: "涉及：{names}", EN: "Apps: {names}"},
    # Several e-mails for the same recipients at once: one mail.
    "mail.digest.subject": {ZH: "【告警汇总】{n} 条告警", EN: "[Summary] {n} alerts"},
    "mail.digest.lead": {
        ZH: "同一时间有 {n} 条告警，合并为一封邮件发送，逐条见下。",
        EN: "{n} alerts at about the same time, sent as one mail; each below.",
    },
    "row.at": {ZH: "时间", EN: "At"},
    "handover.title": {
        ZH: "【值班交接】{rotation}：{before} → {after}",
        EN: "[Handover] {rotation}: {before} -> {after}",
    },
    "handover.lead": {
        ZH: "{after} 接班值守至 {until}，交接未关闭的故障 {n} 起。",
        EN: "{after} is on duty until {until}; {n} open incidents handed over.",
    },
    "handover.row.rotation": {ZH: "轮值", EN: "Rotation"},
    "handover.row.from": {ZH: "交班", EN: "Handing over"},
    "handover.row.to": {ZH: "接班", EN: "Taking over"},
    "handover.row.until": {ZH: "值守至", EN: "On duty until"},
    "handover.row.open": {ZH: "未关闭故障", EN: "Open incidents"},
    "handover.open_count": {ZH: "{n} 起", EN: "{n}"},
    "handover.more": {ZH: "另有 {n} 起未列出", EN: "{n} more not listed"},
    "handover.state.open": {ZH: "待确认", EN: "not acknowledged"},
    "handover.state.acknowledged": {ZH: "已确认", EN: "acknowledged"},
    "handover.state.resolved": {ZH: "已恢复", EN: "resolved"},
}
