"""The interfaces the pipeline sees. Importing this module imports no ML library.

Backends (`transformers`, `ctranslate2`) live in their own modules and are imported only when a model is
actually loaded, so a cache hit never pays for torch or ctranslate2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tarjama.config import Settings

_DEFAULT = {name: field.default for name, field in Settings.model_fields.items()}

# Flag names, stable: they appear in results and docs.
FLAG_REPETITION = "repetition"
FLAG_NUMBERS_MISSING = "numbers_missing"
FLAG_ARABIC_LEFT = "arabic_left"
FLAG_TRUNCATED = "truncated"
FLAG_LOW_SCORE = "low_score"
FLAG_MODEL_ERROR = "model_error"


@dataclass(frozen=True)
class TranslateOptions:
    beam_size: int = _DEFAULT["beam_size"]
    batch_size: int = _DEFAULT["batch_size"]
    # > 0: batches by padded tokens (sentences x longest source) instead of by `batch_size` sentences
    batch_tokens: int = _DEFAULT["batch_tokens"]
    # max new tokens = max_length_a * input_tokens + max_length_b (capped by the model's positions)
    max_length_a: float = 1.5
    max_length_b: int = 10
    # n-gram blocking on every decode (0 = off); a sentence flagged `repetition` is retried once with
    # `retry_no_repeat_ngram_size`
    no_repeat_ngram_size: int = 0
    retry_no_repeat_ngram_size: int = 3
    # `low_score` when the mean log-probability per output token falls below this
    low_score_threshold: float = -2.0


@dataclass
class Translation:
    source: str
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    score: float | None = None  # mean log-probability per token
    flags: list[str] = field(default_factory=list)


class Translator(Protocol):
    """Translates sentences, one item each; output in input order."""

    backend: str
    quantization: str

    def count_tokens(self, text: str) -> int: ...

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]: ...


class Summarizer(Protocol):
    """English text in, English summary out (abstractive mode)."""

    def summarize(self, text: str, max_sentences: int) -> str: ...
