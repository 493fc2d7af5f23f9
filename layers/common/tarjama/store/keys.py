"""Partition keys of the one table (`pk`, a string) and the TTL attribute. One prefix per item kind."""

from __future__ import annotations

import time

TTL_ATTRIBUTE = "expires_at"

RESULT_PREFIX = "R#"
LEASE_PREFIX = "L#"
SENTENCE_PREFIX = "S#"
JOB_PREFIX = "J#"  # jobs belong to tarjama.store.jobs


def result_pk(result_id: str) -> str:
    return RESULT_PREFIX + result_id


def lease_pk(result_id: str) -> str:
    return LEASE_PREFIX + result_id


def sentence_pk(sentence_key: str) -> str:
    return SENTENCE_PREFIX + sentence_key


def results_object_key(result_id: str) -> str:
    """Where a result too large for an item lives in the results bucket (prefix `cache/`)."""
    return f"cache/results/{result_id}.json.gz"


def expires_at(ttl_seconds: float, now: float | None = None) -> int:
    """Epoch seconds, as DynamoDB TTL wants them."""
    return int((time.time() if now is None else now) + ttl_seconds)
