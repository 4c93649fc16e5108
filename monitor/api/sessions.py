"""Console sessions, kept by the server: the cookie holds only a random session id.

Each session is bound to the API token it was opened with: the token's name and an HMAC of
its value (under a key made at start, never stored). A session ends when its user signs out,
when it expires, or as soon as its token is no longer configured under that name with that
value: `retain(tokens)` on a config reload ends them at once, and every lookup checks again.

Kept in memory: a restart of the service signs everyone out. Bounded to MAX_SESSIONS (the
expired go first, then the oldest); only holders of a valid token can open one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final

from monitor.core.config.model import ApiToken

MAX_SESSIONS: Final = 10_000  # far beyond the people on call; bounds memory (~3 MB)
_ID: Final = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Session:
    user: str  # the name typed at sign-in: shown in timelines as who acted
    actor: str  # the api token's name, for the log
    expires: float
    nonce: str  # what the session's CSRF token is made from
    token_digest: bytes  # HMAC of the token's value: is it still the configured one?


def _lookup_key(session_id: str) -> bytes:
    # Looked up by a hash of the id: how long a lookup takes says nothing about stored ids.
    return hashlib.sha256(session_id.encode()).digest()


class SessionStore:
    def __init__(self, *, max_sessions: int = MAX_SESSIONS) -> None:
        self._key = secrets.token_bytes(32)
        self._max = max_sessions
        self._sessions: dict[bytes, Session] = {}

    def digest(self, token: str) -> bytes:
        return hmac.new(self._key, token.encode("utf-8", "surrogatepass"),
                        hashlib.sha256).digest()

    def open(self, *, user: str, actor: str, token: str, expires: float, now: float) -> str:
        """A new session; returns its id (the cookie's value)."""
        if len(self._sessions) >= self._max:
            self._prune(now)
        session_id = secrets.token_urlsafe(32)
        self._sessions[_lookup_key(session_id)] = Session(
            user, actor, expires, secrets.token_urlsafe(16), self.digest(token))
        return session_id

    def get(self, session_id: str, now: float, tokens: tuple[ApiToken, ...]) -> Session | None:
        """The live session with this id, or None (unknown, expired or its token gone)."""
        if not _ID.fullmatch(session_id):
            return None
        key = _lookup_key(session_id)
        session = self._sessions.get(key)
        if session is None:
            return None
        if session.expires <= now or not self._still_configured(session, tokens):
            del self._sessions[key]
            return None
        return session

    def end(self, session_id: str) -> bool:
        """Sign-out: the id is worthless from now on. True when there was such a session."""
        if not _ID.fullmatch(session_id):
            return False
        return self._sessions.pop(_lookup_key(session_id), None) is not None

    def retain(self, tokens: tuple[ApiToken, ...]) -> int:
        """End every session whose token was removed or changed; how many ended."""
        gone = [k for k, s in self._sessions.items() if not self._still_configured(s, tokens)]
        for key in gone:
            del self._sessions[key]
        return len(gone)

    def _still_configured(self, session: Session, tokens: tuple[ApiToken, ...]) -> bool:
        found = False
        for entry in tokens:
            if entry.name == session.actor and hmac.compare_digest(
                    self.digest(entry.token.reveal()), session.token_digest):
                found = True
        return found

    def _prune(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[key]
        while len(self._sessions) >= self._max:
            del self._sessions[next(iter(self._sessions))]

    def __len__(self) -> int:
        return len(self._sessions)
