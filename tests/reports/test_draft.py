"""The draft analysis written on resolve: data_dir/reports/incident-<id>.html and .json.

One test drives a real AlertRunner (fake clock) and ledger through an outage, an ack with a
root-cause note and a manual resolve, then writes the draft as the service will; the others
use the synthetic month."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from alerting.links import LinkSigner
from alerting.runner import AlertRunner
from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports import build_incident_report, incident_report_json
from monitor.reports.files import incident_path
from monitor.reports.incident.draft import write_incident_draft
from monitor.verdicts import observation_of
from probes.base import ErrorKind, ProbeResult, Timings
from tests.ledger.helpers import FakeClock
from tests.reports.synthetic import NOW
from tests.reports.synthetic_alerts import A_ID
from tests.reports.test_render_html import headings, parse_page

T0 = 1_793_900_000.0  # 2026-11-06 (any fixed time)


async def test_draft_of_the_synthetic_incident(config: Config, ledger: SqliteLedger,
                                               store: AlertStore, tmp_path: Path) -> None:
    paths = await write_incident_draft(config, ledger, store, A_ID, tmp_path, now=NOW)
    assert paths == (tmp_path / "reports" / f"incident-{A_ID}.html",
                     tmp_path / "reports" / f"incident-{A_ID}.json")
    html_path, json_path = paths
    page = parse_page(html_path.read_text(encoding="utf-8"))
    assert headings(page)[0] == "故障分析报告"
    assert page.find_all("p", **{"class": "draft"})
    report = await build_incident_report(config, ledger, store, A_ID, NOW)
    assert report is not None
    assert json.loads(json_path.read_text(encoding="utf-8")) == json.loads(
        json.dumps(incident_report_json(report)))
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [html_path.name, json_path.name])  # no temporaries left


async def test_unknown_incident_writes_nothing(config: Config, ledger: SqliteLedger,
                                               store: AlertStore, tmp_path: Path) -> None:
    assert await write_incident_draft(config, ledger, store, "nope", tmp_path) is None
    assert not (tmp_path / "reports").exists()


def test_file_names_stay_in_the_reports_directory(tmp_path: Path) -> None:
    assert incident_path(tmp_path, "20261105-kq-oa-home", "html").name == \
        "incident-20261105-kq-oa-home.html"
    for hostile in ("../../etc/passwd", "/abs", "a/b", "..", "x\0y"):
        path = incident_path(tmp_path, hostile, "json")
        assert path.parent == tmp_path / "reports"
        assert "/" not in path.name
        assert "\0" not in path.name


def _config(data_dir: Path) -> Config:
    path = data_dir / "config.yaml"
    path.write_text(textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            department: "区大数据中心"
            category: "办公协同"
            tier: 1
            checks:
              - {{ id: "home", kind: "http", url: "https://oa.example.org/health" }}
        """), encoding="utf-8")
    return load_config(path)


async def test_draft_after_a_real_resolve(tmp_path: Path) -> None:
    config = _config(tmp_path)
    clock = FakeClock(T0)
    ledger = await SqliteLedger.open(tmp_path, raw_retention_s=7 * 86400.0, clock=clock,
                                     tuning=Tuning(prune_interval_s=None))
    store = await AlertStore.open(tmp_path, clock=clock)
    runner = AlertRunner(store=store, config=config, clock=clock,
                         links=LinkSigner(b"key", "http://127.0.0.1:8080"))
    await runner.start(background=False)
    try:
        for n in range(30):  # healthy, 10 minutes of HTTP 503, healthy again
            failing = 5 <= n < 15
            result = ProbeResult(
                ok=not failing, started_at=clock.now(), timings=Timings(0.002 if failing
                                                                        else 0.08),
                error_kind=ErrorKind.STATUS if failing else None,
                message="HTTP 503" if failing else "200 OK")
            ledger.record("kq-oa", "home", "http", result)
            obs = observation_of(result, "zh-CN")
            assert obs is not None
            await runner.handle_result(("kq-oa", "home"), obs)
            if n == 8:
                [incident] = await store.list_incidents(limit=10)
                await runner.acknowledge(incident.id, "李四", "根本原因: 发布脚本遗漏配置项")
            clock.advance(60)
        await ledger.flush()
        [incident] = await store.list_incidents(limit=10)
        if incident.resolved_at is None:  # recover=2 passing runs may already have resolved it
            await runner.resolve(incident.id, "李四", "回滚配置", None)
        paths = await write_incident_draft(config, ledger, store, incident.id, tmp_path,
                                           now=clock.now())
    finally:
        await runner.stop()
        await store.close()
        await ledger.close()
    assert paths is not None
    html = paths[0].read_text(encoding="utf-8")
    body = json.loads(paths[1].read_text(encoding="utf-8"))
    assert body["incident"]["state"] == "resolved"
    assert body["analysis"]["root_cause"][0]["text"] == "发布脚本遗漏配置项"
    assert body["checks"][0]["failures"] == 10
    assert "发布脚本遗漏配置项" in html
    assert "柯桥区协同办公" in html
    page = parse_page(html)
    assert page.find("td", data_field="acknowledged_by").text() == "李四"
    assert not page.find_all(data_todo="root_cause")
    assert page.find_all(data_todo="actions")  # still to be written: the hint is there
