"""The `maintenance` section: both forms of window, and every mistake reported as
FILE:LINE: key.path: message."""

# ruff: noqa: E501  (the expected messages read best whole, one per line)

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.core.config.model import MaintenanceWindow

# Ten lines, so the first window's `- id:` is line 11 of the file.
BASE = """\
service:
  timezone: "Asia/Shanghai"
apps:
  - id: "kq-oa"
    name: "协同办公"
    url: "https://oa.example.org/"
  - id: "jczz"
    name: "基层治理"
    url: "https://jczz.example.org/"
maintenance:
"""


def write(tmp_path: Path, windows: str, base: str = BASE) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(base + textwrap.indent(textwrap.dedent(windows), "  "), encoding="utf-8")
    return path


def rendered_issues(tmp_path: Path, windows: str) -> list[str]:
    path = write(tmp_path, windows)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    return [str(issue).replace(str(path), "config.yaml") for issue in info.value.issues]


def test_both_forms_are_read_into_frozen_windows(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        - id: "kq-oa-upgrade"
          apps: ["kq-oa"]
          start: "2026-11-28T22:00:00+08:00"
          end: "2026-11-29T02:00:00+08:00"
          reason: "系统升级"
        - id: "weekly-patch"
          apps: ["all"]
          cron: "0 2 * * 6"
          duration: "2h"
          timezone: "UTC"
        - id: "naive"
          apps: ["jczz", "kq-oa"]
          start: 2026-12-01T01:00:00
          end: "2026-12-01 03:30"
    """)  # fmt: skip
    config = load_config(path, env={})
    assert config.maintenance == (
        MaintenanceWindow(
            id="kq-oa-upgrade", apps=("kq-oa",), reason="系统升级",
            start="2026-11-28T22:00:00+08:00", end="2026-11-29T02:00:00+08:00",
        ),
        MaintenanceWindow(
            id="weekly-patch", apps=("all",), cron="0 2 * * 6", duration_s=7200.0, timezone="UTC"
        ),
        # Unquoted, YAML would make a timestamp of it; the loader keeps the text as written.
        MaintenanceWindow(
            id="naive", apps=("jczz", "kq-oa"), start="2026-12-01T01:00:00", end="2026-12-01 03:30"
        ),
    )  # fmt: skip


def test_without_the_section_there_are_no_windows(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(BASE.removesuffix("maintenance:\n"), encoding="utf-8")
    assert load_config(path, env={}).maintenance == ()


def test_apps_from_the_apps_file_may_be_named(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text(
        "应用编号,应用名称,地址\nkq-wlkq,文旅柯桥,https://wl.example.org/\n", encoding="utf-8"
    )
    base = BASE.replace("apps:\n", 'apps_file: "apps.csv"\napps:\n', 1)
    path = write(tmp_path, '- { id: "w", apps: ["kq-wlkq"], cron: "0 2 * * *", duration: "1h" }\n', base)
    [window] = load_config(path, env={}).maintenance
    assert window.apps == ("kq-wlkq",)


BOTH = """\
    - id: "both"
      apps: ["kq-oa"]
      start: "2026-11-28T22:00:00+08:00"
      end: "2026-11-29T02:00:00+08:00"
      cron: "0 2 * * 6"
      duration: "2h"
"""
REJECTED = [
    pytest.param(BOTH, ["config.yaml:11: maintenance[0]: give either start and end (one-off) or cron and duration (recurring), not both"], id="both-forms"),
    pytest.param('- { id: "neither", apps: ["kq-oa"], reason: "?" }', ["config.yaml:11: maintenance[0]: give either start and end (one-off) or cron and duration (recurring)"], id="neither-form"),
    pytest.param('- { id: "w", apps: ["kq-oa"], start: "2026-11-29T02:00:00" }', ["config.yaml:11: maintenance[0]: end: missing; a one-off needs both"], id="start-without-end"),
    pytest.param('- { id: "w", apps: ["kq-oa"], duration: "1h" }', ["config.yaml:11: maintenance[0]: cron: missing; recurring needs both"], id="duration-without-cron"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 25 * * *", duration: "1h" }', ["config.yaml:11: maintenance[0]: cron: bad expression '0 25 * * *': Error validating expression '25': the last value (25) is higher than the maximum value (23)"], id="bad-cron-hour"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 2 * *", duration: "1h" }', ["config.yaml:11: maintenance[0]: cron: bad expression '0 2 * *': expected 5 fields (minute hour day month weekday), got 4"], id="cron-with-four-fields"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 2 * * 8", duration: "1h" }', ["config.yaml:11: maintenance[0]: cron: bad expression '0 2 * * 8': weekday '8': expected 0-7 (0 and 7 are Sunday) or sun-sat"], id="bad-cron-weekday"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 2 1 * 1", duration: "1h" }', ["config.yaml:11: maintenance[0]: cron: bad expression '0 2 1 * 1': restrict the day of month or the day of week, not both"], id="cron-day-and-weekday"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 2 * * 6", duration: "0s" }', ["config.yaml:11: maintenance[0]: duration: must be more than 0s"], id="zero-duration"),
    pytest.param('- { id: "w", apps: ["kq-oa"], start: "2026-11-29T02:00:00", end: "2026-11-28T22:00:00" }', ["config.yaml:11: maintenance[0]: end: must be after start"], id="end-before-start"),
    pytest.param('- { id: "w", apps: ["kq-oa"], start: "2026-11-29T02:00:00", end: "2026-11-29T02:00:00" }', ["config.yaml:11: maintenance[0]: end: must be after start"], id="empty-span"),
    pytest.param('- { id: "w", apps: ["kq-oa"], start: "2026-11-29T02:00:00", end: "2026-11-29T04:00:00Z" }', ["config.yaml:11: maintenance[0]: start, end: give both with a UTC offset or both without"], id="mixed-offsets"),
    pytest.param('- { id: "w", apps: ["kq-oa"], start: "next saturday", end: "2026-11-29T04:00:00" }', ["config.yaml:11: maintenance[0]: start: bad date-time 'next saturday': expected ISO 8601, e.g. 2026-11-28T22:00:00+08:00"], id="bad-date-time"),
    pytest.param('- { id: "w", apps: ["all"], cron: "0 2 * * 6", duration: "1h", timezone: "Asia/Keqiao" }', ["config.yaml:11: maintenance[0]: timezone: unknown time zone 'Asia/Keqiao'"], id="bad-timezone"),
    pytest.param('- id: "w"\n  apps: ["kq-o", "nowhere"]\n  cron: "0 2 * * 6"\n  duration: "1h"', ["config.yaml:12: maintenance[0].apps[0]: unknown app 'kq-o'; did you mean 'kq-oa'?", "config.yaml:12: maintenance[0].apps[1]: unknown app 'nowhere'"], id="unknown-app"),
    pytest.param('- { id: "w", apps: ["all", "kq-oa"], cron: "0 2 * * 6", duration: "1h" }', ['config.yaml:11: maintenance[0]: apps: "all" covers every app; list no others with it'], id="all-and-more"),
    pytest.param('- { id: "w", apps: [], cron: "0 2 * * 6", duration: "1h" }', ['config.yaml:11: maintenance[0]: apps: empty; list app ids, or ["all"] for every app'], id="no-apps"),
    # The builder reads a field as one type: "all" is written as a list, like any app id.
    pytest.param('- id: "w"\n  apps: "all"\n  cron: "0 2 * * 6"\n  duration: "1h"', ["config.yaml:12: maintenance[0].apps: expected a list, got 'all'"], id="bare-all"),
    pytest.param('- { id: "w", cron: "0 2 * * 6", duration: "1h" }', ["config.yaml:11: maintenance[0].apps: missing required key 'apps'"], id="apps-missing"),
    pytest.param('- id: "w"\n  apps: ["kq-oa"]\n  cron: "0 2 * * 6"\n  duration: "1h"\n  ends: "x"', ["config.yaml:15: maintenance[0].ends: unknown key 'ends'; did you mean 'end'?"], id="unknown-key"),
    pytest.param('- { id: "Weekly_Patch", apps: ["kq-oa"], cron: "0 2 * * 6", duration: "1h" }', ["config.yaml:11: maintenance[0].id: bad maintenance window id 'Weekly_Patch': use a-z, 0-9 and '-', not starting with '-'"], id="bad-id"),
    pytest.param('- { id: "w", apps: ["kq-oa"], cron: "0 2 * * 6", duration: "1h" }\n- { id: "w", apps: ["jczz"], cron: "0 3 * * 6", duration: "1h" }', ["config.yaml:12: maintenance[1].id: duplicate maintenance window id 'w' (first at line 11)"], id="duplicate-id"),
    pytest.param('{ id: "w" }', ["config.yaml:11: maintenance: expected a list, got a mapping"], id="not-a-list"),
]  # fmt: skip


@pytest.mark.parametrize(("windows", "expected"), REJECTED)
def test_mistakes_are_reported_with_file_line_and_key(
    tmp_path: Path, windows: str, expected: list[str]
) -> None:
    assert rendered_issues(tmp_path, windows) == expected


def test_every_bad_window_is_reported_in_one_run(tmp_path: Path) -> None:
    issues = rendered_issues(tmp_path, BOTH + """\
    - { id: "w", apps: ["nowhere"], cron: "0 2 * * 6", duration: "1h" }
    - { id: "v", apps: ["kq-oa"], cron: "0 2 * * 6", duration: "1h", timezone: "Mars/Base" }
    """)  # fmt: skip
    assert [issue.split(":")[1] for issue in issues] == ["11", "17", "18"]
