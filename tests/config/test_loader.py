"""The happy path: frozen objects, defaults applied, values parsed, secrets masked."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import MappingProxyType

import pytest

from monitor.config import ConfigError, load_config
from monitor.config.build import config_keys
from monitor.core.config.model import (
    CHECK_COMMON_KEYS,
    DEFAULT_ESCALATION,
    CheckCommon,
    Config,
    ServiceConfig,
)
from monitor.core.fields import Secret, SecretUrl

CONFIG = """\
service:
  listen: "127.0.0.1:8080"
  api_tokens:
    - name: "oncall"
      token: "${MONITOR_API_TOKEN}"
defaults:
  interval: "2m"
  timeout: "10s"
  confirm: 3
apps:
  - id: "kq-oa"
    name: "柯桥区协同办公"
    department: "区大数据中心"
    category: "办公协同"
    tier: 1
    owner: { name: "张三", mobile: 13800000000, email: "owner@example.org" }
    notify: ["oncall-robot"]
    checks:
      - id: "home"
        kind: "http"
        url: "https://oa.example.org/health"
        interval: "30s"
        max_body: "64KiB"
        headers: { Accept: "application/json" }
        expect:
          status: [200, 204]
          body_regex: "ok|up"
          max_latency: "1500ms"
          json: [{ path: "data.ready", equals: true }, { path: "count", equals: 3 }]
      - id: "port"
        kind: "tcp"
        host: "oa.example.org"
        port: ${OA_PORT}
        recover: 5
  - id: "kq-edu"
    name: "智慧教育"
    url: "https://edu.example.org/"
notifiers:
  - id: "oncall-robot"
    kind: "dingtalk"
    url: "https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}"
    secret: "${DING_SECRET}"
