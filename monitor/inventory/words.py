"""The audit in sentences (zh-CN): the rules as readers see them, and one app's cells, shared
by the sheet and the page so both say exactly the same."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from monitor.inventory import texts
from monitor.inventory.model import AppAudit, Trend
from monitor.inventory.thresholds import (
    AVAILABILITY_TARGET_PCT,
    DEADLINE_BEFORE_QUARTER_END_DAYS,
    DEADLINE_MIN_DAYS,
    LOW_FREQUENCY_MONTHS,
    MIN_VISITORS,
    TARGET_SHARE,
    TRAFFIC_STALE_DAYS,
    TREND_MONTHS,
    TREND_PCT_POINTS,
    TREND_VISITOR_SHARE,
    UNREACHABLE_DAYS,
    WEEK_FAILED_LIMIT_PCT,
    WEEKS_CHECKED,
    ZOMBIE_WARNING_DAYS,
    ZOMBIE_ZERO_DAYS,
)


def rules() -> tuple[str, ...]:
    """How every class, figure and date was decided; on the page and in the JSON."""
    share = f"{TARGET_SHARE * 100:g}%"
    return (
        f"僵尸应用：自最近一次访问起，有数据的日子累计 {ZOMBIE_ZERO_DAYS} 天无访问"
        f"（{ZOMBIE_WARNING_DAYS} 天起预警；无数据的日子不计，今天未过完也不计）；或全部检查"
        f"连续 {UNREACHABLE_DAYS} 天失败（按小时汇总，只看有探测的小时，维护时段不计）；"
        "或台账未登记负责人。",
        f"低频应用：月访问人次低于 max({MIN_VISITORS}, 目标用户数 × {share})，连续 "
        f"{LOW_FREQUENCY_MONTHS} 个完整月（1～2 个月为预警）。月访问人次取当月日访客数之和："
        "跨日去重的访客数无法从日统计恢复，日访客数之和是当月独立访客数的上限，低于门槛即可"
        "确认低频；只有当月每天都有数据时才据此认定。",
        f"低可用应用：上一完整月可用率低于 {AVAILABILITY_TARGET_PCT:g}%（维护时段不计，与运维月报"
        f"同一算法），或最近 {WEEKS_CHECKED} 周中任一周失败探测占比不低于 "
        f"{WEEK_FAILED_LIMIT_PCT}%。",
        "访问量数据：某日有数据源写入（含 0）才算有数据；无数据的日子不算无访问，也不打断连续"
        f"天数。{TRAFFIC_STALE_DAYS} 天无任何数据视为数据中断，不按访问量分类。只统计请求数的"
        "数据源（有访问次数、无访客数）视为有访问，但当月访问人次记为未知。",
        f"趋势：最近 {TREND_MONTHS} 个完整月的数值，末月比首月变化超过 {TREND_PCT_POINTS:g} 个"
        f"百分点（可用率）或 {TREND_VISITOR_SHARE * 100:g}%（访问人次，至少 1 人）为上升或下降，"
        "否则持平。",
        f"整改期限：通报日（季度末）前 {DEADLINE_BEFORE_QUARTER_END_DAYS} 天；若距今不足 "
        f"{DEADLINE_MIN_DAYS} 天，则为今天起 {DEADLINE_MIN_DAYS} 天，但不晚于季度末。"
        "距通报天数按服务时区的日历日计算，季度末当天为 0。",
        "等级缺失：配置未写等级时按三级（一般）监测，但仍列为缺失信息。",
    )


def traffic_note(status: str, last_day: str | None) -> str | None:
    note = texts.TRAFFIC_NOTES.get(status)
    return None if note is None else note.format(day=last_day or "-")


def when(ts: float | None, tz: ZoneInfo) -> str:
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def reach_text(app: AppAudit, tz: ZoneInfo) -> str:
    reach = app.reachability
    label = texts.STATUS_LABELS[reach.status]
    return f"{label}（自 {when(reach.since, tz)}）" if reach.since is not None else label


def classes_text(app: AppAudit) -> str:
    return texts.SEP.join(f"{texts.CLASS_LABELS[f.cls]}（{texts.LEVEL_LABELS[f.level]}）"
                          for f in app.findings)


def basis_text(app: AppAudit) -> str:
    lines = [f"{texts.CLASS_LABELS[f.cls]}：{f.basis}" for f in app.findings]
    note = traffic_note(app.traffic_status, app.traffic_last_day)
    if note:
        lines.append(note)
    return "\n".join(lines)


def trend_text(trend: Trend) -> str:
    shown = " → ".join(_value(trend.metric, v) for v in trend.values)
    return (f"{texts.METRIC_LABELS[trend.metric]}{texts.TREND_LABELS[trend.direction]}"
            f"（{shown}）")


def trends_text(app: AppAudit) -> str:
    return "\n".join(f"{texts.CLASS_LABELS[f.cls]}：{trend_text(f.trend)}" for f in app.findings)


def _value(metric: str, value: float | int | None) -> str:
    if value is None:
        return "无数据"
    return texts.pct_text(float(value)) if metric == "availability_pct" else str(value)


def missing_text(app: AppAudit) -> str:
    return texts.fields_text(app.missing)


def duplicates_text(app: AppAudit) -> str:
    return texts.SEP.join(f"{texts.DUPLICATE_LABELS[d.by]}：{'、'.join(d.others)}"
                          for d in app.duplicates)


def actions_text(app: AppAudit) -> str:
    rect = app.rectification
    return "" if rect is None else "\n".join(
        f"{n}. {action}" for n, action in enumerate(rect.actions, 1))
