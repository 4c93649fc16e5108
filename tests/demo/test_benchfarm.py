"""The benchmark target subprocess: ports reported, fixed 200 answers, clean stop."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator

import aiohttp
import pytest

from monitor.benchfarm import (
    RESPONSE_CLOSE,
    RESPONSE_KEEP_ALIVE,
    BenchFarm,
    start_bench_farm,
)


@pytest.fixture
async def bench() -> AsyncIterator[BenchFarm]:
    farm = await asyncio.to_thread(start_bench_farm, 2)
    yield farm
    await asyncio.to_thread(farm.stop)


async def test_answers_200_requests_across_ports(bench: BenchFarm) -> None:
    assert len(bench.ports) == 2
    assert len(set(bench.ports)) == 2

    async def one(session: aiohttp.ClientSession, target: str) -> tuple[int, bytes]:
        async with session.get(target) as response:
            return response.status, await response.read()

    # force_close: a new connection per request, as the monitor's probes make them.
    connector = aiohttp.TCPConnector(force_close=True, limit=50)
    async with aiohttp.ClientSession(connector=connector) as session:
        results = await asyncio.gather(*(one(session, bench.urls[i % 2]) for i in range(200)))
    assert results == [(200, b"ok")] * 200
    served = await asyncio.to_thread(bench.stop)
    assert served == 200
    assert bench.process.returncode == 0


async def exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes, read until the server closes or goes quiet."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        chunks = []
        while True:
            try:
                chunk = await asyncio.wait_for(reader.read(4096), 0.5)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        writer.close()


async def test_keep_alive_pipelining_and_request_bodies(bench: BenchFarm) -> None:
    pipelined = (
        b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    )
    assert await exchange(bench.ports[0], pipelined) == RESPONSE_KEEP_ALIVE + RESPONSE_CLOSE
    http10 = b"GET / HTTP/1.0\r\n\r\n"
    assert await exchange(bench.ports[1], http10) == RESPONSE_CLOSE


async def test_stops_on_sigterm(bench: BenchFarm) -> None:
    bench.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(bench.process.wait, 10) == 0
