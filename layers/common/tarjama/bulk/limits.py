"""The limits a bulk file is held to, and the stable reason codes the report uses for each.

A limit that concerns one article rejects that article; a limit that concerns the file (its size, how much it
decompresses to, how many articles it holds) stops reading at that point: what came before is processed, and
the stop is one error of the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from tarjama.config import Settings

# File-level (the reader stops): the report has one error for it.
FILE_TOO_LARGE = "file_too_large"
UNSUPPORTED_FORMAT = "unsupported_format"
CORRUPT_ARCHIVE = "corrupt_archive"
DECOMPRESSED_TOO_LARGE = "decompressed_too_large"
TOO_MANY_ARTICLES = "too_many_articles"
SOURCE_UNREADABLE = "source_unreadable"
SOURCE_CHANGED = "source_changed"
# Per line or per entry.
MALFORMED_JSON = "malformed_json"
INVALID_ENCODING = "invalid_encoding"
INVALID_RECORD = "invalid_record"
MISSING_ID = "missing_id"
INVALID_ID = "invalid_id"
DUPLICATE_ID = "duplicate_id"
MISSING_TEXT = "missing_text"
CONFLICTING_FIELDS = "conflicting_fields"
WRONG_TYPE = "wrong_type"
INVALID_OPTIONS = "invalid_options"
EMPTY_TEXT = "empty_text"
TOO_LARGE = "too_large"
UNSAFE_NAME = "unsafe_name"
NESTED_ARCHIVE = "nested_archive"
UNSUPPORTED_ENTRY = "unsupported_entry"
ENCRYPTED_ENTRY = "encrypted_entry"
ZIP_BOMB = "zip_bomb"
QUEUE_REJECTED = "queue_rejected"
# Worker side.
PROCESSING_FAILED = "processing_failed"
DEAD_LETTER = "dead_letter"
# The job's own error, when the job itself ends failed.
FINALIZE_FAILED = "finalize_failed"
SPLIT_FAILED = "split_failed"

MAX_ID_CHARS = 256
# A zip entry that expands past this many bytes is judged by its compression ratio; below, text compresses
# well enough (runs of spaces, repeated boilerplate) that a ratio says nothing.
RATIO_FLOOR_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    articles: int
    article_bytes: int
    decompressed_bytes: int
    compression_ratio: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            file_bytes=settings.bulk_max_file_bytes,
            articles=settings.bulk_max_articles,
            article_bytes=settings.bulk_max_article_bytes,
            decompressed_bytes=settings.bulk_max_decompressed_bytes,
            compression_ratio=settings.bulk_max_compression_ratio,
        )

    @property
    def line_bytes(self) -> int:
        """The longest JSON line read into memory: an allowed article fully `\\uXXXX`-escaped, plus fields."""
        return self.article_bytes * 6 + 64 * 1024


class LimitExceeded(Exception):
    """Raised inside a reader when a file-level cap is reached; the reader turns it into a final error."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
