"""The maintenance calendar: which window covers an app at a moment, occurrences over a
period, and what began or ended between two moments."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerting.maintenance import MaintenanceCalendar, Occurrence
from monitor.core.config.model import MaintenanceWindow
from monitor.core.config.windows import crontab_trigger

SHANGHAI = ZoneInfo("Asia/Shanghai")  # no DST: wall times map one to one
UTC = ZoneInfo("UTC")


def at(text: str, tz: ZoneInfo = SHANGHAI) -> float:
    """Epoch seconds of a wall time in `tz`."""
    return datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()


UPGRADE = MaintenanceWindow(
    id="kq-oa-upgrade", apps=("kq-oa",),
    start="2026-11-28T22:00:00+08:00", end="2026-11-29T02:00:00+08:00",
)  # fmt: skip
WEEKLY = MaintenanceWindow(id="weekly-patch", apps=("all",), cron="0 2 * * 6", duration_s=7200.0)


def active_id(calendar: MaintenanceCalendar, app: str, now: float) -> str | None:
    window = calendar.active(app, now)
    return None if window is None else window.id


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-11-28T21:59:59", None),
        ("2026-11-28T22:00:00", "kq-oa-upgrade"),  # start is inclusive
        ("2026-11-29T00:00:00", "kq-oa-upgrade"),
        ("2026-11-29T01:59:59.999", "kq-oa-upgrade"),
        ("2026-11-29T02:00:00", None),  # end is exclusive
        ("2026-12-05T00:00:00", None),
    ],
)
def test_a_one_off_window_covers_start_to_end(moment: str, expected: str | None) -> None:
    calendar = MaintenanceCalendar([UPGRADE], "Asia/Shanghai")
    assert active_id(calendar, "kq-oa", at(moment)) == expected


def test_a_window_covers_only_its_apps_and_all_covers_every_app() -> None:
    calendar = MaintenanceCalendar([UPGRADE, WEEKLY], "Asia/Shanghai")
    inside_upgrade = at("2026-11-28T23:00:00")
    assert active_id(calendar, "kq-oa", inside_upgrade) == "kq-oa-upgrade"
    assert active_id(calendar, "jczz", inside_upgrade) is None
    saturday = at("2026-11-28T03:00:00")
    for app in ("kq-oa", "jczz", "an-app-added-later"):
        assert active_id(calendar, app, saturday) == "weekly-patch"


def test_when_windows_overlap_the_first_configured_is_reported() -> None:
    long_upgrade = MaintenanceWindow(
        id="long", apps=("kq-oa",), start="2026-11-28T00:00:00", end="2026-11-29T00:00:00"
    )
    saturday = at("2026-11-28T03:00:00")
    first_long = MaintenanceCalendar([long_upgrade, WEEKLY], SHANGHAI)
    first_weekly = MaintenanceCalendar([WEEKLY, long_upgrade], SHANGHAI)
    assert active_id(first_long, "kq-oa", saturday) == "long"
    assert active_id(first_weekly, "kq-oa", saturday) == "weekly-patch"


def in_weekly_patch(now: float) -> bool:
    """The reference answer: Saturday, 02:00 to 04:00 Shanghai time."""
    local = datetime.fromtimestamp(now, SHANGHAI)
    return local.weekday() == 5 and 2 <= local.hour < 4


def test_a_weekly_window_is_active_at_the_right_local_times_across_weeks() -> None:
    calendar = MaintenanceCalendar([WEEKLY], "Asia/Shanghai")
    # Every 5 minutes for five weeks, in order (the cached path), then shuffled (recomputing).
    start = at("2026-11-23T00:00:00")
    moments = [start + 300 * i for i in range(5 * 7 * 24 * 12)]
    answers = [calendar.active("kq-oa", now) is not None for now in moments]
    assert answers == [in_weekly_patch(now) for now in moments]
    assert sum(answers) == 5 * 24  # 2 hours of 5-minute steps on each of five Saturdays
    shuffled = random.Random(7).sample(moments, len(moments))
    assert [calendar.active("kq-oa", now) is not None for now in shuffled] == [
        in_weekly_patch(now) for now in shuffled
    ]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-12-05T01:59:59", False),
        ("2026-12-05T02:00:00", True),
        ("2026-12-05T03:59:59", True),
        ("2026-12-05T04:00:00", False),
        ("2026-12-06T02:00:00", False),  # Sunday: APScheduler 3's own "6" would be Sunday
        ("2026-12-04T02:00:00", False),
    ],
)
def test_weekly_window_edges(moment: str, expected: bool) -> None:
    calendar = MaintenanceCalendar([WEEKLY], "Asia/Shanghai")
    assert (calendar.active("jczz", at(moment)) is not None) is expected


def test_a_utc_window_is_read_in_utc_whatever_the_service_zone() -> None:
    nightly = MaintenanceWindow(
        id="nightly", apps=("all",), cron="30 22 * * *", duration_s=5400.0, timezone="UTC"
    )
    calendar = MaintenanceCalendar([nightly], "Asia/Shanghai")
    assert calendar.active("x", at("2026-12-01T22:29:59", UTC)) is None
    assert calendar.active("x", at("2026-12-01T22:30:00", UTC)) is nightly
    assert calendar.active("x", at("2026-12-01T23:59:59", UTC)) is nightly
    assert calendar.active("x", at("2026-12-02T07:00:00")) is nightly  # 23:00 UTC, in Shanghai
    assert calendar.active("x", at("2026-12-02T00:00:00", UTC)) is None  # 22:30 + 90m
    assert calendar.active("x", at("2026-12-01T22:30:00")) is None  # 22:30 Shanghai: 14:30 UTC


def test_naive_date_times_take_the_service_zone_unless_the_window_has_one() -> None:
    naive = MaintenanceWindow(id="n", apps=("a",), start="2026-12-01T01:00", end="2026-12-01T03:00")
    in_utc = MaintenanceWindow(
        id="u", apps=("b",), start="2026-12-01T01:00", end="2026-12-01T03:00", timezone="UTC"
    )
    calendar = MaintenanceCalendar([naive, in_utc], "Asia/Shanghai")
    [first, second] = calendar.occurrences(0, at("2027-01-01T00:00:00"))
    assert (first.start, first.end) == (at("2026-12-01T01:00"), at("2026-12-01T03:00"))
    assert (second.start, second.end) == (at("2026-12-01T01:00", UTC), at("2026-12-01T03:00", UTC))
    assert active_id(calendar, "a", at("2026-11-30T17:00", UTC)) == "n"  # 01:00 in Shanghai


def test_occurrences_over_a_month_are_exact() -> None:
    daily = MaintenanceWindow(
        id="backup", apps=("kq-oa", "jczz"), cron="0 23 * * *", duration_s=7200.0
    )
    calendar = MaintenanceCalendar([UPGRADE, WEEKLY, daily], "Asia/Shanghai")
    start, end = at("2026-12-01T00:00:00"), at("2027-01-01T00:00:00")
    found = calendar.occurrences(start, end)
    by_id = {name: [o for o in found if o.window_id == name] for name in ("weekly-patch", "backup")}
    # Saturdays of December 2026: the 5th, 12th, 19th and 26th.
    assert [datetime.fromtimestamp(o.start, SHANGHAI).day for o in by_id["weekly-patch"]] == [
        5, 12, 19, 26,
    ]  # fmt: skip
    # 30 Nov 23:00 runs into December; 31 Dec 23:00 starts inside it: 32 in all.
    assert len(by_id["backup"]) == 32
    assert by_id["backup"][0] == Occurrence(
        "backup", "app:kq-oa,jczz", at("2026-11-30T23:00:00"), at("2026-12-01T01:00:00")
    )
    assert by_id["backup"][-1].start == at("2026-12-31T23:00:00")
    assert by_id["weekly-patch"][0].scope == "*"
    assert len(found) == 36  # the upgrade (November) is not in December
    assert [o.start for o in found] == sorted(o.start for o in found)


def test_occurrences_touching_the_period_only_at_its_edges_are_left_out() -> None:
    calendar = MaintenanceCalendar([UPGRADE], "Asia/Shanghai")
    begins, ends = at("2026-11-28T22:00:00"), at("2026-11-29T02:00:00")
    assert calendar.occurrences(ends, ends + 3600) == []
    assert calendar.occurrences(begins - 3600, begins) == []
    assert len(calendar.occurrences(ends - 1, ends)) == 1


def test_transitions_list_what_began_and_what_ended_between_two_passes() -> None:
    calendar = MaintenanceCalendar([UPGRADE, WEEKLY], "Asia/Shanghai")
    saturday_2am = at("2026-11-28T02:00:00")
    began, ended = calendar.transitions(saturday_2am - 60, saturday_2am)
    assert began == [Occurrence("weekly-patch", "*", saturday_2am, saturday_2am + 7200)]
    assert ended == []
    began, ended = calendar.transitions(saturday_2am, saturday_2am + 7200)
    assert (began, [o.window_id for o in ended]) == ([], ["weekly-patch"])
    # A pass that spans a whole window reports both, so nothing goes unrecorded.
    began, ended = calendar.transitions(at("2026-11-28T12:00"), at("2026-11-29T12:00"))
    assert [o.window_id for o in began] == [o.window_id for o in ended] == ["kq-oa-upgrade"]


def test_occurrences_longer_than_the_cron_period_keep_the_window_active() -> None:
    hourly = MaintenanceWindow(id="h", apps=("all",), cron="0 * * * *", duration_s=5400.0)
    calendar = MaintenanceCalendar([hourly], "Asia/Shanghai")
    start = at("2026-12-01T00:00:00")
    assert all(calendar.active("a", start + 600 * i) is hourly for i in range(30))


@pytest.mark.parametrize(
    ("weekday", "days"),
    [
        ("0", ["Sun"]),
        ("7", ["Sun"]),
        ("6", ["Sat"]),
        ("1-5", ["Mon", "Tue", "Wed", "Thu", "Fri"]),
        ("sat,SUN", ["Sat", "Sun"]),
        ("*/2", ["Sun", "Tue", "Thu", "Sat"]),
        ("1-7/3", ["Mon", "Thu", "Sun"]),
        ("5-7", ["Fri", "Sat", "Sun"]),
    ],
)
def test_crontab_weekdays_count_from_sunday(weekday: str, days: list[str]) -> None:
    trigger = crontab_trigger(f"0 2 * * {weekday}", SHANGHAI)
    fire = datetime(2026, 11, 30, tzinfo=SHANGHAI)  # a Monday
    week_end = datetime(2026, 12, 7, tzinfo=SHANGHAI)
    seen = []
    while (fire := trigger.get_next_fire_time(None, fire + timedelta(seconds=1))) < week_end:
        seen.append(fire.strftime("%a"))
    in_week_order = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert seen == sorted(days, key=in_week_order.index)
