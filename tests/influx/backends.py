"""Where round-trip tests write: VictoriaMetrics always; a real InfluxDB 2.x as well when
INFLUX_URL and INFLUX_TOKEN (plus INFLUX_ORG, INFLUX_BUCKET) are set in the environment.

Both are read back as (metric, labels, ts_ms, value) with metric = measurement_field, the
VictoriaMetrics naming; InfluxDB keeps string fields as strings, VictoriaMetrics stores 0.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from influxdb_client.client.influxdb_client_async import InfluxDBClientAsync

from monitor.core.config.model import InfluxConfig
from monitor.core.fields import Secret
from tests.influx.helpers import influx_config
from tests.support.victoria import Victoria, started_victoria

Sample = tuple[str, tuple[tuple[str, str], ...], int, object]
_NOT_LABELS = {"result", "table", "_start", "_stop", "_time", "_value", "_field", "_measurement"}


class Backend(Protocol):
    name: str

    def config(self, **overrides: Any) -> InfluxConfig: ...

    async def read(self, app_prefix: str) -> list[Sample]: ...

    def stored(self, value: object) -> object: ...


class VictoriaBackend:
    name = "victoria"

    def __init__(self, server: Victoria) -> None:
        self.server = server

    def config(self, **overrides: Any) -> InfluxConfig:
        return influx_config(self.server.url, **overrides)

    async def read(self, app_prefix: str) -> list[Sample]:
        samples = await self.server.export(f'{{app=~"{app_prefix}.*"}}')
        return [(s.name, s.labels, s.ts_ms, s.value) for s in samples]

    def stored(self, value: object) -> object:
        return 0.0 if isinstance(value, str) else float(value)  # type: ignore[arg-type]


class InfluxBackend:
    name = "influxdb"

    def __init__(self) -> None:
        self.url = os.environ["INFLUX_URL"]
        self.token = os.environ["INFLUX_TOKEN"]
        self.org = os.environ.get("INFLUX_ORG", "keqiao")
        self.bucket = os.environ.get("INFLUX_BUCKET", "appmon")

    def config(self, **overrides: Any) -> InfluxConfig:
        return influx_config(self.url, **{"org": self.org, "bucket": self.bucket,
                                          "token": Secret(self.token), **overrides})

    async def read(self, app_prefix: str) -> list[Sample]:
        flux = (f'from(bucket: "{self.bucket}") |> range(start: -30d, stop: 30d)'
                f' |> filter(fn: (r) => strings.hasPrefix(v: r.app, prefix: "{app_prefix}"))')
        async with InfluxDBClientAsync(url=self.url, token=self.token, org=self.org) as client:
            tables = await client.query_api().query('import "strings"\n' + flux)
        samples: list[Sample] = []
        for table in tables:
            for record in table.records:
                values = record.values
                labels = tuple(sorted((k, str(v)) for k, v in values.items()
                                      if k not in _NOT_LABELS and v is not None))
                ts = round(values["_time"].timestamp() * 1000)
                samples.append((f"{values['_measurement']}_{values['_field']}", labels, ts,
                                values["_value"]))
        return samples

    def stored(self, value: object) -> object:
        return value


def backend_names() -> list[str]:
    real = os.environ.get("INFLUX_URL") and os.environ.get("INFLUX_TOKEN")
    return ["victoria", "influxdb"] if real else ["victoria"]


@pytest.fixture(params=backend_names())
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "influxdb":
        yield InfluxBackend()
        return
    server = await started_victoria(tmp_path / "victoria")
    try:
        yield VictoriaBackend(server)
    finally:
        await server.stop()
