"""Bulk split Lambda: S3 `incoming/` uploads -> job record + SQS messages. Thin: see tarjama.bulk.split."""

from __future__ import annotations

from functools import cache
from typing import Any

from tarjama.bulk.split import Splitter, build_splitter
from tarjama.config import get_settings


@cache
def _splitter() -> Splitter:
    return build_splitter(get_settings())


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    results = _splitter().handle_event(event)
    return {
        "jobs": [
            {
                "job": r.job_id,
                "created": r.created,
                "skipped": r.skipped,
                "total": r.total,
                "queued": r.queued,
            }
            for r in results
        ]
    }
