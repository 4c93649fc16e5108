"""The verdict suite: the `http` probe against the servers real users have, asserting the
verdict a browser user would reach and the error kind.

Targets are a real nginx (gzip, GBK pages, redirects, status codes, TLS variants, IPv6), a
real proxy (tinyproxy: plain, CONNECT, Basic credentials) and small odd servers for what
gateways do that nginx will not (gzip unasked, brotli, HTTP/1.0, huge heads in segments).
"""

from __future__ import annotations

import os
import re
import socket
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from monitor.core.fields import SecretUrl
from probes import http
from probes.base import ErrorKind, ProbeResult
from probes.specs_http import HttpExpect, JsonEquals
from tests.support.http_servers import closed_port
from tests.support.nginx import GBK_TEXT, MAINTENANCE, Nginx, running_nginx
from tests.support.oddservers import OddServer, odd_server
from tests.support.probectx import probe_context
from tests.support.proxy import Proxy, running_proxy

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

# A name that resolves to ::1 and 127.0.0.1 (./dev.sh test adds it to /etc/hosts), for the
# happy-eyeballs and ip_version cases.
DUAL_STACK = "appmon-dualstack.test"
PROXY_USER, PROXY_PASSWORD = "ops", "pr0xy-s3cret"


@dataclass(frozen=True)
class Env:
    nginx: Nginx
    odd: OddServer
    proxy: Proxy
    auth_proxy: Proxy
    dead_port: int


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    workdir = tmp_path_factory.mktemp("realworld")
    with (
        running_nginx(workdir / "nginx") as nginx,
        odd_server() as odd,
        running_proxy(workdir / "proxy") as proxy,
        running_proxy(workdir / "auth-proxy", user=PROXY_USER, password=PROXY_PASSWORD) as auth,
    ):
        yield Env(nginx, odd, proxy, auth, closed_port())


@pytest.fixture(scope="module")
def dual_stack() -> str:
    families = {info[0] for info in socket.getaddrinfo(DUAL_STACK, 80, type=socket.SOCK_STREAM)}
    if families != {socket.AF_INET, socket.AF_INET6}:
        message = f"{DUAL_STACK} does not resolve to ::1 and 127.0.0.1 (./dev.sh test adds it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return DUAL_STACK


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[Env], str]
    up: bool
    kind: ErrorKind | None = None
    spec: Callable[[Env], dict[str, Any]] = field(default=lambda env: {})
    check: Callable[[ProbeResult, Env], None] | None = None
    timeout_s: float = 3.0


def main(path: str, host: str = "127.0.0.1") -> Callable[[Env], str]:
    return lambda env: env.nginx.url("main", path, host)


def tls(site: str, path: str = "/ok.html", host: str = "127.0.0.1") -> Callable[[Env], str]:
    return lambda env: env.nginx.url(f"tls_{site}", path, host)


def odd(path: str) -> Callable[[Env], str]:
    return lambda env: env.odd.url(path)


def trusted(**extra: Any) -> Callable[[Env], dict[str, Any]]:
    return lambda env: {"ca_file": str(env.nginx.ca_file), **extra}


def expect(**values: Any) -> Callable[[Env], dict[str, Any]]:
    return lambda env: {"expect": HttpExpect(**values)}


def detail(key: str, value: str) -> Callable[[ProbeResult, Env], None]:
    def check(result: ProbeResult, env: Env) -> None:
        assert result.details.get(key) == value, result.details

    return check


def days_left(low: float, high: float) -> Callable[[ProbeResult, Env], None]:
    def check(result: ProbeResult, env: Env) -> None:
        assert result.cert_days_left is not None
        assert low < result.cert_days_left < high, result.cert_days_left

    return check


def tls_timed(result: ProbeResult, env: Env) -> None:
    t = result.timings
    assert t.connect_s is not None
    assert t.tls_s is not None
    assert t.first_byte_s is not None
    assert t.connect_s + t.tls_s + t.first_byte_s <= t.total_s


def cut_message(result: ProbeResult, env: Env) -> None:
    assert "body cut at 1048576 bytes" in result.message, result.message
    assert result.details["body_truncated"] == "true"


def through(
    proxy_of: Callable[[Env], Proxy], credentials: str = ""
) -> Callable[[Env], dict[str, Any]]:
    def spec(env: Env) -> dict[str, Any]:
        proxy = proxy_of(env)
        url = proxy.url.replace("http://", f"http://{credentials}@") if credentials else proxy.url
        return {"proxy": SecretUrl(url), "ca_file": str(env.nginx.ca_file)}

    return spec


def went_through_proxy(result: ProbeResult, env: Env) -> None:
    assert result.details["proxy"].startswith("http://"), result.details
    assert PROXY_PASSWORD not in result.details["proxy"]
    assert "ip" not in result.details  # the peer was the proxy, not the app


