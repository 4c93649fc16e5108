"""Drives the pure engine: results and time in, incidents persisted and notifications queued.

Everything that changes alerting state goes through one lock, in order: probe results (via a
queue fed by the scheduler hook), the SLA timer, and people's actions from the API. Each step's
writes (check state, incidents, deliveries) are one store transaction, so a crash never leaves
an incident announced but unrecorded, or recorded but unannounced.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Sequence
from typing import Final, Protocol
from zoneinfo import ZoneInfo

import structlog

from alerting import engine
from alerting.correlation import Correlator, active_children, can_join, hosts_of, is_parent
from alerting.delivery import Delivery
from alerting.engine import (
    Action,
    CheckRef,
    CheckSituation,
    Notify,
    Observation,
    Policy,
    SaveIncident,
)
from alerting.grouping import GROUPED_KINDS
from alerting.handover import handover_deliveries
from alerting.links import LinkSigner
from alerting.maintenance import MaintenanceCalendar
from alerting.model import (
    CheckAlertState,
    Entry,
    Event,
    Incident,
    IncidentKind,
    IncidentState,
    Severity,
    TimelineEntry,
)
from alerting.oncall import OncallBoard, OverrideStore
from alerting.payload import iso
from alerting.policies import CheckKey, Policies
from alerting.routing import deliveries_for, family_deliveries
from alerting.store import AlertStore, Changes
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.core.constants import OUTBOX_KEEP_S

log = structlog.get_logger("alerting")

# How often SLA clocks, escalation and reminders are evaluated.
TICK_INTERVAL_S: Final = 1.0
# Finished deliveries older than OUTBOX_KEEP_S are pruned this often.
OUTBOX_PRUNE_INTERVAL_S: Final = 3600.0
# A window occurrence that starts within this of `now` counts as under way.
MOMENT_S: Final = 1e-3


class UnknownIncidentError(KeyError):
    """No incident has this id (HTTP 404)."""


# The key under which the monitor's own outages (connectivity guard) are kept: not an app id
# (app ids cannot start with "_"), so no app's incidents mix with them.
MONITOR_KEY: Final = ("_service", "connectivity")


class UnknownAppError(KeyError):
    """No configured app has this id (HTTP 404)."""


class CheckStillFailingError(Exception):
    """A manual resolve while the incident's check still fails (HTTP 409 unless forced)."""

    def __init__(self, failure: str) -> None:
        super().__init__(failure)
        self.failure = failure


class AlertObserver(Protocol):
    """A subscriber to incident changes (metrics, the InfluxDB series, draft reports)."""

    def incident_changed(self, before: Incident | None, after: Incident) -> None: ...
    def active_changed(self, active: dict[str, Incident]) -> None: ...


