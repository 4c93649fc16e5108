"""`evaluate()`: every dimension of one app, scored, with the verdict.

Security first, then the trial figures: a burst must see only its own requests, so that a
server's deterministic pattern (and a real app's load) is not mixed with the security GET.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import cast
from zoneinfo import ZoneInfo

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import AppConfig
from monitor.core.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from monitor.core.logs import mask_text
from monitor.governance.evaluate import scoring
from monitor.governance.evaluate.availability import (
    TrialFigures,
    availability_items,
    burst,
    from_ledger,
    performance_items,
    trial_window,
)
from monitor.governance.evaluate.model import (
    AVAILABILITY,
    PERFORMANCE,
    SECURITY,
    TRAFFIC,
    Evaluation,
    EvaluationOptions,
    TrafficSource,
)
from monitor.governance.evaluate.security import assess_security, endpoints
from monitor.governance.evaluate.texts import t
from monitor.governance.evaluate.traffic import traffic_items
from monitor.ledger import Ledger
from probes.context import ProbeResources


async def evaluate(
    url: str,
    opts: EvaluationOptions,
    *,
    app: AppConfig | None = None,
    ledger: Ledger | None = None,
    traffic: TrafficSource | None = None,
    clock: Clock = SYSTEM_CLOCK,
    resources: ProbeResources | None = None,
) -> Evaluation:
    """Evaluate the app at `url`; ValueError for a URL that is not absolute http(s).

    With `app` and `ledger`, availability and latency come from the ledger's last
    `opts.trial_days` when it holds any run of the app; otherwise from a burst of probes.
    """
    endpoints(url, opts.http_port)  # reject a bad URL before any network work
    if resources is None:
        owned = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
        try:
            return await evaluate(url, opts, app=app, ledger=ledger, traffic=traffic,
                                  clock=clock, resources=owned)
        finally:
            await owned.close()
    lang = opts.lang
    extra_notes: list[str] = []
    https_url, security_items = await assess_security(url, opts, resources)
    now = clock.now()
    start, end = trial_window(now, opts.trial_days)
    figures: TrialFigures | None = None
    if app is not None and ledger is not None:
        figures = await from_ledger(ledger, app, start, end, opts)
        if figures is None:
            extra_notes.append(t(lang, "source.no_ledger", days=opts.trial_days))
    if figures is None:
        figures = await burst(url, opts, resources)
    visitors = await traffic(app.id if app else None, start, end) if traffic else None
    dimensions = (
        scoring.dimension(SECURITY, security_items),
        scoring.dimension(AVAILABILITY, availability_items(figures, opts), figures.source),
        scoring.dimension(PERFORMANCE, performance_items(figures, lang), figures.source),
        scoring.dimension(
            TRAFFIC, traffic_items(visitors, app.target_users if app else None, lang),
            t(lang, "source.traffic", source=visitors.source)
            if visitors and visitors.source else "",
        ),
    )
    outcome = scoring.verdict(dimensions)
    return masked(Evaluation(
        target=url,
        evaluated_at=dt.datetime.fromtimestamp(now, ZoneInfo(opts.timezone)).isoformat(
            timespec="seconds"),
        lang=lang,
        verdict=outcome,
        score=scoring.overall_score(dimensions, outcome),
        dimensions=dimensions,
        reasons=scoring.reasons(dimensions, lang),
        notes=(*extra_notes, *scoring.notes(dimensions, lang)),
        app_id=app.id if app else None,
        app_name=app.name if app else None,
        https_url=https_url,
    ))


def masked(ev: Evaluation) -> Evaluation:
    """The evaluation as shown and stored: credentials in its URLs and texts masked (a check
    URL may carry `?apikey=${KEY}`; the report goes into files, JSON and GET /api/v1/listing).
    """
    return cast(Evaluation, _mask(ev))


def _mask(value: object) -> object:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, tuple):
        return tuple(_mask(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: _mask(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value
