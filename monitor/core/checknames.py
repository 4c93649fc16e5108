"""How people read a check: by its `name` (首页, 登录流程), else by its kind's name (网页, 证书),
never by its id, which is for config files, URLs and labels."""

from __future__ import annotations

from monitor.core.catalog import pick
from monitor.core.catalog.service import WORDS


def check_title(name: str | None, kind: str | None, check_id: str, lang: str) -> str:
    """`name`, else the kind's word in `lang`; the id only for a kind the catalog lacks (an
    external alert's own name, which is a name already)."""
    if name:
        return name
    key = f"probe.{kind}"
    return pick(WORDS, lang, key) if key in WORDS else check_id
