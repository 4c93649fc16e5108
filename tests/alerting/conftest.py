"""Fixtures for the alert store and outbox tests: real SQLite files in tmp dirs, a fake clock.

Builders (`make_incident`, `make_delivery`) are fixtures returning functions, so both test
modules share them without importing each other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from alerting.delivery import Delivery, Recipients, SendContext, delivery_id
from alerting.model import Incident, IncidentState, Severity
from alerting.store import AlertStore
from tests.ledger.helpers import FakeClock
from tests.support.clocks import T0

OpenStore = Callable[..., Awaitable[AlertStore]]
MakeIncident = Callable[..., Incident]
MakeDelivery = Callable[..., Delivery]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
async def open_store(data_dir: Path, clock: FakeClock) -> AsyncIterator[OpenStore]:
    """Opens stores on the test's data_dir (a second call reopens the same file); all are
    closed after the test."""
    opened: list[AlertStore] = []

    async def open_(**kwargs: Any) -> AlertStore:
        kwargs.setdefault("clock", clock)
        store = await AlertStore.open(data_dir, **kwargs)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        await store.close()


@pytest.fixture
async def store(open_store: OpenStore) -> AlertStore:
    return await open_store()


@pytest.fixture
async def send_ctx(clock: FakeClock) -> AsyncIterator[SendContext]:
    async with aiohttp.ClientSession() as http:
        yield SendContext(http=http, clock=clock, language="zh-CN", timeout_s=0.5)


@pytest.fixture
def make_incident() -> MakeIncident:
    def make(
        ident: str = "inc-1",
        *,
        app_id: str = "kq-oa",
        check_id: str = "home",
        opened_at: float = T0,
        state: IncidentState = IncidentState.OPEN,
        **changes: Any,
    ) -> Incident:
        resolved = state is IncidentState.RESOLVED
        changes.setdefault("resolved_at", opened_at + 600 if resolved else None)
        return Incident(
            id=ident,
            app_id=app_id,
            app_name="柯桥区协同办公",
            check_id=check_id,
            severity=Severity.CRITICAL,
            state=state,
            summary="HTTP 503 from /health",
            started_at=opened_at - 60,
            opened_at=opened_at,
            **changes,
        )

    return make


@pytest.fixture
def make_delivery() -> MakeDelivery:
    def make(
        incident_id: str = "inc-1",
        *,
        notifier_id: str = "ops-hook",
        event: str = "incident.opened",
        step: str = "0",
        created_at: float = T0,
        target: str | None = None,
    ) -> Delivery:
        target = target or notifier_id
        return Delivery(
            id=delivery_id(incident_id, event, step, target),
            incident_id=incident_id,
            event=event,
            step=step,
            notifier_id=notifier_id,
            target=target,
            payload={"event": event, "incident": {"id": incident_id, "app_name": "协同办公"}},
            created_at=created_at,
            recipients=Recipients(at_mobiles=("13800000000",), emails=("owner@example.org",)),
        )

    return make
