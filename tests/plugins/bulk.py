"""Bulk runs against the local AWS endpoint: sample sentences, a fixture with the bulk path's resources
(work queue with its dead-letter queue, input bucket, a cache table of its own), and the check that every
line of a bulk file is accounted for. Shared by tests/integration/test_bulk.py and the reliability suite.
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
