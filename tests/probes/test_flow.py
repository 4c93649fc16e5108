"""The `flow` probe: a login transaction against a real local app, and how steps fail."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from probes import flow
from probes.base import ErrorKind, ProbeResult
from probes.context import ProbeContext
from probes.flow import Capture, FlowSpec, FlowStep
from probes.specs_http import HttpExpect, JsonEquals
from tests.support.http_servers import (
    RawServer,
    keep_alive,
    never_answers,
    serve_app,
    target_app,
)
from tests.support.probectx import probe_context

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)


def make_ctx(timeout_s: float = 5.0) -> ProbeContext:
    return probe_context(timeout_s, 64 * 1024)


async def run(*steps: FlowStep, ctx: ProbeContext | None = None, **spec: Any) -> ProbeResult:
    return await flow.probe(FlowSpec(steps=steps, **spec), ctx or make_ctx())


@pytest.fixture
async def base() -> AsyncIterator[str]:
    async with serve_app(target_app()) as url:
        yield url


def login_step(base: str, password: str = "{{ password }}", **extra: Any) -> FlowStep:
    fields: dict[str, Any] = {
        "name": "login",
        "url": f"{base}/api/login",
        "method": "POST",
        "headers": {"Content-Type": "application/json"},
        "body": '{"user": "{{user}}", "password": "' + password + '"}',
        "expect": HttpExpect(status=(200,)),
        "capture": {"token": Capture(json="data.token")},
    }
    return FlowStep(**(fields | extra))


VARIABLES = {"user": "ops", "password": "secret"}


async def test_login_transaction_passes(base: str) -> None:
    profile = FlowStep(
        name="profile",
        url=f"{base}/api/profile",
        headers={"Authorization": "Bearer {{ token }}"},
        expect=HttpExpect(json=(JsonEquals("name", "张三"), JsonEquals("scoped", "only-api"))),
    )
    page = FlowStep(
        name="page",
        url=f"{base}/page",
        expect=HttpExpect(body_contains="欢迎"),
        capture={"csrf": Capture(regex=re.compile(r'name="csrf" value="([^"]+)"'))},
    )
    echo = FlowStep(
        name="echo",
        url=f"{base}/echo?csrf={{{{csrf}}}}",
        headers={"X-CSRF": "{{ csrf }}"},
        expect=HttpExpect(
            json=(JsonEquals("headers.X-CSRF", "c-991"), JsonEquals("path", "/echo?csrf=c-991"))
        ),
    )
    logout = FlowStep(name="logout", url=f"{base}/api/logout", method="POST")
    after = FlowStep(  # the session cookie was deleted by logout, so this is refused
        name="after-logout",
        url=f"{base}/api/profile",
        headers={"Authorization": "Bearer {{ token }}"},
        expect=HttpExpect(status=(401,), body_contains="no session"),
    )
    result = await run(login_step(base), profile, page, echo, logout, after, variables=VARIABLES)
    assert result.ok, result.message
    assert result.step == "after-logout"
    assert result.status_code == 401
    assert result.message.startswith("6 steps in ")
    for name in ("login", "profile", "page", "echo", "logout", "after-logout"):
        assert float(result.details[f"step.{name}_ms"]) > 0
    steps_ms = sum(float(v) for k, v in result.details.items() if k.startswith("step."))
    assert result.timings.total_s * 1000 >= steps_ms
    assert result.timings.connect_s is not None
    assert result.timings.first_byte_s is not None


async def test_failing_step_is_named(base: str) -> None:
    result = await run(login_step(base, password="wrong"), variables=VARIABLES)
    assert result.step == "login"
    assert (result.error_kind, result.message) == (
        ErrorKind.STATUS, "step 'login': status 403, expected 200"
    )
    assert result.status_code == 403


async def test_later_step_failure_names_that_step(base: str) -> None:
    profile = FlowStep(
        name="profile",
        url=f"{base}/api/profile",  # no token header: the app answers 401
        expect=HttpExpect(json=(JsonEquals("name", "张三"),)),
    )
    result = await run(login_step(base), profile, variables=VARIABLES)
    assert (result.step, result.error_kind) == ("profile", ErrorKind.STATUS)
    assert result.message == "step 'profile': status 401, expected 2xx"
    assert "step.login_ms" in result.details


async def test_missing_json_capture_fails_as_capture(base: str) -> None:
    step = login_step(base, capture={"sid": Capture(json="data.session_id")})
    result = await run(step, variables=VARIABLES)
    assert result.error_kind is ErrorKind.CAPTURE
    assert result.message == (
        "step 'login': capture 'sid': JSON path 'data.session_id' not found: "
        "no key 'session_id' in $.data"
    )


async def test_regex_capture_without_group_takes_the_whole_match(base: str) -> None:
    grab = FlowStep(
        name="grab", url=f"{base}/ok", capture={"word": Capture(regex=re.compile(r"s\w+e"))}
    )
    use = FlowStep(
        name="use",
        url=f"{base}/echo",
        method="POST",
        body="got={{word}}",
        expect=HttpExpect(json=(JsonEquals("body", "got=service"),)),
    )
    result = await run(grab, use)
    assert result.ok, result.message


async def test_regex_and_header_capture_failures(base: str) -> None:
    regex = FlowStep(
        name="page", url=f"{base}/ok", capture={"csrf": Capture(regex=re.compile(r"csrf=(\w+)"))}
    )
    result = await run(regex)
    assert result.message == r"step 'page': capture 'csrf': body does not match /csrf=(\w+)/"
    header = FlowStep(name="hdr", url=f"{base}/ok", capture={"rid": Capture(header="X-Request-Id")})
    result = await run(header)
    assert result.error_kind is ErrorKind.CAPTURE
    assert result.message == "step 'hdr': capture 'rid': no X-Request-Id header in the response"


async def test_header_capture(base: str) -> None:
    grab = FlowStep(name="grab", url=f"{base}/ok", capture={"ct": Capture(header="content-type")})
    use = FlowStep(
        name="use",
        url=f"{base}/echo",
        headers={"X-Seen": "{{ct}}"},
        expect=HttpExpect(body_contains="text/plain"),
    )
    assert (await run(grab, use)).ok


async def test_unknown_variable_is_a_capture_error_naming_it(base: str) -> None:
    step = FlowStep(name="profile", url=f"{base}/api/profile?t={{{{ tokn }}}}")
    result = await run(step)
    assert (result.step, result.error_kind) == ("profile", ErrorKind.CAPTURE)
    assert result.message == "step 'profile': unknown variable 'tokn'"


async def test_non_json_body_for_a_json_capture_is_content(base: str) -> None:
    step = FlowStep(name="home", url=f"{base}/ok", capture={"x": Capture(json="a")})
    result = await run(step)
    assert result.error_kind is ErrorKind.CONTENT
    assert result.message.startswith("step 'home': body is not valid JSON")


async def test_redirect_inside_a_step_carries_cookies(base: str) -> None:
    # /page redirects to /ok without the session cookie; after login it answers itself.
    landing = HttpExpect(body_contains="service ok")
    anonymous = await run(FlowStep(name="page", url=f"{base}/page", expect=landing))
    assert anonymous.ok, anonymous.message
    page = FlowStep(name="page", url=f"{base}/page", expect=HttpExpect(body_contains="欢迎"))
    assert (await run(login_step(base), page, variables=VARIABLES)).ok


async def test_steps_share_one_keep_alive_connection_closed_at_the_end() -> None:
    async with RawServer(keep_alive()) as server:
        steps = [
            FlowStep(
                name=f"s{i}", url=server.url, expect=HttpExpect(json=(JsonEquals("served", i),))
            )
            for i in (1, 2, 3)
        ]
        result = await run(*steps)
        assert result.ok, result.message
        assert server.connections == 1


async def test_flow_is_bounded_by_its_timeout(base: str) -> None:
    async with RawServer(never_answers) as server:
        steps = (
            FlowStep(name="home", url=f"{base}/ok"),
            FlowStep(name="stuck", url=server.url),
            FlowStep(name="never", url=f"{base}/ok"),
        )
        started = time.monotonic()
        result = await run(*steps, ctx=make_ctx(1.0))
        elapsed = time.monotonic() - started
    assert (result.step, result.error_kind) == ("stuck", ErrorKind.TIMEOUT)
    assert result.message == "step 'stuck': no response within 1s (waiting for first byte)"
    assert elapsed < 1.5
    assert "step.never_ms" not in result.details
