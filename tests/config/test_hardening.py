"""Hostile configs: alias bombs, deep nesting, secrets echoed by `validate`, weak API tokens.

The attacks run against `python -m monitor validate` as a subprocess, the way an operator (or
a reload) meets them: each must end as FILE:LINE: message lines and exit code 2, quickly
(bounded by a generous timeout; the time is printed, not asserted) and never with a secret
in the output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.core import secrets
from monitor.core.logs import mask_text

ROOT = Path(__file__).resolve().parents[2]
APP = """\
apps:
  - id: "a"
    name: "甲"
    url: "https://a.example.org/"
"""
LINE_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): ")


@pytest.fixture(autouse=True)
def _empty_registry() -> Iterator[None]:
    secrets.forget_all()
    yield
    secrets.forget_all()


def validate(path: Path, **env: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `validate --config path`, in English."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "validate", "--config", str(path)],
        capture_output=True, text=True, timeout=20, cwd=ROOT, check=False,
        env={**os.environ, "MONITOR_LANG": "en", **env},
    )
    print(f"validate {path.name}: {time.monotonic() - started:.2f} s")
    return done.returncode, done.stdout, done.stderr


def problems(stderr: str, path: Path) -> list[tuple[int, str]]:
    """(line, rest) of every FILE:LINE: line; every line but the last summary has that shape."""
    lines = stderr.strip().splitlines()
    assert lines, "validate printed nothing"
    found = []
    for line in lines[:-1]:
        match = LINE_RE.match(line)
        assert match, f"not FILE:LINE: message: {line!r}"
        assert match["file"] == str(path)
        found.append((int(match["line"]), line[match.end():]))
    assert "Traceback" not in stderr
    return found


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- Row 4: alias bombs ----------------------------------------------------------------------


def billion_laughs() -> str:
    """10^9 "lol" in about 600 bytes: each level lists the one before ten times."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]")
    lines.append("apps: *l8")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    path = write(tmp_path, billion_laughs())
    assert path.stat().st_size < 700
    code, _, stderr = validate(path)
    assert code == 2
    found = problems(stderr, path)
    assert len(found) == 1
    line, message = found[0]
    assert 1 <= line <= 10
    assert "YAML aliases (*name or <<) would expand to more than 10000 values" in message


def test_merge_key_bomb_is_refused(tmp_path: Path) -> None:
    """`<<` merges of merges: each level merges the one before twice."""
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4}"]
    for i in range(1, 40):
        lines.append(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: {i}}}")
    path = write(tmp_path, "\n".join(lines) + "\n")
    code, _, stderr = validate(path)
    assert code == 2
    messages = [message for _, message in problems(stderr, path)]
    assert any("YAML aliases" in message for message in messages)


def test_a_reload_of_a_bomb_is_the_same_config_error(tmp_path: Path) -> None:
    """The running service reloads through load_config: the same refusal, nothing built."""
    path = write(tmp_path, billion_laughs())
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert [issue.text.code for issue in caught.value.issues] == ["yaml.aliases"]


def test_aliases_inside_aliases_may_not_nest_past_the_limit(tmp_path: Path) -> None:
    """Each level is shallow as written; the aliases stack them 100 deep."""
    lines = ["d0: &d0 [x]"] + [f"d{i}: &d{i} [*d{i - 1}]" for i in range(1, 100)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert [issue.text.code for issue in caught.value.issues] == ["yaml.too_deep"]


def test_a_recursive_merge_is_reported_not_a_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &base\n  x: 1\n  <<: *base\n" + APP)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert "yaml.recursive_alias" in [issue.text.code for issue in caught.value.issues]


def test_reusing_a_block_for_many_apps_stays_within_the_budget(tmp_path: Path) -> None:
    """300 apps sharing one 50-node check list: 15,000 repeated nodes, more than the fixed
    10,000, allowed because the budget grows with the file."""
    checks = "\n".join(
        f'  - {{id: "c{i}", kind: "http", url: "https://x.example.org/{i}", timeout: "5s"}}'
        for i in range(10))
    apps = "\n".join(
        f'  - {{id: "app-{i}", name: "应用{i}", url: "https://a{i}.example.org/", '
        f'department: "d", category: "c", checks: *checks}}'
        for i in range(300))
    path = write(tmp_path, f"shared: &checks\n{checks}\napps:\n{apps}\n")
    with pytest.raises(ConfigError) as caught:  # `shared` is no section: the only problem
        load_config(path, env={})
    assert [issue.key_path for issue in caught.value.issues] == ["shared"]


# -- Row 5: deep nesting ---------------------------------------------------------------------


def test_fifty_thousand_open_brackets(tmp_path: Path) -> None:
    path = write(tmp_path, "apps: " + "[" * 50_000 + "\n")
    code, _, stderr = validate(path)
    assert code == 2
    assert problems(stderr, path) == [
        (1, "nested more than 64 levels deep: no config needs that; check the brackets or the "
            "indentation")]


def test_a_mapping_three_thousand_levels_deep(tmp_path: Path) -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(3000))
    path = write(tmp_path, text)
    code, _, stderr = validate(path)
    assert code == 2
    [(line, message)] = problems(stderr, path)
    assert line == 64  # where the 65th level starts
    assert message.startswith("nested more than 64 levels deep")


