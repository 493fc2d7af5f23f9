"""The template's table, buckets and queues, created on a local endpoint (moto's server, DynamoDB Local).

`tarjama store create-table`, `serve`, `bulk` and the tests create them from the same resources the
deployment uses (the `Table`'s layout, the `WorkQueue`'s timeouts and redrive), so the two cannot drift.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tarjama.config import Settings
from tarjama.local.account import DEFAULT_REGION
from tarjama.local.template import Resolver, find_template, load_template
from tarjama.observability import get_logger
from tarjama.store.clients import DynamoDBClient

logger = get_logger()

TABLE_RESOURCE = "Table"


@dataclass(frozen=True)
class TableDefinition:
    """What CreateTable needs, as written in the template."""

    attribute_definitions: list[dict[str, str]]
    key_schema: list[dict[str, str]]
    billing_mode: str = "PAY_PER_REQUEST"
    ttl_attribute: str | None = None
    point_in_time_recovery: bool = False
    sse_enabled: bool = False
    provisioned_throughput: dict[str, int] = field(default_factory=dict)

    def create_table_kwargs(self, name: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": self.attribute_definitions,
            "KeySchema": self.key_schema,
            "BillingMode": self.billing_mode,
        }
        if self.billing_mode == "PROVISIONED":
            kwargs["ProvisionedThroughput"] = self.provisioned_throughput
        if self.sse_enabled:
            kwargs["SSESpecification"] = {"Enabled": True}
        return kwargs


def table_definition_from_template(
    path: Path | None = None, resource: str = TABLE_RESOURCE
) -> TableDefinition:
    """The `Table` resource of template.yaml as a `TableDefinition`."""
    template = load_template(path or find_template())
    try:
        props = template["Resources"][resource]["Properties"]
    except KeyError as exc:
        raise ValueError(f"The template has no {resource} resource with Properties") from exc
    ttl = props.get("TimeToLiveSpecification") or {}
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    throughput = props.get("ProvisionedThroughput") or {}
    return TableDefinition(
        attribute_definitions=[
            {"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]}
            for a in props["AttributeDefinitions"]
        ],
        key_schema=[
            {"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in props["KeySchema"]
        ],
        billing_mode=props.get("BillingMode", "PROVISIONED"),
        ttl_attribute=ttl.get("AttributeName") if ttl.get("Enabled") is True else None,
        point_in_time_recovery=pitr.get("PointInTimeRecoveryEnabled") is True,
        sse_enabled=(props.get("SSESpecification") or {}).get("SSEEnabled") is True,
        provisioned_throughput={k: int(v) for k, v in throughput.items()},
    )


def create_table(
    dynamodb: DynamoDBClient, name: str, definition: TableDefinition, *, wait_seconds: float = 60.0
) -> bool:
    """Create `name` as defined, with its TTL (and PITR when the endpoint supports it). Idempotent.

    Returns True when the table was created, False when it existed (its TTL is still ensured).
    """
    created = False
    try:
        dynamodb.describe_table(TableName=name)
    except dynamodb.exceptions.ResourceNotFoundException:
        try:
            dynamodb.create_table(**definition.create_table_kwargs(name))
            created = True
        except dynamodb.exceptions.ResourceInUseException:
            pass  # created concurrently
    _wait_active(dynamodb, name, wait_seconds)
    if definition.ttl_attribute:
        current = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": definition.ttl_attribute, "Enabled": True},
            )
    if definition.point_in_time_recovery and created:
        try:
            dynamodb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        except Exception as exc:  # DynamoDB Local has no backups; the layout is what matters locally
            logger.info("pitr_not_supported", extra={"table": name, "error": type(exc).__name__})
    return created


def _wait_active(dynamodb: DynamoDBClient, name: str, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        status = dynamodb.describe_table(TableName=name)["Table"].get("TableStatus", "ACTIVE")
        if status == "ACTIVE":
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"Table {name} is still {status} after {wait_seconds:.0f}s")
        time.sleep(0.5)


@dataclass(frozen=True)
class LocalResources:
    table: str | None
    results_bucket: str | None
    input_bucket: str | None
    queue_url: str | None
    dead_letter_queue_url: str | None


def create_local_resources(
    settings: Settings,
    *,
    template: Path | None = None,
    queue_name: str | None = None,
    dynamodb: DynamoDBClient | None = None,
    s3: Any = None,
    sqs: Any = None,
) -> LocalResources:
    """Create, on the configured (local) endpoint, the template's table, buckets and queues. Idempotent.

    Names come from `settings` (`table`, `results_bucket`, `input_bucket`; the queue's name is the last
    part of `queue_url`, or `queue_name`); a resource whose name is not set is skipped. The work queue gets
    the template's VisibilityTimeout and a dead-letter queue `<name>-dlq` with its maxReceiveCount.
    Returns what exists afterwards (with the queue URLs the endpoint gave).
    """
    import boto3

    path = template or find_template()
    document = load_template(path)
    resources = document.get("Resources", {})
    resolver = Resolver(document)
    if settings.table:
        create_table(
            dynamodb or boto3.client("dynamodb"), settings.table, table_definition_from_template(path)
        )
    s3 = s3 or boto3.client("s3")
    for bucket in (settings.results_bucket, settings.input_bucket):
        if bucket:
            _create_bucket(s3, bucket)
    queue = queue_name or (settings.queue_url.rstrip("/").rsplit("/", 1)[-1] if settings.queue_url else None)
    queue_url = dlq_url = None
    if queue:
        sqs = sqs or boto3.client("sqs")
        work = resources.get("WorkQueue", {}).get("Properties", {})
        dead = resources.get("WorkDeadLetterQueue", {}).get("Properties", {})
        dead_attributes = _queue_attributes(dead, resolver)
        dlq_url = sqs.create_queue(QueueName=f"{queue}-dlq", Attributes=dead_attributes)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        attributes = _queue_attributes(work, resolver)
        redrive = work.get("RedrivePolicy")
        if isinstance(redrive, dict):
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(redrive.get("maxReceiveCount", 3))}
            )
        queue_url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    return LocalResources(settings.table, settings.results_bucket, settings.input_bucket, queue_url, dlq_url)


def _queue_attributes(props: dict[str, Any], resolver: Resolver) -> dict[str, str]:
    names = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds")
    values = {n: resolver.string(props[n]) for n in names if n in props}
    return {n: v for n, v in values.items() if v is not None}


def _create_bucket(s3: Any, bucket: str) -> None:
    region = s3.meta.region_name
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if region and region != DEFAULT_REGION:  # us-east-1 takes no location constraint
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou, s3.exceptions.BucketAlreadyExists):
        s3.create_bucket(**kwargs)


def create_bare_resources(names: dict[str, str], queue_name: str) -> tuple[str, str]:
    """The table (hash key `pk`), buckets and queues as template.yaml defines them, for a run outside a
    checkout (no template to read); returns the work queue's and its dead-letter queue's URLs."""
    import boto3

    table = TableDefinition(
        attribute_definitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        key_schema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    create_table(boto3.client("dynamodb"), names["table"], table)
    s3, sqs = boto3.client("s3"), boto3.client("sqs")
    for bucket in (names["results_bucket"], names["input_bucket"]):
        _create_bucket(s3, bucket)
    dlq = sqs.create_queue(QueueName=f"{queue_name}-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "3"})
    queue = sqs.create_queue(QueueName=queue_name, Attributes={"RedrivePolicy": redrive})["QueueUrl"]
    return str(queue), str(dlq)
