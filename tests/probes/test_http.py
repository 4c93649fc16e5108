"""The `http` probe against real local servers: well-behaved, wrong, slow and hostile ones."""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest

from probes import http
from probes.base import ErrorKind, ProbeResult
from probes.context import ProbeContext
from probes.registry import PROBE_KINDS, run_probe
from probes.specs_http import HttpExpect, JsonEquals
from tests.support.certs import TestPki
from tests.support.http_servers import (
    RawServer,
    canned,
    closed_port,
    full_backlog,
    keep_alive,
    never_answers,
    serve_app,
    silent_close,
    slow_loris,
    ssh_banner,
    target_app,
)
from tests.support.probectx import probe_context

# Sockets or transports left open show up as unraisable ResourceWarnings: make them failures.
pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

HOSTILE_TIMEOUT_S = 1.0
BOUND_S = HOSTILE_TIMEOUT_S + 0.5  # a hostile probe must end within its timeout plus this


def make_ctx(timeout_s: float = 3.0, max_body: int = 64 * 1024) -> ProbeContext:
    return probe_context(timeout_s, max_body)


async def probe(url: str, ctx: ProbeContext | None = None, **spec: Any) -> ProbeResult:
    return await http.probe(http.HttpSpec(url=url, **spec), ctx or make_ctx())


async def timed(run: Awaitable[ProbeResult]) -> tuple[ProbeResult, float]:
    started = time.monotonic()
    result = await run
    return result, time.monotonic() - started


@pytest.fixture
async def base() -> AsyncIterator[str]:
    async with serve_app(target_app()) as url:
        yield url


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return TestPki(tmp_path_factory.mktemp("pki"))


# --- answers that are right or wrong -------------------------------------------------------


async def test_healthy_endpoint_passes_with_ordered_phase_timings(base: str) -> None:
    result = await probe(f"{base}/ok", expect=HttpExpect(body_contains="ok"))
    assert result.ok, result.message
    assert result.status_code == 200
    assert result.message.startswith("HTTP 200 in ")
    t = result.timings
    assert t.dns_s is None  # an IP literal is not resolved
    assert t.tls_s is None
    assert t.connect_s is not None
    assert t.first_byte_s is not None
    assert 0 < t.connect_s < t.total_s
    assert 0 < t.first_byte_s < t.total_s
    assert t.connect_s + t.first_byte_s <= t.total_s
    assert result.details["ip"] == "127.0.0.1"


async def test_host_names_are_resolved_and_timed(base: str) -> None:
    result = await probe(base.replace("127.0.0.1", "localhost") + "/ok")
    assert result.ok, result.message
    assert result.timings.dns_s is not None
    assert result.timings.dns_s > 0


@pytest.mark.parametrize(
    ("path", "expect", "message"),
    [
        ("/status/500", HttpExpect(), "status 500, expected 2xx"),
        ("/status/404", HttpExpect(status=(200, 204)), "status 404, expected 200, 204"),
        ("/ok", HttpExpect(status=(201,)), "status 200, expected 201"),
    ],
)
async def test_wrong_status_fails_with_the_code(
    base: str, path: str, expect: HttpExpect, message: str
) -> None:
    result = await probe(base + path, expect=expect)
    assert (result.ok, result.error_kind, result.message) == (False, ErrorKind.STATUS, message)
    assert result.status_code == int(path.rsplit("/", 1)[1]) if "status" in path else 200


async def test_accepted_error_status_passes(base: str) -> None:
    result = await probe(f"{base}/status/503", expect=HttpExpect(status=(503,)))
    assert result.ok
    assert result.status_code == 503


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (HttpExpect(body_contains="healthy"), "body does not contain 'healthy'"),
        (HttpExpect(body_not_contains="ok"), "body contains 'ok'"),
        (HttpExpect(body_regex=re.compile(r"^up$")), "body does not match /^up$/"),
    ],
)
async def test_wrong_body_fails_as_content(base: str, expect: HttpExpect, message: str) -> None:
    result = await probe(f"{base}/ok", expect=expect)
    assert (result.error_kind, result.message) == (ErrorKind.CONTENT, message)


