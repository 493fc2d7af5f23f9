"""The result of digesting one article: the contract other services rely on (DESIGN.md).

Fields may be added; the names of DESIGN.md are never renamed. The same pydantic models generate the API's
OpenAPI schema, so the documentation cannot drift from what is returned.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from tarjama.config import ModelType, Settings, SummaryMode

SummaryMethod = Literal["abstractive", "extractive", "none"]
# One definition of each default: the settings' (a request that leaves a field out gets the same value).
_DEFAULT = {name: field.default for name, field in Settings.model_fields.items()}


class TermIn(BaseModel):
    """One inline glossary term."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ar: str = Field(min_length=1, max_length=200, description="The Arabic, as a glossary entry.")
    en: str = Field(min_length=1, max_length=200, description="The English it must become.")


def _unset(value: object) -> bool:
    return value is None


class TermOptions(BaseModel):
    """Glossary options (docs/glossaries.md); the base of `DigestOptions`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Left out of a dump when unset, so options without them serialize (and key the cache) as before.
    glossary: str | None = Field(
        None,
        exclude_if=_unset,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Name of a stored glossary (`PUT /v1/glossaries/{name}`) to enforce.",
    )
    terms: list[TermIn] | None = Field(
        None,
        exclude_if=_unset,
        max_length=100,
        description="Inline glossary terms (at most 100), enforced with the glossary's.",
    )
    keep: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        None,
        exclude_if=_unset,
        max_length=100,
        description="Spans of the source to keep verbatim in the English.",
    )


class DigestOptions(TermOptions):
    """What a caller may choose per article. The backend is the server's choice, not the caller's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    summary: SummaryMode = Field(_DEFAULT["summary"], description="Summary mode.")
    summary_sentences: int = Field(
        _DEFAULT["summary_sentences"], ge=1, le=10, description="Summary length in sentences."
    )
    beam_size: int = Field(_DEFAULT["beam_size"], ge=1, le=8, description="Beam size for translation.")
    model_type: ModelType | None = Field(
        None,
        exclude_if=_unset,  # unset = the server's default, resolved (and keyed) by the Digester
        description="Model tier: `quality_optimized` (opus-mt-tc-big, the best open Arabic->English) or "
        "`latency_optimized` (opus-mt, faster). Default: the server's (`TARJAMA_MODEL_TYPE`).",
    )


class TermUse(BaseModel):
    """A glossary term or kept span found in a sentence, and whether its target is in the English."""

    ar: str = Field(description="The glossary entry as written in the glossary (a kept span: itself).")
    en: str = Field(description="The target.")
    found: str = Field(description="The text as it appears in the sentence, clitics included.")
    applied: bool = Field(description="The target is in the sentence's English.")
    keep: bool = Field(False, description="A do-not-translate span rather than a glossary term.")


class GlossaryUse(BaseModel):
    """What of the request's glossary the result holds (`term_missed` flags the sentences it missed)."""

    name: str | None = Field(description="The stored glossary's name (null with inline terms only).")
    version: str | None = Field(description="The stored glossary's version (content hash).")
    inline_version: str | None = Field(None, description="Content hash of the inline terms, if any.")
    applied: int = Field(description="Term occurrences whose target is in the English.")
    missed: int = Field(description="Term occurrences whose target is not.")


class SourceView(BaseModel):
    title: str
    paragraphs: list[str]
    sentences: list[str]


class SentencePair(BaseModel):
    ar: str
    en: str
    flags: list[str] = Field(default_factory=list, description="Quality flags, e.g. `numbers_missing`.")
    from_memory: bool = Field(False, description="Served by the translation memory, not the model.")
    terms: list[TermUse] = Field(
        default_factory=list, description="Glossary terms and kept spans found in the sentence."
    )


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
    glossary: GlossaryUse | None = Field(None, description="Null when the request named no glossary or term.")
    usage: Usage
    timings_ms: dict[str, float] = Field(default_factory=dict)
    pipeline_version: str
    model_type: ModelType | None = Field(None, description="The model tier that produced this result.")
