"""The console: words every page uses."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "brand": {ZH: "应用监控", EN: "App monitor"},
    "nav.wall": {ZH: "状态墙", EN: "Wall"},
    "nav.incidents": {ZH: "故障", EN: "Incidents"},
    "nav.apps": {ZH: "应用", EN: "Apps"},
    "nav.reports": {ZH: "报告", EN: "Reports"},
    "nav.governance": {ZH: "治理", EN: "Governance"},
    "nav.oncall": {ZH: "值班表", EN: "Duty rota"},
    "nav.signin": {ZH: "登录", EN: "Sign in"},
    "nav.signout": {ZH: "退出", EN: "Sign out"},
    "status.up": {ZH: "正常", EN: "up"},
    "status.down": {ZH: "故障", EN: "down"},
    "status.unknown": {ZH: "监测异常", EN: "unknown"},
    "state.open": {ZH: "未确认", EN: "open"},
    "state.acknowledged": {ZH: "处理中", EN: "acknowledged"},
    "state.resolved": {ZH: "已恢复", EN: "resolved"},
    "severity.critical": {ZH: "严重", EN: "critical"},
    "severity.major": {ZH: "重要", EN: "major"},
    "severity.minor": {ZH: "一般", EN: "minor"},
    "tier.1": {ZH: "一级", EN: "tier 1"},
    "tier.2": {ZH: "二级", EN: "tier 2"},
    "tier.3": {ZH: "三级", EN: "tier 3"},
    "login.title": {ZH: "登录控制台", EN: "Sign in to the console"},
    "login.token": {ZH: "访问令牌", EN: "Access token"},
    "login.name": {ZH: "您的姓名（记录在处理记录中）", EN: "Your name (shown in timelines)"},
    "login.submit": {ZH: "登录", EN: "Sign in"},
    "login.bad_token": {ZH: "令牌无效。", EN: "That token is not valid."},
    "login.no_name": {ZH: "请填写姓名。", EN: "Please give your name."},
    "login.expired": {ZH: "登录表单已过期，请重试。", EN: "The form expired; please retry."},
    "login.throttled": {ZH: "失败次数过多，请 {seconds} 秒后再试。",
                        EN: "Too many failed attempts; try again in {seconds} s."},
    "form.malformed": {ZH: "提交的内容无法识别（含有无效字符），请返回后重新填写。",
                       EN: "The form could not be read (it holds invalid characters); "
                           "please go back and fill it in again."},
    "login.hint": {ZH: "令牌即 service.api_tokens 中配置的值，请向值班负责人索取。",
                   EN: "A token from service.api_tokens; ask the on-call lead."},
    "signed_in_as": {ZH: "{user}", EN: "{user}"},
    "none": {ZH: "—", EN: "—"},
}
