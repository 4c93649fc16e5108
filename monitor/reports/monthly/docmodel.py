"""The monthly report as a document a centre hands upward: its cover, the written summary (综述),
the recommendations (整改建议), last month's figures, traffic and certificates by app.

Built by monitor.reports.monthly.narrative from the figures of MonthlyReport, in the report's
language (like `methods`), so the HTML, PDF, JSON and Word pages say the same sentences.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cover:
    organisation: str  # the issuing unit: service.organisation, else the catalog's neutral word
    title: str  # e.g. <organisation>浙政钉上架应用运行质量月报（2026年11月）
    number: str  # the report number, from the month: 运维〔2026〕11号
    period: str  # 2026年11月1日至11月30日, or 截至 2026年11月20日（本月尚未结束）
    generated: str  # the generation date in words: 2026年12月1日
    complete: bool  # False: the month had not ended when the report was made
    as_of: float  # the end of what the report covers: the month's end, or when it was made


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the summary: `key` says what it is about (availability, incidents,
    sla, attention, previous, requests, traffic); `text` is in the report's language."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One app that needs work, once, with every reason it was flagged."""

    app_id: str
    app_name: str
    department: str
    owner_name: str | None
    reasons: tuple[str, ...]  # REASON_* codes of narrative.py, in a fixed order
    problems: tuple[str, ...]  # one sentence per reason, in the report's language
    actions: tuple[str, ...]  # what to do, one per reason


@dataclass(frozen=True, slots=True)
class PreviousMonth:
    """Last month's headline figures, computed by the same rules (None: no data that month)."""

    month: str
    availability_pct: float | None
    probes: int
    events: int  # incidents, a correlated outage once
    incidents: int  # the apps' incidents
    response_within_sla_pct: float | None
    resolution_within_sla_pct: float | None
    apps_below_target: int


@dataclass(frozen=True, slots=True)
class AppTraffic:
    """An app's recorded traffic over the month: every source summed, day by day."""

    app_id: str
    app_name: str
    pv: int
    uv_sum: int  # the sum of daily unique visitors: an upper bound of distinct visitors
    days: int  # days of the month with a record


@dataclass(frozen=True, slots=True)
class CertificateApp:
    """An app with a certificate running out: the nearest expiry over its checks."""

    app_id: str
    app_name: str
    days_left: float
    expires_at: float | None  # when that certificate runs out (seen_at + days_left)
    checks: tuple[str, ...]  # the checks that saw certificates under the warning line
