"""The reports as Word documents: read back with python-docx (headings with Word's heading
styles, tables with their header row and the model's rows, charts as inline pictures, A4 with
Chinese fonts), and opened by the real LibreOffice, headless, which must turn them into PDFs
whose text layer shows the title and the apps."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from PIL import Image

from alerting.store import AlertStore
from monitor.console.pages.reports.view import (
    FORMATS,
    ReportName,
    download_headers,
    parse_name,
)
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports import IncidentReport, MonthlyReport, build_incident_report, build_monthly
from monitor.reports.charts import GOOD, availability_bars
from monitor.reports.docx import CONTENT_TYPE as DOCX_TYPE
from monitor.reports.docx import incident_docx, monthly_docx, report_docx_isolated
from monitor.reports.docx.raster import SCALE, ChartError, svg_to_png
from monitor.reports.fmt import Formatter
from monitor.reports.monthly.view import incident_rows
from tests.reports.conftest import Month
from tests.reports.synthetic import MONTH, NOW
from tests.reports.synthetic_alerts import A_ID
from tests.reports.test_render_html import in_language
from tests.reports.test_report_cli import report as run_report
from tests.support.tools import require_tool

APP = "柯桥区协同办公"


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


def read(data: bytes) -> DocumentObject:
    assert data.startswith(b"PK")  # a zip package
    return docx.Document(io.BytesIO(data))


def headings(doc: DocumentObject, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def rows_of(grid: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.rows]


def table_with(doc: DocumentObject, *header: str) -> Table:
    """The first table whose header row starts with `header`."""
    for grid in doc.tables:
        if [c.text for c in grid.rows[0].cells][:len(header)] == list(header):
            return grid
    raise AssertionError(f"no table headed {header}")


def east_asia(doc: DocumentObject, style: str) -> str | None:
    fonts = doc.styles[style].element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def assert_header_repeats(grid: Table) -> None:
    header = grid.rows[0]._tr.trPr
    assert header is not None
    assert header.find(qn("w:tblHeader")) is not None
    for cell in grid.rows[0].cells:
        assert all(run.bold for p in cell.paragraphs for run in p.runs)


# --- the monthly report ------------------------------------------------------------------------

def test_monthly_headings_tables_and_charts(monthly: MonthlyReport, lang: str) -> None:
    f = Formatter(lang, monthly.timezone)
    doc = read(monthly_docx(monthly))
    cover = getattr(monthly, "cover", None)  # the official cover, where the model has one
    assert headings(doc, "Title") == [cover.title if cover else f.t("monthly.title")]
    level1 = headings(doc, "Heading 1")
    for key in ("sec.apps", "sec.breakdowns", "sec.incidents",
                "sec.certificates", "sec.watch", "sec.maintenance", "sec.methods"):
        assert f.t(key) in level1, key
    level2 = headings(doc, "Heading 2")
    for key in ("dim.department", "dim.category", "dim.tier", "rank.lowest_availability"):
        assert f.t(key) in level2, key
    assert f.t("sec.summary") in level1 + level2
    if cover is not None:
        text = "\n".join(p.text for p in doc.paragraphs)
        assert cover.number in text
        assert {f.t("sec.overview"), f.t("sec.recommendations")} <= set(level1)
        for paragraph in monthly.summary:
            assert paragraph.text in text
        recs = table_with(doc, f.t("col.app"), f.t("col.department"), f.t("col.problems"))
        assert len(recs.rows) == 1 + len(monthly.recommendations)

    apps = table_with(doc, f.t("col.app"), f.t("col.department"), f.t("col.tier"))
    assert_header_repeats(apps)
    body = rows_of(apps)[1:]
    assert len(body) == len(monthly.apps) == 3
    for row, app in zip(body, monthly.apps, strict=True):
        assert row[0] == f"{app.name} ({app.id})"
        assert row[3] == f.pct(app.usage.availability_pct)
        assert row[4] == f.num(app.usage.probes)
    assert [r[3] for r in body][1] == "97.701"  # kq-zwfw, as in the JSON and the PDF

    incidents = table_with(doc, f.t("col.opened"))
    assert_header_repeats(incidents)
    assert len(incidents.rows) == 1 + len(incident_rows(monthly))
    assert len(incidents.rows) > 1

    # the daily availability and p95 charts, and incidents by department
    assert len(doc.inline_shapes) == 3
    methods = [p for p in doc.paragraphs if p.style is not None
               and p.style.name == "List Number" and p.text in {m.text for m in monthly.methods}]
    assert len(methods) == len(monthly.methods)


def test_monthly_is_a4_with_chinese_fonts_and_the_app_table_landscape(
        monthly: MonthlyReport) -> None:
    doc = read(monthly_docx(monthly))
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert Mm(15) <= first.left_margin <= Mm(30)
    assert Mm(20) <= first.top_margin <= Mm(30)
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    wide = doc.sections[1]
    assert (round(wide.page_width.mm), round(wide.page_height.mm)) == (297, 210)
    assert east_asia(doc, "Normal") == "SimSun"
    for style in ("Title", "Heading 1", "Heading 2"):
        assert east_asia(doc, style) == "SimHei", style
        assert doc.styles[style].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None


def test_numbered_lists_each_count_from_one(monthly: MonthlyReport) -> None:
    """Rankings and methods are separate lists: each its own numbering, restarting at 1."""
    doc = read(monthly_docx(monthly))
    ids = []
    for p in doc.paragraphs:
        if p.style is not None and p.style.name == "List Number":
            ids.append(p._p.pPr.numPr.numId.val)
    lists = list(dict.fromkeys(ids))
    assert len(lists) >= 4  # three rankings and the methods
    numbering = doc.part.numbering_part.element
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
        assert start.get(qn("w:val")) == "1"


def test_data_is_written_as_text_never_as_fields(monthly: MonthlyReport) -> None:
    """A name that looks like a Word field, a link or markup, with a control character XML
    cannot hold, is shown as the text it is; the document still opens."""
    name = 'HYPERLINK "http://evil.example/" <w:fldSimple w:instr="DATE"/> { DATE }\x07'
    app = dataclasses.replace(monthly.apps[0], name=name)
    data = monthly_docx(dataclasses.replace(monthly, apps=(app, *monthly.apps[1:])))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        assert not [n for n in package.namelist() if "rels" in n
                    and b"evil.example" in package.read(n)]
    for marker in ("<w:fldSimple", "<w:hyperlink", "<w:instrText", "<w:fldChar"):
        assert marker not in xml
    doc = read(data)
    f = Formatter(monthly.language, monthly.timezone)
    shown = rows_of(table_with(doc, f.t("col.app"), f.t("col.department"), f.t("col.tier")))[1][0]
    assert shown == f"{name[:-1]} ({app.id})"


# --- the incident report -----------------------------------------------------------------------

def test_incident_headings_tables_and_charts(incident: IncidentReport, lang: str) -> None:
    f = Formatter(lang, incident.timezone)
    doc = read(incident_docx(incident))
    assert headings(doc, "Title") == [f.t("incident.title")]
    level1 = headings(doc, "Heading 1")
    for key in ("sec.basic", "sec.timeline", "sec.sla", "sec.symptoms", "sec.impact",
                "sec.causes", "sec.steps", "sec.actions", "sec.lessons", "sec.methods"):
        assert f.t(key) in level1, key
    assert {f.t("sec.direct_cause"), f.t("sec.root_cause")} <= set(headings(doc, "Heading 2"))

    basic = dict(rows_of(table_with(doc, f.t("col.field"), f.t("col.content")))[1:])
    assert basic[f.t("basic.incident_id")] == A_ID
    assert basic[f.t("basic.app")].startswith(f"{APP} (kq-oa)")
    assert basic[f.t("basic.acknowledged_by")] == "李四"

    timeline = table_with(doc, f.t("col.at"), f.t("col.event"))
    assert_header_repeats(timeline)
    assert len(timeline.rows) == 1 + len(incident.timeline)
    sla = rows_of(table_with(doc, "", f.t("col.limit")))
    assert [row[0] for row in sla[1:]] == [f.t("sla.response"), f.t("sla.resolution")]
    actions = table_with(doc, f.t("col.what"))
    assert len(actions.rows) == 1 + len(incident.analysis.actions)
    # runs and latency per minute, for each check with results
    charts = sum(2 for check in incident.checks if check.minutes)
    assert charts >= 2
    assert len(doc.inline_shapes) == charts


# --- opened by LibreOffice ---------------------------------------------------------------------

def convert(data: bytes, tmp_path: Path, name: str) -> str:
    """The document converted to PDF by headless LibreOffice; its text by pdftotext, without
    white space."""
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash, no leftovers
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=240, check=False)
    pdf = out / f"{name}.pdf"
    assert done.returncode == 0, done.stdout + done.stderr
    assert pdf.is_file(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    # Without white space: LibreOffice spaces Chinese from digits, and lines wrap in cells.
    return "".join(text.split())


async def test_libreoffice_opens_both_reports(config: Config, ledger: SqliteLedger,
                                              store: AlertStore, tmp_path: Path) -> None:
    monthly = await build_monthly(config, ledger, store, MONTH, NOW)
    text = convert(monthly_docx(monthly), tmp_path, "monthly")
    cover = getattr(monthly, "cover", None)  # the official cover, where the model has one
    title = cover.number if cover else "运维月报"
    for word in (title, "运行概况", APP, "政务服务", "97.701"):
        assert word in text, word
    incident = await build_incident_report(config, ledger, store, A_ID, NOW)
    assert incident is not None
    text = convert(incident_docx(incident), tmp_path, "incident")
    for word in ("故障分析报告", A_ID, APP, "李四"):
        assert word in text, word


# --- the command line and the charts -----------------------------------------------------------

def test_cli_writes_docx(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "m.docx"
    assert run_report("monthly", "--config", str(month.config_path), "--month", MONTH,
                      "--format", "docx", "--out", str(out)) == 0
    assert APP in [row[0].split(" (")[0] for grid in read(out.read_bytes()).tables
                   for row in rows_of(grid)]
    out = tmp_path / "i.docx"
    assert run_report("incident", "--config", str(month.config_path), "--id", A_ID,
                      "--format", "docx", "--out", str(out)) == 0
    assert A_ID in "\n".join(p.text for p in read(out.read_bytes()).paragraphs)


def test_chart_is_drawn_from_its_svg() -> None:
    days = [(f"2026-11-{d:02d}", 100.0 if d % 2 else 99.95) for d in range(1, 31)]
    png = svg_to_png(str(availability_bars(days, 99.5, "t")))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (680 * SCALE, 190 * SCALE)
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
    green = tuple(int(GOOD[i:i + 2], 16) for i in (1, 3, 5))
    assert green in colours  # the bars, in the page's colour
    assert len(colours) > 3  # and axis lines, labels


def test_chart_rejects_what_is_not_a_chart() -> None:
    with pytest.raises(ChartError):
        svg_to_png("<html/>")
    with pytest.raises(ChartError):
        svg_to_png("not markup")


# --- the console ---------------------------------------------------------------------------------

def test_console_offers_and_serves_docx() -> None:
    assert "docx" in FORMATS
    assert parse_name("monthly-2026-11.docx") == ReportName("monthly", "2026-11", "docx")
    headers = download_headers("monthly-2026-11.docx", "docx")
    assert headers["Content-Type"] == DOCX_TYPE
    assert headers["Content-Disposition"] == 'attachment; filename="monthly-2026-11.docx"'


async def test_console_makes_the_document_in_its_own_process(incident: IncidentReport) -> None:
    data = await report_docx_isolated(incident)
    assert A_ID in "\n".join(p.text for p in read(data).paragraphs)


def test_certificates_are_one_row_per_app_as_in_the_pdf(monthly: MonthlyReport) -> None:
    f_app, f_checks = (("应用", "检查项") if monthly.language != "en" else ("App", "Checks"))
    doc = read(monthly_docx(monthly))
    grid = table_with(doc, f_app, f_checks)
    names = [row[0] for row in rows_of(grid)[1:]]
    assert names == [c.app_name for c in monthly.certificate_apps]
    assert len(names) == len(set(names))
