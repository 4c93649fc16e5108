"""What the alert store takes and gives back (re-exported by alerting.store)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from alerting.delivery import Delivery, DeliveryOutcome
from alerting.model import CheckAlertState, Incident

CheckKey = tuple[str, str]
"""(app_id, check_id)."""


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENT = "sent"  # a channel accepted it
    EXPIRED = "expired"  # still failing after RetryPolicy.max_age_s; kept with its attempts
    DROPPED = "dropped"  # pushed out of a full outbox, never sent


@dataclass(frozen=True)
class Changes:
    """One engine step's writes, applied by `AlertStore.apply` in a single transaction.

    Removals are applied before upserts, so a key in both ends up stored.
    """

    check_states: Mapping[CheckKey, CheckAlertState] = field(default_factory=dict)
    removed_checks: Collection[CheckKey] = ()
    incidents: Sequence[Incident] = ()
    deliveries: Sequence[Delivery] = ()  # a delivery id already in the outbox is ignored

    def __bool__(self) -> bool:
        return bool(self.check_states or self.removed_checks or self.incidents or self.deliveries)


@dataclass(frozen=True)
class ApplyResult:
    enqueued: int  # deliveries that were new (the rest were already in the outbox)
    dropped: int  # oldest pending deliveries dropped because the outbox was full


@dataclass(frozen=True)
class StoreSnapshot:
    """What the engine needs after a start: its memory as the last run left it."""

    check_states: dict[CheckKey, CheckAlertState]
    active_incidents: dict[str, Incident]  # open or acknowledged
    recently_resolved: dict[str, Incident]  # resolved within `recent_s` (flap reopen)


@dataclass(frozen=True)
class DeliveryAttempt:
    at: float
    ok: bool
    status: str
    error: str


@dataclass(frozen=True)
class DeliveryRecord:
    """A delivery as the outbox table holds it, with every attempt made (oldest first)."""

    delivery: Delivery  # `delivery.attempts` is the stored count
    state: DeliveryState
    next_attempt_at: float
    last_status: str | None
    last_error: str | None
    sent_at: float | None
    finished_at: float | None  # when it left `pending`
    history: tuple[DeliveryAttempt, ...]

    @property
    def attempts(self) -> int:
        return self.delivery.attempts


class OutcomeRow(NamedTuple):
    """One attempt's result as the outbox records it."""

    delivery: Delivery
    outcome: DeliveryOutcome
    at: float  # when the attempt ended
    next_attempt_at: float | None  # for a delivery that stays pending
    new_state: DeliveryState


@dataclass(frozen=True)
class MaintenanceRecord:
    window_id: str
    scope: str
    start: float
    end: float
