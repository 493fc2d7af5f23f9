"""Worker Lambda: SQS batches -> digests -> results (partial batch failures). See tarjama.bulk.worker."""

from __future__ import annotations

from functools import cache
from typing import Any

from tarjama.bulk.worker import Worker, build_worker
from tarjama.config import get_settings


@cache
def _worker() -> Worker:
    settings = get_settings()
    return build_worker(settings, dead_letter_arn=settings.bulk_dead_letter_arn)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _worker().handle_event(event, context)
