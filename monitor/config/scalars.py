"""Reading single values from the config: strings, numbers, booleans, durations, sizes, URLs,
regular expressions and literal choices, and a number's bounds.

A reader takes a node and returns the value, or raises ScalarError with the message for the
operator (a catalog text, see monitor.core.configtext); the builder (build.py) picks the reader
from the type hint and reports the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

from monitor.config.secretscan import url_credentials
from monitor.config.yamlnodes import Node, Scalar, describe
from monitor.core.configtext import FOREIGN, ConfigText, ConfigValueError, text_of
from monitor.core.fields import (
    BYTE_SIZE,
    DIRECT,
    DURATION,
    HTTP_URL,
    PROXY_URL,
    TEMPLATE_URL,
    Secret,
    SecretUrl,
    parse_byte_size,
    parse_duration,
)
from monitor.core.hostnames import host_problem
from monitor.core.secrets import MASK, url_parts

Reader = Callable[[Node], Any]
# scheme:// (optional) and the authority: all a secret URL's message may show (less userinfo).
_ORIGIN_RE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)?([^/?#\s]*)")
_T = TypeVar("_T")


class ScalarError(ConfigValueError):
    """A value that cannot be read; its text is what the operator sees."""


def url_problem(url: str) -> ConfigText | None:
    """Why `url` is not an absolute http(s) URL, or None when it is."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (property access validates the port)
    except ValueError as exc:
        return text_of(exc)  # urllib's own words
    if parts.scheme not in ("http", "https"):
        return ConfigText("url.scheme")
    if not parts.hostname:
        return ConfigText("url.no_host")
    if any(ch.isspace() for ch in url):
        return ConfigText("url.space")
    return host_problem(parts.hostname)


def read_text(node: Node, what: str) -> str:
    """The text of a non-null scalar (numbers and booleans as written); `what` is a `what.*`
    word of the catalog. The failure message names only the node's shape, so it is safe for
    secrets too."""
    if isinstance(node, Scalar) and not node.is_null:
        return node.text
    raise ScalarError("expected.value", what=ConfigText(what), got=describe(node))


def read_url(node: Node, *, template: bool, secret: bool = False) -> str:
    """The URL text. A bad URL is quoted as written (a `${ENV}` in it is not filled in) with
    its password and credential-like query values masked; a bad secret URL only by its scheme
    and host, since its path and query may be the secret (a robot's token)."""
    text = read_text(node, "what.url")
    # A {{ variable }} stands for a value known only at run time: check the rest.
    checked = re.sub(r"\{\{.*?\}\}", "x", text) if template else text
    problem = url_problem(checked)
    if problem is None:
        return text
    shown = node.shown if isinstance(node, Scalar) else text
    if secret:
        if problem.code == FOREIGN:  # urllib's words may quote the netloc, password and all
            problem = ConfigText(FOREIGN, text=hide_url_parts(str(problem), text))
        raise ScalarError("url.bad", url=url_origin(shown), problem=problem)
    for credential in url_credentials(shown):
        shown = shown.replace(credential, MASK)
    raise ScalarError("url.bad", url=shown, problem=problem)


def url_origin(url: str) -> str:
    """`scheme://host[:port]` of `url`, without userinfo, path, query or fragment; read
    leniently, since the URL may be malformed."""
    match = _ORIGIN_RE.match(url)
    if match is None:
        return "***"
    scheme, netloc = match.group(1) or "", match.group(2)
    return scheme + netloc.rpartition("@")[2]


def hide_url_parts(message: str, url: str) -> str:
    """`message` without the userinfo, path, query or fragment of `url`."""
    hidden = [part for part in (*url_parts(url), url[len(url_origin(url)):]) if part]
    match = _ORIGIN_RE.match(url)
    if match and "@" in match.group(2):
        hidden.append(match.group(2).rpartition("@")[0])
    for part in sorted(set(hidden), key=len, reverse=True):
        message = message.replace(part, MASK)
    return message


