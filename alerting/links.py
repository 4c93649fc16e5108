"""Signed links for the phone acknowledge page.

Whoever gets the DingTalk message can open the link and acknowledge with their name, without a
bearer token: the link carries an HMAC of the incident id (and of its reopen count), so it
works for that incident only, and only until it is resolved: a reopen gets a new link.
The key comes from `service.link_secret` or is generated once and kept in data_dir.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from monitor.core.private import private_dir

LINK_SECRET_FILE = "link-secret"  # noqa: S105  # a file name, not a secret


def load_or_create_key(data_dir: Path, configured: str | None) -> bytes:
    if configured:
        return configured.encode()
    path = data_dir / LINK_SECRET_FILE
    if path.exists():
        return path.read_bytes()
    private_dir(data_dir)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


class LinkSigner:
    def __init__(self, key: bytes, public_url: str) -> None:
        self._key = key
        self._base = public_url.rstrip("/")

    def token(self, incident_id: str, generation: int = 0) -> str:
        """The link's MAC. `generation` is the incident's reopen count: a reopen gets a new
        link, and the old one no longer works."""
        material = f"ack:{incident_id}" if generation == 0 else (
            f"ack:{incident_id}:{generation}")
        mac = hmac.new(self._key, material.encode(), hashlib.sha256)
        return mac.hexdigest()[:32]

    def verify(self, incident_id: str, token: str, generation: int = 0) -> bool:
        return hmac.compare_digest(self.token(incident_id, generation).encode(),
                                   token.encode("utf-8", "surrogateescape"))

    def ack_url(self, incident_id: str, generation: int = 0) -> str:
        token = self.token(incident_id, generation)
        return f"{self._base}/ack/{quote(incident_id)}?t={token}"

    def console_url(self, path: str) -> str:
        """A console page, e.g. "/oncall"."""
        return f"{self._base}{path}"

    def incident_url(self, incident_id: str) -> str:
        """The incident's console page (a person's page, not the JSON API)."""
        return f"{self._base}/incidents/{quote(incident_id)}"
