"""The tcp probe against real local servers: banners, echo, TLS, and every way a port misbehaves."""

from __future__ import annotations

import asyncio

from probes.base import ErrorKind
from probes.context import ProbeContext
from probes.registry import PROBE_KINDS, run_probe
from probes.tcp import MAX_BANNER_BYTES, TcpSpec, printable, probe
from tests.support.certs import TestPki
from tests.support.probectx import probe_context
from tests.support.tcp_servers import (
    banner_server,
    echo_server,
    flood_server,
    no_leaks,
    run_bounded,
    silent_server,
    tls_server,
)

SMTP_BANNER = b"220 mail.example.org ESMTP ready\r\n"


async def test_banner_matches(ctx: ProbeContext) -> None:
    async with banner_server(SMTP_BANNER) as server:
        result = await run_bounded(probe, TcpSpec(server.host, server.port, expect="ESMTP"), ctx)
    assert result.ok, result.message
    assert result.error_kind is None
    assert result.timings.dns_s is None  # an IP literal is not resolved
    assert result.timings.connect_s is not None
    assert result.timings.first_byte_s is not None
    assert result.timings.first_byte_s <= result.timings.total_s
    assert result.details["ip"] == "127.0.0.1"
    assert result.details["banner"].startswith("220 mail.example.org ESMTP ready\\r\\n")


async def test_connect_only_passes_without_expect(ctx: ProbeContext) -> None:
    async with silent_server() as server:
        result = await run_bounded(probe, TcpSpec(server.host, server.port), ctx)
        assert server.connections == 1
    assert result.ok, result.message
    assert result.timings.first_byte_s is None


async def test_host_name_is_resolved_and_timed(ctx: ProbeContext) -> None:
    async with banner_server(SMTP_BANNER) as server:
        result = await run_bounded(probe, TcpSpec("localhost", server.port, expect="220"), ctx)
    assert result.ok, result.message
    assert result.timings.dns_s is not None


async def test_send_line_and_expect_echo(ctx: ProbeContext) -> None:
    async with echo_server() as server:
        spec = TcpSpec(server.host, server.port, send="PING appmon", expect="PING appmon\r\n")
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message


async def test_tls_banner_without_verification(ctx: ProbeContext, pki: TestPki) -> None:
    async with tls_server(pki.server_context(), banner=b"* OK IMAP ready\r\n") as server:
        spec = TcpSpec(server.host, server.port, expect="IMAP", tls=True, tls_verify=False)
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message
    assert result.timings.tls_s is not None
    assert result.details["tls_version"].startswith("TLS")


async def test_tls_untrusted_certificate_fails_verification(pki: TestPki) -> None:
    async with tls_server(pki.server_context(), banner=b"* OK\r\n") as server:
        spec = TcpSpec(server.host, server.port, expect="OK", tls=True)
        result = await run_bounded(probe, spec, probe_context(1.0))
    assert result.error_kind is ErrorKind.CERT_INVALID, result.message


async def test_closed_port_is_refused(dead_port: int) -> None:
    result = await run_bounded(probe, TcpSpec("127.0.0.1", dead_port), probe_context(1.0))
    assert result.error_kind is ErrorKind.CONNECT_REFUSED
    assert f"127.0.0.1:{dead_port}" in result.message


async def test_unanswered_syn_is_a_connect_timeout(black_hole_port: int) -> None:
    result = await run_bounded(probe, TcpSpec("127.0.0.1", black_hole_port), probe_context(1.0))
    assert result.error_kind is ErrorKind.CONNECT_TIMEOUT, result.message
    assert result.timings.total_s >= 0.9


async def test_silent_peer_is_a_timeout() -> None:
    async with silent_server() as server:
        spec = TcpSpec(server.host, server.port, expect="220")
        result = await run_bounded(probe, spec, probe_context(1.0))
    assert result.error_kind is ErrorKind.TIMEOUT, result.message
    assert result.timings.connect_s is not None
    assert result.timings.first_byte_s is None


async def test_peer_closes_without_expected_text() -> None:
    async with banner_server(b"SSH-2.0-OpenSSH_9.2\r\n", close_after=True) as server:
        spec = TcpSpec(server.host, server.port, expect="ESMTP")
        result = await run_bounded(probe, spec, probe_context(1.0))
    assert result.error_kind is ErrorKind.CONTENT
    assert "SSH-2.0-OpenSSH_9.2\\r\\n" in result.message


async def test_peer_closes_without_a_word() -> None:
    async with banner_server(b"", close_after=True) as server:
        spec = TcpSpec(server.host, server.port, expect="220")
        result = await run_bounded(probe, spec, probe_context(1.0))
    assert result.error_kind is ErrorKind.CONTENT
    assert "before sending anything" in result.message


async def test_wrong_banner_on_open_connection() -> None:
    async with banner_server(b"\x00\x01binary junk\r\n") as server:
        spec = TcpSpec(server.host, server.port, expect="220")
        result = await run_bounded(probe, spec, probe_context(1.0))
    assert result.error_kind is ErrorKind.CONTENT, result.message
    assert "\\x00\\x01binary junk" in result.message


async def test_endless_banner_is_bounded() -> None:
    async with flood_server() as server:
        spec = TcpSpec(server.host, server.port, expect="220")
        result = await run_bounded(probe, spec, probe_context(2.0))
    assert result.error_kind is ErrorKind.CONTENT, result.message
    assert f"first {MAX_BANNER_BYTES} bytes" in result.message


def test_printable_escapes_and_cuts() -> None:
    assert printable(b"\x00ok\r\n") == "\\x00ok\\r\\n"
    assert printable("柯桥".encode()) == "柯桥"
    assert printable(b"\xff") == "\\xff"
    assert printable(b"x" * 200) == "x" * 80 + "..."


async def test_hostile_runs_leak_no_sockets(
    pki: TestPki, dead_port: int, black_hole_port: int
) -> None:
    ctx = probe_context(0.3)
    async with banner_server(SMTP_BANNER) as server:
        await probe(TcpSpec(server.host, server.port, expect="220"), ctx)  # warm up the loop
    async with (
        no_leaks(),
        silent_server() as silent,
        flood_server() as flood,
        banner_server(b"bye\r\n", close_after=True) as hangup,
        tls_server(pki.server_context(), banner=b"* OK\r\n") as tls,
    ):
        specs = [
            TcpSpec(server.host, server.port, send="HELLO", expect="220")
            for server in (silent, flood, hangup)
        ]
        specs += [
            TcpSpec(tls.host, tls.port, expect="OK", tls=True),  # untrusted certificate
            TcpSpec(tls.host, tls.port, expect="nope", tls=True, tls_verify=False),
            TcpSpec("127.0.0.1", dead_port),
            TcpSpec("127.0.0.1", black_hole_port),
        ]
        results = await asyncio.gather(*(probe(spec, ctx) for spec in specs for _ in range(3)))
    assert not any(result.ok for result in results)


async def test_registry_runs_the_tcp_kind(ctx: ProbeContext) -> None:
    async with banner_server(SMTP_BANNER) as server:
        spec = TcpSpec(server.host, server.port, expect="220")
        result = await run_probe(PROBE_KINDS["tcp"], spec, ctx)
    assert result.ok, result.message
    assert PROBE_KINDS["tcp"].target(spec) == f"127.0.0.1:{server.port}"
