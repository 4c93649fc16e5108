"""Signed request bodies that cannot be replayed: an HMAC over a timestamp and the body.

    X-Monitor-Timestamp: 1765152000
    X-Monitor-Signature: sha256=<hex HMAC-SHA256(secret, "1765152000." + raw body)>

A signature over the body alone stays valid for ever: anyone who saw one request (a proxy's
log, a packet capture) could send it again and resolve or reopen an incident each time. With
the time inside the signed material a request is only good within `window_s` of its time,
and within that window each signature is taken once.

Alertmanager itself cannot sign requests; this is for a signing proxy in front of it (see the
README). The bearer token stays the ordinary way in.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import Final

TIMESTAMP_HEADER: Final = "X-Monitor-Timestamp"
SIGNATURE_HEADER: Final = "X-Monitor-Signature"
SIGNATURE_PREFIX: Final = "sha256="
REPLAY_WINDOW_S: Final = 300.0  # a signed request is good within 5 minutes of its timestamp
MAX_REMEMBERED: Final = 100_000  # signatures kept to refuse replays (bounded memory)


def sign(secret: str, timestamp: int, raw: bytes) -> str:
    """The X-Monitor-Signature value for `raw` sent at `timestamp` (unix seconds)."""
    material = str(timestamp).encode() + b"." + raw
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), material, hashlib.sha256).hexdigest()


class ReplayGuard:
    """Checks signed bodies; remembers each accepted signature until its window has passed."""

    def __init__(self, window_s: float = REPLAY_WINDOW_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.window_s = window_s
        self.clock = clock
        self._seen: dict[str, float] = {}  # signature -> when it may be forgotten

    def check(self, headers: Mapping[str, str], raw: bytes, secret: str) -> str | None:
        """None when the request is signed, fresh and new; else why it is refused."""
        presented = headers.get(SIGNATURE_HEADER, "").strip().lower()
        stamp = headers.get(TIMESTAMP_HEADER, "").strip()
        if not secret or not presented.startswith(SIGNATURE_PREFIX):
            return "no signature"
        if not stamp.isascii() or not stamp.isdigit():
            return f"{TIMESTAMP_HEADER} must be the unix time in seconds"
        now = self.clock()
        if abs(now - int(stamp)) > self.window_s:
            return f"the signed timestamp is more than {self.window_s:g}s away from now"
        if not hmac.compare_digest(sign(secret, int(stamp), raw).encode(), presented.encode()):
            return "signature does not match"
        self._forget(now)
        if presented in self._seen:
            return "this signed request was already received (replay)"
        if len(self._seen) >= MAX_REMEMBERED:
            return "too many signed requests in the replay window"
        self._seen[presented] = int(stamp) + self.window_s
        return None

    def _forget(self, now: float) -> None:
        if len(self._seen) > MAX_REMEMBERED // 2:
            self._seen = {sig: until for sig, until in self._seen.items() if until >= now}
        else:
            for sig in [s for s, until in self._seen.items() if until < now][:1000]:
                del self._seen[sig]
