"""API Gateway in front of the API function, on this machine (`tarjama serve`, the reliability suite).

What API Gateway does before and after a function and we reproduce: its payload limit (10 MB: larger
requests never reach a function), the REST proxy event, the proxy response back to HTTP, and protocol
errors in the service's JSON error shape. One invocation at a time, like one Lambda execution environment
(Powertools' resolver keeps the current event in process-wide state); connections are accepted
concurrently.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tarjama.local.events import api_event, api_response

Handler = Callable[[dict[str, Any], Any], Any]
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's own limit: larger requests never reach a function

log = logging.getLogger("tarjama.local")


def _error_bytes(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()


@dataclass
class App:
    """What the HTTP server calls: the API handler, one invocation at a time."""

    handler: Handler
    context_factory: Callable[[], Any]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def invoke(self, event: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.lock:
            response = self.handler(event, self.context_factory())
        return api_response(response)


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
        event = api_event(self.command, self.path, list(self.headers.items()), body, self.client_address[0])
        try:
            status, headers, data = self.app.invoke(event)
        except Exception as exc:  # the handler never raises; if it does, still no trace to the client
            log.warning("handler failed: %s", type(exc).__name__)
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
