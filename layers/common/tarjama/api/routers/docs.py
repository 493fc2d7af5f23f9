"""`/v1/openapi.json` and the Swagger UI at `/v1/docs` with its packaged assets (not in the document)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tarjama.api import docs
from tarjama.api.http import JSON, SECURITY_HEADERS, clip
from tarjama.api.routers import new_router
from tarjama.errors import NotFoundError


def docs_router(openapi: Callable[[], str]) -> Router:
    """`openapi` gives the document (the app builds it once, from every router's routes)."""
    router = new_router()

    @router.get("/v1/openapi.json", include_in_schema=False)
    def get_openapi() -> Response[str]:
        return Response(status_code=200, content_type=JSON, body=openapi(), headers={**SECURITY_HEADERS})

    @router.get("/v1/docs", include_in_schema=False)
    def get_docs() -> Response[str]:
        return Response(
            status_code=200,
            content_type="text/html; charset=utf-8",
            body=docs.docs_page(_mount_prefix(router)),
            headers={**SECURITY_HEADERS, "Content-Security-Policy": docs.CSP},
        )

    @router.get("/v1/docs/static/<name>", include_in_schema=False)
    def get_docs_static(name: str) -> Response[Any]:
        data = docs.static_asset(name)
        if data is None:
            raise NotFoundError(f"No asset `{clip(name)}`.")
        content_type = docs.STATIC_TYPES[name]
        body: str | bytes = data.decode("utf-8") if content_type.startswith("text/") else data
        return Response(
            status_code=200,
            content_type=content_type,
            body=body,
            headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=86400"},
        )

    return router


def _mount_prefix(router: Router) -> str:
    """The stage prefix in front of our paths (`/Prod` behind API Gateway), from the request context."""
    event = router.current_event
    full = str((event.raw_event.get("requestContext") or {}).get("path") or "")
    path = event.path
    return full[: -len(path)] if path and full.endswith(path) else ""