HEALTHY = expect(body_contains="healthy")
CASES = [
    # --- content as nginx serves it ---------------------------------------------------------
    Case("nginx-plain", main("/ok.html"), True, spec=HEALTHY, check=detail("ip", "127.0.0.1")),
    Case("nginx-gzip-asked", main("/ok.html"), True, spec=lambda env: {
        "headers": {"Accept-Encoding": "gzip"}, "expect": HttpExpect(body_contains="healthy")}),
    Case("nginx-gzip-chunked-large", main("/big.html"), True,
         spec=expect(body_contains="healthy end")),
    Case("nginx-gzip-off", main("/nogzip.html"), True, spec=HEALTHY),
    Case("nginx-json-api-gzip", main("/api/health"), True, spec=expect(json=(
        JsonEquals("status", "UP"), JsonEquals("db.ok", True), JsonEquals("name", "柯桥")))),
    Case("nginx-json-api-wrong-value", main("/api/health"), False, ErrorKind.CONTENT,
         spec=expect(json=(JsonEquals("db.ok", False),))),
    Case("gbk-labelled-gb2312", main("/gbk/labelled.html"), True,
         spec=expect(body_contains=GBK_TEXT)),
    Case("gbk-meta-charset-only", main("/meta-gbk.html"), True,
         spec=expect(body_contains=GBK_TEXT)),
    Case("gb2312-http-equiv-only", main("/equiv-gbk.html"), True,
         spec=expect(body_contains=GBK_TEXT)),
    # --- redirects -------------------------------------------------------------------------
    Case("redirect-other-port", main("/redirect/other-port"), True, spec=HEALTHY,
         check=detail("redirects", "1")),
    Case("redirect-to-https", main("/redirect/https"), True, spec=trusted(),
         check=detail("tls_version", "TLSv1.3")),
    Case("redirect-raw-utf8-location", main("/redirect/utf8"), True,
         spec=expect(body_contains="页面")),
    Case("redirect-relative", odd("/relative/start"), True, spec=HEALTHY),
    Case("redirect-loop", main("/redirect/loop-a"), False, ErrorKind.REDIRECTS),
    # --- status codes ----------------------------------------------------------------------
    Case("status-204", main("/status/204"), True),
    Case("status-304-expected", main("/status/304"), True, spec=expect(status=(304,))),
    Case("status-404", main("/no-such-page.html"), False, ErrorKind.STATUS),
    Case("status-500", main("/status/500"), False, ErrorKind.STATUS),
    Case("status-503-maintenance", main("/status/503"), False, ErrorKind.STATUS),
    # --- bodies over max_body (1 MiB) ------------------------------------------------------
    Case("maintenance-notice-past-the-cut", main("/maintenance.html"), False, ErrorKind.CONTENT,
         spec=expect(body_not_contains=MAINTENANCE), check=cut_message),
    Case("maintenance-regex-past-the-cut", main("/maintenance.html"), False, ErrorKind.CONTENT,
         spec=expect(body_not_regex=re.compile("维护")),
         check=cut_message),
    Case("wanted-text-before-the-cut", main("/maintenance.html"), True,
         spec=expect(body_contains="<html><body>"), check=detail("body_truncated", "true")),
    # --- what gateways do ------------------------------------------------------------------
    Case("gzip-unasked", odd("/gzip-unasked"), True, spec=lambda env: {
        "headers": {"Accept-Encoding": "identity"}, "expect": HttpExpect(body_contains="柯桥")}),
    Case("deflate", odd("/deflate"), True, spec=expect(body_contains="柯桥")),
    Case("brotli", odd("/br"), True, spec=expect(body_contains="柯桥")),
    Case("gzip-broken", odd("/bad-gzip"), False, ErrorKind.PROTOCOL),
    Case("http10-close-delimited", odd("/http10"), True, spec=HEALTHY),
    Case("head-100k-in-segments", odd("/head-100k"), True, spec=HEALTHY),
    Case("head-300k-in-segments", odd("/head-300k"), False, ErrorKind.PROTOCOL),
    Case("slow-first-byte-over-max-latency", odd("/slow-first-byte"), False, ErrorKind.SLOW,
         spec=expect(max_latency_s=1.0)),
    Case("slow-first-byte-over-timeout", odd("/slow-first-byte"), False, ErrorKind.TIMEOUT,
         timeout_s=1.0),
    # --- TLS -------------------------------------------------------------------------------
    Case("tls-good", tls("good"), True, spec=trusted(), check=tls_timed),
    Case("tls-good-by-name", tls("good", host="localhost"), True, spec=trusted()),
    Case("tls-untrusted-ca", tls("untrusted"), False, ErrorKind.CERT_INVALID, spec=trusted()),
    Case("tls-expired", tls("expired"), False, ErrorKind.CERT_EXPIRED, spec=trusted()),
    Case("tls-wrong-host", tls("wrong_host"), False, ErrorKind.CERT_HOSTNAME, spec=trusted()),
    Case("tls-near-expiry", tls("near_expiry"), True, spec=trusted(), check=days_left(9, 10.1)),
    Case("tls-expired-unverified-still-shows-expiry", tls("expired"), True,
         spec=lambda env: {"tls_verify": False}, check=days_left(-1.1, -0.9)),
    Case("tls13-only", tls("tls13_only"), True, spec=trusted(),
         check=detail("tls_version", "TLSv1.3")),
    # --- addresses -------------------------------------------------------------------------
    Case("ipv6-literal", main("/ok.html", host="::1"), True, spec=HEALTHY,
         check=detail("ip", "::1")),
    Case("closed-port", lambda env: f"http://127.0.0.1:{env.dead_port}/", False,
         ErrorKind.CONNECT_REFUSED),
    Case("unresolvable-name", lambda env: "http://no-such-host.invalid/", False, ErrorKind.DNS),
    # --- through the district's proxy ------------------------------------------------------
    Case("proxy-http", main("/ok.html"), True, spec=through(lambda env: env.proxy),
         check=went_through_proxy),
    Case("proxy-https-connect", tls("good"), True, spec=through(lambda env: env.proxy),
         check=went_through_proxy),
    Case("proxy-with-credentials", tls("good"), True,
         spec=through(lambda env: env.auth_proxy, f"{PROXY_USER}:{PROXY_PASSWORD}"),
         check=went_through_proxy),
    Case("proxy-wrong-credentials-http", main("/ok.html"), False, ErrorKind.STATUS,
         spec=through(lambda env: env.auth_proxy, f"{PROXY_USER}:wrong")),
    Case("proxy-https-app-down", lambda env: f"https://127.0.0.1:{env.dead_port}/", False,
         ErrorKind.NETWORK, spec=through(lambda env: env.proxy)),
    Case("proxy-itself-down", main("/ok.html"), False, ErrorKind.PROXY,
         spec=lambda env: {"proxy": SecretUrl(f"http://127.0.0.1:{env.dead_port}")}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_verdict_is_what_a_browser_user_sees(env: Env, case: Case) -> None:
    spec = http.HttpSpec(url=case.url(env), **case.spec(env))
    result = await http.probe(spec, probe_context(case.timeout_s))
    assert (result.ok, result.error_kind) == (case.up, case.kind), result.message
    if case.check is not None:
        case.check(result, env)


def test_the_suite_is_broad_enough() -> None:
    assert len(CASES) >= 30


async def test_proxy_really_carried_the_requests(env: Env) -> None:
    before = len(env.proxy.requests())
    for url in (env.nginx.url("main", "/ok.html"), env.nginx.url("tls_good", "/ok.html")):
        spec = http.HttpSpec(url=url, **through(lambda env: env.proxy)(env))
        assert (await http.probe(spec, probe_context())).ok
    seen = env.proxy.requests()[before:]
    assert any(line.startswith(f"GET http://127.0.0.1:{env.nginx.ports['main']}/ok.html")
               for line in seen), seen
    assert any(line.startswith(f"CONNECT 127.0.0.1:{env.nginx.ports['tls_good']}")
               for line in seen), seen


@pytest.mark.parametrize(
    ("ip_version", "up", "ip"), [("auto", True, "127.0.0.1"), ("4", True, "127.0.0.1"),
                                 ("6", False, None)],
)
async def test_ip_version_on_a_dual_stack_name_with_only_ipv4_listening(
    env: Env, dual_stack: str, ip_version: str, up: bool, ip: str | None
) -> None:
    # "other" listens on 127.0.0.1 only: "auto" falls back to IPv4 (happy eyeballs), "6" pins
    # the check to the broken IPv6 path and says so.
    url = f"http://{dual_stack}:{env.nginx.ports['other']}/ok.html"
    result = await http.probe(http.HttpSpec(url=url, ip_version=ip_version), probe_context())
    assert result.ok is up, result.message
    if up:
        assert result.details["ip"] == ip
    else:
        assert result.error_kind is ErrorKind.CONNECT_REFUSED, result.message
        assert "::1" in result.message


async def test_dns_timing_of_a_name(env: Env, dual_stack: str) -> None:
    url = f"http://{dual_stack}:{env.nginx.ports['main']}/ok.html"
    result = await http.probe(http.HttpSpec(url=url), probe_context())
    assert result.ok, result.message
    assert result.timings.dns_s is not None
    assert result.details["ip"] in ("::1", "127.0.0.1")


def test_nginx_really_compressed(env: Env) -> None:
    # The gzip cases mean something only if nginx did compress: ask it the way the probe does.
    request = urllib.request.Request(
        env.nginx.url("main", "/ok.html"), headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
