"""JSON path syntax (`data.items[0].state`, `$.a["b c"]`): parsed once, shared by the
probes' JSON assertions and the config of JSON traffic sources."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from monitor.core.configtext import ConfigValueError

Segment = str | int

_SEGMENT: Final = re.compile(
    r"""\.?(?P<name>[^.\[\]"']+)|\[(?P<index>-?\d+)\]|\[(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')\]"""
)


@lru_cache(maxsize=1024)  # the same few paths are evaluated on every run
def parse_path(path: str) -> tuple[Segment, ...]:
    """Split a path into keys and list indexes; raises ConfigValueError (a ValueError) on bad
    syntax."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    if text.startswith("."):
        text = text[1:]
    segments: list[Segment] = []
    pos = 0
    while pos < len(text):
        match = _SEGMENT.match(text, pos)
        # A key needs a dot before it, except the first one (which must not have one).
        if match is None or (match.group("name") and (text[pos] == ".") != (pos > 0)):
            raise ConfigValueError("jsonpath.bad", path=path, position=pos + 1)
        index = match.group("index")
        if index is not None:
            segments.append(int(index))
        else:
            segments.append(next(g for g in match.group("name", "dq", "sq") if g is not None))
        pos = match.end()
    return tuple(segments)
