"""Fixtures of the traffic tests: a real SQLite file in a tmp dir, a fake clock, a config."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.governance.traffic.store import TrafficStore
from tests.ledger.helpers import FakeClock
from tests.traffic.helpers import T_NOON, config_yaml

MakeConfig = Callable[..., Config]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T_NOON)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_config(tmp_path: Path, data_dir: Path) -> MakeConfig:
    """A loaded config with apps kq-oa and kq-jczz; keyword `traffic` adds a source to kq-oa."""

    def make(traffic: str = "") -> Config:
        path = tmp_path / "config.yaml"
        path.write_text(config_yaml(data_dir, traffic), encoding="utf-8")
        return load_config(path)

    return make


@pytest.fixture
async def store(data_dir: Path, clock: FakeClock) -> AsyncIterator[TrafficStore]:
    opened = await TrafficStore.open(data_dir, clock=clock)
    yield opened
    await opened.close()
