"""Settings, read from the environment once, at first use.

One typed object is passed to whatever needs it; nothing else reads `os.environ` for tarjama's own
settings. boto3 endpoints are *not* here: they come from boto3's standard configuration
(`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB`, ...), so the same code reaches AWS, moto or DynamoDB Local.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["auto", "ctranslate2", "transformers"]
SummaryMode = Literal["abstractive", "extractive", "none"]
# The model tiers, named like DeepL's `model_type`: which translation (and summary) models run.
ModelType = Literal["quality_optimized", "latency_optimized"]
MODEL_TYPES: tuple[ModelType, ...] = ("quality_optimized", "latency_optimized")

ENV_PREFIX = "TARJAMA_"


class Settings(BaseModel):
    """Every knob of the service. Field `x` is read from `TARJAMA_X` (upper case)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # models
    model_dir: Path = Field(Path(".models/real"), description="Directory holding the models of the manifest.")
    models: Literal["real", "tiny", "twin"] = Field("real", description="Which model set `make run` uses.")
    model_type: ModelType = Field(
        "quality_optimized",
        description="Default model tier: quality_optimized (opus-mt-tc-big) or latency_optimized (opus-mt).",
    )
    backend: Backend = Field("auto", description="auto = ctranslate2 when converted models exist.")
    threads: int = Field(0, ge=0, description="Threads for the models; 0 = one per core.")
    inter_threads: int = Field(
        1, ge=0, description="Translation batches decoded in parallel (ctranslate2); 0 = one per thread."
    )
    batch_size: int = Field(16, ge=1, le=256, description="Sentences per translation batch.")
    batch_tokens: int = Field(
        0, ge=0, description="> 0: translation batches by padded source tokens, at most batch_size sentences."
    )
    target_vocab: bool = Field(
        True, description="Translators score only the pieces their target tokenizer can write (faster)."
    )
    beam_size: int = Field(4, ge=1, le=8, description="Default beam size.")
    summary: SummaryMode = Field("extractive", description="Default summary mode.")
    summary_sentences: int = Field(3, ge=1, le=10, description="Default summary length in sentences.")
    # storage
    table: str | None = Field(None, description="DynamoDB table for results, translation memory, jobs.")
    results_bucket: str | None = Field(None, description="S3 bucket for large results and bulk outputs.")
    input_bucket: str | None = Field(None, description="S3 bucket bulk files are uploaded to.")
    queue_url: str | None = Field(None, description="SQS work queue URL.")
    cache_ttl_days: int = Field(30, ge=1, description="Days a cached result lives.")
    lease_seconds: int = Field(120, ge=5, description="How long an in-progress lease blocks other workers.")
    lease_wait_seconds: float = Field(8.0, ge=0, description="How long a request waits on another's lease.")
    # limits
    max_chars: int = Field(100_000, ge=1000, description="Largest article accepted, in characters.")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest HTTP body accepted.")
    batch_max_items: int = Field(16, ge=1, le=64, description="Articles per `POST /v1/digests:batch`.")
    sync_token_budget: int = Field(
        2500, ge=1, description="Source tokens above which an API request becomes an async job."
    )
    cold_load_tokens: int = Field(
        1400, ge=0, description="Budget tokens a cold model load costs (counted when none is loaded)."
    )
    eager_init: bool = Field(
        False, description="Load the models when the API process starts (provisioned concurrency)."
    )
    bulk_max_file_bytes: int = Field(1 << 30, ge=1, description="Largest bulk upload.")
    bulk_max_articles: int = Field(100_000, ge=1, description="Most articles in one bulk file.")
    bulk_max_article_bytes: int = Field(262_144, ge=1, description="Largest single article in a bulk file.")
    bulk_max_decompressed_bytes: int = Field(2 << 30, ge=1, description="Decompressed size cap (bombs).")
    bulk_max_compression_ratio: int = Field(100, ge=2, description="Zip entry ratio meaning a bomb.")
    bulk_max_receives: int = Field(3, ge=1, description="SQS receives before an article is recorded failed.")
    bulk_inline_max_bytes: int = Field(
        200_000, ge=1024, le=250_000, description="Largest message body; bigger articles travel through S3."
    )
    bulk_job_ttl_days: int = Field(14, ge=1, description="Days a job record and its markers live.")
    bulk_dead_letter_arn: str | None = Field(
        None, description="The work queue's DLQ; its messages reaching the worker are recorded as failed."
    )
    bulk_finalize_attempts: int = Field(
        5, ge=1, description="Tries at writing a job's final files before the job ends `failed`."
    )
    bulk_finalize_retry_seconds: int = Field(
        30, ge=0, le=900, description="First retry delay of a failed finalization; doubles, at most 900."
    )
    job_events: bool = Field(
        True, description="Publish `Digest Job State Change` events on the default EventBridge bus."
    )

    def model_threads(self) -> int:
        """The threads the models run on: `threads`, or for 0 one per usable core (the one definition)."""
        return self.threads or usable_cores()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = {
            name: env[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if env.get(ENV_PREFIX + name.upper()) not in (None, "")
        }
        return cls.model_validate(values)


def usable_cores() -> int:
    """CPUs this process may run on (Lambda's vCPUs), not CTranslate2's own default of 4 for `threads=0`.

    On 2 vCPUs, 4 OpenMP threads oversubscribe the cores; one thread per core is the safe choice.
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # not Linux


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; read once (Lambda reuses the process between invocations)."""
    return Settings.from_env()
