"""Resolving an incident writes its draft analysis report to data_dir/reports/."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.reports.files import incident_path
from monitor.service import Service
from tests.api.conftest import Api, SetClock, open_incident
from tests.support.target import Target


async def test_resolve_writes_the_draft(service: Service, api: Api, target: Target,
                                        clock: SetClock) -> None:
    incident_id = await open_incident(service, target, clock)
    clock.advance(300)
    status, _ = await api.post(f"/api/v1/incidents/{incident_id}/resolve",
                               {"by": "张三", "cause": "数据库连接池耗尽", "note": "已扩容",
                                "force": True})
    assert status == 200
    await service.drafts.drain()
    data_dir = Path(service.config.service.data_dir)
    html = incident_path(data_dir, incident_id, "html").read_text(encoding="utf-8")
    assert "故障分析报告" in html
    assert "数据库连接池耗尽" in html
    body = json.loads(incident_path(data_dir, incident_id, "json").read_text(encoding="utf-8"))
    assert incident_id in json.dumps(body, ensure_ascii=False)
