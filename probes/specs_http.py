"""Config specs shared by the `http` and `flow` probes (a flow step is an HTTP request)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from monitor.core.fields import Duration, mask_url, setting

NO_HEADERS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class JsonEquals:
    """`{path: "data.status", equals: "UP"}`: the JSON value at path must equal the given value."""

    path: str = setting(doc="dotted path into the JSON body, e.g. data.items[0].state")
    equals: Any = setting(doc="the expected value (string, number, bool or null)")


@dataclass(frozen=True)
class HttpExpect:
    """What a response must look like to pass."""

    status: tuple[int, ...] = setting((), doc="accepted status codes; empty means any 2xx")
    body_contains: str | None = setting(None, doc="text the body must contain")
    body_not_contains: str | None = setting(None, doc="text the body must not contain")
    body_regex: re.Pattern[str] | None = setting(None, doc="regular expression the body must match")
    body_not_regex: re.Pattern[str] | None = setting(
        None, doc="regular expression the body must not match (e.g. a maintenance notice)"
    )
    json: tuple[JsonEquals, ...] = setting((), doc="JSON path assertions on the body")
    max_latency_s: Duration | None = setting(
        None, key="max_latency", doc="a slower answer counts as failed, reason 'slow'"
    )

    @property
    def checks_body(self) -> bool:
        return bool(
            self.body_contains or self.body_not_contains or self.body_regex
            or self.body_not_regex or self.json
        )

    def status_ok(self, status: int) -> bool:
        return status in self.status if self.status else 200 <= status < 300


DEFAULT_EXPECT = HttpExpect()


def proxy_details(proxy: str | None) -> dict[str, str]:
    """What a result says about the proxy it went through (credentials masked)."""
    return {"proxy": mask_url(proxy)} if proxy else {}
