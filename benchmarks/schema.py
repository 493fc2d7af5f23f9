"""The benchmark's typed contract: the plans, what each measurement returns, and the result JSON.

`run.py` writes a `BenchResult` (benchmarks/results/latest.json); `render.py` reads one back. Both use these
models, so a field renamed on one side is a type error on the other, not a KeyError in a doc at the end
of a fifteen-minute run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

TIERS = ("quality_optimized", "latency_optimized")


@dataclass(frozen=True)
class Plan:
    """What one run measures. Every field has its default here; the named plans change a few."""

    name: str
    tiers: tuple[str, ...] = TIERS
    headline_reps: int = 3  # alternating peer/service passes per tier, each in a fresh process
    # seed sentences per pass, taken across the five articles (0 = all ~65): 32 = two full batches of 16
    headline_sentences: int = 32
    beam: int = 4
    batch_size: int = 16
    fixed_tokens: int = 48  # fixed-length throughput rows decode this many tokens a sentence (>= 48)
    fixed_batches: tuple[int, ...] = (16,)
    fixed_sentences: int = 16
    e2e_articles: int = 0  # 0 = all five seed articles
    levers: bool = True
    lever_articles: int = 2
    cold_start: bool = True


PLANS: dict[str, Plan] = {
    "full": Plan("full"),
    "quick": Plan("quick", headline_reps=1, headline_sentences=16, e2e_articles=1, levers=False),
    # the unit test's: tiny models, in-process, seconds
    "smoke": Plan(
        "smoke",
        headline_reps=2,
        headline_sentences=6,
        beam=2,
        batch_size=4,
        fixed_tokens=48,
        fixed_batches=(2,),
        fixed_sentences=4,
        e2e_articles=1,
        lever_articles=1,
    ),
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rate(Model):
    tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0


class HeadlineSide(Model):
    """One side of one headline pass: the same sentences, each decoding its own forced length."""

    tier: str
    side: str  # "peer" (plain transformers fp32) or "service" (the production path)
    model: str
    sentences: int
    source_tokens: int
    ideal_tokens: int  # sum of every sentence's own forced length
    decoded_tokens: int  # what was decoded: equal to ideal when each sentence ended at its own length
    rate: Rate
    peak_rss_mb: float
    load_average_at_start: list[float] = Field(default_factory=list)


class HeadlinePass(Model):
    peer: HeadlineSide
    service: HeadlineSide

    @property
    def ratio(self) -> float:
        return self.service.rate.tokens_per_s / max(1e-9, self.peer.rate.tokens_per_s)


class FixedRow(Model):
    tier: str
    backend: str
    beam: int
    batch: int
    tokens_per_sentence: int
    sentences: int
    rate: Rate
    peak_rss_mb: float


class ArticleRun(Model):
    file: str
    seconds: float
    timings_ms: dict[str, float]
    sentences: int
    words: int
    tokens_in: int
    tokens_out: int
    decoded: dict[str, dict[str, int]]  # per role: source / forced / ideal pieces, summarizer input
    raw_chars: int
    clean_chars: int
    summary_method: str | None


class E2E(Model):
    """The seed articles through the real Digester, one tier, one summary mode, one variant of settings."""

    tier: str
    summary: str
    variant: str = "default"
    note: str = ""
    articles: list[ArticleRun]
    cache_hit_mean_s: float
    first_article_with_load_s: float
    compute_types: dict[str, str | None]
    models: dict[str, str]
    torch_imported: bool
    peak_rss_mb: float
    load_average_at_start: list[float] = Field(default_factory=list)

    @property
    def mean_s(self) -> float:
        return sum(a.seconds for a in self.articles) / max(1, len(self.articles))

    def mean(self, role: str, key: str) -> float:
        return sum(a.decoded.get(role, {}).get(key, 0) for a in self.articles) / max(1, len(self.articles))

    def stage_ms(self, stage: str) -> float:
        return sum(a.timings_ms.get(stage, 0.0) for a in self.articles) / max(1, len(self.articles))


class ColdStart(Model):
    tier: str
    import_s: float
    load_s: float
    first_result_s: float
    total_s: float
    process_wall_s: float = 0.0
    peak_rss_mb: float


class Memory(Model):
    """One process with every model of both tiers loaded and used."""

    models: list[str]
    peak_rss_mb: float


class Target(Model):
    name: str
    tier: str
    limit: float
    value: float | None
    unit: str
    met: bool
    detail: str = ""


class Cost(Model):
    tier: str
    summary: str
    seconds: float
    gb_s_per_1000: float
    usd_per_1000: float


class Machine(Model):
    cpu_model: str
    logical_cpus: int | None
    physical_cores: int
    threads_used: int
    memory_gb: float
    platform: str
    load_average_at_start: list[float]
    load_average_at_end: list[float] = Field(default_factory=list)


class BenchResult(Model):
    timestamp: str
    plan: str
    plan_settings: dict[str, object]
    model_dir: str
    model_kind: str
    machine: Machine
    versions: dict[str, str]
    assumptions: dict[str, float]
    headline: dict[str, list[HeadlinePass]]  # per tier
    fixed: list[FixedRow]
    e2e: list[E2E]
    levers: list[E2E]
    cold_start: list[ColdStart]
    memory: Memory | None
    targets: list[Target]
    cost: list[Cost]
    lambda_memory_mb: int
    amazon_translate_usd_per_1000: float
    seconds: float


@dataclass
class Levers:
    """The end-to-end variants measured on the quality tier: what each setting buys or costs."""

    extractive: dict[str, dict[str, object]] = field(
        default_factory=lambda: {
            "default": {},
            "full_vocab": {"target_vocab": False},
            "threads_1": {"threads": 1},
            "inter_per_thread": {"inter_threads": 0},
            "batch_8": {"batch_size": 8},
            "batch_32": {"batch_size": 32},
            "batch_tokens_1024": {"batch_tokens": 1024, "batch_size": 64},
        }
    )
    abstractive: dict[str, dict[str, object]] = field(
        default_factory=lambda: {
            "default": {},
            "summarizer_6_6": {"summarizer": "summarizer-6-6"},
            "summarizer_input_512": {"summary_input_cap": 512},
            "summarizer_beam_2": {"summary_beam": 2},
        }
    )
