"""One write request through influxdb-client's async API, and what its failure means.

The async write API sends what it is given, once: no batching, no retry (the sink does both).
Failures are sorted here into what the sink does next:

    RETRY   connection refused/reset, timeouts, 5xx, 429    back off, spool, try again
    HOLD    401/403 (token), 404 (org/bucket), other 4xx     the same, but logged as an error:
                                                             an operator has to fix the config
    DROP    400 (bad line protocol), 413, 422 (points        resending cannot help: drop the
            outside the bucket's retention)                  batch and count it

The token is handed to the client and nowhere else: every error text is masked (URLs, bearer
tokens, and the token's literal value, which some servers echo back).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import aiohttp
from influxdb_client.client.exceptions import InfluxDBError
from influxdb_client.client.influxdb_client_async import InfluxDBClientAsync
from influxdb_client.domain.write_precision import WritePrecision
from influxdb_client.rest import ApiException

from monitor.core.config.model import InfluxConfig
from monitor.core.logs import mask_text

# Longest error text kept from a response (InfluxDB echoes the offending line on a 400).
MESSAGE_MAX_CHARS = 300


class Action(enum.Enum):
    RETRY = "retry"
    HOLD = "hold"
    DROP = "drop"


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str  # low-cardinality label: connection, timeout, server, throttled, auth, ...
    action: Action
    status: int | None
    message: str  # masked: safe to log
    retry_after_s: float | None = None


class InfluxWriter:
    """The client, opened inside the event loop (the async client insists on it)."""

    def __init__(self, config: InfluxConfig) -> None:
        self._config = config
        self._client: InfluxDBClientAsync | None = None
        self._api: Any = None

    def __repr__(self) -> str:
        return f"InfluxWriter(url={self._config.url!r}, bucket={self._config.bucket!r})"

    async def open(self) -> None:
        cfg = self._config
        # Precision ms: points carry their run's start in ms, the coarsest unit that keeps two
        # runs of a check apart when it runs more than once a second (a point with the same
        # series and timestamp replaces the earlier one); finer units only cost bytes.
        self._client = InfluxDBClientAsync(
            url=cfg.url, token=cfg.token.reveal(), org=cfg.org,
            timeout=round(cfg.timeout_s * 1000), enable_gzip=True,
        )
        self._api = self._client.write_api()

    async def write(self, payload: bytes) -> Failure | None:
        """Send one batch (line protocol, newline-terminated lines); None when accepted."""
        assert self._api is not None, "writer not opened"
        try:
            await self._api.write(bucket=self._config.bucket, org=self._config.org,
                                  record=payload, write_precision=WritePrecision.MS)
        except ApiException as exc:
            return self._http_failure(exc)
        except TimeoutError as exc:
            return Failure("timeout", Action.RETRY, None, self.mask(str(exc) or "timed out"))
        except (aiohttp.ClientError, OSError) as exc:
            return Failure("connection", Action.RETRY, None, self.mask(f"{type(exc).__name__}: "
                                                                       f"{exc}"))
        except InfluxDBError as exc:
            return Failure("internal", Action.HOLD, None, self.mask(str(exc.message)))
        return None

    def _http_failure(self, exc: ApiException) -> Failure:
        status = int(exc.status or 0)
        message = self.mask(_text(exc.message) or _text(exc.reason) or f"HTTP {status}")
        if status in (400, 413, 422):
            return Failure("rejected", Action.DROP, status, message)
        if status == 429 or status >= 500:
            kind = "throttled" if status == 429 else "server"
            return Failure(kind, Action.RETRY, status, message, _retry_after(exc.retry_after))
        if status in (401, 403):
            return Failure("auth", Action.HOLD, status, message)
        if status == 404:
            return Failure("not_found", Action.HOLD, status, message)
        return Failure("http", Action.HOLD, status, message)

    def mask(self, text: str) -> str:
        token = self._config.token.reveal()
        if token:
            text = text.replace(token, "***")
        return mask_text(text)[:MESSAGE_MAX_CHARS]

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()  # type: ignore[no-untyped-call]  # untyped upstream
            self._client, self._api = None, None


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _retry_after(value: object) -> float | None:
    """Retry-After in seconds (InfluxDB Cloud sends it with 429/503); dates are ignored."""
    try:
        return max(0.0, float(str(value))) if value is not None else None
    except ValueError:
        return None
