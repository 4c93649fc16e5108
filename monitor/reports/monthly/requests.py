"""The month's service requests (服务请求): reported by people, answered within
sla.request_response, by the channel they came through.

A request is *answered within* the limit when acknowledged within sla.request_response and not
flagged as breached; breached when flagged, acknowledged late, or still unanswered past the
limit at report time; pending otherwise (left out of the percentage), the rule of
monitor.reports.slastats. Requests carry no resolution clock and no app availability; they
are not among an app's incidents. Faults that people reported are outages and count as their
app's incidents like any other; `reported_outages` says how many of those there were.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alerting.model import REPORTED, Channel, Incident, IncidentKind
from monitor.reports.period import mean_seconds, truncated_pct
from monitor.reports.slastats import SlaOutcome, response_outcome


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    channel: str  # a Channel value
    count: int
    answered_within: int


@dataclass(frozen=True, slots=True)
class RequestFigures:
    count: int
    acknowledged: int
    answered_within: int
    response_breaches: int
    pending: int
    mtta_seconds: float | None
    response_limit_s: float  # sla.request_response
    by_channel: tuple[ChannelFigures, ...]  # every channel, in Channel order
    reported_outages: int  # outages of the month that people reported (counted as incidents)

    @property
    def answered_within_pct(self) -> float | None:
        """Within / (within + breached): pending requests are not yet decided."""
        return truncated_pct(self.answered_within, self.answered_within + self.response_breaches)


def request_figures(incidents: Sequence[Incident], limit_s: float, now: float
                    ) -> RequestFigures:
    """`incidents`: the month's incidents of the report's apps, every kind."""
    requests = [i for i in incidents if i.kind == IncidentKind.REQUEST]
    outcomes = {i.id: response_outcome(i, limit_s, now) for i in requests}
    within = {i for i, outcome in outcomes.items() if outcome is SlaOutcome.WITHIN}
    channels = [c.value for c in Channel]
    by_channel = tuple(
        ChannelFigures(channel, sum(1 for i in requests if _channel(i, channels) == channel),
                       sum(1 for i in requests
                           if _channel(i, channels) == channel and i.id in within))
        for channel in channels)
    responses = [s for i in requests if (s := i.response_seconds) is not None]
    return RequestFigures(
        count=len(requests), acknowledged=len(responses), answered_within=len(within),
        response_breaches=sum(1 for o in outcomes.values() if o is SlaOutcome.BREACHED),
        pending=sum(1 for o in outcomes.values() if o is SlaOutcome.PENDING),
        mtta_seconds=mean_seconds(responses), response_limit_s=limit_s, by_channel=by_channel,
        reported_outages=sum(1 for i in incidents
                             if i.kind == IncidentKind.OUTAGE and i.source == REPORTED),
    )


def _channel(incident: Incident, channels: list[str]) -> str:
    """The request's channel; one not known (or none recorded) counts as other."""
    return incident.channel if incident.channel in channels else Channel.OTHER.value
