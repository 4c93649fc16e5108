"""The event loop the service runs on: uvloop by default, the standard library's on request.

uvloop (libuv) runs the same asyncio code with roughly half the CPU per probe: measured with
tests/benchmarks/http_probe_cpu.py, a fresh-connection HTTP probe costs 0.30 ms of CPU on
uvloop and 0.47 ms on the standard loop (see the README's performance figures).
`service.event_loop: asyncio` (or `bench --event-loop asyncio`) switches it off.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

import uvloop

EventLoopName = Literal["uvloop", "asyncio"]
T = TypeVar("T")


def loop_factory(name: EventLoopName) -> Callable[[], asyncio.AbstractEventLoop] | None:
    return uvloop.new_event_loop if name == "uvloop" else None


def run_on(name: EventLoopName, main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main), on the named event loop."""
    with asyncio.Runner(loop_factory=loop_factory(name)) as runner:
        return runner.run(main)
