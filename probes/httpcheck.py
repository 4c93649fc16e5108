"""What the `http` and `flow` probes share: judging a response against `expect`."""

from __future__ import annotations

from typing import Any

import structlog

from monitor.core.fields import format_duration
from probes.base import ErrorKind
from probes.errors import ProbeError, classify
from probes.httpfetch import Response
from probes.jsonpath import decode_json, describe, lookup
from probes.specs_http import HttpExpect

log = structlog.get_logger("probes")


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
        return ProbeError(ErrorKind.CONTENT, problem)
    limit = expect.max_latency_s
    if limit is not None and latency_s > limit:
        took = format_seconds(latency_s)
        return ProbeError(ErrorKind.SLOW, f"answered in {took}, limit {format_duration(limit)}")
    return None


def _content_problem(expect: HttpExpect, response: Response) -> str | None:
    if not expect.checks_body:
        return None  # nothing to check: skip decoding the body
    text = response.text()
    # A body cut at max_body proves nothing about what was not read: a "must not contain"
    # passes only on a whole body, and a failed "must contain" says the body was cut.
    cut = f" (only the first {len(response.body)} bytes were read)" if response.truncated else ""
    if expect.body_contains is not None and expect.body_contains not in text:
        return f"body does not contain {expect.body_contains!r}{cut}"
    if expect.body_not_contains is not None and expect.body_not_contains in text:
        return f"body contains {expect.body_not_contains!r}"
    if expect.body_not_regex is not None and expect.body_not_regex.search(text) is not None:
        return f"body matches /{expect.body_not_regex.pattern}/"
    unwanted = _unwanted(expect)
    if unwanted is not None and response.truncated:
        return (
            f"body cut at {len(response.body)} bytes (max_body): cannot tell that it does not "
            f"contain {unwanted}"
        )
    if expect.body_regex is not None and expect.body_regex.search(text) is None:
        return f"body does not match /{expect.body_regex.pattern}/{cut}"
    if expect.json:
        if response.truncated:
            return f"JSON body cut at {len(response.body)} bytes (max_body): raise max_body"
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


def _unwanted(expect: HttpExpect) -> str | None:
    """What the body must not hold, for a message; None when nothing."""
    if expect.body_not_contains is not None:
        return repr(expect.body_not_contains)
    if expect.body_not_regex is not None:
        return f"/{expect.body_not_regex.pattern}/"
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
