"""What every benchmark step shares: the seed sentences, peak RSS, the machine, forced-length decoding.

Imports no ML library at module level: the cold-start step times those imports itself.
"""

from __future__ import annotations

import os
import platform
import resource
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tarjama.nlp.base import TranslateOptions, Translation

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MAX_SENTENCE_TOKENS = 200  # the Digester's own cap (pipeline.Digester.max_sentence_tokens)

# Token counts at an assumed real tokenization. The shape twins' sentencepiece models are trained on the
# 25 kB sample corpus (1,200 Arabic pieces, padded to the real 62,834-entry vocabulary) and cut an Arabic
# word into 2.1 pieces; opus-mt-ar-en's source.spm has 32k pieces trained on OPUS, which cannot be loaded
# offline here. These figures are the assumption, stated in the docs next to the twin-tokenizer result:
AR_PIECES_PER_WORD = 1.5  # Arabic whitespace word (clitics and punctuation split off) -> 32k spm pieces
EN_PIECES_PER_WORD = 1.3  # English word -> 32k spm pieces or BART BPE tokens (news English)
OUTPUT_RATIO = 1.1  # ar->en output pieces per source piece (~1.3 English words per Arabic word)
BACK_RATIO = 1.0  # en->ar (the summary's back-translation): Arabic pieces per English piece


def seed_files() -> list[Path]:
    return sorted(FIXTURES.glob("00*.txt"))


def seed_sentences(tokenize: Any | None = None) -> list[str]:
    """Every sentence of the seed articles, cleaned and segmented the way the service does it."""
    return [s for article in article_sentences(tokenize) for s in article]


def article_sentences(tokenize: Any | None = None) -> list[list[str]]:
    """The seed articles' sentences, one list per article (what one `translate` call gets)."""
    from tarjama.text import clean, segment_article

    def length(text: str) -> int:
        return len(tokenize(text)) + 1 if tokenize is not None else len(text.split())

    out: list[list[str]] = []
    for path in seed_files():
        article = clean(path.read_text("utf-8"), "auto")
        out.append([s.text for s in segment_article(article, max_length=MAX_SENTENCE_TOKENS, length=length)])
    return out


def resized(pieces: list[str], want: int) -> list[str]:
    """`pieces` cut (or cycled) to `want` pieces, a language prefix kept in front."""
    head = pieces[:1] if pieces and pieces[0].startswith(">>") else []
    body = pieces[len(head) :] or ["<unk>"]
    want = max(1, want)
    return head + [body[i % len(body)] for i in range(want)]


