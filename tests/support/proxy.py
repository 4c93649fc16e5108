"""A real HTTP proxy on loopback: Debian's tinyproxy, plain or asking for Basic credentials.

Plain HTTP goes through as absolute-form requests, HTTPS as a CONNECT tunnel. `./dev.sh test`
installs tinyproxy; without it a test is skipped, and fails under CI=true.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.nginx import free_port
from tests.support.tools import require_tool


@dataclass(frozen=True)
class Proxy:
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[str]:
        """The request lines tinyproxy logged, e.g. 'CONNECT 127.0.0.1:443 HTTP/1.1'."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [line.split("): ", 1)[1] for line in lines if "Request (file descriptor" in line]


@contextmanager
def running_proxy(workdir: Path, *, user: str | None = None, password: str = "") -> Iterator[Proxy]:
    binary = require_tool("tinyproxy")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "tinyproxy.log"
    auth = f"BasicAuth {user} {password}\n" if user else ""
    conf = workdir / "tinyproxy.conf"
    conf.write_text(
        f"Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 100\nAllow 127.0.0.1\n"
        f"DisableViaHeader Yes\nLogLevel Info\nLogFile \"{log}\"\n{auth}"
    )
    process = subprocess.Popen(
        [binary, "-d", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while not log.exists() or "Accepting connections" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"tinyproxy did not start: {log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield Proxy(port, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
