"""What the HTTP layer reads: the current config (swapped on reload), the ledger and metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from aiohttp import web

from monitor.config.model import Config
from monitor.ledger.types import Ledger
from monitor.metrics import Metrics


@dataclass
class ServiceState:
    config: Config
    ledger: Ledger
    metrics: Metrics
    started_at: float

    @property
    def language(self) -> str:
        return self.config.service.language


STATE_KEY: Final = web.AppKey("state", ServiceState)
