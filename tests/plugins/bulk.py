"""Bulk runs against the local AWS endpoint: sample sentences, a fixture with the bulk path's resources
(work queue with its dead-letter queue, input bucket, a cache table of its own), and the check that every
line of a bulk file is accounted for; a queue that an EventBridge rule fills with the job events. Shared by
tests/integration (test_bulk.py, test_job_events.py, test_split_failures.py) and the reliability suite.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from tarjama.config import Settings
from tarjama.local.bulk import LocalBulk
from tarjama.service import build_digester

SEEDS = Path(__file__).resolve().parents[1] / "fixtures"


def seed_sentences(limit: int = 24) -> list[str]:
    """Short Arabic sentences from the sample articles (their chrome lines are left out by length)."""
    out: list[str] = []
    for path in sorted(SEEDS.glob("00*.txt")):
        for raw in re.split(r"(?<=[.!؟])\s+", path.read_text("utf-8")):
            piece = " ".join(raw.split())
            if (
                40 <= len(piece) <= 160
                and re.search(r"[\u0600-\u06ff]{3}", piece)
                and piece.endswith((".", "؟"))
            ):
                out.append(piece)
    assert len(out) >= limit
    return out[:limit]


@dataclass(frozen=True)
class BulkEnv:
    settings: Settings
    dead_letter_url: str
    cache_table: str

    @property
    def cache_settings(self) -> Settings:
        return self.settings.model_copy(update={"table": self.cache_table})


@pytest.fixture
def bulk_env(
    tiny_settings: Settings, store_settings: Settings, s3: Any, dynamodb: Any, table_definition: Any
) -> Iterator[BulkEnv]:
    """Tiny models + this test's table and results bucket + an input bucket and a work queue with a DLQ.

    The digest cache gets a table of its own here: moto copies a whole table on every transaction, so
    keeping the cache's items out of the job table keeps the job counts' transactions cheap in tests.
    """
    from tarjama.local.resources import create_table

    sqs = boto3.client("sqs")
    suffix = uuid.uuid4().hex[:10]
    cache_table = f"tarjama-cache-{suffix}"
    create_table(dynamodb, cache_table, table_definition)
    input_bucket = f"tarjama-input-{suffix}"
    s3.create_bucket(Bucket=input_bucket)
    dlq = sqs.create_queue(QueueName=f"work-{suffix}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue = sqs.create_queue(
        QueueName=f"work-{suffix}",
        Attributes={
            "VisibilityTimeout": "60",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}),
        },
    )["QueueUrl"]
    settings = tiny_settings.model_copy(
        update={
            "table": store_settings.table,
            "results_bucket": store_settings.results_bucket,
            "lease_wait_seconds": 60.0,
            "input_bucket": input_bucket,
            "queue_url": queue,
            "bulk_max_article_bytes": 8192,
            "bulk_inline_max_bytes": 1024,
            "summary": "extractive",
        }
    )
    yield BulkEnv(settings, dlq, cache_table)
    dynamodb.delete_table(TableName=cache_table)
    for q in (queue, dlq):
        sqs.delete_queue(QueueUrl=q)
    for obj in s3.list_objects_v2(Bucket=input_bucket).get("Contents", []):
        s3.delete_object(Bucket=input_bucket, Key=obj["Key"])
    s3.delete_bucket(Bucket=input_bucket)


@pytest.fixture
def bulk(bulk_env: BulkEnv, s3: Any) -> LocalBulk:
    """The local bulk path (split, queue, worker) on this test's resources, announcing job ends on the
    local EventBridge bus (pair it with `event_queue` to read them)."""
    return LocalBulk(
        bulk_env.settings,
        s3=s3,
        sqs=boto3.client("sqs"),
        dynamodb=boto3.client("dynamodb"),
        dead_letter_url=bulk_env.dead_letter_url,
        digester=build_digester(bulk_env.cache_settings),
        events=boto3.client("events"),
    )


def assert_accounted(results: list[dict[str, Any]], report: dict[str, Any], lines: set[int]) -> None:
    """Every line exactly once: in the results or in the errors, each error with a code and a reason."""
    result_lines = [r["line"] for r in results]
    error_lines = [e["line"] for e in report["errors"]]
    assert result_lines == sorted(result_lines), "results.jsonl is in input order"
    assert len(result_lines) == len(set(result_lines)), "no duplicate result"
    assert sorted(result_lines + error_lines) == sorted(lines)
    assert report["total"] == len(lines) == report["succeeded"] + report["failed"]
    assert report["succeeded"] == len(results) and report["failed"] == len(report["errors"])
    for err in report["errors"]:
        assert err["code"] and err["reason"], err


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PATTERN = {"source": ["tarjama"], "detail-type": ["Digest Job State Change"]}


@pytest.fixture
def event_queue(aws_endpoint: str) -> Iterator[str]:
    """A queue that a rule on the default bus fills with our job events (the rule docs/bulk.md shows)."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    name = f"job-events-{uuid.uuid4().hex[:8]}"
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=name, EventBusName="default", EventPattern=json.dumps(PATTERN), State="ENABLED")
    events.put_targets(Rule=name, EventBusName="default", Targets=[{"Id": "queue", "Arn": arn}])
    yield url
    events.remove_targets(Rule=name, EventBusName="default", Ids=["queue"])
    events.delete_rule(Name=name, EventBusName="default")
    sqs.delete_queue(QueueUrl=url)


def events_of(queue_url: str, job_id: str, polls: int = 10) -> list[dict[str, Any]]:
    """The events delivered to the queue for `job_id` (a bounded number of polls)."""
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    for _ in range(polls):
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in got.get("Messages", []):
            event = json.loads(message["Body"])
            if event["detail"]["job_id"] == job_id:
                found.append(event)
        if found:
            return found
    return found
