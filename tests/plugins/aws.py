"""A real local AWS endpoint for the test run: moto's server on 127.0.0.1.

Tests reach it through boto3 exactly as they would reach AWS: the endpoint comes from boto3's standard
`AWS_ENDPOINT_URL`. Set `TARJAMA_TEST_AWS_ENDPOINT` to run the same tests against DynamoDB Local or a real
account instead (then no server is started).
"""

from __future__ import annotations

import json
import os
import socket
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tarjama.local.account import DEFAULT_REGION
from tarjama.local.endpoint import free_port, local_endpoint, scoped_environ


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    """The endpoint URL of a real DynamoDB/S3/SQS HTTP API; environment set for boto3 for the session.
    The same local endpoint `tarjama serve` and `tarjama bulk` start (`tarjama.local.endpoint`)."""
    with local_endpoint(os.environ.get("TARJAMA_TEST_AWS_ENDPOINT"), region_name=DEFAULT_REGION) as url:
        yield url


# --------------------------------------------------------------------------------------------- store

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def table_definition() -> Any:
    """The `Table` resource of template.yaml, the one definition of the table layout."""
    from tarjama.local.resources import table_definition_from_template

    return table_definition_from_template(REPO_ROOT / "template.yaml")


@pytest.fixture
def dynamodb(aws_endpoint: str) -> Any:
    """A DynamoDB client on the test endpoint with the store's fail-fast config (2 attempts)."""
    import boto3
    from tarjama.store.clients import store_config

    return boto3.client("dynamodb", config=store_config(max_attempts=2))


@pytest.fixture
def s3(aws_endpoint: str) -> Any:
    import boto3
    from tarjama.store.clients import store_config

    return boto3.client("s3", config=store_config(max_attempts=2))


@pytest.fixture
def dynamo_table(dynamodb: Any, table_definition: Any) -> Iterator[str]:
    """A fresh table per test, created from template.yaml's definition; deleted afterwards."""
    from tarjama.local.resources import create_table

    name = f"tarjama-test-{uuid.uuid4().hex[:12]}"
    create_table(dynamodb, name, table_definition)
    try:
        yield name
    finally:
        dynamodb.delete_table(TableName=name)


@pytest.fixture
def results_bucket(s3: Any) -> Iterator[str]:
    name = f"tarjama-results-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    try:
        yield name
    finally:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for obj in page.get("Contents", []):
                s3.delete_object(Bucket=name, Key=obj["Key"])
        s3.delete_bucket(Bucket=name)


@pytest.fixture
def store_settings(dynamo_table: str, results_bucket: str) -> Any:
    """Settings pointing at this test's table and results bucket (lease wait generous for slow CI)."""
    from tarjama.config import Settings

    return Settings(table=dynamo_table, results_bucket=results_bucket, lease_wait_seconds=60.0)


# --------------------------------------------------------------------------------------------- faults


def read_body(handler: Any) -> bytes:
    """A request's body, by Content-Length or chunked (botocore may send S3 uploads chunked, unsized)."""
    if "chunked" not in (handler.headers.get("Transfer-Encoding") or "").lower():
        length = int(handler.headers.get("Content-Length") or 0)
        return bytes(handler.rfile.read(length)) if length else b""
    chunks: list[bytes] = []
    while True:
        size = int(handler.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while handler.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                pass
            return b"".join(chunks)
        chunks.append(handler.rfile.read(size))
        handler.rfile.readline()  # the CRLF after each chunk


class FaultProxy:
    """An HTTP proxy on 127.0.0.1 in front of the AWS endpoint that can throttle or drop requests.

    `mode`: `forward` (relay to the endpoint), `throttle` (answer as DynamoDB/S3 do when throttling),
    `drop` (close the connection without an answer). `throttle_next(n)` throttles the next n requests
    and then forwards again. Counts every request it sees.
    """

    def __init__(self, upstream: str) -> None:
        import http.server
        import threading

        self.upstream = urllib.parse.urlsplit(upstream)
        self.mode = "forward"
        self.requests = 0
        self._throttle_budget = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                proxy._serve(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def throttle_next(self, n: int) -> None:
        with self._lock:
            self._throttle_budget = n

    def _action(self) -> str:
        with self._lock:
            self.requests += 1
            if self._throttle_budget > 0:
                self._throttle_budget -= 1
                return "throttle"
            return self.mode

    def _serve(self, handler: Any) -> None:
        import http.client

        body = read_body(handler)
        action = self._action()
        if action == "drop":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if action == "throttle":
            if handler.headers.get("X-Amz-Target"):  # DynamoDB's JSON protocol
                payload = json.dumps(
                    {
                        "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                        "message": "Throughput for the table was exceeded.",
                    }
                ).encode()
                status, ctype = 400, "application/x-amz-json-1.0"
            else:
                payload = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
                status, ctype = 503, "application/xml"
            handler.send_response(status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        host = self.upstream.hostname or "127.0.0.1"
        conn = http.client.HTTPConnection(host, self.upstream.port, timeout=30)
        try:
            # The body is forwarded de-chunked (S3 uploads come chunked), so its framing headers are redone.
            skip = {"connection", "transfer-encoding", "content-length"}
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in skip}
            headers["Content-Length"] = str(len(body))
            conn.request(handler.command, handler.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            handler.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                    handler.send_header(key, value)
            # HEAD has no body but keeps the object's length (S3 HeadObject's ContentLength is read from it).
            length = response.getheader("Content-Length") if handler.command == "HEAD" else None
            handler.send_header("Content-Length", length or str(len(data)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(data)
        finally:
            conn.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def fault_proxy(aws_endpoint: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy(aws_endpoint)
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def closed_endpoint() -> str:
    """An endpoint URL on a loopback port nothing listens on: every connection is refused."""
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def handler_env(prefix: str, model_dir: Path, **extra: str) -> Iterator[dict[str, str]]:
    """Environment for invoking the API/worker handlers: tiny models and a fresh table, buckets and queue
    (named `<prefix>-...`) on the local endpoint. Settings are re-read on entry and exit."""
    from tarjama.config import Settings
    from tarjama.local.resources import create_local_resources

    suffix = uuid.uuid4().hex[:8]
    env = {
        "TARJAMA_MODEL_DIR": str(model_dir),
        "TARJAMA_MODELS": "tiny",
        "TARJAMA_THREADS": "1",
        **extra,
        "TARJAMA_TABLE": f"{prefix}-{suffix}",
        "TARJAMA_RESULTS_BUCKET": f"{prefix}-results-{suffix}",
        "TARJAMA_INPUT_BUCKET": f"{prefix}-input-{suffix}",
    }
    created = create_local_resources(Settings.from_env(env), queue_name=f"{prefix}-work-{suffix}")
    assert created.queue_url
    env["TARJAMA_QUEUE_URL"] = created.queue_url
    with scoped_environ(env):
        yield env
