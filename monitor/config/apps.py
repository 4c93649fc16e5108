"""Builds the apps and their checks, from YAML entries and spreadsheet rows alike: each check's
kind (from PROBE_KINDS) picks its spec, unset timings come from `defaults`, and an app with
only a url gets a home page check.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Final

from monitor.config.appsfile import AppsTable
from monitor.config.build import FAILED, Builder, failed
from monitor.config.entries import check_refs, claim_id, kinded
from monitor.config.yamlnodes import Issues, Map, Node, Scalar, Seq, join
from monitor.core.config.model import (
    EMAIL_PATTERN,
    MOBILE_PATTERN,
    AppConfig,
    CheckCommon,
    CheckConfig,
    Defaults,
)
from monitor.core.configtext import ConfigText
from probes.http import HttpSpec
from probes.registry import PROBE_KINDS

_OWNER_RULES: Final = (  # key, its format, the catalog message when it is not met
    ("mobile", re.compile(MOBILE_PATTERN), "owner.bad_mobile"),
    ("email", re.compile(EMAIL_PATTERN), "owner.bad_email"),
)
_CHECK_KINDS: Final = {name: kind.spec_type for name, kind in PROBE_KINDS.items()}


class Apps:
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
            self.b.fail(node, path, ConfigText("apps.not_list"))
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
            self.b.fail(node, path, ConfigText("app.not_mapping"))
            return
        checks = self._checks(node.get("checks"), join(path, "checks"))
        supplied = {"checks": (), "line": node.line}  # checks are built above, with their kinds
        app = self.b.dataclass(AppConfig, node, path, supplied=supplied, also_known=["checks"])
        claim_id(self.b, node, path, self.seen, "what.app", pattern=True)
        self._check_owner(node.get("owner"), join(path, "owner"))
        notify_path = join(path, "notify")
        check_refs(self.b, node.get("notify"), notify_path, self.notifier_ids, escalation=False)
        if checks == () and node.get("url") is None:
            if url_required:  # a spreadsheet row has no checks column: the url is the check
                self.b.fail(node, join(path, "url"), ConfigText("key.missing", field="url"))
            else:
                self.b.fail(node, join(path, "checks"), ConfigText("app.no_checks"))
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
            return self.b.fail(node, path, ConfigText("checks.not_list"))
        seen: dict[str, Scalar] = {}
        checks = []
        for i, item in enumerate(node.items):
            item_path = f"{path}[{i}]"
            common, spec = kinded(
                self.b, item, item_path, common_cls=CheckCommon, kinds=_CHECK_KINDS,
                what="what.check",
            )
            claim_id(self.b, item, item_path, seen, "what.check", pattern=True)
            if not failed(common, spec):
                checks.append(self._check_config(common, spec, item.line))
        return tuple(checks) if len(checks) == len(node.items) else FAILED

    def _check_config(self, common: CheckCommon, spec: Any, line: int) -> CheckConfig:
        d = self.defaults
        return CheckConfig(
            id=common.id,
            kind=common.kind,
            spec=_with_defaults(spec, d),
            interval_s=d.interval_s if common.interval_s is None else common.interval_s,
            timeout_s=d.timeout_s if common.timeout_s is None else common.timeout_s,
            confirm=d.confirm if common.confirm is None else common.confirm,
            recover=d.recover if common.recover is None else common.recover,
            line=line,
            name=common.name or None,
        )

    def _check_owner(self, node: Node | None, path: str) -> None:
        if not isinstance(node, Map):
            return
        for key, pattern, message in _OWNER_RULES:
            value = node.get(key)
            if not isinstance(value, Scalar) or value.is_null or value.unresolved:
                continue
            if not pattern.match(value.text):
                self.b.fail(value, join(path, key), ConfigText(message, value=value.text))


# Spec keys that fall back to the key of the same name in `defaults` when a check leaves them
# unset (None); a kind whose spec lacks the key is not affected.
_INHERITED: Final = ("proxy", "ip_version")


def _with_defaults(spec: Any, defaults: Defaults) -> Any:
    unset = {
        name: getattr(defaults, name)
        for name in _INHERITED
        if name in getattr(spec, "__dataclass_fields__", {}) and getattr(spec, name) is None
    }
    return replace(spec, **unset) if unset else spec
