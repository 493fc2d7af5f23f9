"""A job of one article: how the API answers a long request with 202 and lets the worker digest it.

The job is created already `running` with `total = 1`, and its one message is sent; the worker stores the
result's id (`a_...`, also the cache key: `GET /v1/digests/{id}`) or the error on the job record, so
`GET /v1/jobs/{id}` can point at the result.
"""

from __future__ import annotations

import uuid
from typing import Any

from tarjama.bulk.messages import BatchSender, WorkMessage
from tarjama.bulk.split import results_location
from tarjama.config import Settings
from tarjama.result import DigestOptions
from tarjama.store.jobs import JobStore


def submit_single(
    settings: Settings,
    raw: str | None = None,
    *,
    text: str | None = None,
    html: str | None = None,
    fmt: str = "auto",
    options: DigestOptions | dict[str, Any] | None = None,
    ref: str | None = None,
    sqs: Any = None,
    s3: Any = None,
    jobs: JobStore | None = None,
) -> str:
    """Create a job of one article and queue it; returns its id. Give `raw` (+ `fmt`), `text` or `html`."""
    if not settings.queue_url or not settings.table:
        raise ValueError("submit_single needs settings.queue_url and settings.table")
    if html is not None:
        raw, fmt = html, "html"
    elif text is not None:
        raw, fmt = text, "text"
    if raw is None:
        raise ValueError("submit_single needs the article (raw, text or html)")
    if fmt not in ("auto", "text", "html"):
        fmt = "auto"
    opts = DigestOptions.model_validate(options) if isinstance(options, dict) else options
    from tarjama.bulk.clients import s3_client, sqs_client

    jobs = jobs or JobStore.from_settings(settings)
    job_id = "j_" + uuid.uuid4().hex
    jobs.create(
        job_id,
        kind="single",
        state="running",
        total=1,
        results=results_location(job_id, settings.results_bucket),
    )
    sender = BatchSender(
        sqs or sqs_client(),
        settings.queue_url,
        s3 or (s3_client() if settings.results_bucket else None),
        settings.results_bucket,
        settings.bulk_inline_max_bytes,
    )
    sender.add(
        WorkMessage(
            job=job_id,
            index=1,
            id=ref or "article",
            fmt=fmt,  # type: ignore[arg-type]
            text=raw,
            options=opts.model_dump(mode="json") if opts else None,
            single=True,
        )
    )
    sender.flush()
    if sender.refused:
        raise RuntimeError(f"the work queue refused the article: {sender.refused[0][1]}")
    return job_id
