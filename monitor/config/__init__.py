"""Configuration: `load_config` reads the YAML (and an optional apps spreadsheet) into frozen
objects (model.py), or raises ConfigError listing every problem as `FILE:LINE: key.path: message`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from monitor.config.yamlnodes import ConfigError, ConfigIssue

if TYPE_CHECKING:
    from monitor.config.loader import load_config

__all__ = ["ConfigError", "ConfigIssue", "load_config"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the loader imports the probe and notifier registries, whose spec
    # modules import monitor.config.fields, which runs this file first. Eagerly, that is a cycle.
    if name == "load_config":
        from monitor.config.loader import load_config  # noqa: PLC0415  (see above)

        return load_config
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
