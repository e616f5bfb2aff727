"""The crawl's disk queue (newsarchive.diskqueue): LIFO records whose tears are detected."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.diskqueue import MAGIC, LifoDiskQueue, torn_problem
from newsarchive.errors import NewsArchiveError, TornQueue

# An empty record, one larger than a disk block, and a last one short enough to cut at every byte.
RECORDS = [b"first request", b"", bytes(range(256)) * 40, "第二个请求 /news/2021/0612/88.html".encode()]


def _frame(payload: bytes) -> bytes:
    """One record as the module documents it: size, crc32, payload, size (big-endian)."""
    return struct.pack(">LL", len(payload), zlib.crc32(payload)) + payload + struct.pack(">L", len(payload))


def _written(path, records) -> bytes:
    queue = LifoDiskQueue(path)
    for record in records:
        queue.push(record)
    queue.close()
    return path.read_bytes()


def test_records_come_back_last_in_first_out(tmp_path):
    queue = LifoDiskQueue(tmp_path / "q")
    for record in RECORDS:
        queue.push(record)
    assert len(queue) == len(RECORDS)
    assert queue.peek() == RECORDS[-1]
    assert len(queue) == len(RECORDS)
    popped = [queue.pop() for _ in RECORDS]
    assert popped == RECORDS[::-1]
    assert queue.pop() is None and queue.peek() is None and len(queue) == 0
    queue.close()


def test_the_file_is_framed_as_documented(tmp_path):
    # The format is ours and written down: the magic, then size, crc32, payload, size.
    data = _written(tmp_path / "q", [b"ab", b"xyz"])
    assert data == MAGIC + _frame(b"ab") + _frame(b"xyz")


def test_push_after_peek_and_pop_keeps_the_order(tmp_path):
    queue = LifoDiskQueue(tmp_path / "q")
    queue.push(b"a")
    queue.push(b"b")
    assert queue.peek() == b"b"
    queue.push(b"c")
    assert queue.pop() == b"c"
    queue.push(b"d")
    assert [queue.pop(), queue.pop(), queue.pop(), queue.pop()] == [b"d", b"b", b"a", None]
    queue.close()


def test_a_closed_queue_reopens_with_its_records(tmp_path):
    path = tmp_path / "q"
    _written(path, RECORDS)
    queue = LifoDiskQueue(path)
    assert len(queue) == len(RECORDS)
    assert queue.pop() == RECORDS[-1]
    queue.push(b"after reopening")
    queue.close()
    queue = LifoDiskQueue(path)
    assert [queue.pop() for _ in range(len(RECORDS))] == [b"after reopening", *RECORDS[-2::-1]]
    assert len(queue) == 0
    queue.close()


def test_closing_an_empty_queue_removes_its_file(tmp_path):
    # Scrapy removes the folders it made for a queue once they are empty.
    path = tmp_path / "q"
    queue = LifoDiskQueue(path)
    queue.push(b"a")
    assert queue.pop() == b"a"
    queue.close()
    assert not path.exists()


def test_a_record_must_be_bytes(tmp_path):
    queue = LifoDiskQueue(tmp_path / "q")
    with pytest.raises(TypeError, match="bytes, not str"):
        queue.push("text")  # type: ignore[arg-type]
    queue.close()


def test_a_whole_file_has_no_problem(tmp_path):
    path = tmp_path / "q"
    _written(path, RECORDS)
    assert torn_problem(path) is None


def test_a_file_cut_anywhere_in_its_last_record_is_named_and_never_half_read(tmp_path):
    path = tmp_path / "q"
    data = _written(path, RECORDS)
    last_start = len(data) - len(_frame(RECORDS[-1]))
    for cut in range(last_start + 1, len(data)):
        path.write_bytes(data[:cut])
        problem = torn_problem(path)
        head_end = last_start + 8
        needed = head_end if cut < head_end else len(data)
        assert problem == f"record {len(RECORDS)} cut short at byte {cut} of {needed}", cut
        with pytest.raises(TornQueue, match=f"record {len(RECORDS)} cut short"):
            LifoDiskQueue(path)
    # Cut exactly between two records, the file is whole: the records before come back entire.
    path.write_bytes(data[:last_start])
    assert torn_problem(path) is None
    queue = LifoDiskQueue(path)
    assert [queue.pop() for _ in range(len(RECORDS))] == [*RECORDS[-2::-1], None]
    queue.close()


_NONEMPTY = [i for i, r in enumerate(RECORDS) if r]


@pytest.mark.parametrize("record", _NONEMPTY, ids=[f"record-{i + 1}" for i in _NONEMPTY])
def test_one_flipped_payload_byte_fails_the_checksum(record, tmp_path):
    path = tmp_path / "q"
    data = bytearray(_written(path, RECORDS))
    start = len(MAGIC) + sum(len(_frame(r)) for r in RECORDS[:record])
    end = start + len(_frame(RECORDS[record]))
    data[start + 8 + len(RECORDS[record]) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert torn_problem(path) == f"record {record + 1} (bytes {start}-{end}) fails its checksum"
    with pytest.raises(TornQueue, match="fails its checksum"):
        LifoDiskQueue(path)


def test_sizes_that_disagree_are_named(tmp_path):
    path = tmp_path / "q"
    data = bytearray(_written(path, [b"abcd", b"efgh"]))
    data[len(MAGIC) + 8 + 4 + 3] = 5  # record 1's trailing size: 4 -> 5
    path.write_bytes(bytes(data))
    assert torn_problem(path) == f"record 1 (bytes {len(MAGIC)}-{len(MAGIC) + 16}) has sizes 4 and 5"


def test_a_size_torn_into_gigabytes_is_cut_short_not_read(tmp_path):
    path = tmp_path / "q"
    path.write_bytes(MAGIC + struct.pack(">LL", 0xFFFFFFF0, 0) + b"abc")
    assert torn_problem(path) == f"record 1 cut short at byte 15 of {4 + 8 + 0xFFFFFFF0 + 4}"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "0 bytes, no header"),
        (b"NA", "2 bytes, no header"),
        # queuelib's LifoDiskQueue: a record count, then payload + size records.
        (struct.pack(">L", 1) + b"req" + struct.pack(">L", 3), "not a newsarchive queue file"),
    ],
    ids=["empty", "short-header", "queuelib"],
)
def test_a_file_in_no_format_of_ours_is_named(content, problem, tmp_path):
    path = tmp_path / "q"
    path.write_bytes(content)
    assert (torn_problem(path) or "").startswith(problem)
    with pytest.raises(TornQueue, match=problem):
        LifoDiskQueue(path)


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    assert "cannot be read" in (torn_problem(tmp_path / "missing") or "")


def test_torn_queue_is_one_of_our_errors():
    assert issubclass(TornQueue, NewsArchiveError) and issubclass(TornQueue, ValueError)


def test_a_record_torn_under_an_open_queue_is_not_popped(tmp_path):
    # Another writer (or a disk fault) changes the file after it was opened: pop refuses.
    path = tmp_path / "q"
    _written(path, [b"abcdef", b"ghijkl"])
    queue = LifoDiskQueue(path)
    with path.open("r+b") as f:
        f.seek(len(MAGIC) + 16 + 8)
        f.write(b"X")
    with pytest.raises(TornQueue, match="record 2 .* fails its checksum"):
        queue.pop()
    queue.close()


OPS = st.lists(st.one_of(st.binary(max_size=300), st.none(), st.just(b"reopen")), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_run_of_pushes_pops_and_reopens_matches_a_list(ops, tmp_path_factory):
    path = tmp_path_factory.mktemp("q") / "q"
    model: list[bytes] = []
    queue = LifoDiskQueue(path)
    for op in ops:
        if op is None:
            assert queue.pop() == (model.pop() if model else None)
        elif op == b"reopen":
            queue.close()
            assert path.exists() == bool(model)
            queue = LifoDiskQueue(path)
        else:
            queue.push(op)
            model.append(op)
        assert len(queue) == len(model)
        assert queue.peek() == (model[-1] if model else None)
    queue.close()
    if model:
        assert torn_problem(path) is None
