"""The sentence translation memory: `MemoryPort` on DynamoDB.

Item `S#<sentence_key>`: `en` (S), `flags` (L of S; a list because a string set cannot be empty),
`created_at` and `expires_at` (TTL). The key already holds the sentence, the model and the beam size
(`tarjama.fingerprint.sentence_key`), so the item does not repeat the Arabic text.

An article's sentences are looked up at once: BatchGetItem takes at most 100 keys a call, and may return
some of them as UnprocessedKeys under load, which are retried with exponential backoff and full jitter, a
bounded number of times; writes go in BatchWriteItem calls of 25, retrying UnprocessedItems the same way.
What is still unprocessed after that is given up: a lookup miss costs a model run, a lost write costs
nothing now. Failures degrade (see `degrade.py`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tarjama.observability import emit_metric, get_logger
from tarjama.store.clients import DynamoDBClient
from tarjama.store.degrade import METRIC_DEGRADED, STORE_ERRORS, Degrader
from tarjama.store.keys import SENTENCE_PREFIX, TTL_ATTRIBUTE, expires_at, sentence_pk

logger = get_logger()

COMPONENT = "memory"
BATCH_GET_MAX = 100
BATCH_WRITE_MAX = 25

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter for UnprocessedKeys/Items (AWS's recommendation)."""

    retries: int = 5
    base_seconds: float = 0.05
    cap_seconds: float = 1.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2**attempt))


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class TranslationMemory:
    """Sentence translations by key; a value is `(english, flags)`."""

    def __init__(
        self,
        dynamodb: DynamoDBClient,
        table: str,
        *,
        ttl_seconds: float = 30 * 86400,
        backoff: Backoff | None = None,
        degrader: Degrader | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.dynamodb = dynamodb
        self.table = table
        self.ttl_seconds = ttl_seconds
        self.backoff = backoff or Backoff()
        self.degrader = degrader or Degrader()
        self._sleep = sleep

    def lookup(self, keys: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
        """Every known key's `(english, flags)`; unknown keys are absent. Never raises for the store."""
        found: dict[str, tuple[str, list[str]]] = {}
        unique = list(dict.fromkeys(keys))  # BatchGetItem rejects duplicate keys in one call
        now = time.time()
        for batch in chunks(unique, BATCH_GET_MAX):
            if not self.degrader.available(COMPONENT, "lookup"):
                break
            request: dict[str, Any] = {
                self.table: {
                    "Keys": [{"pk": {"S": sentence_pk(k)}} for k in batch],
                    "ProjectionExpression": "pk, en, flags, #exp",
                    "ExpressionAttributeNames": {"#exp": TTL_ATTRIBUTE},
                }
            }
            try:
                for item in self._batch_get(request):
                    if int(item.get(TTL_ATTRIBUTE, {}).get("N", "0")) <= now:
                        continue  # expired, not yet deleted by DynamoDB
                    key = item["pk"]["S"].removeprefix(SENTENCE_PREFIX)
                    flags = [f["S"] for f in item.get("flags", {}).get("L", [])]
                    found[key] = (item["en"]["S"], flags)
            except STORE_ERRORS as exc:
                self.degrader.failed(COMPONENT, "lookup", exc, keys=len(batch))
                break
        return found

    def _batch_get(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        attempt = 0
        while request:
            response = self.dynamodb.batch_get_item(RequestItems=request)
            yield from response.get("Responses", {}).get(self.table, [])
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return
            if attempt >= self.backoff.retries:
                left = len(request.get(self.table, {}).get("Keys", []))
                logger.warning("memory_unprocessed_keys_dropped", extra={"keys": left})
                emit_metric(METRIC_DEGRADED, dimensions={"Reason": "unprocessed"})
                return
            self._sleep(self.backoff.delay(attempt))
            attempt += 1

    def store(self, items: Mapping[str, tuple[str, list[str]]]) -> None:
        """Write translations, 25 a call, with the TTL. Never raises for the store."""
        expiry = {"N": str(expires_at(self.ttl_seconds))}
        created = {"N": str(int(time.time()))}
        puts = [
            {
                "PutRequest": {
                    "Item": {
                        "pk": {"S": sentence_pk(key)},
                        "en": {"S": english},
                        "flags": {"L": [{"S": f} for f in flags]},
                        "created_at": created,
                        TTL_ATTRIBUTE: expiry,
                    }
                }
            }
            for key, (english, flags) in items.items()
        ]
        for batch in chunks(puts, BATCH_WRITE_MAX):
            if not self.degrader.available(COMPONENT, "store"):
                return
            try:
                self._batch_write({self.table: list(batch)})
            except STORE_ERRORS as exc:
                self.degrader.failed(COMPONENT, "store", exc, items=len(batch))
                return

    def _batch_write(self, request: dict[str, Any]) -> None:
        attempt = 0
        while request:
            response = self.dynamodb.batch_write_item(RequestItems=request)
            request = response.get("UnprocessedItems") or {}
            if not request:
                return
            if attempt >= self.backoff.retries:
                left = len(request.get(self.table, []))
                logger.warning("memory_unprocessed_items_dropped", extra={"items": left})
                emit_metric(METRIC_DEGRADED, dimensions={"Reason": "unprocessed"})
                return
            self._sleep(self.backoff.delay(attempt))
            attempt += 1
