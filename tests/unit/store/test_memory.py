"""TranslationMemory against a real endpoint; UnprocessedKeys/Items (which moto never returns) via Stubber."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import ANY, Stubber
from tarjama.observability import metric_counts
from tarjama.store.memory import Backoff, TranslationMemory


def test_store_then_lookup_across_batch_limits(dynamodb: Any, dynamo_table: str) -> None:
    memory = TranslationMemory(dynamodb, dynamo_table, ttl_seconds=3600)
    items = {f"s_{i:04d}": (f"english {i}", ["numbers_missing"] if i % 7 == 0 else []) for i in range(260)}
    memory.store(items)  # 11 BatchWriteItem calls of <= 25
    keys = [*items, "s_unknown", "s_0001"]  # a miss, and a duplicate (BatchGetItem rejects duplicates)
    found = memory.lookup(keys)  # 3 BatchGetItem calls of <= 100
    assert found == items


def test_expired_sentence_is_a_miss(dynamodb: Any, dynamo_table: str) -> None:
    memory = TranslationMemory(dynamodb, dynamo_table, ttl_seconds=-10)
    memory.store({"s_old": ("old", [])})
    assert memory.lookup(["s_old"]) == {}


def test_unprocessed_keys_are_retried(dynamo_table: str, aws_endpoint: str) -> None:
    client = boto3.client("dynamodb")
    sleeps: list[float] = []
    memory = TranslationMemory(client, dynamo_table, sleep=sleeps.append, backoff=Backoff(retries=3))
    item = {"pk": {"S": "S#s_a"}, "en": {"S": "a"}, "flags": {"L": []}, "expires_at": {"N": "9999999999"}}
    item_b = {**item, "pk": {"S": "S#s_b"}, "en": {"S": "b"}}
    unprocessed = {dynamo_table: {"Keys": [{"pk": {"S": "S#s_b"}}]}}
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_item",
            {"Responses": {dynamo_table: [item]}, "UnprocessedKeys": unprocessed},
            {"RequestItems": ANY},
        )
        stub.add_response(
            "batch_get_item", {"Responses": {dynamo_table: [item_b]}}, {"RequestItems": unprocessed}
        )
        found = memory.lookup(["s_a", "s_b"])
        stub.assert_no_pending_responses()
    assert found == {"s_a": ("a", []), "s_b": ("b", [])}
    assert len(sleeps) == 1


def test_unprocessed_items_are_retried_then_given_up(dynamo_table: str, aws_endpoint: str) -> None:
    client = boto3.client("dynamodb")
    sleeps: list[float] = []
    memory = TranslationMemory(client, dynamo_table, sleep=sleeps.append, backoff=Backoff(retries=2))
    before = metric_counts["CacheDegraded"]
    left = {dynamo_table: [{"PutRequest": {"Item": {"pk": {"S": "S#s_a"}}}}]}
    with Stubber(client) as stub:
        for _ in range(3):  # the call and its 2 retries, all left unprocessed
            stub.add_response("batch_write_item", {"UnprocessedItems": left}, {"RequestItems": ANY})
        memory.store({"s_a": ("a", [])})  # gives up without raising
        stub.assert_no_pending_responses()
    assert len(sleeps) == 2
    assert all(0 <= s <= 1.0 for s in sleeps)
    assert metric_counts["CacheDegraded"] == before + 1


def test_backoff_grows_and_is_capped() -> None:
    backoff = Backoff(base_seconds=0.1, cap_seconds=0.5)
    assert all(0 <= backoff.delay(a) <= min(0.5, 0.1 * 2**a) for a in range(10) for _ in range(20))
