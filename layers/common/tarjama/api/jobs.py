"""The API's side of jobs: submitting a long article as a job of one, and reading a job's state.

The job store and the queue message belong to the bulk pipeline (`tarjama.bulk`, `tarjama.store.jobs`);
this module is the only place the API touches them, so a change of their interface is a change here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tarjama.api.schemas import ErrorBody, JobView
from tarjama.config import Settings
from tarjama.errors import JobsUnavailableError
from tarjama.result import DigestOptions

if TYPE_CHECKING:
    from tarjama.store.jobs import JobStatus

# What ids look like; anything else is answered 404 without a store call (a hostile id never reaches one).
_JOB_ID = re.compile(r"j_[0-9a-f]{8,64}")
_RESULT_ID = re.compile(r"a_[0-9a-f]{8,64}")


def is_job_id(value: str) -> bool:
    return _JOB_ID.fullmatch(value) is not None


def is_result_id(value: str) -> bool:
    return _RESULT_ID.fullmatch(value) is not None


class Jobs:
    """Jobs of the service's queue and table (from settings); boto3 is imported on first use only."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, raw: str, fmt: str, options: DigestOptions, ref: str | None) -> str:
        """Queue one article as a job; returns its id (`j_...`)."""
        settings = self.settings
        if not settings.queue_url or not settings.table:
            raise JobsUnavailableError(
                "This article is too long to digest within the request time limit, and no work queue is "
                "configured to take it as a job (TARJAMA_QUEUE_URL, TARJAMA_TABLE).",
                details={"limit_tokens": settings.sync_token_budget},
            )
        from tarjama.bulk.submit import submit_single

        return str(submit_single(settings=settings, raw=raw, fmt=fmt, options=options, ref=ref))

    def get(self, job_id: str) -> JobView | None:
        """The job's state, or None when there is no such job (or no job store is configured)."""
        if not self.settings.table:
            return None
        from tarjama.store.jobs import JobStore

        record = JobStore.from_settings(self.settings).get(job_id)
        return None if record is None else to_view(record)


def to_view(record: JobStatus) -> JobView:
    """The job record as the API's `JobView`."""
    errors = [
        ErrorBody(
            code=str(err.get("code", "error")),
            message=str(err.get("message", "")),
            details=dict(err.get("details") or {}),
        )
        for err in record.errors
    ]
    return JobView(
        job_id=record.job_id,
        status=record.status,
        kind=record.kind,
        total=record.total,
        done=record.done,
        failed=record.failed,
        result_ids=list(record.result_ids) or ([record.result_id] if record.result_id else []),
        errors=errors,
        created_at=record.created_at,
        updated_at=record.updated_at,
        status_url=f"/v1/jobs/{record.job_id}",
    )
