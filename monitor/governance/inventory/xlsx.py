"""The audit as an Excel workbook (`--format xlsx`), for the centre's inventory desk.

Sheet 应用清单 (App inventory): one row per app in config order, headers in the reader's
language, header row frozen, an auto-filter over the table, widths set, long cells wrapped.
Sheet 汇总 (Summary): the counts. Values are plain strings, numbers and dates, no formulas, so
Excel and WPS open it the same and nothing recalculates; text that looks like a formula (=, +,
-, @ first) is stored as text.
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

from monitor.governance.inventory import words
from monitor.governance.inventory.model import CLASSES, LEVELS, AppAudit, Audit
from monitor.governance.inventory.texts import word

# (column code, width in characters): a CJK character takes about two widths. The headers
# are the catalog's "col.<code>" in the reader's language.
COLUMNS: Final = (
    ("id", 14), ("name", 22), ("department", 16), ("category", 12), ("tier", 6),
    ("owner", 10), ("mobile", 14), ("missing", 20), ("duplicates", 20), ("reach", 24),
    ("classes", 24), ("basis", 60), ("trend", 36), ("days_left", 11), ("actions", 50),
    ("deadline", 12),
)  # fmt: skip
DATE_FORMAT: Final = "yyyy-mm-dd"
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDE7F3")
_FORMULA_START: Final = ("=", "+", "-", "@")


def sheet_names(lang: str) -> tuple[str, str]:
    """The apps sheet and the summary sheet, in `lang`."""
    return word(lang, "sheet.apps"), word(lang, "sheet.summary")


def to_xlsx(audit: Audit, lang: str | None = None) -> bytes:
    """The workbook in `lang` (default: the audit's, i.e. service.language)."""
    lang = lang or audit.language
    tz = ZoneInfo(audit.timezone)
    apps_title, summary_title = sheet_names(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = apps_title
    _table(sheet, [word(lang, f"col.{code}") for code, _ in COLUMNS],
           [_row(app, audit, tz, lang) for app in audit.apps], [c[1] for c in COLUMNS])
    summary = book.create_sheet(summary_title)
    _table(summary, [word(lang, "sum.item"), word(lang, "sum.value")],
           _summary_rows(audit, tz, lang), [28, 22])
    book.properties.creator = "appmon inventory audit"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(app: AppAudit, audit: Audit, tz: ZoneInfo, lang: str) -> list[Any]:
    rect = app.rectification
    return [
        app.id, app.name, app.department, app.category, app.tier, app.owner_name or "",
        app.owner_mobile or "", words.missing_text(app, lang), words.duplicates_text(app, lang),
        words.reach_text(app, tz, lang), words.classes_text(app, lang),
        words.basis_text(app, lang), words.trends_text(app, lang), audit.days_left,
        words.actions_text(app, lang), rect.deadline if rect else "",
    ]


def _summary_rows(audit: Audit, tz: ZoneInfo, lang: str) -> list[list[Any]]:
    counts = audit.summary()
    rows: list[list[Any]] = [
        [word(lang, "sum.generated"), words.when(audit.generated_at, tz)],
        [word(lang, "sum.today"), audit.today],
        [word(lang, "sum.quarter_end"), audit.quarter_end],
        [word(lang, "sum.days_left"), audit.days_left],
        [word(lang, "sum.deadline"), audit.deadline],
        [word(lang, "sum.apps"), counts["apps"]],
    ]
    rows += [[words.class_level(cls, level, lang), counts["classes"][cls][level]]
             for cls in CLASSES for level in LEVELS]
    rows += [[word(lang, f"sum.{key}"), counts[key]]
             for key in ("apps_flagged", "apps_warning_only", "apps_missing_fields",
                         "apps_duplicated", "apps_to_rectify")]
    rows += [[word(lang, f"sum.now.{s}"), n] for s, n in counts["reachability"].items()]
    rows.append([word(lang, "sum.apps_without_traffic_data"),
                 counts["apps_without_traffic_data"]])
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
