"""Job state-change events, end to end on moto's server: a real EventBridge rule on the default bus that
delivers `Digest Job State Change` events to an SQS queue, and the test reading them from that queue."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import boto3
from tarjama.bulk import keys
from tarjama.bulk.submit import submit_single
from tarjama.local.bulk import LocalBulk

from tests.plugins.bulk import events_of, seed_sentences, write_jsonl


def test_a_finished_bulk_upload_is_announced(bulk: LocalBulk, event_queue: str, tmp_path: Path) -> None:
    sentences = seed_sentences(2)
    lines = [
        json.dumps({"id": "a", "text": sentences[0]}, ensure_ascii=False),
        json.dumps({"id": "b", "text": "The minister said talks would resume next week."}),
        json.dumps({"id": "c", "text": sentences[1]}, ensure_ascii=False),
    ]
    run = bulk.run(write_jsonl(tmp_path / "ev.jsonl", lines), tmp_path / "out", progress=None)
    (event,) = events_of(event_queue, run.job_id)
    assert (event["source"], event["detail-type"]) == ("tarjama", "Digest Job State Change")
    detail = event["detail"]
    assert (detail["kind"], detail["state"], detail["status"]) == ("bulk", "done", "done")
    assert (detail["total"], detail["succeeded"], detail["failed"]) == (3, 2, 1)
    assert detail["error_summary"] == {"not_arabic": 1}
    assert detail["error"] is None
    assert detail["results"]["results_key"] == keys.results_key(run.job_id)
    assert detail["results"]["report_key"] == keys.report_key(run.job_id)
    assert detail["results"]["bucket"] == bulk.settings.results_bucket
    assert detail["source"]["key"] == "incoming/ev.jsonl"


def test_a_finished_api_job_is_announced(bulk: LocalBulk, event_queue: str) -> None:
    job = submit_single(bulk.settings, text=" ".join(seed_sentences(3)), ref="long-1", jobs=bulk.jobs)
    bulk.drain([job])
    (event,) = events_of(event_queue, job)
    detail = event["detail"]
    assert (detail["kind"], detail["state"], detail["total"], detail["succeeded"]) == ("single", "done", 1, 1)


def test_a_failed_job_is_announced_with_its_reason(bulk: LocalBulk, event_queue: str) -> None:
    """A job whose final files could not be written (the store's own transitions, as the finalizer makes
    them) is announced `failed` with the error."""
    from tarjama.bulk.events import JobEvents
    from tarjama.bulk.split import results_location

    job = "j_" + uuid.uuid4().hex
    location = results_location(job, bulk.settings.results_bucket)
    bulk.jobs.create(job, kind="bulk", state="running", total=1, results=location)
    assert bulk.jobs.count(job, 1, "succeeded")
    assert bulk.jobs.claim_finalize(job, "me")
    error = {"code": "finalize_failed", "message": "Writing the job's results failed (ClientError)."}
    assert bulk.jobs.release_finalize(job, "me", error) == 1
    assert bulk.jobs.mark_failed(job, error)
    status = bulk.jobs.get(job)
    assert status is not None
    assert JobEvents(boto3.client("events")).publish(status)
    (event,) = events_of(event_queue, job)
    detail = event["detail"]
    assert (detail["state"], detail["status"], detail["results"]) == ("failed", "failed", None)
    assert detail["error"] == error
