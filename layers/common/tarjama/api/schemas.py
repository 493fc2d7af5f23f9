"""Request and response bodies of the HTTP API.

These pydantic models are the single source of both validation (Powertools validates every request body
against them) and documentation (`/v1/openapi.json` and Swagger UI are generated from them), so what is
documented is what is enforced. The digest result itself is `tarjama.result.DigestResult`, shared with the
CLI and the bulk pipeline.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from tarjama.result import DigestOptions, DigestResult
from tarjama.store.jobs import JobStatusName as JobState

# Hard ceilings of the schema itself; the effective limits come from settings (`max_chars`,
# `batch_max_items`) and are enforced by the routes with `413 too_large`, so the schema only states what
# no configuration may exceed.
REF_MAX_CHARS = 256
BATCH_HARD_MAX_ITEMS = 64


class DigestRequest(BaseModel):
    """One article, as plain text or as HTML (exactly one of the two)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [{"required": ["text"]}, {"required": ["html"]}],
            "examples": [
                {
                    "text": "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في القاهرة.",
                    "options": {"summary": "extractive", "summary_sentences": 3},
                    "ref": "story-42",
                }
            ],
        },
    )

    # Plain strings, exactly one of them present (`oneOf` above); `null` is refused like any other non-string.
    text: Annotated[
        str | None, WithJsonSchema({"type": "string", "description": "The article as plain text (UTF-8)."})
    ] = None
    html: Annotated[
        str | None,
        WithJsonSchema(
            {"type": "string", "description": "The article as an HTML page; its main text is extracted."}
        ),
    ] = None
    options: DigestOptions | None = Field(
        None, description="Per-article choices; any option left out takes the server's default."
    )
    ref: str | None = Field(
        None, max_length=REF_MAX_CHARS, description="Your reference for this article, echoed back unchanged."
    )

    @field_validator("text", "html", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must be a string (or left out)")
        return value

    @model_validator(mode="after")
    def _exactly_one_source(self) -> DigestRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of `text` or `html`")
        return self

    @property
    def raw(self) -> str:
        return self.text if self.text is not None else (self.html or "")

    @property
    def fmt(self) -> Literal["text", "html"]:
        return "text" if self.text is not None else "html"


class BatchRequest(BaseModel):
    """Several articles in one request; each is answered on its own, in order."""

    model_config = ConfigDict(extra="forbid")

    items: list[DigestRequest] = Field(
        min_length=1,
        max_length=BATCH_HARD_MAX_ITEMS,
        description="The articles (at most `batch_max_items`, 16 by default).",
    )


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `not_arabic`.")
    message: str = Field(description="What went wrong, for humans.")
    details: dict[str, Any] = Field(
        default_factory=dict, description="Structured specifics (limits, fields)."
    )


class ErrorResponse(BaseModel):
    """The one shape of every error this API returns."""

    error: ErrorBody


class JobAccepted(BaseModel):
    """A request too long to answer within the API's time limit, accepted as a job."""

    job_id: str = Field(description="Starts with `j_`.")
    status: JobState = "queued"
    status_url: str = Field(
        description="Poll this (`GET /v1/digests/{job_id}`); it returns the result when done."
    )
    ref: str | None = None
    estimated_tokens: int = Field(description="The source token estimate that made this request a job.")


class JobView(BaseModel):
    """A job's state. `result_ids` name the results (`GET /v1/digests/{id}`) once items are done."""

    job_id: str
    status: JobState
    kind: str | None = Field(None, description="`single` (from the API) or `bulk` (an uploaded file).")
    total: int | None = None
    done: int | None = None
    failed: int | None = None
    result_ids: list[str] = Field(default_factory=list)
    errors: list[ErrorBody] = Field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None
    status_url: str | None = None


class BatchItem(BaseModel):
    """One article of a batch: its result, its job (when long), or its error."""

    index: int
    ref: str | None = None
    status: Literal["done", "accepted", "error"]
    result: DigestResult | None = None
    job: JobAccepted | None = None
    error: ErrorBody | None = None


class BatchResponse(BaseModel):
    items: list[BatchItem]


class ModelHealth(BaseModel):
    name: str
    hub_id: str
    revision: str
    backend: str
    quantization: str
    kind: str
    loaded: bool


class TierHealth(BaseModel):
    """One model tier (`options.model_type`): its models and whether they are installed."""

    installed: bool
    default: bool = Field(description="The server's default tier (`TARJAMA_MODEL_TYPE`).")
    models: dict[str, ModelHealth]
    problems: list[ErrorBody] = Field(default_factory=list, description="Why the tier cannot serve.")


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="`degraded` when a default-tier model is missing.")
    version: str
    pipeline_version: str
    models: dict[str, ModelHealth] = Field(description="The default tier's models.")
    model_types: dict[str, TierHealth] = Field(
        default_factory=dict,
        description="Both tiers; a request for one not installed is `503 model_missing`.",
    )
    problems: list[ErrorBody] = Field(default_factory=list, description="Why the status is degraded.")