def read_choice(choices: tuple[Any, ...], node: Node) -> Any:
    if isinstance(node, Scalar):
        for choice in choices:
            if choice == node.text or (not isinstance(choice, str) and choice == node.value):
                return choice
    names = ", ".join(repr(choice) for choice in choices)
    raise ScalarError("expected.choice", choices=names, got=describe(node))


def read_regex(node: Node) -> re.Pattern[str]:
    text = read_text(node, "what.regex")
    try:
        return re.compile(text)
    except re.error as exc:  # `re`'s own words say where and what
        shown = node.shown if isinstance(node, Scalar) else text
        raise ScalarError("regex.bad", text=shown, detail=str(exc)) from exc


def marked_reader(markers: Sequence[Any]) -> Reader | None:
    """The reader for an `Annotated` type's markers (fields.py), or None for a plain type."""
    if DURATION in markers:
        return _read_duration
    if BYTE_SIZE in markers:
        return _read_byte_size
    if TEMPLATE_URL in markers:
        return _read_template_url
    if HTTP_URL in markers:
        return _read_http_url
    if PROXY_URL in markers:
        return _read_proxy_url
    return None


def check_bounds(value: Any, low: float | None, high: float | None) -> Any:
    """`value` if it lies within [low, high] (None: open); booleans are not numbers here."""
    if isinstance(value, bool):
        return value
    too_low = low is not None and value < low
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return value
    if low is not None and high is not None:
        raise ScalarError("bounds.between", low=low, high=high, value=value)
    if too_low:
        raise ScalarError("bounds.at_least", low=low, value=value)
    raise ScalarError("bounds.at_most", high=high, value=value)


def _parsed(parse: Callable[[str], _T], node: Node, what: str) -> _T:
    text = read_text(node, what)
    try:
        return parse(text)
    except ValueError as exc:
        params = dict(text_of(exc).params)
        if isinstance(node, Scalar) and params.get("text") == text:
            params["text"] = node.shown  # as written: a ${ENV} is not filled in
        raise ScalarError(text_of(exc).code, **params) from exc


def _read_duration(node: Node) -> float:
    return _parsed(parse_duration, node, "what.duration")


def _read_byte_size(node: Node) -> int:
    if isinstance(node, Scalar) and type(node.value) is int and node.value >= 0:
        return node.value
    return _parsed(parse_byte_size, node, "what.size")


def _read_http_url(node: Node) -> str:
    return read_url(node, template=False)


def _read_template_url(node: Node) -> str:
    return read_url(node, template=True)


def _read_proxy_url(node: Node) -> SecretUrl:
    if isinstance(node, Scalar) and node.text == DIRECT:
        return SecretUrl(DIRECT)
    url = read_url(node, template=False, secret=True)
    if not url.lower().startswith("http://"):
        raise ScalarError("proxy.bad", url=url_origin(node.shown if isinstance(node, Scalar)
                                                      else url))
    return SecretUrl(url)


def _read_str(node: Node) -> str:
    return read_text(node, "what.string")


def _read_int(node: Node) -> int:
    if isinstance(node, Scalar) and type(node.value) is int:
        return node.value
    raise ScalarError("expected.integer", got=describe(node))


def _read_float(node: Node) -> float:
    if isinstance(node, Scalar) and type(node.value) in (int, float):
        return float(node.value)  # type: ignore[arg-type]  # checked on the line above
    raise ScalarError("expected.number", got=describe(node))


def _read_bool(node: Node) -> bool:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        return node.value
    raise ScalarError("expected.bool", got=describe(node))


def _read_any(node: Node) -> Any:
    if isinstance(node, Scalar):
        return node.value
    raise ScalarError("expected.scalar", got=describe(node))


def _read_secret(node: Node) -> Secret:
    return Secret(read_text(node, "what.string"))


def _read_secret_url(node: Node) -> SecretUrl:
    return SecretUrl(read_url(node, template=False, secret=True))


SCALAR_READERS: Final[dict[Any, Reader]] = {
    str: _read_str,
    int: _read_int,
    float: _read_float,
    bool: _read_bool,
    Any: _read_any,
    Secret: _read_secret,
    SecretUrl: _read_secret_url,
}
