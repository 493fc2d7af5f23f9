"""S3 objects as seekable, bounded, retrying file objects.

An upload may be a gigabyte: it is read in ranged GETs of one block at a time, so memory holds one block
whatever the file's size, and `zipfile` can seek to its central directory without the object being
downloaded. Each block is fetched with `If-Match` on the ETag seen first, so a file replaced mid-read is
reported instead of being read as a mix of two files; a failing block is retried with backoff, then the
read stops with a clear reason (issue 9: S3 read errors retried, then reported).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tarjama.bulk.limits import SOURCE_CHANGED, SOURCE_UNREADABLE, LimitExceeded

DEFAULT_BLOCK = 4 * 1024 * 1024


class S3RangeReader(io.RawIOBase):
    """A read-only, seekable view of one S3 object, fetched block by block."""

    def __init__(
        self,
        s3: Any,
        bucket: str,
        key: str,
        *,
        size: int | None = None,
        etag: str | None = None,
        block_size: int = DEFAULT_BLOCK,
        attempts: int = 4,
        backoff: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        self._s3 = s3
        self.bucket = bucket
        self.key = key
        self._block_size = block_size
        self._attempts = attempts
        self._backoff = backoff
        self._sleep = sleep
        if size is None or etag is None:
            head = self._call(lambda: s3.head_object(Bucket=bucket, Key=key))
            size = int(head["ContentLength"])
            etag = str(head["ETag"])
        self.size = size
        self.etag = etag
        self._pos = 0
        self._block_start = 0
        self._block = b""
        self.requests = 0

    # io protocol ----------------------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise OSError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self.size or len(view) == 0:
            return 0
        offset = self._pos - self._block_start
        if not (0 <= offset < len(self._block)):
            self._fetch(self._pos)
            offset = 0
        n = min(len(view), len(self._block) - offset)
        view[:n] = self._block[offset : offset + n]
        self._pos += n
        return n

    # fetching -------------------------------------------------------------------------------------

    def _fetch(self, start: int) -> None:
        end = min(start + self._block_size, self.size) - 1
        expected = end - start + 1

        def get() -> bytes:
            resp = self._s3.get_object(
                Bucket=self.bucket, Key=self.key, Range=f"bytes={start}-{end}", IfMatch=self.etag
            )
            data: bytes = resp["Body"].read()
            if len(data) != expected:
                raise OSError(f"short read: {len(data)} of {expected} bytes")
            return data

        self._block = self._call(get)
        self._block_start = start
        self.requests += 1

    def _call(self, fn: Callable[[], Any]) -> Any:
        last: BaseException | None = None
        for attempt in range(self._attempts):
            try:
                return fn()
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code in {"PreconditionFailed", "412"}:
                    raise LimitExceeded(
                        SOURCE_CHANGED, "The file was replaced while it was being read."
                    ) from exc
                status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
                permanent = 400 <= status < 500 and status not in (408, 429)
                if permanent or code in {"NoSuchKey", "AccessDenied"}:
                    raise LimitExceeded(SOURCE_UNREADABLE, f"The file cannot be read: {code}.") from exc
                last = exc
            except (BotoCoreError, OSError) as exc:
                last = exc
            if attempt + 1 < self._attempts:
                self._sleep(self._backoff * (2**attempt))
        raise LimitExceeded(
            SOURCE_UNREADABLE,
            f"The file could not be read after {self._attempts} attempts ({type(last).__name__}).",
        ) from last
