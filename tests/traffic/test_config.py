"""The `traffic:` section of an app: what it builds, and how mistakes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config
from monitor.core.config.traffic import PrometheusTraffic, TrafficSource
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import config_yaml


def test_defaults_and_shape(make_config: MakeConfig) -> None:
    config = make_config('prometheus:\n  url: "http://gw/metrics"\n  pv_metric: "req_total"\n')
    oa = config.app("kq-oa")
    assert oa is not None
    assert oa.traffic == TrafficSource(
        prometheus=PrometheusTraffic(url="http://gw/metrics", pv_metric="req_total"))
    assert (oa.traffic.interval_s, oa.traffic.timeout_s) == (300.0, 10.0)
    jczz = config.app("kq-jczz")
    assert jczz is not None
    assert jczz.traffic is None


@pytest.mark.parametrize(("traffic", "key_path", "needle"), [
    ('interval: "5m"', "traffic", "give one of prometheus or json"),
    ('prometheus: {url: "http://g/m", pv_metric: "a"}\n'
     'json: {url: "http://g/s", pv_path: "pv", uv_path: "uv"}', "traffic", "not both"),
    ('prometheus: {url: "http://g/m", pv_metric: "1a"}', "traffic.prometheus", "pv_metric"),
    ('prometheus: {url: "http://g/m", pv_metric: "a", labels: {"a-b": "x"}}',
     "traffic.prometheus", "bad label name"),
    ('json: {url: "http://g/s", pv_path: "data..pv", uv_path: "uv"}', "traffic.json",
     "pv_path: bad JSON path"),
    ('json: {url: "ftp://g/s", pv_path: "pv", uv_path: "uv"}', "traffic.json.url", "http"),
    ('json: {url: "http://g/s", pv_path: "pv"}', "traffic.json.uv_path", "missing"),
    ('interval: "1s"\njson: {url: "http://g/s", pv_path: "pv", uv_path: "uv"}',
     "traffic.interval", "at least"),
    ('promethus: {url: "http://g/m", pv_metric: "a"}', "traffic.promethus", "did you mean"),
])
def test_mistakes_are_reported_with_line_and_path(
        tmp_path: Path, traffic: str, key_path: str, needle: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(config_yaml(tmp_path / "data", traffic), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    issues = [str(issue) for issue in caught.value.issues]
    assert any(f": apps[0].{key_path}: " in text and needle in text for text in issues), issues
    assert all(text.startswith(f"{path}:") for text in issues)
