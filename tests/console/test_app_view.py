"""The app page's view model and its inline SVG charts: buckets per range, rollups summed
into them, the drawn bars (one per bucket, full height at 100 %), "no data", failures,
traffic, check rows and the listing card (status, technical check, open items)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from monitor.console.pages.apps.charts import (
    availability_points,
    buckets,
    latency_points,
    overall,
    pct_text,
    traffic_view,
    windows,
)
from monitor.console.pages.apps.view import cert_days_left, check_row, failure_rows, listing_card
from monitor.console.pages.apps.words import WORDS
from monitor.console.render import translator
from monitor.console.svgcharts import HEIGHT, WIDTH, Point, Words, availability_chart, value_chart
from monitor.core.catalog import EN, ZH
from monitor.core.config.model import AppConfig, CheckConfig
from monitor.governance.listing.model import (
    BY_AUDIT,
    AppStatus,
    ProgressNote,
    RectItem,
    StatusChange,
)
from monitor.governance.traffic.types import DayTraffic
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.types import CheckState, HourRollup, StoredResult

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 11, 25, 14, 30, tzinfo=TZ).timestamp()
HOUR = 3600.0
SVG = "{http://www.w3.org/2000/svg}"
WORDS_AVAIL = Words("可用率", "%", "暂无数据")
t = translator("zh-CN", WORDS)


def rollup(hour_start: float, runs: int, failures: int, *latencies_s: float,
           check: str = "home") -> HourRollup:
    histogram = LatencyHistogram()
    for value in latencies_s:
        histogram.observe(value)
    return HourRollup("kq-oa", check, int(hour_start), runs, failures, sum(latencies_s),
                      max(latencies_s, default=0.0), histogram)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # also proves the markup is well-formed XML
    assert root.tag == f"{SVG}svg"
    return root


def rects(root: ET.Element, cls: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == cls]


def test_day_is_24_hours_ending_with_the_current_one() -> None:
    wins = windows("day", NOW, TZ, "zh-CN")
    assert len(wins) == 24
    assert wins[-1].start <= NOW < wins[-1].end
    assert all(b.start - a.start == HOUR for a, b in itertools.pairwise(wins))
    assert [w.tick for w in wins if w.tick] == ["18:00", "00:00", "06:00", "12:00"]
    assert wins[-1].when == "11-25 14:00"


def test_week_is_168_hours_with_weekday_ticks_in_the_page_language() -> None:
    zh = windows("week", NOW, TZ, "zh-CN")
    assert len(zh) == 168
    assert [w.tick for w in zh if w.tick][-1] == "周二"  # 2025-11-25 is a Tuesday
    assert [w.tick for w in windows("week", NOW, TZ, "en") if w.tick][-1] == "Tue"


def test_month_is_30_local_days() -> None:
    wins = windows("month", NOW, TZ, "zh-CN")
    assert len(wins) == 30
    assert wins[-1].when == "2025-11-25"
    assert wins[0].when == "2025-10-27"
    assert wins[-1].start == dt.datetime(2025, 11, 25, tzinfo=TZ).timestamp()
    assert wins[-1].end - wins[-1].start == 86400
    assert wins[-1].tick == "11/25"


def test_rollups_of_every_check_sum_into_their_bucket() -> None:
    wins = windows("day", NOW, TZ, "zh-CN")
    hour = wins[-2].start
    items = buckets(wins, [rollup(hour, 60, 0, 0.1, 0.2), rollup(hour, 60, 6, 0.3, check="api"),
                           rollup(wins[0].start - HOUR, 60, 60)])  # before the window: left out
    bucket = items[-2]
    assert (bucket.runs, bucket.failures) == (120, 6)
    assert bucket.availability_pct == pytest.approx(95.0)
    assert bucket.mean_ms == pytest.approx(200.0)
    assert bucket.latency_max_s == pytest.approx(0.3)
    assert items[-1].availability_pct is None
    runs, failures, pct = overall(items)
    assert (runs, failures) == (120, 6)
    assert pct == pytest.approx(95.0)
    month = buckets(windows("month", NOW, TZ, "zh-CN"), [rollup(hour, 60, 0, 0.1),
                                                         rollup(hour - 5 * HOUR, 30, 3, 0.1)])
    assert (month[-1].runs, month[-1].failures) == (90, 3)


def test_one_bar_per_bucket_and_100_percent_is_full_height() -> None:
    points = [Point(100.0, "满"), Point(50.0, "半"), Point(0.0, "无")]
    root = parse(availability_chart(points, WORDS_AVAIL))
    bars = rects(root, "bar")
    assert len(bars) == 3
    full = float(bars[0].get("height", "0"))
    assert full == pytest.approx(float(bars[1].get("height", "0")) * 2, abs=0.2)
    assert float(bars[2].get("height", "1")) == 0
    downs = rects(root, "down")  # the unavailable share, in red, of the two bars below 100 %
    assert len(downs) == 2
    assert float(downs[1].get("height", "0")) == pytest.approx(full, abs=0.1)
    assert [b.findtext(f"{SVG}title") for b in bars] == ["满", "半", "无"]
    assert root.get("viewBox") == f"0 0 {WIDTH:g} {HEIGHT:g}"
    assert root.get("width") == "100%"
    assert root.findtext(f"{SVG}title") == "可用率"


def test_buckets_without_data_are_faint_columns_and_all_empty_says_so() -> None:
    wins = windows("day", NOW, TZ, "zh-CN")
    items = buckets(wins, [rollup(wins[-1].start, 10, 0, 0.05)])
    root = parse(availability_chart(availability_points(items, t), WORDS_AVAIL))
    assert len(rects(root, "bar")) == 1
    assert len(rects(root, "empty")) == 23
    assert rects(root, "empty")[0].findtext(f"{SVG}title") == f"{wins[0].when}：无数据"
    assert "暂无数据" not in "".join(root.itertext())

    empty = buckets(wins, [])
    for svg in (availability_chart(availability_points(empty, t), WORDS_AVAIL),
                value_chart(latency_points(empty, t), Words("耗时", "", "暂无数据"))):
        root = parse(svg)
        assert rects(root, "bar") == []
        [note] = [e for e in root.iter(f"{SVG}text") if e.get("class") == "nodata"]
        assert note.text == "暂无数据"


def test_latency_bars_are_p95_with_the_mean_as_a_line() -> None:
    wins = windows("day", NOW, TZ, "zh-CN")
    items = buckets(wins, [rollup(w.start, 3, 0, 0.1, 0.1, 0.4) for w in wins])
    points = latency_points(items, t)
    assert points[0].value == pytest.approx(400, rel=0.05)  # p95 of three is the largest
    assert points[0].line == pytest.approx(200)
    assert "平均 200 ms" in points[0].hover
    root = parse(value_chart(points, Words("耗时", "", "暂无数据", "柱：p95")))
    assert len(rects(root, "bar")) == 24
    [line] = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "avg"]
    assert len(line.get("points", "").split()) == 24


def test_failure_rows_newest_first_with_the_error() -> None:
    def result(ts: float, ok: bool, message: str) -> StoredResult:
        return StoredResult(ts, "kq-oa", "home", "http", ok, None if ok else "status", message,
                            0.012, None, None, None, None, None if ok else 503, None, None)

    rows = failure_rows([result(NOW - 300, False, "older"), result(NOW - 60, True, "fine"),
                         result(NOW - 120, False, "newer"), result(NOW - 900, False, "oldest")],
                        {"home": "首页"}, TZ, 2)
    assert [r.message for r in rows] == ["newer", "older"]
    assert rows[0].check_title == "首页"
    assert (rows[0].error_kind, rows[0].status_code, rows[0].latency_ms) == ("status", 503, 12.0)
    assert rows[0].at == "11-25 14:28:00"


def test_traffic_over_30_days() -> None:
    days = [DayTraffic("kq-oa", "2025-11-25", 120, 30, ("push",)),
            DayTraffic("kq-oa", "2025-11-24", 1000, 200, ("push",)),
            DayTraffic("kq-oa", "2025-11-01", 80, 10, ("push",))]
    view = traffic_view(days, "2025-11-25", t)
    assert len(view.points) == 30
    assert view.today is not None
    assert view.today.pv == 120
    assert view.yesterday is not None
    assert view.yesterday.uv == 200
    assert (view.total_pv, view.mean_uv) == (1200, 80)
    assert [p.value for p in view.points if p.value is not None] == [80.0, 1000.0, 120.0]
    assert view.has_data
    assert not traffic_view([], "2025-11-25", t).has_data


def test_check_rows_and_the_soonest_certificate() -> None:
    state = CheckState("kq-oa", "home", "http", False, NOW - 30, 0.0123, "status",
                       "status 503", 503, 12.6, 3, 0, NOW - 600, 100, 5)
    row = check_row(_check("home", "http", name="首页"), state, TZ, ZH)
    assert (row.id, row.title) == ("home", "首页")
    assert (row.status, row.error_kind, row.message, row.latency_ms) == (
        "down", "status", "status 503", 12.3)
    assert (row.cert_days_left, row.consecutive_failures) == (13, 3)
    assert row.since_ms == int((NOW - 600) * 1000)
    never = check_row(_check("tls", "tls"), None, TZ, ZH)
    assert (never.status, never.cert_days_left, never.last_run) == ("unknown", None, "")
    assert never.title == "证书"  # no name: the kind's name, never the bare id
    assert check_row(_check("tls", "tls"), None, TZ, EN).title == "Certificate"
    assert cert_days_left([row, never]) == 13
    assert cert_days_left([never]) is None


def _check(check_id: str, kind: str, name: str | None = None) -> CheckConfig:
    return CheckConfig(check_id, kind, None, 60.0, 10.0, 1, 1, name=name)


def test_percent_text() -> None:
    assert [pct_text(v) for v in (100.0, 99.99999, 95.0, None)] == [
        "100%", "99.999%", "95%", "—"]


def test_a_lone_mean_between_gaps_is_a_dot() -> None:
    points = [Point(None, "a"), Point(5.0, "b", line=3.0), Point(None, "c")]
    root = parse(value_chart(points, Words("耗时", "", "暂无数据")))
    assert [e.tag for e in root.iter() if e.get("class") == "avg"] == [f"{SVG}circle"]
    assert len(rects(root, "empty")) == 2


APP = AppConfig(id="kq-oa", name="柯桥区协同办公", status="trial")
TODAY = dt.date(2025, 11, 25)


def rect_item(item_id: str, deadline: dt.date, *notes: ProgressNote, app_id: str = "kq-oa",
              classes: tuple[str, ...] = ("zombie",)) -> RectItem:
    return RectItem(id=item_id, app_id=app_id, app_name="柯桥区协同办公", classes=classes,
                    basis=("近 90 天无人访问",), actions=("推广或下架",),
                    opened_at=NOW - 30 * 86400, deadline=deadline, notes=notes)


def test_listing_card_as_configured_without_items() -> None:
    card = listing_card(APP, {}, [], TZ, TODAY)  # the store has not heard of the app
    assert (card.status.status, card.status.changed, card.status.checked) == (
        "trial", False, False)
    assert (card.status.since, card.status.by, card.status.verdict) == ("", "", "")
    assert card.items == ()
    configured = {APP.id: AppStatus(APP.id, "trial", None, None)}
    assert listing_card(APP, configured, [], TZ, TODAY).status == card.status


def test_listing_card_with_a_recorded_change_and_its_verdict() -> None:
    change = StatusChange(APP.id, "listed", "trial", NOW - 3600, "张三", "验收通过",
                          verdict="conditional", score=78, reasons=("缺少 HSTS",))
    card = listing_card(APP, {APP.id: AppStatus(APP.id, "listed", change.at, change)}, [], TZ,
                        TODAY)
    status = card.status
    assert (status.status, status.since, status.by, status.note) == (
        "listed", "2025-11-25 13:30", "张三", "验收通过")
    assert (status.changed, status.checked, status.verdict, status.score) == (
        True, True, "conditional", 78)
    skipped = dataclasses.replace(change, verdict=None, score=None)
    unchecked = listing_card(APP, {APP.id: AppStatus(APP.id, "listed", change.at, skipped)},
                             [], TZ, TODAY).status
    assert (unchecked.changed, unchecked.checked, unchecked.score) == (True, False, None)


def test_listing_card_items_overdue_first_with_the_last_progress_note() -> None:
    opened = ProgressNote(NOW - 30 * 86400, BY_AUDIT, "", "opened")
    noted = ProgressNote(NOW - 2 * 86400, "李四", "已联系开发商", "note")
    reminded = ProgressNote(NOW - 86400, BY_AUDIT, "", "reminded")
    items = [rect_item("ahead", dt.date(2025, 12, 5), opened),
             rect_item("late", dt.date(2025, 11, 22), opened, noted, reminded,
                       classes=("zombie", "low_frequency")),
             rect_item("other-app", dt.date(2025, 11, 1), app_id="kq-jczz"),
             rect_item("closed", dt.date(2025, 11, 1)).closed(NOW - 86400, "张三", "已完成")]
    card = listing_card(APP, {}, items, TZ, TODAY)
    assert [o.row.id for o in card.items] == ["late", "ahead"]
    late, ahead = card.items
    assert (late.row.state, late.row.deadline, late.row.days_overdue) == (
        "overdue", "2025-11-22", 3)
    assert late.row.classes == ("zombie", "low_frequency")
    assert late.last_note is not None  # the person's note, not the audit's later reminder
    assert (late.last_note.note, late.last_note.by, late.last_note.at) == (
        "已联系开发商", "李四", "2025-11-23 14:30")
    assert (ahead.row.state, ahead.row.days_left, ahead.last_note) == ("open", 10, None)
    assert card.status.open_items == 2
