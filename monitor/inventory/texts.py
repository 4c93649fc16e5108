"""The audit's words (zh-CN: the inventory is the centre's document, read and forwarded in
Chinese). Codes stay English in the JSON; every view translates them here."""

from __future__ import annotations

from typing import Final

FIELD_LABELS: Final = {
    "owner_name": "负责人", "owner_mobile": "负责人手机", "department": "所属部门",
    "irs_id": "IRS编号", "tier": "等级", "target_users": "目标用户数",
}  # fmt: skip
CLASS_LABELS: Final = {"zombie": "僵尸应用", "low_frequency": "低频应用",
                       "low_availability": "低可用应用"}
LEVEL_LABELS: Final = {"flagged": "已认定", "warning": "预警"}
STATUS_LABELS: Final = {"up": "正常", "down": "不可达", "unknown": "未知"}
TREND_LABELS: Final = {"up": "上升", "down": "下降", "flat": "持平", "unknown": "数据不足"}
METRIC_LABELS: Final = {"availability_pct": "月可用率", "uv_sum": "月访问人次"}
TIER_LABELS: Final = {1: "一级（关键）", 2: "二级（重要）", 3: "三级（一般）"}
DUPLICATE_LABELS: Final = {"url": "地址相同", "name": "名称相同"}
TRAFFIC_NOTES: Final = {
    "none": "无访问量数据",
    "stale": "访问量数据已中断（最后数据日 {day}）",
}

# Suggested rectification (整改建议) per class and reason; warnings ask to watch and confirm.
ACTIONS: Final = {
    ("zombie", "no_owner"): "明确并登记应用负责人（姓名、手机），无人认领则申请下架",
    ("zombie", "zero_visitors"): "联系负责人确认是否仍在使用；无人使用则申请下架",
    ("zombie", "unreachable"): "核实应用是否已停止服务：恢复访问，或申请下架",
    ("zombie", "warning"): "连续 30 天以上无访问：提醒负责人确认使用情况，"
                           "避免 90 天后认定为僵尸应用",
    ("low_frequency", "flagged"): "联系负责人推广使用或与同类应用合并；确无需求则申请下架",
    ("low_frequency", "warning"): "访问人数低于门槛：提醒负责人推广使用，"
                                  "避免连续 3 个月后认定为低频应用",
    ("low_availability", "month_below_target"): "排查故障原因并整改，使月可用率不低于 {target}%；"
                                                "提交故障分析报告",
    ("low_availability", "bad_week"): "排查该周集中失败的原因（见故障记录）并整改，防止再次发生",
}  # fmt: skip
MISSING_ACTION: Final = "补全台账信息：{fields}"
DUPLICATE_ACTION: Final = "核实重复登记（与 {ids}），合并或下架重复项"

SEP: Final = "；"  # joins several items in one cell or line


def fields_text(codes: tuple[str, ...]) -> str:
    return "、".join(FIELD_LABELS.get(code, code) for code in codes)


def pct_text(value: float | None) -> str:
    return "无数据" if value is None else f"{value:g}%"
