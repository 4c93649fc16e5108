"""structlog set-up: JSON lines (or a readable console on a TTY), contextvars, secrets masked.

Per-task context (app, check, incident) is bound with `structlog.contextvars.bound_contextvars`
by whoever starts the task, so every event a probe run logs carries it.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Final, TextIO

import structlog

from monitor.config.fields import Secret, mask_url

# Keys whose values are secrets whatever their type.
_SECRET_KEYS: Final = frozenset(
    {"token", "secret", "password", "authorization", "hmac_secret", "api_token", "access_token"}
)
# Tokens embedded in URLs or header-like text inside otherwise harmless strings.
_URL_RE: Final = re.compile(r"https?://[^\s'\"<>]+")
_BEARER_RE: Final = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def mask_text(text: str) -> str:
    """Mask URL credentials and bearer tokens inside free text (messages, exceptions)."""
    text = _URL_RE.sub(lambda m: mask_url(m.group(0)), text)
    return _BEARER_RE.sub(r"\1***", text)


def _mask_value(key: str, value: Any) -> Any:
    if isinstance(value, Secret):
        return str(value)
    if key.lower() in _SECRET_KEYS and value is not None:
        return "***"
    if isinstance(value, str) and ("://" in value or "earer" in value):
        return mask_text(value)
    return value


def mask_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: no secret leaves through a log line."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _mask_value(key, value)
    return event_dict


def configure_logging(level: str = "info", fmt: str = "auto", stream: TextIO | None = None) -> None:
    """Configure structlog once for the process (the composition root calls this)."""
    out = stream or sys.stderr
    # APScheduler logs skipped runs as warnings through stdlib logging; the scheduler counts
    # and logs them itself, as structured events.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    console = fmt == "console" or (fmt == "auto" and out.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if console
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
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
