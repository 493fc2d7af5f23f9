"""The split: one uploaded file -> a job record, one SQS message per valid article, errors for the rest.

Idempotent: the job id is derived from the upload (bucket, key, version id or ETag) and created under a
condition, so a duplicate S3 event finds the job and does nothing once the split has finished. A split that
crashed half way (state still `splitting`) is simply run again: messages for the same article carry the
same (job, index), and workers count an index once; error chunks have deterministic keys.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tarjama.bulk import keys
from tarjama.bulk import limits as L
from tarjama.bulk.limits import Limits
from tarjama.bulk.messages import BatchSender, WorkMessage
from tarjama.bulk.readers import Entry, Outcome, Rejected, read_upload
from tarjama.bulk.report import Finalizer, build_finalizer
from tarjama.bulk.s3io import DEFAULT_BLOCK, S3RangeReader
from tarjama.config import Settings
from tarjama.observability import emit_metric, get_logger
from tarjama.store.jobs import JobResults, JobStore

logger = get_logger()

ERROR_CHUNK = 5000


@dataclass(frozen=True)
class SplitResult:
    job_id: str
    created: bool
    skipped: bool = False
    total: int = 0
    queued: int = 0
    rejected: int = 0
    finalized: bool = False


@dataclass(frozen=True)
class Upload:
    """One uploaded file an S3 notification names, and the job it becomes."""

    bucket: str
    key: str
    version: str
    size: int | None = None

    @property
    def job_id(self) -> str:
        return keys.job_id_for_upload(self.bucket, self.key, self.version)

    @property
    def source(self) -> dict[str, str]:
        return {"bucket": self.bucket, "key": self.key, "version": self.version}


def uploads_in(event: Any) -> list[Upload]:
    """The uploads under `incoming/` of an S3 notification; keys arrive URL-encoded (`+` for spaces). The one
    reading of an S3 event: the split and the handling of a split Lambda gave up on derive the same jobs."""
    out: list[Upload] = []
    records = event.get("Records") if isinstance(event, dict) else None
    for record in records if isinstance(records, list) else []:
        s3 = record.get("s3") if isinstance(record, dict) else None
        if not isinstance(s3, dict):
            continue
        where, obj = s3.get("bucket"), s3.get("object")
        bucket = where.get("name") if isinstance(where, dict) else None
        obj = obj if isinstance(obj, dict) else {}
        key = urllib.parse.unquote_plus(str(obj.get("key", "")))
        if not bucket or not key.startswith(keys.INCOMING_PREFIX) or key.endswith("/"):
            logger.info("ignored S3 record", extra={"bucket": bucket, "key": key})
            continue
        version = obj.get("versionId") or obj.get("eTag") or obj.get("sequencer") or ""
        out.append(Upload(str(bucket), key, str(version), obj.get("size")))
    return out


def results_location(job_id: str, bucket: str | None) -> JobResults:
    return JobResults(
        bucket=bucket,
        prefix=keys.job_prefix(job_id),
        results_key=keys.results_key(job_id),
        report_key=keys.report_key(job_id),
    )


class Splitter:
    def __init__(
        self,
        settings: Settings,
        *,
        s3: Any,
        sqs: Any,
        jobs: JobStore,
        finalizer: Finalizer,
        block_size: int = DEFAULT_BLOCK,
        error_chunk: int = ERROR_CHUNK,
    ) -> None:
        if not settings.queue_url or not settings.results_bucket:
            raise ValueError("the split needs settings.queue_url and settings.results_bucket")
        self.settings = settings
        self.limits = Limits.from_settings(settings)
        self._s3 = s3
        self._sqs = sqs
        self._jobs = jobs
        self._finalizer = finalizer
        self._block_size = block_size
        self._error_chunk = error_chunk

    # event ----------------------------------------------------------------------------------------

    def handle_event(self, event: dict[str, Any]) -> list[SplitResult]:
        """An S3 notification (possibly several records)."""
        return [self.split(u.bucket, u.key, version=u.version, size=u.size) for u in uploads_in(event)]

    # the split ------------------------------------------------------------------------------------

    def split(self, bucket: str, key: str, *, version: str, size: int | None = None) -> SplitResult:
        job_id = Upload(bucket, key, version).job_id
        created = self._jobs.create(
            job_id,
            kind="bulk",
            state="splitting",
            results=results_location(job_id, self.settings.results_bucket),
            source={"bucket": bucket, "key": key, "version": version},
        )
        if not created:
            current = self._jobs.get(job_id)
            if current is not None and current.state != "splitting":
                logger.info(
                    "duplicate upload event; job exists", extra={"job": job_id, "state": current.state}
                )
                # The event comes again when the split failed after its count (e.g. finishing an upload
                # with nothing to queue): the same claimant resumes the job's end, so it cannot stay open.
                self._finalizer.maybe_finalize(job_id, claimant=f"split:{job_id}")
                return SplitResult(job_id, created=False, skipped=True, total=current.total or 0)
            logger.info("resuming an unfinished split", extra={"job": job_id})
        sender = BatchSender(
            self._sqs,
            str(self.settings.queue_url),
            self._s3,
            self.settings.results_bucket,
            self.settings.bulk_inline_max_bytes,
        )
        errors: list[dict[str, Any]] = []
        chunk = 0
        total = rejected = 0
        for outcome in self._outcomes(bucket, key, size):
            total += 1
            if isinstance(outcome, Entry):
                sender.add(
                    WorkMessage(
                        job=job_id,
                        index=outcome.line,
                        id=outcome.id,
                        fmt=outcome.fmt,
                        text=outcome.text,
                        url=outcome.url,
                        options=outcome.options,
                    )
                )
                continue
            rejected += 1
            errors.append(outcome.to_error())
            if len(errors) >= self._error_chunk:
                self._write_errors(job_id, chunk, errors)
                chunk += 1
                errors = []
        sender.flush()
        for msg, reason in sender.refused:
            rejected += 1
            errors.append({"line": msg.index, "id": msg.id, "code": L.QUEUE_REJECTED, "reason": reason})
        if errors:
            self._write_errors(job_id, chunk, errors)
        status = self._jobs.finish_split(job_id, total=total, rejected=rejected)
        emit_metric("BulkArticlesQueued", float(sender.sent))
        emit_metric("BulkArticlesRejected", float(rejected))
        logger.info(
            "split finished",
            extra={"job": job_id, "total": total, "queued": sender.sent, "rejected": rejected},
        )
        finalized = False
        if status.complete:  # nothing queued, or the workers were faster than the split
            finalized = self._finalizer.maybe_finalize(job_id, claimant=f"split:{job_id}")
        return SplitResult(job_id, created, False, total, sender.sent, rejected, finalized)

    def _outcomes(self, bucket: str, key: str, size: int | None) -> Iterator[Outcome]:
        limit = self.limits.file_bytes
        if size is not None and int(size) > limit:
            yield _file_error(L.FILE_TOO_LARGE, f"The file has {int(size):,} bytes; the limit is {limit:,}.")
            return
        try:
            reader = S3RangeReader(self._s3, bucket, key, block_size=self._block_size)
        except L.LimitExceeded as stop:
            yield _file_error(stop.code, stop.reason)
            return
        if reader.size > limit:
            yield _file_error(
                L.FILE_TOO_LARGE, f"The file has {reader.size:,} bytes; the limit is {limit:,}."
            )
            return
        yield from read_upload(reader, key, self.limits)

    def _write_errors(self, job_id: str, chunk: int, errors: list[dict[str, Any]]) -> None:
        body = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors).encode("utf-8")
        self._s3.put_object(
            Bucket=self.settings.results_bucket,
            Key=keys.split_errors_key(job_id, chunk),
            Body=body,
            ContentType="application/x-ndjson",
        )


def _file_error(code: str, reason: str) -> Rejected:
    return Rejected(0, None, code, reason, fatal=True)


def build_splitter(settings: Settings) -> Splitter:
    """The production wiring: patient clients on boto3's configured endpoint."""
    from tarjama.bulk.clients import events_client, s3_client, sqs_client

    s3, sqs = s3_client(), sqs_client()
    jobs = JobStore.from_settings(settings)
    return Splitter(
        settings,
        s3=s3,
        sqs=sqs,
        jobs=jobs,
        finalizer=build_finalizer(settings, s3, jobs, sqs, events_client()),
    )
