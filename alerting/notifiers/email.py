"""`email` notifier: SMTP with STARTTLS or SSL, HTML and text bodies.

Deliveries of one batch for the same recipients (in the same language) go as one mail, a
digest listing each; a delivery alone gets its ordinary mail."""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import email.utils
import hashlib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Final, Literal

import aiosmtplib

from alerting import render, renderdigest, rendergroup
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


def digest_message_id(deliveries: Sequence[Delivery], sender: str) -> str:
    """A digest's Message-ID, from its sorted delivery ids: the same on a retry of the same
    deliveries, whatever their order."""
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "appmon.invalid"
    key = hashlib.sha256("\n".join(sorted(d.id for d in deliveries)).encode()).hexdigest()
    return f"<appmon.digest.{key[:32]}@{domain}>"


def recipients(delivery: Delivery, spec: EmailSpec) -> tuple[str, ...]:
    """The delivery's own addresses (the owner's copy) replace the notifier's `to`."""
    return delivery.recipients.emails or spec.to


def _headers(msg: EmailMessage, spec: EmailSpec, to: Sequence[str], ctx: SendContext,
             payload: Mapping[str, Any]) -> None:
    msg["From"] = spec.sender
    msg["To"] = ", ".join(to)
    msg["Date"] = email.utils.format_datetime(local_time(payload, ctx.clock.now()))


def build_message(delivery: Delivery, spec: EmailSpec, ctx: SendContext) -> EmailMessage:
    return _single_mail([delivery], delivery.payload, delivery.event, spec, ctx)


def _single_mail(deliveries: Sequence[Delivery], payload: Mapping[str, Any], event: str,
                 spec: EmailSpec, ctx: SendContext) -> EmailMessage:
    """The ordinary mail of one item (standing for `deliveries`, one or a folded batch)."""
    delivery = deliveries[0]
    lang = language(payload, ctx.language)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = render.title(payload, event, lang)  # one line, whatever names it quotes
    _headers(msg, spec, recipients(delivery, spec), ctx, payload)
    msg["Message-ID"] = (message_id(delivery, spec.sender) if len(deliveries) == 1
                         else digest_message_id(deliveries, spec.sender))
    msg["X-Monitor-Delivery"] = " ".join(d.id for d in deliveries)
    msg["X-Monitor-Event"] = event
    if "incident" in payload:
        msg["X-Monitor-Incident"] = render.one_line(payload["incident"]["id"])
    else:  # a notice (rectification): its subject id travels as the delivery's incident_id
        msg["X-Monitor-Notice"] = delivery.incident_id
    msg.set_content(render.plain(payload, event, lang), subtype="plain", charset="utf-8")
    msg.add_alternative(render.html(payload, event, lang), subtype="html", charset="utf-8")
    return msg


def build_digest(deliveries: Sequence[Delivery], spec: EmailSpec,
                 ctx: SendContext) -> EmailMessage:
    """One mail for several deliveries to the same recipients."""
    first = deliveries[0]
    lang = language(first.payload, ctx.language)
    items = rendergroup.fold([(d.payload, d.event) for d in deliveries])
    if len(items) == 1:  # a correlated outage's events: its ordinary mail, latest apps
        return _single_mail(deliveries, *items[0], spec, ctx)
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = renderdigest.subject(items, lang)
    _headers(msg, spec, recipients(first, spec), ctx, first.payload)
    msg["Message-ID"] = digest_message_id(deliveries, spec.sender)
    msg["X-Monitor-Delivery"] = " ".join(d.id for d in deliveries)
    msg["X-Monitor-Event"] = " ".join(dict.fromkeys(d.event for d in deliveries))
    msg.set_content(renderdigest.plain(items, lang), subtype="plain", charset="utf-8")
    msg.add_alternative(renderdigest.html(items, lang), subtype="html", charset="utf-8")
    return msg


def mail_groups(deliveries: Sequence[Delivery], spec: EmailSpec,
                default_language: str) -> list[list[Delivery]]:
    """Alerts grouped by who gets them (and their language), in order of first appearance:
    each group is one mail. A correlated incident's owner copies (each join adds owners) are
    one group, sent to all of them. A notice (rectification) is a formal letter about one app
    with its own id and deadline: it always goes alone."""
    groups: dict[tuple[object, ...], list[Delivery]] = {}
    for delivery in deliveries:
        lang = language(delivery.payload, default_language)
        key: tuple[object, ...]
        if render.notice_of(delivery.payload) is not None:
            key = ("notice", delivery.id)
        elif rendergroup.is_parent(delivery.payload) and delivery.recipients.emails:
            key = ("family", str(delivery.payload["incident"]["id"]), lang)
        else:
            key = (recipients(delivery, spec), lang)
        groups.setdefault(key, []).append(delivery)
    return list(groups.values())


def group_recipients(group: Sequence[Delivery], spec: EmailSpec) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for d in group for a in recipients(d, spec)))


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
    """One SMTP server; per call one connection, one email per group of recipients."""

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
        done: dict[str, DeliveryOutcome] = {}
        groups = mail_groups(deliveries, self.spec, ctx.language)
        try:
            for index, group in enumerate(groups):
                if not recipients(group[0], self.spec):
                    done |= _by_id(outcomes(group, ok=False, status="no_recipients",
                                            error="no recipient: the notifier has no `to`"))
                    continue
                try:
                    async with asyncio.timeout(ctx.timeout_s):
                        await self._send(smtp, group, ctx)
                except _SMTP_ERRORS as exc:
                    status, error = _failure(exc, self._scrub)
                    done |= _by_id(outcomes(group, ok=False, status=status, error=error))
                    if not smtp.is_connected or isinstance(exc, TimeoutError):
                        # The session is gone (or in an unknown state): the rest are not sent.
                        rest = [d for later in groups[index + 1:] for d in later]
                        done |= _by_id(outcomes(rest, ok=False, status=status,
                                                error=f"not sent: {error}"))
                        break
                else:
                    done |= _by_id(outcomes(group, ok=True, status="250"))
        finally:
            if smtp.is_connected:  # a polite QUIT, briefly: the mail is already accepted
                with contextlib.suppress(*_SMTP_ERRORS):
                    async with asyncio.timeout(min(ctx.timeout_s, QUIT_TIMEOUT_S)):
                        await smtp.quit()
            smtp.close()
        return [done[d.id] for d in deliveries]

    async def _send(
        self, smtp: aiosmtplib.SMTP, group: Sequence[Delivery], ctx: SendContext
    ) -> None:
        to = group_recipients(group, self.spec)
        message = (build_message(group[0], self.spec, ctx) if len(group) == 1
                   else build_digest(group, self.spec, ctx))
        message.replace_header("To", ", ".join(to))
        sender = email.utils.parseaddr(self.spec.sender)[1] or self.spec.sender
        await smtp.send_message(message, sender=sender, recipients=list(to))


def _by_id(results: Sequence[DeliveryOutcome]) -> dict[str, DeliveryOutcome]:
    return {outcome.delivery_id: outcome for outcome in results}


def make(spec: EmailSpec) -> Channel:
    """A new channel (mypy checks here that it satisfies the Channel protocol)."""
    return EmailChannel(spec)
