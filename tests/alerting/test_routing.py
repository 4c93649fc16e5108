"""Who gets a notification: notifier ids, "app" (the app's notify list) and "owner"."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from alerting.engine import Notify
from alerting.links import LinkSigner
from alerting.model import Event
from alerting.policies import Policies
from alerting.routing import deliveries_for
from monitor.config import load_config
from tests.support.receivers import sample_incident
from tests.support.target import write_config

CONFIG = """
notifiers:
  - {id: "robot", kind: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=t"}
  - {id: "hook", kind: "webhook", url: "http://127.0.0.1:9/hook"}
  - {id: "mail", kind: "email", host: "127.0.0.1", sender: "m@example.org", to: ["ops@example.org"]}
apps:
  - id: "kq-oa"
    name: "柯桥区协同办公"
    url: "http://127.0.0.1:9/"
    notify: ["robot", "hook"]
    owner: {name: "张三", mobile: "13800000001", email: "zhangsan@example.org"}
"""


def route(tmp_path: Path, targets: tuple[str, ...]) -> dict[str, tuple[str, tuple[str, ...],
                                                                       tuple[str, ...]]]:
    config = load_config(write_config(tmp_path, CONFIG))
    policies = Policies(config)
    _, policy = policies.for_key(("kq-oa", "home"))
    incident = sample_incident(app_id="kq-oa", check_id="home")
    found = deliveries_for(
        Notify(incident, Event.OPENED, "0", targets), config.app("kq-oa"), config.notifiers,
        policy=policy, links=LinkSigner(b"k", "http://monitor.example.org"),
        tz=ZoneInfo("Asia/Shanghai"), language="zh-CN", now=incident.opened_at)
    return {d.target: (d.notifier_id, d.recipients.at_mobiles, d.recipients.emails)
            for d in found}


def test_app_and_owner(tmp_path: Path) -> None:
    assert route(tmp_path, ("app", "owner")) == {
        "robot": ("robot", ("13800000001",), ()),  # the owner is @-mentioned on the app's robot
        "hook": ("hook", (), ()),
        "mail:owner": ("mail", (), ("zhangsan@example.org",)),  # and mailed personally
    }


def test_owner_alone_still_reaches_the_owner(tmp_path: Path) -> None:
    assert route(tmp_path, ("owner",)) == {
        "robot:owner": ("robot", ("13800000001",), ()),
        "mail:owner": ("mail", (), ("zhangsan@example.org",)),
    }


def test_a_notifier_id_and_ids_stable_per_target(tmp_path: Path) -> None:
    assert route(tmp_path, ("mail",)) == {"mail": ("mail", (), ())}
    config = load_config(write_config(tmp_path, CONFIG))
    _, policy = Policies(config).for_key(("kq-oa", "home"))
    incident = sample_incident(app_id="kq-oa", check_id="home")
    args = {"policy": policy, "links": LinkSigner(b"k", "http://x"), "tz": ZoneInfo("UTC"),
            "language": "zh-CN"}
    first = deliveries_for(Notify(incident, Event.OPENED, "0", ("app",)), config.app("kq-oa"),
                           config.notifiers, now=1.0, **args)  # type: ignore[arg-type]
    again = deliveries_for(Notify(incident, Event.OPENED, "0", ("app",)), config.app("kq-oa"),
                           config.notifiers, now=99.0, **args)  # type: ignore[arg-type]
    assert [d.id for d in first] == [d.id for d in again]  # a retry or replay: same ids
    assert first[0].payload["links"]["ack"].startswith("http://x/ack/")
