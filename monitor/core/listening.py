"""The service's own address: `service.listen` split, and the URL people reach it by."""

from __future__ import annotations

import socket


def split_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def listen_url(listen: str, bound_port: int | None = None) -> str:
    """http://host:port of `listen` ("host:port"), with the port actually bound when known; a
    wildcard host (0.0.0.0, ::) is reached through this machine's name."""
    host, port = split_listen(listen)
    if host in ("0.0.0.0", "::"):  # noqa: S104  # naming the wildcard, not binding it
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{bound_port if bound_port is not None else port}"


def public_base(public_url: object, listen: str) -> str:
    """Where links point: service.public_url, else the listen address (commands that run
    without the server, such as `listing sync`)."""
    return (str(public_url) if public_url else listen_url(listen)).rstrip("/")
