"""Assembling a finished job: `results.jsonl` (every result, input order) and `report.json`, exactly once.

Only the claimant (see `JobStore.claim_finalize`) assembles. It lists the per-article objects under
`results/<job>/items/` (their keys sort in input order), streams the results into a multipart upload that
is completed only at the end (an S3 failure aborts it: a reader never sees half a file), and writes the
report with every error, the split's and the workers', sorted by line. Writing is deterministic (the
`finished` time is fixed at the claim), so a claimant that crashed and resumes writes the same bytes.

When writing fails (S3 refusing, throttling past its retries), the claim is released and a finalize message
is queued with a delay that doubles each attempt; after `bulk_finalize_attempts` the job ends `failed` with
the reason. Either end is announced on EventBridge (`tarjama.bulk.events`).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tarjama.bulk import keys
from tarjama.bulk.events import JobEvents
from tarjama.bulk.limits import FINALIZE_FAILED
from tarjama.observability import emit_metric, get_logger
from tarjama.store.jobs import JobStore

RetryHook = Callable[[str, int, int], None]
"""(job, attempt, delay seconds): queue another finalization attempt."""

logger = get_logger()

PART_BYTES = 8 * 1024 * 1024  # S3 parts must be >= 5 MiB, except the last


class S3AtomicWriter:
    """Bytes to one S3 key that appear all at once: one PUT if small, else a multipart upload."""

    def __init__(
        self, s3: Any, bucket: str, key: str, content_type: str, part_bytes: int = PART_BYTES
    ) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._key = key
        self._type = content_type
        self._part_bytes = part_bytes
        self._buf = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self._buf += data
        if len(self._buf) >= self._part_bytes:
            self._upload_part()

    def _upload_part(self) -> None:
        if self._upload_id is None:
            resp = self._s3.create_multipart_upload(
                Bucket=self._bucket, Key=self._key, ContentType=self._type
            )
            self._upload_id = resp["UploadId"]
        number = len(self._parts) + 1
        resp = self._s3.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=bytes(self._buf),
        )
        self._parts.append({"ETag": resp["ETag"], "PartNumber": number})
        self._buf.clear()

    def commit(self) -> None:
        if self._upload_id is None:
            self._s3.put_object(
                Bucket=self._bucket, Key=self._key, Body=bytes(self._buf), ContentType=self._type
            )
            return
        if self._buf:
            self._upload_part()
        self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    def abort(self) -> None:
        if self._upload_id is not None:
            try:
                self._s3.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id)
            except Exception:  # best effort; a lifecycle rule removes leftovers
                logger.warning("multipart abort failed", extra={"key": self._key})


def _ms_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() * 1000, 1)


class Finalizer:
    """Writes a job's final files once every article is accounted for."""

    def __init__(
        self,
        s3: Any,
        bucket: str,
        jobs: JobStore,
        *,
        part_bytes: int = PART_BYTES,
        retry: RetryHook | None = None,
        max_attempts: int = 5,
        retry_seconds: int = 30,
        events: JobEvents | None = None,
    ) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._jobs = jobs
        self._part_bytes = part_bytes
        self._retry = retry
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds
        self._events = events

    def maybe_finalize(self, job_id: str, claimant: str) -> bool:
        """Finalize if the job is complete and this caller wins the claim; True if it wrote the files."""
        status = self._jobs.get(job_id)
        if status is None or status.state not in ("running", "finalizing") or not status.complete:
            return False
        if not self._jobs.claim_finalize(job_id, claimant):
            return False
        try:
            report = self.assemble(job_id)
        except Exception as exc:
            self._attempt_failed(job_id, claimant, exc)
            return False
        if self._jobs.mark_done(job_id, claimant):  # announced once: by the claimant that ended it
            emit_metric("BulkJobsFinished")
            logger.info("job finished", extra={"job": job_id})
            self.announce(job_id, report)
        return True

    def _attempt_failed(self, job_id: str, claimant: str, exc: Exception) -> None:
        """Release the claim and retry later, or end the job `failed` after the last attempt. Raises when
        no retry can be queued: the message that got here is then redelivered and tries again."""
        error = {
            "code": FINALIZE_FAILED,
            "message": f"Writing the job's results failed ({type(exc).__name__}).",
        }
        attempts = self._jobs.release_finalize(job_id, claimant, error)
        logger.warning("job finalization failed", extra={"job": job_id, "error": type(exc).__name__,
                                                          "attempt": attempts})  # fmt: skip
        emit_metric("BulkFinalizeFailures")
        if attempts is None:  # someone else holds the claim now
            return
        if attempts >= self._max_attempts:
            final = {**error, "message": f"{error['message'][:-1]}, {attempts} times; the job is abandoned."}
            if self._jobs.mark_failed(job_id, final):
                emit_metric("BulkJobsFailed")
                self.announce(job_id)
            return
        if self._retry is None:
            raise exc
        self._retry(job_id, attempts, min(900, self._retry_seconds * 2 ** (attempts - 1)))

    def announce(self, job_id: str, report: dict[str, Any] | None = None) -> None:
        """Publish the job's end as the store has it (also for a split Lambda gave up on)."""
        if self._events is None:
            return
        status = self._jobs.get(job_id)
        if status is not None:
            self._events.publish(status, report)

    def _list(self, prefix: str) -> list[str]:
        out: list[str] = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix):
            out.extend(obj["Key"] for obj in page.get("Contents", []))
        return sorted(out)

    def _get(self, key: str) -> bytes:
        data: bytes = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        return data

    def assemble(self, job_id: str) -> dict[str, Any]:
        record = self._jobs.raw(job_id) or {}
        errors: list[dict[str, Any]] = []
        succeeded = 0
        digest_ms: list[float] = []
        cached = 0
        writer = S3AtomicWriter(
            self._s3, self._bucket, keys.results_key(job_id), "application/x-ndjson", self._part_bytes
        )
        try:
            for key in self._list(keys.items_prefix(job_id)):
                item = json.loads(self._get(key))
                if item.get("ok"):
                    result = item["result"]
                    succeeded += 1
                    cached += bool(result.get("cached"))
                    total_ms = (result.get("timings_ms") or {}).get("total")
                    if isinstance(total_ms, int | float):
                        digest_ms.append(float(total_ms))
                    line = {"line": item["line"], **result}
                    writer.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
                else:
                    errors.append({"line": item["line"], "id": item.get("id"), **item["error"]})
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        for key in self._list(keys.split_errors_prefix(job_id)):
            for raw in self._get(key).splitlines():
                if raw.strip():
                    errors.append(json.loads(raw))
        errors.sort(key=lambda e: (int(e.get("line") or 0), str(e.get("id") or "")))
        total = int(record.get("total", succeeded + len(errors)))
        if succeeded + len(errors) != total:
            logger.warning(
                "job outcome count differs from total",
                extra={"job": job_id, "total": total, "outcomes": succeeded + len(errors)},
            )
        report = {
            "job": job_id,
            "source": record.get("source"),
            "total": total,
            "succeeded": succeeded,
            "failed": len(errors),
            "errors": [
                {"line": e.get("line"), "id": e.get("id"), "code": e.get("code"), "reason": e.get("reason")}
                for e in errors
            ],
            "started": record.get("started"),
            "finished": record.get("finished"),
            "results": {"bucket": self._bucket, "key": keys.results_key(job_id)},
            "timings": {
                "split_ms": _ms_between(record.get("started"), record.get("split_finished")),
                "wall_ms": _ms_between(record.get("started"), record.get("finished")),
                "digest_ms_sum": round(sum(digest_ms), 1),
                "digest_ms_mean": round(statistics.fmean(digest_ms), 1) if digest_ms else None,
                "digest_ms_max": round(max(digest_ms), 1) if digest_ms else None,
                "cached": cached,
            },
        }
        body = json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8")
        self._s3.put_object(
            Bucket=self._bucket, Key=keys.report_key(job_id), Body=body, ContentType="application/json"
        )
        return report


def build_finalizer(settings: Any, s3: Any, jobs: JobStore, sqs: Any, events_client: Any = None) -> Finalizer:
    """The finalizer as the functions (and the local runs) wire it: retries through the work queue,
    announcements on EventBridge when `job_events` is on."""
    from tarjama.bulk.messages import schedule_finalize

    queue = settings.queue_url

    def retry(job: str, attempt: int, delay: int) -> None:
        schedule_finalize(sqs, str(queue), job, attempt, delay)

    return Finalizer(
        s3,
        str(settings.results_bucket),
        jobs,
        retry=retry if queue and sqs is not None else None,
        max_attempts=settings.bulk_finalize_attempts,
        retry_seconds=settings.bulk_finalize_retry_seconds,
        events=JobEvents(events_client) if settings.job_events and events_client is not None else None,
    )
