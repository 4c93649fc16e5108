"""The dns probe against a real DNS server on loopback: answers, NXDOMAIN, silence, garbage."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any, Literal

import pytest

from probes.base import ErrorKind
from probes.context import ProbeContext
from probes.dns import DnsSpec, normalise, probe
from probes.registry import PROBE_KINDS, run_probe
from tests.support.dns_server import DnsServer
from tests.support.probectx import probe_context
from tests.support.tcp_servers import no_leaks, run_bounded

Protocol = Literal["udp", "tcp"]

ZONE = {
    "app.example": {"A": ["10.0.0.2", "10.0.0.1"], "AAAA": ["2001:db8::1"]},
    "www.example": {"CNAME": ["app.example."]},
    "mail.example": {"AAAA": ["2001:db8::25"]},  # no A record: NOERROR, empty answer
}


def spec_for(server: DnsServer, name: str, **overrides: Any) -> DnsSpec:
    return DnsSpec(name=name, server=server.host, port=server.port, **overrides)


@pytest.mark.parametrize("protocol", ["udp", "tcp"])
async def test_a_records(ctx: ProbeContext, protocol: Protocol) -> None:
    async with DnsServer(ZONE) as server:
        spec = spec_for(server, "app.example", expect=("10.0.0.1",), protocol=protocol)
        result = await run_bounded(probe, spec, ctx)
        assert server.queries == [(protocol, "app.example.", "A")]
    assert result.ok, result.message
    assert result.details["answers"] == "10.0.0.1,10.0.0.2"
    assert result.timings.dns_s is not None


async def test_aaaa_compared_in_compressed_form(ctx: ProbeContext) -> None:
    async with DnsServer(ZONE) as server:
        spec = spec_for(
            server, "app.example", record_type="AAAA", expect=("2001:0DB8:0000::0001",)
        )
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message
    assert result.details["answers"] == "2001:db8::1"


async def test_cname_without_trailing_dot_matches(ctx: ProbeContext) -> None:
    async with DnsServer(ZONE) as server:
        spec = spec_for(server, "WWW.example", record_type="CNAME", expect=("App.Example",))
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message
    assert result.details["answers"] == "app.example"


async def test_a_query_follows_cname(ctx: ProbeContext) -> None:
    async with DnsServer(ZONE) as server:
        spec = spec_for(server, "www.example", expect=("10.0.0.2",))
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message
    assert result.details["answers"] == "10.0.0.1,10.0.0.2"  # the alias itself is not an A answer


async def test_nxdomain() -> None:
    ctx = probe_context(1.0)
    async with DnsServer(ZONE) as server:
        result = await run_bounded(probe, spec_for(server, "gone.example"), ctx)
    assert result.error_kind is ErrorKind.DNS
    assert "NXDOMAIN" in result.message
    assert "gone.example" in result.message


async def test_noerror_without_answers() -> None:
    ctx = probe_context(1.0)
    async with DnsServer(ZONE) as server:
        result = await run_bounded(probe, spec_for(server, "mail.example"), ctx)
    assert result.error_kind is ErrorKind.DNS
    assert "no A record" in result.message


async def test_expected_answer_missing() -> None:
    ctx = probe_context(1.0)
    async with DnsServer(ZONE) as server:
        spec = spec_for(server, "app.example", expect=("10.0.0.1", "10.0.0.9"))
        result = await run_bounded(probe, spec, ctx)
    assert result.error_kind is ErrorKind.CONTENT
    assert "missing 10.0.0.9" in result.message
    assert "expected 10.0.0.1, 10.0.0.9" in result.message
    assert "got 10.0.0.1, 10.0.0.2" in result.message
    assert result.details["answers"] == "10.0.0.1,10.0.0.2"


@pytest.mark.parametrize("protocol", ["udp", "tcp"])
async def test_silent_resolver_is_a_timeout(protocol: Protocol) -> None:
    ctx = probe_context(1.0)
    async with DnsServer(ZONE, mode="silent") as server:
        result = await run_bounded(probe, spec_for(server, "app.example", protocol=protocol), ctx)
        assert len(server.queries) >= 1  # the query arrived; the server chose not to answer
    assert result.error_kind is ErrorKind.TIMEOUT, result.message
    assert "did not answer within 1s" in result.message


@pytest.mark.parametrize("protocol", ["udp", "tcp"])
async def test_garbage_reply_is_a_protocol_error(protocol: Protocol) -> None:
    ctx = probe_context(1.0)
    async with DnsServer(ZONE, mode="garbage") as server:
        result = await run_bounded(probe, spec_for(server, "app.example", protocol=protocol), ctx)
    assert result.error_kind is ErrorKind.PROTOCOL, result.message
    assert "malformed reply" in result.message


def closed_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("protocol", ["udp", "tcp"])
@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
async def test_resolver_port_closed_is_refused_at_once(
    dead_port: int, protocol: Protocol, host: str
) -> None:
    # Nothing listens: the ICMP port unreachable (UDP) or RST (TCP) comes back at once, and the
    # probe says so then, not after its whole timeout.
    timeout_s = 3.0
    port = closed_udp_port(host) if protocol == "udp" else dead_port
    if host == "::1" and protocol == "tcp":
        port = closed_udp_port(host)  # a free port on ::1 serves for TCP too
    spec = DnsSpec(name="app.example", server=host, port=port, protocol=protocol)
    started = time.monotonic()
    result = await run_bounded(probe, spec, probe_context(timeout_s))
    assert result.error_kind is ErrorKind.CONNECT_REFUSED, result.message
    assert time.monotonic() - started < timeout_s / 2


def test_resolver_must_be_an_ip_address() -> None:
    with pytest.raises(ValueError, match="expected the resolver's IP address"):
        DnsSpec(name="app.example", server="dns.example")


@pytest.mark.parametrize(
    ("record_type", "raw", "expected"),
    [
        ("A", " 10.0.0.1 ", "10.0.0.1"),
        ("AAAA", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("AAAA", "2001:DB8::1", "2001:db8::1"),
        ("CNAME", "App.Example.", "app.example"),
        ("A", "not-an-ip", "not-an-ip"),
    ],
)
def test_normalise(record_type: str, raw: str, expected: str) -> None:
    assert normalise(record_type, raw) == expected


async def test_hostile_runs_leak_no_sockets() -> None:
    ctx = probe_context(0.3)
    async with DnsServer(ZONE) as server:
        await probe(spec_for(server, "app.example"), ctx)  # warm up the loop
    async with (
        no_leaks(),
        DnsServer(ZONE) as good,
        DnsServer(ZONE, mode="silent") as silent,
        DnsServer(ZONE, mode="garbage") as garbage,
    ):
        specs = [
            spec_for(server, name, protocol=protocol)
            for server in (good, silent, garbage)
            for name in ("app.example", "gone.example")
            for protocol in ("udp", "tcp")
        ]
        await asyncio.gather(*(probe(spec, ctx) for spec in specs for _ in range(3)))


async def test_registry_runs_the_dns_kind(ctx: ProbeContext) -> None:
    async with DnsServer(ZONE) as server:
        result = await run_probe(PROBE_KINDS["dns"], spec_for(server, "app.example"), ctx)
    assert result.ok, result.message
