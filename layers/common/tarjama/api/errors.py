"""Every error answer of the HTTP API, in one shape: `{"error": {"code", "message", "details"}}`.

`as_error` is the one mapping of an exception to a `TarjamaError` (validation errors become `invalid_input`,
anything unexpected `internal`), and `error_response` the one place a `TarjamaError` becomes an HTTP answer
(its status is the registry's, `tarjama.errors.CODES`). So a caller never sees a framework's own error body
or a stack trace.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from tarjama.api.http import ERROR_HEADERS, JSON, dumps
from tarjama.errors import InternalError, InvalidInputError, TarjamaError
from tarjama.observability import emit_metric, get_logger

logger = get_logger()

MAX_VALIDATION_ERRORS = 20
MAX_DETAIL_CHARS = 120


def error_response(exc: TarjamaError, headers: Mapping[str, str] | None = None) -> Response[str]:
    """The one place a `TarjamaError` becomes an HTTP status."""
    return Response(
        status_code=exc.status,
        content_type=JSON,
        body=dumps({"error": exc.to_dict()}),
        headers={**ERROR_HEADERS, **(headers or {})},
    )


def as_error(exc: BaseException, request_id: str) -> TarjamaError:
    """What the caller is told about `exc` (pure: logging is the caller's, once)."""
    if isinstance(exc, TarjamaError):
        return exc
    if isinstance(exc, RequestValidationError):
        return validation_error(exc.errors())
    return InternalError(
        f"An unexpected error occurred; quote request id {request_id} when reporting it.",
        details={"request_id": request_id},
    )


def report(exc: BaseException, request_id: str) -> TarjamaError:
    """`exc` as the caller's error, measured (`Errors` by code) and logged when it is ours to fix, once."""
    error = as_error(exc, request_id)
    emit_metric("Errors", dimensions={"code": error.code})
    if isinstance(error, InternalError) and error is not exc:
        log_unexpected(exc, request_id)
    elif error.status >= 500:
        logger.warning("service_error", extra={"error_code": error.code, "request_id": request_id})
    return error


def respond(exc: BaseException, request_id: str) -> Response[str]:
    """`exc` answered in the one error shape."""
    return error_response(report(exc, request_id))


def log_unexpected(exc: BaseException, request_id: str) -> None:
    """Log an error by type and code path only: exception messages may quote article text."""
    frames = [
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}"
        for f in traceback.extract_tb(exc.__traceback__)
    ]
    logger.error(
        "unhandled_error",
        extra={
            "error_type": type(exc).__name__,
            "error_code": getattr(exc, "code", None),
            "frames": frames[-12:],
            "request_id": request_id,
        },
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
