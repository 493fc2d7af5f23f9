"""A split Lambda gave up on: its upload's job ends `failed` (`split_failed`) instead of `splitting` for good.

S3 invokes the split asynchronously; Lambda retries a failing invocation twice, then drops the event. The
template's `EventInvokeConfig` sends the on-failure invocation record to the work queue instead:

    {"version": "1.0", "timestamp": "…",
     "requestContext": {"requestId", "functionArn", "condition": "RetriesExhausted",
                        "approximateInvokeCount"},
     "requestPayload": <the S3 event>,
     "responseContext": {"statusCode", "executedVersion", "functionError"},
     "responsePayload": {"errorMessage", "errorType", …}}

The worker hands it here. The jobs are derived from the S3 event exactly as the split derives them
(`tarjama.bulk.split.uploads_in`), so a job the split created (`splitting`) is ended `failed`, and one it
never created is created `failed`, so `GET /v1/jobs/{id}` answers it. A job that had moved on (`running`:
its articles are queued) is left to its workers, and helped to finish as a redelivered upload event
would; one that ended is left alone. Only the error's type is kept: the error message may quote an article.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from tarjama.bulk.limits import SPLIT_FAILED
from tarjama.bulk.report import Finalizer
from tarjama.bulk.split import results_location, uploads_in
from tarjama.observability import emit_metric, get_logger
from tarjama.store.jobs import JobStore

_ERROR_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,99}$")

logger = get_logger()


class _RequestContext(BaseModel):
    model_config = ConfigDict(extra="ignore")

    condition: str
    approximateInvokeCount: int = 1
    requestId: str = ""


class InvocationRecord(BaseModel):
    """The part of Lambda's on-failure invocation record this reads."""

    model_config = ConfigDict(extra="ignore")

    requestContext: _RequestContext
    requestPayload: Any
    responsePayload: Any = None

    @property
    def error_type(self) -> str:
        """The function's error type when it is a plain name (never its message: it may quote an article)."""
        kind = self.responsePayload.get("errorType") if isinstance(self.responsePayload, dict) else None
        return kind if isinstance(kind, str) and _ERROR_TYPE.match(kind) else "UnknownError"


def invocation_record(body: str) -> bool:
    """Whether an SQS body is a Lambda invocation record (not a work or finalize message)."""
    if '"requestContext"' not in body or '"requestPayload"' not in body:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and "requestContext" in data and "requestPayload" in data


class SplitFailures:
    """Ends the jobs of an S3 event the split Lambda gave up on."""

    def __init__(self, jobs: JobStore, finalizer: Finalizer, results_bucket: str | None) -> None:
        self._jobs = jobs
        self._finalizer = finalizer
        self._bucket = results_bucket

    def record(self, body: str, *, message_id: str) -> str:
        """Handle one record: `split_failed`, `unchanged` (every job had moved on), or `dropped` (unreadable:
        logged and deleted, never retried, since retrying cannot make it readable)."""
        try:
            rec = InvocationRecord.model_validate_json(body)
        except ValidationError:
            rec = None
        uploads = uploads_in(rec.requestPayload) if rec is not None else []
        if rec is None or not uploads:
            logger.error("unreadable invocation record dropped", extra={"message_id": message_id})
            emit_metric("BulkMessagesDropped")
            return "dropped"
        attempts, condition = rec.requestContext.approximateInvokeCount, rec.requestContext.condition
        error = {
            "code": SPLIT_FAILED,
            "message": f"Splitting the upload failed ({rec.error_type}, {attempts} attempts; {condition}).",
            "error_type": rec.error_type,
        }
        outcome = "unchanged"
        for upload in uploads:
            job_id = upload.job_id
            if self._jobs.fail_split(
                job_id, error, results=results_location(job_id, self._bucket), source=upload.source
            ):
                logger.error(
                    "split failed; job ended failed",
                    extra={"job": job_id, "error": rec.error_type, "attempts": attempts,
                           "condition": condition, "request_id": rec.requestContext.requestId},
                )  # fmt: skip
                emit_metric("BulkJobsFailed")
                self._finalizer.announce(job_id)
                outcome = SPLIT_FAILED
                continue
            logger.info("split failure for a job that moved on", extra={"job": job_id})
            # Queued articles finish the job; if the split died while finishing it, take that up again.
            self._finalizer.maybe_finalize(job_id, claimant=f"split:{job_id}")
        return outcome
