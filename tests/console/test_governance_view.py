"""The governance page's view model: filters and their links, status rows (changed, as
configured, check skipped), counts, and items (days left, overdue, closed, order, notes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from monitor.console.pages.governance.view import (
    Filters,
    item_row,
    item_rows,
    open_counts,
    parse_filters,
    status_counts,
    status_rows,
    today_in,
)
from monitor.core.config.model import AppConfig
from monitor.governance.listing.model import (
    BY_AUDIT,
    AppStatus,
    ProgressNote,
    RectItem,
    StatusChange,
)

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 10)


def at(text: str) -> float:
    """Epoch seconds of a local (+08:00) time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


def item(item_id: str, deadline: dt.date, **changes: Any) -> RectItem:
    base = RectItem(id=item_id, app_id=f"app-{item_id}", app_name=f"应用{item_id}",
                    classes=("zombie",), basis=("近 90 天无人访问",), actions=("推广或下架",),
                    opened_at=at("2026-11-24 09:00"), deadline=deadline)
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(("query", "filters", "errors"), [
    ({}, Filters(), []),
    ({"status": "trial"}, Filters("trial"), []),
    ({"status": "listed", "items": "all"}, Filters("listed", all_items=True), []),
    ({"items": "open"}, Filters(), []),
    ({"status": "gone"}, Filters(), ["filter.bad_status"]),
    ({"status": "delisted", "items": "some"}, Filters("delisted"), ["filter.bad_items"]),
])
def test_filters_from_the_query(query: dict[str, str], filters: Filters,
                                errors: list[str]) -> None:
    assert parse_filters(query) == (filters, errors)


def test_filter_links_change_one_filter_and_keep_the_other() -> None:
    plain, both = Filters(), Filters("trial", all_items=True)
    assert plain.href() == "/governance"
    assert plain.href(status="listed") == "/governance?status=listed"
    assert plain.href(all_items=True) == "/governance?items=all"
    assert both.href(status="") == "/governance?items=all"
    assert both.href(all_items=False) == "/governance?status=trial"
    assert both.href(status="delisted") == "/governance?status=delisted&items=all"


def test_status_rows_say_since_when_who_and_the_check() -> None:
    apps = [AppConfig(id="kq-oa", name="协同办公", department="区大数据中心"),
            AppConfig(id="kq-new", name="新应用", status="trial"),
            AppConfig(id="kq-old", name="旧应用")]
    listed = StatusChange("kq-oa", "listed", "trial", at("2026-11-02 10:30"), "张三", "验收通过",
                          verdict="conditional", score=78, reasons=("缺少 HSTS",))
    delisted = StatusChange("kq-old", "delisted", "listed", at("2026-11-03 08:00"), "李四", "")
    statuses = {"kq-oa": AppStatus("kq-oa", "listed", listed.at, listed),
                "kq-new": AppStatus("kq-new", "trial", None, None),
                "kq-old": AppStatus("kq-old", "delisted", delisted.at, delisted)}
    rows = status_rows(apps, statuses, {"kq-oa": 2}, TZ)
    oa, new, old = rows
    assert (oa.status, oa.since, oa.by, oa.note) == ("listed", "2026-11-02 10:30", "张三",
                                                     "验收通过")
    assert (oa.verdict, oa.score, oa.checked, oa.changed) == ("conditional", 78, True, True)
    assert (oa.department, oa.open_items) == ("区大数据中心", 2)
    assert (new.status, new.since, new.changed, new.checked, new.open_items) == (
        "trial", "", False, False, 0)
    assert (old.verdict, old.score, old.checked, old.changed) == ("", None, False, True)
    assert status_counts(rows) == {"trial": 1, "listed": 1, "delisted": 1}
    assert status_counts(rows[:1]) == {"trial": 0, "listed": 1, "delisted": 0}
    # An app the store has not heard of yet stands as configured.
    assert status_rows(apps[1:2], {}, {}, TZ)[0].status == "trial"


def test_open_counts_count_open_items_per_app() -> None:
    a = item("1", TODAY)
    items = [a, item("2", TODAY, app_id=a.app_id),
             item("3", TODAY).closed(at("2026-12-01 09:00"), "张三")]
    assert open_counts(items) == {a.app_id: 2}


def test_days_left_overdue_and_done() -> None:
    ahead = item_row(item("a", dt.date(2026, 12, 16)), TZ, TODAY)
    assert (ahead.state, ahead.days_left, ahead.days_overdue, ahead.can_act) == (
        "open", 6, 0, True)
    assert ahead.deadline == "2026-12-16"
    due = item_row(item("b", TODAY), TZ, TODAY)
    assert (due.state, due.days_left) == ("open", 0)  # due today is not yet overdue
    late = item_row(item("c", dt.date(2026, 12, 7)), TZ, TODAY)
    assert (late.state, late.days_left, late.days_overdue, late.can_act) == (
        "overdue", -3, 3, True)
    closed = item("d", dt.date(2026, 12, 7)).closed(at("2026-12-09 17:05"), BY_AUDIT)
    done = item_row(closed, TZ, TODAY)
    assert (done.state, done.days_left, done.can_act) == ("done", None, False)
    assert (done.closed, done.closed_by) == ("2026-12-09 17:05", "audit")
    assert done.opened == "2026-11-24 09:00"


def test_items_are_ordered_overdue_then_by_deadline_then_recently_closed() -> None:
    items = [item("later", dt.date(2026, 12, 20)),
             item("old-done", TODAY).closed(at("2026-12-01 09:00"), "张三"),
             item("soon", dt.date(2026, 12, 12)),
             item("late", dt.date(2026, 12, 1)),
             item("new-done", TODAY).closed(at("2026-12-05 09:00"), "李四")]
    assert [r.id for r in item_rows(items, TZ, TODAY)] == [
        "late", "soon", "later", "new-done", "old-done"]


def test_progress_notes_in_local_time_with_the_audits_classes_as_classes() -> None:
    notes = (ProgressNote(at("2026-11-24 09:00"), BY_AUDIT, "", "opened"),
             ProgressNote(at("2026-12-01 09:00"), BY_AUDIT, "zombie、low_availability",
                          "still_flagged"),
             ProgressNote(at("2026-12-02 14:20"), "张三", "已联系开发商", "note"))
    row = item_row(item("a", TODAY, notes=notes), TZ, TODAY)
    assert [(n.at, n.by, n.kind, n.note, n.classes) for n in row.notes] == [
        ("2026-11-24 09:00", "audit", "opened", "", ()),
        ("2026-12-01 09:00", "audit", "still_flagged", "", ("zombie", "low_availability")),
        ("2026-12-02 14:20", "张三", "note", "已联系开发商", ()),
    ]


def test_today_is_the_local_day() -> None:
    assert today_in(at("2026-12-10 23:59"), TZ) == TODAY
    assert today_in(at("2026-12-11 00:00"), TZ) == dt.date(2026, 12, 11)  # 16:00 UTC before
