"""Sentence translation with MarianMT: the part both backends share.

`BaseTranslator` owns everything but the decoder call: tokenizing, truncating to the model's positions,
length-sorted batches, output back in input order, the flags, and the one retry of repetitive output. The
backends (`backend_ct2`, `backend_hf`) only turn batches of source pieces into output pieces and a score, so
the two cannot drift apart in anything but the arithmetic.

`MarianVocab` is Marian's tokenization (sentencepiece + the joint vocab.json) without transformers, so the
CTranslate2 path never imports transformers or torch; a test checks it tokenizes exactly like
`MarianTokenizer`.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger

from tarjama.config import usable_cores
from tarjama.errors import ModelError
from tarjama.nlp.base import (
    FLAG_ARABIC_LEFT,
    FLAG_LOW_SCORE,
    FLAG_MODEL_ERROR,
    FLAG_NUMBERS_MISSING,
    FLAG_REPETITION,
    FLAG_TRUNCATED,
    TranslateOptions,
    Translation,
)
from tarjama.nlp.flags import has_arabic, is_repetitive, missing_numbers

logger = Logger(service="tarjama", child=True)

EOS = "</s>"
SPECIAL = frozenset({"</s>", "<pad>", "<s>"})


@dataclass
class Decoded:
    """One hypothesis from a backend: output pieces without EOS, whether EOS ended it, its score."""

    tokens: list[str]
    finished: bool
    score: float | None
    failed: bool = False


class MarianVocab:
    """Marian tokenization from the files of a hub snapshot (source.spm, target.spm, vocab.json)."""

    def __init__(self, hf_dir: Path) -> None:
        import sentencepiece as spm

        self.source = spm.SentencePieceProcessor(model_file=str(hf_dir / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(hf_dir / "target.spm"))
        self.vocab: dict[str, int] = json.loads((hf_dir / "vocab.json").read_text("utf-8"))

    def tokenize(self, text: str, prefix: str = "") -> list[str]:
        """Source pieces without EOS; pieces outside the joint vocabulary become `<unk>` (as Marian does)."""
        pieces: list[str] = self.source.encode(text, out_type=str)
        head = [prefix] if prefix else []
        return head + [p if p in self.vocab else "<unk>" for p in pieces]

    def detokenize(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in SPECIAL]
        return str(self.target.decode_pieces(pieces)).replace("▁", " ").strip()


def resolve_threads(threads: int) -> int:
    """`threads=0` means one per core available to this process (CTranslate2's own 0 would mean 4)."""
    return threads if threads > 0 else usable_cores()


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


class BaseTranslator(ABC):
    """The shared translation loop; subclasses implement `_decode` for their runtime."""

    backend: str
    quantization: str
    # batches the runtime decodes at the same time (CTranslate2 inter_threads); with more than one, an
    # article's sentences are spread over that many length-sorted batches so every worker has one
    parallel_batches: int = 1

    def __init__(self, hf_dir: Path, *, source_prefix: str = "", target_lang: str = "en") -> None:
        config = read_json(hf_dir / "config.json")
        self.max_positions = int(config.get("max_position_embeddings", 512))
        # the snapshot's own generation cap (512 on the published models; short on the tiny ones)
        generation = read_json(hf_dir / "generation_config.json")
        self.max_output = min(self.max_positions, int(generation.get("max_length", self.max_positions))) - 1
        self.source_prefix = source_prefix
        self.target_lang = target_lang

    # tokenization ---------------------------------------------------------------------------------

    @abstractmethod
    def tokenize(self, text: str) -> list[str]:
        """Source pieces (with the language prefix when the model needs one), without EOS."""

    @abstractmethod
    def detokenize(self, tokens: Sequence[str]) -> str: ...

    def count_tokens(self, text: str) -> int:
        """Model tokens of a sentence, including EOS: what the segmenter budgets against."""
        return len(self.tokenize(text)) + 1

    # decoding -------------------------------------------------------------------------------------

    @abstractmethod
    def _decode(
        self, batch: list[list[str]], *, beam_size: int, max_new_tokens: int, no_repeat_ngram_size: int
    ) -> list[Decoded]:
        """One batch of source pieces (each ending in EOS) to one hypothesis each, in order."""

    def max_new_tokens(self, source_tokens: int, options: TranslateOptions) -> int:
        wanted = math.ceil(options.max_length_a * source_tokens + options.max_length_b)
        return max(1, min(wanted, self.max_output))

    def batch_max_new_tokens(self, batch: list[list[str]], options: TranslateOptions) -> int:
        """New tokens a batch may decode: from its longest source (it runs until its last output ends)."""
        return self.max_new_tokens(max(len(s) for s in batch), options)

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]:
        results: list[Translation | None] = [None] * len(sentences)
        sources: dict[int, list[str]] = {}
        cut: set[int] = set()
        limit = self.max_positions - 1  # room for EOS
        for i, text in enumerate(sentences):
            if not text.strip():
                results[i] = Translation(source=text, text="")
                continue
            tokens = self.tokenize(text)
            if len(tokens) > limit:
                tokens = tokens[:limit]
                cut.add(i)
            sources[i] = [*tokens, EOS]
        decoded = self._run(sources, options, options.no_repeat_ngram_size)
        repeated = [i for i, d in decoded.items() if is_repetitive(d.tokens)]
        if repeated and options.retry_no_repeat_ngram_size > 0:
            retried = self._run(
                {i: sources[i] for i in repeated}, options, options.retry_no_repeat_ngram_size
            )
            decoded.update(retried)
        if decoded and all(out.failed for out in decoded.values()):
            # Not one sentence went through: the model itself is broken, not a sentence. Say so instead of
            # returning an article of empty translations.
            raise ModelError(
                f"The {self.target_lang} translation model failed on every sentence.",
                details={"sentences": len(decoded)},
            )
        for i, out in decoded.items():
            if out.failed:
                results[i] = Translation(source=sentences[i], text="", flags=[FLAG_MODEL_ERROR])
                continue
            text = self.detokenize(out.tokens)
            flags: list[str] = []
            if i in repeated:
                flags.append(FLAG_REPETITION)
            if missing_numbers(sentences[i], text):
                flags.append(FLAG_NUMBERS_MISSING)
            if self.target_lang != "ar" and has_arabic(text):
                flags.append(FLAG_ARABIC_LEFT)
            if i in cut or not out.finished:
                flags.append(FLAG_TRUNCATED)
            if out.score is not None and out.score < options.low_score_threshold:
                flags.append(FLAG_LOW_SCORE)
            results[i] = Translation(
                source=sentences[i],
                text=text,
                tokens_in=len(sources[i]),
                tokens_out=len(out.tokens) + (1 if out.finished else 0),
                score=None if out.score is None else round(out.score, 4),
                flags=flags,
            )
        return [r for r in results if r is not None]

    def _run(
        self, sources: dict[int, list[str]], options: TranslateOptions, ngram: int
    ) -> dict[int, Decoded]:
        """Length-sorted batches (longest first: padding is least wasted), results keyed by input index."""
        order = sorted(sources, key=lambda i: (-len(sources[i]), i))
        out: dict[int, Decoded] = {}
        size = max(1, options.batch_size)
        if self.parallel_batches > 1 and order:  # one batch per worker rather than one idle worker
            size = max(1, min(size, math.ceil(len(order) / self.parallel_batches)))
        if options.batch_tokens > 0:
            chunks = _token_batches(order, sources, options.batch_tokens, size)
        else:
            chunks = [order[start : start + size] for start in range(0, len(order), size)]
        batches = [[sources[i] for i in chunk] for chunk in chunks]
        for chunk, decoded in zip(chunks, self._decode_all(batches, options, ngram), strict=True):
            out.update(zip(chunk, decoded, strict=True))
        return out

    def _decode_all(
        self, batches: list[list[list[str]]], options: TranslateOptions, ngram: int
    ) -> list[list[Decoded]]:
        """Every batch, in order; a backend that runs batches in parallel overrides this."""
        return [self._decode_safely(batch, options, ngram) for batch in batches]

    def _decode_safely(self, batch: list[list[str]], options: TranslateOptions, ngram: int) -> list[Decoded]:
        """A failing batch is retried sentence by sentence; a sentence that still fails is marked, not raised.

        One bad sentence (a runtime error in the decoder) must not cost the whole article.
        """
        try:
            return self._decode(
                batch,
                beam_size=options.beam_size,
                max_new_tokens=self.batch_max_new_tokens(batch, options),
                no_repeat_ngram_size=ngram,
            )
        except Exception as exc:  # any failure of the decoder: isolate it to the sentence that causes it
            logger.warning("decode failed", extra={"batch": len(batch), "error": type(exc).__name__})
            if len(batch) > 1:
                return [d for item in batch for d in self._decode_safely([item], options, ngram)]
            return [Decoded(tokens=[], finished=True, score=None, failed=True)]


def _token_batches(
    order: list[int], sources: dict[int, list[str]], budget: int, most: int
) -> list[list[int]]:
    """Longest-first batches whose padded size (sentences x longest source) stays within `budget` tokens.

    Short sentences then share a batch by the dozen while long ones go a few at a time; `most` still caps
    the sentences of a batch.
    """
    chunks: list[list[int]] = []
    for i in order:
        if (
            chunks
            and len(chunks[-1]) < most
            and (len(chunks[-1]) + 1) * len(sources[chunks[-1][0]]) <= budget
        ):
            chunks[-1].append(i)
        else:
            chunks.append([i])
    return chunks
