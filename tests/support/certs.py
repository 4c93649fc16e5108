"""Test certificates: a private CA (trustme) and leaf certificates valid, expired or near expiry.

`TestPki.server_context(...)` gives a server-side SSLContext; `ca_file` is the CA bundle path a
probe's `ca_file` setting can point at. Self-signed means "issued by a CA the probe does not
trust": the probe is simply not given `ca_file`.
"""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import trustme


class TestPki:
    __test__ = False  # not a pytest test class

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA(organization_name="appmon test CA")
        self.ca_file = directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(
        self,
        *names: str,
        days_left: float = 365.0,
        expired: bool = False,
        min_version: ssl.TLSVersion | None = None,
        max_version: ssl.TLSVersion | None = None,
    ) -> ssl.SSLContext:
        """A server SSLContext whose leaf is valid for `names` (default localhost, 127.0.0.1)."""
        now = dt.datetime.now(dt.UTC)
        if expired:
            not_before, not_after = now - dt.timedelta(days=30), now - dt.timedelta(days=1)
        else:
            not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=days_left)
        leaf = self.ca.issue_cert(
            *(names or ("localhost", "127.0.0.1")), not_before=not_before, not_after=not_after
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if min_version is not None:
            ctx.minimum_version = min_version
        if max_version is not None:
            ctx.maximum_version = max_version
        leaf.configure_cert(ctx)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        self.ca.configure_trust(ctx)
        return ctx
