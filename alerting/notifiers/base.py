"""What the notification channels share: one HTTP POST with a hard timeout, outcome helpers,
secret scrubbing for error text, and the rolling-window rate limiter.

A channel never raises for a failing receiver (see `alerting.delivery.Channel`): the helpers
here turn every transport problem into a `NotifierError` carrying a short status and a one-line,
secret-free message, which the channel turns into `DeliveryOutcome`s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import aiohttp
import structlog
from yarl import URL

from alerting.delivery import Delivery, DeliveryOutcome
from monitor.core.constants import USER_AGENT
from monitor.core.fields import Secret
from monitor.core.logs import mask_text
from monitor.core.secrets import MIN_SECRET_CHARS, url_parts

log = structlog.get_logger("alerting.notifiers")

# A receiver's reply is only read for its status and a hint of what went wrong; a bound keeps
# a misconfigured URL pointing at some large page from costing memory.
MAX_REPLY_BYTES: Final = 64 * 1024
# Error text is one line for a log and a timeline entry, not a dump of a receiver's page.
MAX_ERROR_CHARS: Final = 300

# Statuses for failures that carry no HTTP status, errcode or SMTP code.
STATUS_TIMEOUT: Final = "timeout"
STATUS_CONNECTION: Final = "connection"
STATUS_RATE_LIMITED: Final = "rate_limited"

_SPACE_RE: Final = re.compile(r"\s+")
# key=value credentials outside a full URL (a proxy's error page quoting the path and query).
_PARAM_RE: Final = re.compile(
    r"(?i)\b(access_token|token|sign|secret|password|passwd|key|api_?key)=[^&\s'\"<>]+"
)


class NotifierError(Exception):
    """A send failed; `status` is short and machine-readable, the message safe to show."""

    def __init__(self, status: str, message: str, *, transport: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        # The receiver could not be reached at all: the rest of a batch to the same URL would
        # only wait out the same timeout, so channels stop at the first transport failure.
        self.transport = transport


class Scrubber:
    """Removes a channel's secrets from text: URL credentials by pattern (mask_text, which keeps
    the host visible for diagnosis) and then, as a second line of defence, every known secret
    value wherever it still appears (an exception may quote a token outside any URL)."""

    def __init__(self, *secrets: Secret | None, urls: Iterable[Secret] = ()) -> None:
        values = [s.reveal() for s in secrets if s is not None]
        for url in urls:
            values.extend(url_secrets(url.reveal()))
        # Longest first, so a value is replaced whole before a shorter one inside it.
        self._values = sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = _PARAM_RE.sub(r"\1=***", mask_text(_SPACE_RE.sub(" ", text).strip()))
        for value in self._values:
            text = text.replace(value, "***")
        if len(text) > MAX_ERROR_CHARS:
            text = text[: MAX_ERROR_CHARS - 1] + "…"
        return text


def url_secrets(url: str) -> list[str]:
    """Values in a URL that may be credentials: the password, every query value of some
    length, and path segments that look like tokens (a receiver that echoes its path in an
    error must not put a path secret into the delivery record)."""
    return [v for v in url_parts(url) if len(v) >= MIN_SECRET_CHARS]


@dataclass(frozen=True, slots=True)
class HttpReply:
    status: int
    text: str


async def post(
    http: aiohttp.ClientSession,
    url: str | URL,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout_s: float,
    scrub: Scrubber,
) -> HttpReply:
    """POST `body` and return the status and (bounded) reply text; raise NotifierError when
    no reply came within `timeout_s` or the connection failed. Redirects are not followed:
    a 3xx is the receiver's answer, and it is not a success (CONTRACT.md §4)."""
    all_headers = {"User-Agent": USER_AGENT, **headers}
    try:
        async with asyncio.timeout(timeout_s):
            async with http.post(
                url, data=body, headers=all_headers, allow_redirects=False
            ) as response:
                raw = await response.content.read(MAX_REPLY_BYTES)
                return HttpReply(response.status, raw.decode("utf-8", "replace"))
    except TimeoutError:
        raise NotifierError(
            STATUS_TIMEOUT, f"no reply within {timeout_s:g}s", transport=True
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        detail = scrub(f"{type(exc).__name__}: {exc}")
        raise NotifierError(STATUS_CONNECTION, detail, transport=True) from None


def outcomes(
    deliveries: Iterable[Delivery],
    *,
    ok: bool,
    status: str = "",
    error: str = "",
    retry_after_s: float | None = None,
) -> list[DeliveryOutcome]:
    """The same outcome for each delivery (a merged message, or a refusal of a whole batch)."""
    return [
        DeliveryOutcome(d.id, ok=ok, status=status, error=error, retry_after_s=retry_after_s)
        for d in deliveries
    ]


def log_outcomes(
    kind: str, deliveries: Sequence[Delivery], results: Sequence[DeliveryOutcome]
) -> None:
    """Debug-level record per delivery. The outbox owns the operator-facing log line and the
    incident timeline; here only what the channel alone knows (status, merged) is added."""
    for delivery, outcome in zip(deliveries, results, strict=True):
        log.debug(
            "notification_sent" if outcome.ok else "notification_failed",
            channel=kind,
            notifier=delivery.notifier_id,
            delivery=delivery.id,
            incident=delivery.incident_id,
            notify_event=delivery.event,
            status=outcome.status,
            error=outcome.error or None,
            retry_after_s=outcome.retry_after_s,
        )


class RollingWindow:
    """At most `limit` events in any `span_s` seconds (a sliding log: exact, and tiny at 20)."""

    def __init__(self, limit: int, span_s: float = 60.0) -> None:
        self.limit = limit
        self.span_s = span_s
        self._times: deque[float] = deque()

    def _prune(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.span_s:
            self._times.popleft()

    def free(self, now: float) -> int:
        self._prune(now)
        return max(0, self.limit - len(self._times))

    def take(self, now: float) -> None:
        self._times.append(now)

    def wait_s(self, now: float) -> float:
        """Seconds until a slot frees (0 when one is free now)."""
        if self.free(now) > 0:
            return 0.0
        return max(0.0, self._times[0] + self.span_s - now)


def language(payload: Mapping[str, Any], default: str) -> str:
    """The language a delivery is written in: its snapshot's, else the service's."""
    value = payload.get("language") or default
    return "en" if str(value).lower().startswith("en") else "zh-CN"


def local_time(payload: Mapping[str, Any], now: float) -> dt.datetime:
    """`now` in the service's offset, which the incident snapshot carries (a SendContext knows
    no time zone); in the host's local offset if the snapshot has none."""
    opened = (payload.get("incident") or payload.get("notice") or {}).get(
        "opened_at" if "incident" in payload else "at")
    if isinstance(opened, str):
        try:
            tz = dt.datetime.fromisoformat(opened).tzinfo
        except ValueError:
            tz = None
        if tz is not None:
            return dt.datetime.fromtimestamp(now, tz)
    return dt.datetime.fromtimestamp(now).astimezone()


def now_iso(payload: Mapping[str, Any], now: float) -> str:
    """ISO 8601 with offset, as every timestamp in the contract's JSON."""
    return local_time(payload, now).isoformat(timespec="seconds")
