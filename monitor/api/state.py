"""What the HTTP layer reads: the current config (swapped on reload), the ledger, metrics and
the alerting runner; and what it keeps between requests: the console's sessions and the
count of failed token checks per client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from aiohttp import web

from alerting.links import LinkSigner
from alerting.runner import AlertRunner
from alerting.store import AlertStore
from monitor.api.sessions import SessionStore
from monitor.api.throttle import Throttle
from monitor.core.config.model import Config
from monitor.ledger.types import Ledger
from monitor.metrics import Metrics


@dataclass
class ServiceState:
    config: Config
    ledger: Ledger
    metrics: Metrics
    started_at: float
    alerts: AlertRunner
    store: AlertStore
    links: LinkSigner
    sessions: SessionStore = field(default_factory=SessionStore)  # in memory: see sessions.py
    throttle: Throttle = field(default_factory=Throttle)  # failed sign-ins and token checks

    @property
    def language(self) -> str:
        return self.config.service.language


STATE_KEY: Final = web.AppKey("state", ServiceState)
