"""The command line as an operator uses it: real subprocesses, real local apps."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from monitor.commands.demo import free_port
from monitor.demo.farm import GATEWAY_APPS
from tests.support.target import app_yaml, running_target, write_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ENV = {"DING_TOKEN": "t", "DING_SECRET": "SECx", "HOOK_SECRET": "h",
               "SMTP_PASSWORD": "p", "MONITOR_API_TOKEN": "cli-test-api-token-0123",
               "PROBE_PASSWORD": "pw"}


async def monitor(*args: str, env: dict[str, str] | None = None, limit_s: float = 60.0
                  ) -> tuple[int, str, str]:
    """The command in a subprocess; MONITOR_LANG only as `env` says (unset: the default)."""
    inherited = {name: value for name, value in os.environ.items() if name != "MONITOR_LANG"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", *args, cwd=ROOT,
        env={**inherited, **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), limit_s)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_validate_accepts_the_example_config() -> None:
    code, out, err = await monitor("validate", "--config", "config/example.yaml", env=EXAMPLE_ENV)
    assert code == 0, err
    assert "配置有效" in out


async def test_validate_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, textwrap.dedent("""
        defaults:
          interval: "soon"
        apps:
          - id: "kq-oa"
            name: "协同办公"
            tier: 7
            notify: ["nobody"]
            checks:
              - id: "home"
                kind: "http"
                url: "ftp://x"
                colour: "red"
              - id: "home"
                kind: "tcp"
                host: "x"
                port: 22
    """))
    code, _, err = await monitor("validate", "--config", str(path),
                                 env={"LANG": "C.UTF-8"})
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    keys = [line.split(": ")[1] for line in lines]
    assert f"{path}:2: defaults.interval" in err
    assert "apps[0].tier" in keys
    assert "apps[0].notify[0]" in keys
    assert "apps[0].checks[0].url" in keys
    assert "apps[0].checks[0].colour" in keys
    assert "apps[0].checks[1].id" in keys
    assert "配置无效" in err


BROKEN = """
    defaults:
      interval: "soon"
    apps:
      - id: "kq-oa"
        name: "协同办公"
        tier: 7
        url: "https://oa.example.org/"
