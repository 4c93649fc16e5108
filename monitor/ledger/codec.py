"""How values are quantised for storage, identically in every ledger.

Timestamps are kept in integer milliseconds and phase timings in integer microseconds: SQLite
stores small integers in 1-6 bytes against 8 for a REAL, and both implementations answer the
same values because the memory ledger quantises the same way.
"""

from __future__ import annotations

from monitor.core.constants import LEDGER_MESSAGE_MAX_CHARS
from monitor.ledger.types import StoredResult
from probes.base import ProbeResult


def cap_message(message: str) -> str:
    if len(message) <= LEDGER_MESSAGE_MAX_CHARS:
        return message
    return message[: LEDGER_MESSAGE_MAX_CHARS - 1] + "…"


def to_ms(ts: float) -> int:
    return round(ts * 1000)


def from_ms(ts_ms: int) -> float:
    return ts_ms / 1000


def to_us(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1_000_000)


def from_us(micros: int | None) -> float | None:
    return None if micros is None else micros / 1_000_000


def error_kind_text(result: ProbeResult) -> str | None:
    return None if result.error_kind is None else str(result.error_kind)


def stored_from_result(app_id: str, check_id: str, kind: str, result: ProbeResult) -> StoredResult:
    """The result as every ledger stores and returns it (quantised, message capped)."""
    timings = result.timings
    return StoredResult(
        ts=from_ms(to_ms(result.started_at)),
        app_id=app_id,
        check_id=check_id,
        kind=kind,
        ok=result.ok,
        error_kind=error_kind_text(result),
        message=cap_message(result.message),
        latency_s=round(timings.total_s * 1_000_000) / 1_000_000,
        dns_s=from_us(to_us(timings.dns_s)),
        connect_s=from_us(to_us(timings.connect_s)),
        tls_s=from_us(to_us(timings.tls_s)),
        first_byte_s=from_us(to_us(timings.first_byte_s)),
        status_code=result.status_code,
        cert_days_left=result.cert_days_left,
        step=result.step,
        unknown=result.unknown,
    )
