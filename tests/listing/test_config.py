"""Config of the lifecycle: apps[].status (YAML and the apps sheet, Chinese words too) and the
governance section, with errors that name the file, line and key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_status_and_governance(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text(
        "应用编号,应用名称,地址,上架状态\n"
        "kq-a,甲,https://a.example.org/,试运行\n"
        "kq-b,乙,https://b.example.org/,已下架\n"
        "kq-c,丙,https://c.example.org/,\n", encoding="utf-8")
    config = load_config(write(tmp_path, """\
        apps_file: "apps.csv"
        apps:
          - { id: "kq-oa", name: "协同办公", url: "https://oa.example.org/", status: "trial" }
        notifiers:
          - { id: "center", kind: "webhook", url: "https://hook.example.org/a" }
        governance:
          quarter_ends: ["03-25", "06-25", "09-25", "12-25"]
          audit_interval: "1h"
          remind_before: "10d"
          notify: ["center"]
        """))
    statuses = {app.id: app.status for app in config.apps}
    assert statuses == {"kq-oa": "trial", "kq-a": "trial", "kq-b": "delisted", "kq-c": "listed"}
    governance = config.governance
    assert governance.quarter_ends[0] == "03-25"
    assert governance.notify == ("center",)
    assert governance.audit_interval_s == 3600
    assert governance.remind_before_s == 10 * 86400


def test_bad_values_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        apps:
          - { id: "kq-oa", name: "协同办公", url: "https://oa.example.org/", status: "online" }
        governance:
          quarter_ends: ["13-01"]
          notify: ["nobody"]
        """)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    lines = [str(issue) for issue in info.value.issues]
    assert any(":2: apps[0].status:" in line and "online" in line for line in lines), lines
    assert any(":4: governance: quarter_ends:" in line and "13-01" in line
               for line in lines), lines
    path.write_text(path.read_text(encoding="utf-8").replace("13-01", "12-31"),
                    encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    lines = [str(issue) for issue in info.value.issues]
    assert any(":5: governance.notify:" in line and "nobody" in line for line in lines), lines