async def test_status_is_checked_before_body(base: str) -> None:
    result = await probe(f"{base}/status/500", expect=HttpExpect(body_contains="nope"))
    assert result.error_kind is ErrorKind.STATUS


async def test_json_assertions_pass(base: str) -> None:
    checks = (
        JsonEquals("data.status", "UP"),
        JsonEquals("$.data.items[0].count", 3),
        JsonEquals("$.ok", True),
        JsonEquals("data.items.0.name", "db"),
    )
    result = await probe(f"{base}/json", expect=HttpExpect(json=checks))
    assert result.ok, result.message


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (JsonEquals("data.status", "DOWN"), 'JSON data.status is "UP", expected "DOWN"'),
        (JsonEquals("ok", 1), "JSON ok is true, expected 1"),
        (
            JsonEquals("data.items[3].name", "x"),
            "JSON path 'data.items[3].name' not found: $.data.items has 1 items, no [3]",
        ),
        (JsonEquals("data.nope", "x"), "JSON path 'data.nope' not found: no key 'nope' in $.data"),
    ],
)
async def test_json_mismatch_says_what(base: str, check: JsonEquals, message: str) -> None:
    result = await probe(f"{base}/json", expect=HttpExpect(json=(check,)))
    assert (result.error_kind, result.message) == (ErrorKind.CONTENT, message)


async def test_json_expected_but_body_is_not_json(base: str) -> None:
    result = await probe(f"{base}/ok", expect=HttpExpect(json=(JsonEquals("a", 1),)))
    assert result.error_kind is ErrorKind.CONTENT
    assert result.message.startswith("body is not valid JSON: Expecting value at line 1")


async def test_slow_answer_fails_as_slow_after_passing_content(base: str) -> None:
    expect = HttpExpect(body_contains="slow ok", max_latency_s=0.1)
    result = await probe(f"{base}/slow?delay=0.3", expect=expect)
    assert result.error_kind is ErrorKind.SLOW
    assert re.fullmatch(r"answered in \d+ms, limit 100ms", result.message), result.message
    assert result.timings.total_s >= 0.3


async def test_request_carries_default_and_spec_headers(base: str) -> None:
    expect = HttpExpect(
        json=(
            JsonEquals("method", "POST"),
            JsonEquals("body", '{"q": 1}'),
            JsonEquals("headers.Host", base.removeprefix("http://")),
            # What a browser offers: the probe decodes all of these (see the verdict suite).
            JsonEquals("headers.Accept-Encoding", "gzip, deflate, br"),
            JsonEquals("headers.Content-Length", "8"),
            JsonEquals("headers.User-Agent", "custom/1.0"),
            JsonEquals("headers.X-Probe", "yes"),
            JsonEquals("path", "/echo?city=%E7%BB%8D%E5%85%B4"),
        )
    )
    headers = {"user-agent": "custom/1.0", "X-Probe": "yes"}
    result = await probe(
        f"{base}/echo?city=绍兴", method="POST", body='{"q": 1}', headers=headers, expect=expect
    )
    assert result.ok, result.message


async def test_head_request_reads_no_body(base: str) -> None:
    result = await probe(f"{base}/ok", method="HEAD")
    assert result.ok
    assert result.status_code == 200


# --- redirects ------------------------------------------------------------------------------


async def test_redirect_chain_is_followed(base: str) -> None:
    result = await probe(f"{base}/redirect/3", expect=HttpExpect(body_contains="arrived"))
    assert result.ok, result.message
    assert result.details["redirects"] == "3"


async def test_too_many_redirects(base: str) -> None:
    result = await probe(f"{base}/redirect/3", max_redirects=2)
    assert (result.error_kind, result.message) == (ErrorKind.REDIRECTS, "more than 2 redirects")


async def test_redirect_loop_is_detected(base: str) -> None:
    result = await probe(f"{base}/loop/a", max_redirects=20)
    assert result.error_kind is ErrorKind.REDIRECTS
    assert result.message == f"redirect loop: {base}/loop/a → {base}/loop/b → {base}/loop/a"


