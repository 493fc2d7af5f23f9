"""Every error answer of the HTTP API, in one shape: `{"error": {"code", "message", "details"}}`.

`TarjamaError.status` is turned into an HTTP status here and nowhere else (`error_response`). Anything that
is not a `TarjamaError` is first converted into one (validation errors into `invalid_input`, unknown
exceptions into `internal`), so a caller never sees a framework's own error body or a stack trace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response

from tarjama.errors import InvalidInputError, TarjamaError

JSON = "application/json"
# Responses are data, never documents: browsers must not sniff them into HTML, nor cache errors.
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}
ERROR_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}

MAX_VALIDATION_ERRORS = 20
MAX_DETAIL_CHARS = 120


class MethodNotAllowedError(TarjamaError):
    code = "method_not_allowed"
    status = 405


class RouteNotFoundError(TarjamaError):
    """No such route (as opposed to `not_found`: a route that exists, for an id that does not)."""

    code = "not_found"
    status = 404


class InternalError(TarjamaError):
    """Something we did not expect. The message says nothing of the cause; the request id finds the log."""

    code = "internal"
    status = 500


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


def error_response(exc: TarjamaError, headers: Mapping[str, str] | None = None) -> Response[str]:
    """The one place a `TarjamaError` becomes an HTTP status."""
    return Response(
        status_code=exc.status,
        content_type=JSON,
        body=dumps({"error": exc.to_dict()}),
        headers={**ERROR_HEADERS, **(headers or {})},
    )


def _short(value: Any) -> Any:
    """A value safe to put in error details: scalars only, strings cut, never a caller's whole input."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    text = str(value)
    return text if len(text) <= MAX_DETAIL_CHARS else text[:MAX_DETAIL_CHARS] + "…"


def validation_error(errors: Iterable[Mapping[str, Any]]) -> InvalidInputError:
    """Pydantic's errors as `invalid_input`: where, what kind, which limit; never the offending input.

    The input itself is left out on purpose: it may be megabytes, or HTML that must not be echoed back.
    """
    items: list[dict[str, Any]] = []
    total = 0
    for err in errors:
        total += 1
        if len(items) >= MAX_VALIDATION_ERRORS:
            continue
        item: dict[str, Any] = {
            "loc": [_short(part) for part in err.get("loc", ())],
            "type": str(err.get("type", "invalid")),
            "msg": _short(err.get("msg", "invalid value")),
        }
        ctx = err.get("ctx") or {}
        limits = {k: _short(v) for k, v in ctx.items() if isinstance(v, int | float | str) and k != "error"}
        if limits:
            item["ctx"] = limits
        items.append(item)
    details: dict[str, Any] = {"errors": items}
    if total > len(items):
        details["truncated"] = total - len(items)
    first = items[0] if items else None
    where = ".".join(str(p) for p in first["loc"] if p != "body") if first else ""
    message = f"Invalid request: {first['msg']}" + (f" (at `{where}`)" if where else "") if first else ""
    return InvalidInputError(message or "Invalid request.", details=details)
