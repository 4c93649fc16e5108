"""The cookie jar of one flow run: enough of RFC 6265 for logins and sessions.

Honours name=value, Domain, Path, Secure, Expires and Max-Age (including deletion by a past
date or Max-Age=0). Cookies live per host unless Domain widens them to the subdomains.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from probes.httpurl import Target


@dataclass(frozen=True, slots=True)
class Cookie:
    name: str
    value: str
    domain: str
    host_only: bool  # no Domain attribute: sent to exactly this host
    path: str
    secure: bool
    expires_at: float | None  # epoch seconds; None = session cookie

    def matches(self, target: Target, now: float) -> bool:
        if self.expires_at is not None and self.expires_at <= now:
            return False
        if self.secure and not target.tls:
            return False
        host = target.host
        if self.host_only:
            if host != self.domain:
                return False
        elif not domain_match(host, self.domain):
            return False
        return path_match(target.path, self.path)


def domain_match(host: str, domain: str) -> bool:
    return host == domain or host.endswith(f".{domain}")


def path_match(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


def default_path(request_path: str) -> str:
    """RFC 6265 5.1.4: the request path up to, not including, its last slash."""
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rfind("/")]


class CookieJar:
    def __init__(self) -> None:
        self._cookies: dict[tuple[str, str, str], Cookie] = {}  # (domain, path, name)

    def store(self, target: Target, set_cookies: list[str]) -> None:
        now = time.time()
        for header in set_cookies:
            cookie = parse_set_cookie(header, target, now)
            if cookie is None:
                continue
            key = (cookie.domain, cookie.path, cookie.name)
            if cookie.expires_at is not None and cookie.expires_at <= now:
                self._cookies.pop(key, None)  # an expiry in the past is how servers delete
            else:
                self._cookies[key] = cookie

    def header_for(self, target: Target) -> str | None:
        """The Cookie header for a request to `target`, longest paths first."""
        now = time.time()
        cookies = [c for c in self._cookies.values() if c.matches(target, now)]
        if not cookies:
            return None
        cookies.sort(key=lambda c: len(c.path), reverse=True)
        return "; ".join(f"{c.name}={c.value}" for c in cookies)

    def get(self, name: str) -> str | None:
        """The value of a cookie by name, whatever its domain (for tests and captures)."""
        return next((c.value for c in self._cookies.values() if c.name == name), None)


def parse_set_cookie(header: str, target: Target, now: float) -> Cookie | None:
    """One Set-Cookie header as a cookie, or None when it must be ignored."""
    pair, *attributes = header.split(";")
    name, sep, value = pair.partition("=")
    name = name.strip()
    if not sep or not name:
        return None
    domain, host_only, path = target.host, True, default_path(target.path)
    secure, expires_at, max_age = False, None, None
    for attribute in attributes:
        key, _, raw = attribute.partition("=")
        key, raw = key.strip().lower(), raw.strip()
        if key == "domain" and raw:
            domain, host_only = raw.lstrip(".").lower(), False
        elif key == "path" and raw.startswith("/"):
            path = raw
        elif key == "secure":
            secure = True
        elif key == "expires":
            expires_at = _http_date(raw)
        elif key == "max-age" and raw.lstrip("-").isdigit():
            max_age = int(raw)
    if not host_only and not domain_match(target.host, domain):
        return None  # a server may not set cookies for a domain it is not part of
    if max_age is not None:  # Max-Age wins over Expires
        expires_at = now + max_age if max_age > 0 else 0.0
    return Cookie(name, value.strip(), domain, host_only, path, secure, expires_at)


def _http_date(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
