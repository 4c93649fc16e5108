"""The audit in the reader's language: with `service.language: en` every view (sheet, page,
JSON, the words stored for rectification items) is English, and nothing Chinese is left but
what the config itself says (app names, departments, categories, owners). The default stays
Chinese (the other tests of this folder read it)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from monitor.cli import main
from monitor.commands import inventory as command
from monitor.config import load_config
from monitor.core.catalog import EN, ZH
from monitor.core.config.model import Config
from monitor.core.reasons import Reason
from monitor.governance.inventory import Audit, render_html, to_json, to_xlsx
from monitor.governance.inventory.texts import action_text, basis, note_text
from tests.inventory import synthetic
from tests.inventory.conftest import Inventory, audit_of
from tests.inventory.test_views import Page

# CJK ideographs, CJK punctuation (、；（）) and full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
HEADERS = ["App ID", "App name", "Department", "Category", "Tier", "Owner", "Mobile",
           "Missing details", "Duplicates", "Reachability", "Classes", "Evidence", "Trend",
           "Days to notice", "Rectification", "Deadline"]


@pytest.fixture(scope="session")
def english_config(inventory: Inventory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("english") / "config.yaml"
    path.write_text(synthetic.config_yaml(inventory.data_dir).replace(
        "service:\n", 'service:\n  language: "en"\n', 1), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def audit_en(inventory: Inventory, english_config: Path) -> Audit:
    return asyncio.run(audit_of(load_config(english_config), inventory.data_dir,
                                synthetic.NOW))


def config_words(config: Config) -> list[str]:
    """What the config itself says, longest first (so "门户二期" goes before "门户")."""
    found = {text for app in config.apps
             for text in (app.name, app.department, app.category,
                          app.owner.name if app.owner else "") if text}
    return sorted(found, key=len, reverse=True)


def foreign(texts: list[str], config: Config) -> list[str]:
    """The texts that still hold CJK once the config's own words are taken out."""
    own = config_words(config)
    left = []
    for text in texts:
        rest = text
        for word in own:
            rest = rest.replace(word, "")
        if CJK.search(rest):
            left.append(rest)
    return left


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_the_language_is_the_services(audit: Audit, audit_en: Audit) -> None:
    assert (audit.language, audit_en.language) == (ZH, EN)
    down = next(a for a in audit_en.apps if a.id == "zombie-down")
    # The words listing copies into rectification items follow service.language too.
    assert down.findings[0].basis.startswith("every check failing since 2026-10-10 08:00")
    assert down.rectification is not None
    assert down.rectification.actions[0] == (
        "Check whether the app has stopped serving: restore access, or apply to delist it")
    chinese = next(a for a in audit.apps if a.id == "zombie-down")
    assert chinese.findings[0].basis.startswith("自 2026-10-10 08:00 起全部检查持续失败")


