"""The API's middlewares (Powertools' `app.use` and route `middlewares=`), in the order a request meets them.

1. `observe` (every route, `app.use`): latency by route template, one `request` log line with the status.
2. `screen_json` (the routes that take a JSON body): content type, size, encoding, then parsing, each
   failure with its documented code (`tarjama.api.screen`), before anything parses the body.
3. `validate` (the same routes): Powertools' own request validation against the pydantic schemas; it runs
   after the screen, so the framework's own parse of the body cannot fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.metrics import MetricUnit

from tarjama.api.errors import as_error
from tarjama.api.screen import screen_body
from tarjama.observability import emit_metric, get_logger

logger = get_logger()

Middleware = Callable[[APIGatewayRestResolver, NextMiddleware], Response[Any]]

UNMATCHED = "unmatched"
"""The route dimension of a request no route matched (the not-found handler marks it in `app.context`)."""


def request_id(app: APIGatewayRestResolver) -> str:
    """API Gateway's request id, else the Lambda invocation's (an error's `details.request_id`)."""
    rid = (app.current_event.raw_event.get("requestContext") or {}).get("requestId")
    if rid:
        return str(rid)
    return str(getattr(app.lambda_context, "aws_request_id", "") or "unknown")


def observe(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Latency (ms, by route template) and one log line per request: route, method, status, time."""
    started = time.perf_counter()
    status = 500
    try:
        response: Response[Any] = next_middleware(app)
        status = response.status_code
        return response
    except Exception as exc:  # answered by the exception handler, outside the middlewares
        status = as_error(exc, "").status
        raise
    finally:
        method = app.current_event.http_method.upper()
        route = UNMATCHED if app.context.get(UNMATCHED) else f"{method} {app.request.route}"
        elapsed = (time.perf_counter() - started) * 1000
        emit_metric("Latency", elapsed, MetricUnit.Milliseconds, dimensions={"route": route})
        logger.info(
            "request", extra={"route": route, "method": method, "status": status, "ms": round(elapsed, 1)}
        )


def screen_json(max_bytes: int) -> Middleware:
    """The body screen of a JSON route, with the size limit of the settings."""

    def screen_json_body(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[Any]:
        screen_body(app.current_event.raw_event, max_bytes)
        return next_middleware(app)

    return screen_json_body


def json_body_middlewares(max_bytes: int) -> list[Middleware]:
    """What a route that takes a JSON body runs before it: the screen, then Powertools' validation."""
    validate: Middleware = OpenAPIRequestValidationMiddleware()  # type: ignore[no-untyped-call]
    return [screen_json(max_bytes), validate]
