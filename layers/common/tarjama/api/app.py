"""The HTTP API: `create_app(settings, digester)` builds it; `Api.handle(event, context)` answers one event.

What happens to a request, in order: Powertools' REST resolver matches the route; the middlewares observe it
(latency, one log line), screen a JSON body and validate it against the pydantic schemas
(`tarjama.api.middleware`); the route, one of a `Router` per resource (`tarjama.api.routers`), does one
thing; every failure on the way becomes `{"error": {...}}` in `tarjama.api.errors`, with the status of the
error registry (`tarjama.errors.CODES`). Nothing here is module state: the Lambda handler
(functions/api/app.py) keeps one `Api` per process, and a test builds its own.

The `Digester` is cheap to build and loads a model only on a cache miss, so a cold start that serves a
cache hit does not pay for the models.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as PowertoolsNotFound

from tarjama.api.errors import error_response, respond
from tarjama.api.http import JSON, clip, dumps
from tarjama.api.jobs import Jobs
from tarjama.api.middleware import UNMATCHED, json_body_middlewares, observe, request_id
from tarjama.api.openapi import openapi_json
from tarjama.api.routers.digests import digests_router
from tarjama.api.routers.docs import docs_router
from tarjama.api.routers.glossaries import glossaries_router
from tarjama.api.routers.health import health_router
from tarjama.api.routers.jobs import jobs_router
from tarjama.config import Settings
from tarjama.errors import MethodNotAllowedError, NotFoundError
from tarjama.observability import get_logger
from tarjama.pipeline import Digester
from tarjama.store.glossaries import GlossaryStore

logger = get_logger()

# The characters Powertools lets a `<param>` of a route rule match (event_handler.api_gateway's own class).
_PARAM = r"[-._~()'!*:@,;=+&$%<> \[\]{}|^\w]+"


class Resolver(APIGatewayRestResolver):
    """Powertools' REST resolver, also remembering each rule's methods: the `Allow` of a `405` answer."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.methods: dict[str, set[str]] = {}

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        methods = [method] if isinstance(method, str) else list(method)
        self.methods.setdefault(rule, set()).update(m.upper() for m in methods)
        return super().route(rule, method, *args, **kwargs)

    def allowed(self, path: str) -> list[str]:
        """The methods some route offers for `path`."""
        out: set[str] = set()
        for rule, methods in self.methods.items():
            parts = re.split(r"<\w+>", rule)
            if re.fullmatch(_PARAM.join(re.escape(p) for p in parts), path):
                out |= methods
        return sorted(out)


class Api:
    """One API: the resolver with its routers, middlewares and error handlers."""

    def __init__(self, resolver: Resolver, settings: Settings) -> None:
        self.resolver = resolver
        self.settings = settings

    def handle(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        """The API Lambda's whole job: route and answer; never raises, never returns a stack trace."""
        try:
            logger.set_correlation_id(_event_request_id(event) or None)  # never carry the last one over
            return self.resolver.resolve(dict(event), context)
        except Exception as exc:  # the resolver itself failed: still one JSON error, never a trace
            return failure(exc, event, context)


def failure(exc: Exception, event: Any, context: Any) -> dict[str, Any]:
    """An event answered when the app itself failed (to build, or to resolve): `500 internal`, logged."""
    rid = _event_request_id(event) or str(getattr(context, "aws_request_id", "") or "") or "unknown"
    return _as_lambda(respond(exc, rid))


def _event_request_id(event: Any) -> str:
    context = event.get("requestContext") if isinstance(event, Mapping) else None
    return str((context if isinstance(context, Mapping) else {}).get("requestId") or "")


def create_app(settings: Settings, digester: Digester, *, jobs: Jobs | None = None) -> Api:
    """The API over `digester`, configured by `settings`; `jobs` defaults to the settings' queue and table."""
    jobs = jobs or Jobs(settings)
    resolver = Resolver(serializer=dumps)
    resolver.use(middlewares=[observe])

    @cache
    def openapi() -> str:
        """The OpenAPI document of every router's routes: built once for this app, on first request."""
        return openapi_json(resolver)

    def current_request_id() -> str:
        return request_id(resolver)

    body = json_body_middlewares(settings.max_body_bytes)
    resolver.include_router(
        digests_router(settings, digester, jobs, body_middlewares=body, request_id=current_request_id)
    )
    resolver.include_router(jobs_router(jobs))
    store = digester.ports.glossaries
    resolver.include_router(glossaries_router(store if isinstance(store, GlossaryStore) else None))
    resolver.include_router(health_router(settings, digester.ports.models))
    resolver.include_router(docs_router(openapi))

    def on_error(exc: Exception) -> Response[str]:
        return respond(exc, current_request_id())

    def on_not_found(exc: PowertoolsNotFound) -> Response[str]:
        """No route for this method and path: `405` with `Allow` when another method has one, else `404`."""
        resolver.context[UNMATCHED] = True
        method = resolver.current_event.http_method.upper()
        path = resolver.current_event.path
        allowed = [m for m in resolver.allowed(path) if m != method]
        if allowed:
            error = MethodNotAllowedError(
                f"{method} is not allowed here; use {', '.join(allowed)}.", details={"allowed": allowed}
            )
            return error_response(error, headers={"Allow": ", ".join(allowed)})
        return respond(NotFoundError(f"No route {method} {clip(path)}."), current_request_id())

    # Registered by call, not as decorators: Powertools' decorator is untyped.
    resolver.exception_handler(PowertoolsNotFound)(on_not_found)
    resolver.exception_handler(Exception)(on_error)
    return Api(resolver, settings)


def _as_lambda(response: Response[str]) -> dict[str, Any]:
    """A response built outside the resolver, in API Gateway's proxy shape."""
    headers: dict[str, list[str]] = {"Content-Type": [str(response.content_type or JSON)]}
    for key, value in response.headers.items():
        headers[key] = [value] if isinstance(value, str) else list(value)
    return {
        "statusCode": response.status_code,
        "multiValueHeaders": headers,
        "body": response.body,
        "isBase64Encoded": False,
    }
