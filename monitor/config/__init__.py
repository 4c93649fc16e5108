"""Configuration: `load_config` reads the YAML (and an optional apps spreadsheet) into the
frozen objects of monitor.core.config.model, or raises ConfigError listing every problem as
`FILE:LINE: key.path: message`.
"""

from __future__ import annotations

from monitor.config.loader import load_config
from monitor.config.yamlnodes import ConfigError, ConfigIssue

__all__ = ["ConfigError", "ConfigIssue", "load_config"]
