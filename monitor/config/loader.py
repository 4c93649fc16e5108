"""Loads the config file (CONTRACT.md §2) into frozen objects, or raises ConfigError with every
problem found: sections, apps and their checks (kinds from PROBE_KINDS), notifiers (kinds
from NOTIFIER_KINDS), the apps file, and the references between them. The apps and their
checks are built by apps.py; rules shared by list entries (kinds, ids, notify names) are in
entries.py.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.config.apps import Apps
from monitor.config.appsfile import AppsFileError, read_apps_file
from monitor.config.build import FAILED, Builder, failed
from monitor.config.entries import ESCALATION_TARGETS, check_refs, claim_id, kinded
from monitor.config.yamlnodes import (
    ConfigError,
    ConfigIssue,
    Issues,
    Map,
    Node,
    Scalar,
    Seq,
    join,
    parse_yaml,
)
from monitor.core.config.model import (
    DEFAULT_ESCALATION,
    AlertingConfig,
    Config,
    ConsoleConfig,
    Defaults,
    EscalationStep,
    GovernanceConfig,
    InfluxConfig,
    MaintenanceWindow,
    NotifierCommon,
    NotifierConfig,
    ReportsConfig,
    ServiceConfig,
    SlaConfig,
)
from monitor.core.config.windows import ALL_APPS


@dataclass(frozen=True)
class Section:
    """A top-level key read generically: its node is built as `hint`; absent, it is `default()`.
    A new section is one line here plus the same-named field on Config."""

    key: str
    hint: Any
    default: Callable[[], Any]
    doc: str


SECTIONS: Final[tuple[Section, ...]] = (
    Section("service", ServiceConfig, ServiceConfig, "the service: listen address, storage, API"),
    Section("influxdb", InfluxConfig, lambda: None, "optional InfluxDB v2 sink for Grafana"),
    Section("defaults", Defaults, Defaults, "apply to every check unless it overrides them"),
    Section("sla", SlaConfig, SlaConfig, "response and resolution limits of an incident"),
    Section("alerting", AlertingConfig, AlertingConfig,
            "incident behaviour: flapping, reminders, severity by tier, Alertmanager"),
    Section("reports", ReportsConfig, ReportsConfig,
            "the monthly report: written on the 1st and mailed through an email notifier"),
    Section("console", ConsoleConfig, ConsoleConfig,
            "the web console: open reading for a wall screen, sign-in lifetime, live updates"),
    Section("governance", GovernanceConfig, GovernanceConfig,
            "inventory governance: quarterly notice days, rectification items and reminders"),
    Section(
        "escalation",
        tuple[EscalationStep, ...],
        lambda: DEFAULT_ESCALATION,
        'steps while an incident is open and unacknowledged; default: at 0s "app" and "owner"',
    ),
    Section("maintenance", tuple[MaintenanceWindow, ...], tuple,
            "times when probes run but no incident opens and nothing is sent"),
)
# Top-level keys built by code below rather than from SECTIONS.
SPECIAL_KEYS: Final = ("apps", "apps_file", "apps_file_sheet", "notifiers")
TOP_LEVEL_KEYS: Final = (*(section.key for section in SECTIONS), *SPECIAL_KEYS)

_NOTIFIER_KINDS: Final = {name: kind.spec_type for name, kind in NOTIFIER_KINDS.items()}


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """The config at `path`, with `${NAME}` taken from `env` (default: the process environment).
    Raises ConfigError listing every problem."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError([ConfigIssue(file, 0, "", f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigIssue(file, 0, "", "not UTF-8 text")]) from exc
    issues = Issues(primary=file)
    root = parse_yaml(text, file, os.environ if env is None else env, issues)
    config = None
    if isinstance(root, Map):
        config = _Loader(path, issues).load(root)
    elif root is not None or not issues:
        issues.add(file, 1, "", "expected a mapping of sections (service, apps, notifiers, ...)")
    issues.raise_if_any()
    assert config is not None  # no issues means every part was built
    return config


