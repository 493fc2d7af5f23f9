"""Streaming readers, one per upload format, yielding articles and rejections in input order.

Every reader works on a binary stream and keeps at most one article (one line, one entry) in memory, plus
one S3 block. Caps are counted while reading, not trusted from headers: a gzip or zip bomb stops at
`decompressed_bytes` however its headers describe it, and a line with no newline stops being buffered at
`line_bytes`. The readers are pure (no AWS), so the unit tests feed them bytes directly.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from tarjama.bulk import limits as L
from tarjama.bulk.limits import LimitExceeded, Limits
from tarjama.result import DigestOptions

Stream = Any
"""A binary file object: `read(n)`; the zip reader also needs `seek`/`tell` (io.RawIOBase, BytesIO, S3)."""
Format = Literal["jsonl", "jsonl.gz", "text", "html", "zip"]
ArticleFormat = Literal["text", "html"]

CHUNK = 256 * 1024
_BOM = b"\xef\xbb\xbf"
_ARCHIVE_EXTS = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".jar", ".zst", ".lz4")
_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x28\xb5\x2f\xfd",
)
_ENTRY_FORMATS: dict[str, ArticleFormat] = {".txt": "text", ".html": "html", ".htm": "html"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One valid article. `line` is its 1-based position: the line number, or the entry number in a zip."""

    line: int
    id: str
    text: str
    fmt: ArticleFormat
    url: str | None = None
    options: dict[str, Any] | None = None


@dataclass(frozen=True)
class Rejected:
    """One refused line or entry, or (`fatal`) the point where the whole file stopped being read."""

    line: int
    id: str | None
    code: str
    reason: str
    fatal: bool = False

    def to_error(self) -> dict[str, Any]:
        return {"line": self.line, "id": self.id, "code": self.code, "reason": self.reason}


Outcome = Entry | Rejected


def detect_format(key: str) -> Format | None:
    name = key.lower()
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl.gz"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".zip"):
        return "zip"
    if name.endswith(".txt"):
        return "text"
    if name.endswith((".html", ".htm")):
        return "html"
    return None


def read_upload(stream: Stream, key: str, limits: Limits) -> Iterator[Outcome]:
    """All outcomes of one upload, in input order, with the per-file caps (count, duplicate ids) applied."""
    fmt = detect_format(key)
    if fmt is None:
        yield Rejected(
            0, None, L.UNSUPPORTED_FORMAT, "Use .jsonl, .ndjson, .jsonl.gz, .txt, .html or .zip.", fatal=True
        )
        return
    inner: Iterator[Outcome]
    if fmt == "jsonl":
        inner = read_jsonl(stream, limits)
    elif fmt == "jsonl.gz":
        inner = read_jsonl(GunzipStream(stream, limits.decompressed_bytes), limits)
    elif fmt == "zip":
        inner = read_zip(stream, limits)
    else:
        inner = read_single(stream, _basename_id(key), fmt, limits)
    yield from _per_file_rules(inner, limits)


def _per_file_rules(outcomes: Iterator[Outcome], limits: Limits) -> Iterator[Outcome]:
    """Ids unique within the file (first one wins) and at most `articles` articles; then stop."""
    seen: set[str] = set()
    count = 0
    last_line = 0
    try:
        for outcome in outcomes:
            last_line = outcome.line
            if isinstance(outcome, Rejected) and outcome.fatal:
                yield outcome
                return
            if count >= limits.articles:
                yield Rejected(
                    outcome.line,
                    None,
                    L.TOO_MANY_ARTICLES,
                    f"The file holds more than {limits.articles:,} articles; reading stopped here.",
                    fatal=True,
                )
                return
            count += 1
            if outcome.id is not None:
                if outcome.id in seen:
                    yield Rejected(
                        outcome.line, outcome.id, L.DUPLICATE_ID, "This id appeared earlier in the file."
                    )
                    continue
                seen.add(outcome.id)
            yield outcome
    except LimitExceeded as stop:
        yield Rejected(last_line + 1, None, stop.code, stop.reason, fatal=True)


# ------------------------------------------------------------------------------------------- gzip


class GunzipStream:
    """Streaming gzip decompression (all members) that stops at `cap` decompressed bytes."""

    def __init__(self, raw: Stream, cap: int) -> None:
        self._raw = raw
        self._cap = cap
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._fed = False  # the current member has started
        self._pending = b""
        self._eof = False
        self.produced = 0

    def read(self, n: int = CHUNK) -> bytes:
        while not self._eof:
            if not self._pending:
                self._pending = self._raw.read(CHUNK)
                if not self._pending:
                    if self._fed:
                        raise LimitExceeded(L.CORRUPT_ARCHIVE, "The gzip stream ends before its end marker.")
                    self._eof = True
                    break
            try:
                out = self._d.decompress(self._pending, n)
            except zlib.error as exc:
                raise LimitExceeded(L.CORRUPT_ARCHIVE, f"The gzip data is corrupt ({exc}).") from exc
            self._fed = True
            self._pending = self._d.unconsumed_tail
            if self._d.eof:  # the next member, if any: concatenated gzip files are valid gzip
                self._pending = self._d.unused_data + self._pending
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._fed = False
            if out:
                self.produced += len(out)
                if self.produced > self._cap:
                    raise LimitExceeded(
                        L.DECOMPRESSED_TOO_LARGE,
                        f"The file decompresses to more than {self._cap:,} bytes; reading stopped here.",
                    )
                return out
        return b""


