"""The language-identification evaluation texts: eval/langid/<lang>.txt (written for it) and the seed articles
(real Arabic news: their cleaned title and paragraphs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "tests" / "fixtures"
KINDS = {"p": "paragraph", "h": "headline", "m": "mixed"}


@dataclass(frozen=True)
class Sample:
    lang: str
    kind: str  # paragraph | headline | mixed | seed
    text: str


def written() -> list[Sample]:
    out: list[Sample] = []
    for path in sorted((HERE / "langid").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            kind, text = line.split("\t", 1)
            out.append(Sample(path.stem, KINDS[kind], text))
    return out


def seed_samples() -> list[Sample]:
    from tarjama.text import clean
    from tarjama.text.language import Guess

    def no_opinion(text: str) -> Guess:  # the identifier is what is evaluated: not loaded here
        return Guess("un", "Unknown", 0.0, False)

    out: list[Sample] = []
    for path in sorted(SEEDS.glob("00*.txt")):
        article = clean(path.read_text(encoding="utf-8"), "text", detector=no_opinion)
        out.append(Sample("ar", "seed-title", article.title))
        out.extend(Sample("ar", "seed-paragraph", p) for p in article.paragraphs)
    return out


def samples() -> list[Sample]:
    return written() + seed_samples()
