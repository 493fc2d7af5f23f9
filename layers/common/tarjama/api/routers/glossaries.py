"""`/v1/glossaries`: store, read, list and delete named glossaries (docs/glossaries.md).

A `PUT` body is JSON, CSV or TSV (Amazon Translate's terminology files), so this router reads its own body
rather than going through the JSON screen of the digest routes: the media type picks the parser, the size
limit is the glossary's (a full glossary holds 4 MB of terms), and every problem of the file is a
`400 glossary_invalid` naming its line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from tarjama.api.http import JSON, json_response
from tarjama.api.openapi import responses
from tarjama.api.routers import new_router
from tarjama.api.schemas import ErrorResponse
from tarjama.api.screen import body_bytes, header
from tarjama.errors import REGISTRY, StoreUnavailableError, UnsupportedMediaTypeError
from tarjama.store.glossaries import GlossaryStore
from tarjama.text.glossary_file import build, check_name, media_kind, parse_terms

# A full glossary (10,000 terms of 2 x 200 bytes) is about 4.2 MB as CSV or JSON; Lambda takes 6 MB.
MAX_BODY_BYTES = 5 * 1024 * 1024
ACCEPTED = ["application/json", "text/csv", "text/tab-separated-values"]
_Handler = TypeVar("_Handler", bound=Callable[..., Any])


_SIDE = {"type": "string", "minLength": 1, "maxLength": 200}
_FILE_SCHEMA = {
    "type": "object",
    "required": ["terms"],
    "properties": {
        "terms": {
            "type": "array",
            # 10,000 at most: past it the answer is `413 glossary_too_large`, not a schema violation's 4xx
            "items": {
                "type": "object",
                "required": ["ar", "en"],
                "additionalProperties": False,
                "properties": {"ar": _SIDE, "en": _SIDE},
            },
        }
    },
}
_TABLE_SCHEMA = {
    "type": "string",
    "description": "A header row naming the columns `ar` and `en`, then a term a line.",
}
# Powertools documents a request body only for a pydantic `Body()` parameter; this one is read by hand.
_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _FILE_SCHEMA},
            "text/csv": {"schema": _TABLE_SCHEMA},
            "text/tab-separated-values": {"schema": _TABLE_SCHEMA},
        },
    }
}


@dataclass(frozen=True)
class _Operation:
    """A route's OpenAPI documentation; every glossary route can also answer `503 store_unavailable`."""

    summary: str
    description: str
    ok: tuple[str, type[BaseModel]]
    extra: tuple[str, ...] = ()  # the registry's codes it answers beyond the glossary and general ones
    openapi_extensions: dict[str, Any] | None = None


class TermBody(BaseModel):
    ar: str
    en: str


class GlossaryPutResponse(BaseModel):
    name: str
    terms: int = Field(description="Number of terms stored.")
    version: str = Field(description="Content hash of the terms; part of every result-cache key.")


class GlossaryBody(BaseModel):
    name: str
    version: str
    count: int
    terms: list[TermBody]


class GlossaryDeleted(BaseModel):
    name: str
    deleted: bool = True


class GlossarySummary(BaseModel):
    name: str
    version: str
    terms: int
    updated_at: str


class GlossaryList(BaseModel):
    glossaries: list[GlossarySummary]


_OPERATIONS = {
    "putGlossary": _Operation(
        "Create or replace a glossary",
        (
            'Body: JSON `{"terms": [{"ar", "en"}]}`, or CSV / TSV with an `ar,en` header '
            "(`Content-Type: text/csv` or `text/tab-separated-values`). At most 10,000 terms, each side at "
            "most 200 bytes. A malformed file is `400 glossary_invalid` with `details.line` (or `index`) and "
            "`details.reason`."
        ),
        ("Stored.", GlossaryPutResponse),
        extra=("too_large", "unsupported_media_type"),
        openapi_extensions=_REQUEST_BODY,
    ),
    "getGlossary": _Operation(
        "Get a glossary", "The glossary's version and terms.", ("The glossary.", GlossaryBody)
    ),
    "listGlossaries": _Operation(
        "List glossaries",
        "Every stored glossary: name, version, number of terms, last update.",
        ("The glossaries.", GlossaryList),
    ),
    "deleteGlossary": _Operation(
        "Delete a glossary",
        "Results already made with it stay in the cache under their own keys.",
        ("Deleted.", GlossaryDeleted),
    ),
}


def _responses(ok: dict[int, tuple[str, type[BaseModel]]], *extra: str) -> dict[int, OpenAPIResponse]:
    """The registry's glossary and general errors, plus the codes of `extra` this route can also answer."""
    out = responses(ok, "glossary")
    for code in extra:
        c = REGISTRY[code]
        line = f"`{c.code}`: {c.description}."
        if c.status in out:
            out[c.status]["description"] = f"{out[c.status]['description']} {line}"
        else:
            out[c.status] = {"description": line, "content": {JSON: {"model": ErrorResponse}}}
    return out


def glossaries_router(store: GlossaryStore | None) -> Router:
    """The glossary routes; without a store (no table configured) they answer `503 store_unavailable`."""
    router = new_router()

    def the_store() -> GlossaryStore:
        if store is None:
            raise StoreUnavailableError(
                "Glossaries need the DynamoDB table (TARJAMA_TABLE); none is configured."
            )
        return store

    def route(method: str, rule: str, operation_id: str) -> Callable[[_Handler], _Handler]:
        """A glossary route, documented from its row in `_OPERATIONS`."""
        op = _OPERATIONS[operation_id]
        return router.route(
            rule,
            method,
            summary=op.summary,
            description=op.description,
            operation_id=operation_id,
            tags=["glossaries"],
            responses=_responses({200: op.ok}, *op.extra, "store_unavailable"),
            openapi_extensions=op.openapi_extensions,
        )

    @route("PUT", "/v1/glossaries/<name>", "putGlossary")
    def put_glossary(name: str) -> Response[str]:
        check_name(name)
        event = router.current_event.raw_event
        kind = media_kind(header(event, "content-type"))
        if kind is None:
            raise UnsupportedMediaTypeError(
                "Send the glossary as JSON, CSV or TSV.", details={"accepted": ACCEPTED}
            )
        glossary = build(name, parse_terms(body_bytes(event, MAX_BODY_BYTES), kind))
        info = the_store().put(glossary)
        return json_response(GlossaryPutResponse(name=info.name, terms=info.terms, version=info.version))

    @route("GET", "/v1/glossaries/<name>", "getGlossary")
    def get_glossary(name: str) -> Response[str]:
        check_name(name)
        g = the_store().get(name)
        terms = [TermBody(ar=t.ar, en=t.en) for t in g.terms]
        return json_response(GlossaryBody(name=g.name, version=g.version, count=len(terms), terms=terms))

    @route("GET", "/v1/glossaries", "listGlossaries")
    def list_glossaries() -> Response[str]:
        items = [GlossarySummary(**vars(g)) for g in the_store().list_all()]
        return json_response(GlossaryList(glossaries=items))

    @route("DELETE", "/v1/glossaries/<name>", "deleteGlossary")
    def delete_glossary(name: str) -> Response[str]:
        check_name(name)
        the_store().delete(name)
        return json_response(GlossaryDeleted(name=name))

    return router
