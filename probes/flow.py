"""`flow` probe: an ordered business transaction of HTTP steps (好用性 / usability).

Steps share cookies and connections; `capture` stores values (JSON path or regex group) into
variables that later steps use as `{{ name }}` in url, headers and body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from dataclasses import dataclass

from monitor.config.fields import TemplateUrl, setting
from probes.base import ProbeContext, ProbeResult
from probes.specs_http import DEFAULT_EXPECT, NO_HEADERS, HttpExpect


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
    steps: tuple[FlowStep, ...] = setting(doc="the steps, run in order; the first failure ends the run")
    variables: Mapping[str, str] = setting(NO_HEADERS, doc="initial variables")
    tls_verify: bool = setting(True, doc="verify server certificates")
    ca_file: str | None = setting(None, doc="PEM file of extra CAs to trust")
    max_redirects: int = setting(5, minimum=0, maximum=30, doc="redirects followed per step")


async def probe(spec: FlowSpec, ctx: ProbeContext) -> ProbeResult:
    raise NotImplementedError  # implemented in the HTTP client work


def target(spec: FlowSpec) -> str:
    return f"{len(spec.steps)} steps: " + " → ".join(step.name for step in spec.steps)
