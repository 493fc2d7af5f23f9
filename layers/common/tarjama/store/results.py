"""The article result cache: `ResultCachePort` on DynamoDB, with S3 for results too large for an item.

Item `R#<id>`: `body` (B, gzip of the result's JSON), or `s3_bucket`/`s3_key` when the compressed body
would pass the 400 KB item limit; `size` (uncompressed bytes), `created_at` and `expires_at` (TTL).
Item `L#<id>`: the compute lease, `owner` (a random token) and `expires_at`.

Every failure of DynamoDB or S3 degrades to "no cache" (see `degrade.py`); only `InProgressError` leaves
this module, and only when another worker holds the lease past the wait budget.
"""

from __future__ import annotations

import gzip
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tarjama.errors import InProgressError, StoreUnavailableError
from tarjama.observability import get_logger
from tarjama.result import DigestResult
from tarjama.store.clients import DynamoDBClient, S3Client
from tarjama.store.degrade import STORE_ERRORS, Degrader
from tarjama.store.keys import TTL_ATTRIBUTE, expires_at, lease_pk, result_pk, results_object_key

logger = get_logger()

ITEM_LIMIT_BYTES = 400 * 1024
# Room left for the pk, the other attributes and their names: a body above this goes to S3.
MAX_INLINE_BODY_BYTES = ITEM_LIMIT_BYTES - 2 * 1024
COMPONENT = "results"
FORMAT = 1  # item layout version, for readers of old items


@dataclass(frozen=True)
class LeasePolicy:
    lease_seconds: float = 120.0
    wait_seconds: float = 8.0
    first_poll_seconds: float = 0.05
    max_poll_seconds: float = 1.0


def encode(result: DigestResult) -> bytes:
    """The stored form: compact JSON, gzip'd (Arabic and English text compress about 4:1)."""
    data = result.model_dump_json(exclude={"ref", "cached"}).encode("utf-8")
    return gzip.compress(data, compresslevel=6, mtime=0)


def decode(body: bytes) -> DigestResult:
    return DigestResult.model_validate_json(gzip.decompress(body))


