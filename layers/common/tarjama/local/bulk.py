"""`tarjama bulk FILE`: the whole split -> queue -> worker path on one machine, against a local endpoint.

The same code as in Lambda: the file is uploaded to the input bucket, the split runs on a real-shaped S3
event, and the queue is drained in-process by receiving messages and handing them to the worker as SQS
events (`tarjama.local.poller`: failures go back to the queue at once, dead letters are recorded). With
no endpoint configured (`AWS_ENDPOINT_URL`), moto's server is started on loopback for the run.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tarjama.bulk import keys
from tarjama.bulk.report import build_finalizer
from tarjama.bulk.split import Splitter, uploads_in
from tarjama.bulk.worker import FaultHook, Worker
from tarjama.config import Settings
from tarjama.errors import StoreUnavailableError
from tarjama.local.account import LOCAL_ACCOUNT, LOCAL_NAMES, LOCAL_QUEUE, region
from tarjama.local.endpoint import local_endpoint
from tarjama.local.events import invocation_failure_record, s3_put_event
from tarjama.local.poller import QueuePoller
from tarjama.pipeline import Digester
from tarjama.service import build_digester
from tarjama.store.jobs import TERMINAL, JobStatus, JobStore
from tarjama.text.glossary_file import Glossary

SPLIT_ATTEMPTS = 3  # Lambda's asynchronous invocation: the first try and MaximumRetryAttempts (2)
log = logging.getLogger("tarjama.local")


@dataclass(frozen=True)
class LocalRun:
    job_id: str
    status: JobStatus
    report: dict[str, Any]
    results_path: Path
    report_path: Path
    rounds: int


class Progress:
    """The job's progress for people (tqdm on `stream`): articles accounted for out of the total, once the
    split knows it, with the successes and failures so far."""

    def __init__(self, stream: TextIO) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=None, file=stream, unit=" articles", desc="splitting", dynamic_ncols=True)

    def update(self, status: JobStatus | None) -> None:
        if status is None:
            return
        if status.total is not None and self._bar.total != status.total:
            self._bar.total = status.total
        self._bar.set_description(status.state, refresh=False)
        self._bar.set_postfix(ok=status.succeeded, failed=status.failed, refresh=False)
        self._bar.n = status.succeeded + status.failed
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


class LocalBulk:
    """Splitter + worker + queue drain, wired on one endpoint. Tests build it with their own resources."""

    def __init__(
        self,
        settings: Settings,
        *,
        s3: Any,
        sqs: Any,
        dynamodb: Any,
        dead_letter_url: str | None = None,
        digester: Digester | None = None,
        fault: FaultHook | None = None,
        glossary: Glossary | None = None,
        events: Any = None,
    ) -> None:
        if not (settings.queue_url and settings.results_bucket and settings.input_bucket and settings.table):
            raise ValueError("the local bulk run needs table, buckets and queue in its settings")
        self.settings = settings
        self.s3 = s3
        self.sqs = sqs
        self.jobs = JobStore.from_settings(settings, dynamodb)
        finalizer = build_finalizer(settings, s3, self.jobs, sqs, events)
        self.splitter = Splitter(settings, s3=s3, sqs=sqs, jobs=self.jobs, finalizer=finalizer)
        self.poller = QueuePoller(
            sqs, settings.queue_url, self._work, dead_letter_url=dead_letter_url, visibility_seconds=60
        )
        dead_letter_arn = self.poller.queues[1][1] if dead_letter_url else None
        self.worker = Worker(
            settings,
            s3=s3,
            jobs=self.jobs,
            finalizer=finalizer,
            digester=digester,
            digester_factory=(lambda s: build_digester(s, glossary=glossary)) if glossary else None,
            fault=fault,
            dead_letter_arn=dead_letter_arn,
        )

    def _work(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return self.worker.handle_event(event, context)

    def upload(self, path: Path, name: str | None = None) -> dict[str, Any]:
        """Upload to `incoming/` and return the S3 event Lambda would get."""
        key = keys.INCOMING_PREFIX + (name or path.name)
        bucket = str(self.settings.input_bucket)
        self.s3.upload_file(str(path), bucket, key)
        head = self.s3.head_object(Bucket=bucket, Key=key)
        return s3_put_event(bucket, key, size=int(head["ContentLength"]), etag=str(head["ETag"]))

    def split(self, event: dict[str, Any]) -> list[str]:
        """The split as S3 invokes it in Lambda, asynchronously: tried `SPLIT_ATTEMPTS` times; when every try
        raises, the on-failure record goes to the work queue (the template's EventInvokeConfig), where the
        worker ends the job `failed` (`split_failed`). Returns the event's job ids."""
        for attempt in range(1, SPLIT_ATTEMPTS + 1):
            try:
                return [r.job_id for r in self.splitter.handle_event(event)]
            except Exception as exc:
                log.warning("split failed (%s), attempt %d", type(exc).__name__, attempt)
                error = exc
        arn = f"arn:aws:lambda:{region()}:{LOCAL_ACCOUNT}:function:BulkSplitFunction"
        record = invocation_failure_record(event, error, attempts=SPLIT_ATTEMPTS, function_arn=arn)
        self.sqs.send_message(QueueUrl=str(self.settings.queue_url), MessageBody=json.dumps(record))
        return [u.job_id for u in uploads_in(event)]

    def drain_once(self) -> int:
        """One receive -> one worker batch; returns how many messages it handled (0: queues empty)."""
        return self.poller.poll_once()

    def drain(
        self,
        job_ids: list[str],
        *,
        max_rounds: int = 100_000,
        max_idle: int = 40,
        progress: TextIO | None = None,
    ) -> int:
        """Run the worker until every job is done (bounded by rounds and by idle polls); returns rounds."""
        bar = Progress(progress) if progress is not None else None
        try:
            return self._drain(job_ids, max_rounds, max_idle, bar)
        finally:
            if bar is not None:
                bar.close()

    def _drain(self, job_ids: list[str], max_rounds: int, max_idle: int, bar: Progress | None) -> int:
        idle = 0
        for rounds in range(1, max_rounds + 1):
            statuses = [self.jobs.get(j) for j in job_ids]
            if bar is not None and statuses:
                bar.update(statuses[0])
            if all(s is not None and s.state in TERMINAL for s in statuses):
                return rounds
            if self.drain_once():
                idle = 0
                continue
            idle += 1
            if idle > max_idle:
                raise RuntimeError(
                    f"the queue is empty but jobs are not done: {[s and s.state for s in statuses]}"
                )
            time.sleep(0.05 * min(idle, 10))
        raise RuntimeError(f"jobs not done after {max_rounds} rounds")

    def run(self, path: Path, out: Path, *, progress: TextIO | None = sys.stderr) -> LocalRun:
        event = self.upload(path)
        job_id = self.split(event)[0]
        rounds = self.drain([job_id], progress=progress)
        status = self.jobs.get(job_id)
        assert status is not None
        if status.state == "failed":
            reason = status.errors[0].get("message") if status.errors else "its results could not be written"
            raise StoreUnavailableError(f"Job {job_id} failed: {reason}", details={"job": job_id})
        out.mkdir(parents=True, exist_ok=True)
        results_path, report_path = out / "results.jsonl", out / "report.json"
        bucket = str(self.settings.results_bucket)
        self.s3.download_file(bucket, keys.results_key(job_id), str(results_path))
        self.s3.download_file(bucket, keys.report_key(job_id), str(report_path))
        report = json.loads(report_path.read_text(encoding="utf-8"))
        return LocalRun(job_id, status, report, results_path, report_path, rounds)


def run_local(
    path: Path,
    out: Path,
    *,
    settings: Settings | None = None,
    digester: Digester | None = None,
    progress: TextIO | None = sys.stderr,
    glossary: Glossary | None = None,
) -> LocalRun:
    """`tarjama bulk`: on the configured endpoint, or on a moto server started for this run."""
    import boto3

    from tarjama.local.resources import create_bare_resources, create_local_resources

    base = settings or Settings.from_env()
    with local_endpoint(os.environ.get("AWS_ENDPOINT_URL")):
        names = {k: getattr(base, k) or v for k, v in LOCAL_NAMES.items()}
        queue_name = base.queue_url.rstrip("/").rsplit("/", 1)[-1] if base.queue_url else LOCAL_QUEUE
        try:
            resources = create_local_resources(
                base.model_copy(update={**names, "queue_url": None}), queue_name=queue_name
            )
            queue_url, dlq_url = resources.queue_url, resources.dead_letter_queue_url
        except FileNotFoundError:  # run outside a checkout: no template.yaml to read the layout from
            queue_url, dlq_url = create_bare_resources(names, queue_name)
        run_settings = base.model_copy(update={**names, "queue_url": queue_url})
        bulk = LocalBulk(
            run_settings,
            s3=boto3.client("s3"),
            sqs=boto3.client("sqs"),
            dynamodb=boto3.client("dynamodb"),
            dead_letter_url=dlq_url,
            digester=digester,
            glossary=glossary,
            events=boto3.client("events"),
        )
        return bulk.run(path, out, progress=progress)
