"""The traffic API: counts pushed by apps, and the daily figures read back.

    POST /api/v1/traffic   (bearer token)  body: one object or a list of them
        {"app_id": "kq-oa", "day": "2026-11-24", "pv": 1200, "uv": 310, "source": "push"}
      -> 200 {"accepted": 1, "days": [{"app_id", "day", "pv", "uv", "sources"}]}
    GET  /api/v1/traffic?app=kq-oa&from=2026-11-01&to=2026-11-30   (no token; app optional)
      -> 200 {"from", "to", "days": [...]}

A push REPLACES that app's figures for that day and source (pushing the same figures again
changes nothing), so an app pushes its running daily totals, as often as it likes. `source`
(default "push") lets several pushers coexist; the service's own source names are refused.
The whole body is checked before anything is written; a list is written in one transaction.
Errors: 400 naming the field (`"field": "[2].pv"` in a list), 401 without a valid token,
404 for an app not in the config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

import structlog
from aiohttp import web

from monitor.api.auth import ApiError, json_api, json_response, require_token
from monitor.api.jsonbody import read_json
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.governance.traffic.days import day_of, parse_day, shift
from monitor.governance.traffic.metrics import TrafficMetrics
from monitor.governance.traffic.publish import ConfigGetter, Publisher
from monitor.governance.traffic.store import CountsUpdate, DayTraffic, TrafficStore
from monitor.governance.traffic.types import PULL_SOURCES, PUSH, OnCounts

log = structlog.get_logger("api.traffic")

MAX_ITEMS: Final = 10_000  # one day of every app of a district, many times over
MAX_COUNT: Final = 10**12  # far above any real daily figure; catches unit mix-ups
MAX_RANGE_DAYS: Final = 3700  # ten years of one app per GET
DEFAULT_RANGE_DAYS: Final = 30
_SOURCE_RE: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_KEYS: Final = ("app_id", "day", "pv", "uv", "source")


@dataclass(frozen=True)
class TrafficApi:
    store: TrafficStore
    config: ConfigGetter
    publisher: Publisher
    clock: Clock


TRAFFIC_KEY: Final = web.AppKey("traffic", TrafficApi)


def install_traffic_routes(
    app: web.Application,
    store: TrafficStore,
    config_getter: ConfigGetter,
    *,
    metrics: TrafficMetrics | None = None,
    on_counts: OnCounts | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> None:
    """Add the traffic routes to `app` (before its runner is set up)."""
    publisher = Publisher(store, config_getter, metrics=metrics, on_counts=on_counts)
    app[TRAFFIC_KEY] = TrafficApi(store, config_getter, publisher, clock)
    app.router.add_post("/api/v1/traffic", push_traffic)
    app.router.add_get("/api/v1/traffic", read_traffic)


def _bad(message: str, field: str | None) -> ApiError:
    """400; `field` names the offending field ("[2].pv" in a list), None for the whole body."""
    return ApiError(400, "bad_request", message, field=field or None)  # "" = the body


@json_api
async def push_traffic(request: web.Request) -> web.Response:
    api = request.app[TRAFFIC_KEY]
    config = api.config()
    actor = require_token(request, config.service.api_tokens)
    body = await read_json(request)
    items, prefix = (body, True) if isinstance(body, list) else ([body], False)
    if not items:
        raise _bad("the list is empty", None)
    if len(items) > MAX_ITEMS:
        raise _bad(f"at most {MAX_ITEMS} items per request", None)
    latest = shift(day_of(api.clock.now(), ZoneInfo(config.service.timezone)), 1)
    updates: list[CountsUpdate] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, item in enumerate(items):
        where = f"[{i}]" if prefix else ""
        update = _item(item, where, latest)
        if config.app(update.app_id) is None:
            raise ApiError(404, "not_found", f"no app with id {update.app_id!r}",
                           field=f"{where}.app_id" if where else "app_id")
        key = (update.app_id, update.day, update.source)
        if key in seen:
            raise _bad(f"{where} repeats app_id, day and source of [{seen[key]}]", where)
        seen[key] = i
        updates.append(update)
    rows = await api.store.record(updates)
    await api.publisher.written(rows)
    days = await _totals(api.store, {(u.app_id, u.day) for u in updates})
    log.info("api_traffic_pushed", actor=actor, items=len(updates))
    return json_response({"accepted": len(updates), "days": [day_json(d) for d in days]})


@json_api
async def read_traffic(request: web.Request) -> web.Response:
    api = request.app[TRAFFIC_KEY]
    config = api.config()
    today = day_of(api.clock.now(), ZoneInfo(config.service.timezone))
    end = _query_day(request, "to", today)
    start = _query_day(request, "from", shift(end, 1 - DEFAULT_RANGE_DAYS))
    if start > end:
        raise _bad("from is after to", "from")
    if (parse_day(end) - parse_day(start)).days >= MAX_RANGE_DAYS:
        raise _bad(f"at most {MAX_RANGE_DAYS} days per request", "from")
    app_id = request.query.get("app")
    if app_id is not None:
        if config.app(app_id) is None:
            raise ApiError(404, "not_found", f"no app with id {app_id!r}", field="app")
        days = await api.store.daily(app_id, start, end)
    else:
        days = await api.store.daily_all(start, end)
    return json_response({"from": start, "to": end, "days": [day_json(d) for d in days]})


def day_json(day: DayTraffic) -> dict[str, Any]:
    return {"app_id": day.app_id, "day": day.day, "pv": day.pv, "uv": day.uv,
            "sources": list(day.sources)}


def _item(item: Any, where: str, latest: str) -> CountsUpdate:
    def name(key: str) -> str:
        return f"{where}.{key}" if where else key

    if not isinstance(item, dict):
        raise _bad(f"{where or 'the body'} must be a JSON object", where)
    for key in item:
        if key not in _KEYS:
            raise _bad(f"unknown field {key!r}; expected {', '.join(_KEYS)}", name(key))
    app_id = item.get("app_id")
    if not isinstance(app_id, str) or not app_id:
        raise _bad("app_id is required (a string)", name("app_id"))
    day = item.get("day")
    if not isinstance(day, str):
        raise _bad("day is required, as YYYY-MM-DD", name("day"))
    try:
        parse_day(day)
    except ValueError as exc:
        raise _bad(str(exc), name("day")) from None
    if day > latest:
        raise _bad(f"day {day} is in the future", name("day"))
    counts = [_count(item.get(key), name(key)) for key in ("pv", "uv")]
    source = item.get("source", PUSH)
    if not isinstance(source, str) or not _SOURCE_RE.match(source):
        raise _bad("source must match [a-z0-9][a-z0-9_-]*", name("source"))
    if source in PULL_SOURCES:
        raise _bad(f"source {source!r} is the service's own; push under another name",
                   name("source"))
    return CountsUpdate(app_id, day, source, counts[0], counts[1])


def _count(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise _bad(f"{field.rsplit('.', 1)[-1]} is required, a whole number from 0 to "
                   f"{MAX_COUNT}", field)
    return value


def _query_day(request: web.Request, key: str, default: str) -> str:
    text = request.query.get(key)
    if text is None:
        return default
    try:
        parse_day(text)
    except ValueError as exc:
        raise _bad(f"{key}: {exc}", key) from None
    return text


async def _totals(store: TrafficStore, keys: set[tuple[str, str]]) -> list[DayTraffic]:
    found: list[DayTraffic] = []
    for app_id, day in sorted(keys):
        found += await store.daily(app_id, day, day)
    return found
