"""Reading the dashboards the way Grafana does: panels (rows included), their InfluxQL queries,
template variables and annotations; and interpolating a query as Grafana would before sending
it to InfluxDB.

Interpolation follows Grafana's InfluxDB data source (public/app/plugins/datasource/influxdb):

- `$timeFilter`, two styles. The browser (classic) path renders `time >= now() - 6h and time
  <= now()` for ranges like now-6h and absolute `...ms` bounds for anything else (now/d,
  now/M); the backend path (Grafana 10+, `influxdbBackendMigration`) always renders absolute
  `time >= <from>ms and time <= <to>ms`.
- A panel's relative time (`timeFrom`) replaces the dashboard range: "15m" means now-15m,
  "now/d" is today so far, evaluated in the dashboard's time zone.
- `$__interval`, `$interval` -> an interval such as 1m; `$__interval_ms` -> its milliseconds;
  `${__from}`, `${__to}` -> the dashboard range in epoch milliseconds.
- Template variables use Grafana's regex format: one value -> the value regex-escaped, several
  -> `(a|b)`, "All" -> the variable's allValue (or every option as `(a|b|...)` without one).
  Repeated rows and panels get one value of their repeat variable each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_DIR = ROOT / "dashboards"
PROVISIONING_DIR = DASHBOARD_DIR / "provisioning"
DASHBOARDS = ("wall", "app-detail", "monthly")
DATASOURCE_UID = "appmon-influx"
DATASOURCE_REF = {"type": "influxdb", "uid": "${datasource}"}

ALL = "$__all"  # Grafana's value for "All"
INTERVAL = "1m"
INTERVAL_MS = 60_000

# Grafana's variable syntax: $name, [[name]] / [[name:format]], ${name} / ${name:format}.
VARIABLE_RE = re.compile(
    r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.[^:^}]+)?(?::([^}]+))?\}"
)
# Names Grafana itself provides in queries (the rest must be template variables).
BUILTIN_VARIABLES = frozenset(
    {"timeFilter", "__interval", "interval", "__interval_ms", "__from", "__to", "__range"}
)
# In a target's alias: the tag, column and measurement of each series.
ALIAS_RE = re.compile(r"\$(?:tag_\w+|col|m|measurement)\b|\[\[(?:tag_\w+|col|m)\]\]")

Style = Literal["browser", "backend"]
Selection = Sequence[str] | str  # values, or ALL


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DASHBOARD_DIR / f"{name}.json").read_text("utf-8"))
    return data


def all_panels(board: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows and the panels nested in collapsed rows included."""
    for item in board.get("panels", []):
        yield item
        yield from item.get("panels", [])


def variables(board: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in board["templating"]["list"]}


def repeat_of(board: Mapping[str, Any], panel: Mapping[str, Any]) -> str | None:
    """The variable a panel is repeated over: its own, or that of the row above it."""
    if panel.get("repeat"):
        return str(panel["repeat"])
    row_repeat: str | None = None
    for item in board.get("panels", []):
        if item.get("type") == "row":
            if panel in item.get("panels", []):
                return str(item["repeat"]) if item.get("repeat") else None
            row_repeat = str(item["repeat"]) if item.get("repeat") else None
        elif item is panel:
            return row_repeat
    return None


