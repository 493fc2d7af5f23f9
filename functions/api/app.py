"""API Lambda: API Gateway REST proxy events -> tarjama's HTTP API. Thin: all logic is in tarjama.api.

One app per process (a Lambda execution environment), built on the first invocation from the settings in
the environment at that moment: importing this module loads nothing and reads nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tarjama.api.app import Api, create_app, failure
from tarjama.config import Settings
from tarjama.observability import get_tracer

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def build_app() -> Api:
    from tarjama.service import build_digester

    settings = Settings.from_env()
    return create_app(settings, build_digester(settings))


def make_handler() -> Handler:
    """A Lambda handler with its own app, built on its first call (a new one is a cold start)."""
    app: Api | None = None
    lock = threading.Lock()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal app
        if app is None:
            with lock:
                try:
                    app = app or build_app()
                except (
                    Exception
                ) as exc:  # e.g. invalid settings: answered (and retried next time), never raised
                    return failure(exc, event, context)
        return app.handle(event, context)

    tracer = get_tracer()
    if tracer is None:
        return handler
    # never record responses or error messages: they may hold article text
    traced: Handler = tracer.capture_lambda_handler(handler, capture_response=False, capture_error=False)
    return traced


handler = make_handler()
