"""The tls probe against real TLS servers with certificates from a private test CA."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from typing import Any

import pytest

from probes.base import ErrorKind
from probes.context import ProbeContext
from probes.registry import PROBE_KINDS, run_probe
from probes.tls import TlsSpec, probe
from tests.support.certs import TestPki
from tests.support.probectx import probe_context
from tests.support.tcp_servers import (
    LocalServer,
    banner_server,
    no_leaks,
    plain_http_server,
    run_bounded,
    silent_server,
    tls_server,
)


def spec_for(server: LocalServer, pki: TestPki | None, **overrides: Any) -> TlsSpec:
    """A spec for `server`, trusting the test CA when `pki` is given."""
    ca_file = str(pki.ca_file) if pki is not None else None
    return TlsSpec(host=server.host, port=server.port, ca_file=ca_file, **overrides)


async def test_valid_certificate(ctx: ProbeContext, pki: TestPki) -> None:
    async with tls_server(pki.server_context()) as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.ok, result.message
    assert result.cert_days_left == pytest.approx(365, abs=0.1)
    details = result.details
    assert details["tls_version"] in ("TLSv1.2", "TLSv1.3")
    assert details["cipher"]
    assert "appmon test CA" in details["issuer"]
    assert details["san"] == "localhost,127.0.0.1"
    not_after = dt.datetime.fromisoformat(details["not_after"])
    assert not_after.tzinfo is not None
    assert result.timings.connect_s is not None
    assert result.timings.tls_s is not None
    assert result.message.startswith(f"{details['tls_version']}, certificate valid for 36")


async def test_server_name_used_for_sni_and_verification(ctx: ProbeContext, pki: TestPki) -> None:
    async with tls_server(pki.server_context("app.example.org")) as server:
        spec = spec_for(server, pki, server_name="app.example.org")
        result = await run_bounded(probe, spec, ctx)
    assert result.ok, result.message
    assert result.details["san"] == "app.example.org"


async def test_near_expiry(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context(days_left=10)) as server:
        result = await run_bounded(probe, spec_for(server, pki, min_days_left=14), ctx)
    assert result.error_kind is ErrorKind.CERT_EXPIRING
    # Valid today: up, with a warning (not an outage), and not unknown.
    assert (result.ok, result.warning, result.outcome) == (True, True, "up")
    assert result.cert_days_left == pytest.approx(10, abs=0.1)
    assert result.message == "certificate expires in 10.0 days (< 14)"


async def test_expired(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context(expired=True)) as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.error_kind is ErrorKind.CERT_EXPIRED, result.message
    assert result.cert_days_left is not None
    assert result.cert_days_left == pytest.approx(-1, abs=0.1)
    assert "expired 1.0 days ago" in result.message


async def test_untrusted_issuer(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context()) as server:
        result = await run_bounded(probe, spec_for(server, None), ctx)
    assert result.error_kind is ErrorKind.CERT_INVALID, result.message
    assert "not trusted" in result.message
    # Learnt from the second, unverified handshake.
    assert result.cert_days_left == pytest.approx(365, abs=0.1)
    assert result.details["san"] == "localhost,127.0.0.1"


@pytest.mark.parametrize(
    ("host", "server_name"), [("127.0.0.1", None), ("127.0.0.1", "localhost"), ("localhost", None)]
)
async def test_hostname_mismatch(pki: TestPki, host: str, server_name: str | None) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context("other.example")) as server:
        spec = TlsSpec(host, server.port, server_name=server_name, ca_file=str(pki.ca_file))
        result = await run_bounded(probe, spec, ctx)
    assert result.error_kind is ErrorKind.CERT_HOSTNAME, result.message
    assert result.cert_days_left == pytest.approx(365, abs=0.1)


async def test_expired_outranks_untrusted(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context(expired=True)) as server:
        result = await run_bounded(probe, spec_for(server, None), ctx)
    assert result.error_kind is ErrorKind.CERT_EXPIRED, result.message


async def test_hostname_outranks_untrusted(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context("other.example")) as server:
        result = await run_bounded(probe, spec_for(server, None), ctx)
    assert result.error_kind is ErrorKind.CERT_HOSTNAME, result.message
    assert "other.example" in result.message


async def test_expired_outranks_hostname(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    async with tls_server(pki.server_context("other.example", expired=True)) as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.error_kind is ErrorKind.CERT_EXPIRED, result.message


async def test_old_protocol_below_min_version(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    server_ctx = pki.server_context(max_version=ssl.TLSVersion.TLSv1_2)
    async with tls_server(server_ctx) as server:
        result = await run_bounded(probe, spec_for(server, pki, min_version="TLSv1.3"), ctx)
    assert result.error_kind is ErrorKind.TLS, result.message
    assert result.message == "server negotiated TLSv1.2, older than TLSv1.3"
    assert result.details["tls_version"] == "TLSv1.2"


async def test_old_protocol_outranks_expiring(pki: TestPki) -> None:
    ctx = probe_context(2.0)
    server_ctx = pki.server_context(days_left=3, max_version=ssl.TLSVersion.TLSv1_2)
    async with tls_server(server_ctx) as server:
        result = await run_bounded(probe, spec_for(server, pki, min_version="TLSv1.3"), ctx)
    assert result.error_kind is ErrorKind.TLS, result.message
    assert result.cert_days_left == pytest.approx(3, abs=0.1)


async def test_plain_http_port_is_a_tls_error(pki: TestPki) -> None:
    ctx = probe_context(1.0)
    async with plain_http_server() as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.error_kind is ErrorKind.TLS, result.message


async def test_silent_port_is_a_timeout(pki: TestPki) -> None:
    ctx = probe_context(1.0)
    async with silent_server() as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.error_kind is ErrorKind.TIMEOUT, result.message
    assert result.timings.connect_s is not None


async def test_closed_port_is_refused(dead_port: int) -> None:
    ctx = probe_context(1.0)
    result = await run_bounded(probe, TlsSpec(host="127.0.0.1", port=dead_port), ctx)
    assert result.error_kind is ErrorKind.CONNECT_REFUSED, result.message


async def test_unanswered_syn_is_a_connect_timeout(black_hole_port: int) -> None:
    ctx = probe_context(1.0)
    result = await run_bounded(probe, TlsSpec(host="127.0.0.1", port=black_hole_port), ctx)
    assert result.error_kind is ErrorKind.CONNECT_TIMEOUT, result.message


async def test_peer_hanging_up_on_client_hello_is_a_tls_error(pki: TestPki) -> None:
    ctx = probe_context(1.0)
    async with banner_server(b"", close_after=True) as server:
        result = await run_bounded(probe, spec_for(server, pki), ctx)
    assert result.error_kind is ErrorKind.TLS, result.message


async def test_hostile_runs_leak_no_sockets(pki: TestPki, dead_port: int) -> None:
    ctx = probe_context(0.3)
    async with tls_server(pki.server_context()) as server:
        await probe(spec_for(server, pki), ctx)  # warm up lazily created loop resources
    async with (
        no_leaks(),
        tls_server(pki.server_context()) as valid,
        tls_server(pki.server_context(expired=True)) as expired,
        plain_http_server() as plain,
        silent_server() as silent,
        banner_server(b"", close_after=True) as hangup,
    ):
        specs = [spec_for(valid, pki), spec_for(valid, None), spec_for(expired, pki)]
        specs += [spec_for(server, pki) for server in (plain, silent, hangup)]
        specs.append(TlsSpec(host="127.0.0.1", port=dead_port))
        await asyncio.gather(*(probe(spec, ctx) for spec in specs for _ in range(3)))


async def test_registry_runs_the_tls_kind(ctx: ProbeContext, pki: TestPki) -> None:
    async with tls_server(pki.server_context()) as server:
        result = await run_probe(PROBE_KINDS["tls"], spec_for(server, pki), ctx)
    assert result.ok, result.message
