"""`tarjama serve [--port 3000] [--host 127.0.0.1]`: the API on this machine, like `sam local start-api`.

Each HTTP request becomes an API Gateway REST (v1) proxy event for the API function's own handler (found
in template.yaml), and its response is written back. Around it, what a local run needs:

- AWS: with no endpoint configured (no AWS_ENDPOINT_URL and no TARJAMA_TABLE), an embedded moto server on
  loopback, with the template's table, buckets and queues created on it; stopped on exit.
- Models: TARJAMA_MODELS=tiny serves tiny models from .models/tiny (built on first use); with no models
  installed it says how to get them, still serves, and digests answer `503 model_missing`.
- Jobs: long articles are queued; a background poller hands the work queue's messages to the worker
  function's handler, as Lambda's SQS poller would, so a job finishes locally too.

One request is handled at a time, like one Lambda execution environment (Powertools' resolver keeps the
current event in process-wide state); connections are accepted concurrently.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

API_FUNCTION = "ApiFunction"
WORKER_FUNCTION = "WorkerFunction"
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's own limit: larger requests never reach a function

Handler = Callable[[dict[str, Any], Any], Any]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="serve the HTTP API locally (like `sam local start-api`)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--port", "-p", type=int, default=3000)
    parser.add_argument("--host", default="127.0.0.1", help="loopback by default")
    parser.add_argument("--template", "-t", type=Path, default=None, help="default: nearest template.yaml")
    parser.add_argument("--env-vars", "-n", type=Path, default=None, help="SAM-style environment file")
    parser.add_argument("--no-worker", action="store_true", help="do not process queued jobs locally")
    parser.set_defaults(func=run)


def say(message: str) -> None:
    print(f"tarjama serve: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- events


def to_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes, peer: str
) -> dict[str, Any]:
    """An HTTP request as API Gateway's REST proxy integration gives it to a function."""
    parts = urlsplit(target)
    path = unquote(parts.path) or "/"
    query = parse_qsl(parts.query, keep_blank_values=True)
    multi_q: dict[str, list[str]] = {}
    for key, value in query:
        multi_q.setdefault(key, []).append(value)
    multi_h: dict[str, list[str]] = {}
    for key, value in headers:
        multi_h.setdefault(key, []).append(value)
    try:
        text: str | None = body.decode("utf-8") if body else None
        encoded = False
    except UnicodeDecodeError:  # API Gateway passes such a body base64-encoded (binary media types)
        text, encoded = base64.b64encode(body).decode("ascii"), True
    request_id = str(uuid.uuid4())
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
            "requestId": request_id,
            "accountId": "123456789012",
            "apiId": "local",
            "protocol": "HTTP/1.1",
            "identity": {"sourceIp": peer},
            "requestTimeEpoch": int(time.time() * 1000),
        },
        "body": text,
        "isBase64Encoded": encoded,
    }


def from_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """A function's proxy response as status, headers and body bytes."""
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


