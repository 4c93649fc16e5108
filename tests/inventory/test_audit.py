"""The audit over the synthetic inventory (synthetic.py): every app's classes and evidence,
exactly, from the stories written there."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.governance.inventory import Audit

WEEKS = (("2026-10-27", "2026-11-02"), ("2026-11-03", "2026-11-09"),
         ("2026-11-10", "2026-11-16"), ("2026-11-17", "2026-11-23"))
MONTHS = ["2026-08", "2026-09", "2026-10"]
# Runs every 30 minutes: 48 a day.
AUG, SEP, OCT = 31 * 48, 30 * 48, 31 * 48


def weeks(probes: int, failed: tuple[int, int, int, int] = (0, 0, 0, 0),
          pct: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)) -> list[dict[str, Any]]:
    return [{"start": s, "end": e, "probes": probes, "failed_probes": f, "failed_pct": p}
            for (s, e), f, p in zip(WEEKS, failed, pct, strict=True)]


def classes(app: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["class"], c["level"]) for c in app["classes"]]


def test_header(body: dict[str, Any]) -> None:
    assert body["generated_at"] == "2026-11-24T10:00:00+08:00"
    assert body["today"] == "2026-11-24"
    assert body["quarter_end"] == "2026-12-31"
    assert body["days_left"] == 37
    # 12-31 minus 15 days = 12-16, later than today + 14 = 12-08.
    assert body["deadline"] == "2026-12-16"
    assert body["months"] == MONTHS
    assert body["has_probe_data"] is True


def test_healthy_app_has_nothing_to_fix(apps: dict[str, Any]) -> None:
    app = apps["healthy"]
    assert app["classes"] == []
    assert app["missing"] == []
    assert app["duplicates"] == []
    assert app["rectification"] is None
    assert app["reachability"]["status"] == "up"
    assert app["reachability"]["since"] == "2026-08-01T00:00:00+08:00"  # the first run
    assert app["traffic"] == {"status": "ok", "last_day": "2026-11-24", "sources": ["push"],
                              "note": None}
    assert [(m["month"], m["availability_pct"], m["probes"], m["uv_sum"], m["traffic_days"])
            for m in app["months"]] == [
        ("2026-08", 100.0, AUG, 6200, 31), ("2026-09", 100.0, SEP, 6000, 30),
        ("2026-10", 100.0, OCT, 6200, 31)]


def test_zombie_without_visitors_for_90_days(apps: dict[str, Any]) -> None:
    app = apps["zombie-quiet"]
    assert classes(app) == [("zombie", "flagged"), ("low_frequency", "warning")]
    zombie, low = app["classes"]
    # 08-20 .. 11-23 is 96 days; 09-15 has no record: neither counted nor breaking the run.
    assert zombie["reasons"] == ["zero_visitors"]
    assert zombie["evidence"] == {
        "zero_days": 95, "zero_since": "2026-08-20", "zero_until": "2026-11-23",
        "days_without_data": 1, "last_visit_day": "2026-08-19", "at_least": False,
        "limit_days": 90, "warning_days": 30}
    assert zombie["trend"] == {"direction": "down", "metric": "uv_sum", "months": MONTHS,
                               "values": [57, 0, 0]}
    # September lacks a day, so its sum proves nothing: one month below, not two.
    assert low["evidence"] == {
        "threshold": 10, "target_users": 100, "months_below": 1, "months_required": 3,
        "months": [
            {"month": "2026-08", "uv_sum": 57, "pv": 171, "days_with_data": 31, "days": 31,
             "complete": True},
            {"month": "2026-09", "uv_sum": 0, "pv": 0, "days_with_data": 29, "days": 30,
             "complete": False},
            {"month": "2026-10", "uv_sum": 0, "pv": 0, "days_with_data": 31, "days": 31,
             "complete": True},
        ]}
    assert app["rectification"] == {
        "actions": ["联系负责人确认是否仍在使用；无人使用则申请下架",
                    "访问人数低于门槛：提醒负责人推广使用，避免连续 3 个月后认定为低频应用"],
        "deadline": "2026-12-16"}


def test_zombie_early_warning_after_30_days(apps: dict[str, Any]) -> None:
    app = apps["zombie-warn"]
    assert classes(app) == [("zombie", "warning")]
    zombie = app["classes"][0]
    # Today's zero record is left out: the day is not over.
    assert zombie["evidence"] == {
        "zero_days": 40, "zero_since": "2026-10-15", "zero_until": "2026-11-23",
        "days_without_data": 0, "last_visit_day": "2026-10-14", "at_least": False,
        "limit_days": 90, "warning_days": 30}
    assert zombie["trend"]["values"] == [620, 600, 280]
    assert zombie["trend"]["direction"] == "down"


def test_zombie_unreachable_for_30_days(apps: dict[str, Any]) -> None:
    app = apps["zombie-down"]
    assert classes(app) == [("zombie", "flagged"), ("low_availability", "flagged")]
    zombie, low = app["classes"]
    # 10-10 08:00 .. 11-24 09:59: 45 days and 2 hours with runs, 2 runs an hour, 2 checks.
    hours = 45 * 24 + 2
    assert zombie["reasons"] == ["unreachable"]
    assert zombie["evidence"] == {
        "down_since": "2026-10-10T08:00:00+08:00", "down_days": 45,
        "down_hours_with_runs": hours, "down_failed_probes": hours * 4,
        "last_pass_at": "2026-10-10T08:00:00+08:00", "at_least": False,
        "unreachable_days": 30}
    # October: 224 hours passed (10-01 00:00 .. 10-10 08:00) of 744, four runs an hour.
    probes, passed = 744 * 4, 224 * 4
    pct = 100 * 1000 * passed // probes / 1000
    assert pct == 30.107
    assert low["reasons"] == ["month_below_target", "bad_week"]
    assert low["evidence"] == {
        "target_pct": 99.0, "week_failed_limit_pct": 5, "month": "2026-10",
        "availability_pct": pct, "probes": probes, "failed_probes": probes - passed,
        "excluded_hours": 0, "weeks": weeks(672, (672,) * 4, (100.0,) * 4),
        "bad_weeks": [w[0] for w in WEEKS]}
    assert zombie["trend"] == low["trend"] == {
        "direction": "down", "metric": "availability_pct", "months": MONTHS,
        "values": [100.0, 100.0, pct]}
    assert app["reachability"]["status"] == "down"
    assert app["reachability"]["since"] == "2026-10-10T08:00:00+08:00"
    assert [c["status"] for c in app["reachability"]["checks"]] == ["down", "down"]
    assert app["traffic"]["status"] == "none"
    assert app["traffic"]["note"] == "无访问量数据"


def test_zombie_without_owner(apps: dict[str, Any]) -> None:
    app = apps["no-owner"]
    assert classes(app) == [("zombie", "flagged")]
    zombie = app["classes"][0]
    assert zombie["reasons"] == ["no_owner"]
    assert zombie["evidence"] == {"owner": None}
    assert zombie["trend"] == {"direction": "flat", "metric": "uv_sum", "months": MONTHS,
                               "values": [3100, 3000, 3100]}
    assert app["owner"] is None
    assert app["missing"] == ["owner_name", "owner_mobile"]
    assert app["rectification"]["actions"] == [
        "明确并登记应用负责人（姓名、手机），无人认领则申请下架",
        "补全台账信息：负责人、负责人手机"]


def test_low_frequency_three_months_running(apps: dict[str, Any]) -> None:
    app = apps["low-freq"]
    assert classes(app) == [("low_frequency", "flagged")]
    low = app["classes"][0]
    # One visitor on days 1, 4, 7, ...: 11 in August and October, 10 in September; the line
    # is max(10, 5% of 400) = 20.
    assert low["evidence"] == {
        "threshold": 20, "target_users": 400, "months_below": 3, "months_required": 3,
        "months": [
            {"month": m, "uv_sum": uv, "pv": 3 * uv, "days_with_data": d, "days": d,
             "complete": True}
            for m, uv, d in (("2026-08", 11, 31), ("2026-09", 10, 30), ("2026-10", 11, 31))]}
    assert low["trend"]["direction"] == "flat"
    assert app["rectification"]["actions"] == [
        "联系负责人推广使用或与同类应用合并；确无需求则申请下架"]


def test_low_availability_last_month(apps: dict[str, Any]) -> None:
    app = apps["low-avail"]
    assert classes(app) == [("low_availability", "flagged")]
    low = app["classes"][0]
    # Every 12 minutes: 5 runs an hour; the 24 maintenance hours (failing) are left out.
    assert low["evidence"] == {
        "target_pct": 99.0, "week_failed_limit_pct": 5, "month": "2026-10",
        "availability_pct": 98.5, "probes": 720 * 5, "failed_probes": 54, "excluded_hours": 24,
        "weeks": weeks(7 * 24 * 5), "bad_weeks": []}
    assert low["trend"] == {"direction": "down", "metric": "availability_pct",
                            "months": MONTHS, "values": [100.0, 100.0, 98.5]}
    assert app["reachability"]["since"] == "2026-10-20T10:48:00+08:00"  # back after 54 runs


def test_low_availability_one_bad_week(apps: dict[str, Any]) -> None:
    app = apps["bad-week"]
    assert classes(app) == [("low_availability", "flagged")]
    low = app["classes"][0]
    # 17 of 336 is 5.06 %: at the line; 16 of 336 (4.76 %) the week before is not.
    assert low["reasons"] == ["bad_week"]
    assert low["evidence"] == {
        "target_pct": 99.0, "week_failed_limit_pct": 5, "month": "2026-10",
        "availability_pct": 100.0, "probes": OCT, "failed_probes": 0, "excluded_hours": 0,
        "weeks": weeks(336, (0, 16, 17, 0), (0.0, 4.761, 5.059, 0.0)),
        "bad_weeks": ["2026-11-10"]}
    assert low["basis"] == "2026-11-10～2026-11-16 一周探测失败 5.059%（17/336），达到 5%"
    assert low["trend"]["direction"] == "flat"


def test_duplicates_by_url_and_name(apps: dict[str, Any]) -> None:
    assert apps["dup-a"]["duplicates"] == [
        {"by": "url", "value": "https://portal.example.org", "apps": ["dup-b"]}]
    assert apps["dup-b"]["duplicates"] == [
        {"by": "url", "value": "https://portal.example.org", "apps": ["dup-a"]}]
    assert apps["name-twin"]["duplicates"] == [
        {"by": "name", "value": "OA办公", "apps": ["low-avail"]}]
    # The shared value is shown as the first app in the config spells it.
    assert apps["low-avail"]["duplicates"] == [
        {"by": "name", "value": "OA办公", "apps": ["name-twin"]}]
    assert apps["dup-a"]["rectification"]["actions"] == [
        "核实重复登记（与 dup-b），合并或下架重复项"]


def test_missing_fields(apps: dict[str, Any]) -> None:
    app = apps["dup-b"]
    # tier is not written (the loader defaults it to 3, the audit still lists it).
    assert app["tier"] == 3
    assert app["missing"] == ["owner_mobile", "department", "irs_id", "tier", "target_users"]
    assert app["rectification"]["actions"][0] == \
        "补全台账信息：负责人手机、所属部门、IRS编号、等级、目标用户数"
    assert apps["name-twin"]["missing"] == []  # tier 3 written out counts as declared


def test_stale_and_absent_traffic_is_not_evidence(apps: dict[str, Any]) -> None:
    stale = apps["dup-a"]
    assert stale["traffic"] == {
        "status": "stale", "last_day": "2026-10-10", "sources": ["push"],
        "note": "访问量数据已中断（最后数据日 2026-10-10）"}
    assert stale["classes"] == []  # 45 silent days: no zombie, and October is incomplete
    assert apps["dup-b"]["classes"] == []
    assert apps["dup-b"]["reachability"] == {
        "status": "unknown", "since": None,
        "checks": [{"id": "home", "kind": "http", "status": "unknown", "since": None,
                    "last_run_at": None, "message": None}]}


def test_summary(body: dict[str, Any]) -> None:
    assert body["summary"] == {
        "apps": 11,
        "classes": {"zombie": {"flagged": 3, "warning": 1},
                    "low_frequency": {"flagged": 1, "warning": 1},
                    "low_availability": {"flagged": 3, "warning": 0}},
        "apps_flagged": 6, "apps_warning_only": 1, "apps_missing_fields": 2,
        "apps_duplicated": 4, "apps_to_rectify": 10,
        "reachability": {"up": 7, "down": 1, "unknown": 3},
        "apps_without_traffic_data": 6,
    }


@pytest.mark.parametrize("key", ["id", "name", "department", "category", "tier", "owner",
                                 "missing", "duplicates", "reachability", "classes",
                                 "rectification", "traffic", "months"])
def test_every_app_has_the_contract_keys(body: dict[str, Any], key: str) -> None:
    assert all(key in app for app in body["apps"])


def test_audit_is_in_config_order(audit: Audit) -> None:
    assert [a.id for a in audit.apps] == [
        "healthy", "zombie-quiet", "zombie-warn", "zombie-down", "no-owner", "low-freq",
        "low-avail", "bad-week", "dup-a", "dup-b", "name-twin"]
