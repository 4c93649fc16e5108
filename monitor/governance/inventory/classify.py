"""The class rules (DOMAIN.md "Thresholds"), as pure functions of one app's figures.

    僵尸 zombie            flagged: ZOMBIE_ZERO_DAYS recorded days without a visitor since the
                           last visit (visitors.py: days without data do not count), or every
                           run of every check failed for UNREACHABLE_DAYS (hours with runs,
                           left-out maintenance hours aside), or no owner on record;
                           warning: ZOMBIE_WARNING_DAYS such days
    低频 low-frequency     flagged: visitors (sum of daily uv, an upper bound) < max(10, 5% of
                           target users) in each of the last LOW_FREQUENCY_MONTHS full months,
                           each with data for every day; warning: the last one or two such
                           months under it
    低可用 low-availability flagged: last full month's availability < 99%, or >= 5% of a week's
                           probes failed in any of the last WEEKS_CHECKED weeks

Traffic classes need traffic data (visitors.OK); without it the app says "no traffic data"
(无访问量数据) and is not classified by traffic. Availability needs probes in the month/week.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.core.config.model import AppConfig
from monitor.core.reasons import Reason
from monitor.governance.inventory import texts
from monitor.governance.inventory.model import (
    DOWN,
    FLAGGED,
    FLAT,
    LOW_AVAILABILITY,
    LOW_FREQUENCY,
    UNKNOWN,
    UP,
    WARNING,
    ZOMBIE,
    Finding,
    Trend,
)
from monitor.governance.inventory.probing import Probes, WeekProbes
from monitor.governance.inventory.thresholds import (
    AVAILABILITY_TARGET_PCT,
    LOW_FREQUENCY_MONTHS,
    MIN_VISITORS,
    TARGET_SHARE,
    TREND_PCT_POINTS,
    TREND_VISITOR_SHARE,
    UNREACHABLE_DAYS,
    WEEK_FAILED_LIMIT_PCT,
    ZOMBIE_WARNING_DAYS,
    ZOMBIE_ZERO_DAYS,
    visitor_threshold,
)
from monitor.governance.inventory.visitors import OK, Visitors
from monitor.reports.period import truncated_pct

DAY_S = 86400.0


def trend(metric: str, months: Sequence[str], values: Sequence[float | int | None]) -> Trend:
    """The last full month against the first one with a figure: more than the tolerance up or
    down, else flat; UNKNOWN without the last month's figure or an earlier one."""
    known = [v for v in values if v is not None]
    direction = UNKNOWN
    if len(known) >= 2 and values[-1] is not None:
        first, last = known[0], known[-1]
        tolerance = TREND_PCT_POINTS if metric == "availability_pct" \
            else max(1.0, TREND_VISITOR_SHARE * first)
        direction = UP if last - first > tolerance else DOWN if first - last > tolerance \
            else FLAT
    return Trend(metric, tuple(months), tuple(values), direction)


def classify(app: AppConfig, visitors: Visitors, probes: Probes, now: float, tz: ZoneInfo,
             *, lang: str) -> tuple[Finding, ...]:
    """The app's findings; their evidence in words (Finding.basis) in `lang`."""
    months = tuple(m.month for m in probes.months)
    availability = trend("availability_pct", months,
                         [m.usage.availability_pct for m in probes.months])
    visits = trend("uv_sum", tuple(m.month for m in visitors.months),
                   [m.uv_sum for m in visitors.months])
    found = [
        _zombie(app, visitors, probes, now=now, tz=tz, availability=availability,
                visits=visits),
        _low_frequency(app, visitors, visits),
        _low_availability(probes, availability),
    ]
    return tuple(dataclasses.replace(f, basis=texts.basis(f, lang))
                 for f in found if f is not None)


