"""boto3 clients for the bulk path: patient, unlike the cache's.

The cache may give up quickly because it has a fallback (compute without it); the bulk path has none, so
its clients retry more (standard mode: throttling, 5xx and connection errors, with backoff) and wait longer
for S3 bodies. Endpoints come from boto3's standard configuration (`AWS_ENDPOINT_URL`...), never from here.
DynamoDB's client is the store's (`JobStore.from_settings`, with `tarjama.store.clients.patient_config`).
"""

from __future__ import annotations

from typing import Any

from tarjama.store.clients import store_config


def s3_client() -> Any:
    import boto3

    return boto3.client("s3", config=store_config(max_attempts=6, connect_timeout=3.0, read_timeout=30.0))


def events_client() -> Any:
    import boto3

    return boto3.client("events", config=store_config(max_attempts=6, connect_timeout=3.0, read_timeout=10.0))


def sqs_client() -> Any:
    import boto3

    return boto3.client("sqs", config=store_config(max_attempts=6, connect_timeout=3.0, read_timeout=30.0))
