"""`webhook` notifier: JSON POST per CONTRACT.md §4, with delivery id and optional HMAC."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.fields import Secret, SecretUrl, setting


@dataclass(frozen=True)
class WebhookSpec:
    url: SecretUrl = setting(doc="receiver URL")
    hmac_secret: Secret | None = setting(None, doc="sign bodies with HMAC-SHA256")