class ResultCache:
    """Results by id, TTL'd; a lease so concurrent requests for one article compute it once."""

    def __init__(
        self,
        dynamodb: DynamoDBClient,
        table: str,
        *,
        s3: S3Client | None = None,
        bucket: str | None = None,
        ttl_seconds: float = 30 * 86400,
        lease: LeasePolicy | None = None,
        degrader: Degrader | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dynamodb = dynamodb
        self.table = table
        self.s3 = s3
        self.bucket = bucket
        self.ttl_seconds = ttl_seconds
        self.policy = lease or LeasePolicy()
        self.degrader = degrader or Degrader()
        self._sleep = sleep
        self._now = wall_clock
        self._monotonic = monotonic

    # get / put -----------------------------------------------------------------------------------

    def get(self, key: str, *, consistent: bool = False, strict: bool = False) -> DigestResult | None:
        """The result stored under `key`, or None (absent, expired, unreadable or the store is down).

        `strict` is for readers that have nothing to fall back on (`GET /v1/digests/{id}`): there a store
        outage raises `StoreUnavailableError` (503, retry) rather than looking like "unknown id" (404).
        """
        if not self.degrader.available(COMPONENT, "get"):
            if strict:
                raise StoreUnavailableError("The result store is unavailable; retry shortly.")
            return None
        try:
            response = self.dynamodb.get_item(
                TableName=self.table, Key={"pk": {"S": result_pk(key)}}, ConsistentRead=consistent
            )
            item = response.get("Item")
            if item is None:
                return None
            # DynamoDB deletes expired items lazily (up to days later): an expired item is a miss.
            if int(item.get(TTL_ATTRIBUTE, {}).get("N", "0")) <= self._now():
                return None
            return self._read_body(key, item)
        except STORE_ERRORS as exc:
            self.degrader.failed(COMPONENT, "get", exc, id=key)
            if strict:
                raise StoreUnavailableError("The result store is unavailable; retry shortly.") from exc
            return None

    def _read_body(self, key: str, item: dict[str, Any]) -> DigestResult | None:
        if "body" in item:
            body = bytes(item["body"]["B"])
        else:
            if self.s3 is None:
                logger.warning("cache_result_in_s3_without_client", extra={"id": key})
                return None
            try:
                obj = self.s3.get_object(Bucket=item["s3_bucket"]["S"], Key=item["s3_key"]["S"])
            except self.s3.exceptions.NoSuchKey:
                return None  # the bucket's lifecycle removed it: a miss, recomputed and stored again
            body = obj["Body"].read()
        try:
            return decode(body)
        except (OSError, ValueError, ValidationError) as exc:
            logger.warning("cache_result_unreadable", extra={"id": key, "error": type(exc).__name__})
            return None

    def put(self, result: DigestResult) -> None:
        """Store `result` under its id with the TTL; too large for an item, the body goes to S3 first."""
        if not self.degrader.available(COMPONENT, "put"):
            return
        body = encode(result)
        now = self._now()
        item: dict[str, Any] = {
            "pk": {"S": result_pk(result.id)},
            "v": {"N": str(FORMAT)},
            "size": {"N": str(len(body))},
            "created_at": {"N": str(int(now))},
            TTL_ATTRIBUTE: {"N": str(expires_at(self.ttl_seconds, now))},
        }
        try:
            if len(body) <= MAX_INLINE_BODY_BYTES:
                item["body"] = {"B": body}
            else:
                if self.s3 is None or not self.bucket:
                    logger.warning(
                        "cache_result_too_large_no_bucket", extra={"id": result.id, "bytes": len(body)}
                    )
                    return
                s3_key = results_object_key(result.id)
                self.s3.put_object(
                    Bucket=self.bucket,
                    Key=s3_key,
                    Body=body,
                    ContentType="application/json",
                    ContentEncoding="gzip",
                )
                item["s3_bucket"] = {"S": self.bucket}
                item["s3_key"] = {"S": s3_key}
            self.dynamodb.put_item(TableName=self.table, Item=item)
        except STORE_ERRORS as exc:
            self.degrader.failed(COMPONENT, "put", exc, id=result.id, bytes=len(body))

    # lease ---------------------------------------------------------------------------------------

    @contextmanager
    def lease(self, key: str) -> Iterator[DigestResult | None]:
        """Hold the compute lease on `key` for the body of the `with`.

        Yields None when this caller should compute, or the result when another worker finished it while
        this one waited. Raises `InProgressError` when the holder keeps it past `wait_seconds`. When the
        table is down, yields None without a lease: computing twice beats failing.
        """
        owner = uuid.uuid4().hex
        state = self._acquire(key, owner)
        if state == "held-by-other":
            finished, state = self._wait(key, owner)
            if finished is not None:
                yield finished
                return
        if state == "acquired":
            # A holder may have finished between our first read and our lease: read once more, strongly.
            finished = self.get(key, consistent=True)
            if finished is not None:
                self._release(key, owner)
                yield finished
                return
        try:
            yield None
        finally:
            if state == "acquired":
                self._release(key, owner)

    def _acquire(self, key: str, owner: str) -> str:
        """`acquired`, `held-by-other`, or `degraded` (the table did not answer)."""
        if not self.degrader.available(COMPONENT, "lease"):
            return "degraded"
        now = self._now()
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item={
                    "pk": {"S": lease_pk(key)},
                    "owner": {"S": owner},
                    TTL_ATTRIBUTE: {"N": str(expires_at(self.policy.lease_seconds, now))},
                },
                ConditionExpression="attribute_not_exists(pk) OR #exp < :now",
                ExpressionAttributeNames={"#exp": TTL_ATTRIBUTE},
                ExpressionAttributeValues={":now": {"N": str(int(now))}},
            )
            return "acquired"
        except self.dynamodb.exceptions.ConditionalCheckFailedException:
            return "held-by-other"
        except STORE_ERRORS as exc:
            self.degrader.failed(COMPONENT, "lease", exc, id=key)
            return "degraded"

    def _wait(self, key: str, owner: str) -> tuple[DigestResult | None, str]:
        """Poll, with growing jittered sleeps, for the holder's result or for the lease to free up."""
        deadline = self._monotonic() + self.policy.wait_seconds
        delay = self.policy.first_poll_seconds
        while True:
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                raise InProgressError(
                    "This article is being digested by another request; retry shortly.",
                    details={"id": key, "retry_after_seconds": max(1, round(self.policy.max_poll_seconds))},
                )
            self._sleep(min(remaining, delay * (0.5 + random.random() / 2)))  # jitter, not crypto
            delay = min(delay * 2, self.policy.max_poll_seconds)
            finished = self.get(key, consistent=True)
            if finished is not None:
                return finished, "done"
            # The holder released without a result (it failed) or crashed and its lease expired.
            state = self._acquire(key, owner)
            if state != "held-by-other":
                return None, state

    def _release(self, key: str, owner: str) -> None:
        """Delete the lease if it is still ours; if not (it expired and was taken over), leave it."""
        try:
            self.dynamodb.delete_item(
                TableName=self.table,
                Key={"pk": {"S": lease_pk(key)}},
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": {"S": owner}},
            )
        except self.dynamodb.exceptions.ConditionalCheckFailedException:
            logger.info("cache_lease_lost", extra={"id": key})
        except STORE_ERRORS as exc:
            # Not fatal: the lease expires by itself after lease_seconds.
            self.degrader.failed(COMPONENT, "release", exc, id=key)
