"""What every benchmark step shares: the seed sentences, peak RSS, the machine and its load.

Imports no ML library at module level: the cold-start step times those imports itself.
"""

from __future__ import annotations

import os
import platform
import resource
from collections.abc import Callable
from pathlib import Path

from benchmarks.schema import Machine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MAX_SENTENCE_TOKENS = 200  # the Digester's own cap (pipeline.Digester.max_sentence_tokens)

# Token counts at an assumed real tokenization. The shape twins' sentencepiece models are trained on the
# 25 kB sample corpus and cut an Arabic word into ~2.1 pieces; the real opus-mt source.spm models have 32k
# pieces trained on OPUS and cannot be loaded offline here. The assumption, stated in the docs:
AR_PIECES_PER_WORD = 1.5  # Arabic whitespace word (clitics and punctuation split off) -> 32k spm pieces
EN_PIECES_PER_WORD = 1.3  # English word -> 32k spm pieces or BART BPE tokens (news English)


def seed_files() -> list[Path]:
    return sorted(FIXTURES.glob("00*.txt"))


def seed_sentences(tokenize: Callable[[str], list[str]] | None = None) -> list[str]:
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


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def physical_cores() -> int:
    """Physical cores among those this process may use (the service's own count: `usable_cores`)."""
    from tarjama.config import usable_cores

    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
    except ImportError:
        cores = None
    usable = usable_cores()
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


def machine(threads: int) -> Machine:
    import psutil

    return Machine(
        cpu_model=cpu_model(),
        logical_cpus=os.cpu_count(),
        physical_cores=physical_cores(),
        threads_used=threads,
        memory_gb=round(psutil.virtual_memory().total / 2**30, 1),
        platform=platform.platform(),
        load_average_at_start=load_average(),
    )
