"""The worker: one SQS message = one article -> digest (cache first) -> result -> count -> maybe finish.

The order makes a crash at any point safe:

1. already counted? (the article's marker exists) -> nothing to do but help finish the job;
2. digest; an error the registry calls permanent (`not_arabic`, `too_large`, ...) is the article's outcome,
   recorded at once; anything else raises so SQS retries, until the last receive (`bulk_max_receives`),
   where it is recorded as `processing_failed`;
3. write `results/<job>/items/<index>-<id>.json` (deterministic key: a retry overwrites, never duplicates);
4. count: marker + counter in one transaction (a redelivered message is not counted twice);
5. the worker whose count completes the job claims and writes the final files.

A message deleted from the queue therefore always has its outcome object and its count; a message not
deleted is delivered again and finds its work done or redoes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import ValidationError

from tarjama.bulk import keys
from tarjama.bulk import limits as L
from tarjama.bulk.messages import WorkMessage, finalize_message, load_message
from tarjama.bulk.report import Finalizer, build_finalizer
from tarjama.bulk.split_failures import SplitFailures, invocation_record
from tarjama.config import Settings
from tarjama.errors import TarjamaError
from tarjama.observability import emit_metric, get_logger
from tarjama.pipeline import Digester
from tarjama.result import DigestOptions
from tarjama.store.jobs import JobStore, Outcome

logger = get_logger()

FaultHook = Callable[[str, WorkMessage], None]
"""Called at each stage (`loaded`, `digest`, `digested`, `written`, `counted`); tests raise in it."""


def is_permanent(exc: TarjamaError) -> bool:
    """The article itself is the problem (retrying cannot help): the error registry says so, per code."""
    return not exc.retryable


class Worker:
    def __init__(
        self,
        settings: Settings,
        *,
        s3: Any,
        jobs: JobStore,
        finalizer: Finalizer,
        digester: Digester | None = None,
        digester_factory: Callable[[Settings], Digester] | None = None,
        fault: FaultHook | None = None,
        dead_letter_arn: str | None = None,
    ) -> None:
        if not settings.results_bucket:
            raise ValueError("the worker needs settings.results_bucket")
        self.settings = settings
        self._s3 = s3
        self._bucket = settings.results_bucket
        self._jobs = jobs
        self._finalizer = finalizer
        self._split_failures = SplitFailures(jobs, finalizer, settings.results_bucket)
        self._digester = digester
        self._factory = digester_factory
        self._fault = fault
        self.dead_letter_arn = dead_letter_arn

    @property
    def digester(self) -> Digester:
        if self._digester is None:
            if self._factory is None:
                from tarjama.service import build_digester

                self._factory = build_digester
            self._digester = self._factory(self.settings)
        return self._digester

    def _hook(self, stage: str, msg: WorkMessage) -> None:
        if self._fault is not None:
            self._fault(stage, msg)

    # one record -----------------------------------------------------------------------------------

    def process(self, body: str, *, message_id: str, receive_count: int = 1) -> str:
        """Handle one message; returns the outcome (`succeeded`, `failed`, `duplicate`, `dropped`)."""
        try:
            msg = load_message(body, self._s3, self._bucket)
        except ValidationError:
            # Not one of ours: nothing to count it against. Dropped (logged) rather than retried forever.
            logger.error("unreadable work message dropped", extra={"message_id": message_id})
            emit_metric("BulkMessagesDropped")
            return "dropped"
        if self._jobs.is_counted(msg.job, msg.index):
            logger.info("already counted", extra={"job": msg.job, "index": msg.index})
            self._finalizer.maybe_finalize(msg.job, claimant=message_id)
            return "duplicate"
        self._hook("loaded", msg)
        item: dict[str, Any] = {"line": msg.index, "id": msg.id}
        result_id: str | None = None
        error: dict[str, Any] | None = None
        last = receive_count >= self.settings.bulk_max_receives
        try:
            options = DigestOptions.model_validate(msg.options) if msg.options else None
            self._hook("digest", msg)  # inside: a fault here is the digest failing, not the worker dying
            result = self.digester.digest(msg.text or "", fmt=msg.fmt, options=options, ref=msg.id)
        except TarjamaError as exc:
            if not (is_permanent(exc) or last):
                logger.warning(
                    "retryable error", extra={"job": msg.job, "index": msg.index, "code": exc.code}
                )
                raise
            error = {"code": exc.code, "reason": exc.message}
        except ValidationError as exc:  # options that passed the split but not this version's schema
            error = {"code": L.INVALID_OPTIONS, "reason": str(exc.errors()[0]["msg"])}
        except Exception as exc:
            if not last:
                logger.warning(
                    "article failed; SQS will retry",
                    extra={
                        "job": msg.job,
                        "index": msg.index,
                        "error": type(exc).__name__,
                        "attempt": receive_count,
                    },
                )
                raise
            error = {
                "code": L.PROCESSING_FAILED,
                "reason": f"{type(exc).__name__} on each of {receive_count} attempts.",
            }
        else:
            item.update(ok=True, result=result.model_dump(mode="json"))
            result_id = result.id
        self._hook("digested", msg)
        if error is not None:
            item.update(ok=False, error=error)
        self._s3.put_object(
            Bucket=self._bucket,
            Key=keys.item_key(msg.job, msg.index, msg.id),
            Body=json.dumps(item, ensure_ascii=False).encode("utf-8"),
            ContentType="application/json",
        )
        self._hook("written", msg)
        outcome: Outcome = "succeeded" if error is None else "failed"
        counted = self._jobs.count(
            msg.job,
            msg.index,
            outcome,
            result_id=result_id if msg.single else None,
            error={"code": error["code"], "message": error["reason"]} if (msg.single and error) else None,
        )
        self._hook("counted", msg)
        emit_metric(f"BulkArticles{outcome.capitalize()}")
        logger.info(
            "article done",
            extra={"job": msg.job, "index": msg.index, "outcome": outcome, "code": (error or {}).get("code")},
        )
        self._finalizer.maybe_finalize(msg.job, claimant=message_id)
        return outcome if counted else "duplicate"

    def record_dead_letter(self, body: str, *, message_id: str) -> str:
        """A message SQS gave up on (it reached the DLQ without its outcome recorded): record it failed."""
        try:
            msg = WorkMessage.model_validate_json(body)
        except ValidationError:
            logger.error("unreadable dead letter dropped", extra={"message_id": message_id})
            return "dropped"
        if self._jobs.is_counted(msg.job, msg.index):
            self._finalizer.maybe_finalize(msg.job, claimant=message_id)
            return "duplicate"
        reason = f"Gave up after {self.settings.bulk_max_receives} deliveries (the worker never finished it)."
        item = {
            "line": msg.index,
            "id": msg.id,
            "ok": False,
            "error": {"code": L.DEAD_LETTER, "reason": reason},
        }
        self._s3.put_object(
            Bucket=self._bucket,
            Key=keys.item_key(msg.job, msg.index, msg.id),
            Body=json.dumps(item, ensure_ascii=False).encode("utf-8"),
            ContentType="application/json",
        )
        error = {"code": L.DEAD_LETTER, "message": reason} if msg.single else None
        counted = self._jobs.count(msg.job, msg.index, "failed", error=error)
        emit_metric("BulkDeadLetters")
        self._finalizer.maybe_finalize(msg.job, claimant=message_id)
        return "failed" if counted else "duplicate"

    # a batch --------------------------------------------------------------------------------------

    def _record(self, record: SQSRecord) -> str:
        retry = finalize_message(record.body)
        if retry is not None:  # a delayed retry of a job's final files (see tarjama.bulk.report)
            done = self._finalizer.maybe_finalize(retry.finalize, claimant=f"retry:{record.message_id}")
            return "finalized" if done else "finalize_pending"
        if invocation_record(record.body):  # the split Lambda gave up on an upload (EventInvokeConfig)
            return self._split_failures.record(record.body, message_id=record.message_id)
        if self.dead_letter_arn and record.event_source_arn == self.dead_letter_arn:
            return self.record_dead_letter(record.body, message_id=record.message_id)
        count = int(record.attributes.approximate_receive_count or 1)
        return self.process(record.body, message_id=record.message_id, receive_count=count)

    def handle_event(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """An SQS batch; returns `batchItemFailures` for the records to retry (ReportBatchItemFailures)."""
        processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
        response = process_partial_response(
            event=event, record_handler=self._record, processor=processor, context=context
        )
        return dict(response)


def build_worker(settings: Settings, *, dead_letter_arn: str | None = None) -> Worker:
    """The production wiring: patient clients on boto3's configured endpoint, the digester built lazily."""
    from tarjama.bulk.clients import events_client, s3_client, sqs_client

    s3 = s3_client()
    jobs = JobStore.from_settings(settings)
    return Worker(
        settings,
        s3=s3,
        jobs=jobs,
        finalizer=build_finalizer(settings, s3, jobs, sqs_client(), events_client()),
        dead_letter_arn=dead_letter_arn,
    )
