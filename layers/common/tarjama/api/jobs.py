"""The API's side of jobs: submitting a long article as a job of one, and reading a job's state.

The job store and the queue message belong to the bulk pipeline (`tarjama.bulk`, `tarjama.store.jobs`);
this module is the only place the API touches them, so a change of their interface is a change here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tarjama.api.schemas import ErrorBody, JobView
from tarjama.config import Settings
from tarjama.errors import TarjamaError
from tarjama.result import DigestOptions

JOB_PREFIX = "j_"
RESULT_PREFIX = "a_"
# What ids look like; anything else is answered 404 without a store call (a hostile id never reaches one).
_JOB_ID = re.compile(r"j_[0-9a-f]{8,64}")
_RESULT_ID = re.compile(r"a_[0-9a-f]{8,64}")


def is_job_id(value: str) -> bool:
    return _JOB_ID.fullmatch(value) is not None


def is_result_id(value: str) -> bool:
    return _RESULT_ID.fullmatch(value) is not None


class JobsUnavailableError(TarjamaError):
    """Long articles need the work queue; without one configured they cannot be accepted."""

    code = "jobs_unavailable"
    status = 503


def submit(raw: str, fmt: str, options: DigestOptions, ref: str | None, settings: Settings) -> str:
    """Queue one article as a job; returns its id (`j_...`)."""
    if not settings.queue_url or not settings.table:
        raise JobsUnavailableError(
            "This article is too long to digest within the request time limit, and no work queue is "
            "configured to take it as a job (TARJAMA_QUEUE_URL, TARJAMA_TABLE).",
            details={"limit_tokens": settings.sync_token_budget},
        )
    from tarjama.bulk.submit import submit_single

    job = submit_single(settings=settings, raw=raw, fmt=fmt, options=options, ref=ref)
    return str(_field(job, "job_id"))


def get(job_id: str, settings: Settings) -> JobView | None:
    """The job's state, or None when there is no such job (or no job store is configured)."""
    if not settings.table:
        return None
    from tarjama.store.jobs import JobStore

    record = JobStore.from_settings(settings).get(job_id)
    if record is None:
        return None
    return to_view(record)


def _field(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def to_view(record: Any) -> JobView:
    """The job record, whatever its concrete type, as the API's `JobView`."""
    status = str(_field(record, "status", "queued"))
    if status not in ("queued", "running", "done", "failed"):
        status = "running"
    errors = []
    for err in _field(record, "errors", None) or []:
        errors.append(
            ErrorBody(
                code=str(_field(err, "code", "error")),
                message=str(_field(err, "message", "")),
                details=dict(_field(err, "details", None) or {}),
            )
        )
    job_id = str(_field(record, "job_id", ""))
    return JobView(
        job_id=job_id,
        status=status,  # type: ignore[arg-type]
        kind=_field(record, "kind"),
        total=_field(record, "total"),
        done=_field(record, "done"),
        failed=_field(record, "failed"),
        result_ids=[str(r) for r in (_field(record, "result_ids", None) or [])]
        or ([str(_field(record, "result_id"))] if _field(record, "result_id") else []),
        errors=errors,
        created_at=_opt_str(_field(record, "created_at")),
        updated_at=_opt_str(_field(record, "updated_at")),
        status_url=f"/v1/jobs/{job_id}",
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