def _error_bytes(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()


# --------------------------------------------------------------------------------------------- server


@dataclass
class App:
    """What the HTTP server calls: the API handler, one invocation at a time."""

    handler: Handler
    context_factory: Callable[[], Any]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def invoke(self, event: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.lock:
            response = self.handler(event, self.context_factory())
        return from_response(response)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tarjama-local"
    app: App  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # the function logs every request itself
        return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, huge headers) in the API's JSON error shape."""
        body = _error_bytes("malformed_request" if code < 500 else "internal", message or "Bad request.")
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(key, value)
        if not any(key.lower() == "x-content-type-options" for key, _ in headers):
            self.send_header("X-Content-Type-Options", "nosniff")  # the server's own answers (411, 413) too
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._reply(
                411,
                [("Content-Type", "application/json")],
                _error_bytes("length_required", "Send a Content-Length."),
            )
            self.close_connection = True
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._reply(
                400,
                [("Content-Type", "application/json")],
                _error_bytes("malformed_request", "Bad Content-Length."),
            )
            self.close_connection = True
            return None
        if length > MAX_PAYLOAD_BYTES:
            # API Gateway refuses these before any function runs; the connection is closed unread.
            self._reply(
                413,
                [("Content-Type", "application/json")],
                _error_bytes("too_large", f"The request is larger than {MAX_PAYLOAD_BYTES:,} bytes."),
            )
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        event = to_event(self.command, self.path, list(self.headers.items()), body, self.client_address[0])
        try:
            status, headers, data = self.app.invoke(event)
        except Exception as exc:  # the handler never raises; if it does, still no trace to the client
            say(f"handler failed: {type(exc).__name__}")
            status, headers, data = (
                500,
                [("Content-Type", "application/json")],
                _error_bytes("internal", "The function failed."),
            )
        self._reply(status, headers, data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, PROPFIND, ...) goes to the function too, which answers 405 or 404."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)


def make_server(app: App, host: str, port: int) -> ThreadingHTTPServer:
    handler_class = type("BoundRequestHandler", (RequestHandler,), {"app": app})
    # socketserver's default listen backlog is 5: a burst of 20 connections got some of them reset.
    server_class = type("BacklogHTTPServer", (ThreadingHTTPServer,), {"request_queue_size": 128})
    server: ThreadingHTTPServer = server_class((host, port), handler_class)
    server.daemon_threads = True
    return server


# --------------------------------------------------------------------------------------------- worker


class QueuePoller(threading.Thread):
    """Lambda's SQS event source, locally: receive, invoke the worker handler, delete what succeeded."""

    def __init__(self, queue_url: str, handler: Handler, context_factory: Callable[[], Any], batch: int = 4):
        super().__init__(name="tarjama-queue-poller", daemon=True)
        self.queue_url = queue_url
        self.handler = handler
        self.context_factory = context_factory
        self.batch = batch
        self.stopping = threading.Event()

    def run(self) -> None:
        import boto3

        sqs = boto3.client("sqs")
        arn = "arn:aws:sqs:us-east-1:123456789012:" + self.queue_url.rsplit("/", 1)[-1]
        while not self.stopping.is_set():
            try:
                got = sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=self.batch,
                    WaitTimeSeconds=1,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                )
            except Exception as exc:
                say(f"queue poll failed ({type(exc).__name__}); retrying")
                self.stopping.wait(2)
                continue
            messages = got.get("Messages") or []
            if not messages:
                continue
            event = {"Records": [_sqs_record(m, arn) for m in messages]}
            try:
                response = self.handler(event, self.context_factory()) or {}
                failed = {f.get("itemIdentifier") for f in response.get("batchItemFailures") or []}
            except Exception as exc:
                say(f"worker failed ({type(exc).__name__}); messages return to the queue")
                continue
            for message in messages:
                if message["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


def _sqs_record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes") or {},
        "messageAttributes": message.get("MessageAttributes") or {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": "us-east-1",
    }


# --------------------------------------------------------------------------------------------- setup


def ensure_tiny_models(target: Path) -> Path:
    """Tiny models in `target`, built there on first use (into a temporary sibling, then renamed)."""
    if (target / "summarizer" / "tarjama-model.json").is_file():
        return target
    from tarjama.nlp.build import build

    say(f"building tiny models into {target} (first run only; about a minute)")
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    build(partial, "tiny")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        partial.rename(target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def check_models() -> str | None:
    """None when the configured models are installed, else what to do about it."""
    from tarjama.config import get_settings
    from tarjama.errors import ModelMissingError
    from tarjama.nlp.models import ModelProvider

    settings = get_settings()
    try:
        ModelProvider(settings).describe(settings.summary)
    except ModelMissingError as exc:
        return (
            f"{exc.message}\n  Or run with tiny models (random weights, for trying the API): "
            "TARJAMA_MODELS=tiny make run"
        )
    return None


def start_local_aws(template: Path | None) -> Any:
    """The embedded moto server with the template's resources; returns its process."""
    from tarjama.config import get_settings
    from tarjama.local import FAKE_CREDENTIALS, LOCAL_NAMES, LOCAL_QUEUE, start_moto_server
    from tarjama.store.tables import create_local_resources

    for key, value in FAKE_CREDENTIALS.items():
        os.environ.setdefault(key, value)
    proc, url = start_moto_server()
    os.environ["AWS_ENDPOINT_URL"] = url
    for key, value in {f"TARJAMA_{k.upper()}": v for k, v in LOCAL_NAMES.items()}.items():
        os.environ.setdefault(key, value)
    get_settings.cache_clear()
    created = create_local_resources(get_settings(), template=template, queue_name=LOCAL_QUEUE)
    if created.queue_url:
        os.environ["TARJAMA_QUEUE_URL"] = created.queue_url
    get_settings.cache_clear()
    say(f"local AWS endpoint (moto) on {url}: table {created.table}, queue {LOCAL_QUEUE}")
    return proc


def run(args: argparse.Namespace) -> int:
    from tarjama.config import get_settings
    from tarjama.local import TemplateError, load_env_vars, load_function, stop_process

    for key, value in {"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_SERVICE_NAME": "tarjama"}.items():
        os.environ.setdefault(key, value)
    try:
        overrides = load_env_vars(args.env_vars)
        api = load_function(API_FUNCTION, template=args.template, env_vars=None)
    except (TemplateError, OSError, ValueError) as exc:
        say(str(exc))
        return 2
    # The process environment and --env-vars configure a local run; the template's own values describe the
    # deployed image (/opt/models, ...) and are not applied here.
    for scope in ("Parameters", API_FUNCTION):
        os.environ.update(overrides.get(scope, {}))
    get_settings.cache_clear()
    if os.environ.get("TARJAMA_MODELS") == "tiny" and not os.environ.get("TARJAMA_MODEL_DIR"):
        os.environ["TARJAMA_MODEL_DIR"] = str(ensure_tiny_models(Path(".models/tiny").resolve()))
        get_settings.cache_clear()

    moto = None
    if not os.environ.get("AWS_ENDPOINT_URL") and not os.environ.get("TARJAMA_TABLE"):
        try:
            moto = start_local_aws(args.template)
        except Exception as exc:
            say(f"no local AWS endpoint ({type(exc).__name__}: {exc}); serving without a cache")
    problem = check_models()
    if problem:
        say("no models installed, so digests will answer 503 model_missing.\n  " + problem)
    else:
        say(f"models: {get_settings().models} from {get_settings().model_dir}")

    app = App(handler=api.load_handler(), context_factory=api.context)
    poller = None
    settings = get_settings()
    if settings.queue_url and not args.no_worker:
        try:
            worker = load_function(WORKER_FUNCTION, template=args.template)
            poller = QueuePoller(settings.queue_url, worker.load_handler(), worker.context)
            poller.start()
        except Exception as exc:  # the API still works; only long articles stay queued
            say(f"not processing queued jobs locally ({type(exc).__name__}: {exc})")
    try:
        server = make_server(app, args.host, args.port)
    except OSError as exc:
        say(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
        if moto is not None:
            stop_process(moto)
        return 2

    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)  # also when started in the background (SIGINT ignored)
    host, port = str(server.server_address[0]), int(server.server_address[1])
    say(f"serving on http://{host}:{port}  (docs: http://{host}:{port}/v1/docs; Ctrl-C stops)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("stopping")
    finally:
        server.server_close()
        if poller is not None:
            poller.stopping.set()
            poller.join(timeout=5)
        if moto is not None:
            stop_process(moto)
    return 0
