"""What the `http` and `flow` probes share: judging a response against `expect`."""

from __future__ import annotations

from typing import Any

import structlog

from probes.base import ErrorKind
from probes.errors import Failure, ProbeError, diagnose
from probes.httpfetch import Response
from probes.jsonpath import decode_json, describe, lookup
from probes.specs_http import HttpExpect

log = structlog.get_logger("probes")


def classify_failure(error: BaseException, probe_kind: str) -> Failure:
    """diagnose(), and a traceback in the log when the failure is a bug of the probe itself."""
    kind, reason = diagnose(error)
    if kind is ErrorKind.INTERNAL:
        log.error("probe_internal_error", kind=probe_kind, exc_info=error)
    return kind, reason


def check_response(expect: HttpExpect, response: Response, latency_s: float) -> ProbeError | None:
    """The first way the response misses `expect`: status, then content, then latency."""
    if not expect.status_ok(response.status):
        wanted = ", ".join(map(str, expect.status)) if expect.status else "2xx"
        return ProbeError.because(ErrorKind.STATUS, "status", got=response.status, wanted=wanted)
    problem = _content_problem(expect, response)
    if problem is not None:
        return problem
    limit = expect.max_latency_s
    if limit is not None and latency_s > limit:
        return ProbeError.because(ErrorKind.SLOW, "slow", took_s=latency_s, limit_s=limit)
    return None


def _content_problem(expect: HttpExpect, response: Response) -> ProbeError | None:
    if not expect.checks_body:
        return None  # nothing to check: skip decoding the body
    text = response.text()
    # A body cut at max_body proves nothing about what was not read: a "must not contain"
    # passes only on a whole body, and a failed "must contain" says the body was cut.
    cut, size = ("_cut" if response.truncated else ""), len(response.body)
    content = ErrorKind.CONTENT
    if expect.body_contains is not None and expect.body_contains not in text:
        return ProbeError.because(content, "body_missing" + cut, text=expect.body_contains,
                                  bytes=size)
    if expect.body_not_contains is not None and expect.body_not_contains in text:
        return ProbeError.because(content, "body_present", text=expect.body_not_contains)
    if expect.body_not_regex is not None and expect.body_not_regex.search(text) is not None:
        return ProbeError.because(content, "regex_present", pattern=expect.body_not_regex.pattern)
    unwanted = _unwanted(expect)
    if unwanted is not None and response.truncated:
        return ProbeError.because(content, "body_cut", bytes=size, unwanted=unwanted)
    if expect.body_regex is not None and expect.body_regex.search(text) is None:
        return ProbeError.because(content, "regex_missing" + cut,
                                  pattern=expect.body_regex.pattern, bytes=size)
    if expect.json:
        if response.truncated:
            return ProbeError.because(content, "json_cut", bytes=size)
        try:
            document = decode_json(text)
            for assertion in expect.json:
                actual = lookup(document, assertion.path)
                if not json_equal(actual, assertion.equals):
                    return ProbeError.because(
                        content, "json_value", path=assertion.path, actual=describe(actual),
                        expected=describe(assertion.equals))
        except ProbeError as exc:
            return exc
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
