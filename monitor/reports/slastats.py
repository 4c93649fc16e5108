"""Incident figures: MTTA, MTTR and SLA achievement, by one rule used everywhere.

An incident's response is *breached* when its response_breached flag is set (the service saw
the limit pass), or it was acknowledged later than the limit, or it is still unacknowledged
when the limit has passed at report time (a service that was down then cannot have set the
flag). It is *within* when acknowledged within the limit and not flagged; otherwise it is
*pending* (still open, limit not yet reached) and left out of the percentages. Resolution
likewise. The same rule gives the per-app breach counts and the totals' percentages, so the
two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from alerting.model import Incident
from monitor.reports.period import mean_seconds, truncated_pct


class SlaOutcome(StrEnum):
    WITHIN = "within"
    BREACHED = "breached"
    PENDING = "pending"


def _outcome(taken_s: float | None, flagged: bool, due: float, limit_s: float, now: float
             ) -> SlaOutcome:
    if flagged:
        return SlaOutcome.BREACHED
    if taken_s is None:
        return SlaOutcome.BREACHED if now >= due else SlaOutcome.PENDING
    return SlaOutcome.WITHIN if taken_s <= limit_s else SlaOutcome.BREACHED


def response_outcome(incident: Incident, limit_s: float, now: float) -> SlaOutcome:
    return _outcome(incident.response_seconds, incident.response_breached,
                    incident.opened_at + limit_s, limit_s, now)


def resolution_outcome(incident: Incident, limit_s: float, now: float) -> SlaOutcome:
    return _outcome(incident.resolution_seconds, incident.resolution_breached,
                    incident.opened_at + limit_s, limit_s, now)


@dataclass(frozen=True, slots=True)
class IncidentFigures:
    """What a set of incidents adds up to (an app's, a department's, the month's)."""

    count: int
    acknowledged: int
    resolved: int
    mtta_seconds: float | None  # mean response_seconds of the acknowledged ones
    mttr_seconds: float | None  # mean resolution_seconds of the resolved ones
    response_within: int
    response_breaches: int
    resolution_within: int
    resolution_breaches: int

    @property
    def response_within_sla_pct(self) -> float | None:
        """Within / (within + breached): pending incidents are not yet decided."""
        return truncated_pct(self.response_within, self.response_within + self.response_breaches)

    @property
    def resolution_within_sla_pct(self) -> float | None:
        return truncated_pct(
            self.resolution_within, self.resolution_within + self.resolution_breaches
        )


def incident_figures(
    incidents: Sequence[Incident], response_s: float, resolution_s: float, now: float
) -> IncidentFigures:
    responses = [s for i in incidents if (s := i.response_seconds) is not None]
    resolutions = [s for i in incidents if (s := i.resolution_seconds) is not None]
    response = _count(response_outcome(i, response_s, now) for i in incidents)
    resolution = _count(resolution_outcome(i, resolution_s, now) for i in incidents)
    return IncidentFigures(
        count=len(incidents),
        acknowledged=len(responses),
        resolved=len(resolutions),
        mtta_seconds=mean_seconds(responses),
        mttr_seconds=mean_seconds(resolutions),
        response_within=response[SlaOutcome.WITHIN],
        response_breaches=response[SlaOutcome.BREACHED],
        resolution_within=resolution[SlaOutcome.WITHIN],
        resolution_breaches=resolution[SlaOutcome.BREACHED],
    )


def _count(outcomes: Iterable[SlaOutcome]) -> dict[SlaOutcome, int]:
    counts = dict.fromkeys(SlaOutcome, 0)
    for outcome in outcomes:
        counts[outcome] += 1
    return counts
