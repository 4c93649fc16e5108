"""What the outbox hands to a notification channel, and what the channel answers.

A `Delivery` is one message for one notifier about one incident event. Its `id` is stable
(CONTRACT.md §4: unique per incident, event, step and notifier; a retry reuses it) and its
`payload` is a snapshot taken when the event happened, so a retry an hour later says what was
true then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp

from monitor.core.clock import Clock


def delivery_id(incident_id: str, event: str, step: str, target: str) -> str:
    """Stable id of a delivery: the same inputs always give the same id."""
    digest = hashlib.sha256(f"{incident_id}\x1f{event}\x1f{step}\x1f{target}".encode())
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Recipients:
    """Who a delivery addresses beyond the notifier's own settings."""

    at_mobiles: tuple[str, ...] = ()  # DingTalk @-mentions (owner, on-call)
    emails: tuple[str, ...] = ()  # email: replaces the notifier's `to` when set (owner mail)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    incident_id: str
    event: str  # alerting.model.Event value
    step: str  # escalation step / reminder number / "ack" / "resolved"
    notifier_id: str
    target: str  # notifier id, or "<notifier>:owner" for the owner's own copy
    payload: Mapping[str, Any]  # see alerting.payload.build_payload
    created_at: float
    recipients: Recipients = field(default_factory=Recipients)
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    delivery_id: str
    ok: bool
    status: str = ""  # HTTP status, DingTalk errcode or SMTP reply code, as text
    error: str = ""  # one line, secrets masked
    retry_after_s: float | None = None  # the channel asks to wait at least this long


@dataclass(frozen=True)
class SendContext:
    """Shared things a channel needs, built once by the composition root."""

    http: aiohttp.ClientSession
    clock: Clock
    language: str
    timeout_s: float


class Channel(Protocol):
    """One configured notifier. `deliver` never raises for a failing receiver: every delivery
    gets an outcome. It may merge several deliveries into one message (DingTalk digest); each
    merged delivery then shares that message's outcome."""

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]: ...
