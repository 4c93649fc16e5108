"""Correlated outages (大面积故障) on the console's incident pages, over real HTTP against a
real Service: the parent lists its family with links, a child names its parent, the list marks
both, and the timeline names the `correlated` and `joined` entries in words."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from alerting.model import (
    ChildRef,
    Entry,
    Incident,
    IncidentKind,
    IncidentState,
    Severity,
    TimelineEntry,
)
from alerting.store import Changes
from tests.api.conftest import SetClock
from tests.console.signin_support import Console, get_text, running_console

PARENT = "20251125100000-correlated"
OA = "20251125095800-kq-oa-home"
JC = "20251125095900-kq-jczz-home"
GONE = "20251125095930-gone-home"  # its record was never stored: shown without a state
EVIL = "<b>旧系统</b>"  # an app name is data: escaped wherever it is shown


def _child(ident: str, app_id: str, app_name: str, at: float, *,
           state: IncidentState = IncidentState.OPEN) -> Incident:
    return Incident(
        id=ident, app_id=app_id, app_name=app_name, check_id="home",
        severity=Severity.CRITICAL, state=state, summary=f"{app_id}: HTTP 503", started_at=at,
        opened_at=at + 60, resolved_at=at + 600 if state is IncidentState.RESOLVED else None,
        check_kind="http", parent_id=PARENT,
        timeline=(TimelineEntry(at, Entry.FIRST_FAILURE), TimelineEntry(at + 60, Entry.OPENED),
                  TimelineEntry(at + 120, Entry.CORRELATED, note=PARENT)))


def _family(at: float) -> list[Incident]:
    oa = _child(OA, "kq-oa", "柯桥区协同办公", at)
    jc = _child(JC, "kq-jczz", "基层智治", at + 30, state=IncidentState.RESOLVED)
    refs = (ChildRef(OA, "kq-oa", "柯桥区协同办公", "home", oa.summary, oa.started_at,
                     check_name="首页", check_kind="http"),
            ChildRef(JC, "kq-jczz", "基层智治", "home", jc.summary, jc.started_at,
                     check_kind="http"),
            ChildRef(GONE, "gone", EVIL, "home", "<i>down</i>", at + 40, check_kind="tcp"))
    parent = Incident(
        id=PARENT, app_id="_correlated", app_name="_correlated", check_id="correlated",
        severity=Severity.CRITICAL, state=IncidentState.OPEN, summary="3 个应用同时故障",
        started_at=at, opened_at=at + 120, kind=IncidentKind.CORRELATED, children=refs,
        timeline=(TimelineEntry(at + 120, Entry.OPENED),
                  TimelineEntry(at + 180, Entry.JOINED, note="1")))
    return [oa, jc, parent]


async def _store(console: Console, clock: SetClock) -> None:
    await console.service.alert_store.apply(Changes(incidents=_family(clock.now() - 600)))


async def test_parent_page_lists_its_family_with_links(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    await _store(console, clock)
    page = await get_text(http, f"{console.base}/incidents/{PARENT}")
    assert 'data-kind="correlated"' in page
    assert "大面积故障" in page
    assert "3 个应用" in page
    children = re.findall(r'<tr data-child="([^"]+)">', page)
    assert children == [OA, JC, GONE]  # in the parent's order
    for child in children:
        assert f'href="/incidents/{child}" data-child-link' in page
    assert 'data-child-state="open"' in page
    assert 'data-child-state="resolved"' in page
    assert 'data-child-state=""' in page  # the record that could not be read
    assert "首页" in page  # the check's configured name
    assert "网页" in page  # a check without a name: its kind's name
    # Data is escaped, never markup.
    assert EVIL not in page
    assert "&lt;b&gt;旧系统&lt;/b&gt;" in page
    assert "&lt;i&gt;down&lt;/i&gt;" in page
    # No app of its own, no SLA clocks of its own.
    assert "/apps/_correlated" not in page
    assert "data-deadline" not in page
    assert "data-no-sla" in page
    # The timeline names the entries in words.
    assert 'data-entry="joined"' in page
    assert "更多应用并入" in page
    assert "新增 1 个应用" in page


async def test_child_page_names_its_parent(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    await _store(console, clock)
    page = await get_text(http, f"{console.base}/incidents/{OA}")
    assert "属于大面积故障" in page
    assert f'<a href="/incidents/{PARENT}" data-parent-link>3 个应用同时故障</a>' in page
    assert 'data-entry="correlated"' in page
    assert "并入大面积故障" in page
    assert f'<a href="/incidents/{PARENT}" data-entry-link>{PARENT}</a>' in page
    assert 'href="/apps/kq-oa"' in page  # a child is an ordinary app incident
    assert "data-child=" not in page


async def test_list_marks_parent_and_children(
        console: Console, clock: SetClock, http: aiohttp.ClientSession) -> None:
    await _store(console, clock)
    page = await get_text(http, f"{console.base}/incidents")
    rows = dict(re.findall(r'<tr data-incident="([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == {PARENT, OA, JC}
    assert 'data-kind="correlated"' in rows[PARENT]
    assert 'data-children="3"' in rows[PARENT]
    assert "3 个应用" in rows[PARENT]
    for child in (OA, JC):
        assert f'href="/incidents/{PARENT}"' in rows[child]
        assert f'data-parent="{PARENT}"' in rows[child]
    assert "data-parent=" not in rows[PARENT]
    filtered = await get_text(http, f"{console.base}/incidents?kind=correlated")
    assert re.findall(r'<tr data-incident="([^"]+)">', filtered) == [PARENT]
    assert '<option value="correlated" selected>大面积故障</option>' in filtered


async def test_family_in_english(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, language="en") as console, \
            console.client() as http:
        await _store(console, clock)
        parent = await get_text(http, f"{console.base}/incidents/{PARENT}")
        assert "Correlated outage" in parent
        assert "3 apps" in parent
        assert "More apps joined" in parent
        child = await get_text(http, f"{console.base}/incidents/{OA}")
        assert "Part of a correlated outage" in child
        assert "Joined a correlated outage" in child
