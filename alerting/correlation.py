"""Correlated outages (大面积故障): many apps failing together are one event for people.

When at least `min_apps` apps' outages open within `window`, or every check that shares one
host fails within it (two apps or more behind one gateway), one parent incident of kind
`correlated` opens and lists them as its children. Later outages within the window join it.
Pure functions: the runner (alerting.runner) persists what they return and routes the
notifications: children are told to people through their parent, webhooks still get each
child's own events.

Each child keeps its own record and SLA clocks (every app's outage is still that app's
outage); the parent carries none. Acknowledging the parent acknowledges its children; the
parent resolves with its last child.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from alerting.engineio import CheckRef, incident_id
from alerting.model import (
    ChildRef,
    Entry,
    Incident,
    IncidentKind,
    IncidentState,
    Severity,
    TimelineEntry,
)
from monitor.core.catalog.service import WORDS
from monitor.core.config.model import CheckConfig, Config, CorrelateConfig
from monitor.core.i18n import pick

# The key a parent is kept under: not an app id (app ids cannot start with "_").
PARENT_APP_ID: Final = "_correlated"
PARENT_CHECK_ID: Final = "correlated"
_SEVERITY_ORDER: Final = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)

CheckKey = tuple[str, str]


def is_parent(incident: Incident) -> bool:
    return incident.kind == IncidentKind.CORRELATED


def can_join(incident: Incident) -> bool:
    """An app's outage that may belong to a family (not a warning, request or the monitor)."""
    return incident.kind == IncidentKind.OUTAGE and incident.is_active


def child_ref(incident: Incident) -> ChildRef:
    return ChildRef(
        id=incident.id, app_id=incident.app_id, app_name=incident.app_name,
        check_id=incident.check_id, summary=incident.summary, started_at=incident.started_at,
        check_name=incident.check_name, check_kind=incident.check_kind, address=incident.address,
    )


def hosts_of(config: Config) -> dict[CheckKey, str]:
    """(app, check) -> the host its probe talks to, for checks that name one."""
    found: dict[CheckKey, str] = {}
    for app in config.apps:
        for check in app.checks:
            host = check_host(check)
            if host:
                found[(app.id, check.id)] = host
    return found


def check_host(check: CheckConfig) -> str | None:
    """The host a check reaches: its URL's host, or its `host` setting (tcp, tls...)."""
    spec = check.spec
    url = getattr(spec, "url", None)
    if url is None and (steps := getattr(spec, "steps", None)):
        url = getattr(steps[0], "url", None)
    if url is not None:
        try:
            return (urlsplit(str(url)).hostname or "").lower() or None
        except ValueError:
            return None
    host = getattr(spec, "host", None)
    return str(host).lower() if host else None


@dataclass(frozen=True, slots=True)
class Family:
    """What a newly opened outage leads to: a new parent, or a join to an open one."""

    parent: Incident  # the parent as it is to be saved
    children: tuple[Incident, ...]  # the children changed by this step (parent_id set)
    joined: tuple[str, ...]  # ids that joined an existing parent (empty: a new parent)


