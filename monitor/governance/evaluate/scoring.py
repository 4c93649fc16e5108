"""Scores and the verdict, from the judged items. Pure functions.

Item points: pass 100, warn 60, fail 0; "unknown" items are left out. Blocking items weigh 2,
the others 1. A dimension's score is the weighted mean of its items (None if none could be
judged), its status the worst of its items. The overall score weighs the dimensions security
40, availability 30, performance 20, traffic 10, leaving out those without a score and
rescaling the rest; a failing evaluation is capped at 59 so it never reads as a pass mark.

Verdict:
- fail: a blocking item failed (HTTPS redirect, TLS version, old TLS versions, certificate,
  high-risk ports, availability, p95 latency);
- conditional (条件通过): otherwise, any warning or any other failed item (missing security
  headers, a leaked version, no visitors): list after fixing;
- pass: every judged item passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from monitor.governance.evaluate.model import (
    AVAILABILITY,
    FAIL,
    PASS,
    PERFORMANCE,
    SECURITY,
    TRAFFIC,
    UNKNOWN,
    WARN,
    CheckOutcome,
    Dimension,
    Status,
    Verdict,
)
from monitor.governance.evaluate.texts import t

POINTS: Final[Mapping[str, int]] = {PASS: 100, WARN: 60, FAIL: 0}
BLOCKING_WEIGHT: Final = 2
DIMENSION_WEIGHTS: Final[Mapping[str, int]] = {
    SECURITY: 40, AVAILABILITY: 30, PERFORMANCE: 20, TRAFFIC: 10,
}
FAIL_SCORE_CAP: Final = 59
_SEVERITY: Final[Mapping[str, int]] = {PASS: 0, WARN: 1, FAIL: 2}


def dimension(name: str, checks: Iterable[CheckOutcome], source: str = "") -> Dimension:
    items = tuple(checks)
    judged = [c for c in items if c.status != UNKNOWN]
    if not judged:
        return Dimension(name, items, None, UNKNOWN, source)
    weights = [BLOCKING_WEIGHT if c.blocking else 1 for c in judged]
    points = sum(POINTS[c.status] * w for c, w in zip(judged, weights, strict=True))
    worst: Status = max((c.status for c in judged), key=lambda s: _SEVERITY[s])
    return Dimension(name, items, round(points / sum(weights)), worst, source)


def verdict(dimensions: Iterable[Dimension]) -> Verdict:
    items = [c for d in dimensions for c in d.checks]
    if any(c.blocking and c.status == FAIL for c in items):
        return "fail"
    if any(c.status in (WARN, FAIL) for c in items):
        return "conditional"
    return "pass"


def overall_score(dimensions: Iterable[Dimension], outcome: Verdict) -> int | None:
    scored = [(d.score, DIMENSION_WEIGHTS.get(d.name, 0)) for d in dimensions
              if d.score is not None]
    total_weight = sum(w for _, w in scored)
    if not total_weight:
        return None
    score = round(sum(s * w for s, w in scored) / total_weight)
    return min(score, FAIL_SCORE_CAP) if outcome == "fail" else score


def reasons(dimensions: Iterable[Dimension], lang: str) -> tuple[str, ...]:
    """Every failed item, blocking ones first, then every warning: one line each."""
    lines: list[tuple[int, str]] = []
    for dim in dimensions:
        for c in dim.checks:
            if c.status not in (WARN, FAIL):
                continue
            rank = 0 if c.status == FAIL and c.blocking else 1 if c.status == FAIL else 2
            line = t(lang, "reason", dimension=t(lang, f"dim.{dim.name}"),
                     title=t(lang, f"title.{c.id}"), detail=c.detail)
            lines.append((rank, line))
    return tuple(line for _, line in sorted(lines, key=lambda pair: pair[0]))


def notes(dimensions: Iterable[Dimension], lang: str) -> tuple[str, ...]:
    """What could not be judged, and why: one line per unknown item."""
    lines: list[str] = []
    for dim in dimensions:
        for c in dim.checks:
            if c.status == UNKNOWN:
                lines.append(t(lang, "reason", dimension=t(lang, f"dim.{dim.name}"),
                               title=t(lang, f"title.{c.id}"), detail=c.detail))
    return tuple(lines)
