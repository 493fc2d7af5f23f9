"""The job record of a bulk file (or of one long API article) in DynamoDB, and its per-article markers.

Items (prefix `J#`, see `tarjama.store.keys`):

- `J#<job>`: the job: `state` (splitting -> running -> finalizing -> done, or `failed` when its final files
  could not be written after `bulk_finalize_attempts` tries or its split never finished; both terminal),
  `total` (set when the split ends), counters `succeeded` / `failed` (ADDed by workers) and `rejected`
  (SET once by the split), times, where the results are, its `error` when it failed, and for a job of one
  its `result_id`.
- `J#<job>#I#<index>`: the marker of one counted article. A worker puts it (condition: not there) in the
  same transaction that ADDs to the job's counter, so an article is counted exactly once however often SQS
  delivers its message, and a crash between "counted" and "marked" cannot happen.

Finishing is claimed, not assumed: the worker whose count completes the job moves `state` from `running`
to `finalizing` under a condition, so only one writes the results; a claim can be resumed by the same
message (redelivered after a crash) or taken over once it is stale. A claimant that fails to write the
files releases the claim (back to `running`, `finalize_attempts` + 1, `finalize_error`), so a retry can take
it; after the last attempt the job is marked `failed` with that error: no job ends in a non-terminal state.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from tarjama.config import Settings
from tarjama.store.keys import JOB_PREFIX, TTL_ATTRIBUTE, expires_at

JobKind = Literal["bulk", "single"]
JobState = Literal["splitting", "running", "finalizing", "done", "failed"]
TERMINAL: frozenset[str] = frozenset({"done", "failed"})
# The coarse view the API shows (`GET /v1/jobs/{id}`, the 202 answer): one definition for both.
JobStatusName = Literal["queued", "running", "done", "failed"]
Outcome = Literal["succeeded", "failed"]

_ser = TypeSerializer()
_de = TypeDeserializer()


def job_pk(job_id: str) -> str:
    return f"{JOB_PREFIX}{job_id}"


def marker_pk(job_id: str, index: int) -> str:
    return f"{JOB_PREFIX}{job_id}#I#{index}"


def now_iso(ts: float | None = None) -> str:
    return datetime.fromtimestamp(time.time() if ts is None else ts, UTC).isoformat(timespec="milliseconds")


class JobResults(BaseModel):
    """Where a finished job's files are (all under `prefix` in `bucket`)."""

    bucket: str | None
    prefix: str
    results_key: str
    report_key: str


class JobStatus(BaseModel):
    """A job as `GET /v1/jobs/{id}` shows it. `failed` includes articles refused by the split."""

    job_id: str
    kind: JobKind = "bulk"
    state: JobState
    status: JobStatusName = Field(
        description="Coarse view for the API: queued (splitting), running, done, failed (nothing succeeded)."
    )
    total: int | None = Field(None, description="Articles in the file; known once the split has finished.")
    succeeded: int = 0
    failed: int = 0
    rejected: int = Field(0, description="Of `failed`, those refused by the split (never queued).")
    done: int = Field(0, description="Articles that ended well (same as `succeeded`).")
    pending: int | None = None
    source: dict[str, str] | None = None
    results: JobResults | None = None
    result_id: str | None = Field(None, description="For a job of one: the result's id (`a_...`).")
    result_ids: list[str] = Field(default_factory=list)
    errors: list[dict[str, Any]] = Field(default_factory=list, description="For a job of one: its error.")
    created_at: str | None = None
    updated_at: str | None = None
    started: str | None = None
    split_finished: str | None = None
    finished: str | None = None

    @property
    def complete(self) -> bool:
        """Every article is accounted for (the split has ended and the counts reach the total)."""
        return self.total is not None and self.succeeded + self.failed >= self.total


def _status_of(item: Mapping[str, Any]) -> JobStatus:
    state: JobState = item.get("state", "running")
    total = int(item["total"]) if item.get("total") is not None else None
    worker_failed = int(item.get("failed", 0))
    rejected = int(item.get("rejected", 0))
    succeeded = int(item.get("succeeded", 0))
    failed = worker_failed + rejected
    status: JobStatusName
    if state == "splitting":
        status = "queued"
    elif state == "done":
        status = "failed" if succeeded == 0 and failed > 0 else "done"
    elif state == "failed":
        status = "failed"
    else:
        status = "running"
    results = item.get("results")
    error = item.get("error")
    result_id = item.get("result_id")
    return JobStatus(
        job_id=str(item["job_id"]),
        kind=item.get("kind", "bulk"),
        state=state,
        status=status,
        total=total,
        succeeded=succeeded,
        failed=failed,
        rejected=rejected,
        done=succeeded,
        pending=None if total is None else max(total - succeeded - failed, 0),
        source=dict(item["source"]) if item.get("source") else None,
        results=JobResults.model_validate(results) if results and state == "done" else None,
        result_id=result_id,
        result_ids=[result_id] if result_id else [],
        errors=[dict(error)] if error else [],
        created_at=item.get("started"),
        updated_at=item.get("updated"),
        started=item.get("started"),
        split_finished=item.get("split_finished"),
        finished=item.get("finished"),
    )


