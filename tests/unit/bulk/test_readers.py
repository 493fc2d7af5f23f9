"""The streaming readers: every refusal has its code and line, and no cap can be passed by lying."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tarjama.bulk import limits as L
from tarjama.bulk.limits import Limits
from tarjama.bulk.readers import (
    Entry,
    GunzipStream,
    Rejected,
    check_entry_name,
    detect_format,
    iter_lines,
    read_upload,
)

AR = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل."
LIMITS = Limits(
    file_bytes=10**9, articles=1000, article_bytes=4096, decompressed_bytes=1 << 20, compression_ratio=50
)


def run(data: bytes, key: str, limits: Limits = LIMITS) -> list[Entry | Rejected]:
    return list(read_upload(io.BytesIO(data), key, limits))


def jsonl(*records: Any) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return ("\n".join(lines) + "\n").encode("utf-8")


def codes(outcomes: list[Entry | Rejected]) -> list[tuple[int, str]]:
    return [(o.line, "ok" if isinstance(o, Entry) else o.code) for o in outcomes]


def test_jsonl_every_problem_has_its_code_and_line() -> None:
    data = jsonl(
        {"id": "a", "text": AR},
        '{"id": "b", "text": ',
        ["not", "an", "object"],
        {"text": AR},
        {"id": 7, "text": AR},
        {"id": "a", "text": AR},
        {"id": "c"},
        {"id": "d", "text": AR, "html": "<p>x</p>"},
        {"id": "e", "text": 5},
        {"id": "f", "text": "   \n "},
        {"id": "g", "text": "ب" * 3000},
        {"id": "h", "text": AR, "options": {"summary": "poem"}},
        {"id": "i", "text": AR, "options": {"beam": 2}},
        {"id": "j", "html": f"<p>{AR}</p>", "url": "https://example.com/x", "options": {"summary": "none"}},
        {"id": "k", "text": AR, "url": ["x"]},
    )
    out = run(data, "incoming/a.jsonl")
    assert codes(out) == [
        (1, "ok"),
        (2, L.MALFORMED_JSON),
        (3, L.INVALID_RECORD),
        (4, L.MISSING_ID),
        (5, L.INVALID_ID),
        (6, L.DUPLICATE_ID),
        (7, L.MISSING_TEXT),
        (8, L.CONFLICTING_FIELDS),
        (9, L.WRONG_TYPE),
        (10, L.EMPTY_TEXT),
        (11, L.TOO_LARGE),
        (12, L.INVALID_OPTIONS),
        (13, L.INVALID_OPTIONS),
        (14, "ok"),
        (15, L.WRONG_TYPE),
    ]
    html = out[13]
    assert isinstance(html, Entry)
    assert (html.fmt, html.url, html.options) == (
        "html",
        "https://example.com/x",
        {"summary": "none", "summary_sentences": 3, "beam_size": 4},
    )
    refused = [o for o in out if isinstance(o, Rejected)]
    assert len(refused) == 13  # all but lines 1 and 14, each with a sentence saying why
    for o in refused:
        assert len(o.reason.split()) >= 3 and o.reason != o.code, o


def test_blank_lines_are_skipped_but_line_numbers_stay_physical() -> None:
    data = b"\xef\xbb\xbf" + jsonl({"id": "a", "text": AR}, "", "   ", {"id": "b", "text": AR})
    assert codes(run(data, "incoming/x.ndjson")) == [(1, "ok"), (4, "ok")]


def test_invalid_utf8_and_deep_nesting_are_refused_not_crashed() -> None:
    data = b'{"id": "a", "text": "\xff\xfe"}\n' + b"[" * 50_000 + b"\n"
    assert codes(run(data, "incoming/x.jsonl")) == [(1, L.INVALID_ENCODING), (2, L.MALFORMED_JSON)]


def test_a_huge_line_is_never_buffered_whole() -> None:
    limits = Limits(10**9, 1000, 100, 1 << 20, 50)  # line cap = 100 * 6 + 64 KiB
    huge = b'{"id": "x", "text": "' + b"a" * 2_000_000 + b'"}'
    out = run(huge + b"\n" + jsonl({"id": "y", "text": "ok text"}), "incoming/x.jsonl", limits)
    assert codes(out) == [(1, L.TOO_LARGE), (2, "ok")]


@given(st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30), st.booleans())
def test_iter_lines_gives_back_every_line(lines: list[bytes], trailing: bool) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing and lines else b"")
    got = [raw for _, raw in iter_lines(io.BytesIO(data), 10_000)]
    expected = data.split(b"\n")
    if expected and expected[-1] == b"":
        expected.pop()
    assert got == expected


def test_too_many_articles_stops_reading_with_one_error() -> None:
    limits = Limits(10**9, 3, 4096, 1 << 20, 50)
    data = jsonl(*({"id": str(i), "text": AR} for i in range(10)))
    out = run(data, "incoming/x.jsonl", limits)
    assert codes(out) == [(1, "ok"), (2, "ok"), (3, "ok"), (4, L.TOO_MANY_ARTICLES)]
    assert isinstance(out[-1], Rejected) and out[-1].fatal


def test_gzip_multi_member_and_bomb() -> None:
    part1 = gzip.compress(jsonl({"id": "a", "text": AR}))
    part2 = gzip.compress(jsonl({"id": "b", "text": AR}))
    assert codes(run(part1 + part2, "incoming/x.jsonl.gz")) == [(1, "ok"), (2, "ok")]

    bomb = gzip.compress(jsonl({"id": "a", "text": AR}) + b" " * (5 << 20) + b"\n")
    out = run(bomb, "incoming/bomb.jsonl.gz")
    assert codes(out)[0] == (1, "ok")
    assert out[-1].code == L.DECOMPRESSED_TOO_LARGE and out[-1].fatal  # type: ignore[union-attr]

    stream = GunzipStream(io.BytesIO(bomb), 1 << 20)
    with pytest.raises(L.LimitExceeded):
        while stream.read(65536):
            assert stream.produced <= (1 << 20) + 65536


def test_gzip_truncated_or_corrupt() -> None:
    good = gzip.compress(jsonl({"id": "a", "text": AR}) * 50)
    assert run(good[: len(good) // 2], "incoming/x.jsonl.gz")[-1].code == L.CORRUPT_ARCHIVE  # type: ignore[union-attr]
    assert run(b"not gzip at all", "incoming/x.jsonl.gz")[-1].code == L.CORRUPT_ARCHIVE  # type: ignore[union-attr]


def test_single_files_take_their_id_from_the_name() -> None:
    (entry,) = run(AR.encode(), "incoming/news/2024-05-01 story.txt")
    assert isinstance(entry, Entry) and (entry.id, entry.fmt) == ("2024-05-01 story", "text")
    (html,) = run(f"<html><body><p>{AR}</p></body></html>".encode(), "incoming/page.html")
    assert isinstance(html, Entry) and html.fmt == "html"
    assert codes(run(b" \n", "incoming/empty.txt")) == [(1, L.EMPTY_TEXT)]
    assert codes(run(b"x" * 5000, "incoming/big.txt")) == [(1, L.TOO_LARGE)]
    assert codes(run(b"PK\x03\x04rest", "incoming/sneaky.txt")) == [(1, L.NESTED_ARCHIVE)]
    assert codes(run(b"data", "incoming/file.pdf")) == [(0, L.UNSUPPORTED_FORMAT)]


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("a.txt", False),
        ("dir/sub/a.txt", False),
        ("../evil.txt", True),
        ("dir/../../evil.txt", True),
        ("/etc/passwd.txt", True),
        ("dir\\evil.txt", True),
        ("C:/evil.txt", True),
        ("a\x01.txt", True),
        ("..foo.txt", False),
    ],
)
def test_entry_names(name: str, bad: bool) -> None:
    assert (check_entry_name(name) is not None) is bad


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buf.getvalue()


def test_zip_entries_hostile_names_nested_archives_and_bombs_are_refused() -> None:
    data = make_zip(
        {
            "politics/one.txt": AR.encode(),
            "two.html": f"<p>{AR}</p>".encode(),
            "../escape.txt": AR.encode(),
            "/abs.txt": AR.encode(),
            "dir\\win.txt": AR.encode(),
            "inner.zip": make_zip({"x.txt": AR.encode()}),
            "notes.pdf": b"%PDF",
            "bomb.txt": b"\x00" * (2 << 20),
            "politics/one.html": AR.encode(),
            "empty.txt": b"",
            "folder/": b"",
        }
    )
    out = run(data, "incoming/batch.zip")
    assert codes(out) == [
        (1, "ok"),
        (2, "ok"),
        (3, L.UNSAFE_NAME),
        (4, L.UNSAFE_NAME),
        (5, L.UNSAFE_NAME),
        (6, L.NESTED_ARCHIVE),
        (7, L.UNSUPPORTED_ENTRY),
        (8, L.ZIP_BOMB),
        (9, L.DUPLICATE_ID),
        (10, L.EMPTY_TEXT),
    ]
    assert out[0].id == "politics/one"  # type: ignore[union-attr]
    assert "escape" in out[2].reason  # type: ignore[union-attr]


def test_zip_total_decompressed_cap_stops_the_archive() -> None:
    limits = Limits(10**9, 1000, 600_000, 1_000_000, 10_000)
    import os

    entries = {f"{i}.txt": os.urandom(300_000).hex().encode()[:500_000] for i in range(5)}
    out = run(make_zip(entries, zipfile.ZIP_STORED), "incoming/many.zip", limits)
    assert out[-1].code == L.DECOMPRESSED_TOO_LARGE and out[-1].fatal  # type: ignore[union-attr]
    assert sum(isinstance(o, Rejected) and o.code == L.INVALID_ENCODING for o in out) == 0


def test_not_a_zip() -> None:
    assert codes(run(b"garbage", "incoming/x.zip")) == [(1, L.CORRUPT_ARCHIVE)]


def test_detect_format() -> None:
    assert detect_format("incoming/A.JSONL") == "jsonl"
    assert detect_format("incoming/a.ndjson.gz") == "jsonl.gz"
    assert detect_format("incoming/a.tar.gz") is None


def test_a_line_the_parser_refuses_for_any_reason_is_malformed_json_and_the_rest_is_read() -> None:
    huge_number = b'{"id": "a", "text": 1' + b"0" * 5000 + b"}\n"  # int() refuses > 4,300 digits
    too_deep = b"[" * 5_000 + b"]" * 5_000 + b"\n"  # past the interpreter's stack: RecursionError
    out = run(huge_number + too_deep + jsonl({"id": "b", "text": AR}), "incoming/n.jsonl")
    assert codes(out) == [(1, L.MALFORMED_JSON), (2, L.MALFORMED_JSON), (3, "ok")]
