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
from monitor.config.entries import (
    ESCALATION_TARGETS,
    check_api_tokens,
    check_refs,
    claim_id,
    kinded,
)
from monitor.config.secretscan import register_config_secrets
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
from monitor.core.catalog import LANGS
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
from monitor.core.config.oncall import ONCALL_PREFIX, Rotation
from monitor.core.config.windows import ALL_APPS
from monitor.core.configtext import ConfigText, text_of


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
    Section("oncall", tuple[Rotation, ...], tuple,
            'duty rotas: escalation "oncall:<id>" is whoever is on duty, "oncall:<id>+1" the '
            "next in line"),
)
# Top-level keys built by code below rather than from SECTIONS.
SPECIAL_KEYS: Final = ("apps", "apps_file", "apps_file_sheet", "notifiers")
TOP_LEVEL_KEYS: Final = (*(section.key for section in SECTIONS), *SPECIAL_KEYS)

_NOTIFIER_KINDS: Final = {name: kind.spec_type for name, kind in NOTIFIER_KINDS.items()}


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """The config at `path`, with `${NAME}` taken from `env` (default: the process environment).
    Raises ConfigError listing every problem, with the config's service.language if it says
    one (its problems are shown in it)."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ConfigError([ConfigIssue(file, 0, "", ConfigText("file.not_found"))]) from exc
    except OSError as exc:
        unreadable = ConfigText("file.unreadable", detail=exc.strerror)
        raise ConfigError([ConfigIssue(file, 0, "", unreadable)]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigIssue(file, 0, "", ConfigText("file.not_utf8"))]) from exc
    issues = Issues(primary=file)
    root = parse_yaml(text, file, os.environ if env is None else env, issues)
    config = None
    if isinstance(root, Map):
        config = _Loader(path, issues).load(root)
    elif root is not None or not issues:
        issues.add(file, 1, "", ConfigText("root.not_mapping"))
    issues.raise_if_any(written_language(root))
    assert config is not None  # no issues means every part was built
    register_config_secrets(config, issues.substituted)
    return config


def written_language(root: Node | None) -> str | None:
    """The language the config would run in, read from the file even when it has other
    problems: service.language, or its default when the file leaves it out. None when the file
    cannot tell (not a mapping, `service` not one, a language we do not speak)."""
    if not isinstance(root, Map):
        return None
    service = root.get("service")
    if service is None:
        return ServiceConfig.language
    language = service.get("language") if isinstance(service, Map) else None
    if language is None and isinstance(service, Map):
        return ServiceConfig.language
    if isinstance(language, Scalar) and not language.unresolved and language.text in LANGS:
        return language.text
    return None


class _Loader:
    def __init__(self, path: Path, issues: Issues) -> None:
        self.path = path
        self.issues = issues
        self.b = Builder(issues)

    def load(self, root: Map) -> Config | None:
        self.b.unknown_keys(root, "", TOP_LEVEL_KEYS)
        values = {section.key: self._section(root, section) for section in SECTIONS}
        check_api_tokens(self.b, root.get("service"))
        notifiers = self._notifiers(root.get("notifiers"))
        notifier_ids = _ids(root.get("notifiers")) - set(ESCALATION_TARGETS)
        defaults = values["defaults"] if values["defaults"] is not FAILED else Defaults()
        apps = Apps(self.b, defaults, notifier_ids)
        apps.add_all(root.get("apps"), "apps")
        self._apps_file(root, apps)
        if not apps.count:
            line = root.entries["apps"].key_line if "apps" in root.entries else 1
            self.issues.add(root.file, line, "apps", ConfigText("apps.none"))
        rotation_ids = self._oncall(root.get("oncall"), notifier_ids)
        self._escalation(root.get("escalation"), values["escalation"],
                         notifier_ids | oncall_targets(rotation_ids))
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
                            ConfigText("reports.not_email", id=reports.email_via))

    def _governance_notify(self, node: Node | None, governance: Any,
                           notifier_ids: set[str]) -> None:
        """governance.notify must name declared notifiers (even ones that failed to build)."""
        if node is None or failed(governance) or not isinstance(node, Map):
            return
        line = node.entries["notify"].key_line if "notify" in node.entries else node.line
        for notifier_id in governance.notify:
            if notifier_id not in notifier_ids:
                self.issues.add(node.file, line, "governance.notify",
                                ConfigText("notifier.unknown", id=notifier_id))

    def _section(self, root: Map, section: Section) -> Any:
        node = root.get(section.key)
        if node is None:
            return section.default()
        return self.b.value(section.hint, node, section.key)

    def _notifiers(self, node: Node | None) -> Any:
        if node is None:
            return MappingProxyType({})
        if not isinstance(node, Seq):
            return self.b.fail(node, "notifiers", ConfigText("notifiers.not_list"))
        built: dict[str, NotifierConfig] = {}
        seen: dict[str, Scalar] = {}
        for i, item in enumerate(node.items):
            path = f"notifiers[{i}]"
            kinds = _NOTIFIER_KINDS
            common, spec = kinded(
                self.b, item, path, common_cls=NotifierCommon, kinds=kinds, what="what.notifier"
            )
            fresh = claim_id(self.b, item, path, seen, "what.notifier", pattern=False)
            if common is not FAILED and common.id in ESCALATION_TARGETS:
                reserved = ConfigText("notifier.reserved_id", id=common.id)
                self.b.fail(item, join(path, "id"), reserved)
            elif fresh and not failed(common, spec):
                built[common.id] = NotifierConfig(common.id, common.kind, spec)
        return MappingProxyType(built)

    def _apps_file(self, root: Map, apps: Apps) -> None:
        node, sheet_node = root.get("apps_file"), root.get("apps_file_sheet")
        if node is None:
            if sheet_node is not None:
                self.b.fail(sheet_node, "apps_file_sheet", ConfigText("apps_file_sheet.alone"))
            return
        name = self.b.value(str, node, "apps_file")
        sheet = None if sheet_node is None else self.b.value(str, sheet_node, "apps_file_sheet")
        if failed(name, sheet):
            return
        try:
            table = read_apps_file(self.path.parent / name, sheet, self.issues)
        except AppsFileError as exc:
            self.b.fail(node, "apps_file", text_of(exc))
            return
        if not table.rows and table.usable:
            self.b.fail(node, "apps_file", ConfigText("apps_file.no_rows", file=table.file))
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
                message = ConfigText("escalation.order")
                self.b.fail(after, f"escalation[{i}].after", message)

    def _oncall(self, node: Node | None, notifier_ids: set[str]) -> set[str]:
        """Rotation ids well-formed and unique; `notify` names declared notifiers. Returns the
        ids written (escalation may name them)."""
        seen: dict[str, Scalar] = {}
        for i, item in enumerate(node.items if isinstance(node, Seq) else ()):
            path = f"oncall[{i}]"
            claim_id(self.b, item, path, seen, "what.rotation", pattern=True)
            if isinstance(item, Map):
                check_refs(self.b, item.get("notify"), f"{path}.notify", notifier_ids,
                           escalation=False)
        return _ids(node)

    def _maintenance(self, node: Node | None, app_ids: set[str]) -> None:
        """Window ids are well-formed and unique; `apps` names apps defined here or in the apps
        file (even ones with errors of their own: those are reported already)."""
        seen: dict[str, Scalar] = {}
        known = app_ids | {ALL_APPS}
        for i, item in enumerate(node.items if isinstance(node, Seq) else ()):
            path = f"maintenance[{i}]"
            claim_id(self.b, item, path, seen, "what.maintenance", pattern=True)
            refs = item.get("apps") if isinstance(item, Map) else None
            for j, ref in enumerate(refs.items if isinstance(refs, Seq) else ()):
                if isinstance(ref, Scalar) and not ref.unresolved and ref.text not in known:
                    self.b.fail(ref, f"{path}.apps[{j}]", _unknown_app(ref.text, app_ids))


def _unknown_app(name: str, ids: set[str]) -> ConfigText:
    """Suggests one close id, never the whole list: an inventory may hold thousands of apps."""
    close = difflib.get_close_matches(name, sorted(ids), n=1, cutoff=0.6)
    if close:
        return ConfigText("app.unknown_close", id=name, close=close[0])
    return ConfigText("app.unknown", id=name)


def oncall_targets(rotation_ids: Iterable[str]) -> set[str]:
    """The escalation targets rotations offer: oncall:<id> and oncall:<id>+1."""
    return {f"{ONCALL_PREFIX}{rid}{suffix}" for rid in rotation_ids for suffix in ("", "+1")}


def _ids(node: Node | None) -> set[str]:
    """The ids written in a list of entries, whether or not the entries themselves are valid."""
    items: Iterable[Node] = node.items if isinstance(node, Seq) else ()
    return {
        entry.text
        for item in items
        if isinstance(item, Map) and isinstance(entry := item.get("id"), Scalar)
    }
