"""Lambda's SQS event source, locally: one poller for `serve`, `bulk` and the tests, dead letters included.

Like the event source mapping: receive a batch, invoke the handler with an SQS event, delete the records
that succeeded and leave the `batchItemFailures` to be received again (made visible at once: locally there
is no reason to wait out the visibility timeout, and SQS still counts the receive toward the redrive). When
the work queue is empty, the dead-letter queue is drained through the same handler with the DLQ's ARN as
the records' source, as the template maps the DLQ to the worker too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from tarjama.local.events import sqs_event

Handler = Callable[[dict[str, Any], Any], Any]

log = logging.getLogger("tarjama.local")


class QueuePoller:
    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Handler,
        *,
        dead_letter_url: str | None = None,
        context_factory: Callable[[], Any] = lambda: None,
        batch: int = 10,
        visibility_seconds: int = 60,
        wait_seconds: int = 0,
    ) -> None:
        self.sqs = sqs
        self.handler = handler
        self.context_factory = context_factory
        self.batch = batch
        self.visibility_seconds = visibility_seconds
        self.wait_seconds = wait_seconds
        self.queues = [(queue_url, self._arn(queue_url))]
        if dead_letter_url:
            self.queues.append((dead_letter_url, self._arn(dead_letter_url)))

    def _arn(self, url: str) -> str:
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        return str(attrs["QueueArn"])

    def _receive(self, url: str) -> list[dict[str, Any]]:
        resp = self.sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=self.batch,
            WaitTimeSeconds=self.wait_seconds,
            VisibilityTimeout=self.visibility_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        return list(resp.get("Messages", []))

    def poll_once(self) -> int:
        """One receive -> one handler call; returns how many messages it handled (0: the queues are empty)."""
        for url, arn in self.queues:
            messages = self._receive(url)
            if messages:
                self._deliver(url, arn, messages)
                return len(messages)
        return 0

    def _deliver(self, url: str, arn: str, messages: list[dict[str, Any]]) -> None:
        try:
            response = self.handler(sqs_event(messages, arn), self.context_factory()) or {}
            failed = {f.get("itemIdentifier") for f in response.get("batchItemFailures") or []}
        except Exception as exc:  # the whole batch failed: every message comes back
            log.warning("handler failed (%s); the batch returns to the queue", type(exc).__name__)
            failed = {m["MessageId"] for m in messages}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        for m in messages:
            if m["MessageId"] in failed:  # what the visibility timeout would do, without the wait
                self.sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0
                )

    def run(self, stopping: threading.Event, idle_wait: float = 1.0) -> None:
        """Poll until `stopping` is set (a background thread of `tarjama serve`)."""
        while not stopping.is_set():
            try:
                handled = self.poll_once()
            except Exception as exc:  # the endpoint went away or refused: try again shortly
                log.warning("queue poll failed (%s); retrying", type(exc).__name__)
                stopping.wait(2.0)
                continue
            if not handled:
                stopping.wait(idle_wait)

    def start(self, stopping: threading.Event) -> threading.Thread:
        thread = threading.Thread(target=self.run, args=(stopping,), name="tarjama-queue-poller", daemon=True)
        thread.start()
        return thread
