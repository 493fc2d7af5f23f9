"""The one decision of the digest routes: digest an article now, or accept it as a job.

An article whose estimated source tokens exceed what is left of the request's time budget becomes a job (a
single article against the whole budget; a batch item against what the items before it left). The estimate
is cheap and needs no tokenizer, so a request that becomes a job never loads a model. A process that has
not loaded the request's translator yet (a cold start) must load it first: that time counts too, as
`cold_load_tokens` of the budget (docs/deploy.md, "Cold starts").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tarjama import glossing
from tarjama.api.jobs import Jobs
from tarjama.api.schemas import DigestRequest, JobAccepted
from tarjama.config import Settings
from tarjama.observability import emit_metric
from tarjama.pipeline import Digester, check_size, effective_options
from tarjama.result import DigestResult

TOKENS_PER_WORD = 1.6  # Marian's sentencepiece on Arabic news: ~1.3-1.6 pieces a word; err on the high side


def estimate_tokens(raw: str, fmt: str) -> int:
    """A cheap upper-side estimate of source tokens, without a tokenizer: words times a safe factor.

    Markup is skipped for HTML by a linear scan (no regular expression a hostile page could make slow).
    """
    if fmt == "html":
        parts = raw.split("<")
        raw = " ".join([parts[0], *(p.split(">", 1)[1] if ">" in p else p for p in parts[1:])])
    return math.ceil(len(raw.split()) * TOKENS_PER_WORD)


def cold_load_tokens(digester: Digester, model_type: str | None, settings: Settings) -> int:
    """The budget a model load would take: `settings.cold_load_tokens` when the tier's translator is not in
    memory in this process, else nothing (asking loads nothing)."""
    loaded = digester.ports.models.for_tier(model_type).loaded()
    return 0 if loaded.get("translation") else settings.cold_load_tokens


@dataclass(frozen=True)
class Outcome:
    """A digested article (`result`) or an accepted job (`job`); `tokens` is the estimate either way."""

    tokens: int
    result: DigestResult | None = None
    job: JobAccepted | None = None


def digest_or_submit(
    request: DigestRequest, *, budget: int, settings: Settings, digester: Digester, jobs: Jobs
) -> Outcome:
    """One article within `budget` source tokens: digested now, else accepted as a job."""
    raw = request.raw
    check_size(raw, settings.max_chars)
    options = effective_options(request.options, settings)
    estimate = estimate_tokens(raw, request.fmt) + cold_load_tokens(digester, options.model_type, settings)
    if estimate > budget:
        # An unknown glossary or bad inline terms are refused now (404/400), not found by the worker later.
        glossing.resolve(options, glossaries=digester.ports.glossaries, glossary=digester.glossary)
        job_id = jobs.submit(raw, request.fmt, options, request.ref)
        emit_metric("JobsAccepted")
        status_url = f"/v1/digests/{job_id}"
        job = JobAccepted(job_id=job_id, status_url=status_url, ref=request.ref, estimated_tokens=estimate)
        return Outcome(estimate, job=job)
    result = digester.digest(raw, fmt=request.fmt, options=options, ref=request.ref)
    emit_metric("CacheHits" if result.cached else "CacheMisses")
    if not result.cached:
        emit_metric("SentencesFromMemory", float(result.usage.sentences_from_memory))
        emit_metric("TokensTranslated", float(result.usage.tokens_in))
    return Outcome(estimate, result=result)
