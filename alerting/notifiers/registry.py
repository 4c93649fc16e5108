"""The single source of truth for notifier kinds: config parsing and validation derive from it.

A kind is one module with a frozen spec class and `make(spec) -> Channel`, plus one line here.
The composition root builds one channel per configured notifier, once, and keeps it: a
DingTalk channel holds its robot's rate window and back-off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from alerting.delivery import Channel
from alerting.notifiers import dingtalk, email, webhook

if TYPE_CHECKING:
    from monitor.core.config.model import NotifierConfig


@dataclass(frozen=True)
class NotifierKind:
    name: str
    spec_type: type[Any]
    doc: str
    make: Callable[[Any], Channel]  # spec -> a new channel with its own state


def _kind(name: str, module: Any, spec_type: type[Any]) -> NotifierKind:
    doc = (module.__doc__ or "").strip().splitlines()[0]
    return NotifierKind(name, spec_type, doc, module.make)


NOTIFIER_KINDS: Final[Mapping[str, NotifierKind]] = {
    kind.name: kind
    for kind in (
        _kind("dingtalk", dingtalk, dingtalk.DingTalkSpec),
        _kind("webhook", webhook, webhook.WebhookSpec),
        _kind("email", email, email.EmailSpec),
    )
}


def build_channel(notifier: NotifierConfig) -> Channel:
    """The channel of one configured notifier (the loader has checked its kind)."""
    return NOTIFIER_KINDS[notifier.kind].make(notifier.spec)


def build_channels(notifiers: Mapping[str, NotifierConfig]) -> dict[str, Channel]:
    """notifier id -> channel, for `Config.notifiers`."""
    return {notifier_id: build_channel(n) for notifier_id, n in notifiers.items()}
