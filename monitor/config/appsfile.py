"""App inventories kept as spreadsheets (CSV or XLSX), as departments hand them over.

Each row becomes the same node tree a YAML app entry would give (an app with `url`, which the
loader turns into an http check "home"), so one code path validates both. Row numbers are the
spreadsheet's (header = 1) and issues name the column as written in the header, because that
is what the person fixing the sheet sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import openpyxl

from monitor.config.build import unknown_key_message
from monitor.config.yamlnodes import ConfigIssue, Entry, Issues, Map, Node, Seq, scalar_from_text
from monitor.core.configtext import ConfigText, ConfigValueError

COLUMNS: Final = (
    "id", "name", "department", "category", "tier", "owner_name", "owner_mobile",
    "owner_email", "url", "notify", "irs_id", "target_users", "status",
)  # fmt: skip
REQUIRED_COLUMNS: Final = ("id", "name", "url")
CHINESE_COLUMNS: Final = {
    "应用编号": "id", "应用名称": "name", "所属部门": "department", "应用分类": "category",
    "等级": "tier", "负责人": "owner_name", "手机": "owner_mobile", "邮箱": "owner_email",
    "地址": "url", "通知": "notify", "IRS编号": "irs_id", "目标用户数": "target_users",
    "上架状态": "status",
}  # fmt: skip
# The listing status as a sheet says it in Chinese.
_STATUS_WORDS: Final = {"试运行": "trial", "已上架": "listed", "上架": "listed",
                        "已下架": "delisted", "下架": "delisted"}
# Where a column lands in the app's node tree (the rest keep their own name).
_NODE_PATHS: Final = {"owner_name": "owner.name", "owner_mobile": "owner.mobile",
                      "owner_email": "owner.email"}  # fmt: skip
# People type either kind of separator, in either width.
_NOTIFY_SPLIT: Final = re.compile(r"[;,；，]")
_HEADER_LINE: Final = 1


class AppsFileError(ConfigValueError):
    """The file as a whole cannot be used (missing, unreadable, wrong type, no such sheet);
    `text` says why (monitor.core.configtext)."""


@dataclass(frozen=True)
class AppsTable:
    file: str
    rows: tuple[Map, ...]  # one app node per data row
    headers: Mapping[str, str]  # node key path (e.g. owner.mobile) -> its header as written
    usable: bool = True  # False: a required column is missing, so no row was read

    def locate(self, issue: ConfigIssue) -> ConfigIssue:
        """`issue` from building a row, told the way the sheet shows it: the column header as
        the key path, and a missing key as the empty cell it is."""
        bare = re.sub(r"\[\d+\]$", "", issue.key_path)
        text = ConfigText("cell.empty") if issue.text.code == "key.missing" else issue.text
        return replace(issue, key_path=self.headers.get(bare, issue.key_path), text=text)

    def in_sheet_order(self, issues: Iterable[ConfigIssue]) -> list[ConfigIssue]:
        """Row issues located, by row and then left to right, as one reads the sheet."""
        columns = list(self.headers.values())
        located = [self.locate(issue) for issue in issues]

        def position(issue: ConfigIssue) -> tuple[int, int]:
            column = issue.key_path
            return issue.line, columns.index(column) if column in columns else len(columns)

        return sorted(located, key=position)


def read_apps_file(path: Path, sheet: str | None, issues: Issues) -> AppsTable:
    """The rows of an inventory; header problems go to `issues`, file problems are raised."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise AppsFileError("apps_file.sheet_csv")
        rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path, sheet)
    else:
        raise AppsFileError("apps_file.type", suffix=suffix)
    if not rows:
        raise AppsFileError("apps_file.empty", path=str(path))
    file = str(path)
    columns = _columns(file, rows[0], issues)
    if not set(REQUIRED_COLUMNS) <= {name for _, name in columns.values()}:
        return AppsTable(file, (), {}, usable=False)  # each row would repeat the header's error
    nodes = tuple(
        _row_node(file, number, columns, row)
        for number, row in enumerate(rows[1:], start=_HEADER_LINE + 1)
        if any(_cell_text(cell) for cell in row)
    )
    headers = {_NODE_PATHS.get(name, name): header for header, name in columns.values()}
    return AppsTable(file, nodes, headers)


def _read_csv(path: Path) -> list[Sequence[Any]]:
    data = _read_bytes(path)
    # Excel in China saves CSV as GBK; GB18030 is its superset and decodes whatever GBK does.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise AppsFileError("apps_file.decode", path=str(path))
    return list(csv.reader(io.StringIO(text, newline="")))


def _read_xlsx(path: Path, sheet: str | None) -> list[Sequence[Any]]:
    _read_bytes(path)  # a clear "cannot read" before openpyxl's own errors
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for damaged files
        raise AppsFileError("apps_file.workbook", path=str(path), detail=str(exc)) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise AppsFileError("apps_file.no_sheet", sheet=sheet,
                                sheets=", ".join(book.sheetnames))
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AppsFileError("apps_file.unreadable", path=str(path), detail=exc.strerror) from exc


def _columns(file: str, header: Sequence[Any], issues: Issues) -> dict[int, tuple[str, str]]:
    """Column index -> (header as written, canonical name); bad headers are reported."""
    columns: dict[int, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    known = [*COLUMNS, *CHINESE_COLUMNS]
    for index, cell in enumerate(header):
        written = _cell_text(cell)
        if not written:
            continue  # an unnamed column is left alone
        name = CHINESE_COLUMNS.get(written) or written.lower().replace(" ", "_")
        if name not in COLUMNS:
            message = unknown_key_message(written, known, what="what.column")
            issues.add(file, _HEADER_LINE, written, message)
        elif name in seen:
            message = ConfigText("column.twice", name=name, other=seen[name])
            issues.add(file, _HEADER_LINE, written, message)
        else:
            seen[name] = written
            columns[index] = (written, name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            alias = next(zh for zh, en in CHINESE_COLUMNS.items() if en == name)
            issues.add(file, _HEADER_LINE, "", ConfigText("column.missing", name=name, alias=alias))
    return columns


def _row_node(
    file: str, line: int, columns: Mapping[int, tuple[str, str]], row: Sequence[Any]
) -> Map:
    """The app entry a row stands for; empty cells are left out, as unwritten keys are."""
    entries: dict[str, Entry] = {}
    owner: dict[str, Entry] = {}
    for index, (_, name) in columns.items():
        text = _cell_text(row[index]) if index < len(row) else ""
        if not text:
            continue
        if name == "status":
            text = _STATUS_WORDS.get(text, text)
        value: Node = scalar_from_text(file, line, text)
        if name == "notify":
            parts = [part.strip() for part in _NOTIFY_SPLIT.split(text) if part.strip()]
            value = Seq(file, line, tuple(scalar_from_text(file, line, p) for p in parts))
        if name.startswith("owner_"):
            owner[name.removeprefix("owner_")] = Entry(name, line, value)
        else:
            entries[name] = Entry(name, line, value)
    if owner:
        entries["owner"] = Entry("owner", line, Map(file, line, owner))
    return Map(file, line, entries)


def _cell_text(cell: Any) -> str:
    """A cell as text the way it looks in the sheet: 13800000000.0 -> '13800000000'."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat()
    return str(cell).strip()
