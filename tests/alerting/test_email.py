"""The email channel against aiosmtpd in the test process: plain, STARTTLS, SSL, AUTH, refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from structlog.testing import capture_logs

from alerting.delivery import Delivery, Recipients, SendContext
from alerting.model import Event
from alerting.notifiers.email import EmailChannel, EmailSpec
from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.core.fields import Secret
from tests.support.certs import TestPki
from tests.support.clocks import StepClock
from tests.support.http_servers import closed_port
from tests.support.receivers import SmtpReceiver, sample_delivery, sample_incident

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

SUBJECT = "【严重故障】柯桥区协同办公 / 首页：状态码异常：HTTP 502"
PASSWORD = "mail-pass-61b0e4"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:  # unused by email, but part of the context
        yield session


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path)


def ctx_for(http: aiohttp.ClientSession, timeout_s: float = 3.0) -> SendContext:
    return SendContext(http=http, clock=StepClock(), language="zh-CN", timeout_s=timeout_s)


def spec_for(server: SmtpReceiver, **changes: Any) -> EmailSpec:
    fields: dict[str, Any] = {"host": server.host, "port": server.port,
                              "sender": "监控 <monitor@example.org>", "to": ("ops@example.org",)}
    return EmailSpec(**{**fields, **changes})


async def send(server: SmtpReceiver, http: aiohttp.ClientSession, *deliveries: Delivery,
               **changes: Any) -> list[Any]:
    channel = EmailChannel(spec_for(server, **changes))
    return await channel.deliver(list(deliveries) or [sample_delivery()], ctx_for(http))


def parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


async def test_text_and_html_with_a_chinese_subject(http: aiohttp.ClientSession) -> None:
    delivery = sample_delivery()
    async with SmtpReceiver() as server:
        [outcome] = await send(server, http, delivery)
    assert (outcome.delivery_id, outcome.ok, outcome.status) == (delivery.id, True, "250")
    [mail] = server.messages
    message = mail.message
    assert message["Subject"] == SUBJECT
    assert message["To"] == "ops@example.org"
    assert mail.mail_from == "monitor@example.org"
    assert mail.rcpt_tos == ("ops@example.org",)
    assert message["From"] == "监控 <monitor@example.org>"
    assert message["Message-ID"] == f"<appmon.{delivery.id}@example.org>"
    assert message["X-Monitor-Delivery"] == delivery.id
    assert message.get_content_type() == "multipart/alternative"
    bodies = parts(message)
    assert set(bodies) == {"text/plain", "text/html"}
    for text in bodies.values():
        for fact in ("柯桥区协同办公", "首页", "2025-11-25 00:15:00", "2025-11-25 01:00:00",
                     "http://127.0.0.1:8080/incidents/inc-0001"):
            assert fact in text, fact
    assert "立即确认：http://127.0.0.1:8080/ack/inc-0001?sig=abc" in bodies["text/plain"]
    assert 'href="http://127.0.0.1:8080/ack/inc-0001?sig=abc"' in bodies["text/html"]
    assert not mail.tls
    assert mail.user is None


async def test_html_escapes_what_probes_and_people_wrote(http: aiohttp.ClientSession) -> None:
    incident = sample_incident(summary='<script>alert("x")</script> & more')
    async with SmtpReceiver() as server:
        await send(server, http, sample_delivery(incident=incident))
    html = parts(server.messages[0].message)["text/html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in html


async def test_english_subject_and_resolved_mail(http: aiohttp.ClientSession) -> None:
    delivery = sample_delivery(Event.RESOLVED, sample_incident(resolved_by="Li Si"), language="en")
    async with SmtpReceiver() as server:
        await send(server, http, delivery)
    message = server.messages[0].message
    assert message["Subject"] == "[RESOLVED] 柯桥区协同办公 / 首页: 状态码异常：HTTP 502"
    assert "Acknowledge" not in parts(message)["text/plain"]  # nothing left to acknowledge


async def test_recipients_of_the_delivery_replace_to(http: aiohttp.ClientSession) -> None:
    owner = Recipients(emails=("owner@example.org", "deputy@example.org"))
    async with SmtpReceiver() as server:
        [outcome] = await send(server, http, sample_delivery(recipients=owner))
    assert outcome.ok
    [mail] = server.messages
    assert mail.rcpt_tos == ("owner@example.org", "deputy@example.org")
    assert mail.message["To"] == "owner@example.org, deputy@example.org"


async def test_one_email_per_recipients_and_a_retry_keeps_its_message_id(
    http: aiohttp.ClientSession,
) -> None:
    first, second = (sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2))
    owner = sample_delivery(Event.OPENED, sample_incident(3),
                            recipients=Recipients(emails=("owner@example.org",)))
    async with SmtpReceiver() as server:
        outcomes = await send(server, http, first, owner, second)
        await send(server, http, second, first)  # the same digest again, in another order
        await send(server, http, first)
    assert [o.delivery_id for o in outcomes] == [first.id, owner.id, second.id]
    assert [o.ok for o in outcomes] == [True, True, True]
    digest, single, again, alone = (m.message for m in server.messages)
    assert digest["Subject"] == "【告警汇总】2 条告警"
    assert single["Subject"].startswith("【严重故障】")
    assert single["To"] == "owner@example.org"
    assert digest["Message-ID"] == again["Message-ID"] != alone["Message-ID"]
    assert digest["Message-ID"].startswith("<appmon.digest.")
    assert alone["Message-ID"] == f"<appmon.{first.id}@example.org>"


async def test_starttls_with_auth(http: aiohttp.ClientSession, pki: TestPki) -> None:
    async with SmtpReceiver("starttls", pki, auth=("monitor", PASSWORD)) as server:
        [outcome] = await send(server, http, security="starttls", ca_file=str(pki.ca_file),
                               username="monitor", password=Secret(PASSWORD))
    assert outcome.ok, outcome.error
    [mail] = server.messages
    assert mail.tls
    assert mail.user == "monitor"


async def test_implicit_ssl(http: aiohttp.ClientSession, pki: TestPki) -> None:
    async with SmtpReceiver("ssl", pki) as server:
        [outcome] = await send(server, http, security="ssl", ca_file=str(pki.ca_file))
    assert outcome.ok, outcome.error
    assert server.messages[0].tls


async def test_an_untrusted_certificate_fails(http: aiohttp.ClientSession, pki: TestPki) -> None:
    async with SmtpReceiver("starttls", pki) as server:
        [outcome] = await send(server, http, security="starttls")  # the test CA is not given
    assert not outcome.ok
    assert outcome.status == "connection"
    assert "CERTIFICATE_VERIFY_FAILED" in outcome.error
    assert server.messages == []


async def test_plain_text_to_a_server_requiring_starttls_is_refused(
    http: aiohttp.ClientSession, pki: TestPki
) -> None:
    async with SmtpReceiver("starttls", pki) as server:
        [outcome] = await send(server, http)
    assert (outcome.ok, outcome.status) == (False, "530")
    assert outcome.error.startswith("SMTP 530")


async def test_a_wrong_password_fails_with_535_and_is_not_shown(
    http: aiohttp.ClientSession, pki: TestPki
) -> None:
    async with SmtpReceiver("starttls", pki, auth=("monitor", PASSWORD)) as server:
        with capture_logs() as logs:
            [outcome] = await send(server, http, security="starttls", ca_file=str(pki.ca_file),
                                   username="monitor", password=Secret("wrong-pass-99"))
    assert (outcome.ok, outcome.status) == (False, "535")
    assert "wrong-pass-99" not in outcome.error + repr(logs)
    assert server.messages == []


async def test_a_rejected_message_fails_with_the_smtp_code(http: aiohttp.ClientSession) -> None:
    deliveries = [sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2)]
    async with SmtpReceiver(reject="451 4.3.0 Try again later") as server:
        outcomes = await send(server, http, *deliveries)
    # A refusal is per message: the session goes on, and the second one is refused on its own.
    assert [(o.ok, o.status) for o in outcomes] == [(False, "451")] * 2
    assert outcomes[1].error == "SMTP 451: 4.3.0 Try again later"


async def test_an_unreachable_server_fails_every_delivery(http: aiohttp.ClientSession) -> None:
    spec = EmailSpec(host="127.0.0.1", port=closed_port(), sender="m@example.org", to=("a@b.c",))
    deliveries = [sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2)]
    outcomes = await EmailChannel(spec).deliver(deliveries, ctx_for(http))
    assert [(o.ok, o.status) for o in outcomes] == [(False, "connection")] * 2


def test_registry_makes_email_channels() -> None:
    spec = EmailSpec(host="127.0.0.1", sender="m@example.org", to=("a@b.c",))
    assert isinstance(NOTIFIER_KINDS["email"].make(spec), EmailChannel)
