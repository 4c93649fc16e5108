"""Config of how probes reach an app: proxy, ip_version, host names (IDNA 2008), DNS servers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.core.fields import proxy_address

PROXY_PASSWORD = "pr0xy-pa55"  # a test value, set as an environment variable


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "monitor.yaml"
    path.write_text(textwrap.dedent(body))
    return path


def test_checks_inherit_proxy_and_ip_version_unless_they_say_otherwise(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        defaults:
          proxy: "http://ops:${PROXY_PASSWORD}@proxy.example.org:3128"
          ip_version: 4
        apps:
          - id: "a"
            name: "甲"
            checks:
              - { id: "home", kind: "http", url: "https://a.example.org/" }
              - { id: "direct", kind: "http", url: "http://10.0.0.1/", proxy: "direct" }
              - { id: "own", kind: "http", url: "http://b.example.org/", proxy: "http://p2:8080",
                  ip_version: "6" }
              - { id: "port", kind: "tcp", host: "a.example.org", port: 443 }
              - id: "login"
                kind: "flow"
                steps: [{ name: "home", url: "https://a.example.org/" }]
          - id: "sheet-like"
            name: "乙"
            url: "https://c.example.org/"
        """)
    config = load_config(path, env={"PROXY_PASSWORD": PROXY_PASSWORD})
    checks = {(app.id, c.id): c.spec for app in config.apps for c in app.checks}
    home = checks[("a", "home")]
    assert proxy_address(home.proxy) == f"http://ops:{PROXY_PASSWORD}@proxy.example.org:3128"
    assert PROXY_PASSWORD not in repr(home)  # the spec's repr masks it
    assert home.ip_version == "4"
    assert proxy_address(checks[("a", "direct")].proxy) is None
    assert proxy_address(checks[("a", "own")].proxy) == "http://p2:8080"
    assert checks[("a", "own")].ip_version == "6"
    assert checks[("a", "port")].ip_version == "4"
    assert not hasattr(checks[("a", "port")], "proxy")
    assert proxy_address(checks[("a", "login")].proxy) is not None
    assert proxy_address(checks[("sheet-like", "home")].proxy) is not None


def test_without_defaults_nothing_is_proxied(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        apps:
          - { id: "a", name: "甲", url: "https://a.example.org/" }
        """)
    spec = load_config(path, env={}).apps[0].checks[0].spec
    assert (spec.proxy, spec.ip_version) == (None, "auto")


def test_mistakes_are_reported_with_their_line_and_secrets_masked(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        defaults:
          proxy: "socks5://ops:${PROXY_PASSWORD}@proxy.example.org:1080"
          ip_version: 5
        apps:
          - id: "a"
            name: "甲"
            checks:
              - { id: "dots", kind: "http", url: "http://a..example.org/" }
              - { id: "joiner", kind: "http", url: "http://a\\u200db.example.org/" }
              - { id: "port", kind: "tcp", host: "bad host", port: 22 }
              - { id: "cert", kind: "tls", host: "a.example.org", server_name: "x..y" }
              - { id: "ns", kind: "dns", name: "a.example.org", server: "ns.example.org" }
        """)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={"PROXY_PASSWORD": PROXY_PASSWORD})
    issues = {(issue.line, issue.key_path): issue.message for issue in caught.value.issues}
    text = "\n".join(str(issue) for issue in caught.value.issues)
    assert PROXY_PASSWORD not in text
    assert issues[(2, "defaults.proxy")].startswith(
        "bad URL 'socks5://proxy.example.org:1080'")
    assert issues[(3, "defaults.ip_version")] == "expected one of 'auto', '4', '6', got '5'"
    assert "labels of 1 to 63 letters" in issues[(8, "apps[0].checks[0].url")]
    assert "not allowed" in issues[(9, "apps[0].checks[1].url")]
    assert issues[(10, "apps[0].checks[2]")].startswith("host: bad host name 'bad host'")
    assert issues[(11, "apps[0].checks[3]")].startswith("server_name: bad host name 'x..y'")
    assert issues[(12, "apps[0].checks[4]")] == (
        "server: expected the resolver's IP address, got 'ns.example.org'"
    )


def test_internationalised_names_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        apps:
          - id: "a"
            name: "甲"
            checks:
              - { id: "idn", kind: "http", url: "https://绍兴.政务.中国/办事?q=柯桥" }
              - { id: "sharp-s", kind: "tcp", host: "straße.de", port: 443 }
        """)
    assert len(load_config(path, env={}).apps[0].checks) == 2


def test_validate_never_prints_the_proxy_password(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        defaults:
          proxy: "ftp://ops:${PROXY_PASSWORD}@proxy.example.org:21"
        apps:
          - { id: "a", name: "甲", url: "https://a.example.org/" }
        """)
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "validate", "--config", str(path)],
        capture_output=True, text=True, env={"PROXY_PASSWORD": PROXY_PASSWORD, "PATH": ""},
        check=False,
    )
    assert done.returncode == 2
    assert "defaults.proxy" in done.stderr
    assert PROXY_PASSWORD not in done.stderr + done.stdout


def test_a_ca_file_that_cannot_be_loaded_is_a_config_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate\n")
    path = write(tmp_path, f"""\
        apps:
          - id: "a"
            name: "甲"
            checks:
              - {{ id: "home", kind: "http", url: "https://a.example.org/",
                  ca_file: "{tmp_path / 'gone.pem'}" }}
              - {{ id: "cert", kind: "tls", host: "a.example.org", ca_file: "{broken}" }}
              - id: "login"
                kind: "flow"
                ca_file: "{broken}"
                steps: [{{ name: "home", url: "https://a.example.org/" }}]
        """)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = [issue.render("zh-CN") for issue in caught.value.issues]
    assert lines[0] == f"{path}:5: apps[0].checks[0]: ca_file：文件 {tmp_path / 'gone.pem'} 不存在"
    assert lines[1].startswith(f"{path}:7: apps[0].checks[1]: ca_file：{broken} 不是 PEM 格式")
    assert lines[2].startswith(f"{path}:8: apps[0].checks[2]: ca_file：{broken} 不是 PEM 格式")
    assert len(lines) == 3
