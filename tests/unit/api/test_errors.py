"""The error registry: one table, from which the statuses, the OpenAPI responses, the docs table and the bulk
worker's retry decision all come, so none of them can drift from another."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tarjama.api.app import create_app
from tarjama.api.openapi import openapi_json
from tarjama.bulk.worker import is_permanent
from tarjama.config import Settings
from tarjama.errors import (
    CODES,
    REGISTRY,
    EmptyAfterCleaningError,
    GlossaryInvalidError,
    GlossaryNotFoundError,
    GlossaryTooLargeError,
    InProgressError,
    InternalError,
    InvalidInputError,
    JobsUnavailableError,
    MalformedRequestError,
    MethodNotAllowedError,
    ModelError,
    ModelMissingError,
    NotArabicError,
    NotFoundError,
    StoreUnavailableError,
    TarjamaError,
    TooLargeError,
    UnsupportedMediaTypeError,
    markdown_table,
)
from tarjama.nlp.models import ModelProvider
from tarjama.pipeline import Digester, Ports

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"

# What callers were promised before the registry existed (docs/api.md, the API's answers): written out here,
# not read from the registry, so that a changed status or retry class fails this test.
PROMISED: dict[type[TarjamaError], tuple[str, int, bool]] = {
    MalformedRequestError: ("malformed_request", 400, False),
    NotFoundError: ("not_found", 404, False),
    MethodNotAllowedError: ("method_not_allowed", 405, False),
    InProgressError: ("in_progress", 409, True),
    TooLargeError: ("too_large", 413, False),
    UnsupportedMediaTypeError: ("unsupported_media_type", 415, False),
    InvalidInputError: ("invalid_input", 422, False),
    NotArabicError: ("not_arabic", 422, False),
    EmptyAfterCleaningError: ("empty_after_cleaning", 422, False),
    InternalError: ("internal", 500, True),
    ModelError: ("model_error", 500, True),
    ModelMissingError: ("model_missing", 503, True),
    JobsUnavailableError: ("jobs_unavailable", 503, True),
    StoreUnavailableError: ("store_unavailable", 503, True),
    GlossaryInvalidError: ("glossary_invalid", 400, False),
    GlossaryNotFoundError: ("glossary_not_found", 404, False),
    GlossaryTooLargeError: ("glossary_too_large", 413, False),
}

# API Gateway's own answers (template.yaml's GatewayResponses; no class raises them): written out likewise.
GATEWAY_PROMISED = {
    ("access_denied", 403, False),
    ("missing_authentication", 403, False),
    ("invalid_signature", 403, False),
    ("expired_token", 403, False),
    ("invalid_api_key", 403, False),
    ("throttled", 429, True),
    ("quota_exceeded", 429, True),
    ("request_rejected", 400, False),
    ("gateway_error", 502, True),
    ("timeout", 504, True),
}


@pytest.mark.parametrize("cls", list(PROMISED), ids=lambda c: c.__name__)
def test_each_exception_has_its_promised_code_status_and_retry_class(cls: type[TarjamaError]) -> None:
    error = cls("message")
    assert (error.code, error.status, error.retryable) == PROMISED[cls]
    assert error.to_dict() == {"code": PROMISED[cls][0], "message": "message", "details": {}}


def test_every_code_is_registered_once_and_raised_by_some_class() -> None:
    codes = [c.code for c in CODES]
    assert len(codes) == len(set(codes))
    raised = {code for code, _, _ in PROMISED.values()}
    assert {c.code for c in CODES if c.where != "gateway"} == raised
    assert {(c.code, c.status, c.retryable) for c in CODES if c.where == "gateway"} == GATEWAY_PROMISED


def test_a_class_with_an_unregistered_code_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match=r"not in tarjama\.errors\.CODES"):

        class Unregistered(TarjamaError):
            code = "no_such_code"


def test_an_error_raised_again_by_code_keeps_its_status_and_unknown_codes_are_internal() -> None:
    assert TarjamaError("x", code="not_arabic").status == 422
    recorded = TarjamaError("x", code="processing_failed")  # a bulk report reason, not an API code
    assert (recorded.code, recorded.status) == ("internal", 500)


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (NotArabicError("x"), True),
        (TooLargeError("x"), True),
        (InvalidInputError("x"), True),
        (EmptyAfterCleaningError("x"), True),
        (InProgressError("x"), False),  # contention: another worker holds the article
        (ModelMissingError("x"), False),
        (ModelError("x"), False),
        (StoreUnavailableError("x"), False),
    ],
)
def test_the_bulk_worker_retries_what_the_registry_calls_retryable(
    error: TarjamaError, permanent: bool
) -> None:
    assert is_permanent(error) is permanent


def _doc_rows() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- errors:begin[^>]*-->\n(.*?)\n<!-- errors:end -->", text, re.S)
    assert block is not None, "docs/api.md lost its generated errors table"
    return block.group(1).splitlines()


def test_the_docs_table_is_the_registry() -> None:
    rows = _doc_rows()
    assert "\n".join(rows) == markdown_table(), "regenerate the table in docs/api.md from tarjama.errors"
    parsed = {
        (m.group(2), int(m.group(1)), m.group(3) == "yes")
        for row in rows[2:]
        if (m := re.match(r"\| (\d{3}) \| `(\w+)` \| (yes|no) \| .+ \|$", row))
    }
    assert parsed == set(PROMISED.values()) | GATEWAY_PROMISED


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    settings = Settings()
    app = create_app(settings, Digester(settings, Ports(models=ModelProvider(settings))))
    document: dict[str, Any] = json.loads(openapi_json(app.resolver))
    return document


def _codes_at(spec: dict[str, Any], path: str, method: str, status: int) -> set[str]:
    description = spec["paths"][path][method]["responses"][str(status)]["description"]
    return set(re.findall(r"`(\w+)`:", description))


def test_openapi_lists_every_registered_code_under_its_status(spec: dict[str, Any]) -> None:
    listed: dict[str, set[int]] = {}
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                for code in re.findall(r"`(\w+)`:", response["description"]):
                    listed.setdefault(code, set()).add(int(status))
    assert {code: {REGISTRY[code].status} for code in listed} == listed  # each under its own status only
    assert set(listed) == set(REGISTRY)


def test_openapi_responses_of_each_operation(spec: dict[str, Any]) -> None:
    # the drift the registry ended: 503 of a digest listed only model_missing
    assert _codes_at(spec, "/v1/digests", "post", 503) == {"model_missing", "jobs_unavailable"}
    assert _codes_at(spec, "/v1/digests", "post", 500) == {"internal", "model_error"}
    assert _codes_at(spec, "/v1/digests", "post", 422) == {
        "invalid_input",
        "not_arabic",
        "empty_after_cleaning",
    }
    assert _codes_at(spec, "/v1/digests/{digest_id}", "get", 503) == {"store_unavailable"}
    # the function's own, and API Gateway's (SigV4, throttling, limits, timeouts) on every route
    assert set(spec["paths"]["/v1/health"]["get"]["responses"]) == {
        "200", "404", "405", "500", "400", "403", "429", "502", "504",
    }  # fmt: skip
    assert _codes_at(spec, "/v1/health", "get", 429) == {"throttled", "quota_exceeded"}
    assert _codes_at(spec, "/v1/digests", "post", 413) == {"too_large", "glossary_too_large"}
