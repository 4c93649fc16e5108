"""What `listing` prints: tables for people (Chinese), JSON for scripts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from monitor.core.config.model import AppConfig
from monitor.listing.jsonview import change_json, item_json, item_state, status_json
from monitor.listing.model import AppStatus, RectItem, StatusChange
from monitor.listing.sync import SyncPlan
from monitor.listing.texts import classes_text, t
from monitor.table import render_table

ZH = "zh-CN"


def _day(ts: float | None, tz: ZoneInfo) -> str:
    return "—" if ts is None else dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d")


def _today(now: float, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(now, tz).date()


def status_row_json(status: AppStatus, app: AppConfig, tz: ZoneInfo) -> dict[str, Any]:
    return {"name": app.name, **status_json(status, tz)}


def status_table(apps: Sequence[AppConfig], statuses: Mapping[str, AppStatus],
                 tz: ZoneInfo) -> str:
    rows = []
    for app in apps:
        status = statuses[app.id]
        change = status.last_change
        check = "—"
        if change is not None and change.verdict is not None:
            check = f"{t(ZH, 'verdict.' + change.verdict)} {change.score or '-'}"
        rows.append([app.id, app.name, t(ZH, f"status.{status.status}"),
                     _day(status.since, tz) if status.since else "配置", check])
    return render_table(["应用编号", "应用名称", "上架状态", "自", "最近评估"], rows)


def change_line(change: StatusChange, app: AppConfig, lang: str) -> str:
    moved = (f"{app.name}（{app.id}）：{t(lang, f'status.{change.previous}')} → "
             f"{t(lang, f'status.{change.status}')}")
    if change.verdict is None:
        return f"{moved}；未运行技术检查 (not checked)"
    return f"{moved}；评估 {t(lang, 'verdict.' + change.verdict)}（{change.score or '-'} 分）"


def items_json(items: Sequence[RectItem], tz: ZoneInfo, now: float) -> dict[str, Any]:
    today = _today(now, tz)
    return {"items": [item_json(i, tz, today) for i in items]}


def items_table(items: Sequence[RectItem], tz: ZoneInfo, now: float) -> str:
    if not items:
        return "没有整改项 (no rectification items)"
    today = _today(now, tz)
    rows = []
    for item in items:
        state = item_state(item, today)
        left = f"{item.days_left(today)} 天" if item.state == "open" else _day(item.closed_at, tz)
        last = item.notes[-1] if item.notes else None
        progress = f"{_day(last.at, tz)} {last.by} {last.note}".strip() if last else "—"
        rows.append([item.id, item.app_name, classes_text(ZH, item.classes),
                     t(ZH, f"state.{state}"), item.deadline.isoformat(), left, progress])
    return render_table(["整改编号", "应用", "问题", "状态", "期限", "剩余/完成", "最近进展"],
                        rows)


def plan_text(plan: SyncPlan) -> str:
    lines = [f"新开整改项 {len(plan.opened)}，提醒 {len(plan.reminded)}，"
             f"已整改关闭 {len(plan.closed)}，因下架关闭 {len(plan.withdrawn)}，"
             f"仍在整改 {len(plan.refreshed)}；已排队通知 {plan.notices} 条"]
    for label, items in (("新开", plan.opened), ("提醒", plan.reminded),
                         ("关闭", plan.closed)):
        lines += [f"  {label} {i.id} {i.app_name}：{classes_text(ZH, i.classes)}，"
                  f"期限 {i.deadline.isoformat()}" for i in items]
    return "\n".join(lines)


def plan_json(plan: SyncPlan, tz: ZoneInfo, now: float) -> dict[str, Any]:
    today = _today(now, tz)
    return {
        key: [item_json(i, tz, today) for i in items]
        for key, items in (("opened", plan.opened), ("reminded", plan.reminded),
                           ("closed", plan.closed), ("withdrawn", plan.withdrawn),
                           ("open", plan.refreshed))
    } | {"notices_enqueued": plan.notices}


def changes_json(changes: Sequence[StatusChange], tz: ZoneInfo) -> list[dict[str, Any]]:
    return [change_json(c, tz) for c in changes]
