"""`dingtalk` notifier: a DingTalk / 浙政钉 group robot (signed webhook, markdown, actionCard)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote_plus

from yarl import URL

from alerting import render, rendergroup
from alerting.delivery import Channel, Delivery, DeliveryOutcome, SendContext
from alerting.notifiers.base import (
    STATUS_RATE_LIMITED,
    NotifierError,
    RollingWindow,
    Scrubber,
    language,
    log,
    log_outcomes,
    outcomes,
    post,
)
from monitor.core.fields import Duration, Secret, SecretUrl, setting

# DingTalk refuses a message over 20,000 bytes; the whole JSON body is kept under it, which
# also bounds the text whichever way the server counts.
MAX_BODY_BYTES: Final = 20_000
ERR_OK: Final = 0
ERR_SECURITY: Final = 310000  # sign, keyword or IP whitelist check failed
ERR_TOO_FAST: Final = 130101  # over 20 messages a minute: the robot is throttled ~10 minutes
WINDOW_S: Final = 60.0


@dataclass(frozen=True)
class DingTalkSpec:
    url: SecretUrl = setting(doc="robot webhook URL including access_token")
    secret: Secret | None = setting(None, doc="signing secret (加签), starts with SEC")
    at_mobiles: tuple[str, ...] = setting((), doc="mobiles always @-mentioned (the on-call)")
    max_per_minute: int = setting(20, minimum=1, maximum=20, doc="robot rate limit")
    ack_button: bool = setting(
        True, doc="send alerts that need action as an actionCard with an acknowledge button, "
        "but only when nobody is to be @-mentioned: DingTalk rings @-mentions in markdown "
        "messages only, so with mobiles to mention (at_mobiles or the owner's) the alert is "
        "markdown with the acknowledge link in the text; false: always markdown"
    )
    throttle_backoff_s: Duration = setting(
        600.0, key="throttle_backoff",
        doc="after errcode 130101 (too many messages) send nothing to this robot for this long",
    )


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: urlencode(base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")))."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str | None, timestamp_ms: int) -> URL:
    """The robot URL with `timestamp` and `sign` appended (unchanged without a secret)."""
    if secret:
        joiner = "&" if "?" in url else "?"
        url += f"{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"
    # encoded=True: the sign is already percent-encoded; sent as is, never re-quoted.
    return URL(url, encoded=True)


def mentions(deliveries: Sequence[Delivery], on_call: Sequence[str]) -> list[str]:
    """Mobiles to @-mention: each delivery's (owner...) then the robot's on-call, deduplicated."""
    mobiles = [m for d in deliveries for m in d.recipients.at_mobiles] + list(on_call)
    return list(dict.fromkeys(m.strip() for m in mobiles if m.strip()))


def _fit(build: Callable[[str], bytes], text: str, tail: str, lang: str, *,
         fit: bool = True) -> bytes:
    """The body from `build(text + tail)`, with `text` cut until the body is under the limit
    (unless not `fit`: then whole, to measure). The tail (the @mentions) is kept whole:
    without it in the text a mention does not ring."""
    body = build(text + tail)
    if not fit:
        return body
    room = len(text.encode())
    for _ in range(8):  # each round removes the measured excess; JSON escaping converges fast
        if len(body) < MAX_BODY_BYTES:
            return body
        room -= len(body) - MAX_BODY_BYTES + 1
        body = build(render.cut_utf8(text, max(0, room), lang) + tail)
    return body


def message_body(
    deliveries: Sequence[Delivery], spec: DingTalkSpec, default_language: str, *,
    fit: bool = True,
) -> bytes:
    """The JSON body of one robot message for one delivery, or a digest for several.

    DingTalk rings an @-mention only in text and markdown messages, and only when the mobile
    is both in `at.atMobiles` and written as `@mobile` in the text; an actionCard ignores
    `at`. So with anyone to mention the message is markdown (the acknowledge link in the
    text); only with nobody to mention does an alert needing action become an actionCard."""
    lang = language(deliveries[0].payload, default_language)
    at_mobiles = mentions(deliveries, spec.at_mobiles)
    mention = " ".join(f"@{m}" for m in at_mobiles)
    at = {"atMobiles": at_mobiles, "isAtAll": False}
    # A correlated outage's events in one batch read as one item (rendergroup.fold).
    items = rendergroup.fold([(d.payload, d.event) for d in deliveries])
    if len(items) > 1:
        title, text = render.digest(items, lang)
        tail = f"\n\n{mention}" if mention else ""
        return _fit(lambda txt: _markdown(title, txt, at), text, tail, lang, fit=fit)
    payload, event = items[0]
    title = render.title(payload, event, lang)  # plain text: the chat preview
    ack = render.ack_link(payload, event)
    card = bool(ack) and spec.ack_button and not at_mobiles
    text, links = render.markdown_parts(payload, event, lang, with_ack_link=not card)
    # The links and mentions are kept whole when a long text is cut.
    tail = "".join(f"\n\n{part}" for part in (links, mention) if part)
    if card and ack:
        label = render.t(lang, "ack")
        return _fit(lambda txt: _action_card(title, txt, label, ack, at), text, tail, lang,
                    fit=fit)
    return _fit(lambda txt: _markdown(title, txt, at), text, tail, lang, fit=fit)


def _encode(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _markdown(title: str, text: str, at: Mapping[str, Any]) -> bytes:
    return _encode({"msgtype": "markdown", "markdown": {"title": title, "text": text}, "at": at})


def _action_card(title: str, text: str, label: str, url: str, at: Mapping[str, Any]) -> bytes:
    # singleTitle/singleURL is DingTalk's one-button form; `btns` repeats the same button in
    # the multi-button form (DingTalk uses single* when both are present), so a client or
    # gateway that only reads btns[].actionURL still finds the acknowledge link.
    card = {"title": title, "text": text, "btnOrientation": "0", "singleTitle": label,
            "singleURL": url, "btns": [{"title": label, "actionURL": url}]}
    return _encode({"msgtype": "actionCard", "actionCard": card, "at": at})


@dataclass(frozen=True, slots=True)
class _Sent:
    ok: bool
    status: str
    error: str = ""
    retry_after_s: float | None = None
    stop: bool = False  # nothing more should go to this robot in this batch


class DingTalkChannel:
    """One robot. Holds its rate window and 130101 back-off, so build it once per notifier."""

    kind = "dingtalk"

    def __init__(self, spec: DingTalkSpec) -> None:
        self.spec = spec
        self._window = RollingWindow(spec.max_per_minute, WINDOW_S)
        self._throttled_until: float | None = None  # ctx.clock.monotonic() time
        self._lock = asyncio.Lock()  # concurrent calls must not overspend one window
        self._scrub = Scrubber(spec.secret, urls=[spec.url])

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        async with self._lock:
            results = await self._deliver(list(deliveries), ctx)
        log_outcomes(self.kind, deliveries, results)
        return results

    async def _deliver(self, batch: list[Delivery], ctx: SendContext) -> list[DeliveryOutcome]:
        now = ctx.clock.monotonic()
        if not batch:
            return []
        if refused := self._throttled(batch, now):
            return refused
        budget = self._window.free(now)
        if budget == 0:
            wait_s = self._window.wait_s(now)
            return outcomes(batch, ok=False, status=STATUS_RATE_LIMITED, retry_after_s=wait_s,
                            error=f"robot limit of {self.spec.max_per_minute}/min reached")
        # A batch is one message (a digest), split only where one would be too long; what the
        # rate window cannot take now waits for its next slot, merged again then.
        groups = self._messages(batch, ctx.language)
        if len(groups) > 1:
            log.info("notifications_split", notifier=batch[0].notifier_id,
                     deliveries=len(batch), messages=len(groups))
        results: list[DeliveryOutcome] = []
        stopped: _Sent | None = None
        for index, group in enumerate(groups):
            if index >= budget and stopped is None:
                wait_s = self._window.wait_s(ctx.clock.monotonic())
                stopped = _Sent(False, STATUS_RATE_LIMITED,
                                f"robot limit of {self.spec.max_per_minute}/min reached",
                                wait_s, stop=True)
            sent = stopped or await self._send(group, ctx)
            if sent.stop and stopped is None:
                stopped = _Sent(False, sent.status, f"not sent: {sent.error}",
                                sent.retry_after_s, stop=True)
            results += outcomes(group, ok=sent.ok, status=sent.status, error=sent.error,
                                retry_after_s=sent.retry_after_s)
        return results

    def _messages(self, batch: list[Delivery], lang: str) -> list[list[Delivery]]:
        """The batch in as few messages as fit DingTalk's size limit, in order."""
        if len(batch) == 1 or len(message_body(batch, self.spec, lang, fit=False)) \
                < MAX_BODY_BYTES:
            return [batch]
        half = len(batch) // 2
        return self._messages(batch[:half], lang) + self._messages(batch[half:], lang)

    def _throttled(self, batch: list[Delivery], now: float) -> list[DeliveryOutcome]:
        if self._throttled_until is None or now >= self._throttled_until:
            self._throttled_until = None
            return []
        wait_s = self._throttled_until - now
        return outcomes(batch, ok=False, status=str(ERR_TOO_FAST), retry_after_s=wait_s,
                        error=f"robot throttled by DingTalk (130101); resting {wait_s:.0f}s more")

    async def _send(self, group: list[Delivery], ctx: SendContext) -> _Sent:
        body = message_body(group, self.spec, ctx.language)
        secret = self.spec.secret.reveal() if self.spec.secret else None
        url = signed_url(self.spec.url.reveal(), secret, int(ctx.clock.now() * 1000))
        self._window.take(ctx.clock.monotonic())  # an attempt may count at DingTalk: count it
        headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            reply = await post(ctx.http, url, body, headers, timeout_s=ctx.timeout_s,
                               scrub=self._scrub)
        except NotifierError as exc:
            return _Sent(False, exc.status, exc.message, stop=exc.transport)
        if reply.status >= 300:
            return _Sent(False, str(reply.status),
                         self._scrub(f"HTTP {reply.status}: {reply.text[:200]}"))
        try:
            answer = json.loads(reply.text)
            errcode, errmsg = int(answer["errcode"]), str(answer.get("errmsg", ""))
        except (ValueError, KeyError, TypeError):
            return _Sent(False, "invalid_reply",
                         self._scrub(f"not a robot reply: {reply.text[:200]}"))
        if errcode == ERR_OK:
            return _Sent(True, "0")
        if errcode == ERR_TOO_FAST:
            backoff_s = self.spec.throttle_backoff_s
            self._throttled_until = ctx.clock.monotonic() + backoff_s
            log.warning("dingtalk_throttled", notifier=group[0].notifier_id, backoff_s=backoff_s)
            return _Sent(False, str(errcode), self._scrub(f"too many messages (130101): {errmsg}"),
                         backoff_s, stop=True)
        if errcode == ERR_SECURITY:
            return _Sent(False, str(errcode), self._scrub(
                f"security check failed (310000: signature secret, keyword or IP whitelist "
                f"of the robot): {errmsg}"))
        return _Sent(False, str(errcode), self._scrub(f"errcode {errcode}: {errmsg}"))


def make(spec: DingTalkSpec) -> Channel:
    """A new channel (mypy checks here that it satisfies the Channel protocol)."""
    return DingTalkChannel(spec)