# ------------------------------------------------------------------------------------------- jsonl


def iter_lines(stream: Stream, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; `None` for a line longer than `max_line` (never buffered)."""
    buf = bytearray()
    lineno = 0
    skipping = False
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            piece = chunk[start:] if nl < 0 else chunk[start:nl]
            if not skipping:
                buf += piece
                if len(buf) > max_line:
                    skipping = True
                    buf.clear()
            if nl < 0:
                break
            lineno += 1
            yield lineno, (None if skipping else bytes(buf))
            skipping = False
            buf.clear()
            start = nl + 1
    if buf or skipping:
        yield lineno + 1, (None if skipping else bytes(buf))


def read_jsonl(stream: Stream, limits: Limits) -> Iterator[Outcome]:
    for lineno, raw in iter_lines(stream, limits.line_bytes):
        if raw is None:
            yield Rejected(lineno, None, L.TOO_LARGE, f"The line is longer than {limits.line_bytes:,} bytes.")
            continue
        data = raw[len(_BOM) :] if lineno == 1 and raw.startswith(_BOM) else raw
        if not data.strip():
            continue  # blank lines are not articles
        yield parse_line(lineno, data, limits)


def parse_line(lineno: int, raw: bytes, limits: Limits) -> Outcome:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(lineno, None, L.INVALID_ENCODING, f"The line is not valid UTF-8 (byte {exc.start}).")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(lineno, None, L.MALFORMED_JSON, f"Invalid JSON: {exc.msg} at column {exc.colno}.")
    except RecursionError:
        return Rejected(lineno, None, L.MALFORMED_JSON, "Invalid JSON: nested too deeply.")
    except ValueError:  # any other refusal of the parser, e.g. an integer of more than 4,300 digits
        return Rejected(lineno, None, L.MALFORMED_JSON, "Invalid JSON: a value this service cannot read.")
    if not isinstance(record, dict):
        return Rejected(lineno, None, L.INVALID_RECORD, "A line must hold a JSON object.")
    if "id" not in record or record["id"] is None:
        return Rejected(lineno, None, L.MISSING_ID, 'The object has no "id".')
    article_id = record["id"]
    if not isinstance(article_id, str) or not article_id.strip() or len(article_id) > L.MAX_ID_CHARS:
        return Rejected(
            lineno,
            None,
            L.INVALID_ID,
            f'"id" must be a non-empty string of at most {L.MAX_ID_CHARS} characters.',
        )
    has_text, has_html = record.get("text") is not None, record.get("html") is not None
    if has_text and has_html:
        return Rejected(lineno, article_id, L.CONFLICTING_FIELDS, 'Give either "text" or "html", not both.')
    if not (has_text or has_html):
        return Rejected(lineno, article_id, L.MISSING_TEXT, 'The object has neither "text" nor "html".')
    fmt: ArticleFormat = "text" if has_text else "html"
    text = record[fmt]
    if not isinstance(text, str):
        return Rejected(lineno, article_id, L.WRONG_TYPE, f'"{fmt}" must be a string.')
    url = record.get("url")
    if url is not None and (not isinstance(url, str) or len(url) > 4096):
        return Rejected(lineno, article_id, L.WRONG_TYPE, '"url" must be a string (at most 4096 characters).')
    options = record.get("options")
    if options is not None:
        if not isinstance(options, dict):
            return Rejected(lineno, article_id, L.WRONG_TYPE, '"options" must be an object.')
        try:
            options = DigestOptions.model_validate(options).model_dump(mode="json")
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "options"
            return Rejected(lineno, article_id, L.INVALID_OPTIONS, f"options.{where}: {first['msg']}.")
    return _checked_entry(lineno, article_id, text, fmt, limits, url=url, options=options)


def _checked_entry(
    line: int,
    article_id: str,
    text: str,
    fmt: ArticleFormat,
    limits: Limits,
    *,
    url: str | None = None,
    options: dict[str, Any] | None = None,
) -> Outcome:
    size = len(text.encode("utf-8"))
    if size > limits.article_bytes:
        return Rejected(
            line,
            article_id,
            L.TOO_LARGE,
            f"The article has {size:,} bytes; the limit is {limits.article_bytes:,}.",
        )
    if not text.strip():
        return Rejected(line, article_id, L.EMPTY_TEXT, "The article is empty.")
    return Entry(line=line, id=article_id, text=text, fmt=fmt, url=url, options=options)


# ------------------------------------------------------------------------------------------- one file


def _basename_id(key: str) -> str:
    name = posixpath.basename(key)
    stem, _ = posixpath.splitext(name)
    return stem or name or "article"


def _decode(line: int, article_id: str, data: bytes) -> str | Rejected:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if data.startswith(_ARCHIVE_MAGIC):
        return Rejected(line, article_id, L.NESTED_ARCHIVE, "Archives inside archives are refused.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(
            line, article_id, L.INVALID_ENCODING, f"The file is not valid UTF-8 (byte {exc.start})."
        )


def read_single(stream: Stream, article_id: str, fmt: ArticleFormat, limits: Limits) -> Iterator[Outcome]:
    data = stream.read(limits.article_bytes + 1)
    if len(data) > limits.article_bytes:
        yield Rejected(
            1, article_id, L.TOO_LARGE, f"The article is larger than {limits.article_bytes:,} bytes."
        )
        return
    text = _decode(1, article_id, data)
    yield text if isinstance(text, Rejected) else _checked_entry(1, article_id, text, fmt, limits)


# ------------------------------------------------------------------------------------------- zip


def check_entry_name(name: str) -> str | None:
    """Why an archive entry name is unsafe, or None. Names never become paths, but such a name is hostile."""
    if not name or len(name) > 1024:
        return "The entry name is empty or too long."
    if name.startswith("/"):
        return "Absolute paths are refused."
    if "\\" in name:
        return "Backslashes are refused in entry names."
    if _DRIVE.match(name):
        return "Drive letters are refused in entry names."
    if _CONTROL.search(name):
        return "Control characters are refused in entry names."
    if any(part == ".." for part in name.split("/")):
        return 'Entry names may not contain "..".'
    return None


def read_zip(stream: Stream, limits: Limits) -> Iterator[Outcome]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise LimitExceeded(L.CORRUPT_ARCHIVE, f"Not a readable zip file ({exc}).") from exc
    produced = 0
    with archive:
        line = 0
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or name.startswith("__MACOSX/"):
                continue
            line += 1
            problem = check_entry_name(name)
            if problem is not None:
                yield Rejected(line, None, L.UNSAFE_NAME, f"{problem} ({name[:200]!r})")
                continue
            parts = [p for p in name.split("/") if p not in ("", ".")]
            stem, ext = posixpath.splitext("/".join(parts))
            ext = ext.lower()
            article_id = stem
            if ext in _ARCHIVE_EXTS or name.lower().endswith(".tar.gz"):
                yield Rejected(line, article_id, L.NESTED_ARCHIVE, "Archives inside archives are refused.")
                continue
            fmt = _ENTRY_FORMATS.get(ext)
            if fmt is None:
                yield Rejected(line, article_id, L.UNSUPPORTED_ENTRY, "Only .txt and .html entries are read.")
                continue
            if info.flag_bits & 0x1:
                yield Rejected(line, article_id, L.ENCRYPTED_ENTRY, "Encrypted entries are refused.")
                continue
            if info.file_size > L.RATIO_FLOOR_BYTES and info.file_size > limits.compression_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                yield Rejected(
                    line,
                    article_id,
                    L.ZIP_BOMB,
                    f"Compression ratio {ratio:,}:1 exceeds {limits.compression_ratio}:1 "
                    f"({info.file_size:,} bytes declared).",
                )
                continue
            if info.file_size > limits.article_bytes:
                yield Rejected(
                    line,
                    article_id,
                    L.TOO_LARGE,
                    f"The entry has {info.file_size:,} bytes; the limit is {limits.article_bytes:,}.",
                )
                continue
            if produced + info.file_size > limits.decompressed_bytes:
                raise LimitExceeded(
                    L.DECOMPRESSED_TOO_LARGE,
                    f"The archive decompresses to more than {limits.decompressed_bytes:,} bytes.",
                )
            try:
                data = _read_capped(archive, info, limits.article_bytes + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                yield Rejected(line, article_id, L.CORRUPT_ARCHIVE, f"The entry cannot be read ({exc}).")
                continue
            produced += len(data)  # actual bytes, whatever the header claimed
            if produced > limits.decompressed_bytes:
                raise LimitExceeded(
                    L.DECOMPRESSED_TOO_LARGE,
                    f"The archive decompresses to more than {limits.decompressed_bytes:,} bytes.",
                )
            if len(data) > limits.article_bytes:
                yield Rejected(
                    line, article_id, L.TOO_LARGE, f"The entry is larger than {limits.article_bytes:,} bytes."
                )
                continue
            text = _decode(line, article_id, data)
            yield text if isinstance(text, Rejected) else _checked_entry(line, article_id, text, fmt, limits)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """At most `cap` bytes of an entry, read incrementally: a lying header cannot make us read more."""
    out = bytearray()
    with archive.open(info) as fh:
        while len(out) < cap:
            chunk = fh.read(min(CHUNK, cap - len(out)))
            if not chunk:
                break
            out += chunk
    return bytes(out)
