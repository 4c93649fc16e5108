"""The secrets of a loaded config, registered so that every output masks them
(monitor.core.secrets; `monitor.core.logs.mask_text` applies the registry).

One walk over the frozen config, done by `load_config` for every command that loads one (run,
reload, validate, check, evaluate): every value substituted from `${ENV}` (and the whole text
it went into when that is a URL; a value that is only an http(s) address, scheme and host, is
no secret and stays readable), every Secret, every SecretUrl with its parts, and the
credentials written into plain URLs (a check's `?apikey=...`, `https://user:pw@host`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from urllib.parse import parse_qsl, urlsplit

from monitor.config.issues import Substitution
from monitor.core.fields import DIRECT, Secret, SecretUrl, mask_url
from monitor.core.secrets import MASK, register, register_url


def register_config_secrets(config: object, substituted: Iterable[Substitution]) -> None:
    values: list[str] = []
    for sub in substituted:
        if _bare_address(sub.value):
            continue  # PUBLIC_URL=https://monitor.example.org: masking it would break links
        values.append(sub.value)
        if "://" in sub.text:
            values.append(sub.text)
    for found in _leaves(config, set()):
        if isinstance(found, SecretUrl):
            if found.reveal() != DIRECT:
                register_url(found.reveal())
        elif isinstance(found, Secret):
            values.append(found.reveal())
        elif isinstance(found, str) and "://" in found:
            values.extend(url_credentials(found))
    register(values)


def url_credentials(url: str) -> list[str]:
    """The password of `url` and the values of its credential-like query parameters (those
    `mask_url` masks: token, key, apikey, sign, ...)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return []
    written = parse_qsl(parts.query, keep_blank_values=True)
    masked = parse_qsl(urlsplit(mask_url(url)).query, keep_blank_values=True)
    found = [value for (_, value), (_, shown) in zip(written, masked, strict=False)
             if shown == MASK and value != MASK]
    return [*found, password] if password else found


def _leaves(value: object, visited: set[int]) -> Iterator[object]:
    """Every string and Secret inside `value` (dataclasses, tuples, mappings)."""
    if isinstance(value, (str, Secret)):
        yield value
        return
    if id(value) in visited:
        return
    visited.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _leaves(getattr(value, field.name), visited)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item, visited)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from _leaves(item, visited)


def _bare_address(value: str) -> bool:
    """An http(s) URL that is only a scheme and a host (and port): no place for a secret."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
            and parts.path in ("", "/") and not parts.query and not parts.fragment)

