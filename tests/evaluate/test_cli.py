"""`python -m monitor evaluate` as an operator runs it: a real subprocess against real servers."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.evaluate.trial import Trial, write_trial
from tests.support.baseline_servers import RunningSite, Site, baseline_site
from tests.support.certs import TestPki

ROOT = Path(__file__).resolve().parents[2]
CHECK_IDS = ["https_redirect", "tls_version", "tls_legacy", "cert_valid", "hsts",
             "x_frame_options", "x_content_type_options", "csp", "server_version",
             "x_powered_by", "high_risk_ports", "availability", "latency_p95",
             "traffic_visitors"]


async def monitor(*args: str, lang: str | None = None) -> tuple[int, str, str]:
    """The command with MONITOR_LANG set to `lang` (None: unset, the Chinese default)."""
    env = {name: value for name, value in os.environ.items() if name != "MONITOR_LANG"}
    if lang is not None:
        env["MONITOR_LANG"] = lang
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def site_args(site: RunningSite, *extra: str) -> list[str]:
    return ["evaluate", "--ca-file", site.ca_file, "--http-port", str(site.http_port),
            "--ports", str(site.closed_port), "--burst", "3", "--burst-interval", "0ms",
            *extra]


async def evaluate_json(site: RunningSite, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = await monitor(*site_args(site, "--url", site.url, *extra))
    return code, json.loads(out), err


def statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for d in doc["dimensions"] for c in d["checks"]}


async def test_a_healthy_site_passes_with_the_json_shape(site: RunningSite) -> None:
    code, doc, err = await evaluate_json(site)
    assert code == 0, err
    assert {"target", "evaluated_at", "verdict", "score", "dimensions", "reasons"} <= set(doc)
    assert doc["target"] == site.url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", doc["evaluated_at"])
    assert (doc["verdict"], doc["score"], doc["reasons"]) == ("pass", 100, [])
    assert [d["name"] for d in doc["dimensions"]] == [
        "security", "availability", "performance", "traffic"]
    for dim in doc["dimensions"]:
        assert {"name", "score", "status", "checks"} <= set(dim)
        for check in dim["checks"]:
            assert {"id", "status", "detail"} <= set(check)
    assert list(statuses(doc)) == CHECK_IDS
    assert doc["dimensions"][3]["status"] == "unknown"
    assert "评估结论: 通过 (100/100)" in err


async def test_a_failing_site_exits_1(pki: TestPki) -> None:
    async with baseline_site(pki, Site(redirect=False)) as site:
        code, doc, _ = await evaluate_json(site)
    assert code == 1
    assert doc["verdict"] == "fail"
    assert [k for k, v in statuses(doc).items() if v == "fail"] == ["https_redirect"]


async def test_a_conditional_pass_exits_0(pki: TestPki) -> None:
    async with baseline_site(pki, Site(headers={"Content-Security-Policy": None})) as site:
        code, doc, _ = await evaluate_json(site)
    assert code == 0
    assert doc["verdict"] == "conditional"
    assert doc["reasons"] == ["安全基线 · 内容安全策略 CSP：未设置 Content-Security-Policy"]


async def test_a_flaky_burst_fails_with_exact_counts(pki: TestPki) -> None:
    async with baseline_site(pki, Site(fail_every=4)) as site:
        code, doc, _ = await evaluate_json(site, "--burst", "12")
    assert code == 1
    availability = doc["dimensions"][1]["checks"][0]
    assert availability["data"] == {"runs": 12, "failures": 3, "availability_pct": 75.0}


class Page(HTMLParser):
    """Collects what the report test looks at: text, tags, attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


async def test_the_html_report_is_one_chinese_page(tmp_path: Path, pki: TestPki) -> None:
    out = tmp_path / "reports" / "kq-oa.html"
    async with baseline_site(pki, Site(headers={"Server": "nginx/1.18.0"})) as site:
        code, stdout, err = await monitor(*site_args(site, "--url", site.url, "--format", "html",
                                                     "--out", str(out)))
    assert code == 0, err
    assert stdout == ""
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    page.close()
    text = "\n".join(page.text)
    for title in ("应用上架前评估报告", "评估结论", "问题清单", "分项评分", "安全基线", "可用性",
                  "性能", "访问量", "评分与结论规则", "条件通过"):
        assert title in text, title
    assert "Server: nginx/1.18.0 泄露了版本号" in text
    # Self-contained: no scripts, stylesheets, images or anything fetched from elsewhere.
    assert not {"script", "link", "img", "iframe"} & set(page.tags)
    assert not [value for name, value in page.attrs if name in ("src", "href")]
    assert ("name", "viewport") in page.attrs
    checks = [value for name, value in page.attrs if name == "data-check"]
    assert checks == CHECK_IDS
    assert f"-> {out}" in err


