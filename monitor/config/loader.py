"""Loads the config file (CONTRACT.md §2) into frozen objects, or raises ConfigError with every
problem found: sections, apps and their checks (kinds from PROBE_KINDS), notifiers (kinds
from NOTIFIER_KINDS), the apps file, and the references between them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from alerting.notifiers.registry import NOTIFIER_KINDS
from monitor.config.appsfile import AppsFileError, AppsTable, read_apps_file
from monitor.config.build import FAILED, Builder, config_keys, failed, unknown_key_message
from monitor.config.model import (
    DEFAULT_ESCALATION,
    EMAIL_PATTERN,
    ID_PATTERN,
    MOBILE_PATTERN,
    NOTIFY_APP,
    NOTIFY_OWNER,
    AppConfig,
    CheckCommon,
    CheckConfig,
    Config,
    Defaults,
    EscalationStep,
    InfluxConfig,
    NotifierCommon,
    NotifierConfig,
    ServiceConfig,
    SlaConfig,
)
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
from probes.http import HttpSpec
from probes.registry import PROBE_KINDS


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
    Section(
        "escalation",
        tuple[EscalationStep, ...],
        lambda: DEFAULT_ESCALATION,
        'steps while an incident is open and unacknowledged; default: at 0s "app" and "owner"',
    ),
)
# Top-level keys built by code below rather than from SECTIONS.
SPECIAL_KEYS: Final = ("apps", "apps_file", "apps_file_sheet", "notifiers")
TOP_LEVEL_KEYS: Final = (*(section.key for section in SECTIONS), *SPECIAL_KEYS)

_ID_RE: Final = re.compile(ID_PATTERN)
_MOBILE_MESSAGE: Final = "bad mobile number {!r}: expected 11 digits starting with 1"
_OWNER_RULES: Final = (
    ("mobile", re.compile(MOBILE_PATTERN), _MOBILE_MESSAGE),
    ("email", re.compile(EMAIL_PATTERN), "bad email address {!r}"),
)
_CHECK_KINDS: Final = {name: kind.spec_type for name, kind in PROBE_KINDS.items()}
_NOTIFIER_KINDS: Final = {name: kind.spec_type for name, kind in NOTIFIER_KINDS.items()}
_ESCALATION_TARGETS: Final = (NOTIFY_APP, NOTIFY_OWNER)


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
        notifier_ids = _ids(root.get("notifiers")) - set(_ESCALATION_TARGETS)
        defaults = values["defaults"] if values["defaults"] is not FAILED else Defaults()
        apps = _Apps(self.b, defaults, notifier_ids)
        apps.add_all(root.get("apps"), "apps")
        self._apps_file(root, apps)
        if not apps.count:
            line = root.entries["apps"].key_line if "apps" in root.entries else 1
            self.issues.add(root.file, line, "apps", "no apps: list them here or give apps_file")
        self._escalation(root.get("escalation"), values["escalation"], notifier_ids)
        if self.issues or failed(*values.values(), notifiers):
            return None
        return Config(source=self.path, apps=tuple(apps.apps), notifiers=notifiers, **values)

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
            common, spec = _kinded(
                self.b, item, path, common_cls=NotifierCommon, kinds=kinds, what="notifier"
            )
            fresh = _claim_id(self.b, item, path, seen, "notifier", pattern=False)
            if common is not FAILED and common.id in _ESCALATION_TARGETS:
                reserved = f"{common.id!r} is reserved for escalation steps; choose another id"
                self.b.fail(item, join(path, "id"), reserved)
            elif fresh and not failed(common, spec):
                built[common.id] = NotifierConfig(common.id, common.kind, spec)
        return MappingProxyType(built)

    def _apps_file(self, root: Map, apps: _Apps) -> None:
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
                _check_refs(self.b, step.get("notify"), path, notifier_ids, escalation=True)
        if steps is FAILED or not items:
            return
        for i in range(1, len(steps)):
            item = items[i]
            after = item.get("after") if isinstance(item, Map) else None
            if steps[i].after_s < steps[i - 1].after_s and after is not None:
                message = "steps must be in order of 'after'"
                self.b.fail(after, f"escalation[{i}].after", message)


class _Apps:
    """Builds apps from YAML entries and spreadsheet rows alike; ids are unique across both."""

    def __init__(self, builder: Builder, defaults: Defaults, notifier_ids: set[str]) -> None:
        self.b = builder
        self.defaults = defaults
        self.notifier_ids = notifier_ids
        self.apps: list[AppConfig] = []
        self.count = 0
        self.seen: dict[str, Scalar] = {}

    def add_all(self, node: Node | None, path: str) -> None:
        if node is None:
            return
        if not isinstance(node, Seq):
            self.b.fail(node, path, "expected a list of apps")
            return
        for i, item in enumerate(node.items):
            self.add(item, f"{path}[{i}]")

    def add_table(self, table: AppsTable, issues: Issues) -> None:
        """Rows are built into their own issue list, then renamed to the sheet's columns."""
        row_issues, saved = Issues(), self.b
        self.b = Builder(row_issues)
        try:
            for row in table.rows:
                self.add(row, "", url_required=True)
        finally:
            self.b = saved
        issues.extend(table.in_sheet_order(row_issues))

    def add(self, node: Node, path: str, *, url_required: bool = False) -> None:
        self.count += 1
        if not isinstance(node, Map):
            self.b.fail(node, path, "expected an app (a mapping)")
            return
        checks = self._checks(node.get("checks"), join(path, "checks"))
        supplied = {"checks": (), "line": node.line}  # checks are built above, with their kinds
        app = self.b.dataclass(AppConfig, node, path, supplied=supplied, also_known=["checks"])
        _claim_id(self.b, node, path, self.seen, "app", pattern=True)
        self._check_owner(node.get("owner"), join(path, "owner"))
        notify_path = join(path, "notify")
        _check_refs(self.b, node.get("notify"), notify_path, self.notifier_ids, escalation=False)
        if checks == () and node.get("url") is None:
            if url_required:  # a spreadsheet row has no checks column: the url is the check
                self.b.fail(node, join(path, "url"), "missing required key 'url'")
            else:
                message = "no checks: give checks, or url for a home page check"
                self.b.fail(node, join(path, "checks"), message)
            return
        if failed(app, checks):
            return
        if not checks:  # the inventory form: watch the entry page, any 2xx passes
            home = CheckCommon(id="home", kind="http")
            checks = (self._check_config(home, HttpSpec(url=app.url), node.line),)
        self.apps.append(replace(app, checks=checks))

    def _checks(self, node: Node | None, path: str) -> Any:
        if node is None:
            return ()
        if not isinstance(node, Seq):
            return self.b.fail(node, path, "expected a list of checks")
        seen: dict[str, Scalar] = {}
        checks = []
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            common, spec = _kinded(
                self.b, item, item_path, common_cls=CheckCommon, kinds=_CHECK_KINDS, what="check"
            )
            _claim_id(self.b, item, item_path, seen, "check", pattern=True)
            if not failed(common, spec):
                checks.append(self._check_config(common, spec, item.line))
        return tuple(checks) if len(checks) == len(node.items) else FAILED

    def _check_config(self, common: CheckCommon, spec: Any, line: int) -> CheckConfig:
        d = self.defaults
        return CheckConfig(
            id=common.id,
            kind=common.kind,
            spec=spec,
            interval_s=d.interval_s if common.interval_s is None else common.interval_s,
            timeout_s=d.timeout_s if common.timeout_s is None else common.timeout_s,
            confirm=d.confirm if common.confirm is None else common.confirm,
            recover=d.recover if common.recover is None else common.recover,
            line=line,
        )

    def _check_owner(self, node: Node | None, path: str) -> None:
        if not isinstance(node, Map):
            return
        for key, pattern, message in _OWNER_RULES:
            value = node.get(key)
            if not isinstance(value, Scalar) or value.is_null or value.unresolved:
                continue
            if not pattern.match(value.text):
                self.b.fail(value, join(path, key), message.format(value.text))


