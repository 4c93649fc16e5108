"""`webhook` notifier: JSON POST per CONTRACT.md §4, with delivery id and optional HMAC."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alerting.delivery import Channel, Delivery, DeliveryOutcome, SendContext
from alerting.notifiers.base import (
    NotifierError,
    Scrubber,
    log_outcomes,
    now_iso,
    outcomes,
    post,
)
from monitor.core.fields import Secret, SecretUrl, setting


@dataclass(frozen=True)
class WebhookSpec:
    url: SecretUrl = setting(doc="receiver URL")
    hmac_secret: Secret | None = setting(None, doc="sign bodies with HMAC-SHA256")


def body(delivery: Delivery, sent_at: str) -> dict[str, Any]:
    """The contract's three keys, plus the app and links a receiver would otherwise have to
    look up (extra keys are allowed by CONTRACT.md; none of the three is ever left out of an
    incident event). A notice (event "rectification.*") carries "notice" in place of
    "incident": it is about an app, not an incident."""
    payload = delivery.payload
    document: dict[str, Any] = {"event": delivery.event}
    if "incident" in payload:
        document["incident"] = payload["incident"]
    document["sent_at"] = sent_at
    for key in ("app", "links", "notice"):
        if payload.get(key) is not None:
            document[key] = payload[key]
    return document


def signature(secret: str, raw: bytes) -> str:
    """The X-Monitor-Signature value: sha256=<hex HMAC-SHA256 of the exact body bytes>."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def headers(delivery: Delivery, raw: bytes, secret: Secret | None) -> dict[str, str]:
    result = {
        "Content-Type": "application/json",
        "X-Monitor-Delivery": delivery.id,  # same id on every retry: receivers drop duplicates
        "X-Monitor-Event": delivery.event,
    }
    if secret:
        result["X-Monitor-Signature"] = signature(secret.reveal(), raw)
    return result


class WebhookChannel:
    """One receiver URL; one POST per delivery, in order."""

    kind = "webhook"

    def __init__(self, spec: WebhookSpec) -> None:
        self.spec = spec
        self._scrub = Scrubber(spec.hmac_secret, urls=[spec.url])

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        results: list[DeliveryOutcome] = []
        unreachable: NotifierError | None = None
        for delivery in deliveries:
            if unreachable is not None:
                # The receiver did not answer the previous POST: do not wait out the same
                # timeout once per delivery; all are retried later by the outbox.
                results += outcomes([delivery], ok=False, status=unreachable.status,
                                    error=f"not sent: {unreachable.message}")
                continue
            try:
                results.append(await self._send(delivery, ctx))
            except NotifierError as exc:
                results += outcomes([delivery], ok=False, status=exc.status, error=exc.message)
                unreachable = exc if exc.transport else None
        log_outcomes(self.kind, deliveries, results)
        return results

    async def _send(self, delivery: Delivery, ctx: SendContext) -> DeliveryOutcome:
        document = body(delivery, now_iso(delivery.payload, ctx.clock.now()))
        raw = json.dumps(document, ensure_ascii=False).encode()
        reply = await post(
            ctx.http, self.spec.url.reveal(), raw, headers(delivery, raw, self.spec.hmac_secret),
            timeout_s=ctx.timeout_s, scrub=self._scrub,
        )
        if reply.status >= 300:
            return DeliveryOutcome(delivery.id, ok=False, status=str(reply.status),
                                   error=self._scrub(f"HTTP {reply.status}: {reply.text[:200]}"))
        return DeliveryOutcome(delivery.id, ok=True, status=str(reply.status))


def make(spec: WebhookSpec) -> Channel:
    """A new channel (mypy checks here that it satisfies the Channel protocol)."""
    return WebhookChannel(spec)

