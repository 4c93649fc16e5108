"""`python -m monitor inventory audit`: formats, stdout, exit codes, and an audit with no data."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from monitor.cli import main
from monitor.commands import inventory as command
from tests.inventory import synthetic
from tests.inventory.conftest import Inventory


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "now_s", lambda: synthetic.NOW)


def audit(config: Path, out: Path | str, fmt: str = "json", *extra: str) -> int:
    return main(["inventory", "audit", "--config", str(config), "--format", fmt,
                 "--out", str(out), *extra])


def test_json_file_is_the_audit(inventory: Inventory, body: dict[str, Any], tmp_path: Path
                                ) -> None:
    out = tmp_path / "audit.json"
    assert audit(inventory.config_path, out) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == body


def test_xlsx_and_html_files(inventory: Inventory, tmp_path: Path) -> None:
    assert audit(inventory.config_path, tmp_path / "a.xlsx", "xlsx") == 0
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["应用清单", "汇总"]
    assert audit(inventory.config_path, tmp_path / "sub" / "a.html", "html") == 0
    assert (tmp_path / "sub" / "a.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_stdout(inventory: Inventory, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert audit(inventory.config_path, "-", "xlsx") == 0
    data = capsysbinary.readouterr().out
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["应用清单", "汇总"]


def test_quarter_ends_option(inventory: Inventory, tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    # Only a mid-January notice: past the year boundary, 2026-11-24 -> 2027-01-15.
    assert audit(inventory.config_path, out, "json", "--quarter-ends", "01-15") == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert (body["quarter_end"], body["days_left"]) == ("2027-01-15", 52)
    assert body["deadline"] == "2026-12-31"  # 01-15 minus 15 days
    assert body["apps"][1]["rectification"]["deadline"] == "2026-12-31"


@pytest.mark.parametrize("ends", ["13-01", "3/31", "02-30", ",", "03-31,x"])
def test_bad_quarter_ends_exit_2(inventory: Inventory, tmp_path: Path, ends: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert audit(inventory.config_path, tmp_path / "x.json", "json", "--quarter-ends", ends) == 2
    assert "--quarter-ends" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_bad_config_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apps:\n  - id: \"Bad Id\"\n    name: x\n", encoding="utf-8")
    assert audit(bad, tmp_path / "x.json") == 2
    assert "bad.yaml:" in capsys.readouterr().err
    assert audit(tmp_path / "missing.yaml", tmp_path / "x.json") == 2


def test_bad_arguments_exit_2(inventory: Inventory, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        audit(inventory.config_path, tmp_path / "x.pdf", "pdf")
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["inventory", "--config", str(inventory.config_path)])  # no action
    assert raised.value.code == 2


def test_unwritable_out_exit_2(inventory: Inventory, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert audit(inventory.config_path, blocker / "audit.json") == 2


def test_without_data_dir_audits_the_record_only(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    data_dir = tmp_path / "never"
    config.write_text(
        f'service:\n  data_dir: "{data_dir}"\napps:\n'
        '  - { id: "a", name: "甲", url: "https://a.example.org/" }\n'
        '  - { id: "b", name: "乙", url: "https://A.example.org", owner: { name: "张三" } }\n',
        encoding="utf-8")
    out = tmp_path / "a.json"
    assert audit(config, out) == 0
    assert not data_dir.exists()  # an audit creates nothing in data_dir
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["has_probe_data"] is False
    first, second = body["apps"]
    assert [c["class"] for c in first["classes"]] == ["zombie"]  # no owner on record
    assert first["duplicates"] == [{"by": "url", "value": "https://a.example.org",
                                    "apps": ["b"]}]
    assert first["reachability"]["status"] == "unknown"
    assert second["classes"] == []
    assert second["missing"] == ["owner_mobile", "department", "irs_id", "tier", "target_users"]
