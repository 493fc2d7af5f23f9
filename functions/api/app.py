"""API Lambda: API Gateway REST proxy events -> tarjama's HTTP routes. Thin: all logic is in tarjama.api."""

from __future__ import annotations

from typing import Any

from tarjama.api.routes import handle


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, context)