def test_deep_flow_mappings_and_block_lists(tmp_path: Path) -> None:
    for text in ("a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
                 "".join("  " * i + "-\n" for i in range(3000))):
        path = write(tmp_path, text)
        with pytest.raises(ConfigError) as caught:
            load_config(path, env={})
        assert [issue.text.code for issue in caught.value.issues] == ["yaml.too_deep"]


def test_sixty_four_levels_are_still_fine(tmp_path: Path) -> None:
    path = write(tmp_path, APP + "x: " + "[" * 62 + "]" * 62 + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert [issue.key_path for issue in caught.value.issues] == ["x"]  # unknown key, no more


# -- Row 3: secrets in validate's messages ---------------------------------------------------

SECRET = "kq-SECRET-value-4711"
HOOK_PATH = "SECRETPATH9f3c1d77aa"


def test_validate_never_echoes_a_substituted_or_secret_url_value(tmp_path: Path) -> None:
    path = write(tmp_path, textwrap.dedent(f"""\
        service:
          language: "en"
          connectivity:
            targets: ["udp://${{SECRET}}"]
        defaults:
          timeout: "${{SECRET}}"
        apps:
          - id: "a"
            name: "甲"
            department: "${{SECRET}}"
            checks:
              - {{id: "q", kind: "http", url: "htps://h.example.org/x?apikey=${{SECRET}}"}}
              - {{id: "r", kind: "http", url: "https://h.example.org/x", max_body: "${{SECRET}}"}}
              - {{id: "s", kind: "http", url: "https://h.example.org/${{SECRET}}",
                  expect: {{body_regex: "(${{SECRET}}"}}}}
        notifiers:
          - id: "hook"
            kind: "webhook"
            url: "https://hooks.example.org:99999/hook/{HOOK_PATH}?token=t0k3n-{HOOK_PATH}"
          - id: "robot"
            kind: "dingtalk"
            url: "https://user:{HOOK_PATH}@[oapi.dingtalk.com/robot/send?access_token=x"
        """))
    code, stdout, stderr = validate(path, SECRET=SECRET)
    assert code == 2
    output = stdout + stderr
    assert SECRET not in output
    assert HOOK_PATH not in output
    found = dict(problems(stderr, path))
    assert found[4] == ("service.connectivity: targets[0]: bad target 'udp://${SECRET}': "
                        "expected \"tcp://host:port\" or an http(s) URL")
    assert found[6] == ("defaults.timeout: bad duration '${SECRET}': expected a number and a "
                        "unit ms, s, m, h or d")
    assert found[12] == ("apps[0].checks[0].url: bad URL 'htps://h.example.org/x?apikey=***': "
                         "must start with http:// or https://")
    assert found[13] == ("apps[0].checks[1].max_body: bad size '${SECRET}': expected bytes, or "
                         "a number with KiB, MiB, KB, MB...")
    assert found[15].startswith("apps[0].checks[2].expect.body_regex: bad regular expression "
                                "'(${SECRET}': ")
    assert found[19] == ("notifiers[0].url: bad URL 'https://hooks.example.org:99999': Port out "
                         "of range 0-65535")
    assert found[22] == "notifiers[1].url: bad URL 'https://[oapi.dingtalk.com': Invalid IPv6 URL"


def test_issue_text_hides_substituted_values_wherever_they_turn_up(tmp_path: Path) -> None:
    """A rule of a dataclass may quote a value it was handed; the issue still shows ${NAME}."""
    path = write(tmp_path, 'service:\n  timezone: "${ZONE}"\n' + APP)
    zone = "Mars/Olympus_Mons_secret"
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={"ZONE": zone})
    assert zone not in str(caught.value)
    assert "${ZONE}" in str(caught.value)
    assert all(zone not in issue.render("zh-CN") for issue in caught.value.issues)


