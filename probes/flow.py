"""`flow` probe: an ordered business transaction of HTTP steps (好用性 / usability).

Steps share cookies and connections; `capture` stores values (JSON path or regex group) into
variables that later steps use as `{{ name }}` in url, headers and body.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import aiohttp

from monitor.core.cafiles import check_ca_file
from monitor.core.fields import ProxyUrl, TemplateUrl, proxy_address, setting
from monitor.core.reasons import Reason
from probes.addresses import IpVersion
from probes.base import ErrorKind, ProbeResult, Timings
from probes.context import ProbeContext
from probes.errors import ProbeError, english
from probes.httpcheck import check_response, classify_failure
from probes.httpfetch import Request, Response, fetch_following
from probes.httptransport import PhaseTrace
from probes.jsonpath import as_text, decode_json, lookup
from probes.specs_http import DEFAULT_EXPECT, NO_HEADERS, HttpExpect, proxy_details

_VARIABLE: Final = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


@dataclass(frozen=True)
class Capture:
    """Exactly one of `json` or `regex`: where a variable's value comes from."""

    json: str | None = setting(None, doc="dotted JSON path into the response body")
    regex: re.Pattern[str] | None = setting(
        None, doc="regular expression on the body; group 1 (or the whole match) is captured"
    )
    header: str | None = setting(None, doc="a response header's value")


@dataclass(frozen=True)
class FlowStep:
    name: str = setting(doc="step name, shown when the step fails")
    url: TemplateUrl = setting(doc="URL, may use {{ variables }}")
    method: str = setting("GET", doc="HTTP method")
    headers: Mapping[str, str] = setting(NO_HEADERS, doc="request headers, may use {{ variables }}")
    body: str | None = setting(None, doc="request body, may use {{ variables }}")
    expect: HttpExpect = setting(DEFAULT_EXPECT, doc="what the response must look like")
    capture: Mapping[str, Capture] = setting(
        MappingProxyType({}), doc="variables to capture from the response"
    )


@dataclass(frozen=True)
class FlowSpec:
    steps: tuple[FlowStep, ...] = setting(
        doc="the steps, run in order; the first failure ends the run"
    )
    variables: Mapping[str, str] = setting(NO_HEADERS, doc="initial variables")
    tls_verify: bool = setting(True, doc="verify server certificates")
    ca_file: str | None = setting(None, doc="PEM file of extra CAs to trust")
    max_redirects: int = setting(5, minimum=0, maximum=30, doc="redirects followed per step")
    proxy: ProxyUrl | None = setting(
        None, doc='HTTP proxy http://host:port for every step; "direct": none; '
        "default: defaults.proxy",
    )
    ip_version: IpVersion | None = setting(
        None, doc='"4", "6" or "auto" (happy eyeballs); default: defaults.ip_version'
    )

    def __post_init__(self) -> None:
        check_ca_file(self.ca_file)


async def probe(spec: FlowSpec, ctx: ProbeContext) -> ProbeResult:
    """Run the steps in order within the run's timeout; never raises."""
    run = _FlowRun(spec, ctx)
    deadline = asyncio.timeout(ctx.timeout_s)
    try:
        # Cookies and keep-alive connections live for one run only.
        http = ctx.resources.http
        async with http.flow_session(spec.ip_version or "auto") as session, deadline:
            for step in spec.steps:
                await run.run_step(session, step)
    except Exception as exc:  # every failure becomes a result; see probes.errors
        error = run.trace.timeout_error(ctx.timeout_s) if deadline.expired() else exc
        kind, inner = classify_failure(error, "flow")
        reason = Reason("step", {"step": run.step, "detail": inner})
        return run.result(kind, english(reason), reason)
    done = Reason("ok.flow", {"steps": len(spec.steps), "took_s": run.elapsed()})
    return run.result(None, english(done), done)


