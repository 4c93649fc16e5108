"""HTTP/1.1 on the wire: the receiving protocol, request bytes, response head and body parsing.

Built on a bare `asyncio.Protocol` rather than streams or aiohttp: one small object per
connection, no extra tasks, and the first response byte is time-stamped in `data_received`
itself. That keeps a probe on a fresh connection at a fraction of a millisecond of CPU.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from probes.base import ErrorKind
from probes.errors import ProbeError

# A response head larger than this is not a health page; stop before it eats memory.
MAX_HEAD_BYTES: Final = 64 * 1024
# Chunk-size lines are a few bytes; a longer line means the peer is not sending chunked data.
MAX_LINE_BYTES: Final = 8 * 1024
_HTTP: Final = b"HTTP/"
_BODY_METHODS: Final = frozenset({"POST", "PUT", "PATCH"})


class WireProtocol(asyncio.Protocol):
    """Collects received bytes in `buffer` and wakes the one reader waiting for more."""

    __slots__ = ("_waiter", "buffer", "eof", "error", "first_byte_at")

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.eof = False  # no more bytes will arrive (FIN, reset or local close)
        self.error: BaseException | None = None  # why the connection was lost, if abnormally
        self.first_byte_at: float | None = None  # perf_counter of the first byte since reset
        self._waiter: asyncio.Future[None] | None = None

    def data_received(self, data: bytes) -> None:
        if self.first_byte_at is None:
            self.first_byte_at = time.perf_counter()
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # let the transport close itself: we never write after the peer's FIN

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        if exc is not None:
            self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self) -> None:
        """Return when more bytes arrived or the connection ended (callers re-check `eof`)."""
        if self.eof:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def closed_error(self, where: str) -> BaseException:
        """The error for a connection that ended before the answer was complete."""
        if self.error is not None:
            return self.error
        return ProbeError(ErrorKind.PROTOCOL, f"connection closed {where}")


class Headers:
    """Response headers; names are lower-cased, repeated headers are kept in `items`."""

    __slots__ = ("_map", "items")

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        self._map: dict[str, str] = {}
        for name, value in items:
            known = self._map.get(name)
            self._map[name] = value if known is None else f"{known}, {value}"

    def get(self, name: str) -> str | None:
        return self._map.get(name.lower())

    def get_all(self, name: str) -> list[str]:
        key = name.lower()
        return [value for item, value in self.items if item == key]


@dataclass(frozen=True, slots=True)
class ResponseHead:
    version: str
    status: int
    reason: str
    headers: Headers

    def keeps_alive(self) -> bool:
        connection = (self.headers.get("connection") or "").lower()
        return self.version == "HTTP/1.1" and "close" not in connection


class Body(NamedTuple):
    data: bytes
    truncated: bool  # stopped at the size cap; the rest was not read
    delimited: bool  # the message end was found exactly: the connection may carry another


def build_request(
    method: str,
    target: str,
    host: str,
    *,
    user_agent: str,
    headers: Mapping[str, str],
    body: bytes | None,
    keep_alive: bool,
) -> bytes:
    """The request bytes. Headers given by the check override the defaults of the same name."""
    given = {name.lower() for name in headers}
    lines = [f"{method} {target} HTTP/1.1"]
    defaults = (
        ("host", "Host", host),
        ("user-agent", "User-Agent", user_agent),
        ("accept", "Accept", "*/*"),
        ("accept-encoding", "Accept-Encoding", "identity"),  # we never decompress
        ("connection", "Connection", "keep-alive" if keep_alive else "close"),
    )
    lines.extend(f"{name}: {value}" for key, name, value in defaults if key not in given)
    for name, value in headers.items():
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
            # A line break would let a (captured) value inject headers: refuse to send.
            raise ProbeError(ErrorKind.CAPTURE, f"header {name!r} contains a line break")
        lines.append(f"{name}: {value}")
    if (body is not None or method in _BODY_METHODS) and "content-length" not in given:
        lines.append(f"Content-Length: {len(body or b'')}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    return head + body if body else head


async def read_head(proto: WireProtocol) -> ResponseHead:
    """Read and parse one response head; garbage instead of a status line fails at once."""
    buf = proto.buffer
    while True:
        start = buf[:5]
        if start != _HTTP[: len(start)]:
            raise ProbeError(ErrorKind.PROTOCOL, f"not an HTTP response: {_snippet(buf)}")
        end, gap = _head_end(buf)
        if end >= 0:
            raw = bytes(buf[:end])
            del buf[: end + gap]
            return parse_head(raw)
        if len(buf) > MAX_HEAD_BYTES:
            raise ProbeError(ErrorKind.PROTOCOL, "response headers larger than 64 KiB")
        if proto.eof:
            where = "in the middle of the response headers" if buf else "without a response"
            raise proto.closed_error(where)
        await proto.wait()


def _head_end(buf: bytearray) -> tuple[int, int]:
    """Where the head ends and the length of the blank line; bare LF line ends are tolerated."""
    crlf = buf.find(b"\r\n\r\n")
    lf = buf.find(b"\n\n")
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf, 2
    return crlf, 4


def _snippet(buf: bytearray) -> str:
    first_line = bytes(buf[:60]).split(b"\n", 1)[0].rstrip(b"\r")
    return repr(first_line.decode("latin-1"))


def parse_head(raw: bytes) -> ResponseHead:
    lines = raw.decode("latin-1").split("\n")
    status_line = lines[0].rstrip("\r")
    version, _, rest = status_line.partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
        raise ProbeError(ErrorKind.PROTOCOL, f"malformed status line {status_line[:60]!r}")
    items: list[tuple[str, str]] = []
    for line in lines[1:]:
        line = line.rstrip("\r")  # noqa: PLW2901  # normalising the loop value is the point
        if line[:1] in (" ", "\t") and items:  # obsolete folding: continues the previous value
            name, value = items[-1]
            items[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise ProbeError(ErrorKind.PROTOCOL, f"malformed header line {line[:60]!r}")
        items.append((name.lower(), value.strip()))
    return ResponseHead(version, int(code), reason.strip(), Headers(items))


async def read_body(proto: WireProtocol, head: ResponseHead, method: str, cap: int) -> Body:
    """Read the body as the head frames it, at most `cap` bytes."""
    if method == "HEAD" or head.status in (204, 304) or head.status < 200:
        # After 101 the connection speaks another protocol: it cannot carry another request.
        return Body(b"", truncated=False, delimited=head.status != 101)
    encoding = head.headers.get("transfer-encoding")
    if encoding is not None and "chunked" in encoding.lower():
        return await _read_chunked(proto, cap)
    length = head.headers.get("content-length")
    if length is not None:
        return await _read_length(proto, _parse_length(length), cap)
    return await _read_to_close(proto, cap)


def _parse_length(text: str) -> int:
    # Repeated identical values are joined by Headers ("5, 5"); RFC 9110 allows that form.
    values = {part.strip() for part in text.split(",")}
    value = values.pop() if len(values) == 1 else ""
    if not value.isdigit():
        raise ProbeError(ErrorKind.PROTOCOL, f"bad Content-Length {text[:40]!r}")
    return int(value)


async def _fill(proto: WireProtocol, size: int, where: str) -> None:
    while len(proto.buffer) < size:
        if proto.eof:
            raise proto.closed_error(where)
        await proto.wait()


async def _read_length(proto: WireProtocol, length: int, cap: int) -> Body:
    want = min(length, cap)
    await _fill(proto, want, f"in the middle of the body (Content-Length {length})")
    buf = proto.buffer
    data = bytes(buf[:want])
    del buf[:want]
    return Body(data, truncated=length > cap, delimited=length <= cap)


async def _read_to_close(proto: WireProtocol, cap: int) -> Body:
    buf = proto.buffer
    while len(buf) <= cap and not proto.eof:
        await proto.wait()
    if proto.error is not None:
        raise proto.error
    data = bytes(buf[:cap])
    truncated = len(buf) > cap
    del buf[:cap]
    return Body(data, truncated=truncated, delimited=False)


async def _read_line(proto: WireProtocol) -> bytes:
    buf = proto.buffer
    while True:
        end = buf.find(b"\n")
        if end >= 0:
            line = bytes(buf[:end]).rstrip(b"\r")
            del buf[: end + 1]
            return line
        if len(buf) > MAX_LINE_BYTES:
            raise ProbeError(ErrorKind.PROTOCOL, "chunked body: line too long")
        if proto.eof:
            raise proto.closed_error("in the middle of a chunked body")
        await proto.wait()


async def _read_chunked(proto: WireProtocol, cap: int) -> Body:
    buf = proto.buffer
    body = bytearray()
    while True:
        size = _chunk_size(await _read_line(proto))
        if size == 0:
            while await _read_line(proto):  # trailer fields, up to the blank line
                pass
            return Body(bytes(body), truncated=False, delimited=True)
        room = cap - len(body)
        if size > room:  # the cap falls inside this chunk: take what fits and stop
            await _fill(proto, room, "in the middle of a chunk")
            body += buf[:room]
            return Body(bytes(body), truncated=True, delimited=False)
        await _fill(proto, size + 2, "in the middle of a chunk")
        if buf[size : size + 2] != b"\r\n":
            raise ProbeError(ErrorKind.PROTOCOL, "chunked body: chunk not followed by CRLF")
        body += buf[:size]
        del buf[: size + 2]


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    try:
        size = int(text, 16)
    except ValueError:
        size = -1
    if size < 0 or not text:
        raise ProbeError(ErrorKind.PROTOCOL, f"chunked body: bad chunk size {text[:20]!r}")
    return size
