"""ResultCache against a real DynamoDB/S3 HTTP endpoint (moto's server)."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from tarjama.errors import InProgressError
from tarjama.result import DigestResult
from tarjama.store.keys import lease_pk, result_pk, results_object_key
from tarjama.store.results import ITEM_LIMIT_BYTES, LeasePolicy, ResultCache, encode

from .helpers import make_result


def _cache(
    dynamodb: Any, table: str, s3: Any = None, bucket: str | None = None, **lease: float
) -> ResultCache:
    policy = LeasePolicy(**({"lease_seconds": 30.0, "wait_seconds": 30.0} | lease))
    return ResultCache(dynamodb, table, s3=s3, bucket=bucket, ttl_seconds=86400, lease=policy)


def test_round_trip_compressed_with_ttl(dynamodb: Any, dynamo_table: str) -> None:
    cache = _cache(dynamodb, dynamo_table)
    result = make_result("a_round", sentences=40)
    result.ref = "caller-ref"
    assert cache.get("a_round") is None
    cache.put(result)
    got = cache.get("a_round")
    assert got is not None
    assert got.translation == result.translation
    assert got.ref is None  # the caller's reference is not part of the shared result
    item = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": result_pk("a_round")}})["Item"]
    assert len(item["body"]["B"]) < len(result.model_dump_json().encode())  # gzip'd
    assert abs(int(item["expires_at"]["N"]) - (time.time() + 86400)) < 120


def test_expired_item_is_a_miss(dynamodb: Any, dynamo_table: str) -> None:
    cache = ResultCache(dynamodb, dynamo_table, ttl_seconds=-10)
    cache.put(make_result("a_old"))
    assert cache.get("a_old") is None


def test_unreadable_item_is_a_miss(dynamodb: Any, dynamo_table: str) -> None:
    dynamodb.put_item(
        TableName=dynamo_table,
        Item={"pk": {"S": result_pk("a_bad")}, "body": {"B": b"not gzip"}, "expires_at": {"N": "9999999999"}},
    )
    assert _cache(dynamodb, dynamo_table).get("a_bad") is None


def test_result_over_item_limit_round_trips_through_s3(
    dynamodb: Any, dynamo_table: str, s3: Any, results_bucket: str
) -> None:
    big = make_result("a_big", sentences=50, noise_chars=600_000)
    assert len(encode(big)) > ITEM_LIMIT_BYTES  # really too large for an item, even compressed
    cache = _cache(dynamodb, dynamo_table, s3, results_bucket)
    cache.put(big)
    item = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": result_pk("a_big")}})["Item"]
    assert "body" not in item
    assert item["s3_key"]["S"] == results_object_key("a_big")
    head = s3.head_object(Bucket=results_bucket, Key=results_object_key("a_big"))
    assert head["ContentLength"] > ITEM_LIMIT_BYTES
    got = cache.get("a_big")
    assert got is not None
    assert got.translation == big.translation
    # The object gone (bucket lifecycle) is a miss, not an error.
    s3.delete_object(Bucket=results_bucket, Key=results_object_key("a_big"))
    assert cache.get("a_big") is None


def test_large_result_without_bucket_is_skipped_not_raised(dynamodb: Any, dynamo_table: str) -> None:
    cache = _cache(dynamodb, dynamo_table)
    cache.put(make_result("a_big2", sentences=50, noise_chars=600_000))
    assert cache.get("a_big2") is None


def test_lease_acquired_released_and_released_on_error(dynamodb: Any, dynamo_table: str) -> None:
    cache = _cache(dynamodb, dynamo_table)
    key = {"pk": {"S": lease_pk("a_l")}}
    with cache.lease("a_l") as finished:
        assert finished is None
        assert "Item" in dynamodb.get_item(TableName=dynamo_table, Key=key, ConsistentRead=True)
    assert "Item" not in dynamodb.get_item(TableName=dynamo_table, Key=key, ConsistentRead=True)
    with pytest.raises(RuntimeError), cache.lease("a_l"):
        raise RuntimeError("compute failed")
    assert "Item" not in dynamodb.get_item(TableName=dynamo_table, Key=key, ConsistentRead=True)


def test_held_lease_makes_others_wait_then_in_progress(dynamodb: Any, dynamo_table: str) -> None:
    holder = _cache(dynamodb, dynamo_table)
    waiter = _cache(dynamodb, dynamo_table, wait_seconds=0.3)
    with holder.lease("a_busy") as finished:
        assert finished is None
        with pytest.raises(InProgressError) as info, waiter.lease("a_busy"):
            pytest.fail("must not get the lease while it is held")
    assert info.value.code == "in_progress"
    assert info.value.status == 409
    assert info.value.details["id"] == "a_busy"


def test_waiter_gets_the_holders_result(dynamodb: Any, dynamo_table: str) -> None:
    holder = _cache(dynamodb, dynamo_table)
    waiter = _cache(dynamodb, dynamo_table)
    got: list[DigestResult | None] = []
    entered = threading.Event()

    def wait() -> None:
        entered.set()
        with waiter.lease("a_shared") as finished:
            got.append(finished)

    with holder.lease("a_shared"):
        thread = threading.Thread(target=wait)
        thread.start()
        entered.wait(10)
        holder.put(make_result("a_shared"))
    thread.join(30)
    assert len(got) == 1
    assert got[0] is not None
    assert got[0].id == "a_shared"


def test_crashed_holders_lease_expires(dynamodb: Any, dynamo_table: str) -> None:
    # A holder that died left its lease behind, already past its expiry.
    dynamodb.put_item(
        TableName=dynamo_table,
        Item={
            "pk": {"S": lease_pk("a_dead")},
            "owner": {"S": "dead"},
            "expires_at": {"N": str(int(time.time()) - 5)},
        },
    )
    with _cache(dynamodb, dynamo_table, wait_seconds=0.0).lease("a_dead") as finished:
        assert finished is None
        item = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": lease_pk("a_dead")}})["Item"]
        assert item["owner"]["S"] != "dead"


def test_lost_lease_is_not_deleted_by_old_owner(dynamodb: Any, dynamo_table: str) -> None:
    cache = _cache(dynamodb, dynamo_table)
    with cache.lease("a_lost"):
        # Our lease expired and someone else took it over while we computed.
        dynamodb.put_item(
            TableName=dynamo_table,
            Item={
                "pk": {"S": lease_pk("a_lost")},
                "owner": {"S": "other"},
                "expires_at": {"N": "9999999999"},
            },
        )
    item = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": lease_pk("a_lost")}})["Item"]
    assert item["owner"]["S"] == "other"


def test_twenty_concurrent_requests_compute_once(dynamodb: Any, dynamo_table: str) -> None:
    """The digest flow (get -> lease -> compute -> put) from 20 threads: one computes, all get the result."""
    cache = _cache(dynamodb, dynamo_table)
    key = f"a_{uuid.uuid4().hex}"
    computed = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def request() -> str:
        start.wait(30)
        hit = cache.get(key)
        if hit is not None:
            return "hit"
        with cache.lease(key) as finished:
            if finished is not None:
                return "waited"
            with lock:
                computed.append(1)
            time.sleep(0.3)  # the model's work, long enough for the others to queue on the lease
            cache.put(make_result(key))
            return "computed"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(lambda _: request(), range(20)))
    assert len(computed) == 1
    assert outcomes.count("computed") == 1
    assert len(outcomes) == 20
