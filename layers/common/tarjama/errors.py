"""Every error code of the service, once: the registry, and the exception hierarchy built on it.

`CODES` is the single table of (code, HTTP status, retryable, where, description). Everything else is derived
from it: an exception's HTTP status and retry class (`TarjamaError.status`, `.retryable`), the OpenAPI error
responses (`tarjama.api.openapi`), the table in docs/api.md (`markdown_table`, kept equal by a test), and the
bulk worker's decision to retry an article. Adding a code is one line in `CODES` (plus an exception class
when code raises it); a class whose code is not in the table fails at import.

`where` says which operations can answer a code, for the OpenAPI document: `any` (every route), `body`
(the routes that digest a posted body), `result` (reading a stored result), `glossary` (the glossary
routes, and digests that name a glossary or give terms), `gateway` (answered by API Gateway itself, before or
instead of the function, on any route: template.yaml's `GatewayResponses` give them this shape and code, and
tests/unit/test_template.py checks each against this table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Where = Literal["any", "body", "result", "glossary", "gateway"]


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    retryable: bool
    """Trying again later can succeed (contention, an outage); otherwise the input itself is the problem."""
    where: Where
    description: str
    """Markdown, for humans: the docs table and the OpenAPI responses."""


# One line a code: the table reads better unwrapped.
# fmt: off
CODES: tuple[ErrorCode, ...] = (
    ErrorCode("malformed_request", 400, False, "body", "the body is empty, not UTF-8, not JSON, nested deeper than 32, or cannot be parsed for any other reason"),  # noqa: E501
    ErrorCode("not_found", 404, False, "any", "unknown route, result id (unknown or expired) or job id"),
    ErrorCode("method_not_allowed", 405, False, "any", "wrong method for a route (`Allow` says which)"),
    ErrorCode("in_progress", 409, True, "body", "the same article is being digested by another request; retry shortly"),  # noqa: E501
    ErrorCode("too_large", 413, False, "body", "body, article or batch over its limit"),
    ErrorCode("unsupported_media_type", 415, False, "body", "not `Content-Type: application/json` (`; charset=utf-8` is fine)"),  # noqa: E501
    ErrorCode("invalid_input", 422, False, "body", "wrong or unknown fields, wrong types, out-of-range options, both or neither of `text`/`html`; `details.errors` lists `loc`, `type`, `msg` (never your input)"),  # noqa: E501
    ErrorCode(
        "not_arabic",
        422,
        False,
        "body",
        "the article is not Arabic: mostly another script, or another Arabic-script language such as "
        "Persian or Urdu; details give the detected language and confidence (and the letter counts)",
    ),
    ErrorCode("empty_after_cleaning", 422, False, "body", "nothing of an article is left after cleaning (empty, whitespace, only page chrome)"),  # noqa: E501
    ErrorCode("internal", 500, True, "any", "an unexpected error; `details.request_id` finds it in the logs"),
    ErrorCode("model_error", 500, True, "body", "a model could not be loaded or run (a backend not installed, a corrupt model); the message says which"),  # noqa: E501
    ErrorCode("model_missing", 503, True, "body", "the models are not installed on this server (the message says how to get them)"),  # noqa: E501
    ErrorCode("jobs_unavailable", 503, True, "body", "a long article, and no work queue configured to take it as a job"),  # noqa: E501
    ErrorCode("glossary_invalid", 400, False, "glossary", "a glossary file or term list that cannot be used; `details` name the line and the reason"),  # noqa: E501
    ErrorCode("glossary_not_found", 404, False, "glossary", "no glossary of that name (`options.glossary`, or a glossary route)"),  # noqa: E501
    ErrorCode("glossary_too_large", 413, False, "glossary", "a glossary over its limits (terms, bytes a term side)"),  # noqa: E501
    ErrorCode("access_denied", 403, False, "gateway", "API Gateway refused the caller: its IAM identity may not invoke this route (`execute-api:Invoke`), or a WAF rule filtered the request"),  # noqa: E501
    ErrorCode("missing_authentication", 403, False, "gateway", "API Gateway found no SigV4 signature (no `Authorization` header), or the path is outside the API's `/v1` routes (it answers both alike)"),  # noqa: E501
    ErrorCode("invalid_signature", 403, False, "gateway", "API Gateway could not verify the SigV4 signature (wrong key, region, service `execute-api`, or a changed request)"),  # noqa: E501
    ErrorCode("expired_token", 403, False, "gateway", "the signing credentials (session token) have expired: sign again with fresh ones"),  # noqa: E501
    ErrorCode("invalid_api_key", 403, False, "gateway", "an API key is required (`ApiKeyRequired`) and `x-api-key` is missing or unknown"),  # noqa: E501
    ErrorCode("throttled", 429, True, "gateway", "over the stage's or the API key's request rate: back off and retry"),  # noqa: E501
    ErrorCode("quota_exceeded", 429, True, "gateway", "the API key's daily quota is used up; it resets the next day"),  # noqa: E501
    ErrorCode("request_rejected", 400, False, "gateway", "any other refusal by API Gateway (the status is its own 4xx; `message` says why)"),  # noqa: E501
    ErrorCode("gateway_error", 502, True, "gateway", "API Gateway could not get an answer from the function (it failed or is misconfigured; any 5xx of its own)"),  # noqa: E501
    ErrorCode("timeout", 504, True, "gateway", "the function did not answer within API Gateway's 29 s (a long article should have become a job: retry)"),  # noqa: E501
    ErrorCode("store_unavailable", 503, True, "result", "`GET /v1/digests/{id}` while the result store (DynamoDB) is unreachable: retry (a digest `POST` is still served, without the cache)"),  # noqa: E501
)
# fmt: on
REGISTRY: Mapping[str, ErrorCode] = {c.code: c for c in CODES}


def lookup(code: str) -> ErrorCode:
    """The registry entry of `code`; an unknown code (e.g. a bulk report reason) counts as `internal`."""
    return REGISTRY.get(code, REGISTRY["internal"])


def markdown_table() -> str:
    """The errors table of docs/api.md, from the registry (tests/unit/api/test_errors.py keeps them equal)."""
    rows = ["| Status | `code` | Retry | When |", "|---|---|---|---|"]
    for c in sorted(CODES, key=lambda c: c.status):
        rows.append(f"| {c.status} | `{c.code}` | {'yes' if c.retryable else 'no'} | {c.description} |")
    return "\n".join(rows)


class TarjamaError(Exception):
    """Base of every expected error. `code` is stable and documented; `message` is for humans.

    The status and retry class are the registry's, never set per class: one table, no drift.
    """

    code: str = "internal"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.code not in REGISTRY:
            raise TypeError(f"{cls.__name__}.code `{cls.code}` is not in tarjama.errors.CODES")

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}
        if code is not None:  # an error recorded earlier (a job's), raised again with its own code
            self.code = lookup(code).code

    @property
    def status(self) -> int:
        return REGISTRY[self.code].status

    @property
    def retryable(self) -> bool:
        return REGISTRY[self.code].retryable

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class InvalidInputError(TarjamaError):
    code = "invalid_input"


class MalformedRequestError(TarjamaError):
    code = "malformed_request"


class UnsupportedMediaTypeError(TarjamaError):
    code = "unsupported_media_type"


class TooLargeError(TarjamaError):
    code = "too_large"


class NotArabicError(TarjamaError):
    code = "not_arabic"


class EmptyAfterCleaningError(TarjamaError):
    code = "empty_after_cleaning"


class NotFoundError(TarjamaError):
    """No such route, result or job."""

    code = "not_found"


class MethodNotAllowedError(TarjamaError):
    code = "method_not_allowed"


class InProgressError(TarjamaError):
    """Another request holds the lease on this article; the caller should retry shortly."""

    code = "in_progress"


class InternalError(TarjamaError):
    """Something we did not expect. The message says nothing of the cause; the request id finds the log."""

    code = "internal"


class ModelMissingError(TarjamaError):
    """A model is not in TARJAMA_MODEL_DIR. The message always says how to get it."""

    code = "model_missing"


class ModelError(TarjamaError):
    code = "model_error"


class JobsUnavailableError(TarjamaError):
    """Long articles need the work queue; without one configured they cannot be accepted."""

    code = "jobs_unavailable"


class StoreUnavailableError(TarjamaError):
    """DynamoDB/S3 kept failing after retries. The pipeline degrades instead of raising this to callers."""

    code = "store_unavailable"


class GlossaryInvalidError(TarjamaError):
    """A glossary file or term list that cannot be used; `details` name the line and the reason."""

    code = "glossary_invalid"


class GlossaryTooLargeError(TarjamaError):
    code = "glossary_too_large"


class GlossaryNotFoundError(TarjamaError):
    code = "glossary_not_found"
