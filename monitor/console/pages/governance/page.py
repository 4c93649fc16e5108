"""Console governance page: every app's listing status, and the rectification items (整改项)
with a form to record progress or close one.

    GET  /governance[?status=trial|listed|delisted][&items=all][&done=<item id>]
    POST /governance/items/{id}/progress     (signed in, CSRF token in `_csrf`)
         note (required, at most MAX_NOTE_CHARS), done (checkbox: also closes the item)

A progress note that worked redirects (303) to /governance?done=<id>, so a reload never posts
twice; one that cannot apply (empty, too long, unknown or closed item) shows the page again
with the message (400, 404, 409) and what was typed, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import structlog
from aiohttp import web

from monitor.api.incidents import MAX_NOTE_CHARS
from monitor.console.auth import require_action, require_read
from monitor.console.context import CONSOLE_KEY, ConsoleContext
from monitor.console.pages.governance.view import (
    Filters,
    item_rows,
    open_counts,
    parse_filters,
    status_counts,
    status_rows,
    today_in,
)
from monitor.console.pages.governance.words import WORDS
from monitor.console.render import page, translator
from monitor.governance.listing.lifecycle import ListingError, add_progress
from monitor.governance.listing.model import DONE, OPEN, STATUSES

log = structlog.get_logger("console.governance")

# Items shown at most: they pile up quarter after quarter with ?items=all; open ones come
# first, so past this only old closed items are left out.
ITEM_LIMIT: Final = 500
_CHECKED: Final = ("1", "on", "true", "yes")


@dataclass(frozen=True, slots=True)
class Typed:
    """What was typed into one item's form, kept when the form is refused."""

    item: str = ""
    note: str = ""
    done: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # a word key
    item: str  # the item it is about


def _t(ctx: ConsoleContext) -> Any:
    return translator(ctx.lang, WORDS)


async def _done_message(ctx: ConsoleContext, item_id: str) -> Message | None:
    """After a redirect: what was done, if `done` names an item that exists."""
    item = await ctx.listing.store.item(item_id) if item_id else None
    if item is None:
        return None
    return Message("done.closed" if item.state == DONE else "done.note", item.id)


async def _render(request: web.Request, filters: Filters, *, errors: list[str] | None = None,
                  status: int = 200, notice: Message | None = None,
                  error: Message | None = None, typed: Typed | None = None) -> web.Response:
    ctx = request.app[CONSOLE_KEY]
    store = ctx.listing.store
    apps = ctx.config.apps
    items = await store.items(open_only=not filters.all_items)
    opened = open_counts(items)  # per app; closed items (with ?items=all) are not counted
    rows = status_rows(apps, await store.statuses(apps), opened, ctx.tz)
    shown = [r for r in rows if not filters.status or r.status == filters.status]
    item_list = item_rows(items, ctx.tz, today_in(ctx.now(), ctx.tz))
    return page(request, "governance/governance.html", title=_t(ctx)("gov.title"),
                nav="governance", words=WORDS, filters=filters, errors=errors or [],
                counts=status_counts(rows), total=len(rows), statuses=STATUSES, rows=shown,
                items=item_list[:ITEM_LIMIT], capped=len(item_list) > ITEM_LIMIT,
                limit=ITEM_LIMIT, open_total=sum(opened.values()), notice=notice,
                error=error, typed=typed or Typed(), max_chars=MAX_NOTE_CHARS, status=status)


async def governance_page(request: web.Request) -> web.Response:
    require_read(request)
    ctx = request.app[CONSOLE_KEY]
    filters, errors = parse_filters(request.query)
    notice = await _done_message(ctx, request.query.get("done", "").strip())
    return await _render(request, filters, errors=errors, status=400 if errors else 200,
                         notice=notice)


def _text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


async def _refused(request: web.Request, item_id: str) -> web.Response:
    """The item is unknown (404) or closed (409): say so on the page."""
    item = await request.app[CONSOLE_KEY].listing.store.item(item_id)
    if item is None:
        return await _render(request, Filters(), status=404,
                             error=Message("error.unknown_item", item_id))
    return await _render(request, Filters(), status=409,
                         error=Message("error.closed_item", item_id))


async def progress(request: web.Request) -> web.Response:
    """The progress form: check sign-in and CSRF first, then the item, then the fields."""
    session, form = await require_action(request)
    ctx = request.app[CONSOLE_KEY]
    item_id = request.match_info["id"]
    note, done = _text(form, "note"), _text(form, "done").lower() in _CHECKED
    item = await ctx.listing.store.item(item_id)
    if item is None or item.state != OPEN:
        return await _refused(request, item_id)
    typed = Typed(item_id, note, done)
    if len(note) > MAX_NOTE_CHARS or not note:
        key = "error.too_long" if note else "error.note_required"
        return await _render(request, Filters(), status=400, error=Message(key, item_id),
                             typed=typed)
    try:
        await add_progress(ctx.listing.store, item_id, by=session.user, note=note, done=done,
                           now=ctx.now())
    except ListingError:  # closed (by the audit, say) between our read and the note
        return await _refused(request, item_id)
    log.info("console_rectification_progress", item=item_id, done=done, actor=session.actor,
             by=session.user)
    raise web.HTTPSeeOther(f"/governance?done={quote(item_id, safe='')}")


ROUTES: Final[list[web.RouteDef]] = [
    web.get("/governance", governance_page),
    web.post("/governance/items/{id}/progress", progress),
]
