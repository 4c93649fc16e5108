"""Every kind of mistake is reported at once, as FILE:LINE: key.path: message."""

# ruff: noqa: E501  (the expected messages read best whole, one per line)

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.config import ConfigError, ConfigIssue, load_config
from monitor.core.catalog import EN, ZH
from monitor.core.configtext import ConfigText, ConfigValueError
from probes.dns import DnsSpec
from probes.tcp import TcpSpec

DATA = Path(__file__).parent / "data"

# (line, key path, message) for tests/config/data/broken.yaml, in the order reported.
EXPECTED = [
    (3, "service.language", "expected one of 'zh-CN', 'en', got 'fr'"),
    (4, "service.max_concurrency", "must be between 1 and 100000, got 0"),
    (5, "service.public_url", "bad URL 'localhost:8080': must start with http:// or https://"),
    (7, "defaults.interva", "unknown key 'interva'; did you mean 'interval'?"),
    (8, "defaults.timeout", "bad duration '15 sec': expected a number and a unit ms, s, m, h or d"),
    (9, "defaults.confirm", "expected an integer, got 'abc'"),
    (12, "sla.response", "duplicate key (first at line 11)"),
    (14, "apps[0].id", "bad app id 'KQ_OA': use a-z, 0-9 and '-', not starting with '-'"),
    (16, "apps[0].tier", "must be between 1 and 3, got 5"),
    (17, "apps[0].owner.mobile", "bad mobile number '1380000': expected 11 digits starting with 1"),
    (17, "apps[0].owner.email", "bad email address 'not-an-email'"),
    (18, "apps[0].notify[1]", "unknown notifier 'nobody'; expected one of: mail, oncall-robot"),
    (22, "apps[0].checks[0].url", "bad URL 'ftp://oa.example.org/': must start with http:// or https://"),
    (23, "apps[0].checks[0].headers", "expected a mapping, got a list"),
    (24, "apps[0].checks[0].max_body", "bad size '1 TB': expected bytes, or a number with KiB, MiB, KB, MB..."),
    (26, "apps[0].checks[0].expect.body_regex",
     "bad regular expression '(unclosed': missing ), unterminated subpattern at position 0"),
    (27, "apps[0].checks[0].expect.max_latency",
     "bad duration 'fast': expected a number and a unit ms, s, m, h or d"),
    (29, "apps[0].checks[0].expect.json[0].equals",
     "expected a single value (string, number, true/false or null), got a mapping"),
    (30, "apps[0].checks[1].id", "duplicate check id 'home' (first at line 20)"),
    (31, "apps[0].checks[1].kind", "unknown check kind 'htp'; known kinds: dns, flow, http, tcp, tls"),
    (32, "apps[0].checks[2].host", "missing required key 'host'"),
    (32, "apps[0].checks[2].id", "bad check id 'Port 443': use a-z, 0-9 and '-', not starting with '-'"),
    (34, "apps[0].checks[2].port", "must be between 1 and 65535, got 70000"),
    (38, "apps[0].checks[3].record_type", "expected one of 'A', 'AAAA', 'CNAME', got 'MX'"),
    (39, "apps[0].checks[3].expect", "expected a list, got '1.2.3.4'"),
    (47, "apps[1].checks[0].steps[0].url",
     "bad URL '/login?u={{ user }}': must start with http:// or https://"),
    (48, "apps[2].id", "duplicate app id 'kq-oa2' (first at line 40)"),
    (48, "apps[2].checks", "no checks: give checks, or url for a home page check"),
    (53, "notifiers[0].url", "environment variable DING_TOKEN is not set"),
    (54, "notifiers[1].id", "duplicate notifier id 'oncall-robot' (first at line 51)"),
    (55, "notifiers[1].kind", "unknown notifier kind 'sms'; known kinds: dingtalk, email, webhook"),
    (56, "notifiers[2].id", "'owner' is reserved for escalation steps; choose another id"),
    (58, "notifiers[2].url",
     "bad URL 'htp://hooks.example.org': must start with http:// or https://"),
    (63, "notifiers[3].to", "expected a list, got 'ops@example.org'"),
    (64, "apps_files", "unknown key 'apps_files'; did you mean 'apps_file'?"),
    (67, "escalation[0].notify[1]",
     "unknown notifier 'ops'; expected one of: app, mail, oncall-robot, owner"),
    (68, "escalation[1].after", "steps must be in order of 'after'"),
]  # fmt: skip


