"""The audit as an Excel workbook (`--format xlsx`), for the centre's inventory desk.

Sheet 应用清单: one row per app in config order, Chinese headers, header row frozen, an
auto-filter over the table, widths set, long cells wrapped. Sheet 汇总: the counts. Values are
plain strings, numbers and dates, no formulas, so Excel and WPS open it the same and nothing
recalculates; text that looks like a formula (=, +, -, @ first) is stored as text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from monitor.inventory import texts, words
from monitor.inventory.model import CLASSES, LEVELS, AppAudit, Audit

SHEET_APPS: Final = "应用清单"
SHEET_SUMMARY: Final = "汇总"
# (header, width in characters): a CJK character takes about two widths.
COLUMNS: Final = (
    ("应用编号", 14), ("应用名称", 22), ("所属部门", 16), ("应用分类", 12), ("等级", 6),
    ("负责人", 10), ("手机", 14), ("缺失信息", 20), ("重复", 20), ("可达性", 24),
    ("分类", 24), ("依据", 60), ("趋势", 36), ("距通报天数", 11), ("整改建议", 50),
    ("整改期限", 12),
)  # fmt: skip
DATE_FORMAT: Final = "yyyy-mm-dd"
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDE7F3")
_FORMULA_START: Final = ("=", "+", "-", "@")


def to_xlsx(audit: Audit) -> bytes:
    tz = ZoneInfo(audit.timezone)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET_APPS
    _table(sheet, [c[0] for c in COLUMNS], [_row(app, audit, tz) for app in audit.apps],
           [c[1] for c in COLUMNS])
    summary = book.create_sheet(SHEET_SUMMARY)
    _table(summary, ["项目", "数值"], _summary_rows(audit, tz), [28, 22])
    book.properties.creator = "appmon inventory audit"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(app: AppAudit, audit: Audit, tz: ZoneInfo) -> list[Any]:
    rect = app.rectification
    return [
        app.id, app.name, app.department, app.category, app.tier, app.owner_name or "",
        app.owner_mobile or "", words.missing_text(app), words.duplicates_text(app),
        words.reach_text(app, tz), words.classes_text(app), words.basis_text(app),
        words.trends_text(app), audit.days_left, words.actions_text(app),
        rect.deadline if rect else "",
    ]


def _summary_rows(audit: Audit, tz: ZoneInfo) -> list[list[Any]]:
    counts = audit.summary()
    rows: list[list[Any]] = [
        ["生成时间", words.when(audit.generated_at, tz)],
        ["审计日", audit.today],
        ["通报日（季度末）", audit.quarter_end],
        ["距通报天数", audit.days_left],
        ["整改期限", audit.deadline],
        ["应用总数", counts["apps"]],
    ]
    for cls in CLASSES:
        for level in LEVELS:
            label = f"{texts.CLASS_LABELS[cls]}（{texts.LEVEL_LABELS[level]}）"
            rows.append([label, counts["classes"][cls][level]])
    rows += [
        ["有认定分类的应用", counts["apps_flagged"]],
        ["仅有预警的应用", counts["apps_warning_only"]],
        ["缺失信息的应用", counts["apps_missing_fields"]],
        ["重复登记的应用", counts["apps_duplicated"]],
        ["需整改的应用", counts["apps_to_rectify"]],
    ]
    rows += [[f"当前{texts.STATUS_LABELS[s]}", n] for s, n in counts["reachability"].items()]
    rows.append(["无访问量数据的应用", counts["apps_without_traffic_data"]])
    return rows


def _table(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Sequence[int]) -> None:
    bold = Font(bold=True)
    for col, header in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=col, value=header)
        cell.font = bold
        cell.fill = _HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, 2):
        for col, value in enumerate(values, 1):
            _put(sheet.cell(row=r, column=col), value, wrap)
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"


def _put(cell: Any, value: Any, wrap: Alignment) -> None:
    cell.alignment = wrap
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        # openpyxl stores a leading "=" as a formula; names and messages are never formulas.
        cell.data_type = "s"
        if text.startswith(_FORMULA_START) or text.isdigit():
            cell.number_format = "@"  # shown as typed: no formula, no 1.38E+10 for a mobile
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
