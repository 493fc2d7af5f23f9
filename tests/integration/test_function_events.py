"""Every function of template.yaml through `tarjama invoke`, with the sample events of events/ and with
SAM CLI's own generated events (events/sam/), in a shell with no AWS region set (Lambda sets one; so must
`invoke`), against the local AWS endpoint and tiny models.

events/sam/ was written by SAM CLI 1.170.0 (`.tools/bin/sam local generate-event ...`), never edited:
  apigateway aws-proxy --method POST --path v1/digests --resource /v1/digests
      --body '{"text": ..., "ref": "sam-1"}'
  apigateway aws-proxy --method GET --path v1/health --resource /v1/health --body ''
  s3 put --bucket tarjama-local-input --key incoming/sam-news.jsonl
  sqs receive-message --queue-name tarjama-local-work --body <a work message, JSON-escaped: SAM pastes it raw>
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import urllib.parse
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from tarjama.bulk import keys
from tarjama.config import Settings
from tarjama.store.jobs import JobResults, JobStore

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
TARJAMA = Path(sys.executable).with_name("tarjama")
INPUT_BUCKET = "tarjama-local-input"  # the bucket every S3 sample event names
SENTENCES = [
    "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في جنيف.",
    "أعلنت الحكومة عن خطة جديدة لدعم المزارعين في المناطق الريفية.",
    "ارتفعت أسعار النفط بعد قرار خفض الإنتاج.",
]


@dataclass(frozen=True)
class Stack:
    settings: Settings
    env_file: Path
    env: dict[str, str]


@pytest.fixture
def stack(tmp_path: Path, tiny_model_dir: Path, aws_endpoint: str) -> Iterator[Stack]:
    """A fresh table, results bucket and queue, the events' input bucket, and `invoke`'s environment: the
    local endpoint and its credentials, but no region and no TARJAMA_ variable (those come from the file)."""
    from tarjama.local.resources import create_local_resources

    suffix = uuid.uuid4().hex[:8]
    settings = Settings(
        table=f"fe-{suffix}", results_bucket=f"fe-results-{suffix}", input_bucket=INPUT_BUCKET
    )
    created = create_local_resources(settings, queue_name=f"fe-work-{suffix}")
    settings = settings.model_copy(update={"queue_url": created.queue_url})
    models = {"TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_MODELS": "tiny", "TARJAMA_THREADS": "1"}
    overrides = {
        "Parameters": {
            "TARJAMA_TABLE": str(settings.table),
            "TARJAMA_RESULTS_BUCKET": str(settings.results_bucket),
            "TARJAMA_INPUT_BUCKET": INPUT_BUCKET,
            "TARJAMA_QUEUE_URL": str(settings.queue_url),
            "TARJAMA_SUMMARY": "extractive",
        },
        "ApiFunction": models,
        "WorkerFunction": models,
    }
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps(overrides), encoding="utf-8")
    drop = {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TARJAMA_")}
    yield Stack(settings, env_file, env)
    s3 = boto3.client("s3")
    for obj in s3.list_objects_v2(Bucket=INPUT_BUCKET).get("Contents", []):
        s3.delete_object(Bucket=INPUT_BUCKET, Key=obj["Key"])


def invoke(stack: Stack, function: str, event: str) -> dict[str, Any]:
    run = subprocess.run(
        [str(TARJAMA), "invoke", function, "--event", f"events/{event}", "--env-vars", str(stack.env_file)],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    response: dict[str, Any] = json.loads(run.stdout)  # stdout is the response alone
    return response


def test_the_shell_has_no_region(stack: Stack) -> None:
    """What the tests below rely on: boto3 alone would find no region here."""
    assert not {"AWS_REGION", "AWS_DEFAULT_REGION"} & set(stack.env)
    assert stack.env["AWS_ENDPOINT_URL"]


@pytest.mark.parametrize("event", ["sam/api_post_digest.json", "api_post_digest.json"])
def test_api_digest_event(stack: Stack, event: str) -> None:
    response = invoke(stack, "ApiFunction", event)
    assert response["statusCode"] == 200, response["body"][:500]
    body = json.loads(response["body"])
    assert body["translation"]["sentences"] and body["models"]["translation"]["kind"] == "tiny"
    if event.startswith("sam/"):
        assert body["ref"] == "sam-1"  # SAM's event carries the body base64-encoded: decoded on the way


def test_api_health_event_from_sam(stack: Stack) -> None:
    response = invoke(stack, "ApiFunction", "sam/api_get_health.json")
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"


def _upload_for(event_name: str) -> tuple[str, int]:
    """Put, at the key the S3 event names, a file of that format; returns the key and its article count."""
    record = json.loads((EVENTS / event_name).read_text(encoding="utf-8"))["Records"][0]["s3"]
    assert record["bucket"]["name"] == INPUT_BUCKET
    key = urllib.parse.unquote_plus(record["object"]["key"])
    lines = "".join(
        json.dumps({"id": f"n{i}", "text": s}, ensure_ascii=False) + "\n" for i, s in enumerate(SENTENCES)
    ).encode()
    if key.endswith(".gz"):
        body = gzip.compress(lines)
    elif key.endswith(".zip"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for i, sentence in enumerate(SENTENCES):
                zf.writestr(f"{i}.txt", sentence)
        body = buf.getvalue()
    else:
        body = lines
    boto3.client("s3").put_object(Bucket=INPUT_BUCKET, Key=key, Body=body)
    return key, len(SENTENCES)


@pytest.mark.parametrize(
    "event", ["s3_put_jsonl.json", "s3_put_jsonl_gz.json", "s3_put_zip.json", "sam/s3_put.json"]
)
def test_s3_put_event_splits_the_upload_into_the_queue(stack: Stack, event: str) -> None:
    key, count = _upload_for(event)
    response = invoke(stack, "BulkSplitFunction", event)
    (job,) = response["jobs"]
    assert job["created"] and (job["total"], job["queued"]) == (count, count)
    status = JobStore.from_settings(stack.settings, boto3.client("dynamodb")).get(job["job"])
    assert status is not None and status.source is not None and status.source["key"] == key
    attrs = boto3.client("sqs").get_queue_attributes(
        QueueUrl=str(stack.settings.queue_url), AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == str(count)


@pytest.mark.parametrize("event", ["sqs_work_batch.json", "sam/sqs_receive_message.json"])
def test_sqs_event_is_digested_counted_and_finished(stack: Stack, event: str) -> None:
    records = json.loads((EVENTS / event).read_text(encoding="utf-8"))["Records"]
    bodies = [json.loads(r["body"]) for r in records]
    (job_id,) = {b["job"] for b in bodies}
    jobs = JobStore.from_settings(stack.settings, boto3.client("dynamodb"))
    results = JobResults(
        bucket=stack.settings.results_bucket,
        prefix=keys.job_prefix(job_id),
        results_key=keys.results_key(job_id),
        report_key=keys.report_key(job_id),
    )
    jobs.create(job_id, kind="bulk", state="running", total=len(bodies), results=results)
    response = invoke(stack, "WorkerFunction", event)
    assert response == {"batchItemFailures": []}
    status = jobs.get(job_id)
    assert status is not None and (status.state, status.succeeded, status.failed) == ("done", len(bodies), 0)
    obj = boto3.client("s3").get_object(Bucket=str(stack.settings.results_bucket), Key=results.results_key)
    lines = [json.loads(line) for line in obj["Body"].read().decode().splitlines()]
    assert [line["ref"] for line in lines] == [b["id"] for b in bodies]


def test_sqs_event_with_the_split_failure_record_ends_the_job_failed(stack: Stack) -> None:
    """Lambda's on-failure record of an upload the split gave up on, as the worker receives it from the
    work queue: the upload's job (never created: the split died first) is created `failed`."""
    record = json.loads((EVENTS / "sqs_split_failed.json").read_text(encoding="utf-8"))["Records"][0]
    s3 = json.loads(record["body"])["requestPayload"]["Records"][0]["s3"]
    key = urllib.parse.unquote_plus(s3["object"]["key"])
    job_id = keys.job_id_for_upload(s3["bucket"]["name"], key, s3["object"]["eTag"])
    response = invoke(stack, "WorkerFunction", "sqs_split_failed.json")
    assert response == {"batchItemFailures": []}
    status = JobStore.from_settings(stack.settings, boto3.client("dynamodb")).get(job_id)
    assert status is not None and (status.state, status.errors[0]["code"]) == ("failed", "split_failed")
    assert status.source is not None and status.source["key"] == key
