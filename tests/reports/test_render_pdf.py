"""The PDF pages, looked at: drawn by WeasyPrint, rasterised by poppler's pdftoppm and checked
for ink on every page; the text layer read back by pdftotext must hold the Chinese text, and
pdffonts must show the Noto CJK fonts embedded (no missing-glyph boxes)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image  # WeasyPrint's own dependency: present wherever PDFs can be drawn

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports import build_incident_report, build_monthly
from monitor.reports.render import render_incident_html, render_monthly_html, render_pdf
from tests.reports.synthetic import MONTH, NOW
from tests.reports.synthetic_alerts import A_ID
from tests.reports.test_render_html import in_language
from tests.support.tools import require_tool

# A page counts as drawn when this share of its pixels is not white: a page with only the
# running header and footer has about 0.1 %.
MIN_INK = 0.005


def pages(pdf: bytes, tmp_path: Path, name: str) -> list[Path]:
    """The PDF's pages as PNGs at 50 dpi."""
    tool = require_tool("pdftoppm")
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([tool, "-r", "50", "-png", str(source), str(tmp_path / name)], check=True,
                   timeout=120)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def ink(png: Path) -> float:
    """The share of pixels that are not (near) white."""
    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        return sum(histogram[:245]) / (grey.width * grey.height)


def text_of(pdf: bytes, tmp_path: Path, name: str) -> str:
    tool = require_tool("pdftotext")
    source = tmp_path / f"{name}-text.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([tool, "-layout", str(source), "-"], capture_output=True, check=True,
                          timeout=60)
    return done.stdout.decode("utf-8")


def fonts_of(pdf: bytes, tmp_path: Path) -> str:
    tool = require_tool("pdffonts")
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    return subprocess.run([tool, str(source)], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def assert_drawn(pdf: bytes, tmp_path: Path, name: str) -> list[Path]:
    assert pdf.startswith(b"%PDF-")
    drawn = pages(pdf, tmp_path, name)
    assert drawn, "pdftoppm produced no page"
    for png in drawn:
        with Image.open(png) as image:
            assert image.width < image.height  # A4 portrait
        assert ink(png) > MIN_INK, f"{png.name} is blank"
    return drawn


@pytest.mark.parametrize(("lang", "words"), [
    ("zh-CN", ["运维月报", "运行概况", "各应用指标", "故障清单", "计算方法", "总体可用率"]),
    ("en", ["Monthly operations report", "Executive summary", "Per-app figures",
            "How figures are computed"]),
])
async def test_monthly_pdf(config: Config, ledger: SqliteLedger, store: AlertStore,
                           tmp_path: Path, lang: str, words: list[str]) -> None:
    report = await build_monthly(in_language(config, lang), ledger, store, MONTH, NOW)
    pdf = render_pdf(render_monthly_html(report))
    assert len(assert_drawn(pdf, tmp_path, "monthly")) >= 2
    text = text_of(pdf, tmp_path, "monthly")
    for word in [*words, "柯桥区协同办公", "政务服务", "97.70%", "区大数据中心"]:
        assert word in text, word
    fonts = fonts_of(pdf, tmp_path)
    assert re.search(r"Noto\W?Sans\W?CJK\W?SC", fonts), fonts
    assert re.search(r"Noto\W?Serif\W?CJK\W?SC", fonts), fonts  # the headings


@pytest.mark.parametrize(("lang", "words"), [
    ("zh-CN", ["故障分析报告", "基本信息", "时间线", "根本原因", "整改措施", "经验教训"]),
    ("en", ["Incident analysis report", "Basic information", "Root cause",
            "Corrective actions"]),
])
async def test_incident_pdf(config: Config, ledger: SqliteLedger, store: AlertStore,
                            tmp_path: Path, lang: str, words: list[str]) -> None:
    report = await build_incident_report(in_language(config, lang), ledger, store, A_ID, NOW)
    assert report is not None
    pdf = render_pdf(render_incident_html(report))
    assert_drawn(pdf, tmp_path, "incident")
    text = text_of(pdf, tmp_path, "incident")
    for word in [*words, A_ID, "柯桥区协同办公", "连接泄漏未释放", "李四"]:
        assert word in text, word


async def test_the_app_table_repeats_its_header_on_every_page(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    report = await build_monthly(config, ledger, store, MONTH, NOW)
    many = dataclasses.replace(report, apps=report.apps * 30)  # 90 rows: 40 + 45 + 5
    pdf = render_pdf(render_monthly_html(many))
    drawn = assert_drawn(pdf, tmp_path, "many")
    text = text_of(pdf, tmp_path, "many")
    table_pages = [page for page in text.split("\f") if "柯桥区协同办公" in page
                   and "p99" in page and "等级" in page]
    assert len(table_pages) == 3
    assert len(drawn) == len(text.rstrip("\f").split("\f"))


def test_pdf_loads_nothing_from_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<p>do not include</p>", encoding="utf-8")
    html = (f'<html><body><p>运维月报</p><img src="file://{secret}">'
            f'<link rel="stylesheet" href="file://{secret}"></body></html>')
    pdf = render_pdf(html)
    text = text_of(pdf, tmp_path, "outside")
    assert "运维月报" in text
    assert "do not include" not in text
