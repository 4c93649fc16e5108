"""Which apps declare their tier: the loaded config cannot tell (an unwritten `tier` becomes 3,
"normal"), yet an undeclared tier is a gap in the inventory the centre wants listed.

So the config's own files are read again, as node trees, with the loader's parser and the apps
spreadsheet reader: an app declares its tier when its YAML entry or spreadsheet row has a
non-empty `tier`. The config was loaded from these files a moment ago, so this cannot fail in
a way loading did not; if it does anyway (a file changed underneath), None says "cannot tell"
and no app is reported for its tier.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from monitor.config.appsfile import AppsFileError, read_apps_file
from monitor.config.yamlnodes import Issues, Map, Node, Scalar, Seq, parse_yaml
from monitor.core.config.model import Config


def declared_tiers(config: Config) -> frozenset[str] | None:
    """Ids of the apps whose entry or row gives `tier`; None when the files cannot be read."""
    source = config.source
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    issues = Issues(str(source))
    root = parse_yaml(text, str(source), os.environ, issues)
    if not isinstance(root, Map):
        return None
    entries: list[Node] = []
    apps = root.get("apps")
    if isinstance(apps, Seq):
        entries.extend(apps.items)
    name, sheet = _text(root.get("apps_file")), _text(root.get("apps_file_sheet"))
    if name is not None:
        try:
            entries.extend(read_apps_file(source.parent / name, sheet, issues).rows)
        except AppsFileError:
            return None
    return frozenset(_with_tier(entries))


def _with_tier(entries: Iterable[Node]) -> Iterable[str]:
    for entry in entries:
        if not isinstance(entry, Map):
            continue
        app_id, tier = _text(entry.get("id")), entry.get("tier")
        if app_id is not None and isinstance(tier, Scalar) and not tier.is_null \
                and tier.text.strip():
            yield app_id


def _text(node: Node | None) -> str | None:
    if isinstance(node, Scalar) and not node.is_null:
        return node.text
    return None
