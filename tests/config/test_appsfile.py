"""App inventories from CSV and XLSX: Chinese or English headers, GBK, row/column errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from monitor.config import ConfigError, ConfigIssue, load_config

ZH_HEADER = "应用编号,应用名称,所属部门,应用分类,等级,负责人,手机,邮箱,地址,通知,IRS编号,目标用户数"
EN_HEADER = (
    "id,name,department,category,tier,owner_name,owner_mobile,owner_email,url,notify,"
    "irs_id,target_users"
)
ROWS = [
    "kq-wlkq,文旅柯桥,区文广旅游局,文化旅游,3,孙丽,13800000011,sunli@example.org,"
    "https://wl.example.org/,robot；hook,A001,800",
    "kq-zhcg,智慧城管,区综合执法局,城市管理,2,周杰,13800000012,,https://cg.example.org/,robot,,",
]
YAML = """\
apps_file: "{name}"
{extra}
apps:
  - {{id: "kq-oa", name: "柯桥区协同办公", url: "https://oa.example.org/"}}
notifiers:
  - {{id: robot, kind: webhook, url: "https://hook.example.org/a"}}
  - {{id: hook, kind: webhook, url: "https://hook.example.org/b"}}
"""


def write_config(tmp_path: Path, name: str, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(YAML.format(name=name, extra=extra), encoding="utf-8")
    return path


def issues_of(path: Path) -> list[ConfigIssue]:
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    return info.value.issues


def located(issues: list[ConfigIssue], tmp_path: Path) -> list[str]:
    """Rendered issues with the temporary directory left out, for readable expectations."""
    return [str(issue).replace(f"{tmp_path}/", "") for issue in issues]


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "应用清单") -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = sheet
    for row in rows:
        first.append(row)
    book.create_sheet("说明").append(["填写说明"])
    book.save(path)


@pytest.mark.parametrize(
    ("header", "encoding"),
    [(ZH_HEADER, "utf-8-sig"), (ZH_HEADER, "utf-8"), (ZH_HEADER, "gbk"), (EN_HEADER, "utf-8")],
)
def test_csv_rows_become_apps_with_a_home_check(tmp_path: Path, header: str, encoding: str) -> None:
    (tmp_path / "apps.csv").write_bytes("\r\n".join([header, *ROWS, ""]).encode(encoding))
    config = load_config(write_config(tmp_path, "apps.csv"), env={})
    assert [app.id for app in config.apps] == ["kq-oa", "kq-wlkq", "kq-zhcg"]
    app = config.apps[1]
    assert (app.name, app.department, app.category, app.tier) == (
        "文旅柯桥",
        "区文广旅游局",
        "文化旅游",
        3,
    )
    assert app.owner is not None
    assert (app.owner.name, app.owner.mobile, app.owner.email) == (
        "孙丽",
        "13800000011",
        "sunli@example.org",
    )
    assert (app.notify, app.irs_id, app.target_users) == (("robot", "hook"), "A001", 800)
    assert (app.line, config.apps[2].line) == (2, 3)  # spreadsheet rows, header = 1
    [home] = app.checks
    assert (home.id, home.kind, home.spec.url) == ("home", "http", "https://wl.example.org/")
    assert (home.interval_s, home.timeout_s) == (
        config.defaults.interval_s,
        config.defaults.timeout_s,
    )
    assert config.apps[2].owner is not None
    assert config.apps[2].owner.email is None
    assert config.apps[2].target_users is None


def test_csv_errors_name_row_and_column_as_written(tmp_path: Path) -> None:
    rows = [
        ZH_HEADER,
        "kq-a,A,部门,分类,1,张三,13800000001,a@example.org,https://a.example.org/,robot,,",
        "KQ B,B,部门,分类,5,李四,1380000,not-mail,ftp://b.example.org/,robot;pager,,many",
        "kq-oa,重复,部门,分类,2,王五,13800000003,,https://c.example.org/,,,",
        ",,部门,,,,,,,,,",
        ",,,,,,,,,,,",  # an empty row is skipped, not an app
    ]
    (tmp_path / "apps.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert located(issues_of(write_config(tmp_path, "apps.csv")), tmp_path) == [
        "apps.csv:3: 应用编号: bad app id 'KQ B': use a-z, 0-9 and '-', not starting with '-'",
        "apps.csv:3: 等级: must be between 1 and 3, got 5",
        "apps.csv:3: 手机: bad mobile number '1380000': expected 11 digits starting with 1",
        "apps.csv:3: 邮箱: bad email address 'not-mail'",
        "apps.csv:3: 地址: bad URL 'ftp://b.example.org/': must start with http:// or https://",
        "apps.csv:3: 通知: unknown notifier 'pager'; expected one of: hook, robot",
        "apps.csv:3: 目标用户数: expected an integer, got 'many'",
        "apps.csv:4: 应用编号: duplicate app id 'kq-oa' (first at config.yaml:4)",
        "apps.csv:5: 应用编号: empty cell: a value is required",
        "apps.csv:5: 应用名称: empty cell: a value is required",
        "apps.csv:5: 地址: empty cell: a value is required",
    ]


def test_csv_header_problems(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text(
        "应用编号,应用名称,nmae,等级,等级\nkq-a,A,x,1,1\n", encoding="utf-8"
    )
    assert located(issues_of(write_config(tmp_path, "apps.csv")), tmp_path) == [
        "apps.csv:1: nmae: unknown column 'nmae'; did you mean 'name'?",
        "apps.csv:1: 等级: column 'tier' appears twice (also as '等级')",
        "apps.csv:1: missing column 'url' (or '地址')",
    ]


def test_xlsx_with_numbers_typed_as_numbers(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "apps.xlsx",
        [
            ZH_HEADER.split(","),
            ["kq-jk", "健康柯桥", "区卫健局", "医疗健康", 2, "刘洋", 13800000005, None,
             "https://jk.example.org/", "robot", None, 12000.0],
        ],
    )  # fmt: skip
    config = load_config(write_config(tmp_path, "apps.xlsx"), env={})
    app = config.apps[1]
    assert (app.id, app.tier, app.target_users) == ("kq-jk", 2, 12000)
    assert app.owner is not None
    assert app.owner.mobile == "13800000005"


def test_xlsx_errors_name_row_and_english_column(tmp_path: Path) -> None:
    header = EN_HEADER.split(",")
    good = ["kq-a", "A", "", "", 1, "张三", 13800000001, "", "https://a.example.org/", "", "", ""]
    bad = ["kq-b", "B", "", "", "一级", "李四", 1380000, "", "https://b.example.org/", "", "", ""]
    write_xlsx(tmp_path / "apps.xlsx", [header, good, [*good[:1], "A2", *good[2:]], [], bad])
    assert located(issues_of(write_config(tmp_path, "apps.xlsx")), tmp_path) == [
        "apps.xlsx:3: id: duplicate app id 'kq-a' (first at line 2)",
        "apps.xlsx:5: tier: expected an integer, got '一级'",
        "apps.xlsx:5: owner_mobile: bad mobile number '1380000'"
        ": expected 11 digits starting with 1",
    ]


def test_xlsx_sheet_by_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["说明"])
    inventory = book.create_sheet("清单")
    inventory.append(["id", "name", "url"])
    inventory.append(["kq-x", "X", "https://x.example.org/"])
    book.save(tmp_path / "apps.xlsx")
    config = load_config(write_config(tmp_path, "apps.xlsx", 'apps_file_sheet: "清单"'), env={})
    assert config.apps[-1].id == "kq-x"
    path = write_config(tmp_path, "apps.xlsx", 'apps_file_sheet: "Sheet9"')
    assert located(issues_of(path), tmp_path) == [
        "config.yaml:1: apps_file: no sheet 'Sheet9'; sheets: Sheet, 清单"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "cannot read {dir}/missing.csv: No such file or directory"),
        ("apps.xls", b"old", "unsupported file type '.xls': use .csv or .xlsx"),
        (
            "apps.xlsx",
            b"not a zip",
            "cannot open {dir}/apps.xlsx as a workbook: File is not a zip file",
        ),
        ("apps.csv", b"", "{dir}/apps.csv is empty: expected a header row"),
        ("apps.csv", b"id,name,url\n", "{dir}/apps.csv has no rows of apps"),
        ("apps.csv", b"\xff\xfe\x00", "cannot decode {dir}/apps.csv: save it as UTF-8 (or GBK)"),
    ],
)
def test_unusable_apps_files_are_reported_at_the_apps_file_key(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    [issue] = issues_of(write_config(tmp_path, name))
    assert (issue.line, issue.key_path) == (1, "apps_file")
    assert issue.message == message.format(dir=tmp_path)


def test_apps_may_be_empty_when_an_apps_file_is_given(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text(
        "id,name,url\nkq-a,A,https://a.example.org/\n", encoding="utf-8"
    )
    path = tmp_path / "c.yaml"
    path.write_text('apps_file: "apps.csv"\n', encoding="utf-8")
    assert [app.id for app in load_config(path, env={}).apps] == ["kq-a"]
