"""Listing lifecycle and rectification notices."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "status.trial": {ZH: "试运行", EN: "trial"},
    "status.listed": {ZH: "已上架", EN: "listed"},
    "status.delisted": {ZH: "已下架", EN: "delisted"},
    "verdict.pass": {ZH: "通过", EN: "pass"},
    "verdict.conditional": {ZH: "条件通过", EN: "conditional"},
    "verdict.fail": {ZH: "不通过", EN: "fail"},
    "class.zombie": {ZH: "僵尸应用", EN: "zombie"},
    "class.low_frequency": {ZH: "低频应用", EN: "low-frequency"},
    "class.low_availability": {ZH: "低可用应用", EN: "low-availability"},
    "state.open": {ZH: "整改中", EN: "open"},
    "state.overdue": {ZH: "已逾期", EN: "overdue"},
    "state.done": {ZH: "已完成", EN: "done"},
    "title.opened": {ZH: "【整改通知】{app}：{classes}", EN: "[Rectification] {app}: {classes}"},
    "title.reminder": {ZH: "【整改提醒】{app}：距整改期限 {days} 天",
                       EN: "[Rectification reminder] {app}: {days} days to the deadline"},
    "title.closed": {ZH: "【整改完成】{app}", EN: "[Rectification done] {app}"},
    "lead.opened": {
        ZH: "应用在清单治理中被认定为{classes}。请在整改期限前完成整改，以免被列入季度通报。",
        EN: "The inventory audit flags this app as {classes}. Put it right before the "
            "deadline, or it goes into the province's quarterly notice.",
    },
    "lead.reminder": {
        ZH: "整改期限临近，应用仍被认定为{classes}，请尽快完成整改。",
        EN: "The deadline is near and the app is still flagged as {classes}.",
    },
    "lead.closed": {
        ZH: "最新一次清单治理已不再认定该应用为{classes}，整改项已关闭。",
        EN: "The latest audit no longer flags the app as {classes}: the item is closed.",
    },
    "row.app": {ZH: "应用", EN: "App"},
    "row.owner": {ZH: "负责人", EN: "Owner"},
    "row.problem": {ZH: "问题", EN: "Problem"},
    "row.actions": {ZH: "整改措施", EN: "What to do"},
    "row.deadline": {ZH: "整改期限", EN: "Deadline"},
    "row.item": {ZH: "整改编号", EN: "Item"},
    "deadline": {ZH: "{date}（剩余 {days} 天）", EN: "{date} ({days} days left)"},
    "deadline.past": {ZH: "{date}（已逾期 {days} 天）", EN: "{date} ({days} days overdue)"},
    # Changes that cannot be made (the CLI's errors, the API's 409s).
    "error.same_status": {ZH: "应用 {app} 已是“{status}”状态", EN: "{app} is already {status}"},
    "error.refused": {
        ZH: "上架前评估不通过，未上架 {app}（--force 可强制上架）",
        EN: "the evaluation failed: {app} is not listed (--force lists it anyway)",
    },
    "error.no_item": {ZH: "没有整改项 {item}", EN: "no rectification item {item}"},
    "error.item_closed": {
        ZH: "整改项 {item} 已关闭", EN: "rectification item {item} is already closed",
    },
}
