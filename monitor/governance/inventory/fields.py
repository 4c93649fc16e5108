"""The inventory's own gaps: fields an app's record lacks, and apps recorded twice."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from monitor.core.config.model import AppConfig

# The fields the centre needs for every listed app, in the order a sheet shows them.
OWNER_NAME: Final = "owner_name"
OWNER_MOBILE: Final = "owner_mobile"
DEPARTMENT: Final = "department"
IRS_ID: Final = "irs_id"
TIER: Final = "tier"
TARGET_USERS: Final = "target_users"
REQUIRED_FIELDS: Final = (OWNER_NAME, OWNER_MOBILE, DEPARTMENT, IRS_ID, TIER, TARGET_USERS)
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Duplicate:
    """This app shares `value` (its normalised URL, or its name) with the apps `others`."""

    by: str  # "url" or "name"
    value: str
    others: tuple[str, ...]


def missing_fields(app: AppConfig, tier_declared: bool) -> tuple[str, ...]:
    """Codes from REQUIRED_FIELDS that the app's record lacks (blank text counts as missing)."""
    owner = app.owner
    present = {
        OWNER_NAME: owner is not None and bool(owner.name.strip()),
        OWNER_MOBILE: owner is not None and bool((owner.mobile or "").strip()),
        DEPARTMENT: bool(app.department.strip()),
        IRS_ID: bool((app.irs_id or "").strip()),
        TIER: tier_declared,
        TARGET_USERS: app.target_users is not None,
    }
    return tuple(name for name in REQUIRED_FIELDS if not present[name])


def normalise_url(url: str) -> str:
    """The form two spellings of one entry page share: scheme and host lower-cased, the default
    port dropped, trailing slashes and the fragment removed; path and query are kept as written
    (servers may treat their case as significant)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # an out-of-range port: compare as written
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def normalise_name(name: str) -> str:
    """Names typed by different people: full-width and half-width forms (NFKC), case and
    whitespace do not make two apps different."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def duplicates(apps: Sequence[AppConfig]) -> dict[str, tuple[Duplicate, ...]]:
    """Per app id, the other apps with the same entry URL (app.url) or the same name."""
    keyed: list[tuple[str, dict[str, list[str]], dict[str, str]]] = [
        ("url", {}, {}), ("name", {}, {})]
    for app in apps:
        keys = {"url": normalise_url(app.url) if app.url else "",
                "name": normalise_name(app.name)}
        for by, groups, shown in keyed:
            key = keys[by]
            if key:
                groups.setdefault(key, []).append(app.id)
                shown.setdefault(key, key if by == "url" else app.name)
    out: dict[str, list[Duplicate]] = {app.id: [] for app in apps}
    for by, groups, shown in keyed:
        for key, ids in groups.items():
            if len(ids) < 2:
                continue
            for app_id in ids:
                others = tuple(other for other in ids if other != app_id)
                out[app_id].append(Duplicate(by, shown[key], others))
    return {app_id: tuple(found) for app_id, found in out.items()}