"""
ENV = {
    "MONITOR_API_TOKEN": "api-token-value-0123",
    "OA_PORT": "8443",
    "DING_TOKEN": "ding-token-value",
    "DING_SECRET": "SECsigning",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path, env=ENV)


def test_sections_and_defaults(config: Config) -> None:
    assert config.service.listen == "127.0.0.1:8080"
    assert config.service.data_dir == ServiceConfig().data_dir
    assert config.influxdb is None
    assert (config.defaults.interval_s, config.defaults.timeout_s) == (120.0, 10.0)
    assert (config.sla.response_s, config.sla.resolution_s) == (900.0, 3600.0)
    assert config.escalation == DEFAULT_ESCALATION


def test_checks_take_defaults_unless_they_override(config: Config) -> None:
    home, port = config.apps[0].checks
    assert (home.interval_s, home.timeout_s, home.confirm, home.recover) == (30.0, 10.0, 3, 2)
    assert (port.interval_s, port.timeout_s, port.confirm, port.recover) == (120.0, 10.0, 3, 5)
    assert (home.line, port.line) == (19, 30)  # where each was declared


def test_values_are_parsed(config: Config) -> None:
    app = config.apps[0]
    assert (app.tier, app.owner and app.owner.mobile) == (1, "13800000000")
    spec = app.checks[0].spec
    assert spec.max_body == 64 * 1024
    assert spec.expect.status == (200, 204)
    assert spec.expect.max_latency_s == 1.5
    assert isinstance(spec.expect.body_regex, re.Pattern)
    assert spec.expect.body_regex.search("all up")
    assert [(j.path, j.equals) for j in spec.expect.json] == [("data.ready", True), ("count", 3)]
    assert app.checks[1].spec.port == 8443  # ${OA_PORT} unquoted reads as a number


def test_an_app_with_only_a_url_gets_a_home_check(config: Config) -> None:
    app = config.apps[1]
    [home] = app.checks
    assert (home.id, home.kind, home.spec.url) == ("home", "http", "https://edu.example.org/")
    assert home.spec.expect.status == ()  # any 2xx
    assert (home.interval_s, home.timeout_s) == (120.0, 10.0)
    assert (app.department, app.category, app.tier, app.owner) == ("", "", 3, None)


def test_everything_is_frozen(config: Config) -> None:
    app = config.apps[0]
    for obj, attr in [
        (config, "apps"),
        (config.service, "listen"),
        (app, "tier"),
        (app.checks[0], "interval_s"),
        (app.checks[0].spec, "url"),
        (app.checks[0].spec.expect, "status"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, None)
    assert isinstance(app.notify, tuple)
    assert isinstance(app.checks, tuple)
    assert isinstance(app.checks[0].spec.headers, MappingProxyType)
    assert isinstance(config.notifiers, MappingProxyType)
    with pytest.raises(TypeError):
        app.checks[0].spec.headers["X"] = "1"  # type: ignore[index]


def test_secrets_are_wrapped_and_masked(config: Config) -> None:
    token = config.service.api_tokens[0].token
    assert isinstance(token, Secret)
    assert token.reveal() == "api-token-value-0123"
    assert "api-token-value-0123" not in repr(config.service)
    robot = config.notifiers["oncall-robot"].spec
    assert isinstance(robot.url, SecretUrl)
    assert robot.url.reveal().endswith("access_token=ding-token-value")
    assert "ding-token-value" not in repr(robot)
    assert "access_token=***" in repr(robot.url)
    assert robot.secret.reveal() == "SECsigning"
    assert "SECsigning" not in repr(config)


def test_substitution_inside_strings_and_the_escape(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        textwrap.dedent("""\
            service:
              listen: "${HOST}:${PORT}"
              data_dir: "$${NOT_A_VAR}/data"
            apps:
              - id: a
                name: "${APP_NAME}"
                url: "https://${HOST}/"
            """),
        encoding="utf-8",
    )
    config = load_config(path, env={"HOST": "10.0.0.1", "PORT": "9000", "APP_NAME": "柯桥"})
    assert config.service.listen == "10.0.0.1:9000"
    assert config.service.data_dir == "${NOT_A_VAR}/data"
    assert (config.apps[0].name, config.apps[0].url) == ("柯桥", "https://10.0.0.1/")


def test_a_quoted_variable_stays_a_string(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "apps:\n  - id: a\n    name: A\n    checks:\n"
        "      - {id: p, kind: tcp, host: h.example.org, port: '${PORT}'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={"PORT": "443"})
    assert [str(i) for i in info.value.issues] == [
        f"{path}:5: apps[0].checks[0].port: expected an integer, got '${{PORT}}'"
    ]


def test_yaml_anchors_and_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        textwrap.dedent("""\
            apps:
              - id: a
                name: A
                checks:
                  - &web {id: home, kind: http, url: "https://a.example.org/", timeout: 5s}
                  - <<: *web
                    id: api
                    url: "https://a.example.org/api"
            """),
        encoding="utf-8",
    )
    home, api = load_config(path, env={}).apps[0].checks
    assert (home.spec.url, home.timeout_s) == ("https://a.example.org/", 5.0)
    assert (api.id, api.spec.url, api.timeout_s) == ("api", "https://a.example.org/api", 5.0)


def test_check_common_keys_agree_with_the_model() -> None:
    assert tuple(config_keys(CheckCommon)) == CHECK_COMMON_KEYS


def test_the_process_environment_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("apps:\n  - {id: a, name: '${APP_NAME}', url: 'https://a.example.org/'}\n")
    monkeypatch.setenv("APP_NAME", "健康柯桥")
    assert load_config(path).apps[0].name == "健康柯桥"


@pytest.mark.parametrize(
    "module", ["monitor.core.fields", "alerting.notifiers.registry", "probes.registry"]
)
def test_no_import_cycle_whichever_module_comes_first(module: str) -> None:
    # Spec modules import monitor.core.fields; the loader imports the spec registries.
    code = f"import {module}; from monitor.config import load_config; print(load_config.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
