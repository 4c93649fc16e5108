"""The single source of truth for notifier kinds: config parsing and validation derive from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from alerting.notifiers import dingtalk, email, webhook


@dataclass(frozen=True)
class NotifierKind:
    name: str
    spec_type: type[Any]
    doc: str


def _kind(name: str, module: Any, spec_type: type[Any]) -> NotifierKind:
    return NotifierKind(name, spec_type, (module.__doc__ or "").strip().splitlines()[0])


NOTIFIER_KINDS: Final[Mapping[str, NotifierKind]] = {
    kind.name: kind
    for kind in (
        _kind("dingtalk", dingtalk, dingtalk.DingTalkSpec),
        _kind("webhook", webhook, webhook.WebhookSpec),
        _kind("email", email, email.EmailSpec),
    )
}