class AlertRunner:
    def __init__(
        self,
        *,
        store: AlertStore,
        config: Config,
        clock: Clock,
        links: LinkSigner,
        observers: Sequence[AlertObserver] = (),
        oncall: OncallBoard | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._links = links
        self._observers = tuple(observers)  # metrics, series, drafts: subscribers, in order
        self._last_tick = clock.now()
        self._handovers_checked_at = clock.now()  # handovers after this are announced
        self._recorded: set[tuple[str, float]] = set()  # maintenance occurrences recorded
        self._situations: dict[CheckKey, CheckSituation] = {}
        self._active: dict[str, Incident] = {}
        self._queue: asyncio.Queue[tuple[CheckKey, Observation]] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self.oncall = oncall or OncallBoard(config, OverrideStore(None))
        self.apply_config(config)

    # ---- life cycle ------------------------------------------------------------------------
    def apply_config(self, config: Config) -> None:
        self.config = config
        self._policies = Policies(config)
        self._tz = ZoneInfo(config.service.timezone)
        self.calendar = MaintenanceCalendar(config.maintenance, self._tz)
        self._correlator = Correlator(config.alerting.correlate, hosts_of(config),
                                      config.service.language)
        self.oncall.apply_config(config)

    def _in_maintenance(self, app_id: str, now: float) -> bool:
        return self.calendar.active(app_id, now) is not None

    async def start(self, *, background: bool = True) -> None:
        """Load what the last run left; then consume results and tick (unless in tests)."""
        snapshot = await self._store.load(recent_s=self.config.alerting.flap_window_s)
        self._active = dict(snapshot.active_incidents)
        for key, check in snapshot.check_states.items():
            active = self._active.get(check.incident_id) if check.incident_id else None
            last = snapshot.recently_resolved.get(check.last_resolved_id or "")
            self._situations[key] = CheckSituation(check, active, last)
        self._publish_active()
        log.info("alerting_started", active_incidents=len(self._active))
        if background:
            self._tasks = [asyncio.create_task(self._consume(), name="alerting-results"),
                           asyncio.create_task(self._tick_loop(), name="alerting-clock")]

    async def stop(self) -> None:
        """Handle every result already queued, then stop."""
        if self._tasks:
            await self._queue.join()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    # ---- inputs ----------------------------------------------------------------------------
    def on_result(self, app_id: str, check_id: str, result: Observation) -> None:
        """Scheduler hook: O(1), never blocks; the consumer task does the work in order."""
        self._queue.put_nowait(((app_id, check_id), result))

    async def handle_result(self, key: CheckKey, result: Observation) -> None:
        async with self._lock:
            await self._handle(key, result)

    async def drain(self) -> int:
        """Handle every queued result now (run-once mode, when no consumer task runs)."""
        handled = 0
        while not self._queue.empty():
            key, result = self._queue.get_nowait()
            try:
                await self.handle_result(key, result)
            finally:
                self._queue.task_done()
            handled += 1
        return handled

    async def tick_all(self) -> None:
        """SLA clocks, escalation and reminders of every active incident, at clock.now()."""
        async with self._lock:
            now = self._clock.now()
            await self._record_maintenance(now)
            await self._announce_handovers(now)
            for incident in list(self._active.values()):
                key = (incident.app_id, incident.check_id)
                policy = self._policy_of(incident, now)
                _, actions = engine.tick(incident, policy, now)
                if actions:
                    await self._commit(key, None, actions)

    async def _announce_handovers(self, now: float) -> None:
        """Tell each rotation's channels of every change of person since the last look."""
        since, self._handovers_checked_at = self._handovers_checked_at, now
        deliveries = []
        for rotation in self.config.oncall:
            rota = self.oncall.rota(rotation.id)
            if rota is None or not rotation.notify:
                continue
            for change in rota.handovers(since, now):
                deliveries += handover_deliveries(
                    rotation, change, self._active.values(),
                    self.config.notifiers, tz=self._tz, lang=self.config.service.language,
                    now=now, console_url=self._links.console_url("/oncall"))
                log.info("oncall_handover", rotation=rotation.id, to=change[2].member.name)
        if deliveries:
            await self._store.apply(Changes(deliveries=deliveries))

    async def _record_maintenance(self, now: float) -> None:
        """Record every window occurrence under way (once), so reports can leave it out. The
        first tick after a start also catches a window that began while we were down."""
        for occurrence in self.calendar.occurrences(self._last_tick, now + MOMENT_S):
            key = (occurrence.window_id, occurrence.start)
            if key in self._recorded or occurrence.start > now:
                continue
            await self._store.record_maintenance(*occurrence)
            self._recorded.add(key)
            log.info("maintenance_began", window=occurrence.window_id, scope=occurrence.scope)
        self._last_tick = now

    # ---- people ----------------------------------------------------------------------------
    async def get(self, incident_id: str) -> Incident:
        incident = self._active.get(incident_id) or await self._store.get_incident(incident_id)
        if incident is None:
            raise UnknownIncidentError(incident_id)
        return incident

    async def list_incidents(self, state: IncidentState | None = None) -> list[Incident]:
        return await self._store.list_incidents(state)

    async def acknowledge(self, incident_id: str, by: str, note: str | None) -> Incident:
        async with self._lock:
            incident = await self.get(incident_id)
            now = self._clock.now()
            acked, actions = engine.acknowledge(
                incident, by, note, now, self._policy_of(incident, now))
            if is_parent(incident):  # the family at once: same time, same person
                for child in active_children(incident, self._active):
                    _, more = engine.acknowledge(child, by, note, now,
                                                 self._policy_of(child, now))
                    actions += more
            await self._commit((incident.app_id, incident.check_id), None, actions)
            return acked

    async def resolve(self, incident_id: str, by: str, cause: str | None,
                      note: str | None, *, force: bool = False) -> Incident:
        """Resolve by hand. While the check still fails it would reopen at its next run:
        refused (CheckStillFailingError) unless `force`."""
        async with self._lock:
            incident = await self.get(incident_id)
            children = active_children(incident, self._active) if is_parent(incident) else []
            for one in (incident, *children):
                failure = self.still_failing(one)
                if failure is not None and not force:
                    raise CheckStillFailingError(failure)
            for child in children:  # the last child's resolution resolves the parent too
                await self._resolve(child, by=by, cause=cause, note=note, auto=False)
            current = self._active.get(incident.id) or await self.get(incident.id)
            return await self._resolve(current, by=by, cause=cause, note=note, auto=False)

    def still_failing(self, incident: Incident) -> str | None:
        """What the incident's check last failed with, if its last known run failed."""
        if not incident.is_active or incident.source != "probe":
            return None
        situation = self._situations.get((incident.app_id, incident.check_id))
        if situation is None or situation.check.consecutive_failures == 0:
            return None
        return situation.check.last_failure or "failed"

    async def add_note(self, incident_id: str, by: str, note: str) -> Incident:
        async with self._lock:
            incident = await self.get(incident_id)
            noted, actions = engine.add_note(incident, by, note, self._clock.now())
            await self._commit((incident.app_id, incident.check_id), None, actions)
            return noted

    async def external_alert(self, app_id: str, check_id: str, *, firing: bool, summary: str,
                             started_at: float | None = None) -> Incident | None:
        """An alert from Alertmanager: firing opens (or keeps) an incident at once; resolved
        resolves it. Returns the incident concerned, if any."""
        key = (app_id, check_id)
        async with self._lock:
            situation = self._situations.get(key, CheckSituation(CheckAlertState()))
            if not firing:
                if situation.active is None:
                    return None
                return await self._resolve(situation.active, by="alertmanager", cause=None,
                                           note=summary, auto=True)
            now = self._clock.now()
            ref, policy = self._policies.for_key(
                key, in_maintenance=self._in_maintenance(app_id, now))
            ref = dataclasses.replace(ref, source="alertmanager")
            policy = dataclasses.replace(policy, confirm=1)  # Alertmanager already confirmed it
            # Alertmanager's clock may run ahead of ours: never start after we opened.
            began = min(started_at, now) if started_at is not None else now
            obs = Observation(ok=False, at=began, summary=summary)
            after, actions = engine.evaluate(situation, obs, ref, policy, now)
            await self._commit(key, (situation, after), actions)
            return after.active

    async def report_incident(self, app_id: str, *, summary: str, reported_by: str,
                              channel: str, kind: IncidentKind = IncidentKind.OUTAGE
                              ) -> Incident:
        """A fault (kind outage) or a service request (kind request) reported by a person:
        a new incident each time, its clocks running from now, notified like any other.
        UnknownAppError when no app has this id."""
        async with self._lock:
            found = self._policies.reported(app_id)
            if found is None:
                raise UnknownAppError(app_id)
            ref, policy = found
            now = self._clock.now()
            base = engine.incident_id(ref, now)
            ident, number = base, 1
            while ident in self._active or await self._store.get_incident(ident) is not None:
                number += 1
                ident = f"{base}-{number}"
            incident, actions = engine.report(
                ref, policy, ident=ident, kind=kind, summary=summary, reported_by=reported_by,
                channel=channel, now=now)
            await self._commit((ref.app_id, ref.check_id), None, actions)
            return self._active.get(incident.id, incident)

    # ---- the monitor itself --------------------------------------------------------------
    async def monitor_cut_off(self, since: float, summary: str, name: str) -> Incident:
        """The connectivity guard found the monitor cut off: one incident of kind `monitor`,
        sent through every channel at once (the outbox keeps what cannot go yet)."""
        async with self._lock:
            situation = self._situations.get(MONITOR_KEY, CheckSituation(CheckAlertState()))
            if situation.active is not None:
                return situation.active
            now = self._clock.now()
            ref = CheckRef(MONITOR_KEY[0], name, MONITOR_KEY[1], source="monitor")
            _, policy = self._policies.for_key(MONITOR_KEY)
            incident = Incident(
                id=engine.incident_id(ref, now), app_id=ref.app_id, app_name=name,
                check_id=ref.check_id, severity=Severity.CRITICAL, state=IncidentState.OPEN,
                summary=summary, started_at=since, opened_at=now, source="monitor",
                kind=IncidentKind.MONITOR, last_notified_at=now,
                timeline=(TimelineEntry(since, Entry.FIRST_FAILURE, note=summary),
                          TimelineEntry(now, Entry.OPENED, note=summary)),
            )
            after = CheckSituation(
                dataclasses.replace(situation.check, incident_id=incident.id), incident, None)
            await self._commit(MONITOR_KEY, (situation, after), [
                SaveIncident(incident),
                Notify(incident, Event.OPENED, "0", policy.monitor_targets),
            ])
            return incident

    async def monitor_restored(self) -> Incident | None:
        """The guard reaches its targets again: the monitor incident resolves."""
        async with self._lock:
            situation = self._situations.get(MONITOR_KEY)
            if situation is None or situation.active is None:
                return None
            return await self._resolve(situation.active, by=None, cause=None, note=None,
                                       auto=True)

    # ---- internals -------------------------------------------------------------------------
    async def _consume(self) -> None:
        while True:
            key, result = await self._queue.get()
            try:
                await self.handle_result(key, result)
            except Exception:  # one bad step must not stop alerting for every other check
                log.exception("alerting_step_failed", app=key[0], check=key[1])
            finally:
                self._queue.task_done()

    async def _tick_loop(self) -> None:
        next_prune = self._clock.now()
        while True:
            await asyncio.sleep(TICK_INTERVAL_S)
            try:
                await self.tick_all()
                if self._clock.now() >= next_prune:
                    next_prune = self._clock.now() + OUTBOX_PRUNE_INTERVAL_S
                    pruned = await self._store.prune(self._clock.now(), OUTBOX_KEEP_S)
                    log.info("outbox_pruned", deliveries=pruned)
            except Exception:
                log.exception("alerting_tick_failed")

    async def _handle(self, key: CheckKey, obs: Observation) -> None:
        situation = self._situations.get(key)
        if obs.ok and not obs.warning and (
                situation is None or (situation.active is None
                                      and situation.check.consecutive_failures == 0)):
            return  # the common case: healthy and nothing to remember
        situation = situation or CheckSituation(CheckAlertState())
        now = self._clock.now()
        ref, policy = self._policies.for_key(
            key, in_maintenance=self._in_maintenance(key[0], now))
        after, actions = engine.evaluate(situation, obs, ref, policy, now)
        await self._commit(key, (situation, after), actions)

    async def _resolve(self, incident: Incident, *, by: str | None, cause: str | None,
                       note: str | None, auto: bool) -> Incident:
        key = (incident.app_id, incident.check_id)
        now = self._clock.now()
        done, actions = engine.resolve(incident, by=by, cause=cause, note=note, now=now,
                                       auto=auto, policy=self._policy_of(incident, now))
        situation = self._situations.get(key)
        transition = None
        if situation is not None and situation.active is not None and actions:
            check = dataclasses.replace(situation.check, incident_id=None,
                                        last_resolved_id=done.id, last_resolved_at=now)
            after = CheckSituation(check, None, done)
            transition = (situation, after)
        await self._commit(key, transition, actions)
        return done

    async def _commit(self, key: CheckKey,
                      transition: tuple[CheckSituation, CheckSituation] | None,
                      actions: list[Action]) -> None:
        """Persist one step atomically, then update memory, metrics and wake the outbox."""
        now = self._clock.now()
        actions, families = self._with_families(actions, now)
        incidents = [a.incident for a in actions if isinstance(a, SaveIncident)]
        notifies = [a for a in actions if isinstance(a, Notify)]
        deliveries = [d for n in notifies for d in self._deliveries(n, families, now)]
        states = {}
        if transition is not None and transition[0].check != transition[1].check:
            states[key] = transition[1].check
        changes = Changes(check_states=states, incidents=incidents, deliveries=deliveries)
        if changes:
            result = await self._store.apply(changes)
            if result.dropped:
                log.error("outbox_full", dropped=result.dropped)
        if transition is not None:
            self._situations[key] = transition[1]
        for incident in incidents:
            self._remember(incident)
        for notify in notifies:
            # Not `event=`: structlog takes the event name as its first argument, `event`.
            log.info("incident_notify", incident=notify.incident.id,
                     notify_event=notify.event.value, step=notify.step,
                     deliveries=len(deliveries))

    # ---- correlated outages ----------------------------------------------------------------
    def _with_families(self, actions: list[Action], now: float
                       ) -> tuple[list[Action], set[str]]:
        """The step's actions with its families' changes: an outage that opens may open a
        correlated parent or join one; a child's resolution may resolve its parent. Also the
        parents active before or after the step, whose children people hear of through them.
        """
        saved = {a.incident.id: a.incident for a in actions if isinstance(a, SaveIncident)}
        view = {**self._active, **saved}
        updates: dict[str, Incident] = {}
        extra: list[Action] = []
        for original in saved.values():
            incident = updates.get(original.id, original)
            before = self._active.get(incident.id)
            if can_join(incident) and (before is None or not before.is_active):
                family = self._correlator.on_open(incident, view, now)
                if family is None:
                    continue
                for changed in (family.parent, *family.children):
                    updates[changed.id] = view[changed.id] = changed
                policy = self._policy_of(family.parent, now)
                if family.joined:
                    extra.append(Notify(family.parent, Event.JOINED,
                                        f"join-{len(family.parent.children)}",
                                        engine.notified_targets(family.parent, policy)))
                else:
                    extra.append(Notify(family.parent, Event.OPENED, "0",
                                        policy.escalation[0].notify if policy.escalation
                                        else ("app",)))
                log.info("incident_correlated", parent=family.parent.id,
                         children=len(family.parent.children), joined=len(family.joined))
            elif not incident.is_active and incident.parent_id:
                parent = view.get(incident.parent_id)
                if parent is None or not parent.is_active or active_children(parent, view):
                    continue
                done, acts = engine.resolve(
                    parent, by=incident.resolved_by, cause=incident.cause, note=None, now=now,
                    auto=incident.auto_resolved, policy=self._policy_of(parent, now))
                updates[done.id] = view[done.id] = done
                extra += [a for a in acts if isinstance(a, Notify)]
        families = {i.id for i in (*self._active.values(), *view.values())
                    if is_parent(i) and i.is_active}
        if not updates:
            return actions, families
        fixed = [_updated(action, updates) for action in actions]
        fixed += [SaveIncident(i) for i in updates.values() if i.id not in saved]
        return fixed + extra, families

    def _policy_of(self, incident: Incident, now: float) -> Policy:
        """An incident's policy; a parent's is its first child's (escalation, reminders)."""
        if is_parent(incident) and incident.children:
            first = incident.children[0]
            key = (first.app_id, first.check_id)
        else:
            key = (incident.app_id, incident.check_id)
        _, policy = self._policies.for_key(
            key, in_maintenance=self._in_maintenance(key[0], now))
        return policy

    def _deliveries(self, notify: Notify, families: set[str], now: float) -> list[Delivery]:
        incident = notify.incident
        notifiers = self.config.notifiers
        language = self.config.service.language
        if is_parent(incident):
            policy = self._policy_of(incident, now)
            response = incident.opened_at + policy.response_s
            resolution = incident.opened_at + policy.resolution_s
            for child in incident.children:  # the family's deadlines are its earliest
                known = self._active.get(child.id)
                if known is not None:
                    response = min(response, known.opened_at + policy.response_s)
                    resolution = min(resolution, known.opened_at + policy.resolution_s)
            return family_deliveries(
                notify, self._policies.apps, notifiers, links=self._links, tz=self._tz,
                language=language, now=now, people_kinds=GROUPED_KINDS,
                oncall=lambda target: self.oncall.person(target, now),
                deadlines={"response": iso(response, self._tz),
                           "resolution": iso(resolution, self._tz)})
        found = deliveries_for(
            notify, self._policies.apps.get(incident.app_id), notifiers,
            policy=self._policy_of(incident, now), links=self._links, tz=self._tz,
            language=language, now=now, oncall=lambda target: self.oncall.person(target, now))
        if incident.parent_id in families:  # people hear of it through its parent
            found = [d for d in found if notifiers[d.notifier_id].kind not in GROUPED_KINDS]
        return found

    def _remember(self, incident: Incident) -> None:
        before = self._active.get(incident.id)
        if incident.is_active:
            self._active[incident.id] = incident
        else:
            self._active.pop(incident.id, None)
        key = (incident.app_id, incident.check_id)
        situation = self._situations.get(key)
        if situation is not None and situation.active is not None \
                and situation.active.id == incident.id:
            self._situations[key] = CheckSituation(
                situation.check, incident if incident.is_active else None,
                None if incident.is_active else incident)
        if before is None or before.state != incident.state:
            log.info(f"incident_{incident.state.value}", incident=incident.id,
                     app=incident.app_id, check=incident.check_id)
        for observer in self._observers:
            observer.incident_changed(before, incident)
        self._publish_active()

    def _publish_active(self) -> None:
        for observer in self._observers:
            observer.active_changed(self._active)

    @property
    def active(self) -> dict[str, Incident]:
        return dict(self._active)

    def clock_now(self) -> float:
        """The alerting clock (the service's, faked in tests)."""
        return self._clock.now()


def _updated(action: Action, updates: dict[str, Incident]) -> Action:
    """`action` about the incident as `updates` has it now (a child now in a family)."""
    if isinstance(action, SaveIncident) and action.incident.id in updates:
        return SaveIncident(updates[action.incident.id])
    if isinstance(action, Notify) and action.incident.id in updates:
        return dataclasses.replace(action, incident=updates[action.incident.id])
    return action


__all__ = ["AlertRunner", "Event", "UnknownAppError", "UnknownIncidentError"]
