"""Text from outside is data in every format: hostile names, notes and summaries neither become
links, images, headings, HTML or emphasis in DingTalk, nor markup in the HTML mail, nor headers
in the mail, nor anything but the same string in the webhook JSON."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from email.message import EmailMessage
from typing import Any

import aiohttp
import pytest

from alerting import render
from alerting.delivery import Delivery, Recipients, SendContext
from alerting.model import Event, Incident, IncidentState
from alerting.notifiers.dingtalk import DingTalkChannel, DingTalkSpec
from alerting.notifiers.email import EmailChannel, EmailSpec
from alerting.notifiers.webhook import WebhookChannel, WebhookSpec
from alerting.rendertext import ZWSP, md_text, one_line
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.receivers import (
    T_OPENED,
    DingTalkRobot,
    SmtpReceiver,
    WebhookReceiver,
    sample_delivery,
    sample_incident,
    sample_parent,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

PHISH = "值班员\n\n### 请立即点击 [重新登录](http://evil.example/phish)"
IMAGE = "![x](http://evil.example/a.png)"
ANCHOR = '<a href="http://evil.example">x</a>'
SCRIPT = "<script>alert(1)</script>"
BOLD = "**粗体**"
HEADER = "Bcc: x@evil.example\r\nSubject: hi"
HOSTILE = (PHISH, IMAGE, ANCHOR, SCRIPT, BOLD, HEADER)
MIXED = " ".join(HOSTILE)


def hostile_incident(state: IncidentState = IncidentState.RESOLVED, **changes: Any) -> Incident:
    fields: dict[str, Any] = {
        "app_name": PHISH, "check_name": IMAGE, "summary": f"{ANCHOR} {SCRIPT}",
        "acknowledged_at": T_OPENED + 60, "acknowledged_by": f"{BOLD}\n{HEADER}",
        "resolved_at": T_OPENED + 600, "resolved_by": HEADER, "cause": MIXED,
        "state": state,
    }
    return sample_incident(**(fields | changes))


def hostile_parent() -> Incident:
    parent = sample_parent(3, acknowledged_by=PHISH, acknowledged_at=T_OPENED + 60)
    names = (PHISH, ANCHOR, HEADER)
    return dataclasses.replace(parent, children=tuple(
        dataclasses.replace(kid, app_name=name, check_name=IMAGE, summary=f"{SCRIPT} {BOLD}")
        for kid, name in zip(parent.children, names, strict=True)))


HOSTILE_APP = {"name": PHISH, "department": ANCHOR, "category": IMAGE, "tier": 1,
               "owner_name": f"{SCRIPT}\n{HEADER}"}


def hostile_deliveries(lang: str = "zh-CN") -> list[Delivery]:
    """Every event of a hostile incident, and of a hostile correlated incident."""
    found = [sample_delivery(event, hostile_incident(), app=HOSTILE_APP, language=lang)
             for event in (Event.OPENED, Event.REMINDER, Event.ACKNOWLEDGED, Event.RESOLVED)]
    found += [sample_delivery(event, hostile_parent(), language=lang,
                              joined=["inc-0901"] if event is Event.JOINED else None)
              for event in (Event.OPENED, Event.JOINED, Event.ACKNOWLEDGED)]
    return found


def assert_inert_markdown(text: str) -> None:
    assert "](http://evil" not in text
    assert "![" not in text
    assert "<a " not in text
    assert "<script" not in text.lower()
    assert "http://evil.example" not in text
    assert BOLD not in text
    assert "\r" not in text
    lines = text.splitlines()
    assert not [line for line in lines[1:] if line.lstrip().startswith("#")], text
    assert "Subject: hi" not in lines
    assert not any(line.startswith("Subject:") for line in lines)


# ---- the escaper -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("see http://evil.example/x", f"see http:{ZWSP}//evil.example/x"),
        ("HTTPS://evil.example", f"HTTPS:{ZWSP}//evil.example"),
        ("www.evil.example", f"www{ZWSP}.evil.example"),
        ("[a](b) ![c](d)", "［a］(b) ！［c］(d)"),
        ("# h\n## h2", "＃ h ＃＃ h2"),
        ("*em* _em_ `code` ~~del~~ a|b", "＊em＊ ＿em＿ ˋcodeˋ ～～del～～ a｜b"),
        ("<b>x</b> > quote", "‹b›x‹/b› › quote"),
        ("- item", "－ item"),
        ("+ item", "＋ item"),
        ("1. item", f"1{ZWSP}. item"),
        ("a\\*b", "a＼＊b"),
        ("HTTP 502 (Bad Gateway)", "HTTP 502 (Bad Gateway)"),  # parentheses alone are inert
        ("状态码异常：HTTP 502", "状态码异常：HTTP 502"),
        ("  many\r\n\tlines\u2028here  ", "many lines here"),
    ],
)
def test_md_text(raw: str, shown: str) -> None:
    assert md_text(raw) == shown


def test_one_line() -> None:
    assert one_line(HEADER) == "Bcc: x@evil.example Subject: hi"
    assert one_line(PHISH) == "值班员 ### 请立即点击 [重新登录](http://evil.example/phish)"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_markdown_digest_and_titles_are_inert(lang: str) -> None:
    deliveries = hostile_deliveries(lang)
    for delivery in deliveries:
        payload, event = delivery.payload, delivery.event
        assert_inert_markdown(render.markdown(payload, event, lang, with_ack_link=True))
        plain_title = render.title(payload, event, lang)
        assert "\n" not in plain_title
        assert "\r" not in plain_title
    _, text = render.digest([(d.payload, d.event) for d in deliveries], lang)
    assert_inert_markdown(text)
    # Our own links are still links.
    text = render.markdown(deliveries[0].payload, "incident.opened", lang, with_ack_link=True)
    assert "](http://127.0.0.1:8080/ack/inc-0001?sig=abc)" in text
    assert "](http://127.0.0.1:8080/incidents/inc-0001)" in text


def test_the_names_are_still_readable() -> None:
    payload = sample_delivery(Event.RESOLVED, hostile_incident(), app=HOSTILE_APP).payload
    text = render.markdown(payload, "incident.resolved", "zh-CN", with_ack_link=False)
    assert "值班员 ＃＃＃ 请立即点击 ［重新登录］(http:\u200b//evil.example/phish)" in text
    assert "‹script›alert(1)‹/script›" in text


# ---- through the real channels ---------------------------------------------------------------

@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def ctx_for(http: aiohttp.ClientSession, clock: StepClock) -> SendContext:
    return SendContext(http=http, clock=clock, language="zh-CN", timeout_s=3.0)


@pytest.mark.parametrize("mention", [True, False])
async def test_the_robot_receives_inert_messages(
    http: aiohttp.ClientSession, mention: bool
) -> None:
    clock = StepClock()
    deliveries = hostile_deliveries()
    at = Recipients(at_mobiles=("13800000000",)) if mention else Recipients()
    deliveries = [dataclasses.replace(d, recipients=at) for d in deliveries]
    async with DingTalkRobot(clock=clock) as robot:
        spec = DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret or ""))
        channel = DingTalkChannel(spec)
        results = []
        for delivery in deliveries:  # one by one: each its own message
            results += await channel.deliver([delivery], ctx_for(http, clock))
        results += await channel.deliver(deliveries, ctx_for(http, clock))  # and a digest
    assert all(r.ok for r in results)
    assert len(robot.messages) == len(deliveries) + 1
    kinds = set()
    for body in robot.messages:
        kinds.add(body["msgtype"])
        message = body[body["msgtype"]]
        assert_inert_markdown(message["text"])
        assert "\n" not in message["title"]
        assert "<script" not in message["title"]  # plain text, but one line and ours
    assert kinds == ({"markdown"} if mention else {"markdown", "actionCard"})


def mail_parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


async def test_mails_carry_no_markup_and_no_extra_header(http: aiohttp.ClientSession) -> None:
    deliveries = hostile_deliveries()
    owners = Recipients(emails=("owner@example.org",))
    async with SmtpReceiver() as server:
        spec = EmailSpec(host=server.host, port=server.port, sender="monitor@example.org",
                         to=("ops@example.org",))
        channel = EmailChannel(spec)
        for delivery in deliveries:  # one by one: single mails
            [result] = await channel.deliver([delivery], ctx_for(http, StepClock()))
            assert result.ok, result.error
        # ... and all at once for the owners: a digest, and the correlated incident's owner
        # copies as one mail of their own
        merged = [dataclasses.replace(d, recipients=owners) for d in deliveries]
        results = await channel.deliver(merged, ctx_for(http, StepClock()))
        assert all(r.ok for r in results)
    assert len(server.messages) == len(deliveries) + 2
    for mail in server.messages:
        message = mail.message
        assert message.get_all("Subject") is not None
        assert len(message.get_all("Subject") or []) == 1
        assert "\n" not in str(message["Subject"])
        assert message["Bcc"] is None
        assert "x@evil.example" not in mail.rcpt_tos
        bodies = mail_parts(message)
        html = bodies["text/html"]
        assert "<script" not in html.lower()
        assert '<a href="http://evil' not in html
        assert "<a href=" in html  # our links
        assert all(href.startswith("http://127.0.0.1:8080/")
                   for href in html.split('href="')[1:])
        plain_lines = bodies["text/plain"].splitlines()
        assert not any(line.startswith(("###", "Subject:", "Bcc:")) for line in plain_lines)
    single_html = mail_parts(server.messages[3].message)["text/html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in single_html
    assert "&lt;a href=&#34;http://evil.example&#34;&gt;x&lt;/a&gt;" in single_html


async def test_webhook_json_carries_hostile_strings_exactly_as_data(
    http: aiohttp.ClientSession,
) -> None:
    deliveries = hostile_deliveries()
    async with WebhookReceiver(secret=None) as receiver:
        channel = WebhookChannel(WebhookSpec(url=SecretUrl(receiver.url)))
        results = await channel.deliver(deliveries, ctx_for(http, StepClock()))
    assert all(r.ok for r in results)
    assert len(receiver.received) == len(deliveries)
    for delivery, got in zip(deliveries, receiver.received, strict=True):
        body = got.body
        assert set(body) == {"event", "incident", "sent_at", "app", "links"}
        assert body["incident"] == json.loads(json.dumps(delivery.payload["incident"]))
        assert body["app"] == delivery.payload["app"]
        assert body["event"] == delivery.event
    first = receiver.received[0].body
    assert first["incident"]["app_name"] == PHISH
    assert first["incident"]["acknowledged_by"] == f"{BOLD}\n{HEADER}"
    assert first["app"]["owner_name"] == f"{SCRIPT}\n{HEADER}"
    parent = receiver.received[4].body["incident"]
    assert [kid["app_name"] for kid in parent["children"]] == [PHISH, ANCHOR, HEADER]
