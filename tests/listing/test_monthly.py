"""The monthly report shows the month's listing changes and the rectification items with
their progress (JSON and the HTML page), as of the month's end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from monitor.governance.listing.lifecycle import add_progress, change_status
from monitor.reports.monthly.build import build_monthly
from monitor.reports.monthly.jsonview import to_json
from monitor.reports.render import render_monthly_html
from monitor.service import Service
from tests.api.conftest import SetClock
from tests.inventory import synthetic
from tests.listing.conftest import Governed

JAN_2 = dt.datetime(2027, 1, 2, tzinfo=synthetic.TZ).timestamp()


async def test_inventory_changes_in_the_monthly_report(
        governed: Callable[..., Awaitable[Governed]],
        service_on: Callable[[Governed, SetClock], Awaitable[Service]]) -> None:
    setup = await governed()
    service = await service_on(setup, SetClock(synthetic.NOW))
    await service.listing.run_round()
    store = service.listing.store
    quiet, trial = service.config.app("zombie-quiet"), service.config.app("low-freq")
    assert quiet is not None
    assert trial is not None
    statuses = await store.statuses([quiet, trial])
    await change_status(store, quiet, statuses["zombie-quiet"], "delisted", evaluation=None,
                        report=None, by="张三", note="无人使用", now=synthetic.NOW + 60)
    await change_status(store, trial, statuses["low-freq"], "listed", evaluation=None,
                        report=None, by="李四", note="", now=synthetic.NOW + 120)
    await add_progress(store, "ZG-20261124-bad-week", by="王工", note="已定位慢查询",
                       done=False, now=synthetic.NOW + 180)

    november = await build_monthly(service.config, service.ledger, service.alert_store,
                                   "2026-11", synthetic.NOW + 3600, listing=store)
    body = to_json(november)["inventory_changes"]
    assert body["counts"] == {"listed": 1, "delisted": 1, "trial": 0, "items": 5,
                              "open": 4, "overdue": 0, "done": 1}
    assert [(c["app_id"], c["previous"], c["status"]) for c in body["changes"]] == [
        ("zombie-quiet", "listed", "delisted"), ("low-freq", "trial", "listed")]
    items = {i["app_id"]: i for i in body["rectifications"]}
    assert items["zombie-quiet"]["state"] == "done"
    assert items["zombie-quiet"]["closed_by"] == "delisting"
    assert items["bad-week"]["progress"][-1]["note"] == "已定位慢查询"
    assert items["bad-week"]["deadline"] == "2026-12-16"
    html = render_monthly_html(november)
    assert 'id="inventory-changes"' in html
    assert "已上架 → 已下架" in html
    assert "试运行 → 已上架" in html
    assert 'data-item="ZG-20261124-bad-week" data-state="open"' in html
    assert "已定位慢查询" in html
    assert "本月上架 1 个、下架 1 个" in html

    # December, read in January: the four still open are past their deadline; the one
    # closed in November is not in December's list.
    december = await build_monthly(service.config, service.ledger, service.alert_store,
                                   "2026-12", JAN_2, listing=store)
    body = to_json(december)["inventory_changes"]
    assert body["counts"]["overdue"] == 4
    assert body["counts"]["items"] == 4
    assert body["changes"] == []
    assert all(i["progress"] == [] for i in body["rectifications"])
    assert 'data-state="overdue"' in render_monthly_html(december)
