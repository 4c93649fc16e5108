"""`email` notifier: SMTP with STARTTLS or SSL, HTML and text bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from monitor.config.fields import Secret, setting


@dataclass(frozen=True)
class EmailSpec:
    host: str = setting(doc="SMTP server")
    sender: str = setting(doc="From address")
    to: tuple[str, ...] = setting(doc="recipients")
    port: int = setting(25, minimum=1, maximum=65535, doc="SMTP port")
    security: Literal["none", "starttls", "ssl"] = setting("none", doc="transport security")
    username: str | None = setting(None, doc="SMTP user")
    password: Secret | None = setting(None, doc="SMTP password")
