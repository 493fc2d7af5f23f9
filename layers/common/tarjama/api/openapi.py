"""The OpenAPI document's error responses, from the error registry (`tarjama.errors.CODES`).

An operation names what it does (`body`: digests a posted article; `result`: reads a stored result); it
then lists every status of the registry's codes for `any` route and for its own kinds, each status with
every code it can carry. A code added to the registry appears here without another edit.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from tarjama import __version__
from tarjama.api.http import JSON
from tarjama.api.schemas import ErrorResponse
from tarjama.errors import CODES, Where

TITLE = "tarjama"
DESCRIPTION = (
    "Arabic news articles cleaned, translated to English and summarized in Arabic and English. "
    'Every error has the shape `{"error": {"code", "message", "details"}}`.'
)


def error_descriptions(*kinds: Where) -> dict[int, str]:
    """For the statuses an operation of these kinds can answer: every code of each, with what it means."""
    wanted = {"any", "gateway", *kinds}  # API Gateway's own answers can come on any route
    out: dict[int, list[str]] = {}
    for c in CODES:
        if c.where in wanted:
            out.setdefault(c.status, []).append(f"`{c.code}`: {c.description}.")
    return {status: " ".join(lines) for status, lines in sorted(out.items())}


def responses(ok: Mapping[int, tuple[str, type[BaseModel]]], *kinds: Where) -> dict[int, OpenAPIResponse]:
    """An operation's `responses`: its successes, then its errors from the registry."""
    out: dict[int, OpenAPIResponse] = {
        code: {"description": text, "content": {JSON: {"model": model}}} for code, (text, model) in ok.items()
    }
    for status, text in error_descriptions(*kinds).items():
        out[status] = {"description": text, "content": {JSON: {"model": ErrorResponse}}}
    return out


def openapi_json(resolver: APIGatewayRestResolver) -> str:
    """The OpenAPI document of `resolver`'s routes (a pure function of the code: callers keep it)."""
    return resolver.get_openapi_json_schema(title=TITLE, version=__version__, description=DESCRIPTION)
