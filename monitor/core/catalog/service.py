"""The service's own words: CLI, run/check/demo output, error kinds, the acknowledge page."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "correlated.name": {ZH: "大面积故障", EN: "Correlated outage"},
    "correlated.summary": {ZH: "{n} 个应用同时故障", EN: "{n} apps failing together"},
    "col.app": {ZH: "应用", EN: "app"},
    "col.check": {ZH: "检查", EN: "check"},
    "col.status": {ZH: "状态", EN: "status"},
    "col.latency": {ZH: "耗时", EN: "latency"},
    "col.detail": {ZH: "详情", EN: "detail"},
    "status.up": {ZH: "正常", EN: "up"},
    "status.down": {ZH: "故障", EN: "down"},
    "status.unknown": {ZH: "未知", EN: "unknown"},
    "check.summary": {
        ZH: "共 {total} 项检查：{up} 项正常，{down} 项故障。",
        EN: "{total} checks: {up} up, {down} down.",
    },
    "config.invalid": {
        ZH: "配置无效：发现 {count} 个问题（见上）。",
        EN: "Configuration invalid: {count} problem(s) listed above.",
    },
    "config.valid": {
        ZH: "配置有效：{apps} 个应用，{checks} 项检查，{notifiers} 个通知渠道。",
        EN: "Configuration valid: {apps} apps, {checks} checks, {notifiers} notifiers.",
    },
    "run.started": {
        ZH: "监控服务已启动：{checks} 项检查。控制台 {url}  指标 {url}/metrics",
        EN: "Monitor running: {checks} checks. Console {url}  metrics {url}/metrics",
    },
    "run.stopped": {ZH: "监控服务已停止。", EN: "Monitor stopped."},
    "reload.ok": {ZH: "配置已重新加载。", EN: "Configuration reloaded."},
    "reload.failed": {
        ZH: "新配置无效，继续使用原配置。", EN: "New configuration invalid; keeping the old one."
    },
    "demo.farm": {ZH: "模拟应用：", EN: "Simulated apps:"},
    "demo.console": {
        ZH: "演示已启动。控制台：{url}  （按 Ctrl-C 停止）",
        EN: "Demo running. Console: {url}  (Ctrl-C stops it)",
    },
    "demo.signin": {
        ZH: "控制台登录令牌（仅本次演示有效）：{token}",
        EN: "Console sign-in token (this demo run only): {token}",
    },
    "demo.outage": {
        ZH: "「企业码」将在 {after} 秒后故障 {duration} 秒（计划内演示故障）。",
        EN: "'企业码' goes down {after}s from now for {duration}s (the scripted outage).",
    },
    # A check without a `name` is shown by its kind's name (never by its id).
    "probe.http": {ZH: "网页", EN: "Web page"},
    "probe.flow": {ZH: "业务流程", EN: "Business flow"},
    "probe.tcp": {ZH: "端口", EN: "Port"},
    "probe.tls": {ZH: "证书", EN: "Certificate"},
    "probe.dns": {ZH: "域名解析", EN: "Name resolution"},
    "probe.monitor": {ZH: "监测服务自身", EN: "The monitor itself"},
    "probe.reported": {ZH: "人工登记", EN: "Reported"},
    "error.kind.timeout": {ZH: "超时", EN: "timeout"},
    "error.kind.dns": {ZH: "域名解析失败", EN: "DNS failure"},
    "error.kind.connect_refused": {ZH: "连接被拒绝", EN: "connection refused"},
    "error.kind.connect_timeout": {ZH: "连接超时", EN: "connect timeout"},
    "error.kind.network": {ZH: "网络错误", EN: "network error"},
    "error.kind.tls": {ZH: "TLS 握手失败", EN: "TLS failure"},
    "error.kind.cert_invalid": {ZH: "证书不受信任", EN: "certificate not trusted"},
    "error.kind.cert_expired": {ZH: "证书已过期", EN: "certificate expired"},
    "error.kind.cert_hostname": {ZH: "证书域名不匹配", EN: "certificate name mismatch"},
    "error.kind.cert_expiring": {ZH: "证书即将过期", EN: "certificate expiring"},
    "error.kind.protocol": {ZH: "协议错误", EN: "protocol error"},
    "error.kind.status": {ZH: "状态码异常", EN: "unexpected status"},
    "error.kind.content": {ZH: "内容不符", EN: "content mismatch"},
    "error.kind.slow": {ZH: "响应过慢", EN: "too slow"},
    "error.kind.redirects": {ZH: "重定向过多", EN: "too many redirects"},
    "error.kind.capture": {ZH: "流程取值失败", EN: "flow capture failed"},
    "error.kind.proxy": {ZH: "代理不可达", EN: "proxy unreachable"},
    "error.kind.monitor": {ZH: "监测异常", EN: "monitor could not tell"},
    "monitor.service_name": {ZH: "监测服务（网络中断）", EN: "The monitor (cut off)"},
    "error.kind.internal": {ZH: "探测内部错误", EN: "internal probe error"},
    # Incidents (the phone acknowledge page, console).
    "severity.critical": {ZH: "严重", EN: "critical"},
    "severity.major": {ZH: "重要", EN: "major"},
    "severity.minor": {ZH: "一般", EN: "minor"},
    "incident.state.open": {ZH: "待响应", EN: "open"},
    "incident.state.acknowledged": {ZH: "已确认，处理中", EN: "acknowledged"},
    "incident.state.resolved": {ZH: "已恢复", EN: "resolved"},
    "ack.title": {ZH: "故障确认", EN: "Acknowledge incident"},
    "ack.check": {ZH: "应用 / 检查", EN: "App / check"},
    "ack.severity": {ZH: "级别", EN: "Severity"},
    "ack.state": {ZH: "当前状态", EN: "State"},
    "ack.started": {ZH: "首次失败", EN: "First failure"},
    "ack.opened": {ZH: "告警时间", EN: "Opened"},
    "ack.response_due": {ZH: "响应时限", EN: "Respond by"},
    "ack.resolution_due": {ZH: "恢复时限", EN: "Resolve by"},
    "ack.breached": {ZH: "已超时", EN: "overdue"},
    "ack.acknowledged_by": {ZH: "确认人", EN: "Acknowledged by"},
    "ack.resolved_at": {ZH: "恢复时间", EN: "Resolved"},
    "ack.name": {ZH: "您的姓名", EN: "Your name"},
    "ack.note": {ZH: "备注（可选）", EN: "Note (optional)"},
    "ack.submit": {ZH: "确认接手处理", EN: "Acknowledge"},
    "ack.hint": {
        ZH: "确认后将停止升级通知，响应时间按确认时刻计算。",
        EN: "Acknowledging stops escalation; the response time is measured to now.",
    },
    "ack.done": {ZH: "已确认", EN: "Acknowledged"},
    "ack.done_detail": {
        ZH: "{by} 已于 {at} 确认该故障，升级通知已停止。",
        EN: "{by} acknowledged this incident at {at}; escalation has stopped.",
    },
    "ack.already": {
        ZH: "该故障已由 {by} 于 {at} 确认，无需重复确认。",
        EN: "{by} already acknowledged this incident at {at}.",
    },
    "ack.resolved": {
        ZH: "该故障已于 {at} 恢复，无需再确认。",
        EN: "This incident was resolved at {at}; there is nothing to acknowledge.",
    },
    "ack.invalid_link": {
        ZH: "链接无效：请使用告警消息中的完整链接。",
        EN: "This link is not valid: use the complete link from the notification.",
    },
    "ack.not_found": {ZH: "未找到该故障。", EN: "No such incident."},
    "ack.name_required": {ZH: "请填写您的姓名。", EN: "Please enter your name."},
    "ack.too_long": {ZH: "姓名或备注过长。", EN: "The name or the note is too long."},
    "ack.malformed": {ZH: "提交的内容无法识别（含有无效字符），请重新填写。",
                      EN: "The form could not be read (it holds invalid characters); "
                          "please fill it in again."},
}
