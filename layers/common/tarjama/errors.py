"""One small error hierarchy for the whole service.

Every failure a caller can cause or observe is a `TarjamaError` with a stable `code`; the HTTP status lives
here too so the mapping happens in exactly one place (the API maps `status`, the CLI maps to an exit code,
the bulk pipeline writes `code` and `message` into its error report).
"""

from __future__ import annotations

from typing import Any, ClassVar


class TarjamaError(Exception):
    """Base of every expected error. `code` is stable and documented; `message` is for humans."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 500

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class InvalidInputError(TarjamaError):
    code = "invalid_input"
    status = 422


class MalformedRequestError(TarjamaError):
    code = "malformed_request"
    status = 400


class UnsupportedMediaTypeError(TarjamaError):
    code = "unsupported_media_type"
    status = 415


class TooLargeError(TarjamaError):
    code = "too_large"
    status = 413


class NotArabicError(TarjamaError):
    code = "not_arabic"
    status = 422


class EmptyAfterCleaningError(TarjamaError):
    code = "empty_after_cleaning"
    status = 422


class NotFoundError(TarjamaError):
    code = "not_found"
    status = 404


class InProgressError(TarjamaError):
    """Another request holds the lease on this article; the caller should retry shortly."""

    code = "in_progress"
    status = 409


class ThrottledError(TarjamaError):
    code = "throttled"
    status = 429


class ModelMissingError(TarjamaError):
    """A model is not in TARJAMA_MODEL_DIR. The message always says how to get it."""

    code = "model_missing"
    status = 503


class ModelError(TarjamaError):
    code = "model_error"
    status = 500


class StoreUnavailableError(TarjamaError):
    """DynamoDB/S3 kept failing after retries. The pipeline degrades instead of raising this to callers."""

    code = "store_unavailable"
    status = 503


class GlossaryInvalidError(TarjamaError):
    """A glossary file or term list that cannot be used; `details` name the line and the reason."""

    code = "glossary_invalid"
    status = 400


class GlossaryTooLargeError(TarjamaError):
    code = "glossary_too_large"
    status = 413


class GlossaryNotFoundError(TarjamaError):
    code = "glossary_not_found"
    status = 404
