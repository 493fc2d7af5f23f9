"""API Lambda: API Gateway REST proxy events -> tarjama's HTTP routes. Thin: all logic is in tarjama.api."""

from __future__ import annotations

from typing import Any

from tarjama.api.routes import handle
from tarjama.observability import get_tracer


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, context)


_tracer = get_tracer()
if _tracer is not None:  # never record responses or error messages: they may hold article text
    handler = _tracer.capture_lambda_handler(handler, capture_response=False, capture_error=False)