class Correlator:
    """Decides families from the active incidents; holds nothing between calls but settings."""

    def __init__(self, settings: CorrelateConfig, hosts: Mapping[CheckKey, str],
                 language: str) -> None:
        self.settings = settings
        self.hosts = dict(hosts)
        self.language = language
        by_host: dict[str, set[CheckKey]] = {}
        for key, host in self.hosts.items():
            by_host.setdefault(host, set()).add(key)
        # Hosts that more than one app uses: a shared gateway or server.
        self._shared = {host: keys for host, keys in by_host.items()
                        if len({app_id for app_id, _ in keys}) >= 2}

    def on_open(self, opened: Incident, active: Mapping[str, Incident], now: float
                ) -> Family | None:
        """`opened` (an outage that just opened or reopened) among the `active` incidents."""
        if not self.settings.enabled or not can_join(opened) or (opened.parent_id and (
                (parent := active.get(opened.parent_id)) is not None and parent.is_active)):
            return None
        window = self.settings.window_s
        parent = self._open_parent(active, now)
        if parent is not None:
            return self._join(parent, opened, now)
        recent = [i for i in active.values() if i.id != opened.id and can_join(i)
                  and not self._in_active_family(i, active) and i.opened_at >= now - window]
        members = [*sorted(recent, key=lambda i: (i.opened_at, i.id)), opened]
        if len({i.app_id for i in members}) >= self.settings.min_apps:
            return self._new_parent(members, now)
        shared = self._same_host(opened, members)
        if shared:
            return self._new_parent(shared, now)
        return None

    def _in_active_family(self, incident: Incident, active: Mapping[str, Incident]) -> bool:
        parent = active.get(incident.parent_id) if incident.parent_id else None
        return parent is not None and parent.is_active

    def _open_parent(self, active: Mapping[str, Incident], now: float) -> Incident | None:
        """The newest open parent still taking children (its last child opened in the window).
        """
        parents = [i for i in active.values() if is_parent(i) and i.is_active
                   and _last_join(i) >= now - self.settings.window_s]
        return max(parents, key=lambda i: (i.opened_at, i.id)) if parents else None

    def _same_host(self, opened: Incident, members: list[Incident]) -> list[Incident]:
        """Every check on the opened check's shared host, when all of them are among
        `members`; else nothing."""
        host = self.hosts.get((opened.app_id, opened.check_id))
        keys = self._shared.get(host or "")
        if not keys:
            return []
        by_key = {(i.app_id, i.check_id): i for i in members}
        if not keys <= by_key.keys():
            return []
        return [i for i in members if (i.app_id, i.check_id) in keys]

    def _new_parent(self, members: list[Incident], now: float) -> Family:
        ref = CheckRef(PARENT_APP_ID, self.name(), PARENT_CHECK_ID)
        # "20261208003945-correlated": an app's incident id has its app and check instead,
        # and no app id starts with "_", so the two never meet.
        parent_id = incident_id(ref, now).replace(f"-{PARENT_APP_ID}-", "-")
        refs = tuple(child_ref(i) for i in members)
        summary = self.summary(len(refs))
        parent = Incident(
            id=parent_id, app_id=PARENT_APP_ID, app_name=self.name(),
            check_id=PARENT_CHECK_ID, severity=worst(i.severity for i in members),
            state=IncidentState.OPEN, summary=summary,
            started_at=min(i.started_at for i in members), opened_at=now,
            kind=IncidentKind.CORRELATED, children=refs, last_notified_at=now,
            escalation_step=1,  # the opening message is the first step
            timeline=(TimelineEntry(now, Entry.OPENED, note=summary),),
        )
        children = tuple(_adopt(i, parent_id, now) for i in members)
        return Family(parent, children, ())

    def _join(self, parent: Incident, opened: Incident, now: float) -> Family:
        refs = (*parent.children, child_ref(opened))
        summary = self.summary(len(refs))
        grown = parent.with_entry(
            TimelineEntry(now, Entry.JOINED, note=opened.id), children=refs, summary=summary,
            severity=worst((parent.severity, opened.severity)),
            state=IncidentState.OPEN if parent.state is IncidentState.OPEN else parent.state,
        )
        return Family(grown, (_adopt(opened, parent.id, now),), (opened.id,))

    def name(self) -> str:
        return pick(WORDS, self.language, "correlated.name")

    def summary(self, apps: int) -> str:
        return pick(WORDS, self.language, "correlated.summary", n=apps)


def _adopt(child: Incident, parent_id: str, now: float) -> Incident:
    return child.with_entry(TimelineEntry(now, Entry.CORRELATED, note=parent_id),
                            parent_id=parent_id)


def _last_join(parent: Incident) -> float:
    joins = [e.at for e in parent.timeline if e.type == Entry.JOINED]
    return max([parent.opened_at, *joins])


def worst(severities: Iterable[Severity]) -> Severity:
    found = set(severities)
    return next((s for s in _SEVERITY_ORDER if s in found), Severity.MINOR)


def active_children(parent: Incident, active: Mapping[str, Incident]) -> list[Incident]:
    return [active[c.id] for c in parent.children if c.id in active and active[c.id].is_active]
