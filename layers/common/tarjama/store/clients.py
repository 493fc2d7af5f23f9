"""boto3 clients for the store, configured to fail fast.

A cache exists to save time, so it must never cost much when it is sick: standard retry mode (exponential
backoff with jitter; throttling and connection errors retried), few attempts and short timeouts, after
which the adapters serve the request without the cache. Endpoints are not set here: boto3 reads them from
its standard configuration (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB`, ...).
"""

from __future__ import annotations

from typing import Any

from botocore.config import Config

# boto3 ships no type stubs here; a client is an opaque object whose calls we check in tests.
DynamoDBClient = Any
S3Client = Any


def store_config(
    *, max_attempts: int = 3, connect_timeout: float = 1.0, read_timeout: float = 3.0, pool: int = 32
) -> Config:
    """The botocore config for the cache's clients: bounded retries, short timeouts, enough connections.

    `max_attempts` counts the first call too (botocore's `total_max_attempts`; its `max_attempts` counts
    retries only).

    `pool` matters: Lambda handles one request at a time, but `tarjama serve` and the bulk worker use
    threads, and botocore's default pool of 10 would make threads queue on connections.
    """
    return Config(
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=pool,
    )


def patient_config() -> Config:
    """For bookkeeping that has no fallback (jobs, the bulk path): a lost count is a lost article, so more
    attempts and longer waits than the cache's."""
    return store_config(max_attempts=6, connect_timeout=3.0, read_timeout=10.0)


def dynamodb_client(config: Config | None = None) -> DynamoDBClient:
    """The one DynamoDB client factory: the cache's fail-fast policy unless a `config` says otherwise."""
    import boto3

    return boto3.client("dynamodb", config=config or store_config())


def s3_client(config: Config | None = None) -> S3Client:
    import boto3

    # S3 bodies of large results can be several MB: a longer read timeout than DynamoDB's.
    return boto3.client("s3", config=config or store_config(read_timeout=10.0))
