"""The quarterly watch report (季度通报预警) on a synthetic quarter with known apps at risk.

The probes and traffic are the inventory audit's synthetic data (tests/inventory/synthetic.py,
as of 2026-11-24 10:00, each app with one story); on top, the listing store holds what the
centre did this quarter (STORIES below). The expected rows are worked out by hand from those
stories, never from the report's code:

    zombie            停摆应用 zombie-down (flagged: unreachable since 10-10 08:00),
                      静默应用 zombie-quiet (flagged: 95 days without a visitor),
                      渐冷应用 zombie-warn (warning: 40 days); 无主应用 no-owner is delisted
    low_frequency     低频应用 low-freq (flagged: 3 months under 20), zombie-quiet (warning)
    low_availability  OA办公 low-avail (October 98.5 %), 停摆应用 zombie-down, 坏周应用 bad-week
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.governance.listing.model import (
    DONE,
    OPEN,
    ProgressNote,
    RectItem,
    StatusChange,
)
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports.quarterly import (
    QuarterError,
    QuarterlyReport,
    QuarterNotStartedError,
    build_quarterly,
    resolve_quarter,
    to_json,
)
from monitor.reports.quarterly.period import parse_quarter, quarter_containing
from monitor.reports.quarterly.view import render_quarterly_html
from tests.inventory import synthetic
from tests.inventory.synthetic import local

ROOT = Path(__file__).resolve().parents[2]
NOW = synthetic.NOW  # 2026-11-24 10:00, Asia/Shanghai
MONTHS = ["2026-08", "2026-09", "2026-10"]
ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def item(item_id: str, app: str, name: str, opened: float, deadline: dt.date,
         notes: tuple[ProgressNote, ...], *, closed: tuple[float, str] | None = None,
         classes: tuple[str, ...] = ()) -> RectItem:
    closing = (ProgressNote(closed[0], closed[1], "已修复并复测", "closed"),) if closed else ()
    return RectItem(
        id=item_id, app_id=app, app_name=name, classes=classes, basis=("…",),
        actions=("排查并恢复服务",), opened_at=opened, deadline=deadline,
        state=DONE if closed else OPEN, closed_at=closed[0] if closed else None,
        closed_by=closed[1] if closed else None,
        notes=(ProgressNote(opened, "audit", "", "opened"), *notes, *closing))


# What the centre did this quarter: one item overdue, one in progress, one done by hand; an
# item of last quarter (closed in September) that the report must not show; a delisted app.
STORIES = (
    item("ZG-20261015-zombie-down", "zombie-down", "停摆应用", local(10, 15, 9),
         dt.date(2026, 11, 20), (ProgressNote(local(11, 1, 15), "王工", "已联系厂商排查服务器"),),
         classes=("zombie", "low_availability")),
    item("ZG-20261101-low-avail", "low-avail", "OA办公", local(11, 1, 10),
         dt.date(2026, 12, 16), (ProgressNote(local(11, 10, 16), "李四", "已扩容数据库"),
                                 ProgressNote(local(11, 25, 9), "李四", "明天复测")),
         classes=("low_availability",)),
    item("ZG-20261113-bad-week", "bad-week", "坏周应用", local(11, 13, 10),
         dt.date(2026, 12, 16), (), closed=(local(11, 20, 17), "张三"),
         classes=("low_availability",)),
    item("ZG-20260801-low-freq", "low-freq", "低频应用", local(8, 1, 10),
         dt.date(2026, 9, 15), (), closed=(local(9, 15, 10), "audit"),
         classes=("low_frequency",)),
)


@dataclass(frozen=True)
class Quarter:
    data_dir: Path
    config_path: Path


async def write_listing(data_dir: Path) -> None:
    listing = await ListingStore.open(data_dir)
    try:
        await listing.save_items(STORIES)
        await listing.add_change(StatusChange(
            app_id="no-owner", status="delisted", previous="listed", at=local(11, 10, 9),
            by="张三", note="无人负责，下架"))
    finally:
        await listing.close()


def write_quarter(root: Path) -> Quarter:
    data_dir = root / "data"
    asyncio.run(synthetic.write_all(data_dir))
    asyncio.run(write_listing(data_dir))
    config_path = root / "config.yaml"
    config_path.write_text(synthetic.config_yaml(data_dir), encoding="utf-8")
    return Quarter(data_dir, config_path)


async def report_of(config: Config, data_dir: Path, quarter: str, now: float
                    ) -> QuarterlyReport:
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    alerts = await AlertStore.open(data_dir)
    traffic = await TrafficStore.open(data_dir)
    listing = await ListingStore.open(data_dir)
    try:
        return await build_quarterly(config, ledger, quarter, now=now, alerts=alerts,
                                     traffic=traffic, listing=listing)
    finally:
        for store in (listing, traffic, alerts, ledger):
            await store.close()


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Quarter:
    return write_quarter(tmp_path_factory.mktemp("quarterly"))


@pytest.fixture(scope="module")
def config(quarter: Quarter) -> Config:
    return load_config(quarter.config_path)


@pytest.fixture(scope="module")
def report(quarter: Quarter, config: Config) -> QuarterlyReport:
    return asyncio.run(report_of(config, quarter.data_dir, "2026Q4", NOW))


@pytest.fixture(scope="module")
def body(report: QuarterlyReport) -> dict[str, Any]:
    return json.loads(json.dumps(to_json(report), ensure_ascii=False))


def rows(body: dict[str, Any], cls: str) -> list[tuple[str, str]]:
    return [(r["app_id"], r["level"]) for r in body["classes"][cls]]


def row(body: dict[str, Any], cls: str, app: str) -> dict[str, Any]:
    [found] = [r for r in body["classes"][cls] if r["app_id"] == app]
    return found


# --- quarters --------------------------------------------------------------------------------

def test_quarters_follow_the_configured_ends() -> None:
    q4 = parse_quarter("2026Q4", ENDS)
    assert (q4.start, q4.end, q4.months) == (
        dt.date(2026, 10, 1), dt.date(2026, 12, 31), ("2026-10", "2026-11", "2026-12"))
    q1 = parse_quarter("2027q1", ENDS)
    assert (q1.start, q1.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    odd = parse_quarter("2028Q1", ((2, 29), (8, 31)))  # two notices a year, one on a leap day
    assert (odd.start, odd.end) == (dt.date(2027, 9, 1), dt.date(2028, 2, 29))
    assert quarter_containing(dt.date(2026, 12, 1), ENDS).code == "2026Q4"
    for bad in ("2026Q5", "2026Q0", "2026-Q4", "Q4", ""):
        with pytest.raises(QuarterError):
            parse_quarter(bad, ENDS)


# --- who is at risk, under which class -------------------------------------------------------

def test_the_right_apps_under_the_right_classes(body: dict[str, Any]) -> None:
    assert rows(body, "zombie") == [("zombie-down", "flagged"), ("zombie-quiet", "flagged"),
                                    ("zombie-warn", "warning")]
    assert rows(body, "low_frequency") == [("low-freq", "flagged"),
                                           ("zombie-quiet", "warning")]
    assert rows(body, "low_availability") == [("low-avail", "flagged"),
                                              ("zombie-down", "flagged"),
                                              ("bad-week", "flagged")]
    every = {r["app_id"] for rs in body["classes"].values() for r in rs}
    assert "no-owner" not in every  # a zombie, but delisted: not in the province's notice
    assert "healthy" not in every
    assert body["summary"] == {
        "listed_apps": 10, "apps_at_risk": 6, "apps_flagged": 5, "apps_warning_only": 1,
        "classes": {"zombie": {"flagged": 2, "warning": 1, "total": 3},
                    "low_frequency": {"flagged": 1, "warning": 1, "total": 2},
                    "low_availability": {"flagged": 3, "warning": 0, "total": 3}},
        "items": {"total": 3, "open": 1, "overdue": 1, "done": 1, "apps_without_item": 3},
    }


def test_days_left_before_the_notice(body: dict[str, Any]) -> None:
    assert body["quarter"] == {"code": "2026Q4", "year": 2026, "number": 4,
                               "start": "2026-10-01", "end": "2026-12-31",
                               "months": ["2026-10", "2026-11", "2026-12"]}
    assert body["today"] == "2026-11-24"
    assert body["notice_day"] == "2026-12-31"
    assert body["days_left"] == 37  # 7 days of November left + 30 of December
    assert body["deadline"] == "2026-12-16"  # the audit's: 15 days before the notice
    assert body["months"] == MONTHS


def test_monthly_evidence_as_the_audit_measured_it(body: dict[str, Any]) -> None:
    quiet = row(body, "zombie", "zombie-quiet")
    assert [(m["month"], m["in_quarter"], m["uv_sum"], m["traffic_days"])
            for m in quiet["months"]] == [("2026-08", False, 57, 31), ("2026-09", False, 0, 29),
                                          ("2026-10", True, 0, 31)]
    assert quiet["zero_days"] == 95  # 08-20 .. 11-23, one day without a record not counted
    assert quiet["reasons"] == ["zero_visitors"]
    assert row(body, "zombie", "zombie-warn")["zero_days"] == 40
    oa = row(body, "low_availability", "low-avail")
    assert [(m["month"], m["availability_pct"], m["probes"], m["failed_probes"])
            for m in oa["months"]] == [("2026-08", 100.0, 3720, 0), ("2026-09", 100.0, 3600, 0),
                                       ("2026-10", 98.5, 3600, 54)]
    assert oa["reasons"] == ["month_below_target"]
    assert oa["basis"].startswith("2026-10 月可用率 98.5%，低于 99%")
    down = row(body, "zombie", "zombie-down")
    assert down["reasons"] == ["unreachable"]
    assert down["months"][-1]["availability_pct"] == 30.107
    assert down["owner"] == {"name": "张三", "mobile": "13800000001"}
    low = row(body, "low_frequency", "low-freq")
    assert [m["uv_sum"] for m in low["months"]] == [11, 10, 11]
    assert low["evidence"]["threshold"] == 20
    assert row(body, "low_availability", "bad-week")["reasons"] == ["bad_week"]


def test_items_and_their_progress(body: dict[str, Any]) -> None:
    down = row(body, "zombie", "zombie-down")["item"]
    assert (down["id"], down["state"], down["deadline"], down["days_to_deadline"]) == (
        "ZG-20261015-zombie-down", "overdue", "2026-11-20", -4)
    assert [(p["kind"], p["by"], p["note"]) for p in down["progress"]] == [
        ("opened", "audit", ""), ("note", "王工", "已联系厂商排查服务器")]
    assert row(body, "low_availability", "zombie-down")["item"] == down  # one item, both rows
    oa = row(body, "low_availability", "low-avail")["item"]
    assert (oa["state"], oa["days_to_deadline"]) == ("open", 22)
    # The note of 11-25 is after the report's moment: not shown.
    assert [p["note"] for p in oa["progress"]] == ["", "已扩容数据库"]
    week = row(body, "low_availability", "bad-week")["item"]
    assert (week["state"], week["closed_by"], week["closed_at"]) == (
        "done", "张三", "2026-11-20T17:00:00+08:00")
    # Last quarter's item (closed in September) is not this quarter's: no item, the audit's
    # suggestion instead.
    low = row(body, "low_frequency", "low-freq")
    assert low["item"] is None
    assert low["suggested_actions"]
    assert row(body, "zombie", "zombie-warn")["item"] is None  # warnings open no item


def test_a_quarter_that_is_over_is_seen_at_its_end(quarter: Quarter, config: Config) -> None:
    report = asyncio.run(report_of(config, quarter.data_dir, "2026Q3", NOW))
    body = to_json(report)
    assert (body["today"], body["days_left"], body["deadline"]) == ("2026-10-01", 0, None)
    assert body["as_of"] == "2026-10-01T00:00:00+08:00"
    assert body["months"] == ["2026-07", "2026-08", "2026-09"]
    # On 10-01 zombie-quiet had 42 days without visitors: a warning then, not yet flagged.
    assert ("zombie-quiet", "warning") in rows(body, "zombie")
    assert rows(body, "low_availability") == []  # the outages came in Q4
    [low] = body["classes"]["low_frequency"]
    assert low["item"]["id"] == "ZG-20260801-low-freq"  # active in Q3, closed on 09-15
    assert low["item"]["state"] == "done"


def test_a_quarter_not_started_or_not_configured(quarter: Quarter, config: Config) -> None:
    with pytest.raises(QuarterNotStartedError):
        asyncio.run(report_of(config, quarter.data_dir, "2027Q1", NOW))
    with pytest.raises(QuarterError):
        resolve_quarter(config, "2026Q5")


# --- the page --------------------------------------------------------------------------------

def test_page_has_cover_summary_and_a_table_per_class(report: QuarterlyReport) -> None:
    html = render_quarterly_html(report)
    assert '<h1 data-cover="title">浙政钉上架应用季度通报预警（2026年第四季度）</h1>' in html
    assert 'data-cover="organisation">应用运维服务单位<' in html  # no service.organisation
    assert 'data-cover="days-left" data-value="37">37 天<' in html
    assert "预警〔2026〕4号" in html
    assert "工作台已上架应用 10 个，其中 6 个有被省里季度通报的风险" in html
    for cls, n in (("zombie", 3), ("low_frequency", 2), ("low_availability", 3)):
        section = html.split(f'<section id="class-{cls}"')[1].split("</section>")[0]
        assert section.count("<tr data-app=") == n
    zombie = html.split('<section id="class-zombie"')[1].split("</section>")[0]
    assert "二、僵尸应用（3 个）" in zombie
    assert 'data-state="overdue">已逾期<' in zombie
    assert "已联系厂商排查服务器" in zombie
    assert "期限 2026年11月20日（已过 4 天）" in zombie
    assert "建立（自动复核）" in zombie  # the service's own code in words, never "audit"
    assert "（audit）" not in html
    assert '<tr data-month="2026-10*" class="in-quarter">' in zombie
    assert "连续 95 天无人访问" in zombie
    assert "未建整改项" in html


def test_page_in_english_and_data_escaped(quarter: Quarter, config: Config) -> None:
    service = dataclasses.replace(config.service, language="en")
    apps = tuple(dataclasses.replace(a, name="<b>x</b>") if a.id == "low-freq" else a
                 for a in config.apps)
    english = dataclasses.replace(config, service=service, apps=apps)
    report = asyncio.run(report_of(english, quarter.data_dir, "2026Q4", NOW))
    html = render_quarterly_html(report)
    assert "Workbench apps at risk of the quarterly notice (Q4 2026)" in html
    assert "2. Zombie apps (3)" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


# --- the command line, all three formats -----------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "monitor", "report", "quarterly", *args],
                          cwd=ROOT, capture_output=True, timeout=120, check=False)


def test_cli_json_html_pdf(quarter: Quarter, tmp_path: Path) -> None:
    base = ("--config", str(quarter.config_path), "--quarter", "2026Q4")
    done = cli(*base, "--format", "json", "--out", str(tmp_path / "q.json"))
    assert done.returncode == 0, done.stderr.decode()
    body = json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))
    assert body["kind"] == "quarterly_watch"
    assert body["quarter"]["code"] == "2026Q4"
    # Made now (after the synthetic data ends): the same apps are at risk.
    assert {r["app_id"] for r in body["classes"]["zombie"]} >= {"zombie-down", "zombie-quiet"}
    done = cli(*base, "--format", "html", "--out", str(tmp_path / "q.html"))
    assert done.returncode == 0, done.stderr.decode()
    assert "季度通报预警" in (tmp_path / "q.html").read_text(encoding="utf-8")
    done = cli(*base, "--format", "pdf", "--out", str(tmp_path / "q.pdf"))
    assert done.returncode == 0, done.stderr.decode()
    pdf = (tmp_path / "q.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(tmp_path / "q.pdf"), "-"], capture_output=True,
                          check=True, timeout=60).stdout.decode()
    assert "浙政钉上架应用季度通报预警" in "".join(text.split())
    assert "停摆应用" in text


def test_cli_refuses_a_bad_quarter(quarter: Quarter, tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    done = cli("--config", str(quarter.config_path), "--quarter", "2026Q7", "--out", str(out))
    assert done.returncode == 2
    assert "2026Q4" in done.stderr.decode()
    done = cli("--config", str(quarter.config_path), "--quarter", "2099Q1", "--out", str(out))
    assert done.returncode == 2
    assert "尚未开始" in done.stderr.decode()
    done = cli("--config", str(quarter.config_path), "--quarter", "2026Q4", "--format", "docx",
               "--out", str(out))
    assert done.returncode == 2  # html, pdf or json only
    assert not out.exists()


def test_cover_names_the_organisation_when_configured(quarter: Quarter, config: Config) -> None:
    service = dataclasses.replace(config.service, organisation="柯桥区大数据发展管理中心")
    report = asyncio.run(report_of(dataclasses.replace(config, service=service),
                                   quarter.data_dir, "2026Q4", NOW))
    assert report.cover.title == (
        "柯桥区大数据发展管理中心浙政钉上架应用季度通报预警（2026年第四季度）")
    assert report.cover.organisation == "柯桥区大数据发展管理中心"
    assert to_json(report)["cover"]["number"] == "预警〔2026〕4号"
