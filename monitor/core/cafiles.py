"""Whether a `ca_file` of the config can be used: checked when the config is loaded, so a
missing or broken file is a config problem naming its line, not a crash when the checks start."""

from __future__ import annotations

import ssl

from monitor.core.configtext import ConfigText, keyed


def ca_file_problem(path: str) -> ConfigText | None:
    """None when OpenSSL can load `path` as PEM certificates, else what is wrong with it."""
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except FileNotFoundError:
        return ConfigText("ca_file.missing", path=path)
    except PermissionError:
        return ConfigText("ca_file.unreadable", path=path)
    except (ssl.SSLError, OSError) as exc:
        return ConfigText("ca_file.bad", path=path, detail=getattr(exc, "reason", None) or exc)
    return None


def check_ca_file(path: str | None) -> None:
    """For a spec's __post_init__: raise the config error of a `ca_file` that cannot be used."""
    problem = ca_file_problem(path) if path else None
    if problem is not None:
        raise keyed("ca_file", problem)