async def test_unfollowed_redirect_is_the_answer(base: str) -> None:
    failing = await probe(f"{base}/redirect/1", follow_redirects=False)
    assert (failing.error_kind, failing.status_code) == (ErrorKind.STATUS, 302)
    passing = await probe(
        f"{base}/redirect/1", follow_redirects=False, expect=HttpExpect(status=(302,))
    )
    assert passing.ok


# --- bodies ---------------------------------------------------------------------------------


async def test_chunked_body_is_read_whole(base: str) -> None:
    expect = HttpExpect(body_contains="alpha beta gamma done")
    result = await probe(f"{base}/chunked", expect=expect)
    assert result.ok, result.message
    assert "body_truncated" not in result.details


async def test_endless_body_stops_at_the_cap_quickly(base: str) -> None:
    ctx = make_ctx(timeout_s=HOSTILE_TIMEOUT_S)
    result, elapsed = await timed(
        probe(f"{base}/endless", ctx, max_body=100_000, expect=HttpExpect(body_contains="xxx"))
    )
    assert result.ok, result.message
    assert result.details["body_truncated"] == "true"
    assert elapsed < 0.5


async def test_capped_body_is_reported_in_content_failures(base: str) -> None:
    result = await probe(f"{base}/json", max_body=10, expect=HttpExpect(body_contains="items"))
    assert result.error_kind is ErrorKind.CONTENT
    assert result.message == "body does not contain 'items' (only the first 10 bytes were read)"
    assert result.details["body_truncated"] == "true"


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (b"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", "hello"),  # bare LF line ends
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", "hi"),
        (b"HTTP/1.0 200 OK\r\n\r\nuntil close", "until close"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n",
            "wikipedia",
        ),
        (b"HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 2\r\n\r\nok", "ok"),
    ],
)
async def test_wire_variants_are_understood(raw: bytes, body: str) -> None:
    async with RawServer(canned(raw)) as server:
        result = await probe(server.url, expect=HttpExpect(body_contains=body))
    assert result.ok, result.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"HTTP/1.1 2OO OK\r\n\r\n",
            "not a valid HTTP response: Bad status line; Invalid status code: 'HTTP/1.1 2OO OK'",
        ),
        (
            b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "not a valid HTTP response: Invalid header token: 'no colon'",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "not a valid HTTP response: Invalid character in Content-Length: "
            "'Content-Length: -1'",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "body could not be read: Not enough data to satisfy content length header "
            "(received 5 of 10 bytes)",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "not a valid HTTP response: Invalid character in chunk size: 'zz'",
        ),
        (
            b"HTTP/1.1 200 OK\r\nServer: x",
            "connection closed in the middle of the response headers",
        ),
    ],
)
async def test_broken_answers_fail_as_protocol(raw: bytes, message: str) -> None:
    async with RawServer(canned(raw)) as server:
        result = await probe(server.url)
    assert (result.error_kind, result.message) == (ErrorKind.PROTOCOL, message)


# --- hostile and absent servers --------------------------------------------------------------


async def test_slow_loris_body_times_out_within_the_timeout() -> None:
    async with RawServer(slow_loris) as server:
        result, elapsed = await timed(probe(server.url, make_ctx(HOSTILE_TIMEOUT_S)))
    assert result.error_kind is ErrorKind.TIMEOUT
    assert result.message == "body not complete within 1s"
    assert result.timings.first_byte_s is not None
    assert HOSTILE_TIMEOUT_S <= elapsed < BOUND_S


async def test_server_that_never_answers_times_out() -> None:
    async with RawServer(never_answers) as server:
        result, elapsed = await timed(probe(server.url, make_ctx(HOSTILE_TIMEOUT_S)))
    assert result.error_kind is ErrorKind.TIMEOUT
    assert result.message == "no response within 1s (waiting for first byte)"
    assert result.timings.connect_s is not None
    assert result.timings.first_byte_s is None
    assert elapsed < BOUND_S


