"""Job store, S3 range reader and message batching against moto's real HTTP server."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from typing import Any

import boto3
import pytest
from tarjama.bulk import keys
from tarjama.bulk.limits import LimitExceeded
from tarjama.bulk.messages import BatchSender, WorkMessage, load_message
from tarjama.bulk.s3io import S3RangeReader
from tarjama.store.jobs import JobResults, JobStore


def _results(job: str) -> JobResults:
    return JobResults(bucket="b", prefix=keys.job_prefix(job), results_key="r", report_key="p")


def test_job_lifecycle_counts_each_article_once(dynamodb: Any, dynamo_table: str) -> None:
    jobs = JobStore(dynamodb, dynamo_table)
    job = "j_" + uuid.uuid4().hex
    assert jobs.get(job) is None
    assert jobs.get("not-a-job") is None
    assert jobs.create(job, kind="bulk", state="splitting", results=_results(job), source={"key": "k"})
    assert not jobs.create(job, kind="bulk", state="splitting", results=_results(job))
    status = jobs.get(job)
    assert status is not None and (status.state, status.status, status.total) == ("splitting", "queued", None)

    assert jobs.count(job, 1, "succeeded")
    assert not jobs.count(job, 1, "succeeded")  # redelivered: not counted again
    assert not jobs.count(job, 1, "failed")
    assert jobs.is_counted(job, 1) and not jobs.is_counted(job, 2)
    status = jobs.finish_split(job, total=3, rejected=1)
    assert (status.state, status.total, status.succeeded, status.failed, status.complete) == (
        "running",
        3,
        1,
        1,
        False,
    )
    assert jobs.finish_split(job, total=99, rejected=9).total == 3  # idempotent
    assert jobs.count(job, 2, "failed")
    status = jobs.get(job)
    assert status is not None and status.complete and status.pending == 0

    assert jobs.claim_finalize(job, "msg-a")
    assert not jobs.claim_finalize(job, "msg-b")
    assert jobs.claim_finalize(job, "msg-a")  # the same message, redelivered, resumes its claim
    assert jobs.claim_finalize(job, "msg-c", stale_seconds=-10)  # a stale claim can be taken over
    assert not jobs.mark_done(job, "msg-a")
    assert jobs.mark_done(job, "msg-c")
    status = jobs.get(job)
    assert status is not None and (status.state, status.status) == ("done", "done")
    assert status.results is not None and status.finished


def test_count_on_a_missing_job_raises(dynamodb: Any, dynamo_table: str) -> None:
    with pytest.raises(LookupError):
        JobStore(dynamodb, dynamo_table).count("j_" + uuid.uuid4().hex, 1, "succeeded")


def test_range_reader_streams_in_blocks_and_serves_zipfile(s3: Any, results_bucket: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(50):
            zf.writestr(f"{i}.txt", (f"مقال {i} " * 500).encode())
    data = buf.getvalue()
    s3.put_object(Bucket=results_bucket, Key="in.zip", Body=data)
    reader = S3RangeReader(s3, results_bucket, "in.zip", block_size=16 * 1024)
    assert reader.read() == data
    assert reader.requests == -(-len(data) // (16 * 1024))
    reader.seek(0)
    with zipfile.ZipFile(reader) as zf:
        assert zf.read("49.txt").decode().startswith("مقال 49")

    reader = S3RangeReader(s3, results_bucket, "in.zip", block_size=1024)
    reader.read(10)
    s3.put_object(Bucket=results_bucket, Key="in.zip", Body=b"replaced")
    reader.seek(5000)
    with pytest.raises(LimitExceeded) as exc:
        reader.read(10)
    assert exc.value.code == "source_changed"
    with pytest.raises(LimitExceeded) as exc:
        S3RangeReader(s3, results_bucket, "missing", attempts=2, sleep=lambda _: None)
    assert exc.value.code == "source_unreadable"


def test_batches_of_ten_and_large_articles_through_s3(
    aws_endpoint: str, s3: Any, results_bucket: str
) -> None:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    calls: list[int] = []

    class Counting:
        def send_message_batch(self, **kwargs: Any) -> Any:
            calls.append(len(kwargs["Entries"]))
            return sqs.send_message_batch(**kwargs)

    sender = BatchSender(Counting(), url, s3, results_bucket, inline_max_bytes=2048)
    job = "j_" + uuid.uuid4().hex
    for i in range(1, 24):
        text = "نص " * (2000 if i == 7 else 5) + "\ufffe"  # a non-character SQS refuses raw
        sender.add(WorkMessage(job=job, index=i, id=f"a{i}", fmt="text", text=text))
    sender.flush()
    assert calls == [10, 10, 3] and sender.sent == 23 and sender.offloaded == 1 and not sender.refused
    bodies: list[str] = []
    for _ in range(10):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        bodies += [m["Body"] for m in got]
        if len(bodies) >= 23:
            break
    assert len(bodies) == 23
    messages = {m.index: m for m in (load_message(b, s3, results_bucket) for b in bodies)}
    assert sorted(messages) == list(range(1, 24))
    assert messages[7].text is not None and messages[7].text.count("نص") == 2000
    pointer = [json.loads(b) for b in bodies if "body_key" in b]
    assert len(pointer) == 1 and pointer[0]["body_key"] == keys.input_key(job, 7)
