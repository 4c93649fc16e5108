"""`python -m monitor listing`: status changes run the technical check (a real subprocess
against real HTTPS servers), items and progress from the CLI."""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from monitor.cli import main
from monitor.commands import listing as command
from tests.inventory import synthetic
from tests.listing.conftest import FLAGGED_LISTED, governed_yaml
from tests.support.baseline_servers import RunningSite, Site, baseline_site
from tests.support.certs import TestPki


async def cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "listing", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def probe_args(site: RunningSite) -> list[str]:
    return ["--ca-file", site.ca_file, "--http-port", str(site.http_port),
            "--ports", str(site.closed_port), "--burst", "2", "--burst-interval", "10ms",
            "--timeout", "5s"]


def two_apps(tmp_path: Path, good: RunningSite, bad: RunningSite) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(f"""\
        service:
          data_dir: "{tmp_path / 'data'}"
        apps:
          - id: "kq-good"
            name: "新应用"
            status: "trial"
            url: "{good.url}"
          - id: "kq-bad"
            name: "明文应用"
            status: "trial"
            url: "{bad.url}"
        """), encoding="utf-8")
    return path


async def show(config: Path) -> dict[str, Any]:
    code, out, err = await cli("show", "--config", str(config), "--format", "json")
    assert code == 0, err
    return {a["app_id"]: a for a in json.loads(out)["apps"]}


async def test_listing_runs_the_check_and_refuses_a_failing_app(tmp_path: Path) -> None:
    pki = TestPki(tmp_path)
    async with baseline_site(pki) as good, baseline_site(pki, Site(redirect=False)) as bad:
        config = two_apps(tmp_path, good, bad)
        # Plain HTTP is served without a redirect to HTTPS: a blocking failure.
        code, out, err = await cli("set", "--config", str(config), "--app", "kq-bad",
                                   "--status", "listed", "--by", "张三", *probe_args(bad))
        assert code == 1, err
        assert "上架前评估不通过" in err
        assert "HTTP" in err
        apps = await show(config)
        assert apps["kq-bad"]["status"] == "trial"
        assert apps["kq-bad"]["last_change"] is None

        code, out, err = await cli("set", "--config", str(config), "--app", "kq-bad",
                                   "--status", "listed", "--force", *probe_args(bad))
        assert code == 0, err
        assert "试运行 → 已上架" in out
        assert "不通过" in out
        code, out, err = await cli("set", "--config", str(config), "--app", "kq-good",
                                   "--status", "listed", "--by", "李四", "--note", "验收通过",
                                   *probe_args(good))
        assert code == 0, err
        apps = await show(config)
    bad_change = apps["kq-bad"]["last_change"]
    assert apps["kq-bad"]["status"] == "listed"
    assert bad_change["check"]["verdict"] == "fail"
    assert bad_change["check"]["reasons"]
    good_change = apps["kq-good"]["last_change"]
    assert good_change["check"]["verdict"] == "pass", good_change
    assert good_change["by"] == "李四"
    assert good_change["note"] == "验收通过"
    assert good_change["previous"] == "trial"
    assert good_change["at"].endswith("+08:00")

    # Delisting without the check is recorded as unchecked; the same status twice is refused.
    code, out, err = await cli("set", "--config", str(config), "--app", "kq-bad",
                               "--status", "delisted", "--no-check")
    assert code == 0, err
    assert "未运行技术检查" in out
    code, _, err = await cli("set", "--config", str(config), "--app", "kq-bad",
                             "--status", "delisted", "--no-check")
    assert code == 2
    assert "应用 kq-bad 已是“已下架”状态" in err
    code, _, err = await cli("set", "--config", str(config), "--app", "kq-none",
                             "--status", "listed")
    assert code == 2
    assert "kq-none" in err
    apps = await show(config)
    assert apps["kq-bad"]["status"] == "delisted"
    assert apps["kq-bad"]["last_change"]["check"] is None


@pytest.fixture
def governed_sync(tmp_path: Path) -> Path:
    """The synthetic inventory with receivers that are never reached: `sync` only queues."""
    data_dir = tmp_path / "data"
    asyncio.run(synthetic.write_all(data_dir))
    path = tmp_path / "config.yaml"
    path.write_text(governed_yaml(data_dir, "http://127.0.0.1:9/robot/send?access_token=t",
                                  "http://127.0.0.1:9/robot/send?access_token=c", 9),
                    encoding="utf-8")
    return path


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "now_s", lambda: synthetic.NOW)


def test_sync_items_and_progress_from_the_cli(
        governed_sync: Path, fixed_now: None, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(governed_sync)
    assert main(["listing", "sync", "--config", config]) == 0
    out = capsys.readouterr().out
    assert "新开整改项 5" in out
    assert "已排队通知" in out
    assert main(["listing", "items", "--config", config, "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert {i["app_id"] for i in items} == FLAGGED_LISTED
    assert main(["listing", "items", "--config", config]) == 0
    table = capsys.readouterr().out
    assert "ZG-20261124-low-avail" in table
    assert "低可用应用" in table
    assert "22 天" in table
    assert main(["listing", "progress", "--config", config, "--id", "ZG-20261124-low-avail",
                 "--note", "已修复并复测", "--by", "王工", "--done"]) == 0
    capsys.readouterr()
    assert main(["listing", "progress", "--config", config, "--id", "ZG-20261124-low-avail",
                 "--note", "again"]) == 2
    assert "已关闭" in capsys.readouterr().err
    assert main(["listing", "items", "--config", config, "--all", "--app", "low-avail",
                 "--format", "json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)["items"]
    assert item["state"] == "done"
    assert item["closed_by"] == "王工"
    assert item["progress"][-1]["note"] == "已修复并复测"
    assert main(["listing", "show", "--config", config]) == 0
    table = capsys.readouterr().out
    assert "试运行" in table
    assert "已上架" in table