def test_xlsx_in_english(audit_en: Audit, config: Config) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(audit_en)))
    assert book.sheetnames == ["App inventory", "Summary"]
    sheet = book["App inventory"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.auto_filter.ref == "A1:P12"
    rows = {row[0]: dict(zip(HEADERS, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)}
    down = rows["zombie-down"]
    assert down["App name"] == "停摆应用"  # the config's own words stay as written
    assert down["Reachability"] == "Unreachable (since 2026-10-10 08:00)"
    assert down["Classes"] == "Zombie app (flagged); Low-availability app (flagged)"
    assert down["Evidence"].startswith(
        "Zombie app: every check failing since 2026-10-10 08:00, for 45 days (1082 hours "
        "with runs, all 4328 runs failed; line 30 days)\nLow-availability app: availability "
        "in 2026-10 30.107%, under 99% (2080 of 2976 runs failed; maintenance hours left "
        "out: 0); week 2026-10-27 to 2026-11-02: 100% of runs failed (672/672), at or over 5%")
    assert down["Evidence"].endswith("\nNo traffic data")
    assert down["Trend"] == ("Zombie app: Monthly availability down (100% → 100% → 30.107%)\n"
                             "Low-availability app: Monthly availability down "
                             "(100% → 100% → 30.107%)")
    assert down["Rectification"].startswith("1. Check whether the app has stopped serving")
    assert down["Deadline"] == dt.datetime(2026, 12, 16)
    dup = rows["dup-b"]
    assert dup["Missing details"] == "owner's mobile, department, IRS number, tier, target users"
    assert dup["Duplicates"] == "Same URL: dup-a"
    assert rows["dup-a"]["Evidence"] == "Traffic data stopped (last day with data: 2026-10-10)"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Item"] == "Value"
    assert summary["Apps"] == 11
    assert summary["Zombie app (flagged)"] == 3
    assert summary["Low-frequency app (warning)"] == 1
    assert summary["Unreachable now"] == 1
    assert summary["Apps without traffic data"] == 6
    cells = [str(cell.value) for name in book.sheetnames for row in book[name].iter_rows()
             for cell in row if cell.value is not None]
    assert foreign(cells, config) == []


def test_html_in_english(audit_en: Audit, config: Config) -> None:
    html = render_html(audit_en)
    assert html.startswith("<!doctype html>\n<html lang=\"en\">")
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    text = "".join(page.text)
    for phrase in ("App inventory audit", "Zombie app (flagged)", "no owner on record",
                   "Rules and notes", "sum of the month's daily visitors",
                   "Rectification (deadline 2026-12-16)", "Unreachable (since 2026-10-10"):
        assert phrase in text
    assert foreign(page.text, config) == []


def test_json_in_english(audit_en: Audit, body: dict[str, Any], config: Config) -> None:
    english = to_json(audit_en)
    apps = {app["id"]: app for app in english["apps"]}
    assert apps["bad-week"]["classes"][0]["basis"] == (
        "week 2026-11-10 to 2026-11-16: 5.059% of runs failed (17/336), at or over 5%")
    assert apps["zombie-down"]["traffic"]["note"] == "No traffic data"
    assert apps["no-owner"]["rectification"]["actions"] == [
        "Name the app's owner and put them on record (name, mobile); if nobody claims the "
        "app, apply to delist it", "Complete the record: owner, owner's mobile"]
    assert english["rules"][0].startswith("Zombie app: 90 days with data and no visitor")
    assert foreign(list(strings(english)), config) == []
    # Only the sentences differ: every key, code and figure is the Chinese audit's.
    assert json.dumps(_without_words(english)) == json.dumps(_without_words(body))


def _without_words(body: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(body))
    out["rules"] = len(out["rules"])
    for app in out["apps"]:
        app["traffic"]["note"] = app["traffic"]["note"] is not None
        for finding in app["classes"]:
            finding["basis"] = bool(finding["basis"])
        if app["rectification"]:
            app["rectification"]["actions"] = len(app["rectification"]["actions"])
    return out


def test_one_audit_reads_in_either_language(audit: Audit, audit_en: Audit,
                                            body: dict[str, Any]) -> None:
    # The evidence and actions are held as codes with figures, so a view may say them in
    # another language than the audit was built in.
    assert to_json(audit, EN) == to_json(audit_en)
    assert to_json(audit_en, ZH) == body
    assert cells(to_xlsx(audit, EN)) == cells(to_xlsx(audit_en))
    assert render_html(audit_en, ZH) == render_html(audit)


def cells(data: bytes) -> list[list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[[c.value for c in row] for row in book[name].iter_rows()]
            for name in book.sheetnames]


def test_cli_follows_the_service_language(english_config: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "now_s", lambda: synthetic.NOW)
    for fmt in ("xlsx", "json", "html"):
        out = tmp_path / f"audit.{fmt}"
        assert main(["inventory", "audit", "--config", str(english_config), "--format", fmt,
                     "--out", str(out)]) == 0
    assert openpyxl.load_workbook(tmp_path / "audit.xlsx").sheetnames == [
        "App inventory", "Summary"]
    body = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert body["apps"][1]["classes"][0]["basis"].startswith("no visitor from 2026-08-20")
    assert "<html lang=\"en\">" in (tmp_path / "audit.html").read_text(encoding="utf-8")


# The sentences' other forms, which the synthetic stories do not reach; the Chinese as the
# audit has always written it.
NOTES = [
    (Reason("zero_visitors", {"since": "2026-05-28", "until": "2026-11-23", "days": 180,
                              "at_least": True, "gaps": 0, "last": None, "limit": 90,
                              "warning": 30}),
     "2026-05-28 至 2026-11-23 连续 180 天以上无访问（最近有访问：统计期内无；认定线 90 天，"
     "预警线 30 天）",
     "no visitor from 2026-05-28 to 2026-11-23, 180 days or more running (last visit: none "
     "in the period read; line 90 days, warning from 30 days)"),
    (Reason("unreachable", {"since": "2026-08-01T00:00:00+08:00", "days": 115,
                            "at_least": True, "hours": 2746, "failed": 5492, "limit": 30}),
     "自 2026-08-01 00:00 起全部检查持续失败 115 天以上（2746 个有探测的小时、5492 次探测全部"
     "失败；认定线 30 天）",
     "every check failing since 2026-08-01 00:00, for 115 days or more (2746 hours with "
     "runs, all 5492 runs failed; line 30 days)"),
    (Reason("under_threshold", {"months": (("2026-08", None), ("2026-09", 4)), "run": 1,
                                "threshold": 10, "min": 10, "share": "5%", "target": None,
                                "required": 3}),
     "月访问人次（日访客数之和）2026-08 无数据、2026-09 4；连续 1 个月低于门槛 10（max(10, "
     "目标用户数 未登记 × 5%)；认定需连续 3 个月）",
     "monthly visitors (sum of daily visitors) 2026-08 no data, 2026-09 4; months running "
     "under the line of 10: 1 (max(10, target users not on record × 5%); flagged after 3 "
     "months running)"),
]


@pytest.mark.parametrize(("note", "zh", "en"), NOTES, ids=[n[0].code for n in NOTES])
def test_evidence_sentences(note: Reason, zh: str, en: str) -> None:
    assert note_text(note, ZH) == zh
    assert note_text(note, EN) == en


def test_actions_with_figures() -> None:
    warning = Reason("action.zombie.warning", {"warning": 30, "limit": 90})
    assert action_text(warning, ZH) == (
        "连续 30 天以上无访问：提醒负责人确认使用情况，避免 90 天后认定为僵尸应用")
    assert action_text(warning, EN).startswith("No visitor for 30 days or more")
    duplicate = Reason("action.duplicate", {"ids": ("a", "b")})
    assert action_text(duplicate, ZH) == "核实重复登记（与 a、b），合并或下架重复项"
    assert action_text(duplicate, EN).startswith("Check the duplicate entries (with a, b)")


def test_a_finding_built_without_codes_keeps_its_words(audit: Audit) -> None:
    # A finding made by hand (a benchmark, an old caller) says what it was given.
    finding = next(a for a in audit.apps if a.findings).findings[0]
    bare = dataclasses.replace(finding, basis="as given", notes=())
    assert basis(bare, EN) == basis(bare, ZH) == "as given"
