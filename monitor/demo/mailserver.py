"""政务邮箱: an SMTP-like banner service of the demo farm, enough for a tcp check with
send/expect."""

from __future__ import annotations

import asyncio
import contextlib

MAIL_BANNER = b"220 kq-mail ESMTP ready\r\n"
MAIL_IDLE_S = 30.0  # a silent mail client is dropped, as real MTAs do


async def serve_mail(stack: contextlib.AsyncExitStack, host: str) -> int:
    """Starts the mail service on a free port of `host`, stopped with `stack`; returns the port."""
    clients: set[asyncio.StreamWriter] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        clients.add(writer)
        try:
            writer.write(MAIL_BANNER)
            await writer.drain()
            while line := await asyncio.wait_for(reader.readline(), MAIL_IDLE_S):
                reply = _mail_reply(line)
                writer.write(reply)
                await writer.drain()
                if reply.startswith(b"221"):
                    break
        except (TimeoutError, ConnectionError, ValueError):
            pass  # idle, reset or an over-long line: just hang up, as a mail server would
        finally:
            clients.discard(writer)
            writer.close()

    async def close() -> None:
        server.close()
        for writer in list(clients):  # wait_closed() would otherwise wait for idle clients
            writer.close()
        await server.wait_closed()

    server = await asyncio.start_server(handle, host, 0)
    stack.push_async_callback(close)
    return int(server.sockets[0].getsockname()[1])


def _mail_reply(line: bytes) -> bytes:
    verb = line.strip().split(b" ", 1)[0].upper()
    if verb in (b"EHLO", b"HELO"):
        return b"250 kq-mail\r\n"
    if verb in (b"NOOP", b"RSET"):
        return b"250 OK\r\n"
    if verb == b"QUIT":
        return b"221 Bye\r\n"
    return b"502 Command not implemented\r\n"
