"""The incident page's forms for the on-call: each with a heading; the resolve form says how
the check stands now and warns while it still fails; the note form names the prefixes the
analysis report reads; after an automatic resolve the cause can be filled in (a note with the
direct-cause prefix). And the app page's failures: identical ones in a row are one line."""

from __future__ import annotations

import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.console.pages.apps.view import failure_rows
from monitor.ledger.types import StoredResult
from monitor.reports.incident.notes import DIRECT_CAUSE, split_note
from tests.api.conftest import SetClock
from tests.console.signin_support import csrf_of, get_text, post_form, running_console, sign_in
from tests.console.test_oncall_flow import fail_twice, recover

TZ = ZoneInfo("Asia/Shanghai")


def form(page: str, name: str) -> str:
    found = re.search(rf'<form [^>]*data-form="{name}".*?</form>', page, re.S)
    assert found is not None, name
    return found.group(0)


async def test_the_forms_say_what_they_do(tmp_path: Path) -> None:
    async with running_console(tmp_path, SetClock(time.time())) as console, \
            console.client() as http:
        incident_id = await fail_twice(console)
        assert (await sign_in(http, console.base)).status == 303
        page = await get_text(http, f"{console.base}/incidents/{incident_id}")

        assert "<h3>确认接手</h3>" in form(page, "ack")
        note = form(page, "note")
        assert "<h3>添加备注</h3>" in note
        for prefix in ("直接原因：", "根本原因：", "整改：", "经验："):
            assert prefix in note  # what feeds the analysis report
        resolve = form(page, "resolve")
        assert "<h3>手动恢复</h3>" in resolve
        assert 'data-check-now="down"' in resolve
        assert "仍在失败" in resolve
        assert "状态码 503" in resolve  # the failure, from AlertRunner.still_failing
        assert "data-still-failing" in resolve
        assert 'data-form="cause-after"' not in page  # not resolved yet

        await recover(console.service, console)  # resolves by itself: no cause given
        page = await get_text(http, f"{console.base}/incidents/{incident_id}")
        cause_after = form(page, "cause-after")
        assert "<h3>补填故障原因</h3>" in cause_after
        assert 'name="section" value="direct_cause"' in cause_after
        token = await csrf_of(http, f"{console.base}/incidents/{incident_id}")
        reply = await post_form(http, f"{console.base}/incidents/{incident_id}/note", {
            "_csrf": token, "section": "direct_cause", "cause": "负载均衡节点宕机"})
        assert reply.status == 303, reply.text[:300]
        incident = await console.service.alerts.get(incident_id)
        notes = [e.note for e in incident.timeline if e.note]
        assert "直接原因：负载均衡节点宕机" in notes
        parts = [p for n in notes for p in split_note(n)]
        assert any(p.section == DIRECT_CAUSE and p.text == "负载均衡节点宕机" for p in parts)
        page = await get_text(http, f"{console.base}/incidents/{incident_id}")
        assert 'data-form="cause-after"' not in page  # the cause is known now


def result(ts: float, ok: bool, message: str = "状态码 503（期望 2xx）",
           check: str = "home") -> StoredResult:
    return StoredResult(ts, "kq-oa", check, "http", ok, None if ok else "status",
                        "" if ok else message, 0.012, None, None, None, None,
                        None if ok else 503, None, None)


def test_identical_failures_in_a_row_are_one_line() -> None:
    t0 = 1_764_000_000.0
    results = [result(t0 + 60 * i, False) for i in range(20)]  # 20 in a row
    results += [result(t0 + 60 * 20, True)]  # a pass ends the run
    results += [result(t0 + 60 * 21, False), result(t0 + 60 * 22, False, "连接超时")]
    results += [result(t0 + 60 * 5 + 1, False, check="api")]  # another check: its own line
    rows = failure_rows(results, {"home": "首页", "api": "接口"}, TZ, 10, {"home": 125.0})
    assert [(r.check_id, r.count, r.message) for r in rows] == [
        ("home", 1, "连接超时"), ("home", 1, "状态码 503（期望 2xx）"),
        ("home", 20, "状态码 503（期望 2xx）"), ("api", 1, "状态码 503（期望 2xx）")]
    run = rows[2]
    assert run.first_at == "11-25 00:00:00"
    assert run.at == "11-25 00:19:00"
    # Runs missing between two failures (more than the gap allows) end a run too.
    gapped = [result(t0, False), result(t0 + 60, False), result(t0 + 3600, False)]
    assert [r.count for r in failure_rows(gapped, {}, TZ, 10, {"home": 125.0})] == [1, 2]
