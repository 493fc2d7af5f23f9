"""What every benchmark step shares: the seed sentences, peak RSS, the machine, forced-length decoding.

Imports no ML library at module level: the cold-start step times those imports itself.
"""

from __future__ import annotations

import math
import os
import platform
import resource
from dataclasses import replace
from pathlib import Path
from typing import Any

from tarjama.nlp.base import TranslateOptions, Translation

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MAX_SENTENCE_TOKENS = 200  # the Digester's own cap (pipeline.Digester.max_sentence_tokens)


def seed_files() -> list[Path]:
    return sorted(FIXTURES.glob("00*.txt"))


def seed_sentences(tokenize: Any | None = None) -> list[str]:
    """Every sentence of the seed articles, cleaned and segmented the way the service does it."""
    from tarjama.text import clean, segment_article

    def length(text: str) -> int:
        return len(tokenize(text)) + 1 if tokenize is not None else len(text.split())

    out: list[str] = []
    for path in seed_files():
        article = clean(path.read_text("utf-8"), "auto")
        out += [s.text for s in segment_article(article, max_length=MAX_SENTENCE_TOKENS, length=length)]
    return out


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
    """Wraps a ctranslate2.Translator (or a transformers model) so every decode runs to a fixed length.

    Random weights end on EOS arbitrarily; forcing min = max makes the work depend on the input only, so
    the twin costs what the real model costs for an output of that length. Without `ratio` the whole call
    runs to its maximum length (the summarizer: the worst case). With `ratio` each sentence gets its own
    length, `ratio` x its source pieces (rounded up to `bucket`): sentences of one bucket decode together,
    as a real batch shrinks when its sentences finish one by one.
    """

    def __init__(self, inner: Any, ratio: float | None = None, bucket: int = 8) -> None:
        self._inner = inner
        self._ratio = ratio
        self._bucket = bucket

    def translate_batch(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        cap = kwargs.get("max_decoding_length")
        if cap is None:
            return self._inner.translate_batch(source, *args, **kwargs)
        if self._ratio is None:
            kwargs["min_decoding_length"] = cap
            return self._inner.translate_batch(source, *args, **kwargs)
        groups: dict[int, list[int]] = {}
        for i, pieces in enumerate(source):
            want = math.ceil(math.ceil(self._ratio * len(pieces)) / self._bucket) * self._bucket
            groups.setdefault(max(1, min(int(cap), want)), []).append(i)
        out: list[Any] = [None] * len(source)
        for length, index in sorted(groups.items(), reverse=True):
            kw = {
                **kwargs,
                "min_decoding_length": length,
                "max_decoding_length": length,
                "max_batch_size": len(index),
            }
            results = self._inner.translate_batch([source[i] for i in index], *args, **kw)
            for i, result in zip(index, results, strict=True):
                out[i] = result
        return out

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        if "max_length" in kwargs:
            kwargs["min_length"] = kwargs["max_length"]
        if "max_new_tokens" in kwargs:
            kwargs["min_new_tokens"] = kwargs["max_new_tokens"]
        return self._inner.generate(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TwinTranslator:
    """A translator whose outputs have fixed lengths: `ratio` x each sentence's source pieces.

    Also turns off the retry of repetitive output (random weights repeat themselves; a real model rarely
    does, and a retry would double the cost for no reason a real article would have).
    """

    def __init__(self, inner: Any, ratio: float) -> None:
        self._inner = inner
        self._ratio = ratio
        if not isinstance(inner.model, ForcedLength):
            inner.model = ForcedLength(inner.model, ratio)

    def translate(self, sentences: Any, options: TranslateOptions) -> list[Translation]:
        forced = replace(options, max_length_a=self._ratio, max_length_b=8, retry_no_repeat_ngram_size=0)
        result: list[Translation] = self._inner.translate(sentences, forced)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TwinSummarizer:
    """Runs the real summarizer (forced to its maximum length: the worst case), then returns a stand-in.

    The twin's summary is random text whose numbers and names the article lacks, so the service would fall
    back to extractive and skip the back-translation. The stand-in (the article's first sentences, 20
    words each) passes that check, so the en->ar back-translation of a 3-sentence summary is timed too.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        if not isinstance(inner.model, ForcedLength):
            inner.model = ForcedLength(inner.model)

    def summarize(self, text: str, max_sentences: int) -> str:
        self._inner.summarize(text, max_sentences)
        words = text.split()
        parts = [" ".join(words[i * 20 : (i + 1) * 20]) for i in range(max_sentences)]
        return " ".join(p.rstrip(".") + "." for p in parts if p)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
