"""Fixtures of the inventory tests: the synthetic data, written once per session, and the audit
built on it at the fixed NOW (the audit code only reads)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.governance.inventory import Audit, build_audit, to_json
from monitor.governance.inventory.quarter import parse_quarter_ends
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from tests.inventory import synthetic


@dataclass(frozen=True)
class Inventory:
    data_dir: Path
    config_path: Path


@pytest.fixture(scope="session")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    root = tmp_path_factory.mktemp("inventory")
    data_dir = root / "data"
    asyncio.run(synthetic.write_all(data_dir))
    config_path = root / "config.yaml"
    config_path.write_text(synthetic.config_yaml(data_dir), encoding="utf-8")
    return Inventory(data_dir, config_path)


@pytest.fixture(scope="session")
def config(inventory: Inventory) -> Config:
    return load_config(inventory.config_path)


async def audit_of(config: Config, data_dir: Path, now: float) -> Audit:
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    alerts = await AlertStore.open(data_dir)
    traffic = await TrafficStore.open(data_dir)
    try:
        return await build_audit(config, ledger, alerts, traffic, now=now,
                                 quarter_ends=parse_quarter_ends(None))
    finally:
        await traffic.close()
        await alerts.close()
        await ledger.close()


@pytest.fixture(scope="session")
def audit(inventory: Inventory, config: Config) -> Audit:
    return asyncio.run(audit_of(config, inventory.data_dir, synthetic.NOW))


@pytest.fixture(scope="session")
def body(audit: Audit) -> dict[str, Any]:
    return to_json(audit)


@pytest.fixture(scope="session")
def apps(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {app["id"]: app for app in body["apps"]}
