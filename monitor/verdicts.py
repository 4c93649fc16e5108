"""From a probe run to what the incident engine judges: the one crossing from probes to alerting.

A run the monitor could not judge (`unknown`) gives nothing: it never opens, confirms, resolves
or resets an incident (DESIGN.md rule 14).
"""

from __future__ import annotations

import dataclasses

from alerting.engine import Observation
from monitor.core.i18n import error_label
from monitor.core.reasons import render
from probes.base import ProbeResult

SECONDS_PER_DAY = 86400.0


def observation_of(result: ProbeResult, language: str) -> Observation | None:
    if result.unknown:
        return None
    days = result.cert_days_left
    return Observation(
        ok=result.ok, at=result.started_at, summary=failure_line(result, language),
        address=result.details.get("ip"), warning=result.warning,
        expires_at=None if days is None else result.started_at + days * SECONDS_PER_DAY,
    )


def failure_line(result: ProbeResult, language: str) -> str:
    """What failed (or warns), in one line for people; empty for a clean pass."""
    if result.ok and not result.warning:
        return ""
    return describe(result, language)


def describe(result: ProbeResult, language: str) -> str:
    """The result's reason in `language` (the catalog); without one, its kind's name and the
    probe's own words."""
    if result.reason is not None:
        return render(result.reason, language)
    label = error_label(language, result.error_kind)
    return f"{label}: {result.message}" if label else result.message


def localized(result: ProbeResult, language: str) -> ProbeResult:
    """The result with its message in `language`, as the ledger, the wall, the reports and the
    notifications show it."""
    if result.reason is None:
        return result
    return dataclasses.replace(result, message=render(result.reason, language))
