"""Rota arithmetic on fixed instants: daily and weekly turns at a local handover time
(Asia/Shanghai, whatever the host's zone), overrides, the +1 backup, handovers."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from alerting.rota import Override, Rota
from monitor.core.config.oncall import OncallMember, OncallOverride, Rotation
from monitor.core.configtext import ConfigValueError

SH = ZoneInfo("Asia/Shanghai")
MEMBERS = (OncallMember("李明", "13800000011", "liming@example.org"),
           OncallMember("王芳", "13800000012"), OncallMember("赵强", "13800000013"))


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH).timestamp()


def rota(turn: str = "weekly", **changes: object) -> Rota:
    fields: dict[str, object] = {"id": "ops", "members": MEMBERS, "start": "2026-12-07",
                                 "handover": "09:00", "turn": turn}
    fields.update(changes)
    return Rota(Rotation(**fields), SH)  # type: ignore[arg-type]


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Shanghai"])
def host_zone(request: pytest.FixtureRequest) -> Iterator[None]:
    """The host's own zone must not move a handover."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("host_zone")
def test_weekly_turns_change_at_the_local_handover() -> None:
    r = rota()
    assert r.on_duty(at("2026-12-07T08:59:59")) is None  # before the first turn
    first = r.on_duty(at("2026-12-07T09:00:00"))
    assert first is not None
    assert (first.member.name, first.since, first.until) == (
        "李明", at("2026-12-07T09:00:00"), at("2026-12-14T09:00:00"))
    second = r.on_duty(at("2026-12-14T09:00:00"))
    assert second is not None
    assert second.member.name == "王芳"
    third = r.on_duty(at("2026-12-27T23:00:00"))
    assert third is not None
    assert third.member.name == "赵强"
    again = r.on_duty(at("2026-12-28T09:00:00"))
    assert again is not None
    assert again.member.name == "李明"  # round again


@pytest.mark.usefixtures("host_zone")
def test_daily_turns() -> None:
    r = rota("daily")
    names = []
    for day in range(7, 13):
        shift = r.on_duty(at(f"2026-12-{day:02d}T12:00:00"))
        assert shift is not None
        names.append(shift.member.name)
    assert names == ["李明", "王芳", "赵强", "李明", "王芳", "赵强"]
    early = r.on_duty(at("2026-12-08T08:00:00"))  # before the 09:00 handover: yesterday's
    assert early is not None
    assert early.member.name == "李明"


def test_an_override_swaps_for_its_range_and_the_stints_around_it() -> None:
    r = rota("weekly", overrides=(OncallOverride(
        "赵强", "2026-12-09T18:00:00+08:00", "2026-12-10T09:00:00+08:00"),))
    swap = r.on_duty(at("2026-12-09T20:00:00"))
    assert swap is not None
    assert (swap.member.name, swap.override) == ("赵强", True)
    assert (swap.since, swap.until) == (at("2026-12-09T18:00:00"), at("2026-12-10T09:00:00"))
    before = r.on_duty(at("2026-12-09T10:00:00"))
    assert before is not None
    assert (before.member.name, before.until) == ("李明", at("2026-12-09T18:00:00"))
    after = r.on_duty(at("2026-12-10T10:00:00"))
    assert after is not None
    assert (after.member.name, after.since) == ("李明", at("2026-12-10T09:00:00"))


def test_overrides_from_the_api_win_over_earlier_ones() -> None:
    base = Rotation(id="ops", members=MEMBERS, start="2026-12-07", overrides=(OncallOverride(
        "赵强", "2026-12-09T00:00:00+08:00", "2026-12-11T00:00:00+08:00"),))
    r = Rota(base, SH, [Override("王芳", at("2026-12-10T00:00:00"), at("2026-12-10T12:00:00"),
                                 by="李明")])
    names = []
    for moment in ("2026-12-09T12:00:00", "2026-12-10T06:00:00", "2026-12-10T18:00:00"):
        shift = r.on_duty(at(moment))
        assert shift is not None
        names.append(shift.member.name)
    assert names == ["赵强", "王芳", "赵强"]


def test_the_backup_is_whoever_takes_over_next() -> None:
    r = rota("daily")
    backup = r.next_after(at("2026-12-07T12:00:00"))
    assert backup is not None
    assert (backup.member.name, backup.since) == ("王芳", at("2026-12-08T09:00:00"))
    before_start = r.next_after(at("2026-12-01T00:00:00"))
    assert before_start is not None
    assert before_start.member.name == "李明"


def test_handovers_list_each_change_of_person() -> None:
    r = rota("daily", overrides=(OncallOverride(
        "赵强", "2026-12-07T18:00:00+08:00", "2026-12-07T20:00:00+08:00"),))
    changes = [(moment, a.member.name if a else None, b.member.name)
               for moment, a, b in r.handovers(at("2026-12-07T00:00:00"),
                                               at("2026-12-08T12:00:00"))]
    assert changes == [
        (at("2026-12-07T09:00:00"), None, "李明"),
        (at("2026-12-07T18:00:00"), "李明", "赵强"),
        (at("2026-12-07T20:00:00"), "赵强", "李明"),
        (at("2026-12-08T09:00:00"), "李明", "王芳"),
    ]


@pytest.mark.parametrize(("changes", "code"), [
    ({"members": ()}, "oncall.no_members"),
    ({"handover": "9am"}, "oncall.handover"),
    ({"start": "next monday"}, "oncall.start"),
    ({"overrides": (OncallOverride("无此人", "2026-12-09T00:00:00+08:00",
                                   "2026-12-10T00:00:00+08:00"),)}, "oncall.override_member"),
    ({"members": (MEMBERS[0], MEMBERS[0])}, "oncall.duplicate_member"),
])
def test_rotation_rules(changes: dict[str, object], code: str) -> None:
    fields: dict[str, object] = {"id": "ops", "members": MEMBERS, "start": "2026-12-07"}
    fields.update(changes)
    with pytest.raises(ConfigValueError) as caught:
        Rotation(**fields)  # type: ignore[arg-type]
    assert caught.value.text.code == code
