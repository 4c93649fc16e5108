"""Rectification items through the running service: opened for flagged listed apps, owners
notified through the outbox (a real robot with the @-mention, a real SMTP server), a copy to
governance.notify, one reminder before the deadline, nothing sent twice, closed on delisting
or when the audit no longer flags the app, and progress through the API."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from monitor.config import load_config
from monitor.governance.inventory.model import FLAGGED
from monitor.governance.listing.lifecycle import change_status
from monitor.governance.listing.model import BY_AUDIT, BY_DELISTING, DONE, OPEN
from monitor.governance.listing.sync import plan
from monitor.service import Service
from tests.api.conftest import Api, SetClock
from tests.inventory import synthetic
from tests.inventory.conftest import audit_of
from tests.listing.conftest import (
    FLAGGED_LISTED,
    OWNER_EMAIL,
    OWNER_MOBILE,
    Governed,
    ats,
    texts_of,
)

StartService = Callable[[Governed, SetClock], Awaitable[Service]]
MakeGoverned = Callable[..., Awaitable[Governed]]


async def test_flagged_listed_apps_get_items_and_their_owners_are_told(
        governed: MakeGoverned, service_on: StartService) -> None:
    setup = await governed()
    service = await service_on(setup, SetClock(synthetic.NOW))
    result = await service.listing.run_round()
    assert {i.app_id for i in result.opened} == FLAGGED_LISTED  # low-freq is on trial
    deadline = {i.deadline.isoformat() for i in result.opened}
    assert deadline == {"2026-12-16"}  # 15 days before the quarter end 12-31
    low_avail = next(i for i in result.opened if i.app_id == "low-avail")
    assert low_avail.id == "ZG-20261124-low-avail"
    assert low_avail.classes == ("low_availability",)
    assert low_avail.actions
    assert "99" in low_avail.actions[0]

    await service.outbox.run_once()
    # The owners' robot: one digest for the four apps whose owner has a mobile (no-owner has
    # none), @-mentioning the owner; the centre's robot: all five.
    robot_text = "\n".join(texts_of(setup.robot))
    assert OWNER_MOBILE in ats(setup.robot)
    for name in ("静默应用", "停摆应用", "OA办公", "坏周应用"):
        assert name in robot_text
    assert "无主应用" not in robot_text
    center_text = "\n".join(texts_of(setup.center))
    for name in ("静默应用", "停摆应用", "OA办公", "坏周应用", "无主应用"):
        assert name in center_text
    assert not ats(setup.center)
    mails = [m for m in setup.smtp.messages if OWNER_EMAIL in m.rcpt_tos]
    assert len(mails) == 4
    subjects = sorted(str(m.message["Subject"]) for m in mails)
    assert all(s.startswith("【整改通知】") for s in subjects)
    body = next(m for m in mails if "OA办公" in str(m.message["Subject"])).message
    plain = body.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "整改期限" in text
    assert "2026-12-16" in text
    assert "ZG-20261124-low-avail" in text
    assert body["X-Monitor-Notice"] == "ZG-20261124-low-avail"

    # The same round again: nothing new opened, nothing sent again.
    again = await service.listing.run_round()
    assert not again.opened
    assert not again.reminded
    assert again.notices == 0
    sent = len(setup.robot.messages) + len(setup.center.messages) + len(setup.smtp.messages)
    await service.outbox.run_once()
    assert len(setup.robot.messages) + len(setup.center.messages) + len(
        setup.smtp.messages) == sent


async def test_one_reminder_before_the_deadline(governed: MakeGoverned,
                                                service_on: StartService) -> None:
    # 22 days left at NOW: with remind_before 25d the second round reminds, the third not.
    setup = await governed("remind_before: 25d\n")
    service = await service_on(setup, SetClock(synthetic.NOW))
    await service.listing.run_round()
    await service.outbox.run_once()
    before = len(setup.smtp.messages)
    second = await service.listing.run_round()
    assert {i.app_id for i in second.reminded} == FLAGGED_LISTED
    assert all(i.reminded_at == synthetic.NOW for i in second.reminded)
    # Past the mail channel's grouping interval (the first round's mail opened a burst).
    await service.outbox.run_once(synthetic.NOW + 60)
    reminders = setup.smtp.messages[before:]
    assert reminders
    assert all(str(m.message["Subject"]).startswith("【整改提醒】")
                             for m in reminders)
    assert "距整改期限 22 天" in str(reminders[0].message["Subject"])
    third = await service.listing.run_round()
    assert not third.reminded
    assert third.notices == 0


async def test_no_reminder_while_the_deadline_is_far(governed: MakeGoverned,
                                                     service_on: StartService) -> None:
    setup = await governed()  # remind_before 7d by default; 22 days left
    service = await service_on(setup, SetClock(synthetic.NOW))
    await service.listing.run_round()
    second = await service.listing.run_round()
    assert not second.reminded
    assert {i.app_id for i in second.refreshed} == FLAGGED_LISTED


async def test_delisting_closes_the_apps_items(governed: MakeGoverned,
                                               service_on: StartService) -> None:
    setup = await governed()
    service = await service_on(setup, SetClock(synthetic.NOW))
    await service.listing.run_round()
    store = service.listing.store
    app = service.config.app("zombie-quiet")
    assert app is not None
    current = (await store.statuses([app]))[app.id]
    assert current.status == "listed"
    assert current.since is None
    change = await change_status(store, app, current, "delisted", evaluation=None,
                                 report=None, by="张三", note="无人使用，申请下架",
                                 now=synthetic.NOW + 60)
    assert change.seq > 0
    assert change.previous == "listed"
    items = await store.items(app_id="zombie-quiet")
    assert [(i.state, i.closed_by) for i in items] == [(DONE, BY_DELISTING)]
    # A later round opens nothing for it: it is no longer listed.
    again = await service.listing.run_round()
    assert "zombie-quiet" not in {i.app_id for i in again.opened}
    status = (await store.statuses([app]))[app.id]
    assert status.status == "delisted"
    assert status.since == synthetic.NOW + 60


async def test_an_app_no_longer_flagged_has_its_item_closed(governed: MakeGoverned) -> None:
    setup = await governed()
    config = load_config(setup.config_path)
    audit = await audit_of(config, setup.data_dir, synthetic.NOW)
    first = plan(audit, [], {}, now=synthetic.NOW, remind_before_s=0)
    assert {i.app_id for i in first.opened} == FLAGGED_LISTED | {"low-freq"}  # no statuses
    # The next audit finds low-avail fixed (its findings gone) and bad-week still flagged.
    fixed = dataclasses.replace(audit, apps=tuple(
        dataclasses.replace(a, findings=()) if a.id == "low-avail" else a for a in audit.apps))
    later = synthetic.NOW + 86400
    second = plan(fixed, first.opened, {}, now=later, remind_before_s=0)
    closed = {i.app_id: i for i in second.closed}
    assert set(closed) == {"low-avail"}
    assert closed["low-avail"].state == DONE
    assert closed["low-avail"].closed_by == BY_AUDIT
    assert closed["low-avail"].notes[-1].kind == "closed"
    assert all(i.state == OPEN for i in second.refreshed)
    # Flagged again later: a new item with a new id, the old one stays closed.
    third = plan(audit, [*second.closed, *second.refreshed], {}, now=later + 86400,
                 remind_before_s=0)
    assert [i.app_id for i in third.opened] == ["low-avail"]
    assert third.opened[0].id != closed["low-avail"].id
    assert all(f.level == FLAGGED for a in audit.apps if a.id == "low-avail"
               for f in a.findings)


async def test_progress_through_the_api(governed: MakeGoverned, service_on: StartService,
                                        api_of: Callable[[Service], Api]) -> None:
    setup = await governed()
    service = await service_on(setup, SetClock(synthetic.NOW))
    await service.listing.run_round()
    api = api_of(service)
    status, body = await api.get("/api/v1/rectifications")
    assert status == 200
    assert {i["app_id"] for i in body["items"]} == FLAGGED_LISTED
    item_id = "ZG-20261124-bad-week"
    status, item = await api.get(f"/api/v1/rectifications/{item_id}")
    assert status == 200
    assert item["state"] == "open"
    assert item["days_left"] == 22
    assert item["deadline"] == "2026-12-16"
    assert item["opened_at"].endswith("+08:00")

    status, _ = await api.post(f"/api/v1/rectifications/{item_id}/progress",
                               {"note": "x"}, token=None)
    assert status == 401
    status, error = await api.post(f"/api/v1/rectifications/{item_id}/progress", {})
    assert status == 400
    assert error["error"]["field"] == "note"
    status, _ = await api.post("/api/v1/rectifications/ZG-none/progress", {"note": "x"})
    assert status == 404
    status, item = await api.post(f"/api/v1/rectifications/{item_id}/progress",
                                  {"note": "已扩容数据库连接池", "by": "李工"})
    assert status == 200
    assert item["progress"][-1]["note"] == "已扩容数据库连接池"
    assert item["progress"][-1]["by"] == "李工"
    assert item["state"] == "open"
    status, item = await api.post(f"/api/v1/rectifications/{item_id}/progress",
                                  {"note": "复测通过", "done": True})
    assert status == 200
    assert item["state"] == "done"
    assert item["closed_by"] == "oncall"
    status, _ = await api.post(f"/api/v1/rectifications/{item_id}/progress", {"note": "y"})
    assert status == 409

    status, listing = await api.get("/api/v1/listing")
    assert status == 200
    by_id = {a["app_id"]: a for a in listing["apps"]}
    assert by_id["low-freq"]["status"] == "trial"
    assert by_id["low-freq"]["since"] is None
    assert by_id["bad-week"]["open_items"] == 0
    assert by_id["low-avail"]["open_items"] == 1
