"""A real DNS server on loopback (UDP and TCP on the same port) serving a small dict zone.

    zone = {"app.example": {"A": ["10.0.0.1"], "AAAA": ["2001:db8::1"]},
            "www.example": {"CNAME": ["app.example."]}}
    async with DnsServer(zone) as server:            # answers from the zone
        ... query server.host, server.port ...
    async with DnsServer(zone, mode="silent") as s:  # reads queries, never answers
    async with DnsServer(zone, mode="garbage") as s: # answers bytes that do not parse

Names missing from the zone get NXDOMAIN; a name without records of the asked type gets
NOERROR with an empty answer; a CNAME is followed inside the zone, as a resolver would.
Queries are parsed and answers built with dnspython, so the wire format is the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Literal, cast

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

Zone = Mapping[str, Mapping[str, Sequence[str]]]  # name -> record type -> values
Mode = Literal["answer", "silent", "garbage"]

LOOPBACK = "127.0.0.1"
TTL = 300
_MAX_CNAME_HOPS = 8  # a loop in a test zone must not hang the server


class DnsServer:
    def __init__(self, zone: Zone, mode: Mode = "answer") -> None:
        self.host = LOOPBACK
        self.port = 0
        self.mode = mode
        self.queries: list[tuple[str, str, str]] = []  # (transport, name, type) as received
        self._zone = {_key(name): dict(records) for name, records in zone.items()}
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None
        self._tcp_tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> DnsServer:
        loop = asyncio.get_running_loop()
        # The UDP port is free, the same TCP port usually is too; retry in the rare other case.
        for _attempt in range(20):
            udp, _protocol = await loop.create_datagram_endpoint(
                lambda: _UdpProtocol(self), local_addr=(LOOPBACK, 0)
            )
            port = udp.get_extra_info("sockname")[1]
            try:
                self._tcp = await asyncio.start_server(self._serve_tcp, LOOPBACK, port)
            except OSError:
                udp.close()
                continue
            self._udp, self.port = udp, port
            return self
        raise OSError("no port free for both UDP and TCP")

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
            for task in self._tcp_tasks:
                task.cancel()
            # The handlers swallow the cancellation (see _serve_tcp), so this returns at once.
            await asyncio.gather(*self._tcp_tasks, return_exceptions=True)
            await self._tcp.wait_closed()

    def reply(self, transport: str, wire: bytes) -> bytes | None:
        """The bytes to send back for one query, or None to stay silent."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None  # not a query: a real server would drop it too
        question = query.question[0]
        self.queries.append(
            (transport, question.name.to_text(), dns.rdatatype.to_text(question.rdtype))
        )
        if self.mode == "silent":
            return None
        if self.mode == "garbage":
            return _garbage(query.id)
        return self.answer(query).to_wire()

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name, rdtype = question.name, question.rdtype
        for _hop in range(_MAX_CNAME_HOPS):
            records = self._zone.get(name.to_text().lower())
            if records is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                break
            wanted = records.get(dns.rdatatype.to_text(rdtype))
            if wanted:
                response.answer.append(_rrset(name, rdtype, wanted))
                break
            alias = records.get("CNAME")
            if not alias or rdtype == dns.rdatatype.CNAME:
                break  # NOERROR with no data
            response.answer.append(_rrset(name, dns.rdatatype.CNAME, alias))
            name = dns.name.from_text(alias[0])
        return response

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tcp_tasks.add(task)
        try:
            while True:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
                answer = self.reply("tcp", await reader.readexactly(length))
                if answer is not None:
                    writer.write(struct.pack("!H", len(answer)) + answer)
                    await writer.drain()
        except (asyncio.IncompleteReadError, OSError):
            pass  # the client hung up
        except asyncio.CancelledError:
            pass  # Python 3.11 logs an error when a connection callback task ends cancelled
        finally:
            self._tcp_tasks.discard(task)
            writer.transport.abort()


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self._server = server
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The selector loop's UDP transport does not subclass DatagramTransport in 3.11.
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        answer = self._server.reply("udp", data)
        if answer is not None and self._transport is not None:
            with contextlib.suppress(OSError):
                self._transport.sendto(answer, addr)


def _key(name: str) -> str:
    return dns.name.from_text(name).to_text().lower()


def _rrset(
    name: dns.name.Name, rdtype: dns.rdatatype.RdataType, values: Sequence[str]
) -> dns.rrset.RRset:
    return dns.rrset.from_text_list(name, TTL, dns.rdataclass.IN, rdtype, list(values))


def _garbage(query_id: int) -> bytes:
    """The query's id and a header promising one answer, then bytes that are no record at all."""
    header = struct.pack("!HHHHHH", query_id, 0x8180, 1, 1, 0, 0)
    return header + b"\x07garbage\xff\xfe\xfd"
