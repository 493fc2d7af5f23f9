"""The result of digesting one article: the contract other services rely on (DESIGN.md).

Fields may be added; the names of DESIGN.md are never renamed. The same pydantic models generate the API's
OpenAPI schema, so the documentation cannot drift from what is returned.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tarjama.config import SummaryMode

SummaryMethod = Literal["abstractive", "extractive", "none"]


class DigestOptions(BaseModel):
    """What a caller may choose per article. The backend is the server's choice, not the caller's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    summary: SummaryMode = Field("extractive", description="Summary mode.")
    summary_sentences: int = Field(3, ge=1, le=10, description="Summary length in sentences.")
    beam_size: int = Field(4, ge=1, le=8, description="Beam size for translation.")


class SourceView(BaseModel):
    title: str
    paragraphs: list[str]
    sentences: list[str]


class SentencePair(BaseModel):
    ar: str
    en: str
    flags: list[str] = Field(default_factory=list, description="Quality flags, e.g. `numbers_missing`.")
    from_memory: bool = Field(False, description="Served by the translation memory, not the model.")


class TranslationView(BaseModel):
    title: str
    text: str
    sentences: list[SentencePair]


class Summary(BaseModel):
    ar: str
    en: str
    method: SummaryMethod
    requested: SummaryMethod = Field(description="The method asked for; differs from `method` on fallback.")
    fallback_reason: str | None = None


class ModelRef(BaseModel):
    name: str
    hub_id: str
    revision: str
    backend: str
    quantization: str
    kind: Literal["real", "tiny", "twin"] = "real"
    vocabulary: Literal["target", "full"] = Field(
        "full", description="`target`: the decoder scored only the pieces its target tokenizer can write."
    )


class Usage(BaseModel):
    """What a caller can bill or budget by."""

    source_chars: int = Field(description="Characters of the cleaned article (title + paragraphs).")
    input_chars: int = Field(0, description="Characters received, page chrome and markup included.")
    sentences: int
    tokens_in: int = 0
    tokens_out: int = 0
    sentences_from_memory: int = 0


class DigestResult(BaseModel):
    id: str = Field(description="Fingerprint of everything that shaped this result; `GET /v1/digests/{id}`.")
    ref: str | None = Field(None, description="The caller's reference, echoed back.")
    source: SourceView
    translation: TranslationView
    summary: Summary | None
    models: dict[str, ModelRef]
    cached: bool = False
    usage: Usage
    timings_ms: dict[str, float] = Field(default_factory=dict)
    pipeline_version: str