# -- The secret registry ---------------------------------------------------------------------


def test_a_loaded_config_registers_its_secrets(tmp_path: Path) -> None:
    path = write(tmp_path, textwrap.dedent("""\
        service:
          public_url: "${PUBLIC_URL}"
          api_tokens: [{name: "ops", token: "${API_TOKEN}"}]
        apps:
          - id: "a"
            name: "甲"
            checks:
              - {id: "q", kind: "http", url: "https://h.example.org/x?apikey=${KEY}"}
              - {id: "p", kind: "http", url: "https://svc:pw-written-here@h.example.org/y"}
        notifiers:
          - id: "hook"
            kind: "webhook"
            url: "https://hooks.example.org/hook/S3cretHookPath0042"
          - id: "mail"
            kind: "email"
            host: "smtp.example.org"
            sender: "m@example.org"
            to: ["ops@example.org"]
            password: "smtp-password-literal"
        """))
    load_config(path, env={"KEY": "kq-secret-apikey-123", "API_TOKEN": "tok-0123456789abcdef",
                           "PUBLIC_URL": "https://monitor.example.org"})
    for secret in ("kq-secret-apikey-123", "S3cretHookPath0042", "tok-0123456789abcdef",
                   "smtp-password-literal", "pw-written-here",
                   "https://h.example.org/x?apikey=kq-secret-apikey-123"):
        masked = mask_text(f"probe said: {secret} failed")
        assert secret not in masked, secret
        assert masked.startswith("probe said: ")
        assert "***" in masked
    # An address with no place for a secret stays readable (links in messages).
    assert mask_text("see https://monitor.example.org/i/1") == "see https://monitor.example.org/i/1"


def test_a_failed_load_registers_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, 'defaults: {timeout: "${KEY}"}\n' + APP)
    with pytest.raises(ConfigError):
        load_config(path, env={"KEY": "kq-secret-apikey-123"})
    assert secrets.known() == ()


# -- Row 8: api_tokens -----------------------------------------------------------------------


def test_api_tokens_are_long_and_unique(tmp_path: Path) -> None:
    path = write(tmp_path, textwrap.dedent("""\
        service:
          language: "en"
          api_tokens:
            - name: "ops"
              token: "${SHORT}"
            - name: "oncall"
              token: "${LONG}"
            - name: "ops"
              token: "${LONG}"
        """) + APP)
    code, stdout, stderr = validate(path, SHORT="tiny-token", LONG="a-long-enough-token-1234")
    assert code == 2
    assert "tiny-token" not in stdout + stderr
    assert "a-long-enough-token-1234" not in stdout + stderr
    assert problems(stderr, path) == [
        (4, "service.api_tokens[0]: token: too short: a token needs at least 16 characters "
            "(make one with python3 -c \"import secrets; print(secrets.token_urlsafe(16))\")"),
        (8, "service.api_tokens[2].name: duplicate token name 'ops' (first at line 4)"),
        (9, "service.api_tokens[2].token: the same token as api_tokens[1] (line 7): each "
            "holder needs their own"),
    ]


def test_the_shipped_configs_tokens_are_long_enough() -> None:
    """The example and demo read their tokens from the environment; a real one is 16+."""
    for path in (ROOT / "config" / "example.yaml", ROOT / "monitor" / "demo" / "demo.yaml"):
        name = path.name
        text = path.read_text(encoding="utf-8")
        for token in re.findall(r"token:\s*\"([^\"$]+)\"", text):
            assert len(token) >= 16, (name, token)
