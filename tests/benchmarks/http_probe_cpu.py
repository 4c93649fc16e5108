"""CPU cost of the `http` probe: probes per second and CPU milliseconds per probe.

    .venv/bin/python tests/benchmarks/http_probe_cpu.py [--probes 5000] [--concurrency 100]

A minimal HTTP server runs in a subprocess (so its CPU is not counted); this process runs the
probes through `probes.registry.run_probe`, as the scheduler does, and measures its own CPU
with `time.process_time()`: once opening a fresh connection per probe, once reusing
keep-alive connections. A script, not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

from monitor.core.constants import DEFAULT_MAX_BODY_BYTES, USER_AGENT
from probes.context import ProbeContext, ProbeResources
from probes.http import HttpSpec
from probes.registry import PROBE_KINDS, run_probe
from probes.specs_http import HttpExpect

# The target: answers every request with a fixed 200, honouring Connection: close. Parsing
# stops at the blank line, so the benchmark measures the probe, not the server.
SERVER = r"""
import asyncio, sys
OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
class Answer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            if b"connection: close" in head.lower():
                self.transport.write(OK + b"Connection: close\r\n\r\nok")
                self.transport.close()
                return
            self.transport.write(OK + b"\r\nok")
async def main():
    server = await asyncio.get_running_loop().create_server(Answer, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


async def run_batch(
    port: int, probes: int, concurrency: int, *, reuse: bool
) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, failures) for `probes` runs with `concurrency` in flight."""
    resources = ProbeResources(USER_AGENT, DEFAULT_MAX_BODY_BYTES)
    ctx = ProbeContext(timeout_s=10.0, resources=resources)
    spec = HttpSpec(
        url=f"http://127.0.0.1:{port}/health",
        expect=HttpExpect(status=(200,), body_contains="ok"),
        reuse_connection=reuse,
    )
    kind = PROBE_KINDS["http"]
    remaining = probes
    failures = 0

    async def worker() -> None:
        nonlocal remaining, failures
        while remaining > 0:
            remaining -= 1
            result = await run_probe(kind, spec, ctx)
            failures += not result.ok

    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    await resources.close()
    return wall, cpu, failures


async def main(probes: int, concurrency: int) -> None:
    server = subprocess.Popen(  # noqa: ASYNC220  # before any probe runs: blocking is harmless
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        await run_batch(port, min(500, probes), concurrency, reuse=False)  # warm up
        print(f"{probes} http probes, concurrency {concurrency}, server in pid {server.pid}")
        for reuse in (False, True):
            wall, cpu, failures = await run_batch(port, probes, concurrency, reuse=reuse)
            mode = "reuse connection" if reuse else "fresh connection"
            print(
                f"{mode:>17}: {probes / wall:7.0f} probes/s, "
                f"{cpu / probes * 1000:.3f} ms CPU per probe, {failures} failed"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.probes, args.concurrency))
