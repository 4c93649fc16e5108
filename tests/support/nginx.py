"""A real nginx (Debian's nginx-light) on loopback, serving what real government sites serve.

One process with several server blocks, each on its own free port:

    main      127.0.0.1 and [::1]: static pages (gzip on), GBK pages, redirects, status codes
    other     127.0.0.1 only: the far end of a cross-port redirect; IPv4 only on purpose
    tls_*     HTTPS with a good, untrusted, expired, wrong-host, near-expiry or TLS 1.3-only
              certificate (names localhost and 127.0.0.1, issued by the test CA)

`./dev.sh test` installs nginx-light; without it a test is skipped, and fails under CI=true.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme

from tests.support.certs import TestPki
from tests.support.tools import require_tool

GBK_TEXT = "王喆 值班 柯桥区"  # 喆 is in GBK but not in GB2312
MAINTENANCE = "系统维护中"
# Pages big enough that a 1 MiB body cap cuts them before the notice.
MAINTENANCE_PAGE_BYTES = 2 * 1024 * 1024
TLS_SITES = ("good", "untrusted", "expired", "wrong_host", "near_expiry", "tls13_only")


@dataclass(frozen=True)
class Nginx:
    root: Path
    ports: dict[str, int]
    ca_file: Path  # trusts every tls_* site but "untrusted"

    def url(self, site: str, path: str = "/", host: str = "127.0.0.1") -> str:
        scheme = "https" if site.startswith("tls_") else "http"
        shown = f"[{host}]" if ":" in host else host
        return f"{scheme}://{shown}:{self.ports[site]}{path}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_nginx(workdir: Path) -> Iterator[Nginx]:
    binary = require_tool("nginx")
    workdir.mkdir(parents=True, exist_ok=True)
    pki = TestPki(workdir)
    root = workdir / "html"
    _write_site(root)
    ports = {name: free_port() for name in ("main", "other", *(f"tls_{s}" for s in TLS_SITES))}
    certs = _write_certs(workdir, pki)
    conf = workdir / "nginx.conf"
    conf.write_text(_config(workdir, root, ports, certs))
    process = subprocess.Popen(
        [binary, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(process, ports.values(), workdir)
        yield Nginx(root, ports, pki.ca_file)
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: workers finish, sockets close
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_listening(
    process: subprocess.Popen[bytes], ports: Iterable[int], workdir: Path
) -> None:
    deadline = time.monotonic() + 10
    wanted = list(ports)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = (workdir / "error.log").read_text(errors="replace")
            raise RuntimeError(f"nginx exited with {process.returncode}: {error[-2000:]}")
        if all(_listening(port) for port in wanted):
            return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening within 10 s")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _write_site(root: Path) -> None:
    (root / "gbk").mkdir(parents=True)
    (root / "api").mkdir()
    (root / "测试").mkdir()
    (root / "ok.html").write_text("<html><body><p>service ok healthy</p></body></html>\n")
    (root / "nogzip.html").write_text("<html><body>plain healthy page</body></html>\n")
    # A page gzip turns into a chunked answer (nginx compresses on the fly, length unknown).
    filler = "<p>办事指南 office guide</p>\n" * 8000
    (root / "big.html").write_text(f"<html><body>{filler}<p>healthy end</p></body></html>\n")
    notice = f"<h1>{MAINTENANCE}</h1>".encode()
    padding = b"<!-- " + b"x" * (MAINTENANCE_PAGE_BYTES - 64) + b" -->\n"
    (root / "maintenance.html").write_bytes(b"<html><body>" + padding + notice + b"</body></html>")
    (root / "测试" / "页面").write_text("<html><body>redirected ok 页面</body></html>\n")
    gbk_page = f"<html><body><p>{GBK_TEXT}</p></body></html>\n"
    (root / "gbk" / "labelled.html").write_bytes(gbk_page.encode("gbk"))
    meta = f'<html><head><meta charset="gbk"><title>t</title></head><body>{GBK_TEXT}</body></html>'
    (root / "meta-gbk.html").write_bytes(meta.encode("gbk"))
    equiv = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"</head><body>{GBK_TEXT}</body></html>"
    )
    (root / "equiv-gbk.html").write_bytes(equiv.encode("gbk"))
    (root / "api" / "health").write_text('{"status": "UP", "db": {"ok": true}, "name": "柯桥"}')
    os.chmod(root, 0o755)


def _write_certs(workdir: Path, pki: TestPki) -> dict[str, tuple[Path, Path]]:
    now = dt.datetime.now(dt.UTC)
    names = ("localhost", "127.0.0.1")
    other_ca = trustme.CA(organization_name="a CA nobody trusts")
    leaves = {
        "good": pki.ca.issue_cert(*names),
        "untrusted": other_ca.issue_cert(*names),
        "expired": pki.ca.issue_cert(
            *names, not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1)
        ),
        "wrong_host": pki.ca.issue_cert("other.example"),
        "near_expiry": pki.ca.issue_cert(
            *names, not_before=now - dt.timedelta(days=80), not_after=now + dt.timedelta(days=10)
        ),
        "tls13_only": pki.ca.issue_cert(*names),
    }
    paths = {}
    for site, leaf in leaves.items():
        cert, key = workdir / f"{site}.crt", workdir / f"{site}.key"
        cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        leaf.private_key_pem.write_to_path(str(key))
        paths[site] = (cert, key)
    return paths


def _config(
    workdir: Path, root: Path, ports: dict[str, int], certs: dict[str, tuple[Path, Path]]
) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {workdir}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's files
    tls_servers = "\n".join(
        _tls_server(ports[f"tls_{site}"], root, *certs[site], tls13=site == "tls13_only")
        for site in TLS_SITES
    )
    return f"""{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temp}
    types {{ text/html html; application/json json; }}
    default_type text/html;
    gzip on;
    gzip_min_length 20;
    gzip_types text/plain application/json;
    absolute_redirect off;
    server {{
        listen 127.0.0.1:{ports["main"]};
        listen [::1]:{ports["main"]};
        root {root};
        location = /nogzip.html {{ gzip off; }}
        location /gbk/ {{ charset gb2312; }}
        location /api/ {{ default_type application/json; }}
        location = /redirect/other-port {{ return 301 http://127.0.0.1:{ports["other"]}/ok.html; }}
        location = /redirect/https {{ return 302 https://localhost:{ports["tls_good"]}/ok.html; }}
        location = /redirect/utf8 {{ return 302 /测试/页面; }}
        location = /redirect/loop-a {{ return 302 /redirect/loop-b; }}
        location = /redirect/loop-b {{ return 302 /redirect/loop-a; }}
        location = /status/204 {{ return 204; }}
        location = /status/304 {{ return 304; }}
        location = /status/500 {{ return 500; }}
        location = /status/503 {{ return 503 "<h1>{MAINTENANCE}</h1>"; }}
    }}
    server {{
        listen 127.0.0.1:{ports["other"]};
        root {root};
    }}
{tls_servers}
}}
"""


def _tls_server(port: int, root: Path, cert: Path, key: Path, *, tls13: bool) -> str:
    protocols = "TLSv1.3" if tls13 else "TLSv1.2 TLSv1.3"
    return f"""    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols {protocols};
        root {root};
    }}"""
