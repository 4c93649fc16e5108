"""Console app pages: the searchable list and one app's detail.

    GET /apps[?q=text]
    GET /apps/{id}[?range=day|week|month]

The detail reads everything from the ledger and the stores (never InfluxDB): check states,
hourly rollups for the charts, raw results of the hours that had failures (raw results are
kept raw_retention, 7 days by default), daily traffic, the app's incidents, and its listing
status and open rectification items (the listing store).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from aiohttp import web

from monitor.api.views import app_status, apps_view
from monitor.console.auth import require_read
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.pages.apps.charts import (
    HOUR_S,
    RANGES,
    availability_points,
    buckets,
    latency_points,
    overall,
    pct_text,
    traffic_view,
    windows,
)
from monitor.console.pages.apps.view import cert_days_left, check_row, failure_rows, listing_card
from monitor.console.pages.apps.words import WORDS
from monitor.console.pages.governance.view import today_in
from monitor.console.pages.incidents.view import incident_row
from monitor.console.render import page, translator
from monitor.console.svgcharts import (
    BLUE,
    EMPTY,
    FAIR,
    GOOD,
    LINE,
    POOR,
    Key,
    Words,
    availability_chart,
    value_chart,
)
from monitor.core.i18n import error_label
from monitor.governance.traffic.days import day_of, shift
from monitor.ledger.types import HourRollup, StoredResult

FAILURE_WINDOW_S: Final = 7 * 86400.0  # the page promises "the last 7 days"
MAX_FAILURES: Final = 20  # lines of failures shown (a run of identical ones is one line)
FAILURE_RUNS_READ: Final = 1000  # failed raw results read at most to find them
APP_INCIDENTS: Final = 20


async def list_page(request: web.Request) -> web.Response:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    query = request.query.get("q", "").strip()
    apps = apps_view(ctx.config, ctx.ledger.check_states())
    if query:
        needle = query.casefold()
        apps = [a for a in apps if any(needle in str(a[key]).casefold()
                                       for key in ("id", "name", "department", "category"))]
    active: dict[str, int] = {}
    for incident in ctx.alerts.active.values():
        active[incident.app_id] = active.get(incident.app_id, 0) + 1
    return page(request, "apps/apps.html", title=translator(ctx.lang, WORDS)("apps.title"),
                nav="apps", words=WORDS, apps=apps, query=query, active=active)


async def _recent_results(ctx: ConsoleContext, app_id: str,
                          rollups: Mapping[str, Sequence[HourRollup]],
                          start: float, end: float) -> list[StoredResult]:
    """The raw results (passes too: they end a run of failures) of the hours whose rollup
    counted failures, newest hour first, until FAILURE_RUNS_READ failures are found (older
    hours cannot hold newer ones)."""
    hours = sorted({(r.hour_start, check_id) for check_id, rows in rollups.items()
                    for r in rows if r.failures and r.hour_start + HOUR_S > start},
                   reverse=True)
    found: list[StoredResult] = []
    failed = 0
    for hour, check_id in hours:
        if failed >= FAILURE_RUNS_READ:
            break
        results = await ctx.ledger.raw_results(app_id, check_id, max(hour, start),
                                               min(hour + HOUR_S, end + 1), newest_first=True)
        found.extend(results)
        failed += sum(not r.ok for r in results)
    return found


def _not_found(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    return page(request, "apps/app.html", title=translator(ctx.lang, WORDS)("app.notfound"),
                nav="apps", words=WORDS, view=None, status=404)


async def detail_page(request: web.Request) -> web.Response:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    app = ctx.config.app(request.match_info["id"])
    if app is None:
        return _not_found(request)
    range_name = request.query.get("range", "day")
    range_name = range_name if range_name in RANGES else "day"
    now, tz, lang = ctx.now(), ctx.tz, ctx.lang
    t = translator(lang, WORDS)
    wins = windows(range_name, now, tz, lang)
    failures_from = now - min(FAILURE_WINDOW_S, ctx.config.service.raw_retention_s)
    read_from = min(wins[0].start, failures_from // HOUR_S * HOUR_S)
    states = ctx.ledger.check_states()
    rollups = {c.id: await ctx.ledger.hourly(app.id, c.id, read_from, wins[-1].end)
               for c in app.checks}
    chart = buckets(wins, (r for rows in rollups.values() for r in rows))
    runs, failed, pct = overall(chart)
    checks = [check_row(c, states.get((app.id, c.id)), tz, lang) for c in app.checks]
    failures = failure_rows(await _recent_results(ctx, app.id, rollups, failures_from, now),
                            {c.id: c.title for c in checks}, tz, MAX_FAILURES,
                            {c.id: 2 * c.interval_s + c.timeout_s for c in app.checks})
    today = day_of(now, tz)
    traffic = traffic_view(await ctx.traffic.daily(app.id, shift(today, -29), today), today, t)
    incidents = await ctx.store.list_incidents(None, limit=APP_INCIDENTS, app_id=app.id)
    listing = listing_card(app, await ctx.listing.store.statuses([app]),
                           await ctx.listing.store.items(open_only=True, app_id=app.id), tz,
                           today_in(now, tz))
    view: dict[str, Any] = {
        "app": app, "status": app_status([c.status for c in checks]), "checks": checks,
        "cert_days_left": cert_days_left(checks), "range": range_name, "ranges": RANGES,
        "overall": {"runs": runs, "failures": failed, "pct": pct_text(pct)},
        "availability_svg": availability_chart(availability_points(chart, t), Words(
            t("chart.availability"), "%", t("chart.no_data"), keys=(
                Key(t("legend.good"), GOOD), Key(t("legend.fair"), FAIR),
                Key(t("legend.down"), POOR), Key(t("legend.no_data"), EMPTY)))),
        "latency_svg": value_chart(latency_points(chart, t), Words(
            t("chart.latency"), "", t("chart.no_data"), keys=(
                Key(t("legend.p95"), BLUE), Key(t("legend.mean"), LINE, "line")))),
        "failures": failures, "error_label": lambda kind: error_label(lang, kind),
        "traffic": traffic,
        "traffic_svg": value_chart(traffic.points, Words(
            t("chart.traffic"), "", t("chart.no_data"), keys=(Key(t("legend.pv"), BLUE),)),
            "traffic"),
        "incidents": [incident_row(i, ctx.config, tz, lang) for i in incidents],
        "listing": listing,
    }
    return page(request, "apps/app.html", title=app.name, nav="apps", words=WORDS,
                view=view)


ROUTES: Final[list[web.RouteDef]] = [
    web.get("/apps", list_page),
    web.get("/apps/{id}", detail_page),
]
