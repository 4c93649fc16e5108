"""The outage spool: batches of line protocol on disk while InfluxDB cannot take them.

Layout: `data_dir/influx-spool/<seq>.seg` segment files, named by the sequence number of their
first batch (20 digits, so names sort as numbers), plus an `ack` file. Segments are append-only;
each record is one batch, length- and crc-framed (record.py). A torn last record (a crash
mid-append) or a flipped bit is found when the spool is opened: the segment is cut back to its
last good record and the rest is skipped and logged.

Order: records are replayed by (segment name, offset), which is sequence order. A batch that
failed while the spool was empty (sent straight from memory) can be older than batches spilled
during its request; it gets a segment of its own named by its seq, which sorts before them.

Durability: every append is fsynced (records are whole batches, at most a few a second, so the
cost is spread over thousands of points, and a spilled batch survives power loss). `ack` (the
head segment's read offset) is replaced atomically but not fsynced: after a power cut at worst
the last batches sent are sent again, and a point written twice with the same series and
timestamp is the same point to InfluxDB.

Not thread-safe: the sink runs every call on one dedicated thread, which also keeps the order.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import structlog

from monitor.core.private import private_dir
from monitor.influx.record import HEADER, count_lines, encode_record, intact, parse_record

log = structlog.get_logger("influx.spool")

SPOOL_DIR: Final = "influx-spool"
SUFFIX: Final = ".seg"
ACK_FILE: Final = "ack"


@dataclass(frozen=True, slots=True)
class Record:
    segment: str
    offset: int
    end: int
    seq: int
    lines: int
    payload: bytes  # line protocol, decompressed


@dataclass(slots=True)
class _Segment:
    name: str
    size: int  # bytes of valid records
    read_at: int  # offset of the first record not yet sent
    lines: int  # lines not yet sent
    last_seq: int


def _segment_name(seq: int) -> str:
    return f"{seq:020d}{SUFFIX}"


class Spool:
    def __init__(self, directory: Path, *, max_bytes: int, segment_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.segment_bytes = segment_bytes
        self._segments: list[_Segment] = []  # sorted by name = by sequence
        self._tail: _Segment | None = None  # the segment appends go to (opened this run)
        self._tail_fd: int | None = None
        # Read by the event loop thread for metrics and decisions; ints are swapped atomically.
        self.lines = 0
        self.bytes = 0
        self.next_seq = 0

    # ---- opening -------------------------------------------------------------------------
    def open(self) -> None:
        """Scan the segments, cut torn tails, and resume from the ack'd offset."""
        private_dir(self.directory)
        for path in sorted(self.directory.glob(f"*{SUFFIX}")):
            segment = self._scan(path)
            if segment is None:
                continue
            self._segments.append(segment)
            self.next_seq = max(self.next_seq, segment.last_seq + 1)
        self._apply_ack()
        self._recount()

    def _scan(self, path: Path) -> _Segment | None:
        data = path.read_bytes()
        offset, lines, last_seq = 0, 0, -1
        while offset < len(data):
            parsed = parse_record(data, offset)
            if parsed is None:
                break
            end, record_lines, seq = parsed
            offset, lines, last_seq = end, lines + record_lines, seq
        if offset < len(data):
            log.warning("influx_spool_torn_record", segment=path.name, kept_bytes=offset,
                        skipped_bytes=len(data) - offset)
            with path.open("r+b") as handle:
                handle.truncate(offset)
        if offset == 0:
            path.unlink()
            return None
        return _Segment(path.name, offset, 0, lines, last_seq)

    def _apply_ack(self) -> None:
        ack = self.directory / ACK_FILE
        try:
            name, _, offset_text = ack.read_text().partition(" ")
            offset = int(offset_text)
        except (OSError, ValueError):
            return
        segment = next((s for s in self._segments if s.name == name), None)
        if segment is None:  # its segment is gone: never let it apply to a future namesake
            ack.unlink()
            return
        if offset <= 0:
            return
        unsent = count_lines(self.directory / name, offset, segment.size)
        if unsent is None:  # not a record boundary: replay the whole segment rather than guess
            return
        segment.read_at, segment.lines = offset, unsent
        if segment.read_at >= segment.size:
            self._delete(segment)

    # ---- writing -------------------------------------------------------------------------
    def append(self, seq: int, payload: bytes, lines: int) -> int:
        """Add a batch newer than everything spooled; returns the lines dropped for the budget."""
        tail = self._tail
        if tail is None or tail.size >= self.segment_bytes or tail.lines == 0:
            # A tail with nothing unsent is replaced rather than reused, so the new segment's
            # name (this batch's seq) sorts after a front insert made since (module doc).
            if tail is not None and tail.lines == 0:
                self._delete(tail)
            self._close_tail()
            self._tail = self._create(seq)
            self._tail_fd = os.open(self.directory / self._tail.name,
                                    os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        assert self._tail is not None
        assert self._tail_fd is not None
        self._write(self._tail_fd, self._tail, seq, payload, lines)
        return self._enforce_budget()

    def insert_front(self, seq: int, payload: bytes, lines: int) -> int:
        """A batch older than everything spooled (see the module doc): its own segment."""
        segment = self._create(seq)
        fd = os.open(self.directory / segment.name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self._write(fd, segment, seq, payload, lines)
        finally:
            os.close(fd)
        return self._enforce_budget()

    def _create(self, seq: int) -> _Segment:
        segment = _Segment(_segment_name(seq), 0, 0, 0, seq)
        self._segments.append(segment)
        self._segments.sort(key=lambda s: s.name)
        self.next_seq = max(self.next_seq, seq + 1)
        return segment

    def _write(self, fd: int, segment: _Segment, seq: int, payload: bytes, lines: int) -> None:
        record = encode_record(seq, payload, lines)
        try:
            view = memoryview(record)
            while view:  # a regular file may take fewer bytes than offered (disk nearly full)
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:
            # Disk full or failing: leave no partial record for later appends to land behind.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, segment.size)
            raise
        if segment.size == 0:  # a new file: its directory entry must survive a power cut too
            _fsync_dir(self.directory)
        segment.size += len(record)
        segment.lines += lines
        segment.last_seq = max(segment.last_seq, seq)
        self.lines += lines
        self.bytes += len(record)

    def _enforce_budget(self) -> int:
        """Drop whole oldest segments past the budget; the newest segment always stays."""
        dropped = 0
        while self.bytes > self.max_bytes and len(self._segments) > 1:
            oldest = self._segments[0]
            dropped += oldest.lines
            self._delete(oldest)
        return dropped

    # ---- reading -------------------------------------------------------------------------
    def read(self, max_lines: int) -> tuple[list[Record], int]:
        """The oldest unsent records of the head segment, up to `max_lines` lines (at least one
        record). Also returns lines lost to corruption found on the way (skipped, counted)."""
        corrupt = 0
        while self._segments:
            head = self._segments[0]
            records = self._read_segment(head, max_lines)
            if records:
                return records, corrupt
            corrupt += head.lines  # unreadable although the scan passed: the disk changed
            log.error("influx_spool_unreadable", segment=head.name, lines=head.lines)
            self._delete(head)
        return [], corrupt

    def _read_segment(self, head: _Segment, max_lines: int) -> list[Record]:
        records: list[Record] = []
        total, offset = 0, head.read_at
        with (self.directory / head.name).open("rb") as handle:
            handle.seek(offset)
            while offset < head.size:
                header = handle.read(HEADER.size)
                if len(header) < HEADER.size:
                    break
                length, lines, seq, _ = HEADER.unpack(header)
                end = offset + HEADER.size + length
                if (records and total + lines > max_lines) or end > head.size:
                    break
                body = handle.read(length)
                if not intact(header, body):
                    break
                records.append(Record(head.name, offset, end, seq, lines, zlib.decompress(body)))
                total, offset = total + lines, end
        return records

    def commit(self, records: list[Record]) -> None:
        """Mark `records` (from `read`) sent or given up on. A no-op if their segment was
        dropped for the budget in the meantime."""
        if not records or not self._segments:
            return
        head = self._segments[0]
        if head.name != records[0].segment or head.read_at != records[0].offset:
            return
        lines = sum(r.lines for r in records)
        head.read_at = records[-1].end
        head.lines -= lines
        self.lines -= lines
        if head.read_at >= head.size:
            self._delete(head)
        else:
            _replace_text(self.directory / ACK_FILE, f"{head.name} {head.read_at}")

    # ---- housekeeping --------------------------------------------------------------------
    def _delete(self, segment: _Segment) -> None:
        if segment is self._tail:
            self._close_tail()
        self._segments.remove(segment)
        with contextlib.suppress(FileNotFoundError):
            (self.directory / segment.name).unlink()
        if not self._segments:
            # An empty spool has no head; a stale ack must not apply to a future segment.
            with contextlib.suppress(FileNotFoundError):
                (self.directory / ACK_FILE).unlink()
        self._recount()

    def _close_tail(self) -> None:
        if self._tail_fd is not None:
            os.close(self._tail_fd)
        self._tail, self._tail_fd = None, None

    def _recount(self) -> None:
        self.lines = sum(s.lines for s in self._segments)
        self.bytes = sum(s.size for s in self._segments)

    def close(self) -> None:
        self._close_tail()


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
