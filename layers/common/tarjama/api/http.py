"""The API's JSON on the wire: one serializer, one set of security headers, one way to answer a model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel

JSON = "application/json"
# Responses are data, never documents: browsers must not sniff them into HTML, nor cache errors.
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}
ERROR_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}

# Invisible direction and line controls are written as `\\uXXXX` escapes: the JSON means the same, but an
# echoed `ref` or text cannot reorder or break what a terminal or log viewer shows around it.
_ESCAPED = {
    c: f"\\u{c:04x}" for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}
_ESCAPED |= {0x2028: "\\u2028", 0x2029: "\\u2029", 0x7F: "\\u007f"}
_ESCAPED |= {c: f"\\u{c:04x}" for c in range(0x80, 0xA0)}
# Markup characters too (as Go's encoding/json does): an echoed `ref`, id or text can then never be read as
# HTML, even by a client that renders a response body; parsed, the JSON is unchanged.
_ESCAPED |= {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def dumps(payload: Any) -> str:
    """The API's JSON: UTF-8 text as is (Arabic stays readable), compact, invisible controls escaped."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPED)


def json_response(
    model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=dumps(model.model_dump(mode="json")),
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


def clip(value: str, limit: int = 80) -> str:
    """A caller's value short enough to echo in a message (ids, paths): never a whole hostile input."""
    return value if len(value) <= limit else value[:limit] + "…"
