"""Degrade, never fail: throttling and outages turn into "no cache", logged and counted, never raised."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from tarjama.errors import StoreUnavailableError
from tarjama.observability import metric_counts
from tarjama.store.clients import store_config
from tarjama.store.degrade import Degrader, classify
from tarjama.store.memory import TranslationMemory
from tarjama.store.results import LeasePolicy, ResultCache

from .helpers import make_result

THROTTLING = ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]


def _degraded() -> float:
    return metric_counts["CacheDegraded"]


@pytest.mark.parametrize("code", THROTTLING)
def test_throttled_calls_fall_back(code: str, aws_endpoint: str, dynamo_table: str) -> None:
    client = boto3.client("dynamodb")
    cache = ResultCache(client, dynamo_table)
    memory = TranslationMemory(client, dynamo_table, degrader=cache.degrader)
    before = _degraded()
    with Stubber(client) as stub:
        for op in ["get_item", "put_item", "put_item", "batch_get_item", "batch_write_item"]:
            stub.add_client_error(op, service_error_code=code, http_status_code=400)
        assert cache.get("a_x") is None
        cache.put(make_result("a_x"))
        with cache.lease("a_x") as finished:  # no lease to be had: compute anyway
            assert finished is None
        assert memory.lookup(["s_1"]) == {}
        memory.store({"s_1": ("one", [])})
        stub.assert_no_pending_responses()
    assert _degraded() == before + 5
    assert classify(_client_error(code)) == "throttled"


def _client_error(code: str) -> Exception:
    from botocore.exceptions import ClientError

    error: Exception = ClientError({"Error": {"Code": code, "Message": "slow down"}}, "GetItem")
    return error


def _proxied(url: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=url, config=store_config(max_attempts=2))


def test_persistent_throttling_is_retried_then_degrades(fault_proxy: Any, dynamo_table: str) -> None:
    cache = ResultCache(_proxied(fault_proxy.url), dynamo_table)
    cache.put(make_result("a_t"))
    fault_proxy.mode = "throttle"
    seen, before = fault_proxy.requests, _degraded()
    assert cache.get("a_t") is None
    assert fault_proxy.requests - seen == 2  # botocore retried (standard mode, 2 attempts) before giving up
    assert _degraded() == before + 1
    # Throttling does not open the breaker: the next call tries the table again, and it has recovered.
    fault_proxy.mode = "forward"
    assert cache.get("a_t") is not None


def test_brief_throttling_is_absorbed_by_retries(fault_proxy: Any, dynamo_table: str) -> None:
    cache = ResultCache(_proxied(fault_proxy.url), dynamo_table)
    cache.put(make_result("a_b"))
    fault_proxy.throttle_next(1)
    before = _degraded()
    got = cache.get("a_b")
    assert got is not None
    assert got.id == "a_b"
    assert _degraded() == before


def test_dropped_connections_degrade_and_open_the_breaker(fault_proxy: Any, dynamo_table: str) -> None:
    client = _proxied(fault_proxy.url)
    degrader = Degrader(cooldown_seconds=60)
    cache = ResultCache(client, dynamo_table, degrader=degrader)
    memory = TranslationMemory(client, dynamo_table, degrader=degrader)
    fault_proxy.mode = "drop"
    assert cache.get("a_d") is None
    seen = fault_proxy.requests
    assert seen >= 2  # retried
    # The breaker is open: the table is skipped for the cooldown, no connection is attempted.
    with cache.lease("a_d") as finished:
        assert finished is None
        cache.put(make_result("a_d"))
    assert memory.lookup(["s_1"]) == {}
    memory.store({"s_1": ("one", [])})
    assert fault_proxy.requests == seen
    degrader.reset()
    fault_proxy.mode = "forward"
    cache.put(make_result("a_d"))
    assert cache.get("a_d") is not None


def test_unreachable_endpoint_degrades(closed_endpoint: str, aws_endpoint: str) -> None:
    client = boto3.client(
        "dynamodb", endpoint_url=closed_endpoint, config=store_config(max_attempts=2, connect_timeout=0.5)
    )
    s3 = boto3.client("s3", endpoint_url=closed_endpoint, config=store_config(max_attempts=1))
    cache = ResultCache(client, "no-table", s3=s3, bucket="no-bucket", lease=LeasePolicy(wait_seconds=0))
    memory = TranslationMemory(client, "no-table", degrader=Degrader())
    before = _degraded()
    assert cache.get("a_u") is None
    with cache.lease("a_u") as finished:
        assert finished is None
    cache.put(make_result("a_u", sentences=50, noise_chars=600_000))  # the S3 path, also unreachable
    assert memory.lookup(["s_1"]) == {}
    memory.store({"s_1": ("one", [])})
    assert _degraded() >= before + 2


def test_strict_reads_report_an_outage_not_a_miss(closed_endpoint: str, aws_endpoint: str) -> None:
    """A reader with nothing to fall back on (GET by id) must not mistake an outage for an unknown id."""
    client = boto3.client(
        "dynamodb", endpoint_url=closed_endpoint, config=store_config(max_attempts=1, connect_timeout=0.5)
    )
    cache = ResultCache(client, "no-table")
    with pytest.raises(StoreUnavailableError):
        cache.get("a_s", strict=True)
    with pytest.raises(StoreUnavailableError):  # the breaker is open now: still an outage, not a miss
        cache.get("a_s", strict=True)
    assert cache.get("a_s") is None  # the digest path still degrades quietly


def test_missing_table_degrades_too(dynamodb: Any) -> None:
    cache = ResultCache(dynamodb, "tarjama-no-such-table")
    assert cache.get("a_m") is None
    cache.put(make_result("a_m"))


def test_non_store_errors_propagate(dynamodb: Any, dynamo_table: str) -> None:
    """Only store failures are absorbed; a bug in our own code must still surface."""
    cache = ResultCache(dynamodb, dynamo_table)
    with pytest.raises(AttributeError):
        cache.put(object())  # type: ignore[arg-type]


def test_stubbed_success_after_throttle_is_still_a_success(aws_endpoint: str, dynamo_table: str) -> None:
    client = boto3.client("dynamodb")
    memory = TranslationMemory(client, dynamo_table)
    item = {"pk": {"S": "S#s_a"}, "en": {"S": "a"}, "flags": {"L": []}, "expires_at": {"N": "9999999999"}}
    with Stubber(client) as stub:
        stub.add_response("batch_get_item", {"Responses": {dynamo_table: [item]}}, {"RequestItems": ANY})
        assert memory.lookup(["s_a"]) == {"s_a": ("a", [])}
