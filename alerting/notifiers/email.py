"""`email` notifier: SMTP with STARTTLS or SSL, HTML and text bodies."""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import email.utils
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final, Literal

import aiosmtplib

from alerting import render
from alerting.delivery import Channel, Delivery, DeliveryOutcome, SendContext
from alerting.notifiers.base import (
    STATUS_CONNECTION,
    STATUS_TIMEOUT,
    Scrubber,
    language,
    local_time,
    log_outcomes,
    outcomes,
)
from monitor.core.fields import Secret, setting


@dataclass(frozen=True)
class EmailSpec:
    host: str = setting(doc="SMTP server")
    sender: str = setting(doc="From address")
    to: tuple[str, ...] = setting(doc="recipients")
    port: int = setting(25, minimum=1, maximum=65535, doc="SMTP port")
    security: Literal["none", "starttls", "ssl"] = setting("none", doc="transport security")
    username: str | None = setting(None, doc="SMTP user")
    password: Secret | None = setting(None, doc="SMTP password")
    ca_file: str | None = setting(
        None, doc="PEM CA bundle trusted besides the system store (a mail server with a "
        "private CA, common on government intranets)"
    )


def message_id(delivery: Delivery, sender: str) -> str:
    """Derived from the delivery id: a retry carries the same Message-ID, so a mail system
    (or a person) can tell it is the same message again."""
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "appmon.invalid"
    return f"<appmon.{delivery.id}@{domain}>"


def recipients(delivery: Delivery, spec: EmailSpec) -> tuple[str, ...]:
    """The delivery's own addresses (the owner's copy) replace the notifier's `to`."""
    return delivery.recipients.emails or spec.to


def build_message(delivery: Delivery, spec: EmailSpec, ctx: SendContext) -> EmailMessage:
    payload, event = delivery.payload, delivery.event
    lang = language(payload, ctx.language)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = render.title(payload, event, lang)
    msg["From"] = spec.sender
    msg["To"] = ", ".join(recipients(delivery, spec))
    msg["Date"] = email.utils.format_datetime(local_time(payload, ctx.clock.now()))
    msg["Message-ID"] = message_id(delivery, spec.sender)
    msg["X-Monitor-Delivery"] = delivery.id
    msg["X-Monitor-Event"] = event
    if "incident" in payload:
        msg["X-Monitor-Incident"] = str(payload["incident"]["id"])
    else:  # a notice (rectification): its subject id travels as the delivery's incident_id
        msg["X-Monitor-Notice"] = delivery.incident_id
    msg.set_content(render.plain(payload, event, lang), subtype="plain", charset="utf-8")
    msg.add_alternative(render.html(payload, event, lang), subtype="html", charset="utf-8")
    return msg


def _failure(exc: BaseException, scrub: Scrubber) -> tuple[str, str]:
    """(status, one-line error): the SMTP reply code where the server gave one."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        return str(first.code), scrub(f"recipient refused: {first.code} {first.message}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return str(exc.code), scrub(f"SMTP {exc.code}: {exc.message}")
    if isinstance(exc, TimeoutError):
        return STATUS_TIMEOUT, scrub(f"SMTP server did not answer in time: {exc}")
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return "unsupported", scrub(f"SMTP server lacks a required feature: {exc}")
    return STATUS_CONNECTION, scrub(f"{type(exc).__name__}: {exc}")


# Waiting longer for the server's goodbye gains nothing and holds up the outbox's call budget.
QUIT_TIMEOUT_S: Final = 2.0
# What one message's failure can be; anything else is a bug and propagates.
_SMTP_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)


class EmailChannel:
    """One SMTP server; per call one connection, one email per delivery."""

    kind = "email"

    def __init__(self, spec: EmailSpec) -> None:
        self.spec = spec
        self._scrub = Scrubber(spec.password)
        self._tls: ssl.SSLContext | None = None

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.spec.security == "none":
            return None
        if self._tls is None:  # built once: loading the CA store costs milliseconds
            self._tls = ssl.create_default_context()
            if self.spec.ca_file:
                self._tls.load_verify_locations(cafile=self.spec.ca_file)
        return self._tls

    def client(self, timeout_s: float) -> aiosmtplib.SMTP:
        """An SMTP client for this notifier's server (also used to mail the monthly report)."""
        spec = self.spec
        return aiosmtplib.SMTP(
            hostname=spec.host, port=spec.port, timeout=timeout_s,
            use_tls=spec.security == "ssl",
            # "none" means plain text, not "upgrade if offered": a private-CA server would
            # otherwise fail verification without the operator having asked for TLS.
            start_tls=spec.security == "starttls",
            tls_context=self._tls_context(),
            username=spec.username,
            password=spec.password.reveal() if spec.password and spec.username else None,
        )

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        if not deliveries:
            return []
        results = await self._deliver(deliveries, ctx)
        log_outcomes(self.kind, deliveries, results)
        return results

    async def _deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        smtp = self.client(ctx.timeout_s)
        try:
            async with asyncio.timeout(ctx.timeout_s):  # connect, TLS and login together
                await smtp.connect()
        except _SMTP_ERRORS as exc:
            status, error = _failure(exc, self._scrub)
            return outcomes(deliveries, ok=False, status=status, error=error)
        results: list[DeliveryOutcome] = []
        try:
            for index, delivery in enumerate(deliveries):
                if not recipients(delivery, self.spec):
                    results += outcomes([delivery], ok=False, status="no_recipients",
                                        error="no recipient: the notifier has no `to`")
                    continue
                try:
                    async with asyncio.timeout(ctx.timeout_s):
                        await self._send(smtp, delivery, ctx)
                except _SMTP_ERRORS as exc:
                    status, error = _failure(exc, self._scrub)
                    results += outcomes([delivery], ok=False, status=status, error=error)
                    if not smtp.is_connected or isinstance(exc, TimeoutError):
                        # The session is gone (or in an unknown state): the rest are not sent.
                        results += outcomes(deliveries[index + 1:], ok=False, status=status,
                                            error=f"not sent: {error}")
                        break
                else:
                    results += outcomes([delivery], ok=True, status="250")
        finally:
            if smtp.is_connected:  # a polite QUIT, briefly: the mail is already accepted
                with contextlib.suppress(*_SMTP_ERRORS):
                    async with asyncio.timeout(min(ctx.timeout_s, QUIT_TIMEOUT_S)):
                        await smtp.quit()
            smtp.close()
        return results

    async def _send(self, smtp: aiosmtplib.SMTP, delivery: Delivery, ctx: SendContext) -> None:
        to = recipients(delivery, self.spec)
        message = build_message(delivery, self.spec, ctx)
        sender = email.utils.parseaddr(self.spec.sender)[1] or self.spec.sender
        await smtp.send_message(message, sender=sender, recipients=list(to))


def make(spec: EmailSpec) -> Channel:
    """A new channel (mypy checks here that it satisfies the Channel protocol)."""
    return EmailChannel(spec)
