"""What is wrong with a config value, as people read it: a catalog code with parameters
(monitor/core/catalog/config.py), rendered in the reader's language.

    raise ConfigValueError("window.end_before_start")
    ConfigText("url.bad", url="ftp://x", problem=ConfigText("url.scheme")).render("zh-CN")

The English rendering is also `str()` of both, so logs, tests and any caller that only wants
one text get exactly the words the config code always gave. A parameter that is itself a
ConfigText is rendered in the same language (a URL problem inside "bad URL ..."); text that
comes from elsewhere (a YAML parser, `re`, the OS) is passed on as a parameter, as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from monitor.core.catalog import EN, pick
from monitor.core.catalog.config import WORDS

# A message that is only text from elsewhere (another library's error), shown as it is.
FOREIGN = "text"


class ConfigText:
    """One message: `code` of the config area with its parameters. Immutable and hashable, so
    issues holding it can be compared and de-duplicated."""

    __slots__ = ("code", "params")

    code: str
    params: Mapping[str, object]

    def __init__(self, code: str, **params: object) -> None:
        if code not in WORDS:
            raise KeyError(f"no config message {code!r} in the catalog")  # a typo fails early
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", MappingProxyType(params))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("ConfigText is immutable")

    def render(self, lang: str) -> str:
        """The message in `lang` (zh-CN where the catalog lacks it)."""
        values = {name: value.render(lang) if isinstance(value, ConfigText) else value
                  for name, value in self.params.items()}
        return pick(WORDS, lang, self.code, **values)

    def __str__(self) -> str:
        return self.render(EN)

    def __repr__(self) -> str:
        params = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"ConfigText({self.code!r}{', ' if params else ''}{params})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigText) and (self.code, dict(self.params)) == (
            other.code, dict(other.params))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


class ConfigValueError(ValueError):
    """A config rule broken (raised by the config dataclasses' and probe specs' checks, and
    by the parsers they use). `text` says what, in any language; `str()` is the English."""

    def __init__(self, code: str, **params: object) -> None:
        self.text = ConfigText(code, **params)
        super().__init__(str(self.text))


def text_of(exc: BaseException) -> ConfigText:
    """The message an error carries: its own catalog text, or its words as they are."""
    if isinstance(exc, ConfigValueError):
        return exc.text
    return ConfigText(FOREIGN, text=str(exc))


def keyed(key: str, problem: ConfigText | BaseException) -> ConfigValueError:
    """`key: problem`, for a rule that names the key at fault inside its dataclass."""
    detail = problem if isinstance(problem, ConfigText) else text_of(problem)
    return ConfigValueError("keyed", field=key, detail=detail)