def _conditional_failed(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) == "ConditionalCheckFailedException"


class JobStore:
    """Job records on the one table. The client is passed in (tests give theirs); endpoints are boto3's."""

    def __init__(self, dynamodb: Any, table: str, *, ttl_seconds: int = 14 * 86400) -> None:
        self._db = dynamodb
        self._table = table
        self._ttl = ttl_seconds

    @classmethod
    def from_settings(cls, settings: Settings, dynamodb: Any = None) -> JobStore:
        if not settings.table:
            raise ValueError("JobStore needs settings.table")
        if dynamodb is None:
            from tarjama.store.clients import dynamodb_client, patient_config

            dynamodb = dynamodb_client(patient_config())
        return cls(dynamodb, settings.table, ttl_seconds=settings.bulk_job_ttl_days * 86400)

    # reading --------------------------------------------------------------------------------------

    def raw(self, job_id: str) -> dict[str, Any] | None:
        resp = self._db.get_item(
            TableName=self._table, Key={"pk": {"S": job_pk(job_id)}}, ConsistentRead=True
        )
        item = resp.get("Item")
        return None if item is None else {k: _de.deserialize(v) for k, v in item.items()}

    def get(self, job_id: str) -> JobStatus | None:
        """The job, or None when there is no such job (ids not starting `j_` are never looked up)."""
        if not job_id.startswith("j_") or len(job_id) > 80:
            return None
        item = self.raw(job_id)
        return None if item is None else _status_of(item)

    def is_counted(self, job_id: str, index: int) -> bool:
        resp = self._db.get_item(
            TableName=self._table,
            Key={"pk": {"S": marker_pk(job_id, index)}},
            ConsistentRead=True,
            ProjectionExpression="pk",
        )
        return "Item" in resp

    # writing --------------------------------------------------------------------------------------

    def create(
        self,
        job_id: str,
        *,
        kind: JobKind,
        state: JobState,
        results: JobResults,
        source: dict[str, str] | None = None,
        total: int | None = None,
        error: dict[str, Any] | None = None,
        now: float | None = None,
    ) -> bool:
        """Create the job unless it exists; False when it already did (a duplicate upload event). With
        `error`, the job is created ended (a split that died before creating it)."""
        ts = time.time() if now is None else now
        item: dict[str, Any] = {
            "pk": job_pk(job_id),
            "job_id": job_id,
            "kind": kind,
            "state": state,
            "succeeded": 0,
            "failed": 0,
            "rejected": 0,
            "started": now_iso(ts),
            "started_ts": int(ts * 1000),
            "updated": now_iso(ts),
            "results": results.model_dump(),
            TTL_ATTRIBUTE: expires_at(self._ttl, ts),
        }
        if source:
            item["source"] = source
        if total is not None:
            item["total"] = total
        if error is not None:
            item.update(error=error, finished=now_iso(ts))
        try:
            self._db.put_item(
                TableName=self._table,
                Item={k: _ser.serialize(v) for k, v in item.items() if v is not None},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def finish_split(self, job_id: str, *, total: int, rejected: int, now: float | None = None) -> JobStatus:
        """The split has read the whole file: set `total` and `rejected`, move to `running`. Idempotent."""
        ts = time.time() if now is None else now
        try:
            resp = self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": job_pk(job_id)}},
                UpdateExpression="SET #t = :t, rejected = :r, #s = :running, "
                "split_finished = :now, updated = :now",
                ConditionExpression="#s = :splitting",
                ExpressionAttributeNames={"#t": "total", "#s": "state"},
                ExpressionAttributeValues={
                    ":t": {"N": str(total)},
                    ":r": {"N": str(rejected)},
                    ":running": {"S": "running"},
                    ":splitting": {"S": "splitting"},
                    ":now": {"S": now_iso(ts)},
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            current = self.get(job_id)
            if current is None:
                raise
            return current
        return _status_of({k: _de.deserialize(v) for k, v in resp["Attributes"].items()})

    def count(
        self,
        job_id: str,
        index: int,
        outcome: Outcome,
        *,
        result_id: str | None = None,
        error: dict[str, Any] | None = None,
        attempts: int = 6,
        now: float | None = None,
    ) -> bool:
        """Count one article once: marker put + counter ADD in one transaction. False if already counted.

        `result_id` / `error` are stored on the job itself for jobs of one article (the API shows them).
        """
        ts = time.time() if now is None else now
        names: dict[str, str] = {"#o": outcome}
        values: dict[str, Any] = {":one": {"N": "1"}, ":now": {"S": now_iso(ts)}}
        update = "ADD #o :one SET updated = :now"
        if result_id is not None:
            update += ", result_id = :rid"
            values[":rid"] = {"S": result_id}
        if error is not None:
            update += ", #e = :err"
            names["#e"] = "error"
            values[":err"] = _ser.serialize(error)
        marker = {
            "pk": {"S": marker_pk(job_id, index)},
            "outcome": {"S": outcome},
            "at": {"S": now_iso(ts)},
            TTL_ATTRIBUTE: {"N": str(expires_at(self._ttl, ts))},
        }
        items = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": marker,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": self._table,
                    "Key": {"pk": {"S": job_pk(job_id)}},
                    "UpdateExpression": update,
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            },
        ]
        for attempt in range(attempts):
            try:
                self._db.transact_write_items(TransactItems=items)
                return True
            except ClientError as exc:
                if str(exc.response.get("Error", {}).get("Code")) != "TransactionCanceledException":
                    raise
                reasons = [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    return False  # already counted
                if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                    raise LookupError(f"job {job_id} does not exist") from exc
                if attempt + 1 == attempts:
                    raise
                time.sleep(0.05 * (2**attempt))  # TransactionConflict: another worker counted meanwhile
        return False  # pragma: no cover - the loop returns or raises

    def claim_finalize(
        self, job_id: str, claimant: str, *, stale_seconds: float = 900, now: float | None = None
    ) -> bool:
        """Take the right to write the final files. True for exactly one claimant (or its own retry)."""
        ts = time.time() if now is None else now
        return self._update_if(
            job_id,
            UpdateExpression="SET #s = :fin, finalizer = :me, finalizing_ts = :ts, "
            "finished = if_not_exists(finished, :now), updated = :now",
            ConditionExpression="#s = :running OR "
            "(#s = :fin AND (finalizer = :me OR finalizing_ts < :stale))",
            ExpressionAttributeValues={
                ":fin": {"S": "finalizing"},
                ":running": {"S": "running"},
                ":me": {"S": claimant},
                ":ts": {"N": str(int(ts))},
                ":stale": {"N": str(int(ts - stale_seconds))},
                ":now": {"S": now_iso(ts)},
            },
        )

    def mark_done(self, job_id: str, claimant: str, *, now: float | None = None) -> bool:
        ts = time.time() if now is None else now
        return self._update_if(
            job_id,
            UpdateExpression="SET #s = :done, updated = :now",
            ConditionExpression="#s = :fin AND finalizer = :me",
            ExpressionAttributeValues={
                ":done": {"S": "done"},
                ":fin": {"S": "finalizing"},
                ":me": {"S": claimant},
                ":now": {"S": now_iso(ts)},
            },
        )

    def release_finalize(self, job_id: str, claimant: str, error: dict[str, Any]) -> int | None:
        """The claimant could not write the final files: back to `running` for a retry, the attempt and its
        error recorded. Returns the attempts so far (None: the claim was not this claimant's any more)."""
        try:
            resp = self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": job_pk(job_id)}},
                UpdateExpression="SET #s = :running, finalize_error = :err, updated = :now "
                "ADD finalize_attempts :one",
                ConditionExpression="#s = :fin AND finalizer = :me",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={
                    ":running": {"S": "running"},
                    ":fin": {"S": "finalizing"},
                    ":me": {"S": claimant},
                    ":err": _ser.serialize(error),
                    ":one": {"N": "1"},
                    ":now": {"S": now_iso()},
                },
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return None
            raise
        return int(resp["Attributes"]["finalize_attempts"]["N"])

    def mark_failed(self, job_id: str, error: dict[str, Any], *, now: float | None = None) -> bool:
        """End the job `failed` with `error` (its final files could not be written). False if it already
        ended or someone holds the claim again."""
        ts = time.time() if now is None else now
        return self._update_if(
            job_id,
            UpdateExpression="SET #s = :failed, #e = :err, finished = :now, updated = :now",
            ConditionExpression="#s = :running",
            ExpressionAttributeNames={"#s": "state", "#e": "error"},
            ExpressionAttributeValues={
                ":failed": {"S": "failed"},
                ":running": {"S": "running"},
                ":err": _ser.serialize(error),
                ":now": {"S": now_iso(ts)},
            },
        )

    def fail_split(
        self, job_id: str, error: dict[str, Any], *, results: JobResults, source: dict[str, str]
    ) -> bool:
        """The split never finished (Lambda gave up on its S3 event): `splitting` -> `failed`, or the job
        created `failed` if the split died before creating it. False when it had moved on or ended."""
        for _ in range(2):  # a second round only if the job was created between the update and the create
            ts = time.time()
            if self._update_if(
                job_id,
                UpdateExpression="SET #s = :failed, #e = :err, finished = :now, updated = :now",
                ConditionExpression="#s = :splitting",
                ExpressionAttributeNames={"#s": "state", "#e": "error"},
                ExpressionAttributeValues={":failed": {"S": "failed"}, ":splitting": {"S": "splitting"},
                                           ":err": _ser.serialize(error), ":now": {"S": now_iso(ts)}},
            ):  # fmt: skip
                return True
            if self.raw(job_id) is not None:
                return False
            if self.create(job_id, kind="bulk", state="failed", results=results, source=source, error=error):
                return True
        return False

    def _update_if(self, job_id: str, **request: Any) -> bool:
        """A conditional update of the job record (`#s` names its state): False when the condition fails."""
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": job_pk(job_id)}},
                **{"ExpressionAttributeNames": {"#s": "state"}, **request},
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True
