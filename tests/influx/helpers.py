"""Shared pieces of the sink tests: configs, a sink with fast retries, a line-protocol reader
(written independently of monitor/influx/lines.py, so the round trip checks the encoding), and
polling with a deadline."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from monitor.core.clock import SYSTEM_CLOCK
from monitor.core.config.model import InfluxConfig
from monitor.core.fields import Secret
from monitor.influx.sink import InfluxSink, SinkTuning
from monitor.metrics import Metrics
from tests.support.polling import wait_until

TOKEN = "s3cr3t-influx-token-9f2c"
# Retries every 50-200 ms: an outage in a test lasts seconds, not minutes.
FAST = SinkTuning(retry_base_s=0.05, retry_cap_s=0.2, log_every_s=0.0)


def influx_config(url: str, **overrides: Any) -> InfluxConfig:
    values: dict[str, Any] = {"url": url, "org": "keqiao", "bucket": "appmon",
                              "token": Secret(TOKEN), "batch_size": 5000,
                              "flush_interval_s": 0.1, "timeout_s": 2.0}
    values.update(overrides)
    return InfluxConfig(**values)


def make_sink(config: InfluxConfig, data_dir: Path, tuning: SinkTuning = FAST,
              metrics: Metrics | None = None) -> tuple[InfluxSink, Metrics]:
    metrics = metrics or Metrics()
    sink = InfluxSink(config, data_dir=data_dir, clock=SYSTEM_CLOCK, metrics=metrics.influx,
                      tuning=tuning)
    return sink, metrics


def metric(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels or None)
    return 0.0 if value is None else value


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 30.0) -> None:
    await wait_until(check, "the series to arrive", timeout_s)


def now_ms() -> int:
    return int(time.time() * 1000)


# ---- line protocol, read back --------------------------------------------------------------
Point = tuple[str, dict[str, str], dict[str, object], int]


def parse_line(line: str) -> Point:
    """(measurement, tags, fields, ts) of one line; handles the escapes InfluxDB defines."""
    key, fields_text, ts = _split(line, " ", quotes=True)
    measurement, *tag_parts = _split(key, ",")
    tags = dict(_unescape_pair(part) for part in tag_parts)
    fields = {}
    for part in _split(fields_text, ",", quotes=True):
        name, raw = _split(part, "=", quotes=True, limit=1)
        fields[_unescape(name)] = _field(raw)
    return _unescape(measurement), tags, fields, int(ts)


def _split(text: str, sep: str, *, quotes: bool = False, limit: int = -1) -> list[str]:
    parts: list[str] = []
    current, quoted, i = "", False, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current += text[i:i + 2]
            i += 2
            continue
        if quotes and char == '"':
            quoted = not quoted
        if char == sep and not quoted and (limit < 0 or len(parts) < limit):
            parts.append(current)
            current = ""
        else:
            current += char
        i += 1
    return [*parts, current]


def _unescape(text: str) -> str:
    out, i = "", 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out += text[i + 1]
            i += 2
        else:
            out += text[i]
            i += 1
    return out


def _unescape_pair(part: str) -> tuple[str, str]:
    key, value = _split(part, "=", limit=1)
    return _unescape(key), _unescape(value)


def _field(raw: str) -> object:
    if raw.startswith('"'):
        return _unescape(raw[1:-1])
    if raw.endswith("i"):
        return int(raw[:-1])
    return float(raw)


def as_samples(lines: list[str]) -> list[tuple[str, tuple[tuple[str, str], ...], int, object]]:
    """What a VictoriaMetrics-style reader should see: one sample per field, named
    measurement_field, labelled with the tags."""
    samples = []
    for line in lines:
        measurement, tags, fields, ts = parse_line(line)
        labels = tuple(sorted(tags.items()))
        samples += [(f"{measurement}_{name}", labels, ts, value) for name, value in fields.items()]
    return samples
