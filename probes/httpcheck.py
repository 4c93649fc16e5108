"""What the `http` and `flow` probes share: following redirects and checking `expect`."""

from __future__ import annotations

import dataclasses
from typing import Any, Final, Protocol
from urllib.parse import urljoin

import structlog

from monitor.config.fields import format_duration
from probes.base import ErrorKind, ProbeResources
from probes.errors import ProbeError, classify
from probes.httpclient import Request, Response, Trace, fetch
from probes.httppool import ConnectionPool
from probes.httpurl import Target, parse_url
from probes.jsonpath import decode_json, describe, lookup
from probes.specs_http import HttpExpect

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})

log = structlog.get_logger("probes")


class CookieStore(Protocol):
    """The cookie jar of a flow run, as redirects need it."""

    def header_for(self, target: Target) -> str | None: ...

    def store(self, target: Target, set_cookies: list[str]) -> None: ...


async def fetch_following(
    request: Request,
    resources: ProbeResources,
    pool: ConnectionPool | None,
    trace: Trace,
    *,
    max_redirects: int,
    follow: bool = True,
    cookies: CookieStore | None = None,
) -> tuple[Response, int]:
    """The final response and how many redirects led to it."""
    chain = [request.url]
    while True:
        response = await fetch(_with_cookies(request, cookies), resources, pool, trace)
        if cookies is not None:
            cookies.store(parse_url(request.url), response.headers.get_all("set-cookie"))
        location = response.headers.get("location")
        if not follow or response.status not in REDIRECT_STATUSES or not location:
            return response, len(chain) - 1
        next_url = urljoin(request.url, location).split("#", 1)[0]
        if next_url in chain:
            loop = " → ".join([*chain[chain.index(next_url) :], next_url])
            raise ProbeError(ErrorKind.REDIRECTS, f"redirect loop: {loop}")
        if len(chain) > max_redirects:
            raise ProbeError(ErrorKind.REDIRECTS, f"more than {max_redirects} redirects")
        chain.append(next_url)
        request = _redirected(request, response.status, next_url)


def _redirected(request: Request, status: int, url: str) -> Request:
    # As browsers do: 303 always, and 301/302 after a POST, turn into a GET without a body.
    if status == 303 or (status in (301, 302) and request.method == "POST"):
        headers = {
            name: value for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        method = "HEAD" if request.method == "HEAD" else "GET"
        return dataclasses.replace(request, url=url, method=method, body=None, headers=headers)
    return dataclasses.replace(request, url=url)


def _with_cookies(request: Request, cookies: CookieStore | None) -> Request:
    if cookies is None:
        return request
    header = cookies.header_for(parse_url(request.url))
    if header is None:
        return request
    headers = dict(request.headers)
    for name in list(headers):
        if name.lower() == "cookie":  # cookies written in the step go first, then the jar's
            header = f"{headers.pop(name)}; {header}"
    headers["Cookie"] = header
    return dataclasses.replace(request, headers=headers)


def classify_failure(error: BaseException, probe_kind: str) -> tuple[ErrorKind, str]:
    """classify(), and a traceback in the log when the failure is a bug of the probe itself."""
    kind, message = classify(error)
    if kind is ErrorKind.INTERNAL:
        log.error("probe_internal_error", kind=probe_kind, exc_info=error)
    return kind, message


def check_response(expect: HttpExpect, response: Response, latency_s: float) -> ProbeError | None:
    """The first way the response misses `expect`: status, then content, then latency."""
    if not expect.status_ok(response.status):
        wanted = ", ".join(map(str, expect.status)) if expect.status else "2xx"
        return ProbeError(ErrorKind.STATUS, f"status {response.status}, expected {wanted}")
    problem = _content_problem(expect, response)
    if problem is not None:
        if response.truncated:
            problem += f" (only the first {len(response.body)} bytes were read)"
        return ProbeError(ErrorKind.CONTENT, problem)
    limit = expect.max_latency_s
    if limit is not None and latency_s > limit:
        took = format_seconds(latency_s)
        return ProbeError(ErrorKind.SLOW, f"answered in {took}, limit {format_duration(limit)}")
    return None


def _content_problem(expect: HttpExpect, response: Response) -> str | None:
    if not (
        expect.body_contains or expect.body_not_contains or expect.body_regex or expect.json
    ):
        return None  # nothing to check: skip decoding the body
    text = response.text()
    if expect.body_contains is not None and expect.body_contains not in text:
        return f"body does not contain {expect.body_contains!r}"
    if expect.body_not_contains is not None and expect.body_not_contains in text:
        return f"body contains {expect.body_not_contains!r}"
    if expect.body_regex is not None and expect.body_regex.search(text) is None:
        return f"body does not match /{expect.body_regex.pattern}/"
    if expect.json:
        try:
            document = decode_json(text)
            for assertion in expect.json:
                actual = lookup(document, assertion.path)
                if not json_equal(actual, assertion.equals):
                    return (
                        f"JSON {assertion.path} is {describe(actual)}, "
                        f"expected {describe(assertion.equals)}"
                    )
        except ProbeError as exc:
            return exc.message
    return None


def json_equal(actual: Any, expected: Any) -> bool:
    """Equality as an operator means it: true is not 1, but "200" in YAML matches 200 in JSON."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, str) and isinstance(actual, int | float):
        return describe(actual) == expected.strip()
    if isinstance(actual, str) and isinstance(expected, int | float):
        return actual.strip() == describe(expected)
    return bool(actual == expected)


def format_seconds(seconds: float) -> str:
    """3.2s, 850ms: how long something took, for messages."""
    return f"{seconds:.1f}s" if seconds >= 1 else f"{seconds * 1000:.0f}ms"
