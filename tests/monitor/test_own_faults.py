"""The monitor's own faults make a run `unknown`, never `down`: a stalled event loop, running
out of descriptors, and a flood of client connections against `run` with ulimit -n 1024."""

from __future__ import annotations

import asyncio
import json
import resource
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from monitor.ownfaults import LoopWatch, OwnFaults
from probes import http
from probes.base import ErrorKind
from tests.support.http_servers import RawServer, never_answers
from tests.support.probectx import probe_context
from tests.support.target import running_target

ROOT = Path(__file__).resolve().parents[2]


async def test_a_stalled_event_loop_makes_a_failed_run_unknown() -> None:
    watch = LoopWatch(threshold_s=0.3)
    watch.start()
    faults = OwnFaults(watch)
    try:
        async with RawServer(never_answers) as server:
            spec = http.HttpSpec(url=server.url)
            # Without a stall: the app really did not answer.
            started = time.monotonic()
            result = await http.probe(spec, probe_context(0.5))
            judged = faults.judge(result, started, time.monotonic())
            assert (judged.outcome, judged.error_kind) == ("down", ErrorKind.TIMEOUT)
            # The loop stalls for a second in the middle of the run: every timer fires late,
            # so the timeout says nothing about the app.
            asyncio.get_running_loop().call_later(0.1, time.sleep, 1.0)
            started = time.monotonic()
            result = await http.probe(spec, probe_context(0.5))
            judged = faults.judge(result, started, time.monotonic())
    finally:
        await watch.stop()
    assert result.error_kind is ErrorKind.TIMEOUT
    assert (judged.outcome, judged.error_kind) == ("unknown", ErrorKind.MONITOR)
    assert "event loop stalled" in judged.message


PROBE_WITHOUT_DESCRIPTORS = """
import asyncio, json, resource, sys
sys.path.insert(0, {root!r})
from probes import http
from monitor.ownfaults import OwnFaults
from tests.support.probectx import probe_context, close_probe_resources

async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
    hoard = []
    try:
        while True:
            hoard.append(open("/dev/null"))  # every descriptor this process may have
    except OSError:
        pass
    result = await http.probe(http.HttpSpec(url={url!r}), probe_context(2.0))
    judged = OwnFaults().judge(result, 0.0, 0.0)
    print(json.dumps({{"kind": judged.error_kind, "outcome": judged.outcome,
                      "message": judged.message}}))
    for f in hoard:
        f.close()
    await close_probe_resources()

asyncio.run(main())
"""


async def test_no_descriptor_left_is_the_monitors_fault_not_the_apps() -> None:
    async with running_target() as target:
        script = PROBE_WITHOUT_DESCRIPTORS.format(root=str(ROOT), url=f"{target.url}/health")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    seen = json.loads(out)
    assert (seen["outcome"], seen["kind"]) == ("unknown", "monitor"), seen
    assert "Too many open files" in seen["message"]
    assert target.hits == 0  # the probe never got as far as the app


# --- a flood of clients against `run` with ulimit -n 1024 ---------------------------------

FLOOD = 1100  # idle connections, more than the process may hold
STREAMS = 100  # live wall streams on top (open reading needs no sign-in)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def many_descriptors() -> Iterator[None]:
    """This test process holds the flood's client sockets: let it have enough."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 8192) if hard != resource.RLIM_INFINITY else 8192
    if wanted < FLOOD + STREAMS + 200:
        pytest.fail(f"the test needs {FLOOD + STREAMS + 200} descriptors; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def test_a_connection_flood_does_not_starve_the_probes(
    tmp_path: Path, many_descriptors: None
) -> None:
    port = free_port()
    async with running_target() as target:
        config = tmp_path / "monitor.yaml"
        config.write_text(textwrap.dedent(f"""
            service:
              listen: "127.0.0.1:{port}"
              data_dir: "{tmp_path / 'data'}"
              log_format: "json"
            apps:
              - id: "kq-oa"
                name: "柯桥区协同办公"
                checks:
                  - {{id: "home", kind: "http", url: "{target.url}/health", interval: "1s",
                      timeout: "2s", confirm: 1}}
            """))
        log = tmp_path / "service.log"
        with log.open("wb") as out:
            # The usual `ulimit -n 1024`, soft and hard, as a shell would set it.
            process = subprocess.Popen(  # noqa: ASYNC220  # started once, waited on below
                ["sh", "-c", 'ulimit -n 1024 && exec "$0" -m monitor run --config "$1"',
                 sys.executable, str(config)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            await _wait_healthy(base)
            hits_before = target.hits
            flood = await _flood(port)
            assert len(flood) >= FLOOD  # every connection was made (most to be turned away)
            try:
                await asyncio.sleep(5)  # five probe intervals under the flood
                hits_during = target.hits - hits_before
            finally:
                for sock in flood:
                    sock.close()
            await _wait_healthy(base)  # /healthz answers again once the flood ends
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{base}/api/v1/incidents") as resp:
                    incidents = (await resp.json())["incidents"]
                async with session.get(f"{base}/metrics") as resp:
                    metrics = await resp.text()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    assert incidents == []  # the healthy app was never blamed
    assert hits_during >= 3  # the probes kept their schedule
    down = [line for line in metrics.splitlines()
            if line.startswith("appmon_probe_runs_total") and 'outcome="down"' in line]
    assert all(line.endswith(" 0.0") for line in down), down
    text = log.read_text(errors="replace")
    assert "Too many open files" not in text
    assert log.stat().st_size < 100_000, f"log grew to {log.stat().st_size} bytes"


async def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the service did not answer /healthz")
            await asyncio.sleep(0.2)


async def _flood(port: int) -> list[socket.socket]:
    """FLOOD idle connections, then STREAMS open requests for the live wall stream."""
    loop = asyncio.get_running_loop()
    socks: list[socket.socket] = []
    for i in range(FLOOD + STREAMS):
        sock = socket.socket()
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, ("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        if i >= FLOOD:
            request = b"GET /console/events HTTP/1.1\r\nHost: x\r\n\r\n"
            try:
                await loop.sock_sendall(sock, request)
            except OSError:
                sock.close()
                continue
        socks.append(sock)
    return socks

