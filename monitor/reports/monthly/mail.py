"""The monthly report by email: a short summary in the body, the full report as a PDF attached.

Sent over SMTP through an `email` notifier's settings (host, port, security, login, sender),
with the same aiosmtplib client the notifier builds, so TLS and private-CA rules are the
notifier's. Not through the outbox: this is a document for people, once a month, not an
incident notification with delivery ids and escalation.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.policy
import email.utils
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Final

import aiosmtplib

from alerting.notifiers.base import Scrubber
from alerting.notifiers.email import QUIT_TIMEOUT_S, EmailChannel, EmailSpec
from monitor.reports.fmt import Formatter
from monitor.reports.monthly.model import MonthlyReport
from monitor.reports.texts import duration_text

# One connection, one message with a PDF of up to a few MB: a minute covers a slow relay.
MAIL_TIMEOUT_S: Final = 60.0
_SMTP_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)


def subject(report: MonthlyReport) -> str:
    return Formatter(report.language, report.timezone).t("mail.subject", month=report.period.month)


def plain_summary(report: MonthlyReport) -> str:
    """The summary as text, for mail readers that show no HTML."""
    f = Formatter(report.language, report.timezone)
    t, i = report.totals, report.totals.incidents
    lang = report.language
    severities = " · ".join(f"{f.severity(c.key)} {c.count}" for c in report.incidents_by_severity)
    lines = [
        f"{f.t('monthly.title')} {report.period.month}",
        f"{f.t('monthly.period')}: {f.at(report.period.start)} – {f.at(report.period.end)} "
        f"({report.timezone})",
        "",
        f"{f.t('card.availability')}: {f.pct(t.usage.availability_pct)} % "
        f"({f.t('card.target', target=f'{report.availability_target_pct:g}')})",
        f"{f.t('card.apps')}: {t.apps} ({f.t('card.below', n=t.apps_below_target)})",
        f"{f.t('card.incidents')}: {i.count} ({severities})",
        f"{f.t('card.mtta')}: {f.duration(i.mtta_seconds)}",
        f"{f.t('card.mttr')}: {f.duration(i.mttr_seconds)}",
        f"{f.t('card.response_sla', limit=duration_text(lang, report.sla_response_s))}: "
        f"{f.pct(i.response_within_sla_pct)} %",
        f"{f.t('card.resolution_sla', limit=duration_text(lang, report.sla_resolution_s))}: "
        f"{f.pct(i.resolution_within_sla_pct)} %",
        f"{f.t('sec.watch')}: {len(report.watch_list)}",
        "",
        f.t("mail.attached"),
    ]
    return "\n".join(lines) + "\n"


def monthly_message(report: MonthlyReport, *, pdf: bytes, html_summary: str,
                    spec: EmailSpec, recipients: Sequence[str], now: float) -> EmailMessage:
    month = report.period.month
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject(report)
    msg["From"] = spec.sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = email.utils.format_datetime(
        dt.datetime.fromtimestamp(now, Formatter(report.language, report.timezone).tz))
    # One id per month: a resend after a failure is recognisably the same report.
    domain = email.utils.parseaddr(spec.sender)[1].rpartition("@")[2] or "appmon.invalid"
    msg["Message-ID"] = f"<appmon.monthly-{month}@{domain}>"
    msg["X-Monitor-Report"] = f"monthly-{month}"
    msg.set_content(plain_summary(report), subtype="plain", charset="utf-8")
    msg.add_alternative(html_summary, subtype="html", charset="utf-8")
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"monthly-{month}.pdf")
    return msg


async def send_message(message: EmailMessage, spec: EmailSpec, recipients: Sequence[str],
                       timeout_s: float = MAIL_TIMEOUT_S) -> str | None:
    """Send one message; None when the server accepted it, else a one-line error (secrets
    scrubbed). Never raises for a mail problem: the caller logs it and may retry."""
    scrub = Scrubber(spec.password)
    # The notifier's own client: its security / CA / login rules, not a second copy of them.
    smtp = EmailChannel(spec).client(timeout_s)
    try:
        async with asyncio.timeout(timeout_s):
            await smtp.connect()
            sender = email.utils.parseaddr(spec.sender)[1] or spec.sender
            await smtp.send_message(message, sender=sender, recipients=list(recipients))
    except _SMTP_ERRORS as exc:
        return scrub(f"{type(exc).__name__}: {exc}")
    finally:
        if smtp.is_connected:
            with contextlib.suppress(*_SMTP_ERRORS):
                async with asyncio.timeout(QUIT_TIMEOUT_S):
                    await smtp.quit()
        smtp.close()
    return None
