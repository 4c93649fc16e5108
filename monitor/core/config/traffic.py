"""The `traffic:` section of an app (monitor.core.config.model.AppConfig.traffic): where the service
pulls the app's page views and visitors from.

    traffic:
      interval: "5m"
      prometheus:
        url: "http://gw.example.org/metrics"
        pv_metric: "http_requests_total"
        uv_metric: "unique_visitors_today"      # optional
        labels: { app: "kq-oa" }               # optional filter
      # or, instead of prometheus:
      json:
        url: "http://oa.example.org/api/stats/today"
        pv_path: "data.pv"
        uv_path: "data.uv"

Kept out of model.py (which imports TrafficSource) so that file stays readable; this module
imports nothing of the traffic package, so the config never pulls in the store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from monitor.core.configtext import ConfigValueError, keyed
from monitor.core.fields import Duration, HttpUrl, setting
from monitor.core.jsonpathsyntax import parse_path

# Prometheus metric and label names (text exposition format).
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
NO_STRINGS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class PrometheusTraffic:
    """Traffic counters in the Prometheus text format, on the app or its gateway."""

    url: HttpUrl = setting(doc="the metrics URL, e.g. http://gw.example.org/metrics")
    pv_metric: str = setting(
        doc="page views: a counter (its increase is counted per day) or a gauge (today's total)"
    )
    uv_metric: str | None = setting(
        None, doc="unique visitors, counter or gauge as pv_metric; without it uv is recorded as 0"
    )
    labels: Mapping[str, str] = setting(
        NO_STRINGS, doc="count only series with these label values; matching series are summed"
    )

    def __post_init__(self) -> None:
        for key, name in (("pv_metric", self.pv_metric), ("uv_metric", self.uv_metric)):
            if name is not None and not _METRIC_NAME.match(name):
                raise ConfigValueError("traffic.bad_metric", field=key, name=name)
        for label in self.labels:
            if not _LABEL_NAME.match(label):
                raise ConfigValueError("traffic.bad_label", label=label)


@dataclass(frozen=True)
class JsonTraffic:
    """A JSON statistics endpoint that answers TODAY's totals: each pull replaces today's."""

    url: HttpUrl = setting(doc="the statistics URL (GET, JSON answer)")
    pv_path: str = setting(doc="dotted path of today's page views, e.g. data.pv")
    uv_path: str = setting(doc="dotted path of today's unique visitors, e.g. data.uv")
    day_path: str | None = setting(
        None, doc="path of the day the totals are for (YYYY-MM-DD); default: today"
    )

    def __post_init__(self) -> None:
        for key, path in (("pv_path", self.pv_path), ("uv_path", self.uv_path),
                          ("day_path", self.day_path)):
            if path is not None:
                try:
                    parse_path(path)
                except ValueError as exc:
                    raise keyed(key, exc) from None


@dataclass(frozen=True)
class TrafficSource:
    """Where the service pulls an app's traffic from (one of prometheus or json).

    Pushes (POST /api/v1/traffic) and access logs (`traffic import`) need no config."""

    prometheus: PrometheusTraffic | None = setting(None, doc="a Prometheus-format endpoint")
    json: JsonTraffic | None = setting(None, doc="a JSON statistics endpoint (today's totals)")
    interval_s: Duration = setting(300.0, key="interval", minimum=10.0, doc="time between pulls")
    timeout_s: Duration = setting(
        10.0, key="timeout", minimum=0.1, maximum=300.0, doc="a pull taking longer fails"
    )
    headers: Mapping[str, str] = setting(
        NO_STRINGS, doc="request headers, e.g. Authorization: Bearer ${STATS_TOKEN}"
    )

    def __post_init__(self) -> None:
        if (self.prometheus is None) == (self.json is None):
            raise ConfigValueError("traffic.one_of" if self.prometheus is None
                                   else "traffic.not_both")
