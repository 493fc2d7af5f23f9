"""Real-shaped Lambda events (S3 notification, SQS batch), built from what S3 and SQS actually returned.

The local runner and the tests invoke the handlers with these, so the handlers' event parsing is exercised
exactly as in Lambda (URL-encoded keys, string attributes, receive counts).
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any


def s3_put_event(bucket: str, key: str, *, size: int, etag: str, region: str = "us-east-1") -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "incoming",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {
                        "key": urllib.parse.quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": etag.strip('"'),
                        "sequencer": f"{int(time.time() * 1000):016X}",
                    },
                },
            }
        ]
    }


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str = "us-east-1") -> dict[str, Any]:
    """An SQS batch event from ReceiveMessage's `Messages` (asked with AttributeNames=["All"])."""
    records = []
    for m in messages:
        attributes = {k: str(v) for k, v in (m.get("Attributes") or {}).items()}
        attributes.setdefault("ApproximateReceiveCount", "1")
        records.append(
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": attributes,
                "messageAttributes": m.get("MessageAttributes") or {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}
