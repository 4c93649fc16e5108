"""What the console's pages read, built once by the composition root (monitor.service)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from aiohttp import web

from alerting.runner import AlertRunner
from alerting.store import AlertStore
from monitor.api.state import ServiceState
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.governance.listing.component import ListingPart
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger.types import Ledger


@dataclass
class ConsoleContext:
    state: ServiceState  # config (swapped on reload), ledger, metrics, alerts, links
    listing: ListingPart
    traffic: TrafficStore
    clock: Clock
    session_key: bytes  # signs session cookies and CSRF tokens (derived from the link key)
    data_dir: Path  # reports are listed from and written to data_dir/reports

    @property
    def config(self) -> Config:
        return self.state.config

    @property
    def ledger(self) -> Ledger:
        return self.state.ledger

    @property
    def alerts(self) -> AlertRunner:
        return self.state.alerts

    @property
    def store(self) -> AlertStore:
        return self.state.store

    @property
    def lang(self) -> str:
        return self.state.config.service.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.state.config.service.timezone)

    def now(self) -> float:
        return self.clock.now()


CONSOLE_KEY: Final = web.AppKey("console", ConsoleContext)
