"""The JSON of `report monthly`: CONTRACT.md §5 exactly, and a golden file for the rest.

Regenerate the golden file after an intended change with
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/reports/test_monthly_json.py
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports import build_monthly, to_json
from tests.reports.synthetic import MONTH, NOW

GOLDEN = Path(__file__).parent / "golden" / "monthly-2026-11.json"
APP_KEYS = ["id", "name", "department", "category", "tier", "availability_pct", "probes",
            "failed_probes", "latency_ms", "incidents", "mtta_seconds", "mttr_seconds",
            "response_breaches", "resolution_breaches"]
TOTALS_KEYS = ["availability_pct", "incidents", "mtta_seconds", "mttr_seconds",
               "response_within_sla_pct", "resolution_within_sla_pct"]


@pytest.fixture
async def body(config: Config, ledger: SqliteLedger, store: AlertStore) -> dict[str, Any]:
    data = to_json(await build_monthly(config, ledger, store, MONTH, NOW))
    # Through text and back: what a reader of the file gets (no tuples, no NaN).
    return dict(json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False)))


def test_contract_objects_have_exactly_the_contract_keys(body: dict[str, Any]) -> None:
    assert list(body)[:4] == ["month", "generated_at", "apps", "totals"]
    assert body["month"] == "2026-11"
    assert body["generated_at"] == "2026-12-02T10:00:00+08:00"
    for app in body["apps"]:
        assert list(app) == APP_KEYS
        assert list(app["latency_ms"]) == ["p50", "p95", "p99"]
    assert list(body["totals"]) == TOTALS_KEYS


def test_contract_value_types(body: dict[str, Any]) -> None:
    oa = body["apps"][0]
    assert isinstance(oa["tier"], int)
    assert isinstance(oa["probes"], int)
    assert isinstance(oa["availability_pct"], float)
    assert all(isinstance(v, float) for v in oa["latency_ms"].values())
    assert isinstance(body["totals"]["incidents"], int)


def test_matches_the_golden_file(body: dict[str, Any]) -> None:
    body = {k: v for k, v in body.items() if k != "generated_at"}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert body == golden
