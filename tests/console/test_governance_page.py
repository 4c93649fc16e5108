"""The console's governance page over real HTTP against a real Service: listing statuses with
their counts, filter and technical check, rectification items (open, overdue with the clock
past the deadline, closed with ?items=all), and the progress form with sign-in and CSRF;
results are read back from the listing store."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

from monitor.api.incidents import MAX_NOTE_CHARS
from monitor.governance.evaluate.model import Evaluation, Verdict
from monitor.governance.listing.lifecycle import change_status
from monitor.governance.listing.model import BY_AUDIT, DONE, OPEN, ProgressNote, RectItem, Status
from monitor.service import Service
from tests.api.conftest import SetClock
from tests.console.signin_support import (
    USER,
    Console,
    csrf_of,
    get_text,
    post_form,
    running_console,
    sign_in,
)
from tests.support.clocks import T0

DAY_S = 86400.0
OPEN_ID = "ZG-20251125-kq-oa"
DONE_ID = "ZG-20251001-kq-jczz"
BASIS = "近 90 天日均访问 0.2 人次，低于目标用户数的 1%"
ACTION = "开展推广培训，或申请下架"


def evaluation(app_id: str, verdict: Verdict, score: int) -> Evaluation:
    return Evaluation(target=app_id, evaluated_at="2025-11-24T10:00:00+08:00", lang="zh-CN",
                      verdict=verdict, score=score, dimensions=(), reasons=(), notes=(),
                      app_id=app_id)


async def change(service: Service, app_id: str, to: Status, by: str,
                 checked: Evaluation | None, note: str = "") -> None:
    store = service.listing.store
    app = service.config.app(app_id)
    assert app is not None
    current = (await store.statuses([app]))[app_id]
    await change_status(store, app, current, to, evaluation=checked, report=None, by=by,
                        note=note, now=service.clock.now())


async def seed(service: Service) -> None:
    """kq-oa: trial (check skipped), then listed (pass 92), with one open item due
    2025-12-10; kq-jczz: on trial (conditional 72), with one item the audit closed."""
    await change(service, "kq-oa", "trial", "李四", None)
    await change(service, "kq-oa", "listed", "张三", evaluation("kq-oa", "pass", 92), "验收通过")
    await change(service, "kq-jczz", "trial", "王五", evaluation("kq-jczz", "conditional", 72))
    opened = RectItem(
        id=OPEN_ID, app_id="kq-oa", app_name="柯桥区协同办公",
        classes=("zombie", "low_frequency"), basis=(BASIS, "近 90 天无新增用户"),
        actions=(ACTION,), opened_at=T0, deadline=dt.date(2025, 12, 10),
        notes=(ProgressNote(T0, BY_AUDIT, "", "opened"),))
    closed = RectItem(
        id=DONE_ID, app_id="kq-jczz", app_name="基层智治", classes=("low_availability",),
        basis=("上月可用率 97.1%",), actions=("排查故障",), opened_at=T0 - 55 * DAY_S,
        deadline=dt.date(2025, 10, 16)).closed(T0 - 5 * DAY_S, BY_AUDIT)
    await service.listing.store.save_items([opened, closed])


def items_on(page: str) -> list[str]:
    return re.findall(r'data-item="([^"]+)"', page)


def apps_on(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-app="([^"]+)" data-status="([^"]+)">', page)


def count_of(page: str, status: str) -> int:
    found = re.search(rf'data-count="{status}">\s*<strong>(\d+)</strong>', page)
    assert found, status
    return int(found[1])


async def test_statuses_counts_filter_and_checks(console: Console,
                                                 http: aiohttp.ClientSession) -> None:
    await seed(console.service)
    url = f"{console.base}/governance"
    page = await get_text(http, url)
    assert "<h1>应用清单治理</h1>" in page
    assert 'href="/governance" class="on"' in page  # the nav tab
    assert [count_of(page, s) for s in ("all", "trial", "listed", "delisted")] == [2, 1, 1, 0]
    assert apps_on(page) == [("kq-oa", "listed"), ("kq-jczz", "trial")]
    assert 'data-verdict="pass"' in page
    assert 'data-score="92"' in page
    assert 'data-verdict="conditional"' in page
    assert "条件通过" in page
    assert "72 分" in page
    assert "王五 操作" in page
    assert "验收通过" in page
    assert "2025-11-25 00:00" in page  # since when, local time
    assert 'data-open-items="1"' in page  # kq-oa's open item

    trial = await get_text(http, f"{url}?status=trial")
    assert apps_on(trial) == [("kq-jczz", "trial")]
    assert count_of(trial, "listed") == 1  # the counts stay whole
    assert 'class="count listing-trial on"' in trial
    assert apps_on(await get_text(http, f"{url}?status=delisted")) == []
    # A bad filter is named and ignored, not a crash.
    bad = await get_text(http, f"{url}?status=archived", status=400)
    assert "未知的上架状态" in bad
    assert len(apps_on(bad)) == 2


async def test_items_open_by_default_all_on_request_and_overdue_past_the_deadline(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    await seed(console.service)
    url = f"{console.base}/governance"
    page = await get_text(http, url)
    assert items_on(page) == [OPEN_ID]
    assert 'data-state="open"' in page
    assert "僵尸应用" in page
    assert "低频应用" in page
    assert BASIS in page
    assert ACTION in page
    assert 'data-due="2025-12-10"' in page
    assert "剩余 15 天" in page  # from 2025-11-25
    assert 'href="/apps/kq-oa" class="item-app"' in page
    assert "发起整改" in page
    assert "清单治理复核" in page  # who opened it
    assert "进行中 (1)" in page
    # Not signed in: no form, an offer to sign in that comes back here.
    assert "data-form=" not in page
    assert 'href="/login?next=/governance" data-signin-action' in page

    everything = await get_text(http, f"{url}?items=all")
    assert items_on(everything) == [OPEN_ID, DONE_ID]  # open first
    assert 'data-state="done"' in everything
    assert "低可用应用" in everything
    assert 'data-closed-by="audit"' in everything
    assert 'class="on" data-toggle="all"' in everything

    clock.advance(17 * DAY_S)  # 2025-12-12: two days past the deadline
    late = await get_text(http, url)
    assert 'data-item="ZG-20251125-kq-oa" data-state="overdue"' in late
    assert 'data-overdue="2"' in late
    assert "已逾期 2 天" in late


async def test_a_progress_post_without_a_session_goes_to_sign_in(
        console: Console, http: aiohttp.ClientSession) -> None:
    await seed(console.service)
    reply = await post_form(http, f"{console.base}/governance/items/{OPEN_ID}/progress",
                            {"note": "x"}, headers={"Referer": f"{console.base}/governance"})
    assert reply.status == 303
    location = urlsplit(reply.headers["Location"])
    assert (location.path, parse_qs(location.query)["next"]) == ("/login", ["/governance"])
    item = await console.service.listing.store.item(OPEN_ID)
    assert item is not None
    assert len(item.notes) == 1


async def test_a_wrong_or_missing_csrf_token_is_refused(
        console: Console, http: aiohttp.ClientSession) -> None:
    await seed(console.service)
    await sign_in(http, console.base)
    for data in ({"note": "x", "done": "1"}, {"note": "x", "done": "1", "_csrf": "forged"}):
        reply = await post_form(http, f"{console.base}/governance/items/{OPEN_ID}/progress",
                                data)
        assert reply.status == 403
    item = await console.service.listing.store.item(OPEN_ID)
    assert item is not None
    assert (item.state, len(item.notes)) == (OPEN, 1)


async def test_signed_in_progress_notes_then_closes_the_item(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    await seed(console.service)
    store = console.service.listing.store
    await sign_in(http, console.base)
    url = f"{console.base}/governance"
    page = await get_text(http, url)
    assert 'data-form="progress"' in page
    assert f"操作人：{USER}" in page
    token = await csrf_of(http, url)
    action = f"{url}/items/{OPEN_ID}/progress"

    clock.advance(600)  # within the session's hour
    reply = await post_form(http, action, {"_csrf": token, "note": "已联系开发商，本周推广"})
    assert (reply.status, reply.headers["Location"]) == (303, f"/governance?done={OPEN_ID}")
    item = await store.item(OPEN_ID)
    assert item is not None
    assert item.state == OPEN
    assert item.notes[-1] == ProgressNote(T0 + 600, USER, "已联系开发商，本周推广", "note")
    page = await get_text(http, f"{url}?done={OPEN_ID}")
    assert f'data-done="{OPEN_ID}"' in page
    assert f"整改项 {OPEN_ID} 的进展已记录" in page
    assert "已联系开发商，本周推广" in page
    assert "2025-11-25 00:10" in page

    # Refused fields change nothing and keep what was typed.
    reply = await post_form(http, action, {"_csrf": token, "note": "  ", "done": "1"})
    assert (reply.status, "请填写整改进展" in reply.text) == (400, True)
    long_note = "长" * (MAX_NOTE_CHARS + 1)
    reply = await post_form(http, action, {"_csrf": token, "note": long_note})
    assert reply.status == 400
    assert f"内容过长（最多 {MAX_NOTE_CHARS} 字）" in reply.text
    assert long_note in reply.text
    assert len((await store.item(OPEN_ID) or item).notes) == 2

    reply = await post_form(http, action, {"_csrf": token, "note": "访问量已恢复", "done": "on"})
    assert (reply.status, reply.headers["Location"]) == (303, f"/governance?done={OPEN_ID}")
    closed = await store.item(OPEN_ID)
    assert closed is not None
    assert (closed.state, closed.closed_by, closed.closed_at) == (DONE, USER, T0 + 600)
    assert closed.notes[-1] == ProgressNote(T0 + 600, USER, "访问量已恢复", "closed")
    page = await get_text(http, f"{url}?done={OPEN_ID}")
    assert f"整改项 {OPEN_ID} 已关闭" in page
    assert items_on(page) == []
    assert "当前没有进行中的整改项" in page
    assert count_of(page, "listed") == 1

    # Closed: another note is a 409 with a message; an unknown item a 404.
    reply = await post_form(http, action, {"_csrf": token, "note": "再补充"})
    assert (reply.status, f"整改项 {OPEN_ID} 已关闭，不能再记录进展" in reply.text) == (409, True)
    assert len((await store.item(OPEN_ID) or closed).notes) == len(closed.notes)
    reply = await post_form(http, f"{url}/items/ZG-none/progress", {"_csrf": token, "note": "x"})
    assert (reply.status, "未找到整改项 ZG-none" in reply.text) == (404, True)


async def test_the_page_speaks_english_when_configured(tmp_path: Path,
                                                       clock: SetClock) -> None:
    async with running_console(tmp_path, clock, language="en") as console:
        await seed(console.service)
        async with console.client() as http:
            page = await get_text(http, f"{console.base}/governance?items=all")
    assert "<h1>App inventory governance</h1>" in page
    assert ">Governance</a>" in page
    for words in ("trial", "listed", "conditional", "score 72", "zombie", "days left",
                  "the inventory audit", "Rectification items"):
        assert words in page, words


async def test_reading_needs_a_sign_in_when_closed(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, open_read=False) as console, \
            console.client() as http, \
            http.get(f"{console.base}/governance", allow_redirects=False) as resp:
        assert resp.status == 302
        location = urlsplit(resp.headers["Location"])
    assert (location.path, parse_qs(location.query)["next"]) == ("/login", ["/governance"])