def annotation_queries(board: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [a for a in board["annotations"]["list"] if not a.get("builtIn")]


# ----------------------------------------------------------------------------- time ranges

_RELATIVE_RE = re.compile(r"^now-(\d+)([smhdwMy])$")
_ROUNDED_RE = re.compile(r"^now(?:-(\d+)([smhdwMy]))?/([dwMy])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def panel_range(dashboard_from: str, time_from: str | None) -> str:
    """The raw `from` a panel queries with: its relative time, else the dashboard's."""
    if not time_from:
        return dashboard_from
    return time_from if time_from.startswith("now") else f"now-{time_from}"


def resolve(raw: str, now: float, zone: ZoneInfo) -> float:
    """Grafana's dateMath for the forms the dashboards use: now, now-6h, now/d, now-1d/d."""
    if raw == "now":
        return now
    if match := _RELATIVE_RE.match(raw):
        amount, unit = int(match[1]), match[2]
        if unit in _SECONDS:
            return now - amount * _SECONDS[unit]
    if match := _ROUNDED_RE.match(raw):
        local = datetime.fromtimestamp(now, zone)
        if match[1]:
            amount, unit = int(match[1]), match[2]
            if unit not in _SECONDS:
                raise ValueError(f"unsupported relative time {raw!r}")
            local = datetime.fromtimestamp(now - amount * _SECONDS[unit], zone)
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if match[3] == "M":
            start = start.replace(day=1)
        elif match[3] == "y":
            start = start.replace(month=1, day=1)
        elif match[3] == "w":
            start = datetime.fromtimestamp(start.timestamp() - start.weekday() * 86400, zone)
        return start.timestamp()
    raise ValueError(f"unsupported time {raw!r}")


def time_filter(raw_from: str, now: float, zone: ZoneInfo, style: Style) -> str:
    from_ms = round(resolve(raw_from, now, zone) * 1000)
    if style == "backend":
        return f"time >= {from_ms}ms and time <= {round(now * 1000)}ms"
    match = re.match(r"^now-(\d+)([dhms])$", raw_from)
    start = f"now() - {match[1]}{match[2]}" if match else f"{from_ms}ms"
    return f"time >= {start} and time <= now()"


# ----------------------------------------------------------------------------- variables

_REGEX_SPECIAL = re.compile(r"[\\^$*+?.()|\[\]{}/]")


def escape_regex(value: str) -> str:
    return _REGEX_SPECIAL.sub(lambda m: "\\" + m[0], value)


def format_value(variable: Mapping[str, Any], selection: Selection,
                 options: Sequence[str]) -> str:
    """A variable's value in Grafana's regex format."""
    if selection == ALL:
        if variable.get("allValue"):
            return str(variable["allValue"])
        selection = list(options)
    values = [escape_regex(v) for v in selection]
    if len(values) == 1:
        return values[0]
    return "(" + "|".join(values) + ")"


@dataclass(frozen=True)
class Scope:
    """What Grafana knows when it sends a query: time range, style, the variables' values."""

    now: float
    dashboard_from: str
    style: Style
    zone: ZoneInfo
    board: Mapping[str, Any]
    selections: Mapping[str, Selection] = field(default_factory=dict)
    options: Mapping[str, Sequence[str]] = field(default_factory=dict)  # for "All"

    def with_selection(self, name: str, selection: Selection) -> Scope:
        return Scope(self.now, self.dashboard_from, self.style, self.zone, self.board,
                     {**self.selections, name: selection}, self.options)

    def interpolate(self, query: str, time_from: str | None = None) -> str:
        """The query as InfluxDB receives it; unknown variables raise KeyError."""
        raw_from = panel_range(self.dashboard_from, time_from)
        builtins = {
            "timeFilter": time_filter(raw_from, self.now, self.zone, self.style),
            "__interval": INTERVAL, "interval": INTERVAL, "__interval_ms": str(INTERVAL_MS),
            "__from": str(round(resolve(self.dashboard_from, self.now, self.zone) * 1000)),
            "__to": str(round(self.now * 1000)),
        }
        board_vars = variables(self.board)

        def replace(match: re.Match[str]) -> str:
            name = match[1] or match[2] or match[4]
            if name in builtins:
                return builtins[name]
            if name == "datasource" or name not in board_vars:
                raise KeyError(f"no variable ${name} in {query!r}")
            selection = self.selections.get(name, ALL)
            return format_value(board_vars[name], selection, self.options.get(name, ()))

        return VARIABLE_RE.sub(replace, query)


def referenced_variables(text: str) -> set[str]:
    return {m[1] or m[2] or m[4] for m in VARIABLE_RE.finditer(text)}


def query_texts(board: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, query) for every InfluxQL query in the dashboard."""
    for panel in all_panels(board):
        for t in panel.get("targets", []):
            yield f"panel {panel['id']} {t['refId']}", str(t["query"])
    for v in board["templating"]["list"]:
        if v["type"] == "query":
            yield f"variable {v['name']}", str(v["query"])
    for a in annotation_queries(board):
        yield f"annotation {a['name']}", str(a["target"]["query"])
