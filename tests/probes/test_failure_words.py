"""Real failures of every probe kind carry a catalog reason: people read them in Chinese (no
English words of the probe's), while the English rendering stays the probe's message."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from aiohttp import web

from monitor.core.i18n import EN, ZH
from monitor.core.reasons import render
from probes import dns, flow, http, tcp, tls
from probes.base import ErrorKind, ProbeResult
from probes.context import ProbeContext
from probes.flow import Capture, FlowSpec, FlowStep
from probes.registry import PROBE_KINDS, run_probe
from probes.specs_http import HttpExpect, JsonEquals
from tests.support.certs import TestPki
from tests.support.dns_server import DnsServer
from tests.support.http_servers import serve_app
from tests.support.probectx import probe_context
from tests.support.tcp_servers import banner_server, plain_http_server, tls_server

# Words a Chinese reader may meet in a reason: protocol names and record types.
_ALLOWED_LATIN: Final = frozenset({"TLS", "DNS", "JSON", "NXDOMAIN", "HTTP", "IPv4", "IPv6",
                                   "NOERROR", "A", "CA"})
_LATIN_WORD: Final = re.compile(r"[A-Za-z]{2,}")


def chinese(result: ProbeResult, *names: str) -> str:
    """The result's reason in Chinese, checked to hold no English beyond `names` (hosts, ...)."""
    assert not result.ok, result
    assert result.reason is not None, result
    text = render(result.reason, ZH)
    assert render(result.reason, EN) == result.message
    leftover = _LATIN_WORD.findall(_strip(text, names))
    assert [word for word in leftover if word not in _ALLOWED_LATIN] == [], text
    return text


def _strip(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        text = text.replace(name, " ")
    return text


async def test_tcp_refused(dead_port: int) -> None:
    result = await tcp.probe(tcp.TcpSpec(host="127.0.0.1", port=dead_port), probe_context(2))
    assert result.error_kind is ErrorKind.CONNECT_REFUSED
    assert chinese(result) == f"连接被拒绝（127.0.0.1:{dead_port}）"


async def test_tcp_banner_not_as_expected() -> None:
    async with banner_server(b"220 ready\r\n", close_after=True) as server:
        spec = tcp.TcpSpec(host=server.host, port=server.port, expect="SSH-2.0")
        result = await tcp.probe(spec, probe_context(2))
    assert result.error_kind is ErrorKind.CONTENT
    assert chinese(result, "220 ready\\r\\n", "SSH") == (
        "连接已关闭，未收到“SSH-2.0”：220 ready\\r\\n")


async def test_tls_on_a_plain_http_port() -> None:
    async with plain_http_server() as server:
        spec = tls.TlsSpec(host=server.host, port=server.port)
        result = await tls.probe(spec, probe_context(2))
    assert result.error_kind is ErrorKind.TLS
    assert chinese(result) == "该端口有应答，但不是 TLS"


async def test_tls_untrusted_expired_and_misnamed(pki: TestPki) -> None:
    ctx = probe_context(3)
    async with tls_server(pki.server_context()) as server:
        untrusted = await tls.probe(tls.TlsSpec(host=server.host, port=server.port), ctx)
    async with tls_server(pki.server_context(expired=True)) as server:
        spec = tls.TlsSpec(host=server.host, port=server.port, ca_file=str(pki.ca_file))
        expired = await tls.probe(spec, ctx)
    async with tls_server(pki.server_context("other.example")) as server:
        spec = tls.TlsSpec(host=server.host, port=server.port, ca_file=str(pki.ca_file))
        misnamed = await tls.probe(spec, ctx)
    assert untrusted.error_kind is ErrorKind.CERT_INVALID
    assert chinese(untrusted).startswith("证书不受信任：")
    assert expired.error_kind is ErrorKind.CERT_EXPIRED
    assert re.fullmatch(r"证书已于 [\d.]+ 天前过期（\S+）", chinese(expired, "T", "Z"))
    assert misnamed.error_kind is ErrorKind.CERT_HOSTNAME
    assert chinese(misnamed, "other.example") == "证书签发给 other.example，不是 127.0.0.1"


async def test_dns_nxdomain_and_missing_answer() -> None:
    ctx = probe_context(2)
    async with DnsServer({"app.example": {"A": ["10.0.0.1"]}}) as server:
        def spec(name: str, **extra: object) -> dns.DnsSpec:
            return dns.DnsSpec(name=name, server=server.host, port=server.port, **extra)  # type: ignore[arg-type]
        nxdomain = await dns.probe(spec("nope.example"), ctx)
        missing = await dns.probe(spec("app.example", expect=("10.0.0.9",)), ctx)
    assert chinese(nxdomain, "nope.example") == "域名 nope.example 不存在（NXDOMAIN）"
    assert chinese(missing, "app.example") == (
        "app.example 的 A 记录缺少 10.0.0.9（期望 10.0.0.9，实际 10.0.0.1）")


async def _json(_request: web.Request) -> web.Response:
    return web.json_response({"data": {"items": [1, 2]}})


async def test_http_refused_and_json_path_missing(dead_port: int) -> None:
    app = web.Application()
    app.router.add_get("/api", _json)
    ctx = probe_context(2)
    refused = await http.probe(http.HttpSpec(url=f"http://127.0.0.1:{dead_port}/"), ctx)
    async with serve_app(app) as base:
        expect = HttpExpect(json=(JsonEquals(path="data.items[5]", equals=1),))
        missing = await http.probe(http.HttpSpec(url=f"{base}/api", expect=expect), ctx)
    assert chinese(refused) == f"连接被拒绝（127.0.0.1 端口 {dead_port}）"
    assert chinese(missing, "data.items") == (
        "JSON 路径 data.items[5] 不存在：$.data.items 只有 2 项，没有第 [5] 项")


async def test_flow_capture_without_its_header(ctx: ProbeContext) -> None:
    app = web.Application()
    app.router.add_get("/api", _json)
    async with serve_app(app) as base:
        step = FlowStep(name="登录", url=f"{base}/api",  # type: ignore[arg-type]
                        capture={"token": Capture(header="X-Token")})
        result = await flow.probe(FlowSpec(steps=(step,)), ctx)
    assert result.error_kind is ErrorKind.CAPTURE
    assert chinese(result, "X-Token", "token") == (
        "步骤“登录”：提取变量“token”失败：响应中没有 X-Token 头")


async def test_a_ca_file_broken_after_loading_is_the_monitors_fault(
    pki: TestPki, tmp_path: Path
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(pki.ca_file.read_bytes())
    spec = http.HttpSpec(url="https://127.0.0.1:9/", ca_file=str(ca_file))  # type: ignore[arg-type]
    ca_file.write_text("broken since the config was loaded\n")
    result = await run_probe(PROBE_KINDS["http"], spec, probe_context(2))
    assert result.error_kind is ErrorKind.MONITOR  # unknown: the app is not blamed
    assert chinese(result, str(ca_file), "NO_CERTIFICATE_OR_CRL_FOUND") == (
        f"监测服务无法加载 CA 证书文件 {ca_file}，结果不计（NO_CERTIFICATE_OR_CRL_FOUND）")