async def test_unanswered_syn_is_a_connect_timeout() -> None:
    async with full_backlog() as port:
        result, elapsed = await timed(
            probe(f"http://127.0.0.1:{port}/", make_ctx(HOSTILE_TIMEOUT_S))
        )
    assert (result.error_kind, result.message) == (
        ErrorKind.CONNECT_TIMEOUT, "connect not complete within 1s"
    )
    assert elapsed < BOUND_S


async def test_closed_port_is_refused() -> None:
    result, elapsed = await timed(probe(f"http://127.0.0.1:{closed_port()}/"))
    assert result.error_kind is ErrorKind.CONNECT_REFUSED
    assert elapsed < BOUND_S


async def test_unresolvable_name_fails_as_dns() -> None:
    result = await probe("http://no-such-host.invalid/")
    assert result.error_kind is ErrorKind.DNS


async def test_port_speaking_ssh_is_a_protocol_error() -> None:
    async with RawServer(ssh_banner) as server:
        result, elapsed = await timed(probe(server.url, make_ctx(HOSTILE_TIMEOUT_S)))
    assert result.error_kind is ErrorKind.PROTOCOL
    assert result.message == (
        "not a valid HTTP response: Bad status line; Expected HTTP/, RTSP/ or ICE/: "
        "'SSH-2.0-OpenSSH_9.6'"
    )
    assert elapsed < BOUND_S


async def test_server_hanging_up_silently_is_a_protocol_error() -> None:
    async with RawServer(silent_close) as server:
        result = await probe(server.url)
    assert (result.error_kind, result.message) == (
        ErrorKind.PROTOCOL, "connection closed without a response"
    )


async def test_hostile_runs_leak_no_file_descriptors(base: str) -> None:
    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    ctx = make_ctx(0.3)
    await probe(f"{base}/ok", ctx)  # warm up lazily created loop resources first
    await asyncio.sleep(0.05)
    before = open_fds()
    for handler in (slow_loris, never_answers, ssh_banner, silent_close):
        async with RawServer(handler) as server:
            await asyncio.gather(*(probe(server.url, ctx) for _ in range(5)))
    await asyncio.gather(*(probe(f"{base}/endless", ctx) for _ in range(5)))
    await asyncio.sleep(0.05)  # transports close their sockets on the next loop iterations
    assert open_fds() <= before


async def test_registry_runs_the_http_kind(base: str) -> None:
    spec = http.HttpSpec(url=f"{base}/ok")
    result = await run_probe(PROBE_KINDS["http"], spec, make_ctx())
    assert result.ok, result.message


# --- TLS ------------------------------------------------------------------------------------


async def tls_probe(
    server_ctx: ssl.SSLContext, ca_file: Path | None, host: str = "127.0.0.1", **spec: Any
) -> ProbeResult:
    async with serve_app(target_app(), ssl_context=server_ctx) as base:
        url = base.replace("127.0.0.1", host) + "/ok"
        return await probe(url, ca_file=str(ca_file) if ca_file else None, **spec)


async def test_https_with_private_ca_reports_days_left(pki: TestPki) -> None:
    result = await tls_probe(pki.server_context(days_left=30), pki.ca_file)
    assert result.ok, result.message
    assert result.cert_days_left is not None
    assert 29.5 < result.cert_days_left <= 30
    t = result.timings
    assert t.connect_s is not None
    assert t.tls_s is not None
    assert t.first_byte_s is not None
    assert t.connect_s + t.tls_s + t.first_byte_s <= t.total_s
    assert result.details["tls_version"].startswith("TLSv1.")


async def test_https_by_name_uses_sni_and_verifies_it(pki: TestPki) -> None:
    result = await tls_probe(pki.server_context("localhost"), pki.ca_file, host="localhost")
    assert result.ok, result.message