def _kinded(
    b: Builder,
    node: Node,
    path: str,
    *,
    common_cls: type[Any],
    kinds: Mapping[str, type[Any]],
    what: str,
) -> tuple[Any, Any]:
    """(common keys, the kind's spec) of a check or notifier; FAILED for a part that failed."""
    common = b.dataclass(common_cls, node, path, check_unknown=False)
    kind = node.get("kind") if isinstance(node, Map) else None
    if not isinstance(kind, Scalar) or kind.unresolved or kind.is_null:
        return common, FAILED  # not a mapping, or no kind: reported while building `common`
    spec_type = kinds.get(kind.text)
    if spec_type is None:
        message = f"unknown {what} kind {kind.text!r}; known kinds: {', '.join(sorted(kinds))}"
        return common, b.fail(kind, join(path, "kind"), message)
    return common, b.dataclass(spec_type, node, path, also_known=config_keys(common_cls))


def _claim_id(
    b: Builder, node: Node, path: str, seen: dict[str, Scalar], what: str, *, pattern: bool
) -> bool:
    """Checks the id's format and that it is the first of its name; False for a repeat."""
    id_node = node.get("id") if isinstance(node, Map) else None
    if not isinstance(id_node, Scalar) or id_node.is_null or id_node.unresolved:
        return False
    key_path, text = join(path, "id"), id_node.text
    if pattern and not _ID_RE.match(text):
        rule = "use a-z, 0-9 and '-', not starting with '-'"
        b.fail(id_node, key_path, f"bad {what} id {text!r}: {rule}")
    first = seen.setdefault(text, id_node)
    if first is id_node:
        return True
    where = f"line {first.line}" if first.file == id_node.file else f"{first.file}:{first.line}"
    b.fail(id_node, key_path, f"duplicate {what} id {text!r} (first at {where})")
    return False


def _check_refs(
    b: Builder, node: Node | None, path: str, ids: set[str], *, escalation: bool
) -> None:
    """Every name in a notify list must be a notifier (or, in escalation, "app" / "owner")."""
    known = set(ids) | (set(_ESCALATION_TARGETS) if escalation else set())
    for i, item in enumerate(node.items if isinstance(node, Seq) else ()):
        if isinstance(item, Scalar) and not item.unresolved and item.text not in known:
            if known:
                message = unknown_key_message(item.text, known, what="notifier")
            else:
                message = f"unknown notifier {item.text!r}: no notifiers are defined"
            b.fail(item, f"{path}[{i}]", message)


def _ids(node: Node | None) -> set[str]:
    """The ids written in a list of entries, whether or not the entries themselves are valid."""
    items: Iterable[Node] = node.items if isinstance(node, Seq) else ()
    return {
        entry.text
        for item in items
        if isinstance(item, Map) and isinstance(entry := item.get("id"), Scalar)
    }
