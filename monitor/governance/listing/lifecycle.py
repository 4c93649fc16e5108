"""Changing an app's listing status, and progress on its rectification items.

    change = await change_status(store, app, current, "listed", evaluation=ev, by="张三",
                                 note="", now=now)

Every change carries the technical check's result (the pre-listing evaluation, run by the
caller just before): its verdict, score, reasons and the whole report. Listing an app whose
evaluation failed is refused unless forced (the reasons say why); a trial or delisting is
never refused, the result is only recorded. Leaving the workbench closes the app's open
rectification items: a delisted app is no longer in the quarterly notice.
"""

from __future__ import annotations

from typing import Any

from monitor.core.catalog import EN, pick
from monitor.core.catalog.listing import WORDS
from monitor.core.config.model import AppConfig
from monitor.governance.evaluate.model import Evaluation
from monitor.governance.listing.model import (
    BY_DELISTING,
    LISTED,
    OPEN,
    AppStatus,
    ProgressNote,
    RectItem,
    Status,
    StatusChange,
)
from monitor.governance.listing.store import ListingStore


class ListingError(ValueError):
    """A change or note that cannot be made: a catalog code and its values; `text(lang)` says
    why in the reader's language, str() in English (logs)."""

    def __init__(self, code: str, **values: str) -> None:
        self.code, self.values = code, values
        super().__init__(self.text(EN))

    def text(self, lang: str) -> str:
        values = dict(self.values)
        if "status" in values:  # a status code: its word (已上架 / listed)
            values["status"] = pick(WORDS, lang, f"status.{values['status']}")
        return pick(WORDS, lang, f"error.{self.code}", **values)


class ListingRefusedError(ListingError):
    """Listing refused: the evaluation failed. `reasons` are its failing items."""

    def __init__(self, app_id: str, reasons: tuple[str, ...]) -> None:
        super().__init__("refused", app=app_id)
        self.reasons = reasons


async def change_status(
    store: ListingStore, app: AppConfig, current: AppStatus, to: Status, *,
    evaluation: Evaluation | None, report: dict[str, Any] | None, by: str, note: str,
    now: float, force: bool = False,
) -> StatusChange:
    if to == current.status:
        raise ListingError("same_status", app=app.id, status=to)
    if (to == LISTED and evaluation is not None and evaluation.verdict == "fail"
            and not force):
        raise ListingRefusedError(app.id, evaluation.reasons)
    change = StatusChange(
        app_id=app.id, status=to, previous=current.status, at=now, by=by, note=note,
        verdict=evaluation.verdict if evaluation else None,
        score=evaluation.score if evaluation else None,
        reasons=evaluation.reasons if evaluation else (), evaluation=report)
    stored = await store.add_change(change)
    if to != LISTED:
        withdrawn = [item.closed(now, BY_DELISTING)
                     for item in await store.items(open_only=True, app_id=app.id)]
        await store.save_items(withdrawn)
    return stored


async def add_progress(store: ListingStore, item_id: str, *, by: str, note: str, done: bool,
                       now: float) -> RectItem:
    """A progress note on an item; `done` also closes it (closed by that person)."""
    item = await store.item(item_id)
    if item is None:
        raise ListingError("no_item", item=item_id)
    if item.state != OPEN:
        raise ListingError("item_closed", item=item_id)
    if done:
        updated = item.closed(now, by, note)
    else:
        updated = item.noted(ProgressNote(now, by, note, "note"))
    await store.save_items([updated])
    return updated
