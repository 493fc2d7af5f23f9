"""DynamoDB/S3 adapters of the pipeline's ports: the result cache and the translation memory (and jobs).

`build_store(settings)` wires them from settings; building makes no AWS call. One `Degrader` is shared,
so an outage seen by one adapter makes both skip the table for a few seconds.
"""

from __future__ import annotations

from tarjama.config import Settings
from tarjama.store.clients import dynamodb_client, s3_client
from tarjama.store.degrade import Degrader
from tarjama.store.memory import TranslationMemory
from tarjama.store.results import LeasePolicy, ResultCache

__all__ = ["LeasePolicy", "ResultCache", "TranslationMemory", "build_store"]


def build_store(settings: Settings) -> tuple[ResultCache, TranslationMemory]:
    """The cache and the memory on `settings.table` (which must be set), TTL'd `cache_ttl_days`."""
    if not settings.table:
        raise ValueError("build_store needs settings.table")
    ttl = settings.cache_ttl_days * 86400
    dynamodb = dynamodb_client()
    degrader = Degrader()
    cache = ResultCache(
        dynamodb,
        settings.table,
        s3=s3_client() if settings.results_bucket else None,
        bucket=settings.results_bucket,
        ttl_seconds=ttl,
        lease=LeasePolicy(lease_seconds=settings.lease_seconds, wait_seconds=settings.lease_wait_seconds),
        degrader=degrader,
    )
    return cache, TranslationMemory(dynamodb, settings.table, ttl_seconds=ttl, degrader=degrader)