def _zombie(app: AppConfig, visitors: Visitors, probes: Probes, *, now: float, tz: ZoneInfo,
            availability: Trend, visits: Trend) -> Finding | None:
    reasons: list[str] = []
    flagged = False
    evidence: dict[str, Any] = {}
    notes: list[Reason] = []
    if app.owner is None or not app.owner.name.strip():
        reasons.append("no_owner")
        flagged = True
        evidence["owner"] = None
        notes.append(Reason("no_owner"))
    if visitors.status == OK and visitors.zero_days >= ZOMBIE_WARNING_DAYS:
        reasons.append("zero_visitors")
        flagged = flagged or visitors.zero_days >= ZOMBIE_ZERO_DAYS
        gaps = visitors.span_days - visitors.zero_days
        evidence.update(zero_days=visitors.zero_days, zero_since=visitors.zero_since,
                        zero_until=visitors.zero_until, days_without_data=gaps,
                        last_visit_day=visitors.last_visit_day, at_least=visitors.capped,
                        limit_days=ZOMBIE_ZERO_DAYS, warning_days=ZOMBIE_WARNING_DAYS)
        notes.append(Reason("zero_visitors", {
            "since": visitors.zero_since, "until": visitors.zero_until,
            "days": visitors.zero_days, "at_least": visitors.capped, "gaps": gaps,
            "last": visitors.last_visit_day, "limit": ZOMBIE_ZERO_DAYS,
            "warning": ZOMBIE_WARNING_DAYS}))
    down = probes.down
    if down is not None and now - down.since >= UNREACHABLE_DAYS * DAY_S:
        reasons.append("unreachable")
        flagged = True
        days = int((now - down.since) // DAY_S)
        evidence.update(down_since=iso(down.since, tz), down_days=days,
                        down_hours_with_runs=down.hours, down_failed_probes=down.failed_probes,
                        last_pass_at=iso(down.last_pass_at, tz), at_least=down.capped,
                        unreachable_days=UNREACHABLE_DAYS)
        notes.append(Reason("unreachable", {
            "since": iso(down.since, tz) or "", "days": days, "at_least": down.capped,
            "hours": down.hours, "failed": down.failed_probes, "limit": UNREACHABLE_DAYS}))
    if not reasons:
        return None
    by_traffic = visitors.status == OK and "unreachable" not in reasons
    return Finding(ZOMBIE, FLAGGED if flagged else WARNING, tuple(reasons), evidence, "",
                   visits if by_traffic else availability, tuple(notes))


def _low_frequency(app: AppConfig, visitors: Visitors, visits: Trend) -> Finding | None:
    if visitors.status != OK or not visitors.months:
        return None
    threshold = visitor_threshold(app.target_users)
    run = 0
    for month in reversed(visitors.months):  # months running, back from the last full one
        # Only a complete month's sum is an upper bound that can prove "under the line".
        if not month.complete or month.uv_sum is None or month.uv_sum >= threshold:
            break
        run += 1
    if run == 0:
        return None
    level = FLAGGED if run >= LOW_FREQUENCY_MONTHS else WARNING
    evidence = {
        "threshold": threshold, "target_users": app.target_users, "months_below": run,
        "months_required": LOW_FREQUENCY_MONTHS,
        "months": [{"month": m.month, "uv_sum": m.uv_sum, "pv": m.pv,
                    "days_with_data": m.days_with_data, "days": m.days,
                    "complete": m.complete} for m in visitors.months],
    }  # fmt: skip
    note = Reason("under_threshold", {
        "months": tuple((m.month, m.uv_sum) for m in visitors.months), "run": run,
        "threshold": threshold, "min": MIN_VISITORS, "share": f"{TARGET_SHARE * 100:g}%",
        "target": app.target_users, "required": LOW_FREQUENCY_MONTHS})
    return Finding(LOW_FREQUENCY, level, ("under_threshold",), evidence, "", visits, (note,))


def _bad(week: WeekProbes) -> bool:
    usage = week.usage
    return usage.probes > 0 and usage.failed_probes * 100 >= WEEK_FAILED_LIMIT_PCT * usage.probes


def _low_availability(probes: Probes, availability: Trend) -> Finding | None:
    reasons: list[str] = []
    notes: list[Reason] = []
    evidence: dict[str, Any] = {"target_pct": AVAILABILITY_TARGET_PCT,
                                "week_failed_limit_pct": WEEK_FAILED_LIMIT_PCT}
    if probes.months:
        last = probes.months[-1]
        pct = last.usage.availability_pct
        evidence.update(month=last.month, availability_pct=pct, probes=last.usage.probes,
                        failed_probes=last.usage.failed_probes,
                        excluded_hours=last.excluded_hours)
        if pct is not None and pct < AVAILABILITY_TARGET_PCT:
            reasons.append("month_below_target")
            notes.append(Reason("month_below_target", {
                "month": last.month, "pct": pct, "target": AVAILABILITY_TARGET_PCT,
                "probes": last.usage.probes, "failed": last.usage.failed_probes,
                "excluded": last.excluded_hours}))
    bad = [w for w in probes.weeks if _bad(w)]
    evidence["weeks"] = [_week(w) for w in probes.weeks]
    evidence["bad_weeks"] = [w.start for w in bad]
    if bad:
        reasons.append("bad_week")
        notes.extend(Reason("bad_week", {
            "start": w.start, "end": w.end,
            "pct": truncated_pct(w.usage.failed_probes, w.usage.probes),
            "failed": w.usage.failed_probes, "probes": w.usage.probes,
            "limit": WEEK_FAILED_LIMIT_PCT}) for w in bad)
    if not reasons:
        return None
    return Finding(LOW_AVAILABILITY, FLAGGED, tuple(reasons), evidence, "", availability,
                   tuple(notes))


def _week(week: WeekProbes) -> dict[str, Any]:
    usage = week.usage
    return {"start": week.start, "end": week.end, "probes": usage.probes,
            "failed_probes": usage.failed_probes,
            "failed_pct": truncated_pct(usage.failed_probes, usage.probes)}
