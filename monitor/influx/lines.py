"""The series schema, as InfluxDB line protocol. Dashboards (dashboards/*.json) query exactly
these measurements, tags and fields; change them together.

Measurements (timestamps in milliseconds):

`probe` — one point per probe run, at the run's start.
    tags:   app, app_name, check, kind, department, category, tier, error_kind (failures only),
            maintenance ("1" in an hour the monthly report leaves out; absent otherwise)
    fields: up (int 0/1; absent for an unknown run, which has unknown=1), latency_s, dns_s,
            connect_s, tls_s, first_byte_s (floats, when measured), status_code (int),
            cert_days_left (float), error (string, failures only)

`incident` — one point per incident change (opened, acknowledged, escalated, breach, resolved).
    tags:   app, app_name, check, severity, department, category, tier, incident (the id)
    fields: state (string), open (int 1 while open or acknowledged), acknowledged (int 0/1),
            opened_at_ms, response_deadline_ms, resolution_deadline_ms (ints, epoch ms:
            Grafana shows them as dates), response_breached, resolution_breached (int 0/1),
            response_s, resolution_s (floats, once known), summary (string)

`traffic` — one point per app per day and source (issue 6).
    tags:   app, app_name, department, category, tier, source
    fields: pv, uv (ints)

Tag values are low-cardinality by design (DESIGN.md rule 7); the incident id is the one
exception and grows with incidents, not with runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

PROBE: Final = "probe"
INCIDENT: Final = "incident"
TRAFFIC: Final = "traffic"

_TAG_ESCAPES: Final = str.maketrans({",": r"\,", "=": r"\=", " ": r"\ ", "\n": " "})
_MEASUREMENT_ESCAPES: Final = str.maketrans({",": r"\,", " ": r"\ ", "\n": " "})


def escape_tag(value: str) -> str:
    """Tag keys and values: commas, equals signs and spaces are backslash-escaped."""
    return value.translate(_TAG_ESCAPES)


def field_value(value: object) -> str:
    """bool -> t/f is not used (dashboards average 0/1 ints); int -> 1i; float; str quoted."""
    if isinstance(value, bool):
        return f"{int(value)}i"
    if isinstance(value, int):
        return f"{value}i"
    if isinstance(value, float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'


@dataclass(frozen=True, slots=True)
class Series:
    """A measurement plus its fixed tags, escaped once (a check's tags never change per run)."""

    key: str  # "measurement,tag=value,..." already escaped and sorted

    @classmethod
    def of(cls, measurement: str, tags: Mapping[str, str]) -> Series:
        parts = [measurement.translate(_MEASUREMENT_ESCAPES)]
        parts += [f"{escape_tag(k)}={escape_tag(v)}" for k, v in sorted(tags.items()) if v != ""]
        return cls(",".join(parts))

    def line(self, fields: Mapping[str, object], ts_ms: int,
             extra_tags: Mapping[str, str] | None = None) -> str:
        """One line; None field values are left out (at least one field must remain)."""
        key = self.key
        if extra_tags:
            # Line protocol does not require sorted tags; sorting only helps the server.
            key += "".join(f",{escape_tag(k)}={escape_tag(v)}"
                           for k, v in sorted(extra_tags.items()) if v != "")
        body = ",".join(f"{escape_tag(k)}={field_value(v)}"
                        for k, v in fields.items() if v is not None)
        return f"{key} {body} {ts_ms}"


def join_lines(lines: Iterable[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()
