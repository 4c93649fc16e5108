"""Page views and visitors from a JSON statistics endpoint.

The endpoint answers TODAY's totals so far (e.g. `{"data": {"pv": 1200, "uv": 310}}`); each
pull replaces today's `json` row with them (set, never add), so pulling twice is harmless and
the last pull of the day stands. With `day_path` the answer says which day its totals are for,
and a pull just after midnight that still reports yesterday's totals lands on yesterday.
Without it, the figures go to today in service.timezone, and whatever the app counted between
the last pull before midnight and midnight is not recorded (at most one interval's worth).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from monitor.core.config.traffic import JsonTraffic
from monitor.governance.traffic.days import check_day
from probes.errors import ProbeError
from probes.jsonpath import decode_json, describe, lookup


class StatsError(ValueError):
    """The answer is not JSON, or a configured path is missing or not a count."""


def read_stats(body: bytes, spec: JsonTraffic, today: str) -> tuple[str, int, int]:
    """(day, pv, uv) from the endpoint's answer."""
    try:
        document = decode_json(body)
        pv = lookup(document, spec.pv_path)
        uv = lookup(document, spec.uv_path)
        day_value = lookup(document, spec.day_path) if spec.day_path else today
    except ProbeError as exc:
        raise StatsError(exc.message) from None
    return _day(day_value, spec.day_path), _count(pv, spec.pv_path), _count(uv, spec.uv_path)


def _count(value: Any, path: str) -> int:
    """A non-negative whole number; numeric strings ("1200") are accepted, as some Java
    endpoints send longs as strings."""
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or number < 0 or number != int(number):
        raise StatsError(f"{path} is {describe(value)}, not a non-negative whole number")
    return int(number)


def _day(value: Any, path: str | None) -> str:
    """YYYY-MM-DD, or the date part of an ISO timestamp (taken as written, not converted)."""
    if isinstance(value, str):
        text = value.strip()[:10]
        try:
            return check_day(text)
        except ValueError:
            pass
        try:  # also 20261124
            return dt.datetime.strptime(value.strip(), "%Y%m%d").date().isoformat()
        except ValueError:
            pass
    raise StatsError(f"{path} is {describe(value)}, not a day (YYYY-MM-DD)")
