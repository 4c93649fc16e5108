"""The on-disk spool alone: order, resuming after a restart, torn and corrupt records, budget."""

from __future__ import annotations

from pathlib import Path

from monitor.influx.record import encode_record
from monitor.influx.spool import ACK_FILE, Spool


def _payload(seq: int, lines: int = 3) -> bytes:
    return "".join(f"m,b={seq} v={i}i {seq * 1000 + i}\n" for i in range(lines)).encode()


def _open(directory: Path, *, max_bytes: int = 1 << 30, segment_bytes: int = 1 << 20) -> Spool:
    spool = Spool(directory, max_bytes=max_bytes, segment_bytes=segment_bytes)
    spool.open()
    return spool


def _drain(spool: Spool, max_lines: int = 1000) -> list[int]:
    seqs: list[int] = []
    while True:
        records, corrupt = spool.read(max_lines)
        assert corrupt == 0
        if not records:
            return seqs
        seqs += [r.seq for r in records]
        spool.commit(records)


def test_records_come_back_in_order_with_their_payloads(tmp_path: Path) -> None:
    spool = _open(tmp_path, segment_bytes=200)  # several segments
    for seq in range(10):
        spool.append(seq, _payload(seq), 3)
    assert spool.lines == 30
    records, _ = spool.read(7)
    assert [r.seq for r in records] == [0, 1]  # whole records, up to 7 lines
    assert records[0].payload == _payload(0)
    spool.commit(records)
    assert _drain(spool) == list(range(2, 10))
    assert spool.lines == 0
    assert spool.bytes == 0
    assert not list(tmp_path.glob("*.seg"))
    assert not (tmp_path / ACK_FILE).exists()


def test_a_front_insert_is_read_before_later_appends(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    spool.append(8, _payload(8), 3)  # spilled while batch 7 was in flight
    spool.append(9, _payload(9), 3)
    spool.insert_front(7, _payload(7), 3)  # batch 7 failed
    spool.append(10, _payload(10), 3)
    assert _drain(spool) == [7, 8, 9, 10]


def test_a_reopened_spool_resumes_after_what_was_sent(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    for seq in range(5):
        spool.append(seq, _payload(seq), 3)
    records, _ = spool.read(6)
    spool.commit(records)  # 0 and 1 sent
    spool.close()
    again = _open(tmp_path)
    assert again.lines == 9
    assert again.next_seq == 5
    again.append(5, _payload(5), 3)  # new appends go after the old backlog
    assert _drain(again) == [2, 3, 4, 5]


def test_a_torn_last_record_is_skipped(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    for seq in range(3):
        spool.append(seq, _payload(seq), 3)
    spool.close()
    segment = next(tmp_path.glob("*.seg"))
    whole = segment.read_bytes()
    torn = encode_record(3, _payload(3), 3)
    segment.write_bytes(whole + torn[: len(torn) // 2])  # a crash mid-append
    again = _open(tmp_path)
    assert again.lines == 9
    assert segment.stat().st_size == len(whole)  # cut back to the last good record
    assert _drain(again) == [0, 1, 2]


def test_a_flipped_bit_ends_the_segment_there(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    for seq in range(3):
        spool.append(seq, _payload(seq), 3)
    spool.close()
    segment = next(tmp_path.glob("*.seg"))
    data = bytearray(segment.read_bytes())
    second = len(encode_record(0, _payload(0), 3))
    data[second + 30] ^= 0x01  # inside record 1's payload
    segment.write_bytes(bytes(data))
    again = _open(tmp_path)
    assert _drain(again) == [0]


def test_the_budget_drops_the_oldest_segments(tmp_path: Path) -> None:
    record = len(encode_record(0, _payload(0), 3))
    # A record per segment; room for four and a half (records differ by a byte or two).
    spool = _open(tmp_path, max_bytes=record * 9 // 2, segment_bytes=record)
    dropped = sum(spool.append(seq, _payload(seq), 3) for seq in range(10))
    assert dropped == 6 * 3
    assert spool.bytes <= record * 9 // 2
    assert _drain(spool) == [6, 7, 8, 9]


def test_a_commit_after_its_segment_was_dropped_changes_nothing(tmp_path: Path) -> None:
    record = len(encode_record(0, _payload(0), 3))
    spool = _open(tmp_path, max_bytes=record * 5 // 2, segment_bytes=record)
    spool.append(0, _payload(0), 3)
    in_flight, _ = spool.read(10)
    for seq in range(1, 4):
        spool.append(seq, _payload(seq), 3)  # segment 0 dropped meanwhile
    spool.commit(in_flight)
    assert _drain(spool) == [2, 3]


def test_an_ack_pointing_inside_a_record_replays_the_segment(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    for seq in range(2):
        spool.append(seq, _payload(seq), 3)
    spool.close()
    segment = next(tmp_path.glob("*.seg"))
    (tmp_path / ACK_FILE).write_text(f"{segment.name} 5")
    assert _drain(_open(tmp_path)) == [0, 1]


def test_a_stale_ack_never_applies_to_a_later_segment_of_the_same_name(tmp_path: Path) -> None:
    spool = _open(tmp_path)
    spool.append(0, _payload(0), 3)
    spool.append(1, _payload(1), 3)
    spool.close()
    name = next(tmp_path.glob("*.seg")).name
    (tmp_path / ACK_FILE).write_text(f"{name} {len(encode_record(0, _payload(0), 3))}")
    next(tmp_path.glob("*.seg")).unlink()  # sent and deleted; the crash came before the ack went
    empty = _open(tmp_path)
    empty.append(0, _payload(0), 3)  # the same name again
    empty.append(1, _payload(1), 3)
    empty.close()
    assert _drain(_open(tmp_path)) == [0, 1]