def config_file(tmp_path: Path, url: str, language: str = "zh-CN") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(f"""\
        service:
          data_dir: "{tmp_path / 'data'}"
          language: "{language}"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            url: "{url}"
    """), encoding="utf-8")
    return path


async def test_an_app_in_trial_is_judged_from_the_ledger(tmp_path: Path, site: RunningSite) -> None:
    await write_trial(tmp_path / "data", Trial(hours=14 * 24, per_hour=2, failures=2))
    config = config_file(tmp_path, site.url)
    code, out, err = await monitor(*site_args(site, "--config", str(config), "--app", "kq-oa"))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["app"] == {"id": "kq-oa", "name": "柯桥区协同办公"}
    availability, coverage = doc["dimensions"][1]["checks"]
    assert availability["data"] == {"runs": 672, "failures": 2, "availability_pct": 99.702}
    assert coverage["status"] == "pass"
    assert doc["dimensions"][1]["source"].startswith("监控账本：")
    assert doc["verdict"] == "pass"
    assert site.hits == 1  # the security GET; the trial came from the ledger


async def test_the_config_language_applies(tmp_path: Path, site: RunningSite) -> None:
    config = config_file(tmp_path, site.url, language="en")
    code, out, err = await monitor(*site_args(site, "--config", str(config), "--app", "kq-oa"))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["verdict_label"] == "Pass"
    assert doc["dimensions"][0]["title"] == "Security baseline"
    assert "Verdict: Pass" in err
    # No ledger file yet: the burst stands in.
    assert doc["dimensions"][1]["source"].startswith("burst: 3 requests")


@pytest.mark.parametrize(("args", "chinese", "english"), [
    (["--url", "ftp://example.org/"], "URL 无效：不是 http(s) URL：“ftp://example.org/”",
     "bad URL: not an http(s) URL: 'ftp://example.org/'"),
    (["--url", "https://"], "URL 无效", "bad URL"),
    (["--app", "kq-oa"], "evaluate：--app 需要与 --config 一起使用",
     "evaluate: --app needs --config"),
    ([], "请给出 --url URL", "give --url URL"),
    (["--url", "https://127.0.0.1/", "--ca-file", "/nonexistent/ca.pem"],
     "--ca-file /nonexistent/ca.pem：文件不存在", "--ca-file /nonexistent/ca.pem: no such file"),
    (["--url", "https://127.0.0.1/", "--ports", "22,99999"],
     "错误：参数 --ports：端口“99999”无效：应为 1-65535 之间的数字",
     "error: argument --ports: bad port '99999': expected a number 1-65535"),
    (["--url", "https://127.0.0.1/", "--burst", "0"], "应为不小于 1 的整数，实际为“0”",
     "expected a whole number ≥ 1, got '0'"),
    (["--url", "https://127.0.0.1/", "--timeout", "soon"], "时长“soon”无效", "bad duration 'soon'"),
])
async def test_bad_arguments_exit_2(args: list[str], chinese: str, english: str) -> None:
    code, out, err = await monitor("evaluate", *args)
    assert (code, out) == (2, "")
    assert chinese in err
    code, out, err = await monitor("evaluate", *args, lang="en")
    assert (code, out) == (2, "")
    assert english in err


async def test_an_unknown_app_exits_2(tmp_path: Path) -> None:
    config = config_file(tmp_path, "https://127.0.0.1/")
    code, _, err = await monitor("evaluate", "--config", str(config), "--app", "nope")
    assert code == 2
    assert "未知的应用编号“nope”" in err  # the config's language, zh-CN


async def test_help_documents_the_exit_status() -> None:
    code, out, _ = await monitor("evaluate", "--help")
    assert code == 0
    assert "退出码：0 通过或条件通过，1 不通过，2 参数错误" in out
    assert "--ports" in out
    assert "22,23,445" in out
    code, out, _ = await monitor("evaluate", "--help", lang="en")
    assert code == 0
    assert "exit status: 0 pass or conditional pass, 1 fail," in out
    assert "2 bad arguments" in out
    assert "22,23,445" in out