def peak_rss_mb() -> float:
    """This process's peak resident set (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def physical_cores() -> int:
    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
    except ImportError:
        cores = None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores or usable, usable))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("tarjama", "ctranslate2", "torch", "transformers", "numpy", "sentencepiece"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "missing"
    return out


def machine(threads: int) -> dict[str, Any]:
    import psutil

    return {
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "physical_cores": physical_cores(),
        "threads_used": threads,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------------- forced-length decoding


class ForcedLength:
    """Wraps the summarizer's model so every decode runs to its maximum length (the budget's worst case).

    Random weights end on EOS arbitrarily; min = max makes the work depend on the budget only.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def translate_batch(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("max_decoding_length") is not None:
            kwargs["min_decoding_length"] = kwargs["max_decoding_length"]
        return self._inner.translate_batch(source, *args, **kwargs)

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        if "max_length" in kwargs:
            kwargs["min_length"] = kwargs["max_length"]
        if "max_new_tokens" in kwargs:
            kwargs["min_new_tokens"] = kwargs["max_new_tokens"]
        return self._inner.generate(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TwinTranslator:
    """The real translator (its batching, sorting, parallel batches) with forced output lengths.

    Sets the benchmark-only `TranslateOptions.forced_output_ratio`: on CTranslate2 every sentence decodes
    exactly round(ratio x its source) tokens and leaves its batch, as at a real EOS. Counts the decoded
    tokens against those ideal ones (equal unless a runtime forces whole batches: the overshoot).
    With `pieces_per_word`, every sentence's source is cut to round(pieces_per_word x its words) pieces
    (the assumed real tokenization); the segmenter sees the same counts. Also turns off the retry of
    repetitive output (random weights repeat themselves; a real model rarely does).
    """

    def __init__(self, inner: Any, ratio: float, pieces_per_word: float | None = None) -> None:
        self._inner = inner
        self.ratio = ratio
        self.pieces_per_word = pieces_per_word
        self.counts = {"calls": 0, "sentences": 0, "source": 0, "forced": 0, "ideal": 0}
        self.last_ideal = 0
        if pieces_per_word is not None and not getattr(inner, "_twin_resized", False):
            real = inner.tokenize

            def tokenize(text: str) -> list[str]:
                return resized(real(text), round(pieces_per_word * max(1, len(text.split()))))

            inner.tokenize = tokenize
            inner._twin_resized = True

    def translate(self, sentences: Any, options: TranslateOptions) -> list[Translation]:
        forced = replace(options, forced_output_ratio=self.ratio, retry_no_repeat_ngram_size=0)
        result: list[Translation] = self._inner.translate(sentences, forced)
        cap = int(getattr(self._inner, "max_output", 1 << 30))  # the model's own output limit
        ideal = sum(min(cap, max(1, round(self.ratio * t.tokens_in))) for t in result if t.tokens_in)
        self.counts["calls"] += 1
        self.counts["sentences"] += sum(1 for t in result if t.tokens_in)
        self.counts["source"] += sum(t.tokens_in for t in result)
        self.counts["forced"] += sum(t.tokens_out for t in result)
        self.counts["ideal"] += ideal
        self.last_ideal = ideal
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TwinSummarizer:
    """The real summarizer on an input of realistic length, decoding its whole budget; returns a stand-in.

    Input: English text of `input_tokens()` tokens (the article's translation, at the translation's ideal
    output length; the twin's own output is random pieces whose BPE length means nothing). Decoding is
    forced to the budget `summary_token_limits` gives for the requested sentences (a real summary ends on
    EOS at or before it). The returned summary is a stand-in of 20 plain English words a sentence (the
    sample corpus, lower case, no numbers): the twin's own output is random text whose numbers and names
    the article lacks, so the service would fall back to extractive and skip the back-translation that
    this way is timed too, on a realistic English source.
    """

    def __init__(self, inner: Any, input_tokens: Callable[[], int]) -> None:
        self._inner = inner
        self._input_tokens = input_tokens
        self._pieces: list[str] | None = None
        self.counts = {"calls": 0, "input": 0}
        if not isinstance(inner.model, ForcedLength):
            inner.model = ForcedLength(inner.model)

    def _text(self, tokens: int) -> str:
        from tarjama.nlp.build import corpus_lines

        tokenizer = self._inner.tokenizer  # backend_ct2.BartTokens
        if self._pieces is None:
            self._pieces = list(tokenizer.tokens(" ".join(corpus_lines("en"))))[1:-1]  # without <s>, </s>
        body = [self._pieces[i % len(self._pieces)] for i in range(max(1, tokens - 2))]
        return str(tokenizer.text(body))

    def summarize(self, text: str, max_sentences: int) -> str:
        tokens = self._input_tokens()
        self.counts["calls"] += 1
        self.counts["input"] += tokens
        self._inner.summarize(self._text(tokens), max_sentences)
        from tarjama.nlp.build import corpus_lines

        words = [w for w in " ".join(corpus_lines("en")).lower().split() if w.isalpha()]
        parts = [" ".join(words[i * 20 : (i + 1) * 20]) for i in range(max_sentences)]
        return " ".join(p[:1].upper() + p[1:] + "." for p in parts if p)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
