"""Job state-change events on the default EventBridge bus, as Amazon Translate announces its jobs.

When a job ends (`done`, or `failed`: its final files could not be written, or Lambda gave up on its
split) one event goes out:

    source: tarjama, detail-type: Digest Job State Change,
    detail: {job_id, kind, state, status, total, succeeded, failed, rejected, source, results, error,
             error_summary, started, finished}

`results` says where results.jsonl and report.json are; `error_summary` counts the articles' error codes
(from the report); `error` is the job's own error when it failed. Publishing is best effort: a job never
fails because its announcement could not be sent (a warning and the `JobEventsNotPublished` metric say so).
docs/bulk.md documents the schema with an example rule.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tarjama.observability import emit_metric, get_logger
from tarjama.store.jobs import JobStatus

logger = get_logger()

SOURCE = "tarjama"
DETAIL_TYPE = "Digest Job State Change"
BUS = "default"


def job_event_detail(status: JobStatus, report: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event's `detail` for a job as the store has it (and its report, when there is one)."""
    codes = Counter(str(e.get("code")) for e in (report or {}).get("errors", []))
    results = status.results.model_dump() if status.results else None
    return {
        "job_id": status.job_id,
        "kind": status.kind,
        "state": status.state,
        "status": status.status,
        "total": status.total,
        "succeeded": status.succeeded,
        "failed": status.failed,
        "rejected": status.rejected,
        "source": status.source,
        "results": results,
        "error": status.errors[0] if status.errors and status.state == "failed" else None,
        "error_summary": dict(sorted(codes.items())),
        "started": status.started,
        "finished": status.finished,
    }


class JobEvents:
    """Publishes a job's state changes; the EventBridge client is passed in (tests give theirs)."""

    def __init__(self, client: Any, bus: str = BUS) -> None:
        self._client = client
        self._bus = bus

    def publish(self, status: JobStatus, report: dict[str, Any] | None = None) -> bool:
        entry = {
            "Source": SOURCE,
            "DetailType": DETAIL_TYPE,
            "Detail": json.dumps(job_event_detail(status, report), ensure_ascii=False),
            "EventBusName": self._bus,
            "Resources": [],
        }
        try:
            resp = self._client.put_events(Entries=[entry])
            ok = int(resp.get("FailedEntryCount", 0)) == 0
        except Exception as exc:  # an announcement is never worth a job
            logger.warning(
                "job event not published", extra={"job": status.job_id, "error": type(exc).__name__}
            )
            ok = False
        if not ok:
            emit_metric("JobEventsNotPublished")
        return ok
