"""A second opinion on the verdict suite: blackbox_exporter probes the same targets.

    .venv/bin/python tests/benchmarks/second_opinion.py

Starts the real-world targets of tests/probes/test_realworld.py (nginx, the odd servers,
tinyproxy), runs each case through the `http` probe and through Debian's
prometheus-blackbox-exporter with the closest module it can express, and prints both verdicts
side by side. Where they disagree, the README says which one a browser user would call right
(and the verdict suite asserts that one). A script, not a test: it needs the exporter.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

from monitor.core.fields import proxy_address
from probes import http
from tests.probes.test_realworld import CASES, PROXY_PASSWORD, PROXY_USER, Case, Env
from tests.support.http_servers import closed_port
from tests.support.nginx import free_port, running_nginx
from tests.support.oddservers import odd_server
from tests.support.probectx import close_probe_resources, probe_context
from tests.support.proxy import running_proxy


def module_for(case: Case, env: Env) -> dict[str, Any] | None:
    """The blackbox module closest to the case's spec; None when it cannot express it."""
    spec = case.spec(env)
    expect = spec.get("expect")
    prober: dict[str, Any] = {"preferred_ip_protocol": "ip4", "ip_protocol_fallback": True}
    tls: dict[str, Any] = {}
    if "ca_file" in spec:
        tls["ca_file"] = spec["ca_file"]
    if spec.get("tls_verify") is False:
        tls["insecure_skip_verify"] = True
    if tls:
        prober["tls_config"] = tls
    if "headers" in spec:
        prober["headers"] = dict(spec["headers"])
    proxy = proxy_address(spec.get("proxy"))
    if proxy:
        prober["proxy_url"] = proxy
    if expect is not None:
        if expect.json or expect.max_latency_s:
            return None  # blackbox 0.23 has no JSON assertions and no latency limit
        if expect.status:
            prober["valid_status_codes"] = list(expect.status)
        if expect.body_contains:
            prober["fail_if_body_not_matches_regexp"] = [expect.body_contains]
        if expect.body_not_contains:
            prober["fail_if_body_matches_regexp"] = [expect.body_not_contains]
        if expect.body_not_regex is not None:
            prober["fail_if_body_matches_regexp"] = [expect.body_not_regex.pattern]
    return {"prober": "http", "timeout": f"{case.timeout_s}s", "http": prober}


def blackbox_verdict(port: int, module: str, target: str) -> str:
    query = urllib.parse.urlencode({"module": module, "target": target})
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe?{query}", timeout=30) as answer:
        text = answer.read().decode()
    for line in text.splitlines():
        if line.startswith("probe_success "):
            return "up" if float(line.split()[1]) == 1 else "down"
    return "?"


async def ours(case: Case, env: Env) -> str:
    result = await http.probe(http.HttpSpec(url=case.url(env), **case.spec(env)),
                              probe_context(case.timeout_s))
    await close_probe_resources()
    return "up" if result.ok else f"down ({result.error_kind})"


def main() -> int:
    exporter = shutil.which("prometheus-blackbox-exporter")
    if exporter is None:
        print("needs Debian's prometheus-blackbox-exporter")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="second-opinion-"))
    with ExitStack() as stack:
        env = Env(
            stack.enter_context(running_nginx(workdir / "nginx")),
            stack.enter_context(odd_server()),
            stack.enter_context(running_proxy(workdir / "proxy")),
            stack.enter_context(running_proxy(workdir / "auth", user=PROXY_USER,
                                              password=PROXY_PASSWORD)),
            closed_port(),
        )
        modules = {case.name: module_for(case, env) for case in CASES}
        config = {"modules": {name: m for name, m in modules.items() if m is not None}}
        (workdir / "bb.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
        port = free_port()
        process = subprocess.Popen(
            [exporter, f"--config.file={workdir}/bb.yml", f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        stack.callback(process.terminate)
        time.sleep(1.0)
        print(f"{'case':45s} {'appmon':28s} blackbox  agree")
        disagreements = 0
        for case in CASES:
            mine = asyncio.run(ours(case, env))
            theirs = "n/a" if modules[case.name] is None else blackbox_verdict(
                port, case.name, case.url(env))
            agree = theirs == "n/a" or mine.split()[0] == theirs
            disagreements += not agree
            print(f"{case.name:45s} {mine:28s} {theirs:8s}  {'yes' if agree else 'NO'}")
        print(f"\n{disagreements} disagreement(s) of {len(CASES)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