@pytest.mark.parametrize(
    ("server", "trusted", "kind"),
    [
        ({}, False, ErrorKind.CERT_INVALID),  # issued by a CA the probe does not know
        ({"expired": True}, True, ErrorKind.CERT_EXPIRED),
        ({"names": ("other.example",)}, True, ErrorKind.CERT_HOSTNAME),
    ],
)
async def test_bad_certificates_fail_by_kind_unless_not_verified(
    pki: TestPki, server: dict[str, Any], trusted: bool, kind: ErrorKind
) -> None:
    server_ctx = pki.server_context(*server.get("names", ()), expired=server.get("expired", False))
    ca_file = pki.ca_file if trusted else None
    result = await tls_probe(server_ctx, ca_file)
    assert result.error_kind is kind, result.message
    assert result.message.startswith("certificate ")
    unverified = await tls_probe(server_ctx, ca_file, tls_verify=False)
    assert unverified.ok, unverified.message
    # Not verified, yet the expiry is still seen and reported (browsers show it too).
    assert unverified.cert_days_left is not None
    assert (unverified.cert_days_left < 0) == server.get("expired", False)


async def test_plain_http_answering_a_tls_client_is_a_tls_error(base: str) -> None:
    result = await probe(base.replace("http://", "https://") + "/ok")
    assert result.error_kind is ErrorKind.TLS, result.message


async def test_plain_http_request_to_a_tls_port_is_a_protocol_error(pki: TestPki) -> None:
    async with serve_app(target_app(), ssl_context=pki.server_context()) as base:
        result = await probe(base.replace("https://", "http://") + "/ok")
    assert (result.error_kind, result.message) == (
        ErrorKind.PROTOCOL, "connection closed without a response"
    )


async def test_silent_server_times_out_in_the_tls_handshake() -> None:
    async with RawServer(never_answers) as server:
        url = server.url.replace("http://", "https://")
        result, elapsed = await timed(probe(url, make_ctx(HOSTILE_TIMEOUT_S)))
    assert (result.error_kind, result.message) == (
        ErrorKind.TIMEOUT, "TLS handshake not complete within 1s"
    )
    assert result.timings.connect_s is not None
    assert result.timings.tls_s is None
    assert elapsed < BOUND_S


# --- connection reuse -----------------------------------------------------------------------


async def test_reuse_keeps_one_connection_across_runs() -> None:
    ctx = make_ctx()
    async with RawServer(keep_alive()) as server:
        results = [await probe(server.url, ctx, reuse_connection=True) for _ in range(3)]
        assert [r.ok for r in results] == [True, True, True]
        assert server.connections == 1
        assert results[0].timings.connect_s is not None
        assert results[2].timings.connect_s is None  # no connect phase on a reused connection
        assert results[2].details["ip"] == "127.0.0.1"  # known on a reused connection too
        await ctx.resources.close()  # closing the pool closes its connection...
        assert (await probe(server.url, ctx, reuse_connection=True)).ok
        assert server.connections == 2  # ...so the next run connects again


async def test_without_reuse_every_run_connects() -> None:
    async with RawServer(keep_alive()) as server:
        for _ in range(3):
            assert (await probe(server.url)).ok
        assert server.connections == 3


async def test_reuse_recovers_after_the_server_closed_idle_connections() -> None:
    ctx = make_ctx()
    async with RawServer(keep_alive(close_idle_after_s=0.05)) as server:
        assert (await probe(server.url, ctx, reuse_connection=True)).ok
        await asyncio.sleep(0.2)  # the server drops the idle connection meanwhile
        result = await probe(server.url, ctx, reuse_connection=True)
    assert result.ok, result.message
    assert server.connections == 2


async def test_reuse_retries_once_when_a_pooled_connection_dies_mid_request() -> None:
    ctx = make_ctx()
    # The server reads the second request on a connection, then hangs up without answering:
    # the race where an idle connection is closed just as it is reused.
    async with RawServer(keep_alive(requests_per_connection=1)) as server:
        first = await probe(server.url, ctx, reuse_connection=True)
        second = await probe(server.url, ctx, reuse_connection=True)
    assert first.ok
    assert second.ok, second.message
    assert second.timings.connect_s is not None  # the retry connected afresh
    assert server.connections == 2
