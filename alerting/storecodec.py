"""How alerting values are written into the SQLite file and read back.

Incidents and check states are stored as JSON objects keyed by field name: a field added
later with a default reads old rows without a migration, and a decoded value equals the one
that was encoded (floats go through repr, which round-trips exactly). Anything unreadable is
a `StorageError`, never a half-built value.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from alerting.delivery import Delivery, Recipients
from alerting.model import (
    CheckAlertState,
    ChildRef,
    Incident,
    IncidentState,
    Severity,
    TimelineEntry,
)
from monitor.core.errors import StorageError


def dumps(value: Any) -> str:
    """Compact JSON that keeps Chinese text readable in the file (sqlite3 shell, backups)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StorageError(f"unreadable {what} in the alert store: {exc}") from exc


# --- incidents ------------------------------------------------------------------------------

_INCIDENT_FIELDS = tuple(f.name for f in dataclasses.fields(Incident))


def _timeline_json(entries: tuple[TimelineEntry, ...]) -> list[dict[str, Any]]:
    return [{"at": e.at, "type": str(e.type), "by": e.by, "note": e.note} for e in entries]


def _timeline_from(raw: list[dict[str, Any]]) -> tuple[TimelineEntry, ...]:
    return tuple(TimelineEntry(e["at"], e["type"], e.get("by"), e.get("note")) for e in raw)


def _children_json(children: tuple[ChildRef, ...]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(child) for child in children]


def _children_from(raw: list[dict[str, Any]]) -> tuple[ChildRef, ...]:
    return tuple(ChildRef(**child) for child in raw)


# Fields that are not plain JSON values, with their (encode, decode) pair.
_INCIDENT_CONVERTERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "severity": (str, Severity),
    "state": (str, IncidentState),
    "timeline": (_timeline_json, _timeline_from),
    "children": (_children_json, _children_from),
}


def incident_to_json(incident: Incident) -> str:
    body: dict[str, Any] = {}
    for name in _INCIDENT_FIELDS:
        value = getattr(incident, name)
        converter = _INCIDENT_CONVERTERS.get(name)
        body[name] = value if converter is None else converter[0](value)
    return dumps(body)


def incident_from_json(text: str) -> Incident:
    raw = _loads(text, "incident")
    try:
        values = {}
        for name in _INCIDENT_FIELDS:
            if name in raw:  # an absent field (added after the row was written) keeps its default
                converter = _INCIDENT_CONVERTERS.get(name)
                values[name] = raw[name] if converter is None else converter[1](raw[name])
        return Incident(**values)
    except (TypeError, KeyError, ValueError) as exc:
        raise StorageError(f"unreadable incident in the alert store: {exc!r}") from exc


def incident_row(incident: Incident) -> tuple[object, ...]:
    """The incidents table's columns, in order."""
    return (
        incident.id, incident.app_id, incident.check_id, incident.state.value,
        incident.severity.value, incident.opened_at, incident.resolved_at,
        incident_to_json(incident),
    )  # fmt: skip


# --- check alert state ----------------------------------------------------------------------

_STATE_FIELDS = frozenset(f.name for f in dataclasses.fields(CheckAlertState))


def check_state_to_json(state: CheckAlertState) -> str:
    return dumps(dataclasses.asdict(state))


def check_state_from_json(text: str) -> CheckAlertState:
    raw = _loads(text, "check alert state")
    try:
        values = {k: v for k, v in raw.items() if k in _STATE_FIELDS}
        if "transitions" in values:  # a JSON list; the state holds a tuple
            values["transitions"] = tuple(values["transitions"])
        return CheckAlertState(**values)
    except (TypeError, AttributeError) as exc:
        raise StorageError(f"unreadable check alert state in the alert store: {exc!r}") from exc


# --- deliveries -----------------------------------------------------------------------------


def delivery_row(delivery: Delivery) -> tuple[object, ...]:
    """A new outbox row: (id, incident_id, event, step, notifier_id, target, payload,
    recipients, created_at, attempts, next_attempt_at); it is due at once."""
    recipients = {
        "at_mobiles": list(delivery.recipients.at_mobiles),
        "emails": list(delivery.recipients.emails),
    }
    try:
        payload = dumps(dict(delivery.payload))
    except (TypeError, ValueError) as exc:
        raise StorageError(f"delivery {delivery.id} has a payload that is not JSON: {exc}") from exc
    return (
        delivery.id, delivery.incident_id, delivery.event, delivery.step, delivery.notifier_id,
        delivery.target, payload, dumps(recipients), delivery.created_at, delivery.attempts,
        delivery.created_at,
    )  # fmt: skip


def delivery_from_row(row: tuple[Any, ...]) -> Delivery:
    """An outbox row's first ten columns, in delivery_row's order."""
    ident, incident_id, event, step, notifier_id, target, payload, recipients, created, tries = row
    who: Mapping[str, Any] = _loads(recipients, "delivery recipients")
    return Delivery(
        id=ident,
        incident_id=incident_id,
        event=event,
        step=step,
        notifier_id=notifier_id,
        target=target,
        payload=_loads(payload, "delivery payload"),
        created_at=created,
        recipients=Recipients(
            at_mobiles=tuple(who.get("at_mobiles", ())), emails=tuple(who.get("emails", ()))
        ),
        attempts=tries,
    )
