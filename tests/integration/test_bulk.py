"""Bulk files end to end through moto's real HTTP server: split -> SQS -> worker -> results + report.

Tiny models, the DynamoDB cache and translation memory: most of the 1,000 articles repeat sentences, so
the run stays fast while every path (computed, cached, refused, failed, retried) is taken.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from tarjama.bulk import keys
from tarjama.bulk.messages import WorkMessage
from tarjama.local.bulk import LocalBulk
from tarjama.service import build_digester

from tests.plugins.bulk import BulkEnv, assert_accounted, seed_sentences, write_jsonl

MakeBulk = Callable[..., LocalBulk]


@pytest.fixture
def make_bulk(bulk_env: BulkEnv, s3: Any) -> MakeBulk:
    digester = build_digester(bulk_env.cache_settings)

    def make(fault: Any = None, **overrides: Any) -> LocalBulk:
        settings = bulk_env.settings.model_copy(update=overrides)
        return LocalBulk(
            settings,
            s3=s3,
            sqs=boto3.client("sqs"),
            dynamodb=boto3.client("dynamodb"),
            dead_letter_url=bulk_env.dead_letter_url,
            digester=digester,
            fault=fault,
        )

    return make


def all_keys(s3: Any, bucket: str) -> list[str]:
    out: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out


def outputs(bulk: LocalBulk, job: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    bucket = str(bulk.settings.results_bucket)
    body = bulk.s3.get_object(Bucket=bucket, Key=keys.results_key(job))["Body"].read().decode()
    report = json.loads(bulk.s3.get_object(Bucket=bucket, Key=keys.report_key(job))["Body"].read())
    return [json.loads(line) for line in body.splitlines()], report


# ----------------------------------------------------------------------------------------------- tests


@pytest.mark.slow
def test_thousand_articles_every_line_accounted(make_bulk: MakeBulk, tmp_path: Path, s3: Any) -> None:
    sentences = seed_sentences()
    lines: list[str] = []
    expected: dict[int, str] = {}
    for i in range(1, 1001):
        text = " ".join(sentences[(i * k) % len(sentences)] for k in (1, 3)[: 1 + i % 2])
        record: dict[str, Any] = {"id": f"art-{i}", "text": text}
        if i % 50 == 3:
            lines.append('{"id": "broken", "text": "نص')
            expected[i] = "malformed_json"
            continue
        if i % 50 == 7:
            record["text"] = "   "
            expected[i] = "empty_text"
        elif i % 50 == 11:
            record["text"] = "The minister said talks would resume next week in Geneva."
            expected[i] = "not_arabic"
        elif i % 50 == 13:
            record["id"] = f"art-{i - 1}"
            expected[i] = "duplicate_id"
        elif i % 100 == 17:
            record = {
                "id": f"art-{i}",
                "html": f"<html><body><h1>{sentences[0]}</h1><p>{text}</p></body></html>",
            }
        elif i % 100 == 19:
            record["text"] = " ".join(sentences[:8])  # > 1 KB: travels through S3, not in the message
        if i == 500:
            record["text"] = sentences[0] * 100  # > bulk_max_article_bytes
            expected[i] = "too_large"
        lines.append(json.dumps(record, ensure_ascii=False))
    bulk = make_bulk()
    run = bulk.run(write_jsonl(tmp_path / "news.jsonl", lines), tmp_path / "out", progress=io.StringIO())
    results = [json.loads(x) for x in run.results_path.read_text("utf-8").splitlines()]
    report = run.report
    assert_accounted(results, report, set(range(1, 1001)))
    got = {e["line"]: e["code"] for e in report["errors"]}
    for line, code in expected.items():
        assert got.get(line) == code, (line, code, got.get(line))
    assert set(got) == set(expected), "no unexpected failure"
    for r in results:
        assert r["ref"] == f"art-{r['line']}" and r["translation"]["sentences"]
    assert report["timings"]["cached"] > 0  # repeated articles came from the cache
    assert run.status.state == "done" and run.status.status == "done"
    assert (run.status.succeeded, run.status.failed) == (report["succeeded"], report["failed"])
    inputs = [k for k in all_keys(s3, str(bulk.settings.results_bucket)) if "/inputs/" in k]
    assert len(inputs) >= 5  # the long articles went through S3
    assert all(
        k.startswith(f"results/{run.job_id}/") for k in all_keys(s3, str(bulk.settings.results_bucket))
    )


def test_duplicate_upload_event_creates_no_second_job(make_bulk: MakeBulk, tmp_path: Path) -> None:
    sentences = seed_sentences(6)
    lines = [json.dumps({"id": f"d{i}", "text": s}, ensure_ascii=False) for i, s in enumerate(sentences)]
    bulk = make_bulk()
    event = bulk.upload(write_jsonl(tmp_path / "dup.jsonl", lines))
    (first,) = bulk.splitter.handle_event(event)
    (second,) = bulk.splitter.handle_event(event)
    assert first.created and first.queued == 6
    assert second.job_id == first.job_id and not second.created and second.skipped and second.queued == 0
    attrs = bulk.sqs.get_queue_attributes(
        QueueUrl=bulk.settings.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "6"
    bulk.drain([first.job_id])
    results, report = outputs(bulk, first.job_id)
    assert_accounted(results, report, set(range(1, 7)))
    assert report["failed"] == 0


def test_worker_crash_mid_batch_loses_nothing_and_duplicates_nothing(
    make_bulk: MakeBulk, tmp_path: Path
) -> None:
    sentences = seed_sentences(12)
    lines = [json.dumps({"id": f"c{i}", "text": sentences[i % 12]}, ensure_ascii=False) for i in range(1, 31)]
    seen: dict[tuple[str, int], int] = {}

    def crash(stage: str, msg: WorkMessage) -> None:
        n = seen[(stage, msg.index)] = seen.get((stage, msg.index), 0) + 1
        if (stage, msg.index) in {("written", 5), ("counted", 9), ("digested", 21)} and n == 1:
            raise RuntimeError(f"simulated crash after {stage}")
        if stage == "digest" and msg.index == 12:
            raise RuntimeError("this article always crashes the worker")

    bulk = make_bulk(fault=crash)
    run = bulk.run(write_jsonl(tmp_path / "crash.jsonl", lines), tmp_path / "out", progress=None)
    results = [json.loads(x) for x in run.results_path.read_text("utf-8").splitlines()]
    assert_accounted(results, run.report, set(range(1, 31)))
    assert [(e["line"], e["code"]) for e in run.report["errors"]] == [(12, "processing_failed")]
    assert seen[("digest", 12)] == 3  # retried by SQS up to bulk_max_receives, then recorded
    assert seen[("written", 5)] == 2 and seen[("digested", 21)] == 2  # the crashed ones ran again ...
    assert seen[("counted", 9)] == 1  # ... or found their count done (and stopped before loading)
    assert (run.status.succeeded, run.status.failed) == (29, 1)  # ... and were counted once


def test_message_that_never_finishes_is_recorded_from_the_dead_letter_queue(
    make_bulk: MakeBulk, tmp_path: Path
) -> None:
    sentences = seed_sentences(3)
    lines = [json.dumps({"id": f"x{i}", "text": s}, ensure_ascii=False) for i, s in enumerate(sentences)]

    def crash(stage: str, msg: WorkMessage) -> None:
        if msg.index == 2 and stage == "loaded":
            raise RuntimeError("killed")

    # The worker would record it on its 5th receive, but the queue gives up after 3: the DLQ has it.
    bulk = make_bulk(fault=crash, bulk_max_receives=5)
    run = bulk.run(write_jsonl(tmp_path / "dl.jsonl", lines), tmp_path / "out", progress=None)
    assert [(e["line"], e["code"]) for e in run.report["errors"]] == [(2, "dead_letter")]
    assert run.report["succeeded"] == 2


def test_zip_with_traversal_names_and_bombs(make_bulk: MakeBulk, tmp_path: Path, s3: Any) -> None:
    sentences = seed_sentences(4)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good/one.txt", sentences[0])
        zf.writestr("two.html", f"<p>{sentences[1]}</p>")
        zf.writestr("../../outside.txt", sentences[2])
        zf.writestr("/etc/cron.txt", sentences[2])
        zf.writestr("C:\\windows.txt", sentences[2])
        zf.writestr("inner.zip", b"PK\x03\x04")
        zf.writestr("bomb.txt", b"\x00" * (8 << 20))
    path = tmp_path / "batch.zip"
    path.write_bytes(buf.getvalue())
    bulk = make_bulk()
    run = bulk.run(path, tmp_path / "out", progress=None)
    results = [json.loads(x) for x in run.results_path.read_text("utf-8").splitlines()]
    assert_accounted(results, run.report, set(range(1, 8)))
    assert [r["ref"] for r in results] == ["good/one", "two"]
    assert [(e["line"], e["code"]) for e in run.report["errors"]] == [
        (3, "unsafe_name"),
        (4, "unsafe_name"),
        (5, "unsafe_name"),
        (6, "nested_archive"),
        (7, "zip_bomb"),
    ]
    prefix = f"results/{run.job_id}/"
    assert all(k.startswith(prefix) for k in all_keys(s3, str(bulk.settings.results_bucket)))
    assert all_keys(s3, str(bulk.settings.input_bucket)) == ["incoming/batch.zip"]

    # A bomb of many innocent-looking entries stops at the decompressed cap.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(40):
            zf.writestr(f"{i}.txt", (sentences[i % 4] + "\n") * 40)
    path = tmp_path / "many.zip"
    path.write_bytes(buf.getvalue())
    bulk = make_bulk(bulk_max_decompressed_bytes=60_000)
    run = bulk.run(path, tmp_path / "out2", progress=None)
    codes = [e["code"] for e in run.report["errors"]]
    assert codes == ["decompressed_too_large"]
    assert 0 < run.report["succeeded"] < 40


def test_file_level_refusal_still_gives_a_report(make_bulk: MakeBulk, tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4")
    bulk = make_bulk()
    event = bulk.upload(path)
    event["Records"][0]["s3"]["object"]["key"] = "incoming/notes.pdf"
    (split,) = bulk.splitter.handle_event(event)
    results, report = outputs(bulk, split.job_id)
    assert results == [] and report["total"] == 1
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(0, "unsupported_format")]


def test_gzip_jsonl_and_url_encoded_key(make_bulk: MakeBulk, tmp_path: Path) -> None:
    import gzip

    sentences = seed_sentences(3)
    data = "".join(
        json.dumps({"id": f"g{i}", "text": s}, ensure_ascii=False) + "\n" for i, s in enumerate(sentences)
    )
    path = tmp_path / "my news.jsonl.gz"
    path.write_bytes(gzip.compress(data.encode()))
    bulk = make_bulk()
    event = bulk.upload(path)
    assert event["Records"][0]["s3"]["object"]["key"] == "incoming/my+news.jsonl.gz"
    (split,) = bulk.splitter.handle_event(event)
    bulk.drain([split.job_id])
    results, report = outputs(bulk, split.job_id)
    assert_accounted(results, report, {1, 2, 3})
    assert report["failed"] == 0 and report["source"]["key"] == "incoming/my news.jsonl.gz"


def test_submit_single_result_is_findable(make_bulk: MakeBulk, bulk_env: BulkEnv) -> None:
    from tarjama.bulk.submit import submit_single

    bulk = make_bulk()
    job = submit_single(bulk.settings, text=" ".join(seed_sentences(3)), ref="long-1", jobs=bulk.jobs)
    assert type(job) is str and job.startswith("j_")
    status = bulk.jobs.get(job)
    assert status is not None and status.kind == "single" and status.state == "running" and status.total == 1
    bulk.drain([job])
    status = bulk.jobs.get(job)
    assert (
        status is not None
        and status.state == "done"
        and status.result_id
        and status.result_id.startswith("a_")
    )
    cached = build_digester(bulk_env.cache_settings).ports.cache
    assert cached is not None and cached.get(status.result_id) is not None

    bad = submit_single(bulk.settings, text="English only, no Arabic here at all.", ref="x", jobs=bulk.jobs)
    bulk.drain([bad])
    status = bulk.jobs.get(bad)
    assert status is not None and status.status == "failed" and status.errors[0]["code"] == "not_arabic"


def test_a_repeated_upload_event_finishes_a_job_left_open(make_bulk: MakeBulk, s3: Any) -> None:
    """A job whose every article is counted but that nobody finished (the split failed after its count,
    and S3 sends the event again): the repeated event does not split again, it finishes the job."""
    from tarjama.bulk.split import results_location

    bulk = make_bulk()
    bucket, key = str(bulk.settings.input_bucket), "incoming/open.jsonl"
    job = keys.job_id_for_upload(bucket, key, "v1")
    results = str(bulk.settings.results_bucket)
    source = {"bucket": bucket, "key": key, "version": "v1"}
    location = results_location(job, results)
    assert bulk.jobs.create(job, kind="bulk", state="running", total=1, results=location, source=source)
    item = {"line": 1, "id": "a", "ok": False, "error": {"code": "not_arabic", "reason": "Not Arabic."}}
    s3.put_object(Bucket=results, Key=keys.item_key(job, 1, "a"), Body=json.dumps(item).encode())
    assert bulk.jobs.count(job, 1, "failed")
    assert bulk.jobs.get(job).state == "running"  # type: ignore[union-attr]

    again = bulk.splitter.split(bucket, key, version="v1")
    assert again.skipped and not again.created and again.job_id == job
    status = bulk.jobs.get(job)
    assert status is not None and status.state == "done"
    _, report = outputs(bulk, job)
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(1, "not_arabic")]
