"""API Lambda: API Gateway REST proxy events -> tarjama's HTTP API. Thin: all logic is in tarjama.api.

One app per process (a Lambda execution environment), built on the first invocation from the settings in
the environment at that moment: importing this module loads nothing and reads nothing, except with
TARJAMA_EAGER_INIT=true (the template sets it when provisioned concurrency is on): then the init phase,
which provisioned environments run before any request, builds the app and loads the default tier's models.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tarjama.api.app import Api, create_app, failure
from tarjama.config import Settings
from tarjama.observability import get_tracer

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def build_app(*, warm: bool = False) -> Api:
    from tarjama.service import build_digester

    settings = Settings.from_env()
    digester = build_digester(settings)
    if warm:  # the models of the server's default tier and summary mode, loaded now rather than by a request
        models = digester.ports.models.for_tier(None)
        models.translator()
        if settings.summary == "abstractive":
            models.summarizer()
            models.back_translator()
    return create_app(settings, digester)


def make_handler(*, eager: bool = False) -> Handler:
    """A Lambda handler with its own app, built on its first call (a new one is a cold start), or now with
    its models loaded when `eager`."""
    app: Api | None = build_app(warm=True) if eager else None
    lock = threading.Lock()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal app
        if app is None:
            with lock:
                try:
                    app = app or build_app()
                # e.g. invalid settings: answered (and retried on the next event), never raised
                except Exception as exc:
                    return failure(exc, event, context)
        return app.handle(event, context)

    tracer = get_tracer()
    if tracer is None:
        return handler
    # never record responses or error messages: they may hold article text
    traced: Handler = tracer.capture_lambda_handler(handler, capture_response=False, capture_error=False)
    return traced


def _eager() -> bool:
    try:
        return Settings.from_env().eager_init
    except ValueError:  # invalid settings: the first request answers with the error, as without eager init
        return False


handler = make_handler(eager=_eager())
