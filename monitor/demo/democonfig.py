"""The demo's config as a file of its own: monitor/demo/demo.yaml with its ${DEMO_*} filled in.

    text = render(DEMO_TEMPLATE.read_text(encoding="utf-8"), variables)
    write_private(data_dir / "config.yaml", text)

Only the scalars that name a variable are rewritten, each in the quoting style it had (so the
comments and layout stay, and a path with a quote in it stays one string); what is left is a
plain config that `run`, `check`, `report` and `inventory` load as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import yaml

_VAR_RE: Final = re.compile(r"\$\{(DEMO_[A-Z0-9_]*)\}")
_PLAIN_SAFE: Final = re.compile(r"^[A-Za-z0-9_./:-]+$")
HANDOVER_AFTER_S: Final = 180.0  # the rota's handover, a few minutes into the demo


def rota_variables(now: float, tz: ZoneInfo) -> dict[str, str]:
    """A daily rota whose next handover is HANDOVER_AFTER_S from `now` (rounded up to the
    minute, local time): the first turn began a day before it, so the first member is on duty
    at start and the second takes over during the demo."""
    handover = dt.datetime.fromtimestamp(math.ceil((now + HANDOVER_AFTER_S) / 60) * 60, tz)
    first_turn = handover - dt.timedelta(days=1)
    return {"DEMO_ONCALL_START": first_turn.date().isoformat(),
            "DEMO_ONCALL_HANDOVER": handover.strftime("%H:%M")}


def render(template: str, variables: Mapping[str, str]) -> str:
    """`template` with every ${DEMO_*} of its values replaced (KeyError: one not given)."""
    lines = template.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    for node in _scalars(yaml.compose(template, Loader=yaml.SafeLoader)):
        if not _VAR_RE.search(node.value):
            continue
        value = _VAR_RE.sub(lambda m: variables[m.group(1)], node.value)
        start = offsets[node.start_mark.line] + node.start_mark.column
        end = offsets[node.end_mark.line] + node.end_mark.column
        edits.append((start, end, _quoted(value, node.style)))
    out = template
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out


def _quoted(value: str, style: str | None) -> str:
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and _PLAIN_SAFE.match(value):
        return value  # a port: plain, so it stays a number
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML one


def _scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by its owner only (it holds the demo's secrets)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode on O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
