"""`python -m monitor traffic import` as an operator runs it: real subprocesses, exit codes."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from monitor.governance.traffic.store import DayTraffic, TrafficStore
from tests.traffic.helpers import config_yaml
from tests.traffic.test_accesslog import DAY_24, DAY_25, LOG, write

ROOT = Path(__file__).resolve().parents[2]


async def monitor(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", *args, cwd=ROOT, env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def setup(tmp_path: Path) -> tuple[Path, Path]:
    data_dir = tmp_path / "data"
    config = tmp_path / "config.yaml"
    config.write_text(config_yaml(data_dir), encoding="utf-8")
    return config, data_dir


async def stored(data_dir: Path) -> list[DayTraffic]:
    store = await TrafficStore.open(data_dir)
    try:
        return await store.daily("kq-oa", "2026-11-01", "2026-11-30")
    finally:
        await store.close()


async def test_import_then_reimport(tmp_path: Path) -> None:
    config, data_dir = setup(tmp_path)
    log = write(tmp_path / "access.log", LOG)
    gz = write(tmp_path / "access.log.1.gz", LOG.replace("10.0.0.", "10.9.9."), gz=True)
    code, out, err = await monitor("traffic", "import", "--config", str(config), "--app",
                                   "kq-oa", str(log), str(gz))
    assert code == 0, err
    assert out.count("：已导入：") == 2
    assert f"{log}:13: 无法解析：not in combined or common log format" in err
    [day24, day25] = await stored(data_dir)
    assert (day24.pv, day24.uv, day25.pv) == (2 * DAY_24.pv, 2 * DAY_24.uv, 2 * DAY_25.pv)

    code, out, err = await monitor("traffic", "import", "--config", str(config), "--app",
                                   "kq-oa", str(log))
    assert code == 0, err  # skipped, said so, and nothing counted twice
    assert "：已跳过：already imported" in err
    assert out == ""
    assert await stored(data_dir) == [day24, day25]


async def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    config, data_dir = setup(tmp_path)
    log = write(tmp_path / "access.log", LOG)
    code, _, err = await monitor("traffic", "import", "--config", str(config), "--app", "ghost",
                                 str(log))
    assert code == 2
    assert "未知的应用“ghost”" in err
    code, _, err = await monitor("traffic", "import", "--config", str(config), "--app", "kq-oa",
                                 str(log), str(tmp_path / "missing.log"))
    assert code == 2
    assert f"{tmp_path / 'missing.log'}：文件不存在" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("apps: 3\n", encoding="utf-8")
    code, _, _ = await monitor("traffic", "import", "--config", str(broken), "--app", "kq-oa",
                               str(log))
    assert code == 2
    code, _, _ = await monitor("traffic", "export", "--config", str(config))
    assert code == 2  # argparse: no such action
    assert not (data_dir / "ledger.sqlite3").exists() or await stored(data_dir) == []


async def test_a_file_that_is_not_a_log_exits_1(tmp_path: Path) -> None:
    config, data_dir = setup(tmp_path)
    good = write(tmp_path / "access.log", LOG)
    bad = write(tmp_path / "notes.txt", "肯定不是日志\n")
    code, out, err = await monitor("traffic", "import", "--config", str(config), "--app",
                                   "kq-oa", str(bad), str(good))
    assert code == 1
    assert f"{bad}：失败：no line is in combined or common log format" in err
    assert f"{good}：已导入：" in out  # the good file still counts
    assert await stored(data_dir) == [DAY_24, DAY_25]