class _FlowRun:
    """The state one run of a flow carries from step to step."""

    def __init__(self, spec: FlowSpec, ctx: ProbeContext) -> None:
        self.spec = spec
        self.ctx = ctx
        self.started_at = ctx.clock.now()
        self.t0 = time.perf_counter()
        self.variables: dict[str, str] = dict(spec.variables)
        self.proxy = proxy_address(spec.proxy)
        self.trace = PhaseTrace()
        self.step: str | None = None
        self.status: int | None = None
        self.cert_days_left: float | None = None
        self.phases: list[float | None] = [None, None, None, None]  # dns, connect, tls, first byte
        self.details: dict[str, str] = proxy_details(self.proxy)

    async def run_step(self, session: aiohttp.ClientSession, step: FlowStep) -> None:
        self.step = step.name
        request = self._request(step)
        started = time.perf_counter()
        try:
            response, _ = await fetch_following(
                session, request, self.trace, max_redirects=self.spec.max_redirects
            )
        finally:
            self._add_phases()
        latency_s = time.perf_counter() - started
        self.status = response.status
        self.details[f"step.{step.name}_ms"] = f"{latency_s * 1000:.1f}"
        problem = check_response(step.expect, response, latency_s)
        if problem is not None:
            raise problem
        for name, capture in step.capture.items():
            self.variables[name] = _capture(name, capture, response)

    def _request(self, step: FlowStep) -> Request:
        headers = {name: self._render(value) for name, value in step.headers.items()}
        body = self._render(step.body).encode() if step.body is not None else None
        resources = self.ctx.resources
        return Request(
            step.method.upper(), self._render(step.url), headers, body,
            resources.ssl_context_for_run(self.spec.tls_verify, self.spec.ca_file),
            resources.max_body_bytes, proxy=self.proxy,
        )

    def _render(self, text: str) -> str:
        if "{{" not in text:
            return text
        return _VARIABLE.sub(self._value_of, text)

    def _value_of(self, match: re.Match[str]) -> str:
        name = match.group(1)
        value = self.variables.get(name)
        if value is None:
            raise ProbeError.because(ErrorKind.CAPTURE, "capture.unknown_variable", name=name)
        return value

    def _add_phases(self) -> None:
        """Sum the step's phases into the run's: time spent connecting over the whole flow."""
        trace = self.trace
        step_phases = (trace.dns_s, trace.connect_s, trace.tls_s, trace.first_byte_s)
        for index, value in enumerate(step_phases):
            if value is not None:
                self.phases[index] = (self.phases[index] or 0.0) + value
        days = trace.cert_days_left
        if days is not None:  # the certificate closest to expiry is the one to report
            known = self.cert_days_left
            self.cert_days_left = days if known is None else min(known, days)
        self.details.update(trace.details())

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def result(self, kind: ErrorKind | None, message: str,
               reason: Reason | None = None) -> ProbeResult:
        return ProbeResult(
            reason=reason,
            ok=kind is None,
            started_at=self.started_at,
            timings=Timings(self.elapsed(), *self.phases),
            error_kind=kind,
            message=message,
            status_code=self.status,
            cert_days_left=self.cert_days_left,
            step=self.step,
            details=MappingProxyType(self.details),
        )


def _capture(name: str, capture: Capture, response: Response) -> str:
    """The captured value; a missing one fails the step with a CAPTURE error naming it."""
    if capture.json is not None:
        document = decode_json(response.text())  # not JSON at all: a CONTENT failure
        try:
            return as_text(lookup(document, capture.json))
        except ProbeError as exc:
            raise _capture_failed(name, exc.reason) from None
    if capture.regex is not None:
        match = capture.regex.search(response.text())
        if match is None:
            raise _capture_failed(name, Reason("regex_missing", {"pattern": capture.regex.pattern}))
        return match.group(1) if capture.regex.groups else match.group(0)
    if capture.header is not None:
        value = response.headers.get(capture.header)
        if value is None:
            raise _capture_failed(name, Reason("capture.no_header", {"header": capture.header}))
        return value
    raise _capture_failed(name, Reason("capture.nothing"))


def _capture_failed(name: str, inner: Reason) -> ProbeError:
    return ProbeError.because(ErrorKind.CAPTURE, "capture.failed", name=name, inner=inner)


def target(spec: FlowSpec) -> str:
    return f"{len(spec.steps)} steps: " + " → ".join(step.name for step in spec.steps)
