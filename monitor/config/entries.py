"""Rules shared by the entries of the config's lists (apps, checks, notifiers): a `kind` picks
the spec class, an id is unique in its list, and notify lists name defined notifiers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from monitor.config.build import FAILED, Builder, config_keys, unknown_key_message
from monitor.config.yamlnodes import Map, Node, Scalar, Seq, join
from monitor.core.config.model import ID_PATTERN, NOTIFY_APP, NOTIFY_OWNER
from monitor.core.configtext import ConfigText

ESCALATION_TARGETS: Final = (NOTIFY_APP, NOTIFY_OWNER)
"""Names an escalation step may notify besides the notifiers; no notifier may take them."""

_ID_RE: Final = re.compile(ID_PATTERN)


def kinded(
    b: Builder,
    node: Node,
    path: str,
    *,
    common_cls: type[Any],
    kinds: Mapping[str, type[Any]],
    what: str,
) -> tuple[Any, Any]:
    """(common keys, the kind's spec) of a check or notifier; FAILED for a part that failed.
    `what` names the entry (a `what.*` word of the catalog)."""
    common = b.dataclass(common_cls, node, path, check_unknown=False)
    kind = node.get("kind") if isinstance(node, Map) else None
    if not isinstance(kind, Scalar) or kind.unresolved or kind.is_null:
        return common, FAILED  # not a mapping, or no kind: reported while building `common`
    spec_type = kinds.get(kind.text)
    if spec_type is None:
        message = ConfigText("kind.unknown", what=ConfigText(what), kind=kind.text,
                             kinds=", ".join(sorted(kinds)))
        return common, b.fail(kind, join(path, "kind"), message)
    return common, b.dataclass(spec_type, node, path, also_known=config_keys(common_cls))


def claim_id(
    b: Builder, node: Node, path: str, seen: dict[str, Scalar], what: str, *, pattern: bool
) -> bool:
    """Checks the id's format and that it is the first of its name; False for a repeat.
    `what` names the entry (a `what.*` word of the catalog)."""
    id_node = node.get("id") if isinstance(node, Map) else None
    if not isinstance(id_node, Scalar) or id_node.is_null or id_node.unresolved:
        return False
    key_path, text = join(path, "id"), id_node.text
    if pattern and not _ID_RE.match(text):
        b.fail(id_node, key_path, ConfigText("id.bad", what=ConfigText(what), id=text))
    first = seen.setdefault(text, id_node)
    if first is id_node:
        return True
    where = ConfigText("where.line", line=first.line) if first.file == id_node.file else \
        ConfigText("where.file", file=first.file, line=first.line)
    b.fail(id_node, key_path,
           ConfigText("id.duplicate", what=ConfigText(what), id=text, where=where))
    return False


def check_refs(
    b: Builder, node: Node | None, path: str, ids: set[str], *, escalation: bool
) -> None:
    """Every name in a notify list must be a notifier (or, in escalation, "app" / "owner")."""
    known = set(ids) | (set(ESCALATION_TARGETS) if escalation else set())
    for i, item in enumerate(node.items if isinstance(node, Seq) else ()):
        if isinstance(item, Scalar) and not item.unresolved and item.text not in known:
            if known:
                message = unknown_key_message(item.text, known, what="what.notifier")
            else:
                message = ConfigText("notifier.none_defined", id=item.text)
            b.fail(item, f"{path}[{i}]", message)


def check_api_tokens(b: Builder, service: Node | None) -> None:
    """service.api_tokens: names and tokens unique (a token is never quoted: it is a secret)."""
    tokens = service.get("api_tokens") if isinstance(service, Map) else None
    names: dict[str, Scalar] = {}
    values: dict[str, tuple[int, Scalar]] = {}
    for i, item in enumerate(tokens.items if isinstance(tokens, Seq) else ()):
        path = f"service.api_tokens[{i}]"
        name = item.get("name") if isinstance(item, Map) else None
        if isinstance(name, Scalar) and not name.unresolved and not name.is_null:
            first = names.setdefault(name.text, name)
            if first is not name:
                b.fail(name, join(path, "name"), ConfigText(
                    "api_token.name_taken", name=name.shown, where=_where(first, name)))
        token = item.get("token") if isinstance(item, Map) else None
        if isinstance(token, Scalar) and not token.unresolved and not token.is_null:
            index, seen = values.setdefault(token.text, (i, token))
            if seen is not token:
                b.fail(token, join(path, "token"), ConfigText(
                    "api_token.same", index=index, where=_where(seen, token)))


def _where(first: Scalar, later: Scalar) -> ConfigText:
    if first.file == later.file:
        return ConfigText("where.line", line=first.line)
    return ConfigText("where.file", file=first.file, line=first.line)
