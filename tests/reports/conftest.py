"""Fixtures of the report tests: the synthetic month, written once per session, and stores
opened on it per test (the report code only reads)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger, Tuning
from tests.reports import synthetic, synthetic_alerts
from tests.reports.synthetic import Run


@dataclass(frozen=True)
class Month:
    data_dir: Path
    config_path: Path
    runs: list[Run]


@pytest.fixture(scope="session")
def month(tmp_path_factory: pytest.TempPathFactory) -> Month:
    root = tmp_path_factory.mktemp("month")
    data_dir = root / "data"
    runs = synthetic.pattern()

    async def populate() -> None:
        await synthetic.write_runs(data_dir, runs)
        await synthetic_alerts.write_alerts(data_dir)

    asyncio.run(populate())
    config_path = root / "config.yaml"
    config_path.write_text(synthetic.config_yaml(data_dir), encoding="utf-8")
    return Month(data_dir, config_path, runs)


@pytest.fixture
def config(month: Month) -> Config:
    return load_config(month.config_path)


@pytest.fixture
async def ledger(month: Month) -> AsyncIterator[SqliteLedger]:
    opened = await SqliteLedger.open(month.data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    yield opened
    await opened.close()


@pytest.fixture
async def store(month: Month) -> AsyncIterator[AlertStore]:
    opened = await AlertStore.open(month.data_dir)
    yield opened
    await opened.close()
