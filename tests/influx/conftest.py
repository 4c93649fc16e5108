"""Fixtures of the sink tests: a real VictoriaMetrics, and the round-trip backends."""

from tests.influx.backends import backend
from tests.support.victoria import victoria

__all__ = ["backend", "victoria"]
