"""The provisioning files: a datasource the dashboards find (uid, InfluxQL, settings from the
environment) whose settings, expanded as Grafana expands them, really query InfluxDB; and a
dashboard provider that loads the folder the README installs the JSON into.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

import yaml

from tests.dashboards import grafana
from tests.dashboards.simulation import Simulation
from tests.support.influxdb1 import InfluxDB1

DATASOURCES = grafana.PROVISIONING_DIR / "datasources" / "appmon.yaml"
PROVIDERS = grafana.PROVISIONING_DIR / "dashboards" / "appmon.yaml"
ENV_RE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def _datasource() -> dict[str, Any]:
    data = yaml.safe_load(DATASOURCES.read_text("utf-8"))
    assert data["apiVersion"] == 1
    [source] = data["datasources"]
    assert isinstance(source, dict)
    return source


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    """Grafana's provisioning expansion of $NAME / ${NAME} in every string value."""
    if isinstance(value, str):
        return ENV_RE.sub(lambda m: env.get(m[1] or m[2], ""), value)
    if isinstance(value, dict):
        return {k: _expand(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env) for v in value]
    return value


def test_datasource_is_influxql_with_the_dashboards_uid() -> None:
    source = _datasource()
    assert (source["uid"], source["type"], source["access"]) == (
        grafana.DATASOURCE_UID, "influxdb", "proxy")
    assert source["jsonData"]["version"] == "InfluxQL"
    assert source["jsonData"]["httpMode"] in {"GET", "POST"}
    for name in grafana.DASHBOARDS:
        current = grafana.variables(grafana.load(name))["datasource"]["current"]
        assert current["value"] == source["uid"], name


def test_datasource_settings_come_from_the_environment() -> None:
    source = _datasource()
    assert source["url"] == "${INFLUX_URL}"
    assert source["jsonData"]["dbName"] == source["database"] == "${INFLUX_DB}"
    assert source["jsonData"]["httpHeaderName1"] == "Authorization"
    assert source["secureJsonData"]["httpHeaderValue1"] == "Token ${INFLUX_TOKEN}"
    text = DATASOURCES.read_text("utf-8")
    for explained in ("InfluxDB 1.8", "InfluxDB 2.x", "influx v1 dbrp create", "INFLUX_USER"):
        assert explained in text, explained  # the comments cover both server generations


def test_expanded_datasource_queries_influxdb(
    influxdb1: InfluxDB1, simulation: Simulation
) -> None:
    """What Grafana sends with these settings: POST /query, db, the Authorization header
    (an InfluxDB 1.x without auth ignores it, as it does for the placeholder token here)."""
    env = {**os.environ, "INFLUX_URL": influxdb1.url, "INFLUX_DB": influxdb1.database,
           "INFLUX_TOKEN": "reader:secret"}
    source = _expand(_datasource(), env)
    settings, secrets = source["jsonData"], source["secureJsonData"]
    assert settings["httpMode"] == "POST"
    body = urllib.parse.urlencode({"q": "SHOW MEASUREMENTS", "epoch": "ms"}).encode()
    params = urllib.parse.urlencode({"db": settings["dbName"]})
    request = urllib.request.Request(f"{source['url']}/query?{params}", data=body,
                                     method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header(settings["httpHeaderName1"], secrets["httpHeaderValue1"])
    assert secrets["httpHeaderValue1"] == "Token reader:secret"
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    [series] = answer["results"][0]["series"]
    assert sorted(v[0] for v in series["values"]) == ["incident", "probe", "traffic"]
    assert simulation.lines  # the measurements exist because the simulation wrote them


def test_dashboard_provider_loads_the_folder() -> None:
    data = yaml.safe_load(PROVIDERS.read_text("utf-8"))
    assert data["apiVersion"] == 1
    [provider] = data["providers"]
    assert provider["type"] == "file"
    assert provider["folder"] == "应用监控"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards/appmon"
    readme = (grafana.DASHBOARD_DIR / "README.md").read_text("utf-8")
    assert provider["options"]["path"] in readme


def test_readme_explains_installation_and_the_kiosk_url() -> None:
    readme = (grafana.DASHBOARD_DIR / "README.md").read_text("utf-8")
    for needle in ("/etc/grafana/provisioning/datasources", "/etc/grafana/provisioning/dashboards",
                   "influx v1 dbrp create", "/d/appmon-wall/", "kiosk", "refresh=10s"):
        assert needle in readme, needle
