"""The monthly report as a document a centre hands upward: the cover, the written summary, the
recommendations, number and date formats, an unfinished month, traffic, and the printed pages
(the cover first, no page but the last left nearly empty)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.governance.listing.model import RectItem
from monitor.governance.traffic.types import DayTraffic
from monitor.ledger import SqliteLedger
from monitor.reports import MonthlyReport, build_monthly
from monitor.reports.fmt import day_text, percent_text
from monitor.reports.monthly.docmodel import PreviousMonth
from monitor.reports.monthly.narrative import summary
from monitor.reports.monthly.view import FULL_TABLE_APPS
from monitor.reports.render import render_monthly_html, render_pdf
from tests.reports.synthetic import MONTH, NOW, local
from tests.reports.test_render_html import parse_page
from tests.reports.test_render_pdf import pages, text_of

ORGANISATION = "绍兴市柯桥区大数据发展管理中心"
# Expected recommendations on the synthetic month, worked out from synthetic.py and
# synthetic_alerts.py: kq-zwfw is the one app under 99 % (16 h of timeouts in one week) with two
# incidents; every app has at least two incidents and a late response or resolution; kq-jczz's
# certificate has about 10 days left.
EXPECTED_REASONS = {
    "kq-zwfw": ("availability_below_target", "week_failed_probes", "repeated_incidents",
                "sla_breaches"),
    "kq-oa": ("repeated_incidents", "sla_breaches"),
    "kq-jczz": ("repeated_incidents", "sla_breaches", "certificate"),
}


def with_organisation(config: Config, organisation: str, lang: str = "zh-CN") -> Config:
    service = dataclasses.replace(config.service, organisation=organisation, language=lang)
    return dataclasses.replace(config, service=service)


@pytest.fixture
async def report(config: Config, ledger: SqliteLedger, store: AlertStore) -> MonthlyReport:
    return await build_monthly(with_organisation(config, ORGANISATION), ledger, store, MONTH,
                               NOW)


# --- formats ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [
    (99.93, "99.93%"), (99.937, "99.93%"), (99.999, "99.99%"), (100.0, "100%"),
    (97.701, "97.70%"), (0.5, "0.50%"), (0.0, "0.00%"), (None, "—"),
])
def test_percentages_read_with_two_decimals_cut(value: float | None, shown: str) -> None:
    assert percent_text(value) == shown


def test_dates_in_words() -> None:
    assert day_text("zh-CN", dt.date(2026, 12, 1)) == "2026年12月1日"
    assert day_text("en", dt.date(2026, 12, 1)) == "1 December 2026"


# --- the cover -------------------------------------------------------------------------------

def test_cover_fields(report: MonthlyReport) -> None:
    cover = report.cover
    assert cover is not None
    assert cover.organisation == ORGANISATION
    assert cover.title == f"{ORGANISATION}浙政钉上架应用运行质量月报（2026年11月）"
    assert cover.number == "运维〔2026〕11号"
    assert cover.period == "2026年11月1日至11月30日"
    assert cover.generated == "2026年12月2日"
    assert cover.complete
    page = parse_page(render_monthly_html(report))
    fields = {n.attrs["data-cover"]: " ".join(n.text().split()) for n in page.iter()
              if "data-cover" in n.attrs and n.attrs["data-cover"] != "signoff"}
    assert fields == {"number": "运维〔2026〕11号", "title": cover.title,
                      "organisation": ORGANISATION, "period": cover.period,
                      "generated": "2026年12月2日"}
    signoff = page.find("table", data_cover="signoff").text()
    for word in ("编制", "审核", "签发"):
        assert word in signoff


async def test_cover_without_organisation_uses_the_catalogs_word(
        config: Config, ledger: SqliteLedger, store: AlertStore) -> None:
    zh = await build_monthly(config, ledger, store, MONTH, NOW)
    assert zh.cover is not None
    assert (zh.cover.organisation, zh.cover.title) == ("运维服务单位",
                                                       "浙政钉上架应用运行质量月报（2026年11月）")
    en = await build_monthly(with_organisation(config, "", "en"), ledger, store, MONTH, NOW)
    assert en.cover is not None
    assert en.cover.number == "Ops [2026] No. 11"
    assert en.cover.period == "1 November 2026 to 30 November 2026"


async def test_an_unfinished_month_says_so(config: Config, ledger: SqliteLedger,
                                           store: AlertStore) -> None:
    early = await build_monthly(config, ledger, store, MONTH, local(11, 20, 12))
    assert early.cover is not None
    assert not early.cover.complete
    assert early.cover.period == "截至 2026年11月20日（本月尚未结束）"
    html = render_monthly_html(early)
    assert "截至 2026年11月20日（本月尚未结束）" in html
    assert "2026-12-01 00:00" not in html


def test_people_read_no_iso_timestamps(report: MonthlyReport) -> None:
    visible = re.sub(r"<[^>]+>", " ", render_monthly_html(report))
    assert not re.search(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", visible)
    assert not re.search(r"\d{2}-\d{2} \d{2}:\d{2}", visible)
    assert not re.search(r"\d\.\d{3} ?%", visible)  # no three-decimal percentages


# --- the written summary -----------------------------------------------------------------------

def test_summary_sentences_carry_the_figures(report: MonthlyReport) -> None:
    said = {p.key: p.text for p in report.summary}
    t = report.totals
    assert said["availability"] == (
        f"本月共监测上架应用 3 个，总体可用率 {percent_text(t.usage.availability_pct)}，"
        "达到 99% 的目标。其中 1 个应用低于目标。")
    severities = {c.key: c.count for c in report.incidents_by_severity}
    assert said["incidents"].startswith(
        f"本月发生故障 {t.events} 起，其中严重 {severities['critical']} 起、"
        f"重要 {severities['major']} 起、一般 {severities['minor']} 起。")
    assert "按检查类型分：网页 6 起、端口 1 起。" in said["incidents"]
    i = t.incidents
    assert said["sla"].startswith(
        f"15 分钟内响应 {i.response_within} 起、超时 {i.response_breaches} 起，"
        f"及时响应率 {percent_text(i.response_within_sla_pct)}；1 小时内解决 "
        f"{i.resolution_within} 起、超时 {i.resolution_breaches} 起，"
        f"及时解决率 {percent_text(i.resolution_within_sla_pct)}。")
    assert said["attention"].startswith("需要关注的应用 3 个：政务服务（可用率低于目标、")
    assert said["previous"] == "无上月数据，暂不比较。"  # October holds two hours only
    assert "traffic" not in said  # built without the traffic store


def test_summary_compares_with_last_month(report: MonthlyReport) -> None:
    before = PreviousMonth(month="2026-10", availability_pct=99.95, probes=40000, events=2,
                           incidents=2, response_within_sla_pct=100.0,
                           resolution_within_sla_pct=100.0, apps_below_target=0)
    pct = report.totals.usage.availability_pct
    assert pct is not None
    said = {p.key: p.text for p in summary(dataclasses.replace(report, previous=before))}
    points = f"{round((99.95 - pct) * 100) / 100:.2f}"
    assert said["previous"] == (
        f"与上月（2026年10月）相比，总体可用率由 99.95% 变为 {percent_text(pct)}"
        f"（下降 {points} 个百分点），故障由 2 起变为 {report.totals.events} 起"
        f"（增加 {report.totals.events - 2} 起）。")


# --- recommendations ---------------------------------------------------------------------------

def test_recommendations_list_exactly_the_flagged_apps(report: MonthlyReport) -> None:
    assert {r.app_id: r.reasons for r in report.recommendations} == EXPECTED_REASONS
    assert report.recommendations[0].app_id == "kq-zwfw"  # below the target first
    zwfw = report.recommendations[0]
    assert zwfw.problems[0] == "本月可用率 97.70%，低于 99% 的目标"
    assert len(zwfw.problems) == len(zwfw.actions) == len(zwfw.reasons)
    jczz = next(r for r in report.recommendations if r.app_id == "kq-jczz")
    assert re.fullmatch(r"证书 9\.\d 天后到期（2026年12月1[01]日）", jczz.problems[-1])
    page = parse_page(render_monthly_html(report))
    rows = [n.attrs["data-rec"] for n in page.find_all("tr") if "data-rec" in n.attrs]
    assert sorted(rows) == sorted(EXPECTED_REASONS)


class OneOpenItem:
    """A listing store holding one open rectification item for kq-oa."""

    async def changes(self, start: float, end: float, app_id: str | None = None) -> list[object]:
        return []

    async def items(self, *, open_only: bool = False, app_id: str | None = None,
                    active_between: tuple[float, float] | None = None) -> list[RectItem]:
        return [RectItem(id="R-1", app_id="kq-oa", app_name="柯桥区协同办公",
                         classes=("low_availability",), basis=("",), actions=("",),
                         opened_at=local(11, 3), deadline=dt.date(2026, 11, 20))]


class Traffic:
    async def daily_all(self, start_day: str, end_day: str) -> list[DayTraffic]:
        assert (start_day, end_day) == ("2026-11-01", "2026-11-30")
        return [DayTraffic("kq-oa", "2026-11-02", 1200, 300, ("push",)),
                DayTraffic("kq-oa", "2026-11-03", 800, 250, ("push",)),
                DayTraffic("gone", "2026-11-03", 5, 5, ("push",))]  # not configured


async def test_open_items_and_traffic(config: Config, ledger: SqliteLedger,
                                      store: AlertStore) -> None:
    report = await build_monthly(config, ledger, store, MONTH, NOW,
                                 listing=OneOpenItem(),  # type: ignore[arg-type]
                                 traffic=Traffic())
    oa = next(r for r in report.recommendations if r.app_id == "kq-oa")
    assert oa.reasons == ("repeated_incidents", "sla_breaches", "open_items")
    assert oa.problems[-1] == "整改事项 1 项尚未完成，其中逾期 1 项"
    assert [(t.app_id, t.pv, t.uv_sum, t.days) for t in report.traffic or ()] == [
        ("kq-oa", 2000, 550, 2)]
    assert {p.key: p.text for p in report.summary}["traffic"] == \
        "1 个应用记录了访问量，本月合计访问 2,000 次。"
    page = parse_page(render_monthly_html(report))
    row = page.find("tr", data_traffic="kq-oa")
    assert "2,000" in row.text()


def test_certificates_one_row_per_app(report: MonthlyReport) -> None:
    twice = dataclasses.replace(report, certificates=report.certificates * 2)
    assert len(twice.certificates) == 2
    from monitor.reports.monthly.narrative import certificate_apps  # noqa: PLC0415
    apps = certificate_apps(twice.certificates, "zh-CN")
    assert [(a.app_id, a.checks) for a in apps] == [("kq-jczz", ("证书",))]


# --- the printed pages -------------------------------------------------------------------------

# A page's content is the pixel rows with ink between the running header and footer; a page
# holding a couple of lines has under 5 % of them. Pages other than the last must hold more.
MIN_CONTENT_ROWS = 0.12
MARGIN_SHARE = 0.07  # the running header and footer bands, left out of the count


def content_rows(png: Path) -> float:
    with Image.open(png) as image:
        grey = image.convert("L")
        top, bottom = int(grey.height * MARGIN_SHARE), int(grey.height * (1 - MARGIN_SHARE))
        body = grey.crop((0, top, grey.width, bottom))
        pixels = body.load()
        assert pixels is not None
        inked = sum(1 for y in range(body.height)
                    if any(pixels[x, y] < 200 for x in range(0, body.width, 2)))
        return inked / body.height


@pytest.mark.parametrize("copies", [1, 40])
def test_pdf_cover_first_and_no_orphan_pages(report: MonthlyReport, tmp_path: Path,
                                             copies: int) -> None:
    big = dataclasses.replace(report, apps=report.apps * copies)
    if copies > 1:
        assert len(big.apps) > FULL_TABLE_APPS  # the annex layout
    pdf = render_pdf(render_monthly_html(big))
    drawn = pages(pdf, tmp_path, f"doc{copies}")
    text = text_of(pdf, tmp_path, f"doc{copies}").split("\f")
    assert report.cover is not None
    first = "".join(text[0].split())
    assert report.cover.number in first
    assert "浙政钉上架应用运行质量月报" in first
    assert "综述" not in text[0]  # the cover is a page of its own
    assert "综述" in text[1]
    shares = [content_rows(png) for png in drawn]
    for number, share in enumerate(shares[:-1], 1):
        assert share >= MIN_CONTENT_ROWS, (number, [round(s, 3) for s in shares])
    if copies > 1:
        assert "附表" in "".join(text)


def test_pdftoppm_is_there() -> None:
    from tests.support.tools import require_tool  # noqa: PLC0415
    assert subprocess.run([require_tool("pdftoppm"), "-v"], capture_output=True,
                          check=False).returncode == 0


def test_the_annex_has_one_line_per_app(report: MonthlyReport) -> None:
    many = dataclasses.replace(report, apps=report.apps * 40)
    page = parse_page(render_monthly_html(many))
    annex = page.find("section", id="annex")
    lines = [line for pre in annex.find_all("pre")[1:] for line in pre.text().split("\n")]
    assert len(lines) == len(many.apps)
    assert lines[0].split()[:2] == ["1", "柯桥区协同办公"]
    assert "97.70%*" in lines[1]  # kq-zwfw, below the target
