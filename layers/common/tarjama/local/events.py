"""Real-shaped Lambda events, built from what the local endpoint and the HTTP client actually sent.

- API Gateway's REST proxy integration: an HTTP request as the event (`api_event`), and the function's
  proxy response as status, headers and body (`api_response`).
- S3's notification of a put (`s3_put_event`) and SQS's batch (`sqs_event`, from ReceiveMessage's answer).

The local runners and the tests invoke the handlers with these, so the handlers' event parsing is exercised
exactly as in Lambda (URL-encoded keys, string attributes, receive counts, base64 bodies).
"""

from __future__ import annotations

import base64
import time
import urllib.parse
import uuid
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tarjama.local.account import LOCAL_ACCOUNT, region


def api_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes, peer: str
) -> dict[str, Any]:
    """An HTTP request as API Gateway's REST proxy integration gives it to a function."""
    parts = urlsplit(target)
    path = unquote(parts.path) or "/"
    multi_q: dict[str, list[str]] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        multi_q.setdefault(key, []).append(value)
    multi_h: dict[str, list[str]] = {}
    for key, value in headers:
        multi_h.setdefault(key, []).append(value)
    try:
        text: str | None = body.decode("utf-8") if body else None
        encoded = False
    except UnicodeDecodeError:  # API Gateway passes such a body base64-encoded (binary media types)
        text, encoded = base64.b64encode(body).decode("ascii"), True
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {k: v[-1] for k, v in multi_h.items()},
        "multiValueHeaders": multi_h,
        "queryStringParameters": {k: v[-1] for k, v in multi_q.items()} or None,
        "multiValueQueryStringParameters": multi_q or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": path,
            "stage": "local",
            "requestId": str(uuid.uuid4()),
            "accountId": LOCAL_ACCOUNT,
            "apiId": "local",
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": peer},
            "requestTimeEpoch": int(time.time() * 1000),
        },
        "body": text,
        "isBase64Encoded": encoded,
    }


def api_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """A function's proxy response as status, headers and body bytes (what API Gateway sends back)."""
    if not isinstance(response, dict) or "statusCode" not in response:
        raise ValueError("the function returned no API Gateway proxy response")
    headers: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, values in (response.get("multiValueHeaders") or {}).items():
        for value in values or []:
            headers.append((str(key), str(value)))
        seen.add(str(key).lower())
    for key, value in (response.get("headers") or {}).items():
        if str(key).lower() not in seen:
            headers.append((str(key), str(value)))
    body = response.get("body") or ""
    data = base64.b64decode(body) if response.get("isBase64Encoded") else str(body).encode("utf-8")
    return int(response["statusCode"]), headers, data


def s3_put_event(
    bucket: str, key: str, *, size: int, etag: str, region_name: str | None = None
) -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region_name or region(),
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


def sqs_event(
    messages: list[dict[str, Any]], queue_arn: str, region_name: str | None = None
) -> dict[str, Any]:
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
                "awsRegion": region_name or region(),
            }
        )
    return {"Records": records}


def invocation_failure_record(
    event: dict[str, Any], error: BaseException, *, attempts: int, function_arn: str
) -> dict[str, Any]:
    """The record Lambda sends to an asynchronous invocation's on-failure destination once it gives up."""
    return {
        "version": "1.0",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"{function_arn}:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorMessage": str(error), "errorType": type(error).__name__},
    }