"""


async def test_validate_prints_problems_in_chinese_by_default(tmp_path: Path) -> None:
    path = write_config(tmp_path, textwrap.dedent(BROKEN))
    code, out, err = await monitor("validate", "--config", str(path))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{path}:2: defaults.interval: 时长“soon”无效：应为数字加单位 ms、s、m、h 或 d",
        f"{path}:6: apps[0].tier: 应在 1 到 3 之间，实际为 7",
        "配置无效：发现 2 个问题（见上）。",
    ]
    # MONITOR_LANG is the help's language: the config speaks its own (zh-CN when unset).
    code, _, again = await monitor("validate", "--config", str(path), env={"MONITOR_LANG": "en"})
    assert (code, again) == (2, err)


async def test_validate_speaks_the_configs_language(tmp_path: Path) -> None:
    body = 'service:\n  language: "en"\n' + textwrap.dedent(BROKEN).lstrip("\n")
    path = write_config(tmp_path, body)
    code, _, err = await monitor("validate", "--config", str(path))
    assert code == 2
    assert err.splitlines() == [
        f"{path}:4: defaults.interval: bad duration 'soon': expected a number and a unit ms, s, "
        "m, h or d",
        f"{path}:8: apps[0].tier: must be between 1 and 3, got 7",
        "Configuration invalid: 2 problem(s) listed above.",
    ]


async def test_a_file_that_cannot_tell_its_language_is_reported_in_monitor_lang(
        tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = await monitor("check", "--config", str(missing))
    assert code == 2
    assert err.splitlines() == [f"{missing}: 无法读取：文件不存在",
                                "配置无效：发现 1 个问题（见上）。"]
    code, _, err = await monitor("check", "--config", str(missing), env={"MONITOR_LANG": "en"})
    assert code == 2
    assert err.splitlines() == [f"{missing}: cannot read: No such file or directory",
                                "Configuration invalid: 1 problem(s) listed above."]


async def test_help_is_chinese_by_default_and_english_with_monitor_lang() -> None:
    code, out, _ = await monitor("--help")
    assert code == 0
    assert out.startswith("用法：python -m monitor [-h] COMMAND ...")
    assert "浙政钉应用监控与故障响应服务" in out
    assert "校验配置并列出全部问题（退出码 0 有效，2 无效）" in out
    assert "-h, --help  显示此帮助信息并退出" in out
    assert "usage" not in out
    assert "options" not in out
    code, out, _ = await monitor("validate", "--help")
    assert code == 0
    assert out.startswith("用法：python -m monitor validate [-h] --config CONFIG")
    assert "--config CONFIG  配置文件（YAML）" in out
    assert "选项:" in out
    code, out, _ = await monitor("report", "monthly", "--help")
    assert code == 0
    assert "月份 YYYY-MM，按 service.timezone" in out
    assert "输出文件，- 表示标准输出" in out

    code, out, _ = await monitor("--help", env={"MONITOR_LANG": "en"})
    assert code == 0
    assert out.startswith("usage: python -m monitor [-h] COMMAND ...")
    assert "validate the config and list every problem" in out
    assert "show this help message and exit" in out
    assert not re.search(r"[\u4e00-\u9fff]", out)
    code, out, _ = await monitor("validate", "--help", env={"MONITOR_LANG": "en"})
    assert code == 0
    assert "options:" in out
    assert "--config CONFIG  config file (YAML)" in out


async def test_argument_errors_are_chinese(tmp_path: Path) -> None:
    code, out, err = await monitor("validate")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["用法：python -m monitor validate [-h] --config CONFIG",
                                "python -m monitor validate：错误：缺少必需的参数：--config"]
    code, _, err = await monitor("report", "monthly", "--config", "c.yaml", "--month", "2026-11",
                                 "--out", "-", "--format", "doc")
    assert code == 2
    assert "错误：参数 --format：无效的选择：'doc'（可选：'html', 'pdf', 'json', 'docx'）" in err
    code, _, err = await monitor("valid")
    assert code == 2
    assert "错误：参数 COMMAND：无效的选择：'valid'" in err
    code, _, err = await monitor("check", "--config", "c.yaml", "--colour")
    assert code == 2
    assert "错误：无法识别的参数：--colour" in err
    code, _, err = await monitor("validate", env={"MONITOR_LANG": "en"})
    assert code == 2
    assert "python -m monitor validate: error: the following arguments are required: --config" \
        in err
    # A command's own error after the config: in the config's language.
    path = write_config(tmp_path, "apps:\n  - {id: kq-oa, name: OA, url: 'https://oa.example.org/'}\n")
    code, _, err = await monitor("check", "--config", str(path), "--app", "nope")
    assert code == 2
    assert err.strip() == f"{path}：未知的应用编号“nope”"


async def test_check_exit_codes_and_table(tmp_path: Path) -> None:
    async with running_target() as target:
        path = write_config(tmp_path, "apps:\n" + app_yaml("kq-oa", f"{target.url}/health",
                                                           name="柯桥区协同办公"))
        code, out, _ = await monitor("check", "--config", str(path))
        assert code == 0
        assert "柯桥区协同办公 (kq-oa)" in out
        assert " up " in out
        target.status = 500
        code, out, _ = await monitor("check", "--config", str(path), "--json")
        assert code == 1
        [row] = json.loads(out)
        assert row["status"] == "down"
        assert row["error_kind"] == "status"
        assert row["status_code"] == 500
    code, _, err = await monitor("check", "--config", str(path), "--app", "nope")
    assert code == 2
    assert "nope" in err
    broken = write_config(tmp_path, "apps: 3\n", name="broken.yaml")
    code, _, _ = await monitor("check", "--config", str(broken))
    assert code == 2


async def _wait_healthy(url: str, proc: asyncio.subprocess.Process) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            assert proc.returncode is None, "the service exited early"
            try:
                async with http.get(f"{url}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("service did not come up")


async def _app_ids(url: str) -> set[str]:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/api/v1/apps") as resp:
        return {app["id"] for app in (await resp.json())["apps"]}


async def _metric(url: str, name: str) -> float:
    async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics") as resp:
        for line in (await resp.text()).splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise AssertionError(f"{name} not exposed")


async def test_run_reloads_on_sighup_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    async with running_target() as target:
        def config(*apps: str) -> str:
            head = textwrap.dedent(f"""
                service:
                  listen: "127.0.0.1:{port}"
                  data_dir: "{data}"
                  log_format: "json"
                apps:
            """)
            return head + "".join(apps)

        path = write_config(tmp_path, config(app_yaml("kq-oa", f"{target.url}/health")))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "monitor", "run", "--config", str(path), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            await _wait_healthy(url, proc)
            assert await _app_ids(url) == {"kq-oa"}

            path.write_text("apps: [\n", encoding="utf-8")  # broken: the old config stays
            proc.send_signal(signal.SIGHUP)
            await asyncio.sleep(1.0)
            assert await _app_ids(url) == {"kq-oa"}
            assert await _metric(url, "appmon_config_last_reload_successful") == 0.0

            path.write_text(config(app_yaml("kq-oa", f"{target.url}/health"),
                                   app_yaml("kq-qym", f"{target.url}/health/2")),
                            encoding="utf-8")
            proc.send_signal(signal.SIGHUP)
            await asyncio.sleep(1.0)
            assert await _app_ids(url) == {"kq-oa", "kq-qym"}
            assert await _metric(url, "appmon_config_last_reload_successful") == 1.0
            await asyncio.sleep(1.5)  # let both checks run at least once
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "监控服务已停止" in out.decode()
    logs = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
    events = [entry["event"] for entry in logs]
    assert "config_invalid" in events
    assert "config_reloaded" in events
    # Per-run context: events logged during a run carry its app and check.
    assert any(e["event"] == "check_up" and e.get("app") == "kq-oa" and e.get("check") == "home"
               for e in logs)
    # Stopping flushed the ledger: every run the service made is on disk.
    with sqlite3.connect(data / "ledger.sqlite3") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master")}
        assert tables
    assert target.hits >= 2


async def test_demo_records_the_scripted_outage(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    code, out, err = await monitor(
        "demo", "--port", "0", "--data-dir", str(data), "--duration", "34",
        "--outage-after", "4", "--outage-for", "12", "--gateway-after", "4",
        "--gateway-for", "40", limit_s=90)
    assert code == 0, err
    assert "演示已启动" in out
    # The apps that fail on purpose say so, in the table and in the status lines.
    assert "企业码（设计为计划中断） / health: 故障" in out
    assert "企业码（设计为计划中断） / health: 正常" in out
    assert "基层智治（设计为间歇故障）" in out
    # the incident was opened, notified through the webhook, and resolved after recovery
    assert "通知 故障开启: 企业码" in out
    assert "通知 已恢复: 企业码" in out
    # With the first incident, the link that acknowledges it from a phone, on the console's
    # real port (no public_url in the demo's config: the address listened on).
    console = re.search(r"控制台：http://127\.0\.0\.1:(\d+)", out)
    acks = re.findall(r"手机确认链接.*：(http://127\.0\.0\.1:(\d+)/ack/\S+)", out)
    assert console is not None, out
    assert len(acks) == 1, out
    assert acks[0][1] == console[1]
    # Who is on duty, the app on trial and the rectification item for the governance page.
    assert "值班（运维值班）：李明（13800000000）在班" in out
    assert "「移动审批」为试运行" in out
    assert "整改项：「办事指南（旧版）」ZG-" in out
    # The DingTalk group (the demo's robot, which checks 加签) got the gateway's apps as one
    # correlated outage, every app named, and the on-duty phone rang.
    assert "钉钉群消息 #1" in out
    assert "钉钉机器人拒收" not in out
    assert "大面积故障" in out
    for name, _ in GATEWAY_APPS:
        assert name in out
    rings = [line for line in out.splitlines() if "手机响铃：" in line]
    assert any("13800000000" in line for line in rings), rings
    # The demo's data and config stay: the config is a plain file (its secrets: owner only)
    # that the other commands take as it is.
    config = data / "config.yaml"
    assert f"配置文件：{config}" in out
    assert config.stat().st_mode & 0o777 == 0o600
    assert re.search(r"\$\{DEMO_[A-Z]", config.read_text(encoding="utf-8")) is None
    month = dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    report = tmp_path / "report.json"
    code, _, err = await monitor("report", "monthly", "--config", str(config), "--month", month,
                                 "--format", "json", "--out", str(report))
    assert code == 0, err
    assert any(app["id"] == "qym" and app["incidents"] >= 1
               for app in json.loads(report.read_text(encoding="utf-8"))["apps"])
    code, _, err = await monitor("check", "--config", str(config), "--app", "kq-oa")
    assert code == 1, err  # the config loads; the farm is gone with the demo


async def test_demo_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "demo", "--port", "0", "--data-dir", str(tmp_path),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    seen = []
    async with asyncio.timeout(30):
        while not any("登录令牌" in line for line in seen):
            seen.append((await proc.stdout.readline()).decode())
    # The printed token signs in to the printed console.
    url = re.search(r"控制台：(\S+)", "".join(seen))
    token = re.search(r"登录令牌（仅本次演示有效）：(\S+)", "".join(seen))
    assert url is not None, seen
    assert token is not None, seen
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{url[1]}/login") as resp:
            nonce = re.search(r'name="nonce" value="([^"]+)"', await resp.text())
        assert nonce is not None
        async with http.post(f"{url[1]}/login", allow_redirects=False, data={
                "nonce": nonce[1], "next": "/", "name": "演示", "token": token[1]}) as resp:
            assert resp.status == 303
            assert "appmon_session" in resp.cookies
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "监控服务已停止" in out.decode()
    assert "Traceback" not in err.decode()
    assert (tmp_path / "ledger.sqlite3").exists()
