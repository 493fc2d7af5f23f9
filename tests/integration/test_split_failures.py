"""An upload the split Lambda gave up on ends its job `failed` (`split_failed`), announced like any job end.

Lambda's on-failure invocation record (events/lambda_split_failed.json, the shape the template's
EventInvokeConfig sends to the work queue) is put on the work queue of moto's server and drained by the
worker through real SQS events; the job events reach a queue through a real EventBridge rule.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from tarjama.bulk.report import build_finalizer
from tarjama.bulk.split import Splitter, results_location, uploads_in
from tarjama.errors import StoreUnavailableError
from tarjama.local.bulk import LocalBulk
from tarjama.local.endpoint import free_port

from tests.plugins.bulk import events_of, seed_sentences, write_jsonl

RECORD = Path(__file__).resolve().parents[2] / "events" / "lambda_split_failed.json"


def _record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


def _send(bulk: LocalBulk, body: str) -> None:
    bulk.sqs.send_message(QueueUrl=str(bulk.settings.queue_url), MessageBody=body)


def _assert_split_failed(bulk: LocalBulk, event_queue: str, job: str) -> None:
    status = bulk.jobs.get(job)  # what GET /v1/jobs/{id} answers
    assert status is not None
    assert (status.state, status.status) == ("failed", "failed")
    (error,) = status.errors
    assert error["code"] == "split_failed" and error["error_type"] == "ClientError"
    assert "3 attempts" in error["message"] and "SlowDown" not in error["message"]
    assert status.finished is not None
    assert status.source == {
        "bucket": "tarjama-local-input",
        "key": "incoming/news 2025-01-01.jsonl",
        "version": "0123456789abcdef0123456789abcdef",
    }
    (event,) = events_of(event_queue, job)
    detail = event["detail"]
    assert (detail["state"], detail["status"], detail["results"]) == ("failed", "failed", None)
    assert detail["error"]["code"] == "split_failed"
    assert detail["source"]["key"] == "incoming/news 2025-01-01.jsonl"


def test_a_split_that_died_before_creating_its_job(bulk: LocalBulk, event_queue: str) -> None:
    record = _record()
    (upload,) = uploads_in(record["requestPayload"])
    assert bulk.jobs.get(upload.job_id) is None
    _send(bulk, json.dumps(record))
    bulk.drain([upload.job_id], max_idle=5)
    _assert_split_failed(bulk, event_queue, upload.job_id)


def test_a_split_that_died_while_splitting(bulk: LocalBulk, event_queue: str) -> None:
    record = _record()
    (upload,) = uploads_in(record["requestPayload"])
    location = results_location(upload.job_id, bulk.settings.results_bucket)
    assert bulk.jobs.create(
        upload.job_id, kind="bulk", state="splitting", results=location, source=upload.source
    )
    _send(bulk, json.dumps(record))
    _send(bulk, json.dumps(record))  # Lambda's destinations deliver at least once: ended once, announced once
    bulk.drain([upload.job_id], max_idle=5)
    while bulk.drain_once():
        pass
    _assert_split_failed(bulk, event_queue, upload.job_id)


def test_a_job_that_already_ended_is_left_alone(bulk: LocalBulk, event_queue: str) -> None:
    record = _record()
    (upload,) = uploads_in(record["requestPayload"])
    location = results_location(upload.job_id, bulk.settings.results_bucket)
    assert bulk.jobs.create(
        upload.job_id, kind="bulk", state="done", results=location, source=upload.source, total=0
    )
    before = bulk.jobs.raw(upload.job_id)
    _send(bulk, json.dumps(record))
    assert bulk.drain_once() == 1 and bulk.drain_once() == 0  # handled and deleted
    assert bulk.jobs.raw(upload.job_id) == before
    assert events_of(event_queue, upload.job_id, polls=2) == []


@pytest.mark.parametrize(
    "body",
    [
        {"requestContext": {"condition": "RetriesExhausted"}, "requestPayload": {"Records": []}},
        {"requestContext": {"condition": "RetriesExhausted"}, "requestPayload": "not an S3 event"},
        {"requestContext": "?", "requestPayload": _record()["requestPayload"]},
    ],
    ids=["no-upload", "not-s3", "no-context"],
)
def test_a_malformed_record_is_dropped_not_retried(bulk: LocalBulk, body: dict[str, Any]) -> None:
    _send(bulk, json.dumps(body))
    assert bulk.drain_once() == 1
    assert bulk.drain_once() == 0, "the record came back: it would be retried forever"
    (upload,) = uploads_in(_record()["requestPayload"])
    assert bulk.jobs.get(upload.job_id) is None


def test_tarjama_bulk_ends_a_split_that_keeps_failing(
    bulk: LocalBulk, event_queue: str, tmp_path: Path
) -> None:
    """Locally the split is tried as Lambda would (3 times); its queue is unreachable here (connection
    refused), so each try dies after creating the job, and the job ends `failed` the same way."""
    dead = boto3.client(
        "sqs",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1),
    )
    bulk.splitter = Splitter(
        bulk.settings,
        s3=bulk.s3,
        sqs=dead,
        jobs=bulk.jobs,
        finalizer=build_finalizer(bulk.settings, bulk.s3, bulk.jobs, bulk.sqs, boto3.client("events")),
    )
    line = json.dumps({"id": "a", "text": seed_sentences(1)[0]}, ensure_ascii=False)
    path = write_jsonl(tmp_path / f"sf-{uuid.uuid4().hex[:6]}.jsonl", [line])
    with pytest.raises(StoreUnavailableError, match="Splitting the upload failed") as raised:
        bulk.run(path, tmp_path / "out", progress=None)
    job = raised.value.details["job"]
    status = bulk.jobs.get(job)
    assert status is not None and status.state == "failed"
    assert status.errors[0]["code"] == "split_failed"
    assert status.errors[0]["message"].startswith("Splitting the upload failed (EndpointConnectionError, 3")
    (event,) = events_of(event_queue, job)
    assert event["detail"]["error"]["code"] == "split_failed"
