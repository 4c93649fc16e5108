"""The console's duty-rota page and the on-duty line in every page's header."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "oncall.title": {ZH: "值班表", EN: "Duty rota"},
    "oncall.none": {
        ZH: "尚未配置值班轮值（配置文件的 oncall 部分）。",
        EN: "No duty rota is configured (the config's oncall section).",
    },
    "oncall.now": {ZH: "当前值班", EN: "On duty now"},
    "oncall.next": {ZH: "下一班", EN: "Next"},
    "oncall.nobody": {ZH: "无人值班", EN: "nobody"},
    "oncall.until": {ZH: "至 {until}", EN: "until {until}"},
    "oncall.since": {ZH: "自 {since}", EN: "since {since}"},
    "oncall.swap": {ZH: "（换班）", EN: " (swap)"},
    "oncall.turn.daily": {ZH: "每日轮换，{time} 交接", EN: "daily, handover at {time}"},
    "oncall.turn.weekly": {ZH: "每周轮换，{time} 交接", EN: "weekly, handover at {time}"},
    "oncall.calendar": {ZH: "排班（未来 {days} 天）", EN: "Shifts (next {days} days)"},
    "oncall.col.member": {ZH: "值班人", EN: "Member"},
    "oncall.col.from": {ZH: "开始", EN: "From"},
    "oncall.col.to": {ZH: "结束", EN: "To"},
    "oncall.col.mobile": {ZH: "手机", EN: "Mobile"},
    "oncall.feed": {ZH: "订阅日历（iCalendar）", EN: "Subscribe (iCalendar)"},
    "oncall.form.title": {ZH: "登记换班", EN: "Record a swap"},
    "oncall.form.member": {ZH: "由谁值班", EN: "Who is on duty"},
    "oncall.form.start": {ZH: "开始时间", EN: "Start"},
    "oncall.form.end": {ZH: "结束时间", EN: "End"},
    "oncall.form.note": {ZH: "说明", EN: "Note"},
    "oncall.form.submit": {ZH: "保存换班", EN: "Save the swap"},
    "oncall.form.signin": {ZH: "登录后可登记换班。", EN: "Sign in to record a swap."},
    "oncall.saved": {ZH: "换班已保存。", EN: "Swap saved."},
    "oncall.error.member": {
        ZH: "请选择本轮值的值班人员。", EN: "Choose a member of this rotation.",
    },
    "oncall.error.time": {
        ZH: "时间无效：请填写开始和结束时间，且结束晚于开始。",
        EN: "Bad times: give a start and an end after it.",
    },
    "oncall.error.unknown": {ZH: "没有这个值班轮值。", EN: "No such rotation."},
    "header.oncall": {ZH: "值班：{name}", EN: "On duty: {name}"},
    "header.sep": {ZH: "、", EN: ", "},
}