def load_issues(path: Path, env: dict[str, str] | None = None) -> list[ConfigIssue]:
    with pytest.raises(ConfigError) as info:
        load_config(path, env={} if env is None else env)
    return info.value.issues


def test_broken_config_reports_every_problem_with_line_and_key_path() -> None:
    path = DATA / "broken.yaml"
    issues = load_issues(path)
    assert {issue.file for issue in issues} == {str(path)}
    assert [(issue.line, issue.key_path, issue.message) for issue in issues] == EXPECTED


def test_error_text_is_one_rendered_issue_per_line() -> None:
    path = DATA / "broken.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    lines = str(info.value).splitlines()
    assert len(lines) == len(EXPECTED)
    assert (
        lines[3] == f"{path}:7: defaults.interva: unknown key 'interva'; did you mean 'interval'?"
    )


def test_secret_values_never_appear_in_messages() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(DATA / "broken.yaml", env={})
    assert "s3cret-value" not in str(info.value)


def test_issue_rendering() -> None:
    bad = ConfigText("duration.bad", text="soon")
    assert str(ConfigIssue("c.yaml", 7, "sla.response", bad)) == (
        "c.yaml:7: sla.response: bad duration 'soon': expected a number and a unit ms, s, m, h or d")
    invalid = ConfigText("yaml.invalid", detail="x")
    assert str(ConfigIssue("c.yaml", 3, "", invalid)) == "c.yaml:3: invalid YAML: x"
    unreadable = ConfigText("file.unreadable", detail="Permission denied")
    assert str(ConfigIssue("c.yaml", 0, "", unreadable)) == "c.yaml: cannot read: Permission denied"


def test_issue_rendering_in_chinese_keeps_file_line_and_key_path() -> None:
    bad = ConfigText("duration.bad", text="soon")
    issue = ConfigIssue("c.yaml", 7, "sla.response", bad)
    assert issue.render(ZH) == (
        "c.yaml:7: sla.response: 时长“soon”无效：应为数字加单位 ms、s、m、h 或 d")
    assert issue.render(EN) == str(issue)
    assert ConfigIssue("c.yaml", 0, "", ConfigText("file.not_found")).render(ZH) == (
        "c.yaml: 无法读取：文件不存在")


def test_yaml_syntax_error_names_the_line() -> None:
    path = DATA / "syntax.yaml"
    assert [str(issue) for issue in load_issues(path)] == [
        f"{path}:7: invalid YAML: found unexpected end of stream"
        " (while scanning a quoted scalar at line 5)"
    ]


def test_tab_indentation_is_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("apps:\n\t- id: x\n", encoding="utf-8")
    [issue] = load_issues(path)
    assert (issue.line, issue.key_path) == (2, "")
    assert issue.message.startswith("invalid YAML:")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert [str(issue) for issue in load_issues(path)] == [
        f"{path}: cannot read: No such file or directory"
    ]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n"])
