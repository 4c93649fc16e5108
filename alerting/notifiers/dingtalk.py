"""`dingtalk` notifier: a DingTalk / 浙政钉 group robot (signed webhook, markdown, actionCard)."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config.fields import Secret, SecretUrl, setting


@dataclass(frozen=True)
class DingTalkSpec:
    url: SecretUrl = setting(doc="robot webhook URL including access_token")
    secret: Secret | None = setting(None, doc="signing secret (加签), starts with SEC")
    at_mobiles: tuple[str, ...] = setting((), doc="mobiles always @-mentioned (the on-call)")
    max_per_minute: int = setting(20, minimum=1, maximum=20, doc="robot rate limit")
