"""The status wall's view model: config + check states + active incidents -> tiles grouped by
department (problems first), counts and filter options (the incidents block: wallincidents.py).

Pure: no I/O and no clock of its own (`now` is given), so it is tested as plain functions.
`tile_states` is the part that changes between two runs and is what the live stream diffs;
`layout` is what only a config reload changes. Times meant for console.js countdowns are epoch
milliseconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentState
from monitor.api.views import app_status, check_status
from monitor.console.pages.wall.incidents import clock_text, ms
from monitor.console.pages.wall.words import WORDS
from monitor.console.render import translator
from monitor.core.config.model import AppConfig, Config
from monitor.core.i18n import error_label
from monitor.incidentview import incident_view
from monitor.ledger.types import CheckKey, CheckState

STATUSES = ("down", "ack", "unknown", "up")  # problems first: the tile order in a department
_RANK = {status: rank for rank, status in enumerate(STATUSES)}
MAX_DETAIL_CHARS = 160  # a tile shows one line; the full message is on the app page


@dataclass(frozen=True, slots=True)
class TileState:
    """The part of a tile that changes without a reload: what the live stream compares."""

    status: str  # up | down | unknown | ack (an acknowledged incident: someone is on it)
    detail: str  # the failing check and why, "" when up
    since_ms: int | None  # when it went down (console.js shows the time elapsed)
    since_text: str  # "自 10:01 起", for people and for pages without JS
    maintenance: bool

    def patch(self) -> dict[str, object]:
        return {"s": self.status, "d": self.detail, "since": self.since_ms,
                "w": self.since_text, "m": self.maintenance}


@dataclass(frozen=True, slots=True)
class Tile:
    app: AppConfig
    state: TileState
    rank: int = 0  # the place in its department when every tile has the same status:
    # wall.js keeps a changed tile in place by (status, rank), problems first


@dataclass(frozen=True, slots=True)
class Department:
    key: str  # a DOM id: "d0", "d1"... in layout order
    name: str  # as configured ("" = none): what the URL filter names
    label: str
    tiles: tuple[Tile, ...]
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Layout:
    """What only a config change alters. A page whose layout key differs reloads itself."""

    key: str
    departments: tuple[tuple[str, str], ...]  # (key, name), sorted by name, "" last
    dept_of: Mapping[str, str]  # app id -> department key


@dataclass(frozen=True, slots=True)
class Filters:
    department: str | None = None
    category: str | None = None
    tier: int | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """?department=&category=&tier= from a bookmarked URL (the names the README gives;
        the short dept= and cat= of older bookmarks are read too); a malformed tier is
        ignored."""
        tier = query.get("tier", "")
        return cls(query.get("department") or query.get("dept") or None,
                   query.get("category") or query.get("cat") or None,
                   int(tier) if tier in {"1", "2", "3"} else None)

    @property
    def active(self) -> bool:
        return self != Filters()

    def admits(self, department: str, category: str, tier: int) -> bool:
        return ((self.department is None or department == self.department)
                and (self.category is None or category == self.category)
                and (self.tier is None or tier == self.tier))

    def matches(self, app: AppConfig) -> bool:
        return self.admits(app.department, app.category, app.tier)


def layout(config: Config) -> Layout:
    names = sorted({app.department for app in config.apps}, key=lambda n: (n == "", n))
    keys = {name: f"d{i}" for i, name in enumerate(names)}
    shape = repr([(a.id, a.name, a.department, a.category, a.tier) for a in config.apps])
    digest = hashlib.sha256(f"{config.service.language}|{shape}".encode()).hexdigest()[:16]
    return Layout(digest, tuple((keys[n], n) for n in names),
                  {app.id: keys[app.department] for app in config.apps})


def _check_detail(title: str, state: CheckState, lang: str) -> str:
    # The message is the catalog's reason (状态码 503（期望 2xx）); the kind's name only where
    # a run left no message.
    why = state.last_message or error_label(lang, state.last_error_kind)
    return f"{title} · {why}" if why else title


def _worst_incidents(active: Iterable[Incident]) -> dict[str, Incident]:
    """Per app its incident that matters most: an open one over an acknowledged one."""
    found: dict[str, Incident] = {}
    for incident in active:
        if incident.state is IncidentState.RESOLVED:
            continue
        known = found.get(incident.app_id)
        if known is None or (known.state is not IncidentState.OPEN
                             and incident.state is IncidentState.OPEN):
            found[incident.app_id] = incident
    return found


def tile_states(config: Config, states: Mapping[CheckKey, CheckState],
                active: Iterable[Incident], now: float,
                maintenance: frozenset[str] = frozenset()) -> dict[str, TileState]:
    """Per app id its tile state. An open incident shows the app down even while its check
    recovers (people still have to respond); an acknowledged one shows it in hand."""
    lang, tz = config.service.language, ZoneInfo(config.service.timezone)
    t = translator(lang, WORDS)
    incidents = _worst_incidents(active)
    tiles = {}
    for app in config.apps:
        checks = [(c.title(lang), states.get((app.id, c.id))) for c in app.checks]
        status = app_status([check_status(s) for _, s in checks])
        failing = next(((cid, s) for cid, s in checks
                        if s is not None and check_status(s) == "down"), None)
        incident = incidents.get(app.id)
        detail, since = "", None
        if failing is not None and failing[1] is not None:
            detail, since = _check_detail(failing[0], failing[1], lang), failing[1].last_change_at
        elif incident is not None:
            title = incident_view(incident, config).check_title(lang)
            detail, since = f"{title} · {incident.summary}", incident.started_at
        elif status == "unknown":
            blind = next((s for _, s in checks if s is not None and s.last_unknown), None)
            detail = t("wall.never") if blind is None else t("wall.blind", why=blind.last_message)
        if incident is not None:
            status = "down" if incident.state is IncidentState.OPEN else "ack"
            if status == "ack" and incident.acknowledged_by:
                detail = f"{incident.acknowledged_by} {t('wall.ack')} · {detail}"
        tiles[app.id] = TileState(
            status, detail[:MAX_DETAIL_CHARS], ms(since) if since is not None else None,
            t("wall.since", at=clock_text(since, now, tz)) if since is not None else "",
            app.id in maintenance)
    return tiles


def count(states: Iterable[TileState]) -> dict[str, int]:
    counts = dict.fromkeys((*STATUSES, "total"), 0)
    for state in states:
        counts[state.status] += 1
        counts["total"] += 1
    return counts


def department_counts(shape: Layout, tiles: Mapping[str, TileState]) -> dict[str, list[int]]:
    """Per department key [down, ack]: the numbers its heading shows."""
    found = {key: [0, 0] for key, _ in shape.departments}
    for app_id, state in tiles.items():
        if state.status in {"down", "ack"} and app_id in shape.dept_of:
            found[shape.dept_of[app_id]][0 if state.status == "down" else 1] += 1
    return found


def departments(config: Config, shape: Layout, tiles: Mapping[str, TileState]
                ) -> tuple[Department, ...]:
    t = translator(config.service.language, WORDS)
    grouped: dict[str, list[Tile]] = {key: [] for key, _ in shape.departments}
    for app in config.apps:
        grouped[shape.dept_of[app.id]].append(Tile(app, tiles[app.id]))
    result = []
    for key, name in shape.departments:
        ranked = [Tile(tile.app, tile.state, n) for n, tile in enumerate(sorted(
            grouped[key], key=lambda tile: (tile.app.tier, tile.app.name, tile.app.id)))]
        members = sorted(ranked, key=lambda tile: (_RANK[tile.state.status], tile.rank))
        result.append(Department(key, name, name or t("wall.ungrouped"), tuple(members),
                                 count(tile.state for tile in members)))
    return tuple(sorted(result, key=problems_first))


def problems_first(dept: Department) -> tuple[int, int]:
    """Departments with apps down first (most first), then with apps in hand; the others
    keep their order (sorted() is stable: by name, the unnamed last)."""
    return (-dept.counts["down"], -dept.counts["ack"])


def visible_counts(depts: Iterable[Department], filters: Filters) -> dict[str, int]:
    """The header's counts: the apps the filters let through."""
    return count(tile.state for d in depts for tile in d.tiles if filters.matches(tile.app))


def filter_options(config: Config) -> dict[str, list[str]]:
    """The values the filters offer: what the config actually has."""
    return {
        "departments": sorted({a.department for a in config.apps if a.department}),
        "categories": sorted({a.category for a in config.apps if a.category}),
        "tiers": [str(tier) for tier in sorted({a.tier for a in config.apps})],
    }
