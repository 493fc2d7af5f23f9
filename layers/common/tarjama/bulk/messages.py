"""The work message (one article) and how it travels: inline in SQS, or through S3 when it is too large.

SendMessageBatch takes ten entries and 256 KiB per call; an article whose message would pass
`bulk_inline_max_bytes` is written to `results/<job>/inputs/<index>.json` and the message carries that key.
Failed batch entries are retried with backoff; an entry SQS refuses for good (a sender fault) is returned to
the caller, which reports it, so an article is never silently dropped.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tarjama.bulk import keys

MAX_BATCH_ENTRIES = 10
MAX_BATCH_BYTES = 250_000  # under SQS's 256 KiB per SendMessageBatch, with room for attributes
# Characters SQS accepts in a message body (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000+).
_SQS_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class WorkMessage(BaseModel):
    """One article for a worker. Either `text` or `body_key` (the full message, stored in S3) is set."""

    model_config = ConfigDict(extra="ignore")

    v: int = 1
    job: str
    index: int
    id: str
    fmt: Literal["text", "html", "auto"] = "auto"
    text: str | None = None
    url: str | None = None
    options: dict[str, Any] | None = None
    single: bool = False
    body_key: str | None = None

    def encode(self) -> str:
        body = self.model_dump_json(exclude_none=True)
        if _SQS_INVALID.search(body):  # non-characters such as U+FFFE: escape everything to ASCII
            body = json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=True)
        return body

    def pointer(self, key: str) -> WorkMessage:
        return WorkMessage(
            v=self.v, job=self.job, index=self.index, id=self.id, single=self.single, body_key=key
        )


class FinalizeMessage(BaseModel):
    """Try again to write a job's final files (sent with a delay after a failed attempt)."""

    model_config = ConfigDict(extra="forbid")

    v: int = 1
    finalize: str
    attempt: int


def finalize_message(body: str) -> FinalizeMessage | None:
    """The body as a finalize message, or None when it is a work message (or not ours)."""
    if '"finalize"' not in body:
        return None
    try:
        return FinalizeMessage.model_validate_json(body)
    except ValueError:
        return None


def schedule_finalize(sqs: Any, queue_url: str, job: str, attempt: int, delay_seconds: int) -> None:
    """Queue a finalize retry for `job`, visible after `delay_seconds` (SQS allows up to 900)."""
    body = FinalizeMessage(finalize=job, attempt=attempt).model_dump_json()
    sqs.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=max(0, min(900, delay_seconds)))


def load_message(body: str, s3: Any, bucket: str | None) -> WorkMessage:
    """The full message from an SQS body, fetching the article from S3 when the body is a pointer."""
    msg = WorkMessage.model_validate_json(body)
    if msg.body_key is None:
        return msg
    if not bucket:
        raise RuntimeError("message points to S3 but no results bucket is configured")
    if not msg.body_key.startswith(keys.job_prefix(msg.job)):
        raise ValueError("message body key is outside its job's prefix")
    data = s3.get_object(Bucket=bucket, Key=msg.body_key)["Body"].read()
    return WorkMessage.model_validate_json(data)


@dataclass
class BatchSender:
    """Buffers messages and sends them in SendMessageBatch calls of at most ten (and 250 KB)."""

    sqs: Any
    queue_url: str
    s3: Any
    bucket: str | None
    inline_max_bytes: int
    attempts: int = 6
    backoff: float = 0.1
    sleep: Callable[[float], None] = time.sleep
    sent: int = 0
    offloaded: int = 0
    refused: list[tuple[WorkMessage, str]] = field(default_factory=list)
    _buffer: list[tuple[WorkMessage, str]] = field(default_factory=list)
    _buffer_bytes: int = 0

    def add(self, msg: WorkMessage) -> None:
        body = msg.encode()
        size = len(body.encode("utf-8"))
        if size > self.inline_max_bytes:
            if not self.bucket:
                self.refused.append((msg, "The article is too large for a message and no bucket is set."))
                return
            key = keys.input_key(msg.job, msg.index)
            self.s3.put_object(
                Bucket=self.bucket, Key=key, Body=body.encode("utf-8"), ContentType="application/json"
            )
            self.offloaded += 1
            msg = msg.pointer(key)
            body = msg.encode()
            size = len(body.encode("utf-8"))
        if self._buffer and (
            len(self._buffer) >= MAX_BATCH_ENTRIES or self._buffer_bytes + size > MAX_BATCH_BYTES
        ):
            self.flush()
        self._buffer.append((msg, body))
        self._buffer_bytes += size

    def flush(self) -> None:
        pending = {str(i): item for i, item in enumerate(self._buffer)}
        self._buffer = []
        self._buffer_bytes = 0
        for attempt in range(self.attempts):
            if not pending:
                return
            resp = self.sqs.send_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": entry_id, "MessageBody": body} for entry_id, (_, body) in pending.items()],
            )
            for ok in resp.get("Successful", []):
                pending.pop(ok["Id"], None)
                self.sent += 1
            retry: dict[str, tuple[WorkMessage, str]] = {}
            for failed in resp.get("Failed", []):
                item = pending.get(failed["Id"])
                if item is None:
                    continue
                if failed.get("SenderFault"):
                    self.refused.append((item[0], f"SQS refused the message: {failed.get('Code', 'error')}."))
                else:
                    retry[failed["Id"]] = item
            pending = retry
            if pending and attempt + 1 < self.attempts:
                self.sleep(self.backoff * (2**attempt))
        if pending:
            raise RuntimeError(f"{len(pending)} messages could not be queued after {self.attempts} attempts")
