"""structlog set-up: JSON lines (or a readable console on a TTY), contextvars, secrets masked.

Per-task context (app, check, incident) is bound with `structlog.contextvars.bound_contextvars`
by whoever starts the task, so every event a probe run logs carries it.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import MutableMapping
from typing import Any, Final, TextIO

import structlog

from monitor.core.fields import Secret, mask_url
from monitor.core.secrets import mask_secret_values

# Keys whose values are secrets whatever their type.
_SECRET_KEYS: Final = frozenset(
    {"token", "secret", "password", "authorization", "hmac_secret", "api_token", "access_token"}
)
# Tokens embedded in URLs or header-like text inside otherwise harmless strings.
_URL_RE: Final = re.compile(r"https?://[^\s'\"<>]+")
_BEARER_RE: Final = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
# Warnings and errors of one kind are logged at most once per this many seconds (RateLimit).
LOG_REPEAT_INTERVAL_S: Final = 60.0
_LIMITED_LEVELS: Final = frozenset({"warning", "error", "exception", "critical"})


def mask_text(text: str) -> str:
    """Mask URL credentials, bearer tokens and every registered secret value inside free text
    (messages, exceptions, delivery errors)."""
    text = mask_secret_values(text)
    text = _URL_RE.sub(lambda m: mask_url(m.group(0)), text)
    return _BEARER_RE.sub(r"\1***", text)


def _mask_value(key: str, value: Any) -> Any:
    if isinstance(value, Secret):
        return str(value)
    if key.lower() in _SECRET_KEYS and value is not None:
        return "***"
    if isinstance(value, str):
        return mask_text(value) if ("://" in value or "earer" in value) \
            else mask_secret_values(value)
    return value


def mask_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: no secret leaves through a log line."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _mask_value(key, value)
    return event_dict


class RateLimit:
    """Errors of one kind are logged once per interval, with a count of the ones held back:
    a flood of failures (descriptors exhausted, say) must not become a flood of tracebacks."""

    def __init__(self, interval_s: float = LOG_REPEAT_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._seen: dict[tuple[str, ...], tuple[float, int]] = {}  # key -> (window start, held)

    def admit(self, key: tuple[str, ...], now: float) -> int | None:
        """None to hold this one back; else how many like it were held back before it."""
        started, held = self._seen.get(key, (-self.interval_s, 0))
        if now - started < self.interval_s:
            self._seen[key] = (started, held + 1)
            return None
        self._seen[key] = (now, 0)
        return held

    def processor(
        self, _logger: Any, method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        """structlog processor for warnings and errors (key: level, event, exception type)."""
        if method not in _LIMITED_LEVELS:
            return event_dict
        exc = event_dict.get("exc_info")
        if exc is True:
            exc = sys.exc_info()[1]
        error = type(exc).__name__ if isinstance(exc, BaseException) else ""
        held = self.admit((method, str(event_dict.get("event")), error), time.monotonic())
        if held is None:
            raise structlog.DropEvent
        if held:
            event_dict["repeated"] = held
        return event_dict


class _StdlibRateLimit(logging.Filter):
    """The same for the standard library's loggers (asyncio's accept errors, aiohttp's)."""

    def __init__(self, limit: RateLimit) -> None:
        super().__init__()
        self._limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        held = self._limit.admit((record.name, str(record.msg), error), time.monotonic())
        if held is None:
            return False
        if held:
            record.msg = f"{record.msg} (and {held} more like it held back)"
        return True


class _FollowingHandler(logging.StreamHandler):  # type: ignore[type-arg]  # generic in typeshed
    """Writes to the given stream, or to whatever sys.stderr is at the time of each record
    (a test framework may swap it)."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream or sys.stderr)
        self._follow = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self._follow:
            self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str = "info", fmt: str = "auto", stream: TextIO | None = None) -> None:
    """Configure structlog once for the process (the composition root calls this)."""
    out = stream or sys.stderr
    # APScheduler logs skipped runs as warnings through stdlib logging; the scheduler counts
    # and logs them itself, as structured events.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    limit = RateLimit()
    handler = _FollowingHandler(None if stream is None else out)
    handler.addFilter(_StdlibRateLimit(limit))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    console = fmt == "console" or (fmt == "auto" and out.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if console
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            limit.processor,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=False),
            structlog.processors.format_exc_info,
            mask_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
