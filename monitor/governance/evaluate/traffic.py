"""The traffic dimension: visitors during the trial, where some source knows them.

Traffic is invisible from outside an app (DOMAIN.md), so the figures come from a
`TrafficSource` the caller passes in; without one, or when it has nothing, the dimension is
"unknown" and left out of the score. The threshold is the low-frequency rule's monthly one,
max(10, 5% of the declared target users), applied to the trial's unique visitors. A quiet
trial is a warning, not a block: apps are often piloted with a handful of users before listing.
"""

from __future__ import annotations

import math
from typing import Final

from monitor.governance.evaluate.model import (
    FAIL,
    PASS,
    UNKNOWN,
    WARN,
    CheckOutcome,
    TrafficFigures,
)
from monitor.governance.evaluate.texts import t

MIN_VISITORS: Final = 10  # DOMAIN.md low-frequency rule: max(10, 5% of target users)
TARGET_SHARE: Final = 0.05


def visitor_threshold(target_users: int | None) -> int:
    return max(MIN_VISITORS, math.ceil(TARGET_SHARE * (target_users or 0)))


def traffic_items(
    figures: TrafficFigures | None, target_users: int | None, lang: str
) -> list[CheckOutcome]:
    if figures is None or figures.unique_visitors is None:
        return [CheckOutcome("traffic_visitors", UNKNOWN, t(lang, "traffic.unknown"))]
    visitors = figures.unique_visitors
    threshold = visitor_threshold(target_users)
    data = {"unique_visitors": visitors, "visits": figures.visits, "threshold": threshold}
    if visitors == 0:
        return [CheckOutcome("traffic_visitors", FAIL, t(lang, "traffic.zero"), data=data)]
    if visitors < threshold:
        detail = t(lang, "traffic.low", visitors=visitors, threshold=threshold)
        return [CheckOutcome("traffic_visitors", WARN, detail, data=data)]
    detail = t(lang, "traffic.ok", visitors=visitors, threshold=threshold)
    return [CheckOutcome("traffic_visitors", PASS, detail, data=data)]
