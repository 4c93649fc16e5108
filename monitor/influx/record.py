"""The spool's record format: one batch of line protocol, framed so damage is detectable.

    header: payload length (u32), lines (u32), seq (u64), crc32 (u32)   -- little-endian
    payload: the batch's line protocol, zlib-compressed (level 1: ~7x smaller, cheap CPU, and
             zlib releases the GIL, so the spool thread does not slow the event loop)

The crc covers the first three header fields and the payload: a record cut short by a crash
mid-append, or with a flipped bit, fails the check and is never sent.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Final

HEADER: Final = struct.Struct("<IIQI")
_CRC_PART: Final = struct.Struct("<IIQ")
# Records are whole batches (a few MB at most); this bounds what a corrupt length field can make
# a reader allocate.
MAX_RECORD_BYTES: Final = 256 * 1024 * 1024


def encode_record(seq: int, payload: bytes, lines: int) -> bytes:
    body = zlib.compress(payload, 1)
    head = _CRC_PART.pack(len(body), lines, seq)
    return head + struct.pack("<I", zlib.crc32(body, zlib.crc32(head))) + body


def intact(header: bytes, body: bytes) -> bool:
    """Whether `body` is the whole, undamaged payload `header` describes."""
    length, _, _, crc = HEADER.unpack(header)
    return len(body) == length and zlib.crc32(body, zlib.crc32(header[:_CRC_PART.size])) == int(crc)


def parse_record(data: bytes, offset: int) -> tuple[int, int, int] | None:
    """(end, lines, seq) of the record at `offset`, or None if it is torn or corrupt."""
    if len(data) - offset < HEADER.size:
        return None
    length, lines, seq, _ = HEADER.unpack_from(data, offset)
    end = offset + HEADER.size + length
    if length > MAX_RECORD_BYTES or end > len(data):
        return None
    if not intact(data[offset:offset + HEADER.size], data[offset + HEADER.size:end]):
        return None
    return end, lines, seq


def count_lines(path: Path, offset: int, size: int) -> int | None:
    """Lines in the records of `path` from `offset` to `size`, or None if `offset` is not the
    start of a record."""
    data = path.read_bytes()[:size]
    lines = 0
    while offset < size:
        parsed = parse_record(data, offset)
        if parsed is None:
            return None
        offset, lines = parsed[0], lines + parsed[1]
    return lines
