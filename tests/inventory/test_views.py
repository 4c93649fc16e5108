"""The audit's three views: the workbook read back with openpyxl, the page parsed, the JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from html.parser import HTMLParser
from typing import Any

import openpyxl

from monitor.governance.inventory import Audit, render_html, to_xlsx
from monitor.governance.inventory.xlsx import COLUMNS

HEADERS = ["应用编号", "应用名称", "所属部门", "应用分类", "等级", "负责人", "手机", "缺失信息",
           "重复", "可达性", "分类", "依据", "趋势", "距通报天数", "整改建议", "整改期限"]


def workbook(audit: Audit) -> Any:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(audit)))


def test_xlsx_sheets_headers_and_layout(audit: Audit) -> None:
    book = workbook(audit)
    assert book.sheetnames == ["应用清单", "汇总"]
    sheet = book["应用清单"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P12"
    assert sheet.max_row == 12  # header + 11 apps
    for letter, (_, width) in zip("ABCDEFGHIJKLMNOP", COLUMNS, strict=True):
        assert sheet.column_dimensions[letter].width == width
    assert book["汇总"].freeze_panes == "A2"


def test_xlsx_rows_hold_plain_values(audit: Audit) -> None:
    sheet = workbook(audit)["应用清单"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [a.id for a in audit.apps]
    down = dict(zip(HEADERS, rows["zombie-down"], strict=True))
    assert down["应用名称"] == "停摆应用"
    assert down["等级"] == 2
    assert down["手机"] == "13800000001"  # text, not 1.38E+10
    assert down["可达性"] == "不可达（自 2026-10-10 08:00）"
    assert down["分类"] == "僵尸应用（已认定）；低可用应用（已认定）"
    assert down["依据"].startswith("僵尸应用：自 2026-10-10 08:00 起全部检查持续失败 45 天")
    assert "无访问量数据" in down["依据"]
    assert down["趋势"] == ("僵尸应用：月可用率下降（100% → 100% → 30.107%）\n"
                          "低可用应用：月可用率下降（100% → 100% → 30.107%）")
    assert down["距通报天数"] == 37
    assert down["整改建议"].startswith("1. 核实应用是否已停止服务")
    assert down["整改期限"] == dt.datetime(2026, 12, 16)  # a date cell
    healthy = dict(zip(HEADERS, rows["healthy"], strict=True))
    assert healthy["分类"] is None  # empty cells stay empty
    assert healthy["整改期限"] is None
    dup = dict(zip(HEADERS, rows["dup-b"], strict=True))
    assert dup["缺失信息"] == "负责人手机、所属部门、IRS编号、等级、目标用户数"
    assert dup["重复"] == "地址相同：dup-a"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formulas anywhere


def test_xlsx_summary_sheet(audit: Audit) -> None:
    sheet = workbook(audit)["汇总"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in sheet[1]] == ["项目", "数值"]
    assert values["应用总数"] == 11
    assert values["僵尸应用（已认定）"] == 3
    assert values["僵尸应用（预警）"] == 1
    assert values["低频应用（已认定）"] == 1
    assert values["低可用应用（已认定）"] == 3
    assert values["通报日（季度末）"] == dt.datetime(2026, 12, 31)
    assert values["距通报天数"] == 37
    assert values["当前不可达"] == 1
    assert values["无访问量数据的应用"] == 6


def test_xlsx_keeps_formula_like_text_as_text(audit: Audit) -> None:
    app = dataclasses.replace(audit.apps[0], name="=HYPERLINK(\"http://x\")", department="+1")
    sheet = workbook(dataclasses.replace(audit, apps=(app,)))["应用清单"]
    assert sheet["B2"].value == "=HYPERLINK(\"http://x\")"
    assert sheet["B2"].data_type == "s"
    assert sheet["C2"].value == "+1"


class Page(HTMLParser):
    """Checks the page is well nested and records what the tests look at."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.apps: list[str] = []
        self.text: list[str] = []
        self.external: list[str] = []
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta":
            self.meta.append(found)
        if tag == "article" and found.get("data-app"):
            self.apps.append(found["data-app"] or "")
        for key in ("src", "href"):
            if found.get(key):
                self.external.append(found[key] or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack[-3:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_and_is_self_contained(audit: Audit) -> None:
    page = Page()
    html = render_html(audit)
    page.feed(html)
    page.close()
    assert page.stack == []
    assert html.startswith("<!doctype html>\n<html lang=\"zh-CN\">")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.meta
    assert page.external == []  # no fonts, scripts or images from elsewhere
    # Flagged first, then warnings only, then gaps in the record, then the rest; by id within.
    assert page.apps == ["bad-week", "low-avail", "low-freq", "no-owner", "zombie-down",
                         "zombie-quiet", "zombie-warn", "dup-a", "dup-b", "name-twin",
                         "healthy"]
    text = "".join(page.text)
    for phrase in ("应用清单治理报告", "距通报", "37 天", "2026-12-16", "僵尸应用（已认定）",
                   "台账未登记负责人", "无访问量数据", "认定规则与说明", "日访客数之和"):
        assert phrase in text


def test_html_fits_a_phone(audit: Audit) -> None:
    html = render_html(audit)
    assert "<table class=\"months\">" in html  # the only table: four narrow columns
    assert "max-width: 56rem" in html
    assert "overflow-wrap: anywhere" in html
    assert "width: 100%" in html


def test_html_escapes_names(audit: Audit) -> None:
    app = dataclasses.replace(audit.apps[0], name="<script>alert(1)</script>")
    html = render_html(dataclasses.replace(audit, apps=(app,)))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_json_shape_is_serialisable(body: dict[str, Any]) -> None:
    assert set(body) == {"generated_at", "timezone", "today", "quarter_end", "days_left",
                         "deadline", "months", "has_probe_data", "apps", "summary", "rules"}
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body
    finding = next(a for a in body["apps"] if a["id"] == "low-freq")["classes"][0]
    assert set(finding) == {"class", "level", "reasons", "evidence", "basis", "trend"}
    assert set(finding["trend"]) == {"direction", "metric", "months", "values"}
    assert any("日访客数之和" in rule for rule in body["rules"])
