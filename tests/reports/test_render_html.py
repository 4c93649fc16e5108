"""The HTML pages of both reports: well-formed, every section there in zh-CN and en, the figures
the model's, the SVG charts well-formed with a bar or a point per value.

Pages are parsed with the standard library only (html.parser into a small tree; the SVGs with
xml.etree), the way a script reading a saved report would.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports import IncidentReport, MonthlyReport, build_incident_report, build_monthly
from monitor.reports.fmt import Formatter, percent_text
from monitor.reports.render import render_incident_html, render_monthly_html
from tests.reports.synthetic import MONTH, NOW
from tests.reports.synthetic_alerts import A_ID

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
SVG_NS = "{http://www.w3.org/2000/svg}"
MONTHLY_HEADINGS = {
    "zh-CN": ["浙政钉上架应用运行质量月报（2026年11月）", "综述", "整改建议", "运行概况",
              "各应用指标", "分类统计与排名", "故障清单", "证书到期提醒",
              "低可用关注名单", "维护窗口（不计入统计）", "计算方法"],
    "en": ["Service quality of the apps on the Zhezhengding workbench, November 2026",
           "Summary", "Recommendations", "Executive summary", "Per-app figures",
           "Breakdowns and rankings", "Incidents", "Certificates expiring soon",
           "Watch-list: apps below the availability threshold", "Maintenance windows left out",
           "How figures are computed"],
}
INCIDENT_HEADINGS = {
    "zh-CN": ["故障分析报告", "基本信息", "时间线", "SLA 达成情况", "故障现象", "影响范围",
              "原因分析", "直接原因", "根本原因", "处置过程", "整改措施", "经验教训", "计算方法"],
    "en": ["Incident analysis report", "Basic information", "Timeline",
           "Response and resolution against the SLA", "Symptoms", "Impact", "Causes",
           "Direct cause", "Root cause", "Handling steps", "Corrective actions",
           "Lessons learned", "How figures are computed"],
}


# --- a small DOM from html.parser --------------------------------------------------------------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class TreeBuilder(HTMLParser):
    """Builds the tree and records every unbalanced tag: a page must close what it opens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if len(self.stack) < 2 or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}> at {self.getpos()}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_page(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.errors == []
    assert [n.tag for n in builder.stack] == ["#document"], "unclosed tags at the end"
    return builder.root


def headings(page: Node) -> list[str]:
    return [" ".join(n.text().split()) for n in page.iter() if n.tag in ("h1", "h2", "h3")]


def svgs(html: str) -> list[ET.Element]:
    """Every inline chart, parsed as XML on its own (well-formed or ET raises)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def by_class(svg: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in svg.iter(f"{SVG_NS}{tag}") if e.get("class") == cls]


def squash(text: str) -> str:
    return " ".join(text.split())


# --- fixtures ----------------------------------------------------------------------------------

def in_language(config: Config, lang: str) -> Config:
    assert lang in ("zh-CN", "en")
    service = dataclasses.replace(config.service, language=lang)  # type: ignore[arg-type]
    return dataclasses.replace(config, service=service)


@pytest.fixture(params=["zh-CN", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def monthly(config: Config, ledger: SqliteLedger, store: AlertStore,
                  lang: str) -> MonthlyReport:
    return await build_monthly(in_language(config, lang), ledger, store, MONTH, NOW)


@pytest.fixture
async def incident(config: Config, ledger: SqliteLedger, store: AlertStore,
                   lang: str) -> IncidentReport:
    report = await build_incident_report(in_language(config, lang), ledger, store, A_ID, NOW)
    assert report is not None
    return report


# --- the monthly report ------------------------------------------------------------------------

def test_monthly_is_well_formed_with_every_section(monthly: MonthlyReport, lang: str) -> None:
    html = render_monthly_html(monthly)
    page = parse_page(html)
    assert page.find("html").attrs["lang"] == lang
    found = headings(page)
    for heading in MONTHLY_HEADINGS[lang]:
        assert heading in found, heading
    assert "<script" not in html
    assert "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "Noto Sans CJK SC" in html
    assert "@page" in html


def test_monthly_figures_are_the_models(monthly: MonthlyReport) -> None:
    page = parse_page(render_monthly_html(monthly))
    f = Formatter(monthly.language, monthly.timezone)
    for app in monthly.apps:
        row = page.find("tr", data_app=app.id)
        cell = row.find("td", **{"class": f"n avail {f.shade(app.usage.availability_pct, 99.0)}"})
        assert float(cell.attrs["data-value"]) == app.usage.availability_pct
        assert squash(cell.text()) == percent_text(app.usage.availability_pct)
        assert app.name in row.text()
    zwfw = page.find("tr", data_app="kq-zwfw").find("td", **{"class": "n avail poor"})
    assert zwfw.text() == "97.70%"  # below the 99% target: shaded as poor
    totals = monthly.totals
    mtta = page.find("div", data_card="mtta").find("div", **{"class": "big"})
    assert float(mtta.attrs["data-value"]) == totals.incidents.mtta_seconds
    assert mtta.text() == f.duration(totals.incidents.mtta_seconds)
    availability = page.find("div", data_card="availability").find("div", **{"class": "big"})
    assert float(availability.attrs["data-value"]) == totals.usage.availability_pct
    for key, pct in (("response_sla", totals.incidents.response_within_sla_pct),
                     ("resolution_sla", totals.incidents.resolution_within_sla_pct)):
        big = page.find("div", data_card=key).find("div", **{"class": "big"})
        assert float(big.attrs["data-value"]) == pct
    methods = {n.attrs["data-method"]: squash(n.text()) for n in page.find_all("li")
               if "data-method" in n.attrs}
    assert methods == {m.key: squash(m.text) for m in monthly.methods}


def test_monthly_incident_line(monthly: MonthlyReport, lang: str) -> None:
    page = parse_page(render_monthly_html(monthly))
    rows = [n for n in page.find_all("tr") if "data-incident" in n.attrs]
    assert [r.attrs["data-incident"] for r in rows] == [i.id for i in monthly.incidents]
    cells = [squash(td.text()) for td in page.find("tr", data_incident=A_ID).find_all("td")]
    if lang == "zh-CN":
        assert cells[:6] == ["11月5日 10:05", "柯桥区协同办公 / 网页", "严重", "已恢复",
                             "5 分 0 秒", "1 小时 58 分 超时"]
    else:
        assert cells[:6] == ["5 November 10:05", "柯桥区协同办公 / Web page", "critical",
                             "resolved", "5 min 0 s", "1 h 58 min late"]
    # The symptom, then the cause.
    assert cells[6] == "HTTP 503 from /health数据库连接池耗尽，重启后恢复"
    line = monthly.incidents[0]
    assert line.id == A_ID
    assert (line.response_seconds, line.resolution_seconds) == (300, 7080)


def test_monthly_lists(monthly: MonthlyReport) -> None:
    page = parse_page(render_monthly_html(monthly))
    watch = page.find("section", id="watch-list")
    assert [n.attrs["data-app"] for n in watch.find_all("tr") if "data-app" in n.attrs] == [
        w.app_id for w in monthly.watch_list]
    cert = page.find("tr", data_certificate="kq-jczz")  # one row per app
    assert float(cert.find("td", **{"class": "n poor"}).attrs["data-value"]) == \
        monthly.certificates[0].days_left
    windows = page.find("section", id="maintenance").find_all("tr")
    assert [n.attrs["data-window"] for n in windows if "data-window" in n.attrs] == [
        w.window_id for w in monthly.maintenance]
    for dimension in ("department", "category", "tier"):
        table = page.find("table", data_dimension=dimension)
        assert [n.attrs["data-group"] for n in table.find_all("tr") if "data-group" in n.attrs] \
            == [g.key for g in monthly.group(dimension)]
    lowest = page.find("div", data_ranking="lowest_availability").find_all("li")
    # Only apps below the target are ranked (kq-oa and kq-jczz met it).
    assert [n.attrs["data-app"] for n in lowest] == ["kq-zwfw"]


def test_monthly_charts(monthly: MonthlyReport) -> None:
    html = render_monthly_html(monthly)
    charts = svgs(html)
    assert len(charts) == 3
    availability, p95, departments = charts
    days = [d for d in monthly.daily if d.usage.availability_pct is not None]
    assert len(by_class(availability, "rect", "bar")) == len(days) == 30
    assert len(by_class(availability, "line", "target")) == 1
    assert len(by_class(p95, "circle", "point")) == sum(1 for d in monthly.daily
                                                       if d.p95_ms is not None)
    with_incidents = [g for g in monthly.group("department") if g.incidents.count]
    bars = by_class(departments, "rect", "bar")
    assert len(bars) == len(with_incidents) == 2
    widths = [float(b.get("width", "0")) for b in bars]
    assert widths == sorted(widths, reverse=True)  # most incidents first
    for chart in charts:
        assert chart.get("viewBox")
        assert chart.find(f"{SVG_NS}title") is not None


def test_monthly_paginates_the_app_table(monthly: MonthlyReport) -> None:
    many = dataclasses.replace(monthly, apps=monthly.apps * 40)  # 120 rows
    page = parse_page(render_monthly_html(many))
    tables = page.find("section", id="apps").find_all("table")
    assert [len(t.find("tbody").find_all("tr")) for t in tables] == [40, 45, 35]
    assert all(t.find("thead") for t in tables)  # the header on every page


# --- the incident analysis report --------------------------------------------------------------

def test_incident_is_well_formed_with_every_section(incident: IncidentReport, lang: str) -> None:
    page = parse_page(render_incident_html(incident))
    found = headings(page)
    for heading in INCIDENT_HEADINGS[lang]:
        assert heading in found, heading


def test_incident_facts(incident: IncidentReport, lang: str) -> None:
    page = parse_page(render_incident_html(incident))
    assert page.find("td", data_field="incident_id").text() == A_ID
    assert page.find("td", data_field="acknowledged_by").text() == "李四"
    assert page.find("td", data_field="address").text() == "10.8.0.21"
    steps = [n.attrs["data-step"] for n in page.find_all("td") if "data-step" in n.attrs]
    assert steps == ["first_failure", "detected", "notified", "acknowledged", "resolved", "report"]
    notified = squash(page.find("td", data_step="notified").text())
    assert "2026-11-05 10:05:02" in notified  # the first delivery that went out
    assert "oncall-robot @13800000001" in notified
    assert "owner@example.org" in notified
    assert "+5 " in squash(page.find("td", data_step="detected").text())
    assert page.find("tr", data_sla="response").find("span").attrs["data-outcome"] == "within"
    assert page.find("tr", data_sla="resolution").find("span").attrs["data-outcome"] == \
        "breached"
    types = [n.attrs["data-type"] for n in page.find_all("tr") if "data-type" in n.attrs]
    assert types == [item.type for item in incident.timeline]
    causes = squash(page.find("section", id="causes").text())
    assert "连接泄漏未释放" in causes
    assert "数据库连接池耗尽" in causes
    actions = page.find("section", id="actions")
    assert "张三" in actions.text()
    assert "2026-12-15" in actions.text()
    assert "poor" in actions.find("tr", data_action="2").find_all("td")[2].attrs["class"]
    assert not page.find_all(data_todo="root_cause")  # filled: no hint


def test_incident_charts(incident: IncidentReport) -> None:
    html = render_incident_html(incident)
    home = incident.checks[0]
    runs, latency = svgs(html)[:2]
    assert len(by_class(runs, "rect", "bar")) == len(home.minutes)
    measured = [m for m in home.minutes if m.latency_mean_ms is not None]
    assert len(by_class(latency, "circle", "point")) == len(measured)
    assert len(by_class(runs, "line", "marker")) == 3  # opened, acknowledged, resolved


@pytest.mark.parametrize(("lang", "hint", "prefix"), [
    ("zh-CN", "待填写", "根本原因:"), ("en", "To be completed", "root cause:")])
async def test_empty_human_sections_say_how_to_fill_them(
        config: Config, ledger: SqliteLedger, store: AlertStore, lang: str, hint: str,
        prefix: str) -> None:
    report = await build_incident_report(in_language(config, lang), ledger, store, "g", NOW)
    assert report is not None
    page = parse_page(render_incident_html(report, draft=True))
    todos = {n.attrs["data-todo"]: squash(n.text()) for n in page.find_all("p")
             if "data-todo" in n.attrs}
    assert set(todos) == {"direct_cause", "root_cause", "steps", "actions", "lessons"}
    assert hint in todos["root_cause"]
    assert prefix in todos["root_cause"]
    assert "POST /api/v1/incidents/g/notes" in todos["root_cause"]
    assert page.find_all("p", **{"class": "draft"})


def test_text_from_probes_and_people_is_escaped(incident: IncidentReport) -> None:
    evil = '<script>alert("x")</script><img src="file:///etc/passwd">'
    basic = dataclasses.replace(incident.basic, summary=evil, app_name=evil)
    html = render_incident_html(dataclasses.replace(incident, basic=basic))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    parse_page(html)
