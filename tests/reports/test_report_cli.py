"""`python -m monitor report ...`: exit codes, messages and the files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import build_parser
from tests.reports.conftest import Month
from tests.reports.synthetic_alerts import A_ID

ROOT = Path(__file__).resolve().parents[2]


def report(*args: str) -> int:
    """The command as the CLI dispatches it, in this process (logging left as it is)."""
    parsed = build_parser().parse_args(["report", *args])
    return int(parsed.handler(parsed))


def test_monthly_json_through_the_real_entry_point(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "2026-11.json"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "report", "monthly", "--config",
         str(month.config_path), "--month", "2026-11", "--format", "json", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "报告已写入" in done.stdout
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["month"] == "2026-11"
    assert [a["id"] for a in body["apps"]] == ["kq-oa", "kq-zwfw", "kq-jczz"]
    zwfw = body["apps"][1]
    assert (zwfw["probes"], zwfw["failed_probes"], zwfw["availability_pct"]) == (8616, 198,
                                                                                 97.701)
    assert body["generated_at"].endswith("+08:00")
    assert not list(out.parent.glob(".*.tmp"))  # written through a temporary, then renamed


def test_incident_json(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "incident.json"
    assert report("incident", "--config", str(month.config_path), "--id", A_ID,
                  "--format", "json", "--out", str(out)) == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["incident"]["id"] == A_ID
    assert body["analysis"]["root_cause"][0]["text"] == "连接泄漏未释放\n未关闭的游标导致"


def test_stdout(month: Month, capsys: pytest.CaptureFixture[str]) -> None:
    assert report("incident", "--config", str(month.config_path), "--id", A_ID,
                  "--out", "-") == 0  # --format defaults to json
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{"):])["incident"]["id"] == A_ID


def test_unknown_incident_id(month: Month, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.json"
    assert report("incident", "--config", str(month.config_path), "--id", "nope",
                  "--format", "json", "--out", str(out)) == 2
    assert "未找到故障 ID：nope" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("bad", ["2026-13", "2026/11", "2099-01"])
def test_bad_month(month: Month, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   bad: str) -> None:
    assert report("monthly", "--config", str(month.config_path), "--month", bad,
                  "--format", "json", "--out", str(tmp_path / "m.json")) == 2
    assert "月份无效" in capsys.readouterr().err


def test_invalid_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("apps:\n  - id: \"BAD ID\"\n", encoding="utf-8")
    assert report("monthly", "--config", str(config), "--month", "2026-11",
                  "--out", str(tmp_path / "m.json")) == 2
    assert "配置无效" in capsys.readouterr().err


def test_data_dir_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "empty.yaml"
    config.write_text(f'service:\n  data_dir: "{tmp_path / "nothing"}"\napps:\n'
                      '  - {id: "a", name: "A", url: "https://a.example.org/"}\n',
                      encoding="utf-8")
    assert report("monthly", "--config", str(config), "--month", "2026-11",
                  "--out", str(tmp_path / "m.json")) == 2
    assert "没有监控数据" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()  # a report creates nothing


def test_missing_arguments_are_usage_errors(month: Month) -> None:
    with pytest.raises(SystemExit) as info:
        report("monthly", "--config", str(month.config_path), "--month", "2026-11")
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        report("weekly", "--config", str(month.config_path))
    assert info.value.code == 2
