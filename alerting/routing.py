"""From an engine `Notify` action to concrete deliveries: who gets what, through which notifier.

Targets are notifier ids, "app" (the app's own notify list), "owner" (the app's owner: an
@-mention on the app's DingTalk robots, and an email through the first email notifier), or
"oncall:<rotation>" / "oncall:<rotation>+1" (whoever is on duty at the moment of sending, or the
next in line: reached like the owner).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from alerting.delivery import Delivery, Recipients, delivery_id
from alerting.engine import Notify, Policy
from alerting.links import LinkSigner
from alerting.model import Entry, Event
from alerting.payload import build_payload, iso
from monitor.core.config.model import NOTIFY_APP, NOTIFY_OWNER, AppConfig, NotifierConfig
from monitor.core.config.oncall import parse_target

if TYPE_CHECKING:
    from monitor.core.config.oncall import OncallMember


Oncall = Callable[[str], "OncallMember | None"]
"""An escalation target "oncall:<id>[+1]" -> the member it means now (None: nobody)."""


def deliveries_for(
    notify: Notify,
    app: AppConfig | None,
    notifiers: Mapping[str, NotifierConfig],
    *,
    policy: Policy,
    links: LinkSigner,
    tz: ZoneInfo,
    language: str,
    now: float,
    oncall: Oncall | None = None,
) -> list[Delivery]:
    found = routes(notify.targets, app, notifiers, oncall)
    if not found:
        return []
    payload = _payload(notify, app, policy, links, tz=tz, language=language)
    payload["on_duty"] = on_duty(notify.targets, oncall)
    return [
        Delivery(
            id=delivery_id(notify.incident.id, notify.event.value, notify.step, target),
            incident_id=notify.incident.id, event=notify.event.value, step=notify.step,
            notifier_id=notifier_id, target=target, payload=payload, created_at=now,
            recipients=recipients,
        )
        for target, (notifier_id, recipients) in found.items()
    ]


def family_deliveries(
    notify: Notify,
    apps: Mapping[str, AppConfig],
    notifiers: Mapping[str, NotifierConfig],
    *,
    links: LinkSigner,
    tz: ZoneInfo,
    language: str,
    now: float,
    deadlines: dict[str, str | None],
    people_kinds: frozenset[str],
    oncall: Oncall | None = None,
) -> list[Delivery]:
    """A correlated incident's deliveries: everyone its children's apps would tell, through
    the channels people read only (webhooks get each child's own events instead), one
    delivery per robot or mailbox with every owner's @-mention or address merged in."""
    parent = notify.incident
    joined = [e.note for e in parent.timeline if e.type == Entry.JOINED and e.at == now
              and e.note]
    # A join tells whoever the newcomers' apps tell (their owners too); the rest already know.
    kids = [c for c in parent.children if c.id in joined] if notify.event is Event.JOINED \
        else list(parent.children)
    merged: dict[str, tuple[str, Recipients]] = {}
    for child in kids:
        for key, (notifier_id, recipients) in routes(
                notify.targets, apps.get(child.app_id), notifiers, oncall).items():
            if notifiers[notifier_id].kind not in people_kinds:
                continue
            _, before = merged.get(key, (notifier_id, Recipients()))
            merged[key] = (notifier_id, Recipients(
                at_mobiles=tuple(dict.fromkeys((*before.at_mobiles, *recipients.at_mobiles))),
                emails=tuple(dict.fromkeys((*before.emails, *recipients.emails)))))
    if not merged:
        return []
    payload = build_payload(
        parent, tz, app={},
        links={"ack": links.ack_url(parent.id), "incident": links.incident_url(parent.id)},
        deadlines=deadlines, language=language)
    # incident.joined: which children just joined (they are also in incident.children).
    payload["joined"] = joined
    payload["on_duty"] = on_duty(notify.targets, oncall)
    return [
        Delivery(
            id=delivery_id(parent.id, notify.event.value, notify.step, target),
            incident_id=parent.id, event=notify.event.value, step=notify.step,
            notifier_id=notifier_id, target=target, payload=payload, created_at=now,
            recipients=recipients,
        )
        for target, (notifier_id, recipients) in merged.items()
    ]


def on_duty(targets: tuple[str, ...], oncall: Oncall | None) -> list[str]:
    """The names of the people on duty this message wakes (its oncall:<id> targets)."""
    if oncall is None:
        return []
    found = [member.name for target in targets
             if parse_target(target) and (member := oncall(target)) is not None]
    return list(dict.fromkeys(found))


def routes(
    targets: tuple[str, ...], app: AppConfig | None, notifiers: Mapping[str, NotifierConfig],
    oncall: Oncall | None = None,
) -> dict[str, tuple[str, Recipients]]:
    """target key -> (notifier id, recipients); one delivery per key."""
    found: dict[str, tuple[str, Recipients]] = {}
    app_notify = app.notify if app else ()
    for target in targets:
        if target == NOTIFY_APP:
            ids: tuple[str, ...] = app_notify
        elif target == NOTIFY_OWNER or parse_target(target) is not None:
            ids = ()
        else:
            ids = (target,)
        for notifier_id in ids:
            if notifier_id in notifiers:
                found.setdefault(notifier_id, (notifier_id, Recipients()))
    if NOTIFY_OWNER in targets and app is not None and app.owner is not None:
        _add_person(found, app, notifiers, mobile=app.owner.mobile, email=app.owner.email,
                    role="owner")
    for target in targets:
        member = oncall(target) if oncall is not None and parse_target(target) else None
        if member is not None:
            _add_person(found, app, notifiers, mobile=member.mobile, email=member.email,
                        role="oncall")
    return found


def _add_person(
    routes: dict[str, tuple[str, Recipients]], app: AppConfig | None,
    notifiers: Mapping[str, NotifierConfig], *, mobile: str | None, email: str | None,
    role: str,
) -> None:
    """A person reached through the app's robots (an @-mention, which rings) and by mail
    through the first email notifier."""
    if mobile:
        notify = app.notify if app else tuple(notifiers)
        robots = [n for n in notify if n in notifiers and notifiers[n].kind == "dingtalk"]
        for robot in robots:
            key = robot if robot in routes else f"{robot}:{role}"
            _, recipients = routes.get(key, (robot, Recipients()))
            if mobile not in recipients.at_mobiles:
                recipients = Recipients(at_mobiles=(*recipients.at_mobiles, mobile),
                                        emails=recipients.emails)
            routes[key] = (robot, recipients)
    if email:
        mailer = next((n.id for n in notifiers.values() if n.kind == "email"), None)
        if mailer is not None:
            key = f"{mailer}:{role}"
            _, recipients = routes.get(key, (mailer, Recipients()))
            emails = tuple(dict.fromkeys((*recipients.emails, email)))
            routes[key] = (mailer, Recipients(emails=emails))


def _payload(
    notify: Notify, app: AppConfig | None, policy: Policy, links: LinkSigner, *, tz: ZoneInfo,
    language: str,
) -> dict[str, Any]:
    incident = notify.incident
    return build_payload(
        incident, tz,
        app={
            "name": incident.app_name,
            "department": app.department if app else "",
            "category": app.category if app else "",
            "tier": app.tier if app else None,
            "owner_name": app.owner.name if app and app.owner else None,
        },
        links={"ack": links.ack_url(incident.id, incident.reopen_count),
               "incident": links.incident_url(incident.id)},
        deadlines={
            "response": iso(policy.response_due(incident), tz),
            "resolution": iso(policy.resolution_due(incident), tz),
        },
        language=language,
    )
