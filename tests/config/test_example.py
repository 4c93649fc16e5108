"""config/example.yaml is documentation: it must stay valid, and use every kind there is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.config import ConfigError, load_config
from probes.registry import PROBE_KINDS

EXAMPLE = Path(__file__).parents[2] / "config" / "example.yaml"
ENV = {
    "MONITOR_API_TOKEN": "example-api-token-0123",
    "DING_TOKEN": "robot-token",
    "DING_SECRET": "SECsecret",
    "HOOK_SECRET": "hook-secret",
    "SMTP_PASSWORD": "smtp-password",
    "PROBE_PASSWORD": "probe-password",
}


def variables_in_use() -> list[tuple[int, str]]:
    """(line, NAME) of each ${NAME} outside comments, as the loader must report them."""
    uses = []
    for number, line in enumerate(EXAMPLE.read_text(encoding="utf-8").splitlines(), start=1):
        code = line if not line.lstrip().startswith("#") else ""
        uses += [(number, name) for name in re.findall(r"(?<!\$)\$\{(\w+)\}", code)]
    return uses


def test_example_loads_without_issues() -> None:
    config = load_config(EXAMPLE, env=ENV)
    assert {check.kind for _, check in config.iter_checks()} == set(PROBE_KINDS)
    assert {n.kind for n in config.notifiers.values()} == set(NOTIFIER_KINDS)
    assert {app.tier for app in config.apps} == {1, 2, 3}
    assert len(config.escalation) > 1
    flow = next(check for _, check in config.iter_checks() if check.kind == "flow")
    assert flow.spec.steps[0].name.startswith("登录")
    assert "token" in flow.spec.steps[0].capture


def test_example_includes_the_apps_file() -> None:
    config = load_config(EXAMPLE, env=ENV)
    from_file = [app for app in config.apps if app.id.startswith("kq-") and app.id != "kq-oa"]
    assert from_file, "rows of config/apps-example.csv are appended to apps"
    assert all([check.id for check in app.checks] == ["home"] for app in from_file)


def test_without_the_environment_each_unset_variable_is_reported_with_its_line() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(EXAMPLE, env={})
    reported = [(issue.line, issue.message) for issue in info.value.issues]
    expected = [
        (line, f"environment variable {name} is not set") for line, name in variables_in_use()
    ]
    assert reported == expected
    assert {name for _, name in variables_in_use()} == set(ENV)
