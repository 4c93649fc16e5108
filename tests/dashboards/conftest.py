"""A real InfluxDB 1.x holding two simulated days of the service's series, for the query tests."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.dashboards.simulation import Simulation, simulate
from tests.support.influxdb1 import InfluxDB1, influxdb1

__all__ = ["influxdb1", "simulation"]  # influxdb1: the session fixture, made visible here


@pytest.fixture(scope="session")
def simulation(influxdb1: InfluxDB1, tmp_path_factory: pytest.TempPathFactory) -> Simulation:
    """The simulated run, written through the v1 /write endpoint (precision=ms)."""
    sim = simulate(Path(tmp_path_factory.mktemp("simulation")), now=time.time())
    influxdb1.write(sim.lines, precision="ms")
    return sim