class _Loader:
    def __init__(self, path: Path, issues: Issues) -> None:
        self.path = path
        self.issues = issues
        self.b = Builder(issues)

    def load(self, root: Map) -> Config | None:
        self.b.unknown_keys(root, "", TOP_LEVEL_KEYS)
        values = {section.key: self._section(root, section) for section in SECTIONS}
        notifiers = self._notifiers(root.get("notifiers"))
        notifier_ids = _ids(root.get("notifiers")) - set(ESCALATION_TARGETS)
        defaults = values["defaults"] if values["defaults"] is not FAILED else Defaults()
        apps = Apps(self.b, defaults, notifier_ids)
        apps.add_all(root.get("apps"), "apps")
        self._apps_file(root, apps)
        if not apps.count:
            line = root.entries["apps"].key_line if "apps" in root.entries else 1
            self.issues.add(root.file, line, "apps", "no apps: list them here or give apps_file")
        self._escalation(root.get("escalation"), values["escalation"], notifier_ids)
        self._maintenance(root.get("maintenance"), set(apps.seen))
        self._reports_mailer(root.get("reports"), values["reports"], notifiers)
        self._governance_notify(root.get("governance"), values["governance"], notifier_ids)
        if self.issues or failed(*values.values(), notifiers):
            return None
        return Config(source=self.path, apps=tuple(apps.apps), notifiers=notifiers, **values)

    def _reports_mailer(self, node: Node | None, reports: Any, notifiers: Any) -> None:
        """reports.email_via must name an email notifier."""
        if node is None or failed(reports, notifiers) or reports.email_via is None:
            return
        found = notifiers.get(reports.email_via)
        if found is None or found.kind != "email":
            line = node.entries["email_via"].key_line if isinstance(node, Map) \
                and "email_via" in node.entries else node.line
            self.issues.add(node.file, line, "reports.email_via",
                            f"{reports.email_via!r} is not an email notifier")

    def _governance_notify(self, node: Node | None, governance: Any,
                           notifier_ids: set[str]) -> None:
        """governance.notify must name declared notifiers (even ones that failed to build)."""
        if node is None or failed(governance) or not isinstance(node, Map):
            return
        line = node.entries["notify"].key_line if "notify" in node.entries else node.line
        for notifier_id in governance.notify:
            if notifier_id not in notifier_ids:
                self.issues.add(node.file, line, "governance.notify",
                                f"unknown notifier {notifier_id!r}")

    def _section(self, root: Map, section: Section) -> Any:
        node = root.get(section.key)
        if node is None:
            return section.default()
        return self.b.value(section.hint, node, section.key)

    def _notifiers(self, node: Node | None) -> Any:
        if node is None:
            return MappingProxyType({})
        if not isinstance(node, Seq):
            return self.b.fail(node, "notifiers", "expected a list of notifiers")
        built: dict[str, NotifierConfig] = {}
        seen: dict[str, Scalar] = {}
        for i, item in enumerate(node.items):
            path = f"notifiers[{i}]"
            kinds = _NOTIFIER_KINDS
            common, spec = kinded(
                self.b, item, path, common_cls=NotifierCommon, kinds=kinds, what="notifier"
            )
            fresh = claim_id(self.b, item, path, seen, "notifier", pattern=False)
            if common is not FAILED and common.id in ESCALATION_TARGETS:
                reserved = f"{common.id!r} is reserved for escalation steps; choose another id"
                self.b.fail(item, join(path, "id"), reserved)
            elif fresh and not failed(common, spec):
                built[common.id] = NotifierConfig(common.id, common.kind, spec)
        return MappingProxyType(built)

    def _apps_file(self, root: Map, apps: Apps) -> None:
        node, sheet_node = root.get("apps_file"), root.get("apps_file_sheet")
        if node is None:
            if sheet_node is not None:
                self.b.fail(sheet_node, "apps_file_sheet", "given without apps_file")
            return
        name = self.b.value(str, node, "apps_file")
        sheet = None if sheet_node is None else self.b.value(str, sheet_node, "apps_file_sheet")
        if failed(name, sheet):
            return
        try:
            table = read_apps_file(self.path.parent / name, sheet, self.issues)
        except AppsFileError as exc:
            self.b.fail(node, "apps_file", str(exc))
            return
        if not table.rows and table.usable:
            self.b.fail(node, "apps_file", f"{table.file} has no rows of apps")
        apps.add_table(table, self.issues)

    def _escalation(self, node: Node | None, steps: Any, notifier_ids: set[str]) -> None:
        items = node.items if isinstance(node, Seq) else ()
        for i, step in enumerate(items):
            if isinstance(step, Map):
                path = f"escalation[{i}].notify"
                check_refs(self.b, step.get("notify"), path, notifier_ids, escalation=True)
        if steps is FAILED or not items:
            return
        for i in range(1, len(steps)):
            item = items[i]
            after = item.get("after") if isinstance(item, Map) else None
            if steps[i].after_s < steps[i - 1].after_s and after is not None:
                message = "steps must be in order of 'after'"
                self.b.fail(after, f"escalation[{i}].after", message)

    def _maintenance(self, node: Node | None, app_ids: set[str]) -> None:
        """Window ids are well-formed and unique; `apps` names apps defined here or in the apps
        file (even ones with errors of their own: those are reported already)."""
        seen: dict[str, Scalar] = {}
        known = app_ids | {ALL_APPS}
        for i, item in enumerate(node.items if isinstance(node, Seq) else ()):
            path = f"maintenance[{i}]"
            claim_id(self.b, item, path, seen, "maintenance window", pattern=True)
            refs = item.get("apps") if isinstance(item, Map) else None
            for j, ref in enumerate(refs.items if isinstance(refs, Seq) else ()):
                if isinstance(ref, Scalar) and not ref.unresolved and ref.text not in known:
                    self.b.fail(ref, f"{path}.apps[{j}]", _unknown_app(ref.text, app_ids))


def _unknown_app(name: str, ids: set[str]) -> str:
    """Suggests one close id, never the whole list: an inventory may hold thousands of apps."""
    close = difflib.get_close_matches(name, sorted(ids), n=1, cutoff=0.6)
    return f"unknown app {name!r}" + (f"; did you mean {close[0]!r}?" if close else "")


def _ids(node: Node | None) -> set[str]:
    """The ids written in a list of entries, whether or not the entries themselves are valid."""
    items: Iterable[Node] = node.items if isinstance(node, Seq) else ()
    return {
        entry.text
        for item in items
        if isinstance(item, Map) and isinstance(entry := item.get("id"), Scalar)
    }