def test_not_a_mapping_of_sections(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    [issue] = load_issues(path)
    assert issue.message == "expected a mapping of sections (service, apps, notifiers, ...)"


def test_no_apps(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("service:\n  listen: '127.0.0.1:9'\napps: []\n", encoding="utf-8")
    assert [str(issue) for issue in load_issues(path)] == [
        f"{path}:3: apps: no apps: list them here or give apps_file"
    ]


def test_section_of_the_wrong_shape(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "defaults: 60s\nescalation: {after: 0s}\nnotifiers: x\n"
        "apps:\n  - id: a\n    name: A\n    url: https://a.example.org/\n",
        encoding="utf-8",
    )
    assert [(i.line, i.key_path, i.message) for i in load_issues(path)] == [
        (1, "defaults", "expected a mapping, got '60s'"),
        (2, "escalation", "expected a list, got a mapping"),
        (3, "notifiers", "expected a list of notifiers"),
    ]


def test_unset_variable_in_a_block_scalar_names_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "apps:\n"
        "  - id: a\n"
        "    name: A\n"
        "    checks:\n"
        "      - id: post\n"
        "        kind: http\n"
        "        url: https://a.example.org/\n"
        "        body: |\n"
        '          {"user": "probe",\n'
        '           "password": "${PROBE_PASSWORD}"}\n',
        encoding="utf-8",
    )
    assert [str(issue) for issue in load_issues(path)] == [
        f"{path}:10: apps[0].checks[0].body: environment variable PROBE_PASSWORD is not set"
    ]


def test_unset_variable_is_reported_once_per_use_and_never_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "service:\n  public_url: 'https://${HOST}/'\n  data_dir: '${HOST}-${DIR}'\n"
        "apps:\n  - {id: a, name: A, url: 'https://a.example.org/'}\n",
        encoding="utf-8",
    )
    assert [(i.line, i.key_path, i.message) for i in load_issues(path)] == [
        (2, "service.public_url", "environment variable HOST is not set"),
        (3, "service.data_dir", "environment variable HOST is not set"),
        (3, "service.data_dir", "environment variable DIR is not set"),
    ]


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_problem_reads_in_chinese_with_the_same_file_line_and_key_path() -> None:
    issues = load_issues(DATA / "broken.yaml")
    for issue in issues:
        english, chinese = str(issue), issue.render(ZH)
        prefix = english[: len(english) - len(issue.message)]
        assert chinese.startswith(prefix), chinese
        message = chinese[len(prefix):]
        assert message != issue.message
        assert CJK.search(message), chinese


def test_the_chinese_words_of_a_few_problems() -> None:
    by_key = {i.key_path: i.render(ZH).split(": ", 2)[2] for i in load_issues(DATA / "broken.yaml")}
    assert by_key["service.language"] == "应为 'zh-CN', 'en' 之一，实际为“fr”"
    assert by_key["defaults.interva"] == "未知的键“interva”；是否应为“interval”？"
    assert by_key["apps[0].checks[1].id"] == "检查编号“home”重复（首次出现在第 20 行）"
    assert by_key["apps[0].checks[0].headers"] == "应为映射，实际为列表"
    # The regular expression's own complaint is Python's, passed on as it is.
    assert by_key["apps[0].checks[0].expect.body_regex"] == (
        "正则表达式“(unclosed”无效：missing ), unterminated subpattern at position 0")


@pytest.mark.parametrize(("text", "language"), [
    ("service:\n  language: en\n  listen: 7\napps: 3\n", EN),  # said, beside other problems
    ("service:\n  language: zh-CN\napps: 3\n", ZH),
    ("service:\n  listen: '127.0.0.1:9'\napps: 3\n", ZH),  # left out: the default
    ("apps: 3\n", ZH),
    ("service:\n  language: fr\napps: []\n", None),  # not one of ours: the file cannot tell
    ("service: 3\napps: []\n", None),
    ("- a\n", None),
    ("apps: [\n", None),  # not YAML
])
def test_the_error_carries_the_language_the_config_would_run_in(
        tmp_path: Path, text: str, language: str | None) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert info.value.language == language


def test_an_unreadable_file_cannot_tell_its_language(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml", env={})
    assert info.value.language is None
    [issue] = info.value.issues
    assert issue.render(ZH) == f"{tmp_path / 'nope.yaml'}: 无法读取：文件不存在"


def test_spec_rules_raise_catalog_errors_whose_text_is_the_old_english() -> None:
    with pytest.raises(ConfigValueError) as info:
        TcpSpec(host="bad host", port=22)
    assert str(info.value) == (
        "host: bad host name 'bad host': labels of 1 to 63 letters, digits, '-' or '_', "
        "separated by single dots")
    assert info.value.text.render(ZH) == (
        "host：主机名“bad host”无效：应由单个点分隔、每段 1 到 63 个字母、数字、“-”或“_”组成")
    with pytest.raises(ValueError, match="server: expected the resolver's IP address") as caught:
        DnsSpec(name="example.org", server="resolver")
    assert isinstance(caught.value, ConfigValueError)
    assert caught.value.text.render(ZH) == "server：应为解析服务器的 IP 地址，实际为“resolver”"
