"""Named glossaries in the service's one DynamoDB table. No expiry: these items carry no TTL attribute.

Layout (docs/glossaries.md):
- `G#<name>`, the head: `name`, `version`, `terms` (count), `size` (bytes of the JSON), `updated_at`, and
  either `body` (B: gzip of the terms' JSON) or `parts` (N) when the compressed body would pass the
  400 KB item limit (10,000 terms of 2 x 200 bytes can hold 4 MB).
- `GP#<name>#<version>#<i>`: part i of a large body. Parts are written before the head that names them, and
  are keyed by version, so a reader never sees a head whose parts are missing or of another version; the
  replaced version's parts are deleted after the new head is in place.
- `GI#names`, the index: a string set of the names, so listing needs no Scan (the functions' policies
  grant item reads and writes only). One item holds about 5,000 names; `MAX_GLOSSARIES` stays below.

Only the calls the functions already hold are used: GetItem, PutItem, UpdateItem, DeleteItem,
BatchGetItem, BatchWriteItem. Unlike the result cache, a glossary store failure is not degraded into
"no glossary": a caller asked for one, so an outage is `503 store_unavailable`.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from tarjama.errors import GlossaryNotFoundError, GlossaryTooLargeError, StoreUnavailableError
from tarjama.observability import get_logger
from tarjama.store.clients import DynamoDBClient
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import Glossary

logger = get_logger()

HEAD_PREFIX = "G#"
PART_PREFIX = "GP#"
INDEX_PK = "GI#names"
# Room for the pk and the other attributes under DynamoDB's 400 KB item limit.
PART_BYTES = 380 * 1024
MAX_GLOSSARIES = 1000
HELD_GLOSSARIES = 8
_BATCH_GET = 100
_BATCH_WRITE = 25


@dataclass(frozen=True)
class GlossaryInfo:
    name: str
    version: str
    terms: int
    updated_at: str


def head_pk(name: str) -> str:
    return HEAD_PREFIX + name


def part_pk(name: str, version: str, index: int) -> str:
    return f"{PART_PREFIX}{name}#{version}#{index}"


def encode_terms(terms: tuple[Term, ...]) -> bytes:
    blob = json.dumps([[t.ar, t.en] for t in terms], ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(blob.encode("utf-8"), compresslevel=9, mtime=0)


def decode_terms(body: bytes) -> tuple[Term, ...]:
    return tuple(Term(ar, en) for ar, en in json.loads(gzip.decompress(body)))


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class GlossaryStore:
    """put/get/list/delete of named glossaries; `get` reads consistently (a PUT is visible at once)."""

    def __init__(self, dynamodb: DynamoDBClient, table: str, *, part_bytes: int = PART_BYTES) -> None:
        self.dynamodb = dynamodb
        self.table = table
        self.part_bytes = part_bytes
        self._held: dict[str, Glossary] = {}  # the last glossaries read, by name (a warm Lambda's)
        self._lock = threading.Lock()  # `tarjama serve` and the bulk worker share one store across threads

    # writes --------------------------------------------------------------------------------------

    def put(self, glossary: Glossary) -> GlossaryInfo:
        body = encode_terms(glossary.terms)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        head: dict[str, Any] = {
            "pk": {"S": head_pk(glossary.name)},
            "name": {"S": glossary.name},
            "version": {"S": glossary.version},
            "terms": {"N": str(len(glossary.terms))},
            "updated_at": {"S": now},
        }
        with _guard("put", glossary.name):
            if len(body) <= self.part_bytes:
                head["body"] = {"B": body}
            else:
                parts = list(_chunks(body, self.part_bytes))
                self._write_parts(glossary.name, glossary.version, parts)
                head["parts"] = {"N": str(len(parts))}
            self._add_to_index(glossary.name)
            old = self.dynamodb.put_item(TableName=self.table, Item=head, ReturnValues="ALL_OLD")
        previous = old.get("Attributes", {})
        if "parts" in previous and previous["version"]["S"] != glossary.version:
            self._delete_parts(glossary.name, previous["version"]["S"], int(previous["parts"]["N"]))
        logger.info(
            "glossary_put",
            extra={"glossary": glossary.name, "version": glossary.version, "terms": len(glossary.terms)},
        )
        return GlossaryInfo(glossary.name, glossary.version, len(glossary.terms), now)

    def delete(self, name: str) -> None:
        with _guard("delete", name):
            old = self.dynamodb.delete_item(
                TableName=self.table, Key={"pk": {"S": head_pk(name)}}, ReturnValues="ALL_OLD"
            )
            self.dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": INDEX_PK}},
                UpdateExpression="DELETE #s :n",
                ExpressionAttributeNames={"#s": "names"},
                ExpressionAttributeValues={":n": {"SS": [name]}},
            )
        previous = old.get("Attributes")
        if previous is None:
            raise GlossaryNotFoundError(f"No glossary named {name!r}.", details={"name": name})
        if "parts" in previous:
            self._delete_parts(name, previous["version"]["S"], int(previous["parts"]["N"]))

    def _add_to_index(self, name: str) -> None:
        try:
            self.dynamodb.update_item(
                TableName=self.table,
                Key={"pk": {"S": INDEX_PK}},
                UpdateExpression="ADD #s :n",
                ConditionExpression="attribute_not_exists(#s) OR contains(#s, :name) OR size(#s) < :max",
                ExpressionAttributeNames={"#s": "names"},
                ExpressionAttributeValues={
                    ":n": {"SS": [name]},
                    ":name": {"S": name},
                    ":max": {"N": str(MAX_GLOSSARIES)},
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            raise GlossaryTooLargeError(
                f"There are already {MAX_GLOSSARIES} glossaries; delete one first.",
                details={"reason": "too_many_glossaries", "limit": MAX_GLOSSARIES},
            ) from exc

    def _write_parts(self, name: str, version: str, parts: list[bytes]) -> None:
        for start in range(0, len(parts), _BATCH_WRITE):
            requests = [
                {"PutRequest": {"Item": {"pk": {"S": part_pk(name, version, i)}, "body": {"B": part}}}}
                for i, part in enumerate(parts[start : start + _BATCH_WRITE], start=start)
            ]
            self._batch_write(requests)

    def _delete_parts(self, name: str, version: str, count: int) -> None:
        """Best effort: a leftover part is unreachable (no head names it) and costs only storage."""
        keys = [{"DeleteRequest": {"Key": {"pk": {"S": part_pk(name, version, i)}}}} for i in range(count)]
        try:
            for start in range(0, len(keys), _BATCH_WRITE):
                self._batch_write(keys[start : start + _BATCH_WRITE])
        except (BotoCoreError, ClientError) as exc:
            logger.warning("glossary_parts_left", extra={"glossary": name, "error": type(exc).__name__})

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        pending: dict[str, Any] = {self.table: requests}
        for attempt in range(8):  # bounded: unprocessed items are retried with backoff, then it fails
            response = self.dynamodb.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                return
            time.sleep(min(1.0, 0.05 * 2**attempt))
        raise StoreUnavailableError("The glossary store kept refusing writes; retry shortly.")

    # reads ---------------------------------------------------------------------------------------

    def get(self, name: str) -> Glossary:
        """The glossary named `name`; `GlossaryNotFoundError` when there is none.

        Every call reads the head's version (a small consistent read, so a replaced glossary is used at
        once); the terms are read and decoded only when that version is not the one this process holds.
        """
        with _guard("get", name):
            head = self.dynamodb.get_item(
                TableName=self.table,
                Key={"pk": {"S": head_pk(name)}},
                ConsistentRead=True,
                ProjectionExpression="#v",
                ExpressionAttributeNames={"#v": "version"},
            ).get("Item")
            if head is None:
                raise GlossaryNotFoundError(f"No glossary named {name!r}.", details={"name": name})
            with self._lock:
                held = self._held.get(name)
            if held is not None and held.version == head["version"]["S"]:
                return held
            item = self.dynamodb.get_item(
                TableName=self.table, Key={"pk": {"S": head_pk(name)}}, ConsistentRead=True
            ).get("Item")
            if item is None:
                raise GlossaryNotFoundError(f"No glossary named {name!r}.", details={"name": name})
            version = item["version"]["S"]
            if "body" in item:
                body = bytes(item["body"]["B"])
            else:
                body = self._read_parts(name, version, int(item["parts"]["N"]))
        glossary = Glossary(name=name, terms=decode_terms(body), version=version)
        with self._lock:
            self._held[name] = glossary
            while len(self._held) > HELD_GLOSSARIES:
                self._held.pop(next(iter(self._held)))
        return glossary

    def _read_parts(self, name: str, version: str, count: int) -> bytes:
        found: dict[str, bytes] = {}
        keys = [part_pk(name, version, i) for i in range(count)]
        for start in range(0, count, _BATCH_GET):
            pending: dict[str, Any] = {
                self.table: {
                    "Keys": [{"pk": {"S": k}} for k in keys[start : start + _BATCH_GET]],
                    "ConsistentRead": True,
                }
            }
            for attempt in range(8):
                response = self.dynamodb.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table, []):
                    found[item["pk"]["S"]] = bytes(item["body"]["B"])
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
                time.sleep(min(1.0, 0.05 * 2**attempt))
        missing = [k for k in keys if k not in found]
        if missing:
            # A head never names parts it did not write first; a concurrent PUT replaced them meanwhile.
            raise StoreUnavailableError(
                "The glossary changed while it was read; retry.", details={"name": name}
            )
        return b"".join(found[k] for k in keys)

    def list_all(self) -> list[GlossaryInfo]:
        with _guard("list", ""):
            index = self.dynamodb.get_item(
                TableName=self.table, Key={"pk": {"S": INDEX_PK}}, ConsistentRead=True
            ).get("Item", {})
            names = sorted(index.get("names", {}).get("SS", []))
            heads: list[dict[str, Any]] = []
            for start in range(0, len(names), _BATCH_GET):
                pending: dict[str, Any] = {
                    self.table: {
                        "Keys": [{"pk": {"S": head_pk(n)}} for n in names[start : start + _BATCH_GET]],
                        "ProjectionExpression": "#n, #v, #t, #u",
                        "ExpressionAttributeNames": {
                            "#n": "name",
                            "#v": "version",
                            "#t": "terms",
                            "#u": "updated_at",
                        },
                        "ConsistentRead": True,
                    }
                }
                for attempt in range(8):
                    response = self.dynamodb.batch_get_item(RequestItems=pending)
                    heads.extend(response.get("Responses", {}).get(self.table, []))
                    pending = response.get("UnprocessedKeys") or {}
                    if not pending:
                        break
                    time.sleep(min(1.0, 0.05 * 2**attempt))
        infos = [
            GlossaryInfo(h["name"]["S"], h["version"]["S"], int(h["terms"]["N"]), h["updated_at"]["S"])
            for h in heads
        ]
        return sorted(infos, key=lambda g: g.name)


@contextmanager
def _guard(op: str, name: str) -> Iterator[None]:
    """A store failure becomes `503 store_unavailable` (logged with the name only, never the terms)."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        logger.warning(
            "glossary_store_failed", extra={"op": op, "glossary": name, "error": type(exc).__name__}
        )
        raise StoreUnavailableError("The glossary store is unavailable; retry shortly.") from exc
