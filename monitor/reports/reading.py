"""Reading incidents by time from the alert store, which lists newest first without a time
filter (and is not the reports' to change)."""

from __future__ import annotations

from typing import Final

from alerting.model import Incident
from alerting.store import AlertStore

# First page; each further page is four times larger, so the reads stay few and the rows
# read stay within a small factor of the rows needed.
INCIDENT_PAGE: Final = 1000


async def incidents_since(store: AlertStore, since: float) -> list[Incident]:
    """Every incident opened at or after `since` (and any newer), newest first."""
    limit = INCIDENT_PAGE
    while True:
        batch = await store.list_incidents(limit=limit)
        if len(batch) < limit or batch[-1].opened_at < since:
            return [i for i in batch if i.opened_at >= since]
        limit *= 4
