"""The alert store against a real SQLite file: codec, transactions, outbox rows, reopen,
and sharing the file with the ledger's writer."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from pathlib import Path

import pytest

from alerting.delivery import DeliveryOutcome
from alerting.model import (
    CheckAlertState,
    Entry,
    Incident,
    IncidentState,
    Severity,
    TimelineEntry,
)
from alerting.store import AlertStore, Changes, DeliveryState, OutcomeRow, StorageError
from alerting.storecodec import (
    check_state_from_json,
    check_state_to_json,
    incident_from_json,
    incident_to_json,
)
from monitor.core.sqlite.schema import DB_FILE, LATEST_VERSION, connect, migrate
from monitor.ledger import SqliteLedger, Tuning
from tests.alerting.conftest import MakeDelivery, MakeIncident, OpenStore
from tests.ledger.helpers import make_result
from tests.support.clocks import T0

KEY = ("kq-oa", "home")


def full_incident(make_incident: MakeIncident) -> Incident:
    """Every field away from its default, timeline entries with and without by/note."""
    return make_incident(
        "inc-full",
        state=IncidentState.RESOLVED,
        acknowledged_at=T0 + 120.25,
        acknowledged_by="张三",
        resolved_at=T0 + 1800.5,
        resolved_by="李四",
        auto_resolved=True,
        response_breached=True,
        resolution_breached=True,
        escalation_step=2,
        last_notified_at=T0 + 0.1 + 0.2,  # a float whose repr has many digits
        reopen_count=3,
        source="alertmanager",
        cause="数据库连接池耗尽",
        timeline=(
            TimelineEntry(T0 - 60, Entry.FIRST_FAILURE),
            TimelineEntry(T0, Entry.OPENED, note="HTTP 503"),
            TimelineEntry(T0 + 120.25, Entry.ACKNOWLEDGED, by="张三", note="看一下"),
            TimelineEntry(T0 + 1800.5, "custom_type", by="李四"),
        ),
    )


# --- codec ----------------------------------------------------------------------------------


def test_incident_codec_round_trips_every_field(make_incident: MakeIncident) -> None:
    incident = full_incident(make_incident)
    decoded = incident_from_json(incident_to_json(incident))
    assert decoded == incident
    assert isinstance(decoded.severity, Severity)
    assert isinstance(decoded.state, IncidentState)
    assert all(isinstance(entry, TimelineEntry) for entry in decoded.timeline)
    assert isinstance(decoded.timeline, tuple)


def test_incident_codec_defaults_fields_missing_from_older_rows(
    make_incident: MakeIncident,
) -> None:
    text = incident_to_json(make_incident(reopen_count=2)).replace('"reopen_count":2,', "")
    assert incident_from_json(text).reopen_count == 0


@pytest.mark.parametrize("text", ["{not json", '{"id": "x"}', '{"severity": "fatal"}'])
def test_an_unreadable_incident_is_a_storage_error(text: str) -> None:
    with pytest.raises(StorageError, match="unreadable incident"):
        incident_from_json(text)


def test_check_state_codec_round_trips() -> None:
    state = CheckAlertState(3, 0, T0, "HTTP 503 从 /health", "inc-1", "inc-0", T0 - 900.125)
    assert check_state_from_json(check_state_to_json(state)) == state


async def test_incidents_and_states_round_trip_through_the_file(
    store: AlertStore, open_store: OpenStore, make_incident: MakeIncident
) -> None:
    incident = full_incident(make_incident)
    state = CheckAlertState(0, 1, None, "", None, "inc-full", T0 + 1800.5)
    await store.apply(Changes(check_states={KEY: state}, incidents=[incident]))
    reopened = await open_store()
    assert await reopened.get_incident("inc-full") == incident
    assert (await reopened.load(recent_s=3600, now=T0 + 1900)).check_states == {KEY: state}
    assert await reopened.get_incident("nope") is None


# --- apply ----------------------------------------------------------------------------------


async def test_a_failing_statement_leaves_nothing_half_written(
    store: AlertStore, data_dir: Path, make_incident: MakeIncident, make_delivery: MakeDelivery
) -> None:
    # A real failure inside the transaction, after the state and incident rows were written.
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        conn.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.notifier_id = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
    changes = Changes(
        check_states={KEY: CheckAlertState(2, 0, T0, "down", "inc-1")},
        incidents=[make_incident()],
        deliveries=[make_delivery(notifier_id="ops-hook"), make_delivery(notifier_id="boom")],
    )
    with pytest.raises(StorageError, match="boom"):
        await store.apply(changes)

    snapshot = await store.load(recent_s=3600, now=T0)
    assert (snapshot.check_states, snapshot.active_incidents) == ({}, {})
    assert await store.pending_counts() == {}
    # The store is still usable: the same changes without the poisoned delivery go through.
    ok = Changes(
        changes.check_states, incidents=changes.incidents, deliveries=changes.deliveries[:1]
    )
    assert (await store.apply(ok)).enqueued == 1
    assert set((await store.load(recent_s=0, now=T0)).active_incidents) == {"inc-1"}


async def test_a_payload_that_is_not_json_fails_before_any_write(
    store: AlertStore, make_incident: MakeIncident, make_delivery: MakeDelivery
) -> None:
    bad = dataclasses.replace(make_delivery(), payload={"when": object()})
    with pytest.raises(StorageError, match="not JSON"):
        await store.apply(Changes(incidents=[make_incident()], deliveries=[bad]))
    assert await store.list_incidents() == []


async def test_enqueuing_the_same_delivery_twice_is_a_no_op(
    store: AlertStore, make_delivery: MakeDelivery
) -> None:
    delivery = make_delivery()
    assert (await store.apply(Changes(deliveries=[delivery]))).enqueued == 1
    assert (await store.apply(Changes(deliveries=[delivery, delivery]))).enqueued == 0
    assert await store.pending_counts() == {"ops-hook": 1}

    # Once sent, the same id enqueued again (an engine replay after a restart) stays sent.
    await store.record_outcomes(
        [(delivery, DeliveryOutcome(delivery.id, ok=True), T0, None, "sent")]
    )
    assert (await store.apply(Changes(deliveries=[delivery]))).enqueued == 0
    assert await store.pending_counts() == {}
    [record] = await store.deliveries_for("inc-1")
    assert (record.state, record.attempts, record.sent_at) == (DeliveryState.SENT, 1, T0)


async def test_a_full_outbox_drops_its_oldest_pending_deliveries(
    open_store: OpenStore, make_delivery: MakeDelivery
) -> None:
    store = await open_store(max_pending=3)
    first = [make_delivery(f"inc-{i}", created_at=T0 + i) for i in range(2)]
    assert (await store.apply(Changes(deliveries=first))).dropped == 0
    later = [make_delivery(f"inc-{i}", created_at=T0 + i) for i in range(2, 5)]
    result = await store.apply(Changes(deliveries=later))

    assert (result.enqueued, result.dropped) == (3, 2)
    assert await store.pending_counts() == {"ops-hook": 3}
    [dropped] = await store.deliveries_for("inc-0")
    assert dropped.state is DeliveryState.DROPPED
    assert dropped.finished_at == T0
    assert "more than 3" in (dropped.last_error or "")
    [kept] = await store.deliveries_for("inc-4")
    assert kept.state is DeliveryState.PENDING


async def test_removed_checks_are_deleted_before_upserts(store: AlertStore) -> None:
    other = ("kq-oa", "port")
    await store.apply(Changes(check_states={KEY: CheckAlertState(1), other: CheckAlertState(2)}))
    await store.apply(Changes(removed_checks=[other]))
    assert (await store.load(recent_s=0)).check_states == {KEY: CheckAlertState(1)}
    await store.apply(Changes(check_states={other: CheckAlertState(5)}, removed_checks=[other]))
    assert (await store.load(recent_s=0)).check_states[other] == CheckAlertState(5)


# --- load and lists -------------------------------------------------------------------------


async def test_load_after_reopen_returns_active_and_recently_resolved(
    store: AlertStore, open_store: OpenStore, make_incident: MakeIncident
) -> None:
    incidents = [
        make_incident("open", opened_at=T0),
        make_incident("acked", state=IncidentState.ACKNOWLEDGED, acknowledged_at=T0 + 5),
        make_incident("recent", state=IncidentState.RESOLVED, resolved_at=T0 + 3000),
        make_incident("old", state=IncidentState.RESOLVED, resolved_at=T0 - 5000),
    ]
    states = {KEY: CheckAlertState(3, 0, T0, "down", "open"), ("x", "y"): CheckAlertState()}
    await store.apply(Changes(check_states=states, incidents=incidents))
    await store.close()

    snapshot = await (await open_store()).load(recent_s=3600, now=T0 + 3600)
    assert snapshot.check_states == states
    assert snapshot.active_incidents == {i.id: i for i in incidents[:2]}
    assert snapshot.recently_resolved == {"recent": incidents[2]}


async def test_list_incidents_newest_first_with_filters(
    store: AlertStore, make_incident: MakeIncident
) -> None:
    incidents = [
        make_incident("a", opened_at=T0 + 10),
        make_incident("b", opened_at=T0 + 30, state=IncidentState.RESOLVED),
        make_incident("c", opened_at=T0 + 20, app_id="kq-hr"),
        make_incident("d", opened_at=T0 + 40, state=IncidentState.ACKNOWLEDGED),
    ]
    await store.apply(Changes(incidents=incidents))

    def ids(found: list[Incident]) -> list[str]:
        return [i.id for i in found]

    assert ids(await store.list_incidents()) == ["d", "b", "c", "a"]
    assert ids(await store.list_incidents(IncidentState.OPEN)) == ["c", "a"]
    assert ids(await store.list_incidents(app_id="kq-hr")) == ["c"]
    assert ids(await store.list_incidents(IncidentState.OPEN, app_id="kq-oa")) == ["a"]
    assert ids(await store.list_incidents(limit=2)) == ["d", "b"]
    # An upsert replaces the row: the resolved "a" leaves the open list.
    resolved = make_incident("a", opened_at=T0 + 10, state=IncidentState.RESOLVED)
    await store.apply(Changes(incidents=[resolved]))
    assert ids(await store.list_incidents(IncidentState.RESOLVED)) == ["b", "a"]
    assert await store.get_incident("a") == resolved


# --- outbox rows ----------------------------------------------------------------------------


async def test_due_deliveries_outcomes_and_history(
    store: AlertStore, make_delivery: MakeDelivery
) -> None:
    late = make_delivery(step="1", created_at=T0 + 10)
    early = make_delivery(step="0", created_at=T0)
    other = make_delivery(notifier_id="ops-mail", created_at=T0)
    await store.apply(Changes(deliveries=[late, early, other]))

    assert await store.due_deliveries("ops-hook", T0 + 5, 10) == [early]
    assert await store.due_deliveries("ops-hook", T0 + 10, 10) == [early, late]
    assert await store.due_deliveries("ops-hook", T0 + 10, 1) == [early]
    assert await store.next_due_at("ops-hook") == T0
    assert await store.next_due_at("nobody") is None
    assert await store.pending_counts() == {"ops-hook": 2, "ops-mail": 1}

    failed = DeliveryOutcome(early.id, ok=False, status="503", error="HTTP 503")
    await store.record_outcomes(
        [OutcomeRow(early, failed, T0 + 11, T0 + 20, DeliveryState.PENDING)]
    )
    assert await store.due_deliveries("ops-hook", T0 + 11, 10) == [late]
    [again] = await store.due_deliveries("ops-hook", T0 + 20, 1)
    assert (again.id, again.attempts) == (early.id, 1)
    ok = DeliveryOutcome(early.id, ok=True, status="200")
    await store.record_outcomes([(again, ok, T0 + 21, None, "sent")])

    record = next(r for r in await store.deliveries_for("inc-1") if r.delivery.id == early.id)
    assert (record.state, record.attempts, record.sent_at) == (DeliveryState.SENT, 2, T0 + 21)
    assert (record.last_status, record.last_error) == ("200", None)
    assert [(a.at, a.ok, a.status, a.error) for a in record.history] == [
        (T0 + 11, False, "503", "HTTP 503"),
        (T0 + 21, True, "200", ""),
    ]
    assert record.delivery.payload == early.payload
    assert record.delivery.recipients == early.recipients


async def test_errors_are_stored_with_url_tokens_masked(
    store: AlertStore, make_delivery: MakeDelivery
) -> None:
    delivery = make_delivery()
    await store.apply(Changes(deliveries=[delivery]))
    error = "cannot reach https://oapi.dingtalk.com/robot/send?access_token=SECRET123"
    outcome = DeliveryOutcome(delivery.id, ok=False, status="network", error=error)
    await store.record_outcomes([(delivery, outcome, T0, T0 + 5, "pending")])
    [record] = await store.deliveries_for("inc-1")
    assert "SECRET123" not in (record.last_error or "")
    assert "SECRET123" not in record.history[0].error


async def test_prune_deletes_finished_deliveries_and_their_attempts(
    store: AlertStore, make_delivery: MakeDelivery
) -> None:
    sent, pending = make_delivery(step="0"), make_delivery(step="1")
    await store.apply(Changes(deliveries=[sent, pending]))
    await store.record_outcomes(
        [
            (sent, DeliveryOutcome(sent.id, ok=True), T0, None, "sent"),
            (pending, DeliveryOutcome(pending.id, ok=False), T0, T0 + 9, "pending"),
        ]
    )
    assert await store.prune(now=T0 + 50, keep_s=100) == 0  # not old enough yet
    assert await store.prune(now=T0 + 101, keep_s=100) == 1
    [left] = await store.deliveries_for("inc-1")
    assert left.delivery.id == pending.id
    assert len(left.history) == 1
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT count(*) FROM delivery_attempts").fetchone() == (1,)


async def test_maintenance_windows_by_overlap(store: AlertStore) -> None:
    await store.record_maintenance("weekly", "app:kq-oa", T0, T0 + 3600)
    await store.record_maintenance("weekly", "app:kq-oa", T0, T0 + 7200)  # extended: updated
    await store.record_maintenance("once", "*", T0 + 86400, T0 + 90000)
    [window] = await store.maintenance_between(T0 + 7000, T0 + 8000)
    assert (window.window_id, window.scope, window.start, window.end) == (
        "weekly", "app:kq-oa", T0, T0 + 7200,
    )  # fmt: skip
    assert len(await store.maintenance_between(T0 - 10, T0 + 86401)) == 2
    assert await store.maintenance_between(T0 + 7200, T0 + 86400) == []


async def test_a_closed_store_refuses_calls(store: AlertStore) -> None:
    await store.close()
    await store.close()  # twice is fine
    with pytest.raises(StorageError, match="closed"):
        await store.pending_counts()


# --- the shared file ------------------------------------------------------------------------


async def test_the_store_upgrades_a_ledger_file_at_version_2(tmp_path: Path) -> None:
    data_dir = tmp_path  # exists already
    conn = connect(data_dir / DB_FILE)
    assert migrate(conn, target=2) == 2
    conn.execute("INSERT INTO checks (app_id, check_id) VALUES ('kq-oa', 'home')")
    conn.close()

    store = await AlertStore.open(data_dir)
    await store.close()
    with sqlite3.connect(data_dir / DB_FILE) as check:
        assert check.execute("SELECT version FROM schema_version").fetchone() == (LATEST_VERSION,)
        assert check.execute("SELECT count(*) FROM checks").fetchone() == (1,)
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=86400)  # already migrated: fine
    await ledger.close()


async def test_coexists_with_the_ledger_writer_on_the_same_file(
    data_dir: Path, make_incident: MakeIncident, make_delivery: MakeDelivery
) -> None:
    manual = Tuning(flush_interval_s=3600.0, prune_interval_s=None)
    ledger, store = await asyncio.gather(
        SqliteLedger.open(data_dir, raw_retention_s=86400 * 30, tuning=manual),
        AlertStore.open(data_dir),
    )
    rounds, per_batch = 60, 1000

    async def write_results() -> None:
        for n in range(rounds):
            for i in range(per_batch):
                ledger.record("kq-oa", f"c{i % 20}", "http", make_result(T0 + n * 60 + i * 0.01))
            await ledger.flush()

    async def write_alerts() -> None:
        for n in range(rounds * 2):
            incident = make_incident(f"inc-{n}", opened_at=T0 + n)
            await store.apply(
                Changes(
                    check_states={("kq-oa", f"c{n % 20}"): CheckAlertState(n, 0, T0, "x")},
                    incidents=[incident],
                    deliveries=[make_delivery(incident.id, created_at=T0 + n)],
                )
            )
            await store.pending_counts()

    try:
        await asyncio.gather(write_results(), write_alerts())
        stats = ledger.stats()
        assert (stats.write_errors_total, stats.written_total) == (0, rounds * per_batch)
        assert len(await store.list_incidents(limit=1000)) == rounds * 2
        assert await store.pending_counts() == {"ops-hook": rounds * 2}
    finally:
        await ledger.close()
        await store.close()


async def test_a_write_waits_for_another_writer_instead_of_failing(
    store: AlertStore, make_incident: MakeIncident
) -> None:
    """The busy timeout at work: another connection holds the write lock for a while (as a
    long ledger batch or prune would); the store's transaction waits, then commits."""
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        conn = connect(store.path)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO checks (app_id, check_id) VALUES ('kq-oa', 'lock')")
        held.set()
        release.wait(timeout=10)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        await asyncio.to_thread(held.wait, 10)
        apply = asyncio.ensure_future(store.apply(Changes(incidents=[make_incident()])))
        await asyncio.sleep(0.3)
        assert not apply.done()  # waiting on the lock, not failed
        release.set()
        await asyncio.wait_for(apply, timeout=10)
        assert await store.get_incident("inc-1") is not None
    finally:
        release.set()
        await asyncio.to_thread(holder.join, 10)


async def test_the_ledger_and_the_store_can_create_the_file_at_once(tmp_path: Path) -> None:
    """Both switch a brand-new file to WAL; racing there used to fail one of them at once."""
    for n in range(30):
        data_dir = tmp_path / f"d{n}"
        ledger, store = await asyncio.gather(
            SqliteLedger.open(data_dir, raw_retention_s=86400), AlertStore.open(data_dir)
        )
        await asyncio.gather(ledger.close(), store.close())
